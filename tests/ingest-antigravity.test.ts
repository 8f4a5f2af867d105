import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FileEdit } from '../src/model.js';
import type { Adapter } from '../src/ingest/adapter.js';
import { antigravityAdapter } from '../src/ingest/antigravity/index.js';
import { parseAgyhubSummaries, parseAnnotationTitle, parseHistory, parseLastConversations, parseProjectConfig, parseTrajectoryMetadata } from '../src/ingest/antigravity/side-index.js';
import { agyEdits, checkpointObjective, decodeTwinValue, diffBlocks, exitCodeOf, parseStepLine, promptOf, resultBody, sortSteps, subagentIds } from '../src/ingest/antigravity/steps.js';
import { claudeAdapter } from '../src/ingest/claude/index.js';
import { runIndex } from '../src/ingest/indexer.js';
import { closeDatabase, openDatabase } from '../src/store/db.js';
import { StoreReader } from '../src/store/reader.js';
import type { MessageRow } from '../src/store/rows.js';
import { IndexWriter } from '../src/store/writer.js';
import { prompt, ts, uuid } from './helpers/claude-lines.js';

const SAMPLES = path.resolve(__dirname, '../../shared/samples/antigravity');
const FINRELIEF = path.join(SAMPLES, 'surendrababuchittibomma-finrelief');
const CONV = 'ba5f3ba6-18ee-4772-b2d0-1e55a3d40b7a';
const C1 = '4f1c2d3e-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
const C2 = '7a7a7a7a-5a6b-4c7d-8e9f-0a1b2c3d4e5f';

let dir: string;
let gemini: string;
let profile: string;
let dbPath: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mantra-agy-'));
  gemini = path.join(dir, 'home', '.gemini');
  profile = path.join(gemini, 'antigravity-cli');
  dbPath = path.join(dir, 'index.db');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function adapter(dirs = [gemini]): Adapter {
  return antigravityAdapter({ dirs }) as unknown as Adapter;
}

function index(extra: Adapter[] = [], dirs = [gemini]) {
  const db = openDatabase(dbPath);
  try {
    return runIndex(new IndexWriter(db), [adapter(dirs), ...extra]);
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

function logsDir(conv: string, prof = profile): string {
  const d = path.join(prof, 'brain', conv, '.system_generated', 'logs');
  fs.mkdirSync(d, { recursive: true });
  return d;
}

function writeTranscript(conv: string, steps: readonly unknown[], prof = profile, name = 'transcript_full.jsonl'): string {
  const file = path.join(logsDir(conv, prof), name);
  fs.writeFileSync(file, steps.map((s) => (typeof s === 'string' ? s : JSON.stringify(s))).join('\n') + '\n');
  return file;
}

function edits(m: MessageRow | undefined): FileEdit[] {
  return m?.data ? (JSON.parse(m.data) as { edits: FileEdit[] }).edits : [];
}

function treeHash(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const full = path.join(e.parentPath, e.name);
    out[path.relative(root, full)] = crypto.createHash('sha256').update(fs.readFileSync(full)).digest('hex');
  }
  return out;
}

const user = (i: number, text: string, t = '2026-07-20T09:10:05Z') => ({
  step_index: i,
  source: 'USER_EXPLICIT',
  type: 'USER_INPUT',
  status: 'DONE',
  created_at: t,
  content: `<USER_REQUEST>\n${text}\n</USER_REQUEST>\n<ADDITIONAL_METADATA>\nThe current local time is: 2026-07-20T11:10:05+02:00.\n</ADDITIONAL_METADATA>`,
});
const planner = (i: number, calls: { name: string; args: Record<string, unknown> }[], extra: Record<string, unknown> = {}) => ({
  step_index: i,
  source: 'MODEL',
  type: 'PLANNER_RESPONSE',
  status: 'DONE',
  created_at: `2026-07-20T09:10:${String(10 + i).padStart(2, '0')}Z`,
  ...(calls.length ? { tool_calls: calls } : {}),
  ...extra,
});
const result = (i: number, body: string, type = 'GENERIC', status = 'DONE') => ({
  step_index: i,
  source: 'MODEL',
  type,
  status,
  created_at: `2026-07-20T09:10:${String(10 + i).padStart(2, '0')}Z`,
  content: `Created At: 2026-07-20T09:10:07Z\nCompleted At: 2026-07-20T09:10:07Z\n${body}`,
});

describe('Antigravity transcripts', () => {
  it('reads the reference example: typed results paired by position, a late CHECKPOINT in step order, edits', () => {
    // shared/formats/antigravity.md §11, typed-result era; step 4 (CHECKPOINT) is written after step 5.
    writeTranscript(C1, [
      { step_index: 0, source: 'USER_EXPLICIT', type: 'USER_INPUT', status: 'DONE', created_at: '2026-07-20T09:10:05Z', content: '<USER_REQUEST>\nCap cart quantities at 10\n</USER_REQUEST>\n<ADDITIONAL_METADATA>\nThe current local time is: 2026-07-20T11:10:05+02:00.\n</ADDITIONAL_METADATA>\n<USER_SETTINGS_CHANGE>\nThe user changed setting `Model Selection` from None to Gemini 3.5 Flash (High). No need to comment on this change if the user doesn\'t ask about it.\n</USER_SETTINGS_CHANGE>' },
      { step_index: 1, source: 'SYSTEM', type: 'CONVERSATION_HISTORY', status: 'DONE', created_at: '2026-07-20T09:10:05Z' },
      { step_index: 2, source: 'MODEL', type: 'PLANNER_RESPONSE', status: 'DONE', created_at: '2026-07-20T09:10:06Z', thinking: '**Finding the limit**\n\nThe constant is probably in src/cart.ts.', tool_calls: [{ name: 'grep_search', args: { Query: 'MAX', SearchPath: '/home/ada/shop/src', MatchPerLine: true, CaseInsensitive: false, IsRegex: false, toolAction: 'Searching for MAX', toolSummary: 'Find limit' } }] },
      { step_index: 3, source: 'MODEL', type: 'GREP_SEARCH', status: 'DONE', created_at: '2026-07-20T09:10:07Z', content: 'Created At: 2026-07-20T09:10:07Z\nCompleted At: 2026-07-20T09:10:07Z\n{"File":"/home/ada/shop/src/cart.ts","LineNumber":1,"LineContent":"export const MAX = 0;"}' },
      { step_index: 5, source: 'MODEL', type: 'PLANNER_RESPONSE', status: 'DONE', created_at: '2026-07-20T09:10:08Z', tool_calls: [{ name: 'replace_file_content', args: { TargetFile: '/home/ada/shop/src/cart.ts', TargetContent: 'export const MAX = 0;', ReplacementContent: 'export const MAX = 10;', StartLine: 1, EndLine: 1, AllowMultiple: false, Instruction: 'Set the cap', Description: 'Cap at 10', toolAction: 'Editing cart.ts', toolSummary: 'Set MAX' } }] },
      { step_index: 4, source: 'SYSTEM', type: 'CHECKPOINT', status: 'DONE', created_at: '2026-07-20T09:10:07Z', content: '{{ CHECKPOINT 0 }}\n **The earlier parts of this conversation have been truncated due to its long length. …**\n\n# USER Objective:\nCart Quantity Cap\n…' },
      { step_index: 6, source: 'MODEL', type: 'CODE_ACTION', status: 'DONE', created_at: '2026-07-20T09:10:09Z', content: 'Created At: 2026-07-20T09:10:09Z\nCompleted At: 2026-07-20T09:10:09Z\nThe following changes were made by the replace_file_content tool to: /home/ada/shop/src/cart.ts. …\n[diff_block_start]\n@@ -1 +1 @@\n-export const MAX = 0;\n+export const MAX = 10;\n[diff_block_end]' },
      { step_index: 7, source: 'MODEL', type: 'PLANNER_RESPONSE', status: 'DONE', created_at: '2026-07-20T09:10:10Z', content: 'Done: `MAX` is now 10.' },
    ]);
    const stats = index();
    expect(stats.fileErrors).toEqual([]);
    expect(stats.skipped).toEqual({});
    read((r) => {
      const s = r.getSession(C1)!;
      // No side index here: the objective of the compaction checkpoint names it; the search path is no workspace.
      expect(s).toMatchObject({ agent: 'antigravity', title: 'Cap cart quantities at 10', summary: 'Cart Quantity Cap', project: null });
      const msgs = r.getMessages(C1, 1, 50);
      expect(msgs.map((m) => [m.sourceId, m.kind])).toEqual([
        ['step-0', 'prompt'],
        ['step-2', 'thinking'],
        ['step-2#1', 'tool-call'],
        ['step-3', 'tool-result'],
        ['step-4', 'summary'],
        ['step-5', 'tool-call'],
        ['step-6', 'tool-result'],
        ['step-7', 'reply'],
      ]);
      expect(msgs[0]).toMatchObject({ text: 'Cap cart quantities at 10', timestamp: Date.parse('2026-07-20T09:10:05Z') });
      expect(msgs[2]).toMatchObject({ toolName: 'grep_search', toolUseId: 'step-2:0', text: 'grep_search MAX in /home/ada/shop/src' });
      expect(msgs[3]).toMatchObject({ toolName: 'grep_search', toolUseId: 'step-2:0', isError: false });
      expect(msgs[3].text.startsWith('{"File":"/home/ada/shop/src/cart.ts"')).toBe(true);
      expect(edits(msgs[5])).toEqual([{ op: 'replace', path: '/home/ada/shop/src/cart.ts', oldText: 'export const MAX = 0;', newText: 'export const MAX = 10;', replaceAll: false }]);
      expect(msgs[5].files).toEqual(['/home/ada/shop/src/cart.ts']);
      expect(msgs[6]).toMatchObject({ toolName: 'replace_file_content', toolUseId: 'step-5:0' });
      expect(msgs[4].subtype).toBe('checkpoint');
    });
  });

  it('reads the real desktop transcript and, for the truncated twin, the same tool calls', () => {
    fs.copyFileSync(path.join(FINRELIEF, 'transcript_full.jsonl'), path.join(logsDir(CONV), 'transcript_full.jsonl'));
    fs.copyFileSync(path.join(FINRELIEF, 'transcript.jsonl'), path.join(logsDir(CONV), 'transcript.jsonl'));
    fs.mkdirSync(path.join(profile, 'conversations'), { recursive: true });
    fs.copyFileSync(path.join(FINRELIEF, `${CONV}.db`), path.join(profile, 'conversations', `${CONV}.db`));
    fs.copyFileSync(path.join(FINRELIEF, 'agyhub_summaries_proto.pb'), path.join(profile, 'agyhub_summaries_proto.pb'));
    const before = treeHash(profile);
    const stats = index();
    expect(stats.fileErrors).toEqual([]);
    expect(stats.skipped).toEqual({});
    // Nothing in the profile changed, and nothing was created beside the WAL-mode conversation store.
    expect(treeHash(profile)).toEqual(before);
    const dump = () => read((_, db) => db.prepare('SELECT * FROM message ORDER BY id').all());
    const rows = dump();
    expect(index()).toMatchObject({ filesUnchanged: 1, filesRead: 0, bytesRead: 0, messagesAdded: 0 });
    expect(dump()).toEqual(rows);
    const full = read((r) => {
      const s = r.getSession(CONV)!;
      // Desktop scratch conversation ("outside-of-project"): the folder its commands ran in is the best workspace.
      expect(s).toMatchObject({
        agent: 'antigravity',
        title: 'how run in visual studio',
        summary: 'Running Code In Visual Studio',
        project: 'C:\\Users\\LENOVO\\.gemini\\antigravity\\scratch\\finrelief-ai\\backend',
        startedAt: Date.parse('2026-07-07T06:57:11Z'),
      });
      const msgs = r.getMessages(CONV, 1, 1000);
      const count = (k: string) => msgs.filter((m) => m.kind === k).length;
      expect(count('prompt')).toBe(9);
      expect(count('tool-call')).toBe(58);
      expect(count('summary')).toBe(2);
      expect(msgs.filter((m) => m.subtype === 'error' && m.isError)).toHaveLength(10);
      const bySource = new Map(msgs.map((m) => [m.sourceId, m]));
      const callOf = (step: number) => msgs.find((m) => m.kind === 'tool-call' && m.toolUseId === `step-${step}:0`);
      // Step 8 (the grep's result) is missing from the transcript: the grep call stays unanswered.
      expect(msgs.filter((m) => m.toolUseId === 'step-7:0').map((m) => m.kind)).toEqual(['tool-call']);
      expect(bySource.get('step-50')).toMatchObject({ toolName: 'run_command', toolUseId: 'step-49:0', isError: true });
      expect(bySource.get('step-72')).toMatchObject({ toolName: 'run_command', isError: false });
      expect(bySource.get('step-74')).toMatchObject({ subtype: 'running' });
      expect(bySource.get('step-48')).toMatchObject({ toolName: 'list_permissions', toolUseId: 'step-47:0' });
      expect(edits(callOf(83))).toEqual([
        { op: 'replace', path: 'C:\\Users\\LENOVO\\.gemini\\antigravity\\scratch\\finrelief-ai\\backend\\requirements.txt', oldText: 'python-dotenv>=1.0.0\n', newText: 'python-dotenv>=1.0.0\nrequests>=2.28.0\n', replaceAll: false },
      ]);
      expect(edits(callOf(105))[0]).toMatchObject({ op: 'write', path: 'C:\\Users\\LENOVO\\.gemini\\antigravity\\scratch\\finrelief-ai\\backend\\tests\\test_api.py' });
      // CHECKPOINT 173 is the file's last line, written after step 179 (an empty planner step after an API error,
      // which yields no message); the timeline keeps step order.
      const seqOf = (id: string) => bySource.get(id)!.seq;
      expect(seqOf('step-172')).toBeLessThan(seqOf('step-173'));
      expect(seqOf('step-173')).toBeLessThan(seqOf('step-174'));
      expect(seqOf('step-178')).toBe(msgs.length);
      expect(bySource.has('step-179')).toBe(false);
      return msgs.filter((m) => m.kind === 'tool-call').map((m) => [m.sourceId, m.toolName, JSON.parse(m.toolInput!)]);
    });
    // The same conversation from the twin alone (args JSON-encoded once more) gives the same calls, except two long
    // CodeContent values the twin cut: decoded as far as they go, marked, and never turned into edits.
    fs.rmSync(path.join(logsDir(CONV), 'transcript_full.jsonl'));
    fs.rmSync(dbPath);
    index();
    const twin = read((r) => r.getMessages(CONV, 1, 1000).filter((m) => m.kind === 'tool-call'));
    expect(twin.map((m) => m.sourceId)).toEqual(full.map((f) => f[0]));
    let cut = 0;
    twin.forEach((m, i) => {
      const args = JSON.parse(m.toolInput!) as Record<string, unknown>;
      const fullArgs = full[i][2] as Record<string, unknown>;
      for (const [k, v] of Object.entries(fullArgs)) {
        const marker = typeof args[k] === 'string' ? /\n<truncated (\d+) bytes>$/.exec(args[k] as string) : null;
        if (!marker) {
          expect(args[k]).toEqual(v);
          continue;
        }
        cut++;
        expect(k).toBe('CodeContent');
        expect((v as string).startsWith((args[k] as string).slice(0, marker.index))).toBe(true);
        expect(m.data).toBeNull();
      }
    });
    expect(cut).toBe(2);
  });

  it('survives the curated CLI fixture with trimmed skeleton records', () => {
    fs.copyFileSync(path.join(SAMPLES, 'jazzyalex-agent-sessions', 'cli_small.jsonl'), path.join(logsDir(C1), 'transcript.jsonl'));
    const stats = index();
    expect(stats.fileErrors).toEqual([]);
    read((r) => {
      const s = r.getSession(C1)!;
      expect(s).toMatchObject({ title: 'List the files.', summary: null });
      const msgs = r.getMessages(C1, 1, 100);
      expect(msgs[0]).toMatchObject({ kind: 'prompt', text: 'List the files.' });
      const listCall = msgs.find((m) => m.toolName === 'list_dir' && m.kind === 'tool-call')!;
      expect(JSON.parse(listCall.toolInput!)).toEqual({ DirectoryPath: '/tmp/repo', toolSummary: 'Listing contents' });
      // write_file names its target only: no edit can be recorded.
      const write = msgs.find((m) => m.toolName === 'write_file' && m.kind === 'tool-call')!;
      expect(write.files).toEqual(['/tmp/repo/notes.md']);
      expect(write.data).toBeNull();
      // Skeleton records ("[trimmed for fixture]" times) are kept with no time rather than dropped.
      expect(msgs.filter((m) => m.timestamp === null).length).toBeGreaterThanOrEqual(7);
    });
  });

  it('pairs GENERIC results (agy 1.1.18 on) with parallel calls, reads exit codes, and records diff-only edits', () => {
    writeTranscript(C1, [
      user(0, 'lint and look around'),
      planner(1, [{ name: 'run_command', args: { CommandLine: 'npm run lint', Cwd: '/home/ada/shop', WaitMsBeforeAsync: 2000, toolAction: 'Linting', toolSummary: 'Lint' } }]),
      { step_index: 2, source: 'MODEL', type: 'GENERIC', status: 'DONE', created_at: '2026-08-25T09:10:07Z', content: 'Created At: 2026-08-25T11:10:07+02:00\nCompleted At: 2026-08-25T11:10:08+02:00\n\nThe command exited with code 1.\nOutput:\nnpm ERR! missing script: lint\n\n' },
      planner(3, [
        { name: 'grep_search', args: { Query: 'lint', SearchPath: '/home/ada/shop' } },
        { name: 'list_dir', args: { DirectoryPath: '/home/ada/shop' } },
      ]),
      result(4, '{"File":"/home/ada/shop/package.json"}'),
      result(5, '{"name":"src","isDir":true}\nSummary: This directory contains 1 subdirectories and 0 files.'),
      planner(6, [{ name: 'apply_edit', args: { TargetFile: '/home/ada/shop/package.json', toolSummary: 'Add lint script' } }]),
      result(7, 'The following changes were made by the apply_edit tool to: /home/ada/shop/package.json.\n[diff_block_start]\n@@ -1,3 +1,4 @@\n {\n+  "scripts": {"lint": "eslint ."},\n   "name": "shop"\n }\n[diff_block_end]\n'),
      { step_index: 8, source: 'MODEL', type: 'BROWSER_SUBAGENT', status: 'DONE', created_at: '2026-08-25T09:11:00Z', content: 'clicked the button' },
      { step_index: 9, source: 'SYSTEM', type: 'ERROR_MESSAGE', status: 'DONE', error: 'The model API is currently overloaded and may experience intermittent errors.', error_code: 429, created_at: '2026-07-20T09:30:00Z' },
      { step_index: 10, source: 'USER_EXPLICIT', type: 'RUN_COMMAND', status: 'DONE', created_at: '2026-07-20T09:31:00Z', content: 'The USER performed the following action:\nCommand: npm test\nCWD: /home/ada/shop\n\n\t\t\t\tThe command completed successfully.\n\t\t\t\tOutput:\n\t\t\t\t3 passing\n' },
    ]);
    index();
    read((r) => {
      const by = new Map(r.getMessages(C1, 1, 100).map((m) => [m.sourceId, m]));
      expect(by.get('step-2')).toMatchObject({ toolName: 'run_command', toolUseId: 'step-1:0', isError: true });
      expect(by.get('step-2')!.text).toBe('The command exited with code 1.\nOutput:\nnpm ERR! missing script: lint\n\n');
      expect(by.get('step-4')).toMatchObject({ toolName: 'grep_search', toolUseId: 'step-3:0' });
      expect(by.get('step-5')).toMatchObject({ toolName: 'list_dir', toolUseId: 'step-3:1' });
      expect(edits(by.get('step-6'))).toEqual([{ op: 'unified-diff', path: '/home/ada/shop/package.json', diff: '@@ -1,3 +1,4 @@\n {\n+  "scripts": {"lint": "eslint ."},\n   "name": "shop"\n }\n' }]);
      // An unknown result type (desktop browser step) is kept as a result, not dropped.
      expect(by.get('step-8')).toMatchObject({ kind: 'tool-result', toolName: null, text: 'clicked the button' });
      expect(by.get('step-9')).toMatchObject({ kind: 'system', isError: true, text: 'The model API is currently overloaded and may experience intermittent errors. (code 429)' });
      expect(by.get('step-10')).toMatchObject({ kind: 'system', role: 'user', subtype: 'user-command', isError: false });
      expect(r.getSession(C1)!.project).toBe('/home/ada/shop');
    });
  });

  it('reads appends only, waits for a partial line, re-reads in order when an earlier step arrives late', () => {
    const file = writeTranscript(C1, [user(0, 'two searches'), planner(2, [{ name: 'grep_search', args: { Query: 'a' } }, { name: 'grep_search', args: { Query: 'b' } }])]);
    expect(index().messagesAdded).toBe(3);
    // The second call's result (step 4) is flushed first, and the line after it is still being written.
    const late = JSON.stringify(result(3, 'result for a'));
    fs.appendFileSync(file, JSON.stringify(result(4, 'result for b')) + '\n' + late.slice(0, 30));
    const appended = index();
    expect(appended.messagesAdded).toBe(1);
    expect(read((r) => r.getMessages(C1, 1, 10).find((m) => m.sourceId === 'step-4')!.toolUseId)).toBe('step-2:0');
    expect(index().messagesAdded).toBe(0);
    // Step 3 completes: it belongs before step 4, so the file is read again in step order and both pair correctly.
    fs.appendFileSync(file, late.slice(30) + '\n');
    const reordered = index();
    expect(reordered.filesReset).toBe(1);
    read((r) => {
      const msgs = r.getMessages(C1, 1, 10);
      expect(msgs.map((m) => [m.seq, m.sourceId, m.toolUseId])).toEqual([
        [1, 'step-0', null],
        [2, 'step-2', 'step-2:0'],
        [3, 'step-2#1', 'step-2:1'],
        [4, 'step-3', 'step-2:0'],
        [5, 'step-4', 'step-2:1'],
      ]);
      expect(r.getSession(C1)!.messageCount).toBe(5);
    });
    // A call written in one pass gets its diff-derived edit when the result arrives in the next.
    fs.appendFileSync(file, JSON.stringify(planner(5, [{ name: 'apply_edit', args: { TargetFile: '/w/x.ts' } }])) + '\n');
    index();
    fs.appendFileSync(file, JSON.stringify(result(6, 'changes were made by the apply_edit tool to: /w/x.ts.\n[diff_block_start]\n@@ -1 +1 @@\n-a\n+b\n[diff_block_end]')) + '\n');
    index();
    expect(read((r) => edits(r.getMessages(C1, 1, 20).find((m) => m.sourceId === 'step-5')))).toEqual([{ op: 'unified-diff', path: '/w/x.ts', diff: '@@ -1 +1 @@\n-a\n+b\n' }]);
  });

  it('skips and counts what it cannot use, caps huge output, and tolerates missing fields', () => {
    writeTranscript(C1, [
      user(0, 'go'),
      '{"step_index":1,"source":"MODEL","type":"PLANNER_RESP',
      { step_index: 2, source: 'MODEL', status: 'DONE', content: 'no type' },
      'not json at all',
      '[1,2,3]',
      planner(3, [{ name: 'view_file', args: { AbsolutePath: '/var/log/big.log' } }]),
      { source: 'MODEL', type: 'VIEW_FILE', status: 'DONE', content: `File Path: \`file:///var/log/big.log\`\n${'y'.repeat(3 * 1024 * 1024)}` },
      { step_index: 5, type: 'PLANNER_RESPONSE', content: 'no source, no status, no time' },
    ]);
    const stats = index();
    expect(stats.skipped).toEqual({ 'invalid-json': 2, 'unknown-type:(none)': 1, 'not-an-object': 1 });
    read((r) => {
      const msgs = r.getMessages(C1, 1, 20);
      const big = msgs.find((m) => m.kind === 'tool-result')!;
      expect(big).toMatchObject({ toolName: 'view_file', toolUseId: 'step-3:0' });
      expect(big.text.length).toBeLessThan(300 * 1024);
      expect(big.text).toMatch(/more, cut by mantra-tui/);
      expect(msgs[msgs.length - 1]).toMatchObject({ kind: 'reply', text: 'no source, no status, no time', timestamp: null });
    });
  });

  it('survives a transcript deleted between discovery and reading, and keeps what it had indexed', () => {
    const file = writeTranscript(C1, [user(0, 'keep me'), planner(1, [], { content: 'kept' })]);
    index();
    fs.appendFileSync(file, JSON.stringify(planner(2, [], { content: 'never read' })) + '\n');
    const a = antigravityAdapter({ dirs: [gemini] });
    const [candidate] = a.discover();
    fs.rmSync(file);
    const db = openDatabase(dbPath);
    try {
      const stats = runIndex(new IndexWriter(db), []);
      a.ingest(new IndexWriter(db), candidate, stats);
      expect(stats.fileErrors).toHaveLength(1);
      expect(stats.fileErrors[0].message).toMatch(/ENOENT/);
    } finally {
      closeDatabase(db);
    }
    expect(index().filesGone).toBe(1);
    expect(read((r) => r.getMessages(C1, 1, 10).map((m) => m.text))).toEqual(['keep me', 'kept']);
  });

  it('reads a transcript that exists only as chunks, split mid-line', () => {
    const steps = [user(0, 'chunked'), planner(1, [], { content: 'reply one' }), planner(2, [], { content: 'reply two' })];
    const bytes = Buffer.from(steps.map((s) => JSON.stringify(s)).join('\n') + '\n');
    const chunkDir = path.join(logsDir(C1), 'chunks', 'transcript_full');
    fs.mkdirSync(chunkDir, { recursive: true });
    fs.writeFileSync(path.join(chunkDir, '00000000.jsonl'), bytes.subarray(0, 100));
    fs.writeFileSync(path.join(chunkDir, '00000001.jsonl'), bytes.subarray(100, 250));
    fs.writeFileSync(path.join(chunkDir, '00000002.jsonl'), bytes.subarray(250));
    index();
    expect(read((r) => r.getMessages(C1, 1, 10).map((m) => m.text))).toEqual(['chunked', 'reply one', 'reply two']);
    const more = Buffer.from(JSON.stringify(planner(3, [], { content: 'reply three' })) + '\n');
    fs.writeFileSync(path.join(chunkDir, '00000003.jsonl'), more);
    expect(index().messagesAdded).toBe(1);
    expect(index().messagesAdded).toBe(0);
  });
});

describe('Antigravity side indexes, profiles and doctor', () => {
  function summariesDb(rows: { id: string; title?: string; workspace?: string[]; parent?: string; project?: string }[], prof = profile): void {
    fs.mkdirSync(prof, { recursive: true });
    const db = new Database(path.join(prof, 'conversation_summaries.db'));
    db.pragma('journal_mode = WAL');
    db.exec(`CREATE TABLE IF NOT EXISTS conversation_summaries (conversation_id TEXT PRIMARY KEY, title TEXT, preview TEXT, step_count INTEGER,
      last_modified_time INTEGER, workspace_uris TEXT, status INTEGER, parent_conversation_id TEXT, nesting_depth INTEGER, project_id TEXT, raw_summary BLOB)`);
    for (const r of rows) {
      db.prepare('INSERT OR REPLACE INTO conversation_summaries (conversation_id, title, workspace_uris, parent_conversation_id, project_id) VALUES (?, ?, ?, ?, ?)').run(
        r.id,
        r.title ?? null,
        r.workspace ? JSON.stringify(r.workspace) : null,
        r.parent ?? null,
        r.project ?? null,
      );
    }
    db.close();
  }

  it('takes workspace, title, rename and parent from the side indexes, including ones written after the transcript', () => {
    writeTranscript(C1, [user(0, 'parent work'), planner(1, [{ name: 'invoke_subagent', args: { Task: 'explore' } }]), result(2, '{"conversationId":"' + C2 + '","logAbsoluteUri":"file:///x"}', 'INVOKE_SUBAGENT')]);
    writeTranscript(C2, [user(0, 'child work')]);
    // The child is newer, so a pass reads it first: its parent is only known once the parent's result is read.
    fs.utimesSync(path.join(logsDir(C1), 'transcript_full.jsonl'), new Date(2026, 0, 1), new Date(2026, 0, 1));
    index();
    read((r) => {
      expect(r.getSession(C2)!.parentId).toBe(C1);
      expect(r.getSession(C1)!.project).toBeNull();
    });
    // The summaries index is written asynchronously: a later pass picks it up without re-reading the transcript.
    summariesDb([{ id: C1, title: 'Shop exploration', workspace: ['file:///home/ada/my%20shop'] }]);
    fs.mkdirSync(path.join(profile, 'annotations'), { recursive: true });
    // The user's rename wins over the generated title; text-format escapes are UTF-8 octal bytes.
    fs.writeFileSync(path.join(profile, 'annotations', `${C2}.pbtxt`), 'title:"Caf\\303\\251 \\"child\\""  last_user_view_time:{seconds:1785000000  nanos:0}\n');
    summariesDb([{ id: C2, title: 'Generated child title', workspace: ['file:///home/ada/my%20shop'] }]);
    const later = index();
    expect(later).toMatchObject({ filesRead: 0, messagesAdded: 0 });
    read((r) => {
      expect(r.getSession(C1)).toMatchObject({ project: '/home/ada/my shop', summary: 'Shop exploration', title: 'parent work' });
      expect(r.getSession(C2)).toMatchObject({ project: '/home/ada/my shop', summary: 'Café "child"', parentId: C1 });
    });
    // A side index that changed for another conversation writes nothing for these.
    const rows = () => read((_, db) => db.prepare('SELECT * FROM source_file ORDER BY id').all());
    const before = rows();
    fs.appendFileSync(path.join(profile, 'history.jsonl'), JSON.stringify({ display: 'x', timestamp: 1, workspace: '/elsewhere', conversationId: 'other' }) + '\n');
    expect(index()).toMatchObject({ filesUnchanged: 2, filesRead: 0 });
    expect(rows()).toEqual(before);
  });

  it('falls back to history.jsonl, last_conversations.json and config/projects for the workspace', () => {
    const c3 = '9b9b9b9b-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
    writeTranscript(C1, [user(0, 'a')]);
    writeTranscript(C2, [user(0, 'b')]);
    writeTranscript(c3, [user(0, 'c')]);
    fs.writeFileSync(path.join(profile, 'history.jsonl'), [
      JSON.stringify({ display: 'a', timestamp: 1784538605000, workspace: '/home/ada/shop' }),
      JSON.stringify({ display: 'a again', timestamp: 1784538700000, workspace: '/home/ada/shop', conversationId: C1 }),
    ].join('\n') + '\n');
    fs.mkdirSync(path.join(profile, 'cache'), { recursive: true });
    fs.writeFileSync(path.join(profile, 'cache', 'last_conversations.json'), JSON.stringify({ '/home/ada/cli': C2 }));
    summariesDb([{ id: c3, project: 'p-1' }]);
    fs.mkdirSync(path.join(gemini, 'config', 'projects'), { recursive: true });
    fs.writeFileSync(path.join(gemini, 'config', 'projects', 'p-1.json'), JSON.stringify({ id: 'p-1', name: '/home/ada/named', projectResources: { resources: [{ gitFolder: { folderUri: 'file:///home/ada/repo', allowWrite: true } }] } }));
    index();
    read((r) => {
      expect(r.getSession(C1)!.project).toBe('/home/ada/shop');
      expect(r.getSession(C2)!.project).toBe('/home/ada/cli');
      expect(r.getSession(c3)!.project).toBe('/home/ada/repo');
    });
  });

  it('finds every profile, groups with other assistants by folder, and lists encrypted stores in doctor', () => {
    for (const name of ['antigravity', 'antigravity-cli', 'antigravity-ide']) {
      const prof = path.join(gemini, name);
      writeTranscript(`${name === 'antigravity' ? 'aaaaaaaa' : name === 'antigravity-cli' ? 'bbbbbbbb' : 'cccccccc'}-0000-4000-8000-000000000000`, [user(0, `from ${name}`)], prof);
      summariesDb([], prof);
    }
    // Gemini CLI's own folders are not Antigravity's, nor is a browser profile that happens to share the prefix.
    fs.mkdirSync(path.join(gemini, 'tmp', 'abc', 'chats'), { recursive: true });
    fs.mkdirSync(path.join(gemini, 'antigravity-browser-profile', 'Default'), { recursive: true });
    const ide = path.join(gemini, 'antigravity-ide');
    fs.mkdirSync(path.join(ide, 'conversations'), { recursive: true });
    fs.writeFileSync(path.join(ide, 'conversations', 'dddddddd-0000-4000-8000-000000000000.pb'), crypto.randomBytes(512));
    fs.writeFileSync(path.join(ide, 'conversations', 'eeeeeeee-0000-4000-8000-000000000000.db'), 'x');
    fs.mkdirSync(path.join(ide, 'implicit'), { recursive: true });
    fs.writeFileSync(path.join(ide, 'implicit', 'ffffffff-0000-4000-8000-000000000000.pb'), crypto.randomBytes(64));
    summariesDb([{ id: 'aaaaaaaa-0000-4000-8000-000000000000', workspace: ['file:///home/ada/shop'] }], path.join(gemini, 'antigravity'));
    const claudeDir = path.join(dir, 'claude');
    const proj = path.join(claudeDir, 'projects', '-home-ada-shop');
    fs.mkdirSync(proj, { recursive: true });
    fs.writeFileSync(path.join(proj, 's1.jsonl'), prompt({ uuid: uuid(), sessionId: 's1', timestamp: ts(1), cwd: '/home/ada/shop' }, 'hello') + '\n');
    const before = treeHash(gemini);
    index([claudeAdapter(claudeDir) as unknown as Adapter]);
    expect(treeHash(gemini)).toEqual(before);
    read((r) => {
      expect(r.listSessions({ agent: 'antigravity', includeChildren: true }, 0, 10).map((s) => s.title).sort()).toEqual(['from antigravity', 'from antigravity-cli', 'from antigravity-ide']);
      expect(r.listSessions({ project: '/home/ada/shop', includeChildren: true }, 0, 10).map((s) => s.agent).sort()).toEqual(['antigravity', 'claude']);
    });
    const diagnosis = adapter().diagnose();
    expect(diagnosis.files).toBe(3);
    expect(diagnosis.locations[0]).toEqual({ path: gemini, exists: true, note: 'scanned for antigravity* profiles' });
    expect(diagnosis.locations.filter((l) => l.note?.startsWith('profile')).map((l) => path.basename(l.path)).sort()).toEqual(['antigravity', 'antigravity-cli', 'antigravity-ide']);
    expect(diagnosis.unreadable.map((u) => [path.basename(u.path), u.reason.split(' ')[0]])).toEqual([
      ['dddddddd-0000-4000-8000-000000000000.pb', 'encrypted'],
      ['eeeeeeee-0000-4000-8000-000000000000.db', 'conversation'],
      ['ffffffff-0000-4000-8000-000000000000.pb', 'encrypted'],
    ]);
    // --antigravity-dir naming one profile reads only that one.
    const one = antigravityAdapter({ dirs: [ide] });
    expect(one.discover().map((c) => c.conversationId)).toEqual(['cccccccc-0000-4000-8000-000000000000']);
  });
});

describe('Antigravity pure parts', () => {
  const varint = (n: number) => {
    const out: number[] = [];
    while (n >= 0x80) {
      out.push((n & 0x7f) | 0x80);
      n = Math.floor(n / 128);
    }
    out.push(n);
    return Buffer.from(out);
  };
  /** Protobuf: a length-delimited field. */
  const ld = (field: number, body: Buffer | string) => {
    const b = typeof body === 'string' ? Buffer.from(body) : body;
    return Buffer.concat([varint(field * 8 + 2), varint(b.length), b]);
  };

  it('reads prompts: the request, artifact comments before it, uploaded images; bare text as is', () => {
    const content =
      'Comments on artifact URI: file:///p/brain/x/implementation_plan.md\nLooks good. The user has approved this document.\n<USER_REQUEST>\n/plan add a cart\n</USER_REQUEST>\n<ADDITIONAL_METADATA>\nThe current local time is: 2026-08-04T11:49:05+03:00.\nThe user has uploaded 1 image(s):\n- /p/brain/x/.user_uploaded/media_1.png\n</ADDITIONAL_METADATA>';
    expect(promptOf(content)).toEqual({
      request: '/plan add a cart',
      text: 'Comments on artifact URI: file:///p/brain/x/implementation_plan.md\nLooks good. The user has approved this document.\n\n/plan add a cart\n\n[image: /p/brain/x/.user_uploaded/media_1.png]',
    });
    expect(promptOf('  just do it ')).toEqual({ text: 'just do it', request: 'just do it' });
  });

  it.each([
    ['\t\t\t\tThe command completed successfully.\n\t\t\t\tOutput:\n\t\t\t\tok', 0],
    ['\t\t\t\tThe command failed with exit code: 2\n\t\t\t\tOutput:', 2],
    ['\t\t\t\tThe command exited with code 0.', 0],
    ['The command exited with code 127.\nOutput:\nnot found', 127],
    ['Tool is running as a background task with task id: x/task-1', null],
  ])('exit code of %j is %s', (text, code) => {
    expect(exitCodeOf(text)).toBe(code);
  });

  it('reads diff blocks, subagent ids, checkpoint objectives and the result header', () => {
    expect(diffBlocks('The following changes were made by the replace_file_content tool to: C:\\x\\a.py. If relevant…\n[diff_block_start]\n@@ -1 +1 @@\n-a\n+b\n[diff_block_end]\nnote\n[diff_block_start]\n@@ -5 +5 @@\n-c\n+d\n[diff_block_end]')).toEqual([
      { path: 'C:\\x\\a.py', diff: '@@ -1 +1 @@\n-a\n+b\n' },
      { path: 'C:\\x\\a.py', diff: '@@ -5 +5 @@\n-c\n+d\n' },
    ]);
    expect(diffBlocks('[diff_block_start]\nno end')).toEqual([]);
    expect(subagentIds(`[{"conversationId": "${C1}", "logAbsoluteUri": "file:///x"}, {"conversationId":"${C2}"}]`)).toEqual([C1, C2]);
    expect(checkpointObjective('{{ CHECKPOINT 1 }}\n\n# USER Objective:\n\nRunning Code In Visual Studio\n\n# User Requests\n…')).toBe('Running Code In Visual Studio');
    expect(checkpointObjective('# Resuming from a compaction')).toBeNull();
    expect(resultBody('Created At: 2026-07-20T09:10:07Z\nCompleted At: 2026-07-20T09:10:07Z\n\nbody')).toBe('body');
  });

  it('decodes the twin\'s args, including values it cut mid-escape', () => {
    expect(decodeTwinValue('"\\"/x/y.ts\\""')).toEqual({ value: '"/x/y.ts"', truncated: false });
    expect(decodeTwinValue('"/x/y.ts"')).toEqual({ value: '/x/y.ts', truncated: false });
    expect(decodeTwinValue('true')).toEqual({ value: true, truncated: false });
    expect(decodeTwinValue('"line one\\nline \\u00e9t\\u00\n<truncated 4151 bytes>')).toEqual({ value: 'line one\nline ét\n<truncated 4151 bytes>', truncated: true });
    expect(agyEdits('write_to_file', { TargetFile: '/a', CodeContent: 'x\n<truncated 9 bytes>' }, ['CodeContent'])).toEqual([]);
    expect(agyEdits('multi_replace_file_content', { TargetFile: '/a', ReplacementChunks: [{ TargetContent: 'a', ReplacementContent: 'b', AllowMultiple: true }, { TargetContent: 'c' }] })).toEqual([
      { op: 'replace', path: '/a', oldText: 'a', newText: 'b', replaceAll: true },
    ]);
  });

  it('orders steps by index, keeping file order for ties and placing an index-less step after its predecessor', () => {
    const s = (index: number | null, byteOffset: number) => ({ index, byteOffset }) as never;
    expect(sortSteps([s(3, 0), s(1, 10), s(null, 20), s(2, 30), s(1, 40)]).map((x: { byteOffset: number }) => x.byteOffset)).toEqual([10, 20, 40, 30, 0]);
    expect(parseStepLine('   ', 0, false)).toEqual({ blank: true });
  });

  it('reads the real summaries index, trajectory metadata and the side files', () => {
    const hub = parseAgyhubSummaries(fs.readFileSync(path.join(FINRELIEF, 'agyhub_summaries_proto.pb')));
    expect([...hub.keys()]).toEqual(['796a8454-722f-4c18-a920-e35089d8fbc8', CONV]);
    expect(hub.get(CONV)).toEqual({ title: 'Running Code In Visual Studio', userTitle: null, workspace: null, branch: null });
    expect(hub.get('796a8454-722f-4c18-a920-e35089d8fbc8')!.title).toBe('ER Diagram Design FinRelief');
    const real = new Database(path.join(FINRELIEF, `${CONV}.db`), { readonly: true, fileMustExist: true });
    let blob: Buffer;
    try {
      blob = (real.prepare("SELECT data FROM trajectory_metadata_blob WHERE id = 'main'").get() as { data: Buffer }).data;
    } finally {
      real.close();
    }
    // A desktop scratch conversation: no workspace, project "outside-of-project".
    expect(parseTrajectoryMetadata(blob)).toEqual({ workspace: null, branch: null, projectId: null });
    expect(parseTrajectoryMetadata(Buffer.concat([ld(1, Buffer.concat([ld(1, 'file:///home/ada/shop'), ld(4, 'feature/cart')])), ld(18, 'p-7')]))).toEqual({ workspace: '/home/ada/shop', branch: 'feature/cart', projectId: 'p-7' });
    // A string that is not a URI in the workspace field is not taken for one.
    expect(parseTrajectoryMetadata(ld(1, ld(1, 'not a uri'))).workspace).toBeNull();
    expect(parseAnnotationTitle('last_user_view_time:{seconds:1 title:"nested"}\ntitle: \'Cart\\x20limit\'')).toBe('Cart limit');
    expect(parseAnnotationTitle('archived:true')).toBeNull();
    expect(parseProjectConfig(JSON.stringify({ id: 'p', name: '/home/ada/cli-only', projectResources: { resources: [] } }))).toEqual({ id: 'p', folder: '/home/ada/cli-only' });
    expect(parseProjectConfig('{"id":"p","name":"not a path"}')).toBeNull();
    expect(parseHistory('{"display":"x","timestamp":1,"workspace":"/a"}\n{"display":"y","timestamp":2,"workspace":"/a","conversationId":"c"}\nbroken\n')).toEqual(new Map([['c', '/a']]));
    expect(parseLastConversations('{"/home/ada/shop":"c1","/tmp":3}')).toEqual(new Map([['c1', '/home/ada/shop']]));
  });

  it('takes workspace and branch from the conversation store when no cheaper index has them', () => {
    writeTranscript(C1, [user(0, 'in a repo')]);
    fs.mkdirSync(path.join(profile, 'conversations'), { recursive: true });
    const store = path.join(profile, 'conversations', `${C1}.db`);
    const db = new Database(store);
    db.pragma('journal_mode = WAL');
    db.exec("CREATE TABLE trajectory_metadata_blob (id TEXT PRIMARY KEY DEFAULT 'main', data BLOB)");
    db.prepare("INSERT INTO trajectory_metadata_blob VALUES ('main', ?)").run(ld(1, Buffer.concat([ld(1, 'file:///home/ada/repo'), ld(4, 'main')])));
    db.close();
    const before = treeHash(profile);
    index();
    expect(treeHash(profile)).toEqual(before);
    expect(read((r) => r.getSession(C1))).toMatchObject({ project: '/home/ada/repo', gitBranch: 'main' });
  });
});
