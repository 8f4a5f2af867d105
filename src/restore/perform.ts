/** Running a restore or an undo request to completion, as the worker does for the TUI: plan, then write. */
import type { RestoreDone } from '../ingest/protocol.js';
import type { RestoreService } from './service.js';

export type RestoreRequest =
  | { readonly type: 'restore'; readonly sessionId: string; readonly seq: number; readonly mode: 'in-place' | 'worktree'; readonly dir?: string }
  | { readonly type: 'undo'; readonly id?: number };

/** Plans afresh (the tree may have changed since the user saw the plan) and applies; the service needs a writer. */
export async function performRestore(service: RestoreService, req: RestoreRequest): Promise<RestoreDone> {
  if (req.type === 'undo') {
    const r = await service.undo(req.id);
    return { id: r.id, mode: 'undo', target: r.undone.repoRoot, branch: null, written: r.written, created: r.created, deleted: r.deleted, refused: [], backupSnapshot: r.backupSnapshot };
  }
  const preview = await service.previewRestore(req.sessionId, req.seq);
  return req.mode === 'in-place' ? service.restoreInPlace(preview) : service.restoreToWorktree(preview, req.dir);
}
