/**
 * Ingest worker entry: the only writer to the index. Opens its own connection, recovers restores a crash
 * interrupted, runs the first pass (newest files first, with progress), then follows the sources until told to shut
 * down, snapshotting the repositories of live sessions as they write. Restores that write run here too, so the
 * index keeps one writer. It speaks only through the typed protocol.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { RestoreService, snapshotLiveSessions } from '../restore/index.js';
import { performRestore } from '../restore/perform.js';
import { RedactionScanner, threadedDetector } from '../redact/scanner.js';
import { closeDatabase, openDatabase } from '../store/db.js';
import { SecretStore } from '../store/secrets.js';
import { StoreReader } from '../store/reader.js';
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
const restore = new RestoreService({ reader: new StoreReader(db), dataDir: config.dataDir, writer });
// Secrets are looked for in every message ingested, by a detection thread of its own; spans are stored here.
const detector = threadedDetector(new URL('./redact-worker.js', import.meta.url));
let lastSecretsProgress = 0;
const scanner = new RedactionScanner(new SecretStore(db), detector.detect, {
  progress(p) {
    const now = Date.now();
    if (now - lastSecretsProgress < PROGRESS_INTERVAL_MS && p.scanned < p.total) return;
    lastSecretsProgress = now;
    post({ type: 'secrets-progress', ...p });
  },
});
let lastProgress = 0;
// Snapshots run one batch at a time: a burst of changes while one is under way is folded into the next.
let snapshotting: Promise<void> | null = null;
const snapshotQueue = new Set<string>();
function snapshot(ids: readonly string[]): void {
  for (const id of ids) snapshotQueue.add(id);
  if (snapshotting) return;
  snapshotting = (async () => {
    while (snapshotQueue.size) {
      const batch = [...snapshotQueue];
      snapshotQueue.clear();
      const { failed } = await snapshotLiveSessions(batch, { dataDir: config.dataDir, writer });
      for (const f of failed) post({ type: 'log', level: 'warn', message: `snapshot of ${f.sessionId.slice(0, 8)} failed: ${f.message}` });
    }
  })().finally(() => (snapshotting = null));
}

const live = new LiveIngest(writer, adaptersFor(config.roots), {
  progress(p) {
    const now = Date.now();
    if (now - lastProgress < PROGRESS_INTERVAL_MS && p.filesDone < p.filesTotal) return;
    lastProgress = now;
    post({ type: 'progress', ...p });
  },
  changed(sessionIds) {
    post({ type: 'sessions-changed', sessionIds });
    if (config.follow) {
      snapshot(sessionIds);
      if (!initialPassRunning) void scanner.poke();
    }
  },
  log: (level, message) => post({ type: 'log', level, message }),
});

let closing = false;
let initialPassRunning = true;
async function shutdown(): Promise<void> {
  if (closing) return;
  closing = true;
  await live.close();
  await scanner.close();
  await detector.close();
  await snapshotting;
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
    else {
      performRestore(restore, msg).then(
        (result) => post({ type: 'reply', requestId: msg.requestId, ok: true, result }),
        (err: unknown) => post({ type: 'reply', requestId: msg.requestId, ok: false, message: (err as Error).message }),
      );
    }
  } catch (err) {
    post({ type: 'error', message: (err as Error).message });
  }
});

async function main(): Promise<void> {
  // A restore a crash interrupted is finished or rolled back before anything else touches the trees it wrote.
  const recovered = await restore.recover();
  for (const r of recovered) {
    post({ type: 'log', level: 'warn', message: `an interrupted restore was ${r.to === 'rolled-back' ? 'rolled back' : r.to}${r.note ? `: ${r.note}` : ''} (${r.file})` });
  }
  const stats = await live.initialPass();
  initialPassRunning = false;
  post({ type: 'pass-done', stats });
  if (config.follow && !closing) {
    live.follow();
    // Newest first, after the first pass: the list is usable before the scan has seen everything.
    void scanner.poke().catch((err: unknown) => post({ type: 'log', level: 'warn', message: `secret scan: ${(err as Error).message}` }));
  } else await shutdown();
}

main().catch((err: unknown) => {
  post({ type: 'error', message: (err as Error).message });
  void shutdown();
});
