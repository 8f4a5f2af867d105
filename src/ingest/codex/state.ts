/**
 * What the Codex parser remembers between lines and passes (plain JSON, kept on the source_file row), and the one
 * rule that needs it most: a text Codex writes two or three times (a response item, its event_msg copy, an
 * item_completed copy) is shown once, whichever copy comes first.
 */
import type { MessageKind, ParsedMessage, Role } from '../../model.js';
import { capText, makeMessage } from '../text.js';

/** A text recently shown, and which of its copies (response item, event, completed item) have been seen. */
export interface Echo {
  kind: 'prompt' | 'reply' | 'thinking';
  key: string;
  sources: EchoSource[];
}
export type EchoSource = 'item' | 'event' | 'completed';

export interface CodexState {
  /** From the first `session_meta`: the thread id. */
  sessionId: string | null;
  metaSeen: boolean;
  /** Set for sub-agent threads (`source.subagent…parent_thread_id` / `parent_thread_id`). */
  parentId: string | null;
  /** The session's working directory: the first `session_meta.cwd`, or the legacy `<environment_context>` one. */
  project: string | null;
  /** Working directory of the current turn (relative patch paths resolve against it). */
  cwd: string | null;
  gitBranch: string | null;
  gitCommit: string | null;
  gitRepo: string | null;
  cliVersion: string | null;
  /** Thread name the user set (`thread_name_updated`). */
  threadName: string | null;
  echoes: Echo[];
  /** Call ids of tool calls shown (bounded): `item_completed` tool items with one of them are copies. */
  calls: string[];
  /** Call ids whose execution events reported a failure, for outputs that do not say so themselves (bounded). */
  failed: string[];
}

export function initialCodexState(): CodexState {
  return {
    sessionId: null,
    metaSeen: false,
    parentId: null,
    project: null,
    cwd: null,
    gitBranch: null,
    gitCommit: null,
    gitRepo: null,
    cliVersion: null,
    threadName: null,
    echoes: [],
    calls: [],
    failed: [],
  };
}

const MAX_ECHOES = 32;
export const MAX_CALL_IDS = 256;
/** Texts are compared by a bounded key, so the state stays small whatever the prompt size. */
const ECHO_KEY_CHARS = 400;

export interface Line {
  readonly offset: number;
  readonly timestamp: number | null;
  readonly out: ParsedMessage[];
}

export function push(l: Line, fields: Partial<ParsedMessage> & { role: Role; kind: MessageKind; text: string }): void {
  const n = l.out.length;
  l.out.push(
    makeMessage({
      sourceId: n === 0 ? `o${l.offset}` : `o${l.offset}#${n}`,
      timestamp: l.timestamp,
      byteOffset: l.offset,
      ...fields,
      text: capText(fields.text, l.offset),
    }),
  );
}

export function remember(list: string[], id: string, max: number): void {
  if (list.includes(id)) return;
  list.push(id);
  if (list.length > max) list.shift();
}

function echoKey(text: string): string {
  const t = text.length > ECHO_KEY_CHARS * 4 ? text.slice(0, ECHO_KEY_CHARS * 4) : text;
  const one = t.replace(/\s+/g, ' ').trim();
  return one.length > ECHO_KEY_CHARS ? one.slice(0, ECHO_KEY_CHARS) : one;
}

/**
 * True when `text` is a copy of one shown already from another source (the same prompt as a response item and as a
 * `user_message` event, in either order); otherwise remembers it as shown.
 */
export function isEcho(state: CodexState, kind: Echo['kind'], text: string, source: EchoSource): boolean {
  const key = echoKey(text);
  if (!key) return false;
  for (const e of state.echoes) {
    if (e.kind === kind && e.key === key && !e.sources.includes(source)) {
      e.sources.push(source);
      return true;
    }
  }
  state.echoes.push({ kind, key, sources: [source] });
  if (state.echoes.length > MAX_ECHOES) state.echoes.shift();
  return false;
}

