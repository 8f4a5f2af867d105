/**
 * Text helpers shared by the extractors. Everything here is linear in its input and bounded: extractors only ever
 * look at the head of a message (TEXT_WINDOW), so a megabyte tool output costs the same as a short one.
 */

/** How much of a message's text the extractors read. Decisions and statuses live in the first screens of a reply. */
export const TEXT_WINDOW = 16_384;
/** How much of a tool output is scanned for failure markers. */
export const OUTPUT_WINDOW = 4096;
export const MAX_FACT_CHARS = 200;
export const MAX_DETAIL_CHARS = 1500;
/** Longer "sentences" are data or code pasted as prose; no pattern is tried on them. */
const MAX_SENTENCE_CHARS = 600;

export function head(text: string, n = TEXT_WINDOW): string {
  return text.length > n ? text.slice(0, n) : text;
}

/** Straight quotes, so patterns need one spelling of "don't". */
export function normalizeQuotes(s: string): string {
  return s.replace(/[\u2018\u2019\u02bc]/g, "'").replace(/[\u201c\u201d]/g, '"');
}

/** Collapses whitespace and cuts to `max` characters with an ellipsis. */
export function oneLine(s: string, max = MAX_FACT_CHARS): string {
  // Only the head can show: collapsing whitespace in a whole tool output to keep 120 characters is wasted work.
  const one = (s.length > max * 8 ? s.slice(0, max * 8) : s).replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1).trimEnd()}…` : one;
}

export function clip(s: string, max = MAX_DETAIL_CHARS): string {
  const t = s.trim();
  return t.length > max ? `${t.slice(0, max - 1).trimEnd()}…` : t;
}

export interface ProseLine {
  /** The line without markdown markers (heading hashes, bullets, checkboxes, bold). */
  readonly text: string;
  readonly heading: boolean;
  readonly bullet: boolean;
}

const FENCE = /^(?:```|~~~)/;
const HEADING = /^#{1,6}\s+/;
const BULLET = /^(?:[-*+•]|\d{1,3}[.)])\s+(?:\[[ xX]\]\s+)?/;

/** Strips emphasis markers and a trailing colon-less bold wrapper: `**Done:**` → `Done:`. */
function stripEmphasis(s: string): string {
  return s.replace(/\*\*|__/g, '').trim();
}

/**
 * The prose lines of a markdown text: fenced code blocks, table rows and quotes dropped (they hold code, data and
 * other people's words, not what the writer is saying), markdown markers stripped.
 */
export function proseLines(text: string): ProseLine[] {
  const out: ProseLine[] = [];
  let inFence = false;
  for (const raw of normalizeQuotes(text).split('\n')) {
    const t = raw.trim();
    if (FENCE.test(t)) {
      inFence = !inFence;
      continue;
    }
    if (inFence || !t || t.startsWith('|') || t.startsWith('>')) continue;
    // Indented four spaces or a tab under no list: a code block.
    if (/^(?: {4}|\t)/.test(raw) && !BULLET.test(t)) continue;
    const heading = HEADING.test(t);
    const bullet = !heading && BULLET.test(t);
    const body = stripEmphasis(t.replace(HEADING, '').replace(BULLET, ''));
    if (body) out.push({ text: body, heading, bullet });
  }
  return out;
}

/** Splits a line into sentences at `.`, `!` or `?` followed by space; short abbreviations stay joined. */
export function sentences(line: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if ((c === '.' || c === '!' || c === '?') && (i + 1 === line.length || line[i + 1] === ' ')) {
      const piece = line.slice(start, i + 1).trim();
      // "e.g.", "i.e.", "vs." and version numbers do not end a sentence.
      if (/(?:\b(?:e\.g|i\.e|vs|etc|cf)\.)$/i.test(piece)) continue;
      if (piece) out.push(piece);
      start = i + 1;
    }
  }
  const rest = line.slice(start).trim();
  if (rest) out.push(rest);
  return out.filter((s) => s.length <= MAX_SENTENCE_CHARS);
}

/** Inline code spans replaced by a placeholder, so words inside code (`git status`, `decision`) never trigger. */
export function maskInlineCode(s: string): string {
  return s.replace(/`[^`\n]*`/g, 'CODE');
}

export interface Sentence {
  readonly original: string;
  /** With inline code masked, for matching. */
  readonly masked: string;
}

/** Prose sentences of a text, each with its code-masked form for matching. */
export function proseSentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  for (const line of proseLines(head(text))) {
    for (const s of sentences(line.text)) out.push({ original: s, masked: maskInlineCode(s) });
  }
  return out;
}

/** Fast 53-bit string hash (cyrb53): identifies edit texts in the extractor state without storing them. */
export function hash53(s: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}
