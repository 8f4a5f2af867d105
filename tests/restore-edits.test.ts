import { describe, expect, it } from 'vitest';
import { applyPatchChunks, parseApplyPatch, seekSequence, type PatchOp } from '../src/restore/edit/apply-patch.js';
import { replaceAllInOrder, replaceExact } from '../src/restore/edit/replace.js';
import { applyHunks, parseUnifiedDiff } from '../src/restore/edit/unified-diff.js';

const ok = (text: string) => ({ ok: true, text });

describe('exact replacement', () => {
  it.each([
    ['once', 'a b c', { oldText: 'b', newText: 'B', replaceAll: false }, ok('a B c')],
    ['all', 'x.x.x', { oldText: 'x', newText: 'y', replaceAll: true }, ok('y.y.y')],
    ['keeps $& literally', 'price', { oldText: 'price', newText: '$& $1', replaceAll: false }, ok('$& $1')],
    ['multi-line', 'a\nb\nc\n', { oldText: 'b\nc', newText: 'B', replaceAll: false }, ok('a\nB\n')],
  ])('%s', (_, text, r, expected) => {
    expect(replaceExact(text, r)).toEqual(expected);
  });

  it.each([
    ['missing', 'abc', { oldText: 'z', newText: 'y', replaceAll: false }, /not found/],
    ['ambiguous', 'aa', { oldText: 'a', newText: 'b', replaceAll: false }, /found 2 times/],
    ['empty old text', 'abc', { oldText: '', newText: 'y', replaceAll: false }, /empty/],
  ])('refuses %s', (_, text, r, reason) => {
    const res = replaceExact(text, r);
    expect(res.ok).toBe(false);
    expect(!res.ok && res.reason).toMatch(reason);
  });

  it('applies several in order and names the one that failed', () => {
    expect(replaceAllInOrder('one two', [
      { oldText: 'one', newText: 'two', replaceAll: false },
      { oldText: 'two two', newText: 'three', replaceAll: false },
    ])).toEqual(ok('three'));
    const res = replaceAllInOrder('one', [
      { oldText: 'one', newText: 'two', replaceAll: false },
      { oldText: 'one', newText: 'x', replaceAll: false },
    ]);
    expect(!res.ok && res.reason).toMatch(/^edit 2 of 2: old text not found/);
  });
});

describe('unified diffs', () => {
  const apply = (text: string, diff: string) => {
    const parsed = parseUnifiedDiff(diff);
    if ('error' in parsed) throw new Error(parsed.error);
    return applyHunks(parsed.creates ? '' : text, parsed.hunks);
  };

  it.each([
    ['a modification', 'a\nb\nc\n', '@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n', 'a\nB\nc\n'],
    ['default counts', 'x\n', '--- a/f\n+++ b/f\n@@ -1 +1 @@\n-x\n+y\n', 'y\n'],
    ['two hunks', '1\n2\n3\n4\n5\n6\n7\n8\n9\n', '@@ -1,2 +1,2 @@\n-1\n+one\n 2\n@@ -8,2 +8,2 @@\n 8\n-9\n+nine\n', 'one\n2\n3\n4\n5\n6\n7\n8\nnine\n'],
    ['a drifted hunk', 'new\nnew\na\nb\n', '@@ -1,2 +1,2 @@\n a\n-b\n+c\n', 'new\nnew\na\nc\n'],
    ['a pure insertion', 'a\nb\n', '@@ -1,0 +2,1 @@\n+x\n', 'a\nx\nb\n'],
    ['creation from /dev/null', 'ignored', '--- /dev/null\n+++ b/n\n@@ -0,0 +1,2 @@\n+hello\n+world\n', 'hello\nworld\n'],
    ['adding a final newline', 'a\nb', '@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n', 'a\nb\n'],
    ['removing a final newline', 'a\nb\n', '@@ -1,2 +1,2 @@\n a\n-b\n+b\n\\ No newline at end of file\n', 'a\nb'],
    ['deleting everything', 'a\nb\n', '@@ -1,2 +0,0 @@\n-a\n-b\n', ''],
  ])('applies %s', (_, text, diff, expected) => {
    expect(apply(text, diff)).toEqual(ok(expected));
  });

  it('applies a hunk list shaped like Claude structuredPatch', () => {
    const hunks = [{ oldStart: 1, oldLines: 1, newStart: 1, newLines: 1, lines: ['-export const MAX = 0;', '+export const MAX = 10;'] }];
    expect(applyHunks('export const MAX = 0;\n', hunks)).toEqual(ok('export const MAX = 10;\n'));
  });

  it.each([
    ['context that does not match', 'a\nb\n', '@@ -1,2 +1,2 @@\n a\n-x\n+y\n'],
    ['a removed line missing', 'a\n', '@@ -1,1 +1,0 @@\n-b\n'],
  ])('refuses %s', (_, text, diff) => {
    const res = apply(text, diff);
    expect(res.ok).toBe(false);
  });

  it.each([
    ['no hunks', 'just text', /no hunks/],
    ['a short hunk', '@@ -1,3 +1,3 @@\n a\n', /shorter/],
    ['a stray line', '@@ -1,2 +1,2 @@\n a\n?b\n', /unexpected line/],
  ])('reports %s', (_, diff, error) => {
    const parsed = parseUnifiedDiff(diff);
    expect('error' in parsed && parsed.error).toMatch(error);
  });
});

describe('Codex apply_patch', () => {
  it('parses add, delete, update with context and move', () => {
    const ops = parseApplyPatch([
      '*** Begin Patch',
      '*** Add File: docs/a.md',
      '+# A',
      '+',
      '*** Delete File: old.txt',
      '*** Update File: src/x.py',
      '*** Move to: src/y.py',
      '@@ def f():',
      '-    pass',
      '+    return 1',
      '*** Update File: README.md',
      ' keep',
      '+more',
      '*** End of File',
      '*** End Patch',
    ].join('\n'));
    expect(ops).toEqual<PatchOp[]>([
      { type: 'add', path: 'docs/a.md', contents: '# A\n\n' },
      { type: 'delete', path: 'old.txt' },
      { type: 'update', path: 'src/x.py', moveTo: 'src/y.py', chunks: [{ context: 'def f():', oldLines: ['    pass'], newLines: ['    return 1'], endOfFile: false }] },
      { type: 'update', path: 'README.md', moveTo: null, chunks: [{ context: null, oldLines: ['keep'], newLines: ['keep', 'more'], endOfFile: true }] },
    ]);
  });

  it('accepts the heredoc wrapper models sometimes add', () => {
    const ops = parseApplyPatch("<<'EOF'\n*** Begin Patch\n*** Delete File: a\n*** End Patch\nEOF\n");
    expect(ops).toEqual([{ type: 'delete', path: 'a' }]);
  });

  it.each([
    ['no begin marker', 'hello\n*** End Patch', /Begin Patch/],
    ['no end marker', '*** Begin Patch\n*** Delete File: a', /End Patch/],
    ['a bad header', '*** Begin Patch\n*** Frob File: a\n*** End Patch', /not a valid patch header/],
    ['an empty update', '*** Begin Patch\n*** Update File: a\n*** End Patch', /no changes/],
    ['a second chunk without @@', '*** Begin Patch\n*** Update File: a\n@@\n-x\n+y\n*** Move to: b\n*** End Patch', /not a valid patch header/],
  ])('refuses %s', (_, patch, error) => {
    const ops = parseApplyPatch(patch);
    expect('error' in ops && ops.error).toMatch(error);
  });

  const update = (text: string, body: string) => {
    const ops = parseApplyPatch(`*** Begin Patch\n*** Update File: f\n${body}\n*** End Patch`);
    if ('error' in ops) throw new Error(ops.error);
    return applyPatchChunks(text, (ops[0] as Extract<PatchOp, { type: 'update' }>).chunks);
  };

  it.each([
    ['a simple update', 'foo\nbar\n', '@@\n foo\n-bar\n+baz', 'foo\nbaz\n'],
    ['two chunks', 'foo\nbar\nbaz\nqux\n', '@@\n foo\n-bar\n+BAR\n@@\n baz\n-qux\n+QUX', 'foo\nBAR\nbaz\nQUX\n'],
    ['an @@ context line', 'class A:\n  x = 1\nclass B:\n  x = 1\n', '@@ class B:\n-  x = 1\n+  x = 2', 'class A:\n  x = 1\nclass B:\n  x = 2\n'],
    ['a missing final newline, which Codex adds', 'a\nb', '@@\n-b\n+c', 'a\nc\n'],
    // A loosely matched context line is rewritten with the patch's text, as Codex does.
    ['trailing whitespace in the file', 'a  \nb\n', '@@\n a\n-b\n+c', 'a\nc\n'],
    ['typographic quotes in the file', 'say “hi”\n', '@@\n-say "hi"\n+say "bye"', 'say "bye"\n'],
    ['a pure addition (goes at the end)', 'a\nb\n', '@@\n+c', 'a\nb\nc\n'],
    ['end of file anchoring', 'x\ny\nx\n', '@@\n-x\n+z\n*** End of File', 'x\ny\nz\n'],
  ])('applies %s', (_, text, body, expected) => {
    expect(update(text, body)).toEqual(ok(expected));
  });

  it('refuses chunks whose lines are not in the file', () => {
    const res = update('a\nb\n', '@@\n-zzz\n+y');
    expect(res.ok).toBe(false);
    expect(!res.ok && res.reason).toMatch(/expected lines not found/);
    const ctx = update('a\nb\n', '@@ nowhere\n-a\n+y');
    expect(!ctx.ok && ctx.reason).toMatch(/context 'nowhere' not found/);
  });

  it.each([
    [['a', 'b', 'c'], ['b', 'c'], 0, false, 1],
    [['a', 'b', 'c'], ['x'], 0, false, -1],
    [['foo   ', 'bar\t'], ['foo', 'bar'], 0, false, 0],
    [['  foo ', ' bar'], ['foo', 'bar'], 0, false, 0],
    [['one'], ['too', 'many'], 0, false, -1],
    [['x', 'y', 'x'], ['x'], 0, true, 2],
    [['x'], [], 0, false, 0],
  ])('seekSequence(%j, %j, %i, %s) = %i', (lines, pattern, start, eof, expected) => {
    expect(seekSequence(lines, pattern, start, eof)).toBe(expected);
  });
});
