/**
 * Reading cursor-agent's stores and agent transcripts into the index (I/O shells; parsing is in cli-store.ts).
 * - A `store.db` is one session: re-read when the database or its log changed and its root blob moved, then synced
 *   (session-sync.ts). Its folder is found by hashing folders the index already knows; until one matches, every
 *   pass tries again (cheap: a hash lookup).
 * - An agent transcript is append-only JSONL, read incrementally like any transcript. When the same conversation
 *   also exists in a richer source (a store or the editor's global DB, which carry results and times), the
 *   transcript is only bookkept, not shown twice; if that source disappears, the transcript is read from the start.
 */
import fs from 'node:fs';
import type { IndexWriter } from '../../store/writer.js';
import { classifyError, dbIdentity, describeError, ForeignDbError, isSqliteError, isTransient, openForeignDb, snapshotDirFor } from '../foreign-db.js';
import { readLines } from '../lines.js';
import { headHash, HEAD_BYTES, planRead } from '../source-file.js';
import { countSkip, type IngestStats } from '../stats.js';
import { isObject, titleOf, tryJson } from '../text.js';
import { SessionBatch } from './batch.js';
import { agentRecordMessages, cliConversation, collectMessageBlobs, decodeCliMeta } from './cli-store.js';
import type { CursorPassContext, SessionEntry } from './context.js';
import type { CliStoreCandidate, TranscriptCandidate } from './discover.js';
import { sameIdentity } from './vscdb.js';

interface CliState {
  readonly v: 1;
  root: string | null;
  project: string | null;
  s: Record<string, SessionEntry>;
  /** When each message blob was first seen (blob id → epoch ms): stores record no per-message time. */
  dated: Record<string, number>;
}

function cliState(text: string | null | undefined): CliState {
  const v = text ? tryJson(text) : undefined;
  if (isObject(v) && v.v === 1 && isObject(v.s)) {
    return {
      v: 1,
      root: typeof v.root === 'string' ? v.root : null,
      project: typeof v.project === 'string' ? v.project : null,
      s: v.s as Record<string, SessionEntry>,
      dated: isObject(v.dated) ? (v.dated as Record<string, number>) : {},
    };
  }
  return { v: 1, root: null, project: null, s: {}, dated: {} };
}

export function ingestCliStore(writer: IndexWriter, c: CliStoreCandidate, stats: IngestStats, pass: CursorPassContext): void {
  const identity = dbIdentity(c.path);
  if (!identity) {
    stats.fileErrors.push({ path: c.path, message: 'cursor-agent store vanished before it could be read' });
    return;
  }
  const prev = writer.getSourceFile(c.path);
  const state = cliState(prev?.state);
  // A folder learned since the last read (another assistant's session named it): read the store again, so its
  // relative paths resolve against the folder. Otherwise an unchanged store is not opened.
  const lateProject = !state.project && prev ? pass.folderForCwdHash(writer, c.cwdHash) : null;
  if (prev && sameIdentity(prev, identity) && !lateProject) {
    stats.filesUnchanged++;
    if (prev.gone) writer.saveSourceFile({ ...prev, gone: false });
    return;
  }
  if (lateProject) state.root = null;
  let opened;
  try {
    opened = openForeignDb(c.path, { tmpDir: snapshotDirFor(writer.db.name) });
  } catch (err) {
    const e = err instanceof ForeignDbError ? err : new ForeignDbError(classifyError(err), describeError(classifyError(err), err));
    stats.fileErrors.push({ path: c.path, message: `cursor-agent store ${e.message}` });
    if (!isTransient(e.kind)) writer.saveSourceFile({ ...writer.ensureSourceFile(c.path, 'cursor'), ...identity, gone: false });
    return;
  }
  const file = writer.ensureSourceFile(c.path, 'cursor');
  stats.filesRead++;
  stats.bytesRead += c.size;
  let blobs: Map<string, Buffer>;
  let meta: ReturnType<typeof decodeCliMeta>;
  try {
    const row = opened.db.prepare("SELECT value FROM meta WHERE key = '0'").get() as { value: unknown } | undefined;
    meta = row ? decodeCliMeta(row.value) : null;
    blobs = new Map();
    if (meta?.latestRootBlobId && meta.latestRootBlobId !== state.root) {
      for (const r of opened.db.prepare('SELECT id, data FROM blobs').iterate() as Iterable<{ id: string; data: unknown }>) {
        const data = Buffer.isBuffer(r.data) ? r.data : typeof r.data === 'string' ? Buffer.from(r.data) : null;
        if (data && typeof r.id === 'string') blobs.set(r.id.toLowerCase(), data);
      }
    }
  } catch (err) {
    if (!isSqliteError(err)) throw err;
    const kind = classifyError(err);
    stats.fileErrors.push({ path: c.path, message: `cursor-agent store ${describeError(kind, err)}` });
    if (!isTransient(kind)) writer.saveSourceFile({ ...file, ...identity, gone: false });
    return;
  } finally {
    opened.close();
  }
  if (!meta) {
    countSkip(stats, 'cursor-agent-meta-unreadable');
    writer.saveSourceFile({ ...file, ...identity, state: JSON.stringify(state), gone: false });
    return;
  }
  if (!state.project) {
    state.project = pass.folderForCwdHash(writer, c.cwdHash);
    const project = state.project;
    if (project) writer.transaction(() => writer.fillSessionFacts(meta.agentId ?? c.agentId, { project }));
  }
  if (meta.latestRootBlobId && meta.latestRootBlobId !== state.root) {
    const walk = collectMessageBlobs(meta.latestRootBlobId, (id) => blobs.get(id));
    if (walk.missing) countSkip(stats, 'missing-blob', walk.missing);
    if (walk.invalid) countSkip(stats, 'invalid-json', walk.invalid);
    const conversation = cliConversation(walk.blobs, meta, state.project, identity.mtimeMs, new Map(Object.entries(state.dated)));
    state.dated = Object.fromEntries(conversation.dated);
    const sessionId = meta.agentId ?? c.agentId;
    const batch = new SessionBatch(writer, file, stats, state.s, () => JSON.stringify(state));
    batch.add({ sessionId, key: 'session', fingerprint: meta.latestRootBlobId, conversation, project: state.project, parentId: null });
    state.root = meta.latestRootBlobId;
    batch.flush();
  }
  writer.saveSourceFile({ ...writer.getSourceFile(c.path)!, ...identity, state: JSON.stringify(state), gone: false });
}

interface TranscriptState {
  readonly v: 1;
  /** The conversation is shown from a richer source; this file is only bookkept. */
  superseded: boolean;
  project: string | null;
}

function transcriptState(text: string | null | undefined): TranscriptState {
  const v = text ? tryJson(text) : undefined;
  if (isObject(v) && v.v === 1) return { v: 1, superseded: v.superseded === true, project: typeof v.project === 'string' ? v.project : null };
  return { v: 1, superseded: false, project: null };
}

const BATCH_MESSAGES = 2000;

export function ingestTranscript(writer: IndexWriter, c: TranscriptCandidate, stats: IngestStats, pass: CursorPassContext): void {
  let fd: number;
  try {
    fd = fs.openSync(c.path, fs.constants.O_RDONLY);
  } catch (err) {
    stats.fileErrors.push({ path: c.path, message: (err as Error).message });
    return;
  }
  try {
    const st = fs.fstatSync(fd);
    const identity = { dev: st.dev, ino: st.ino, size: st.size, mtimeMs: Math.floor(st.mtimeMs) };
    let prev = writer.getSourceFile(c.path);
    const state = transcriptState(prev?.state);
    const superseded = pass.cliAgentIds.has(c.sessionId) || pass.globalComposers(writer).has(c.sessionId);
    const plan = planRead(prev, identity, (length) => headHash(fd, length));
    const file = writer.ensureSourceFile(c.path, 'cursor');
    // Sticky: once the richer copy is in the index it stays there (the index is the archive), even if its source goes.
    if (plan.kind === 'unchanged' && (state.superseded || !superseded)) {
      stats.filesUnchanged++;
      if (prev?.gone) writer.saveSourceFile({ ...prev, gone: false });
      return;
    }
    if (plan.kind === 'reset') {
      writer.transaction(() => writer.resetSourceFile(file.id));
      stats.filesReset++;
      prev = undefined;
    }
    state.superseded ||= superseded;
    const from = plan.kind === 'append' ? plan.from : prev ? prev.readOffset : 0;
    state.project ??= pass.folderForSlug(writer, c.projectSlug);
    stats.filesRead++;
    readTranscript(writer, fd, file.id, from, identity, state, c, stats);
  } finally {
    fs.closeSync(fd);
  }
}

function readTranscript(
  writer: IndexWriter,
  fd: number,
  fileId: number,
  from: number,
  identity: { dev: number; ino: number; size: number; mtimeMs: number },
  state: TranscriptState,
  c: TranscriptCandidate,
  stats: IngestStats,
): void {
  let offset = from;
  for (;;) {
    const batch: ReturnType<typeof agentRecordMessages>['messages'] = [];
    let stoppedEarly = false;
    const result = readLines(
      fd,
      offset,
      (line, lineOffset) => {
        stats.linesRead++;
        if (!line.trim()) return true;
        const v = tryJson(line);
        if (!isObject(v)) {
          countSkip(stats, v === undefined ? 'invalid-json' : 'not-an-object');
          return true;
        }
        if (state.superseded) return true;
        const r = agentRecordMessages(`L${lineOffset}`, v, state.project, { byteOffset: lineOffset });
        if (r.skip) countSkip(stats, r.skip);
        batch.push(...r.messages);
        if (batch.length >= BATCH_MESSAGES) {
          stoppedEarly = true;
          return false;
        }
        return true;
      },
      { endOffset: identity.size },
    );
    if (result.oversized) countSkip(stats, 'oversized-line', result.oversized);
    stats.bytesRead += result.endOffset - offset;
    offset = result.endOffset;
    const final = !stoppedEarly;
    // No per-line times in these files: the last line read is dated by the file's mtime (it was written by then).
    if (final && batch.length) batch[batch.length - 1] = { ...batch[batch.length - 1], timestamp: identity.mtimeMs };
    writer.transaction(() => {
      if (batch.length) {
        const existed = writer.nextSeq(c.sessionId) > 1;
        writer.upsertSession({ id: c.sessionId, agent: 'cursor', parentId: c.parentSessionId, project: state.project }, fileId);
        if (!existed) stats.sessionsAdded++;
        stats.messagesAdded += writer.appendMessages(c.sessionId, fileId, writer.nextSeq(c.sessionId), batch);
        const prompt = batch.find((m) => m.kind === 'prompt');
        const title = prompt && titleOf(prompt.text);
        if (title) writer.setSessionTitleIfMissing(c.sessionId, title);
      }
      writer.saveSourceFile({
        ...writer.getSourceFile(c.path)!,
        ...identity,
        size: final ? identity.size : offset,
        readOffset: offset,
        headHash: headHash(fd, Math.min(HEAD_BYTES, offset)),
        state: JSON.stringify(state),
        gone: false,
      });
    });
    if (final) break;
  }
}
