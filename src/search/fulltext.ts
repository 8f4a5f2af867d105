/**
 * Full-text search over messages (FTS5). A query first probes for its newest CANDIDATE_WINDOW + 1 matches by rowid,
 * which costs about the same for a rare word and for one in a third of the corpus. Then:
 * - when every term occurs in at most CANDIDATE_WINDOW messages of the index: all matches are ranked by bm25;
 * - otherwise the newest CANDIDATE_WINDOW matches are ranked by BM25 with binary term frequency (length
 *   normalization only). SQLite's bm25() weighs terms by first counting every message that holds each of them,
 *   which for a common word takes longer than the whole rest of the query; and with every term required in every
 *   candidate, term weights do not change the order anyway: a shorter message holding all the words ranks first.
 * Scores within 5 % of each other count as ties and are broken by recency. Prefix terms are expanded into the
 * indexed words they stand for (at most MAX_PREFIX_WORDS), since the index keeps no prefix entries.
 */
import type { Agent } from '../model.js';
import type { StatementCache } from '../store/statements.js';
import type { QueryTerm } from './query.js';
import { makeSnippet } from './snippet.js';
import type { SearchHit, SearchScope } from './types.js';

export const CANDIDATE_WINDOW = 1000;
/** Words a prefix expands to, first in alphabetical order; a shorter prefix is more likely to reach the cap. */
export const MAX_PREFIX_WORDS = 256;
/** How much of a hit's text is read back to cut its snippet: a head first, then more when the hit is not in it. */
/** Score bands: ranks within one band are ties, ordered newest first. */
const BANDS = 20;
/** FTS5's bm25 parameters. */
const K1 = 1.2;
const B = 0.75;

export interface Candidate {
  readonly id: number;
  /** Negative, lower is better (bm25's convention). */
  readonly rank: number;
}

export interface RankedCandidate extends Candidate {
  /** rank relative to the best candidate, in (0, 1]. */
  readonly score: number;
  readonly timestamp: number | null;
}

/**
 * Orders candidates by rank band, then newest first, then newest row; keeps `limit`. Timestamps are asked for only
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

/**
 * BM25 with every term counted once, as a rank (negative, lower is better): what is left of bm25 when term
 * frequencies are unknown and every candidate holds every term. Pure.
 */
export function binaryBm25Ranks(lengths: readonly { id: number; length: number }[]): Candidate[] {
  if (lengths.length === 0) return [];
  const avg = lengths.reduce((n, l) => n + l.length, 0) / lengths.length || 1;
  return lengths.map(({ id, length }) => ({ id, rank: -((K1 + 1) / (1 + K1 * (1 - B + (B * length) / avg))) }));
}

/** Decodes the SQLite varint at the start of an FTS5 docsize blob: the message's length in tokens. */
export function docsizeTokens(blob: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < Math.min(blob.length, 9); i++) {
    const b = blob[i];
    if (i === 8) return n * 256 + b;
    n = n * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) return n;
  }
  return n;
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

/** Token counts of messages in the index (primary-key lookups in its docsize table). */
function tokenLengths(statements: StatementCache, ids: readonly number[]): { id: number; length: number }[] {
  const get = statements.get('SELECT sz FROM message_fts_docsize WHERE id = ?');
  return ids.map((id) => {
    const row = get.get(id) as { sz: Uint8Array } | undefined;
    return { id, length: row ? docsizeTokens(row.sz) : 0 };
  });
}

/** One term as FTS5 syntax, quoted; a prefix term becomes the OR of its completions, or null when it has none. */
function termSql(statements: StatementCache, t: QueryTerm): string | null {
  const quoted = (tokens: readonly string[]) => `"${tokens.join(' ')}"`;
  if (!t.prefix) return quoted(t.tokens);
  const stem = t.tokens[t.tokens.length - 1];
  const words = statements
    .get(`SELECT term FROM message_vocab WHERE term >= ? AND term < ? LIMIT ${MAX_PREFIX_WORDS}`)
    .all(stem, `${stem}\u{10ffff}`) as { term: string }[];
  if (words.length === 0) return null;
  const head = t.tokens.slice(0, -1);
  return `(${words.map((w) => quoted([...head, w.term])).join(' OR ')})`;
}

/** Each term as a MATCH expression, prefixes expanded; null when some term cannot match (all are required). */
export function expandedTerms(statements: StatementCache, terms: readonly QueryTerm[]): string[] | null {
  if (terms.length === 0) return null;
  const parts: string[] = [];
  for (const t of terms) {
    const sql = termSql(statements, t);
    if (sql === null) return null;
    parts.push(sql);
  }
  return parts;
}

/** The MATCH expression for terms that must all occur, prefixes expanded; null when nothing can match. */
export function expandedMatch(statements: StatementCache, terms: readonly QueryTerm[]): string | null {
  return expandedTerms(statements, terms)?.join(' AND ') ?? null;
}

/** Whether a term occurs in at most `window` messages of the whole index (a probe as cheap as the window). */
function isRare(statements: StatementCache, termMatch: string, window: number): boolean {
  const rows = statements
    .get('SELECT rowid FROM message_fts WHERE message_fts MATCH ? ORDER BY rowid DESC LIMIT ?')
    .all(termMatch, window + 1) as unknown[];
  return rows.length <= window;
}

/**
 * The ranked candidates for terms (as expandedMatch renders them, one MATCH expression each) within a scope: bm25
 * when every term is rare enough for bm25's counting to be cheap, else length-normalized BM25 over the newest
 * matches (see the module comment).
 */
export function fullTextCandidates(statements: StatementCache, termMatches: readonly string[], scope: SearchScope, window = CANDIDATE_WINDOW): Candidate[] {
  if (termMatches.length === 0) return [];
  const filter = scopeSql(statements, scope, true);
  if (!filter) return [];
  // CROSS JOIN fixes the loop order: the FTS index drives, rows are looked up by primary key.
  const from = filter.where
    ? `FROM message_fts f CROSS JOIN message m ON m.id = f.rowid CROSS JOIN session s ON s.id = m.session_id
       WHERE message_fts MATCH @match${filter.where}`
    : 'FROM message_fts f WHERE message_fts MATCH @match';
  const params = { ...filter.params, match: termMatches.join(' AND '), window: window + 1 };
  const probe = statements.get(`SELECT f.rowid AS id ${from} ORDER BY f.rowid DESC LIMIT @window`).all(params) as { id: number }[];
  if (probe.length === 0) return [];
  // bm25() counts, for each term, every message of the whole index holding it: cheap only when every term is rare.
  // An unscoped one-term probe that did not fill the window already proves it.
  const proven = !filter.where && termMatches.length === 1;
  const cheap = probe.length <= window && (proven || termMatches.every((t) => isRare(statements, t, window)));
  if (!cheap) return binaryBm25Ranks(tokenLengths(statements, probe.slice(0, window).map((p) => p.id)));
  return statements.get(`SELECT f.rowid AS id, bm25(message_fts) AS rank ${from} ORDER BY f.rowid DESC LIMIT @window`).all(params) as Candidate[];
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
  // The whole text is masked before the hit is looked for: a secret cut by a window's edge is still masked, and a
  // message that matched only inside a secret's value (someone searched for the secret) is not shown at all.
  const get = statements.get(
    `SELECT m.session_id, m.seq, m.timestamp, m.text, m.tool_input, s.agent, s.project, s.title, s.summary
     FROM message m JOIN session s ON s.id = m.session_id WHERE m.id = ?`,
  );
  const hits: SearchHit[] = [];
  for (const c of ranked) {
    const r = get.get(c.id) as HitRecord | undefined;
    if (!r) continue;
    let snippet = makeSnippet(mask(r.text), terms);
    if (!snippet.hit && r.tool_input) {
      const inInput = makeSnippet(mask(unescapeJsonText(r.tool_input)), terms);
      // The hit is in the tool call's input: say which call, then show the input around it.
      const call = snippet.plain.length > 60 ? `${snippet.plain.slice(0, 59)}…` : snippet.plain;
      if (inInput.hit) snippet = { hit: true, marked: `${call} · input: ${inInput.marked}`, plain: `${call} · input: ${inInput.plain}` };
    }
    if (!snippet.hit) continue;
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
