/**
 * What the screens can ask of the code-state machinery, without knowing how it is done: diffs and plans come from
 * the restore service on this thread (reads only), restores and undos from the ingest worker (the index's writer).
 */
import type { RestoreDone } from '../ingest/protocol.js';
import type { DiffView } from '../restore/diff.js';

export interface DiffData {
  /** Paths are shown relative to this root when inside it. */
  readonly root: string | null;
  readonly view: DiffView;
}

export interface RestorePlanData {
  readonly repoRoot: string;
  /** The commit a worktree starts from, and how it was found; null: HEAD. */
  readonly base: { readonly commit: string; readonly how: string } | null;
  readonly counts: { readonly write: number; readonly create: number; readonly delete: number; readonly unchanged: number; readonly refused: number };
  readonly refused: readonly { readonly path: string; readonly reason: string }[];
  /** The working tree now → the state at the message. */
  readonly diff: DiffView;
}

export interface UndoPlanData {
  readonly id: number;
  readonly repoRoot: string;
  readonly restoredAt: number;
  readonly session: string | null;
  readonly seq: number | null;
  /** Files to put back. */
  readonly files: number;
  /** Files changed since the restore wrote them (saved before the undo overwrites them). */
  readonly changedSince: readonly string[];
}

export interface TimelineActions {
  diff(sessionId: string, seq: number, against: 'prev' | 'now'): Promise<DiffData>;
  planRestore(sessionId: string, seq: number): Promise<RestorePlanData>;
  restore(sessionId: string, seq: number, mode: 'worktree' | 'in-place'): Promise<RestoreDone>;
  planUndo(): Promise<UndoPlanData>;
  undo(): Promise<RestoreDone>;
}
