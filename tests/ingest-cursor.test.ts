import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FileEdit } from '../src/model.js';
import { claudeAdapter } from '../src/ingest/claude/index.js';
import { cursorAdapter } from '../src/ingest/cursor/index.js';
import { collectMessageBlobs, decodeCliMeta, unwrapUserQuery } from '../src/ingest/cursor/cli-store.js';
import { richTextToPlain } from '../src/ingest/cursor/bubbles.js';
import { editsFromDiffChunks } from '../src/ingest/cursor/tools.js';
import { composerRefs, folderOfWorkspaceFile, parseWorkspaceJson, projectSlug, resolveSlug, stripJsonc } from '../src/ingest/cursor/workspace.js';
import { classifyError, openForeignDb, planOpen } from '../src/ingest/foreign-db.js';
import { folderFromUri, resolveAgainst } from '../src/ingest/project-path.js';
import { messageField, readFields, stringField } from '../src/ingest/protobuf.js';
import { planSync, prefixHashes, stateFor } from '../src/ingest/session-sync.js';
import { interpolateTimestamps, makeMessage } from '../src/ingest/text.js';
import { runIndex } from '../src/ingest/indexer.js';
import type { Adapter } from '../src/ingest/adapter.js';
import { closeDatabase, openDatabase } from '../src/store/db.js';
import { StoreReader } from '../src/store/reader.js';
import { IndexWriter } from '../src/store/writer.js';
import { prompt, ts, uuid } from './helpers/claude-lines.js';
import {
  B1,
  B2,
  B3,
  COMPOSER,
  createVscdb,
  putAll,
  referenceBubbles,
  referenceComposer,
  toolBubble,
  workspaceComposerRefs,
} from './helpers/cursor-db.js';

const SAMPLES = path.resolve(__dirname, '../../shared/samples/cursor');

let dir: string;
let userDir: string;
let cliDir: string;
let dbPath: string;
let globalDb: string;
const open: Database.Database[] = [];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mantra-cursor-'));
  userDir = path.join(dir, 'Cursor', 'User');
  cliDir = path.join(dir, 'dot-cursor');
  dbPath = path.join(dir, 'index.db');
  globalDb = path.join(userDir, 'globalStorage', 'state.vscdb');
});
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function keep(db: Database.Database): Database.Database {
  open.push(db);
  return db;
}

function index(extra: Adapter[] = []) {
  const db = openDatabase(dbPath);
  try {
    return runIndex(new IndexWriter(db), [cursorAdapter({ userDir, cliDir }) as unknown as Adapter, ...extra]);
  } finally {
    closeDatabase(db);
  }
}

function read<T>(fn: (r: StoreReader, db: Database.Database) => T): T {
  const db = openDatabase(dbPath, { readonly: true });
  try {
    return fn(new StoreReader(db), db);
  } finally {
    closeDatabase(db);
  }
}

function messageRows(sessionId: string): { id: number; seq: number; source_id: string; kind: string; text: string }[] {
  return read((_, db) => db.prepare('SELECT id, seq, source_id, kind, text FROM message WHERE session_id = ? ORDER BY seq').all(sessionId) as never);
}

function workspace(id: string, folderUri: string, items: Record<string, unknown>): string {
  const wsDir = path.join(userDir, 'workspaceStorage', id);
  fs.mkdirSync(wsDir, { recursive: true });
  fs.writeFileSync(path.join(wsDir, 'workspace.json'), JSON.stringify({ folder: folderUri }));
  const db = createVscdb(path.join(wsDir, 'state.vscdb'), { items: items as never, wal: false });
  db.close();
  return path.join(wsDir, 'state.vscdb');
}

function sha(file: string): string | null {
  try {
    return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  } catch {
    return null;
  }
}

function edits(data: string | null): FileEdit[] {
  return data ? (JSON.parse(data) as { edits: FileEdit[] }).edits : [];
}

describe('Cursor split storage (global cursorDiskKV)', () => {
  it('reads the reference composer: prompt, edit tool call and result, thinking, reply, project and names', () => {
    keep(createVscdb(globalDb, { kv: { [`composerData:${COMPOSER}`]: referenceComposer(), ...referenceBubbles() } })).close();
    workspace('4f2a9c1e0b3d5f7a9c1e0b3d5f7a9c1e', 'file:///home/ada/shop', { 'composer.composerData': workspaceComposerRefs([COMPOSER]) });
    const stats = index();
    expect(stats.fileErrors).toEqual([]);
    expect(stats.skipped).toEqual({});
    read((r) => {
      const s = r.getSession(COMPOSER)!;
      expect(s).toMatchObject({ agent: 'cursor', project: '/home/ada/shop', title: 'Add a quantity limit to the cart', summary: 'Cart limit' });
      const msgs = r.getMessages(COMPOSER, 1, 20);
      expect(msgs.map((m) => m.kind)).toEqual(['prompt', 'tool-call', 'tool-result', 'thinking', 'reply']);
      expect(msgs[0]).toMatchObject({ role: 'user', timestamp: Date.parse('2025-05-02T09:14:00.000Z'), files: ['/home/ada/shop/src/cart.ts'] });
      expect(msgs[1]).toMatchObject({ toolName: 'edit_file', toolUseId: 'toolu_01ABC', text: 'edit_file src/cart.ts', files: ['/home/ada/shop/src/cart.ts'] });
      // No line numbers in the chunk: an exact replacement of the old line by the new one.
      expect(edits(msgs[1].data)).toEqual([{ op: 'replace', path: '/home/ada/shop/src/cart.ts', oldText: 'export const MAX = 0;', newText: 'export const MAX = 10;', replaceAll: false }]);
      expect(msgs[2]).toMatchObject({ kind: 'tool-result', toolUseId: 'toolu_01ABC', toolName: 'edit_file', isError: false });
      expect(msgs[3].text).toBe('The constant lives in cart.ts.');
      expect(msgs[4].text).toContain('Capped at 10');
      expect(msgs[4].timestamp).toBe(Date.parse('2025-05-02T09:14:09.000Z'));
      expect(s.startedAt).toBe(Date.parse('2025-05-02T09:14:00.000Z'));
    });
  });

  it('maps every tool shape to calls, results and edits, and counts bad bubbles without stopping', () => {
    const ids = Array.from({ length: 12 }, (_, i) => `b2000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const huge = 'x'.repeat(3 * 1024 * 1024);
    const bubbles: Record<string, unknown> = {
      [ids[0]]: { type: 1, bubbleId: ids[0], text: '', richText: JSON.stringify({ root: { children: [{ type: 'paragraph', children: [{ text: 'fix ' }, { text: 'the build' }] }, { type: 'paragraph', children: [{ text: 'please' }] }] } }), images: [{ path: '/tmp/shot.png', data: 'iVBORw0KGgo'.repeat(50) }] },
      [ids[1]]: toolBubble(ids[1], { name: 'search_replace', toolCallId: 't1', status: 'completed', rawArgs: JSON.stringify({ file_path: 'src/a.ts', old_string: 'a', new_string: 'b', replace_all: true }), result: '{}' }),
      [ids[2]]: toolBubble(ids[2], { name: 'write', toolCallId: 't2', status: 'completed', rawArgs: JSON.stringify(JSON.stringify({ file_path: '/home/ada/shop/new.ts', contents: 'export {};\n' })), result: '{}' }),
      [ids[3]]: toolBubble(ids[3], { name: 'delete_file', toolCallId: 't3', status: 'completed', rawArgs: JSON.stringify({ target_file: 'old.ts' }), result: '{}' }),
      [ids[4]]: toolBubble(ids[4], { name: 'run_terminal_cmd', toolCallId: 't4', status: 'error', rawArgs: JSON.stringify({ command: 'npm test', is_background: false }), result: JSON.stringify({ output: 'FAIL src/cart.test.ts', exitCode: 1 }) }),
      [ids[5]]: toolBubble(ids[5], { name: 'apply_patch', toolCallId: 't5', status: 'completed', rawArgs: JSON.stringify({ input: '*** Begin Patch\n*** Add File: x.txt\n+hi\n*** End Patch' }), result: '{}' }),
      [ids[6]]: toolBubble(ids[6], { name: 'edit_file', toolCallId: 't6', status: 'completed', rawArgs: JSON.stringify({ target_file: 'src/b.ts', code_edit: '// ... existing code ...' }), result: JSON.stringify({ diff: { chunks: [{ diffString: ' ctx\n-old\n+new', oldStart: 4, oldLines: 2, newStart: 4, newLines: 2 }] } }) }),
      [ids[7]]: toolBubble(ids[7], { name: 'read_file', toolCallId: 't7', status: 'completed', rawArgs: JSON.stringify({ target_file: 'big.log' }), result: JSON.stringify({ contents: huge }) }),
      [ids[8]]: { type: 7, bubbleId: ids[8], text: 'from the future' },
      [ids[9]]: '{"type":2,"bubbleId":"trunc',
      [ids[10]]: toolBubble(ids[10], { name: 'edit_file', toolCallId: 't10', status: 'completed', userDecision: 'rejected', rawArgs: JSON.stringify({ target_file: 'src/c.ts' }), result: JSON.stringify({ diff: { chunks: [{ diffString: '-x\n+y' }] } }) }),
      [ids[11]]: toolBubble(ids[11], { name: 'run_terminal_cmd', toolCallId: 't11', status: 'loading', rawArgs: JSON.stringify({ command: 'sleep 100' }) }),
    };
    const kv: Record<string, unknown> = {
      [`composerData:${COMPOSER}`]: referenceComposer({
        fullConversationHeadersOnly: [...ids, 'b-missing'].map((bubbleId) => ({ bubbleId, type: 2 })),
        workspaceIdentifier: { id: 'ws1', uri: { fsPath: '/home/ada/shop', path: '/home/ada/shop', scheme: 'file' } },
      }),
      'bubbleId:c0ffee00-1111-4222-8333-444455556666:b-orphan': { type: 1, bubbleId: 'b-orphan', text: 'edited away' },
    };
    for (const [id, b] of Object.entries(bubbles)) kv[`bubbleId:${COMPOSER}:${id}`] = b;
    keep(createVscdb(globalDb, { kv: kv as never, blobs: true })).close();
    const stats = index();
    expect(stats.skipped).toEqual({ 'unknown-bubble-type:7': 1, 'invalid-json': 1, 'missing-bubble': 1, 'bubble-not-in-conversation': 1 });
    read((r) => {
      expect(r.getSession(COMPOSER)).toMatchObject({ project: '/home/ada/shop', title: 'fix the build please [image: /tmp/shot.png]' });
      const msgs = r.getMessages(COMPOSER, 1, 100);
      const byTool = (id: string) => msgs.filter((m) => m.toolUseId === id);
      expect(msgs[0]).toMatchObject({ kind: 'prompt', text: 'fix the build\nplease\n[image: /tmp/shot.png]' });
      expect(edits(byTool('t1')[0].data)).toEqual([{ op: 'replace', path: '/home/ada/shop/src/a.ts', oldText: 'a', newText: 'b', replaceAll: true }]);
      expect(edits(byTool('t2')[0].data)).toEqual([{ op: 'write', path: '/home/ada/shop/new.ts', content: 'export {};\n' }]);
      expect(edits(byTool('t3')[0].data)).toEqual([{ op: 'delete', path: '/home/ada/shop/old.ts' }]);
      expect(byTool('t4')[0].text).toBe('run_terminal_cmd: npm test');
      expect(byTool('t4')[1]).toMatchObject({ kind: 'tool-result', isError: true, text: 'FAIL src/cart.test.ts\n[exit code 1]' });
      expect(edits(byTool('t5')[0].data)).toEqual([{ op: 'apply-patch', patch: '*** Begin Patch\n*** Add File: x.txt\n+hi\n*** End Patch', cwd: '/home/ada/shop' }]);
      expect(edits(byTool('t6')[0].data)).toEqual([{ op: 'unified-diff', path: '/home/ada/shop/src/b.ts', diff: '@@ -4,2 +4,2 @@\n ctx\n-old\n+new\n' }]);
      // A 3 MB result is kept browsable, cut with a note.
      const big = byTool('t7')[1].text;
      expect(big.length).toBeLessThan(300 * 1024);
      expect(big).toMatch(/more, cut by mantra-tui; the whole of it is in the value of bubbleId:c0ffee00-[^:]+:b2000000-0000-4000-8000-000000000007/);
      // A rejected edit is an error result, so restore will not apply it.
      expect(byTool('t10')[1]).toMatchObject({ isError: true, subtype: 'rejected' });
      // Still running: the call, no result yet.
      expect(byTool('t11').map((m) => m.kind)).toEqual(['tool-call']);
      for (const m of msgs) expect(m.text).not.toContain('iVBORw0KGgo');
    });
  });

  it('re-reads nothing when nothing changed, and only the composer that changed when one did', () => {
    const other = 'd0d0d0d0-1111-4222-8333-444455556666';
    const w = keep(createVscdb(globalDb, {
      kv: {
        [`composerData:${COMPOSER}`]: referenceComposer(),
        ...referenceBubbles(),
        [`composerData:${other}`]: referenceComposer({ composerId: other, name: 'Other' }),
        ...referenceBubbles(other),
      },
    }));
    w.close();
    const first = index();
    expect(first.messagesAdded).toBe(10);
    const before = { mine: messageRows(COMPOSER), other: messageRows(other) };
    const idle = index();
    expect(idle).toMatchObject({ filesUnchanged: 1, filesRead: 0, messagesAdded: 0 });

    // A new exchange on one composer: its rows stay, the new ones are appended; the other composer is not touched.
    const w2 = keep(new Database(globalDb));
    const b4 = 'b1000000-0000-4000-8000-000000000004';
    putAll(w2, {
      kv: {
        [`composerData:${COMPOSER}`]: referenceComposer({
          lastUpdatedAt: 1746177700000,
          fullConversationHeadersOnly: [{ bubbleId: B1, type: 1 }, { bubbleId: B2, type: 2 }, { bubbleId: B3, type: 2 }, { bubbleId: b4, type: 1 }],
        }),
        [`bubbleId:${COMPOSER}:${b4}`]: { type: 1, bubbleId: b4, text: 'and a test please', createdAt: '2025-05-02T09:16:00.000Z' },
      },
    });
    w2.close();
    const grown = index();
    expect(grown.messagesAdded).toBe(1);
    const after = messageRows(COMPOSER);
    expect(after.slice(0, 5)).toEqual(before.mine);
    expect(after[5]).toMatchObject({ seq: 6, kind: 'prompt', text: 'and a test please' });
    expect(messageRows(other)).toEqual(before.other);

    // The last reply finished streaming: only it is replaced.
    const w3 = keep(new Database(globalDb));
    putAll(w3, { kv: { [`bubbleId:${COMPOSER}:${b4}`]: { type: 1, bubbleId: b4, text: 'and a test please, with vitest', createdAt: '2025-05-02T09:16:00.000Z' } } });
    w3.close();
    expect(index().messagesAdded).toBe(1);
    const edited = messageRows(COMPOSER);
    expect(edited.slice(0, 5)).toEqual(before.mine);
    expect(edited[5].text).toBe('and a test please, with vitest');

    // The first prompt was edited and the conversation cut: rewritten from the start, seq contiguous.
    const w4 = keep(new Database(globalDb));
    putAll(w4, {
      kv: {
        [`composerData:${COMPOSER}`]: referenceComposer({ fullConversationHeadersOnly: [{ bubbleId: B1, type: 1 }] }),
        [`bubbleId:${COMPOSER}:${B1}`]: { type: 1, bubbleId: B1, text: 'Add a limit of 20', createdAt: '2025-05-02T09:14:00.000Z' },
      },
    });
    w4.close();
    index();
    expect(messageRows(COMPOSER).map((m) => [m.seq, m.text])).toEqual([[1, 'Add a limit of 20']]);
    expect(read((r) => r.getSession(COMPOSER)!.messageCount)).toBe(1);
    expect(messageRows(other)).toEqual(before.other);
  });

  it('reads while Cursor holds a write transaction in WAL mode, never blocks its commit, and changes no byte', () => {
    const cursor = keep(createVscdb(globalDb, { kv: { [`composerData:${COMPOSER}`]: referenceComposer(), ...referenceBubbles() } }));
    cursor.pragma('wal_autocheckpoint = 0');
    // Cursor is mid-write: an uncommitted new composer.
    cursor.exec('BEGIN IMMEDIATE');
    putAll(cursor, { kv: { 'composerData:pending': referenceComposer({ composerId: 'pending' }), ...referenceBubbles('pending') } });
    const files = () => fs.readdirSync(path.dirname(globalDb)).sort();
    const before = { db: sha(globalDb), wal: sha(`${globalDb}-wal`), files: files() };
    expect(before.wal).not.toBeNull();

    const stats = index();
    expect(stats.fileErrors).toEqual([]);
    read((r) => {
      expect(r.getSession(COMPOSER)!.messageCount).toBe(5);
      expect(r.getSession('pending')).toBeUndefined();
    });
    expect({ db: sha(globalDb), wal: sha(`${globalDb}-wal`), files: files() }).toEqual(before);

    // Cursor commits while a read transaction of ours is open, then checkpoints: neither waits on us.
    const reading = openForeignDb(globalDb);
    expect(reading.plan).toBe('direct');
    reading.db.transaction(() => {
      reading.db.prepare('SELECT count(*) FROM cursorDiskKV').get();
      cursor.exec('COMMIT');
    }).deferred();
    reading.close();
    expect(cursor.pragma('wal_checkpoint(TRUNCATE)', { simple: false })).toEqual([{ busy: 0, log: 0, checkpointed: 0 }]);
    index();
    expect(read((r) => r.getSession('pending')!.messageCount)).toBe(5);
  });

  it('reads a cleanly closed WAL database without creating -wal or -shm beside it', () => {
    keep(createVscdb(globalDb, { kv: { [`composerData:${COMPOSER}`]: referenceComposer(), ...referenceBubbles() } })).close();
    const listing = fs.readdirSync(path.dirname(globalDb));
    expect(listing).toEqual(['state.vscdb']);
    const before = sha(globalDb);
    index();
    expect(fs.readdirSync(path.dirname(globalDb))).toEqual(['state.vscdb']);
    expect(sha(globalDb)).toBe(before);
    expect(read((r) => r.getSession(COMPOSER)!.messageCount)).toBe(5);
  });

  it('reports a locked database, retries it on the next pass, and reads it once the lock is gone', () => {
    // A rollback-journal database whose owner holds an exclusive write lock.
    const wsDb = path.join(userDir, 'workspaceStorage', 'ws-locked', 'state.vscdb');
    const owner = keep(createVscdb(wsDb, { wal: false, items: {} }));
    fs.writeFileSync(path.join(path.dirname(wsDb), 'workspace.json'), JSON.stringify({ folder: 'file:///home/ada/locked' }));
    owner.exec('BEGIN EXCLUSIVE');
    putAll(owner, {
      items: { 'workbench.panel.aichat.view.aichat.chatdata': { tabs: [{ tabId: 'tab-1', chatTitle: 'Locked chat', lastSendTime: 1731818231743, bubbles: [{ type: 'user', id: 'u-1', text: 'hello' }, { type: 'ai', id: 'a-1', rawText: 'hi', text: '' }] }] } },
    });
    const locked = index();
    expect(locked.fileErrors).toHaveLength(1);
    expect(locked.fileErrors[0].message).toMatch(/locked by its owner.*retry/);
    expect(index().fileErrors).toHaveLength(1);
    owner.exec('COMMIT');
    const after = index();
    expect(after.fileErrors).toEqual([]);
    read((r) => expect(r.getSession('tab-1')).toMatchObject({ summary: 'Locked chat', project: '/home/ada/locked', messageCount: 2 }));
  });

  it('reports a corrupt or half-written database once and keeps going with the others', () => {
    keep(createVscdb(globalDb, { kv: { [`composerData:${COMPOSER}`]: referenceComposer(), ...referenceBubbles() } })).close();
    const bad = path.join(userDir, 'workspaceStorage', 'ws-bad', 'state.vscdb');
    fs.mkdirSync(path.dirname(bad), { recursive: true });
    fs.writeFileSync(bad, Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(4000, 0xab)]));
    const half = path.join(userDir, 'workspaceStorage', 'ws-half', 'state.vscdb');
    fs.mkdirSync(path.dirname(half), { recursive: true });
    const full = path.join(dir, 'full.vscdb');
    const w = createVscdb(full, { wal: false, items: { 'aiService.prompts': [{ text: 'x', commandType: 2 }] } });
    w.close();
    fs.writeFileSync(half, fs.readFileSync(full).subarray(0, 5000));
    const stats = index();
    expect(stats.fileErrors.map((e) => path.basename(path.dirname(e.path))).sort()).toEqual(['ws-bad', 'ws-half']);
    for (const e of stats.fileErrors) expect(e.message).toMatch(/not a readable SQLite database|bad header/);
    expect(read((r) => r.getSession(COMPOSER)!.messageCount)).toBe(5);
    // Unchanged since: not re-opened, not re-reported.
    expect(index().fileErrors).toEqual([]);
  });

  it('reads a log left without its -shm (Cursor crashed) through a private copy, creating nothing beside it', () => {
    const scratch = path.join(dir, 'scratch.vscdb');
    const w = keep(createVscdb(scratch, { kv: { [`composerData:${COMPOSER}`]: referenceComposer() } }));
    w.pragma('wal_autocheckpoint = 0');
    putAll(w, { kv: referenceBubbles() });
    fs.mkdirSync(path.dirname(globalDb), { recursive: true });
    // The bubbles exist only in the log.
    fs.copyFileSync(scratch, globalDb);
    fs.copyFileSync(`${scratch}-wal`, `${globalDb}-wal`);
    w.close();
    const before = { db: sha(globalDb), wal: sha(`${globalDb}-wal`) };
    expect(openForeignDb(globalDb).plan).toBe('copy');
    index();
    expect(fs.readdirSync(path.dirname(globalDb)).sort()).toEqual(['state.vscdb', 'state.vscdb-wal']);
    expect({ db: sha(globalDb), wal: sha(`${globalDb}-wal`) }).toEqual(before);
    // The snapshot was taken beside the index, not in the OS temp dir, and removed after reading.
    expect(fs.readdirSync(path.join(dir, 'snapshots'))).toEqual([]);
    expect(read((r) => r.getSession(COMPOSER)!.messageCount)).toBe(5);
  });

  it('links composers to folders by workspace id, sub-composers to their parent, and reads older inline forms', () => {
    const child = 'c4114d00-1111-4222-8333-444455556666';
    const inline = 'a0a0a0a0-1111-4222-8333-444455556666';
    const mapped = 'b0b0b0b0-1111-4222-8333-444455556666';
    keep(
      createVscdb(globalDb, {
        kv: {
          [`composerData:${COMPOSER}`]: referenceComposer({ subComposerIds: [child] }),
          ...referenceBubbles(),
          [`composerData:${child}`]: referenceComposer({ composerId: child, name: 'Sub task' }),
          ...referenceBubbles(child),
          // An older composer: conversation inline and in conversationMap, no bubble rows.
          [`composerData:${inline}`]: {
            _v: 1,
            composerId: inline,
            createdAt: 1730000000000,
            lastUpdatedAt: 1730000060000,
            fullConversationHeadersOnly: [{ bubbleId: 'i1', type: 1 }, { bubbleId: 'i2', type: 2 }],
            conversationMap: { i2: { type: 2, bubbleId: 'i2', text: 'from the map' } },
            conversation: [{ type: 1, bubbleId: 'i1', text: 'inline question' }],
          },
          // Records only its workspace id (no uri, not listed by that workspace).
          [`composerData:${mapped}`]: referenceComposer({ composerId: mapped, workspaceIdentifier: { id: 'ws-by-id' } }),
          ...referenceBubbles(mapped),
          [`composerData:nullvalue`]: null,
        },
      }),
    ).close();
    workspace('ws-by-id', 'file:///srv/by-id', { 'composer.composerData': workspaceComposerRefs([]) });
    const stats = index();
    expect(stats.skipped).toEqual({ 'null-value': 1 });
    read((r) => {
      expect(r.getSession(child)!.parentId).toBe(COMPOSER);
      expect(r.getSession(COMPOSER)!.childCount).toBe(1);
      expect(r.getMessages(inline, 1, 5).map((m) => [m.kind, m.text, m.timestamp])).toEqual([
        ['prompt', 'inline question', 1730000000000],
        ['reply', 'from the map', 1730000060000],
      ]);
      expect(r.getSession(mapped)!.project).toBe('/srv/by-id');
    });
    expect(cursorAdapter({ userDir, cliDir }).diagnose()).toMatchObject({
      files: 2,
      locations: [
        { path: userDir, exists: true },
        { path: globalDb, exists: true },
        { path: path.join(userDir, 'workspaceStorage'), exists: true },
        { path: path.join(cliDir, 'chats'), exists: false },
        { path: path.join(cliDir, 'projects'), exists: false },
      ],
      unreadable: [],
    });
  });

  it('survives a database deleted between discovery and reading', () => {
    keep(createVscdb(globalDb, { kv: { [`composerData:${COMPOSER}`]: referenceComposer(), ...referenceBubbles() } })).close();
    const adapter = cursorAdapter({ userDir, cliDir });
    const [candidate] = adapter.discover();
    fs.rmSync(globalDb);
    const db = openDatabase(dbPath);
    try {
      const stats = { ...runIndex(new IndexWriter(db), []) };
      adapter.ingest(new IndexWriter(db), candidate, stats);
      expect(stats.fileErrors[0].message).toMatch(/vanished/);
    } finally {
      closeDatabase(db);
    }
  });
});

describe('Cursor older eras (workspace ItemTable)', () => {
  it('reads the real Nov 2024 workspace DB: chat-panel tabs and inline composers, under the workspace folder', () => {
    const wsDir = path.join(userDir, 'workspaceStorage', 'f87f6e0b2cf1ae8645cc0c5ffaa99529');
    fs.mkdirSync(wsDir, { recursive: true });
    fs.copyFileSync(path.join(SAMPLES, 'slevin48-cursor-history', 'state.vscdb'), path.join(wsDir, 'state.vscdb'));
    fs.writeFileSync(path.join(wsDir, 'workspace.json'), JSON.stringify({ folder: 'file:///c%3A/Users/ydebray/Documents/mobilechat' }));
    const before = sha(path.join(wsDir, 'state.vscdb'));
    const stats = index();
    expect(stats.fileErrors).toEqual([]);
    expect(sha(path.join(wsDir, 'state.vscdb'))).toBe(before);
    read((r) => {
      const all = r.listSessions({ includeChildren: true }, 0, 100);
      // 5 chat-panel tabs and the 26 inline composers, every one with a conversation.
      expect(all).toHaveLength(31);
      for (const s of all) expect(s.project).toBe('C:\\Users\\ydebray\\Documents\\mobilechat');
      const tab = r.getSession('2aa483d1-573c-4039-ae4e-7415e28d2605')!;
      // 33 bubbles, the last an empty draft.
      expect(tab).toMatchObject({ summary: 'Ionic App Sidebar Customization Guide', messageCount: 32, updatedAt: 1731818231743 });
      expect(tab.title).toMatch(/^We are building an ionic app for android/);
      const composer = r.getSession('a76419da-5045-4dcb-a1d4-307eab526a30')!;
      expect(composer).toMatchObject({ summary: 'create settings page that enables to enter OpenAI API key,', title: 'create settings page that enables to enter OpenAI API key, and switch from light to dark mode', messageCount: 14 });
      expect(composer.startedAt).toBe(1731815737024);
      const msgs = r.getMessages(composer.id, 1, 3);
      expect(msgs.map((m) => m.kind)).toEqual(['prompt', 'reply', 'prompt']);
      expect(msgs[1].files).toContain('C:\\Users\\ydebray\\Documents\\mobilechat\\src\\app\\app.routes.ts');
    });
    expect(index()).toMatchObject({ filesUnchanged: 1, messagesAdded: 0 });
  });
});

describe('cursor-agent (CLI) stores and agent transcripts', () => {
  function blobId(data: Buffer): string {
    return crypto.createHash('sha256').update(data).digest('hex');
  }
  /** A linking blob: field 1, 32-byte ids, repeated (protobuf wire format). */
  function linking(ids: string[]): Buffer {
    return Buffer.concat(ids.map((id) => Buffer.concat([Buffer.from([0x0a, 0x20]), Buffer.from(id, 'hex')])));
  }
  function makeStore(cwd: string, agentId: string, records: Record<string, unknown>[], name = 'Shop fix'): string {
    const hash = crypto.createHash('md5').update(cwd).digest('hex');
    const file = path.join(cliDir, 'chats', hash, agentId, 'store.db');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE blobs (id TEXT PRIMARY KEY, data BLOB); CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);');
    const ids: string[] = [];
    for (const r of records) {
      const data = Buffer.from(JSON.stringify(r));
      ids.push(blobId(data));
      db.prepare('INSERT INTO blobs VALUES (?, ?)').run(blobId(data), data);
    }
    // Two levels: the root links the first message and a subtree holding the rest.
    const sub = linking(ids.slice(1));
    db.prepare('INSERT INTO blobs VALUES (?, ?)').run(blobId(sub), sub);
    const root = linking([ids[0], blobId(sub)]);
    db.prepare('INSERT INTO blobs VALUES (?, ?)').run(blobId(root), root);
    const meta = { agentId, name, mode: 'default', createdAt: 1775522590321, lastUsedModel: 'claude-4-sonnet', latestRootBlobId: blobId(root) };
    db.prepare("INSERT INTO meta VALUES ('0', ?)").run(Buffer.from(JSON.stringify(meta)).toString('hex'));
    db.close();
    return file;
  }

  it('walks a store from its root blob, unwraps <user_query>, pairs tool calls and results, finds the folder by hash', () => {
    // Another assistant already knows the folder: cursor-agent's md5 of it is recognised.
    const claudeDir = path.join(dir, 'claude');
    const proj = path.join(claudeDir, 'projects', '-home-ada-shop');
    fs.mkdirSync(proj, { recursive: true });
    fs.writeFileSync(path.join(proj, 's1.jsonl'), prompt({ uuid: uuid(), sessionId: 's1', timestamp: ts(1), cwd: '/home/ada/shop' }, 'hello') + '\n');
    // Older than the store, so the pass (newest first) reads the store before it.
    const agentId = 'a1b2c3d4-e5f6-7890-abcd-ef1234567890';
    makeStore('/home/ada/shop', agentId, [
      { role: 'system', content: 'You are an agent.' },
      { role: 'user', content: [{ type: 'text', text: '<user_info>OS: linux</user_info>' }] },
      { role: 'user', content: [{ type: 'text', text: '<user_query>\nrename MAX to LIMIT\n</user_query>' }] },
      { role: 'assistant', id: '1', content: [{ type: 'reasoning', text: 'grep first' }, { type: 'text', text: 'On it.' }, { type: 'tool-call', toolCallId: 'c1', toolName: 'Edit', args: { path: 'src/cart.ts', old_string: 'MAX', new_string: 'LIMIT' } }] },
      { role: 'tool', id: '1', content: [{ type: 'tool-result', toolCallId: 'c1', toolName: 'Edit', result: 'ok' }] },
      { role: 'assistant', id: '1', content: [{ type: 'text', text: 'Renamed.' }] },
      { role: 'robot', content: 'x' },
    ]);
    fs.utimesSync(path.join(proj, 's1.jsonl'), new Date(2020, 0, 1), new Date(2020, 0, 1));
    const stats = index([claudeAdapter(claudeDir) as unknown as Adapter]);
    expect(stats.skipped).toEqual({ 'unknown-role:robot': 1 });
    expect(read((r) => r.getSession(agentId)!.project)).toBeNull();
    // The next pass recognises the folder the Claude session named, and reads the store once more so its relative
    // paths resolve; after that nothing is read.
    const second = index([claudeAdapter(claudeDir) as unknown as Adapter]);
    expect(second).toMatchObject({ filesRead: 1, filesUnchanged: 1 });
    expect(index([claudeAdapter(claudeDir) as unknown as Adapter])).toMatchObject({ filesUnchanged: 2, messagesAdded: 0 });
    read((r) => {
      const s = r.getSession(agentId)!;
      expect(s).toMatchObject({ agent: 'cursor', project: '/home/ada/shop', title: 'rename MAX to LIMIT', summary: 'Shop fix' });
      const msgs = r.getMessages(agentId, 1, 20);
      expect(msgs.map((m) => [m.kind, m.subtype])).toEqual([
        ['system', 'system-prompt'],
        ['system', 'injected-context'],
        ['prompt', null],
        ['thinking', null],
        ['reply', null],
        ['tool-call', null],
        ['tool-result', null],
        ['reply', null],
      ]);
      expect(edits(msgs[5].data)).toEqual([{ op: 'replace', path: '/home/ada/shop/src/cart.ts', oldText: 'MAX', newText: 'LIMIT', replaceAll: false }]);
      expect(msgs[6]).toMatchObject({ toolUseId: 'c1', text: 'ok' });
      // No per-message times in a store: spread between its creation and its last write, in order.
      const times = msgs.map((m) => m.timestamp!);
      expect(times[0]).toBeGreaterThanOrEqual(1775522590321);
      expect([...times].sort((a, b) => a - b)).toEqual(times);
      // Both assistants' sessions group under the one project.
      expect(r.listSessions({ project: '/home/ada/shop', includeChildren: true }, 0, 10).map((x) => x.agent).sort()).toEqual(['claude', 'cursor']);
    });
  });

  it('keeps messages and their times when a store grows: only the new ones are appended', () => {
    const agentId = 'grow0000-e5f6-7890-abcd-ef1234567890';
    const first = [
      { role: 'user', content: [{ type: 'text', text: '<user_query>one</user_query>' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'first answer' }] },
    ];
    const file = makeStore('/srv/grow', agentId, first);
    index();
    const before = read((_, db) => db.prepare('SELECT id, seq, source_id, timestamp, text FROM message WHERE session_id = ? ORDER BY seq').all(agentId));
    expect(before).toHaveLength(2);
    fs.rmSync(path.dirname(file), { recursive: true });
    makeStore('/srv/grow', agentId, [...first, { role: 'user', content: [{ type: 'text', text: '<user_query>two</user_query>' }] }]);
    expect(index().messagesAdded).toBe(1);
    const after = read((_, db) => db.prepare('SELECT id, seq, source_id, timestamp, text FROM message WHERE session_id = ? ORDER BY seq').all(agentId));
    expect(after.slice(0, 2)).toEqual(before);
    expect(after[2]).toMatchObject({ seq: 3, text: 'two' });
  });

  it('reads the published store and transcripts, and shows a conversation once when both forms exist', () => {
    const store = path.join(cliDir, 'chats', '0123456789abcdef0123456789abcdef', 'a1b2c3d4-e5f6-7890-abcd-ef1234567890', 'store.db');
    fs.mkdirSync(path.dirname(store), { recursive: true });
    fs.copyFileSync(path.join(SAMPLES, 'jazzyalex-agent-sessions', 'test-store.db'), store);
    const transcripts = path.join(cliDir, 'projects', 'home-ada-shop', 'agent-transcripts');
    fs.mkdirSync(transcripts, { recursive: true });
    fs.copyFileSync(path.join(SAMPLES, 'jazzyalex-agent-sessions', 'test-session.jsonl'), path.join(transcripts, 'test-session.jsonl'));
    fs.mkdirSync(path.join(transcripts, 'test-session', 'subagents'), { recursive: true });
    fs.copyFileSync(path.join(SAMPLES, 'jazzyalex-agent-sessions', 'subagent-session.jsonl'), path.join(transcripts, 'test-session', 'subagents', 'sub-1.jsonl'));
    // Same id as the store: the store is the richer copy.
    fs.copyFileSync(path.join(SAMPLES, 'jazzyalex-agent-sessions', 'test-session.jsonl'), path.join(transcripts, 'a1b2c3d4-e5f6-7890-abcd-ef1234567890.jsonl'));
    const stats = index();
    expect(stats.fileErrors).toEqual([]);
    // The sample store's root blob ('deadbeef') is not in its empty blobs table.
    expect(stats.skipped).toMatchObject({ 'missing-blob': 1 });
    read((r) => {
      const t = r.getSession('test-session')!;
      expect(t).toMatchObject({ agent: 'cursor', title: 'run ls command', messageCount: 8 });
      const msgs = r.getMessages('test-session', 1, 10);
      expect(msgs.map((m) => m.kind)).toEqual(['prompt', 'reply', 'tool-call', 'reply', 'prompt', 'reply', 'tool-call', 'reply']);
      expect(msgs[4].text).toBe('now show me the git status');
      expect(msgs[2]).toMatchObject({ toolName: 'Shell', text: 'Shell: ls -la /tmp' });
      expect(r.getSession('sub-1')).toMatchObject({ parentId: 'test-session', title: 'Run ls -la in the workspace directory and return the output.' });
      expect(r.getSession('a1b2c3d4-e5f6-7890-abcd-ef1234567890')).toBeUndefined();
    });
  });
});

describe('pure parts', () => {
  it.each([
    [{ dbSize: 10, walMode: true, walExists: true, shmExists: true, journalExists: false }, 'direct'],
    [{ dbSize: 10, walMode: true, walExists: true, shmExists: false, journalExists: false }, 'copy'],
    [{ dbSize: 10, walMode: true, walExists: false, shmExists: false, journalExists: false }, 'memory'],
    [{ dbSize: 1e9, walMode: true, walExists: false, shmExists: false, journalExists: false }, 'copy'],
    [{ dbSize: 10, walMode: false, walExists: false, shmExists: false, journalExists: true }, 'direct'],
    [{ dbSize: 10, walMode: false, walExists: false, shmExists: false, journalExists: false }, 'memory'],
    [{ dbSize: 1e9, walMode: false, walExists: false, shmExists: false, journalExists: false }, 'direct'],
  ] as const)('opens %j as %s', (files, plan) => {
    expect(planOpen(files)).toBe(plan);
  });

  it.each([
    ['SQLITE_BUSY', 'busy'],
    ['SQLITE_BUSY_SNAPSHOT', 'busy'],
    ['SQLITE_CANTOPEN', 'busy'],
    ['SQLITE_READONLY_CANTINIT', 'busy'],
    ['SQLITE_CORRUPT', 'corrupt'],
    ['SQLITE_NOTADB', 'corrupt'],
    ['ENOENT', 'missing'],
    ['ENOSPC', 'unavailable'],
  ])('classifies %s as %s', (code, kind) => {
    expect(classifyError(Object.assign(new Error('x'), { code }))).toBe(kind);
  });

  it('plans the smallest write that brings a session in line', () => {
    const msg = (id: string, text = id) => makeMessage({ sourceId: id, role: 'user', kind: 'prompt', text });
    const three = [msg('a'), msg('b'), msg('c')];
    const prev = stateFor(three, prefixHashes(three, []));
    const plan = (next: typeof three, stored = 3) => planSync(prev, stored, prefixHashes(next, [prev.n, prev.n - 1]), next.length);
    expect(plan(three)).toEqual({ kind: 'unchanged' });
    expect(plan([...three, msg('d')])).toEqual({ kind: 'write', keep: 3 });
    expect(plan([msg('a'), msg('b'), msg('c', 'c, finished')])).toEqual({ kind: 'write', keep: 2 });
    expect(plan([msg('a', 'edited'), msg('b'), msg('c')])).toEqual({ kind: 'write', keep: 0 });
    expect(plan([msg('a'), msg('b')])).toEqual({ kind: 'write', keep: 2 });
    // The index holds something else than this state says (reset, another source): rewrite.
    expect(plan(three, 5)).toEqual({ kind: 'write', keep: 0 });
    expect(planSync(undefined, 0, prefixHashes([], []), 0)).toEqual({ kind: 'unchanged' });
  });

  it.each([
    ['file:///home/ada/shop', '/home/ada/shop'],
    ['file:///home/ada/my%20shop/', '/home/ada/my shop'],
    ['file:///c%3A/Users/ada/shop', 'C:\\Users\\ada\\shop'],
    ['file:///C:/Users/ada/shop/', 'C:\\Users\\ada\\shop'],
    ['file://server/share/repo', '\\\\server\\share\\repo'],
    ['vscode-remote://ssh-remote%2Bhost/home/ada/shop', '/home/ada/shop'],
    ['vscode-remote://wsl%2Bubuntu/home/ada/shop', '/home/ada/shop'],
    ['vscode-remote://dev-container%2B7b22/workspaces/shop', '/workspaces/shop'],
    ['/home/ada/shop/', '/home/ada/shop'],
    ['c:\\Users\\ada\\shop\\', 'C:\\Users\\ada\\shop'],
    ['https://example.com/x', null],
    ['', null],
  ])('folder of %s is %s', (uri, folder) => {
    expect(folderFromUri(uri)).toBe(folder);
  });

  it('resolves recorded relative paths against the project folder', () => {
    expect(resolveAgainst('/home/ada/shop', 'src/a.ts')).toBe('/home/ada/shop/src/a.ts');
    expect(resolveAgainst('/home/ada/shop', './src/a.ts')).toBe('/home/ada/shop/src/a.ts');
    expect(resolveAgainst('C:\\Users\\ada\\shop', 'src/a.ts')).toBe('C:\\Users\\ada\\shop\\src\\a.ts');
    expect(resolveAgainst('/home/ada/shop', '/etc/hosts')).toBe('/etc/hosts');
    expect(resolveAgainst(null, 'src/a.ts')).toBe('src/a.ts');
  });

  it('reads protobuf fields and survives damage', () => {
    const msg = Buffer.from([0x0a, 0x03, 0x61, 0x62, 0x63, 0x10, 0x96, 0x01, 0x1a, 0x02, 0x08, 0x07]);
    const { fields, complete } = readFields(msg);
    expect(complete).toBe(true);
    expect(stringField(fields, 1)).toBe('abc');
    expect(fields.find((f) => f.field === 2)?.varint).toBe(150);
    expect(messageField(fields, 3)?.[0]).toMatchObject({ field: 1, varint: 7 });
    expect(readFields(msg.subarray(0, 4))).toMatchObject({ complete: false });
    expect(readFields(Buffer.from([0x0f, 0x01]))).toEqual({ fields: [], complete: false });
  });

  it('interpolates missing times inside their bounds', () => {
    expect(interpolateTimestamps([null, null, null], 0, 100)).toEqual([0, 50, 100]);
    expect(interpolateTimestamps([null, 40, null, null, 100], 0, 200)).toEqual([0, 40, 60, 80, 100]);
    expect(interpolateTimestamps([10, null], null, null)).toEqual([10, 10]);
    expect(interpolateTimestamps([null], null, null)).toEqual([null]);
    expect(interpolateTimestamps([null, null], 5, null)).toEqual([5, 5]);
  });

  it('reads workspace.json, multi-root workspaces, composer references and project slugs', () => {
    expect(parseWorkspaceJson('{"folder":"file:///home/ada/shop"}')).toEqual({ kind: 'folder', folder: '/home/ada/shop' });
    expect(parseWorkspaceJson('{"workspace":"file:///home/ada/shop.code-workspace"}')).toEqual({ kind: 'workspace-file', file: '/home/ada/shop.code-workspace' });
    expect(parseWorkspaceJson('not json')).toEqual({ kind: 'none' });
    const ws = '{\n  // the app\n  "folders": [ { "path": "app" }, /* docs */ { "path": "../docs" }, ],\n  "settings": { "a": "//not a comment" },\n}';
    expect(stripJsonc(ws).includes('//not a comment')).toBe(true);
    expect(folderOfWorkspaceFile('/home/ada/shop.code-workspace', ws)).toBe('/home/ada/app');
    expect(folderOfWorkspaceFile('/home/ada/x.code-workspace', '{"folders":[{"uri":"file:///srv/repo"}]}')).toBe('/srv/repo');
    expect(folderOfWorkspaceFile('/home/ada/x.code-workspace', null)).toBe('/home/ada');
    expect(composerRefs(workspaceComposerRefs(['c1', 'c2']), [{ 'workbench.panel.aichat.view.c3': { collapsed: false }, other: 1 }]).sort()).toEqual(['c1', 'c2', 'c3']);
    expect(projectSlug('/home/ada/my.shop')).toBe('home-ada-my-shop');
    const dirs = new Set(['/home', '/home/ada', '/home/ada/my.shop', '/home/ada/my.shop/web-app']);
    expect(resolveSlug('home-ada-my-shop-web-app', (p) => dirs.has(p))).toBe('/home/ada/my.shop/web-app');
    expect(resolveSlug('home-ada-nothing', (p) => dirs.has(p))).toBeNull();
    // Adversarial: every prefix exists, the last name never does. The walk gives up after a bounded number of probes.
    let probes = 0;
    expect(resolveSlug('a-'.repeat(40) + 'z', (p) => (probes++, !p.endsWith('z')))).toBeNull();
    expect(probes).toBe(4096);
  });

  it('reads rich text, diff chunks, hex metadata, blob graphs and query wrapping', () => {
    expect(richTextToPlain(JSON.stringify({ root: { children: [{ type: 'paragraph', children: [{ text: 'a' }, { type: 'mention', text: '@b' }] }, { type: 'list', children: [{ children: [{ text: 'one' }] }, { children: [{ text: 'two' }] }] }] } }))).toBe('a@b\none\ntwo');
    expect(richTextToPlain('{broken')).toBe('');
    expect(editsFromDiffChunks('/f', [{ diffString: '+only added' }])).toEqual([]);
    const sample = new Database(path.join(SAMPLES, 'jazzyalex-agent-sessions', 'test-store.db'), { readonly: true, fileMustExist: true });
    try {
      const row = sample.prepare("SELECT value FROM meta WHERE key = '0'").get() as { value: string };
      expect(decodeCliMeta(row.value)).toEqual({ agentId: 'a1b2c3d4-e5f6-7890-abcd-ef1234567890', name: 'Test Session', mode: 'default', createdAt: 1775522590321, lastUsedModel: 'claude-4-sonnet', latestRootBlobId: 'deadbeef' });
    } finally {
      sample.close();
    }
    expect(decodeCliMeta('zz')).toBeNull();
    const a = Buffer.from('{"role":"user","content":"hi"}');
    const idA = 'aa'.repeat(32);
    const idRoot = 'bb'.repeat(32);
    const root = Buffer.concat([Buffer.from([0x0a, 0x20]), Buffer.from(idA, 'hex'), Buffer.from([0x12, 0x20]), Buffer.from(idRoot, 'hex'), Buffer.from([0x0a, 0x20]), Buffer.alloc(32, 0xcc)]);
    const blobs = new Map<string, Buffer>([[idA, a], [idRoot, root]]);
    // A self-reference does not loop; an id not in the table is ignored, not counted missing.
    expect(collectMessageBlobs(idRoot, (id) => blobs.get(id))).toEqual({ blobs: [{ id: idA, json: { role: 'user', content: 'hi' } }], missing: 0, invalid: 0 });
    expect(collectMessageBlobs('deadbeef', () => undefined)).toEqual({ blobs: [], missing: 1, invalid: 0 });
    expect(unwrapUserQuery('<user_query>\n  fix it \n</user_query>')).toEqual({ text: 'fix it', wrapped: true });
    expect(unwrapUserQuery('plain')).toEqual({ text: 'plain', wrapped: false });
  });
});
