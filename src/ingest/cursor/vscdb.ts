/**
 * Incremental reading of one Cursor `state.vscdb` (global or workspace) into the index. I/O shell around the pure
 * parsers in composer.ts / bubbles.ts:
 * - the file is only opened when it (or its `-wal`) changed since the last pass, through foreign-db.ts (read-only,
 *   no lock that blocks Cursor, nothing created beside it);
 * - each composer is fingerprinted by a hash of its `composerData` value plus the count and total size of its
 *   `bubbleId:` rows; only composers whose fingerprint changed are read, and session-sync.ts writes only the
 *   difference (append, replace the last message, or rewrite);
 * - ItemTable chat keys (2023–24 chat panel, inline composers) are re-read only when their value's hash changes;
 * - a workspace DB records its folder and the composers it lists, and pushes that folder onto those sessions.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { IndexWriter, SourceFileState } from '../../store/writer.js';
import { classifyError, dbIdentity, describeError, ForeignDbError, hasTable, isSqliteError, isTransient, openForeignDb, snapshotDirFor, valueText, type DbIdentity } from '../foreign-db.js';
import { countSkip, type IngestStats } from '../stats.js';
import { isObject, str, tryJson, type Json } from '../text.js';
import { SessionBatch } from './batch.js';
import { chatTabConversation, composerConversation, type BubbleRow } from './composer.js';
import { emptyVscdbState, parseVscdbState, type CursorPassContext, type VscdbState } from './context.js';
import type { VscdbCandidate } from './discover.js';
import { composerRefs, folderOfWorkspaceFile, parseWorkspaceJson } from './workspace.js';

/** Values above this are skipped and counted (a composer carrying hundreds of MB of inline images, say). */
export const MAX_VALUE_BYTES = 256 * 1024 * 1024;

const CHATDATA_KEY = 'workbench.panel.aichat.view.aichat.chatdata';
const COMPOSER_KEY = 'composer.composerData';
const PANE_PREFIX = 'workbench.panel.composerChatViewPane';

export function sameIdentity(prev: SourceFileState | undefined, now: DbIdentity): boolean {
  return !!prev && prev.dev === now.dev && prev.ino === now.ino && prev.size === now.size && prev.mtimeMs === now.mtimeMs;
}

function sha(data: string | Buffer): string {
  return crypto.createHash('sha1').update(data).digest('hex').slice(0, 16);
}

/** Parses a value; the reason when it cannot be used. */
export function parseValue(raw: unknown, len: number): { ok: true; value: Json } | { ok: false; reason: string } {
  if (len > MAX_VALUE_BYTES) return { ok: false, reason: 'oversized-value' };
  const text = valueText(raw);
  if (text === null) return { ok: false, reason: 'null-value' };
  const v = tryJson(text);
  if (v === undefined) return { ok: false, reason: 'invalid-json' };
  if (!isObject(v)) return { ok: false, reason: 'not-an-object' };
  return { ok: true, value: v };
}

/** The folder a workspace dir opens (workspace.json; a multi-root workspace file is read for its first folder). */
function workspaceFolder(dir: string): string | null {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, 'workspace.json'), 'utf8');
  } catch {
    return null;
  }
  const target = parseWorkspaceJson(text);
  if (target.kind === 'folder') return target.folder;
  if (target.kind === 'workspace-file') {
    let ws: string | null = null;
    try {
      ws = fs.readFileSync(target.file, 'utf8');
    } catch {
      // The workspace file lives elsewhere (another machine, deleted): its directory still names the project.
    }
    return folderOfWorkspaceFile(target.file, ws);
  }
  return null;
}

class VscdbReader {
  private readonly itemStmt: Database.Statement;
  private readonly kvStmt: Database.Statement | null;
  private readonly bubbleStmt: Database.Statement | null;

  constructor(readonly db: Database.Database) {
    const hasItems = hasTable(db, 'ItemTable');
    this.itemStmt = db.prepare(hasItems ? 'SELECT value, octet_length(value) AS len FROM ItemTable WHERE key = ?' : 'SELECT NULL AS value, 0 AS len WHERE 0 AND ? IS NULL');
    const hasKv = hasTable(db, 'cursorDiskKV');
    this.kvStmt = hasKv ? db.prepare('SELECT value, octet_length(value) AS len FROM cursorDiskKV WHERE key = ?') : null;
    this.bubbleStmt = hasKv
      ? db.prepare(`SELECT key, CASE WHEN octet_length(value) <= ${MAX_VALUE_BYTES} THEN value END AS value, octet_length(value) AS len
                    FROM cursorDiskKV WHERE key >= ? AND key < ?`)
      : null;
  }

  get hasKv(): boolean {
    return this.kvStmt !== null;
  }

  item(key: string): { raw: unknown; len: number } | undefined {
    const row = this.itemStmt.get(key) as { value: unknown; len: number } | undefined;
    return row && { raw: row.value, len: row.len ?? 0 };
  }

  paneValues(): unknown[] {
    if (!hasTable(this.db, 'ItemTable')) return [];
    const rows = this.db.prepare('SELECT value FROM ItemTable WHERE key >= ? AND key < ?').all(PANE_PREFIX, `${PANE_PREFIX}\uffff`) as { value: unknown }[];
    return rows.map((r) => tryJson(valueText(r.value) ?? '')).filter((v) => v !== undefined);
  }

  /**
   * Per composer: number and total size of its bubble rows. `octet_length` reads sizes from record headers, not
   * values; rows arrive in key order, so grouping in JS is one linear pass (a SQL GROUP BY on the id expression
   * sorts and is 8× slower).
   */
  bubbleAggregates(): Map<string, string> {
    const counts = new Map<string, [number, number]>();
    if (!this.hasKv) return new Map();
    const stmt = this.db.prepare("SELECT key, octet_length(value) FROM cursorDiskKV WHERE key >= 'bubbleId:' AND key < 'bubbleId;'").raw();
    for (const [key, len] of stmt.iterate() as Iterable<[string, number | null]>) {
      const end = key.indexOf(':', 9);
      const cid = end === -1 ? key.slice(9) : key.slice(9, end);
      const e = counts.get(cid);
      if (e) {
        e[0]++;
        e[1] += len ?? 0;
      } else counts.set(cid, [1, len ?? 0]);
    }
    return new Map([...counts].map(([cid, [n, bytes]]) => [cid, `${n}:${bytes}`]));
  }

  /** Composer ids with a fingerprint of their value (values streamed, hashed, dropped). */
  composerFingerprints(aggregates: Map<string, string>): Map<string, string> {
    const out = new Map<string, string>();
    if (!this.hasKv) return out;
    const stmt = this.db.prepare(`SELECT key, octet_length(value) AS len, CASE WHEN octet_length(value) <= ${MAX_VALUE_BYTES} THEN value END AS value
                                  FROM cursorDiskKV WHERE key >= 'composerData:' AND key < 'composerData;'`);
    for (const row of stmt.iterate() as Iterable<{ key: string; len: number | null; value: unknown }>) {
      const id = row.key.slice('composerData:'.length);
      const raw = row.value;
      const hash = raw === null ? `len${row.len ?? 'null'}` : sha(Buffer.isBuffer(raw) ? raw : String(raw));
      out.set(id, `${hash}:${aggregates.get(id) ?? '0:0'}`);
    }
    return out;
  }

  /** One composer and its bubbles, read in one short read transaction so they agree with each other. */
  composer(id: string): { data: ReturnType<typeof parseValue>; rows: Map<string, BubbleRow> } {
    const read = () => {
      const row = this.kvStmt!.get(`composerData:${id}`) as { value: unknown; len: number | null } | undefined;
      const data = row ? parseValue(row.value, row.len ?? 0) : ({ ok: false, reason: 'missing-composer' } as const);
      const rows = new Map<string, BubbleRow>();
      const prefix = `bubbleId:${id}:`;
      for (const r of this.bubbleStmt!.all(prefix, `bubbleId:${id};`) as { key: string; value: unknown; len: number | null }[]) {
        const parsed = parseValue(r.value, r.len ?? 0);
        rows.set(r.key.slice(prefix.length), parsed.ok ? { ok: true, value: parsed.value } : { ok: false, reason: parsed.reason });
      }
      return { data, rows };
    };
    return this.db.transaction(read).deferred();
  }
}

interface Ctx {
  readonly writer: IndexWriter;
  readonly candidate: VscdbCandidate;
  readonly stats: IngestStats;
  readonly pass: CursorPassContext;
  readonly state: VscdbState;
  readonly batch: SessionBatch;
}

function readItems(ctx: Ctx, reader: VscdbReader): void {
  const { state, batch, candidate } = ctx;
  const folder = state.folder;
  // Workspace references (split era) and inline composers (2024).
  const composerItem = reader.item(COMPOSER_KEY);
  const panes = reader.paneValues();
  const composerFp = `${composerItem ? sha(Buffer.isBuffer(composerItem.raw) ? composerItem.raw : String(composerItem.raw)) : 'none'}:${sha(JSON.stringify(panes))}`;
  if (state.items[COMPOSER_KEY] !== composerFp) {
    const parsed = composerItem ? parseValue(composerItem.raw, composerItem.len) : undefined;
    if (parsed && !parsed.ok) countSkip(ctx.stats, parsed.reason);
    const value = parsed?.ok ? parsed.value : undefined;
    state.refs = candidate.role === 'workspace' ? composerRefs(value, panes) : [];
    const global = ctx.pass.globalComposers(ctx.writer);
    for (const c of value && Array.isArray(value.allComposers) ? value.allComposers : []) {
      if (!isObject(c) || typeof c.composerId !== 'string' || !Array.isArray(c.conversation) || c.conversation.length === 0) continue;
      // Cursor moved inline composers to the global DB; a copy left here is older than the global one.
      if (candidate.role === 'workspace' && global.has(c.composerId)) continue;
      const conversation = composerConversation(c, new Map(), folder);
      batch.add({ sessionId: c.composerId, key: `i:${c.composerId}`, fingerprint: composerFp, conversation, project: conversation.project ?? folder, parentId: null });
    }
    state.items[COMPOSER_KEY] = composerFp;
  }
  const chat = reader.item(CHATDATA_KEY);
  const chatFp = chat ? sha(Buffer.isBuffer(chat.raw) ? chat.raw : String(chat.raw)) : 'none';
  if (state.items[CHATDATA_KEY] !== chatFp) {
    const parsed = chat ? parseValue(chat.raw, chat.len) : undefined;
    if (parsed && !parsed.ok) countSkip(ctx.stats, parsed.reason);
    const tabs = parsed?.ok && Array.isArray(parsed.value.tabs) ? parsed.value.tabs : [];
    for (const tab of tabs) {
      if (!isObject(tab) || typeof tab.tabId !== 'string') {
        countSkip(ctx.stats, 'chat-tab-without-id');
        continue;
      }
      const conversation = chatTabConversation(tab, folder);
      batch.add({ sessionId: tab.tabId, key: `t:${tab.tabId}`, fingerprint: chatFp, conversation, project: folder, parentId: null });
    }
    state.items[CHATDATA_KEY] = chatFp;
  }
}

function readComposers(ctx: Ctx, reader: VscdbReader): void {
  if (!reader.hasKv) return;
  const { state, batch, writer, pass } = ctx;
  const fingerprints = reader.composerFingerprints(reader.bubbleAggregates());
  for (const key of Object.keys(state.s)) {
    // Deleted in Cursor: the index keeps the session (it is the archive); only the bookkeeping goes.
    if (key.startsWith('c:') && !fingerprints.has(key.slice(2))) delete state.s[key];
  }
  for (const [id, fp] of fingerprints) {
    if (state.s[`c:${id}`]?.f === fp) continue;
    let read: ReturnType<VscdbReader['composer']>;
    try {
      read = reader.composer(id);
    } catch (err) {
      // A damaged page under one composer: skip that composer (until it changes), keep reading the others.
      if (!isSqliteError(err) || classifyError(err) !== 'corrupt') throw err;
      read = { data: { ok: false, reason: 'unreadable-row' }, rows: new Map() };
    }
    const { data, rows } = read;
    if (!data.ok) {
      countSkip(ctx.stats, data.reason);
      const prev = state.s[`c:${id}`];
      state.s[`c:${id}`] = { ...(prev ?? { n: 0, h: '', h1: '' }), f: fp };
      continue;
    }
    const wi = isObject(data.value.workspaceIdentifier) ? data.value.workspaceIdentifier : {};
    const mapped = pass.composerFolder(writer, id, str(wi.id) ?? null);
    const conversation = composerConversation(data.value, rows, mapped);
    for (const child of conversation.childIds) state.parents[child] = id;
    batch.add({ sessionId: id, key: `c:${id}`, fingerprint: fp, conversation, project: conversation.project ?? mapped, parentId: state.parents[id] ?? null });
  }
}

function fail(c: VscdbCandidate, stats: IngestStats, err: unknown): ForeignDbError {
  const e = err instanceof ForeignDbError ? err : new ForeignDbError(classifyError(err), describeError(classifyError(err), err));
  stats.fileErrors.push({ path: c.path, message: `Cursor database ${e.message}` });
  return e;
}

export function ingestVscdb(writer: IndexWriter, c: VscdbCandidate, stats: IngestStats, pass: CursorPassContext): void {
  const identity = dbIdentity(c.path);
  if (!identity) {
    stats.fileErrors.push({ path: c.path, message: 'Cursor database vanished before it could be read' });
    return;
  }
  const prev = writer.getSourceFile(c.path);
  if (sameIdentity(prev, identity)) {
    stats.filesUnchanged++;
    if (prev?.gone) writer.saveSourceFile({ ...prev, gone: false });
    return;
  }
  let opened;
  try {
    opened = openForeignDb(c.path, { tmpDir: snapshotDirFor(writer.db.name) });
  } catch (err) {
    const e = fail(c, stats, err);
    // Busy or unavailable: leave the stored identity alone so the next pass tries again. Damaged: remember this
    // version so it is not re-opened (and re-reported) until it changes.
    if (!isTransient(e.kind)) writer.saveSourceFile({ ...(prev ?? writer.ensureSourceFile(c.path, 'cursor')), ...identity, gone: false });
    return;
  }
  const file = writer.ensureSourceFile(c.path, 'cursor');
  const state = prev?.state ? parseVscdbState(prev.state) : emptyVscdbState();
  if (c.role === 'workspace' && c.workspaceDir) state.folder = workspaceFolder(c.workspaceDir);
  stats.filesRead++;
  stats.bytesRead += c.size;
  const batch = new SessionBatch(writer, file, stats, state.s, () => JSON.stringify(state));
  const ctx: Ctx = { writer, candidate: c, stats, pass, state, batch };
  try {
    const reader = new VscdbReader(opened.db);
    readItems(ctx, reader);
    readComposers(ctx, reader);
  } catch (err) {
    batch.flush();
    if (!(err instanceof ForeignDbError) && !isSqliteError(err)) throw err;
    const e = fail(c, stats, err);
    // Busy: what was committed stays and the identity is not advanced, so the rest is retried on the next pass.
    // Damaged: remember this version, so it is not re-read until Cursor rewrites it.
    if (!isTransient(e.kind)) writer.saveSourceFile({ ...writer.getSourceFile(c.path)!, ...identity, state: JSON.stringify(state), gone: false });
    return;
  } finally {
    opened.close();
  }
  const pushFolder = () => {
    if (c.role !== 'workspace' || !state.folder) return;
    for (const id of state.refs) writer.fillSessionFacts(id, { project: state.folder });
  };
  batch.flush(pushFolder);
  // The identity observed before reading: if Cursor wrote meanwhile, the next pass sees a change and looks again.
  writer.saveSourceFile({ ...writer.getSourceFile(c.path)!, ...identity, state: JSON.stringify(state), gone: false });
}
