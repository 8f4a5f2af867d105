/**
 * Incremental reading of one Claude Code transcript into the index.
 * I/O shell around the pure parser: opens the file read-only, reads only complete new lines, and commits messages
 * together with the offset they reach, in batches.
 */
import fs from 'node:fs';
import type { ParsedMessage } from '../../model.js';
import type { IndexWriter, SourceFileState } from '../../store/writer.js';
import { readLines } from '../lines.js';
import { headHash, HEAD_BYTES, planRead } from '../source-file.js';
import { countSkip, type IngestStats } from '../stats.js';
import type { ClaudeCandidate } from './discover.js';
import { parseClaudeLine, promptTitle, type ClaudeLineMeta } from './parse.js';

/** What must survive between passes over one file (stored as JSON on its source_file row). */
interface FileState {
  sessionId: string;
  parentId: string | null;
  hasTitle: boolean;
  /** Rank of the summary we stored: custom-title 3 > ai-title 2 > summary 1. */
  summaryRank: number;
}

const BATCH_MESSAGES = 2000;
const BATCH_BYTES = 16 * 1024 * 1024;

function loadState(prev: SourceFileState | undefined, c: ClaudeCandidate): FileState {
  if (prev?.state) {
    try {
      return JSON.parse(prev.state) as FileState;
    } catch {
      // fall through: a state we cannot read is rebuilt from the file's identity
    }
  }
  return { sessionId: c.sessionId, parentId: c.parentSessionId, hasTitle: false, summaryRank: 0 };
}

export function ingestClaudeFile(writer: IndexWriter, c: ClaudeCandidate, stats: IngestStats): void {
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
    const plan = planRead(prev, identity, (length) => headHash(fd, length));
    if (plan.kind === 'unchanged') {
      stats.filesUnchanged++;
      if (prev?.gone) writer.saveSourceFile({ ...prev, gone: false });
      return;
    }
    const file = writer.ensureSourceFile(c.path, 'claude');
    if (plan.kind === 'reset') {
      writer.transaction(() => writer.resetSourceFile(file.id));
      stats.filesReset++;
      prev = undefined;
    }
    stats.filesRead++;
    readAppended(writer, fd, file, plan.kind === 'append' ? plan.from : 0, identity, loadState(prev, c), c, stats);
  } finally {
    fs.closeSync(fd);
  }
}

function readAppended(
  writer: IndexWriter,
  fd: number,
  file: SourceFileState,
  from: number,
  identity: { dev: number; ino: number; size: number; mtimeMs: number },
  state: FileState,
  c: ClaudeCandidate,
  stats: IngestStats,
): void {
  const toolNames = new Map<string, string>();
  const pendingSummaries: { leafUuid: string; summary: string }[] = [];
  let sessionExists = writer.nextSeq(state.sessionId) > 1;
  let meta: ClaudeLineMeta = {};
  let batch: ParsedMessage[] = [];
  let batchBytes = 0;
  let offset = from;

  const flush = (endOffset: number, final: boolean) => {
    const messages = batch;
    batch = [];
    batchBytes = 0;
    writer.transaction(() => {
      if (messages.length > 0 || sessionExists) {
        if (!sessionExists) stats.sessionsAdded++;
        sessionExists = true;
        writer.upsertSession(
          {
            id: state.sessionId,
            agent: 'claude',
            parentId: state.parentId,
            project: meta.cwd ?? null,
            gitBranch: meta.gitBranch || null,
          },
          file.id,
        );
        stats.messagesAdded += writer.appendMessages(state.sessionId, file.id, writer.nextSeq(state.sessionId), messages);
        if (!state.hasTitle) {
          for (const m of messages) {
            if (m.kind !== 'prompt' || m.isSidechain && !c.isSubagent) continue;
            const title = promptTitle(m.text);
            if (title) {
              writer.setSessionTitleIfMissing(state.sessionId, title);
              state.hasTitle = true;
              break;
            }
          }
        }
        applySummaries(writer, state, meta, pendingSummaries);
      }
      writer.saveSourceFile({
        ...file,
        ...identity,
        // Mid-pass the stored size is the offset reached, so a pass killed here is seen as changed next time. At the
        // end it is the real size even when a partial last line remains: that line is retried once the file grows.
        size: final ? identity.size : endOffset,
        readOffset: endOffset,
        headHash: headHash(fd, Math.min(HEAD_BYTES, endOffset)),
        state: JSON.stringify(state),
        gone: false,
      });
    });
  };

  for (;;) {
    let stoppedEarly = false;
    const result = readLines(
      fd,
      offset,
      (line, lineOffset) => {
        stats.linesRead++;
        batchBytes += line.length;
        const outcome = parseClaudeLine(line, lineOffset);
        if (outcome.skip) countSkip(stats, outcome.skip);
        mergeMeta(meta, outcome.meta, pendingSummaries, state, c);
        for (const m of outcome.messages) {
          if (m.kind === 'tool-call' && m.toolUseId && m.toolName) toolNames.set(m.toolUseId, m.toolName);
          if (m.kind === 'tool-result' && m.toolUseId && !m.toolName) {
            m.toolName = toolNames.get(m.toolUseId) ?? writer.toolNameFor(state.sessionId, m.toolUseId);
          }
          batch.push(m);
        }
        if (batch.length >= BATCH_MESSAGES || batchBytes >= BATCH_BYTES) {
          stoppedEarly = true;
          return false;
        }
        return true;
      },
      { endOffset: identity.size },
    );
    if (result.oversized > 0) countSkip(stats, 'oversized-line', result.oversized);
    stats.bytesRead += result.endOffset - offset;
    offset = result.endOffset;
    flush(offset, !stoppedEarly);
    if (!stoppedEarly) break;
  }
}

function mergeMeta(
  meta: ClaudeLineMeta,
  line: ClaudeLineMeta,
  pendingSummaries: { leafUuid: string; summary: string }[],
  state: FileState,
  c: ClaudeCandidate,
): void {
  if (line.cwd && !meta.cwd) meta.cwd = line.cwd;
  if (line.gitBranch) meta.gitBranch = line.gitBranch;
  // 2.0.x flat sub-agent files name their parent session inside the entries.
  if (c.isSubagent && !state.parentId && line.sessionId && line.sessionId !== state.sessionId) state.parentId = line.sessionId;
  if (line.summary && line.summaryLeafUuid) pendingSummaries.push({ leafUuid: line.summaryLeafUuid, summary: line.summary });
  if (line.aiTitle) meta.aiTitle = line.aiTitle;
  if (line.customTitle) meta.customTitle = line.customTitle;
}

/** Last one wins within a rank; a user's /rename outranks a generated title, which outranks a branch summary. */
function applySummaries(
  writer: IndexWriter,
  state: FileState,
  meta: ClaudeLineMeta,
  pending: { leafUuid: string; summary: string }[],
): void {
  const candidates: [number, string | undefined][] = [
    [3, meta.customTitle],
    [2, meta.aiTitle],
  ];
  // Old builds copied other sessions' summaries into new files: keep only those whose leaf is in this session.
  for (let i = pending.length - 1; i >= 0; i--) {
    if (writer.hasMessage(state.sessionId, pending[i].leafUuid)) {
      candidates.push([1, pending[i].summary]);
      break;
    }
  }
  for (const [rank, text] of candidates) {
    if (text && rank >= state.summaryRank) {
      writer.setSessionSummary(state.sessionId, text);
      state.summaryRank = rank;
      return;
    }
  }
}
