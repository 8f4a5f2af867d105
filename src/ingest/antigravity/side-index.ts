/**
 * Where Antigravity records a conversation's workspace and title, since the transcript has neither
 * (shared/formats/antigravity.md §4, §5, §6.3). Parsers are pure; {@link ProfileSideIndex} reads the files, once
 * per profile per pass, and only what it is asked for.
 *
 * Sources, best first: `conversation_summaries.db` (title, workspace URIs, parent, project id), the desktop's
 * `agyhub_summaries_proto.pb` (title, workspace, branch), `annotations/<id>.pbtxt` (the user's rename), the
 * conversation's own `.db` trajectory metadata (workspace, branch, project id; read only when nothing cheaper knew
 * the workspace), `history.jsonl` and `cache/last_conversations.json` (agy's workspace per conversation), and
 * `config/projects/<id>.json` (project id → folder).
 */
import fs from 'node:fs';
import path from 'node:path';
import { hasTable, openForeignDb } from '../foreign-db.js';
import { folderFromUri, normalizeProjectPath } from '../project-path.js';
import { messageField, readFields, repeatedBytes, stringField } from '../protobuf.js';
import { isObject, str, tryJson } from '../text.js';

export interface ConversationFacts {
  /** Generated title (summaries index). */
  readonly title: string | null;
  /** The user's rename (annotations). */
  readonly userTitle: string | null;
  readonly workspace: string | null;
  readonly branch: string | null;
  readonly parentId: string | null;
  readonly projectId: string | null;
}

const NONE: ConversationFacts = { title: null, userTitle: null, workspace: null, branch: null, parentId: null, projectId: null };

function merge(a: ConversationFacts, b: Partial<ConversationFacts>): ConversationFacts {
  return {
    title: a.title ?? b.title ?? null,
    userTitle: a.userTitle ?? b.userTitle ?? null,
    workspace: a.workspace ?? b.workspace ?? null,
    branch: a.branch ?? b.branch ?? null,
    parentId: a.parentId ?? b.parentId ?? null,
    projectId: a.projectId ?? b.projectId ?? null,
  };
}

/** A workspace as recorded (URI or path) → a project folder. */
function workspaceFolder(v: string | undefined | null): string | null {
  if (!v) return null;
  return folderFromUri(v) ?? normalizeProjectPath(v);
}

/** `history.jsonl` (§4.1): conversation id → the workspace its prompts were typed in. */
export function parseHistory(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const v = tryJson(line);
    if (!isObject(v)) continue;
    const id = str(v.conversationId);
    const ws = workspaceFolder(str(v.workspace));
    if (id && ws && !out.has(id)) out.set(id, ws);
  }
  return out;
}

/** `cache/last_conversations.json` (§4.2): conversation id → launch directory. */
export function parseLastConversations(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const v = tryJson(text);
  if (!isObject(v)) return out;
  for (const [cwd, id] of Object.entries(v)) {
    const folder = workspaceFolder(cwd);
    if (typeof id === 'string' && folder) out.set(id, folder);
  }
  return out;
}

/** `config/projects/<id>.json` (§4.3): the project's folder (first git folder, else its name when that is a path). */
export function parseProjectConfig(text: string): { id: string; folder: string } | null {
  const v = tryJson(text);
  if (!isObject(v) || typeof v.id !== 'string') return null;
  const resources = isObject(v.projectResources) && Array.isArray(v.projectResources.resources) ? v.projectResources.resources : [];
  for (const r of resources) {
    const folder = isObject(r) && isObject(r.gitFolder) ? workspaceFolder(str(r.gitFolder.folderUri)) : null;
    if (folder) return { id: v.id, folder };
  }
  const name = str(v.name);
  const folder = name && (name.startsWith('/') || /^[A-Za-z]:[\\/]/.test(name)) ? normalizeProjectPath(name) : null;
  return folder ? { id: v.id, folder } : null;
}

/** Workspace sub-message {1 folder URI, 4 branch} shared by the summaries index and trajectory metadata. */
function workspaceMessage(fields: ReturnType<typeof readFields>['fields'], n: number): { workspace: string | null; branch: string | null } {
  const ws = messageField(fields, n);
  if (!ws) return { workspace: null, branch: null };
  const uri = stringField(ws, 1);
  // Self-check: field numbers are descriptor-derived (§5, medium confidence); only a URI is accepted as a folder.
  const workspace = uri && /^[a-z][a-z0-9+.-]*:\/\//i.test(uri) ? folderFromUri(uri) : null;
  const branch = stringField(ws, 4);
  return { workspace, branch: branch && /^[\x20-\x7e]{1,250}$/.test(branch) ? branch : null };
}

/** `agyhub_summaries_proto.pb` (§6.3): per conversation, title, workspace, branch and the user's rename. */
export function parseAgyhubSummaries(buf: Uint8Array): Map<string, Partial<ConversationFacts>> {
  const out = new Map<string, Partial<ConversationFacts>>();
  for (const entryBytes of repeatedBytes(readFields(buf).fields, 1)) {
    const entry = readFields(entryBytes).fields;
    const id = stringField(entry, 1);
    const summary = messageField(entry, 2);
    if (!id || !summary) continue;
    const annotations = messageField(summary, 15);
    out.set(id, {
      title: stringField(summary, 1) ?? null,
      userTitle: (annotations && stringField(annotations, 1)) ?? null,
      ...workspaceMessage(summary, 9),
    });
  }
  return out;
}

/** `trajectory_metadata_blob.data` of a conversation `.db` (§5): workspace {1 URI, 4 branch}, 18 project id. */
export function parseTrajectoryMetadata(buf: Uint8Array): Partial<ConversationFacts> {
  const { fields } = readFields(buf);
  const projectId = stringField(fields, 18);
  return { ...workspaceMessage(fields, 1), projectId: projectId && projectId !== 'outside-of-project' ? projectId : null };
}

/** Decodes a protobuf text-format string literal's escapes (octal bytes, \xHH, \n, \", …) as UTF-8. */
function unescapeTextFormat(s: string): string {
  const bytes: number[] = [];
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, '"': 34, "'": 39, '\\': 92, a: 7, b: 8, f: 12, v: 11, '?': 63 };
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== '\\') {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const d = s[++i];
    if (d === undefined) break;
    if (d in simple) bytes.push(simple[d]);
    else if (/[0-7]/.test(d)) {
      let oct = d;
      while (oct.length < 3 && /[0-7]/.test(s[i + 1] ?? '')) oct += s[++i];
      bytes.push(parseInt(oct, 8) & 0xff);
    } else if (d === 'x') {
      let hex = '';
      while (hex.length < 2 && /[0-9a-fA-F]/.test(s[i + 1] ?? '')) hex += s[++i];
      bytes.push(parseInt(hex || '0', 16));
    } else bytes.push(...Buffer.from(d, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** The top-level `title:"…"` of an `annotations/<id>.pbtxt` (the user's rename), or null. */
export function parseAnnotationTitle(text: string): string | null {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      // Skip a string literal that is not a top-level title value.
      let j = i + 1;
      while (j < text.length && text[j] !== c) j += text[j] === '\\' ? 2 : 1;
      i = j;
    } else if (c === '{' || c === '<') depth++;
    else if (c === '}' || c === '>') depth = Math.max(0, depth - 1);
    else if (depth === 0 && text.startsWith('title', i) && !/[A-Za-z0-9_]/.test(text[i - 1] ?? ' ')) {
      let j = i + 5;
      while (j < text.length && /[\s:]/.test(text[j])) j++;
      const q = text[j];
      if (q !== '"' && q !== "'") continue;
      let k = j + 1;
      while (k < text.length && text[k] !== q) k += text[k] === '\\' ? 2 : 1;
      const title = unescapeTextFormat(text.slice(j + 1, k)).trim();
      return title || null;
    }
  }
  return null;
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** One profile's side indexes, loaded lazily and at most once (an instance lives for one ingest pass). */
export class ProfileSideIndex {
  private summaries?: Map<string, Partial<ConversationFacts>>;
  private hub?: Map<string, Partial<ConversationFacts>>;
  private history?: Map<string, string>;
  private last?: Map<string, string>;
  private projects?: Map<string, string>;

  /** `configDir` is the shared `~/.gemini/config`; `tmpDir` is where large databases are snapshotted. */
  constructor(
    readonly profileDir: string,
    private readonly configDir: string,
    private readonly tmpDir?: string,
  ) {}

  private loadSummaries(): Map<string, Partial<ConversationFacts>> {
    if (this.summaries) return this.summaries;
    const out = new Map<string, Partial<ConversationFacts>>();
    this.summaries = out;
    const file = path.join(this.profileDir, 'conversation_summaries.db');
    if (!fs.existsSync(file)) return out;
    let opened;
    try {
      opened = openForeignDb(file, { tmpDir: this.tmpDir });
    } catch {
      return out; // busy or damaged: the transcript still reads; facts are retried on a later pass
    }
    try {
      if (!hasTable(opened.db, 'conversation_summaries')) return out;
      // Columns vary by build (§4.4): select only those present.
      const have = new Set((opened.db.prepare("SELECT name FROM pragma_table_info('conversation_summaries')").all() as { name: string }[]).map((r) => r.name));
      const wanted = ['conversation_id', 'title', 'workspace_uris', 'parent_conversation_id', 'project_id'].filter((c) => have.has(c));
      if (!have.has('conversation_id')) return out;
      for (const row of opened.db.prepare(`SELECT ${wanted.join(', ')} FROM conversation_summaries`).iterate() as Iterable<Record<string, unknown>>) {
        const id = str(row.conversation_id);
        if (!id) continue;
        const uris = typeof row.workspace_uris === 'string' ? tryJson(row.workspace_uris) : undefined;
        const first = Array.isArray(uris) ? uris.find((u): u is string => typeof u === 'string') : undefined;
        out.set(id, {
          title: str(row.title)?.trim() || null,
          workspace: workspaceFolder(first),
          parentId: str(row.parent_conversation_id) || null,
          projectId: str(row.project_id) || null,
        });
      }
    } catch {
      // A damaged index: ignore it, like a missing one.
    } finally {
      opened.close();
    }
    return out;
  }

  private loadHub(): Map<string, Partial<ConversationFacts>> {
    if (!this.hub) {
      let buf: Buffer | null = null;
      try {
        buf = fs.readFileSync(path.join(this.profileDir, 'agyhub_summaries_proto.pb'));
      } catch {
        buf = null;
      }
      this.hub = buf ? parseAgyhubSummaries(buf) : new Map();
    }
    return this.hub;
  }

  private loadHistory(): Map<string, string> {
    if (!this.history) {
      const text = readText(path.join(this.profileDir, 'history.jsonl'));
      this.history = text ? parseHistory(text) : new Map();
    }
    return this.history;
  }

  private loadLast(): Map<string, string> {
    if (!this.last) {
      const text = readText(path.join(this.profileDir, 'cache', 'last_conversations.json'));
      this.last = text ? parseLastConversations(text) : new Map();
    }
    return this.last;
  }

  private loadProjects(): Map<string, string> {
    if (!this.projects) {
      this.projects = new Map();
      const dir = path.join(this.configDir, 'projects');
      let names: string[] = [];
      try {
        names = fs.readdirSync(dir).filter((n) => n.endsWith('.json'));
      } catch {
        names = [];
      }
      for (const n of names) {
        const p = parseProjectConfig(readText(path.join(dir, n)) ?? '');
        if (p) this.projects.set(p.id, p.folder);
      }
    }
    return this.projects;
  }

  private trajectoryFacts(conversationId: string): Partial<ConversationFacts> {
    const file = path.join(this.profileDir, 'conversations', `${conversationId}.db`);
    if (!fs.existsSync(file)) return {};
    let opened;
    try {
      opened = openForeignDb(file, { tmpDir: this.tmpDir });
    } catch {
      return {};
    }
    try {
      if (!hasTable(opened.db, 'trajectory_metadata_blob')) return {};
      const row = opened.db.prepare("SELECT data FROM trajectory_metadata_blob WHERE id = 'main'").get() as { data: unknown } | undefined;
      return row && Buffer.isBuffer(row.data) ? parseTrajectoryMetadata(row.data) : {};
    } catch {
      return {};
    } finally {
      opened.close();
    }
  }

  /**
   * A cheap stamp of the files that can change what {@link facts} says (stat only): equal stamps, equal facts, except
   * for the conversation `.db`, which is only read when `deep` is asked for.
   */
  stamp(conversationId: string): string {
    const files = [
      'conversation_summaries.db',
      'conversation_summaries.db-wal',
      'agyhub_summaries_proto.pb',
      'history.jsonl',
      path.join('cache', 'last_conversations.json'),
      path.join('annotations', `${conversationId}.pbtxt`),
    ].map((f) => path.join(this.profileDir, f));
    files.push(path.join(this.configDir, 'projects'));
    return files
      .map((f) => {
        try {
          const st = fs.statSync(f);
          return `${st.size}:${Math.floor(st.mtimeMs)}`;
        } catch {
          return '-';
        }
      })
      .join('|');
  }

  /**
   * Everything the side indexes say about one conversation. `deep` also reads the conversation's `.db` when nothing
   * cheaper knew its workspace (done when its transcript changed, not on idle passes).
   */
  facts(conversationId: string, deep: boolean): ConversationFacts {
    let f = merge(NONE, this.loadSummaries().get(conversationId) ?? {});
    f = merge(f, this.loadHub().get(conversationId) ?? {});
    const annotations = readText(path.join(this.profileDir, 'annotations', `${conversationId}.pbtxt`));
    if (annotations) f = merge(f, { userTitle: parseAnnotationTitle(annotations) });
    if (!f.workspace && deep) f = merge(f, this.trajectoryFacts(conversationId));
    if (!f.workspace) f = merge(f, { workspace: this.loadHistory().get(conversationId) ?? this.loadLast().get(conversationId) ?? null });
    if (!f.workspace && f.projectId) f = merge(f, { workspace: this.loadProjects().get(f.projectId) ?? null });
    return f;
  }
}
