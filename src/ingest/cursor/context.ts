/**
 * What one Cursor ingest pass knows across files, read from the index rather than from Cursor's files: which folder
 * each workspace opens and which composers it lists (from the workspace DBs' stored state), which composers the global
 * DB holds, which agent ids have a cursor-agent store. Facts flow both ways (a workspace DB also pushes its folder
 * onto sessions that already exist), so the result does not depend on the order files are read in.
 */
import fs from 'node:fs';
import type { IndexWriter } from '../../store/writer.js';
import { isObject, tryJson } from '../text.js';
import type { SyncState } from '../session-sync.js';
import { cwdHash, cwdSpellings, projectSlug, resolveSlug } from './workspace.js';

/** Per-session bookkeeping of a rewritten source: the source's fingerprint of it, and the sync state. */
export interface SessionEntry extends SyncState {
  readonly f: string;
}

/** source_file.state of a `state.vscdb`. */
export interface VscdbState {
  readonly v: 1;
  /** Workspace DBs: the folder the workspace opens (from workspace.json). */
  folder: string | null;
  /** Workspace DBs: composer ids the workspace lists. */
  refs: string[];
  /** Fingerprints of the ItemTable values already read. */
  items: Record<string, string>;
  /** Sessions by key: `c:<composerId>` (split storage), `i:<composerId>` (inline composer), `t:<tabId>` (chat tab). */
  s: Record<string, SessionEntry>;
  /** Sub-composer → the composer that spawned it. */
  parents: Record<string, string>;
}

export function emptyVscdbState(): VscdbState {
  return { v: 1, folder: null, refs: [], items: {}, s: {}, parents: {} };
}

export function parseVscdbState(text: string | null | undefined): VscdbState {
  const v = text ? tryJson(text) : undefined;
  if (!isObject(v) || v.v !== 1) return emptyVscdbState();
  return {
    v: 1,
    folder: typeof v.folder === 'string' ? v.folder : null,
    refs: Array.isArray(v.refs) ? v.refs.filter((x): x is string => typeof x === 'string') : [],
    items: isObject(v.items) ? (v.items as Record<string, string>) : {},
    s: isObject(v.s) ? (v.s as Record<string, SessionEntry>) : {},
    parents: isObject(v.parents) ? (v.parents as Record<string, string>) : {},
  };
}

export class CursorPassContext {
  private folders?: { byWorkspace: Map<string, string>; byComposer: Map<string, string>; all: string[] };
  private globalIds?: Set<string>;
  private hashes?: Map<string, string>;

  /** Files already ingested in this pass (the global DB pulls the workspace DBs in ahead of itself). */
  readonly done = new Set<string>();

  constructor(
    private readonly globalDbPath: string,
    readonly cliAgentIds: ReadonlySet<string>,
    private readonly isDir: (p: string) => boolean = defaultIsDir,
  ) {}

  /** Forgets what was read from the index (after files that change it were ingested). */
  invalidate(): void {
    this.folders = undefined;
    this.globalIds = undefined;
    this.hashes = undefined;
  }

  private loadFolders(writer: IndexWriter) {
    if (this.folders) return this.folders;
    const byWorkspace = new Map<string, string>();
    const byComposer = new Map<string, string>();
    const all: string[] = [];
    for (const f of writer.listSourceFiles('cursor')) {
      if (!f.path.endsWith('state.vscdb') || f.path === this.globalDbPath || !f.state) continue;
      const st = parseVscdbState(f.state);
      if (!st.folder) continue;
      all.push(st.folder);
      // workspaceStorage/<id>/state.vscdb: the id is the parent folder's name.
      const parts = f.path.split(/[\\/]/);
      byWorkspace.set(parts[parts.length - 2], st.folder);
      for (const id of st.refs) byComposer.set(id, st.folder);
    }
    this.folders = { byWorkspace, byComposer, all };
    return this.folders;
  }

  /** The folder a composer belongs to, from the workspace that lists it or the workspace id it records. */
  composerFolder(writer: IndexWriter, composerId: string, workspaceId: string | null): string | null {
    const f = this.loadFolders(writer);
    return f.byComposer.get(composerId) ?? (workspaceId ? f.byWorkspace.get(workspaceId) : undefined) ?? null;
  }

  /** Composers the global DB holds (its inline copies in workspace DBs are older duplicates). */
  globalComposers(writer: IndexWriter): ReadonlySet<string> {
    if (!this.globalIds) {
      const st = parseVscdbState(writer.getSourceFile(this.globalDbPath)?.state);
      this.globalIds = new Set(Object.keys(st.s).filter((k) => k.startsWith('c:')).map((k) => k.slice(2)));
    }
    return this.globalIds;
  }

  /** Every folder known to the index or to Cursor's workspaces, by the MD5 cursor-agent names chat folders with. */
  folderForCwdHash(writer: IndexWriter, hash: string): string | null {
    if (!this.hashes) {
      this.hashes = new Map();
      for (const folder of [...writer.knownProjects(), ...this.loadFolders(writer).all]) {
        for (const spelling of cwdSpellings(folder)) this.hashes.set(cwdHash(spelling), folder);
      }
    }
    return this.hashes.get(hash) ?? null;
  }

  /** The folder an agent-transcripts project slug stands for: a known folder with that slug, else the filesystem. */
  folderForSlug(writer: IndexWriter, slug: string): string | null {
    const loose = (s: string) => s.toLowerCase().replace(/-+/g, '-');
    const wanted = loose(slug);
    for (const folder of [...this.loadFolders(writer).all, ...writer.knownProjects()]) {
      if (loose(projectSlug(folder)) === wanted) return folder;
    }
    return resolveSlug(slug, this.isDir);
  }
}

function defaultIsDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
