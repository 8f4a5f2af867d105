/** The demo's git writer against git itself: same object ids as git computes, and repositories git accepts. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeIndex, encodeTree, GitDir, objectId } from '../src/demo/git-objects.js';
import { codexPatch } from '../src/demo/codex-session.js';
import { lineHunk } from '../src/demo/line-diff.js';
import { diffStat, grepLines } from '../src/demo/tool-output.js';
import { applyPatchChunks, parseApplyPatch } from '../src/restore/edit/apply-patch.js';
import { gitEnvAt, writeFiles } from './helpers/git-repo.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mantra-demo-git-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const ADA = { name: 'Ada', email: 'ada@example.com' };
const WHEN = Date.parse('2026-05-01T08:00:00Z');

function git(cwd: string, args: string[], input?: Buffer): string {
  return rawGit(cwd, args, input).trim();
}

function rawGit(cwd: string, args: string[], input?: Buffer): string {
  return execFileSync('git', args, { cwd, env: { ...gitEnvAt('2026-05-01T08:00:00Z'), GIT_CONFIG_GLOBAL: '/dev/null' }, input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Names whose order differs between plain byte order and git's (a directory sorts as `name/`). */
const TRICKY: Record<string, string> = {
  'a.b': 'dot\n',
  'a/x.txt': 'in a dir\n',
  'a-b': 'dash\n',
  'a0': 'zero\n',
  'README.md': '# r\n',
  'src/deep/er/file.ts': 'export {};\n',
  'src/€uro.txt': 'non-ASCII name\n',
  'empty.txt': '',
};

describe('demo git writer', () => {
  it.each([
    ['blob', Buffer.from('hello\n')],
    ['blob', Buffer.alloc(0)],
    ['blob', Buffer.from([0, 1, 2, 255])],
  ] as const)('gives a %s the id git hash-object gives it', (type, bytes) => {
    fs.mkdirSync(path.join(dir, 'r'));
    git(path.join(dir, 'r'), ['init', '-q']);
    expect(objectId(type, bytes)).toBe(git(path.join(dir, 'r'), ['hash-object', '-t', type, '--stdin'], bytes));
  });

  it('commits a work tree to the same commit id git makes from it, with a clean status, a reflog and fsck passing', () => {
    const ours = path.join(dir, 'ours');
    const theirs = path.join(dir, 'theirs');
    for (const root of [ours, theirs]) writeFiles(root, { ...TRICKY, '.gitignore': 'dist/\n', 'dist/out.js': 'ignored\n' });
    const repo = GitDir.init(path.join(ours, '.git'));
    const first = repo.commitWorkTree(ours, 'main', ADA, WHEN, 'First');
    git(theirs, ['init', '-q', '-b', 'main']);
    git(theirs, ['add', '-A']);
    git(theirs, ['commit', '-q', '-m', 'First']);
    expect(first).toBe(git(theirs, ['rev-parse', 'HEAD']));

    // A second commit on top, with a file changed and one added.
    fs.writeFileSync(path.join(ours, 'a0'), 'changed\n');
    fs.writeFileSync(path.join(ours, 'src/new.ts'), 'new\n');
    const second = repo.commitWorkTree(ours, 'main', ADA, WHEN + 3_600_000, 'Second\n\nwith a body');
    expect(git(ours, ['rev-parse', 'HEAD'])).toBe(second);
    expect(git(ours, ['rev-parse', 'HEAD~1'])).toBe(first);
    expect(git(ours, ['status', '--porcelain'])).toBe('');
    expect(git(ours, ['ls-files'])).not.toContain('dist/out.js');
    expect(git(ours, ['fsck', '--strict', '--no-dangling'])).toBe('');
    expect(git(ours, ['reflog', 'show', '--date=unix', '--format=%H %gd %gs', 'main']).split('\n')).toEqual([
      `${second} main@{${(WHEN + 3_600_000) / 1000}} commit: Second`,
      `${first} main@{${WHEN / 1000}} commit (initial): First`,
    ]);
    expect(repo.onelineLog()).toBe(`${second.slice(0, 7)} Second\n${first.slice(0, 7)} First`);

    // What changes afterwards shows as changed, against the index written with the commit.
    fs.writeFileSync(path.join(ours, 'README.md'), '# changed\n');
    fs.writeFileSync(path.join(ours, 'untracked.txt'), 'x\n');
    expect(rawGit(ours, ['status', '--porcelain'])).toBe(' M README.md\n?? untracked.txt\n');
  });

  it('writes an empty tree and an empty first commit, as Gemini CLI starts its shadow repository', () => {
    const repo = GitDir.init(path.join(dir, 'shadow', '.git'));
    const id = repo.commit(repo.emptyTree(), 'main', ADA, WHEN, 'Initial commit');
    expect(repo.emptyTree()).toBe('4b825dc642cb6eb9a060e54bf8d69288fbee4904');
    expect(git(path.join(dir, 'shadow'), ['log', '--format=%H %s'])).toBe(`${id} Initial commit`);
  });

  it('orders tree entries as git does and pads index entries to eight bytes', () => {
    const id = '0'.repeat(40);
    const names = (buf: Buffer) => [...buf.toString('latin1').matchAll(/\d+ ([^\0]+)\0/g)].map((m) => m[1]);
    expect(names(encodeTree([{ name: 'a.b', mode: '100644', id }, { name: 'a', mode: '40000', id }, { name: 'a-b', mode: '100644', id }, { name: 'a0', mode: '100644', id }]))).toEqual(['a-b', 'a.b', 'a', 'a0']);
    const index = encodeIndex([{ path: 'b', id, size: 1 }, { path: 'abc', id, size: 2 }]);
    expect(index.subarray(0, 4).toString('latin1')).toBe('DIRC');
    expect(index.readUInt32BE(8)).toBe(2);
    // 12-byte header; per entry 62 bytes, the name and 1 to 8 NULs up to a multiple of 8 ("abc": 72, "b": 64); the checksum.
    expect(index.length).toBe(12 + 72 + 64 + 20);
    expect(index.subarray(12 + 62, 12 + 65).toString('latin1')).toBe('abc');
  });
});

describe('demo tool output', () => {
  it('prints git diff --stat as git does for the same changes', () => {
    const root = path.join(dir, 'stat');
    const before = { 'src/cart.ts': 'a\nb\nc\nd\ne\nf\ng\nh\n', 'src/cart.test.ts': 'x\ny\n' };
    const after = { 'src/cart.ts': 'a\nB\nc\nd\ne\nf\ng\nh\ni\n', 'src/cart.test.ts': 'x\nz\nw\n' };
    writeFiles(root, before);
    git(root, ['init', '-q', '-b', 'main']);
    git(root, ['add', '-A']);
    git(root, ['commit', '-q', '-m', 'base']);
    writeFiles(root, after);
    const changes = Object.keys(before).map((rel) => ({ rel, before: before[rel as keyof typeof before], after: after[rel as keyof typeof after] }));
    expect(diffStat(changes)).toBe(rawGit(root, ['diff', '--stat', '--', 'src/cart.ts', 'src/cart.test.ts']));
  });

  it('greps lines with their numbers', () => {
    expect(grepLines([{ rel: 'a.ts', text: 'qty\nx\nqty: 1\n' }, { rel: 'b.ts', text: null }], 'qty')).toBe('a.ts:1:qty\na.ts:3:qty: 1\n');
    expect(grepLines([{ rel: 'a.ts', text: 'x\n' }], 'qty')).toBe('');
  });
});

describe('demo line hunks', () => {
  it.each([
    ['a\nb\nc\n', 'a\nb\nc\n', null],
    ['', 'x\ny\n', { oldStart: 0, oldLines: 0, newStart: 1, newLines: 2, lines: ['+x', '+y'] }],
    ['a\nb\nc\nd\ne\nf\n', 'a\nb\nc\nX\nd\ne\nf\n', { oldStart: 1, oldLines: 6, newStart: 1, newLines: 7, lines: [' a', ' b', ' c', '+X', ' d', ' e', ' f'] }],
    ['1\n2\n3\n4\n5\n6\n7\n8\n', '1\n2\n3\n4\n5\n6\n7\nEIGHT\n', { oldStart: 5, oldLines: 4, newStart: 5, newLines: 4, lines: [' 5', ' 6', ' 7', '-8', '+EIGHT'] }],
    ['top\nrest\n', 'new\ntop\nrest\n', { oldStart: 1, oldLines: 2, newStart: 1, newLines: 3, lines: ['+new', ' top', ' rest'] }],
  ])('%j → %j', (before, after, expected) => {
    expect(lineHunk(before, after)).toEqual(expected);
  });

  it('writes Codex patches that the restore code applies back to the new contents', () => {
    const changes = [
      { rel: 'src/cart.ts', before: 'a\nb\nc\nd\ne\nf\n', after: 'a\nb\nc\nX\nd\ne\nf\n' },
      { rel: 'src/new.ts', before: null, after: 'export {};\n' },
    ];
    const ops = parseApplyPatch(codexPatch(changes));
    if ('error' in ops) throw new Error(ops.error);
    expect(ops.map((o) => [o.type, o.path])).toEqual([['update', 'src/cart.ts'], ['add', 'src/new.ts']]);
    const update = ops[0] as Extract<(typeof ops)[number], { type: 'update' }>;
    expect(applyPatchChunks(changes[0].before!, update.chunks)).toEqual({ ok: true, text: changes[0].after });
    expect(ops[1]).toMatchObject({ contents: 'export {};\n' });
  });
});
