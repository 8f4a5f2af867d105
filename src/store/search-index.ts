/**
 * Draining the full-text queue. Appending a message only queues its id (message_fts_pending, filled by a trigger);
 * the writer tokenizes queued messages here in transactions of FLUSH_ROWS, which FTS5 indexes about twice as fast
 * as many small ones. The ingest pass flushes whenever FLUSH_ROWS messages have piled up and once at its end, so
 * search lags a first index by at most that many messages and a live append not at all after its pass.
 */
import type Database from 'better-sqlite3';
import { hasStaleFacts } from './facts.js';
import { StatementCache } from './statements.js';

/** Messages tokenized per transaction. */
export const FLUSH_ROWS = 20_000;

/**
 * What the index holds for a message: its text, then a tool call's input with JSON escapes turned into spaces
 * ("\nimport" must index as "import", not "nimport").
 */
const BODY_SQL = String.raw`m.text || CASE WHEN m.tool_input IS NULL THEN '' ELSE char(10) ||
  replace(replace(replace(replace(m.tool_input, '\n', ' '), '\t', ' '), '\"', ' '), '\\', ' ') END`;

/** Messages appended but not yet searchable. */
export function pendingSearchRows(db: Database.Database): number {
  return (db.prepare('SELECT count(*) AS n FROM message_fts_pending').get() as { n: number }).n;
}

export class SearchIndexWriter {
  private appendedSinceFlush = 0;

  constructor(
    private readonly db: Database.Database,
    private readonly statements: StatementCache = new StatementCache(db),
  ) {}

  noteAppended(n: number): void {
    this.appendedSinceFlush += n;
  }

  /** Flushes when enough messages have been appended since the last flush; returns how many were indexed. */
  flushIfDue(): number {
    return this.appendedSinceFlush >= FLUSH_ROWS ? this.flush() : 0;
  }

  /** Tokenizes every queued message, FLUSH_ROWS per transaction; returns how many. */
  flush(): number {
    let total = 0;
    for (;;) {
      const done = this.db
        .transaction(() => {
          const last = this.statements.get('SELECT id FROM message_fts_pending ORDER BY id LIMIT 1 OFFSET ?').get(FLUSH_ROWS - 1) as
            | { id: number }
            | undefined;
          const bound = last?.id ?? Number.MAX_SAFE_INTEGER;
          const n = (this.statements.get('SELECT count(*) AS n FROM message_fts_pending WHERE id <= ?').get(bound) as { n: number }).n;
          if (n > 0) {
            this.statements
              .get(`INSERT INTO message_fts (rowid, body) SELECT m.id, ${BODY_SQL}
                    FROM message_fts_pending p JOIN message m ON m.id = p.id WHERE p.id <= ? ORDER BY p.id`)
              .run(bound);
            this.statements.get('DELETE FROM message_fts_pending WHERE id <= ?').run(bound);
          }
          return { n, more: last !== undefined };
        })
        .immediate();
      total += done.n;
      if (!done.more) break;
    }
    this.appendedSinceFlush = 0;
    return total;
  }
}

/** Whether an index pass has derived work to do even if no source changed: queued full text or stale facts. */
export function needsIndexPass(db: Database.Database): boolean {
  return db.prepare('SELECT 1 FROM message_fts_pending LIMIT 1').get() !== undefined || hasStaleFacts(db);
}
