/** Ingest worker entry: opens its own writable connection, runs a pass, reports through the typed protocol. */
import { parentPort, workerData } from 'node:worker_threads';
import { closeDatabase, openDatabase } from '../store/db.js';
import { IndexWriter } from '../store/writer.js';
import { runIndex } from './indexer.js';
import type { FromWorker, FromWorkerBody, ToWorker, WorkerConfig } from './protocol.js';
import { adaptersFor } from './sources.js';

const PROGRESS_INTERVAL_MS = 100;

let seq = 0;
function post(body: FromWorkerBody): void {
  parentPort?.postMessage({ ...body, seq: ++seq } satisfies FromWorker);
}

function pass(config: WorkerConfig): void {
  const db = openDatabase(config.dbPath);
  try {
    const writer = new IndexWriter(db);
    let lastPost = 0;
    const stats = runIndex(writer, adaptersFor(config), (p) => {
      const now = Date.now();
      if (now - lastPost < PROGRESS_INTERVAL_MS && p.filesDone < p.filesTotal) return;
      lastPost = now;
      post({ type: 'progress', ...p });
      // Rate-limited with progress: the list re-reads its visible window, which is cheap.
      post({ type: 'sessions-changed' });
    });
    post({ type: 'sessions-changed' });
    post({ type: 'done', stats });
  } finally {
    closeDatabase(db);
  }
}

const config = workerData as WorkerConfig;
parentPort?.on('message', (msg: ToWorker) => {
  if (msg.type === 'shutdown') process.exit(0);
  if (msg.type === 'rescan') run();
});

function run(): void {
  try {
    pass(config);
  } catch (err) {
    post({ type: 'error', message: (err as Error).message });
  }
}

run();
