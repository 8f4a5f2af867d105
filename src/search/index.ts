/**
 * The search entry points the UI and the CLI call. `search` answers from the full-text index (messages), the fuzzy
 * engine (facts and session titles) or both, behind one result shape; callers never pick an engine.
 */
import type Database from 'better-sqlite3';
import type { FactKind } from '../facts/types.js';
import { StatementCache } from '../store/statements.js';
import { expandedMatch, expandedTerms, fullTextCandidates, messageHits, messageTimestamps, rankCandidates, sessionHitSeqs } from './fulltext.js';
import { fuzzyHits, recentFacts } from './fuzzy.js';
import { parseQuery } from './query.js';
import type { FactRow, SearchHit, SearchOptions } from './types.js';

export { MARK_END, MARK_START, unmark } from './snippet.js';
import { makeSnippet } from './snippet.js';
export { parseQuery, toFtsMatch } from './query.js';
export * from './types.js';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 1000;

const caches = new WeakMap<Database.Database, StatementCache>();
function statementsFor(db: Database.Database): StatementCache {
  let c = caches.get(db);
  if (!c) {
    c = new StatementCache(db);
    caches.set(db, c);
  }
  return c;
}

const identity = (s: string) => s;

/**
 * Searches the index. With `kind: 'all'` (the default): facts and session titles matching the query with typos
 * tolerated come first (at most half the list when messages match too), then messages matching every term, by
 * bm25 with recency breaking ties. With a fact kind: only facts of that kind (an empty query lists the newest).
 */
export function search(db: Database.Database, options: SearchOptions): SearchHit[] {
  const statements = statementsFor(db);
  const kind = options.kind ?? 'all';
  const scope = options.scope ?? {};
  const limit = Math.max(1, Math.min(MAX_LIMIT, Math.floor(options.limit ?? DEFAULT_LIMIT)));
  const mask = options.maskSnippet ?? identity;
  const query = options.query.trim();
  if (kind !== 'all') {
    return query ? fuzzyHits(statements, query, kind, scope, limit, mask) : recentFacts(statements, kind, scope, limit, mask);
  }
  if (!query) return [];
  const facts = fuzzyHits(statements, query, 'all', scope, limit, mask);
  const messages = searchMessages(db, { ...options, query, scope, limit, maskSnippet: mask });
  const factShare = messages.length ? Math.min(facts.length, Math.ceil(limit / 2)) : facts.length;
  const out = facts.slice(0, factShare).concat(messages.slice(0, limit - factShare));
  return out.length < limit ? out.concat(facts.slice(factShare, factShare + limit - out.length)) : out;
}

/** Messages only, by full text (every term must match), best first: the engine behind `search`'s message hits. */
export function searchMessages(db: Database.Database, options: Omit<SearchOptions, 'kind'>): SearchHit[] {
  const statements = statementsFor(db);
  const limit = Math.max(1, Math.min(MAX_LIMIT, Math.floor(options.limit ?? DEFAULT_LIMIT)));
  const terms = parseQuery(options.query);
  const termMatches = expandedTerms(statements, terms);
  if (!termMatches) return [];
  const ranked = rankCandidates(fullTextCandidates(statements, termMatches, options.scope ?? {}), limit, (ids) => messageTimestamps(statements, ids));
  return messageHits(statements, ranked, terms, options.maskSnippet ?? identity);
}

/** Seqs of the session's messages matching `query` (every term), in timeline order: for n/N. */
export function hitsInSession(db: Database.Database, sessionId: string, query: string): number[] {
  const statements = statementsFor(db);
  const match = expandedMatch(statements, parseQuery(query));
  return match ? sessionHitSeqs(statements, sessionId, match) : [];
}

interface FactRecord {
  id: number;
  session_id: string;
  seq: number;
  kind: string;
  text: string;
  detail: string | null;
  timestamp: number | null;
  extractor_version: number;
}

/**
 * A session's facts: decisions, dead ends and statuses in timeline order, then its key files, most touched first
 * (the order they were ranked in).
 */
export function factsOfSession(db: Database.Database, sessionId: string): FactRow[] {
  const rows = statementsFor(db)
    .get(`SELECT x.id, x.session_id, x.seq, x.kind, x.text, x.detail, x.timestamp, x.extractor_version
          FROM fact x WHERE x.session_id = ? ORDER BY x.kind = 'key-file', CASE WHEN x.kind = 'key-file' THEN x.id ELSE x.seq END, x.id`)
    .all(sessionId) as FactRecord[];
  return rows.map((r) => ({
    id: r.id,
    sessionId: r.session_id,
    seq: r.seq,
    kind: r.kind as FactKind,
    text: r.text,
    detail: r.detail,
    timestamp: r.timestamp,
    extractorVersion: r.extractor_version,
  }));
}


/**
 * Whether a message's fields, once masked, still show a term of `query`: a hit that matched only inside a secret's
 * value is not one to show or step to (n / N in the timeline).
 */
export function visibleMatch(fields: readonly (string | null)[], query: string, mask: (text: string) => string): boolean {
  const terms = parseQuery(query);
  if (terms.length === 0) return false;
  return fields.some((f) => f !== null && makeSnippet(mask(f), terms).hit);
}
