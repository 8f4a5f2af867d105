/**
 * mantra-tui's own snapshots of a live session's repository, one per new message (the live ingest worker calls
 * these). Exact evidence for the planner; written only into the shadow repository under the data directory.
 */
import { StoreReader } from '../store/reader.js';
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

export interface LiveSnapshotOptions extends SnapshotDeps {
  /** A session whose last message is older than this is history being indexed, not a live one (default 10 min). */
  readonly liveWindowMs?: number;
  readonly now?: number;
}

/**
 * For the live ingest's `changed(sessionIds)` callback: snapshots the repository of each live session for its newest
 * message (a burst of messages read at once shares one snapshot: the disk has already moved past the earlier ones).
 * Sessions outside git, already snapshotted at their last message, or not live are skipped. Errors are returned per
 * session, never thrown: a failed snapshot only means less exact evidence.
 */
export async function snapshotLiveSessions(
  sessionIds: readonly string[],
  options: LiveSnapshotOptions,
): Promise<{ readonly taken: SnapshotRecord[]; readonly failed: { readonly sessionId: string; readonly message: string }[] }> {
  const reader = new StoreReader(options.writer.db);
  const now = options.now ?? Date.now();
  const window = options.liveWindowMs ?? 10 * 60_000;
  const taken: SnapshotRecord[] = [];
  const failed: { sessionId: string; message: string }[] = [];
  for (const id of sessionIds) {
    const session = reader.getSession(id);
    if (!session || !session.project || session.updatedAt === null || now - session.updatedAt > window) continue;
    if ((reader.lastSnapshotSeq(id) ?? 0) >= session.messageCount) continue;
    try {
      const record = await snapshotForMessage(session.project, { sessionId: id, seq: session.messageCount, timestamp: session.updatedAt }, options);
      if (record) taken.push(record);
    } catch (err) {
      failed.push({ sessionId: id, message: (err as Error).message });
    }
  }
  return { taken, failed };
}
