import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClaudeFileHistoryData } from '../src/model.js';
import { fileHistoryOf } from '../src/ingest/claude/parse.js';
import { runIndex } from '../src/ingest/indexer.js';
import { adaptersFor } from '../src/ingest/sources.js';
import { closeDatabase, openDatabase } from '../src/store/db.js';
import { StoreReader } from '../src/store/reader.js';
import { IndexWriter } from '../src/store/writer.js';
import { prompt, reply, ts, uuid } from './helpers/claude-lines.js';

const SAMPLES = path.resolve(__dirname, '../../shared/samples/claude-code/obra-episodic-memory');
const LONG_SID = '9a9eadc8-c1f1-493e-a0f1-884aa996b05b';
const LONG_CWD = '/Users/testuser/Documents/GitHub/example-org/example-project';

let dir: string;
let claudeDir: string;
let projectDir: string;
let dbPath: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mantra-claude-cp-'));
  claudeDir = path.join(dir, 'claude');
  projectDir = path.join(claudeDir, 'projects', '-Users-testuser-Documents-GitHub-example-org-example-project');
  fs.mkdirSync(projectDir, { recursive: true });
  dbPath = path.join(dir, 'index.db');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function index() {
  const db = openDatabase(dbPath);
  try {
    return runIndex(new IndexWriter(db), adaptersFor({ claudeDir }));
  } finally {
    closeDatabase(db);
  }
}

function checkpoints(sessionId: string) {
  const db = openDatabase(dbPath, { readonly: true });
  try {
    return new StoreReader(db).listCheckpoints(sessionId);
  } finally {
    closeDatabase(db);
  }
}

function messages(sessionId: string) {
  const db = openDatabase(dbPath, { readonly: true });
  try {
    return new StoreReader(db).getMessages(sessionId, 1, 10_000);
  } finally {
    closeDatabase(db);
  }
}

const snapshot = (messageId: string, files: Record<string, unknown>, isSnapshotUpdate = false, lineId = messageId) =>
  JSON.stringify({ type: 'file-history-snapshot', messageId: lineId, snapshot: { messageId, trackedFileBackups: files, timestamp: ts(30) }, isSnapshotUpdate });

describe('Claude file-history snapshots (pure)', () => {
  it.each([
    [{ type: 'file-history-snapshot', messageId: 'm1', snapshot: { messageId: 'm1', trackedFileBackups: {}, timestamp: '2025-10-08T02:43:40.858Z' }, isSnapshotUpdate: false },
      { messageId: 'm1', isSnapshotUpdate: false, timestamp: Date.parse('2025-10-08T02:43:40.858Z'), files: {} }],
    [{ messageId: 'line', snapshot: { messageId: 'prompt', trackedFileBackups: { 'a.ts': { backupFileName: 'abc@v2', version: 2, backupTime: 't' }, 'b.ts': { backupFileName: null, version: 1 }, bad: 5 } }, isSnapshotUpdate: true },
      { messageId: 'prompt', isSnapshotUpdate: true, timestamp: null, files: { 'a.ts': { backupFileName: 'abc@v2', version: 2, backupTime: 't' }, 'b.ts': { backupFileName: null, version: 1, backupTime: null } } }],
    [{ messageId: 'line', snapshot: {} }, { messageId: 'line', isSnapshotUpdate: false, timestamp: null, files: {} }],
    [{ messageId: 'line' }, null],
  ])('reads %j', (entry, expected) => {
    expect(fileHistoryOf(entry)).toEqual(expected);
  });
});

describe('Claude file-history checkpoints', () => {
  it('records every snapshot of the real long sample, with backups, cwd and the prompt it belongs to', () => {
    fs.copyFileSync(path.join(SAMPLES, 'long-conversation.jsonl'), path.join(projectDir, `${LONG_SID}.jsonl`));
    const stats = index();
    expect(stats.fileErrors).toEqual([]);
    const cps = checkpoints(LONG_SID);
    expect(cps).toHaveLength(33);
    expect(cps.every((c) => c.source === 'claude-file-history')).toBe(true);
    const data = (i: number) => JSON.parse(cps[i].data) as ClaudeFileHistoryData;
    // The first snapshot comes before any line names the cwd: it takes the cwd of the prompt that follows.
    expect(cps[0]).toMatchObject({ byteOffset: 0, messageSourceId: '542a45c0-5dc5-4fa0-82b7-3237e79fb9f5', timestamp: Date.parse('2025-10-08T02:43:40.858Z') });
    expect(data(0)).toEqual({ isSnapshotUpdate: false, cwd: LONG_CWD, backupDir: path.join(claudeDir, 'file-history', LONG_SID), files: {} });
    // An update amends the snapshot of an earlier prompt: it names that prompt, not its own line id.
    const update = cps.find((c) => c.byteOffset === 930430)!;
    expect(update.messageSourceId).toBe('afd84d43-4c00-4234-83c3-37cdfbeebbc4');
    expect(JSON.parse(update.data)).toMatchObject({ isSnapshotUpdate: true, files: { '.gitignore': { backupFileName: null, version: 1, backupTime: '2025-10-08T04:56:40.756Z' } } });
    const tracked = cps.find((c) => c.byteOffset === 985944)!;
    const files = (JSON.parse(tracked.data) as ClaudeFileHistoryData).files;
    expect(Object.keys(files)).toHaveLength(10);
    expect(files['.gitignore']).toEqual({ backupFileName: '52562381629016a9@v2', version: 2, backupTime: '2025-10-08T04:59:31.519Z' });
    // Every snapshot names a prompt of this session.
    const prompts = new Set(messages(LONG_SID).filter((m) => m.kind === 'prompt').map((m) => m.sourceId));
    for (const c of cps) expect(prompts.has(c.messageSourceId!), c.messageSourceId!).toBe(true);
  });

  it('keeps snapshots of a transcript without messages out of the index, without failing', () => {
    fs.copyFileSync(path.join(SAMPLES, 'medium-conversation.jsonl'), path.join(projectDir, 'medium.jsonl'));
    const stats = index();
    expect(stats).toMatchObject({ fileErrors: [], sessionsAdded: 0, skipped: {} });
    const db = openDatabase(dbPath, { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM checkpoint').get()).toEqual({ n: 0 });
    closeDatabase(db);
  });

  it('adds appended snapshots once, waits for a cwd across passes, and replaces them when the file is rewritten', () => {
    const sid = '11111111-2222-4333-8444-555555555555';
    const file = path.join(projectDir, `${sid}.jsonl`);
    const p1 = uuid();
    // Pass 1: only the snapshot, before its prompt was written.
    fs.writeFileSync(file, snapshot(p1, {}) + '\n');
    index();
    expect(checkpoints(sid)).toEqual([]);
    // Pass 2: the prompt arrives, naming the cwd; the waiting snapshot lands with it.
    fs.appendFileSync(file, prompt({ uuid: p1, sessionId: sid, timestamp: ts(1), cwd: '/home/ada/shop' }, 'Add a limit') + '\n');
    index();
    expect(checkpoints(sid).map((c) => [c.messageSourceId, (JSON.parse(c.data) as ClaudeFileHistoryData).cwd])).toEqual([[p1, '/home/ada/shop']]);
    // Pass 3: a reply, an update for the same prompt, the next prompt's snapshot.
    const p2 = uuid();
    fs.appendFileSync(
      file,
      [
        reply({ uuid: uuid(), parentUuid: p1, sessionId: sid, timestamp: ts(2) }, 'Done.'),
        snapshot(p1, { 'src/cart.ts': { backupFileName: 'deadbeefdeadbeef@v1', version: 1, backupTime: ts(2) } }, true, uuid()),
        snapshot(p2, { 'src/cart.ts': { backupFileName: 'deadbeefdeadbeef@v2', version: 2, backupTime: ts(3) } }),
        prompt({ uuid: p2, parentUuid: p1, sessionId: sid, timestamp: ts(3) }, 'Now test it'),
      ].join('\n') + '\n',
    );
    index();
    expect(checkpoints(sid).map((c) => c.messageSourceId)).toEqual([p1, p1, p2]);
    // Nothing new: nothing added twice.
    expect(index().filesUnchanged).toBe(1);
    expect(checkpoints(sid)).toHaveLength(3);
    // Rewritten shorter: what the file gave is replaced.
    fs.writeFileSync(file, [snapshot(p1, {}), prompt({ uuid: p1, sessionId: sid, timestamp: ts(1) }, 'Add a limit')].join('\n') + '\n');
    expect(index().filesReset).toBe(1);
    expect(checkpoints(sid).map((c) => c.messageSourceId)).toEqual([p1]);
  });

  it('counts a snapshot line without a snapshot object', () => {
    const sid = '22222222-2222-4333-8444-555555555555';
    fs.writeFileSync(path.join(projectDir, `${sid}.jsonl`), [
      prompt({ uuid: uuid(), sessionId: sid, timestamp: ts(1) }, 'hello'),
      JSON.stringify({ type: 'file-history-snapshot', messageId: 'x' }),
      JSON.stringify({ type: 'file-history-delta', anything: true }),
    ].join('\n') + '\n');
    expect(index().skipped).toEqual({ 'invalid-file-history-snapshot': 1 });
    expect(checkpoints(sid)).toEqual([]);
  });
});
