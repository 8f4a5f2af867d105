/**
 * Keeping each session's facts in step with its messages. The IndexWriter calls `appended` with the messages that
 * landed in a batch: the session's stored extractor state is loaded, only the new messages are folded in, final
 * facts are inserted and the provisional ones (open status, key files) replaced. A session with no state, a state
 * from another extractor version or a gap in seq is re-extracted whole, reading its messages back a page at a time.
 */
import type Database from 'better-sqlite3';
import { EXTRACTOR_VERSION, extractFacts, initialState, type ExtractorState, type ExtractResult } from '../facts/extract.js';
import { TEXT_WINDOW } from '../facts/text.js';
import type { ExtractContext, Fact, FactMessage } from '../facts/types.js';
import { messageCore, type MessageCoreRecord } from './reader.js';
import { StatementCache } from './statements.js';

const PAGE = 1000;

interface StateRecord {
  extractor_version: number;
  last_seq: number;
  state: string;
}

const rowToFactMessage = (r: MessageCoreRecord): FactMessage => messageCore(r);

/** True when some session's facts are missing or from an older extractor: an index pass should run to refresh them. */
export function hasStaleFacts(db: Database.Database): boolean {
  return (
    db
      .prepare(`SELECT 1 FROM session s LEFT JOIN fact_state f ON f.session_id = s.id
                WHERE f.session_id IS NULL OR f.extractor_version <> ? LIMIT 1`)
      .get(EXTRACTOR_VERSION) !== undefined
  );
}

export class FactWriter {
  constructor(
    private readonly db: Database.Database,
    private readonly statements: StatementCache = new StatementCache(db),
  ) {}

  /** Folds messages just appended to a session (consecutive seqs, in order) into its facts. */
  appended(sessionId: string, messages: readonly FactMessage[]): void {
    if (messages.length === 0) return;
    const first = messages[0].seq;
    const row = this.statements
      .get('SELECT extractor_version, last_seq, state FROM fact_state WHERE session_id = ?')
      .get(sessionId) as StateRecord | undefined;
    let state: ExtractorState | null = null;
    if (!row && first === 1) state = initialState();
    else if (row && row.extractor_version === EXTRACTOR_VERSION && row.last_seq === first - 1) {
      try {
        state = JSON.parse(row.state) as ExtractorState;
      } catch {
        state = null; // unreadable: rebuilt from the messages below
      }
    }
    if (!state) return this.reextract(sessionId);
    this.store(sessionId, extractFacts(messages, state, this.contextOf(sessionId)), false);
  }

  /** Forgets a session's facts (its messages were deleted or renumbered); the next append or pass rebuilds them. */
  invalidate(sessionId: string): void {
    this.statements.get('DELETE FROM fact WHERE session_id = ?').run(sessionId);
    this.statements.get('DELETE FROM fact_state WHERE session_id = ?').run(sessionId);
  }

  /** Re-extracts every session whose facts are missing or stale; returns how many. One transaction per session. */
  refreshStale(): number {
    const stale = this.statements
      .get(`SELECT s.id FROM session s LEFT JOIN fact_state f ON f.session_id = s.id
            WHERE f.session_id IS NULL OR f.extractor_version <> ?`)
      .all(EXTRACTOR_VERSION) as { id: string }[];
    for (const { id } of stale) this.db.transaction(() => this.reextract(id)).immediate();
    return stale.length;
  }

  /** Extracts a session's facts from scratch, reading its messages a page at a time (bounded memory). */
  reextract(sessionId: string): void {
    this.statements.get('DELETE FROM fact WHERE session_id = ?').run(sessionId);
    const context = this.contextOf(sessionId);
    const page = this.statements.get(
      `SELECT seq, source_id, parent_id, timestamp, role, kind, substr(text, 1, ${TEXT_WINDOW}) AS text, tool_name,
         CASE WHEN kind = 'tool-call' THEN tool_input END AS tool_input, tool_use_id, files, is_error, is_sidechain,
         subtype, CASE WHEN kind = 'tool-call' THEN data END AS data
       FROM message WHERE session_id = ? AND seq > ? ORDER BY seq LIMIT ${PAGE}`,
    );
    let state = initialState();
    let provisional: Fact[] = [];
    let after = 0;
    for (;;) {
      const rows = page.all(sessionId, after) as MessageCoreRecord[];
      if (rows.length === 0) break;
      const result = extractFacts(rows.map(rowToFactMessage), state, context);
      this.insertFacts(sessionId, result.facts, false);
      state = result.state;
      provisional = result.provisional;
      after = rows[rows.length - 1].seq;
    }
    this.store(sessionId, { facts: [], provisional, state }, true);
  }

  /** What the extractor needs to know of the session: its directory, and whether it is a sub-agent's. */
  private contextOf(sessionId: string): ExtractContext {
    const row = this.statements.get('SELECT project, parent_id FROM session WHERE id = ?').get(sessionId) as
      | { project: string | null; parent_id: string | null }
      | undefined;
    return { project: row?.project ?? null, ownSidechain: row?.parent_id != null };
  }

  private insertFacts(sessionId: string, facts: readonly Fact[], provisional: boolean): void {
    const insert = this.statements.get(`INSERT INTO fact (session_id, seq, kind, text, detail, provisional, extractor_version, timestamp)
      VALUES (@sessionId, @seq, @kind, @text, @detail, @provisional, @version,
        (SELECT timestamp FROM message WHERE session_id = @sessionId AND seq = @seq))`);
    for (const f of facts) {
      insert.run({ sessionId, seq: f.seq, kind: f.kind, text: f.text, detail: f.detail, provisional: provisional ? 1 : 0, version: EXTRACTOR_VERSION });
    }
  }

  private store(sessionId: string, result: ExtractResult, fresh: boolean): void {
    this.insertFacts(sessionId, result.facts, false);
    // Provisional facts change rarely between appends; rewriting them only when they differ spares the fuzzy index.
    const current = fresh
      ? []
      : (this.statements
          .get('SELECT kind, seq, text, detail FROM fact WHERE session_id = ? AND provisional = 1 ORDER BY id')
          .all(sessionId) as Fact[]);
    if (fresh || !sameFacts(current, result.provisional)) {
      if (!fresh) this.statements.get('DELETE FROM fact WHERE session_id = ? AND provisional = 1').run(sessionId);
      this.insertFacts(sessionId, result.provisional, true);
    }
    this.statements
      .get(`INSERT INTO fact_state (session_id, extractor_version, last_seq, state) VALUES (?, ?, ?, ?)
            ON CONFLICT(session_id) DO UPDATE SET extractor_version = excluded.extractor_version,
              last_seq = excluded.last_seq, state = excluded.state`)
      .run(sessionId, EXTRACTOR_VERSION, result.state.lastSeq, JSON.stringify(result.state));
  }
}

function sameFacts(a: readonly Fact[], b: readonly Fact[]): boolean {
  return a.length === b.length && a.every((f, i) => f.kind === b[i].kind && f.seq === b[i].seq && f.text === b[i].text && f.detail === b[i].detail);
}
