/**
 * Typo-tolerant search over facts and session titles. fuse.js compares a query with every item it is given, so it
 * is only given a few hundred: each query word is expanded to its near spellings found in the index vocabulary
 * (edit distance 1–2 within words sharing a first or second letter), the FTS index returns the items holding any
 * of those words or their prefixes, and fuse.js ranks that short list.
 */
import Fuse from 'fuse.js';
import type { FactKind } from '../facts/types.js';
import type { Agent } from '../model.js';
import type { StatementCache } from '../store/statements.js';
import { allowedEdits, editDistance } from './edit-distance.js';
import { scopeSql } from './fulltext.js';
import { tokenize, toFtsAny, type QueryTerm } from './query.js';
import { makeSnippet } from './snippet.js';
import type { HitKind, SearchHit, SearchKind, SearchScope } from './types.js';

/** Candidates walked per query (newest first), and how many of the best of them fuse.js ranks. */
const CANDIDATE_WINDOW = 1000;
const FUSE_CANDIDATES = 200;
/** Near spellings kept per query word, closest first; words of a query looked at (a pasted paragraph is cut). */
const NEAR_PER_WORD = 12;
const MAX_WORDS = 8;
const FUSE_THRESHOLD = 0.4;

export interface ExpandedWord {
  readonly word: string;
  /** The word itself (when indexed) and its near spellings, closest first. */
  readonly near: readonly string[];
  /** Whether the word is also tried as a prefix (the user may not have finished typing it). */
  readonly prefix: boolean;
}

/**
 * Near spellings of `word` in the vocabulary (edit distance up to allowedEdits). Typos mostly sit past the first
 * two letters, so words sharing them, or starting with them swapped or with the second or third letter (an extra
 * letter typed), are tried first: a few tiny vocabulary ranges. Only when that finds nothing are all words
 * starting with the first or second letter tried (a wrong first letter).
 */
export function nearSpellings(statements: StatementCache, word: string): string[] {
  const max = allowedEdits(word.length);
  if (max === 0) return [];
  const found: { term: string; d: number }[] = [];
  const seen = new Set<string>();
  const lookup = statements.get(
    'SELECT term FROM fuzzy_vocab WHERE term >= @lo AND term < @hi AND length(term) BETWEEN @minLen AND @maxLen',
  );
  const scan = (prefixes: Iterable<string>) => {
    for (const prefix of prefixes) {
      const rows = lookup.all({ lo: prefix, hi: `${prefix}\u{10ffff}`, minLen: word.length - max, maxLen: word.length + max }) as { term: string }[];
      for (const { term } of rows) {
        if (seen.has(term)) continue;
        seen.add(term);
        const d = editDistance(word, term, max);
        if (d <= max) found.push({ term, d });
      }
    }
  };
  const [a, b, c] = word;
  scan(new Set([a + b, b + a, a + c, b + c]));
  if (found.length === 0) scan(new Set([a, b]));
  found.sort((x, y) => x.d - y.d || (x.term < y.term ? -1 : 1));
  return found.slice(0, NEAR_PER_WORD).map((f) => f.term);
}

/** Each query word (folded, deduplicated) with the indexed terms that stand for it. */
export function expandQuery(statements: StatementCache, query: string): ExpandedWord[] {
  const words = [...new Set(tokenize(query))].slice(0, MAX_WORDS);
  return words.map((word) => {
    const near = nearSpellings(statements, word);
    return { word, near: near.includes(word) ? near : [word, ...near], prefix: word.length >= 3 };
  });
}

/** The single-token terms an expanded query matches (for the FTS candidate query and for marking snippets). */
export function expandedTerms(words: readonly ExpandedWord[]): QueryTerm[] {
  const terms: QueryTerm[] = [];
  for (const w of words) {
    terms.push({ tokens: [w.word], prefix: w.prefix });
    for (const n of w.near) if (n !== w.word) terms.push({ tokens: [n], prefix: false });
  }
  return terms;
}

interface Item {
  readonly key: number;
  readonly sessionId: string;
  readonly seq: number;
  readonly kind: Exclude<HitKind, 'message'>;
  readonly text: string;
  readonly timestamp: number | null;
  readonly agent: Agent;
  readonly project: string | null;
  readonly sessionTitle: string | null;
}

interface FactItemRecord {
  id: number;
  session_id: string;
  seq: number;
  kind: string;
  text: string;
  timestamp: number | null;
  agent: string;
  project: string | null;
  title: string | null;
  summary: string | null;
}

interface TitleItemRecord {
  rowid: number;
  id: string;
  agent: string;
  project: string | null;
  title: string | null;
  summary: string | null;
  updated_at: number | null;
}

function factItem(r: FactItemRecord): Item {
  return {
    key: r.id,
    sessionId: r.session_id,
    seq: r.seq,
    kind: r.kind as FactKind,
    text: r.text,
    timestamp: r.timestamp,
    agent: r.agent as Agent,
    project: r.project,
    sessionTitle: r.summary ?? r.title,
  };
}

function titleItem(r: TitleItemRecord): Item {
  const text = r.summary && r.title && r.summary !== r.title ? `${r.summary} — ${r.title}` : (r.summary ?? r.title ?? '');
  return {
    key: -r.rowid,
    sessionId: r.id,
    seq: 1,
    kind: 'title',
    text,
    timestamp: r.updated_at,
    agent: r.agent as Agent,
    project: r.project,
    sessionTitle: r.summary ?? r.title,
  };
}

const FACT_COLUMNS = `x.id, x.session_id, x.seq, x.kind, x.text, x.timestamp, s.agent, s.project, s.title, s.summary`;
const FACT_FROM = `fact x JOIN session s ON s.id = x.session_id`;

/** Facts and titles holding any of the expanded terms, within kind and scope; the best FUSE_CANDIDATES by bm25. */
function candidates(statements: StatementCache, match: string, kind: SearchKind, scope: SearchScope): Item[] {
  const filter = scopeSql(statements, scope, false);
  if (!filter) return [];
  const kindSql = kind === 'all' ? '' : ' AND x.kind = @kind';
  const factSql =
    filter.where || kindSql
      ? `SELECT f.rowid AS id, bm25(fuzzy_fts) AS rank FROM fuzzy_fts f CROSS JOIN fact x ON x.id = f.rowid
           CROSS JOIN session s ON s.id = x.session_id
         WHERE fuzzy_fts MATCH @match AND f.rowid > 0${kindSql}${filter.where} ORDER BY f.rowid DESC LIMIT @window`
      : `SELECT f.rowid AS id, bm25(fuzzy_fts) AS rank FROM fuzzy_fts f
         WHERE fuzzy_fts MATCH @match AND f.rowid > 0 ORDER BY f.rowid DESC LIMIT @window`;
  const params = { ...filter.params, match, window: CANDIDATE_WINDOW, ...(kind === 'all' ? {} : { kind }) };
  let ranked = statements.get(factSql).all(params) as { id: number; rank: number }[];
  // Titles: only when every kind is wanted and the scope is wider than one session (whose title is known).
  if (kind === 'all' && !scope.sessionId) {
    const titleSql = filter.where
      ? `SELECT f.rowid AS id, bm25(fuzzy_fts) AS rank FROM fuzzy_fts f CROSS JOIN session s ON s.rowid = -f.rowid
         WHERE fuzzy_fts MATCH @match AND f.rowid < 0${filter.where} ORDER BY f.rowid LIMIT @window`
      : `SELECT f.rowid AS id, bm25(fuzzy_fts) AS rank FROM fuzzy_fts f
         WHERE fuzzy_fts MATCH @match AND f.rowid < 0 ORDER BY f.rowid LIMIT @window`;
    ranked = ranked.concat(statements.get(titleSql).all({ ...filter.params, match, window: CANDIDATE_WINDOW }) as { id: number; rank: number }[]);
  }
  ranked.sort((a, b) => a.rank - b.rank || b.id - a.id);
  const getFact = statements.get(`SELECT ${FACT_COLUMNS} FROM ${FACT_FROM} WHERE x.id = ?`);
  const getTitle = statements.get('SELECT rowid, id, agent, project, title, summary, updated_at FROM session WHERE rowid = ?');
  const items: Item[] = [];
  for (const { id } of ranked.slice(0, FUSE_CANDIDATES)) {
    if (id > 0) {
      const r = getFact.get(id) as FactItemRecord | undefined;
      if (r) items.push(factItem(r));
    } else {
      const r = getTitle.get(-id) as TitleItemRecord | undefined;
      if (r) items.push(titleItem(r));
    }
  }
  return items;
}

/** A hit from an item whose text is already masked. */
function toHit(item: Item, score: number, terms: readonly QueryTerm[]): SearchHit {
  const snippet = makeSnippet(item.text, terms, { width: 240 });
  return {
    sessionId: item.sessionId,
    seq: item.seq,
    kind: item.kind,
    score,
    snippet: snippet.marked,
    plainSnippet: snippet.plain,
    timestamp: item.timestamp,
    agent: item.agent,
    project: item.project,
    sessionTitle: item.sessionTitle,
  };
}

/** Facts (of `kind`, or all kinds and session titles) matching `query` with typos tolerated, best first. */
export function fuzzyHits(
  statements: StatementCache,
  query: string,
  kind: SearchKind,
  scope: SearchScope,
  limit: number,
  mask: (s: string) => string,
): SearchHit[] {
  const words = expandQuery(statements, query);
  const terms = expandedTerms(words);
  const match = toFtsAny(terms);
  if (!match) return [];
  // Texts are masked before they are ranked: a fact or title that matches only through a secret's value drops out,
  // so searching for a secret never confirms where it is.
  const items = candidates(statements, match, kind, scope).map((i) => ({ ...i, text: mask(i.text) }));
  if (items.length === 0) return [];
  const fuse = new Fuse(items, {
    keys: ['text'],
    includeScore: true,
    ignoreLocation: true,
    ignoreDiacritics: true,
    useTokenSearch: true,
    threshold: FUSE_THRESHOLD,
  });
  return fuse
    .search(query)
    .map((r) => ({ item: r.item, score: r.score ?? 1 }))
    .sort((a, b) => a.score - b.score || (b.item.timestamp ?? -Infinity) - (a.item.timestamp ?? -Infinity) || b.item.key - a.item.key)
    .slice(0, limit)
    .map(({ item, score }) => toHit(item, Math.max(1e-6, 1 - score), terms));
}

/** The newest facts of one kind within a scope (an empty query with a kind filter lists them). */
export function recentFacts(statements: StatementCache, kind: FactKind, scope: SearchScope, limit: number, mask: (s: string) => string): SearchHit[] {
  const filter = scopeSql(statements, scope, false);
  if (!filter) return [];
  const rows = statements
    .get(`SELECT ${FACT_COLUMNS} FROM ${FACT_FROM} WHERE x.kind = @kind${filter.where}
          ORDER BY x.timestamp DESC NULLS LAST, x.id DESC LIMIT @limit`)
    .all({ ...filter.params, kind, limit }) as FactItemRecord[];
  return rows.map((r) => {
    const item = factItem(r);
    return toHit({ ...item, text: mask(item.text) }, 1, []);
  });
}
