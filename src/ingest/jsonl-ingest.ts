/**
 * Incremental reading of one line-oriented session log into the index, shared by every JSONL adapter.
 * The adapter supplies a per-file reader (a pure line parser plus what it must remember); this shell owns the I/O:
 * it opens the file read-only, plans what is new (source-file.ts), reads only complete lines, and commits messages
 * and checkpoints together with the offset they reach, in batches. A partial last line is left for a later pass.
 */
import fs from 'node:fs';
import { contentChars, type Agent, type ParsedCheckpoint, type ParsedMessage } from '../model.js';
import type { IndexWriter, SessionUpsert, SourceFileState } from '../store/writer.js';
import type { SourceCandidate } from './adapter.js';
import { readLines } from './lines.js';
import { headHash, HEAD_BYTES, planRead, type FileIdentity } from './source-file.js';
import { countSkip, type IngestStats } from './stats.js';

export interface LineOutcome {
  readonly messages?: readonly ParsedMessage[];
  readonly checkpoints?: readonly ParsedCheckpoint[];
  /** Why the line was not turned into anything it should have been (counted), or null. */
  readonly skip?: string | null;
  /**
   * The line rewrites history this file already committed (Gemini `$rewindTo`, a message re-sent under a committed
   * id): the shell forgets what the file gave the index and reads it again from the start.
   */
  readonly rewrite?: boolean;
}

/** An adapter's view of one file during one pass. */
export interface FileReader {
  /** Reads one complete line (without its newline) that starts at byte `offset`. */
  line(text: string, offset: number): LineOutcome;
  /**
   * What the reader held back (to merge later lines into it), called before every commit. It may hold only where its
   * lines are and read them back with `readAt` (byte offset and length); the shell commits the outcomes in batches,
   * so a long file never sits in memory as rows.
   */
  drain?(readAt: (offset: number, length: number) => string): Iterable<LineOutcome>;
  /** The session this file's rows belong to, as known so far. */
  session(): SessionUpsert;
  /** The session title a prompt gives, or null when it is not a real user prompt. */
  title(m: ParsedMessage): string | null;
  /** Runs inside each commit's transaction, after the rows landed (e.g. summaries that name a message). */
  afterCommit?(writer: IndexWriter, sessionId: string): void;
  /** What the reader must remember for the next pass: plain JSON. */
  state(): Record<string, unknown>;
}

export interface JsonlHooks<C extends SourceCandidate> {
  readonly agent: Agent;
  /**
   * Commit only at the end of a pass: the reader holds rows that later lines may replace, so a commit mid-pass
   * could make a later line a rewrite of committed history (and reading again from the start would meet it again).
   */
  readonly commitAtEnd?: boolean;
  /** Starts a pass over `c`. `saved` is what the last pass's `state()` returned, or null when reading from the start. */
  open(c: C, saved: Readonly<Record<string, unknown>> | null, writer: IndexWriter): FileReader;
}

/** What the shell itself keeps beside the reader's state. */
interface ShellState {
  hasTitle: boolean;
  /** Checkpoints read before the session had any message (Claude writes the snapshot before the prompt). */
  pendingCheckpoints: ParsedCheckpoint[];
}

const BATCH_MESSAGES = 2000;
const BATCH_BYTES = 16 * 1024 * 1024;
/** A file that never gets a message does not carry an unbounded list of checkpoints from pass to pass. */
const MAX_PENDING_CHECKPOINTS = 64;

function parseSaved(prev: SourceFileState | undefined): Record<string, unknown> | null {
  if (!prev?.state) return null;
  try {
    const v: unknown = JSON.parse(prev.state);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null; // a state we cannot read is rebuilt from the file's identity
  }
}

function shellStateOf(saved: Readonly<Record<string, unknown>> | null): ShellState {
  const pending = Array.isArray(saved?.pendingCheckpoints) ? (saved.pendingCheckpoints as ParsedCheckpoint[]) : [];
  return { hasTitle: saved?.hasTitle === true, pendingCheckpoints: pending };
}

export function ingestJsonlFile<C extends SourceCandidate>(hooks: JsonlHooks<C>, writer: IndexWriter, c: C, stats: IngestStats): void {
  let fd: number;
  try {
    fd = fs.openSync(c.path, fs.constants.O_RDONLY);
  } catch (err) {
    stats.fileErrors.push({ path: c.path, message: (err as Error).message });
    return;
  }
  try {
    const st = fs.fstatSync(fd);
    const identity: FileIdentity = { dev: st.dev, ino: st.ino, size: st.size, mtimeMs: Math.floor(st.mtimeMs) };
    let prev = writer.getSourceFile(c.path);
    const plan = planRead(prev, identity, (length) => headHash(fd, length));
    if (plan.kind === 'unchanged') {
      stats.filesUnchanged++;
      if (prev?.gone) writer.saveSourceFile({ ...prev, gone: false });
      return;
    }
    const file = writer.ensureSourceFile(c.path, hooks.agent);
    if (plan.kind === 'reset') {
      writer.transaction(() => writer.resetSourceFile(file.id));
      stats.filesReset++;
      prev = undefined;
    }
    stats.filesRead++;
    const from = plan.kind === 'append' ? plan.from : 0;
    const outcome = readPass(hooks, writer, fd, file, from, identity, parseSaved(prev), c, stats);
    if (outcome === 'rewrite') {
      writer.transaction(() => writer.resetSourceFile(file.id));
      stats.filesReset++;
      readPass(hooks, writer, fd, file, 0, identity, null, c, stats);
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads from `from` to the size observed at the start; returns 'rewrite' when the file must be read from the start. */
function readPass<C extends SourceCandidate>(
  hooks: JsonlHooks<C>,
  writer: IndexWriter,
  fd: number,
  file: SourceFileState,
  from: number,
  identity: FileIdentity,
  saved: Record<string, unknown> | null,
  c: C,
  stats: IngestStats,
): 'done' | 'rewrite' {
  const reader = hooks.open(c, saved, writer);
  const shell = shellStateOf(saved);
  const toolNames = new Map<string, string>();
  let hasMessages: boolean | undefined;
  let batch: ParsedMessage[] = [];
  let checkpoints: ParsedCheckpoint[] = [];
  let batchBytes = 0;
  let offset = from;
  let rewrite = false;

  const take = (outcome: LineOutcome) => {
    if (outcome.skip) countSkip(stats, outcome.skip);
    for (const m of outcome.messages ?? []) batch.push(m);
    for (const cp of outcome.checkpoints ?? []) checkpoints.push(cp);
  };
  const batchFull = () => batch.length >= BATCH_MESSAGES || batchBytes >= BATCH_BYTES;
  const readAt = (at: number, length: number): string => {
    const buf = Buffer.allocUnsafe(length);
    return buf.toString('utf8', 0, fs.readSync(fd, buf, 0, length, at));
  };

  /** Commits the rows of the batch; with `save`, also the checkpoints, the offset reached and the reader's state. */
  const commitBatch = (save: { endOffset: number; final: boolean } | null) => {
    const messages = batch;
    const found = save ? shell.pendingCheckpoints.concat(checkpoints) : [];
    batch = [];
    if (save) checkpoints = [];
    batchBytes = 0;
    const session = reader.session();
    for (const m of messages) {
      // A result inherits its tool's name from the call, which may sit in an earlier batch or pass.
      if (m.kind === 'tool-call' && m.toolUseId && m.toolName) toolNames.set(m.toolUseId, m.toolName);
      if (m.kind === 'tool-result' && m.toolUseId && !m.toolName) {
        m.toolName = toolNames.get(m.toolUseId) ?? writer.toolNameFor(session.id, m.toolUseId);
      }
    }
    writer.transaction(() => {
      hasMessages ??= writer.nextSeq(session.id) > 1;
      if (messages.length > 0 || hasMessages) {
        if (!hasMessages) stats.sessionsAdded++;
        hasMessages = true;
        writer.upsertSession(session, file.id);
        stats.messagesAdded += writer.appendMessages(session.id, file.id, writer.nextSeq(session.id), messages);
        if (!shell.hasTitle) {
          for (const m of messages) {
            const title = m.kind === 'prompt' ? reader.title(m) : null;
            if (title) {
              writer.setSessionTitleIfMissing(session.id, title);
              shell.hasTitle = true;
              break;
            }
          }
        }
        if (save) {
          for (const cp of found) writer.addCheckpoint(session.id, file.id, cp);
          shell.pendingCheckpoints = [];
        }
        reader.afterCommit?.(writer, session.id);
      } else if (save) {
        const dropped = found.length - MAX_PENDING_CHECKPOINTS;
        if (dropped > 0) countSkip(stats, 'checkpoint-without-session', dropped);
        shell.pendingCheckpoints = dropped > 0 ? found.slice(dropped) : found;
      }
      if (!save) return;
      const { endOffset, final } = save;
      writer.saveSourceFile({
        ...file,
        ...identity,
        // Mid-pass the stored size is the offset reached, so a pass killed here is seen as changed next time. At the
        // end it is the real size even when a partial last line remains: that line is retried once the file grows.
        size: final ? identity.size : endOffset,
        readOffset: endOffset,
        headHash: headHash(fd, Math.min(HEAD_BYTES, endOffset)),
        state: JSON.stringify({
          ...reader.state(),
          hasTitle: shell.hasTitle,
          ...(shell.pendingCheckpoints.length ? { pendingCheckpoints: shell.pendingCheckpoints } : {}),
        }),
        gone: false,
      });
    });
  };

  const commit = (endOffset: number, final: boolean) => {
    // Held-back rows land in batches of their own; only the last commit records the offset, so a pass killed in
    // between is read again from the old offset (and rows already in are dropped as duplicates).
    for (const outcome of reader.drain?.(readAt) ?? []) {
      take(outcome);
      for (const m of outcome.messages ?? []) batchBytes += contentChars(m);
      if (batchFull()) commitBatch(null);
    }
    commitBatch({ endOffset, final });
  };

  for (;;) {
    let stoppedEarly = false;
    const result = readLines(
      fd,
      offset,
      (line, lineOffset) => {
        stats.linesRead++;
        batchBytes += line.length;
        const outcome = reader.line(line, lineOffset);
        if (outcome.rewrite) {
          if (from > 0) {
            rewrite = true;
            return false;
          }
          // Reading from the start, nothing of this file is committed yet that the line could rewrite.
          countSkip(stats, 'rewrite-from-start');
        }
        take(outcome);
        if (!hooks.commitAtEnd && batchFull()) {
          stoppedEarly = true;
          return false;
        }
        return true;
      },
      { endOffset: identity.size },
    );
    if (result.oversized > 0) countSkip(stats, 'oversized-line', result.oversized);
    stats.bytesRead += result.endOffset - offset;
    if (rewrite) return 'rewrite';
    offset = result.endOffset;
    commit(offset, !stoppedEarly);
    if (!stoppedEarly) return 'done';
  }
}
