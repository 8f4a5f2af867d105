import { describe, expect, it } from 'vitest';
import { blobId } from '../src/restore/content.js';
import { buildDiffView, diffFile, unifiedPatch, type DiffSide } from '../src/restore/diff.js';
import { parseUnifiedDiff, applyHunks } from '../src/restore/edit/unified-diff.js';
import { diffLines } from '../src/restore/myers.js';

function text(s: string | null, label: DiffSide['label'] = 'reconstructed'): DiffSide {
  if (s === null) return { label, absent: true, blob: null, contents: null };
  const bytes = Buffer.from(s);
  return { label, absent: false, blob: blobId(bytes), contents: bytes };
}

/** Deterministic pseudo-random lines for property checks. */
function lines(seed: number, n: number): string[] {
  let x = seed;
  return Array.from({ length: n }, () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return `l${x % 7}`;
  });
}

describe('Myers line diff', () => {
  it('rebuilds the new side from the old one, and is minimal on small inputs', () => {
    for (let seed = 1; seed < 60; seed++) {
      const a = lines(seed, seed % 13);
      const b = lines(seed * 7, (seed * 3) % 11);
      const { ops, minimal } = diffLines(a, b);
      expect(minimal).toBe(true);
      const rebuilt: string[] = [];
      const kept: string[] = [];
      for (const op of ops) {
        if (op.kind === 'ctx') {
          rebuilt.push(a[op.index]);
          kept.push(a[op.index]);
        } else if (op.kind === 'add') rebuilt.push(b[op.index]);
        else kept.push(a[op.index]);
      }
      expect(rebuilt).toEqual(b);
      expect(kept).toEqual(a);
    }
    expect(diffLines(['a', 'b', 'c', 'a', 'b', 'b', 'a'], ['c', 'b', 'a', 'b', 'a', 'c']).ops.filter((o) => o.kind !== 'ctx')).toHaveLength(5);
  });

  it('falls back to remove-then-add past its budget', () => {
    const a = Array.from({ length: 3000 }, (_, i) => `a${i}`);
    const b = Array.from({ length: 3000 }, (_, i) => `b${i}`);
    const { ops, minimal } = diffLines(a, b, 10_000);
    expect(minimal).toBe(false);
    expect(ops.filter((o) => o.kind === 'del')).toHaveLength(3000);
    expect(ops.filter((o) => o.kind === 'add')).toHaveLength(3000);
  });
});

describe('file diffs', () => {
  it('makes hunks with three lines of context and correct headers', () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
    const after = before.replace('line 5\n', 'line five\n').replace('line 17\n', '');
    const f = diffFile('f.txt', text(before), text(after))!;
    expect(f.status).toBe('modified');
    expect(f.hunks.map((h) => h.header)).toEqual(['@@ -2,7 +2,7 @@', '@@ -14,7 +14,6 @@']);
    expect(f).toMatchObject({ additions: 1, deletions: 2 });
    // The patch text applies back onto the old contents.
    const parsed = parseUnifiedDiff(unifiedPatch(f));
    if ('error' in parsed) throw new Error(parsed.error);
    expect(applyHunks(before, parsed.hunks)).toEqual({ ok: true, text: after });
  });

  it.each<[string, string | null, string | null, string]>([
    ['added', null, 'new\n', '--- /dev/null\n+++ b/f.txt\n@@ -0,0 +1,1 @@\n+new\n'],
    ['deleted', 'old\n', null, '--- a/f.txt\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-old\n'],
    ['modified', 'a\nb', 'a\nb\n', '--- a/f.txt\n+++ b/f.txt\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n'],
  ])('%s', (status, before, after, patch) => {
    const f = diffFile('f.txt', text(before), text(after))!;
    expect(f.status).toBe(status);
    expect(unifiedPatch(f)).toBe(patch);
  });

  it('returns nothing for equal sides', () => {
    expect(diffFile('f', text('same'), text('same'))).toBeNull();
    expect(diffFile('f', text(null), text(null))).toBeNull();
  });

  it('summarises binary files and carries the weaker label', () => {
    const bin = (b: number[]): DiffSide => ({ label: 'exact', absent: false, blob: blobId(Buffer.from(b)), contents: Buffer.from(b) });
    expect(diffFile('img.png', bin([0, 1, 2]), bin([0, 1, 2, 3]))).toMatchObject({ status: 'binary', label: 'exact', summary: 'binary file changed (3 B → 4 B)', hunks: [] });
    expect(diffFile('x', text('a', 'exact'), text('b', 'reconstructed'))!.label).toBe('reconstructed');
  });

  it('reports unknown states with their reason instead of a guess', () => {
    const unknown: DiffSide = { label: 'unknown', absent: false, blob: null, contents: null, reason: 'may have been changed by a shell command at #7 (make)' };
    expect(diffFile('x', text('a'), unknown)).toMatchObject({ status: 'unknown', label: 'unknown', reason: 'may have been changed by a shell command at #7 (make)' });
    expect(diffFile('x', unknown, text('a'))).toMatchObject({ status: 'unknown', reason: 'the state before is unknown: may have been changed by a shell command at #7 (make)' });
    expect(diffFile('x', unknown, unknown)).toBeNull();
  });

  it('pairs a deleted and an added file with the same or similar contents as a rename', () => {
    const body = Array.from({ length: 10 }, (_, i) => `line ${i}`).join('\n') + '\n';
    const view = buildDiffView([
      { path: 'old.ts', before: text(body), after: text(null) },
      { path: 'new.ts', before: text(null), after: text(body) },
      { path: 'src/a.ts', before: text(body), after: text(null) },
      { path: 'src/b.ts', before: text(null), after: text(body.replace('line 3', 'line three')) },
      { path: 'gone.txt', before: text('unrelated\n'), after: text(null) },
    ]);
    expect(view.files.map((f) => [f.path, f.status, f.from ?? null])).toEqual([
      ['gone.txt', 'deleted', null],
      ['new.ts', 'renamed', 'old.ts'],
      ['src/b.ts', 'renamed', 'src/a.ts'],
    ]);
    expect(view.files[1].hunks).toEqual([]);
    expect(view.files[2]).toMatchObject({ additions: 1, deletions: 1 });
    expect(unifiedPatch(view.files[2])).toMatch(/^--- a\/src\/a\.ts\n\+\+\+ b\/src\/b\.ts\n/);
  });
});
