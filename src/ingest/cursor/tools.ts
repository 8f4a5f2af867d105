/**
 * Cursor tool calls (the editor's `toolFormerData`, cursor-agent's tool-call blocks and transcript `tool_use`s):
 * one-line descriptions, the files they touch, the edits they make as {@link FileEdit}s, and readable result text.
 * Pure. Tool names and argument keys follow shared/formats/cursor.md §6; argument shapes are matched by key so the
 * snake_case editor tools and the PascalCase CLI tools are read by the same code.
 */
import type { FileEdit } from '../../model.js';
import { resolveAgainst } from '../project-path.js';
import { isObject, toJson, num, shorten, str, tryJson, type Json } from '../text.js';

export { editsData } from '../text.js';

const PATH_KEYS = ['target_file', 'file_path', 'path', 'filePath', 'targetFile', 'relative_workspace_path', 'relativeWorkspacePath', 'target_notebook', 'notebook_path'];
const COMMAND_KEYS = ['command', 'cmd', 'commandLine'];
const QUERY_KEYS = ['query', 'pattern', 'glob_pattern', 'search_term', 'regex', 'globPattern'];

/** The file a tool call names, as recorded (maybe relative to the workspace). */
export function pathArg(args: Json): string | undefined {
  for (const k of PATH_KEYS) {
    const v = args[k];
    if (typeof v === 'string' && v) return v;
  }
  return undefined;
}

/** `edit_file src/cart.ts`, `run_terminal_cmd: npm test`, `grep_search MAX in src`. */
export function describeCursorTool(name: string, args: Json): string {
  const command = COMMAND_KEYS.map((k) => str(args[k])).find(Boolean);
  if (command) return `${name}: ${shorten(command, 500)}`;
  const file = pathArg(args);
  if (file) return `${name} ${file}`;
  const query = QUERY_KEYS.map((k) => str(args[k])).find(Boolean);
  if (query) {
    const where = str(args.target_directory) ?? str(args.include_pattern) ?? str(args.directory);
    return `${name} ${shorten(query, 200)}${where ? ` in ${where}` : ''}`;
  }
  const json = toJson(args);
  return shorten(json && json !== '{}' ? `${name} ${json}` : name, 500);
}

/** Parses a JSON string argument defensively: double-encoded values are common (§6). */
export function parseArgs(raw: unknown): Json {
  let v = raw;
  for (let i = 0; i < 2 && typeof v === 'string'; i++) {
    const parsed = tryJson(v);
    if (parsed === undefined) break;
    v = parsed;
  }
  return isObject(v) ? v : {};
}

interface DiffChunk {
  readonly diffString: string;
  readonly oldStart?: number;
  readonly oldLines?: number;
  readonly newStart?: number;
  readonly newLines?: number;
}

function chunksOf(result: Json): DiffChunk[] {
  const diff = isObject(result.diff) ? result.diff : undefined;
  const chunks = diff && Array.isArray(diff.chunks) ? diff.chunks : [];
  const out: DiffChunk[] = [];
  for (const c of chunks) {
    if (!isObject(c) || typeof c.diffString !== 'string') continue;
    out.push({ diffString: c.diffString, oldStart: num(c.oldStart), oldLines: num(c.oldLines), newStart: num(c.newStart), newLines: num(c.newLines) });
  }
  return out;
}

/**
 * An `edit_file` result's diff chunks as edits. With line numbers a chunk is a unified-diff hunk; without them it is
 * turned into an exact replacement of its old lines (context and removed) by its new lines (context and added),
 * which is only done when there is old text to anchor on.
 */
export function editsFromDiffChunks(path: string, chunks: readonly DiffChunk[]): FileEdit[] {
  if (chunks.length === 0) return [];
  const numbered = chunks.every((c) => c.oldStart !== undefined && c.newStart !== undefined);
  if (numbered) {
    const hunks = chunks.map((c) => {
      const lines = c.diffString.replace(/\n$/, '').split('\n');
      const oldLines = c.oldLines ?? lines.filter((l) => !l.startsWith('+')).length;
      const newLines = c.newLines ?? lines.filter((l) => !l.startsWith('-')).length;
      return `@@ -${c.oldStart},${oldLines} +${c.newStart},${newLines} @@\n${lines.join('\n')}\n`;
    });
    return [{ op: 'unified-diff', path, diff: hunks.join('') }];
  }
  const edits: FileEdit[] = [];
  for (const c of chunks) {
    const oldText: string[] = [];
    const newText: string[] = [];
    for (const line of c.diffString.replace(/\n$/, '').split('\n')) {
      if (line.startsWith('-')) oldText.push(line.slice(1));
      else if (line.startsWith('+')) newText.push(line.slice(1));
      else {
        const ctx = line.startsWith(' ') ? line.slice(1) : line;
        oldText.push(ctx);
        newText.push(ctx);
      }
    }
    if (oldText.join('').trim() === '') continue;
    edits.push({ op: 'replace', path, oldText: oldText.join('\n'), newText: newText.join('\n'), replaceAll: false });
  }
  return edits;
}

const PATCH_START = '*** Begin Patch';

/**
 * The edits a tool call makes, when its arguments (or, for `edit_file`, its result) carry enough to replay them.
 * `edit_file`'s `code_edit` is a sketch with "existing code" elisions, never a literal write, so only its result's
 * diff counts.
 */
export function cursorEdits(name: string, args: Json, result: Json | undefined, project: string | null): FileEdit[] {
  const lower = name.toLowerCase();
  const rawPath = pathArg(args);
  const path = rawPath ? resolveAgainst(project, rawPath) : undefined;
  for (const v of Object.values(args)) {
    if (typeof v === 'string' && v.trimStart().startsWith(PATCH_START)) return [{ op: 'apply-patch', patch: v, cwd: project }];
  }
  if (!path || lower.includes('notebook')) return [];
  const oldText = str(args.old_string) ?? str(args.oldString) ?? str(args.old_str);
  const newText = str(args.new_string) ?? str(args.newString) ?? str(args.new_str);
  if (oldText !== undefined && newText !== undefined) {
    return [{ op: 'replace', path, oldText, newText, replaceAll: args.replace_all === true || args.replaceAll === true }];
  }
  if (lower.includes('delete')) return [{ op: 'delete', path }];
  const contents = str(args.contents) ?? str(args.content) ?? str(args.file_text) ?? str(args.fileText);
  if (contents !== undefined && (lower === 'write' || lower.startsWith('write') || lower.includes('create_file'))) {
    return [{ op: 'write', path, content: contents }];
  }
  if (lower === 'edit_file' || lower === 'reapply') return result ? editsFromDiffChunks(path, chunksOf(result)) : [];
  return [];
}

const RESULT_TEXT_KEYS = ['output', 'contents', 'content', 'stdout', 'text', 'markdown', 'result', 'message', 'error'];

/** Readable text of a tool result (a JSON string, an object, or content blocks). */
export function resultText(raw: unknown): string {
  const v = typeof raw === 'string' ? (tryJson(raw) ?? raw) : raw;
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) {
    const parts: string[] = [];
    for (const b of v) {
      if (typeof b === 'string') parts.push(b);
      else if (isObject(b) && typeof b.text === 'string') parts.push(b.text);
      else if (isObject(b) && (b.type === 'image' || b.type === 'image_url')) parts.push('[image]');
      else parts.push(toJson(b));
    }
    return parts.join('\n');
  }
  if (!isObject(v)) return v === undefined || v === null ? '' : String(v);
  for (const k of RESULT_TEXT_KEYS) {
    const s = v[k];
    if (typeof s === 'string' && s) {
      const exit = num(v.exitCode) ?? num(v.exit_code);
      return exit !== undefined ? `${s}\n[exit code ${exit}]` : s;
    }
  }
  return toJson(v);
}

/** True when a result reports failure (an error status, an error field, a non-zero exit code). */
export function resultIsError(status: string | undefined, raw: unknown): boolean {
  if (status === 'error' || status === 'failed') return true;
  const v = typeof raw === 'string' ? tryJson(raw) : raw;
  if (!isObject(v)) return false;
  const exit = num(v.exitCode) ?? num(v.exit_code);
  if (exit !== undefined && exit !== 0) return true;
  return typeof v.error === 'string' && v.error.length > 0;
}
