import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FileEditData, GeminiCheckpointData } from '../src/model.js';
import { classifyChatLine } from '../src/ingest/gemini/chat-jsonl.js';
import { checkpointTime, chooseCheckpointLink, sessionsNamedBy } from '../src/ingest/gemini/documents.js';
import { geminiAdapter } from '../src/ingest/gemini/index.js';
import { geminiRecordRows, toolEdits } from '../src/ingest/gemini/parse.js';
import { parseRegistry, resolveProjectRoot, sha256 } from '../src/ingest/gemini/project.js';
import { runIndex } from '../src/ingest/indexer.js';
import { emptyStats } from '../src/ingest/stats.js';
import { adaptersFor } from '../src/ingest/sources.js';
import { resolveGeminiDir } from '../src/paths.js';
import { closeDatabase, openDatabase } from '../src/store/db.js';
import { StoreReader } from '../src/store/reader.js';
import { IndexWriter } from '../src/store/writer.js';

const FIXTURES = path.resolve(__dirname, 'fixtures/gemini');
const SAMPLES = path.resolve(__dirname, '../../shared/samples/gemini-cli');
const SID = '7c0e1f2a-4b5c-4d6e-8f90-a1b2c3d4e5f6';
const TOOLS_SID = 'b2000000-aaaa-4bbb-8ccc-000000000000';
const LEGACY_SID = '3a9b8c7d-6e5f-4a3b-9c1d-0e2f4a6b8c0d';

let dir: string;
let geminiDir: string;
let dbPath: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mantra-gemini-'));
  geminiDir = path.join(dir, 'gemini');
  dbPath = path.join(dir, 'index.db');
  fs.mkdirSync(geminiDir, { recursive: true });
  fs.copyFileSync(path.join(FIXTURES, 'projects.json'), path.join(geminiDir, 'projects.json'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Places a fixture (or content) at tmp/<projectId>/<rel>, as Gemini lays its files out. */
function place(rel: string, fixture: string | null, content?: string, projectId = 'shop'): string {
  const file = path.join(geminiDir, 'tmp', projectId, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (fixture) fs.copyFileSync(path.join(FIXTURES, fixture), file);
  else fs.writeFileSync(file, content ?? '');
  return file;
}

const CHAT = 'chats/session-2026-05-02T09-10-7c0e1f2a.jsonl';
const fixtureLines = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8').split('\n').filter(Boolean);

function index() {
  const db = openDatabase(dbPath);
  try {
    return runIndex(new IndexWriter(db), adaptersFor({ claudeDir: path.join(dir, 'no-claude'), geminiDir }));
  } finally {
    closeDatabase(db);
  }
}

function read<T>(fn: (r: StoreReader, db: import('better-sqlite3').Database) => T): T {
  const db = openDatabase(dbPath, { readonly: true });
  try {
    return fn(new StoreReader(db), db);
  } finally {
    closeDatabase(db);
  }
}

const dump = () => read((_, db) => db.prepare('SELECT * FROM message ORDER BY id').all());
const kinds = (sessionId: string) => read((r) => r.getMessages(sessionId, 1, 200).map((m) => m.kind));

describe('Gemini records (pure)', () => {
  it.each([
    [{ sessionId: 's', projectHash: 'h' }, 'metadata'],
    [{ id: 'm1', type: 'user', content: 'hi' }, 'message'],
    [{ $set: { summary: 'x' } }, 'set'],
    [{ $rewindTo: 'm1' }, 'rewind'],
    [{ $truncate: 1 }, 'unknown'],
    [{ type: 'user' }, 'unknown'],
    ['text', 'unknown'],
  ])('recognises %j as a %s line', (record, kind) => {
    expect(classifyChatLine(record).kind).toBe(kind);
  });

  it.each([
    ['write_file', { file_path: '/p/a.ts', content: 'x' }, [{ op: 'write', path: '/p/a.ts', content: 'x' }]],
    ['replace', { file_path: 'a.ts', old_string: 'a', new_string: 'b' }, [{ op: 'replace', path: '/root/a.ts', oldText: 'a', newText: 'b', replaceAll: false }]],
    ['replace', { file_path: '/p/a.ts', old_string: 'a', new_string: 'b', expected_replacements: 3 }, [{ op: 'replace', path: '/p/a.ts', oldText: 'a', newText: 'b', replaceAll: true }]],
    ['replace', { file_path: '/p/a.ts', old_string: 'a', new_string: 'b', allow_multiple: true }, [{ op: 'replace', path: '/p/a.ts', oldText: 'a', newText: 'b', replaceAll: true }]],
    ['replace', { file_path: '/p/new.ts', old_string: '', new_string: 'created' }, [{ op: 'write', path: '/p/new.ts', content: 'created' }]],
    ['replace', { file_path: '/p/a.ts', old_string: 'a' }, null],
    ['write_file', { file_path: '/p/a.ts' }, null],
    ['run_shell_command', { command: 'ls' }, null],
  ])('turns %s %j into %j', (name, args, expected) => {
    expect(toolEdits(name, args, '/root')).toEqual(expected);
  });

  it('never throws, whatever the record', () => {
    for (const record of [null, 1, 'x', [], {}, { id: 'a' }, { id: 'a', type: 'gemini', toolCalls: [null, 1, { args: 'x' }] }, { id: 'a', type: 'user', content: [null, { inlineData: 5 }] }]) {
      expect(() => geminiRecordRows(record, 0, null)).not.toThrow();
    }
  });
});

describe('Gemini project and checkpoint links (pure)', () => {
  const registry = parseRegistry('{"projects":{"/home/ada/shop":"shop","/home/ada/work/shop":"shop-1"}}');
  it.each([
    [{ projectRootFile: '/srv/app\n', projectId: 'app' }, '/srv/app'],
    [{ projectId: 'shop-1' }, '/home/ada/work/shop'],
    [{ projectId: sha256('/home/ada/blog'), candidates: ['/home/ada/shop', '/home/ada/blog/'] }, '/home/ada/blog'],
    [{ projectId: 'blog', projectHash: sha256('/home/ada/blog'), candidates: ['/home/ada/blog'] }, '/home/ada/blog'],
    [{ projectId: sha256('/nowhere'), candidates: ['/home/ada/shop'] }, null],
    [{ projectId: 'unregistered-slug', candidates: ['/home/ada/shop'] }, null],
  ])('resolves %j to %j', (evidence, root) => {
    expect(resolveProjectRoot({ projectRootFile: null, registry, projectHash: null, candidates: [], ...evidence })).toBe(root);
  });

  it.each([
    ['2026-05-02T09-10-09_990Z-cart.ts-replace.json', Date.parse('2026-05-02T09:10:09.990Z')],
    ['2026-05-02T09-10-09Z-cart.ts-write_file.json', Date.parse('2026-05-02T09:10:09.000Z')],
    ['checkpoint-mytag.json', null],
  ])('reads the time in checkpoint name %s', (name, time) => {
    expect(checkpointTime(name)).toBe(time);
  });

  it.each([
    ['prompt-7c0e1f2a-1', ['7c0e1f2a-4b5c-4d6e-8f90-a1b2c3d4e5f6', 'b2000000-aaaa'], ['7c0e1f2a-4b5c-4d6e-8f90-a1b2c3d4e5f6']],
    ['7c0e1f2a-4b5c-4d6e-8f90-a1b2c3d4e5f6########3', ['7c0e1f2a-4b5c-4d6e-8f90-a1b2c3d4e5f6', '7c0e1f2a-ffff'], ['7c0e1f2a-4b5c-4d6e-8f90-a1b2c3d4e5f6']],
    ['prompt-1', ['7c0e1f2a-4b5c'], []],
    [null, ['7c0e1f2a-4b5c'], []],
  ])('finds the sessions prompt id %j names', (messageId, ids, named) => {
    expect(sessionsNamedBy(messageId, ids)).toEqual(named);
  });

  const sessions = [
    { id: 'aaaaaaaa-1', startedAt: 1_000_000, updatedAt: 2_000_000 },
    { id: 'bbbbbbbb-2', startedAt: 1_500_000, updatedAt: 3_000_000 },
  ];
  const calls = [
    { sessionId: 'aaaaaaaa-1', sourceId: 'a#call:1', timestamp: 1_600_000, files: ['/p/cart.ts'] },
    { sessionId: 'bbbbbbbb-2', sourceId: 'b#call:1', timestamp: 1_600_500, files: ['/p/cart.ts'] },
    { sessionId: 'bbbbbbbb-2', sourceId: 'b#call:2', timestamp: 1_600_100, files: ['/p/other.ts'] },
  ];
  it.each([
    ['the nearest call to the same file', { messageId: null, filePath: '/p/cart.ts', calls }, { sessionId: 'aaaaaaaa-1', messageSourceId: 'a#call:1' }],
    ['a call in the session the prompt id names', { messageId: 'prompt-bbbbbbbb-4', filePath: '/p/cart.ts', calls }, { sessionId: 'bbbbbbbb-2', messageSourceId: 'b#call:1' }],
    ['the session holding the time when no call matches', { messageId: 'prompt-bbbbbbbb-4', filePath: '/p/none.ts', calls }, { sessionId: 'bbbbbbbb-2', messageSourceId: null }],
    ['nothing when no session is near', { messageId: null, filePath: null, calls: [], time: 9_000_000 }, null],
  ])('links a checkpoint to %s', (_what, input, expected) => {
    expect(chooseCheckpointLink({ time: 1_600_000, sessions, ...input })).toEqual(expected);
  });
});

describe('Gemini CLI ingest', () => {
  it('replays a JSONL session: the last copy of a message wins, a rewind drops what follows, a late $set names it', () => {
    const file = place(CHAT, 'session.jsonl');
    const stats = index();
    expect(stats.fileErrors).toEqual([]);
    expect(stats.skipped).toEqual({});
    read((r) => {
      expect(r.getSession(SID)).toMatchObject({ agent: 'gemini', project: '/home/ada/shop', title: 'Add a quantity limit to the cart', summary: 'Cart quantity limit', messageCount: 4 });
      const msgs = r.getMessages(SID, 1, 20);
      expect(msgs.map((m) => m.kind)).toEqual(['prompt', 'tool-call', 'tool-result', 'reply']);
      // The second copy of the model message has no thoughts and no result text: it replaced the first.
      const [, call, result, reply] = msgs;
      expect(call).toMatchObject({ toolName: 'replace', toolUseId: 'replace-1714640000000-a1', text: 'replace /home/ada/shop/src/cart.ts', files: ['/home/ada/shop/src/cart.ts'] });
      expect(call.sourceId).toBe('e1000000-0000-4000-8000-000000000002#call:replace-1714640000000-a1');
      expect((JSON.parse(call.data!) as FileEditData).edits).toEqual([
        { op: 'replace', path: '/home/ada/shop/src/cart.ts', oldText: 'export const MAX = 0;', newText: 'export const MAX = 10;', replaceAll: false },
      ]);
      expect(result).toMatchObject({ toolUseId: call.toolUseId, toolName: 'replace', isError: false });
      expect(reply.text).toBe('Done: the cart now caps quantities at 10.');
      // The rewound image prompt and error are gone.
      expect(msgs.some((m) => m.text.includes('screenshot') || m.isError)).toBe(false);
      expect(r.getSession(SID)!.sourceFiles).toEqual([file]);
    });
  });

  it('turns tool calls into call/result pairs with their edits, files and errors; counts what it cannot read', () => {
    place('chats/session-2026-05-03T10-00-b2000000.jsonl', 'tools.jsonl');
    const stats = index();
    expect(stats.skipped).toEqual({ 'unknown-type:some_future_type': 1, 'unknown-type:$truncate': 1, 'invalid-json': 1, 'unknown-type:(none)': 1 });
    read((r) => {
      const msgs = r.getMessages(TOOLS_SID, 1, 50);
      expect(msgs.map((m) => m.kind)).toEqual([
        'prompt', 'thinking', 'reply',
        'tool-call', 'tool-result', 'tool-call', 'tool-result', 'tool-call', 'tool-result', 'tool-call', 'tool-result', 'tool-call', 'tool-result', 'tool-call', 'tool-result',
        'tool-call', 'system', 'system',
      ]);
      expect(msgs[1].text).toBe('Planning the module.');
      const call = (id: string) => msgs.find((m) => m.kind === 'tool-call' && m.toolUseId === id)!;
      const result = (id: string) => msgs.find((m) => m.kind === 'tool-result' && m.toolUseId === id);
      expect((JSON.parse(call('write_file-1').data!) as FileEditData).edits).toEqual([{ op: 'write', path: '/home/ada/shop/src/limit.ts', content: 'export const LIMIT = 10;\n' }]);
      // A relative path resolves against the project root the folder maps to.
      expect(call('replace-2').files).toEqual(['/home/ada/shop/src/cart.ts']);
      expect((JSON.parse(call('replace-2').data!) as FileEditData).edits[0]).toMatchObject({ op: 'replace', replaceAll: true });
      expect((JSON.parse(call('replace-3').data!) as FileEditData).edits).toEqual([{ op: 'write', path: '/home/ada/shop/src/new.ts', content: 'export {};\n' }]);
      expect(call('run_shell_command-4')).toMatchObject({ text: 'run_shell_command: npm test', files: [] });
      expect(result('run_shell_command-4')).toMatchObject({ isError: true });
      expect(result('run_shell_command-4')!.text).toContain('Exit Code: 1');
      expect(result('read_file-5')).toMatchObject({ isError: true, text: 'File not found: /home/ada/shop/README.md' });
      expect(call('read_file-5').files).toEqual(['/home/ada/shop/README.md']);
      expect(result('run_shell_command-6')).toMatchObject({ isError: true, text: '[cancelled]' });
      expect(result('write_file-1')!.isError).toBe(false);
      // Still running: no result yet.
      expect(result('google_web_search-7')).toBeUndefined();
      expect(msgs.slice(-2).map((m) => [m.subtype, m.text])).toEqual([['info', 'Request cancelled.'], ['warning', 'Approaching the daily quota.']]);
      expect(r.getScrubBuckets(TOOLS_SID, 1)[0]).toMatchObject({ toolCalls: 7, errors: 3 });
    });
  });

  it('reads appended records without re-reading, and re-reads the file when a line rewrites committed history', () => {
    const lines = fixtureLines('session.jsonl');
    const file = place(CHAT, null, lines.slice(0, 4).join('\n') + '\n');
    index();
    // The first copy of the model message was committed: its thoughts and result are in.
    expect(kinds(SID)).toEqual(['prompt', 'thinking', 'tool-call', 'tool-result']);
    const before = dump();
    // The second copy re-sends a committed message: the file is read again from the start.
    fs.appendFileSync(file, lines[4] + '\n');
    expect(index().filesReset).toBe(1);
    expect(kinds(SID)).toEqual(['prompt', 'tool-call', 'tool-result']);
    // New messages only: appended, nothing re-read, earlier rows untouched.
    const mid = dump();
    fs.appendFileSync(file, lines.slice(5, 8).join('\n') + '\n');
    const appended = index();
    expect(appended).toMatchObject({ filesReset: 0, bytesRead: Buffer.byteLength(lines.slice(5, 8).join('\n') + '\n') });
    expect(dump().slice(0, mid.length)).toEqual(mid);
    expect(kinds(SID)).toEqual(['prompt', 'tool-call', 'tool-result', 'reply', 'prompt', 'system']);
    // A rewind into committed history: read again, the rewound messages are gone.
    fs.appendFileSync(file, lines.slice(8).join('\n') + '\n');
    expect(index().filesReset).toBe(1);
    expect(kinds(SID)).toEqual(['prompt', 'tool-call', 'tool-result', 'reply']);
    expect(read((r) => r.getSession(SID)!.summary)).toBe('Cart quantity limit');
    expect(before.length).toBe(4);
  });

  it('leaves a truncated last line for the next pass and reads it once complete', () => {
    const lines = fixtureLines('session.jsonl');
    const file = place(CHAT, null, lines.slice(0, 2).join('\n') + '\n' + lines[5].slice(0, 40));
    const first = index();
    expect(first.skipped).toEqual({});
    expect(kinds(SID)).toEqual(['prompt']);
    fs.appendFileSync(file, lines[5].slice(40) + '\n');
    index();
    expect(kinds(SID)).toEqual(['prompt', 'reply']);
  });

  it('reads a legacy whole-file session, re-reads it when rewritten, and keeps the last good version while it is half-written', () => {
    const file = place('chats/session-2025-11-20T08-00-3a9b8c7d.json', 'legacy.json');
    index();
    read((r) => {
      expect(r.getSession(LEGACY_SID)).toMatchObject({ project: '/home/ada/shop', title: 'list the files', summary: 'Listing files', messageCount: 4 });
      const msgs = r.getMessages(LEGACY_SID, 1, 10);
      expect(msgs.map((m) => m.kind)).toEqual(['prompt', 'tool-call', 'tool-result', 'reply']);
      expect(msgs[3].text).toBe('There is a README and a src folder: "quoted", braces {like} [these], and a backslash \\ too.');
      // Rows point at their record in the file.
      const raw = fs.readFileSync(file, 'utf8');
      expect(raw.slice(msgs[0].byteOffset, msgs[0].byteOffset + 1)).toBe('{');
    });
    expect(index()).toMatchObject({ filesUnchanged: 1, messagesAdded: 0 });
    // Gemini rewrites the whole file with one more message.
    const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
    doc.messages.push({ id: '9f000000-0000-4000-8000-000000000004', timestamp: '2025-11-20T08:02:00.000Z', type: 'user', content: 'thanks' });
    const complete = JSON.stringify(doc, null, 2);
    // Caught mid-write: the old rows stay, the reason is counted.
    fs.writeFileSync(file, complete.slice(0, complete.length - 300));
    const half = index();
    expect(half.skipped).toEqual({ 'incomplete-json': 1 });
    expect(kinds(LEGACY_SID)).toEqual(['prompt', 'tool-call', 'tool-result', 'reply']);
    fs.writeFileSync(file, complete);
    const done = index();
    expect(done).toMatchObject({ filesReset: 1, skipped: {} });
    expect(kinds(LEGACY_SID)).toEqual(['prompt', 'tool-call', 'tool-result', 'reply', 'prompt']);
  });

  it('reads the .jsonl twin of a session Gemini migrated, not the old .json', () => {
    place('chats/session-2025-11-20T08-00-3a9b8c7d.json', 'legacy.json');
    const twin = place('chats/session-2025-11-20T08-00-3a9b8c7d.jsonl', null, [
      JSON.stringify({ sessionId: LEGACY_SID, projectHash: 'x', startTime: '2025-11-20T08:00:00.000Z', kind: 'main' }),
      JSON.stringify({ id: 'm1', timestamp: '2025-11-20T08:00:10.000Z', type: 'user', content: 'list the files' }),
    ].join('\n') + '\n');
    expect(geminiAdapter(geminiDir).discover().map((c) => c.path)).toEqual([twin]);
  });

  it('takes prompts from logs.json only for sessions that have no chat file', () => {
    place('chats/session-2025-11-20T08-00-3a9b8c7d.json', 'legacy.json');
    place('logs.json', 'logs.json');
    const stats = index();
    expect(stats.skipped).toEqual({ 'unknown-type:tool': 1, 'missing-session-id': 1 });
    read((r) => {
      expect(r.getSession('0ld00000-1111-4222-8333-444444444444')).toMatchObject({ agent: 'gemini', project: '/home/ada/shop', title: 'explain the checkout flow', messageCount: 2 });
      expect(r.getMessages('0ld00000-1111-4222-8333-444444444444', 1, 5).map((m) => m.text)).toEqual(['explain the checkout flow', 'now add tests for it']);
      // The legacy session's prompt is in its chat file, not twice.
      expect(r.getSession(LEGACY_SID)!.messageCount).toBe(4);
    });
  });

  it('resolves the project from .project_root, or from a hashed folder whose path the index knows; else null', () => {
    const root = path.join(dir, 'repos', 'blog');
    place('chats/session-2026-05-02T09-10-7c0e1f2a.jsonl', 'session.jsonl', undefined, 'blog');
    fs.writeFileSync(path.join(geminiDir, 'tmp', 'blog', '.project_root'), `${root}\n`);
    // Up to v0.28 the folder is the SHA-256 of the root; an unregistered hash stays unknown.
    const hashed = sha256('/home/ada/shop');
    place('chats/session-2026-05-03T10-00-b2000000.jsonl', 'tools.jsonl', undefined, hashed);
    place('chats/session-2025-11-20T08-00-3a9b8c7d.json', 'legacy.json', undefined, sha256('/nowhere/known'));
    fs.writeFileSync(path.join(geminiDir, 'projects.json'), '{"projects":{}}');
    // The hashed folder's root is known only as the project of another assistant's session in the index.
    const db = openDatabase(dbPath);
    const writer = new IndexWriter(db);
    const f = writer.ensureSourceFile('/elsewhere/claude.jsonl', 'claude');
    writer.upsertSession({ id: 'claude-1', agent: 'claude', project: '/home/ada/shop' }, f.id);
    closeDatabase(db);
    index();
    read((r) => {
      expect(r.getSession(SID)!.project).toBe(root);
      expect(r.getSession(TOOLS_SID)!.project).toBe('/home/ada/shop');
      expect(r.getSession(LEGACY_SID)!.project).toBeNull();
    });
  });

  it('files sub-agent sessions under the session their folder names', () => {
    place(CHAT, 'session.jsonl');
    place(`chats/${SID}/c3000000-0000-4000-8000-000000000000.jsonl`, null, [
      JSON.stringify({ sessionId: 'c3000000-0000-4000-8000-000000000000', projectHash: 'x', startTime: '2026-05-02T09:12:00.000Z', kind: 'subagent' }),
      JSON.stringify({ id: 's1', timestamp: '2026-05-02T09:12:01.000Z', type: 'user', content: 'Investigate the failing test' }),
    ].join('\n') + '\n');
    index();
    read((r) => {
      expect(r.getSession('c3000000-0000-4000-8000-000000000000')).toMatchObject({ parentId: SID, title: 'Investigate the failing test' });
      expect(r.getSession(SID)!.childCount).toBe(1);
    });
  });

  it('records a checkpoint against the tool call it precedes, waits for its session, and keeps it once Gemini deletes the file', () => {
    const cpFile = place('checkpoints/2026-05-02T09-10-09_990Z-cart.ts-replace.json', 'checkpoint.json');
    const shadow = path.join(geminiDir, 'history', 'shop', '.git');
    fs.mkdirSync(shadow, { recursive: true });
    // The session is not there yet: the checkpoint waits.
    const early = index();
    expect(early.skipped).toEqual({ 'gemini-checkpoint-without-session': 1 });
    place(CHAT, 'session.jsonl');
    const stats = index();
    expect(stats.skipped).toEqual({});
    const check = () =>
      read((r) => {
        const [cp] = r.listCheckpoints(SID);
        expect(r.listCheckpoints(SID)).toHaveLength(1);
        expect(cp).toMatchObject({
          source: 'gemini-checkpoint',
          messageSourceId: 'e1000000-0000-4000-8000-000000000002#call:replace-1714640000000-a1',
          timestamp: Date.parse('2026-05-02T09:10:09.990Z'),
          sourceFile: cpFile,
        });
        const data = JSON.parse(cp.data) as GeminiCheckpointData;
        expect(data).toEqual({
          file: cpFile,
          commitHash: 'b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6',
          shadowRepo: shadow,
          projectRoot: '/home/ada/shop',
          toolCall: { name: 'replace', args: { file_path: '/home/ada/shop/src/cart.ts', old_string: 'export const MAX = 0;', new_string: 'export const MAX = 10;' } },
        });
        // The message it names is in the session.
        expect(r.getMessages(SID, 1, 20).some((m) => m.sourceId === cp.messageSourceId)).toBe(true);
      });
    check();
    expect(index()).toMatchObject({ filesUnchanged: 2, skipped: {} });
    fs.rmSync(cpFile);
    expect(index().filesGone).toBe(1);
    check();
  });

  it('commits a long session in batches, in the order of first appearance, each message as its last copy', () => {
    const lines = [JSON.stringify({ sessionId: SID, projectHash: 'x', startTime: '2026-05-02T09:10:00.000Z' })];
    for (let i = 0; i < 2500; i++) lines.push(JSON.stringify({ id: `m${i}`, timestamp: new Date(Date.UTC(2026, 4, 2, 10, 0, i)).toISOString(), type: i % 2 ? 'gemini' : 'user', content: `draft ${i}` }));
    // Every other message is re-sent later with its final text: it keeps its place.
    for (let i = 0; i < 2500; i += 2) lines.push(JSON.stringify({ id: `m${i}`, timestamp: new Date(Date.UTC(2026, 4, 2, 10, 0, i)).toISOString(), type: 'user', content: `final ${i}` }));
    place(CHAT, null, lines.join('\n') + '\n');
    expect(index().messagesAdded).toBe(2500);
    read((r) => {
      const msgs = r.getMessages(SID, 1, 3000);
      expect(msgs.map((m) => m.seq)).toEqual(Array.from({ length: 2500 }, (_, i) => i + 1));
      expect(msgs.slice(0, 4).map((m) => m.text)).toEqual(['final 0', 'draft 1', 'final 2', 'draft 3']);
      expect(msgs[2499].text).toBe('draft 2499');
    });
  });

  it('does not fail when files disappear between listing and reading', () => {
    const files = [place(CHAT, 'session.jsonl'), place('chats/session-2025-11-20T08-00-3a9b8c7d.json', 'legacy.json'), place('logs.json', 'logs.json')];
    const adapter = geminiAdapter(geminiDir);
    const candidates = adapter.discover();
    expect(candidates).toHaveLength(3);
    for (const f of files) fs.rmSync(f);
    const stats = emptyStats();
    const db = openDatabase(dbPath);
    try {
      for (const c of candidates) expect(() => adapter.ingest(new IndexWriter(db), c, stats)).not.toThrow();
    } finally {
      closeDatabase(db);
    }
    expect(stats.fileErrors.map((e) => e.path).sort()).toEqual([...files].sort());
  });

  it('caps a huge tool output', () => {
    const huge = 'z'.repeat(2_000_000);
    place(CHAT, null, [
      JSON.stringify({ sessionId: SID, projectHash: 'x', startTime: '2026-05-02T09:10:00.000Z' }),
      JSON.stringify({ id: 'u', timestamp: '2026-05-02T09:10:01.000Z', type: 'user', content: 'cat the log' }),
      JSON.stringify({ id: 'g', timestamp: '2026-05-02T09:10:02.000Z', type: 'gemini', content: '', toolCalls: [{ id: 't', name: 'read_file', args: { absolute_path: '/var/log/big.log' }, status: 'success', result: [{ functionResponse: { id: 't', name: 'read_file', response: { output: huge } } }] }] }),
    ].join('\n') + '\n');
    index();
    read((r) => {
      const out = r.getMessages(SID, 1, 5).find((m) => m.kind === 'tool-result')!;
      expect(out.text.length).toBeLessThan(300_000);
      expect(out.text).toMatch(/more, cut by mantra-tui/);
    });
  });

  it('re-indexing unchanged files changes nothing; the sources stay byte-identical', () => {
    const files = [place(CHAT, 'session.jsonl'), place('chats/session-2025-11-20T08-00-3a9b8c7d.json', 'legacy.json'), place('logs.json', 'logs.json'), place('checkpoints/2026-05-02T09-10-09_990Z-cart.ts-replace.json', 'checkpoint.json')];
    const hash = () => files.map((f) => `${crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex')}@${fs.statSync(f).mtimeMs}`);
    const before = hash();
    index();
    index(); // the checkpoint may link on the second pass, after its session
    const rows = dump();
    const checkpoints = read((r) => r.listCheckpoints(SID));
    expect(checkpoints).toHaveLength(1);
    expect(index()).toMatchObject({ messagesAdded: 0, sessionsAdded: 0, filesUnchanged: 4, bytesRead: 0 });
    expect(dump()).toEqual(rows);
    expect(read((r) => r.listCheckpoints(SID))).toEqual(checkpoints);
    expect(hash()).toEqual(before);
  });

  it('resolves its dir from the flag, then $GEMINI_CLI_HOME/.gemini, then ~/.gemini', () => {
    expect(resolveGeminiDir('/flag', { GEMINI_CLI_HOME: '/h', HOME: '/home/ada' })).toBe('/flag');
    expect(resolveGeminiDir(undefined, { GEMINI_CLI_HOME: '/h', HOME: '/home/ada' })).toBe('/h/.gemini');
    expect(resolveGeminiDir(undefined, { HOME: '/home/ada' })).toBe('/home/ada/.gemini');
    const diagnosis = geminiAdapter(geminiDir).diagnose();
    expect(diagnosis.locations.find((l) => l.path.endsWith('projects.json'))!.exists).toBe(true);
  });

  it('reads every published real sample without failing, with the facts they hold', () => {
    const samples = (fs.readdirSync(SAMPLES, { recursive: true }) as string[]).filter((f) => /\.jsonl?$/.test(f));
    expect(samples.length).toBe(4);
    samples.forEach((f, i) => place(`chats/session-2026-01-0${i + 1}T00-00-${String(i).padStart(8, '0')}${path.extname(f)}`, null, fs.readFileSync(path.join(SAMPLES, f), 'utf8'), 'samples'));
    const stats = index();
    expect(stats.fileErrors).toEqual([]);
    expect(stats.skipped).toEqual({});
    expect(stats.sessionsAdded).toBe(4);
    read((r) => {
      // kvsankar: a real recording (gemini-2.5-flash) with one thought.
      expect(kinds('dcbe78d3-ea75-4786-929e-d6cff0fc00ed')).toEqual(['prompt', 'thinking', 'reply']);
      expect(r.getSession('dcbe78d3-ea75-4786-929e-d6cff0fc00ed')!.title).toBe('[REDACTED_PROMPT]');
      // jsonl_v040: $set lines and a shell call with its functionResponse.
      expect(kinds('gemini_stage0_jsonl')).toEqual(['prompt', 'tool-call', 'tool-result', 'reply']);
      expect(r.getMessages('gemini_stage0_jsonl', 2, 1)[0]).toMatchObject({ text: 'run_shell_command: ls -F', toolUseId: 'run_shell_command_stage0' });
      // large.json: `model` records with `parts`, an info record, two shell calls.
      const large = r.getSession('session-2025-12-16T23-47-b4f17607')!;
      expect(large).toMatchObject({ title: 'Run a command', messageCount: 10 });
      expect(r.getMessages(large.id, 1, 20).filter((m) => m.kind === 'reply').map((m) => m.text)).toEqual(['Captured multiline output.', 'Ok']);
      expect(r.getSession('session-2026-01-16T18-34-3739ef95')).toMatchObject({ title: 'Hello', messageCount: 3 });
    });
  });
});
