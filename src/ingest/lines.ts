/**
 * Reading complete lines from a file descriptor in bounded memory. A partial last line (the agent is still
 * writing it) is never delivered: the returned offset stops before it, and the next pass starts there.
 */
import fs from 'node:fs';

export interface LineReadResult {
  /** Offset just past the last complete line consumed. */
  readonly endOffset: number;
  readonly lines: number;
  /** Lines longer than maxLineBytes, skipped without being buffered. */
  readonly oversized: number;
}

export interface LineReadOptions {
  readonly maxLineBytes?: number;
  readonly bufferSize?: number;
  /** Do not read past this offset (the size observed when the pass began). */
  readonly endOffset?: number;
}

const NEWLINE = 0x0a;

export function readLines(
  fd: number,
  startOffset: number,
  onLine: (line: string, offset: number) => boolean | void,
  opts: LineReadOptions = {},
): LineReadResult {
  const maxLine = opts.maxLineBytes ?? 64 * 1024 * 1024;
  const limit = opts.endOffset ?? Number.MAX_SAFE_INTEGER;
  let buf = Buffer.allocUnsafe(opts.bufferSize ?? 1024 * 1024);
  let filled = 0; // bytes of buf holding unread data, starting at fileOffset - filled... see below
  let bufStart = startOffset; // file offset of buf[0]
  let readPos = startOffset; // next file offset to read
  let endOffset = startOffset;
  let lines = 0;
  let oversized = 0;
  let skipping = false; // inside an oversized line: discard until its newline

  for (;;) {
    if (filled === buf.length) {
      // The line in the buffer is longer than the buffer: grow up to the cap, or start skipping it.
      if (buf.length < maxLine) {
        const bigger = Buffer.allocUnsafe(Math.min(maxLine, buf.length * 2));
        buf.copy(bigger, 0, 0, filled);
        buf = bigger;
      } else {
        skipping = true;
        bufStart += filled;
        filled = 0;
      }
    }
    const want = Math.min(buf.length - filled, limit - readPos);
    if (want <= 0) break;
    let n: number;
    try {
      n = fs.readSync(fd, buf, filled, want, readPos);
    } catch {
      break; // the file vanished or became unreadable mid-read: keep what we have
    }
    if (n === 0) break;
    readPos += n;
    let scanFrom = filled;
    filled += n;
    let lineStart = 0;
    for (;;) {
      const nl = buf.indexOf(NEWLINE, scanFrom);
      if (nl === -1 || nl >= filled) break;
      const lineOffset = bufStart + lineStart;
      scanFrom = nl + 1;
      const consumedTo = bufStart + nl + 1;
      if (skipping) {
        skipping = false;
        oversized++;
      } else {
        let end = nl;
        if (end > lineStart && buf[end - 1] === 0x0d) end--;
        lines++;
        const keepGoing = onLine(buf.toString('utf8', lineStart, end), lineOffset);
        if (keepGoing === false) return { endOffset: consumedTo, lines, oversized };
      }
      endOffset = consumedTo;
      lineStart = nl + 1;
    }
    // Move the unfinished tail to the front of the buffer.
    if (lineStart > 0) {
      buf.copy(buf, 0, lineStart, filled);
      filled -= lineStart;
      bufStart += lineStart;
    }
  }
  return { endOffset, lines, oversized };
}
