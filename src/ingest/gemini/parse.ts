/**
 * Gemini CLI `MessageRecord`s → normalized messages (formats/gemini-cli.md §4). Pure: no I/O, never throws.
 * One record gives its thoughts (one thinking row), its text (prompt, reply or system row) and, per tool call, a
 * tool-call row and, once the call finished, a tool-result row. Row ids derive from the record id, so a later copy
 * of the same record (Gemini re-sends a message whenever it changes) gives the same ids.
 */
import path from 'node:path';
import {
  MAX_DATA_CHARS,
  MAX_TOOL_INPUT_CHARS,
  type FileEdit,
  type FileEditData,
  type MessageKind,
  type ParsedMessage,
  type Role,
} from '../../model.js';
import { binaryPlaceholder, capJson, capText, makeMessage, isObject, num, parseTimestamp, shorten, str, toJson, type Json } from '../text.js';

export interface GeminiRecordRows {
  messages: ParsedMessage[];
  /** Why the record gave nothing it should have (counted by the caller), or null. */
  skip: string | null;
}

interface Ctx {
  readonly id: string;
  readonly timestamp: number | null;
  readonly byteOffset: number;
  readonly out: ParsedMessage[];
}

function push(ctx: Ctx, suffix: string, fields: Partial<ParsedMessage> & { role: Role; kind: MessageKind; text: string }): void {
  ctx.out.push(
    makeMessage({
      sourceId: suffix ? `${ctx.id}#${suffix}` : ctx.id,
      timestamp: ctx.timestamp,
      byteOffset: ctx.byteOffset,
      ...fields,
      text: capText(fields.text, ctx.byteOffset),
    }),
  );
}

/** A `PartListUnion` (string, one Part, or Parts) → visible text and thought text. */
export function partsText(content: unknown): { text: string; thoughts: string } {
  if (typeof content === 'string') return { text: content, thoughts: '' };
  const parts = Array.isArray(content) ? content : isObject(content) ? [content] : [];
  const text: string[] = [];
  const thoughts: string[] = [];
  for (const p of parts) {
    if (typeof p === 'string') {
      text.push(p);
      continue;
    }
    if (!isObject(p)) continue;
    if (typeof p.text === 'string') (p.thought === true ? thoughts : text).push(p.text);
    else if (isObject(p.inlineData)) {
      const mime = str(p.inlineData.mimeType);
      text.push(binaryPlaceholder(mime?.startsWith('image/') ? 'image' : 'file', mime, str(p.inlineData.data)));
    } else if (isObject(p.fileData)) text.push(`[file: ${str(p.fileData.fileUri) ?? str(p.fileData.mimeType) ?? 'file'}]`);
    else if (isObject(p.functionCall)) text.push(`[function call: ${str(p.functionCall.name) ?? '?'}]`);
    else if (isObject(p.functionResponse)) text.push(`[function response: ${str(p.functionResponse.name) ?? '?'}]`);
    else if (typeof p.executableCode === 'object' || typeof p.codeExecutionResult === 'object') text.push('[code execution]');
  }
  return { text: text.join('\n'), thoughts: thoughts.join('\n\n') };
}

function thoughtsText(thoughts: unknown): string {
  if (!Array.isArray(thoughts)) return '';
  return thoughts
    .filter(isObject)
    .map((t) => {
      const subject = str(t.subject);
      const description = str(t.description) ?? '';
      return subject ? `**${subject}** ${description}`.trim() : description;
    })
    .filter(Boolean)
    .join('\n\n');
}

function abs(p: string, root: string | null): string {
  if (path.isAbsolute(p) || /^[A-Za-z]:[\\/]/.test(p)) return p;
  return root !== null && path.isAbsolute(root) ? path.join(root, p) : p;
}

/** Paths a tool call reads or writes, absolute against the project root (a shell's working directory is not one). */
export function toolFiles(name: string, args: Json, root: string | null): string[] {
  if (name === 'run_shell_command') return [];
  const out: string[] = [];
  for (const key of ['file_path', 'absolute_path', 'path', 'dir_path', 'directory']) {
    const v = args[key];
    if (typeof v === 'string' && v) out.push(abs(v, root));
  }
  if (Array.isArray(args.paths)) {
    for (const p of args.paths) if (typeof p === 'string' && p && !/[*?[{]/.test(p)) out.push(abs(p, root));
  }
  return [...new Set(out)];
}

/** The FileEdit a `write_file` / `replace` call makes (FileEdit in model.ts), or null for other tools. */
export function toolEdits(name: string, args: Json, root: string | null): FileEdit[] | null {
  const file = str(args.file_path) ?? str(args.absolute_path) ?? str(args.path);
  if (!file) return null;
  const target = abs(file, root);
  if (name === 'write_file') {
    const content = str(args.content);
    return content === undefined ? null : [{ op: 'write', path: target, content }];
  }
  if (name === 'replace' || name === 'edit') {
    const oldText = str(args.old_string);
    const newText = str(args.new_string);
    if (oldText === undefined || newText === undefined) return null;
    // An empty old_string is how the edit tool creates a new file.
    if (oldText === '') return [{ op: 'write', path: target, content: newText }];
    const expected = num(args.expected_replacements);
    const replaceAll = args.allow_multiple === true || args.replace_all === true || (expected !== undefined && expected > 1);
    return [{ op: 'replace', path: target, oldText, newText, replaceAll }];
  }
  return null;
}

/** `run_shell_command: npm test`, `replace /home/ada/shop/src/cart.ts`, … */
export function describeGeminiTool(name: string, args: Json): string {
  const file = str(args.file_path) ?? str(args.absolute_path);
  switch (name) {
    case 'run_shell_command':
      return `run_shell_command: ${shorten(str(args.command) ?? '', 500)}`;
    case 'read_file':
    case 'write_file':
    case 'replace':
    case 'edit':
      return file ? `${name} ${file}` : name;
    case 'read_many_files':
      return `read_many_files ${shorten(Array.isArray(args.paths) ? args.paths.filter((p) => typeof p === 'string').join(', ') : '', 300)}`;
    case 'list_directory':
      return `list_directory ${str(args.dir_path) ?? str(args.path) ?? ''}`.trim();
    case 'glob':
    case 'grep_search':
    case 'search_file_content': {
      const where = str(args.dir_path) ?? str(args.path);
      return `${name} ${shorten(str(args.pattern) ?? '', 200)}${where ? ` in ${where}` : ''}`;
    }
    case 'google_web_search':
      return `google_web_search ${shorten(str(args.query) ?? '', 300)}`;
    case 'web_fetch':
      return `web_fetch ${shorten(str(args.prompt) ?? str(args.url) ?? '', 300)}`;
    default:
      return shorten(`${name} ${toJson(args)}`, 500);
  }
}

/** What the model was sent back, else what the UI showed; and whether it reports a failure. */
export function toolResult(call: Json): { text: string; failed: boolean } {
  const texts: string[] = [];
  let failed = false;
  const parts = Array.isArray(call.result) ? call.result : isObject(call.result) ? [call.result] : [];
  for (const p of parts) {
    if (!isObject(p)) continue;
    if (isObject(p.functionResponse)) {
      const response = isObject(p.functionResponse.response) ? p.functionResponse.response : {};
      const output = response.output ?? response.llmContent ?? response.content;
      if (typeof output === 'string') texts.push(output);
      else if (output !== undefined) texts.push(partsText(output).text || toJson(output));
      if (response.error !== undefined && response.error !== null) {
        failed = true;
        texts.push(typeof response.error === 'string' ? response.error : toJson(response.error));
      }
    } else {
      const t = partsText(p).text;
      if (t) texts.push(t);
    }
  }
  const display = call.resultDisplay;
  if (texts.length === 0) {
    if (typeof display === 'string') texts.push(display);
    else if (isObject(display) && typeof display.output === 'string') texts.push(display.output);
  }
  if (isObject(display) && typeof display.fileDiff === 'string') texts.push(display.fileDiff);
  const text = texts.join('\n\n');
  const exit = /^Exit Code: (-?\d+)/m.exec(text.slice(0, 64 * 1024));
  if (exit && Number(exit[1]) !== 0) failed = true;
  return { text, failed };
}

const FINISHED = new Set(['success', 'error', 'cancelled']);

function toolCallRows(ctx: Ctx, calls: unknown, root: string | null): void {
  if (!Array.isArray(calls)) return;
  calls.forEach((call, index) => {
    if (!isObject(call)) return;
    const name = str(call.name) ?? 'tool';
    const args = isObject(call.args) ? call.args : {};
    const id = str(call.id) ?? `${ctx.id}:${index}`;
    const timestamp = parseTimestamp(call.timestamp) ?? ctx.timestamp;
    const edits = toolEdits(name, args, root);
    const data = edits ? JSON.stringify({ edits } satisfies FileEditData) : null;
    const c: Ctx = { ...ctx, timestamp };
    push(c, `call:${id}`, {
      role: 'assistant',
      kind: 'tool-call',
      text: describeGeminiTool(name, args),
      toolName: name,
      toolInput: capJson(toJson(args), MAX_TOOL_INPUT_CHARS),
      toolUseId: id,
      files: toolFiles(name, args, root),
      data: data && data.length <= MAX_DATA_CHARS ? data : null,
    });
    const status = str(call.status);
    if (call.result === undefined && call.resultDisplay === undefined && !(status && FINISHED.has(status))) return;
    const { text, failed } = toolResult(call);
    push(c, `result:${id}`, {
      role: 'tool',
      kind: 'tool-result',
      text: text || (status === 'cancelled' ? '[cancelled]' : ''),
      toolName: name,
      toolUseId: id,
      isError: failed || status === 'error' || status === 'cancelled',
      files: toolFiles(name, args, root),
    });
  });
}

/** The rows of one MessageRecord. `root` (the project root, when known) anchors relative paths. */
export function geminiRecordRows(record: unknown, byteOffset: number, root: string | null): GeminiRecordRows {
  try {
    return recordRows(record, byteOffset, root);
  } catch {
    return { messages: [], skip: 'unparseable-entry' };
  }
}

function recordRows(record: unknown, byteOffset: number, root: string | null): GeminiRecordRows {
  if (!isObject(record)) return { messages: [], skip: 'not-an-object' };
  const id = str(record.id);
  if (!id) return { messages: [], skip: 'missing-id' };
  const type = str(record.type) ?? '(none)';
  const ctx: Ctx = { id, timestamp: parseTimestamp(record.timestamp), byteOffset, out: [] };
  // Older synthetic files use `parts` for content.
  const content = record.content ?? record.parts;
  switch (type) {
    case 'user': {
      const shown = record.displayContent !== undefined ? partsText(record.displayContent) : partsText(content);
      if (shown.text) push(ctx, '', { role: 'user', kind: 'prompt', text: shown.text });
      return { messages: ctx.out, skip: shown.text ? null : 'empty-message' };
    }
    case 'gemini':
    case 'model': {
      const { text, thoughts } = partsText(content);
      const thinking = [thoughtsText(record.thoughts), thoughts].filter(Boolean).join('\n\n');
      if (thinking) push(ctx, 'thoughts', { role: 'assistant', kind: 'thinking', text: thinking });
      if (text) push(ctx, '', { role: 'assistant', kind: 'reply', text });
      toolCallRows(ctx, record.toolCalls, root);
      // A model message still streaming can be empty; its later copy fills it in.
      return { messages: ctx.out, skip: null };
    }
    case 'info':
    case 'warning':
    case 'error': {
      const { text } = partsText(content);
      push(ctx, '', { role: 'system', kind: 'system', text: text || `[${type}]`, subtype: type, isError: type === 'error' });
      return { messages: ctx.out, skip: null };
    }
    default:
      return { messages: [], skip: `unknown-type:${type.slice(0, 60)}` };
  }
}
