/** Codex CLI's per-file reader for the shared JSONL shell: the pure line parser plus the session it describes. */
import path from 'node:path';
import type { ParsedMessage } from '../../model.js';
import { ingestJsonlFile, type FileReader, type JsonlHooks } from '../jsonl-ingest.js';
import type { IndexWriter } from '../../store/writer.js';
import type { IngestStats } from '../stats.js';
import { promptTitle } from '../text.js';
import type { CodexCandidate } from './discover.js';
import { initialCodexState, parseCodexLine, type CodexState } from './parse.js';

function loadState(saved: Readonly<Record<string, unknown>> | null): CodexState {
  const state = initialCodexState();
  if (!saved) return state;
  // Saved by an earlier pass of this same reader: take the fields that have the expected types.
  for (const key of Object.keys(state) as (keyof CodexState)[]) {
    const v = saved[key];
    const expected = state[key];
    if (Array.isArray(expected) ? Array.isArray(v) : typeof v === typeof expected || (expected === null && typeof v === 'string')) {
      (state as unknown as Record<string, unknown>)[key] = v;
    }
  }
  return state;
}

function openCodexFile(c: CodexCandidate, saved: Readonly<Record<string, unknown>> | null): FileReader {
  const state = loadState(saved);
  // The session is the thread: its id from the first session_meta, else from the file name, else the name itself.
  const sessionId = () => state.sessionId ?? c.threadId ?? path.basename(c.path, '.jsonl');
  return {
    line: (text, offset) => parseCodexLine(text, offset, state),
    session: () => ({
      id: sessionId(),
      agent: 'codex',
      parentId: state.parentId,
      project: state.project,
      gitBranch: state.gitBranch,
      gitCommit: state.gitCommit,
      gitRepo: state.gitRepo,
      agentVersion: state.cliVersion,
    }),
    title: (m: ParsedMessage) => promptTitle(m.text),
    afterCommit: (writer: IndexWriter, id: string) => {
      if (state.threadName) writer.setSessionSummary(id, state.threadName);
    },
    state: () => ({ ...state, sessionId: sessionId() }),
  };
}

export const codexHooks: JsonlHooks<CodexCandidate> = { agent: 'codex', open: openCodexFile };

export function ingestCodexFile(writer: IndexWriter, c: CodexCandidate, stats: IngestStats): void {
  ingestJsonlFile(codexHooks, writer, c, stats);
}
