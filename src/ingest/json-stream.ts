/**
 * Reading one JSON document (a top-level object or array) from a file in bounded memory: each top-level member's
 * value, or each element of a chosen array member, is handed over as its own JSON text, so the largest thing held
 * at once is one element, never the document. Used for files that assistants rewrite whole (Gemini's legacy chat
 * files, logs.json, checkpoints). A file cut short (caught mid-write) is reported as `truncated`, not thrown.
 *
 * The scanner works on bytes: every structural character is ASCII, so UTF-8 text inside strings needs no decoding
 * until a value is complete.
 */
import fs from 'node:fs';

export type MemberAction = 'value' | 'elements' | 'skip';

export interface JsonStreamHandlers {
  /** For a top-level object: what to do with member `key` (default `skip`). */
  member?(key: string): MemberAction;
  /** A member's whole value as JSON text (`value` members, and `elements` members whose value is not an array). */
  value?(key: string, json: string): void;
  /** One element of an `elements` member (or of a top-level array, key null) and the byte offset it starts at. */
  element?(key: string | null, json: string, offset: number): void;
  /** A value or element larger than the cap: passed over without being buffered. */
  oversized?(key: string | null, offset: number): void;
}

export type StreamOutcome = 'complete' | 'truncated' | 'invalid';

export interface JsonStreamOptions {
  /** Largest value or element handed over (default 64 MiB). */
  readonly maxValueBytes?: number;
  readonly chunkBytes?: number;
}

const enum S {
  Root,
  KeyOrEnd,
  Key,
  Colon,
  ValueStart,
  InValue,
  AfterValue,
  ElementOrEnd,
  Done,
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/** Streams the JSON document in `fd` (bytes `[0, size)`) through `handlers`. */
export function streamJson(fd: number, size: number, handlers: JsonStreamHandlers, opts: JsonStreamOptions = {}): StreamOutcome {
  const maxValue = opts.maxValueBytes ?? 64 * 1024 * 1024;
  const buf = Buffer.allocUnsafe(opts.chunkBytes ?? 1024 * 1024);
  let state = S.Root;
  let rootIsArray = false;
  let key = '';
  let arrayKey: string | null = null; // the member whose elements are streamed, while inside it
  let inElement = false; // the value being scanned is an element (else a member's value)
  let capture: Buffer[] | null = null; // bytes of the current key/value, null when not kept
  let captured = 0;
  let captureStart = 0; // index in buf where the current chunk's part of the capture starts
  let valueOffset = 0;
  let depth = 0;
  let inString = false;
  let escape = false;
  let tooBig = false;
  let skipBom = true;

  const startCapture = (i: number, keep: boolean) => {
    capture = keep ? [] : null;
    captured = 0;
    captureStart = i;
    tooBig = false;
  };
  const keepChunk = (end: number) => {
    if (capture === null || end <= captureStart) return;
    captured += end - captureStart;
    if (captured > maxValue) {
      capture = null;
      tooBig = true;
      return;
    }
    capture.push(Buffer.from(buf.subarray(captureStart, end)));
  };
  const finishCapture = (end: number): string | null => {
    keepChunk(end);
    const text = capture === null ? null : Buffer.concat(capture).toString('utf8').trim();
    capture = null;
    return text;
  };
  /** The value that started at `valueOffset` ended just before byte i (a `,` or a closing bracket). */
  const endValue = (i: number) => {
    const text = finishCapture(i);
    const owner = inElement ? arrayKey : key;
    if (tooBig) handlers.oversized?.(owner, valueOffset);
    else if (text !== null) {
      if (inElement) handlers.element?.(arrayKey, text, valueOffset);
      else handlers.value?.(key, text);
    }
  };

  let pos = 0;
  while (pos < size && state !== S.Done) {
    let n: number;
    try {
      n = fs.readSync(fd, buf, 0, Math.min(buf.length, size - pos), pos);
    } catch {
      return 'truncated'; // the file vanished or became unreadable mid-read
    }
    if (n === 0) break;
    let i = 0;
    if (skipBom) {
      skipBom = false;
      if (n >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) i = 3;
    }
    captureStart = 0;
    for (; i < n && state !== S.Done; i++) {
      const b = buf[i];
      switch (state) {
        case S.Root:
          if (isSpace(b)) break;
          if (b === 0x7b) state = S.KeyOrEnd;
          else if (b === 0x5b) {
            rootIsArray = true;
            arrayKey = null;
            state = S.ElementOrEnd;
          } else return 'invalid';
          break;
        case S.KeyOrEnd:
          if (isSpace(b) || b === 0x2c) break;
          if (b === 0x7d) state = S.Done;
          else if (b === QUOTE) {
            startCapture(i + 1, true);
            state = S.Key;
          } else return 'invalid';
          break;
        case S.Key:
          if (escape) escape = false;
          else if (b === BACKSLASH) escape = true;
          else if (b === QUOTE) {
            const raw = finishCapture(i) ?? '';
            try {
              key = JSON.parse(`"${raw}"`) as string;
            } catch {
              return 'invalid';
            }
            state = S.Colon;
          }
          break;
        case S.Colon:
          if (isSpace(b)) break;
          if (b !== 0x3a) return 'invalid';
          state = S.ValueStart;
          break;
        case S.ValueStart: {
          if (isSpace(b)) break;
          const action = handlers.member?.(key) ?? 'skip';
          if (action === 'elements' && b === 0x5b) {
            arrayKey = key;
            state = S.ElementOrEnd;
            break;
          }
          inElement = false;
          valueOffset = pos + i;
          startCapture(i, action !== 'skip');
          depth = 0;
          state = S.InValue;
          i--; // scan this byte as part of the value
          break;
        }
        case S.ElementOrEnd:
          if (isSpace(b) || b === 0x2c) break;
          if (b === 0x5d) {
            state = rootIsArray && arrayKey === null ? S.Done : S.AfterValue;
            arrayKey = null;
            break;
          }
          inElement = true;
          valueOffset = pos + i;
          startCapture(i, true);
          depth = 0;
          state = S.InValue;
          i--;
          break;
        case S.InValue:
          if (inString) {
            if (escape) escape = false;
            else if (b === BACKSLASH) escape = true;
            else if (b === QUOTE) inString = false;
            break;
          }
          if (b === QUOTE) inString = true;
          else if (b === 0x7b || b === 0x5b) depth++;
          else if (b === 0x7d || b === 0x5d || b === 0x2c) {
            if (depth > 0) {
              if (b !== 0x2c) depth--;
              break;
            }
            endValue(i);
            if (inElement) {
              if (b === 0x2c) state = S.ElementOrEnd;
              else if (b === 0x5d) {
                state = rootIsArray && arrayKey === null ? S.Done : S.AfterValue;
                arrayKey = null;
              } else return 'invalid';
            } else if (b === 0x2c) state = S.KeyOrEnd;
            else if (b === 0x7d) state = S.Done;
            else return 'invalid';
          }
          break;
        case S.AfterValue:
          if (isSpace(b)) break;
          if (b === 0x2c) state = S.KeyOrEnd;
          else if (b === 0x7d) state = S.Done;
          else return 'invalid';
          break;
      }
    }
    // Whatever is being captured continues into the next chunk.
    if (state === S.Key || state === S.InValue) keepChunk(n);
    pos += n;
  }
  return state === S.Done ? 'complete' : 'truncated';
}
