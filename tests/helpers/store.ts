/** Real SQLite indexes in temp dirs, filled through the real writer, for tests that read sessions. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { Agent, ParsedMessage } from '../../src/model.js';
import { closeDatabase, openDatabase } from '../../src/store/db.js';
import { StoreReader } from '../../src/store/reader.js';
import { IndexWriter } from '../../src/store/writer.js';

export function parsedMessage(n: number, over: Partial<ParsedMessage> = {}): ParsedMessage {
  return {
    sourceId: `u${n}`,
    parentId: n > 1 ? `u${n - 1}` : null,
    timestamp: Date.UTC(2026, 4, 2, 9, 0, 0) + n * 1000,
    role: n % 2 ? 'user' : 'assistant',
    kind: n % 2 ? 'prompt' : 'reply',
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

export interface SessionSpec {
  readonly id: string;
  readonly agent?: Agent;
  readonly project?: string;
  readonly title?: string;
  readonly parentId?: string;
  readonly messages: readonly ParsedMessage[];
}

export interface TestStore {
  readonly dir: string;
  readonly dbPath: string;
  readonly db: Database.Database;
  readonly reader: StoreReader;
  readonly writer: IndexWriter;
  close(): void;
}

export function makeStore(sessions: readonly SessionSpec[] = []): TestStore {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mantra-test-store-'));
  const dbPath = path.join(dir, 'index.db');
  const db = openDatabase(dbPath);
  const writer = new IndexWriter(db);
  writer.transaction(() => {
    for (const s of sessions) {
      const f = writer.ensureSourceFile(`/sources/${s.id}.jsonl`, s.agent ?? 'claude');
      writer.upsertSession({ id: s.id, agent: s.agent ?? 'claude', project: s.project ?? '/home/ada/shop', parentId: s.parentId ?? null }, f.id);
      writer.appendMessages(s.id, f.id, 1, s.messages);
      if (s.title) writer.setSessionTitleIfMissing(s.id, s.title);
    }
  });
  return {
    dir,
    dbPath,
    db,
    reader: new StoreReader(db),
    writer,
    close() {
      closeDatabase(db);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
