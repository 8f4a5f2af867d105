/** Read side of the index: typed rows for the screens and the CLI. Every query is windowed or aggregated. */
import type Database from 'better-sqlite3';
import type { Agent, CheckpointSource, MessageKind, Role } from '../model.js';
import type { CheckpointRow, MessageRow, RestoreMode, RestoreRow, RestoreState, ScrubBucket, SessionFilter, SessionRow, SnapshotRow, TimelineReader } from './rows.js';
import { StatementCache } from './statements.js';
import { DETECTOR_VERSION } from '../redact/detect.js';
import { redactText } from '../redact/mask.js';
import type { FactMarker, SearchHit, SearchOptions } from '../search/types.js';
import { SecretStore, type FieldSpans } from './secrets.js';

interface SessionRecord {
  id: string;
  agent: string;
  parent_id: string | null;
  project: string | null;
  title: string | null;
  summary: string | null;
  git_branch: string | null;
  git_commit: string | null;
  git_repo: string | null;
  agent_version: string | null;
  started_at: number | null;
  updated_at: number | null;
  message_count: number;
  child_count: number;
  source_files: string | null;
  source_gone: number;
}

/** The columns of a message row that describe the message itself (what the fact extractor reads too). */
export interface MessageCoreRecord {
  seq: number;
  source_id: string;
  parent_id: string | null;
  timestamp: number | null;
  role: string;
  kind: string;
  text: string;
  tool_name: string | null;
  tool_input: string | null;
  tool_use_id: string | null;
  files: string | null;
  is_error: number;
  is_sidechain: number;
  subtype: string | null;
  data: string | null;
}

interface MessageRecord extends MessageCoreRecord {
  id: number;
  session_id: string;
  source_path: string;
  byte_offset: number;
}

const SESSION_COLUMNS = `
  s.id, s.agent, s.parent_id, s.project, s.title, s.summary, s.git_branch, s.git_commit, s.git_repo, s.agent_version,
  s.started_at, s.updated_at,
  s.message_count,
  (SELECT count(*) FROM session c WHERE c.parent_id = s.id) AS child_count,
  (SELECT json_group_array(f.path) FROM session_source ss JOIN source_file f ON f.id = ss.source_file_id
    WHERE ss.session_id = s.id) AS source_files,
  NOT EXISTS (SELECT 1 FROM session_source ss JOIN source_file f ON f.id = ss.source_file_id
    WHERE ss.session_id = s.id AND f.gone = 0) AS source_gone`;

const MESSAGE_COLUMNS = `
  m.id, m.session_id, m.seq, m.source_id, m.parent_id, m.timestamp, m.role, m.kind, m.text, m.tool_name,
  m.tool_input, m.tool_use_id, m.files, m.is_error, m.is_sidechain, m.subtype, m.data,
  f.path AS source_path, m.byte_offset`;

function rowToSession(r: SessionRecord): SessionRow {
  return {
    id: r.id,
    agent: r.agent as Agent,
    parentId: r.parent_id,
    project: r.project,
    title: r.title,
    summary: r.summary,
    gitBranch: r.git_branch,
    gitCommit: r.git_commit,
    gitRepo: r.git_repo,
    agentVersion: r.agent_version,
    startedAt: r.started_at,
    updatedAt: r.updated_at,
    messageCount: r.message_count,
    childCount: r.child_count,
    sourceFiles: r.source_files ? (JSON.parse(r.source_files) as string[]) : [],
    sourceGone: r.source_gone !== 0,
  };
}

/** The message's own fields from its row: shared by the reader and the fact extractor's page reads. */
export function messageCore(r: MessageCoreRecord) {
  return {
    seq: r.seq,
    sourceId: r.source_id,
    parentId: r.parent_id,
    timestamp: r.timestamp,
    role: r.role as Role,
    kind: r.kind as MessageKind,
    text: r.text,
    toolName: r.tool_name,
    toolInput: r.tool_input,
    toolUseId: r.tool_use_id,
    files: r.files ? (JSON.parse(r.files) as string[]) : [],
    isError: r.is_error !== 0,
    isSidechain: r.is_sidechain !== 0,
    subtype: r.subtype,
    data: r.data,
  };
}

function rowToMessage(r: MessageRecord): MessageRow {
  return {
    ...messageCore(r),
    id: r.id,
    sessionId: r.session_id,
    sourceFile: r.source_path,
    byteOffset: r.byte_offset,
  };
}


/** A message's fields that restore evidence needs (see restore/evidence.ts). */
export interface EvidenceRow {
  readonly seq: number;
  readonly sourceId: string;
  readonly timestamp: number | null;
  readonly kind: MessageKind;
  readonly toolName: string | null;
  readonly toolInput: string | null;
  readonly toolUseId: string | null;
  readonly isError: boolean;
  readonly data: string | null;
}

interface RestoreRecord {
  id: number;
  journal_file: string;
  session_id: string | null;
  seq: number | null;
  mode: string;
  state: string;
  repo_root: string;
  target: string;
  branch: string | null;
  backup_commit: string | null;
  undo_of: number | null;
  undone_by: number | null;
  written: number;
  created: number;
  deleted: number;
  refused: string | null;
  created_at: number;
  completed_at: number | null;
}

function rowToRestore(r: RestoreRecord): RestoreRow {
  let refused: { path: string; reason: string }[] = [];
  try {
    refused = r.refused ? (JSON.parse(r.refused) as { path: string; reason: string }[]) : [];
  } catch {
    refused = [];
  }
  return {
    id: r.id,
    journalFile: r.journal_file,
    sessionId: r.session_id,
    seq: r.seq,
    mode: r.mode as RestoreMode,
    state: r.state as RestoreState,
    repoRoot: r.repo_root,
    target: r.target,
    branch: r.branch,
    backupCommit: r.backup_commit,
    undoOf: r.undo_of,
    undoneBy: r.undone_by,
    written: r.written,
    created: r.created,
    deleted: r.deleted,
    refused,
    createdAt: r.created_at,
    completedAt: r.completed_at,
  };
}

/** Filter → WHERE clause with named parameters. Built from a fixed set of fragments, so it caches well. */
function filterClause(filter: SessionFilter): { where: string; params: Record<string, unknown> } {
  const parts: string[] = [];
  const params: Record<string, unknown> = {};
  if (!filter.includeChildren) parts.push('s.parent_id IS NULL');
  if (filter.agent) {
    parts.push('s.agent = @agent');
    params.agent = filter.agent;
  }
  if (filter.project) {
    // A project is a directory: sessions started in it or anywhere below it belong to it.
    parts.push("(s.project = @project OR substr(s.project, 1, length(@project) + 1) = @project || '/')");
    params.project = filter.project.replace(/\/+$/, '') || '/';
  }
  return { where: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

export class StoreReader implements TimelineReader {
  private readonly statements: StatementCache;
  private secrets: SecretStore | null = null;

  constructor(readonly db: Database.Database) {
    this.statements = new StatementCache(db);
  }

  countSessions(filter: SessionFilter = {}): number {
    const { where, params } = filterClause(filter);
    const row = this.statements.get(`SELECT count(*) AS n FROM session s ${where}`).get(params) as { n: number };
    return row.n;
  }

  listSessions(filter: SessionFilter, offset: number, limit: number): SessionRow[] {
    const { where, params } = filterClause(filter);
    const sql = `SELECT ${SESSION_COLUMNS} FROM session s ${where}
      ORDER BY s.updated_at DESC NULLS LAST, s.id LIMIT @limit OFFSET @offset`;
    const rows = this.statements.get(sql).all({ ...params, limit, offset }) as SessionRecord[];
    return rows.map(rowToSession);
  }

  getSession(id: string): SessionRow | undefined {
    const row = this.statements.get(`SELECT ${SESSION_COLUMNS} FROM session s WHERE s.id = ?`).get(id) as
      | SessionRecord
      | undefined;
    return row && rowToSession(row);
  }

  /** Sessions whose id starts with `prefix` (at most `limit`), for `show SESSION` with a short id. */
  findSessionsByPrefix(prefix: string, limit = 2): SessionRow[] {
    const rows = this.statements
      .get(`SELECT ${SESSION_COLUMNS} FROM session s WHERE s.id >= @prefix AND s.id < @prefix || char(1114111)
            ORDER BY s.id LIMIT @limit`)
      .all({ prefix, limit }) as SessionRecord[];
    return rows.map(rowToSession);
  }

  getMessage(sessionId: string, seq: number): MessageRow | undefined {
    const row = this.statements
      .get(`SELECT ${MESSAGE_COLUMNS} FROM message m JOIN source_file f ON f.id = m.source_file_id
            WHERE m.session_id = ? AND m.seq = ?`)
      .get(sessionId, seq) as MessageRecord | undefined;
    return row && rowToMessage(row);
  }

  getMessages(sessionId: string, fromSeq: number, limit: number): MessageRow[] {
    const rows = this.statements
      .get(`SELECT ${MESSAGE_COLUMNS} FROM message m JOIN source_file f ON f.id = m.source_file_id
            WHERE m.session_id = ? AND m.seq >= ? ORDER BY m.seq LIMIT ?`)
      .all(sessionId, fromSeq, limit) as MessageRecord[];
    return rows.map(rowToMessage);
  }

  /** Iterates a whole session in seq order without holding it in memory (exports, `show`). */
  *iterateMessages(sessionId: string, pageSize = 500): Generator<MessageRow> {
    let next = 1;
    for (;;) {
      const page = this.getMessages(sessionId, next, pageSize);
      if (page.length === 0) return;
      yield* page;
      next = page[page.length - 1].seq + 1;
    }
  }

  getScrubBuckets(sessionId: string, buckets: number): ScrubBucket[] {
    const session = this.statements
      .get('SELECT message_count AS n FROM session WHERE id = ?')
      .get(sessionId) as { n: number } | undefined;
    const width = Math.max(1, Math.floor(buckets));
    const out: { toolCalls: number; errors: number; compactions: number; messages: number }[] = Array.from({ length: width }, () => ({ toolCalls: 0, errors: 0, compactions: 0, messages: 0 }));
    const total = session?.n ?? 0;
    if (total === 0) return out;
    // One pass over the session's index entries, aggregated in SQLite: O(n) but without materialising rows in JS.
    const rows = this.statements
      .get(`SELECT CAST(((seq - 1) * @width) / @total AS INTEGER) AS bucket,
              count(*) AS messages,
              sum(kind = 'tool-call') AS tool_calls,
              sum(is_error) AS errors,
              sum(kind = 'summary' OR subtype IN ('compact_boundary', 'microcompact_boundary')) AS compactions
            FROM message WHERE session_id = @sessionId GROUP BY bucket`)
      .all({ sessionId, width, total }) as { bucket: number; messages: number; tool_calls: number; errors: number; compactions: number }[];
    for (const r of rows) {
      const b = out[Math.min(width - 1, Math.max(0, r.bucket))];
      b.messages += r.messages;
      b.toolCalls += r.tool_calls;
      b.errors += r.errors;
      b.compactions += r.compactions;
    }
    return out;
  }

  // The search engine (fuse.js, the full-text planner) is loaded the first time it is used: the TUI's first frame
  // does not wait for it.
  async search(options: SearchOptions): Promise<SearchHit[]> {
    const { search } = await import('../search/index.js');
    return search(this.db, { maskSnippet: redactText, ...options });
  }

  async hitsInSession(sessionId: string, query: string): Promise<number[]> {
    const { hitsInSession } = await import('../search/index.js');
    return hitsInSession(this.db, sessionId, query);
  }

  /** Decisions, dead ends and statuses by seq (see search/index.ts factMarkers; the same query, without the engine). */
  factMarkers(sessionId: string): FactMarker[] {
    return this.statements.get(`SELECT seq, kind FROM fact WHERE session_id = ? AND kind <> 'key-file' ORDER BY seq, id`).all(sessionId) as FactMarker[];
  }

  getSecretSpans(messageId: number): FieldSpans | null {
    this.secrets ??= new SecretStore(this.db);
    return this.secrets.spansOf(messageId, DETECTOR_VERSION);
  }

  /** A session's checkpoints in the order they were written. */
  listCheckpoints(sessionId: string): CheckpointRow[] {
    const rows = this.statements
      .get(`SELECT c.id, c.session_id, c.source, c.message_source_id, c.timestamp, c.data, f.path AS source_path, c.byte_offset
            FROM checkpoint c JOIN source_file f ON f.id = c.source_file_id
            WHERE c.session_id = ? ORDER BY c.source_file_id, c.byte_offset`)
      .all(sessionId) as {
      id: number;
      session_id: string;
      source: string;
      message_source_id: string | null;
      timestamp: number | null;
      data: string;
      source_path: string;
      byte_offset: number;
    }[];
    return rows.map((r) => ({
      id: r.id,
      sessionId: r.session_id,
      source: r.source as CheckpointSource,
      messageSourceId: r.message_source_id,
      timestamp: r.timestamp,
      data: r.data,
      sourceFile: r.source_path,
      byteOffset: r.byte_offset,
    }));
  }

  /** The fields restore evidence is read from, for a page of messages (no display text: sessions can be long). */
  getEvidenceMessages(sessionId: string, fromSeq: number, limit: number): EvidenceRow[] {
    return this.statements
      .get(`SELECT seq, source_id AS sourceId, timestamp, kind, tool_name AS toolName, tool_input AS toolInput,
              tool_use_id AS toolUseId, is_error AS isError, data
            FROM message WHERE session_id = ? AND seq >= ? ORDER BY seq LIMIT ?`)
      .all(sessionId, fromSeq, limit)
      .map((r) => {
        const row = r as Omit<EvidenceRow, 'isError'> & { isError: number };
        return { ...row, isError: row.isError !== 0 };
      });
  }

  *iterateEvidenceMessages(sessionId: string, pageSize = 2000): Generator<EvidenceRow> {
    let next = 1;
    for (;;) {
      const page = this.getEvidenceMessages(sessionId, next, pageSize);
      if (page.length === 0) return;
      yield* page;
      next = page[page.length - 1].seq + 1;
    }
  }

  /** Sub-agent sessions spawned by this one. */
  listChildSessionIds(sessionId: string): string[] {
    return (this.statements.get('SELECT id FROM session WHERE parent_id = ? ORDER BY id').all(sessionId) as { id: string }[]).map((r) => r.id);
  }

  /** Counts that change whenever the restore evidence of a session does (for caching plans). */
  evidenceVersion(sessionId: string): string {
    const row = this.statements
      .get(`SELECT (SELECT message_count FROM session WHERE id = @id) AS m,
              (SELECT count(*) FROM checkpoint WHERE session_id = @id) AS c,
              (SELECT count(*) FROM snapshot WHERE session_id = @id) AS s,
              (SELECT count(*) FROM session WHERE parent_id = @id) AS k,
              (SELECT coalesce(sum(message_count), 0) FROM session WHERE parent_id = @id) AS km`)
      .get({ id: sessionId }) as { m: number | null; c: number; s: number; k: number; km: number };
    return `${row.m ?? 0}/${row.c}/${row.s}/${row.k}/${row.km}`;
  }

  /** mantra-tui's own snapshots of a session, in message order. */
  listSnapshots(sessionId: string): SnapshotRow[] {
    return this.statements
      .get(`SELECT id, session_id AS sessionId, seq, repo_root AS repoRoot, commit_hash AS "commit", tree_hash AS tree, timestamp
            FROM snapshot WHERE session_id = ? ORDER BY seq, id`)
      .all(sessionId) as SnapshotRow[];
  }

  /** The highest message a snapshot was taken for, or null. */
  lastSnapshotSeq(sessionId: string): number | null {
    const row = this.statements.get('SELECT max(seq) AS seq FROM snapshot WHERE session_id = ?').get(sessionId) as { seq: number | null };
    return row.seq;
  }

  /** The restore journal, newest first. */
  listRestores(limit = 1000): RestoreRow[] {
    return (this.statements.get(`SELECT * FROM restore_journal ORDER BY created_at DESC, id DESC LIMIT ?`).all(limit) as RestoreRecord[]).map(rowToRestore);
  }

  getRestore(id: number): RestoreRow | undefined {
    const r = this.statements.get('SELECT * FROM restore_journal WHERE id = ?').get(id) as RestoreRecord | undefined;
    return r && rowToRestore(r);
  }

  /** Per-file ingest bookkeeping, for staleness checks. */
  sourceFileStates(): Map<string, { size: number; mtimeMs: number; ino: number }> {
    const rows = this.statements.get('SELECT path, size, mtime_ms, ino FROM source_file').all() as {
      path: string;
      size: number;
      mtime_ms: number;
      ino: number;
    }[];
    return new Map(rows.map((r) => [r.path, { size: r.size, mtimeMs: r.mtime_ms, ino: r.ino }]));
  }
}
