/**
 * Secret spans in the index: which messages still need scanning, where their secrets are, and counts by session and
 * kind. Only positions and kinds are stored, never the values. Written by the single writer (the redaction scanner
 * runs in the ingest worker); read by the screens, search, `scan` and `export`.
 */
import type Database from 'better-sqlite3';
import type { SecretSpan } from '../redact/types.js';
import { StatementCache } from './statements.js';

/** The fields of a message that can hold a secret, as stored. */
export const SECRET_FIELDS = ['text', 'tool_input', 'data'] as const;
export type SecretField = (typeof SECRET_FIELDS)[number];

export interface MessageToScan {
  readonly id: number;
  readonly text: string;
  readonly toolInput: string | null;
  readonly data: string | null;
}

export type FieldSpans = Readonly<Record<SecretField, readonly SecretSpan[]>>;

export interface ScanResult {
  readonly id: number;
  readonly spans: FieldSpans;
}

export const NO_SPANS: FieldSpans = { text: [], tool_input: [], data: [] };

export class SecretStore {
  private readonly statements: StatementCache;

  constructor(readonly db: Database.Database) {
    this.statements = new StatementCache(db);
  }

  /**
   * Messages not scanned with `version`, newest first (what the user is most likely to look at). A pass over many
   * batches gives the last id it got as `beforeId`: the next batch then starts below it instead of walking again past
   * every message already scanned (which made a full pass quadratic). With `maxBytes`, the batch stops before the
   * message that would take it over that many bytes of content (it always holds at least one).
   */
  pending(version: number, limit: number, beforeId?: number, maxBytes = Infinity): MessageToScan[] {
    const params = { version, limit, beforeId: beforeId ?? Number.MAX_SAFE_INTEGER };
    const unscanned = '(secrets_version IS NULL OR secrets_version < @version) AND id < @beforeId';
    if (maxBytes !== Infinity) {
      // Sizes first (octet_length reads no content): a batch of a few multi-MB tool outputs is cut short, so the
      // threads holding it (the writer's and the detector's) stay small.
      const sizes = this.statements
        .get(`SELECT id, octet_length(text) + coalesce(octet_length(tool_input), 0) + coalesce(octet_length(data), 0) AS bytes
              FROM message WHERE ${unscanned} ORDER BY id DESC LIMIT @limit`)
        .all(params) as { id: number; bytes: number }[];
      let taken = 0;
      let bytes = 0;
      while (taken < sizes.length && (taken === 0 || bytes + sizes[taken].bytes <= maxBytes)) bytes += sizes[taken++].bytes;
      params.limit = taken;
    }
    if (params.limit === 0) return [];
    return this.statements
      .get(`SELECT id, text, tool_input AS toolInput, data FROM message WHERE ${unscanned} ORDER BY id DESC LIMIT @limit`)
      .all(params) as MessageToScan[];
  }

  progress(version: number): { scanned: number; total: number } {
    const total = (this.statements.get('SELECT count(*) AS n FROM message').get() as { n: number }).n;
    const scanned = (this.statements.get('SELECT count(*) AS n FROM message WHERE secrets_version >= ?').get(version) as { n: number }).n;
    return { scanned, total };
  }

  /** Replaces the spans of each scanned message and records the version; one transaction per call. */
  save(results: readonly ScanResult[], version: number): void {
    const clear = this.statements.get('DELETE FROM secret_span WHERE message_id = ?');
    const insert = this.statements.get('INSERT INTO secret_span (message_id, field, span_start, span_end, kind) VALUES (?, ?, ?, ?, ?)');
    const mark = this.statements.get('UPDATE message SET secrets_version = ? WHERE id = ?');
    this.db
      .transaction(() => {
        for (const r of results) {
          clear.run(r.id);
          for (const field of SECRET_FIELDS) for (const s of r.spans[field]) insert.run(r.id, field, s.start, s.end, s.kind);
          mark.run(version, r.id);
        }
      })
      .immediate();
  }

  /** A message's stored spans, or null when it was not scanned with `version` (the caller scans it itself). */
  spansOf(messageId: number, version: number): FieldSpans | null {
    const row = this.statements.get('SELECT secrets_version AS v FROM message WHERE id = ?').get(messageId) as { v: number | null } | undefined;
    if (!row || row.v === null || row.v < version) return null;
    const rows = this.statements
      .get('SELECT field, span_start AS start, span_end AS end, kind FROM secret_span WHERE message_id = ? ORDER BY field, span_start')
      .all(messageId) as { field: SecretField; start: number; end: number; kind: string }[];
    const out: Record<SecretField, SecretSpan[]> = { text: [], tool_input: [], data: [] };
    for (const r of rows) out[r.field].push({ start: r.start, end: r.end, kind: r.kind });
    return out;
  }

  /** Secrets found, by session and kind (for `scan`); counts only. */
  countsBySession(): { sessionId: string; kind: string; count: number }[] {
    return this.statements
      .get(`SELECT m.session_id AS sessionId, s.kind, count(*) AS count FROM secret_span s JOIN message m ON m.id = s.message_id
            GROUP BY m.session_id, s.kind ORDER BY m.session_id, count DESC, s.kind`)
      .all() as { sessionId: string; kind: string; count: number }[];
  }
}
