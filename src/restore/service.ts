/**
 * The restore feature behind one object, for the TUI and the CLI: state at a message, diffs, restore plans,
 * restores, undo and the journal. Plans are cached per session and rebuilt when its evidence changes, so scrubbing
 * costs a diff of the files that changed, not a replay.
 */
import fsp from 'node:fs/promises';
import fs from 'node:fs';
import path from 'node:path';
import type { StoreReader } from '../store/reader.js';
import type { RestoreRow } from '../store/rows.js';
import type { IndexWriter } from '../store/writer.js';
import { applyInPlace, applyWorktree, previewUndo, recoverIncomplete, RestoreError, undo, type Recovery, type TxChange, type UndoPreview } from './apply.js';
import { blobId } from './content.js';
import { buildDiffView, type DiffPair, type DiffSide, type DiffView } from './diff.js';
import { resolveCommit } from './git.js';
import { loadJournalFile } from './journal.js';
import { loadSession, type LoadedSession } from './load.js';
import type { FileStateAt } from './planner.js';
import { insideRepo, planRestore, type RestorePlan } from './restore-plan.js';
import { shadowKey } from './shadow.js';
import { readWorkingTree } from './working-tree.js';

export type DiffAgainst = 'prev' | 'now';

export interface DiffResult {
  readonly sessionId: string;
  readonly seq: number;
  readonly against: DiffAgainst;
  /** The repository paths are shown relative to (null: absolute paths). */
  readonly root: string | null;
  readonly view: DiffView;
}

export interface RestorePreview {
  readonly sessionId: string;
  readonly seq: number;
  readonly repoRoot: string;
  /** The base commit a worktree restore starts from, and how it was found. */
  readonly base: { readonly commit: string; readonly how: string } | null;
  readonly plan: RestorePlan;
  /** What the restore changes: the working tree now → the state at the message. */
  readonly diff: DiffView;
  /** The bytes to write, by blob id (from the plan's content store). */
  readonly contents: (blob: string) => Buffer;
}

export interface RestoreOutcome {
  /** Journal id (restore_journal.id). */
  readonly id: number | null;
  readonly mode: 'in-place' | 'worktree';
  /** The directory written. */
  readonly target: string;
  readonly branch: string | null;
  readonly written: number;
  readonly created: number;
  readonly deleted: number;
  readonly refused: readonly { readonly path: string; readonly reason: string }[];
  /** Commit in backups.git with everything the restore overwrote (in place), null for a worktree. */
  readonly backupSnapshot: string | null;
}

export interface RestoreServiceOptions {
  readonly reader: StoreReader;
  readonly dataDir: string;
  /** Writes journal rows (restores, undo); without it restores are refused. */
  readonly writer?: IndexWriter | null;
  /** The commit an assistant recorded at a session's start (e.g. Codex session_meta), when the store has one. */
  readonly baseCommitOf?: (sessionId: string) => string | null;
}

/** A path as users read it: relative to the repository when inside it. */
export function displayPath(root: string | null, p: string): string {
  return (root && insideRepo(root, p)) || p;
}

function side(s: FileStateAt): DiffSide {
  return { label: s.label, absent: s.absent, blob: s.blob, contents: s.contents, ...(s.reason !== undefined ? { reason: s.reason } : {}) };
}

async function diskSide(p: string): Promise<DiffSide> {
  try {
    const st = await fsp.lstat(p);
    if (!st.isFile()) return { label: 'unknown', absent: false, blob: null, contents: null, reason: st.isSymbolicLink() ? 'a symbolic link now' : 'not a regular file now' };
    const bytes = await fsp.readFile(p);
    return { label: 'exact', absent: false, blob: blobId(bytes), contents: bytes };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { label: 'exact', absent: true, blob: null, contents: null };
    return { label: 'unknown', absent: false, blob: null, contents: null, reason: (err as Error).message };
  }
}

export class RestoreService {
  private readonly cache = new Map<string, { version: string; loaded: Promise<LoadedSession> }>();

  constructor(readonly options: RestoreServiceOptions) {}

  /** The session's plan, from cache when its evidence has not changed. */
  load(sessionId: string): Promise<LoadedSession> {
    const version = this.options.reader.evidenceVersion(sessionId);
    const hit = this.cache.get(sessionId);
    if (hit && hit.version === version) return hit.loaded;
    const loaded = loadSession(this.options.reader, sessionId, {
      dataDir: this.options.dataDir,
      baseCommit: this.options.baseCommitOf?.(sessionId) ?? null,
    });
    this.cache.set(sessionId, { version, loaded });
    loaded.catch(() => this.cache.delete(sessionId));
    return loaded;
  }

  async stateAt(sessionId: string, seq: number): Promise<FileStateAt[]> {
    return (await this.load(sessionId)).plan.stateAt(seq);
  }

  private root(loaded: LoadedSession): string | null {
    return loaded.repo?.root ?? loaded.session.project;
  }

  /** What message `seq` changed (against `prev`), or how that moment differs from the disk now (against `now`). */
  async diff(sessionId: string, seq: number, against: DiffAgainst): Promise<DiffResult> {
    const loaded = await this.load(sessionId);
    const { plan } = loaded;
    const root = this.root(loaded);
    const pairs: DiffPair[] = [];
    if (against === 'prev') {
      for (const p of plan.changedAt(seq)) {
        pairs.push({ path: displayPath(root, p), before: side(plan.fileAt(p, seq - 1)), after: side(plan.fileAt(p, seq)) });
      }
    } else {
      const states = plan.stateAt(seq);
      const disk = await Promise.all(states.map((s) => diskSide(s.path)));
      states.forEach((s, i) => pairs.push({ path: displayPath(root, s.path), before: side(s), after: disk[i] }));
    }
    return { sessionId, seq, against, root, view: buildDiffView(pairs) };
  }

  /** What restoring the session's repository files to message `seq` would do, before anything is written. */
  async previewRestore(sessionId: string, seq: number): Promise<RestorePreview> {
    const loaded = await this.load(sessionId);
    if (!loaded.repo) throw new RestoreError('the session did not work in a git repository: there is nothing mantra-tui can restore safely');
    const root = loaded.repo.root;
    const states = loaded.plan.stateAt(seq);
    const tree = readWorkingTree(states.map((s) => s.path), root);
    const plan = planRestore(states, tree, root);
    const byPath = new Map(states.map((s) => [s.path, s]));
    const pairs: DiffPair[] = [];
    for (const f of [...plan.write, ...plan.create, ...plan.delete]) {
      pairs.push({ path: displayPath(root, f.path), before: await diskSide(f.path), after: side(byPath.get(f.path)!) });
    }
    const store = loaded.plan.store;
    return { sessionId, seq, repoRoot: root, base: loaded.repo.base, plan, diff: buildDiffView(pairs), contents: (blob) => store.get(blob) };
  }

  private requireWriter(): IndexWriter {
    if (!this.options.writer) throw new RestoreError('restoring needs a writable index connection');
    return this.options.writer;
  }

  /** Restores in place: backs up everything it overwrites or deletes first (see apply.ts). */
  async restoreInPlace(preview: RestorePreview): Promise<RestoreOutcome> {
    const writer = this.requireWriter();
    const changes: TxChange[] = [
      ...[...preview.plan.write, ...preview.plan.create].map((f) => ({ path: f.path, after: { bytes: preview.contents(f.blob!), mode: f.mode } })),
      ...preview.plan.delete.map((f) => ({ path: f.path, after: null })),
    ];
    const { journal, id } = await applyInPlace({ dataDir: this.options.dataDir, writer }, {
      sessionId: preview.sessionId,
      seq: preview.seq,
      repoRoot: preview.repoRoot,
      changes,
      refused: preview.plan.refused,
    });
    return { id, mode: 'in-place', target: journal.target, branch: null, ...journal.counts, refused: journal.refused, backupSnapshot: journal.backupCommit };
  }

  /**
   * Restores into a new git worktree on a new branch (`mantra/restore-<session8>-<seq>`), created at the session's
   * base commit (HEAD when none was found), then writes the state at the message there. The user's own work tree
   * is not touched; the worktree and its branch are the one thing written to their repository.
   */
  async restoreToWorktree(preview: RestorePreview, dir?: string): Promise<RestoreOutcome> {
    const writer = this.requireWriter();
    const root = preview.repoRoot;
    const base = preview.base?.commit ?? (await resolveCommit(root, 'HEAD'));
    if (!base) throw new RestoreError(`${root} has no commit to start a worktree from`);
    const stem = `mantra/restore-${preview.sessionId.slice(0, 8)}-${preview.seq}`;
    let branch = stem;
    for (let n = 2; await resolveCommit(root, `refs/heads/${branch}`); n++) branch = `${stem}-${n}`;
    let target = dir ? path.resolve(dir) : path.join(this.options.dataDir, 'worktrees', shadowKey(root), `${preview.sessionId.slice(0, 8)}-${preview.seq}`);
    if (!dir) for (let n = 2; fs.existsSync(target); n++) target = path.join(path.dirname(target), `${preview.sessionId.slice(0, 8)}-${preview.seq}-${n}`);
    if (fs.existsSync(target) && fs.readdirSync(target).length > 0) throw new RestoreError(`${target} exists and is not empty`);
    const loaded = await this.load(preview.sessionId);
    const states = loaded.plan.stateAt(preview.seq).filter((s) => insideRepo(root, s.path) !== null);
    const { journal, id } = await applyWorktree({ dataDir: this.options.dataDir, writer }, {
      sessionId: preview.sessionId,
      seq: preview.seq,
      repoRoot: root,
      base,
      branch,
      dir: target,
      states,
      refused: preview.plan.refused.filter((r) => insideRepo(root, r.path) === null),
      contents: preview.contents,
    });
    return { id, mode: 'worktree', target: journal.target, branch: journal.branch, ...journal.counts, refused: journal.refused, backupSnapshot: null };
  }

  listRestores(): RestoreRow[] {
    return this.options.reader.listRestores();
  }

  /** The journal entry `undo` acts on: the given id, else the latest restore or undo still standing. */
  undoTarget(id?: number): RestoreRow {
    const rows = this.options.reader.listRestores();
    const row = id !== undefined ? rows.find((r) => r.id === id) : rows.find((r) => r.state === 'complete' && r.mode !== 'worktree');
    if (!row) throw new RestoreError(id !== undefined ? `no restore with id ${id} (see "mantra-tui restores")` : 'there is no restore to undo');
    return row;
  }

  async previewUndo(id?: number): Promise<UndoPreview & { readonly row: RestoreRow }> {
    const row = this.undoTarget(id);
    const preview = await previewUndo({ dataDir: this.options.dataDir, writer: this.options.writer ?? null }, row.journalFile);
    return { ...preview, row };
  }

  async undo(id?: number): Promise<{ readonly id: number | null; readonly undone: RestoreRow; readonly written: number; readonly created: number; readonly deleted: number; readonly backupSnapshot: string | null }> {
    const writer = this.requireWriter();
    const row = this.undoTarget(id);
    const result = await undo({ dataDir: this.options.dataDir, writer }, row.journalFile);
    return { id: result.id, undone: this.options.reader.getRestore(row.id)!, ...result.journal.counts, backupSnapshot: result.journal.backupCommit };
  }

  /** Rolls back restores a crash interrupted. Call at start-up. */
  recover(): Promise<Recovery[]> {
    return recoverIncomplete({ dataDir: this.options.dataDir, writer: this.options.writer ?? null });
  }

  /** The journal file's full record for an entry (paths, blobs), for tests and `restores --json`. */
  journalOf(row: RestoreRow) {
    return loadJournalFile(this.options.dataDir, row.journalFile);
  }
}
