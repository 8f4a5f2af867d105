import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase } from '../src/store/db.js';
import { StoreReader } from '../src/store/reader.js';
import { IndexWriter } from '../src/store/writer.js';
import { loadSession } from '../src/restore/load.js';
import type { SessionPlan } from '../src/restore/planner.js';
import { RestoreService } from '../src/restore/service.js';
import { fingerprint, git, makeRepo } from './helpers/git-repo.js';
import { ClaudeSession, indexClaude, type Expected } from './helpers/restore-fixtures.js';

const SAMPLES = path.resolve(__dirname, '../../shared/samples/claude-code');

let dir: string;
let repo: string;
let claudeDir: string;
let dataDir: string;
let dbPath: string;

beforeEach(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mantra-restore-claude-')));
  repo = path.join(dir, 'shop');
  claudeDir = path.join(dir, 'claude');
  dataDir = path.join(dir, 'data');
  dbPath = path.join(dir, 'index.db');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function load(sessionId: string) {
  const db = openDatabase(dbPath, { readonly: true });
  try {
    return await loadSession(new StoreReader(db), sessionId, { dataDir });
  } finally {
    closeDatabase(db);
  }
}

function describeState(plan: SessionPlan, p: string, seq: number): Expected {
  const s = plan.fileAt(p, seq);
  if (s.label === 'unknown') return 'unknown';
  return s.absent ? null : s.contents!.toString('utf8');
}

/** Asserts the planned state of every expected file at every message. */
function expectStates(plan: SessionPlan, session: ClaudeSession): void {
  session.expected.forEach((files, i) => {
    for (const [p, want] of files) expect({ seq: i + 1, path: p, state: describeState(plan, p, i + 1) }).toEqual({ seq: i + 1, path: p, state: want });
  });
}

describe('state at every message of a Claude Code session', () => {
  it('replays edits on the base commit, honours shell commands and re-anchors on recorded originals', async () => {
    makeRepo(repo, { 'src/cart.ts': 'export const MAX = 0;\n', 'src/util.ts': 'export const id = (x) => x;\n', '.gitignore': 'secrets.env\n' });
    const cart = path.join(repo, 'src/cart.ts');
    const util = path.join(repo, 'src/util.ts');
    const limits = path.join(repo, 'LIMITS.md');
    const s = new ClaudeSession('6f1c2e0a-3b7d-4c55-9a10-2f3e4d5c6b7a', repo, {
      [cart]: 'export const MAX = 0;\n',
      [util]: 'export const id = (x) => x;\n',
      [limits]: null,
    });
    s.prompt('Add a quantity limit to the cart')
      .edit(cart, 'export const MAX = 0;\n', 'MAX = 0', 'MAX = 10')
      .edit(util, 'export const id = (x) => x;\n', '(x) => x', '<T>(x: T) => x')
      .write(limits, '# Limits\n', null)
      // An older result without originalFile: replayed on the previous state.
      .edit(limits, '# Limits\n', '# Limits\n', '# Limits\n\nMax 10.\n', { originalFile: false })
      .call('Edit', { file_path: cart, old_string: 'nope', new_string: 'x' }, { isError: true, text: 'String not found' })
      .bash('ls -la src && git status')
      .bash('npm run build', { [cart]: 'unknown', [util]: 'unknown', [limits]: 'unknown' });
    const seqOfBuild = s.seq;
    // The recorded originals show what the files held since the build: that fills the gap back to it.
    s.write(cart, 'export const MAX = 20;\n', 'export const MAX = 10;\n')
      .edit(limits, '# Limits\n\nMax 10.\n', 'Max 10.', 'Max 20.')
      .reply('Done.');
    for (const [p, v] of [[cart, 'export const MAX = 10;\n'], [limits, '# Limits\n\nMax 10.\n']] as const) {
      for (let seq = seqOfBuild; seq <= seqOfBuild + 3; seq++) if (s.expected[seq - 1].get(p) === 'unknown') s.expected[seq - 1].set(p, v);
    }
    s.writeTo(claudeDir);
    indexClaude(dbPath, claudeDir);
    const loaded = await load(s.sessionId);
    expect(loaded.repo?.root).toBe(repo);
    expect(loaded.repo?.base?.how).toMatch(/reflog of main/);
    expectStates(loaded.plan, s);
    expect(loaded.plan.fileAt(util, s.seq)).toMatchObject({ label: 'unknown', reason: `may have been changed by a shell command at #${seqOfBuild} (npm run build)` });
    expect(loaded.plan.fileAt(cart, 1).label).toBe('reconstructed');
    expect(loaded.plan.conflicts).toEqual([]);
  });

  it('marks a file changed outside the recorded edits as unknown between the two points', async () => {
    makeRepo(repo, { 'a.txt': 'one\n' });
    const a = path.join(repo, 'a.txt');
    const s = new ClaudeSession('11111111-2222-4333-8444-555555555555', repo, { [a]: 'one\n' });
    s.prompt('go').edit(a, 'one\n', 'one', 'two').reply('thinking').reply('more');
    const editedAt = s.seq - 2;
    // The user edited a.txt by hand to "TWO"; the next edit's original says so.
    s.edit(a, 'TWO\n', 'TWO', 'three');
    s.writeTo(claudeDir);
    indexClaude(dbPath, claudeDir);
    const { plan } = await load(s.sessionId);
    expect(plan.fileAt(a, editedAt - 1).contents!.toString()).toBe('one\n');
    expect(plan.fileAt(a, editedAt)).toMatchObject({ label: 'unknown', reason: `changed outside the recorded edits between #${editedAt} and #${s.seq}` });
    expect(plan.fileAt(a, s.seq - 1)).toMatchObject({ label: 'unknown' });
    expect(plan.fileAt(a, s.seq).contents!.toString()).toBe('three\n');
    expect(plan.conflicts).toEqual([{ path: a, from: editedAt, to: s.seq }]);
  });

  it('uses the recorded original over a base commit that missed uncommitted changes', async () => {
    makeRepo(repo, { 'a.txt': 'committed\n' });
    fs.writeFileSync(path.join(repo, 'a.txt'), 'dirty\n');
    const a = path.join(repo, 'a.txt');
    const s = new ClaudeSession('22222222-2222-4333-8444-555555555555', repo, { [a]: 'dirty\n' });
    s.prompt('go').reply('looking').edit(a, 'dirty\n', 'dirty', 'clean');
    s.writeTo(claudeDir);
    indexClaude(dbPath, claudeDir);
    const { plan } = await load(s.sessionId);
    expectStates(plan, s);
    expect(plan.conflicts).toEqual([]);
  });

  it('is exact at prompts with Claude file-history backups, and unknown without a base', async () => {
    // No git repository: only the backups and the recorded originals say anything.
    const project = path.join(dir, 'loose');
    fs.mkdirSync(project);
    const f = path.join(project, 'notes.md');
    const s = new ClaudeSession('33333333-2222-4333-8444-555555555555', project, { [f]: 'unknown' });
    s.prompt('first').reply('ok');
    const promptSeq = s.seq + 1;
    s.prompt('second');
    const promptUuid = s.uuidOfLast();
    s.bash('make notes', { [f]: 'unknown' });
    s.writeTo(claudeDir);
    indexClaude(dbPath, claudeDir);
    // The file-history recording (another engineer's adapter work) lands as checkpoint rows: written here by hand.
    const backupDir = path.join(claudeDir, 'file-history', s.sessionId);
    fs.mkdirSync(backupDir, { recursive: true });
    fs.writeFileSync(path.join(backupDir, 'abcdef0123456789@v2'), 'backed up\n');
    const db = openDatabase(dbPath);
    const w = new IndexWriter(db);
    const src = w.ensureSourceFile(path.join(claudeDir, 'projects', 'x', `${s.sessionId}.jsonl`), 'claude');
    w.addCheckpoint(s.sessionId, src.id, {
      source: 'claude-file-history',
      messageSourceId: promptUuid,
      timestamp: s.timestampOf(promptSeq),
      data: JSON.stringify({ isSnapshotUpdate: false, cwd: project, backupDir, files: { 'notes.md': { backupFileName: 'abcdef0123456789@v2', version: 2, backupTime: null } } }),
      byteOffset: 1,
    });
    closeDatabase(db);
    const { plan } = await load(s.sessionId);
    expect(plan.fileAt(f, promptSeq - 1)).toMatchObject({ label: 'reconstructed' });
    expect(plan.fileAt(f, promptSeq - 1).contents!.toString()).toBe('backed up\n');
    expect(plan.fileAt(f, promptSeq)).toMatchObject({ label: 'exact', reason: 'Claude file-history backup' });
    expect(plan.fileAt(f, promptSeq).contents!.toString()).toBe('backed up\n');
    expect(plan.fileAt(f, s.seq)).toMatchObject({ label: 'unknown', reason: expect.stringMatching(/shell command .*make notes/) });
  });

  it('places a backup added during a turn (isSnapshotUpdate) just before the first edit, not at the prompt', async () => {
    makeRepo(repo, { 'f.txt': 'orig\n' });
    const f = path.join(repo, 'f.txt');
    const s = new ClaudeSession('55555555-2222-4333-8444-555555555555', repo, { [f]: 'orig\n' });
    s.prompt('fix f');
    const promptSeq = s.seq;
    const promptUuid = s.uuidOfLast();
    s.bash("sed -i 's/orig/sedded/' f.txt", { [f]: 'sedded\n' }).edit(f, 'sedded\n', 'sedded', 'edited', { originalFile: false });
    s.writeTo(claudeDir);
    indexClaude(dbPath, claudeDir);
    const backupDir = path.join(claudeDir, 'file-history', s.sessionId);
    fs.mkdirSync(backupDir, { recursive: true });
    fs.writeFileSync(path.join(backupDir, '0123456789abcdef@v1'), 'sedded\n');
    const db = openDatabase(dbPath);
    const w = new IndexWriter(db);
    const src = w.ensureSourceFile(path.join(dir, 'x.jsonl'), 'claude');
    const line = (isSnapshotUpdate: boolean, files: object, byteOffset: number) => w.addCheckpoint(s.sessionId, src.id, {
      source: 'claude-file-history', messageSourceId: promptUuid, timestamp: s.timestampOf(promptSeq),
      data: JSON.stringify({ isSnapshotUpdate, cwd: repo, backupDir, files }), byteOffset,
    });
    line(false, {}, 1);
    line(true, { 'f.txt': { backupFileName: '0123456789abcdef@v1', version: 1, backupTime: null } }, 2);
    closeDatabase(db);
    const { plan } = await load(s.sessionId);
    // The backup shows the file after the shell command: exact at the edit's call, filled back to the command.
    expectStates(plan, s);
    expect(plan.fileAt(f, promptSeq)).toMatchObject({ label: 'reconstructed' });
    expect(plan.fileAt(f, s.seq - 1)).toMatchObject({ label: 'exact', reason: 'Claude file-history backup' });
    expect(plan.fileAt(f, s.seq - 2)).toMatchObject({ label: 'reconstructed' });
  });

  it('never writes into the user .git while planning and diffing', async () => {
    makeRepo(repo, { 'a.txt': 'one\n' });
    fs.writeFileSync(path.join(repo, 'untracked.txt'), 'u\n');
    git(repo, ['stash', 'list']);
    const before = fingerprint(path.join(repo, '.git'));
    const a = path.join(repo, 'a.txt');
    const s = new ClaudeSession('44444444-2222-4333-8444-555555555555', repo, { [a]: 'one\n' });
    s.prompt('go').edit(a, 'one\n', 'one', 'two');
    s.writeTo(claudeDir);
    indexClaude(dbPath, claudeDir);
    const db = openDatabase(dbPath, { readonly: true });
    const service = new RestoreService({ reader: new StoreReader(db), dataDir });
    const prev = await service.diff(s.sessionId, s.seq, 'prev');
    const now = await service.diff(s.sessionId, s.seq, 'now');
    closeDatabase(db);
    expect(prev.view.files.map((f) => [f.path, f.status, f.label])).toEqual([['a.txt', 'modified', 'reconstructed']]);
    expect(prev.view.files[0].hunks[0].lines).toEqual([{ kind: 'del', text: 'one' }, { kind: 'add', text: 'two' }]);
    // The disk still says "one": against now, the moment differs.
    expect(now.view.files[0]).toMatchObject({ path: 'a.txt', status: 'modified', additions: 1, deletions: 1 });
    expect(fingerprint(path.join(repo, '.git'))).toEqual(before);
  });
});

describe('a real Claude Code transcript (obra/episodic-memory, 2.0.5)', () => {
  it('reconstructs every Write and Edit result exactly as recorded', async () => {
    const src = path.join(SAMPLES, 'obra-episodic-memory', 'long-conversation.jsonl');
    const lines = fs.readFileSync(src, 'utf8').split('\n').filter(Boolean);
    const sessionId = (JSON.parse(lines.find((l) => l.includes('"sessionId"'))!) as { sessionId: string }).sessionId;
    const projectDir = path.join(claudeDir, 'projects', '-sample');
    fs.mkdirSync(projectDir, { recursive: true });
    fs.copyFileSync(src, path.join(projectDir, `${sessionId}.jsonl`));
    indexClaude(dbPath, claudeDir);
    const { plan, evidence } = await load(sessionId);
    // The oracle: each edit result's recorded contents, computed here without the planner.
    const db = openDatabase(dbPath, { readonly: true });
    const reader = new StoreReader(db);
    let checked = 0;
    for (const m of reader.iterateMessages(sessionId)) {
      if (m.kind !== 'tool-result' || !m.data || m.isError) continue;
      const d = JSON.parse(m.data) as Record<string, unknown>;
      const file = d.filePath as string;
      let want: string;
      if (typeof d.content === 'string') want = d.content;
      else if (typeof d.originalFile === 'string') want = (d.originalFile as string).split(d.oldString as string).join(d.newString as string);
      else continue;
      const got = plan.fileAt(file, m.seq);
      expect({ seq: m.seq, file, label: got.label }).toEqual({ seq: m.seq, file, label: 'reconstructed' });
      expect(got.contents!.toString('utf8')).toBe(want);
      checked++;
    }
    closeDatabase(db);
    expect(checked).toBe(31);
    // Outside any repository, files the session created are absent before their creation (recorded as such).
    const created = evidence.effects.find((e) => e.op.type === 'observe' && e.op.text === null)!;
    expect(plan.fileAt(created.path, 1)).toMatchObject({ label: 'reconstructed', absent: true });
  });
});
