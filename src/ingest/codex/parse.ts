/**
 * Codex CLI rollout lines → normalized messages. Pure: `(line, state) → rows`, where the state is plain JSON the
 * ingester keeps between passes (session facts, recently shown texts, call ids). Never throws, whatever the input.
 *
 * Follows shared/formats/codex.md: both the `{timestamp, type, payload}` envelope and the legacy bare format (told
 * apart per line by shape), `response_item`s shown as the conversation, `event_msg`s only where they add something
 * (errors, aborts, compactions) or where no response item carried the same text. Rows are named by the byte offset
 * of their line (`o<offset>`, then `#n` for the n-th row after the first), so re-reading a file gives the same ids.
 */
import {
  MAX_DATA_CHARS,
  MAX_TOOL_INPUT_CHARS,
  type FileEditData,
  type FileEdit,
  type MessageKind,
  type ParsedMessage,
  type Role,
} from '../../model.js';
import { capJson, capText, dataUrlPlaceholder, isObject, num, parseTimestamp, shorten, str, toJson, type Json } from '../text.js';
import { describePatch, patchFiles, patchFromCommand, resolveAgainst } from './patch.js';

/** A text recently shown, and which of its copies (response item, event, completed item) have been seen. */
interface Echo {
  kind: 'prompt' | 'reply' | 'thinking';
  key: string;
  sources: EchoSource[];
}
type EchoSource = 'item' | 'event' | 'completed';

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

export interface CodexLineOutcome {
  messages: ParsedMessage[];
  /** Why the line was skipped (counted by the caller), or null. */
  skip: string | null;
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
const MAX_CALL_IDS = 256;
/** Texts are compared by a bounded key, so the state stays small whatever the prompt size. */
const ECHO_KEY_CHARS = 400;

/** Event kinds that are bookkeeping or duplicate a response item: consumed without a row and without a count. */
const QUIET_EVENTS = new Set([
  'task_started', 'task_complete', 'token_count', 'exec_command_begin', 'exec_command_output_delta', 'exec_command_end',
  'patch_apply_begin', 'patch_apply_end', 'web_search_begin', 'web_search_end', 'mcp_tool_call_begin', 'mcp_tool_call_end',
  'mcp_startup_update', 'mcp_startup_complete', 'mcp_list_tools_response', 'turn_diff', 'plan_update',
  'agent_reasoning_raw_content', 'agent_reasoning_raw_content_delta', 'agent_reasoning_section_break',
  'agent_reasoning_delta', 'agent_message_delta', 'agent_message_content_delta', 'reasoning_content_delta',
  'reasoning_raw_content_delta', 'background_event', 'session_configured', 'get_history_entry_response',
  'list_custom_prompts_response', 'list_skills_response', 'shutdown_complete', 'exec_approval_request',
  'apply_patch_approval_request', 'elicitation_request', 'request_user_input', 'thread_settings_applied',
  'sub_agent_activity', 'guardian_assessment', 'dynamic_tool_call_request', 'dynamic_tool_call_response',
  'view_image_tool_call', 'image_generation_begin', 'image_generation_end', 'thread_goal_updated', 'item_started',
  'raw_response_item', 'deprecation_notice', 'model_reroute', 'conversation_path', 'turn_started', 'turn_complete',
  'user_message_delta', 'token_usage', 'rate_limits', 'context_window_updated',
]);
const QUIET_EVENT_PREFIXES = ['collab_'];

/** Line kinds that carry settings or model-side state, not conversation. */
const QUIET_LINES = new Set(['turn_context', 'world_state', 'inter_agent_communication_metadata', 'token_usage_record']);

/** `item_completed` kinds that only repeat what other lines show. */
const QUIET_ITEMS = new Set(['Plan', 'Extension', 'WebSearch', 'ImageGeneration', 'ContextCompaction', 'TodoList', 'EnteredReviewMode', 'ExitedReviewMode', 'HookPrompt']);

interface Line {
  readonly offset: number;
  readonly timestamp: number | null;
  readonly out: ParsedMessage[];
}

function push(l: Line, fields: Partial<ParsedMessage> & { role: Role; kind: MessageKind; text: string }): void {
  const n = l.out.length;
  l.out.push({
    sourceId: n === 0 ? `o${l.offset}` : `o${l.offset}#${n}`,
    parentId: null,
    timestamp: l.timestamp,
    toolName: null,
    toolInput: null,
    toolUseId: null,
    files: [],
    isError: false,
    isSidechain: false,
    subtype: null,
    data: null,
    byteOffset: l.offset,
    ...fields,
    text: capText(fields.text, l.offset),
  });
}

function remember(list: string[], id: string, max: number): void {
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
function isEcho(state: CodexState, kind: Echo['kind'], text: string, source: EchoSource): boolean {
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

/** Text Codex injects as a user message: environment context, AGENTS.md, user instructions (never a prompt). */
export function isInjectedContext(text: string): boolean {
  const t = text.trimStart();
  if (t.startsWith('# AGENTS.md instructions')) return true;
  const open = /^<([A-Za-z_][\w-]{0,60})(?:\s[^>]{0,200})?>/.exec(t.slice(0, 300));
  return open !== null && t.trimEnd().endsWith(`</${open[1]}>`);
}

/** The `<cwd>` of an `<environment_context>` block. */
export function environmentCwd(text: string): string | null {
  const m = /<cwd>([^<\n]{1,4096})<\/cwd>/.exec(text.slice(0, 16_384));
  return m ? m[1].trim() : null;
}

/** A message's content parts as display text, plus the text-only key used to recognise its copies. */
function contentText(content: unknown): { text: string; key: string } {
  if (typeof content === 'string') return { text: content, key: content };
  if (!Array.isArray(content)) return { text: '', key: '' };
  const shown: string[] = [];
  const words: string[] = [];
  for (const part of content) {
    if (!isObject(part)) continue;
    const text = str(part.text);
    if (text !== undefined && (part.type === 'input_text' || part.type === 'output_text' || part.type === 'text' || part.type === 'Text')) {
      // `<image name=[Image #1]>` … `</image>` wrap a pasted image; the placeholder says the same.
      if (/^<image\b[^>]{0,200}>$/.test(text) || text === '</image>') continue;
      shown.push(text);
      words.push(text);
    } else if (part.type === 'input_image') {
      const url = str(part.image_url);
      shown.push(url ? (url.startsWith('data:') ? dataUrlPlaceholder(url) : `[image: ${shorten(url, 200)}]`) : '[image]');
    } else if (part.type === 'encrypted_content') {
      shown.push('[encrypted content]');
    } else if (typeof part.type === 'string') {
      shown.push(`[${part.type}]`);
    }
  }
  return { text: shown.join('\n'), key: words.join('\n') };
}

/** A tool output in any of its shapes (string, JSON-in-string, content items) → text and what it says about failure. */
export function codexOutput(output: unknown): { text: string; failed: boolean | null } {
  if (Array.isArray(output) || (isObject(output) && typeof output.type === 'string')) {
    const { text } = contentText(Array.isArray(output) ? output : [output]);
    return { text, failed: null };
  }
  if (isObject(output)) {
    // FunctionCallOutputPayload: {content, success?}
    const inner = codexOutput(output.content ?? output.output ?? '');
    return { text: inner.text, failed: output.success === false ? true : inner.failed };
  }
  if (typeof output !== 'string') return { text: '', failed: null };
  const head = output.slice(0, 1024);
  if (head.startsWith('{') && head.includes('"output"')) {
    try {
      const parsed: unknown = JSON.parse(output);
      if (isObject(parsed) && typeof parsed.output === 'string') {
        const meta = isObject(parsed.metadata) ? parsed.metadata : {};
        const exit = num(meta.exit_code);
        return { text: parsed.output, failed: exit === undefined ? null : exit !== 0 };
      }
    } catch {
      // not JSON after all: shown as it is
    }
  }
  const exit = /^Exit code: (-?\d+)/.exec(head) ?? /^Process exited with code (-?\d+)\s*$/m.exec(head);
  if (exit) return { text: output, failed: Number(exit[1]) !== 0 };
  if (/^(aborted|execution error|apply_patch verification failed|failed to apply patch)\b/i.test(head)) return { text: output, failed: true };
  return { text: output, failed: null };
}

/** The command line of a shell call's arguments: `["bash","-lc","npm test"]` → `npm test`. */
export function commandText(command: unknown): string {
  if (typeof command === 'string') return command;
  if (!Array.isArray(command)) return '';
  const parts = command.filter((c): c is string => typeof c === 'string');
  if (parts.length === 3 && /(^|\/)(ba|z|da|k)?sh$/.test(parts[0]) && /^-l?c$|^-cl$/.test(parts[1])) return parts[2];
  if (parts.length === 3 && /(^|\\)(powershell|pwsh)(\.exe)?$/i.test(parts[0]) && /^-(Command|c)$/i.test(parts[1])) return parts[2];
  return parts.map((p) => (/[\s"'$`\\]/.test(p) ? `'${p.replaceAll("'", "'\\''")}'` : p)).join(' ');
}

const isAbsolutePath = (p: string) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p);

function parseArguments(args: unknown): Json | null {
  if (isObject(args)) return args;
  if (typeof args !== 'string') return null;
  try {
    const v: unknown = JSON.parse(args);
    return isObject(v) ? v : null;
  } catch {
    return null;
  }
}

const SHELL_TOOLS = new Set(['shell', 'container.exec', 'local_shell', 'shell_command', 'exec_command', 'unified_exec']);

interface ToolCall {
  name: string;
  callId: string | null;
  /** Raw input as recorded (JSON arguments, or the freeform text of a custom tool). */
  input: string;
  args: Json | null;
  cwd: string | null;
}

/** A tool call row: description, files and, for apply_patch in any of its forms, the FileEdit data. */
function toolCallRow(l: Line, state: CodexState, call: ToolCall): void {
  const args = call.args ?? {};
  // A shell call may run in its own directory; relative paths in its patch are relative to that.
  const workdir = [call.cwd, str(args.workdir), str(args.cwd), str(args.working_directory)].find((d) => d && isAbsolutePath(d));
  const cwd = workdir ?? state.cwd;
  let patch: string | null = null;
  let text: string;
  if (call.name === 'apply_patch' || call.name === 'applypatch') {
    patch = str(args.input) ?? str(args.patch) ?? (call.input.includes('*** Begin Patch') ? call.input : null);
    text = `apply_patch: ${patch ? describePatch(patch) : shorten(call.input, 300)}`;
  } else if (SHELL_TOOLS.has(call.name) || args.command !== undefined || typeof args.cmd === 'string') {
    const command = commandText(args.command ?? args.cmd ?? '');
    patch = patchFromCommand(command);
    text = patch ? `apply_patch: ${describePatch(patch)}` : `${call.name}: ${shorten(command || call.input, 500)}`;
  } else if (call.name === 'exec' && !call.args) {
    text = `exec: ${shorten(call.input, 500)}`; // code mode: the input is JavaScript
  } else {
    text = shorten(`${call.name} ${call.args ? toJson(call.args) : call.input}`, 500);
  }
  const files = patch ? patchFiles(patch, cwd) : pathsOf(args, cwd);
  let data: string | null = null;
  if (patch) {
    const edits: FileEditData = { edits: [{ op: 'apply-patch', patch, cwd }] };
    const json = JSON.stringify(edits);
    data = json.length > MAX_DATA_CHARS ? null : json;
  }
  push(l, {
    role: 'assistant',
    kind: 'tool-call',
    text,
    toolName: call.name,
    toolInput: capJson(call.input, MAX_TOOL_INPUT_CHARS),
    toolUseId: call.callId,
    files,
    data,
  });
  if (call.callId) remember(state.calls, call.callId, MAX_CALL_IDS);
}

function pathsOf(args: Json, cwd: string | null): string[] {
  const out: string[] = [];
  for (const key of ['path', 'file_path', 'filepath']) {
    const v = args[key];
    if (typeof v === 'string' && v) out.push(resolveAgainst(cwd, v));
  }
  return out;
}

function toolResultRow(l: Line, state: CodexState, callId: string | null, output: unknown, name: string | null = null): void {
  const { text, failed } = codexOutput(output);
  const isError = failed ?? (callId !== null && state.failed.includes(callId));
  push(l, { role: 'tool', kind: 'tool-result', text, toolUseId: callId, toolName: name, isError });
}

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

function toolSearchText(item: Json): string {
  const names: string[] = [];
  const walk = (tools: unknown) => {
    if (!Array.isArray(tools)) return;
    for (const t of tools) {
      if (!isObject(t)) continue;
      if (Array.isArray(t.tools)) walk(t.tools);
      else if (typeof t.name === 'string') names.push(t.name);
    }
  };
  walk(item.tools);
  return names.length ? `found: ${names.join(', ')}` : '(no tools found)';
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

function eventText(payload: Json): string {
  const err = isObject(payload.error) ? payload.error : null;
  return str(payload.message) ?? (err ? str(err.message) : undefined) ?? str(payload.reason) ?? '';
}

function eventMsg(l: Line, state: CodexState, ev: Json): string | null {
  const type = str(ev.type) ?? '';
  switch (type) {
    case 'user_message': {
      const message = str(ev.message) ?? '';
      const images = [
        ...(Array.isArray(ev.images) ? ev.images.filter((u): u is string => typeof u === 'string').map((u) => (u.startsWith('data:') ? dataUrlPlaceholder(u) : `[image: ${shorten(u, 200)}]`)) : []),
        ...(Array.isArray(ev.local_images) ? ev.local_images.filter((p): p is string => typeof p === 'string').map((p) => `[image: ${shorten(p, 200)}]`) : []),
      ];
      if (!isEcho(state, 'prompt', message, 'event')) {
        const text = [message, ...images].filter(Boolean).join('\n');
        if (text) push(l, isInjectedContext(message) ? { role: 'user', kind: 'system', text, subtype: 'context' } : { role: 'user', kind: 'prompt', text });
      }
      return null;
    }
    case 'agent_message': {
      const message = str(ev.message) ?? '';
      if (message && !isEcho(state, 'reply', message, 'event')) push(l, { role: 'assistant', kind: 'reply', text: message });
      return null;
    }
    case 'agent_reasoning': {
      const text = str(ev.text) ?? '';
      if (text && !isEcho(state, 'thinking', text, 'event')) push(l, { role: 'assistant', kind: 'thinking', text });
      return null;
    }
    case 'turn_aborted':
      push(l, { role: 'system', kind: 'system', text: `Turn aborted${str(ev.reason) ? ` (${str(ev.reason)})` : ''}`, subtype: 'turn_aborted' });
      return null;
    case 'error':
    case 'stream_error':
      push(l, { role: 'system', kind: 'system', text: eventText(ev) || (type === 'error' ? 'Error' : 'Stream error'), subtype: type, isError: true });
      return null;
    case 'warning':
      push(l, { role: 'system', kind: 'system', text: eventText(ev) || 'Warning', subtype: 'warning' });
      return null;
    case 'context_compacted':
      push(l, { role: 'system', kind: 'system', text: 'Conversation compacted', subtype: 'compact_boundary' });
      return null;
    case 'thread_name_updated':
      if (str(ev.thread_name)) state.threadName = str(ev.thread_name)!;
      return null;
    case 'entered_review_mode': {
      const target = isObject(ev.target) ? ev.target : {};
      push(l, { role: 'system', kind: 'system', text: `Review started${str(target.type) ? ` (${str(target.type)})` : ''}`, subtype: 'review' });
      return null;
    }
    case 'exited_review_mode': {
      const review = isObject(ev.review_output) ? ev.review_output : {};
      const findings = Array.isArray(review.findings) ? review.findings.filter(isObject) : [];
      const lines = [`Review finished: ${findings.length} finding${findings.length === 1 ? '' : 's'}`, str(review.overall_explanation) ?? ''];
      for (const f of findings) lines.push(`- ${str(f.title) ?? ''}${str(f.body) ? `: ${str(f.body)}` : ''}`);
      push(l, { role: 'system', kind: 'system', text: lines.filter(Boolean).join('\n'), subtype: 'review' });
      return null;
    }
    case 'undo_completed':
      push(l, { role: 'system', kind: 'system', text: `Undo ${ev.success === false ? 'failed' : 'completed'}${str(ev.message) ? `: ${str(ev.message)}` : ''}`, subtype: 'undo', isError: ev.success === false });
      return null;
    case 'item_completed':
      return completedItem(l, state, isObject(ev.item) ? ev.item : {});
    default:
      break;
  }
  // Failures reported beside a call mark its output, which may not say so itself.
  const callId = str(ev.call_id);
  if (callId) {
    const failed =
      (type === 'exec_command_end' && num(ev.exit_code) !== undefined && ev.exit_code !== 0) ||
      (type === 'patch_apply_end' && ev.success === false) ||
      (type === 'mcp_tool_call_end' && isObject(ev.result) && ('Err' in ev.result || (isObject(ev.result.Ok) && ev.result.Ok.isError === true)));
    if (failed) remember(state.failed, callId, MAX_CALL_IDS);
  }
  if (type === 'task_complete' && isObject(ev.error)) {
    push(l, { role: 'system', kind: 'system', text: eventText(ev) || 'Turn failed', subtype: 'error', isError: true });
    return null;
  }
  if (QUIET_EVENTS.has(type) || QUIET_EVENT_PREFIXES.some((p) => type.startsWith(p))) return null;
  return `unknown-type:event_msg/${(type || '(none)').slice(0, 60)}`;
}

function fileChangeEdits(changes: unknown, cwd: string | null): { files: string[]; edits: FileEdit[] } {
  const files: string[] = [];
  const edits: FileEdit[] = [];
  const entries: [string, Json][] = Array.isArray(changes)
    ? changes.filter(isObject).map((c) => [str(c.path) ?? '', c] as [string, Json])
    : isObject(changes)
      ? Object.entries(changes).filter((e): e is [string, Json] => isObject(e[1]))
      : [];
  for (const [p, change] of entries) {
    if (!p) continue;
    const file = resolveAgainst(cwd, p);
    const kind = str(change.type) ?? str(change.kind);
    const diff = str(change.unified_diff) ?? str(change.diff);
    const move = str(change.move_path);
    files.push(file);
    if (move) {
      // A move has no FileEdit form; both paths are listed so the restore planner sees the file was touched.
      files.push(resolveAgainst(cwd, move));
    } else if (kind === 'delete') {
      edits.push({ op: 'delete', path: file });
    } else if (kind === 'add' && typeof change.content === 'string') {
      edits.push({ op: 'write', path: file, content: change.content });
    } else if (diff !== undefined) {
      edits.push({ op: 'unified-diff', path: file, diff });
    }
  }
  return { files, edits };
}

/** `item_completed` (paginated history and code mode): shown only when no other line carried the same thing. */
function completedItem(l: Line, state: CodexState, item: Json): string | null {
  const type = str(item.type) ?? '';
  const id = str(item.id) ?? null;
  switch (type) {
    case 'UserMessage':
    case 'AgentMessage': {
      const { text, key } = contentText(item.content);
      const kind = type === 'UserMessage' ? 'prompt' : 'reply';
      if (text && !isEcho(state, kind, key || text, 'completed')) {
        if (kind === 'prompt') push(l, isInjectedContext(text) ? { role: 'user', kind: 'system', text, subtype: 'context' } : { role: 'user', kind: 'prompt', text });
        else push(l, { role: 'assistant', kind: 'reply', text });
      }
      return null;
    }
    case 'Reasoning': {
      const parts = [item.summary_text, item.summary].flatMap((v) => (Array.isArray(v) ? v : [])).map((p) => (typeof p === 'string' ? p : isObject(p) ? str(p.text) ?? '' : '')).filter(Boolean);
      if (parts.length === 0) return null;
      const echoes = parts.map((p) => isEcho(state, 'thinking', p, 'completed'));
      if (!echoes.every(Boolean)) push(l, { role: 'assistant', kind: 'thinking', text: parts.join('\n\n') });
      return null;
    }
    case 'CommandExecution': {
      if (id && state.calls.includes(id)) return null;
      const cwd = str(item.cwd) ?? null;
      toolCallRow(l, state, { name: 'exec_command', callId: id, input: toJson({ command: item.command, cwd }), args: { command: item.command }, cwd });
      const exit = num(item.exit_code);
      const output = str(item.aggregated_output) ?? [str(item.stdout), str(item.stderr)].filter(Boolean).join('\n');
      push(l, { role: 'tool', kind: 'tool-result', text: output, toolUseId: id, toolName: 'exec_command', isError: (exit !== undefined && exit !== 0) || item.status === 'failed' });
      return null;
    }
    case 'FileChange': {
      if (id && state.calls.includes(id)) return null;
      const { files, edits } = fileChangeEdits(item.changes, state.cwd);
      const json = JSON.stringify({ edits } satisfies FileEditData);
      push(l, {
        role: 'assistant',
        kind: 'tool-call',
        text: `file_change: ${files.length ? shorten(files.join(', '), 400) : '(no files)'}`,
        toolName: 'file_change',
        toolInput: capJson(toJson(item.changes ?? {}), MAX_TOOL_INPUT_CHARS),
        toolUseId: id,
        files,
        data: edits.length && json.length <= MAX_DATA_CHARS ? json : null,
      });
      const output = [str(item.stdout), str(item.stderr)].filter(Boolean).join('\n');
      push(l, { role: 'tool', kind: 'tool-result', text: output, toolUseId: id, toolName: 'file_change', isError: item.status === 'failed' || item.status === 'declined' });
      return null;
    }
    case 'McpToolCall': {
      if (id && state.calls.includes(id)) return null;
      const name = [str(item.server), str(item.tool)].filter(Boolean).join('__') || 'mcp';
      toolCallRow(l, state, { name, callId: id, input: toJson(item.arguments ?? {}), args: isObject(item.arguments) ? item.arguments : null, cwd: null });
      const result = item.result ?? item.error ?? '';
      const text = typeof result === 'string' ? result : isObject(result) && Array.isArray(result.content) ? contentText(result.content).text : toJson(result);
      push(l, { role: 'tool', kind: 'tool-result', text, toolUseId: id, toolName: name, isError: item.error !== undefined && item.error !== null || item.status === 'failed' });
      return null;
    }
    default:
      if (QUIET_ITEMS.has(type)) return null;
      return `unknown-type:item_completed/${(type || '(none)').slice(0, 60)}`;
  }
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
