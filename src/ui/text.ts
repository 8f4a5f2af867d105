/**
 * Every string that comes from a log is cleaned and measured here before it reaches the screen.
 * Logs carry ANSI colour codes, cursor movement, carriage-return progress bars, BiDi overrides and wide characters;
 * any of them drawn raw would tear the frame. Widths are terminal cells (string-width), never `.length`.
 */
import stringWidth from './string-width.js';

// CSI (ESC [ … final), OSC (ESC ] … BEL|ST), DCS/SOS/PM/APC (ESC P|X|^|_ … ST), two-char escapes (ESC x),
// and their 8-bit forms (CSI = 0x9b, OSC = 0x9d).
const ANSI =
  /(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]|(?:\u001b\]|\u009d)[^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|\u001b[PX^_][^\u001b\u009c]*(?:\u001b\\|\u009c)?|\u001b[ -~]?/g;
// C0 controls but tab and newline, DEL, C1 controls; BiDi embeddings, overrides, isolates and marks.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const TAB_STOP = 4;

/**
 * Text safe to draw: escape sequences and control characters removed, CRLF normalised, and a lone carriage return
 * treated as a terminal would (what follows it overwrites the line, so a progress bar keeps only its last state).
 */
export function sanitize(text: string): string {
  let s = text.replace(ANSI, '');
  if (s.includes('\r')) {
    s = s
      .replace(/\r\n/g, '\n')
      .split('\n')
      .map((line) => {
        const cr = line.lastIndexOf('\r', line.length - 2);
        return (cr >= 0 ? line.slice(cr + 1) : line).replace(/\r/g, '');
      })
      .join('\n');
  }
  return s.replace(CONTROL, '');
}

/** One line for a list cell: whitespace runs (newlines included) collapse to one space. */
export function oneLine(text: string): string {
  return sanitize(text).replace(/\s+/g, ' ').trim();
}

export function cellWidth(text: string): number {
  return PRINTABLE_ASCII.test(text) ? text.length : stringWidth(text);
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Grapheme clusters with their cell widths (a flag or a family emoji is one cluster, two cells). */
function* clusters(text: string): Generator<[string, number]> {
  for (const { segment } of segmenter.segment(text)) yield [segment, stringWidth(segment)];
}

/** Cuts `text` to at most `width` cells, ending with `…` when something was cut. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  if (cellWidth(text) <= width) return text;
  if (PRINTABLE_ASCII.test(text)) return `${text.slice(0, width - 1)}…`;
  let out = '';
  let used = 0;
  for (const [g, w] of clusters(text)) {
    if (used + w > width - 1) break;
    out += g;
    used += w;
  }
  return `${out}…`;
}

/** Cuts from the start, keeping the end: for paths, where the last part names the thing. */
export function truncateStart(text: string, width: number): string {
  if (width <= 0) return '';
  if (cellWidth(text) <= width) return text;
  const parts = [...clusters(text)];
  let out = '';
  let used = 0;
  for (let i = parts.length - 1; i >= 0; i--) {
    const [g, w] = parts[i];
    if (used + w > width - 1) break;
    out = g + out;
    used += w;
  }
  return `…${out}`;
}

/** Pads (or cuts) to exactly `width` cells. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const cut = truncate(text, width);
  const pad = ' '.repeat(Math.max(0, width - cellWidth(cut)));
  return align === 'left' ? cut + pad : pad + cut;
}

function expandTabs(line: string): string {
  if (!line.includes('\t')) return line;
  let out = '';
  let col = 0;
  for (const [g, w] of clusters(line)) {
    if (g === '\t') {
      const n = TAB_STOP - (col % TAB_STOP);
      out += ' '.repeat(n);
      col += n;
    } else {
      out += g;
      col += w;
    }
  }
  return out;
}

/** Hard-wraps one line (no newlines) to `width` cells, preferring to break after a space. */
export function wrapLine(line: string, width: number): string[] {
  const text = expandTabs(line);
  if (width <= 0) return [''];
  if (cellWidth(text) <= width) return [text];
  const rows: string[] = [];
  if (PRINTABLE_ASCII.test(text)) {
    let rest = text;
    while (rest.length > width) {
      const space = rest.lastIndexOf(' ', width);
      const cut = space > width / 2 ? space + 1 : width;
      rows.push(rest.slice(0, cut).trimEnd());
      rest = rest.slice(cut);
    }
    rows.push(rest);
    return rows;
  }
  // Wide or combined characters: by clusters, still breaking after the last space of a row when there is one in
  // its second half (as the ASCII path does).
  let row: [string, number][] = [];
  let used = 0;
  const flush = () => {
    let cut = row.length;
    for (let i = row.length - 1; i > 0; i--) {
      if (row[i][0] === ' ') {
        if (row.slice(0, i).reduce((n, c) => n + c[1], 0) > width / 2) cut = i + 1;
        break;
      }
    }
    rows.push(row.slice(0, cut).map((c) => c[0]).join('').trimEnd());
    row = row.slice(cut);
    used = row.reduce((n, c) => n + c[1], 0);
  };
  for (const cluster of clusters(text)) {
    if (used + cluster[1] > width) flush();
    row.push(cluster);
    used += cluster[1];
  }
  rows.push(row.map((c) => c[0]).join(''));
  return rows;
}

/**
 * Wraps sanitized text into screen rows, stopping once `maxRows` rows exist (a megabyte tool output never needs to
 * be wrapped whole to draw one screen of it). Returns the rows and whether more text remained.
 */
export function wrapText(text: string, width: number, maxRows = Number.POSITIVE_INFINITY): { rows: string[]; more: boolean } {
  const rows: string[] = [];
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    for (const r of wrapLine(text.slice(start, end), width)) {
      if (rows.length >= maxRows) return { rows, more: true };
      rows.push(r);
    }
    start = end + 1;
  }
  return { rows, more: false };
}
