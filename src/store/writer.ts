/**
 * Write side of the index. Only the ingester writes, through one of these, so there is one writer per database.
 * Callers group work in `transaction()`; the messages of a batch and the source offset they reach are committed
 * together, which is what makes a killed ingest resume exactly where its last commit left off.
 */
import type Database from 'better-sqlite3';
import type { FactMessage } from '../facts/types.js';
import type { Agent, ParsedCheckpoint, ParsedMessage } from '../model.js';
import type { RestoreRow } from './rows.js';
import { FactWriter } from './facts.js';
import { SearchIndexWriter } from './search-index.js';
import { StatementCache } from './statements.js';

export interface SourceFileState {
  readonly id: number;
  readonly path: string;
  readonly agent: Agent;
  readonly dev: number;
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
  readonly readOffset: number;
  readonly headHash: string | null;
  /** Adapter-owned JSON (what it must remember between passes). */
  readonly state: string | null;
  readonly gone: boolean;
}

export interface SessionUpsert {
  readonly id: string;
  readonly agent: Agent;
  readonly parentId?: string | null;
  readonly project?: string | null;
  readonly gitBranch?: string | null;
  /** Commit checked out when the session started (Codex `session_meta.git.commit_hash`). */
  readonly gitCommit?: string | null;
  /** Remote URL of that repository (Codex `session_meta.git.repository_url`). */
  readonly gitRepo?: string | null;
  /** Version of the assistant that wrote the log. */
  readonly agentVersion?: string | null;
}

interface SourceFileRecord {
  id: number;
  path: string;
  agent: string;
  dev: number;
  ino: number;
  size: number;
  mtime_ms: number;
  read_offset: number;
  head_hash: string | null;
  state: string | null;
  gone: number;
}

function rowToSourceFile(r: SourceFileRecord): SourceFileState {
  return {
    id: r.id,
    path: r.path,
    agent: r.agent as Agent,
    dev: r.dev,
    ino: r.ino,
    size: r.size,
    mtimeMs: r.mtime_ms,
    readOffset: r.read_offset,
    headHash: r.head_hash,
    state: r.state,
    gone: r.gone !== 0,
  };
}

export class IndexWriter {
  private readonly statements: StatementCache;
  /** Sessions whose rows changed since `takeTouched` was last called, for live listeners. */
  private readonly touched = new Set<string>();
  /** Facts follow messages: every append is folded into the session's facts in the same transaction. */
  private readonly facts: FactWriter;
  /** Appended messages are queued for the full-text index and tokenized in large batches (search-index.ts). */
  private readonly searchIndex: SearchIndexWriter;

  constructor(readonly db: Database.Database) {
    this.statements = new StatementCache(db);
    this.facts = new FactWriter(db, this.statements);
    this.searchIndex = new SearchIndexWriter(db, this.statements);
  }

  /** Makes every appended message searchable; returns how many were tokenized. Call outside a transaction. */
  flushSearchIndex(): number {
    return this.searchIndex.flush();
  }

  /** Flushes the full-text queue once enough has been appended since the last flush (between files of a pass). */
  flushSearchIndexIfDue(): number {
    return this.searchIndex.flushIfDue();
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  getSourceFile(path: string): SourceFileState | undefined {
    const row = this.statements.get('SELECT * FROM source_file WHERE path = ?').get(path) as SourceFileRecord | undefined;
    return row && rowToSourceFile(row);
  }

  listSourceFiles(agent: Agent): SourceFileState[] {
    const rows = this.statements.get('SELECT * FROM source_file WHERE agent = ?').all(agent) as SourceFileRecord[];
    return rows.map(rowToSourceFile);
  }

  /** Returns the file's row, creating it (offset 0) when new. */
  ensureSourceFile(path: string, agent: Agent): SourceFileState {
    this.statements.get('INSERT INTO source_file (path, agent) VALUES (?, ?) ON CONFLICT(path) DO NOTHING').run(path, agent);
    return this.getSourceFile(path)!;
  }

  saveSourceFile(f: Omit<SourceFileState, 'path' | 'agent'>): void {
    this.statements
      .get(`UPDATE source_file SET dev = @dev, ino = @ino, size = @size, mtime_ms = @mtimeMs, read_offset = @readOffset,
              head_hash = @headHash, state = @state, gone = @gone, indexed_at = @now WHERE id = @id`)
      .run({ ...f, gone: f.gone ? 1 : 0, now: Date.now() });
  }

  markSourceGone(id: number): void {
    this.statements.get('UPDATE source_file SET gone = 1 WHERE id = ?').run(id);
    const sessions = this.statements.get('SELECT session_id AS id FROM session_source WHERE source_file_id = ?').all(id) as { id: string }[];
    for (const { id: sessionId } of sessions) this.touched.add(sessionId);
  }

  /** Sessions changed since the last call (messages added or removed, titles, sources gone); clears the set. */
  takeTouched(): string[] {
    const out = [...this.touched];
    this.touched.clear();
    return out;
  }

  /**
   * Forgets what was read from a file (it was rewritten or truncated), so it can be read again from the start.
   * Sessions keep their other files' messages; their seq numbers are closed up again.
   */
  resetSourceFile(id: number): void {
    const sessions = this.statements
      .get('SELECT DISTINCT session_id AS id FROM message WHERE source_file_id = ?')
      .all(id) as { id: string }[];
    this.statements.get('DELETE FROM message WHERE source_file_id = ?').run(id);
    this.statements.get('DELETE FROM checkpoint WHERE source_file_id = ?').run(id);
    this.statements.get('UPDATE source_file SET read_offset = 0, state = NULL, head_hash = NULL WHERE id = ?').run(id);
    for (const { id: sessionId } of sessions) {
      this.renumber(sessionId);
      this.touched.add(sessionId);
      // Facts point at seqs that just moved: rebuilt on the session's next append or at the end of the pass.
      this.facts.invalidate(sessionId);
    }
  }

  /** Marks a session's facts for re-extraction (for an adapter that rewrites messages in place). */
  invalidateFacts(sessionId: string): void {
    this.facts.invalidate(sessionId);
  }

  /**
   * Extracts facts for every session that has none yet or has them from an older extractor version (after an
   * upgrade, a reset, or messages written before facts existed). Called at the end of each index pass.
   */
  refreshStaleFacts(): number {
    return this.facts.refreshStale();
  }

  private renumber(sessionId: string): void {
    // Two steps through negative numbers so the UNIQUE(session_id, seq) index never sees a collision.
    this.statements
      .get(`UPDATE message SET seq = -ranked.n
            FROM (SELECT id, row_number() OVER (ORDER BY seq) AS n FROM message WHERE session_id = ?) AS ranked
            WHERE message.id = ranked.id`)
      .run(sessionId);
    this.statements.get('UPDATE message SET seq = -seq WHERE session_id = ? AND seq < 0').run(sessionId);
    this.refreshSessionStats(sessionId);
  }

  /** Recomputes count and time range from the messages themselves. */
  refreshSessionStats(sessionId: string): void {
    this.statements
      .get(`UPDATE session SET
              message_count = (SELECT count(*) FROM message WHERE session_id = @id),
              started_at = (SELECT min(timestamp) FROM message WHERE session_id = @id),
              updated_at = (SELECT max(timestamp) FROM message WHERE session_id = @id)
            WHERE id = @id`)
      .run({ id: sessionId });
  }

  upsertSession(s: SessionUpsert, sourceFileId: number): void {
    this.statements
      .get(`INSERT INTO session (id, agent, parent_id, project, git_branch, git_commit, git_repo, agent_version)
            VALUES (@id, @agent, @parentId, @project, @gitBranch, @gitCommit, @gitRepo, @agentVersion)
            ON CONFLICT(id) DO UPDATE SET
              parent_id = coalesce(session.parent_id, excluded.parent_id),
              project = coalesce(session.project, excluded.project),
              git_branch = coalesce(excluded.git_branch, session.git_branch),
              git_commit = coalesce(session.git_commit, excluded.git_commit),
              git_repo = coalesce(session.git_repo, excluded.git_repo),
              agent_version = coalesce(excluded.agent_version, session.agent_version)`)
      .run({ parentId: null, project: null, gitBranch: null, gitCommit: null, gitRepo: null, agentVersion: null, ...s });
    this.statements
      .get('INSERT OR IGNORE INTO session_source (session_id, source_file_id) VALUES (?, ?)')
      .run(s.id, sourceFileId);
  }

  setSessionTitleIfMissing(sessionId: string, title: string): void {
    if (this.statements.get('UPDATE session SET title = ? WHERE id = ? AND title IS NULL').run(title, sessionId).changes) this.touched.add(sessionId);
  }

  setSessionSummary(sessionId: string, summary: string): void {
    const changed = this.statements.get('UPDATE session SET summary = ? WHERE id = ? AND summary IS NOT ?').run(summary, sessionId, summary).changes;
    if (changed) this.touched.add(sessionId);
  }

  /**
   * Fills session facts that are still unknown (project, parent) without creating the session: facts learned from a
   * side file (Cursor's workspace DBs, Antigravity's summaries) may arrive before or after the session's messages.
   */
  fillSessionFacts(sessionId: string, facts: { readonly project?: string | null; readonly parentId?: string | null }): void {
    this.statements
      .get(`UPDATE session SET project = coalesce(project, @project), parent_id = coalesce(parent_id, @parentId)
            WHERE id = @id AND ((project IS NULL AND @project IS NOT NULL) OR (parent_id IS NULL AND @parentId IS NOT NULL))`)
      .run({ id: sessionId, project: facts.project ?? null, parentId: facts.parentId ?? null });
  }

  /**
   * Drops a session's messages from `fromSeq` on (sources that rewrite a conversation in place, such as Cursor's
   * databases, re-derive its tail) and recomputes the session's counts. Returns how many were removed.
   */
  deleteMessagesFrom(sessionId: string, fromSeq: number): number {
    const removed = this.statements.get('DELETE FROM message WHERE session_id = ? AND seq >= ?').run(sessionId, fromSeq).changes;
    if (removed > 0) {
      this.refreshSessionStats(sessionId);
      this.touched.add(sessionId);
      this.facts.invalidate(sessionId);
    }
    return removed;
  }

  /** Replaces one message's structured payload (an edit learned from a later result). */
  updateMessageData(sessionId: string, sourceId: string, data: string | null): void {
    // New data has not been scanned for secrets.
    const changed = this.statements
      .get('UPDATE message SET data = ?, secrets_version = NULL WHERE session_id = ? AND source_id = ?')
      .run(data, sessionId, sourceId).changes;
    if (changed) this.touched.add(sessionId);
  }

  nextSeq(sessionId: string): number {
    const row = this.statements.get('SELECT max(seq) AS s FROM message WHERE session_id = ?').get(sessionId) as {
      s: number | null;
    };
    return (row.s ?? 0) + 1;
  }

  hasMessage(sessionId: string, sourceId: string): boolean {
    return this.statements.get('SELECT 1 FROM message WHERE session_id = ? AND source_id = ?').get(sessionId, sourceId) !== undefined;
  }

  toolNameFor(sessionId: string, toolUseId: string): string | null {
    const row = this.statements
      .get("SELECT tool_name FROM message WHERE session_id = ? AND tool_use_id = ? AND kind = 'tool-call' LIMIT 1")
      .get(sessionId, toolUseId) as { tool_name: string | null } | undefined;
    return row?.tool_name ?? null;
  }

  /**
   * Appends messages to a session in order, numbering them from `firstSeq`. A message whose source id the session
   * already holds is a duplicate (resumed or forked logs repeat entries) and is dropped; returns how many landed.
   */
  appendMessages(sessionId: string, sourceFileId: number, firstSeq: number, messages: readonly ParsedMessage[]): number {
    const insert = this.statements.get(`INSERT INTO message (session_id, seq, source_id, parent_id, timestamp, role, kind,
        text, tool_name, tool_input, tool_use_id, files, is_error, is_sidechain, subtype, data, source_file_id, byte_offset)
      VALUES (@sessionId, @seq, @sourceId, @parentId, @timestamp, @role, @kind, @text, @toolName, @toolInput, @toolUseId,
        @files, @isError, @isSidechain, @subtype, @data, @sourceFileId, @byteOffset)
      ON CONFLICT(session_id, source_id) DO NOTHING`);
    let seq = firstSeq;
    let minTs: number | null = null;
    let maxTs: number | null = null;
    const landed: FactMessage[] = [];
    for (const m of messages) {
      const result = insert.run({
        sessionId,
        seq,
        sourceId: m.sourceId,
        parentId: m.parentId,
        timestamp: m.timestamp,
        role: m.role,
        kind: m.kind,
        text: m.text,
        toolName: m.toolName,
        toolInput: m.toolInput,
        toolUseId: m.toolUseId,
        files: m.files.length ? JSON.stringify(m.files) : null,
        isError: m.isError ? 1 : 0,
        isSidechain: m.isSidechain ? 1 : 0,
        subtype: m.subtype,
        data: m.data,
        sourceFileId,
        byteOffset: m.byteOffset,
      });
      if (result.changes === 0) continue;
      landed.push({ ...m, seq, data: m.kind === 'tool-call' ? m.data : null });
      seq++;
      if (m.timestamp !== null) {
        if (minTs === null || m.timestamp < minTs) minTs = m.timestamp;
        if (maxTs === null || m.timestamp > maxTs) maxTs = m.timestamp;
      }
    }
    const added = seq - firstSeq;
    if (added > 0) {
      this.touched.add(sessionId);
      this.statements
        .get(`UPDATE session SET message_count = message_count + @added,
                started_at = CASE WHEN @minTs IS NULL THEN started_at ELSE min(coalesce(started_at, @minTs), @minTs) END,
                updated_at = CASE WHEN @maxTs IS NULL THEN updated_at ELSE max(coalesce(updated_at, @maxTs), @maxTs) END
              WHERE id = @sessionId`)
        .run({ added, minTs, maxTs, sessionId });
    }
    this.facts.appended(sessionId, landed);
    this.searchIndex.noteAppended(added);
    return added;
  }

  /** Records a checkpoint; the same source line recorded twice is kept once. */
  addCheckpoint(sessionId: string, sourceFileId: number, c: ParsedCheckpoint): void {
    this.statements
      .get(`INSERT INTO checkpoint (session_id, source, message_source_id, timestamp, data, source_file_id, byte_offset)
            VALUES (@sessionId, @source, @messageSourceId, @timestamp, @data, @sourceFileId, @byteOffset)
            ON CONFLICT(source_file_id, byte_offset, source) DO NOTHING`)
      .run({ sessionId, sourceFileId, ...c });
  }

  // Lookups that link one source to another (Gemini checkpoints to their sessions, project hashes to paths).

  /** Distinct project paths the index knows, any assistant. */
  knownProjects(): string[] {
    const rows = this.statements.get('SELECT DISTINCT project FROM session WHERE project IS NOT NULL').all() as { project: string }[];
    return rows.map((r) => r.project);
  }

  /** Sessions of `agent` read at least partly from a file whose path starts with `dirPrefix`, with their time range. */
  sessionsReadUnder(agent: Agent, dirPrefix: string): { id: string; startedAt: number | null; updatedAt: number | null }[] {
    return this.statements
      .get(`SELECT DISTINCT s.id, s.started_at AS startedAt, s.updated_at AS updatedAt
            FROM session s JOIN session_source ss ON ss.session_id = s.id JOIN source_file f ON f.id = ss.source_file_id
            WHERE s.agent = @agent AND substr(f.path, 1, length(@prefix)) = @prefix`)
      .all({ agent, prefix: dirPrefix }) as { id: string; startedAt: number | null; updatedAt: number | null }[];
  }

  /** Tool calls named `toolName` in the given sessions with a timestamp in [from, to]. */
  toolCallsBetween(sessionIds: readonly string[], toolName: string, from: number, to: number): { sessionId: string; sourceId: string; timestamp: number; files: string[] }[] {
    const rows = this.statements
      .get(`SELECT session_id AS sessionId, source_id AS sourceId, timestamp, files FROM message
            WHERE session_id IN (SELECT value FROM json_each(@ids)) AND kind = 'tool-call' AND tool_name = @toolName
              AND timestamp BETWEEN @from AND @to`)
      .all({ ids: JSON.stringify(sessionIds), toolName, from, to }) as { sessionId: string; sourceId: string; timestamp: number; files: string | null }[];
    return rows.map((r) => ({ ...r, files: r.files ? (JSON.parse(r.files) as string[]) : [] }));
  }

  /** Records a working-tree snapshot taken for a message; the first one recorded for a message is kept. */
  addSnapshot(s: { sessionId: string; seq: number; repoRoot: string; commit: string; tree: string; timestamp: number }): void {
    this.statements
      .get(`INSERT INTO snapshot (session_id, seq, repo_root, commit_hash, tree_hash, timestamp, created_at)
            VALUES (@sessionId, @seq, @repoRoot, @commit, @tree, @timestamp, @now)
            ON CONFLICT(session_id, seq, repo_root) DO NOTHING`)
      .run({ ...s, now: Date.now() });
  }

  /** Mirrors a restore journal entry (inserted on first sight of its file, updated after); returns its id. */
  saveRestore(r: Omit<RestoreRow, 'id'>): number {
    this.statements
      .get(`INSERT INTO restore_journal (journal_file, session_id, seq, mode, state, repo_root, target, branch, backup_commit,
              undo_of, undone_by, written, created, deleted, refused, created_at, completed_at)
            VALUES (@journalFile, @sessionId, @seq, @mode, @state, @repoRoot, @target, @branch, @backupCommit, @undoOf,
              @undoneBy, @written, @created, @deleted, @refused, @createdAt, @completedAt)
            ON CONFLICT(journal_file) DO UPDATE SET state = excluded.state, backup_commit = excluded.backup_commit,
              undone_by = excluded.undone_by, written = excluded.written, created = excluded.created,
              deleted = excluded.deleted, refused = excluded.refused, completed_at = excluded.completed_at,
              branch = excluded.branch, target = excluded.target`)
      .run({ ...r, refused: JSON.stringify(r.refused) });
    return this.restoreIdOf(r.journalFile)!;
  }

  /** The journal row mirroring a journal file, if any. */
  restoreIdOf(journalFile: string): number | null {
    const row = this.statements.get('SELECT id FROM restore_journal WHERE journal_file = ?').get(journalFile) as { id: number } | undefined;
    return row?.id ?? null;
  }

  counts(): { sessions: number; messages: number } {
    const s = this.statements.get('SELECT count(*) AS n FROM session').get() as { n: number };
    const m = this.statements.get('SELECT count(*) AS n FROM message').get() as { n: number };
    return { sessions: s.n, messages: m.n };
  }
}
