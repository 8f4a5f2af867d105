/**
 * Codex CLI rollout lines → normalized messages. Pure: `(line, state) → rows`, where the state is plain JSON the
 * ingester keeps between passes (session facts, recently shown texts, call ids). Never throws, whatever the input.
 *
 * Follows shared/formats/codex.md: both the `{timestamp, type, payload}` envelope and the legacy bare format (told
 * apart per line by shape), `response_item`s shown as the conversation, `event_msg`s only where they add something
 * (errors, aborts, compactions) or where no response item carried the same text. Rows are named by the byte offset
 * of their line (`o<offset>`, then `#n` for the n-th row after the first), so re-reading a file gives the same ids.
 */
import { MAX_TOOL_INPUT_CHARS, type ParsedMessage } from '../../model.js';
import { capJson, isObject, num, parseTimestamp, shorten, str, toJson, type Json } from '../text.js';
import { contentText, environmentCwd, isAbsolutePath, isInjectedContext, parseArguments } from './content.js';
import { eventMsg } from './events.js';
import { isEcho, push, type CodexState, type Line } from './state.js';
import { toolCallRow, toolResultRow, toolSearchText } from './tools.js';

export { codexOutput, commandText, environmentCwd, isInjectedContext } from './content.js';
export { initialCodexState, type CodexState } from './state.js';

export interface CodexLineOutcome {
  messages: ParsedMessage[];
  /** Why the line was skipped (counted by the caller), or null. */
  skip: string | null;
}

/** Line kinds that carry settings or model-side state, not conversation. */
const QUIET_LINES = new Set(['turn_context', 'world_state', 'inter_agent_communication_metadata', 'token_usage_record']);

function responseItem(l: Line, state: CodexState, item: Json): string | null {
  const type = str(item.type);
  switch (type) {
    case 'message': {
      const role = str(item.role);
      const { text, key } = contentText(item.content);
      if (role === 'user') {
        if (isInjectedContext(text)) {
          const cwd = environmentCwd(text);
          if (cwd) {
            state.cwd ??= cwd;
            state.project ??= cwd;
          }
          push(l, { role: 'user', kind: 'system', text, subtype: 'context' });
        } else if (!isEcho(state, 'prompt', key || text, 'item')) {
          push(l, { role: 'user', kind: 'prompt', text });
        }
      } else if (role === 'assistant') {
        if (!isEcho(state, 'reply', key || text, 'item')) push(l, { role: 'assistant', kind: 'reply', text });
      } else {
        // developer / system: instructions the harness sent, kept visible but never a prompt.
        push(l, { role: 'system', kind: 'system', text, subtype: role ?? 'system' });
      }
      return null;
    }
    case 'reasoning': {
      const summary = Array.isArray(item.summary) ? item.summary : [];
      let parts = summary.filter(isObject).map((p) => str(p.text) ?? '').filter(Boolean);
      if (parts.length === 0 && Array.isArray(item.content)) parts = item.content.filter(isObject).map((p) => str(p.text) ?? '').filter(Boolean);
      // Encrypted-only reasoning has no text to show.
      if (parts.length === 0) return null;
      const echoes = parts.map((p) => isEcho(state, 'thinking', p, 'item'));
      if (!echoes.every(Boolean)) push(l, { role: 'assistant', kind: 'thinking', text: parts.join('\n\n') });
      return null;
    }
    case 'function_call':
      toolCallRow(l, state, {
        name: str(item.name) ?? 'function',
        callId: str(item.call_id) ?? str(item.id) ?? null,
        input: typeof item.arguments === 'string' ? item.arguments : toJson(item.arguments ?? {}),
        args: parseArguments(item.arguments),
        cwd: null,
      });
      return null;
    case 'custom_tool_call': {
      const input = typeof item.input === 'string' ? item.input : toJson(item.input ?? '');
      toolCallRow(l, state, { name: str(item.name) ?? 'tool', callId: str(item.call_id) ?? str(item.id) ?? null, input, args: parseArguments(input), cwd: null });
      return null;
    }
    case 'local_shell_call': {
      const action = isObject(item.action) ? item.action : {};
      toolCallRow(l, state, {
        name: 'local_shell',
        callId: str(item.call_id) ?? str(item.id) ?? null,
        input: toJson(action),
        args: { command: action.command },
        cwd: str(action.working_directory) ?? null,
      });
      return null;
    }
    case 'function_call_output':
    case 'custom_tool_call_output':
    case 'tool_search_output': {
      const output = type === 'tool_search_output' ? toolSearchText(item) : item.output;
      toolResultRow(l, state, str(item.call_id) ?? null, output);
      return null;
    }
    case 'tool_search_call': {
      const args = parseArguments(item.arguments) ?? {};
      push(l, { role: 'assistant', kind: 'tool-call', text: `tool_search: ${shorten(str(args.query) ?? toJson(args), 300)}`, toolName: 'tool_search', toolInput: capJson(toJson(args), MAX_TOOL_INPUT_CHARS), toolUseId: str(item.call_id) ?? null });
      return null;
    }
    case 'web_search_call': {
      const action = isObject(item.action) ? item.action : {};
      const query = str(action.query) ?? str(action.url) ?? (Array.isArray(action.queries) ? action.queries.filter((q) => typeof q === 'string').join(' | ') : '');
      push(l, { role: 'assistant', kind: 'tool-call', text: `web_search: ${shorten(query, 300)}`, toolName: 'web_search', toolInput: capJson(toJson(action), MAX_TOOL_INPUT_CHARS), toolUseId: str(item.id) ?? null });
      return null;
    }
    case 'image_generation_call':
      // `result` is the image itself (base64): never copied.
      push(l, { role: 'assistant', kind: 'tool-call', text: `image_generation: ${shorten(str(item.revised_prompt) ?? '', 300)}`, toolName: 'image_generation', toolUseId: str(item.id) ?? null });
      return null;
    case 'agent_message': {
      const { text } = contentText(item.content);
      const who = [str(item.author), str(item.recipient)].filter(Boolean).join(' → ');
      push(l, { role: 'assistant', kind: 'system', text: who ? `${who}: ${text}` : text, subtype: 'inter_agent' });
      return null;
    }
    case 'compaction':
    case 'compaction_summary':
    case 'context_compaction':
      push(l, { role: 'system', kind: 'system', text: 'Conversation compacted (server-side)', subtype: 'compact_boundary' });
      return null;
    case 'ghost_snapshot': {
      const ghost = isObject(item.ghost_commit) ? item.ghost_commit : {};
      const commit = str(ghost.id) ?? null;
      push(l, {
        role: 'system',
        kind: 'system',
        text: `Undo snapshot${commit ? ` ${commit.slice(0, 12)}` : ''}`,
        subtype: 'ghost_snapshot',
        data: toJson({
          commit,
          parent: str(ghost.parent) ?? null,
          preexistingUntrackedFiles: Array.isArray(ghost.preexisting_untracked_files) ? ghost.preexisting_untracked_files : [],
          preexistingUntrackedDirs: Array.isArray(ghost.preexisting_untracked_dirs) ? ghost.preexisting_untracked_dirs : [],
        }),
      });
      return null;
    }
    default:
      return `unknown-type:response_item/${(type ?? '(none)').slice(0, 60)}`;
  }
}

function sessionMeta(l: Line, state: CodexState, meta: Json): void {
  const first = !state.metaSeen;
  const id = str(meta.session_id) ?? str(meta.id) ?? null;
  const cwd = str(meta.cwd) ?? null;
  const git = isObject(meta.git) ? meta.git : {};
  const source = meta.source;
  if (first) {
    // The first session_meta is the thread's own; later ones (forks, resumes) copy another thread's history.
    state.metaSeen = true;
    state.sessionId = id;
    state.project = cwd ?? state.project;
    state.cwd = cwd ?? state.cwd;
    state.gitBranch = str(git.branch) ?? null;
    state.gitCommit = str(git.commit_hash) ?? null;
    state.gitRepo = str(git.repository_url) ?? null;
    state.cliVersion = str(meta.cli_version) ?? null;
    const spawn = isObject(source) && isObject(source.subagent) && isObject(source.subagent.thread_spawn) ? source.subagent.thread_spawn : {};
    state.parentId = str(spawn.parent_thread_id) ?? str(meta.parent_thread_id) ?? null;
  }
  const where = [
    cwd ? `in ${cwd}` : '',
    str(git.branch) ? `on ${str(git.branch)}` : '',
    str(git.commit_hash) ? `at ${str(git.commit_hash)!.slice(0, 12)}` : '',
  ].filter(Boolean);
  const who = [str(meta.cli_version) ? `codex ${str(meta.cli_version)}` : '', str(meta.originator) ?? ''].filter(Boolean).join(', ');
  const forked = str(meta.forked_from_id);
  const head = first ? 'Session started' : `History of ${forked ?? id ?? 'another thread'} follows`;
  push(l, {
    role: 'system',
    kind: 'system',
    text: `${head}${where.length ? ` ${where.join(' ')}` : ''}${who ? ` (${who})` : ''}`,
    subtype: 'session_meta',
    data: toJson({
      id,
      cwd,
      git: Object.keys(git).length ? git : null,
      cliVersion: str(meta.cli_version) ?? null,
      originator: str(meta.originator) ?? null,
      source: source ?? null,
      forkedFromId: forked ?? null,
      parentThreadId: str(meta.parent_thread_id) ?? null,
    }),
  });
}

function compacted(l: Line, payload: Json): void {
  const message = str(payload.message) ?? '';
  const window = num(payload.window_number) ?? num(payload.window_id);
  push(l, {
    role: 'system',
    kind: 'summary',
    text: message || `Conversation compacted${window !== undefined ? ` (window ${window})` : ''}; the summary was not recorded in readable form`,
    subtype: 'compact_summary',
  });
}

function parseEntry(entry: unknown, offset: number, state: CodexState): CodexLineOutcome {
  if (!isObject(entry)) return { messages: [], skip: 'not-an-object' };
  const out: ParsedMessage[] = [];
  const timestamp = parseTimestamp(entry.timestamp);
  const l: Line = { offset, timestamp, out };
  const type = str(entry.type);
  let skip: string | null = null;
  if (type !== undefined && isObject(entry.payload)) {
    const payload = entry.payload;
    switch (type) {
      case 'session_meta':
        sessionMeta(l, state, payload);
        break;
      case 'response_item':
        skip = responseItem(l, state, payload);
        break;
      case 'event_msg':
        skip = eventMsg(l, state, payload);
        break;
      case 'compacted':
        compacted(l, payload);
        break;
      case 'turn_context': {
        const cwd = str(payload.cwd);
        if (cwd && isAbsolutePath(cwd)) state.cwd = cwd;
        break;
      }
      case 'inter_agent_communication': {
        const { text } = contentText(payload.content ?? payload.message);
        if (text) push(l, { role: 'assistant', kind: 'system', text, subtype: 'inter_agent' });
        break;
      }
      default:
        if (!QUIET_LINES.has(type)) skip = `unknown-type:${type.slice(0, 60)}`;
    }
  } else if (type !== undefined && 'payload' in entry) {
    skip = 'missing-payload';
  } else if (entry.record_type !== undefined) {
    // Legacy `{"record_type":"state"}` markers carry nothing.
  } else if (type !== undefined) {
    // Legacy bare format: the line is the response item itself, with no timestamp.
    skip = responseItem(l, state, entry);
  } else if (typeof entry.id === 'string' && !state.metaSeen) {
    // Legacy bare format: the first line is the session meta itself.
    sessionMeta(l, state, entry);
  } else {
    skip = 'unknown-type:(none)';
  }
  return { messages: out, skip };
}

/** Parses one rollout line (without its newline), updating `state`. */
export function parseCodexLine(line: string, byteOffset: number, state: CodexState): CodexLineOutcome {
  let i = 0;
  while (i < line.length && line.charCodeAt(i) <= 32) i++;
  if (i === line.length) return { messages: [], skip: null };
  let entry: unknown;
  try {
    entry = JSON.parse(i === 0 ? line : line.slice(i));
  } catch {
    return { messages: [], skip: 'invalid-json' };
  }
  try {
    return parseEntry(entry, byteOffset, state);
  } catch {
    // Defensive: the parser is written not to throw, but a rollout must never stop a pass.
    return { messages: [], skip: 'unparseable-entry' };
  }
}
