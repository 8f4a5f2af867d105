import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FileEditData } from '../src/model.js';
import { isCompaction } from '../src/model.js';
import { codexAdapter } from '../src/ingest/codex/index.js';
import { codexOutput, commandText, initialCodexState, isInjectedContext, parseCodexLine } from '../src/ingest/codex/parse.js';
import { describePatch, patchFiles, patchFromCommand, patchOps, resolveAgainst } from '../src/ingest/codex/patch.js';
import { runIndex } from '../src/ingest/indexer.js';
import { adaptersFor } from '../src/ingest/sources.js';
import { emptyStats } from '../src/ingest/stats.js';
import { resolveCodexDir } from '../src/paths.js';
import { closeDatabase, openDatabase } from '../src/store/db.js';
import { StoreReader } from '../src/store/reader.js';
import { IndexWriter } from '../src/store/writer.js';

const FIXTURES = path.resolve(__dirname, 'fixtures/codex');
const SAMPLES = path.resolve(__dirname, '../../shared/samples/codex');
const SID = '019cd5a0-1111-7aaa-8bbb-0123456789ab';

let dir: string;
let codexDir: string;
let dbPath: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mantra-codex-'));
  codexDir = path.join(dir, 'codex');
  dbPath = path.join(dir, 'index.db');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Places a fixture where Codex would write it: sessions/YYYY/MM/DD/rollout-<local time>-<thread id>.jsonl. */
function place(fixture: string, threadId: string, day = '2026/03/10', content?: string): string {
  const file = path.join(codexDir, 'sessions', day, `rollout-2026-03-10T14-00-00-${threadId}.jsonl`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (content !== undefined) fs.writeFileSync(file, content);
  else fs.copyFileSync(path.join(FIXTURES, fixture), file);
  return file;
}

function index() {
  const db = openDatabase(dbPath);
  try {
    return runIndex(new IndexWriter(db), adaptersFor({ claudeDir: path.join(dir, 'no-claude'), codexDir }));
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
const edits = (data: string | null) => (JSON.parse(data ?? 'null') as FileEditData | null)?.edits;

describe('Codex rollout parsing (pure)', () => {
  it.each([
    ['<environment_context>\n  <cwd>/x</cwd>\n</environment_context>', true],
    ['# AGENTS.md instructions for /x\n\n<INSTRUCTIONS>\nbe nice\n</INSTRUCTIONS>', true],
    ['<user_instructions>\nuse tabs\n</user_instructions>', true],
    ['Add a quantity limit to the cart', false],
    ['<div>why is this red?</div> in my page', false],
    ['<environment_context> never closed', false],
  ])('tells injected context from a prompt: %j', (text, injected) => {
    expect(isInjectedContext(text)).toBe(injected);
  });

  it.each([
    ['Exit code: 0\nWall time: 0.1 seconds\nOutput:\nok\n', false, 'Exit code: 0'],
    ['Exit code: 127\nOutput:\nnot found\n', true, 'not found'],
    ['{"output":"README.md\\n","metadata":{"exit_code":0,"duration_seconds":0.1}}', false, 'README.md'],
    ['{"output":"boom\\n","metadata":{"exit_code":2}}', true, 'boom'],
    ['Chunk ID: 1\nWall time: 0.2\nProcess exited with code 1\nOutput:\nfail', true, 'fail'],
    [[{ type: 'input_text', text: 'a.txt\n' }, { type: 'input_image', image_url: 'data:image/png;base64,AAAA' }], null, '[image: image/png'],
    [{ type: 'input_text', text: 'single item' }, null, 'single item'],
    [{ content: 'payload', success: false }, true, 'payload'],
    ['apply_patch verification failed: no hunk', true, 'verification failed'],
    ['just text', null, 'just text'],
    [null, null, ''],
  ])('reads tool output %j', (output, failed, contains) => {
    const r = codexOutput(output);
    expect(r.failed).toBe(failed);
    expect(r.text).toContain(contains);
  });

  it.each([
    [['bash', '-lc', 'npm test'], 'npm test'],
    [['/bin/zsh', '-c', 'ls -la'], 'ls -la'],
    [['git', 'commit', '-m', 'two words'], "git commit -m 'two words'"],
    ['rg -n MAX src', 'rg -n MAX src'],
    [42, ''],
  ])('shows shell command %j as %j', (command, text) => {
    expect(commandText(command)).toBe(text);
  });

  it('lists the files a patch touches, moves and deletes included, against the cwd', () => {
    const patch = fs.readFileSync(path.join(FIXTURES, 'patches.jsonl'), 'utf8').split('\n')[2];
    const body = JSON.parse(JSON.parse(patch).payload.arguments).input as string;
    expect(patchOps(body)).toEqual([
      { op: 'add', path: 'src/limit.ts', moveTo: null },
      { op: 'update', path: 'src/old-name.ts', moveTo: 'src/new-name.ts' },
      { op: 'delete', path: '/home/ada/shop/legacy.ts', moveTo: null },
    ]);
    expect(patchFiles(body, '/home/ada/shop')).toEqual([
      '/home/ada/shop/src/limit.ts',
      '/home/ada/shop/src/old-name.ts',
      '/home/ada/shop/src/new-name.ts',
      '/home/ada/shop/legacy.ts',
    ]);
    expect(describePatch(body)).toBe('A src/limit.ts, M src/old-name.ts → src/new-name.ts, D /home/ada/shop/legacy.ts');
  });

  it.each([
    ['/home/ada/shop', 'src/a.ts', '/home/ada/shop/src/a.ts'],
    ['/home/ada/shop', '/etc/hosts', '/etc/hosts'],
    ['/home/ada/shop', '../other/b.ts', '/home/ada/other/b.ts'],
    ['C:\\Users\\ada\\shop', 'src\\a.ts', 'C:\\Users\\ada\\shop\\src\\a.ts'],
    [null, 'src/a.ts', 'src/a.ts'],
    ['[trimmed for fixture]', 'a.txt', 'a.txt'],
  ])('resolves %j + %j', (cwd, p, expected) => {
    expect(resolveAgainst(cwd, p)).toBe(expected);
  });

  it.each([
    ["apply_patch <<'EOF'\n*** Begin Patch\n*** Add File: a\n+x\n*** End Patch\nEOF", '*** Begin Patch\n*** Add File: a\n+x\n*** End Patch\n'],
    ['applypatch\n*** Begin Patch\n*** Delete File: b\n*** End Patch', '*** Begin Patch\n*** Delete File: b\n*** End Patch\n'],
    ['cat notes.md # mentions *** Begin Patch and *** End Patch', null],
    ['my_apply_patch_helper *** Begin Patch *** End Patch', null],
    ['apply_patch <<EOF\n*** Begin Patch\n*** Add File: a\n(no end)', null],
  ])('finds the patch in shell command %j', (command, patch) => {
    expect(patchFromCommand(command)).toBe(patch);
  });

  it('never throws, whatever the line', () => {
    const state = initialCodexState();
    const lines = ['', '   ', 'null', '[]', '"x"', '{}', '{"type":7}', '{"type":"response_item","payload":null}', '{"type":"event_msg","payload":{}}',
      '{"type":"response_item","payload":{"type":"message","content":[null,1,{"type":"input_text"}]}}',
      '{"type":"response_item","payload":{"type":"function_call","arguments":"{not json"}}', '{"timestamp":{},"type":"compacted","payload":{}}'];
    for (const line of lines) expect(() => parseCodexLine(line, 0, state)).not.toThrow();
  });
});

describe('Codex CLI ingest', () => {
  it('indexes a modern rollout: session facts, a real title, one row per thing said, paired tool calls', () => {
    const file = place('modern.jsonl', SID);
    const stats = index();
    expect(stats.fileErrors).toEqual([]);
    expect(stats.sessionsAdded).toBe(1);
    expect(stats.skipped).toEqual({
      'unknown-type:some_future_kind': 1,
      'unknown-type:event_msg/some_future_event': 1,
      'unknown-type:response_item/some_future_item': 1,
      'invalid-json': 1,
    });
    read((r) => {
      const s = r.getSession(SID)!;
      expect(s).toMatchObject({
        agent: 'codex',
        project: '/home/ada/shop',
        gitBranch: 'feat/cart',
        gitCommit: '4c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d',
        gitRepo: 'git@github.com:ada/shop.git',
        agentVersion: '0.118.0',
        title: 'Add a quantity limit to the cart',
        summary: 'Cart quantity limit',
        startedAt: Date.parse('2026-03-10T14:00:00.120Z'),
        updatedAt: Date.parse('2026-03-10T15:31:40.000Z'),
      });
      expect(s.sourceFiles).toEqual([file]);
      const msgs = r.getMessages(SID, 1, 100);
      expect(msgs.map((m) => `${m.kind}${m.subtype ? `/${m.subtype}` : ''}`)).toEqual([
        'system/session_meta',
        'system/developer',
        'system/context',
        'system/context',
        'prompt',
        'thinking',
        'tool-call',
        'tool-result',
        'tool-call',
        'tool-result',
        'tool-call',
        'tool-result',
        'reply',
        'system/compact_boundary',
        'summary/compact_summary',
        'prompt',
        'system/ghost_snapshot',
        'system/turn_aborted',
        'system/error',
      ]);
      // The user_message, agent_message and agent_reasoning events repeat response items: each shown once.
      expect(msgs.filter((m) => m.text === 'Add a quantity limit to the cart')).toHaveLength(1);
      expect(msgs.filter((m) => m.kind === 'reply')).toHaveLength(1);
      expect(msgs.find((m) => m.kind === 'thinking')!.text).toBe('**Locating the cart module**');
      const [rg, rgOut, patch, patchOut, test, testOut] = msgs.filter((m) => m.kind === 'tool-call' || m.kind === 'tool-result');
      expect(rg).toMatchObject({ toolName: 'shell_command', toolUseId: 'call_7QmX', text: 'shell_command: rg -n MAX src' });
      expect(rgOut).toMatchObject({ toolName: 'shell_command', toolUseId: 'call_7QmX', isError: false });
      expect(patch).toMatchObject({ toolName: 'apply_patch', toolUseId: 'call_9PaT', text: 'apply_patch: M src/cart.ts', files: ['/home/ada/shop/src/cart.ts'] });
      expect(edits(patch.data)).toEqual([
        { op: 'apply-patch', patch: '*** Begin Patch\n*** Update File: src/cart.ts\n@@\n-export const MAX = 0;\n+export const MAX = 10;\n*** End Patch\n', cwd: '/home/ada/shop' },
      ]);
      expect(patchOut).toMatchObject({ toolName: 'apply_patch', isError: false, text: 'Success. Updated the following files:\nM src/cart.ts\n' });
      expect(test.text).toBe('shell_command: npm test');
      expect(testOut).toMatchObject({ isError: true, toolName: 'shell_command' });
      // Compactions mark the scrubber; the pasted image is a placeholder, never the bytes.
      expect(msgs.filter(isCompaction)).toHaveLength(2);
      expect(r.getScrubBuckets(SID, 1)[0]).toMatchObject({ compactions: 2, toolCalls: 3, errors: 2 });
      const image = msgs.filter((m) => m.kind === 'prompt')[1];
      expect(image.text).toMatch(/^\[image: image\/png, 0\.1 KB\]\ndoes this look right\?$/);
      expect(JSON.parse(msgs.find((m) => m.subtype === 'ghost_snapshot')!.data!)).toMatchObject({ commit: '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d', preexistingUntrackedFiles: ['notes.txt'] });
      // Rows point back to their source line.
      const raw = fs.readFileSync(file);
      for (const m of msgs) {
        const line = raw.subarray(m.byteOffset, raw.indexOf(10, m.byteOffset)).toString();
        expect(() => JSON.parse(line)).not.toThrow();
        expect(m.sourceId.startsWith(`o${m.byteOffset}`)).toBe(true);
      }
    });
  });

  it('records apply_patch in every form it takes, and errors from exit codes and failure events', () => {
    place('patches.jsonl', '019cd5a0-2222-7aaa-8bbb-0123456789ab');
    const stats = index();
    expect(stats.skipped).toEqual({});
    read((r) => {
      const calls = r.getMessages('019cd5a0-2222-7aaa-8bbb-0123456789ab', 1, 100).filter((m) => m.kind === 'tool-call');
      const byId = new Map(calls.map((c) => [c.toolUseId, c]));
      const files = ['/home/ada/shop/src/limit.ts', '/home/ada/shop/src/old-name.ts', '/home/ada/shop/src/new-name.ts', '/home/ada/shop/legacy.ts'];
      for (const id of ['call_fn', 'call_custom', 'call_heredoc', 'call_exec']) {
        const call = byId.get(id)!;
        expect(call.files, id).toEqual(files);
        expect(call.text, id).toBe('apply_patch: A src/limit.ts, M src/old-name.ts → src/new-name.ts, D /home/ada/shop/legacy.ts');
        const [edit] = edits(call.data)!;
        expect(edit).toMatchObject({ op: 'apply-patch', cwd: '/home/ada/shop' });
        expect(edit.op === 'apply-patch' && edit.patch.startsWith('*** Begin Patch\n*** Add File: src/limit.ts')).toBe(true);
      }
      // The argv form runs in its own workdir: relative paths resolve there.
      expect(byId.get('call_argv')!.files[0]).toBe('/home/ada/shop/pkg/src/limit.ts');
      expect(edits(byId.get('call_argv')!.data)![0]).toMatchObject({ cwd: '/home/ada/shop/pkg' });
      // Shell calls that do not run apply_patch carry no edits.
      for (const id of ['call_local', 'call_plain', 'call_mcp', 'call_noargs']) expect(byId.get(id)?.data, id).toBeNull();
      expect(byId.get('call_local')!.text).toBe('local_shell: ls -la');
      const results = r.getMessages('019cd5a0-2222-7aaa-8bbb-0123456789ab', 1, 100).filter((m) => m.kind === 'tool-result');
      const failed = Object.fromEntries(results.map((m) => [m.toolUseId ?? '(none)', m.isError]));
      expect(failed).toEqual({ call_fn: false, call_custom: true, call_argv: false, call_heredoc: true, call_exec: true, call_local: false, call_plain: false, '(none)': false });
      expect(results.find((m) => m.toolUseId === 'call_exec')!.toolName).toBe('exec_command');
    });
  });

  it('reads code mode: inner steps from item_completed records, shown once, with their edits', () => {
    const id = '019f0000-4444-7aaa-8bbb-0123456789ab';
    place('codemode.jsonl', id, '2026/11/20');
    expect(index().skipped).toEqual({ 'unknown-type:item_completed/SomethingNew': 1 });
    read((r) => {
      const msgs = r.getMessages(id, 1, 50);
      expect(msgs.map((m) => `${m.kind}${m.toolName ? `:${m.toolName}` : ''}`)).toEqual([
        'system', 'prompt',
        'tool-call:exec', 'tool-call:exec_command', 'tool-result:exec_command', 'tool-call:file_change', 'tool-result:file_change',
        'tool-call:docs__search', 'tool-result:docs__search', 'tool-result:exec',
        'tool-call:shell_command', 'tool-result:shell_command', 'reply',
      ]);
      expect(msgs[2].text).toBe("exec: const r = await tools.exec_command({cmd: 'npm test'}); await tools.apply_patch({patch}); return r.output;");
      expect(msgs[4]).toMatchObject({ isError: true, text: '1 failing\n', toolUseId: 'exec-c1' });
      const change = msgs[5];
      expect(change.files).toEqual(['/home/ada/shop/src/cart.ts', '/home/ada/shop/src/limit.ts', '/home/ada/shop/old.ts', '/home/ada/shop/a.ts', '/home/ada/shop/b.ts']);
      expect(edits(change.data)).toEqual([
        { op: 'unified-diff', path: '/home/ada/shop/src/cart.ts', diff: '@@ -1 +1 @@\n-export const MAX = 0;\n+export const MAX = 10;\n' },
        { op: 'write', path: '/home/ada/shop/src/limit.ts', content: 'export const LIMIT = 10;\n' },
        { op: 'delete', path: '/home/ada/shop/old.ts' },
      ]);
      expect(msgs[8].text).toBe('3 hits');
      expect(msgs.filter((m) => m.kind === 'prompt')).toHaveLength(1);
      expect(msgs.filter((m) => m.kind === 'reply')).toHaveLength(1);
    });
  });

  it('reads the legacy bare format: meta on line 1, cwd from the environment context, no timestamps', () => {
    const id = '5973b6c0-94b8-487b-a530-2aeb6098ae0e';
    place('legacy.jsonl', id, '2025/08/01');
    const stats = index();
    expect(stats.skipped).toEqual({});
    read((r) => {
      expect(r.getSession(id)).toMatchObject({
        project: '/home/ada/shop',
        gitBranch: 'main',
        gitCommit: '0f0e0d0c0b0a09080706050403020100ffeeddcc',
        gitRepo: 'https://github.com/ada/shop.git',
        title: 'List the files in the repo',
        startedAt: Date.parse('2025-08-01T10:00:00.000Z'),
      });
      const msgs = r.getMessages(id, 1, 20);
      expect(msgs.map((m) => m.kind)).toEqual(['system', 'system', 'prompt', 'tool-call', 'tool-result', 'reply']);
      expect(msgs.slice(1).every((m) => m.timestamp === null)).toBe(true);
      expect(msgs[3]).toMatchObject({ text: 'shell: ls', toolUseId: 'call_1' });
      expect(msgs[4]).toMatchObject({ text: 'README.md\nsrc\n', isError: false, toolName: 'shell' });
    });
  });

  it('files a sub-agent thread under its parent; a copied history does not change its identity', () => {
    place('modern.jsonl', SID);
    place('subagent.jsonl', '019cd5a0-3333-7aaa-8bbb-0123456789ab', '2026/03/11');
    index();
    read((r) => {
      expect(r.getSession('019cd5a0-3333-7aaa-8bbb-0123456789ab')).toMatchObject({ parentId: SID, project: '/home/ada/shop', title: 'Find every use of MAX', gitBranch: null });
      expect(r.getSession(SID)!.childCount).toBe(1);
      expect(r.listSessions({}, 0, 10).map((s) => s.id)).toEqual([SID]);
    });
  });

  it('re-indexing unchanged files changes nothing; the sources stay byte-identical', () => {
    const files = [place('modern.jsonl', SID), place('patches.jsonl', '019cd5a0-2222-7aaa-8bbb-0123456789ab')];
    const hash = () => files.map((f) => `${crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex')}@${fs.statSync(f).mtimeMs}`);
    const before = hash();
    index();
    const rows = dump();
    const again = index();
    expect(again).toMatchObject({ messagesAdded: 0, sessionsAdded: 0, filesUnchanged: 2, bytesRead: 0 });
    expect(dump()).toEqual(rows);
    expect(hash()).toEqual(before);
  });

  it('reads appended lines only, finishes a truncated last line later, and keeps copies across passes out', () => {
    const lines = fs.readFileSync(path.join(FIXTURES, 'modern.jsonl'), 'utf8').split('\n');
    // Cut inside the user_message event that repeats the prompt (line 7): the prompt row is already in.
    const cut = lines.slice(0, 6).join('\n') + '\n' + lines[6].slice(0, 30);
    const file = place('', SID, undefined, cut);
    const first = index();
    expect(first.skipped).toEqual({});
    const before = dump();
    fs.appendFileSync(file, lines[6].slice(30) + '\n' + lines.slice(7, 20).join('\n') + '\n');
    index();
    const after = dump();
    expect(after.slice(0, before.length)).toEqual(before);
    read((r) => {
      const msgs = r.getMessages(SID, 1, 100);
      expect(msgs.filter((m) => m.text === 'Add a quantity limit to the cart')).toHaveLength(1);
      expect(msgs.filter((m) => m.kind === 'reply')).toHaveLength(1);
      // The result in the second pass got its tool name from the call.
      expect(msgs.filter((m) => m.kind === 'tool-result').every((m) => m.toolName)).toBe(true);
    });
  });

  it('caps a huge output and survives missing fields', () => {
    const huge = 'x'.repeat(3_000_000);
    const content = [
      { timestamp: '2026-03-10T14:00:00.000Z', type: 'session_meta', payload: { id: 'thread-huge' } },
      { timestamp: '2026-03-10T14:00:01.000Z', type: 'response_item', payload: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'print a lot' }] } },
      { timestamp: '2026-03-10T14:00:02.000Z', type: 'response_item', payload: { type: 'function_call', name: 'shell', arguments: '{"command":["yes"]}', call_id: 'c1' } },
      { timestamp: '2026-03-10T14:00:03.000Z', type: 'response_item', payload: { type: 'function_call_output', call_id: 'c1', output: huge } },
      { type: 'response_item', payload: { type: 'message', role: 'assistant', content: 'a plain string' } },
      { timestamp: 'not a date', type: 'response_item', payload: { type: 'reasoning' } },
    ].map((l) => JSON.stringify(l)).join('\n') + '\n';
    const file = place('', 'no-uuid-here', undefined, content);
    const stats = index();
    expect(stats.fileErrors).toEqual([]);
    read((r) => {
      // No session_meta cwd, no UUID in the name: the meta id names it and the project is unknown.
      const s = r.getSession('thread-huge')!;
      expect(s).toMatchObject({ project: null, title: 'print a lot' });
      const out = r.getMessages(s.id, 1, 10).find((m) => m.kind === 'tool-result')!;
      expect(out.text.length).toBeLessThan(300_000);
      expect(out.text).toMatch(/more, cut by mantra-tui; the source line is at byte \d+\]$/);
      expect(r.getMessages(s.id, 1, 10).map((m) => m.kind)).toEqual(['system', 'prompt', 'tool-call', 'tool-result', 'reply']);
    });
    expect(fs.statSync(file).size).toBe(Buffer.byteLength(content));
  });

  it('does not fail when a rollout disappears between listing and reading', () => {
    const file = place('modern.jsonl', SID);
    const adapter = codexAdapter(codexDir);
    const [candidate] = adapter.discover();
    fs.rmSync(file);
    const stats = emptyStats();
    const db = openDatabase(dbPath);
    try {
      expect(() => adapter.ingest(new IndexWriter(db), candidate, stats)).not.toThrow();
    } finally {
      closeDatabase(db);
    }
    expect(stats.fileErrors).toHaveLength(1);
    expect(stats.fileErrors[0].path).toBe(file);
  });

  it('finds rollouts in every layout the reference names, and reports compressed ones it cannot read', () => {
    const dated = place('legacy.jsonl', '5973b6c0-94b8-487b-a530-2aeb6098ae0e', '2025/08/01');
    const flat = path.join(codexDir, 'sessions', 'rollout-2025-05-01T10-00-00-11111111-2222-4333-8444-555555555555.jsonl');
    const archived = path.join(codexDir, 'archived_sessions', `rollout-2026-03-10T14-00-00-${SID}.jsonl`);
    const zst = path.join(codexDir, 'sessions', '2026', '03', '10', 'rollout-2026-03-10T15-00-00-aaaaaaaa-2222-4333-8444-555555555555.jsonl.zst');
    const zstWithTwin = `${dated}.zst`;
    for (const f of [flat, archived, zst, zstWithTwin, path.join(codexDir, 'sessions', 'notes.txt'), path.join(codexDir, 'history.jsonl')]) {
      fs.mkdirSync(path.dirname(f), { recursive: true });
      fs.writeFileSync(f, '');
    }
    fs.copyFileSync(path.join(FIXTURES, 'modern.jsonl'), archived);
    const adapter = codexAdapter(codexDir);
    expect(adapter.discover().map((c) => c.path).sort()).toEqual([archived, dated, flat].sort());
    expect(adapter.discover().find((c) => c.path === flat)!.threadId).toBe('11111111-2222-4333-8444-555555555555');
    const diagnosis = adapter.diagnose();
    expect(diagnosis.files).toBe(3);
    expect(diagnosis.unreadable.map((u) => u.path)).toEqual([zst]);
    expect(diagnosis.locations.every((l) => l.exists)).toBe(true);
  });

  it('resolves its root from the flag, then $CODEX_HOME, then ~/.codex', () => {
    expect(resolveCodexDir('/flag', { CODEX_HOME: '/env', HOME: '/home/ada' })).toBe('/flag');
    expect(resolveCodexDir(undefined, { CODEX_HOME: '/env', HOME: '/home/ada' })).toBe('/env');
    expect(resolveCodexDir(undefined, { HOME: '/home/ada' })).toBe('/home/ada/.codex');
  });

  it('reads every published real sample without failing, with the facts they hold', () => {
    const samples = (fs.readdirSync(SAMPLES, { recursive: true }) as string[]).filter((f) => f.endsWith('.jsonl'));
    expect(samples.length).toBe(5);
    samples.forEach((f, i) => {
      const dest = path.join(codexDir, 'sessions', '2026', '06', String(i + 1).padStart(2, '0'), `rollout-${path.basename(f)}`);
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      fs.copyFileSync(path.join(SAMPLES, f), dest);
    });
    const stats = index();
    expect(stats.fileErrors).toEqual([]);
    expect(stats.sessionsAdded).toBe(5);
    // The curated and synthetic files carry shapes that are not rollout kinds: counted, not shown. Nothing else is.
    expect(stats.skipped).toEqual({
      'unknown-type:response_item/tool_call': 1,
      'unknown-type:response_item/tool_result': 1,
      'unknown-type:event_msg/turn.completed': 2,
      'unknown-type:event_msg/account/rateLimits/updated': 1,
    });
    read((r) => {
      // kvsankar: a real `codex exec` run (0.135.0), no git, a developer message and the environment context.
      const real = r.getSession('019e9625-802f-7e91-840a-cfe88d14117a')!;
      expect(real).toMatchObject({ project: '/tmp/agent-history-real-agent/codex/workspace', agentVersion: '0.135.0', title: '[REDACTED_PROMPT]', gitCommit: null });
      expect(r.getMessages(real.id, 1, 50).map((m) => m.kind)).toEqual(['system', 'system', 'system', 'prompt', 'reply']);
      // stage0-small: git facts from session_meta; the reply its agent_message event repeats is shown once.
      const zoo = r.getSession('019fc8be-3658-7ca3-9e29-000000000000')!;
      expect(zoo).toMatchObject({ gitBranch: 'main', gitRepo: 'https://example.invalid/repo.git', agentVersion: '0.146.0', title: 'List the files' });
      const zooRows = r.getMessages(zoo.id, 1, 500);
      expect(zooRows.filter((m) => m.text.startsWith('Found 2 files.'))).toHaveLength(1);
      expect(zooRows.filter((m) => m.subtype === 'compact_summary').length).toBeGreaterThanOrEqual(5);
      expect(zooRows.find((m) => m.toolUseId === 'call-2' && m.kind === 'tool-result')!.text).toBe('a.txt\n');
      // stage0-large: five numbered steps after the first prompt.
      const large = r.getSession('019b2ea4-aaaa-bbbb-cccc-58208e1f0000')!;
      expect(large.title).toBe('Start');
      expect(r.getMessages(large.id, 1, 50).filter((m) => m.kind === 'prompt').map((m) => m.text)).toEqual(['Start', 'Step 1', 'Step 2', 'Step 3', 'Step 4', 'Step 5']);
      // codex_053: the rate-limit error is an error row.
      expect(r.getMessages('test-ratelimit-session', 1, 10).find((m) => m.isError)!.text).toBe('Rate limit exceeded');
    });
  });
});
