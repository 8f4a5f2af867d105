import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseArgs } from '../src/cli/args.js';
import { runDiff, runRestore, runRestores, runUndo, type CommandContext, type CommandIO } from '../src/cli/restore-commands.js';
import { fingerprint, git, makeRepo } from './helpers/git-repo.js';
import { ClaudeSession, indexClaude } from './helpers/restore-fixtures.js';

let dir: string;
let repo: string;
let claudeDir: string;
let dataDir: string;
let dbPath: string;
const SID = '6f1c2e0a-3b7d-4c55-9a10-2f3e4d5c6b7a';

interface Recorded extends CommandIO {
  stdout: string[];
  stderr: string[];
  questions: string[];
}

function io(opts: { interactive?: boolean; answers?: string[] } = {}): Recorded {
  const answers = [...(opts.answers ?? [])];
  const r: Recorded = {
    stdout: [],
    stderr: [],
    questions: [],
    out: (t) => r.stdout.push(t),
    err: (t) => r.stderr.push(t),
    interactive: opts.interactive ?? false,
    color: false,
    ask: async (q) => {
      r.questions.push(q);
      return answers.shift() ?? '';
    },
  };
  return r;
}

function ctx(rec: Recorded): CommandContext {
  return { dbPath, dataDir, io: rec };
}

beforeEach(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mantra-restore-cli-')));
  repo = path.join(dir, 'shop');
  claudeDir = path.join(dir, 'claude');
  dataDir = path.join(dir, 'data');
  dbPath = path.join(dir, 'index.db');
  makeRepo(repo, { 'src/cart.ts': 'export const MAX = 0;\n' });
  const cart = path.join(repo, 'src/cart.ts');
  new ClaudeSession(SID, repo, {})
    .prompt('cap the cart')
    .edit(cart, 'export const MAX = 0;\n', 'MAX = 0', 'MAX = 10')
    .write(path.join(repo, 'LIMITS.md'), '# Limits\n', null)
    .reply('done')
    .writeTo(claudeDir);
  indexClaude(dbPath, claudeDir);
  // The disk as the session left it.
  fs.writeFileSync(cart, 'export const MAX = 10;\n');
  fs.writeFileSync(path.join(repo, 'LIMITS.md'), '# Limits\n');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('mantra-tui diff', () => {
  it('prints what a message changed, with its label', async () => {
    const rec = io();
    expect(await runDiff(ctx(rec), parseArgs(['diff', SID.slice(0, 8), '3']))).toBe(0);
    expect(rec.stdout.join('\n')).toBe([
      `${SID}  what #3 changed: 1 file`,
      'src/cart.ts  modified  reconstructed  +1 -1',
      '@@ -1,1 +1,1 @@',
      '-export const MAX = 0;',
      '+export const MAX = 10;',
    ].join('\n'));
  });

  it('--json: the documented shape, against the working tree now', async () => {
    fs.writeFileSync(path.join(repo, 'src/cart.ts'), 'export const MAX = 99;\n');
    const rec = io();
    expect(await runDiff(ctx(rec), parseArgs(['diff', SID, '1', '--against', 'now', '--json']))).toBe(0);
    expect(JSON.parse(rec.stdout[0])).toEqual({
      sessionId: SID,
      seq: 1,
      against: 'now',
      files: [
        { path: 'LIMITS.md', label: 'reconstructed', reason: null, status: 'added', additions: 1, deletions: 0, patch: '--- /dev/null\n+++ b/LIMITS.md\n@@ -0,0 +1,1 @@\n+# Limits\n' },
        { path: 'src/cart.ts', label: 'reconstructed', reason: null, status: 'modified', additions: 1, deletions: 1, patch: '--- a/src/cart.ts\n+++ b/src/cart.ts\n@@ -1,1 +1,1 @@\n-export const MAX = 0;\n+export const MAX = 99;\n' },
      ],
    });
  });

  it('refuses a message number the session does not have', async () => {
    const rec = io();
    expect(await runDiff(ctx(rec), parseArgs(['diff', SID, '99']))).toBe(1);
    expect(rec.stderr).toEqual([`mantra-tui: session ${SID} has messages 1 to 6; there is no #99`]);
  });
});

describe('mantra-tui restore, undo, restores', () => {
  it('without a terminal and without --yes: prints the plan, changes nothing, exits 1', async () => {
    const before = fingerprint(repo);
    const rec = io();
    expect(await runRestore(ctx(rec), parseArgs(['restore', SID, '1', '--in-place']))).toBe(1);
    expect(rec.stdout.join('\n')).toContain('1 to write, 0 to create, 1 to delete, 0 already as they were, 0 refused');
    expect(rec.stderr.join('\n')).toMatch(/not restoring without confirmation/);
    expect(fingerprint(repo)).toEqual(before);
    const json = io();
    expect(await runRestore(ctx(json), parseArgs(['restore', SID, '1', '--json']))).toBe(1);
    expect(JSON.parse(json.stdout[0]).plan).toMatchObject({ write: ['src/cart.ts'], delete: ['LIMITS.md'], create: [], refused: [] });
  });

  it('in place with --yes, listed by restores, and undone byte for byte', async () => {
    const before = fingerprint(repo);
    const rec = io();
    expect(await runRestore(ctx(rec), parseArgs(['restore', SID, '1', '--in-place', '--yes', '--json']))).toBe(0);
    const out = JSON.parse(rec.stdout[0]);
    expect(out).toEqual({ id: 1, mode: 'in-place', target: repo, branch: null, written: 1, created: 0, deleted: 1, refused: [], backupSnapshot: expect.stringMatching(/^[0-9a-f]{40}$/) });
    expect(fs.readFileSync(path.join(repo, 'src/cart.ts'), 'utf8')).toBe('export const MAX = 0;\n');
    const list = io();
    await runRestores(ctx(list), parseArgs(['restores', '--json']));
    expect(JSON.parse(list.stdout[0])).toEqual([expect.objectContaining({ id: 1, mode: 'in-place', state: 'complete', sessionId: SID, seq: 1, written: 1, deleted: 1, createdAt: expect.stringMatching(/Z$/) })]);
    const refuse = io();
    expect(await runUndo(ctx(refuse), parseArgs(['undo']))).toBe(1);
    expect(refuse.stderr.join('\n')).toMatch(/not undoing without confirmation/);
    const undo = io();
    expect(await runUndo(ctx(undo), parseArgs(['undo', '--yes']))).toBe(0);
    expect(undo.stdout[0]).toBe('undid 1: 1 written, 1 created, 0 deleted; "mantra-tui undo 2" would redo it');
    expect(fingerprint(repo)).toEqual(before);
    const text = io();
    await runRestores(ctx(text), parseArgs(['restores']));
    expect(text.stdout.map((l) => l.replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/, 'TIME'))).toEqual([
      `   2  TIME  complete     undo of 1  1w 1c 0d  ${repo}`,
      `   1  TIME  undone       in-place 6f1c2e0a #1  1w 0c 1d  ${repo}`,
    ]);
  });

  it('asks on a terminal: cancel changes nothing, [i] restores in place, the default is a worktree', async () => {
    const before = fingerprint(repo);
    const cancel = io({ interactive: true, answers: ['c'] });
    expect(await runRestore(ctx(cancel), parseArgs(['restore', SID, '1']))).toBe(1);
    expect(cancel.questions).toEqual(['Restore into a new [w]orktree on a new branch (default), [i]n place, or [c]ancel? ']);
    expect(cancel.stdout.join('\n')).toContain('-export const MAX = 10;');
    expect(fingerprint(repo)).toEqual(before);

    const byDefault = io({ interactive: true, answers: [''] });
    expect(await runRestore(ctx(byDefault), parseArgs(['restore', SID, '3']))).toBe(0);
    expect(byDefault.stdout[byDefault.stdout.length - 1]).toMatch(/^restored into .*worktrees.* on branch mantra\/restore-6f1c2e0a-3 \(1 written, 0 created, 0 deleted\); your working tree was not touched$/);
    expect(git(repo, ['for-each-ref', '--format=%(refname:short)', 'refs/heads/mantra'])).toBe('mantra/restore-6f1c2e0a-3');

    const inPlace = io({ interactive: true, answers: ['i'] });
    expect(await runRestore(ctx(inPlace), parseArgs(['restore', SID, '1']))).toBe(0);
    expect(fs.existsSync(path.join(repo, 'LIMITS.md'))).toBe(false);
  });
});
