/**
 * Unified diffs: parsing the text form, and applying hunks (also Claude's `structuredPatch`, which is the same hunks
 * as objects). Applying is strict about content — every context and removed line must match exactly — and lenient
 * only about position: a hunk may sit a few lines away from where its header says, as `patch` allows, because
 * line numbers drift when earlier edits were made with another tool.
 */
import { applied, failed, joinLines, splitLines, type EditResult } from './result.js';

export interface Hunk {
  readonly oldStart: number;
  readonly oldLines: number;
  readonly newStart: number;
  readonly newLines: number;
  /** Body lines with their marker: `' '` context, `'-'` removed, `'+'` added, `'\\'` no newline at end of file. */
  readonly lines: readonly string[];
}

export interface ParsedUnifiedDiff {
  readonly hunks: Hunk[];
  /** `--- /dev/null`: the diff creates the file. */
  readonly creates: boolean;
  /** `+++ /dev/null`: the diff deletes the file. */
  readonly deletes: boolean;
}

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

export function parseUnifiedDiff(text: string): ParsedUnifiedDiff | { error: string } {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const hunks: Hunk[] = [];
  let creates = false;
  let deletes = false;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    const header = HUNK_HEADER.exec(line);
    if (!header) {
      // File headers and git's extended headers; anything else between hunks is noise we can skip.
      if (line.startsWith('--- ') && /^--- \/dev\/null(\s|$)/.test(line)) creates = true;
      if (line.startsWith('+++ ') && /^\+\+\+ \/dev\/null(\s|$)/.test(line)) deletes = true;
      i++;
      continue;
    }
    const oldLines = header[2] === undefined ? 1 : Number(header[2]);
    const newLines = header[4] === undefined ? 1 : Number(header[4]);
    const body: string[] = [];
    let oldSeen = 0;
    let newSeen = 0;
    i++;
    while (i < lines.length && (oldSeen < oldLines || newSeen < newLines || lines[i].startsWith('\\'))) {
      const l = lines[i];
      const marker = l === '' ? ' ' : l[0];
      if (marker === ' ') {
        oldSeen++;
        newSeen++;
      } else if (marker === '-') oldSeen++;
      else if (marker === '+') newSeen++;
      else if (marker !== '\\') return { error: `unexpected line in hunk ${header[0]}: "${l.slice(0, 40)}"` };
      body.push(l === '' ? ' ' : l);
      i++;
    }
    if (oldSeen !== oldLines || newSeen !== newLines) return { error: `hunk ${header[0]} is shorter than its header says` };
    hunks.push({ oldStart: Number(header[1]), oldLines, newStart: Number(header[3]), newLines, lines: body });
  }
  if (hunks.length === 0 && !creates && !deletes) return { error: 'no hunks in the diff' };
  return { hunks, creates, deletes };
}

interface Sides {
  readonly oldSeq: string[];
  readonly newSeq: string[];
  readonly oldNoNewline: boolean;
  readonly newNoNewline: boolean;
}

function sides(hunk: Hunk): Sides {
  const oldSeq: string[] = [];
  const newSeq: string[] = [];
  let oldNoNewline = false;
  let newNoNewline = false;
  let last = ' ';
  for (const l of hunk.lines) {
    const marker = l[0] ?? ' ';
    const body = l.slice(1);
    if (marker === '\\') {
      if (last === '-' || last === ' ') oldNoNewline = true;
      if (last === '+' || last === ' ') newNoNewline = true;
      continue;
    }
    if (marker === ' ' || marker === '-') oldSeq.push(body);
    if (marker === ' ' || marker === '+') newSeq.push(body);
    last = marker;
  }
  return { oldSeq, newSeq, oldNoNewline, newNoNewline };
}

function matchesAt(lines: readonly string[], at: number, seq: readonly string[]): boolean {
  if (at < 0 || at + seq.length > lines.length) return false;
  for (let k = 0; k < seq.length; k++) if (lines[at + k] !== seq[k]) return false;
  return true;
}

/** Nearest position at or after `floor` where `seq` matches, searching outward from `expected`. */
function locate(lines: readonly string[], seq: readonly string[], expected: number, floor: number): number {
  const maxStart = lines.length - seq.length;
  if (maxStart < floor) return -1;
  const start = Math.min(Math.max(expected, floor), maxStart);
  for (let d = 0; start - d >= floor || start + d <= maxStart; d++) {
    if (start + d <= maxStart && matchesAt(lines, start + d, seq)) return start + d;
    if (d > 0 && start - d >= floor && matchesAt(lines, start - d, seq)) return start - d;
  }
  return -1;
}

/** Applies hunks in order. The text is `''` for a file that does not exist yet (a diff that creates it). */
export function applyHunks(text: string, hunks: readonly Hunk[]): EditResult {
  const { lines, eofNewline } = splitLines(text);
  const out: string[] = [];
  let pos = 0;
  let drift = 0;
  let newEofNewline = eofNewline;
  for (const hunk of hunks) {
    const s = sides(hunk);
    // A hunk that removes nothing inserts after line oldStart; otherwise it starts at line oldStart.
    const expected = (s.oldSeq.length === 0 ? hunk.oldStart : hunk.oldStart - 1) + drift;
    const at = locate(lines, s.oldSeq, expected, pos);
    if (at === -1) return failed(`hunk @@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@ does not match the file`);
    for (let k = pos; k < at; k++) out.push(lines[k]);
    for (const l of s.newSeq) out.push(l);
    pos = at + s.oldSeq.length;
    drift = at - (s.oldSeq.length === 0 ? hunk.oldStart : hunk.oldStart - 1);
    if (pos === lines.length && (s.oldSeq.length > 0 || lines.length === 0 || s.newSeq.length > 0)) {
      // The hunk reaches the end of the file, so its markers decide the final newline.
      if (s.newNoNewline) newEofNewline = false;
      else if (s.oldNoNewline || lines.length === 0) newEofNewline = s.newSeq.length > 0;
    }
  }
  for (let k = pos; k < lines.length; k++) out.push(lines[k]);
  return applied(joinLines(out, out.length > 0 && newEofNewline));
}
