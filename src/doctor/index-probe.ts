/**
 * What the user's index holds, per assistant, read without changing anything beside it: the schema version from the
 * file header, then counts through a read-only open that creates no `-wal`/`-shm` files (foreign-db.ts: a live
 * log is read in place, otherwise a snapshot in memory or in a temporary copy). Never migrates, never writes.
 */
import fs from 'node:fs';
import os from 'node:os';
import { openForeignDb } from '../ingest/foreign-db.js';
import { AGENTS, type Agent } from '../model.js';
import { SCHEMA_VERSION } from '../store/migrations.js';

export interface IndexProbe {
  readonly path: string;
  readonly exists: boolean;
  /** `PRAGMA user_version` as stored in the header; null when the file is not a SQLite database. */
  readonly schemaVersion: number | null;
  readonly sizeBytes: number | null;
  readonly sessions: number | null;
  readonly messages: number | null;
  /** Per assistant; empty when the counts could not be read. */
  readonly byAgent: ReadonlyMap<Agent, { readonly sessions: number; readonly messages: number }>;
  /** Why the counts are missing, or what is off with the schema; null when all is well. */
  readonly problem: string | null;
}

const SQLITE_MAGIC = 'SQLite format 3\0';

/** The user_version field of a SQLite header (bytes 60–63, big-endian), or null when it is not one. Pure. */
export function headerUserVersion(header: Buffer): number | null {
  if (header.length < 100 || header.toString('latin1', 0, 16) !== SQLITE_MAGIC) return null;
  return header.readUInt32BE(60);
}

function readHeader(file: string): Buffer {
  const fd = fs.openSync(file, fs.constants.O_RDONLY);
  try {
    const buf = Buffer.alloc(100);
    const n = fs.readSync(fd, buf, 0, 100, 0);
    return buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

export function probeIndex(file: string, tmpDir = os.tmpdir()): IndexProbe {
  const none = { schemaVersion: null, sizeBytes: null, sessions: null, messages: null, byAgent: new Map() };
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    return { path: file, exists: false, ...none, problem: null };
  }
  let version: number | null;
  try {
    version = headerUserVersion(readHeader(file));
  } catch (err) {
    return { path: file, exists: true, ...none, sizeBytes: size, problem: `cannot read it: ${(err as Error).message}` };
  }
  if (version === null) return { path: file, exists: true, ...none, sizeBytes: size, problem: size === 0 ? 'an empty file (an index being created?)' : 'not a SQLite database' };
  const schema =
    version > SCHEMA_VERSION
      ? `schema version ${version} is newer than this mantra-tui understands (${SCHEMA_VERSION}): upgrade mantra-tui`
      : version < SCHEMA_VERSION
        ? `schema version ${version} is older than this mantra-tui's (${SCHEMA_VERSION}): the next "mantra-tui index" upgrades it`
        : null;
  let opened;
  try {
    opened = openForeignDb(file, { tmpDir });
  } catch (err) {
    return { path: file, exists: true, ...none, schemaVersion: version, sizeBytes: size, problem: `cannot open it: ${(err as Error).message}` };
  }
  try {
    // The session table and its agent and message_count columns exist since the first schema version.
    const rows = opened.db.prepare('SELECT agent, count(*) AS sessions, coalesce(sum(message_count), 0) AS messages FROM session GROUP BY agent').all() as { agent: string; sessions: number; messages: number }[];
    const byAgent = new Map<Agent, { sessions: number; messages: number }>();
    for (const r of rows) if ((AGENTS as readonly string[]).includes(r.agent)) byAgent.set(r.agent as Agent, { sessions: r.sessions, messages: r.messages });
    return {
      path: file,
      exists: true,
      schemaVersion: version,
      sizeBytes: size,
      sessions: rows.reduce((n, r) => n + r.sessions, 0),
      messages: rows.reduce((n, r) => n + r.messages, 0),
      byAgent,
      problem: schema,
    };
  } catch (err) {
    return { path: file, exists: true, ...none, schemaVersion: version, sizeBytes: size, problem: schema ?? `cannot read its sessions: ${(err as Error).message}` };
  } finally {
    opened.close();
  }
}
