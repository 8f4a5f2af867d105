/** Typed rows as the store hands them out. Readonly: screens never mutate what the store returned. */
import type { Agent, CheckpointSource, MessageKind, Role } from '../model.js';
import type { FactMarker, SearchHit, SearchOptions } from '../search/types.js';
import type { FieldSpans } from './secrets.js';

export interface SessionRow {
  readonly id: string;
  readonly agent: Agent;
  /** Set for sub-agent (sidechain) sessions: the session that spawned them. */
  readonly parentId: string | null;
  readonly project: string | null;
  /** The first real user prompt (one line, trimmed); null when the session has none yet. */
  readonly title: string | null;
  /** Title the assistant generated or the user set, when the log has one. */
  readonly summary: string | null;
  readonly gitBranch: string | null;
  // The store always sets the next three (null when unknown); optional so rows built by hand in tests stay short.
  /** Commit checked out when the session started, when the assistant recorded it (Codex). */
  readonly gitCommit?: string | null;
  /** Remote URL of the session's repository, when recorded (Codex). */
  readonly gitRepo?: string | null;
  /** Version of the assistant that wrote the log (e.g. `2.1.150`, `0.118.0`). */
  readonly agentVersion?: string | null;
  /** Epoch ms. */
  readonly startedAt: number | null;
  readonly updatedAt: number | null;
  readonly messageCount: number;
  /** Sub-agent sessions spawned by this one. */
  readonly childCount: number;
  /** Source files this session was read from. */
  readonly sourceFiles: readonly string[];
  /** Every source file of the session is gone from disk: the index is all that is left of it. */
  readonly sourceGone: boolean;
}

export interface MessageRow {
  readonly id: number;
  readonly sessionId: string;
  /** 1-based position in the session's timeline. */
  readonly seq: number;
  readonly sourceId: string;
  readonly parentId: string | null;
  readonly timestamp: number | null;
  readonly role: Role;
  readonly kind: MessageKind;
  readonly text: string;
  readonly toolName: string | null;
  readonly toolInput: string | null;
  readonly toolUseId: string | null;
  readonly files: readonly string[];
  readonly isError: boolean;
  readonly isSidechain: boolean;
  readonly subtype: string | null;
  readonly data: string | null;
  readonly sourceFile: string;
  readonly byteOffset: number;
}

/** One cell of the scrubber: what happens in the slice of the session it stands for. */
export interface ScrubBucket {
  readonly toolCalls: number;
  readonly errors: number;
  readonly compactions: number;
  readonly messages: number;
}

export interface SessionFilter {
  readonly agent?: Agent;
  readonly project?: string;
  /** Include sub-agent sessions (default false in the TUI list, true for the CLI). */
  readonly includeChildren?: boolean;
}

/** What the screens need from the index. The Store implements it; component tests can build one by hand. */
export interface TimelineReader {
  countSessions(filter?: SessionFilter): number;
  /** Newest first (updatedAt desc, then id). */
  listSessions(filter: SessionFilter, offset: number, limit: number): SessionRow[];
  getSession(id: string): SessionRow | undefined;
  getMessage(sessionId: string, seq: number): MessageRow | undefined;
  /** Messages with seq in [fromSeq, fromSeq + limit). */
  getMessages(sessionId: string, fromSeq: number, limit: number): MessageRow[];
  /** The session split into `buckets` equal slices of seq, in order. */
  getScrubBuckets(sessionId: string, buckets: number): ScrubBucket[];
  /** Where the background scan found secrets in a message, or null when it has not scanned it with this detector. */
  getSecretSpans?(messageId: number): FieldSpans | null;
  /** Search (full text, facts, titles), snippets masked; the TUI's `/`. */
  search?(options: SearchOptions): Promise<SearchHit[]>;
  /** Seqs of a session's messages matching a query, in order (n / N). */
  hitsInSession?(sessionId: string, query: string): Promise<number[]>;
  /** Decisions, dead ends and statuses of a session by seq (scrubber marks, ] / [). */
  factMarkers?(sessionId: string): FactMarker[];
}

/** Evidence of file state an assistant recorded; `data` is JSON whose shape depends on `source` (see model.ts). */
export interface CheckpointRow {
  readonly id: number;
  readonly sessionId: string;
  readonly source: CheckpointSource;
  readonly messageSourceId: string | null;
  readonly timestamp: number | null;
  readonly data: string;
  readonly sourceFile: string;
  readonly byteOffset: number;
}

/** A working-tree snapshot mantra-tui took while a live session ran (see restore/shadow.ts). */
export interface SnapshotRow {
  readonly id: number;
  readonly sessionId: string;
  readonly seq: number;
  readonly repoRoot: string;
  /** Commit in the project's shadow repository (snapshots.git). */
  readonly commit: string;
  readonly tree: string;
  /** Epoch ms of the message the snapshot was taken for. */
  readonly timestamp: number;
}

export type RestoreMode = 'in-place' | 'worktree' | 'undo';
/**
 * preparing: nothing written yet; applying: files being written (a crash here is rolled back from the backup);
 * complete; rolled-back (recovered after a crash); abandoned (stopped before writing anything); undone.
 */
export type RestoreState = 'preparing' | 'applying' | 'complete' | 'rolled-back' | 'abandoned' | 'undone';

/** One restore or undo, as the journal records it. */
export interface RestoreRow {
  readonly id: number;
  readonly journalFile: string;
  readonly sessionId: string | null;
  readonly seq: number | null;
  readonly mode: RestoreMode;
  readonly state: RestoreState;
  readonly repoRoot: string;
  /** The directory written: the repository (in place, undo) or the new worktree. */
  readonly target: string;
  /** Worktree mode: the branch created. */
  readonly branch: string | null;
  /** Commit in the project's backups.git holding everything the restore overwrote or deleted. */
  readonly backupCommit: string | null;
  /** For an undo: the restore it undid. */
  readonly undoOf: number | null;
  /** The undo that undid this one. */
  readonly undoneBy: number | null;
  readonly written: number;
  readonly created: number;
  readonly deleted: number;
  readonly refused: readonly { readonly path: string; readonly reason: string }[];
  readonly createdAt: number;
  readonly completedAt: number | null;
}
