/**
 * Claude Code's per-file reader for the shared JSONL shell (jsonl-ingest.ts): folds metadata lines into session
 * facts, keeps summaries until the message they name is in the index, and turns `file-history-snapshot` lines into
 * checkpoints (formats/claude-code.md §10).
 */
import path from 'node:path';
import type { ClaudeFileHistoryData, ParsedCheckpoint, ParsedMessage } from '../../model.js';
import type { IndexWriter } from '../../store/writer.js';
import { ingestJsonlFile, type FileReader, type JsonlHooks, type LineOutcome } from '../jsonl-ingest.js';
import type { IngestStats } from '../stats.js';
import { isObject, str } from '../text.js';
import type { ClaudeCandidate } from './discover.js';
import { parseClaudeLine, promptTitle, type ClaudeFileHistoryLine, type ClaudeLineMeta } from './parse.js';

/** What must survive between passes over one file (stored as JSON on its source_file row). */
interface ClaudeFileState {
  sessionId: string;
  parentId: string | null;
  /** Rank of the summary we stored: custom-title 3 > ai-title 2 > summary 1. */
  summaryRank: number;
  /** Last working directory seen: file-history paths are relative to it. */
  cwd: string | null;
  /** Snapshots read before any line named the working directory (the first prompt's snapshot comes before it). */
  waiting: { line: ClaudeFileHistoryLine; offset: number }[];
  /**
   * `summary` lines whose leaf message is not in the index yet, oldest first. Kept across batches and passes: a
   * summary can be written long before its leaf, and a pass killed between the two must not lose it.
   */
  summaries: { leafUuid: string; summary: string }[];
}

/** Summaries waiting for their leaf; old builds copied other sessions' summaries in, which never resolve. */
const MAX_PENDING_SUMMARIES = 32;

/** A transcript that never names its directory does not carry an unbounded list from pass to pass. */
const MAX_WAITING = 64;

function loadState(saved: Readonly<Record<string, unknown>> | null, c: ClaudeCandidate): ClaudeFileState {
  return {
    sessionId: str(saved?.sessionId) ?? c.sessionId,
    parentId: str(saved?.parentId) ?? c.parentSessionId,
    summaryRank: typeof saved?.summaryRank === 'number' ? saved.summaryRank : 0,
    cwd: str(saved?.cwd) ?? null,
    waiting: Array.isArray(saved?.waiting)
      ? (saved.waiting as unknown[]).filter((w): w is ClaudeFileState['waiting'][number] => isObject(w) && isObject(w.line) && isObject(w.line.files) && typeof w.offset === 'number')
      : [],
    summaries: Array.isArray(saved?.summaries)
      ? (saved.summaries as unknown[]).filter((x): x is ClaudeFileState['summaries'][number] => isObject(x) && typeof x.leafUuid === 'string' && typeof x.summary === 'string')
      : [],
  };
}

export function fileHistoryCheckpoint(line: ClaudeFileHistoryLine, cwd: string | null, backupDir: string, byteOffset: number): ParsedCheckpoint {
  const data: ClaudeFileHistoryData = { isSnapshotUpdate: line.isSnapshotUpdate, cwd, backupDir, files: line.files };
  return { source: 'claude-file-history', messageSourceId: line.messageId, timestamp: line.timestamp, data: JSON.stringify(data), byteOffset };
}

function openClaudeFile(root: string, c: ClaudeCandidate, saved: Readonly<Record<string, unknown>> | null): FileReader {
  const state = loadState(saved, c);
  // Backups live under `<claude dir>/file-history/<sessionId>` (§10).
  const backupDir = () => path.join(root, 'file-history', state.sessionId);
  const meta: ClaudeLineMeta = {};

  const releaseWaiting = (): ParsedCheckpoint[] => {
    const out = state.waiting.map((w) => fileHistoryCheckpoint(w.line, state.cwd, backupDir(), w.offset));
    state.waiting = [];
    return out;
  };

  return {
    line(text, offset): LineOutcome {
      const outcome = parseClaudeLine(text, offset);
      const line = outcome.meta;
      if (line.cwd && !meta.cwd) meta.cwd = line.cwd;
      if (line.cwd) state.cwd = line.cwd;
      if (line.gitBranch) meta.gitBranch = line.gitBranch;
      if (line.version) meta.version = line.version;
      // 2.0.x flat sub-agent files name their parent session inside the entries.
      if (c.isSubagent && !state.parentId && line.sessionId && line.sessionId !== state.sessionId) state.parentId = line.sessionId;
      if (line.summary && line.summaryLeafUuid) {
        if (state.summaries.push({ leafUuid: line.summaryLeafUuid, summary: line.summary }) > MAX_PENDING_SUMMARIES) state.summaries.shift();
      }
      if (line.aiTitle) meta.aiTitle = line.aiTitle;
      if (line.customTitle) meta.customTitle = line.customTitle;
      const checkpoints: ParsedCheckpoint[] = state.cwd && state.waiting.length ? releaseWaiting() : [];
      let skip = outcome.skip;
      if (outcome.fileHistory) {
        if (state.cwd) checkpoints.push(fileHistoryCheckpoint(outcome.fileHistory, state.cwd, backupDir(), offset));
        else if (state.waiting.push({ line: outcome.fileHistory, offset }) > MAX_WAITING) {
          state.waiting.shift();
          skip = 'checkpoint-without-session';
        }
      }
      return { messages: outcome.messages, checkpoints, skip };
    },
    session: () => ({
      id: state.sessionId,
      agent: 'claude',
      parentId: state.parentId,
      project: meta.cwd ?? null,
      gitBranch: meta.gitBranch || null,
      agentVersion: meta.version ?? null,
    }),
    title: (m: ParsedMessage) => (m.isSidechain && !c.isSubagent ? null : promptTitle(m.text)),
    afterCommit: (writer, sessionId) => applySummaries(writer, sessionId, state, meta),
    state: () => ({ ...state, waiting: state.waiting.length ? state.waiting : undefined, summaries: state.summaries.length ? state.summaries : undefined }),
  };
}

/** Last one wins within a rank; a user's /rename outranks a generated title, which outranks a branch summary. */
function applySummaries(writer: IndexWriter, sessionId: string, state: ClaudeFileState, meta: ClaudeLineMeta): void {
  const candidates: [number, string | undefined][] = [
    [3, meta.customTitle],
    [2, meta.aiTitle],
  ];
  // Old builds copied other sessions' summaries into new files: keep only those whose leaf is in this session. The
  // newest resolved one wins; it and everything older are done with.
  const pending = state.summaries;
  for (let i = pending.length - 1; i >= 0; i--) {
    if (writer.hasMessage(sessionId, pending[i].leafUuid)) {
      candidates.push([1, pending[i].summary]);
      state.summaries = pending.slice(i + 1);
      break;
    }
  }
  for (const [rank, text] of candidates) {
    if (text && rank >= state.summaryRank) {
      writer.setSessionSummary(sessionId, text);
      state.summaryRank = rank;
      return;
    }
  }
}

/** The shell hooks for transcripts under the Claude config dir `root`. */
export function claudeHooks(root: string): JsonlHooks<ClaudeCandidate> {
  return { agent: 'claude', open: (c, saved) => openClaudeFile(root, c, saved) };
}

export function ingestClaudeFile(root: string, writer: IndexWriter, c: ClaudeCandidate, stats: IngestStats): void {
  ingestJsonlFile(claudeHooks(root), writer, c, stats);
}
