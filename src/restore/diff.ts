/**
 * Per-file diffs between two states, as a view-model the UI draws and the CLI prints. Pure.
 * Labels travel with the files: a diff is only as good as the weaker of its two sides.
 */
import { asText } from './content.js';
import { diffLines, type LineOp } from './myers.js';
import type { Label } from './planner.js';

export type DiffStatus = 'added' | 'deleted' | 'modified' | 'renamed' | 'binary' | 'unknown';

export interface DiffLine {
  readonly kind: 'add' | 'del' | 'ctx';
  readonly text: string;
  /** The line is the file's last and has no newline after it. */
  readonly noNewline?: true;
}

export interface DiffHunk {
  /** `@@ -oldStart,oldLines +newStart,newLines @@` */
  readonly header: string;
  readonly lines: readonly DiffLine[];
}

export interface DiffFile {
  readonly path: string;
  /** For a rename: the path the file had before. */
  readonly from?: string;
  readonly label: Label;
  readonly reason?: string;
  readonly status: DiffStatus;
  readonly hunks: readonly DiffHunk[];
  readonly additions: number;
  readonly deletions: number;
  /** One line for what hunks cannot show: binary changes, files too large to diff, unknown states. */
  readonly summary?: string;
}

export interface DiffView {
  readonly files: readonly DiffFile[];
}

/** One side of a comparison: a planned state or the disk. Unknown when `label` is. */
export interface DiffSide {
  readonly label: Label;
  readonly absent: boolean;
  readonly blob: string | null;
  readonly contents: Buffer | null;
  readonly reason?: string;
}

export interface DiffOptions {
  readonly context?: number;
  /** Files larger than this are summarised, not diffed. */
  readonly maxBytes?: number;
}

const RANK: Record<Label, number> = { unknown: 0, reconstructed: 1, exact: 2 };
export const weakerLabel = (a: Label, b: Label): Label => (RANK[a] <= RANK[b] ? a : b);

const DEFAULT_MAX_BYTES = 4 * 1024 * 1024;

function size(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KB` : `${n} B`;
}

/** Lines with their terminator, so a missing final newline is a difference like any other. */
function terminatedLines(text: string): string[] {
  if (text === '') return [];
  const parts = text.split('\n');
  const out = parts.slice(0, -1).map((l) => `${l}\n`);
  if (parts[parts.length - 1] !== '') out.push(parts[parts.length - 1]);
  return out;
}

function line(kind: DiffLine['kind'], raw: string): DiffLine {
  return raw.endsWith('\n') ? { kind, text: raw.slice(0, -1) } : { kind, text: raw, noNewline: true };
}

/** Groups a line diff into hunks with `context` lines around each change. */
export function hunksOf(a: readonly string[], b: readonly string[], ops: readonly LineOp[], context: number): DiffHunk[] {
  // Position of each op in both files, to write headers.
  const pos: { ai: number; bi: number }[] = [];
  let ai = 0;
  let bi = 0;
  for (const op of ops) {
    pos.push({ ai, bi });
    if (op.kind !== 'add') ai++;
    if (op.kind !== 'del') bi++;
  }
  const hunks: DiffHunk[] = [];
  let i = 0;
  while (i < ops.length) {
    while (i < ops.length && ops[i].kind === 'ctx') i++;
    if (i >= ops.length) break;
    const start = Math.max(0, i - context);
    let end = i;
    // Extend while the next change is within 2·context lines of unchanged text.
    for (;;) {
      while (end < ops.length && ops[end].kind !== 'ctx') end++;
      let run = 0;
      while (end + run < ops.length && ops[end + run].kind === 'ctx') run++;
      if (end + run < ops.length && run <= 2 * context) {
        end += run;
        continue;
      }
      end = Math.min(ops.length, end + context);
      break;
    }
    const lines: DiffLine[] = [];
    let oldCount = 0;
    let newCount = 0;
    for (let k = start; k < end; k++) {
      const op = ops[k];
      if (op.kind === 'ctx') {
        lines.push(line('ctx', a[op.index]));
        oldCount++;
        newCount++;
      } else if (op.kind === 'del') {
        lines.push(line('del', a[op.index]));
        oldCount++;
      } else {
        lines.push(line('add', b[op.index]));
        newCount++;
      }
    }
    const oldStart = oldCount === 0 ? pos[start].ai : pos[start].ai + 1;
    const newStart = newCount === 0 ? pos[start].bi : pos[start].bi + 1;
    hunks.push({ header: `@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`, lines });
    i = end;
  }
  return hunks;
}

function textDiff(before: string, after: string, context: number): { hunks: DiffHunk[]; additions: number; deletions: number; minimal: boolean } {
  const a = terminatedLines(before);
  const b = terminatedLines(after);
  const { ops, minimal } = diffLines(a, b);
  let additions = 0;
  let deletions = 0;
  for (const op of ops) {
    if (op.kind === 'add') additions++;
    else if (op.kind === 'del') deletions++;
  }
  return { hunks: hunksOf(a, b, ops, context), additions, deletions, minimal };
}

/** The diff of one file between two sides, or null when they are the same. */
export function diffFile(path: string, before: DiffSide, after: DiffSide, options: DiffOptions = {}): DiffFile | null {
  const label = weakerLabel(before.label, after.label);
  if (before.label === 'unknown' || after.label === 'unknown') {
    if (before.label === 'unknown' && after.label === 'unknown') return null;
    const reason = after.label === 'unknown' ? after.reason : `the state before is unknown: ${before.reason ?? 'no evidence'}`;
    return { path, label, reason, status: 'unknown', hunks: [], additions: 0, deletions: 0, summary: reason };
  }
  const reason = before.reason ?? after.reason;
  const base = { path, label, ...(reason !== undefined && label !== 'reconstructed' ? { reason } : {}) };
  if (before.absent && after.absent) return null;
  if (!before.absent && !after.absent && before.blob === after.blob) return null;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const oldBytes = before.contents ?? Buffer.alloc(0);
  const newBytes = after.contents ?? Buffer.alloc(0);
  const status = before.absent ? 'added' : after.absent ? 'deleted' : 'modified';
  const oldText = before.absent ? '' : asText(oldBytes);
  const newText = after.absent ? '' : asText(newBytes);
  if (oldText === null || newText === null) {
    const what = status === 'added' ? `binary file added (${size(newBytes.length)})` : status === 'deleted' ? `binary file deleted (${size(oldBytes.length)})` : `binary file changed (${size(oldBytes.length)} → ${size(newBytes.length)})`;
    return { ...base, status: 'binary', hunks: [], additions: 0, deletions: 0, summary: what };
  }
  if (oldBytes.length > maxBytes || newBytes.length > maxBytes) {
    return { ...base, status, hunks: [], additions: 0, deletions: 0, summary: `too large to show (${size(oldBytes.length)} → ${size(newBytes.length)})` };
  }
  const d = textDiff(oldText, newText, options.context ?? 3);
  return { ...base, status, hunks: d.hunks, additions: d.additions, deletions: d.deletions, ...(d.minimal ? {} : { summary: 'large rewrite: shown as removed and added' }) };
}

/** Fraction of lines two texts share (0..1), for rename detection. */
function similarity(a: string, b: string): number {
  const la = terminatedLines(a);
  const lb = terminatedLines(b);
  if (la.length + lb.length === 0) return 1;
  const { ops, minimal } = diffLines(la, lb, 200_000);
  if (!minimal) return 0;
  const common = ops.filter((o) => o.kind === 'ctx').length;
  return (2 * common) / (la.length + lb.length);
}

const MAX_RENAME_CANDIDATES = 40;
const RENAME_THRESHOLD = 0.5;

export interface DiffPair {
  readonly path: string;
  readonly before: DiffSide;
  readonly after: DiffSide;
}

/** Diffs every pair, then pairs deleted and added files with the same or similar contents as renames. */
export function buildDiffView(pairs: readonly DiffPair[], options: DiffOptions = {}): DiffView {
  const files: DiffFile[] = [];
  const sides = new Map<string, DiffPair>();
  for (const p of pairs) {
    const f = diffFile(p.path, p.before, p.after, options);
    if (f) {
      files.push(f);
      sides.set(p.path, p);
    }
  }
  const deleted = files.filter((f) => f.status === 'deleted');
  const added = files.filter((f) => f.status === 'added');
  const drop = new Set<DiffFile>();
  const renamed: DiffFile[] = [];
  if (deleted.length > 0 && added.length > 0 && deleted.length * added.length <= MAX_RENAME_CANDIDATES * MAX_RENAME_CANDIDATES) {
    for (const add of added) {
      const after = sides.get(add.path)!.after;
      let best: { del: DiffFile; score: number } | null = null;
      for (const del of deleted) {
        if (drop.has(del)) continue;
        const before = sides.get(del.path)!.before;
        if (before.blob === after.blob) {
          best = { del, score: 1 };
          break;
        }
        const ta = before.contents ? asText(before.contents) : null;
        const tb = after.contents ? asText(after.contents) : null;
        if (ta === null || tb === null) continue;
        const score = similarity(ta, tb);
        if (score >= RENAME_THRESHOLD && (!best || score > best.score)) best = { del, score };
      }
      if (!best) continue;
      const before = sides.get(best.del.path)!.before;
      const moved = diffFile(add.path, { ...before, absent: false }, after, options);
      drop.add(best.del);
      drop.add(add);
      renamed.push({
        ...(moved ?? { path: add.path, label: weakerLabel(before.label, after.label), hunks: [], additions: 0, deletions: 0 }),
        status: 'renamed',
        from: best.del.path,
      });
    }
  }
  const out = files.filter((f) => !drop.has(f)).concat(renamed);
  out.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
  return { files: out };
}

/** `a/src/cart.ts`: a path under git's side prefix, whether it was given relative or absolute. */
const side = (prefix: 'a' | 'b', p: string) => `${prefix}/${p.replace(/^\/+/, '')}`;

/** A file's diff as unified-diff text (`git diff` style: `a/` and `b/` before the paths, as `git apply` reads). */
export function unifiedPatch(f: DiffFile): string {
  const oldName = f.status === 'added' ? '/dev/null' : side('a', f.from ?? f.path);
  const newName = f.status === 'deleted' ? '/dev/null' : side('b', f.path);
  if (f.hunks.length === 0) return f.summary ? `# ${f.path}: ${f.summary}\n` : '';
  const out = [`--- ${oldName}`, `+++ ${newName}`];
  for (const h of f.hunks) {
    out.push(h.header);
    for (const l of h.lines) {
      out.push(`${l.kind === 'add' ? '+' : l.kind === 'del' ? '-' : ' '}${l.text}`);
      if (l.noNewline) out.push('\\ No newline at end of file');
    }
  }
  return `${out.join('\n')}\n`;
}
