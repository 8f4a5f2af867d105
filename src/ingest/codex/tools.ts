/** Tool call and tool result rows: descriptions, touched files, and apply_patch in every form it takes. Pure. */
import { MAX_DATA_CHARS, MAX_TOOL_INPUT_CHARS, type FileEdit, type FileEditData } from '../../model.js';
import { capJson, isObject, shorten, str, toJson, type Json } from '../text.js';
import { codexOutput, commandText, isAbsolutePath } from './content.js';
import { describePatch, patchFiles, patchFromCommand, resolveAgainst } from './patch.js';
import { MAX_CALL_IDS, push, remember, type CodexState, type Line } from './state.js';

const SHELL_TOOLS = new Set(['shell', 'container.exec', 'local_shell', 'shell_command', 'exec_command', 'unified_exec']);

export interface ToolCall {
  name: string;
  callId: string | null;
  /** Raw input as recorded (JSON arguments, or the freeform text of a custom tool). */
  input: string;
  args: Json | null;
  cwd: string | null;
}

/** A tool call row: description, files and, for apply_patch in any of its forms, the FileEdit data. */
export function toolCallRow(l: Line, state: CodexState, call: ToolCall): void {
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

export function toolResultRow(l: Line, state: CodexState, callId: string | null, output: unknown, name: string | null = null): void {
  const { text, failed } = codexOutput(output);
  const isError = failed ?? (callId !== null && state.failed.includes(callId));
  push(l, { role: 'tool', kind: 'tool-result', text, toolUseId: callId, toolName: name, isError });
}

export function toolSearchText(item: Json): string {
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

export function fileChangeEdits(changes: unknown, cwd: string | null): { files: string[]; edits: FileEdit[] } {
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

