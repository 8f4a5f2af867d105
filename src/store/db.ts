/** Opening the index: private file modes, WAL, foreign keys, and the migration ladder. */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrate, SCHEMA_VERSION, SchemaTooNewError } from './migrations.js';

export interface OpenOptions {
  /** Open without write access (the UI's connection). The file must exist and be migrated. */
  readonly readonly?: boolean;
}

const PRIVATE_FILE = 0o600;
const PRIVATE_DIR = 0o700;

/** Creates the file with mode 0600 before SQLite sees it: SQLite would use the umask (usually 0644). */
function createPrivateFile(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: PRIVATE_DIR });
  const fd = fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_WRONLY, PRIVATE_FILE);
  fs.closeSync(fd);
}

function tightenModes(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      if ((fs.statSync(f).mode & 0o777) !== PRIVATE_FILE) fs.chmodSync(f, PRIVATE_FILE);
    } catch {
      // -wal and -shm come and go with checkpoints.
    }
  }
}

export function openDatabase(file: string, options: OpenOptions = {}): Database.Database {
  if (options.readonly) {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    // A reader must not run on a schema it does not know; migrate() refuses newer ones with a clear message.
    migrate(db, file, db.pragma('user_version', { simple: true }) as number);
    return db;
  }
  if (!fs.existsSync(file)) createPrivateFile(file);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db, file);
  tightenModes(file);
  return db;
}

/**
 * Makes sure an index exists at `file` with the current schema, so read-only connections can open it. Cheap when it
 * already does: a read-only look at the schema version, no write lock, no optimize.
 */
export function ensureIndex(file: string): void {
  if (fs.existsSync(file)) {
    const probe = new Database(file, { readonly: true, fileMustExist: true });
    try {
      const version = probe.pragma('user_version', { simple: true }) as number;
      if (version === SCHEMA_VERSION) return;
      if (version > SCHEMA_VERSION) throw new SchemaTooNewError(version, SCHEMA_VERSION, file);
    } finally {
      probe.close();
    }
  }
  openDatabase(file).close();
}

export function closeDatabase(db: Database.Database): void {
  if (!db.open) return;
  try {
    if (!db.readonly) db.pragma('optimize');
  } finally {
    db.close();
  }
}
