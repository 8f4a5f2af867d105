/** Cold-index measurement shared by the per-assistant benchmarks: index a corpus into a fresh index, beside a baseline. */
import fs from 'node:fs';
import { runIndex } from '../ingest/indexer.js';
import { readLines } from '../ingest/lines.js';
import { adaptersFor, type SourceRoots } from '../ingest/sources.js';
import { closeDatabase, openDatabase } from '../store/db.js';
import { IndexWriter } from '../store/writer.js';
import { median } from './stats.js';

/** Reads and JSON.parses every line of the files: the lower bound any ingest of them has to pay. */
export function jsonParseScan(files: readonly string[]): number {
  let lines = 0;
  for (const file of files) {
    const fd = fs.openSync(file, 'r');
    try {
      readLines(fd, 0, (line) => {
        JSON.parse(line);
        lines++;
      });
    } finally {
      fs.closeSync(fd);
    }
  }
  return lines;
}

export interface AdapterBenchResult {
  readonly files: number;
  readonly corpusMB: number;
  readonly messages: number;
  /** Cold index of the whole corpus into a fresh index, median of the runs. */
  readonly coldMs: number;
  readonly coldMBs: number;
  /** JSON.parse of every line of the same files, median of the runs, measured in the same run (the machine is shared). */
  readonly baselineMBs: number;
  /** Re-index with nothing changed. */
  readonly warmMs: number;
}

export function measureColdIndex(roots: SourceRoots, files: readonly string[], bytes: number, dbPath: string, runs: number): AdapterBenchResult {
  const cold: number[] = [];
  const baseline: number[] = [];
  let messages = 0;
  for (let i = 0; i < runs; i++) {
    const b0 = performance.now();
    jsonParseScan(files);
    baseline.push(performance.now() - b0);
    for (const f of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) fs.rmSync(f, { force: true });
    const db = openDatabase(dbPath);
    try {
      const t0 = performance.now();
      messages = runIndex(new IndexWriter(db), adaptersFor(roots)).messagesAdded;
      cold.push(performance.now() - t0);
    } finally {
      closeDatabase(db);
    }
  }
  const db = openDatabase(dbPath);
  const w0 = performance.now();
  try {
    runIndex(new IndexWriter(db), adaptersFor(roots));
  } finally {
    closeDatabase(db);
  }
  const warmMs = performance.now() - w0;
  const mb = bytes / 1e6;
  const coldMs = median(cold);
  return { files: files.length, corpusMB: mb, messages, coldMs, coldMBs: mb / (coldMs / 1000), baselineMBs: mb / (median(baseline) / 1000), warmMs };
}
