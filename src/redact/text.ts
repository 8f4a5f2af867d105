/**
 * Character-level helpers shared by the detector's tiers: character classes, escape-aware boundaries and entropy.
 *
 * Session logs reach the detector in three shapes: decoded text, a raw JSONL line (quotes are `\"`, newlines `\n`)
 * and a doubly escaped Codex line (`\\\"`, `\\n`). The helpers here let every rule treat `\n` as the line break it
 * stands for and stop a secret before the backslashes of an escaped quote, so the three shapes give the same span.
 */

const BACKSLASH = 0x5c;

/** ASCII letters and digits. */
export function isAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** `[A-Za-z0-9_]`, what a regex `\w` means. */
export function isWordChar(c: number): boolean {
  return isAlnum(c) || c === 0x5f;
}

export function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

export function isUpper(c: number): boolean {
  return c >= 0x41 && c <= 0x5a;
}

export function isLower(c: number): boolean {
  return c >= 0x61 && c <= 0x7a;
}

export function isHexChar(c: number): boolean {
  return isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** Spaces and tabs (not line breaks). */
export function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

export function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0b || c === 0x0c;
}

export function isQuote(c: number): boolean {
  return c === 0x22 || c === 0x27 || c === 0x60;
}

/**
 * True when the character at `i` is the letter of an escape sequence such as `\n`, `\t` or `\r` (preceded by a
 * backslash). A token that follows `\n` in a raw JSONL line starts at a boundary even though `n` is a letter.
 */
export function isEscapeLetter(text: string, i: number): boolean {
  if (i < 1 || text.charCodeAt(i - 1) !== BACKSLASH) return false;
  const c = text.charCodeAt(i);
  return c === 0x6e || c === 0x74 || c === 0x72; // n t r
}

/**
 * Length of the line break at `i`, if there is one: a real `\n` / `\r\n`, or an escaped `\n` (`\n`, `\\n`, …)
 * as found in JSON-encoded text. 0 when there is none.
 */
export function lineBreakAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === 0x0a) return 1;
  if (c === 0x0d) return text.charCodeAt(i + 1) === 0x0a ? 2 : 1;
  if (c !== BACKSLASH) return 0;
  let j = i;
  while (j < text.length && text.charCodeAt(j) === BACKSLASH && j - i < 8) j++;
  const e = text.charCodeAt(j);
  if (e === 0x6e) return j + 1 - i; // \n
  if (e === 0x72) {
    // \r\n, possibly escaped as \r\n or \\r\\n
    let k = j + 1;
    const before = k;
    while (k < text.length && text.charCodeAt(k) === BACKSLASH && k - before < 8) k++;
    if (k > before && text.charCodeAt(k) === 0x6e) return k + 1 - i;
    return j + 1 - i;
  }
  return 0;
}

/** Length of a quote at `i`, counting the backslashes that escape it (`"`, `\"`, `\\\"`); 0 when none. */
export function quoteAt(text: string, i: number): number {
  let j = i;
  while (j < text.length && text.charCodeAt(j) === BACKSLASH && j - i < 8) j++;
  return j < text.length && isQuote(text.charCodeAt(j)) ? j + 1 - i : 0;
}

/** The quote character a `quoteAt` match ends with. */
export function quoteCharAt(text: string, i: number, len: number): number {
  return text.charCodeAt(i + len - 1);
}

/** Skips spaces and tabs from `i` (at most `max` characters); returns the new position. */
export function skipBlanks(text: string, i: number, max = 16): number {
  const stop = Math.min(text.length, i + max);
  while (i < stop && isBlank(text.charCodeAt(i))) i++;
  return i;
}

const counts = new Int32Array(65536);
/** Shannon entropy in bits per character of `text.slice(start, end)`. */
export function entropy(text: string, start = 0, end = text.length): number {
  const n = end - start;
  if (n <= 0) return 0;
  for (let i = start; i < end; i++) counts[text.charCodeAt(i)]++;
  let h = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    const k = counts[c];
    if (k > 0) {
      const p = k / n;
      h -= p * Math.log2(p);
      counts[c] = 0;
    }
  }
  return h;
}

export interface CharClasses {
  upper: number;
  lower: number;
  digit: number;
  other: number;
}

/** How many characters of each class a string has. */
export function charClasses(s: string): CharClasses {
  const r = { upper: 0, lower: 0, digit: 0, other: 0 };
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isUpper(c)) r.upper++;
    else if (isLower(c)) r.lower++;
    else if (isDigit(c)) r.digit++;
    else r.other++;
  }
  return r;
}

/** Number of distinct character classes (upper, lower, digit, other) present. */
export function classCount(s: string): number {
  const k = charClasses(s);
  return (k.upper > 0 ? 1 : 0) + (k.lower > 0 ? 1 : 0) + (k.digit > 0 ? 1 : 0) + (k.other > 0 ? 1 : 0);
}

/** Decodes standard or URL-safe base64 (padding optional) to a latin1 string; null when it is not base64. */
export function decodeBase64(s: string): string | null {
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(s)) return null;
  try {
    return Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('latin1');
  } catch {
    return null;
  }
}
