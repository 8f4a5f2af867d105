/** Small pure helpers shared by the Cursor and Antigravity parsers. */
import { MAX_DATA_CHARS, MAX_TEXT_CHARS, type FileEdit, type MessageKind, type ParsedMessage, type Role } from '../model.js';

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** JSON.parse that returns undefined instead of throwing. */
export function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Epoch ms from an ISO-8601 string or an epoch-ms number; null when neither. */
export function toMs(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v) && v > 0) return Math.floor(v);
  if (typeof v !== 'string' || !v) return null;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? null : ms;
}

/** One line, whitespace collapsed, cut to `n` characters with an ellipsis. */
export function shorten(s: string, n: number): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}

/** The session title a prompt gives: its first 200 characters on one line; null when it has no text. */
export function titleOf(text: string): string | null {
  const head = text.length > 4000 ? text.slice(0, 4000) : text;
  const t = shorten(head, 200);
  return t ? t : null;
}

/** JSON text of a value, or '' when it cannot be serialized (cycles do not occur in parsed JSON; BigInt might). */
export function jsonText(v: unknown): string {
  try {
    return JSON.stringify(v) ?? '';
  } catch {
    return '';
  }
}

/** A message with every optional field defaulted. */
export function makeMessage(
  fields: Partial<ParsedMessage> & { sourceId: string; role: Role; kind: MessageKind; text: string },
): ParsedMessage {
  return {
    parentId: null,
    timestamp: null,
    toolName: null,
    toolInput: null,
    toolUseId: null,
    files: [],
    isError: false,
    isSidechain: false,
    subtype: null,
    data: null,
    byteOffset: 0,
    ...fields,
  };
}

/**
 * Fills missing timestamps by linear interpolation between the known neighbours. `start` and `end` bound the list:
 * a leading run of unknowns starts at `start`, a trailing run ends at `end` (so a list with no known time at all runs
 * from `start` to `end`); a run between two known times lies strictly between them. Known values are kept. Pure.
 */
export function interpolateTimestamps(known: readonly (number | null)[], start: number | null, end: number | null): (number | null)[] {
  const out = [...known];
  const n = out.length;
  let i = 0;
  while (i < n) {
    if (out[i] !== null) {
      i++;
      continue;
    }
    let j = i;
    while (j < n && out[j] === null) j++;
    const leading = i === 0;
    const trailing = j === n;
    const lo = leading ? start : out[i - 1];
    const hi = trailing ? end : out[j];
    if (lo === null || hi === null) {
      const v = lo ?? hi;
      if (v !== null) for (let k = i; k < j; k++) out[k] = v;
    } else {
      const len = j - i;
      for (let k = i; k < j; k++) {
        let f: number;
        if (leading && trailing) f = len === 1 ? 0 : (k - i) / (len - 1);
        else if (leading) f = (k - i) / len;
        else if (trailing) f = (k - i + 1) / len;
        else f = (k - i + 1) / (len + 1);
        out[k] = Math.round(lo + (hi - lo) * f);
      }
    }
    i = j;
  }
  return out;
}

/**
 * `{"edits": …}` as tool-call data (the FileEdit contract in model.ts), or null when there are none. Edits too large to
 * keep are dropped with a flag rather than cut: a cut edit would restore the wrong bytes.
 */
export function editsData(edits: readonly FileEdit[]): string | null {
  if (edits.length === 0) return null;
  const json = JSON.stringify({ edits });
  return json.length <= MAX_DATA_CHARS ? json : JSON.stringify({ edits: [], truncated: true });
}

function mb(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${(n / 1e3).toFixed(1)} KB`;
}

/** Caps text read from a database value, saying how much was cut and which value holds all of it. */
export function capValue(text: string, where: string, max = MAX_TEXT_CHARS): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}\n[… ${mb(text.length - max)} more, cut by mantra-tui; the whole of it is in ${where}]`;
}
