/**
 * The restore feature's public surface, for the TUI, the CLI and the ingest worker:
 * - RestoreService: state at a message, diffs (DiffView view-models), restore previews, restores, undo, journal;
 * - snapshotWorkingTree / snapshotForMessage: mantra-tui's own snapshots of live sessions;
 * - the pure pieces (planner, diff, restore plan) for tests and views built by hand.
 */
export { RestoreService, displayPath, type DiffAgainst, type DiffResult, type RestoreOutcome, type RestorePreview, type RestoreServiceOptions } from './service.js';
export { snapshotForMessage, snapshotLiveSessions, snapshotWorkingTree, type LiveSnapshotOptions, type SnapshotMeta, type SnapshotRecord } from './snapshot.js';
export { recoverIncomplete, RestoreError, type Recovery } from './apply.js';
export { LockedError } from './journal.js';
export { buildDiffView, diffFile, unifiedPatch, weakerLabel, type DiffFile, type DiffHunk, type DiffLine, type DiffStatus, type DiffView } from './diff.js';
export { planSession, type FileStateAt, type Label, type SessionPlan } from './planner.js';
export { planRestore, type RestorePlan, type Refusal } from './restore-plan.js';
export { extractEvidence, type Effect, type SessionEvidence, type Taint } from './evidence.js';
