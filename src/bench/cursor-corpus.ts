/**
 * A generated Cursor global `state.vscdb` of realistic shape for benchmarks (shared/formats/cursor.md §5, §6):
 * thousands of composers in split storage, tens of thousands of bubbles, tool results from a few bytes to megabytes,
 * composers carrying `originalFileStates`, values stored as TEXT and as BLOB. Deterministic for a given seed.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { rng } from './corpus.js';

export interface CursorCorpusSpec {
  readonly composers: number;
  readonly seed?: number;
}

export interface CursorCorpus {
  /** The editor user dir to pass as `--cursor-dir`. */
  readonly userDir: string;
  readonly dbFile: string;
  readonly bytes: number;
  readonly composers: number;
  readonly bubbles: number;
  readonly composerIds: readonly string[];
}

const WORDS = (
  'the cart checkout total cents price discount limit refactor test failing passes build error module import ' +
  'function return const type interface async await promise cache token session cookie header request response ' +
  'database query index migration schema retry timeout config env docker deploy branch commit merge rebase diff'
).split(' ');

function text(r: () => number, chars: number): string {
  const out: string[] = [];
  let n = 0;
  while (n < chars) {
    const w = WORDS[Math.floor(r() * WORDS.length)];
    out.push(w);
    n += w.length + 1;
    if (r() < 0.08) {
      out.push('\n');
      n++;
    }
  }
  return out.join(' ');
}

/** Tool output sizes: mostly small, a tail of large ones, the odd multi-megabyte read. */
function outputSize(r: () => number): number {
  const x = r();
  if (x < 0.7) return 50 + Math.floor(r() * 2000);
  if (x < 0.96) return 2000 + Math.floor(r() * 20_000);
  if (x < 0.997) return 20_000 + Math.floor(r() * 200_000);
  return 1_000_000 + Math.floor(r() * 2_000_000);
}

function uuid(r: () => number): string {
  const hex = () => Math.floor(r() * 0x10000).toString(16).padStart(4, '0');
  return `${hex()}${hex()}-${hex()}-4${hex().slice(1)}-a${hex().slice(1)}-${hex()}${hex()}${hex()}`;
}

const TOOLS = ['read_file', 'run_terminal_cmd', 'edit_file', 'search_replace', 'grep_search', 'list_dir'] as const;

function toolBubble(r: () => number, id: string, at: number): Record<string, unknown> {
  const name = TOOLS[Math.floor(r() * TOOLS.length)];
  const file = `src/${WORDS[Math.floor(r() * WORDS.length)]}/${WORDS[Math.floor(r() * WORDS.length)]}.ts`;
  let args: Record<string, unknown>;
  let result: Record<string, unknown>;
  const out = text(r, outputSize(r));
  switch (name) {
    case 'read_file':
      args = { target_file: file };
      result = { contents: out };
      break;
    case 'run_terminal_cmd':
      args = { command: `npm test -- ${WORDS[Math.floor(r() * WORDS.length)]}`, is_background: false };
      result = { output: out, exitCode: r() < 0.2 ? 1 : 0 };
      break;
    case 'edit_file': {
      const old = text(r, 80);
      args = { target_file: file, instructions: text(r, 60), code_edit: `// ... existing code ...\n${text(r, 200)}` };
      result = { diff: { chunks: [{ diffString: `-${old}\n+${text(r, 90)}`, oldStart: 10, oldLines: 1, newStart: 10, newLines: 1 }] } };
      break;
    }
    case 'search_replace':
      args = { file_path: file, old_string: text(r, 60), new_string: text(r, 70) };
      result = {};
      break;
    default:
      args = { query: WORDS[Math.floor(r() * WORDS.length)], target_directory: 'src' };
      result = { output: out };
  }
  return {
    _v: 3,
    type: 2,
    bubbleId: id,
    text: '',
    capabilityType: 15,
    createdAt: new Date(at).toISOString(),
    toolFormerData: { tool: 5, toolCallId: `toolu_${id.slice(0, 8)}`, name, status: 'completed', rawArgs: JSON.stringify(args), params: JSON.stringify(args), result: JSON.stringify(result) },
    timingInfo: { clientStartTime: 1000.5, clientRpcSendTime: at, clientEndTime: at + 800 },
    tokenCount: { inputTokens: 0, outputTokens: 0 },
  };
}

export function generateCursorCorpus(root: string, spec: CursorCorpusSpec): CursorCorpus {
  const r = rng(spec.seed ?? 7);
  const userDir = path.join(root, 'Cursor', 'User');
  const dbFile = path.join(userDir, 'globalStorage', 'state.vscdb');
  fs.mkdirSync(path.dirname(dbFile), { recursive: true });
  fs.rmSync(dbFile, { force: true });
  const db = new Database(dbFile);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.exec('CREATE TABLE ItemTable (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB); CREATE TABLE cursorDiskKV (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB);');
  const put = db.prepare('INSERT INTO cursorDiskKV (key, value) VALUES (?, ?)');
  // Cursor stores values either way: about a third as BLOB here.
  const value = (v: unknown) => {
    const json = JSON.stringify(v);
    return r() < 0.33 ? Buffer.from(json) : json;
  };
  const ids: string[] = [];
  let bubbles = 0;
  let t = Date.UTC(2025, 0, 1);
  const insertComposer = db.transaction((composerId: string) => {
    const count = 5 + Math.floor(r() * 36);
    const headers: { bubbleId: string; type: number }[] = [];
    const created = t;
    for (let i = 0; i < count; i++) {
      const bubbleId = uuid(r);
      t += 2000 + Math.floor(r() * 60_000);
      let bubble: Record<string, unknown>;
      if (i % 4 === 0) {
        const prompt = text(r, 40 + Math.floor(r() * 600));
        bubble = {
          _v: 3,
          type: 1,
          bubbleId,
          text: prompt,
          richText: JSON.stringify({ root: { children: [{ children: [{ text: prompt, type: 'text', version: 1 }], type: 'paragraph', version: 1 }], type: 'root', version: 1 } }),
          createdAt: new Date(t).toISOString(),
          relevantFiles: ['src/cart.ts'],
        };
      } else if (r() < 0.55) {
        bubble = toolBubble(r, bubbleId, t);
      } else {
        bubble = {
          _v: 3,
          type: 2,
          bubbleId,
          text: text(r, 200 + Math.floor(r() * 3000)),
          thinking: r() < 0.4 ? { text: text(r, 300) } : undefined,
          codeBlocks: [],
          createdAt: new Date(t).toISOString(),
          tokenCount: { inputTokens: 4000, outputTokens: 300 },
        };
      }
      headers.push({ bubbleId, type: bubble.type as number });
      put.run(`bubbleId:${composerId}:${bubbleId}`, value(bubble));
      bubbles++;
    }
    const originalFileStates: Record<string, unknown> = {};
    const files = Math.floor(r() * 4);
    for (let f = 0; f < files; f++) originalFileStates[`file:///home/ada/shop/src/f${f}.ts`] = { content: text(r, 500 + Math.floor(r() * 8000)), firstEditBubbleId: headers[1]?.bubbleId };
    put.run(
      `composerData:${composerId}`,
      value({
        _v: 10,
        composerId,
        name: text(r, 30).replace(/\n/g, ' '),
        createdAt: created,
        lastUpdatedAt: t,
        status: 'completed',
        unifiedMode: 'agent',
        fullConversationHeadersOnly: headers,
        conversationMap: {},
        originalFileStates,
        context: { fileSelections: [], selections: [] },
        workspaceIdentifier: { id: 'ws-bench', uri: { fsPath: '/home/ada/shop', path: '/home/ada/shop', scheme: 'file' } },
      }),
    );
  });
  for (let c = 0; c < spec.composers; c++) {
    const id = uuid(r);
    ids.push(id);
    insertComposer(id);
  }
  db.close();
  return { userDir, dbFile, bytes: fs.statSync(dbFile).size, composers: spec.composers, bubbles, composerIds: ids };
}

/** Plays Cursor writing one more exchange to a composer (for the warm re-index figures), on `db` or a new connection. */
export function appendExchange(dbFile: string, composerId: string, live?: Database.Database): void {
  const db = live ?? new Database(dbFile);
  try {
    const row = db.prepare('SELECT value FROM cursorDiskKV WHERE key = ?').get(`composerData:${composerId}`) as { value: string | Buffer };
    const data = JSON.parse(String(row.value)) as { fullConversationHeadersOnly: { bubbleId: string; type: number }[]; lastUpdatedAt: number };
    const bubbleId = `bench-${Date.now()}`;
    data.fullConversationHeadersOnly.push({ bubbleId, type: 1 });
    data.lastUpdatedAt += 60_000;
    db.prepare('INSERT INTO cursorDiskKV (key, value) VALUES (?, ?)').run(`bubbleId:${composerId}:${bubbleId}`, JSON.stringify({ type: 1, bubbleId, text: 'one more thing' }));
    db.prepare('INSERT INTO cursorDiskKV (key, value) VALUES (?, ?)').run(`composerData:${composerId}`, JSON.stringify(data));
  } finally {
    if (!live) db.close();
  }
}
