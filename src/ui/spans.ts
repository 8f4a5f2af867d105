/**
 * A screen row as styled spans, and how rows are fitted to the terminal's width. Pure: the Ink <Row> draws them, and
 * so does the first paint (paint.ts) before Ink has loaded.
 */
import type { Role } from './theme.js';
import { cellWidth, truncate } from './text.js';

export interface Span {
  readonly text: string;
  readonly role?: Role;
}

/** Cuts spans to `width` cells in total (the last visible one ends with `…`) and pads the rest with spaces. */
export function fitSpans(spans: readonly Span[], width: number): Span[] {
  const out: Span[] = [];
  let used = 0;
  for (const s of spans) {
    if (used >= width) break;
    const w = cellWidth(s.text);
    if (used + w <= width) {
      out.push(s);
      used += w;
    } else {
      const cut = truncate(s.text, width - used);
      out.push({ ...s, text: cut });
      used += cellWidth(cut);
      break;
    }
  }
  if (used < width) out.push({ text: ' '.repeat(width - used) });
  return out;
}

/**
 * Spans in priority order, each kept only while the row still has room for it whole: the status line drops its
 * least important parts on a narrow terminal instead of cutting the important ones.
 */
export function whileFits(spans: readonly Span[], width: number): Span[] {
  const out: Span[] = [];
  let used = 0;
  for (const s of spans) {
    const w = cellWidth(s.text);
    if (used + w > width) continue;
    out.push(s);
    used += w;
  }
  return out;
}

/** Footer hints as spans that `whileFits` can drop one at a time from the end of a row. */
export function hintSpans(hints: readonly string[]): Span[] {
  return hints.map((h, i) => ({ text: i === 0 ? `   ${h}` : ` · ${h}` }));
}

/** One row of a screen: its spans, and the role (selection, status bar) that styles the whole row. */
export interface ScreenLine {
  readonly spans: readonly Span[];
  readonly role?: Role;
  /** A stable React key when the row stands for something (a session). */
  readonly key?: string;
}
