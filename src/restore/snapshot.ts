/**
 * mantra-tui's own snapshots of a live session's repository, one per new message (the live ingest worker calls
 * these). Exact evidence for the planner; written only into the shadow repository under the data directory.
 */
import type { IndexWriter } from '../store/writer.js';
import { repoRootOf } from './git.js';
import { openShadow, snapshotTree } from './shadow.js';

export interface SnapshotMeta {
  readonly sessionId: string;
  readonly seq: number;
  /** Epoch ms of the message. */
  readonly timestamp: number;
}

export interface SnapshotRecord extends SnapshotMeta {
  readonly repoRoot: string;
  readonly commit: string;
  readonly tree: string;
  /** False when the tree had not changed and the previous commit was reused. */
  readonly created: boolean;
}

export interface SnapshotDeps {
  readonly dataDir: string;
  readonly writer: IndexWriter;
}

// One snapshot at a time per repository in this process: they share the shadow index file.
const queues = new Map<string, Promise<unknown>>();

function serial<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const prev = queues.get(key) ?? Promise.resolve();
  const next = prev.then(fn, fn);
  const settled = next.catch(() => undefined);
  queues.set(key, settled);
  void settled.then(() => {
    if (queues.get(key) === settled) queues.delete(key);
  });
  return next;
}

/**
 * Snapshots the work tree of `repoRoot` (tracked and untracked files, honouring .gitignore) and records it for
 * message `meta.seq`. Nothing is written into the user's repository.
 */
export function snapshotWorkingTree(repoRoot: string, meta: SnapshotMeta, deps: SnapshotDeps): Promise<SnapshotRecord> {
  return serial(repoRoot, async () => {
    const shadow = await openShadow(deps.dataDir, repoRoot, 'snapshots');
    const snap = await snapshotTree(shadow, meta.timestamp, `${meta.sessionId} #${meta.seq}`);
    deps.writer.addSnapshot({ sessionId: meta.sessionId, seq: meta.seq, repoRoot, commit: snap.commit, tree: snap.tree, timestamp: meta.timestamp });
    return { ...meta, repoRoot, commit: snap.commit, tree: snap.tree, created: snap.created };
  });
}

/**
 * For the live ingest worker: snapshots the repository the session works in (its cwd) for a new message.
 * Returns null when the cwd is not in a git repository.
 */
export async function snapshotForMessage(cwd: string, meta: SnapshotMeta, deps: SnapshotDeps): Promise<SnapshotRecord | null> {
  const root = await repoRootOf(cwd);
  return root ? snapshotWorkingTree(root, meta, deps) : null;
}
