/**
 * One Cursor chat bubble → normalized messages. Pure, never throws.
 * Covers the three bubble shapes (shared/formats/cursor.md §4–§6): the 2023–24 chat panel (`type: "user" | "ai"`),
 * inline composer conversations and split-storage `bubbleId:` rows (`type: 1 | 2`, `toolFormerData`, `thinking`).
 */
import { MAX_TOOL_INPUT_CHARS, type ParsedMessage } from '../../model.js';
import { folderFromUri, normalizeProjectPath, resolveAgainst } from '../project-path.js';
import { capValue, isObject, toJson, makeMessage, str, tryJson, type Json } from '../text.js';
import { cursorEdits, describeCursorTool, editsData, parseArgs, pathArg, resultIsError, resultText } from './tools.js';

export type BubbleRole = 'user' | 'assistant';

/** 1 / "user" → user, 2 / "ai" → assistant; anything else is unknown. */
export function bubbleRole(type: unknown): BubbleRole | null {
  if (type === 1 || type === 'user') return 'user';
  if (type === 2 || type === 'ai') return 'assistant';
  return null;
}

const MAX_FILES = 100;
const MAX_DEPTH = 64;

/** Plain text of a Lexical editor state (the `richText` of user bubbles): one line per block, lists item by item. */
export function richTextToPlain(richText: string): string {
  const state = tryJson(richText);
  if (!isObject(state)) return '';
  const root = isObject(state.root) ? state.root : state;
  const inline = (node: unknown, depth: number): string => {
    if (!isObject(node) || depth > MAX_DEPTH) return '';
    if (typeof node.text === 'string') return node.text;
    return Array.isArray(node.children) ? node.children.map((c) => inline(c, depth + 1)).join('') : '';
  };
  const lines: string[] = [];
  for (const block of listOf(root.children)) {
    if (isObject(block) && block.type === 'list') for (const item of listOf(block.children)) lines.push(inline(item, 1));
    else lines.push(inline(block, 1));
  }
  return lines.join('\n').trim();
}

function uriPath(uri: unknown): string | undefined {
  if (typeof uri === 'string') return folderFromUri(uri) ?? uri;
  if (!isObject(uri)) return undefined;
  const fsPath = str(uri.fsPath);
  if (fsPath) return normalizeProjectPath(fsPath) ?? undefined;
  const external = str(uri.external);
  if (external) return folderFromUri(external) ?? undefined;
  return str(uri.path);
}

function addFile(files: string[], seen: Set<string>, p: string | undefined, project: string | null): void {
  if (!p || files.length >= MAX_FILES) return;
  const resolved = resolveAgainst(project, p);
  if (seen.has(resolved)) return;
  seen.add(resolved);
  files.push(resolved);
}

function listOf(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** Files a user bubble attached or Cursor marked relevant. */
function userFiles(b: Json, project: string | null): string[] {
  const files: string[] = [];
  const seen = new Set<string>();
  for (const f of listOf(b.relevantFiles)) addFile(files, seen, typeof f === 'string' ? f : undefined, project);
  const context = isObject(b.context) ? b.context : b;
  for (const sel of listOf(context.fileSelections)) addFile(files, seen, isObject(sel) ? uriPath(sel.uri) : undefined, project);
  for (const chunk of listOf(b.attachedCodeChunks)) {
    addFile(files, seen, isObject(chunk) ? (str(chunk.relativeWorkspacePath) ?? uriPath(chunk.uri)) : undefined, project);
  }
  return files;
}

/** Image attachments as placeholders (paths or names only: base64 payloads never reach the index). */
function imagePlaceholders(b: Json): string[] {
  const context = isObject(b.context) ? b.context : {};
  const out: string[] = [];
  for (const img of [...listOf(b.images), ...listOf(b.selectedImages), ...listOf(context.selectedImages)]) {
    if (!isObject(img)) continue;
    const name = str(img.path) ?? str(img.name) ?? str(img.uuid);
    out.push(name ? `[image: ${name}]` : '[image]');
  }
  return out;
}

export interface BubbleContext {
  readonly project: string | null;
  readonly timestamp: number | null;
  /** Where the bubble lives (for the note on cut text), e.g. `bubbleId:<composer>:<bubble>`. */
  readonly where: string;
}

export interface BubbleOutcome {
  readonly messages: ParsedMessage[];
  /** Why the bubble gave nothing it should have (counted by the caller); null when fine or legitimately empty. */
  readonly skip: string | null;
}

function idFor(bubbleId: string, index: number): string {
  return index === 0 ? bubbleId : `${bubbleId}#${index}`;
}

function capInput(json: string): string {
  return json.length > MAX_TOOL_INPUT_CHARS ? `${json.slice(0, MAX_TOOL_INPUT_CHARS)}…` : json;
}

function toolMessages(bubbleId: string, t: Json, ctx: BubbleContext, firstIndex: number): ParsedMessage[] {
  const name = str(t.name) ?? (typeof t.tool === 'number' ? `tool-${t.tool}` : 'tool');
  const args = { ...parseArgs(t.params), ...parseArgs(t.rawArgs) };
  const status = str(t.status);
  // Results are JSON strings, sometimes megabytes: parsed once here and reused below.
  const rawResult = typeof t.result === 'string' ? (tryJson(t.result) ?? t.result) : t.result;
  const resultObj = isObject(rawResult) ? rawResult : undefined;
  const toolUseId = str(t.toolCallId) ?? `${bubbleId}:tool`;
  const rejected = t.userDecision === 'rejected';
  const file = pathArg(args);
  const out: ParsedMessage[] = [
    makeMessage({
      sourceId: idFor(bubbleId, firstIndex),
      timestamp: ctx.timestamp,
      role: 'assistant',
      kind: 'tool-call',
      text: describeCursorTool(name, args),
      toolName: name,
      toolInput: capInput(toJson(args)),
      toolUseId,
      files: file ? [resolveAgainst(ctx.project, file)] : [],
      data: editsData(cursorEdits(name, args, resultObj, ctx.project)),
    }),
  ];
  const hasResult = (typeof t.result === 'string' && t.result !== '') || isObject(t.result) || Array.isArray(t.result);
  const finished = status === 'completed' || status === 'error' || status === 'cancelled' || status === 'aborted' || rejected;
  if (hasResult || finished) {
    const text = hasResult ? resultText(rawResult) : '';
    out.push(
      makeMessage({
        sourceId: idFor(bubbleId, firstIndex + 1),
        timestamp: ctx.timestamp,
        role: 'tool',
        kind: 'tool-result',
        text: capValue(text || `[${rejected ? 'rejected by the user' : (status ?? 'no result')}]`, ctx.where),
        toolName: name,
        toolUseId,
        // A rejected edit was undone by Cursor: restore must not apply it.
        isError: rejected || resultIsError(status, rawResult),
        subtype: rejected ? 'rejected' : status === 'cancelled' || status === 'aborted' ? status : null,
      }),
    );
  }
  return out;
}

/** Messages of one bubble, in display order: thinking, text, tool call, tool result. */
export function bubbleMessages(bubbleId: string, b: Json, ctx: BubbleContext): BubbleOutcome {
  try {
    return parseBubble(bubbleId, b, ctx);
  } catch {
    return { messages: [], skip: 'unparseable-bubble' };
  }
}

function parseBubble(bubbleId: string, b: Json, ctx: BubbleContext): BubbleOutcome {
  const role = bubbleRole(b.type);
  if (!role) return { messages: [], skip: `unknown-bubble-type:${String(b.type).slice(0, 40)}` };
  if (role === 'user') {
    let text = str(b.text) ?? '';
    if (!text.trim()) text = typeof b.richText === 'string' ? richTextToPlain(b.richText) : '';
    if (!text.trim() && typeof b.initText === 'string') text = richTextToPlain(b.initText);
    const images = imagePlaceholders(b);
    const body = [text.trim() ? text : '', ...images].filter(Boolean).join('\n');
    if (!body) return { messages: [], skip: null };
    return {
      messages: [makeMessage({ sourceId: bubbleId, timestamp: ctx.timestamp, role: 'user', kind: 'prompt', text: capValue(body, ctx.where), files: userFiles(b, ctx.project) })],
      skip: null,
    };
  }
  const out: ParsedMessage[] = [];
  const thinkingParts: string[] = [];
  for (const block of listOf(b.allThinkingBlocks)) if (isObject(block) && typeof block.text === 'string' && block.text) thinkingParts.push(block.text);
  if (thinkingParts.length === 0 && isObject(b.thinking) && typeof b.thinking.text === 'string' && b.thinking.text) thinkingParts.push(b.thinking.text);
  if (thinkingParts.length) {
    out.push(makeMessage({ sourceId: idFor(bubbleId, out.length), timestamp: ctx.timestamp, role: 'assistant', kind: 'thinking', text: capValue(thinkingParts.join('\n\n'), ctx.where) }));
  }
  const text = str(b.text) || str(b.rawText) || '';
  if (text.trim()) {
    const files: string[] = [];
    const seen = new Set<string>();
    for (const block of listOf(b.codeBlocks)) if (isObject(block)) addFile(files, seen, uriPath(block.uri), ctx.project);
    out.push(makeMessage({ sourceId: idFor(bubbleId, out.length), timestamp: ctx.timestamp, role: 'assistant', kind: 'reply', text: capValue(text, ctx.where), files }));
  }
  if (isObject(b.toolFormerData) && (b.toolFormerData.name !== undefined || b.toolFormerData.tool !== undefined)) {
    out.push(...toolMessages(bubbleId, b.toolFormerData, ctx, out.length));
  }
  return { messages: out, skip: null };
}
