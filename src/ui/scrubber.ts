/**
 * The scrubber: the session drawn as a line, like a video's progress bar. A marker row above it shows where tool
 * calls, errors and compactions happen; the bar shows the played part, the cursor, and what is still ahead.
 * Pure: buckets (aggregated by the store) and a position in, styled cells out.
 */
import type { ScrubBucket } from '../store/rows.js';
import type { Role } from './theme.js';

export interface Cell {
  readonly ch: string;
  readonly role: Role;
}

export const GLYPHS = {
  played: '━',
  rest: '─',
  cursor: '●',
  tool: '·',
  error: '✗',
  compaction: '┃',
  decision: '◆',
  deadEnd: '⊘',
  empty: ' ',
} as const;

/** The bucket (cell) that message `seq` of `count` falls in; the same formula the store aggregates with. */
export function bucketOf(seq: number, count: number, width: number): number {
  if (count <= 0 || width <= 0) return 0;
  return Math.min(width - 1, Math.floor(((seq - 1) * width) / count));
}

/** Decisions and dead ends by cell, for the marker row. */
export function factCells(facts: readonly { seq: number; kind: string }[], count: number, width: number): Map<number, 'decision' | 'dead-end'> {
  const out = new Map<number, 'decision' | 'dead-end'>();
  for (const f of facts) {
    if (f.kind !== 'decision' && f.kind !== 'dead-end') continue;
    const cell = bucketOf(f.seq, count, width);
    // A dead end outranks a decision in the same cell: it is the one people look for.
    if (out.get(cell) !== 'dead-end') out.set(cell, f.kind);
  }
  return out;
}

/**
 * Marker row: the most important thing that happens in each slice of the session — a compaction, then a dead end, a
 * decision, an error, a tool call.
 */
export function markerCells(buckets: readonly ScrubBucket[], facts: ReadonlyMap<number, 'decision' | 'dead-end'> = new Map()): Cell[] {
  return buckets.map((b, i) => {
    if (b.compactions > 0) return { ch: GLYPHS.compaction, role: 'mark.compaction' };
    if (facts.get(i) === 'dead-end') return { ch: GLYPHS.deadEnd, role: 'mark.deadEnd' };
    if (facts.get(i) === 'decision') return { ch: GLYPHS.decision, role: 'mark.decision' };
    if (b.errors > 0) return { ch: GLYPHS.error, role: 'mark.error' };
    if (b.toolCalls > 0) return { ch: GLYPHS.tool, role: 'mark.tool' };
    return { ch: GLYPHS.empty, role: 'text.secondary' };
  });
}

/** Bar row: played up to the cursor, the cursor, the rest. */
export function barCells(width: number, seq: number, count: number): Cell[] {
  const at = bucketOf(seq, count, width);
  return Array.from({ length: width }, (_, i): Cell => {
    if (i === at) return { ch: GLYPHS.cursor, role: 'scrub.cursor' };
    return i < at ? { ch: GLYPHS.played, role: 'scrub.played' } : { ch: GLYPHS.rest, role: 'scrub.rest' };
  });
}

/** Adjacent cells of one role merged into runs, so a row is drawn as a handful of <Text> spans. */
export function runs(cells: readonly Cell[]): { text: string; role: Role }[] {
  const out: { text: string; role: Role }[] = [];
  for (const c of cells) {
    const last = out[out.length - 1];
    if (last && last.role === c.role) last.text += c.ch;
    else out.push({ text: c.ch, role: c.role });
  }
  return out;
}
