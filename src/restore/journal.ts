/**
 * The restore journal on disk: one JSON file per restore or undo under <dataDir>/restores/, replaced atomically
 * (temp file, fsync, rename, fsync of the directory) at every state change, so that after a crash at any point
 * the file says exactly what may have been written and where the pre-restore bytes are.
 * A lock file serialises restores, undos and recovery across processes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RestoreMode, RestoreRow, RestoreState } from '../store/rows.js';
import type { IndexWriter } from '../store/writer.js';
import type { Refusal } from './restore-plan.js';

export interface JournalFileChange {
  /** Absolute path written or deleted. */
  readonly path: string;
  /** What was there before: its bytes are in backups.git under `blob`. */
  readonly before: { readonly existed: boolean; readonly mode: number; readonly blob: string | null };
  /** What the restore puts there (null blob: deleted). */
  readonly after: { readonly blob: string | null; readonly mode: number };
  /** The temporary file the new bytes go through before the rename. */
  readonly tmp: string | null;
}

export interface Journal {
  readonly version: 1;
  /** File name under the journal directory: the entry's stable identity. */
  readonly file: string;
  readonly pid: number;
  readonly host: string;
  readonly mode: RestoreMode;
  state: RestoreState;
  readonly sessionId: string | null;
  readonly seq: number | null;
  readonly repoRoot: string;
  target: string;
  branch: string | null;
  backupCommit: string | null;
  readonly undoOf: string | null;
  undoneBy: string | null;
  /** Directories the restore creates, shallowest first (removed again on rollback when empty). */
  createdDirs: string[];
  changes: JournalFileChange[];
  /** The user's index file as it was before, backed up for undo (restores never write it; undo puts it back). */
  index: { readonly path: string; readonly existed: boolean; readonly blob: string | null } | null;
  refused: Refusal[];
  counts: { written: number; created: number; deleted: number };
  readonly createdAt: number;
  completedAt: number | null;
  /** A one-line note for the listing (e.g. why a recovery rolled back). */
  note: string | null;
}

export function journalDir(dataDir: string): string {
  return path.join(dataDir, 'restores');
}

export function fsyncDir(dir: string): void {
  let fd: number | null = null;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some filesystems refuse fsync on directories; the rename is still atomic there.
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

/** Writes bytes to `target` through a temp file in the same directory: fsync'ed, then renamed over it. */
export function writeFileAtomic(target: string, tmp: string, bytes: Uint8Array, mode: number): void {
  const fd = fs.openSync(tmp, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, mode);
  try {
    let off = 0;
    while (off < bytes.length) off += fs.writeSync(fd, bytes, off, bytes.length - off);
    fs.fchmodSync(fd, mode); // the umask may have narrowed it
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, target);
  fsyncDir(path.dirname(target));
}

export function newJournalName(now: number): string {
  return `${new Date(now).toISOString().replace(/[:.]/g, '-')}-${process.pid}-${Math.random().toString(36).slice(2, 8)}.json`;
}

export function saveJournalFile(dataDir: string, j: Journal): void {
  const dir = journalDir(dataDir);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const target = path.join(dir, j.file);
  const tmp = `${target}.tmp-${process.pid}`;
  fs.rmSync(tmp, { force: true });
  writeFileAtomic(target, tmp, Buffer.from(JSON.stringify(j, null, 1)), 0o600);
}

export function loadJournalFile(dataDir: string, file: string): Journal | null {
  try {
    const j = JSON.parse(fs.readFileSync(path.join(journalDir(dataDir), file), 'utf8')) as Journal;
    return j && j.version === 1 && typeof j.file === 'string' ? j : null;
  } catch {
    return null;
  }
}

export function listJournalFiles(dataDir: string): string[] {
  try {
    return fs.readdirSync(journalDir(dataDir)).filter((f) => f.endsWith('.json')).sort();
  } catch {
    return [];
  }
}

/** Mirrors the journal into the index database (when one is open); returns the row id. */
export function mirror(writer: IndexWriter | null, j: Journal, idOf: (file: string) => number | null): number | null {
  if (!writer) return null;
  const row: Omit<RestoreRow, 'id'> = {
    journalFile: j.file,
    sessionId: j.sessionId,
    seq: j.seq,
    mode: j.mode,
    state: j.state,
    repoRoot: j.repoRoot,
    target: j.target,
    branch: j.branch,
    backupCommit: j.backupCommit,
    undoOf: j.undoOf ? idOf(j.undoOf) : null,
    undoneBy: j.undoneBy ? idOf(j.undoneBy) : null,
    written: j.counts.written,
    created: j.counts.created,
    deleted: j.counts.deleted,
    refused: j.refused,
    createdAt: j.createdAt,
    completedAt: j.completedAt,
  };
  return writer.saveRestore(row);
}

function pidAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when the process that wrote the journal may still be working on it (same host, pid alive). */
export function ownerAlive(j: Journal): boolean {
  return j.host === os.hostname() && j.pid !== process.pid && pidAlive(j.pid);
}

export class LockedError extends Error {}

/**
 * Takes the restore lock (one restore, undo or recovery at a time across processes). A lock left by a process
 * that is gone is taken over.
 */
export function acquireLock(dataDir: string): () => void {
  const dir = journalDir(dataDir);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, '.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, 0o600);
      fs.writeSync(fd, `${process.pid} ${os.hostname()}\n`);
      fs.closeSync(fd);
      return () => fs.rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let holder: [string, string] = ['0', ''];
      try {
        holder = fs.readFileSync(file, 'utf8').trim().split(' ') as [string, string];
      } catch {
        // vanished meanwhile: retry
      }
      const pid = Number(holder[0]);
      if (holder[1] === os.hostname() && pid > 0 && pidAlive(pid) && pid !== process.pid) {
        throw new LockedError(`another mantra-tui process (pid ${pid}) is restoring; try again when it is done`);
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new LockedError('could not take the restore lock');
}
