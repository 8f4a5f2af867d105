import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, closeDatabase } from '../src/store/db.js';
import { migrate, MIGRATIONS, SCHEMA_VERSION, SchemaTooNewError } from '../src/store/migrations.js';
import { StoreReader } from '../src/store/reader.js';
import { IndexWriter } from '../src/store/writer.js';
import type { ParsedMessage } from '../src/model.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mantra-store-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function message(n: number, over: Partial<ParsedMessage> = {}): ParsedMessage {
  return {
    sourceId: `u${n}`,
    parentId: n > 1 ? `u${n - 1}` : null,
    timestamp: 1_700_000_000_000 + n * 1000,
    role: 'user',
    kind: 'prompt',
    text: `message ${n}`,
    toolName: null,
    toolInput: null,
    toolUseId: null,
    files: [],
    isError: false,
    isSidechain: false,
    subtype: null,
    data: null,
    byteOffset: n * 100,
    ...over,
  };
}

describe('opening the index', () => {
  it('creates the file with mode 0600, in WAL mode, with foreign keys on', () => {
    const file = path.join(dir, 'nested', 'index.db');
    const db = openDatabase(file);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const writer = new IndexWriter(db);
    const f = writer.ensureSourceFile('/x.jsonl', 'claude');
    writer.upsertSession({ id: 's', agent: 'claude' }, f.id);
    writer.appendMessages('s', f.id, 1, [message(1)]);
    for (const side of ['-wal', '-shm']) {
      if (fs.existsSync(file + side)) expect(fs.statSync(file + side).mode & 0o777).toBe(0o600);
    }
    closeDatabase(db);
  });

  it('uses STRICT tables', () => {
    const db = openDatabase(path.join(dir, 'i.db'));
    const strict = db.prepare("SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%'").all() as {
      name: string;
      strict: number;
    }[];
    expect(strict.length).toBeGreaterThan(0);
    for (const t of strict) expect(t, t.name).toMatchObject({ strict: 1 });
    expect(() => db.prepare("INSERT INTO session (id, agent, message_count) VALUES ('x', 'claude', 'many')").run()).toThrow();
    closeDatabase(db);
  });

  it('refuses a database newer than the program with a clear message', () => {
    const file = path.join(dir, 'future.db');
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => openDatabase(file)).toThrow(SchemaTooNewError);
    expect(() => openDatabase(file)).toThrow(/understands up to/);
    expect(() => openDatabase(file, { readonly: true })).toThrow(SchemaTooNewError);
  });

  it.each(Array.from({ length: SCHEMA_VERSION }, (_, v) => v))('upgrades a database from version %i to the newest', (from) => {
    const file = path.join(dir, `v${from}.db`);
    const raw = new Database(file);
    migrate(raw, file, from);
    expect(raw.pragma('user_version', { simple: true })).toBe(from);
    if (from >= 1) {
      // Data written at an older version survives the upgrade.
      raw.prepare("INSERT INTO session (id, agent) VALUES ('old', 'claude')").run();
    }
    raw.close();
    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    if (from >= 1) expect(new StoreReader(db).getSession('old')?.agent).toBe('claude');
    // The newest schema works: write and read a message.
    const writer = new IndexWriter(db);
    const f = writer.ensureSourceFile('/a.jsonl', 'claude');
    writer.upsertSession({ id: 'new', agent: 'claude' }, f.id);
    expect(writer.appendMessages('new', f.id, 1, [message(1)])).toBe(1);
    closeDatabase(db);
  });

  it('rolls a failed migration step back together with its version bump', () => {
    const file = path.join(dir, 'half.db');
    const raw = new Database(file);
    raw.exec('CREATE TABLE session (id TEXT)'); // collides with step 1
    expect(() => migrate(raw, file)).toThrow();
    expect(raw.pragma('user_version', { simple: true })).toBe(0);
    raw.close();
  });
});

describe('writer and reader', () => {
  it('numbers messages, drops duplicates, keeps counts and time range, and reads by window', () => {
    const db = openDatabase(path.join(dir, 'i.db'));
    const writer = new IndexWriter(db);
    const reader = new StoreReader(db);
    const f = writer.ensureSourceFile('/s.jsonl', 'claude');
    writer.upsertSession({ id: 'abc-1', agent: 'claude', project: '/p' }, f.id);
    expect(writer.appendMessages('abc-1', f.id, 1, [message(1), message(2), message(3)])).toBe(3);
    expect(writer.appendMessages('abc-1', f.id, 4, [message(2), message(4, { kind: 'tool-call', toolName: 'Bash', toolUseId: 't1' })])).toBe(1);
    const s = reader.getSession('abc-1')!;
    expect(s.messageCount).toBe(4);
    expect(s.startedAt).toBe(1_700_000_001_000);
    expect(s.updatedAt).toBe(1_700_000_004_000);
    expect(s.sourceFiles).toEqual(['/s.jsonl']);
    expect(reader.getMessages('abc-1', 2, 2).map((m) => [m.seq, m.sourceId])).toEqual([
      [2, 'u2'],
      [3, 'u3'],
    ]);
    expect(reader.getMessage('abc-1', 4)).toMatchObject({ sourceId: 'u4', toolName: 'Bash', kind: 'tool-call' });
    expect(writer.toolNameFor('abc-1', 't1')).toBe('Bash');
    expect(reader.findSessionsByPrefix('abc').map((x) => x.id)).toEqual(['abc-1']);
    expect(reader.findSessionsByPrefix('abd')).toEqual([]);
    closeDatabase(db);
  });

  it('resets a file: its messages go and the session is renumbered from 1', () => {
    const db = openDatabase(path.join(dir, 'i.db'));
    const writer = new IndexWriter(db);
    const reader = new StoreReader(db);
    const a = writer.ensureSourceFile('/a.jsonl', 'claude');
    const b = writer.ensureSourceFile('/b.jsonl', 'claude');
    writer.upsertSession({ id: 's', agent: 'claude' }, a.id);
    writer.appendMessages('s', a.id, 1, [message(1), message(2)]);
    writer.appendMessages('s', b.id, 3, [message(3), message(4)]);
    writer.transaction(() => writer.resetSourceFile(a.id));
    expect(reader.getMessages('s', 1, 10).map((m) => [m.seq, m.sourceId])).toEqual([
      [1, 'u3'],
      [2, 'u4'],
    ]);
    expect(reader.getSession('s')!.messageCount).toBe(2);
    closeDatabase(db);
  });

  it('lists sessions newest first, filters by agent, project and parent, and aggregates scrubber buckets', () => {
    const db = openDatabase(path.join(dir, 'i.db'));
    const writer = new IndexWriter(db);
    const reader = new StoreReader(db);
    const f = writer.ensureSourceFile('/s.jsonl', 'claude');
    writer.upsertSession({ id: 'old', agent: 'claude', project: '/work/app' }, f.id);
    writer.appendMessages('old', f.id, 1, [message(1)]);
    writer.upsertSession({ id: 'new', agent: 'claude', project: '/work/app/sub' }, f.id);
    writer.appendMessages('new', f.id, 1, [
      message(10),
      message(11, { kind: 'tool-call' }),
      message(12, { isError: true, kind: 'tool-result' }),
      message(13, { kind: 'system', subtype: 'compact_boundary' }),
    ]);
    writer.upsertSession({ id: 'child', agent: 'claude', parentId: 'new', project: '/work/other' }, f.id);
    writer.appendMessages('child', f.id, 1, [message(50)]);
    expect(reader.listSessions({}, 0, 10).map((s) => s.id)).toEqual(['new', 'old']);
    expect(reader.listSessions({ includeChildren: true }, 0, 10).map((s) => s.id)).toEqual(['child', 'new', 'old']);
    expect(reader.getSession('new')!.childCount).toBe(1);
    expect(reader.listSessions({ project: '/work/app' }, 0, 10).map((s) => s.id)).toEqual(['new', 'old']);
    expect(reader.listSessions({ project: '/work/ap' }, 0, 10)).toEqual([]);
    expect(reader.countSessions({ agent: 'codex' })).toBe(0);
    expect(reader.listSessions({}, 1, 1).map((s) => s.id)).toEqual(['old']);
    const buckets = reader.getScrubBuckets('new', 2);
    expect(buckets).toEqual([
      { messages: 2, toolCalls: 1, errors: 0, compactions: 0 },
      { messages: 2, toolCalls: 0, errors: 1, compactions: 1 },
    ]);
    expect(reader.getScrubBuckets('new', 10).reduce((n, b) => n + b.messages, 0)).toBe(4);
    closeDatabase(db);
  });
});
