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

export function timelineActions(service: RestoreService, perform: (req: RestoreRequest) => Promise<RestoreDone>): TimelineActions {
  return {
    diff: async (sessionId, seq, against) => {
      const r = await service.diff(sessionId, seq, against);
      return { root: r.root, view: r.view };
    },
    planRestore: async (sessionId, seq) => {
      const p = await service.previewRestore(sessionId, seq);
      return { repoRoot: p.repoRoot, base: p.base, counts: p.plan.counts, refused: p.plan.refused, diff: p.diff };
    },
    restore: (sessionId, seq, mode) => perform({ type: 'restore', sessionId, seq, mode }),
    planUndo: async () => {
      const p = await service.previewUndo();
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
