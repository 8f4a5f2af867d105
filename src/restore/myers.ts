/**
 * Line diff: Myers' O((N+M)·D) greedy algorithm on interned lines, after trimming the common head and tail.
 * Guarded by a work budget: past it, the differing middle is reported as removed-then-added, which is still a
 * correct diff, only not a minimal one (`minimal: false`), so a huge rewrite never stalls a keypress.
 */

export type LineOpKind = 'ctx' | 'del' | 'add';

export interface LineOp {
  readonly kind: LineOpKind;
  /** Index in the old lines (ctx, del) or new lines (add). */
  readonly index: number;
}

export interface LineDiff {
  readonly ops: LineOp[];
  readonly minimal: boolean;
}

export const DEFAULT_DIFF_BUDGET = 4_000_000;

function intern(a: readonly string[], b: readonly string[]): [Int32Array, Int32Array] {
  const ids = new Map<string, number>();
  const idOf = (s: string) => {
    let id = ids.get(s);
    if (id === undefined) {
      id = ids.size;
      ids.set(s, id);
    }
    return id;
  };
  return [Int32Array.from(a, idOf), Int32Array.from(b, idOf)];
}

/**
 * Shortest edit script between x[0..n) and y[0..m) as ops, or null when the budget runs out.
 * Keeps one copy of the frontier per step (the trace) to walk the path back.
 */
function myers(x: Int32Array, y: Int32Array, budget: number): LineOp[] | null {
  const n = x.length;
  const m = y.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let work = 0;
  let found = -1;
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let px: number;
      if (k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1])) px = v[offset + k + 1];
      else px = v[offset + k - 1] + 1;
      let py = px - k;
      while (px < n && py < m && x[px] === y[py]) {
        px++;
        py++;
        work++;
      }
      v[offset + k] = px;
      if (px >= n && py >= m) {
        found = d;
        break;
      }
    }
    work += 2 * d + 1;
    if (found >= 0) break;
    if (work > budget) return null;
  }
  // Walk back through the trace, from (n, m) to (0, 0).
  const ops: LineOp[] = [];
  let px = n;
  let py = m;
  for (let d = found; d > 0; d--) {
    const snap = trace[d];
    const at = (k: number) => snap[k + d + 1];
    const k = px - py;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (px > prevX && py > prevY) ops.push({ kind: 'ctx', index: --px }), py--;
    if (prevK === k + 1) ops.push({ kind: 'add', index: --py });
    else ops.push({ kind: 'del', index: --px });
  }
  while (px > 0 && py > 0) ops.push({ kind: 'ctx', index: --px }), py--;
  ops.reverse();
  return ops;
}

export function diffLines(a: readonly string[], b: readonly string[], budget = DEFAULT_DIFF_BUDGET): LineDiff {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const ops: LineOp[] = [];
  for (let i = 0; i < head; i++) ops.push({ kind: 'ctx', index: i });
  const [x, y] = intern(a.slice(head, a.length - tail), b.slice(head, b.length - tail));
  const middle = myers(x, y, budget);
  let minimal = true;
  if (middle) {
    for (const op of middle) ops.push({ kind: op.kind, index: op.index + head });
  } else {
    minimal = false;
    for (let i = 0; i < x.length; i++) ops.push({ kind: 'del', index: head + i });
    for (let j = 0; j < y.length; j++) ops.push({ kind: 'add', index: head + j });
  }
  for (let i = a.length - tail; i < a.length; i++) ops.push({ kind: 'ctx', index: i });
  return { ops, minimal };
}
