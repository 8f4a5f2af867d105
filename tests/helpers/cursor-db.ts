/** Builders for Cursor state databases and records, shaped as shared/formats/cursor.md describes them. */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export type Value = string | Buffer | null | Record<string, unknown> | unknown[];

function encode(v: Value, asBlob: boolean): string | Buffer | null {
  if (v === null || Buffer.isBuffer(v)) return v;
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return asBlob ? Buffer.from(text, 'utf8') : text;
}

export interface VscdbSpec {
  readonly items?: Record<string, Value>;
  readonly kv?: Record<string, Value>;
  /** Store values as BLOBs (Cursor does both). */
  readonly blobs?: boolean;
  /** WAL mode, like Cursor's global DB; otherwise the rollback journal (older workspace DBs). */
  readonly wal?: boolean;
}

/** Creates a state.vscdb and returns an open writer connection (the caller plays Cursor: close it or keep writing). */
export function createVscdb(file: string, spec: VscdbSpec): Database.Database {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  if (spec.wal !== false) db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE ItemTable (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB)');
  if (spec.kv) db.exec('CREATE TABLE cursorDiskKV (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB)');
  putAll(db, spec);
  return db;
}

export function putAll(db: Database.Database, spec: Pick<VscdbSpec, 'items' | 'kv' | 'blobs'>): void {
  const item = db.prepare('INSERT INTO ItemTable (key, value) VALUES (?, ?)');
  const kv = spec.kv ? db.prepare('INSERT INTO cursorDiskKV (key, value) VALUES (?, ?)') : null;
  db.transaction(() => {
    for (const [k, v] of Object.entries(spec.items ?? {})) item.run(k, encode(v, spec.blobs ?? false));
    for (const [k, v] of Object.entries(spec.kv ?? {})) kv!.run(k, encode(v, spec.blobs ?? false));
  })();
}

export const COMPOSER = 'c0ffee00-1111-4222-8333-444455556666';
export const B1 = 'b1000000-0000-4000-8000-000000000001';
export const B2 = 'b1000000-0000-4000-8000-000000000002';
export const B3 = 'b1000000-0000-4000-8000-000000000003';

/** The composer of the reference's §9 example, with its three bubbles. */
export function referenceComposer(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    _v: 10,
    composerId: COMPOSER,
    name: 'Cart limit',
    createdAt: 1746177240000,
    lastUpdatedAt: 1746177600000,
    status: 'completed',
    unifiedMode: 'agent',
    isAgentic: true,
    modelConfig: { modelName: 'claude-4-sonnet', maxMode: false },
    fullConversationHeadersOnly: [
      { bubbleId: B1, type: 1 },
      { bubbleId: B2, type: 2, serverBubbleId: 's-9a8b' },
      { bubbleId: B3, type: 2 },
    ],
    conversationMap: {},
    originalFileStates: { 'file:///home/ada/shop/src/cart.ts': { content: 'export const MAX = 0;\n', firstEditBubbleId: B2 } },
    newlyCreatedFiles: [],
    context: { fileSelections: [], selections: [] },
    ...extra,
  };
}

export function referenceBubbles(composerId = COMPOSER): Record<string, Value> {
  return {
    [`bubbleId:${composerId}:${B1}`]: {
      _v: 3,
      type: 1,
      bubbleId: B1,
      text: 'Add a quantity limit to the cart',
      richText: JSON.stringify({ root: { children: [{ children: [{ text: 'Add a quantity limit to the cart', type: 'text', version: 1 }], type: 'paragraph', version: 1 }], type: 'root', version: 1 } }),
      createdAt: '2025-05-02T09:14:00.000Z',
      unifiedMode: 2,
      modelInfo: { modelName: 'claude-4-sonnet' },
      attachedCodeChunks: [],
      relevantFiles: ['src/cart.ts'],
    },
    [`bubbleId:${composerId}:${B2}`]: {
      _v: 3,
      type: 2,
      bubbleId: B2,
      text: '',
      capabilityType: 15,
      createdAt: '2025-05-02T09:14:05.000Z',
      toolFormerData: {
        tool: 38,
        toolCallId: 'toolu_01ABC',
        name: 'edit_file',
        status: 'completed',
        rawArgs: JSON.stringify({ target_file: 'src/cart.ts', code_edit: 'export const MAX = 10;' }),
        params: JSON.stringify({ relativeWorkspacePath: 'src/cart.ts' }),
        result: JSON.stringify({ diff: { chunks: [{ diffString: '-export const MAX = 0;\n+export const MAX = 10;' }] } }),
        userDecision: 'accepted',
      },
      timingInfo: { clientStartTime: 518331.2, clientRpcSendTime: 1746177245010, clientSettleTime: 1746177247890, clientEndTime: 1746177247890 },
      tokenCount: { inputTokens: 0, outputTokens: 0 },
    },
    [`bubbleId:${composerId}:${B3}`]: {
      _v: 3,
      type: 2,
      bubbleId: B3,
      text: 'Capped at 10:\n\n```ts\nexport const MAX = 10;\n```',
      codeBlocks: [{ content: 'export const MAX = 10;', languageId: 'typescript', codeBlockIdx: 0, isGenerating: false }],
      thinking: { text: 'The constant lives in cart.ts.' },
      createdAt: '2025-05-02T09:14:09.000Z',
      tokenCount: { inputTokens: 4100, outputTokens: 60 },
    },
  };
}

/** A tool bubble with the given toolFormerData. */
export function toolBubble(bubbleId: string, tool: Record<string, unknown>, createdAt = '2025-05-02T09:20:00.000Z'): Record<string, unknown> {
  return { _v: 3, type: 2, bubbleId, text: '', capabilityType: 15, createdAt, toolFormerData: tool };
}

export function workspaceComposerRefs(ids: readonly string[]): Record<string, unknown> {
  return {
    allComposers: ids.map((id) => ({ type: 'head', composerId: id, name: 'Cart limit', createdAt: 1746177240000, lastUpdatedAt: 1746177600000, unifiedMode: 'agent' })),
    selectedComposerIds: ids.slice(0, 1),
  };
}
