import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { sha256 } from '../src/ingest/gemini/project.js';
import { runIndex } from '../src/ingest/indexer.js';
import { adaptersFor } from '../src/ingest/sources.js';
import { closeDatabase, openDatabase } from '../src/store/db.js';
import { StoreReader } from '../src/store/reader.js';
import { IndexWriter } from '../src/store/writer.js';
import { prompt, ts, uuid } from './helpers/claude-lines.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mantra-cross-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(file: string, lines: unknown[], mtime: Date): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
  fs.utimesSync(file, mtime, mtime);
}

it('groups the sessions of every assistant run in one repository under that project', () => {
  const repo = path.join(dir, 'work', 'shop');
  const claudeDir = path.join(dir, 'claude');
  const codexDir = path.join(dir, 'codex');
  const geminiDir = path.join(dir, 'gemini');
  const newer = new Date('2026-05-03T00:00:00Z');
  const older = new Date('2026-05-01T00:00:00Z');

  // Claude Code, started at the repository root.
  const claudeSid = '6f1c2e0a-3b7d-4c55-9a10-2f3e4d5c6b7a';
  write(path.join(claudeDir, 'projects', repo.replaceAll('/', '-'), `${claudeSid}.jsonl`), [prompt({ uuid: uuid(), sessionId: claudeSid, timestamp: ts(1), cwd: repo }, 'Claude: add a limit')], newer);
  // Codex, started in a package below it.
  const codexSid = '019cd5a0-1111-7aaa-8bbb-0123456789ab';
  write(path.join(codexDir, 'sessions', '2026', '05', '02', `rollout-2026-05-02T10-00-00-${codexSid}.jsonl`), [
    { timestamp: '2026-05-02T10:00:00.000Z', type: 'session_meta', payload: { id: codexSid, cwd: path.join(repo, 'packages', 'api'), cli_version: '0.118.0' } },
    { timestamp: '2026-05-02T10:00:01.000Z', type: 'response_item', payload: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Codex: test the api' }] } },
  ], newer);
  // Gemini CLI up to 0.28: the folder is the SHA-256 of the root, which only the other sessions reveal. Older, so
  // it is read after them.
  const geminiSid = '7c0e1f2a-4b5c-4d6e-8f90-a1b2c3d4e5f6';
  write(path.join(geminiDir, 'tmp', sha256(repo), 'chats', 'session-2026-05-01T09-00-7c0e1f2a.jsonl'), [
    { sessionId: geminiSid, projectHash: sha256(repo), startTime: '2026-05-01T09:00:00.000Z', kind: 'main' },
    { id: 'g1', timestamp: '2026-05-01T09:00:05.000Z', type: 'user', content: [{ text: 'Gemini: review the cart' }] },
  ], older);
  // Another repository whose name starts the same way is not part of it.
  const otherSid = '019cd5a0-9999-7aaa-8bbb-0123456789ab';
  write(path.join(codexDir, 'sessions', '2026', '05', '02', `rollout-2026-05-02T11-00-00-${otherSid}.jsonl`), [
    { timestamp: '2026-05-02T11:00:00.000Z', type: 'session_meta', payload: { id: otherSid, cwd: `${repo}-old` } },
    { timestamp: '2026-05-02T11:00:01.000Z', type: 'response_item', payload: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'elsewhere' }] } },
  ], newer);

  const dbPath = path.join(dir, 'index.db');
  const db = openDatabase(dbPath);
  const stats = runIndex(new IndexWriter(db), adaptersFor({ claudeDir, codexDir, geminiDir }));
  expect(stats.fileErrors).toEqual([]);
  expect(stats.sessionsAdded).toBe(4);
  const reader = new StoreReader(db);
  const inRepo = reader.listSessions({ project: repo }, 0, 10);
  expect(inRepo.map((s) => [s.agent, s.id]).sort()).toEqual([
    ['claude', claudeSid],
    ['codex', codexSid],
    ['gemini', geminiSid],
  ]);
  expect(reader.countSessions({ project: repo })).toBe(3);
  expect(reader.getSession(geminiSid)!.project).toBe(repo);
  closeDatabase(db);
});
