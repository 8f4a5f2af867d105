/**
 * The Cursor figures of `npm run bench`: cold index throughput of a realistic global `state.vscdb`, beside a
 * baseline that only reads every value and parses it (`SELECT value FROM cursorDiskKV` + JSON.parse), both medians
 * of repeated runs in the same process. Measured twice: with Cursor closed (the adapter reads a private snapshot of
 * the file) and with Cursor running (a live connection holds the WAL open; the adapter reads in place). Then the
 * warm passes: nothing changed, and one composer gained a message.
 *   bench.ts: `const cursor = benchCursor(path.join(root, 'cursor'), { log, runs: RUNS })`
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { cursorAdapter } from '../ingest/cursor/index.js';
import { runIndex } from '../ingest/indexer.js';
import type { Adapter } from '../ingest/adapter.js';
import { closeDatabase, openDatabase } from '../store/db.js';
import { IndexWriter } from '../store/writer.js';
import { appendExchange, generateCursorCorpus } from './cursor-corpus.js';
import { fmt, median } from './stats.js';

export interface CursorBenchOptions {
  /** Composers in the generated DB (default 2000: ~45,000 bubbles, ~250 MB). */
  readonly composers?: number;
  readonly runs?: number;
  readonly log?: (line: string) => void;
}

export interface CursorBenchResult {
  readonly dbMB: number;
  readonly composers: number;
  readonly bubbles: number;
  readonly messages: number;
  readonly baselineMBs: number;
  readonly coldMBs: number;
  readonly coldLiveMBs: number;
  readonly warmUnchangedMs: number;
  readonly warmOneComposerMs: number;
  readonly warmOneComposerLiveMs: number;
  /** Name → formatted figure, in the style of bench.ts `report()`. */
  readonly lines: Readonly<Record<string, string>>;
}

function baselineScan(dbFile: string): number {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  let n = 0;
  try {
    for (const row of db.prepare('SELECT value FROM cursorDiskKV').iterate() as Iterable<{ value: string | Buffer | null }>) {
      if (row.value === null) continue;
      JSON.parse(typeof row.value === 'string' ? row.value : row.value.toString('utf8'));
      n++;
    }
  } finally {
    db.close();
  }
  return n;
}

/** Removes the side files a reader of ours left beside the generated DB (no connection is open then). */
function clearSideFiles(dbFile: string): void {
  for (const f of [`${dbFile}-wal`, `${dbFile}-shm`]) fs.rmSync(f, { force: true });
}

function indexOnce(indexPath: string, userDir: string, fresh: boolean): { ms: number; messages: number } {
  if (fresh) for (const f of [indexPath, `${indexPath}-wal`, `${indexPath}-shm`]) fs.rmSync(f, { force: true });
  const db = openDatabase(indexPath);
  try {
    const t0 = performance.now();
    const stats = runIndex(new IndexWriter(db), [cursorAdapter({ userDir, cliDir: null }) as unknown as Adapter]);
    const ms = performance.now() - t0;
    if (stats.fileErrors.length) throw new Error(`cursor bench: ${stats.fileErrors.map((e) => e.message).join('; ')}`);
    return { ms, messages: stats.messagesAdded };
  } finally {
    closeDatabase(db);
  }
}

export function benchCursor(root: string, opts: CursorBenchOptions = {}): CursorBenchResult {
  const log = opts.log ?? (() => {});
  const runs = opts.runs ?? 3;
  fs.mkdirSync(root, { recursive: true });
  const g0 = performance.now();
  const corpus = generateCursorCorpus(root, { composers: opts.composers ?? 2000 });
  const mb = corpus.bytes / 1e6;
  log(`  cursor: ${corpus.composers} composers, ${corpus.bubbles} bubbles, ${fmt(mb)} MB in ${fmt((performance.now() - g0) / 1000)} s`);
  const indexPath = path.join(root, 'cursor-index.db');

  const baseline: number[] = [];
  const cold: number[] = [];
  let messages = 0;
  for (let i = 0; i < runs; i++) {
    const b0 = performance.now();
    baselineScan(corpus.dbFile);
    baseline.push(performance.now() - b0);
    clearSideFiles(corpus.dbFile);
    const r = indexOnce(indexPath, corpus.userDir, true);
    cold.push(r.ms);
    messages = r.messages;
  }
  const grow = (live?: Database.Database) => {
    appendExchange(corpus.dbFile, corpus.composerIds[Math.floor(corpus.composerIds.length / 2)], live);
    const r = indexOnce(indexPath, corpus.userDir, false);
    if (r.messages !== 1) throw new Error(`cursor bench: expected 1 new message after one exchange, got ${r.messages}`);
    return r.ms;
  };
  // Cursor running: its connection keeps -wal and -shm in place, so the adapter reads the file itself.
  const live: number[] = [];
  const cursor = new Database(corpus.dbFile);
  let warmOneComposerLiveMs: number;
  try {
    cursor.pragma('journal_mode = WAL');
    cursor.prepare('SELECT count(*) FROM ItemTable').get();
    for (let i = 0; i < runs; i++) live.push(indexOnce(indexPath, corpus.userDir, true).ms);
    warmOneComposerLiveMs = grow(cursor);
  } finally {
    cursor.close();
  }
  clearSideFiles(corpus.dbFile);
  indexOnce(indexPath, corpus.userDir, true);
  const warmUnchangedMs = indexOnce(indexPath, corpus.userDir, false).ms;
  // Cursor closed since its last write: one snapshot of the whole file, then only the grown composer is parsed.
  const warmOneComposerMs = grow();

  const baselineMBs = mb / (median(baseline) / 1000);
  const coldMBs = mb / (median(cold) / 1000);
  const coldLiveMBs = mb / (median(live) / 1000);
  const lines: Record<string, string> = {
    'cursor: SELECT value + JSON.parse scan (baseline)': `${fmt(baselineMBs)} MB/s`,
    'cursor: cold index, Cursor closed (snapshot)': `${fmt(coldMBs)} MB/s, ${fmt(messages / (median(cold) / 1000), 0)} messages/s (${messages} messages), ${fmt(coldMBs / baselineMBs, 2)}× the baseline`,
    'cursor: cold index, Cursor running (in place)': `${fmt(coldLiveMBs)} MB/s, ${fmt(coldLiveMBs / baselineMBs, 2)}× the baseline`,
    'cursor: warm re-index, nothing changed': `${fmt(warmUnchangedMs)} ms`,
    'cursor: warm re-index, one composer grew, Cursor running': `${fmt(warmOneComposerLiveMs)} ms`,
    'cursor: warm re-index, one composer grew, Cursor closed': `${fmt(warmOneComposerMs)} ms`,
  };
  for (const [k, v] of Object.entries(lines)) log(`  ${k}: ${v}`);
  return {
    dbMB: mb,
    composers: corpus.composers,
    bubbles: corpus.bubbles,
    messages,
    baselineMBs,
    coldMBs,
    coldLiveMBs,
    warmUnchangedMs,
    warmOneComposerMs,
    warmOneComposerLiveMs,
    lines,
  };
}
