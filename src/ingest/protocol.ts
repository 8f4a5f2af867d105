/**
 * Messages between the UI thread and the ingest worker. The worker is the only writer to the index and never
 * touches stdout (it would tear the Ink frame): everything it has to say travels as one of these.
 */
import type { RestoreRequest } from '../restore/perform.js';
import type { IndexProgress } from './indexer.js';
import type { SourceRoots } from './sources.js';
import type { IngestStats } from './stats.js';

export interface WorkerConfig {
  readonly dbPath: string;
  /** mantra-tui's data directory: shadow repositories for snapshots and restores, the restore journal. */
  readonly dataDir: string;
  /** The roots of every assistant to read (the worker builds its adapters from them with adaptersFor). */
  readonly roots: SourceRoots;
  /** Keep following the sources after the first pass (the TUI, `index --watch`). */
  readonly follow: boolean;
}

export type ToWorker =
  /** Look at every source now instead of at the next sweep. */
  | { readonly type: 'rescan' }
  /** Stop reading until `resume` (events are dropped; the sweep on resume catches up). */
  | { readonly type: 'pause' }
  | { readonly type: 'resume' }
  /** Stop watching, close the index, then exit. */
  | { readonly type: 'shutdown' }
  /**
   * Restores that write go through the worker: it holds the index's one writable connection (the journal is
   * mirrored there). Answered by a `reply` with the same `requestId`.
   */
  | (RestoreRequest & { readonly requestId: number });

/** What a restore or an undo did, as the CLI's `restore --json` prints it. */
export interface RestoreDone {
  readonly id: number | null;
  readonly mode: 'in-place' | 'worktree' | 'undo';
  readonly target: string;
  readonly branch: string | null;
  readonly written: number;
  readonly created: number;
  readonly deleted: number;
  readonly refused: readonly { readonly path: string; readonly reason: string }[];
  readonly backupSnapshot: string | null;
}

export type FromWorkerBody =
  | ({ readonly type: 'progress' } & IndexProgress)
  /** The background secret scan: messages scanned with the current detector, of all messages. */
  | { readonly type: 'secrets-progress'; readonly scanned: number; readonly total: number }
  /** The first pass is over; `stats` says what it did. */
  | { readonly type: 'pass-done'; readonly stats: IngestStats }
  | { readonly type: 'sessions-changed'; readonly sessionIds: readonly string[] }
  | { readonly type: 'log'; readonly level: 'info' | 'warn'; readonly message: string }
  | { readonly type: 'error'; readonly message: string }
  /** The worker closed the index and is about to exit. */
  | { readonly type: 'closed' }
  /** The answer to a request (`restore`, `undo`). */
  | { readonly type: 'reply'; readonly requestId: number; readonly ok: true; readonly result: RestoreDone }
  | { readonly type: 'reply'; readonly requestId: number; readonly ok: false; readonly message: string };

/** Every message carries a sequence number so the receiver can tell order and loss. */
export type FromWorker = FromWorkerBody & { readonly seq: number };
