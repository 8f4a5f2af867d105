/**
 * The diff pane and the restore / undo overlays, on the real demo: its git repository, its Claude Code sessions
 * indexed into a real SQLite file, and the real restore service writing files.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import React from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { timelineActions } from '../src/cli/timeline-actions.js';
import { buildDemo, type DemoLayout } from '../src/demo/demo.js';
import { runIndex } from '../src/ingest/indexer.js';
import { adaptersFor } from '../src/ingest/sources.js';
import { RestoreService } from '../src/restore/index.js';
import { performRestore } from '../src/restore/perform.js';
import { closeDatabase, openDatabase } from '../src/store/db.js';
import { StoreReader } from '../src/store/reader.js';
import { IndexWriter } from '../src/store/writer.js';
import { App } from '../src/ui/App.js';
import { KEYS, mount, rowsOf, type Harness } from './helpers/ink.js';

let dir: string;
let demo: DemoLayout;
let db: import('better-sqlite3').Database;
let app: Harness | undefined;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mantra-ui-restore-'));
  demo = buildDemo(path.join(dir, 'demo'));
  db = openDatabase(path.join(dir, 'index.db'));
  runIndex(new IndexWriter(db), adaptersFor({ claudeDir: demo.claudeDir }));
});
afterEach(() => {
  app?.unmount();
  app = undefined;
  closeDatabase(db);
  fs.rmSync(dir, { recursive: true, force: true });
});

const SIZE = { columns: 100, rows: 40 };

function position(frame: string): string | null {
  const rows = rowsOf(frame);
  return rows[rows.length - 1].match(/^\s*(\d+\/\d+)/)?.[1] ?? null;
}

function mountDemo(): { sessionId: string; reader: StoreReader; total: number } {
  const reader = new StoreReader(db);
  const service = new RestoreService({ reader, dataDir: path.join(dir, 'data'), writer: new IndexWriter(db) });
  const actions = timelineActions(service, (req) => performRestore(service, req));
  // The money session: its edits to src/cart.ts are replayed from what the transcript recorded.
  const sessionId = demo.sessions.find((s) => s.agent === 'claude' && s.title.startsWith('Totals are off by a cent'))!.id;
  app = mount(<App reader={reader} actions={actions} size={SIZE} initialSessionId={sessionId} />);
  return { sessionId, reader, total: reader.getSession(sessionId)!.messageCount };
}

/** The first tool result that edited src/cart.ts, by its position in the timeline. */
function firstCartEdit(reader: StoreReader, sessionId: string): number {
  const m = [...reader.iterateMessages(sessionId)].find((x) => x.kind === 'tool-result' && x.toolName === 'Edit' && x.files.some((f) => f.endsWith('src/cart.ts')));
  return m!.seq;
}

const hash = (f: string) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');

describe('diff pane', () => {
  it('shows what a message changed, follows the cursor, switches to the working tree, and closes', async () => {
    const { sessionId, reader, total } = mountDemo();
    await app!.waitForFrame((f) => position(f) === `1/${total}`);
    const edit = firstCartEdit(reader, sessionId);
    for (let i = 1; i < edit; i++) await app!.press(KEYS.right);
    await app!.waitForFrame((f) => position(f) === `${edit}/${total}`);
    await app!.press('d');
    const diff = await app!.waitForFrame((f) => f.includes('src/cart.ts  modified'));
    expect(diff).toMatch(/diff: what this message changed · 1 file · (exact|reconstructed)/);
    expect(diff).toMatch(/^ \+  return Number\(items\.reduce/m);
    expect(diff).toMatch(/^ -  return items\.reduce\(\(sum, item\) => sum \+ item\.price \* item\.qty, 0\);/m);
    // The pane follows the cursor: the test run before this edit changed no file.
    await app!.press(KEYS.left);
    await app!.waitForFrame((f) => position(f) === `${edit - 1}/${total}` && f.includes('no file changes here'));
    await app!.press(KEYS.right, 'D');
    const now = await app!.waitForFrame((f) => f.includes('this moment → working tree now') && f.includes('2 files'));
    expect(now).toMatch(/src\/cart\.test\.ts  modified/);
    expect(rowsOf(now)).toHaveLength(SIZE.rows);
    // The second file is below the pane's fold: scroll down to it.
    for (let i = 0; i < 12; i++) await app!.press('j');
    await app!.waitForFrame((f) => /src\/cart\.ts  modified/.test(f));
    await app!.press(KEYS.escape);
    const closed = await app!.waitForFrame((f) => !f.includes('diff:'));
    expect(position(closed)).toBe(`${edit}/${total}`);
  });
});

describe('restore and undo overlays', () => {
  it('plans, restores in place, then undoes to a byte-identical tree', async () => {
    const { sessionId, reader, total } = mountDemo();
    await app!.waitForFrame((f) => position(f) === `1/${total}`);
    const cart = path.join(demo.repoDir, 'src/cart.ts');
    const before = { cart: hash(cart), discount: hash(path.join(demo.repoDir, 'src/discount.ts')) };
    const edit = firstCartEdit(reader, sessionId);
    for (let i = 1; i < edit; i++) await app!.press(KEYS.right);
    await app!.waitForFrame((f) => position(f) === `${edit}/${total}`);
    await app!.press('r');
    const plan = await app!.waitForFrame((f) => f.includes('w / Enter'));
    expect(plan).toMatch(/Restore the code to message #\d+/);
    expect(plan).toMatch(/Write 2 files, create 0, delete 0/);
    await app!.press('i');
    const done = await app!.waitForFrame((f) => f.includes('Restored in place'), 10_000);
    expect(done).toMatch(/wrote 2 files/);
    // The file is what the session had made of it at that message.
    expect(fs.readFileSync(cart, 'utf8')).toContain('Number(items.reduce((sum, item) => sum + item.price * item.qty, 0).toFixed(2))');
    // Untouched by the session, so untouched by the restore.
    expect(hash(path.join(demo.repoDir, 'src/discount.ts'))).toBe(before.discount);
    await app!.press(KEYS.escape);
    await app!.waitForFrame((f) => position(f) === `${edit}/${total}`);
    await app!.press('u');
    await app!.waitForFrame((f) => f.includes('y / Enter  undo'));
    await app!.press('y');
    await app!.waitForFrame((f) => f.includes('Undone'), 10_000);
    expect(hash(cart)).toBe(before.cart);
    await app!.press(KEYS.escape);
    await app!.waitForFrame((f) => position(f) === `${edit}/${total}`);
  });

  it('says so when there is nothing to undo, and cancel leaves the tree alone', async () => {
    const { total } = mountDemo();
    await app!.waitForFrame((f) => position(f) === `1/${total}`);
    await app!.press('u');
    await app!.waitForFrame((f) => f.includes('there is no restore to undo'));
    await app!.press('y'); // not ready: nothing happens
    expect(app!.frame()).toContain('there is no restore to undo');
    await app!.press(KEYS.escape);
    await app!.waitForFrame((f) => position(f) === `1/${total}`);
    const snapshot = fs.readFileSync(path.join(demo.repoDir, 'src/cart.ts'));
    await app!.press(KEYS.end, 'r');
    await app!.waitForFrame((f) => /Write|Nothing to change/.test(f));
    await app!.press(KEYS.escape);
    await app!.waitForFrame((f) => position(f) === `${total}/${total}`);
    expect(fs.readFileSync(path.join(demo.repoDir, 'src/cart.ts'))).toEqual(snapshot);
  });
});
