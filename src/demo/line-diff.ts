/**
 * One hunk between two versions of a text file, on its lines (a final newline ends the last line, it is not an
 * empty line of its own). The demo's writers turn it into each assistant's edit records: Codex patches, unified
 * diffs, Cursor diff chunks. Pure.
 */

export interface LineHunk {
  /** 1-based; for an empty side, the line before which the change sits (unified-diff convention: 0 when at the top). */
  readonly oldStart: number;
  readonly oldLines: number;
  readonly newStart: number;
  readonly newLines: number;
  /** Context lines (` `), then removed (`-`), then added (`+`), then context again. */
  readonly lines: readonly string[];
}

export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The one hunk covering everything that differs, with up to `context` unchanged lines each side; null when equal. */
export function lineHunk(before: string, after: string, context = 3): LineHunk | null {
  if (before === after) return null;
  const a = splitLines(before);
  const b = splitLines(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const from = Math.max(0, head - context);
  const after0 = Math.min(tail, context);
  const lines = [
    ...a.slice(from, head).map((l) => ` ${l}`),
    ...a.slice(head, a.length - tail).map((l) => `-${l}`),
    ...b.slice(head, b.length - tail).map((l) => `+${l}`),
    ...a.slice(a.length - tail, a.length - tail + after0).map((l) => ` ${l}`),
  ];
  const oldLines = a.length - tail + after0 - from;
  const newLines = b.length - tail + after0 - from;
  return { oldStart: oldLines === 0 ? from : from + 1, oldLines, newStart: newLines === 0 ? from : from + 1, newLines, lines };
}

/** `@@ -a,b +c,d @@` and the hunk's lines, newline-terminated. */
export function unifiedHunk(h: LineHunk): string {
  return `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@\n${h.lines.map((l) => `${l}\n`).join('')}`;
}

/** A unified diff of one file (`--- a/x`, `+++ b/x`, one hunk); empty when nothing changed. */
export function unifiedDiff(before: string | null, after: string | null, oldName: string, newName: string): string {
  const h = lineHunk(before ?? '', after ?? '');
  if (!h) return '';
  return `--- ${before === null ? '/dev/null' : oldName}\n+++ ${after === null ? '/dev/null' : newName}\n${unifiedHunk(h)}`;
}
