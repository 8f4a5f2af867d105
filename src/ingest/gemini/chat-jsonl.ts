/**
 * Gemini CLI's JSONL session files (v0.39+, formats/gemini-cli.md §2) through the shared JSONL shell.
 * The file is an upsert log, not a list: a message is re-appended whole whenever it changes (last copy wins, in the
 * place of the first), `$rewindTo` drops a message and all after it, `$set.messages` replaces the list. The reader
 * therefore replays the file in memory and commits at the end of a pass (commitAtEnd), holding for each message only
 * where its last copy is, so memory grows with the number of messages, not their size. A line that changes a record
 * an earlier pass committed is a rewrite: the shell reads the file again from the start.
 */
import path from 'node:path';
import type { IndexWriter } from '../../store/writer.js';
import type { FileReader, JsonlHooks, LineOutcome } from '../jsonl-ingest.js';
import { isObject, promptTitle, str, type Json } from '../text.js';
import type { GeminiCandidate } from './discover.js';
import { geminiRecordRows } from './parse.js';
import type { GeminiProjects } from './project.js';

interface ChatState {
  sessionId: string | null;
  projectHash: string | null;
  summary: string | null;
  directories: string[];
  /** Record ids this file has committed: a later copy of one of them rewrites history. */
  committed: string[];
}

function loadState(saved: Readonly<Record<string, unknown>> | null): ChatState {
  return {
    sessionId: str(saved?.sessionId) ?? null,
    projectHash: str(saved?.projectHash) ?? null,
    summary: str(saved?.summary) ?? null,
    directories: Array.isArray(saved?.directories) ? saved.directories.filter((d): d is string => typeof d === 'string') : [],
    committed: Array.isArray(saved?.committed) ? saved.committed.filter((d): d is string => typeof d === 'string') : [],
  };
}

/** What one line of the file is, by shape (there is no type field at line level). */
export type ChatLine =
  | { kind: 'metadata'; record: Json }
  | { kind: 'message'; id: string; record: Json }
  | { kind: 'set'; set: Json }
  | { kind: 'rewind'; id: string }
  | { kind: 'unknown'; reason: string };

export function classifyChatLine(record: unknown): ChatLine {
  if (!isObject(record)) return { kind: 'unknown', reason: 'not-an-object' };
  if (typeof record.$rewindTo === 'string') return { kind: 'rewind', id: record.$rewindTo };
  if (isObject(record.$set)) return { kind: 'set', set: record.$set };
  if (typeof record.id === 'string') return { kind: 'message', id: record.id, record };
  if (typeof record.sessionId === 'string') return { kind: 'metadata', record };
  const dollar = Object.keys(record).find((k) => k.startsWith('$'));
  return { kind: 'unknown', reason: `unknown-type:${dollar ?? '(none)'}`.slice(0, 80) };
}

function openChat(c: GeminiCandidate, saved: Readonly<Record<string, unknown>> | null, writer: IndexWriter, projects: GeminiProjects): FileReader {
  const state = loadState(saved);
  const committed = new Set(state.committed);
  /**
   * Records read this pass, by id, in the order of their first appearance: where their last copy's line is, or the
   * record itself when it came inside a `$set.messages` list.
   */
  const pending = new Map<string, { offset: number; length: number } | { record: unknown; offset: number }>();
  let root: string | null | undefined;
  const projectRoot = (): string | null => {
    // Resolved once per pass (null included: hashing candidates is the expensive part).
    if (root === undefined) root = projects.rootFor(c.projectDir, c.projectId, state.projectHash, state.directories, () => writer.knownProjects());
    return root;
  };

  const metadata = (record: Json) => {
    // A resume can write a second metadata line mid-file: the first one names the session.
    state.sessionId ??= str(record.sessionId) ?? null;
    state.projectHash ??= str(record.projectHash) ?? null;
    if (str(record.summary)) state.summary = str(record.summary)!;
    if (Array.isArray(record.directories) && state.directories.length === 0) {
      state.directories = record.directories.filter((d): d is string => typeof d === 'string').slice(0, 32);
    }
  };

  return {
    line(text, offset): LineOutcome {
      let record: unknown;
      try {
        record = JSON.parse(text);
      } catch {
        return text.trim() ? { skip: 'invalid-json' } : {};
      }
      const line = classifyChatLine(record);
      switch (line.kind) {
        case 'metadata':
          metadata(line.record);
          return {};
        case 'message':
          if (committed.has(line.id)) return { rewrite: true };
          pending.set(line.id, { offset, length: Buffer.byteLength(text) });
          return {};
        case 'rewind': {
          if (!pending.has(line.id)) {
            // Unknown here: either committed by an earlier pass (replay it all) or unknown anywhere (clears all).
            if (committed.size > 0) return { rewrite: true };
            pending.clear();
            return {};
          }
          let after = false;
          for (const id of [...pending.keys()]) {
            if (id === line.id) after = true;
            if (after) pending.delete(id);
          }
          return {};
        }
        case 'set': {
          if (typeof line.set.summary === 'string') state.summary = line.set.summary;
          if (Array.isArray(line.set.messages)) {
            if (committed.size > 0) return { rewrite: true };
            pending.clear();
            let skip: string | null = null;
            for (const m of line.set.messages) {
              if (isObject(m) && typeof m.id === 'string') pending.set(m.id, { record: m, offset });
              else skip = 'missing-id';
            }
            return { skip };
          }
          return {};
        }
        case 'unknown':
          return { skip: line.reason };
      }
    },
    *drain(readAt) {
      const root = projectRoot();
      for (const [id, held] of pending) {
        let record: unknown;
        if ('record' in held) record = held.record;
        else {
          try {
            record = JSON.parse(readAt(held.offset, held.length));
          } catch {
            // Bytes already read change only if the file was rewritten in place (Gemini appends): counted, left out.
            yield { skip: 'changed-while-reading' };
            continue;
          }
        }
        const { messages, skip } = geminiRecordRows(record, held.offset, root);
        committed.add(id);
        yield { messages, skip };
      }
      pending.clear();
    },
    session: () => ({
      id: sessionIdOf(c, state),
      agent: 'gemini',
      parentId: c.parentSessionId,
      project: projectRoot(),
    }),
    title: (m) => promptTitle(m.text),
    afterCommit: (w, id) => {
      if (state.summary) w.setSessionSummary(id, state.summary);
    },
    state: () => ({ ...state, sessionId: sessionIdOf(c, state), committed: [...committed] }),
  };
}

/** The metadata's session id; for a file whose metadata line is unreadable, its name (sub-agent files are named by id). */
export function sessionIdOf(c: { path: string }, state: { sessionId: string | null }): string {
  return state.sessionId ?? path.basename(c.path).replace(/\.jsonl?$/, '');
}

export function geminiChatHooks(projects: GeminiProjects): JsonlHooks<GeminiCandidate> {
  return { agent: 'gemini', commitAtEnd: true, open: (c, saved, writer) => openChat(c, saved, writer, projects) };
}
