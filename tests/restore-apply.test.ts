import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase } from '../src/store/db.js';
import { StoreReader } from '../src/store/reader.js';
import { IndexWriter } from '../src/store/writer.js';
import { RestoreService } from '../src/restore/service.js';
import { snapshotLiveSessions, snapshotWorkingTree } from '../src/restore/snapshot.js';
import { journalDir } from '../src/restore/journal.js';
import { fingerprint, git, makeRepo, writeFiles } from './helpers/git-repo.js';
import { AgentSession } from './helpers/restore-fixtures.js';

let dir: string;
let repo: string;
let dataDir: string;
let dbPath: string;
let db: Database.Database;

beforeEach(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mantra-restore-apply-')));
  repo = path.join(dir, 'shop');
  dataDir = path.join(dir, 'data');
  dbPath = path.join(dir, 'index.db');
});
afterEach(() => {
  if (db?.open) closeDatabase(db);
  fs.rmSync(dir, { recursive: true, force: true });
});

function service(): RestoreService {
  db = openDatabase(dbPath);
  return new RestoreService({ reader: new StoreReader(db), writer: new IndexWriter(db), dataDir });
}

const read = (rel: string) => fs.readFileSync(path.join(repo, rel), 'utf8');
const exists = (rel: string) => fs.existsSync(path.join(repo, rel));
const J = (rel: string) => path.join(repo, rel);

/**
 * A Codex session over a repository with every kind of user state around it: dirty, staged, untracked, ignored,
 * deleted, an executable, a rename and new directories.
 */
function codexScenario(): AgentSession {
  makeRepo(repo, {
    'a.txt': 'a1\n', 'b.txt': 'b1\n', 'm.txt': 'm1\n', 'run.sh': 'echo 1\n', 'old/x.txt': 'x\n', '.gitignore': 'secrets.env\n',
  });
  fs.chmodSync(J('run.sh'), 0o755);
  git(repo, ['add', 'run.sh']);
  git(repo, ['commit', '-q', '-m', 'exec'], '2026-05-01T08:30:00Z');
  const s = new AgentSession('019cd5a0-1111-7aaa-8bbb-0123456789ab', 'codex', repo, {});
  s.prompt('work')
    .edits('apply_patch', [{ op: 'apply-patch', cwd: repo, patch: '*** Begin Patch\n*** Update File: a.txt\n@@\n-a1\n+a2\n*** End Patch' }], {})
    .edits('apply_patch', [{ op: 'apply-patch', cwd: repo, patch: '*** Begin Patch\n*** Add File: b.txt\n+b2\n*** End Patch' }], {})
    .edits('apply_patch', [{ op: 'apply-patch', cwd: repo, patch: '*** Begin Patch\n*** Update File: m.txt\n*** Move to: n.txt\n@@\n-m1\n+m2\n*** End Patch' }], {})
    .edits('write_file', [{ op: 'write', path: J('secrets.env'), content: 'KEY=1\n' }], {})
    .edits('replace', [{ op: 'replace', path: J('run.sh'), oldText: 'echo 1', newText: 'echo 2', replaceAll: false }], {})
    .edits('write_file', [{ op: 'write', path: J('docs/deep/new.md'), content: '# new\n' }], {})
    .edits('apply_patch', [{ op: 'apply-patch', cwd: repo, patch: '*** Begin Patch\n*** Delete File: old/x.txt\n*** End Patch' }], {})
    .edits('write_file', [{ op: 'write', path: J('u.txt'), content: 'session file\n' }], {});
  s.store(dbPath);
  // The disk as the session left it, then the user's own work on top.
  fs.writeFileSync(J('a.txt'), 'a2\nuser line\n');
  fs.writeFileSync(J('b.txt'), 'b2 staged\n');
  git(repo, ['add', 'b.txt']);
  fs.writeFileSync(J('b.txt'), 'b2 staged\nmore\n');
  fs.rmSync(J('m.txt'));
  fs.writeFileSync(J('n.txt'), 'm2\n');
  fs.writeFileSync(J('secrets.env'), 'KEY=2\n');
  fs.writeFileSync(J('run.sh'), 'echo 2\n');
  writeFiles(repo, { 'docs/deep/new.md': '# new\n', 'u.txt': 'session file\n', 'notes.txt': 'my untracked notes\n' });
  fs.rmSync(J('old'), { recursive: true });
  return s;
}

describe('restore in place', () => {
  it('writes the state at the message, refuses unknown files, and undo puts back every byte', async () => {
    const s = codexScenario();
    const treeBefore = fingerprint(repo);
    const gitBefore = fingerprint(path.join(repo, '.git'));
    const svc = service();
    const preview = await svc.previewRestore(s.sessionId, 1);
    expect(preview.plan.counts).toEqual({ write: 3, create: 2, delete: 3, unchanged: 0, refused: 1 });
    expect(preview.plan.refused).toEqual([{ path: J('secrets.env'), reason: 'its state at that moment is unknown: ignored by git, so the base commit does not have it' }]);
    expect(preview.diff.files.map((f) => [f.path, f.status])).toEqual([
      ['a.txt', 'modified'], ['b.txt', 'modified'], ['docs/deep/new.md', 'deleted'], ['m.txt', 'added'], ['n.txt', 'deleted'],
      ['old/x.txt', 'added'], ['run.sh', 'modified'], ['u.txt', 'deleted'],
    ]);
    const outcome = await svc.restoreInPlace(preview);
    expect(outcome).toMatchObject({ mode: 'in-place', target: repo, written: 3, created: 2, deleted: 3, refused: preview.plan.refused });
    expect(outcome.backupSnapshot).toMatch(/^[0-9a-f]{40}$/);
    expect([read('a.txt'), read('b.txt'), read('m.txt'), read('run.sh'), read('old/x.txt')]).toEqual(['a1\n', 'b1\n', 'm1\n', 'echo 1\n', 'x\n']);
    expect([exists('n.txt'), exists('u.txt'), exists('docs/deep/new.md')]).toEqual([false, false, false]);
    expect(fs.statSync(J('run.sh')).mode & 0o777).toBe(0o755);
    expect(read('secrets.env')).toBe('KEY=2\n');
    expect(read('notes.txt')).toBe('my untracked notes\n');
    // Nothing was written into .git: no refs, no index change, no stash.
    expect(fingerprint(path.join(repo, '.git'))).toEqual(gitBefore);
    // The backup holds what was overwritten, in mantra-tui's own repository.
    expect(git(dir, ['--git-dir', path.join(dataDir, 'shadow', fs.readdirSync(path.join(dataDir, 'shadow'))[0], 'backups.git'), 'show', `${outcome.backupSnapshot}:files/a.txt`])).toBe('a2\nuser line');

    const undone = await svc.undo();
    expect(undone.undone).toMatchObject({ id: outcome.id, state: 'undone' });
    expect(fingerprint(repo)).toEqual(treeBefore);
    expect(git(repo, ['diff', '--cached', '--name-only'])).toBe('b.txt');
    expect(svc.listRestores().map((r) => [r.mode, r.state])).toEqual([['undo', 'complete'], ['in-place', 'undone']]);
  });

  it('overwrites an ignored file the session wrote (its state is known from then on), and undo puts the user one back', async () => {
    const s = codexScenario();
    const before = fingerprint(repo);
    const svc = service();
    // #9 is the result of the session's write of secrets.env (ignored): known from there on.
    const preview = await svc.previewRestore(s.sessionId, 9);
    expect(preview.plan.write.map((f) => path.basename(f.path))).toEqual(['a.txt', 'b.txt', 'run.sh', 'secrets.env']);
    expect(preview.plan.refused).toEqual([]);
    await svc.restoreInPlace(preview);
    expect(read('secrets.env')).toBe('KEY=1\n');
    await svc.undo();
    expect(read('secrets.env')).toBe('KEY=2\n');
    expect(fingerprint(repo)).toEqual(before);
  });

  it("puts back the index as it was when undoing, and an undo can itself be undone", async () => {
    const s = codexScenario();
    const svc = service();
    const restored = await svc.restoreInPlace(await svc.previewRestore(s.sessionId, 1));
    const afterRestore = fingerprint(repo);
    // The user stages something after the restore; undo returns the index to the pre-restore one.
    git(repo, ['add', 'notes.txt']);
    const preview = await svc.previewUndo();
    expect(preview.row.id).toBe(restored.id);
    expect(preview.changedSince).toEqual([]);
    await svc.undo();
    expect(git(repo, ['diff', '--cached', '--name-only'])).toBe('b.txt');
    // Undoing the undo brings back the restored tree, and the index with notes.txt staged.
    await svc.undo();
    expect(git(repo, ['diff', '--cached', '--name-only']).split('\n')).toEqual(['b.txt', 'notes.txt']);
    const outsideGit = (rel: string) => rel === '.git' || rel.startsWith('.git/');
    expect(fingerprint(repo, outsideGit)).toEqual(new Map([...afterRestore].filter(([rel]) => !outsideGit(rel))));
  });

  it('refuses paths reached through a symbolic link out of the repository', async () => {
    makeRepo(repo, { 'lib/a.txt': 'a\n' });
    const outside = path.join(dir, 'outside');
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, 'a.txt'), 'outside\n');
    const s = new AgentSession('019cd5a0-2222-7aaa-8bbb-0123456789ab', 'gemini', repo, {});
    s.prompt('go').edits('write_file', [{ op: 'write', path: J('lib/a.txt'), content: 'b\n' }], {});
    s.store(dbPath);
    fs.rmSync(J('lib'), { recursive: true });
    fs.symlinkSync(outside, J('lib'));
    const svc = service();
    const preview = await svc.previewRestore(s.sessionId, 1);
    expect(preview.plan.refused).toEqual([{ path: J('lib/a.txt'), reason: 'reached through a symbolic link that leads out of the repository' }]);
    const outcome = await svc.restoreInPlace(preview);
    expect(outcome).toMatchObject({ written: 0, created: 0, deleted: 0 });
    expect(fs.readFileSync(path.join(outside, 'a.txt'), 'utf8')).toBe('outside\n');
  });
});

describe('recovery after a crash', () => {
  it('rolls back what an interrupted restore wrote, but leaves files the user changed since then', async () => {
    const s = codexScenario();
    const before = fingerprint(repo);
    const svc = service();
    const outcome = await svc.restoreInPlace(await svc.previewRestore(s.sessionId, 1));
    // As if the process had died after its last write, before marking the journal complete.
    const row = svc.listRestores()[0];
    const file = path.join(journalDir(dataDir), row.journalFile);
    const journal = JSON.parse(fs.readFileSync(file, 'utf8')) as { state: string; pid: number };
    journal.state = 'applying';
    journal.pid = 999_999_999;
    fs.writeFileSync(file, JSON.stringify(journal));
    // And the user edited one of the restored files before mantra-tui started again.
    fs.writeFileSync(J('b.txt'), 'typed after the crash\n');
    const recovered = await svc.recover();
    expect(recovered).toEqual([{ file: row.journalFile, from: 'applying', to: 'rolled-back', note: expect.stringContaining(`left as they are (their earlier contents are in backup ${outcome.backupSnapshot}): ${J('b.txt')}`) }]);
    expect(read('b.txt')).toBe('typed after the crash\n');
    const expected = new Map(before);
    expected.set('b.txt', fingerprint(repo).get('b.txt')!);
    expect(fingerprint(repo)).toEqual(expected);
    expect(svc.listRestores()[0]).toMatchObject({ id: outcome.id, state: 'rolled-back' });
    await expect(svc.undo(outcome.id!)).rejects.toThrow(/rolled-back: there is nothing to undo/);
  });
});

describe('restore into a worktree', () => {
  it('creates a branch and worktree at the base commit and writes the state there, leaving the work tree alone', async () => {
    const s = codexScenario();
    const base = git(repo, ['rev-parse', 'HEAD']);
    const treeBefore = fingerprint(repo, (rel) => rel === '.git' || rel.startsWith('.git/'));
    const svc = service();
    const preview = await svc.previewRestore(s.sessionId, 3);
    const outcome = await svc.restoreToWorktree(preview);
    expect(outcome.mode).toBe('worktree');
    expect(outcome.branch).toBe('mantra/restore-019cd5a0-3');
    expect(outcome.target.startsWith(path.join(dataDir, 'worktrees'))).toBe(true);
    expect(git(repo, ['rev-parse', 'mantra/restore-019cd5a0-3'])).toBe(base);
    const wt = (rel: string) => fs.readFileSync(path.join(outcome.target, rel), 'utf8');
    expect([wt('a.txt'), wt('b.txt'), wt('m.txt'), wt('old/x.txt')]).toEqual(['a2\n', 'b1\n', 'm1\n', 'x\n']);
    expect(fs.existsSync(path.join(outcome.target, 'secrets.env'))).toBe(false);
    expect(outcome.refused.map((r) => r.path)).toEqual([J('secrets.env')]);
    expect(fingerprint(repo, (rel) => rel === '.git' || rel.startsWith('.git/'))).toEqual(treeBefore);
    expect(git(repo, ['worktree', 'list'])).toContain(outcome.target);
    await expect(svc.undo(outcome.id!)).rejects.toThrow(/changed nothing in your tree/);
    // A second restore of the same message gets its own branch and folder.
    const again = await svc.restoreToWorktree(await svc.previewRestore(s.sessionId, 3));
    expect(again.branch).toBe('mantra/restore-019cd5a0-3-2');
    expect(again.target).not.toBe(outcome.target);
  });
});

describe('own snapshots', () => {
  it('snapshot tracked, untracked and binary files without touching .git, reusing unchanged trees', async () => {
    makeRepo(repo, { 'img.bin': Buffer.from([0, 1, 2, 255, 0, 7]), 'a.txt': 'a\n', '.gitignore': 'build/\n' });
    writeFiles(repo, { 'untracked.txt': 'u\n', 'build/out.js': 'ignored\n' });
    git(repo, ['stash', 'list']);
    const gitBefore = fingerprint(path.join(repo, '.git'));
    const s = new AgentSession('019cd5a0-3333-7aaa-8bbb-0123456789ab', 'codex', repo, {});
    s.prompt('go')
      .shell('exec_command', { cmd: 'python gen.py' })
      .prompt('again')
      .edits('apply_patch', [{ op: 'apply-patch', cwd: repo, patch: '*** Begin Patch\n*** Update File: a.txt\n@@\n-a\n+b\n*** End Patch' }], {});
    s.store(dbPath);
    const svc = service();
    const writer = new IndexWriter(db);
    const at = (seq: number) => Date.UTC(2026, 4, 2, 9, seq - 1);
    // Snapshots as the live worker takes them: at the shell call (#2), and after its result (#4, #5).
    const before = await snapshotWorkingTree(repo, { sessionId: s.sessionId, seq: 2, timestamp: at(2) }, { dataDir, writer });
    fs.writeFileSync(J('img.bin'), Buffer.from([9, 0, 9])); // what the shell command did
    const first = await snapshotWorkingTree(repo, { sessionId: s.sessionId, seq: 4, timestamp: at(4) }, { dataDir, writer });
    const second = await snapshotWorkingTree(repo, { sessionId: s.sessionId, seq: 5, timestamp: at(5) }, { dataDir, writer });
    expect([before.created, first.created]).toEqual([true, true]);
    expect(second).toMatchObject({ created: false, commit: first.commit });
    expect(fingerprint(path.join(repo, '.git'))).toEqual(gitBefore);
    const shadowGit = path.join(dataDir, 'shadow', fs.readdirSync(path.join(dataDir, 'shadow'))[0], 'snapshots.git');
    expect(git(dir, ['--git-dir', shadowGit, 'ls-tree', '-r', '--name-only', first.commit]).split('\n').sort()).toEqual(['.gitignore', 'a.txt', 'img.bin', 'untracked.txt']);
    expect(fs.readFileSync(path.join(shadowGit, 'objects', 'info', 'alternates'), 'utf8').trim()).toBe(path.join(repo, '.git', 'objects'));

    const img = J('img.bin');
    const { plan } = await svc.load(s.sessionId);
    // img.bin was never edited by a tool: the snapshots show the session changed it.
    expect(plan.paths).toEqual([J('a.txt'), img]);
    expect(plan.fileAt(img, 2)).toMatchObject({ label: 'exact' });
    expect(plan.fileAt(img, 3)).toMatchObject({ label: 'reconstructed' });
    expect(plan.fileAt(img, 4)).toMatchObject({ label: 'exact' });
    expect(plan.fileAt(J('a.txt'), 6).contents!.toString()).toBe('b\n');
    const diff = await svc.diff(s.sessionId, 3, 'prev');
    expect(diff.view.files.map((f) => [f.path, f.status, f.label, f.summary])).toEqual([['img.bin', 'binary', 'reconstructed', 'binary file changed (6 B → 3 B)']]);
    // The binary changes on disk again; restoring #4 writes the snapshot's bytes back exactly.
    fs.writeFileSync(img, Buffer.from([1, 1, 1]));
    await svc.restoreInPlace(await svc.previewRestore(s.sessionId, 4));
    expect(fs.readFileSync(img)).toEqual(Buffer.from([9, 0, 9]));
    expect(fs.readFileSync(J('a.txt'), 'utf8')).toBe('a\n');
  });

  it('the live worker hook snapshots live sessions at their newest message, once', async () => {
    makeRepo(repo, { 'a.txt': 'a\n' });
    const live = new AgentSession('019cd5a0-8888-7aaa-8bbb-0123456789ab', 'codex', repo, {});
    live.prompt('go').reply('working');
    live.store(dbPath);
    const old = new AgentSession('019cd5a0-9999-7aaa-8bbb-0123456789ab', 'codex', repo, {}, Date.UTC(2026, 0, 1));
    old.prompt('long ago');
    old.store(dbPath);
    service();
    const writer = new IndexWriter(db);
    const now = Date.UTC(2026, 4, 2, 9, 3);
    const first = await snapshotLiveSessions([live.sessionId, old.sessionId], { dataDir, writer, now });
    expect(first.taken.map((t) => [t.sessionId, t.seq, t.repoRoot])).toEqual([[live.sessionId, 2, repo]]);
    expect(first.failed).toEqual([]);
    const again = await snapshotLiveSessions([live.sessionId], { dataDir, writer, now });
    expect(again.taken).toEqual([]);
    expect(new StoreReader(db).listSnapshots(live.sessionId).map((x) => x.seq)).toEqual([2]);
  });

  it('leaves a file changed by a shell command unknown when no snapshot exists, and refuses to restore it', async () => {
    makeRepo(repo, { 'a.txt': 'a\n', 'b.txt': 'b\n' });
    const s = new AgentSession('019cd5a0-4444-7aaa-8bbb-0123456789ab', 'gemini', repo, {});
    s.prompt('go')
      .edits('replace', [{ op: 'replace', path: J('a.txt'), oldText: 'a', newText: 'A', replaceAll: false }], {})
      .shell('run_shell_command', { command: "sed -i 's/b/B/' b.txt" })
      .reply('done');
    s.store(dbPath);
    const svc = service();
    const states = await svc.stateAt(s.sessionId, 5);
    expect(states.map((x) => [path.basename(x.path), x.label, x.reason ?? null])).toEqual([
      ['a.txt', 'unknown', "may have been changed by a shell command at #5 (sed -i 's/b/B/' b.txt)"],
    ]);
    const preview = await svc.previewRestore(s.sessionId, 5);
    expect(preview.plan.refused.map((r) => r.reason)).toEqual(["its state at that moment is unknown: may have been changed by a shell command at #5 (sed -i 's/b/B/' b.txt)"]);
  });
});
