import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runIndex } from '../src/ingest/indexer.js';
import { adaptersFor } from '../src/ingest/sources.js';
import { closeDatabase, openDatabase } from '../src/store/db.js';
import { StoreReader } from '../src/store/reader.js';
import { IndexWriter } from '../src/store/writer.js';
import { prompt, reply, toolResult, toolUse, ts, uuid } from './helpers/claude-lines.js';

const SAMPLES = path.resolve(__dirname, '../../shared/samples/claude-code');

let dir: string;
let claudeDir: string;
let projectDir: string;
let dbPath: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mantra-ingest-'));
  claudeDir = path.join(dir, 'claude');
  projectDir = path.join(claudeDir, 'projects', '-home-ada-shop');
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

function read<T>(fn: (r: StoreReader, db: import('better-sqlite3').Database) => T): T {
  const db = openDatabase(dbPath, { readonly: true });
  try {
    return fn(new StoreReader(db), db);
  } finally {
    closeDatabase(db);
  }
}

function dump(): unknown[] {
  return read((_, db) => db.prepare('SELECT * FROM message ORDER BY id').all());
}

const SID = '6f1c2e0a-3b7d-4c55-9a10-2f3e4d5c6b7a';
function session(n: number): string[] {
  const lines: string[] = [];
  let parent: string | null = null;
  for (let i = 0; i < n; i++) {
    const u = uuid();
    const c = { uuid: u, parentUuid: parent, sessionId: SID, timestamp: ts(i) };
    lines.push(i % 2 === 0 ? prompt(c, `prompt number ${i}`) : reply(c, `reply number ${i}`));
    parent = u;
  }
  return lines;
}

describe('Claude Code ingest', () => {
  it('indexes a transcript into a session titled by its first real prompt', () => {
    const file = path.join(projectDir, `${SID}.jsonl`);
    const u1 = uuid();
    const u2 = uuid();
    const u3 = uuid();
    const u4 = uuid();
    fs.writeFileSync(
      file,
      [
        JSON.stringify({ type: 'summary', summary: 'Cart quantity limit', leafUuid: u4 }),
        prompt({ uuid: u1, sessionId: SID, timestamp: ts(1) }, 'Add a quantity limit to the cart'),
        toolUse({ uuid: u2, parentUuid: u1, sessionId: SID, timestamp: ts(2) }, 'toolu_1', 'Edit', {
          file_path: '/home/ada/shop/src/cart.ts',
          old_string: 'a',
          new_string: 'b',
        }),
        toolResult({ uuid: u3, parentUuid: u2, sessionId: SID, timestamp: ts(3) }, 'toolu_1', 'The file has been updated.'),
        reply({ uuid: u4, parentUuid: u3, sessionId: SID, timestamp: ts(4) }, 'Done.'),
        '{"type":"some-future-type","sessionId":"x"}',
        'this is not json',
      ].join('\n') + '\n',
    );
    const stats = index();
    expect(stats.sessionsAdded).toBe(1);
    expect(stats.messagesAdded).toBe(4);
    expect(stats.skipped).toMatchObject({ 'invalid-json': 1, 'unknown-type:some-future-type': 1 });
    read((r) => {
      const s = r.getSession(SID)!;
      expect(s).toMatchObject({ agent: 'claude', title: 'Add a quantity limit to the cart', project: '/home/ada/shop', gitBranch: 'main', messageCount: 4, summary: 'Cart quantity limit' });
      expect(s.sourceFiles).toEqual([file]);
      const msgs = r.getMessages(SID, 1, 10);
      expect(msgs.map((m) => m.kind)).toEqual(['prompt', 'tool-call', 'tool-result', 'reply']);
      // A result inherits its tool's name from the call.
      expect(msgs[2]).toMatchObject({ toolName: 'Edit', toolUseId: 'toolu_1' });
      expect(msgs[1].files).toEqual(['/home/ada/shop/src/cart.ts']);
      // Rows point back to their source line.
      const raw = fs.readFileSync(file);
      for (const m of msgs) {
        const line = raw.subarray(m.byteOffset, raw.indexOf(10, m.byteOffset)).toString();
        expect(JSON.parse(line).uuid).toBe(m.sourceId);
      }
    });
  });

  it('re-running on unchanged files changes nothing and reads no bytes', () => {
    fs.writeFileSync(path.join(projectDir, `${SID}.jsonl`), session(30).join('\n') + '\n');
    index();
    const before = dump();
    const again = index();
    expect(again).toMatchObject({ messagesAdded: 0, sessionsAdded: 0, filesUnchanged: 1, filesRead: 0, bytesRead: 0 });
    expect(dump()).toEqual(before);
  });

  it('reads only appended bytes, keeping existing rows and ids', () => {
    const file = path.join(projectDir, `${SID}.jsonl`);
    const lines = session(20);
    fs.writeFileSync(file, lines.slice(0, 10).join('\n') + '\n');
    index();
    const before = dump();
    const appended = lines.slice(10).join('\n') + '\n';
    fs.appendFileSync(file, appended);
    const stats = index();
    expect(stats.messagesAdded).toBe(10);
    expect(stats.bytesRead).toBe(Buffer.byteLength(appended));
    const after = dump();
    expect(after.slice(0, 10)).toEqual(before);
    expect(read((r) => r.getSession(SID)!.messageCount)).toBe(20);
    expect(read((r) => r.getMessage(SID, 20)!.text)).toBe('reply number 19');
  });

  it('leaves a truncated last line for the next pass and indexes it once completed', () => {
    const file = path.join(projectDir, `${SID}.jsonl`);
    const lines = session(4);
    const last = lines[3];
    fs.writeFileSync(file, lines.slice(0, 3).join('\n') + '\n' + last.slice(0, 40));
    const first = index();
    expect(first.messagesAdded).toBe(3);
    expect(first.skipped).toEqual({});
    // Unchanged and still partial: nothing to do.
    expect(index().messagesAdded).toBe(0);
    fs.appendFileSync(file, last.slice(40) + '\n');
    expect(index().messagesAdded).toBe(1);
    expect(read((r) => r.getMessage(SID, 4)!.text)).toBe('reply number 3');
    expect(index().messagesAdded).toBe(0);
  });

  it('re-reads a file rewritten in place or truncated, and one replaced by a new file', () => {
    const file = path.join(projectDir, `${SID}.jsonl`);
    fs.writeFileSync(file, session(10).join('\n') + '\n');
    index();
    // Truncated to a shorter, different history.
    fs.writeFileSync(file, session(3).join('\n') + '\n');
    const truncated = index();
    expect(truncated.filesReset).toBe(1);
    expect(read((r) => r.getSession(SID)!.messageCount)).toBe(3);
    // Rewritten with the same length but different content at the head.
    const longer = session(12);
    fs.writeFileSync(file, longer.join('\n') + '\n');
    index();
    expect(read((r) => r.getMessages(SID, 1, 100).map((m) => m.seq))).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    // Rotated: a new file (new inode) at the same path.
    fs.rmSync(file);
    fs.writeFileSync(file, session(5).join('\n') + '\n');
    const rotated = index();
    expect(rotated.filesReset).toBe(1);
    expect(read((r) => r.getSession(SID)!.messageCount)).toBe(5);
  });

  it('keeps a session whose source file was deleted: the index is the archive', () => {
    const file = path.join(projectDir, `${SID}.jsonl`);
    fs.writeFileSync(file, session(6).join('\n') + '\n');
    index();
    fs.rmSync(file);
    const stats = index();
    expect(stats.filesGone).toBe(1);
    read((r) => {
      expect(r.getSession(SID)!.messageCount).toBe(6);
      expect(r.getMessage(SID, 6)!.text).toBe('reply number 5');
    });
  });

  it('reads sub-agent transcripts of both layouts as child sessions', () => {
    fs.writeFileSync(path.join(projectDir, `${SID}.jsonl`), session(2).join('\n') + '\n');
    // 2.1.x: <sessionId>/subagents/agent-<id>.jsonl
    const subDir = path.join(projectDir, SID, 'subagents');
    fs.mkdirSync(subDir, { recursive: true });
    const sideLine = (id: string, sessionId: string, text: string) =>
      JSON.stringify({ parentUuid: null, isSidechain: true, type: 'user', sessionId, agentId: id, cwd: '/home/ada/shop', uuid: uuid(), timestamp: ts(5), message: { role: 'user', content: text } });
    fs.writeFileSync(path.join(subDir, 'agent-a1.jsonl'), sideLine('a1', SID, 'Search the repo for TODO comments') + '\n');
    fs.writeFileSync(path.join(subDir, 'agent-a1.meta.json'), '{"agentType":"Explore"}');
    // 2.0.x: flat agent-<id>.jsonl, parent named inside.
    fs.writeFileSync(path.join(projectDir, 'agent-b2.jsonl'), sideLine('b2', SID, 'Find the flaky test') + '\n');
    index();
    read((r) => {
      expect(r.getSession('agent-a1')).toMatchObject({ parentId: SID, title: 'Search the repo for TODO comments' });
      expect(r.getSession('agent-b2')).toMatchObject({ parentId: SID, title: 'Find the flaky test' });
      expect(r.getSession(SID)!.childCount).toBe(2);
      expect(r.listSessions({}, 0, 10).map((s) => s.id)).toEqual([SID]);
    });
  });

  it('never modifies the source files', () => {
    const file = path.join(projectDir, `${SID}.jsonl`);
    fs.writeFileSync(file, session(8).join('\n') + '\n{"broken');
    const hash = () => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    const before = { hash: hash(), mtime: fs.statSync(file).mtimeMs };
    index();
    index();
    expect({ hash: hash(), mtime: fs.statSync(file).mtimeMs }).toEqual(before);
  });

  it('reads every published real sample without failing and counts what it skips', () => {
    // Lay the samples out as Claude Code would: each file in a project folder.
    const files = fs.readdirSync(SAMPLES, { recursive: true, withFileTypes: true }).filter((d) => d.isFile() && d.name.endsWith('.jsonl'));
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const f of files) {
      const rel = path.relative(SAMPLES, path.join(f.parentPath, f.name));
      const dest = rel.includes('/subagents/')
        ? path.join(claudeDir, 'projects', 'samples', rel.split('/').slice(-3).join('/'))
        : path.join(claudeDir, 'projects', 'samples', rel.replaceAll('/', '__'));
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      fs.copyFileSync(path.join(f.parentPath, f.name), dest);
    }
    const stats = index();
    expect(stats.fileErrors).toEqual([]);
    expect(stats.messagesAdded).toBeGreaterThan(500);
    read((r) => {
      const all = r.listSessions({ includeChildren: true }, 0, 100);
      const big = all.find((s) => s.id.includes('fe5e1c67'))!;
      expect(big.messageCount).toBeGreaterThan(100);
      expect(big.title).toBeTruthy();
      for (const s of all) {
        for (const m of r.getMessages(s.id, 1, 5000)) expect(m.text).not.toMatch(/iVBORw0KGgo[A-Za-z0-9+/]{200}/);
      }
    });
  });
});
