/** The restore and undo overlays as rows: the plan, the choice, the outcome. Pure, built from what actions returned. */
import type { RestoreDone } from '../ingest/protocol.js';
import type { RestorePlanData, UndoPlanData } from './actions.js';
import { diffRows } from './diff-rows.js';
import { dateTime, displayPath } from './format.js';
import type { BodyRow } from './message-body.js';
import type { OverlayPhase } from './navigation.js';
import type { Async } from './use-latest.js';

const row = (text: string, role: BodyRow['role'] = 'text.primary'): BodyRow => ({ text, role });
const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

function outcomeRows(done: RestoreDone, home: string | undefined): BodyRow[] {
  const counts = `wrote ${plural(done.written, 'file')}, created ${done.created}, deleted ${done.deleted}`;
  const rows: BodyRow[] = [];
  if (done.mode === 'worktree') {
    rows.push(row(`Restored into a new worktree: ${counts}.`, 'label.exact'));
    rows.push(row(`  ${displayPath(done.target, home)}, on branch ${done.branch}`));
    rows.push(row('  Your working tree was not touched.'));
  } else if (done.mode === 'in-place') {
    rows.push(row(`Restored in place: ${counts}.`, 'label.exact'));
    rows.push(row(`  Everything it overwrote or deleted was saved first (backup ${done.backupSnapshot?.slice(0, 12) ?? '—'}).`));
    rows.push(row('  Press u to put it all back.'));
  } else {
    rows.push(row(`Undone: ${counts}. The tree is as it was before the restore.`, 'label.exact'));
    if (done.backupSnapshot) rows.push(row(`  What the undo overwrote was saved too (backup ${done.backupSnapshot.slice(0, 12)}): u undoes the undo.`));
  }
  for (const r of done.refused) rows.push(row(`  not restored: ${r.path} — ${r.reason}`, 'label.unknown'));
  return rows;
}

export function restoreRows(
  plan: Async<RestorePlanData>,
  phase: OverlayPhase,
  outcome: Async<RestoreDone>,
  seq: number,
  width: number,
  home: string | undefined,
): BodyRow[] {
  if (phase === 'done' && outcome.state === 'ready') return outcomeRows(outcome.value, home);
  if (phase === 'failed') {
    return [row('The restore did not happen.', 'status.error'), row(outcome.state === 'failed' ? outcome.message : 'unknown error', 'status.error')];
  }
  if (phase === 'running') return [row(`Restoring the code to message #${seq}…`)];
  if (plan.state === 'failed') return [row('Nothing to restore here.', 'status.error'), row(plan.message)];
  if (plan.state !== 'ready') return [row(`Working out what the code was at message #${seq}…`, 'text.secondary')];
  const p = plan.value;
  const c = p.counts;
  const rows: BodyRow[] = [
    row(`Repository ${displayPath(p.repoRoot, home)}: the code as it was at message #${seq}.`),
    row(`Write ${plural(c.write, 'file')}, create ${c.create}, delete ${c.delete}; ${c.unchanged} already as they were; ${c.refused} refused.`),
  ];
  for (const r of p.refused) rows.push(row(`  refused: ${displayPath(r.path, home)} — ${r.reason}`, 'label.unknown'));
  if (c.write + c.create + c.delete === 0) {
    rows.push(row('Nothing to change: the files the session touched are already as they were at this message.', 'label.exact'));
    return rows;
  }
  rows.push(row(`A worktree starts from ${p.base ? `${p.base.commit.slice(0, 12)} (${p.base.how})` : 'HEAD'}.`, 'text.secondary'));
  rows.push(row(''));
  rows.push(row('w / Enter  into a new git worktree on a new branch: your working tree is not touched'));
  rows.push(row('i          in place: everything it overwrites is saved first, and u undoes it'));
  rows.push(row('Esc        cancel'));
  rows.push(row(''));
  rows.push(...diffRows(p.diff, width));
  return rows;
}

export function undoRows(plan: Async<UndoPlanData>, phase: OverlayPhase, outcome: Async<RestoreDone>, home: string | undefined): BodyRow[] {
  if (phase === 'done' && outcome.state === 'ready') return outcomeRows(outcome.value, home);
  if (phase === 'failed') {
    return [row('The undo did not happen.', 'status.error'), row(outcome.state === 'failed' ? outcome.message : 'unknown error', 'status.error')];
  }
  if (phase === 'running') return [row('Putting the tree back…')];
  if (plan.state === 'failed') return [row(plan.message)];
  if (plan.state !== 'ready') return [row('Looking up the last restore…', 'text.secondary')];
  const p = plan.value;
  const rows: BodyRow[] = [
    row(`Undo restore #${p.id} of ${dateTime(p.restoredAt)} in ${displayPath(p.repoRoot, home)}${p.seq ? ` (message #${p.seq})` : ''}:`),
    row(`put back ${plural(p.files, 'file')} exactly as they were before it.`),
  ];
  if (p.changedSince.length) {
    rows.push(row(`${plural(p.changedSince.length, 'file')} changed since the restore; they are saved before being put back:`, 'status.warn'));
    for (const f of p.changedSince) rows.push(row(`  ${displayPath(f, home)}`, 'status.warn'));
  }
  rows.push(row(''));
  rows.push(row('y / Enter  undo        Esc  cancel'));
  return rows;
}
