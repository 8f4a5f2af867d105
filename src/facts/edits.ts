/**
 * What a tool call does to files, across assistants: the replacements it makes (for revert detection) and whether
 * it edits or reads the files it names (for key files). Claude Code keeps `old_string`/`new_string` in the call's
 * input; other adapters store normalized FileEdit lists as the call's `data` (model.ts).
 */
import type { FileEdit, FileEditData } from '../model.js';

export interface Replacement {
  readonly path: string;
  readonly oldText: string;
  readonly newText: string;
}

const EDIT_TOOL = /(?:^|[_.-])(?:edit|multiedit|multi_edit|write|write_file|create_file|replace|str_replace|str_replace_editor|search_replace|apply_patch|patch|notebookedit|edit_file|edit_notebook)$|^(?:Edit|MultiEdit|Write|NotebookEdit)$/i;
const READ_TOOL = /(?:^|[_.-])(?:read|read_file|read_many_files|view|view_file|open_file|cat|readfile)$|^Read$/i;

export function isEditTool(name: string | null): boolean {
  return name !== null && EDIT_TOOL.test(name);
}

export function isReadTool(name: string | null): boolean {
  return name !== null && READ_TOOL.test(name);
}

/** Inputs larger than this are not parsed for replacements: a huge rewrite is not the kind that gets reverted. */
const MAX_PARSE_CHARS = 512 * 1024;

function parse(json: string | null): unknown {
  if (!json || json.length > MAX_PARSE_CHARS) return null;
  try {
    return JSON.parse(json);
  } catch {
    return null;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** The string replacements a tool call makes, from Claude's input shape or the normalized FileEdit data. */
export function replacementsOf(toolName: string | null, toolInput: string | null, data: string | null): Replacement[] {
  const out: Replacement[] = [];
  const normalized = parse(data);
  if (isObject(normalized) && Array.isArray((normalized as unknown as FileEditData).edits)) {
    for (const e of (normalized as unknown as FileEditData).edits as FileEdit[]) {
      if (isObject(e) && e.op === 'replace' && typeof e.path === 'string' && typeof e.oldText === 'string' && typeof e.newText === 'string') {
        out.push({ path: e.path, oldText: e.oldText, newText: e.newText });
      }
    }
    if (out.length) return out;
  }
  if (!isEditTool(toolName)) return out;
  const input = parse(toolInput);
  if (!isObject(input)) return out;
  const path = str(input.file_path) ?? str(input.path) ?? str(input.notebook_path);
  if (!path) return out;
  const single = (o: Record<string, unknown>) => {
    const oldText = str(o.old_string) ?? str(o.oldText) ?? str(o.old_str);
    const newText = str(o.new_string) ?? str(o.newText) ?? str(o.new_str);
    if (oldText !== null && newText !== null) out.push({ path, oldText, newText });
  };
  single(input);
  if (Array.isArray(input.edits)) for (const e of input.edits) if (isObject(e)) single(e);
  return out;
}

/** Paths a tool call's normalized FileEdit data touches (adapters other than Claude put them there). */
export function editedPathsOf(data: string | null): string[] {
  const normalized = parse(data);
  if (!isObject(normalized) || !Array.isArray(normalized.edits)) return [];
  const paths: string[] = [];
  for (const e of normalized.edits) {
    if (!isObject(e)) continue;
    if (typeof e.path === 'string') paths.push(e.path);
    else if (e.op === 'apply-patch' && typeof e.patch === 'string') {
      for (const m of e.patch.matchAll(/^\*\*\* (?:Add|Update|Delete) File: (.+)$/gm)) paths.push(m[1].trim());
    }
  }
  return paths;
}
