import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase } from '../src/store/db.js';
import { StoreReader } from '../src/store/reader.js';
import { IndexWriter } from '../src/store/writer.js';
import { loadSession } from '../src/restore/load.js';
import type { SessionPlan } from '../src/restore/planner.js';
import { fingerprint, gitEnvAt, makeRepo } from './helpers/git-repo.js';
import { AgentSession, type Expected } from './helpers/restore-fixtures.js';

let dir: string;
let repo: string;
let dataDir: string;
let dbPath: string;

beforeEach(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mantra-restore-agents-')));
  repo = path.join(dir, 'shop');
  dataDir = path.join(dir, 'data');
  dbPath = path.join(dir, 'index.db');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const J = (rel: string) => path.join(repo, rel);

async function plan(sessionId: string, baseCommit?: string) {
  const db = openDatabase(dbPath, { readonly: true });
  try {
    return await loadSession(new StoreReader(db), sessionId, { dataDir, baseCommit });
  } finally {
    closeDatabase(db);
  }
}

function stateOf(p: SessionPlan, file: string, seq: number): Expected {
  const s = p.fileAt(file, seq);
  return s.label === 'unknown' ? 'unknown' : s.absent ? null : s.contents!.toString('utf8');
}

function expectStates(p: SessionPlan, s: AgentSession): void {
  s.expected.forEach((files, i) => {
    for (const [file, want] of files) expect({ seq: i + 1, file, state: stateOf(p, file, i + 1) }).toEqual({ seq: i + 1, file, state: want });
  });
}

describe('state at every message, for assistants that record FileEdits', () => {
  it('Codex: apply_patch add, update, move and delete; an errored call changes nothing; a call without result is unknown', async () => {
    makeRepo(repo, { 'src/cart.py': 'def total():\n    return 0\n', 'README.md': 'shop\n', 'old.txt': 'old\n' });
    const s = new AgentSession('019cd5a0-5555-7aaa-8bbb-0123456789ab', 'codex', repo, {
      [J('src/cart.py')]: 'def total():\n    return 0\n', [J('README.md')]: 'shop\n', [J('old.txt')]: 'old\n', [J('docs/limits.md')]: null, [J('src/checkout.py')]: null,
    });
    s.prompt('cap the cart')
      .edits('apply_patch', [{ op: 'apply-patch', cwd: repo, patch: '*** Begin Patch\n*** Update File: src/cart.py\n@@ def total():\n-    return 0\n+    return 10\n*** Add File: docs/limits.md\n+# Limits\n*** End Patch' }],
        { [J('src/cart.py')]: 'def total():\n    return 10\n', [J('docs/limits.md')]: '# Limits\n' })
      .edits('apply_patch', [{ op: 'apply-patch', cwd: repo, patch: '*** Begin Patch\n*** Update File: README.md\n@@\n-nope\n+x\n*** End Patch' }], {}, 'error')
      .edits('apply_patch', [{ op: 'apply-patch', cwd: repo, patch: '*** Begin Patch\n*** Update File: src/cart.py\n*** Move to: src/checkout.py\n@@\n-    return 10\n+    return 20\n*** Delete File: old.txt\n*** End Patch' }],
        { [J('src/cart.py')]: null, [J('src/checkout.py')]: 'def total():\n    return 20\n', [J('old.txt')]: null })
      .edits('apply_patch', [{ op: 'apply-patch', cwd: repo, patch: '*** Begin Patch\n*** Update File: README.md\n@@\n-shop\n+the shop\n*** End Patch' }], {}, 'none')
      .reply('stopped');
    s.expected[s.expected.length - 1].set(J('README.md'), 'unknown');
    s.store(dbPath);
    const loaded = await plan(s.sessionId);
    expectStates(loaded.plan, s);
    expect(loaded.plan.fileAt(J('README.md'), s.messages.length)).toMatchObject({ label: 'unknown', reason: `apply_patch at #${s.messages.length - 1} has no recorded result` });
  });

  it('Codex: the commit recorded in session_meta wins over the reflog', async () => {
    const first = makeRepo(repo, { 'a.txt': 'first\n' });
    fs.writeFileSync(J('a.txt'), 'second\n');
    execFileSync('git', ['commit', '-qam', 'second'], { cwd: repo, env: gitEnvAt('2026-05-01T09:00:00Z') });
    const s = new AgentSession('019cd5a0-6666-7aaa-8bbb-0123456789ab', 'codex', repo, { [J('a.txt')]: 'first\n' });
    s.prompt('go').edits('apply_patch', [{ op: 'apply-patch', cwd: repo, patch: '*** Begin Patch\n*** Update File: a.txt\n@@\n-first\n+third\n*** End Patch' }], { [J('a.txt')]: 'third\n' });
    s.store(dbPath);
    const recorded = await plan(s.sessionId, first);
    expect(recorded.repo?.base).toEqual({ commit: first, how: 'recorded by the assistant' });
    expectStates(recorded.plan, s);
    // Without it the reflog gives the later commit, and the edit no longer applies.
    const guessed = await plan(s.sessionId);
    expect(guessed.repo?.base?.commit).not.toBe(first);
    expect(guessed.plan.fileAt(J('a.txt'), 3)).toMatchObject({ label: 'unknown', reason: expect.stringMatching(/did not apply: expected lines not found/) });
  });

  it("Gemini CLI: replace and write_file, exact at a checkpoint from Gemini's shadow repository", async () => {
    makeRepo(repo, { 'src/cart.ts': 'export const MAX = 0;\n' });
    // Uncommitted work the base commit does not have; Gemini's checkpoint saw it.
    fs.writeFileSync(J('src/cart.ts'), 'export const MAX = 5;\n');
    const history = path.join(dir, 'gemini', 'history', 'shop');
    fs.mkdirSync(history, { recursive: true });
    const env = { ...gitEnvAt('2026-05-02T09:00:30Z'), GIT_DIR: path.join(history, '.git'), GIT_WORK_TREE: repo };
    execFileSync('git', ['init', '-q'], { cwd: history, env });
    execFileSync('git', ['add', '.'], { cwd: repo, env });
    execFileSync('git', ['commit', '-qm', 'Snapshot for replace'], { cwd: repo, env });
    const commitHash = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repo, env, encoding: 'utf8' }).trim();
    const userGit = fingerprint(J('.git'));

    const cart = J('src/cart.ts');
    const s = new AgentSession('7c0e1f2a-4b5c-4d6e-8f90-a1b2c3d4e5f6', 'gemini', repo, { [cart]: 'export const MAX = 5;\n', [J('LIMITS.md')]: null });
    s.prompt('cap it')
      .edits('replace', [{ op: 'replace', path: cart, oldText: 'MAX = 5', newText: 'MAX = 10', replaceAll: false }], { [cart]: 'export const MAX = 10;\n' }, 'ok', { file_path: cart, old_string: 'MAX = 5', new_string: 'MAX = 10' })
      .edits('write_file', [{ op: 'write', path: J('LIMITS.md'), content: '# Limits\n' }], { [J('LIMITS.md')]: '# Limits\n' }, 'ok', { file_path: J('LIMITS.md') })
      .edits('replace', [{ op: 'replace', path: J('NEW.md'), oldText: '', newText: 'created by replace\n', replaceAll: false }], { [J('NEW.md')]: 'created by replace\n' });
    s.store(dbPath);
    const db = openDatabase(dbPath);
    const w = new IndexWriter(db);
    const src = w.ensureSourceFile(path.join(dir, 'gemini', 'tmp', 'shop', 'checkpoints', 'x.json'), 'gemini');
    w.addCheckpoint(s.sessionId, src.id, {
      source: 'gemini-checkpoint',
      messageSourceId: null,
      timestamp: Date.UTC(2026, 4, 2, 9, 1, 10),
      data: JSON.stringify({ file: 'x.json', commitHash, shadowRepo: history, projectRoot: repo, toolCall: { name: 'replace', args: { file_path: cart, old_string: 'MAX = 5', new_string: 'MAX = 10' } } }),
      byteOffset: 0,
    });
    closeDatabase(db);
    const loaded = await plan(s.sessionId);
    expectStates(loaded.plan, s);
    expect(loaded.plan.fileAt(cart, 2)).toMatchObject({ label: 'exact', reason: 'Gemini CLI checkpoint' });
    expect(loaded.plan.fileAt(J('LIMITS.md'), 2)).toMatchObject({ label: 'exact', absent: true });
    expect(loaded.plan.fileAt(cart, 1)).toMatchObject({ label: 'reconstructed' });
    // Reading Gemini's shadow repository and the project wrote nothing in either.
    expect(fingerprint(J('.git'))).toEqual(userGit);
  });

  it('Cursor: unified diffs, including one that creates a file and one that no longer applies', async () => {
    makeRepo(repo, { 'app.js': 'const a = 1;\nconst b = 2;\n' });
    const app = J('app.js');
    const s = new AgentSession('c0ffee00-0000-4000-8000-000000000001', 'cursor', repo, { [app]: 'const a = 1;\nconst b = 2;\n', [J('lib.js')]: null });
    s.prompt('rename')
      .edits('edit_file', [{ op: 'unified-diff', path: app, diff: '--- a/app.js\n+++ b/app.js\n@@ -1,2 +1,2 @@\n-const a = 1;\n+const alpha = 1;\n const b = 2;\n' }], { [app]: 'const alpha = 1;\nconst b = 2;\n' })
      .edits('edit_file', [{ op: 'unified-diff', path: J('lib.js'), diff: '--- /dev/null\n+++ b/lib.js\n@@ -0,0 +1 @@\n+export {};\n' }], { [J('lib.js')]: 'export {};\n' })
      .edits('edit_file', [{ op: 'unified-diff', path: app, diff: '@@ -1 +1 @@\n-const a = 1;\n+const z = 1;\n' }], { [app]: 'unknown' })
      .edits('edit_file', [{ op: 'delete', path: J('lib.js') }], { [J('lib.js')]: null });
    s.store(dbPath);
    const loaded = await plan(s.sessionId);
    expectStates(loaded.plan, s);
    expect(loaded.plan.fileAt(app, 7).reason).toBe('edit_file at #7 did not apply: hunk @@ -1,1 +1,1 @@ does not match the file');
  });

  it('Antigravity: replace-all and writes', async () => {
    makeRepo(repo, { 'main.go': 'foo()\nfoo()\n' });
    const main = J('main.go');
    const s = new AgentSession('a9000000-0000-4000-8000-000000000001', 'antigravity', repo, { [main]: 'foo()\nfoo()\n' });
    s.prompt('rename foo')
      .edits('replace_file_content', [{ op: 'replace', path: main, oldText: 'foo', newText: 'bar', replaceAll: true }], { [main]: 'bar()\nbar()\n' })
      .edits('replace_file_content', [{ op: 'replace', path: main, oldText: 'bar', newText: 'baz', replaceAll: false }], { [main]: 'unknown' })
      .edits('write_to_file', [{ op: 'write', path: main, content: 'package main\n' }], { [main]: 'package main\n' });
    s.store(dbPath);
    const loaded = await plan(s.sessionId);
    expectStates(loaded.plan, s);
    expect(loaded.plan.fileAt(main, 5).reason).toBe('replace_file_content at #5 did not apply: old text found 2 times ("bar")');
  });
});
