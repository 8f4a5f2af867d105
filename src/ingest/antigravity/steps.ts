/**
 * Antigravity transcript steps → normalized messages (shared/formats/antigravity.md §3). Pure, never throws.
 *
 * A transcript line is one step: `USER_INPUT` (the prompt, wrapped in tags), `PLANNER_RESPONSE` (reply, thinking,
 * tool calls), SYSTEM markers (history, compaction `CHECKPOINT`s, system and ephemeral messages, errors), and tool
 * results. Results carry no call id: they pair with the preceding planner step's calls by position (§3.6), once
 * steps are sorted by `step_index` (file order differs when parallel results are flushed late). A result's `type` is
 * only a hint: by agy 1.1.18 every result is `GENERIC`, so the tool is known from the call it pairs with.
 */
import { MAX_TOOL_INPUT_CHARS, type FileEdit, type ParsedMessage } from '../../model.js';
import { capText } from '../claude/parse.js';
import { editsData, isObject, toJson, makeMessage, num, shorten, str, toMs, tryJson, type Json } from '../text.js';

export interface ToolCall {
  readonly name: string;
  readonly args: Json;
  /** Args whose value the transcript cut (`<truncated N bytes>`): never replayed as edits. */
  readonly truncated: readonly string[];
}

export interface Step {
  /** `step_index`; null when missing (then it sorts after the step before it in the file). */
  readonly index: number | null;
  readonly source: string;
  readonly type: string;
  readonly status: string;
  readonly createdAt: number | null;
  readonly content: string | null;
  readonly thinking: string | null;
  readonly toolCalls: ToolCall[];
  readonly error: string | null;
  readonly errorCode: number | null;
  readonly exitCode: number | null;
  readonly byteOffset: number;
}

export type StepLine = { readonly step: Step } | { readonly skip: string } | { readonly blank: true };

/** The marker Antigravity leaves where it cut a long value (§3.7, §3.9). */
const TRUNCATION = /\n?<truncated \d+ (?:bytes|lines)>$/;

/**
 * One arg of `transcript.jsonl` (the truncated twin, §3.9): every value is JSON-encoded once more (`"true"`,
 * `"\"/x/y.ts\""`), and long ones are cut mid-encoding and marked. A cut value is decoded as far as it goes and keeps
 * the marker.
 */
export function decodeTwinValue(v: string): { value: unknown; truncated: boolean } {
  const cut = TRUNCATION.exec(v);
  if (!cut) {
    const decoded = tryJson(v);
    return { value: decoded === undefined ? v : decoded, truncated: false };
  }
  const body = v.slice(0, cut.index);
  if (body.startsWith('"')) {
    // Close the string; drop up to a few trailing characters of an escape the cut split.
    for (let drop = 0; drop <= 6 && drop < body.length; drop++) {
      const decoded = tryJson(`${body.slice(0, body.length - drop)}"`);
      if (typeof decoded === 'string') return { value: `${decoded}${cut[0]}`, truncated: true };
    }
  }
  return { value: v, truncated: true };
}

/**
 * Args in `transcript.jsonl` are decoded once more; only for the twin, where every value is encoded (in the full
 * transcript a genuine string "42" must stay a string). In either file a value ending in the cut marker is flagged.
 */
function decodeArgs(args: Json, twin: boolean): { args: Json; truncated: string[] } {
  const out: Json = {};
  const truncated: string[] = [];
  for (const [k, v] of Object.entries(args)) {
    if (typeof v !== 'string') {
      out[k] = v;
      continue;
    }
    if (twin) {
      const d = decodeTwinValue(v);
      out[k] = d.value;
      if (d.truncated) truncated.push(k);
    } else {
      out[k] = v;
      if (TRUNCATION.test(v)) truncated.push(k);
    }
  }
  return { args: out, truncated };
}

function toolCallsOf(raw: unknown, twin: boolean): ToolCall[] {
  const list = typeof raw === 'string' ? tryJson(raw) : raw;
  if (!Array.isArray(list)) return [];
  const out: ToolCall[] = [];
  for (const c of list) {
    if (!isObject(c)) continue;
    const rawArgs = typeof c.args === 'string' ? tryJson(c.args) : c.args;
    out.push({ name: str(c.name) ?? 'tool', ...decodeArgs(isObject(rawArgs) ? rawArgs : {}, twin) });
  }
  return out;
}

/** Parses one transcript line. `twin` is true for `transcript.jsonl`. */
export function parseStepLine(line: string, byteOffset: number, twin: boolean): StepLine {
  let i = 0;
  while (i < line.length && line.charCodeAt(i) <= 32) i++;
  if (i === line.length) return { blank: true };
  const v = tryJson(i === 0 ? line : line.slice(i));
  if (v === undefined) return { skip: 'invalid-json' };
  if (!isObject(v)) return { skip: 'not-an-object' };
  const type = str(v.type);
  if (!type) return { skip: 'unknown-type:(none)' };
  const index = num(v.step_index);
  return {
    step: {
      index: index === undefined ? null : index,
      source: str(v.source) ?? '',
      type,
      status: str(v.status) ?? '',
      createdAt: toMs(v.created_at),
      content: str(v.content) ?? null,
      thinking: str(v.thinking) ?? null,
      toolCalls: toolCallsOf(v.tool_calls, twin),
      error: str(v.error) ?? null,
      errorCode: num(v.error_code) ?? null,
      exitCode: num(v.exit_code) ?? null,
      byteOffset,
    },
  };
}

/** Orders steps by `step_index`, file order breaking ties; a step without an index follows its predecessor. */
export function sortSteps(steps: readonly Step[]): Step[] {
  let last = -1;
  const keyed = steps.map((s, pos) => {
    if (s.index !== null) last = s.index;
    return { s, key: s.index ?? last, pos };
  });
  keyed.sort((a, b) => a.key - b.key || a.pos - b.pos);
  return keyed.map((k) => k.s);
}

// ---------------------------------------------------------------------------------------------------------------
// Prompts

function between(text: string, open: string, close: string): string | null {
  const a = text.indexOf(open);
  if (a === -1) return null;
  const b = text.indexOf(close, a + open.length);
  return text.slice(a + open.length, b === -1 ? undefined : b);
}

/**
 * The user's prompt in a USER_INPUT (§3.4): `<USER_REQUEST>`, preceded by any artifact-review comments written
 * before the tags, followed by placeholders for uploaded images. A bare string without tags is the prompt itself.
 */
export function promptOf(content: string): { text: string; request: string } {
  const request = between(content, '<USER_REQUEST>', '</USER_REQUEST>');
  if (request === null) return { text: content.trim(), request: content.trim() };
  const firstTag = content.search(/<[A-Z_]+>/);
  const preamble = firstTag > 0 ? content.slice(0, firstTag).trim() : '';
  const parts = [preamble, request.trim()].filter(Boolean);
  const meta = between(content, '<ADDITIONAL_METADATA>', '</ADDITIONAL_METADATA>');
  if (meta) {
    const uploaded = meta.indexOf('uploaded');
    if (uploaded !== -1) {
      for (const line of meta.slice(uploaded).split('\n').slice(1)) {
        const m = /^\s*-\s+(\S.*?)\s*$/.exec(line);
        if (!m) break;
        parts.push(`[image: ${m[1]}]`);
      }
    }
  }
  return { text: parts.join('\n\n'), request: request.trim() };
}

/** `# USER Objective:` of a compaction checkpoint: the conversation's generated title. */
export function checkpointObjective(content: string): string | null {
  const at = content.indexOf('# USER Objective:');
  if (at === -1) return null;
  const rest = content.slice(at + '# USER Objective:'.length).split('\n');
  for (const line of rest) {
    const t = line.trim();
    if (t.startsWith('#')) return null;
    if (t) return shorten(t, 200);
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// Tool calls and results

/** Tool names the typed result steps stand for, when a result has no call to pair with. */
const RESULT_TYPE_TOOLS: Readonly<Record<string, string>> = {
  RUN_COMMAND: 'run_command',
  VIEW_FILE: 'view_file',
  GREP_SEARCH: 'grep_search',
  LIST_DIRECTORY: 'list_dir',
  SEARCH_WEB: 'search_web',
  READ_URL_CONTENT: 'read_url_content',
  GENERATE_IMAGE: 'generate_image',
  INVOKE_SUBAGENT: 'invoke_subagent',
  ASK_QUESTION: 'ask_question',
};

const MARKER_TYPES = new Set(['CONVERSATION_HISTORY', 'CHECKPOINT', 'SYSTEM_MESSAGE', 'EPHEMERAL_MESSAGE', 'KNOWLEDGE_ARTIFACTS', 'ERROR_MESSAGE']);

function isMarker(step: Step): boolean {
  return MARKER_TYPES.has(step.type) || step.source === 'SYSTEM' || step.source === 'SYSTEM_SDK';
}

/** `run_command ls -la`, `view_file /x/y.ts`, `grep_search MAX in /src`. */
export function describeAgyTool(name: string, args: Json): string {
  const s = (k: string) => str(args[k]);
  const command = s('CommandLine');
  if (command) return `${name}: ${shorten(command, 500)}`;
  const file = s('AbsolutePath') ?? s('TargetFile') ?? s('DirectoryPath') ?? s('Url') ?? s('SearchDirectory');
  const query = s('Query') ?? s('query') ?? s('Pattern');
  if (query) {
    const where = s('SearchPath') ?? s('SearchDirectory');
    return `${name} ${shorten(query, 200)}${where ? ` in ${where}` : ''}`;
  }
  if (file) return `${name} ${file}`;
  if (name === 'call_mcp_tool' && s('ServerName')) return `${name} ${s('ServerName')}/${s('ToolName') ?? ''}`;
  const ui = s('toolSummary') ?? s('toolAction');
  if (ui) return `${name}: ${shorten(ui, 300)}`;
  const json = toJson(args);
  return shorten(json && json !== '{}' ? `${name} ${json}` : name, 500);
}

const CONTENT_ARGS = ['CodeContent', 'TargetContent', 'ReplacementContent', 'ReplacementChunks'];

/** Edits a call's arguments carry in full (§3.5): whole contents, exact replacements; nothing from a cut value. */
export function agyEdits(name: string, args: Json, truncated: readonly string[] = []): FileEdit[] {
  const path = str(args.TargetFile);
  if (!path || CONTENT_ARGS.some((k) => truncated.includes(k))) return [];
  if (name === 'write_to_file') {
    const content = str(args.CodeContent);
    return content === undefined ? [] : [{ op: 'write', path, content }];
  }
  if (name === 'replace_file_content') {
    const oldText = str(args.TargetContent);
    const newText = str(args.ReplacementContent);
    return oldText === undefined || newText === undefined ? [] : [{ op: 'replace', path, oldText, newText, replaceAll: args.AllowMultiple === true }];
  }
  if (name === 'multi_replace_file_content' && Array.isArray(args.ReplacementChunks)) {
    const out: FileEdit[] = [];
    for (const c of args.ReplacementChunks) {
      if (!isObject(c)) continue;
      const oldText = str(c.TargetContent);
      const newText = str(c.ReplacementContent);
      if (oldText !== undefined && newText !== undefined) out.push({ op: 'replace', path, oldText, newText, replaceAll: c.AllowMultiple === true });
    }
    return out;
  }
  return [];
}

function filesOfCall(args: Json): string[] {
  const out: string[] = [];
  for (const k of ['AbsolutePath', 'TargetFile']) {
    const v = str(args[k]);
    if (v && !out.includes(v)) out.push(v);
  }
  return out;
}

/** Drops the `Created At:` / `Completed At:` header every result starts with (§3.7). */
export function resultBody(content: string): string {
  let text = content;
  for (const label of ['Created At:', 'Completed At:']) {
    if (text.startsWith(label)) {
      const nl = text.indexOf('\n');
      text = nl === -1 ? '' : text.slice(nl + 1);
    }
  }
  return text.replace(/^\n+/, '');
}

/** The exit code a command result reports in its text (three wordings, §3.7), or null. */
export function exitCodeOf(text: string): number | null {
  const head = text.slice(0, 2000);
  if (/The command completed successfully/.test(head)) return 0;
  const m = /(?:failed with exit code:?|exited with code)\s*(-?\d+)/.exec(head);
  return m ? Number(m[1]) : null;
}

/** Unified-diff blocks of a `replace_file_content`-style result, with the path the result names. */
export function diffBlocks(content: string): { path: string | null; diff: string }[] {
  const out: { path: string | null; diff: string }[] = [];
  const named = /made by the \w+ tool to: (.+?)\.(?: |\n|$)/.exec(content.slice(0, 4000));
  let from = 0;
  for (;;) {
    const a = content.indexOf('[diff_block_start]', from);
    if (a === -1) break;
    const b = content.indexOf('[diff_block_end]', a);
    if (b === -1) break;
    const diff = content.slice(a + '[diff_block_start]'.length, b).replace(/^\n/, '');
    if (diff.trim()) out.push({ path: named ? named[1].trim() : null, diff: diff.endsWith('\n') ? diff : `${diff}\n` });
    from = b + 1;
  }
  return out;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** Child conversations an `invoke_subagent` result names (§3.8). */
export function subagentIds(content: string): string[] {
  const ids = new Set<string>();
  const text = content.slice(0, 64 * 1024);
  let at = text.indexOf('conversationId');
  while (at !== -1) {
    const m = text.slice(at, at + 80).match(UUID);
    if (m) ids.add(m[0]);
    at = text.indexOf('conversationId', at + 14);
  }
  return [...ids];
}

// ---------------------------------------------------------------------------------------------------------------
// Steps → messages

/** Calls of the last planner step still waiting for results; carried across passes in the file's state. */
export interface Pending {
  /** Each call's tool-use id, tool name, message source id and target file. */
  readonly ids: string[];
  readonly names: string[];
  readonly sourceIds: string[];
  readonly targets: (string | null)[];
  /** Whether each call's data already records edits (a result's diff only fills in for calls without). */
  readonly hasEdits: boolean[];
  next: number;
}

export interface StepFacts {
  objective: string | null;
  /** First `Cwd` of a command: the last fallback for the workspace. */
  cwd: string | null;
  childIds: string[];
}

export interface StepsOutcome {
  readonly messages: ParsedMessage[];
  readonly pending: Pending | null;
  readonly facts: StepFacts;
  /** Data for tool calls written in an earlier pass (a diff learned from their result). */
  readonly updates: { sourceId: string; data: string }[];
}

function capInput(json: string): string {
  return json.length > MAX_TOOL_INPUT_CHARS ? `${json.slice(0, MAX_TOOL_INPUT_CHARS)}…` : json;
}

/** The base source id of each step: `step-<index>`, or with `@<offset>` when an index repeats (after a rewind). */
export function stepIds(steps: readonly Step[]): string[] {
  const seen = new Set<number>();
  return steps.map((s) => {
    if (s.index === null) return `offset-${s.byteOffset}`;
    if (seen.has(s.index)) return `step-${s.index}@${s.byteOffset}`;
    seen.add(s.index);
    return `step-${s.index}`;
  });
}

/**
 * Turns steps (already sorted) into messages. `pending` carries the calls of a planner step read in an earlier pass.
 */
export function stepsToMessages(steps: readonly Step[], pendingIn: Pending | null): StepsOutcome {
  const messages: ParsedMessage[] = [];
  const facts: StepFacts = { objective: null, cwd: null, childIds: [] };
  const updates: { sourceId: string; data: string }[] = [];
  const byId = new Map<string, ParsedMessage>();
  let pending: Pending | null = pendingIn
    ? { ids: [...pendingIn.ids], names: [...pendingIn.names], sourceIds: [...pendingIn.sourceIds], targets: [...pendingIn.targets], hasEdits: [...pendingIn.hasEdits], next: pendingIn.next }
    : null;
  const ids = stepIds(steps);
  steps.forEach((step, n) => {
    const base = ids[n];
    let k = 0;
    const push = (fields: Omit<Parameters<typeof makeMessage>[0], 'sourceId'>): ParsedMessage => {
      const m = makeMessage({ timestamp: step.createdAt, byteOffset: step.byteOffset, ...fields, sourceId: k === 0 ? base : `${base}#${k}` });
      k++;
      messages.push(m);
      return m;
    };
    const cap = (t: string) => capText(t, step.byteOffset);
    if (step.type === 'USER_INPUT') {
      pending = null;
      const p = promptOf(step.content ?? '');
      if (!p.text) return;
      push({ role: 'user', kind: 'prompt', text: cap(p.text), subtype: step.source === 'SYSTEM_SDK' ? 'injected' : null });
      return;
    }
    if (step.type === 'PLANNER_RESPONSE') {
      pending = null;
      if (step.thinking) push({ role: 'assistant', kind: 'thinking', text: cap(step.thinking) });
      if (step.content) push({ role: 'assistant', kind: 'reply', text: cap(step.content) });
      if (step.toolCalls.length) {
        const p: Pending = { ids: [], names: [], sourceIds: [], targets: [], hasEdits: [], next: 0 };
        step.toolCalls.forEach((call, i) => {
          const toolUseId = `${base}:${i}`;
          const edits = agyEdits(call.name, call.args, call.truncated);
          const m = push({
            role: 'assistant',
            kind: 'tool-call',
            text: describeAgyTool(call.name, call.args),
            toolName: call.name,
            toolInput: capInput(toJson(call.args)),
            toolUseId,
            files: filesOfCall(call.args),
            data: editsData(edits),
          });
          byId.set(toolUseId, m);
          p.ids.push(toolUseId);
          p.names.push(call.name);
          p.sourceIds.push(m.sourceId);
          p.targets.push(str(call.args.TargetFile) ?? null);
          p.hasEdits.push(edits.length > 0);
          if (call.name === 'run_command' && !facts.cwd && typeof call.args.Cwd === 'string') facts.cwd = call.args.Cwd;
        });
        pending = p;
      }
      return;
    }
    if (step.source === 'USER_EXPLICIT' && step.type === 'RUN_COMMAND') {
      // The user ran a command themselves (§3.3): shown to the model, but not a result of one of its calls.
      if (step.content) push({ role: 'user', kind: 'system', text: cap(step.content), subtype: 'user-command', isError: (exitCodeOf(step.content) ?? 0) !== 0 });
      return;
    }
    if (isMarker(step)) {
      switch (step.type) {
        case 'CHECKPOINT':
          if (step.content) {
            facts.objective ??= checkpointObjective(step.content);
            push({ role: 'system', kind: 'summary', text: cap(step.content), subtype: 'checkpoint' });
          }
          return;
        case 'ERROR_MESSAGE': {
          const text = [step.error ?? step.content ?? 'error', step.errorCode !== null ? `(code ${step.errorCode})` : ''].filter(Boolean).join(' ');
          push({ role: 'system', kind: 'system', text: cap(text), subtype: 'error', isError: true });
          return;
        }
        default:
          if (step.content) push({ role: 'system', kind: 'system', text: cap(step.content), subtype: step.type.toLowerCase().replace(/_/g, '-') });
          return;
      }
    }
    // A tool result: pairs with the next unanswered call of the last planner step.
    const body = resultBody(step.content ?? '');
    let toolName: string | null = RESULT_TYPE_TOOLS[step.type] ?? null;
    let toolUseId: string | null = null;
    let call: { sourceId: string; target: string | null; hasEdits: boolean } | null = null;
    if (pending && pending.next < pending.ids.length) {
      const i = pending.next++;
      toolName = pending.names[i];
      toolUseId = pending.ids[i];
      call = { sourceId: pending.sourceIds[i], target: pending.targets[i], hasEdits: pending.hasEdits[i] };
    }
    const exit = step.exitCode ?? (toolName === 'run_command' ? exitCodeOf(body) : null);
    const running = step.status === 'RUNNING';
    push({
      role: 'tool',
      kind: 'tool-result',
      text: cap(body || (step.error ?? `[${step.type.toLowerCase()}]`)),
      toolName,
      toolUseId,
      isError: step.status === 'ERROR' || (exit !== null && exit !== 0) || /^Encountered error in step execution/.test(body),
      subtype: running ? 'running' : null,
    });
    if (toolName === 'invoke_subagent' || step.type === 'INVOKE_SUBAGENT') for (const id of subagentIds(body)) if (!facts.childIds.includes(id)) facts.childIds.push(id);
    // A call whose arguments did not carry its edit: the result's diff block does.
    if (call && toolUseId && !call.hasEdits && step.status !== 'ERROR') {
      const target = call.target;
      const edits: FileEdit[] = diffBlocks(body).flatMap((b) => {
        const path = b.path ?? target;
        return path ? [{ op: 'unified-diff' as const, path, diff: b.diff }] : [];
      });
      const data = editsData(edits);
      if (data) {
        const inBatch = byId.get(toolUseId);
        if (inBatch) inBatch.data = data;
        else updates.push({ sourceId: call.sourceId, data });
      }
    }
  });
  return { messages, pending, facts, updates };
}
