/** The main thread's side of the ingest worker: start it, hear from it, stop it without losing a write. */
import { Worker } from 'node:worker_threads';
import type { RestoreRequest } from '../restore/perform.js';
import type { FromWorker, RestoreDone, ToWorker, WorkerConfig } from './protocol.js';

/** A request the worker answers with a `reply` (its requestId is filled in here). */
export type WorkerRequest = RestoreRequest;

export interface IngestClient {
  send(msg: ToWorker): void;
  /** Sends a request and resolves with the worker's reply (rejects with its message). */
  request(msg: WorkerRequest): Promise<RestoreDone>;
  /** Asks the worker to close the index and exit; terminates it if it has not within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** Resolves when the worker has exited (for headless runs that end with their first pass). */
  readonly exited: Promise<void>;
}

/**
 * V8 lets a thread's young generation grow to 48 MB under the allocation rate of a first pass; the worker shares the
 * TUI's process, so that growth is the user's memory. 8 MB keeps the TUI's first start (ingest and secret scan
 * running beside the screens) about 45 MB smaller, for a few per cent of ingest throughput (BENCHMARKS.md).
 */
const WORKER_YOUNG_GENERATION_MB = 8;

/**
 * Starts the worker bundled beside the CLI (dist/worker.js). Its stdout and stderr are captured, never passed to
 * the terminal: a stray print from a dependency must not tear the TUI's frame. Whatever it prints arrives as a log.
 */
export function startIngestWorker(config: WorkerConfig, onMessage: (msg: FromWorker) => void, workerUrl: URL): IngestClient {
  const worker = new Worker(workerUrl, { workerData: config, stdout: true, stderr: true, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
  let seq = 1000_000_000;
  const asLog = (level: 'info' | 'warn') => (chunk: Buffer) =>
    onMessage({ type: 'log', level, message: chunk.toString('utf8').trimEnd(), seq: ++seq });
  worker.stdout.on('data', asLog('info'));
  worker.stderr.on('data', asLog('warn'));
  const pending = new Map<number, { resolve: (r: RestoreDone) => void; reject: (e: Error) => void }>();
  let nextRequest = 0;
  worker.on('message', (msg: FromWorker) => {
    if (msg.type === 'reply') {
      const p = pending.get(msg.requestId);
      pending.delete(msg.requestId);
      if (msg.ok) p?.resolve(msg.result);
      else p?.reject(new Error(msg.message));
      return;
    }
    onMessage(msg);
  });
  worker.on('error', (err) => onMessage({ type: 'error', message: err.message, seq: ++seq }));
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', () => {
      for (const p of pending.values()) p.reject(new Error('the ingest worker stopped'));
      pending.clear();
      resolve();
    }),
  );
  return {
    send: (msg) => worker.postMessage(msg),
    request(msg) {
      const requestId = ++nextRequest;
      return new Promise<RestoreDone>((resolve, reject) => {
        pending.set(requestId, { resolve, reject });
        worker.postMessage({ ...msg, requestId } as ToWorker);
      });
    },
    exited,
    async stop(graceMs = 3000) {
      worker.postMessage({ type: 'shutdown' } satisfies ToWorker);
      const timer = setTimeout(() => void worker.terminate(), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
