/**
 * Messages between the UI thread and the ingest worker. The worker is the only writer to the index and never
 * touches stdout (it would tear the Ink frame): everything it has to say travels as one of these.
 */
import type { IndexProgress } from './indexer.js';
import type { SourceRoots } from './sources.js';
import type { IngestStats } from './stats.js';

/** The index to write and the roots to read (the worker builds its adapters from them with adaptersFor). */
export interface WorkerConfig extends SourceRoots {
  readonly dbPath: string;
}

export type ToWorker = { readonly type: 'rescan' } | { readonly type: 'shutdown' };

export type FromWorkerBody =
  | ({ readonly type: 'progress' } & IndexProgress)
  | { readonly type: 'sessions-changed' }
  | { readonly type: 'log'; readonly level: 'info' | 'warn'; readonly message: string }
  | { readonly type: 'done'; readonly stats: IngestStats }
  | { readonly type: 'error'; readonly message: string };

/** Every message carries a sequence number so the receiver can tell order and loss. */
export type FromWorker = FromWorkerBody & { readonly seq: number };
