/**
 * Snippets: a short window of a message around its first hit, with every hit in the window marked.
 * The full-text index is contentless, so snippets are cut here from the stored text, matching tokens the way the
 * tokenizer does (folded case and diacritics, prefixes). Pure and bounded: at most SCAN_CHARS are looked at.
 */
import { fold, type QueryTerm } from './query.js';

/** Marks around a hit: control characters no log text keeps (they are stripped from the snippet first). */
export const MARK_START = '\u0001';
export const MARK_END = '\u0002';

export interface Snippet {
  /** With MARK_START … MARK_END around each hit, for the UI to style. */
  readonly marked: string;
  /** The same text without marks, for plain output. */
  readonly plain: string;
  /** Whether a hit was found in the text (a hit may sit in a part the snippet does not show, e.g. a tool input). */
  readonly hit: boolean;
}

export interface SnippetOptions {
  /** Characters of context, roughly (cut at word boundaries). */
  readonly width?: number;
  /** Applied to the window before marking (secret masking); must not add control characters. */
  readonly mask?: (text: string) => string;
}

const SCAN_CHARS = 200_000;
const TOKEN = /[\p{L}\p{N}\p{M}\p{Co}]+/gu;
// ANSI escape sequences, other C0/C1 controls and bidirectional overrides: never in a snippet.
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?/g;
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

interface Tok {
  readonly start: number;
  readonly end: number;
  readonly folded: string;
}

function tokensOf(text: string): Tok[] {
  const out: Tok[] = [];
  for (const m of text.matchAll(TOKEN)) out.push({ start: m.index, end: m.index + m[0].length, folded: fold(m[0]) });
  return out;
}

function tokenMatches(tok: string, want: string, prefix: boolean): boolean {
  return prefix ? tok.startsWith(want) : tok === want;
}

/** Spans [start, end) of every occurrence of any term among `toks` (phrases need adjacent tokens). */
function hitSpans(toks: readonly Tok[], terms: readonly QueryTerm[], firstOnly: boolean): [number, number][] {
  const spans: [number, number][] = [];
  for (let i = 0; i < toks.length; i++) {
    for (const t of terms) {
      const n = t.tokens.length;
      if (i + n > toks.length) continue;
      let ok = true;
      for (let k = 0; k < n && ok; k++) ok = tokenMatches(toks[i + k].folded, t.tokens[k], t.prefix && k === n - 1);
      if (ok) {
        spans.push([toks[i].start, toks[i + n - 1].end]);
        if (firstOnly) return spans;
        break;
      }
    }
  }
  return spans;
}

/** Removes escape sequences and control characters, collapses whitespace. */
export function cleanText(s: string): string {
  return s.replace(ANSI, '').replace(/\s+/g, ' ').replace(CONTROL, '');
}

const WORD_CHAR = /[\p{L}\p{N}\p{M}\p{Co}]/u;

/**
 * The first hit, found by a plain lower-case search for each term's first token and confirmed by tokenizing only
 * around each candidate. Exact for text whose letters fold by lower-casing alone; null when there is none.
 */
function firstHitFast(text: string, terms: readonly QueryTerm[]): [number, number] | null {
  const lower = text.toLowerCase();
  // Lower-casing must keep offsets (it does for nearly all text; not for a few letters such as "İ").
  if (lower.length !== text.length) return null;
  let best: [number, number] | null = null;
  for (const t of terms) {
    const needle = t.tokens[0];
    for (let at = lower.indexOf(needle); at >= 0 && (!best || at < best[0]); at = lower.indexOf(needle, at + 1)) {
      if (at > 0 && WORD_CHAR.test(text[at - 1])) continue;
      const region = text.slice(at, at + 64 * t.tokens.length + 64);
      const span = hitSpans(tokensOf(region), [t], true)[0];
      if (span && span[0] === 0) {
        best = [at, at + span[1]];
        break;
      }
    }
  }
  return best;
}

/** The first hit by tokenizing in growing chunks (any script, diacritics folded), or null. */
function firstHitTokenized(scanned: string, terms: readonly QueryTerm[]): [number, number] | null {
  for (let from = 0, size = 4096; from < scanned.length; from += size, size *= 2) {
    const base = Math.max(0, from - 200); // overlap, so a phrase across the chunk edge is still seen
    const chunkEnd = Math.min(scanned.length, from + size);
    const toks = tokensOf(scanned.slice(base, chunkEnd));
    // A token touching the cut may be the head of a longer word: the next chunk sees it whole.
    if (chunkEnd < scanned.length && toks.length && toks[toks.length - 1].end === chunkEnd - base) toks.pop();
    const span = hitSpans(toks, terms, true)[0];
    if (span) return [span[0] + base, span[1] + base];
  }
  return null;
}

/** Cuts `text` around its first hit and marks every hit in the window. */
export function makeSnippet(text: string, terms: readonly QueryTerm[], options: SnippetOptions = {}): Snippet {
  const width = options.width ?? 160;
  const mask = options.mask ?? ((s: string) => s);
  const scanned = text.length > SCAN_CHARS ? text.slice(0, SCAN_CHARS) : text;
  // A lower-case search finds most hits; where letters may fold otherwise (diacritics, other scripts), the text
  // before that hit is tokenized too, so an earlier "café" for "cafe" is not missed.
  let first = terms.length ? firstHitFast(scanned, terms) : null;
  if (terms.length && /[^\u0000-\u007f]/.test(first ? scanned.slice(0, first[0]) : scanned)) {
    const earlier = firstHitTokenized(first ? scanned.slice(0, first[0] + 1) : scanned, terms);
    if (earlier && (!first || earlier[0] < first[0])) first = earlier;
  }
  const hitStart = first ? first[0] : 0;
  let start = Math.max(0, hitStart - Math.floor(width / 3));
  if (start > 0) {
    const space = scanned.indexOf(' ', start);
    if (space >= 0 && space < hitStart) start = space + 1;
  }
  let end = Math.min(scanned.length, Math.max(start + width, first ? first[1] : 0));
  if (end < scanned.length) {
    const space = scanned.lastIndexOf(' ', end);
    if (space > (first ? first[1] : start)) end = space;
  }
  const windowText = cleanText(mask(scanned.slice(start, end))).trim();
  const lead = start > 0 ? '…' : '';
  const tail = end < text.length ? '…' : '';
  const plain = `${lead}${windowText}${tail}`;
  if (!first) return { marked: plain, plain, hit: false };
  let marked = '';
  let at = 0;
  for (const [s, e] of hitSpans(tokensOf(windowText), terms, false)) {
    marked += windowText.slice(at, s) + MARK_START + windowText.slice(s, e) + MARK_END;
    at = e;
  }
  marked += windowText.slice(at);
  return { marked: `${lead}${marked}${tail}`, plain, hit: true };
}

/** The marked form without marks (for a marked string built elsewhere). */
export function unmark(s: string): string {
  return s.replaceAll(MARK_START, '').replaceAll(MARK_END, '');
}
