/**
 * Writing a restore to disk so that no byte of the user's work can be lost:
 *   1. journal "preparing" (nothing written yet);
 *   2. every file the restore will overwrite or delete, plus the user's index file, is saved into the project's
 *      backups.git as one commit (fsync'ed), re-read from disk at this moment;
 *   3. journal "applying", listing each change, its temp file and the backup blob of what was there;
 *   4. each file is written to a temp file beside it, fsync'ed and renamed over the target; deletions unlink;
 *   5. journal "complete".
 * A crash before 3 leaves the tree untouched; after it, `recoverIncomplete` rolls every listed path back from the
 * backup. `undo` is the same transaction with the backup as its target, so an undo can itself be undone.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { IndexWriter } from '../store/writer.js';
import { blobId } from './content.js';
import { readObjects, repoDirs, runGit, userGit } from './git.js';
import {
  acquireLock, fsyncDir, listJournalFiles, loadJournalFile, mirror, newJournalName, ownerAlive, saveJournalFile,
  writeFileAtomic, type Journal, type JournalFileChange,
} from './journal.js';
import type { FileStateAt } from './planner.js';
import { planRestore, type Refusal } from './restore-plan.js';
import { readWorkingTree } from './working-tree.js';
import { BACKUP_REF, clearStaleLocks, commitEnv, openShadow, SHADOW_CONFIG, shadowHead, type ShadowRepo } from './shadow.js';

export interface ApplyContext {
  readonly dataDir: string;
  /** Mirrors the journal into the index (restore_journal table); null to keep only the journal files. */
  readonly writer: IndexWriter | null;
  /** The clock (epoch ms) journal entries and backup commits are dated by. */
  readonly now?: () => number;
}

export interface TxChange {
  readonly path: string;
  /** New bytes and permission bits, or null to delete the file. */
  readonly after: { readonly bytes: Buffer; readonly mode: number } | null;
}

export interface TxMeta {
  readonly mode: Journal['mode'];
  readonly sessionId: string | null;
  readonly seq: number | null;
  readonly repoRoot: string;
  readonly undoOf: string | null;
  readonly refused: readonly Refusal[];
  /** Paths written but not counted as files (the git index an undo puts back). */
  readonly uncounted?: readonly string[];
}

export class RestoreError extends Error {}

interface Before {
  readonly existed: boolean;
  readonly mode: number;
  readonly bytes: Buffer | null;
}

function readBefore(p: string): Before {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(p);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { existed: false, mode: 0o644, bytes: null };
    throw err;
  }
  if (!st.isFile()) throw new RestoreError(`${p} is not a regular file now; nothing was changed`);
  return { existed: true, mode: st.mode & 0o777, bytes: fs.readFileSync(p) };
}

/** How long a lock in backups.git may be held by a dying restore's git before it is taken as stale. */
const BACKUP_LOCK_STALE_MS = 2000;

/** C-style quoting for paths in a fast-import stream. */
function quote(p: string): string {
  return `"${p.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t')}"`;
}

function relInRepo(repoRoot: string, p: string): string {
  const rel = path.relative(repoRoot, p);
  return rel.startsWith('..') || path.isAbsolute(rel) ? `outside/${p.replace(/^\/+/, '')}` : rel.split(path.sep).join('/');
}

/**
 * Saves the given files' current bytes (and the index file) as one commit in backups.git, with `fast-import`:
 * one process whatever the number of files. The tree holds `files/<path>`, `index` and `manifest.json`.
 */
async function writeBackup(
  shadow: ShadowRepo,
  entries: readonly { path: string; before: Before }[],
  index: { path: string; bytes: Buffer | null },
  at: number,
  message: string,
): Promise<string> {
  // The caller holds the restore lock, so a git lock here was left by a killed restore (or its orphaned git).
  await clearStaleLocks(shadow.gitDir, BACKUP_LOCK_STALE_MS);
  const parent = await shadowHead(shadow, BACKUP_REF);
  const chunks: Buffer[] = [];
  const text = (s: string) => chunks.push(Buffer.from(s, 'utf8'));
  const data = (b: Buffer) => {
    text(`data ${b.length}\n`);
    chunks.push(b);
    text('\n');
  };
  text(`commit ${BACKUP_REF}\ncommitter mantra-tui <mantra-tui@localhost> ${Math.floor(at / 1000)} +0000\n`);
  data(Buffer.from(message));
  if (parent) text(`from ${parent}\n`);
  text('deleteall\n');
  const manifest = { repoRoot: shadow.repoRoot, files: [] as { path: string; mode: number; blob: string }[], index: null as string | null };
  for (const e of entries) {
    if (!e.before.existed || !e.before.bytes) continue;
    text(`M ${e.before.mode & 0o111 ? '100755' : '100644'} inline ${quote(`files/${relInRepo(shadow.repoRoot, e.path)}`)}\n`);
    data(e.before.bytes);
    manifest.files.push({ path: e.path, mode: e.before.mode, blob: blobId(e.before.bytes) });
  }
  if (index.bytes) {
    text('M 100644 inline index\n');
    data(index.bytes);
    manifest.index = blobId(index.bytes);
  }
  text('M 100644 inline manifest.json\n');
  data(Buffer.from(JSON.stringify(manifest, null, 1)));
  text('\ndone\n');
  await runGit([...SHADOW_CONFIG, 'fast-import', '--quiet', '--done'], {
    cwd: path.dirname(shadow.gitDir),
    env: commitEnv(shadow.gitDir, at),
    input: Buffer.concat(chunks),
  });
  const head = await shadowHead(shadow, BACKUP_REF);
  if (!head || head === parent) throw new RestoreError('the backup could not be written; nothing was changed');
  return head;
}

/** Directories inside the repository that must be created for the changes, shallowest first. */
function missingDirs(repoRoot: string, changes: readonly TxChange[]): string[] {
  const dirs = new Set<string>();
  for (const c of changes) {
    if (!c.after) continue;
    let d = path.dirname(c.path);
    const chain: string[] = [];
    while (d.startsWith(repoRoot + path.sep) && !fs.existsSync(d)) {
      chain.push(d);
      d = path.dirname(d);
    }
    for (const x of chain) dirs.add(x);
  }
  return [...dirs].sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
}

function tmpName(target: string, journalFile: string, n: number): string {
  return path.join(path.dirname(target), `.${path.basename(target).slice(0, 80)}.mantra-${journalFile.slice(-11, -5)}-${n}`);
}

function record(ctx: ApplyContext, j: Journal): number | null {
  saveJournalFile(ctx.dataDir, j);
  return mirror(ctx.writer, j, (file) => idOfFile(ctx, file));
}

function idOfFile(ctx: ApplyContext, file: string): number | null {
  return ctx.writer ? ctx.writer.restoreIdOf(file) : null;
}

export interface TxResult {
  readonly journal: Journal;
  readonly id: number | null;
}

/** Runs one journaled transaction (see the module comment). The caller holds the restore lock. */
async function transact(ctx: ApplyContext, meta: TxMeta, changes: readonly TxChange[]): Promise<TxResult> {
  const now = ctx.now ?? Date.now;
  const createdAt = now();
  const { indexFile } = await repoDirs(meta.repoRoot);
  const j: Journal = {
    version: 1,
    file: newJournalName(createdAt),
    pid: process.pid,
    host: os.hostname(),
    mode: meta.mode,
    state: 'preparing',
    sessionId: meta.sessionId,
    seq: meta.seq,
    repoRoot: meta.repoRoot,
    target: meta.repoRoot,
    branch: null,
    backupCommit: null,
    undoOf: meta.undoOf,
    undoneBy: null,
    createdDirs: [],
    changes: [],
    index: null,
    refused: [...meta.refused],
    counts: { written: 0, created: 0, deleted: 0 },
    createdAt,
    completedAt: null,
    note: null,
  };
  record(ctx, j);
  try {
    // 2. Back up what is on disk now (not what the plan saw: the user may have saved a file since).
    const befores = changes.map((c) => ({ path: c.path, before: readBefore(c.path) }));
    const indexBefore = readBefore(indexFile);
    const shadow = await openShadow(ctx.dataDir, meta.repoRoot, 'backups');
    j.backupCommit = await writeBackup(shadow, befores, { path: indexFile, bytes: indexBefore.bytes }, createdAt,
      `${meta.mode} of ${meta.sessionId ?? '-'} #${meta.seq ?? '-'}: backup of ${befores.filter((b) => b.before.existed).length} files`);
    j.index = { path: indexFile, existed: indexBefore.existed, blob: indexBefore.bytes ? blobId(indexBefore.bytes) : null };
    j.createdDirs = missingDirs(meta.repoRoot, changes);
    j.changes = changes.map((c, i): JournalFileChange => ({
      path: c.path,
      before: { existed: befores[i].before.existed, mode: befores[i].before.mode, blob: befores[i].before.bytes ? blobId(befores[i].before.bytes!) : null },
      after: { blob: c.after ? blobId(c.after.bytes) : null, mode: c.after?.mode ?? 0o644 },
      tmp: c.after ? tmpName(c.path, j.file, i) : null,
    }));
    // 3. From here on a crash is rolled back from the backup.
    j.state = 'applying';
    record(ctx, j);
  } catch (err) {
    j.state = 'abandoned';
    j.note = (err as Error).message;
    j.completedAt = now();
    record(ctx, j);
    throw err instanceof RestoreError ? err : new RestoreError(`nothing was changed: ${(err as Error).message}`);
  }
  try {
    for (const d of j.createdDirs) if (!fs.existsSync(d)) fs.mkdirSync(d);
    changes.forEach((c, i) => {
      const entry = j.changes[i];
      const counted = !meta.uncounted?.includes(c.path);
      if (c.after) {
        fs.rmSync(entry.tmp!, { force: true });
        writeFileAtomic(c.path, entry.tmp!, c.after.bytes, c.after.mode);
        if (counted && entry.before.existed) j.counts.written++;
        else if (counted) j.counts.created++;
      } else if (entry.before.existed) {
        fs.rmSync(c.path, { force: true });
        fsyncDir(path.dirname(c.path));
        if (counted) j.counts.deleted++;
      }
    });
  } catch (err) {
    await rollBack(ctx, j, `rolled back after an error: ${(err as Error).message}`);
    throw new RestoreError(`the restore failed and was rolled back: ${(err as Error).message}`);
  }
  j.state = 'complete';
  j.completedAt = now();
  const id = record(ctx, j);
  return { journal: j, id };
}

/**
 * Puts every path of a journal back as the backup holds it, removes temp files and the directories it created.
 * A path that holds neither what was there before nor what the restore wrote was changed by someone after the
 * interruption: it is left alone (its pre-restore copy stays in the backup, and the note says so).
 */
async function rollBack(ctx: ApplyContext, j: Journal, note: string): Promise<void> {
  const shadow = await openShadow(ctx.dataDir, j.repoRoot, 'backups');
  const wanted = j.changes.filter((c) => c.before.existed && c.before.blob).map((c) => c.before.blob!);
  const blobs = await readObjects(shadow.gitDir, wanted);
  const bytesOf = new Map<string, Buffer>();
  blobs.forEach((b, i) => {
    if (b) bytesOf.set(wanted[i], b.bytes);
  });
  const problems: string[] = [];
  const leftAlone: string[] = [];
  for (const c of [...j.changes].reverse()) {
    if (c.tmp) fs.rmSync(c.tmp, { force: true });
    try {
      let current: Buffer | null = null;
      try {
        current = fs.readFileSync(c.path);
      } catch {
        current = null;
      }
      const now = current === null ? null : blobId(current);
      if (now !== null && now !== c.before.blob && now !== c.after.blob) {
        leftAlone.push(c.path);
        continue;
      }
      if (c.before.existed) {
        const bytes = c.before.blob ? bytesOf.get(c.before.blob) : undefined;
        if (!bytes) {
          problems.push(`${c.path}: backup blob ${c.before.blob} is missing`);
          continue;
        }
        if (now === c.before.blob && (fs.statSync(c.path).mode & 0o777) === c.before.mode) continue;
        const tmp = `${c.tmp ?? tmpName(c.path, j.file, 0)}-rollback`;
        fs.rmSync(tmp, { force: true });
        fs.mkdirSync(path.dirname(c.path), { recursive: true });
        writeFileAtomic(c.path, tmp, bytes, c.before.mode);
      } else if (now !== null) {
        fs.rmSync(c.path, { force: true });
      }
    } catch (err) {
      problems.push(`${c.path}: ${(err as Error).message}`);
    }
  }
  for (const d of [...j.createdDirs].reverse()) {
    try {
      fs.rmdirSync(d);
    } catch {
      // not empty (the user put something there) or already gone: leave it
    }
  }
  j.state = 'rolled-back';
  j.completedAt = (ctx.now ?? Date.now)();
  const notes = [note];
  if (leftAlone.length) notes.push(`changed after the interruption, left as they are (their earlier contents are in backup ${j.backupCommit}): ${leftAlone.join(', ')}`);
  if (problems.length) notes.push(`could not restore: ${problems.join('; ')}`);
  j.note = notes.join('; ');
  record(ctx, j);
}

export interface InPlaceRequest {
  readonly sessionId: string;
  readonly seq: number;
  readonly repoRoot: string;
  readonly changes: readonly TxChange[];
  readonly refused: readonly Refusal[];
}

/** Restores files in place (see the module comment). Recovers any interrupted restore first. */
export async function applyInPlace(ctx: ApplyContext, req: InPlaceRequest): Promise<TxResult> {
  for (const c of req.changes) {
    const rel = path.relative(req.repoRoot, c.path);
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) throw new RestoreError(`refusing to write ${c.path}: outside the repository ${req.repoRoot}`);
  }
  const release = acquireLock(ctx.dataDir);
  try {
    await recoverLocked(ctx);
    return await transact(ctx, { mode: 'in-place', sessionId: req.sessionId, seq: req.seq, repoRoot: req.repoRoot, undoOf: null, refused: req.refused }, req.changes);
  } finally {
    release();
  }
}

export interface UndoPreview {
  readonly journal: Journal;
  /** Paths changed since the restore wrote them (the undo backs these up too, so they can be got back). */
  readonly changedSince: readonly string[];
  readonly changes: readonly TxChange[];
}

/** What undoing a journal entry would write; `file` is the journal file name. */
export async function previewUndo(ctx: ApplyContext, file: string): Promise<UndoPreview> {
  const j = loadJournalFile(ctx.dataDir, file);
  if (!j) throw new RestoreError(`no journal entry ${file}`);
  if (j.mode === 'worktree') throw new RestoreError(`restore ${file} went into a new worktree (${j.target}) and changed nothing in your tree; remove it with "git worktree remove ${j.target}"`);
  if (j.state === 'undone') throw new RestoreError('that restore was already undone');
  if (j.state !== 'complete') throw new RestoreError(`that restore is ${j.state}: there is nothing to undo`);
  const shadow = await openShadow(ctx.dataDir, j.repoRoot, 'backups');
  const entries = [...j.changes.map((c) => ({ path: c.path, existed: c.before.existed, mode: c.before.mode, blob: c.before.blob }))];
  if (j.index) entries.push({ path: j.index.path, existed: j.index.existed, mode: 0o644, blob: j.index.blob });
  const blobs = await readObjects(shadow.gitDir, entries.map((e) => e.blob ?? '0'.repeat(40)));
  const changes: TxChange[] = [];
  const changedSince: string[] = [];
  entries.forEach((e, i) => {
    if (e.existed) {
      const b = blobs[i];
      if (!b) throw new RestoreError(`the backup of ${e.path} is missing from ${shadow.gitDir}; nothing was changed`);
      let mode = e.mode;
      if (j.index && e.path === j.index.path) {
        try {
          mode = fs.statSync(e.path).mode & 0o777;
        } catch {
          mode = 0o644;
        }
      }
      changes.push({ path: e.path, after: { bytes: b.bytes, mode } });
    } else {
      changes.push({ path: e.path, after: null });
    }
  });
  for (const c of j.changes) {
    let now: string | null = null;
    try {
      now = blobId(fs.readFileSync(c.path));
    } catch {
      now = null;
    }
    if (now !== c.after.blob) changedSince.push(c.path);
  }
  return { journal: j, changedSince, changes };
}

/** Puts back the exact pre-restore tree of a journal entry (files, modes, index), backing up what is there now. */
export async function undo(ctx: ApplyContext, file: string): Promise<TxResult & { readonly undone: Journal }> {
  const release = acquireLock(ctx.dataDir);
  try {
    await recoverLocked(ctx);
    const preview = await previewUndo(ctx, file);
    const j = preview.journal;
    const result = await transact(ctx, {
      mode: 'undo', sessionId: j.sessionId, seq: j.seq, repoRoot: j.repoRoot, undoOf: j.file, refused: [], uncounted: j.index ? [j.index.path] : [],
    }, preview.changes);
    // Directories the restore created are not part of the pre-restore tree.
    for (const d of [...j.createdDirs].reverse()) {
      try {
        fs.rmdirSync(d);
      } catch {
        // not empty or gone
      }
    }
    j.state = 'undone';
    j.undoneBy = result.journal.file;
    record(ctx, j);
    return { ...result, undone: j };
  } finally {
    release();
  }
}

export interface Recovery {
  readonly file: string;
  readonly from: Journal['state'];
  readonly to: Journal['state'];
  readonly note: string | null;
}

async function recoverLocked(ctx: ApplyContext): Promise<Recovery[]> {
  const out: Recovery[] = [];
  // Newest first: an interrupted undo is rolled back before the restore it was undoing is looked at.
  for (const file of listJournalFiles(ctx.dataDir).reverse()) {
    const j = loadJournalFile(ctx.dataDir, file);
    if (!j) continue;
    if (j.state === 'preparing' || j.state === 'applying') {
      if (ownerAlive(j)) continue;
      const from = j.state;
      if (j.mode === 'worktree') {
        j.state = 'abandoned';
        j.note = `interrupted; the worktree at ${j.target} may be incomplete`;
        j.completedAt = (ctx.now ?? Date.now)();
        record(ctx, j);
      } else if (from === 'preparing') {
        j.state = 'abandoned';
        j.note = 'interrupted before anything was written';
        j.completedAt = (ctx.now ?? Date.now)();
        record(ctx, j);
      } else {
        await rollBack(ctx, j, 'interrupted while writing; rolled back from the backup');
      }
      out.push({ file, from, to: j.state, note: j.note });
    } else if (ctx.writer && idOfFile(ctx, file) === null) {
      // The database lost (or never got) this entry: mirror it again.
      mirror(ctx.writer, j, (f) => idOfFile(ctx, f));
    }
  }
  return out;
}

/**
 * Finishes what a killed restore left: a restore interrupted while writing is rolled back to the exact pre-restore
 * tree; one interrupted before writing is marked abandoned. Call at start-up (CLI restore/undo do it themselves).
 */
export async function recoverIncomplete(ctx: ApplyContext): Promise<Recovery[]> {
  const release = acquireLock(ctx.dataDir);
  try {
    return await recoverLocked(ctx);
  } finally {
    release();
  }
}

export interface WorktreeRequest {
  readonly sessionId: string;
  readonly seq: number;
  readonly repoRoot: string;
  /** Commit the new worktree starts from. */
  readonly base: string;
  readonly branch: string;
  readonly dir: string;
  /** States of the files to restore, with their paths in the user's repository. */
  readonly states: readonly FileStateAt[];
  readonly refused: readonly Refusal[];
  readonly contents: (blob: string) => Buffer;
}

/**
 * `git worktree add -b <branch> <dir> <base>`, then the states written into it. Journaled like any restore; a crash
 * leaves a worktree that recovery reports as possibly incomplete (it holds none of the user's work).
 */
export async function applyWorktree(ctx: ApplyContext, req: WorktreeRequest): Promise<TxResult> {
  const release = acquireLock(ctx.dataDir);
  try {
    await recoverLocked(ctx);
    const now = ctx.now ?? Date.now;
    const createdAt = now();
    const j: Journal = {
      version: 1, file: newJournalName(createdAt), pid: process.pid, host: os.hostname(), mode: 'worktree', state: 'preparing',
      sessionId: req.sessionId, seq: req.seq, repoRoot: req.repoRoot, target: req.dir, branch: req.branch, backupCommit: null,
      undoOf: null, undoneBy: null, createdDirs: [], changes: [], index: null, refused: [...req.refused],
      counts: { written: 0, created: 0, deleted: 0 }, createdAt, completedAt: null, note: null,
    };
    record(ctx, j);
    try {
      fs.mkdirSync(path.dirname(req.dir), { recursive: true });
      await userGit(req.repoRoot).raw(['worktree', 'add', '--quiet', '-b', req.branch, req.dir, req.base]);
    } catch (err) {
      j.state = 'abandoned';
      j.note = (err as Error).message;
      j.completedAt = now();
      record(ctx, j);
      throw new RestoreError(`could not create the worktree: ${(err as Error).message}`);
    }
    j.state = 'applying';
    record(ctx, j);
    const mapped = req.states.map((s) => ({ ...s, path: path.join(req.dir, path.relative(req.repoRoot, s.path)) }));
    const original = new Map(mapped.map((m, i) => [m.path, req.states[i].path]));
    const plan = planRestore(mapped, readWorkingTree(mapped.map((m) => m.path), req.dir), req.dir);
    let n = 0;
    for (const f of [...plan.write, ...plan.create]) {
      fs.mkdirSync(path.dirname(f.path), { recursive: true });
      writeFileAtomic(f.path, tmpName(f.path, j.file, n++), req.contents(f.blob!), f.mode);
    }
    for (const f of plan.delete) fs.rmSync(f.path, { force: true });
    j.counts = { written: plan.write.length, created: plan.create.length, deleted: plan.delete.length };
    j.refused.push(...plan.refused.map((r) => ({ path: original.get(r.path) ?? r.path, reason: r.reason })));
    j.state = 'complete';
    j.completedAt = now();
    const id = record(ctx, j);
    return { journal: j, id };
  } finally {
    release();
  }
}
