/**
 * Ingest worker entry: the only writer to the index. Opens its own connection, runs the first pass (newest files
 * first, with progress), then follows the sources until told to shut down. Speaks only through the typed protocol.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { closeDatabase, openDatabase } from '../store/db.js';
import { IndexWriter } from '../store/writer.js';
import { LiveIngest } from './live.js';
import type { FromWorker, FromWorkerBody, ToWorker, WorkerConfig } from './protocol.js';
import { adaptersFor } from './sources.js';

/** Progress is rate-limited: the UI redraws the status line, and more than ten times a second is waste. */
const PROGRESS_INTERVAL_MS = 100;

let seq = 0;
function post(body: FromWorkerBody): void {
  parentPort?.postMessage({ ...body, seq: ++seq } satisfies FromWorker);
}

const config = workerData as WorkerConfig;
const db = openDatabase(config.dbPath);
const writer = new IndexWriter(db);
let lastProgress = 0;
const live = new LiveIngest(writer, adaptersFor(config.roots), {
  progress(p) {
    const now = Date.now();
    if (now - lastProgress < PROGRESS_INTERVAL_MS && p.filesDone < p.filesTotal) return;
    lastProgress = now;
    post({ type: 'progress', ...p });
  },
  changed: (sessionIds) => post({ type: 'sessions-changed', sessionIds }),
  log: (level, message) => post({ type: 'log', level, message }),
});

let closing = false;
async function shutdown(): Promise<void> {
  if (closing) return;
  closing = true;
  await live.close();
  closeDatabase(db);
  post({ type: 'closed' });
  parentPort?.close();
}

parentPort?.on('message', (msg: ToWorker) => {
  try {
    if (msg.type === 'shutdown') void shutdown();
    else if (msg.type === 'rescan') live.sweep();
    else if (msg.type === 'pause') live.pause();
    else if (msg.type === 'resume') live.resume();
  } catch (err) {
    post({ type: 'error', message: (err as Error).message });
  }
});

live.initialPass().then(
  (stats) => {
    post({ type: 'pass-done', stats });
    if (config.follow && !closing) live.follow();
    else void shutdown();
  },
  (err: unknown) => {
    post({ type: 'error', message: (err as Error).message });
    void shutdown();
  },
);
