/**
 * Reading another program's SQLite database (Cursor's state.vscdb, cursor-agent's store.db, Antigravity's
 * conversation stores) without ever changing it or getting in its way.
 *
 * Why not simply `new Database(file, {readonly: true})`: on a WAL-mode database that opens the write-ahead log, and
 * when `-wal`/`-shm` do not exist (the owner closed cleanly) a read-only connection *creates* them next to the
 * owner's file and leaves them behind. better-sqlite3 is built without URI filenames, so `immutable=1` is not
 * available either. Hence a plan per file state (see {@link planOpen}):
 *
 * - `direct`: the owner is running (WAL with `-wal` and `-shm` present), or a rollback-journal database is mid-write.
 *   A read-only connection uses the existing files, takes only reader locks, never checkpoints (it cannot), and is
 *   opened with a short busy timeout; queries run in autocommit so read transactions last one statement.
 * - `memory`: no live log and the file is small: read its bytes once, check they did not change while read, and open
 *   that image in memory. No lock is taken and nothing is created.
 * - `copy`: a large file without a live log, or a `-wal` without its `-shm`, or `direct` refused with busy/cantopen:
 *   copy the database (and `-wal`, not `-shm`: SQLite rebuilds the index from the log, which is more reliable than a
 *   copy of shared memory) into a private temp directory, check nothing changed during the copy, read the copy.
 *   The copy uses reflinks where the filesystem has them (APFS, btrfs, XFS), so it is cheap there.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';

export interface DbFiles {
  readonly dbSize: number;
  /** File-format write version 2 in the header: the database is in WAL mode. */
  readonly walMode: boolean;
  readonly walExists: boolean;
  readonly shmExists: boolean;
  /** A rollback journal exists: a write is in progress (or was interrupted). */
  readonly journalExists: boolean;
}

export type OpenPlan = 'direct' | 'memory' | 'copy';

/** Files up to this size are snapshotted in memory rather than copied to disk. */
export const MEMORY_SNAPSHOT_MAX = 64 * 1024 * 1024;
const BUSY_TIMEOUT_MS = 250;
const SNAPSHOT_ATTEMPTS = 3;
const SQLITE_MAGIC = 'SQLite format 3\0';

/** Pure: how to open a database in the given state without writing next to it. */
export function planOpen(f: DbFiles, memoryMax = MEMORY_SNAPSHOT_MAX): OpenPlan {
  if (f.walMode) {
    if (f.walExists && f.shmExists) return 'direct';
    if (f.walExists) return 'copy';
    return f.dbSize <= memoryMax ? 'memory' : 'copy';
  }
  // Rollback journal: a hot journal means pages in the file may be half-written, so no copy can be trusted; let
  // SQLite's own locking decide (it answers busy while the writer works).
  if (f.journalExists) return 'direct';
  return f.dbSize <= memoryMax ? 'memory' : 'direct';
}

/**
 * `busy`: locked, or changing under the snapshot (retry on a later pass); `unavailable`: an I/O problem on our side
 * such as a full disk for the snapshot (retry later); `corrupt`: not a readable database (skip until it changes);
 * `missing`: it vanished.
 */
export type ForeignDbErrorKind = 'busy' | 'unavailable' | 'corrupt' | 'missing';

/** True when the caller should leave the file's stored identity alone and try again on the next pass. */
export function isTransient(kind: ForeignDbErrorKind): boolean {
  return kind === 'busy' || kind === 'unavailable';
}

export class ForeignDbError extends Error {
  constructor(
    readonly kind: ForeignDbErrorKind,
    message: string,
  ) {
    super(message);
  }
}

/** True for errors SQLite raised (as opposed to a bug in the caller, which must not be mistaken for damage). */
export function isSqliteError(err: unknown): boolean {
  return String((err as { code?: unknown })?.code ?? '').startsWith('SQLITE_');
}

/** Maps a SQLite or file-system error to what the caller should do: retry later (busy) or skip until it changes. */
export function classifyError(err: unknown): ForeignDbErrorKind {
  const code = String((err as { code?: unknown })?.code ?? '');
  if (code === 'ENOENT') return 'missing';
  if (/^E[A-Z]+$/.test(code)) return 'unavailable';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED') || code === 'SQLITE_PROTOCOL') return 'busy';
  if (code === 'SQLITE_CANTOPEN' || code.startsWith('SQLITE_READONLY')) return 'busy';
  return 'corrupt';
}

export function describeError(kind: ForeignDbErrorKind, err: unknown): string {
  const detail = (err as Error)?.message ?? String(err);
  switch (kind) {
    case 'busy':
      return `locked by its owner (${detail}); will retry on the next pass`;
    case 'missing':
      return `vanished while being read (${detail})`;
    case 'unavailable':
      return `could not be read (${detail}); will retry on the next pass`;
    default:
      return `not a readable SQLite database, or half-written (${detail}); skipped until it changes`;
  }
}

function exists(file: string): boolean {
  try {
    fs.statSync(file);
    return true;
  } catch {
    return false;
  }
}

/** Inspects a database's files: size, header, and which side files exist. Throws ForeignDbError. */
export function inspectDbFiles(file: string): DbFiles {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY);
  } catch (err) {
    throw new ForeignDbError('missing', `cannot open ${file}: ${(err as Error).message}`);
  }
  try {
    const size = fs.fstatSync(fd).size;
    const header = Buffer.alloc(100);
    const n = fs.readSync(fd, header, 0, 100, 0);
    if (n === 0) throw new ForeignDbError('corrupt', 'empty file (being created?)');
    if (n < 100 || header.toString('latin1', 0, 16) !== SQLITE_MAGIC) {
      throw new ForeignDbError('corrupt', 'not a SQLite database (bad header)');
    }
    return {
      dbSize: size,
      walMode: header[18] === 2,
      walExists: exists(`${file}-wal`),
      shmExists: exists(`${file}-shm`),
      journalExists: exists(`${file}-journal`),
    };
  } finally {
    fs.closeSync(fd);
  }
}

export interface ForeignDb {
  readonly db: Database.Database;
  readonly plan: OpenPlan;
  close(): void;
}

export interface OpenOptions {
  readonly memoryMax?: number;
  readonly busyTimeoutMs?: number;
  /** Where `copy` snapshots go (default: the OS temp dir; see {@link snapshotDirFor}). */
  readonly tmpDir?: string;
}

/**
 * Snapshots go beside the index (mantra-tui's own data dir, on disk) rather than in the OS temp dir, which is often a
 * RAM-backed tmpfs too small for a multi-GB Cursor database; the same filesystem as the user's home also lets
 * reflink-capable filesystems clone instead of copy.
 */
export function snapshotDirFor(indexFile: string): string {
  if (!path.isAbsolute(indexFile)) return os.tmpdir();
  const dir = path.join(path.dirname(indexFile), 'snapshots');
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    return dir;
  } catch {
    return os.tmpdir();
  }
}

function statKey(file: string): string {
  try {
    const st = fs.statSync(file);
    return `${st.ino}:${st.size}:${st.mtimeMs}`;
  } catch {
    return 'absent';
  }
}

/** Sizes and mtimes of a database and its log: equal before and after a snapshot means the snapshot is consistent. */
function filesKey(file: string): string {
  return `${statKey(file)}|${statKey(`${file}-wal`)}|${exists(`${file}-journal`)}`;
}

/** Runs one query that touches the schema, so open errors (locks, bad pages) surface here. */
function probe(db: Database.Database): void {
  db.prepare('SELECT count(*) FROM sqlite_master').get();
}

function openDirect(file: string, busyTimeoutMs: number): Database.Database {
  const db = new Database(file, { readonly: true, fileMustExist: true, timeout: busyTimeoutMs });
  try {
    probe(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

function openMemory(file: string): Database.Database {
  for (let attempt = 0; attempt < SNAPSHOT_ATTEMPTS; attempt++) {
    const before = filesKey(file);
    const image = fs.readFileSync(file);
    if (filesKey(file) !== before) continue;
    // An in-memory image cannot use a log: mark it as a rollback-journal database (our copy, not the owner's file).
    if (image.length >= 20 && image[18] === 2) {
      image[18] = 1;
      image[19] = 1;
    }
    const db = new Database(image, { readonly: true });
    try {
      probe(db);
      return db;
    } catch (err) {
      db.close();
      // A truncated image fails to open with SQLITE_CANTOPEN: that is damage, not a lock.
      throw new ForeignDbError('corrupt', describeError('corrupt', err));
    }
  }
  throw new ForeignDbError('busy', 'kept changing while being read; will retry on the next pass');
}

function openCopy(file: string, tmpRoot: string): { db: Database.Database; dir: string } {
  const dir = fs.mkdtempSync(path.join(tmpRoot, 'mantra-snapshot-'));
  try {
    const copy = path.join(dir, path.basename(file));
    for (let attempt = 0; attempt < SNAPSHOT_ATTEMPTS; attempt++) {
      const before = filesKey(file);
      fs.copyFileSync(file, copy, fs.constants.COPYFILE_FICLONE);
      fs.rmSync(`${copy}-wal`, { force: true });
      fs.rmSync(`${copy}-shm`, { force: true });
      try {
        fs.copyFileSync(`${file}-wal`, `${copy}-wal`, fs.constants.COPYFILE_FICLONE);
      } catch {
        // No log (or it was checkpointed away mid-copy: the key check below catches that).
      }
      if (filesKey(file) !== before) continue;
      const db = new Database(copy, { readonly: true, fileMustExist: true });
      try {
        probe(db);
        return { db, dir };
      } catch (err) {
        db.close();
        throw new ForeignDbError('corrupt', describeError('corrupt', err));
      }
    }
    throw new ForeignDbError('busy', 'kept changing while being copied; will retry on the next pass');
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Opens `file` for reading without modifying it or anything beside it (see the module comment).
 * Throws {@link ForeignDbError}: `busy` means try again on a later pass, `corrupt` means skip until the file changes.
 */
export function openForeignDb(file: string, opts: OpenOptions = {}): ForeignDb {
  const files = inspectDbFiles(file);
  const plan = planOpen(files, opts.memoryMax);
  const tmpRoot = opts.tmpDir ?? os.tmpdir();
  const wrap = (err: unknown): ForeignDbError => {
    if (err instanceof ForeignDbError) return err;
    const kind = classifyError(err);
    return new ForeignDbError(kind, describeError(kind, err));
  };
  const copied = (): ForeignDb => {
    const { db, dir } = openCopy(file, tmpRoot);
    return {
      db,
      plan: 'copy',
      close() {
        db.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  };
  try {
    if (plan === 'memory') {
      const db = openMemory(file);
      return { db, plan, close: () => db.close() };
    }
    if (plan === 'copy') return copied();
    try {
      const db = openDirect(file, opts.busyTimeoutMs ?? BUSY_TIMEOUT_MS);
      return { db, plan, close: () => db.close() };
    } catch (err) {
      // The owner holds a lock we may not wait for, or the side files are not ours to open: read a snapshot.
      if (files.walMode && classifyError(err) === 'busy') return copied();
      throw err;
    }
  } catch (err) {
    throw wrap(err);
  }
}

/** What the index remembers of a database to notice change cheaply: the db and its log, stat only. */
export interface DbIdentity {
  readonly dev: number;
  readonly ino: number;
  /** Database plus `-wal` bytes. */
  readonly size: number;
  /** Latest of the database's and the `-wal`'s mtime (the owner checkpoints lazily, so the log moves first). */
  readonly mtimeMs: number;
}

export function dbIdentity(file: string): DbIdentity | null {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    return null;
  }
  let size = st.size;
  let mtimeMs = Math.floor(st.mtimeMs);
  try {
    const wal = fs.statSync(`${file}-wal`);
    size += wal.size;
    mtimeMs = Math.max(mtimeMs, Math.floor(wal.mtimeMs));
  } catch {
    // no log
  }
  return { dev: st.dev, ino: st.ino, size, mtimeMs };
}

/** Decodes a key/value store's `value` column (TEXT or BLOB holding UTF-8) into a string; null for NULL. */
export function valueText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  return null;
}

/** True when `table` exists in the database. */
export function hasTable(db: Database.Database, table: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
}
