/** The Claude Code line parser on lines written from formats/claude-code.md, including the ugly ones. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runIndex } from '../src/ingest/indexer.js';
import { parseClaudeLine, promptTitle } from '../src/ingest/claude/parse.js';
import { readLines } from '../src/ingest/lines.js';
import { adaptersFor } from '../src/ingest/sources.js';
import { MAX_TEXT_CHARS } from '../src/model.js';
import { closeDatabase, openDatabase } from '../src/store/db.js';
import { StoreReader } from '../src/store/reader.js';
import { IndexWriter } from '../src/store/writer.js';

const SID = '6f1c2e0a-3b7d-4c55-9a10-2f3e4d5c6b7a';
const common = { isSidechain: false, userType: 'external', cwd: '/home/ada/shop', sessionId: SID, version: '2.1.150', gitBranch: 'feat/cart' };
const line = (o: Record<string, unknown>) => JSON.stringify({ ...common, ...o });

describe('parseClaudeLine', () => {
  it('turns each content block into its own message, in order, with stable ids', () => {
    const out = parseClaudeLine(
      line({
        type: 'assistant',
        uuid: 'a1',
        parentUuid: 'p0',
        timestamp: '2026-05-02T09:14:06.002Z',
        message: {
          id: 'msg_1',
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'The limit belongs in cart.ts.', signature: 'EqQB' },
            { type: 'text', text: 'I will edit cart.ts.' },
            { type: 'tool_use', id: 'toolu_1', name: 'Edit', input: { file_path: '/home/ada/shop/src/cart.ts', old_string: 'a', new_string: 'b' } },
            { type: 'redacted_thinking', data: 'opaque' },
            { type: 'future_block', x: 1 },
          ],
        },
      }),
      100,
    );
    expect(out.skip).toBeNull();
    expect(out.messages.map((m) => [m.sourceId, m.kind, m.role])).toEqual([
      ['a1', 'thinking', 'assistant'],
      ['a1#1', 'reply', 'assistant'],
      ['a1#2', 'tool-call', 'assistant'],
      ['a1#3', 'thinking', 'assistant'],
      ['a1#4', 'system', 'assistant'],
    ]);
    const call = out.messages[2];
    expect(call).toMatchObject({ toolName: 'Edit', toolUseId: 'toolu_1', text: 'Edit /home/ada/shop/src/cart.ts', files: ['/home/ada/shop/src/cart.ts'], byteOffset: 100 });
    expect(JSON.parse(call.toolInput!)).toEqual({ file_path: '/home/ada/shop/src/cart.ts', old_string: 'a', new_string: 'b' });
    expect(out.messages[4].text).toBe('[unsupported content: future_block]');
    expect(out.messages.every((m) => m.timestamp === Date.parse('2026-05-02T09:14:06.002Z'))).toBe(true);
    expect(out.meta).toMatchObject({ sessionId: SID, cwd: '/home/ada/shop', gitBranch: 'feat/cart', version: '2.1.150' });
  });

  it('keeps the structured edit result on the tool result, and its error flag', () => {
    const result = {
      filePath: '/home/ada/shop/src/cart.ts',
      oldString: 'const MAX = 0;',
      newString: 'const MAX = 10;',
      originalFile: 'export const MAX = 0;\n',
      structuredPatch: [{ oldStart: 1, oldLines: 1, newStart: 1, newLines: 1, lines: ['-export const MAX = 0;', '+export const MAX = 10;'] }],
      userModified: false,
      replaceAll: false,
    };
    const out = parseClaudeLine(
      line({ type: 'user', uuid: 'r1', message: { role: 'user', content: [{ tool_use_id: 'toolu_1', type: 'tool_result', content: 'updated', is_error: false }] }, toolUseResult: result }),
      0,
    );
    expect(out.messages).toHaveLength(1);
    expect(out.messages[0]).toMatchObject({ kind: 'tool-result', role: 'tool', toolUseId: 'toolu_1', files: ['/home/ada/shop/src/cart.ts'], isError: false });
    expect(JSON.parse(out.messages[0].data!)).toMatchObject({ oldString: 'const MAX = 0;', originalFile: 'export const MAX = 0;\n' });
    const failed = parseClaudeLine(
      line({ type: 'user', uuid: 'r2', message: { role: 'user', content: [{ tool_use_id: 't2', type: 'tool_result', content: 'Exit code 1', is_error: true }] }, toolUseResult: 'Error: Exit code 1' }),
      0,
    );
    expect(failed.messages[0]).toMatchObject({ isError: true, data: null });
  });

  it('replaces images and documents by placeholders with their size, never keeping base64', () => {
    const png = 'iVBORw0KGgo' + 'A'.repeat(40_000);
    const out = parseClaudeLine(
      line({
        type: 'user',
        uuid: 'u1',
        message: {
          role: 'user',
          content: [
            { type: 'text', text: 'Does the button look right?' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: png } },
            { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0' } },
          ],
        },
      }),
      0,
    );
    expect(out.messages[0].kind).toBe('prompt');
    expect(out.messages[0].text).toBe('Does the button look right?\n[image: image/png, 30.0 KB]\n[document: application/pdf, 0.0 KB]');
    const result = parseClaudeLine(
      line({ type: 'user', uuid: 'u2', message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: png } }] }] } }),
      0,
    );
    expect(result.messages[0].text).toBe('[image: image/jpeg, 30.0 KB]');
  });

  it('caps a huge tool output and says where the whole of it lives', () => {
    const huge = 'x'.repeat(MAX_TEXT_CHARS * 3);
    const out = parseClaudeLine(line({ type: 'user', uuid: 'u', message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: huge }] } }), 12345);
    const text = out.messages[0].text;
    expect(text.length).toBeLessThan(MAX_TEXT_CHARS + 200);
    expect(text).toMatch(/\[… 524\.3 KB more, cut by mantra-tui; the source line is at byte 12345\]$/);
  });

  it('marks compaction boundaries and summaries, API errors, meta lines and local command output', () => {
    const boundary = parseClaudeLine(
      line({ type: 'system', subtype: 'compact_boundary', uuid: 'b', parentUuid: null, logicalParentUuid: 'before', content: 'Conversation compacted', level: 'info', compactMetadata: { trigger: 'auto', preTokens: 167000 } }),
      0,
    ).messages[0];
    expect(boundary).toMatchObject({ kind: 'system', subtype: 'compact_boundary', parentId: 'before', text: 'Conversation compacted (auto, 167k tokens before)' });
    const summary = parseClaudeLine(line({ type: 'user', uuid: 's', isCompactSummary: true, message: { role: 'user', content: 'This session is being continued…' } }), 0).messages[0];
    expect(summary).toMatchObject({ kind: 'summary', subtype: 'compact_summary' });
    const apiError = parseClaudeLine(line({ type: 'system', subtype: 'api_error', uuid: 'e', level: 'error', error: { status: 529 }, retryAttempt: 1, maxRetries: 10 }), 0).messages[0];
    expect(apiError).toMatchObject({ kind: 'system', isError: true, text: 'API error 529 (retry 1/10)' });
    const meta = parseClaudeLine(line({ type: 'user', uuid: 'm', isMeta: true, message: { role: 'user', content: 'Caveat: …' } }), 0).messages[0];
    expect(meta).toMatchObject({ kind: 'system', subtype: 'meta' });
    const stdout = parseClaudeLine(line({ type: 'user', uuid: 'o', message: { role: 'user', content: '<local-command-stdout>done</local-command-stdout>' } }), 0).messages[0];
    expect(stdout).toMatchObject({ kind: 'system', subtype: 'local-command' });
  });

  it('folds metadata lines into session facts and skips what it cannot use, with a reason', () => {
    expect(parseClaudeLine('{"type":"summary","summary":"Cart limit","leafUuid":"x"}', 0)).toMatchObject({ messages: [], skip: null, meta: { summary: 'Cart limit', summaryLeafUuid: 'x' } });
    expect(parseClaudeLine('{"type":"custom-title","customTitle":"cart limits","sessionId":"s"}', 0).meta.customTitle).toBe('cart limits');
    expect(parseClaudeLine('{"type":"ai-title","aiTitle":"Add limit","sessionId":"s"}', 0).meta.aiTitle).toBe('Add limit');
    expect(parseClaudeLine('{"type":"queue-operation","operation":"enqueue"}', 0)).toMatchObject({ messages: [], skip: null, ignored: 'queue-operation' });
    expect(parseClaudeLine('{"type":"some-future-type"}', 0).skip).toBe('unknown-type:some-future-type');
    expect(parseClaudeLine('{"no":"type"}', 0).skip).toBe('unknown-type:(none)');
    expect(parseClaudeLine('[1,2]', 0).skip).toBe('not-an-object');
    expect(parseClaudeLine('{"type":"user","message":', 0).skip).toBe('invalid-json');
    expect(parseClaudeLine('\u0000\u0000\u0000', 0)).toMatchObject({ skip: null, ignored: 'blank' });
    expect(parseClaudeLine(line({ type: 'assistant', uuid: 'x', message: { role: 'assistant', content: [] } }), 0).skip).toBe('empty-message');
    // Missing fields: no uuid, no timestamp, content as a bare string.
    const bare = parseClaudeLine('{"type":"user","message":{"role":"user","content":"hi"}}', 77).messages[0];
    expect(bare).toMatchObject({ sourceId: 'offset-77', timestamp: null, kind: 'prompt', text: 'hi' });
  });
});

describe('promptTitle', () => {
  it.each([
    ['Add a quantity limit\n\nto the cart', 'Add a quantity limit to the cart'],
    ['<command-name>/review</command-name><command-args>src/cart.ts</command-args>', '/review src/cart.ts'],
    ['<bash-input>npm test</bash-input>', '! npm test'],
    ['<local-command-stdout>x</local-command-stdout>', null],
    ['[Request interrupted by user for tool use]', null],
    ['   ', null],
    ['a'.repeat(300), `${'a'.repeat(199)}…`],
  ])('%j → %j', (text, title) => expect(promptTitle(text)).toBe(title));
});

describe('Claude ingest, ugly cases on disk', () => {
  it('survives a file deleted between discovery and reading, and reads past a multi-megabyte line', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mantra-ugly-'));
    try {
      const projects = path.join(dir, 'claude', 'projects', '-home-ada-shop');
      fs.mkdirSync(projects, { recursive: true });
      const keep = path.join(projects, `${SID}.jsonl`);
      const doomed = path.join(projects, `${crypto.randomUUID()}.jsonl`);
      const ok = line({ type: 'user', uuid: 'u1', timestamp: '2026-05-02T09:00:00Z', message: { role: 'user', content: 'first' } });
      fs.writeFileSync(keep, `${ok}\n${'{"type":"user","pad":"' + 'y'.repeat(3 * 1024 * 1024)}"}\n${line({ type: 'user', uuid: 'u2', message: { role: 'user', content: 'after the big line' } })}\n`);
      fs.writeFileSync(doomed, `${ok}\n`);
      const db = openDatabase(path.join(dir, 'index.db'));
      const [adapter] = adaptersFor({ claudeDir: path.join(dir, 'claude') });
      // Discover, then delete one file before it is read: the pass goes on and says what it could not read.
      const real = adapter.discover.bind(adapter);
      const stats = runIndex(new IndexWriter(db), [
        {
          ...adapter,
          discover: () => {
            const found = real();
            fs.rmSync(doomed);
            return found;
          },
        },
      ]);
      expect(stats.fileErrors.map((e) => e.path)).toEqual([doomed]);
      expect(stats.fileErrors[0].message).toMatch(/ENOENT/);
      const texts = new StoreReader(db).getMessages(SID, 1, 10).map((m) => m.text);
      expect(texts).toEqual(['first', 'after the big line']);
      closeDatabase(db);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('readLines', () => {
  it('delivers complete lines only, skips and counts lines over the cap without buffering them, and strips CR', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mantra-lines-'));
    try {
      const file = path.join(dir, 'f.jsonl');
      const big = 'z'.repeat(5000);
      fs.writeFileSync(file, `one\r\n${big}\ntwo\n${big}${big}\nthree\npartial`);
      const fd = fs.openSync(file, 'r');
      const seen: [string, number][] = [];
      const result = readLines(fd, 0, (l, offset) => void seen.push([l, offset]), { maxLineBytes: 1024, bufferSize: 256 });
      fs.closeSync(fd);
      expect(seen).toEqual([
        ['one', 0],
        ['two', 5 + 5001],
        ['three', 5 + 5001 + 4 + 10001],
      ]);
      expect(result.oversized).toBe(2);
      // The partial last line is left for the next pass: the offset stops before it.
      expect(result.endOffset).toBe(fs.statSync(file).size - 'partial'.length);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
