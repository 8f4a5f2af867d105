/** `search` and `facts` command functions over a real index built from Claude Code transcripts. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RuntimeError } from '../src/cli/common.js';
import { runFacts, runSearch } from '../src/cli/search-commands.js';
import { runIndex } from '../src/ingest/indexer.js';
import { adaptersFor } from '../src/ingest/sources.js';
import { closeDatabase, openDatabase } from '../src/store/db.js';
import { IndexWriter } from '../src/store/writer.js';
import { prompt, reply, toolResult, toolUse, ts, uuid } from './helpers/claude-lines.js';

const SID = 'a7c3e1f0-0000-4000-8000-000000000001';
const SID2 = 'a7c3e1f0-1111-4000-8000-000000000002';
let dir: string;
let dbPath: string;

function transcript(sessionId: string, cwd: string, turns: ((c: { uuid: string; parentUuid: string | null; sessionId: string; timestamp: string; cwd: string }) => string)[]): string[] {
  let parent: string | null = null;
  return turns.map((make, i) => {
    const u = uuid();
    const line = make({ uuid: u, parentUuid: parent, sessionId, timestamp: ts(i), cwd });
    parent = u;
    return line;
  });
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mantra-search-cli-'));
  dbPath = path.join(dir, 'index.db');
  const projects = path.join(dir, 'claude', 'projects', '-home-ada-shop');
  fs.mkdirSync(projects, { recursive: true });
  fs.writeFileSync(
    path.join(projects, `${SID}.jsonl`),
    transcript(SID, '/home/ada/shop', [
      (c) => prompt(c, 'Store the session token safely'),
      (c) => reply(c, "We'll go with httpOnly cookies because localStorage is readable by any script."),
      (c) => toolUse(c, 'toolu_1', 'Edit', { file_path: '/home/ada/shop/src/auth.ts', old_string: 'localStorage.setItem', new_string: 'setCookie' }),
      (c) => toolResult(c, 'toolu_1', 'The file has been updated.'),
      (c) => prompt(c, 'no, that breaks the Safari login'),
      (c) => reply(c, 'Done: cookie storage. Next: fix Safari with SameSite=None.'),
    ]).join('\n') + '\n',
  );
  fs.writeFileSync(
    path.join(projects, `${SID2}.jsonl`),
    transcript(SID2, '/home/ada/shop', [(c) => prompt(c, 'Why do cookies vanish on Safari?'), (c) => reply(c, 'Safari drops third-party cookies.')]).join('\n') + '\n',
  );
  const db = openDatabase(dbPath);
  runIndex(new IndexWriter(db), adaptersFor({ claudeDir: path.join(dir, 'claude') }));
  closeDatabase(db);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function capture(fn: (write: (s: string) => void) => void): string[] {
  const out: string[] = [];
  fn((s) => out.push(s));
  return out;
}

describe('search command', () => {
  it('prints the documented JSON array', () => {
    const [json] = capture((write) => runSearch({ dbPath, query: 'cookies', json: true, write }));
    const hits = JSON.parse(json) as Record<string, unknown>[];
    expect(hits.length).toBeGreaterThan(1);
    for (const h of hits) {
      expect(Object.keys(h)).toEqual(['sessionId', 'seq', 'kind', 'score', 'snippet', 'timestamp', 'agent', 'project']);
      expect(h.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(h.snippet).not.toMatch(/[\u0001\u0002]/);
      expect(h.score).toBeGreaterThan(0);
      expect(h.score).toBeLessThanOrEqual(1);
    }
    expect(hits).toContainEqual({
      sessionId: SID,
      seq: 2,
      kind: 'decision',
      score: expect.any(Number),
      snippet: "We'll go with httpOnly cookies because localStorage is readable by any script.",
      timestamp: ts(1),
      agent: 'claude',
      project: '/home/ada/shop',
    });
  });

  it('filters by kind, project and agent, and limits', () => {
    const run = (over: Partial<Parameters<typeof runSearch>[0]>) =>
      JSON.parse(capture((write) => runSearch({ dbPath, query: 'safari', json: true, write, ...over }))[0]) as { kind: string; sessionId: string }[];
    expect(run({ kind: 'dead-end' }).map((h) => [h.kind, h.sessionId])).toEqual([['dead-end', SID]]);
    expect(run({ kind: 'status' }).map((h) => h.kind)).toEqual(['status']);
    expect(run({ project: '/home/ada' }).length).toBeGreaterThan(0);
    expect(run({ project: '/home/bob' })).toEqual([]);
    expect(run({ agent: 'gemini' })).toEqual([]);
    expect(run({ limit: 1 })).toHaveLength(1);
    expect(run({ query: 'safri', kind: 'dead-end' }).map((h) => h.sessionId)).toEqual([SID]);
  });

  it('prints plain text for people, and says when nothing matched', () => {
    const lines = capture((write) => runSearch({ dbPath, query: '"Safari login"', json: false, write }));
    expect(lines[0]).toMatch(/^dead-end  a7c3e1f0  #5 {6}2026-05-02 09:04  claude  \/home\/ada\/shop\n {4}"no, that breaks the Safari login"/);
    expect(lines.at(-1)).toMatch(/\d+ match(es)?; open one with: mantra-tui show SESSION/);
    expect(capture((write) => runSearch({ dbPath, query: 'zyzzyva', json: false, write }))).toEqual(['no matches']);
    expect(capture((write) => runSearch({ dbPath, query: 'zyzzyva', json: true, write }))).toEqual(['[]']);
  });

  it('passes snippets through the mask', () => {
    const [json] = capture((write) => runSearch({ dbPath, query: 'localStorage', json: true, write, maskSnippet: (s) => s.replaceAll('script', '******') }));
    expect((JSON.parse(json) as { snippet: string }[]).some((h) => h.snippet.includes('any ******'))).toBe(true);
  });

  it('refuses a missing index with a one-line error', () => {
    expect(() => runSearch({ dbPath: path.join(dir, 'none.db'), query: 'x', json: true, write: () => {} })).toThrow(RuntimeError);
    expect(() => runSearch({ dbPath: path.join(dir, 'none.db'), query: 'x', json: true, write: () => {} })).toThrow(/run "mantra-tui index" first/);
  });
});

describe('facts command', () => {
  it('prints the facts of a session as JSON, by id or unique prefix', () => {
    const [json] = capture((write) => runFacts({ dbPath, session: SID, json: true, write }));
    const doc = JSON.parse(json);
    expect(doc).toMatchObject({ sessionId: SID, agent: 'claude', project: '/home/ada/shop', title: 'Store the session token safely', factsCurrent: true });
    expect(doc.facts.map((f: { kind: string; seq: number }) => [f.kind, f.seq])).toEqual([
      ['decision', 2],
      ['dead-end', 5],
      ['status', 6],
      ['key-file', 3],
    ]);
    for (const f of doc.facts) expect(Object.keys(f)).toEqual(['kind', 'seq', 'timestamp', 'text', 'detail']);
    expect(doc.facts[2]).toMatchObject({ text: 'Done: cookie storage; next: fix Safari with SameSite=None.', timestamp: ts(5) });
    expect(doc.facts[3]).toMatchObject({ text: 'src/auth.ts (1 edit)', detail: '/home/ada/shop/src/auth.ts' });
    const [byPrefix] = capture((write) => runFacts({ dbPath, session: SID.slice(0, 14), json: true, write }));
    expect(JSON.parse(byPrefix).sessionId).toBe(SID);
  });

  it('prints sections for people', () => {
    const text = capture((write) => runFacts({ dbPath, session: SID, json: false, write })).join('\n');
    expect(text).toBe(
      [
        `${SID}  claude  /home/ada/shop`,
        'Store the session token safely',
        '',
        'Decisions',
        "  #2     We'll go with httpOnly cookies because localStorage is readable by any script.",
        '',
        'Dead ends',
        `  #5     "no, that breaks the Safari login" — after: We'll go with httpOnly cookies because localStorage is readable by any script.`,
        '',
        'Status',
        '  #6     Done: cookie storage; next: fix Safari with SameSite=None.',
        '',
        'Key files',
        '  src/auth.ts (1 edit)',
      ].join('\n'),
    );
  });

  it('refuses unknown and ambiguous sessions', () => {
    expect(() => runFacts({ dbPath, session: 'zzz', json: true, write: () => {} })).toThrow(/no session matches "zzz"/);
    expect(() => runFacts({ dbPath, session: 'a7c3e1f0', json: true, write: () => {} })).toThrow(/"a7c3e1f0" is ambiguous/);
  });
});
