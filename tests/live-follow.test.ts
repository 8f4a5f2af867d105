/**
 * The live follower on a real index and real files: appends to a closely watched session are read within a fraction
 * of a second, including appends that come right after one another (chokidar drops a file's 'change' events within
 * 50 ms of the previous one, with no trailing event). Poll and sweep are pushed out to a minute, so only the watch
 * path can make these pass.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { DEFAULT_TIMINGS, LiveIngest } from '../src/ingest/live.js';
import { adaptersFor } from '../src/ingest/sources.js';
import { closeDatabase, openDatabase } from '../src/store/db.js';
import { IndexWriter } from '../src/store/writer.js';
import { prompt, reply } from './helpers/claude-lines.js';

const SID = '7a1c2e0a-3b7d-4c55-9a10-2f3e4d5c6b7a';
let dir: string;
let file: string;
let db: ReturnType<typeof openDatabase>;
let live: LiveIngest;
let n = 0;

const line = (text: string) => {
  const uuid = `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
  const c = { uuid, sessionId: SID, timestamp: new Date(Date.now() + n).toISOString() };
  return { uuid, text: `${n % 2 ? prompt(c, text) : reply(c, text)}\n` };
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function indexed(uuid: string, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  const stmt = db.prepare('SELECT 1 FROM message WHERE session_id = ? AND source_id = ?');
  while (Date.now() < deadline) {
    if (stmt.get(SID, uuid)) return true;
    await sleep(5);
  }
  return stmt.get(SID, uuid) !== undefined;
}

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mantra-live-follow-'));
  const projectDir = path.join(dir, 'claude', 'projects', '-home-ada-shop');
  fs.mkdirSync(projectDir, { recursive: true });
  file = path.join(projectDir, `${SID}.jsonl`);
  fs.writeFileSync(file, line('the first prompt').text);
  db = openDatabase(path.join(dir, 'index.db'));
  live = new LiveIngest(new IndexWriter(db), adaptersFor({ claudeDir: path.join(dir, 'claude') }), {}, { ...DEFAULT_TIMINGS, pollMs: 60_000, sweepMs: 60_000 });
  await live.initialPass();
  live.follow();
  expect(live.hotFiles()).toEqual([file]);
  await sleep(100); // the watch is set up asynchronously
});

afterEach(async () => {
  await live.close();
  closeDatabase(db);
  fs.rmSync(dir, { recursive: true, force: true });
});

it('reads an append to a watched session within two seconds (poll and sweep would take a minute)', async () => {
  const a = line('one more prompt');
  fs.appendFileSync(file, a.text);
  expect(await indexed(a.uuid, 2000)).toBe(true);
});

it('reads the last of appends that come a few milliseconds apart, with nothing written after them', async () => {
  for (let burst = 0; burst < 5; burst++) {
    const lines = [line(`burst ${burst} first`), line(`burst ${burst} second`), line(`burst ${burst} third`)];
    for (const l of lines) {
      fs.appendFileSync(file, l.text);
      await sleep(8);
    }
    for (const l of lines) expect(await indexed(l.uuid, 2000), `burst ${burst}: ${l.uuid}`).toBe(true);
    await sleep(30);
  }
});

it('reads an append that comes just after the previous one was read', async () => {
  for (let i = 0; i < 8; i++) {
    const a = line(`paced prompt ${i}`);
    fs.appendFileSync(file, a.text);
    expect(await indexed(a.uuid, 2000), `append ${i}`).toBe(true);
    // The previous append's change event was at most ~25 ms ago: this one falls in chokidar's 50 ms window.
    await sleep(5);
  }
});
