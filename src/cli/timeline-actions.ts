/**
 * The TUI's TimelineActions: diffs and plans from a restore service on the UI's read-only connection; restores and
 * undos handed to `perform` (the ingest worker, which holds the index's only writable connection).
 */
import type { RestoreDone } from '../ingest/protocol.js';
import type { RestoreRequest } from '../restore/perform.js';
import type { RestoreService } from '../restore/service.js';
import type { TimelineActions } from '../ui/actions.js';

/** The git index is put back with the files, but it is not one of the user's files. */
const IN_GIT_DIR = /[\\/]\.git[\\/]/;

/**
 * `service` may be a promise: the TUI loads the restore machinery (git, the planner) the first time it is needed, so
 * the first frame does not wait for it.
 */
export function timelineActions(service: RestoreService | Promise<RestoreService> | (() => Promise<RestoreService>), perform: (req: RestoreRequest) => Promise<RestoreDone>): TimelineActions {
  let loaded: Promise<RestoreService> | null = null;
  const get = () => (loaded ??= Promise.resolve(typeof service === 'function' ? service() : service));
  return {
    diff: async (sessionId, seq, against) => {
      const r = await (await get()).diff(sessionId, seq, against);
      return { root: r.root, view: r.view };
    },
    planRestore: async (sessionId, seq) => {
      const p = await (await get()).previewRestore(sessionId, seq);
      return { repoRoot: p.repoRoot, base: p.base, counts: p.plan.counts, refused: p.plan.refused, diff: p.diff };
    },
    restore: (sessionId, seq, mode) => perform({ type: 'restore', sessionId, seq, mode }),
    planUndo: async () => {
      const p = await (await get()).previewUndo();
      return {
        id: p.row.id,
        repoRoot: p.row.repoRoot,
        restoredAt: p.row.completedAt ?? p.row.createdAt,
        session: p.row.sessionId,
        seq: p.row.seq,
        files: p.changes.filter((c) => !IN_GIT_DIR.test(c.path)).length,
        changedSince: p.changedSince,
      };
    },
    undo: () => perform({ type: 'undo' }),
  };
}
