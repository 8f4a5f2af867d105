/**
 * Full-text search over messages (FTS5, bm25). A query's matches are walked newest-indexed first and at most
 * CANDIDATE_WINDOW of them (after scope filtering) are ranked: a rare word is ranked over all its matches, a word
 * in half the corpus costs the same as one in a few thousand messages. Scores within 5 % of each other count as
 * ties and are broken by recency.
 */
import type { Agent } from '../model.js';
import type { StatementCache } from '../store/statements.js';
import type { QueryTerm } from './query.js';
import { makeSnippet } from './snippet.js';
import type { SearchHit, SearchScope } from './types.js';

export const CANDIDATE_WINDOW = 1000;
/** How much of a hit's text and tool input is read back to cut its snippet. */
const SNIPPET_SOURCE_CHARS = 65_536;
/** Score bands: ranks within one band are ties, ordered newest first. */
const BANDS = 20;

export interface Candidate {
  readonly id: number;
  /** bm25: negative, lower is better. */
  readonly rank: number;
}

export interface RankedCandidate extends Candidate {
  /** rank relative to the best candidate, in (0, 1]. */
  readonly score: number;
  readonly timestamp: number | null;
}

/**
 * Orders candidates by bm25 band, then newest first, then newest row; keeps `limit`. Timestamps are asked for only
 * for the candidates of the bands that can make the cut (pure given `timestamps`).
 */
export function rankCandidates(
  candidates: readonly Candidate[],
  limit: number,
  timestamps: (ids: readonly number[]) => ReadonlyMap<number, number | null>,
): RankedCandidate[] {
  if (candidates.length === 0) return [];
  let best = 0;
  for (const c of candidates) if (c.rank < best) best = c.rank;
  const banded = candidates
    .map((c) => {
      const score = best < 0 ? Math.max(1e-6, c.rank / best) : 1;
      return { ...c, score, band: Math.round(score * BANDS) };
    })
    .sort((a, b) => b.band - a.band);
  let cut = Math.min(limit, banded.length);
  while (cut < banded.length && banded[cut].band === banded[cut - 1].band) cut++;
  const contenders = banded.slice(0, cut);
  const ts = timestamps(contenders.map((c) => c.id));
  return contenders
    .map((c) => ({ ...c, timestamp: ts.get(c.id) ?? null }))
    .sort((a, b) => b.band - a.band || (b.timestamp ?? -Infinity) - (a.timestamp ?? -Infinity) || b.id - a.id)
    .slice(0, limit)
    .map(({ band: _band, ...c }) => c);
}

/** Timestamps of messages by id (primary-key lookups). */
export function messageTimestamps(statements: StatementCache, ids: readonly number[]): Map<number, number | null> {
  const get = statements.get('SELECT timestamp FROM message WHERE id = ?');
  const out = new Map<number, number | null>();
  for (const id of ids) out.set(id, (get.get(id) as { timestamp: number | null } | undefined)?.timestamp ?? null);
  return out;
}

/** A session's message ids in seq order are increasing (rows are only ever appended), so it spans [first, last]. */
export function sessionIdRange(statements: StatementCache, sessionId: string): [number, number] | null {
  const lo = statements.get('SELECT id FROM message WHERE session_id = ? ORDER BY seq LIMIT 1').get(sessionId) as { id: number } | undefined;
  const hi = statements.get('SELECT id FROM message WHERE session_id = ? ORDER BY seq DESC LIMIT 1').get(sessionId) as { id: number } | undefined;
  return lo && hi ? [lo.id, hi.id] : null;
}

interface ScopeSql {
  /** ` AND …` conditions (empty when unscoped). */
  readonly where: string;
  readonly params: Record<string, unknown>;
}

/**
 * Scope filters as SQL fragments over `s` (session) and, with `overMessages`, a rowid range of `f` (the message
 * index) for a one-session scope. A fixed set of shapes, so the statements cache. Null: nothing can match.
 */
export function scopeSql(statements: StatementCache, scope: SearchScope, overMessages: boolean): ScopeSql | null {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (scope.sessionId) {
    where.push('s.id = @sessionId');
    params.sessionId = scope.sessionId;
    if (overMessages) {
      const range = sessionIdRange(statements, scope.sessionId);
      if (!range) return null; // no messages: nothing can match
      where.push('f.rowid BETWEEN @lo AND @hi');
      params.lo = range[0];
      params.hi = range[1];
    }
  }
  if (scope.agent) {
    where.push('s.agent = @agent');
    params.agent = scope.agent;
  }
  if (scope.project) {
    // A project is a directory: sessions started in it or anywhere below it belong to it.
    where.push("(s.project = @project OR substr(s.project, 1, length(@project) + 1) = @project || '/')");
    params.project = scope.project.replace(/\/+$/, '') || '/';
  }
  return { where: where.map((w) => ` AND ${w}`).join(''), params };
}

/** The best-ranked candidates for a MATCH expression within a scope. */
export function fullTextCandidates(statements: StatementCache, match: string, scope: SearchScope, window = CANDIDATE_WINDOW): Candidate[] {
  const filter = scopeSql(statements, scope, true);
  if (!filter) return [];
  // CROSS JOIN fixes the loop order: the FTS index drives, rows are looked up by primary key.
  const scoped = filter.where !== '';
  const sql = scoped
    ? `SELECT f.rowid AS id, bm25(message_fts) AS rank
       FROM message_fts f CROSS JOIN message m ON m.id = f.rowid CROSS JOIN session s ON s.id = m.session_id
       WHERE message_fts MATCH @match${filter.where} ORDER BY f.rowid DESC LIMIT @window`
    : `SELECT rowid AS id, bm25(message_fts) AS rank FROM message_fts
       WHERE message_fts MATCH @match ORDER BY rowid DESC LIMIT @window`;
  return statements.get(sql).all({ ...filter.params, match, window }) as Candidate[];
}

interface HitRecord {
  session_id: string;
  seq: number;
  timestamp: number | null;
  text: string;
  tool_input: string | null;
  agent: string;
  project: string | null;
  title: string | null;
  summary: string | null;
}

/** JSON escapes in a tool input, as the index saw them: spaces. */
function unescapeJsonText(s: string): string {
  return s.replace(/\\[nrt"\\/]/g, ' ');
}

/** Turns ranked candidates into hits with snippets. */
export function messageHits(
  statements: StatementCache,
  ranked: readonly RankedCandidate[],
  terms: readonly QueryTerm[],
  mask: (s: string) => string,
): SearchHit[] {
  const get = statements.get(
    `SELECT m.session_id, m.seq, m.timestamp, substr(m.text, 1, ${SNIPPET_SOURCE_CHARS}) AS text,
       substr(m.tool_input, 1, ${SNIPPET_SOURCE_CHARS}) AS tool_input, s.agent, s.project, s.title, s.summary
     FROM message m JOIN session s ON s.id = m.session_id WHERE m.id = ?`,
  );
  const hits: SearchHit[] = [];
  for (const c of ranked) {
    const r = get.get(c.id) as HitRecord | undefined;
    if (!r) continue;
    let snippet = makeSnippet(r.text, terms, { mask });
    if (!snippet.hit && r.tool_input) {
      const inInput = makeSnippet(unescapeJsonText(r.tool_input), terms, { mask });
      // The hit is in the tool call's input: say which call, then show the input around it.
      const call = snippet.plain.length > 60 ? `${snippet.plain.slice(0, 59)}…` : snippet.plain;
      if (inInput.hit) snippet = { hit: true, marked: `${call} · input: ${inInput.marked}`, plain: `${call} · input: ${inInput.plain}` };
    }
    hits.push({
      sessionId: r.session_id,
      seq: r.seq,
      kind: 'message',
      score: c.score,
      snippet: snippet.marked,
      plainSnippet: snippet.plain,
      timestamp: r.timestamp,
      agent: r.agent as Agent,
      project: r.project,
      sessionTitle: r.summary ?? r.title,
    });
  }
  return hits;
}

/** Every seq of a session whose message matches, in order (for n/N in the timeline). */
export function sessionHitSeqs(statements: StatementCache, sessionId: string, match: string): number[] {
  const range = sessionIdRange(statements, sessionId);
  if (!range) return [];
  const rows = statements
    .get(`SELECT m.seq AS seq FROM message_fts f CROSS JOIN message m ON m.id = f.rowid
          WHERE message_fts MATCH @match AND f.rowid BETWEEN @lo AND @hi AND m.session_id = @sessionId
          ORDER BY f.rowid`)
    .all({ match, lo: range[0], hi: range[1], sessionId }) as { seq: number }[];
  return rows.map((r) => r.seq);
}
