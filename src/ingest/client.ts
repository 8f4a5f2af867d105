/** The main thread's side of the ingest worker: start it, hear from it, stop it without losing a write. */
import { Worker } from 'node:worker_threads';
import type { FromWorker, ToWorker, WorkerConfig } from './protocol.js';

export interface IngestClient {
  send(msg: ToWorker): void;
  /** Asks the worker to close the index and exit; terminates it if it has not within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** Resolves when the worker has exited (for headless runs that end with their first pass). */
  readonly exited: Promise<void>;
}

/**
 * Starts the worker bundled beside the CLI (dist/worker.js). Its stdout and stderr are captured, never passed to
 * the terminal: a stray print from a dependency must not tear the TUI's frame. Whatever it prints arrives as a log.
 */
export function startIngestWorker(config: WorkerConfig, onMessage: (msg: FromWorker) => void, workerUrl: URL): IngestClient {
  const worker = new Worker(workerUrl, { workerData: config, stdout: true, stderr: true });
  let seq = 1000_000_000;
  const asLog = (level: 'info' | 'warn') => (chunk: Buffer) =>
    onMessage({ type: 'log', level, message: chunk.toString('utf8').trimEnd(), seq: ++seq });
  worker.stdout.on('data', asLog('info'));
  worker.stderr.on('data', asLog('warn'));
  worker.on('message', onMessage);
  worker.on('error', (err) => onMessage({ type: 'error', message: err.message, seq: ++seq }));
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    send: (msg) => worker.postMessage(msg),
    exited,
    async stop(graceMs = 3000) {
      worker.postMessage({ type: 'shutdown' } satisfies ToWorker);
      const timer = setTimeout(() => void worker.terminate(), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
