/**
 * The Gemini CLI files that are one JSON document rewritten whole: legacy chat sessions (v0.4–v0.38), `logs.json`
 * (typed prompts, the only history before v0.4) and checkpoint files. Each is streamed element by element
 * (json-stream.ts) and replaced in the index in one transaction (whole-file.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { GeminiCheckpointData, ParsedMessage } from '../../model.js';
import type { IndexWriter, SourceFileState } from '../../store/writer.js';
import { streamJson, type StreamOutcome } from '../json-stream.js';
import { countSkip, type IngestStats } from '../stats.js';
import { isObject, makeMessage, parseTimestamp, promptTitle, str, type Json } from '../text.js';
import { AbandonRead, ingestWholeFile } from '../whole-file.js';
import { sessionIdOf } from './chat-jsonl.js';
import { chatSessionKeys, hasChatFile, type GeminiCandidate } from './discover.js';
import { geminiRecordRows } from './parse.js';
import type { GeminiProjects } from './project.js';

const APPEND_CHUNK = 500;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function abandonUnlessComplete(outcome: StreamOutcome): void {
  if (outcome === 'truncated') throw new AbandonRead('incomplete-json', true);
  if (outcome === 'invalid') throw new AbandonRead('invalid-json', true);
}

/** Appends rows to a session, creating it when new, and titles it from its first real prompt. */
function appendToSession(
  writer: IndexWriter,
  source: SourceFileState,
  session: { id: string; parentId: string | null; project: string | null },
  rows: readonly ParsedMessage[],
  stats: IngestStats,
): void {
  if (rows.length === 0) return;
  const existed = writer.nextSeq(session.id) > 1;
  writer.upsertSession({ ...session, agent: 'gemini' }, source.id);
  const added = writer.appendMessages(session.id, source.id, writer.nextSeq(session.id), rows);
  stats.messagesAdded += added;
  if (!existed && added > 0) stats.sessionsAdded++;
  for (const m of rows) {
    const title = m.kind === 'prompt' ? promptTitle(m.text) : null;
    if (title) {
      writer.setSessionTitleIfMissing(session.id, title);
      break;
    }
  }
}

/** A legacy chat file: `{sessionId, projectHash, startTime, lastUpdated, messages: [...], summary?, kind?}`. */
export function ingestLegacyChat(writer: IndexWriter, c: GeminiCandidate, stats: IngestStats, projects: GeminiProjects): void {
  ingestWholeFile('gemini', writer, c.path, stats, (fd, size, source) => {
    const doc: { sessionId: string | null; projectHash: string | null; summary: string | null; directories: string[] } = {
      sessionId: null,
      projectHash: null,
      summary: null,
      directories: [],
    };
    let root: string | null | undefined;
    let session: { id: string; parentId: string | null; project: string | null } | null = null;
    let buffered: ParsedMessage[] = [];
    const flush = () => {
      if (session) appendToSession(writer, source, session, buffered, stats);
      buffered = [];
    };
    const outcome = streamJson(fd, size, {
      member: (key) => (key === 'messages' ? 'elements' : ['sessionId', 'projectHash', 'summary', 'directories'].includes(key) ? 'value' : 'skip'),
      value(key, json) {
        const v = parseJson(json);
        if (key === 'directories' && Array.isArray(v)) doc.directories = v.filter((d): d is string => typeof d === 'string').slice(0, 32);
        else if (typeof v === 'string' && (key === 'sessionId' || key === 'projectHash' || key === 'summary')) doc[key] = v;
      },
      element(_key, json, offset) {
        const record = parseJson(json);
        if (root === undefined) root = projects.rootFor(c.projectDir, c.projectId, doc.projectHash, doc.directories, () => writer.knownProjects());
        const { messages, skip } = geminiRecordRows(record, offset, root);
        if (skip) countSkip(stats, record === undefined ? 'invalid-json' : skip);
        buffered.push(...messages);
        // Rows wait only until the document has named its session (it does so before the messages in practice).
        if (doc.sessionId && !session) session = { id: doc.sessionId, parentId: c.parentSessionId, project: root };
        if (session && buffered.length >= APPEND_CHUNK) flush();
      },
      oversized: () => countSkip(stats, 'oversized-record'),
    });
    abandonUnlessComplete(outcome);
    if (root === undefined) root = projects.rootFor(c.projectDir, c.projectId, doc.projectHash, doc.directories, () => writer.knownProjects());
    session ??= { id: sessionIdOf(c, doc), parentId: c.parentSessionId, project: root };
    flush();
    if (doc.summary && writer.nextSeq(session.id) > 1) writer.setSessionSummary(session.id, doc.summary);
  });
}

/** `logs.json`: prompts of every session of the project; only sessions without a chat file are taken from it. */
export function ingestLogs(writer: IndexWriter, c: GeminiCandidate, stats: IngestStats, projects: GeminiProjects): void {
  ingestWholeFile('gemini', writer, c.path, stats, (fd, size, source) => {
    const withChat = chatSessionKeys(c.projectDir);
    const bySession = new Map<string, ParsedMessage[]>();
    const outcome = streamJson(fd, size, {
      element(_key, json, offset) {
        const entry = parseJson(json);
        if (!isObject(entry)) return countSkip(stats, entry === undefined ? 'invalid-json' : 'not-an-object');
        const sessionId = str(entry.sessionId);
        if (!sessionId) return countSkip(stats, 'missing-session-id');
        if (hasChatFile(withChat, sessionId)) return; // the chat file has these prompts, with everything else
        if (entry.type !== 'user') return countSkip(stats, `unknown-type:${String(entry.type).slice(0, 60)}`);
        const text = str(entry.message) ?? '';
        if (!text) return countSkip(stats, 'empty-message');
        const messageId = typeof entry.messageId === 'number' || typeof entry.messageId === 'string' ? entry.messageId : `o${offset}`;
        let rows = bySession.get(sessionId);
        if (!rows) bySession.set(sessionId, (rows = []));
        rows.push(makeMessage({ sourceId: `log-${messageId}`, timestamp: parseTimestamp(entry.timestamp), role: 'user', kind: 'prompt', text, byteOffset: offset }));
      },
      oversized: () => countSkip(stats, 'oversized-record'),
    });
    abandonUnlessComplete(outcome);
    if (bySession.size === 0) return;
    const project = projects.rootFor(c.projectDir, c.projectId, null, [], () => writer.knownProjects());
    for (const [id, rows] of bySession) appendToSession(writer, source, { id, parentId: null, project }, rows, stats);
  });
}

/** `2026-05-02T09-14-07_512Z-cart.ts-replace.json` → the time in its name (ms), or null. */
export function checkpointTime(fileName: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2})-(\d{2})-(\d{2})(?:_(\d{1,3}))?Z/.exec(fileName);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, ms] = m;
  return Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, ms ? +ms.padEnd(3, '0') : 0);
}

export interface CheckpointLinkInput {
  readonly time: number;
  /** The checkpoint's `messageId` (a prompt id that embeds the session id, or its first 8 characters). */
  readonly messageId: string | null;
  /** `toolCall.args.file_path` as absolute path, when recorded. */
  readonly filePath: string | null;
  readonly sessions: readonly { id: string; startedAt: number | null; updatedAt: number | null }[];
  /** Tool calls of the checkpoint's tool name near its time, in those sessions. */
  readonly calls: readonly { sessionId: string; sourceId: string; timestamp: number; files: readonly string[] }[];
}

/** Slack around a session's time range when no tool call matches. */
const SESSION_SLACK_MS = 60_000;

/**
 * Sessions whose id the prompt id names: gemini-cli prompt ids embed the session id or its first 8 characters
 * (`<sessionId>########3`, `prompt-7c0e1f2a-1`). A session matches when a hex run of the prompt id, cut at a dash,
 * is at least 8 characters long and starts the session id.
 */
export function sessionsNamedBy(messageId: string | null, ids: readonly string[]): string[] {
  if (!messageId) return [];
  const prefixes: string[] = [];
  for (const run of messageId.toLowerCase().match(/[0-9a-f][0-9a-f-]{7,}/g) ?? []) {
    for (let end = run.indexOf('-'); end !== -1; end = run.indexOf('-', end + 1)) if (end >= 8) prefixes.push(run.slice(0, end));
    prefixes.push(run.replace(/-+$/, ''));
  }
  const usable = prefixes.filter((p) => p.length >= 8);
  // The longest match wins: a full session id names one session even where 8 characters would name several.
  const matched = ids.map((id) => ({ id, length: Math.max(0, ...usable.filter((p) => id.toLowerCase().startsWith(p)).map((p) => p.length)) }));
  const best = Math.max(0, ...matched.map((m) => m.length));
  return best === 0 ? [] : matched.filter((m) => m.length === best).map((m) => m.id);
}

/**
 * Pure: the session and tool call a checkpoint belongs to. The checkpoint is taken just before an approved
 * write_file/replace runs, so the best evidence is that call itself: same tool, same file, nearest in time (within
 * the sessions its prompt id names, when it names any). Without such a call, the session whose time range holds the
 * checkpoint time, with no message. Null when nothing fits.
 */
export function chooseCheckpointLink(input: CheckpointLinkInput): { sessionId: string; messageSourceId: string | null } | null {
  const named = sessionsNamedBy(input.messageId, input.sessions.map((s) => s.id));
  const allowed = new Set(named.length ? named : input.sessions.map((s) => s.id));
  let best: { sessionId: string; sourceId: string; distance: number } | null = null;
  for (const call of input.calls) {
    if (!allowed.has(call.sessionId)) continue;
    if (input.filePath && call.files.length && !call.files.includes(input.filePath)) continue;
    const distance = Math.abs(call.timestamp - input.time);
    if (!best || distance < best.distance) best = { sessionId: call.sessionId, sourceId: call.sourceId, distance };
  }
  if (best) return { sessionId: best.sessionId, messageSourceId: best.sourceId };
  let nearest: { id: string; distance: number } | null = null;
  for (const s of input.sessions) {
    if (!allowed.has(s.id) || s.startedAt === null) continue;
    const end = s.updatedAt ?? s.startedAt;
    const distance = input.time < s.startedAt ? s.startedAt - input.time : input.time > end ? input.time - end : 0;
    if (distance <= SESSION_SLACK_MS && (!nearest || distance < nearest.distance)) nearest = { id: s.id, distance };
  }
  return nearest ? { sessionId: nearest.id, messageSourceId: null } : null;
}

/** How far after the checkpoint its tool call can be recorded (the user may take a while to approve). */
const CALL_WINDOW_AFTER_MS = 30 * 60_000;
const CALL_WINDOW_BEFORE_MS = 60_000;

/** A checkpoint file: `{history, clientHistory, toolCall: {name, args}, commitHash, messageId}`. */
export function ingestCheckpoint(writer: IndexWriter, c: GeminiCandidate, stats: IngestStats, projects: GeminiProjects, geminiDir: string): void {
  ingestWholeFile('gemini', writer, c.path, stats, (fd, size, source) => {
    const found: { toolCall?: unknown; commitHash?: unknown; messageId?: unknown } = {};
    const outcome = streamJson(fd, size, {
      // history and clientHistory (the whole conversation) are passed over without being held.
      member: (key) => (key === 'toolCall' || key === 'commitHash' || key === 'messageId' ? 'value' : 'skip'),
      value(key, json) {
        found[key as keyof typeof found] = parseJson(json);
      },
    });
    abandonUnlessComplete(outcome);
    const call: Json | null = isObject(found.toolCall) ? found.toolCall : null;
    const args = call && isObject(call.args) ? call.args : {};
    const toolName = call ? str(call.name) ?? null : null;
    const root = projects.rootFor(c.projectDir, c.projectId, null, [], () => writer.knownProjects());
    const rawPath = str(args.file_path) ?? str(args.absolute_path) ?? null;
    const filePath = rawPath && !path.isAbsolute(rawPath) && root ? path.join(root, rawPath) : rawPath;
    const time = checkpointTime(path.basename(c.path)) ?? c.mtimeMs;
    const sessions = writer.sessionsReadUnder('gemini', path.join(c.projectDir, 'chats') + path.sep);
    const calls = toolName ? writer.toolCallsBetween(sessions.map((s) => s.id), toolName, time - CALL_WINDOW_BEFORE_MS, time + CALL_WINDOW_AFTER_MS) : [];
    const link = chooseCheckpointLink({ time, messageId: str(found.messageId) ?? null, filePath, sessions, calls });
    // Its session may not be indexed yet (chat files are read in mtime order): try again next pass.
    if (!link) throw new AbandonRead('gemini-checkpoint-without-session', false);
    const shadowGit = path.join(geminiDir, 'history', c.projectId, '.git');
    const data: GeminiCheckpointData = {
      file: c.path,
      commitHash: str(found.commitHash) ?? null,
      shadowRepo: fs.existsSync(shadowGit) ? shadowGit : null,
      projectRoot: root,
      toolCall: toolName ? { name: toolName, args } : null,
    };
    writer.addCheckpoint(link.sessionId, source.id, {
      source: 'gemini-checkpoint',
      messageSourceId: link.messageSourceId,
      timestamp: time,
      data: JSON.stringify(data),
      byteOffset: 0,
    });
  });
}
