/**
 * The query language users type, parsed into terms and rendered as a safe FTS5 MATCH expression.
 *
 *   words            every word must occur (AND)
 *   "a phrase"       the words in this order, adjacent
 *   prefix*          any word starting with "prefix" (two characters at least)
 *
 * Anything else is text, never syntax: `foo(bar`, `-x`, `AND`, `NEAR`, `col:val` or a stray quote cannot produce an
 * FTS5 syntax error, because every term is emitted as a quoted string. A chunk holding several tokens (`src/cart.ts`,
 * `foo(bar`) becomes a phrase of them, which is exactly how the tokenizer indexed that text.
 */

export interface QueryTerm {
  /** Folded tokens (lower case, no diacritics), matched in order and adjacent when there are several. */
  readonly tokens: readonly string[];
  /** The last token matches as a prefix. */
  readonly prefix: boolean;
}

/** At most this many terms are kept from one query: a pasted paragraph must not become a 500-way AND. */
export const MAX_TERMS = 16;
/** Prefixes shorter than this match as whole words (a one-letter prefix would walk most of the index). */
export const MIN_PREFIX = 2;

const TOKEN = /[\p{L}\p{N}\p{M}\p{Co}]+/gu;

/** Lower case without diacritics, as the unicode61 tokenizer with remove_diacritics folds text. */
export function fold(token: string): string {
  return token.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The tokens of a text as the index sees them (letters and digits; everything else separates). */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(TOKEN)) {
    const t = fold(m[0]);
    if (t) out.push(t);
  }
  return out;
}

function term(text: string, star: boolean): QueryTerm | null {
  const tokens = tokenize(text).slice(0, 8);
  if (tokens.length === 0) return null;
  const prefix = star && tokens[tokens.length - 1].length >= MIN_PREFIX;
  return { tokens, prefix };
}

/** Pure: the terms of a user's query, in order, duplicates dropped. */
export function parseQuery(input: string): QueryTerm[] {
  const terms: QueryTerm[] = [];
  const seen = new Set<string>();
  const add = (t: QueryTerm | null) => {
    if (!t) return;
    const key = `${t.tokens.join(' ')}${t.prefix ? '*' : ''}`;
    if (seen.has(key) || terms.length >= MAX_TERMS) return;
    seen.add(key);
    terms.push(t);
  };
  const s = input.normalize('NFC');
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"') {
      const close = s.indexOf('"', i + 1);
      const end = close < 0 ? s.length : close;
      const star = close >= 0 && s[close + 1] === '*';
      add(term(s.slice(i + 1, end), star));
      i = end + (star ? 2 : 1);
      continue;
    }
    let j = i;
    while (j < s.length && !/\s/.test(s[j]) && s[j] !== '"') j++;
    const chunk = s.slice(i, j);
    add(term(chunk, /\*$/.test(chunk)));
    i = j;
  }
  return terms;
}

/** One term as FTS5 syntax: always a quoted string (tokens never contain quotes), `*` after it for a prefix. */
function ftsTerm(t: QueryTerm): string {
  return `"${t.tokens.join(' ')}"${t.prefix ? '*' : ''}`;
}

/** The MATCH expression requiring every term, or null when the query has nothing searchable. */
export function toFtsMatch(terms: readonly QueryTerm[]): string | null {
  return terms.length ? terms.map(ftsTerm).join(' AND ') : null;
}

/** The MATCH expression accepting any of the given terms (fuzzy candidate narrowing). */
export function toFtsAny(terms: readonly QueryTerm[]): string | null {
  return terms.length ? terms.map(ftsTerm).join(' OR ') : null;
}
