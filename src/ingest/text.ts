/**
 * Small pure helpers every adapter's parser shares: JSON shape guards, capping, one-line summaries, timestamps and
 * placeholders for binary content. Nothing here knows which assistant wrote the input.
 */
import { MAX_TEXT_CHARS } from '../model.js';

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

export function mb(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${(n / 1e3).toFixed(1)} KB`;
}

/** Caps text, saying how much was cut and where the whole of it lives. */
export function capText(text: string, byteOffset: number, max = MAX_TEXT_CHARS): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}\n[… ${mb(text.length - max)} more, cut by mantra-tui; the source line is at byte ${byteOffset}]`;
}

/** Caps JSON text kept for later features (tool inputs, edit data) without a note: it must stay recognisable. */
export function capJson(json: string, max: number): string {
  return json.length > max ? `${json.slice(0, max)}…` : json;
}

/** One line, at most `n` characters. */
export function shorten(s: string, n: number): string {
  const head = s.length > n * 4 ? s.slice(0, n * 4) : s;
  const one = head.replace(/\s+/g, ' ').trim();
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}

/** JSON.stringify that never throws (cycles cannot occur in parsed JSON, but BigInt-free input is not guaranteed). */
export function toJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? '';
  } catch {
    return '';
  }
}

/** Epoch ms from an ISO string or an epoch number (seconds when it is too small to be milliseconds); else null. */
export function parseTimestamp(t: unknown): number | null {
  if (typeof t === 'number' && Number.isFinite(t)) return t < 1e11 ? Math.round(t * 1000) : t;
  if (typeof t !== 'string') return null;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? null : ms;
}

/** `[image: image/png, 12.0 KB]` for inline base64 data: the index never holds the bytes themselves. */
export function binaryPlaceholder(kind: string, mimeType: string | undefined, base64: string | undefined): string {
  // Base64 carries 3 bytes per 4 characters.
  const size = base64 ? `, ${mb(Math.floor((base64.length * 3) / 4))}` : '';
  return `[${kind}: ${mimeType ?? kind}${size}]`;
}

/** A data URL's media type and payload length, without copying the payload. */
export function dataUrlPlaceholder(url: string): string {
  const m = /^data:([^;,]{1,100})[;,]/.exec(url.slice(0, 120));
  const comma = url.indexOf(',');
  const payload = comma >= 0 ? url.length - comma - 1 : 0;
  const type = m ? m[1] : 'image';
  return `[image: ${type}${payload ? `, ${mb(Math.floor((payload * 3) / 4))}` : ''}]`;
}
