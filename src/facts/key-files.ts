/**
 * Key files: the files a session edited or discussed most. Counts are kept per path in the extractor state and
 * ranked here; paths under the session's project are shown relative to it.
 */
import { oneLine } from './text.js';

export interface FileCounts {
  edits: number;
  reads: number;
  mentions: number;
  /** Last message that touched the file: where the key-file fact points. */
  lastSeq: number;
}

export const KEY_FILES_SHOWN = 8;
/** Distinct paths counted per session; beyond it the least touched are dropped (deterministically). */
export const MAX_COUNTED_FILES = 400;

/** Edits weigh most: a file changed three times matters more than one read nine times over. */
export function fileScore(c: FileCounts): number {
  return c.edits * 3 + c.reads + c.mentions;
}

/** `path` relative to `project` when under it; otherwise as recorded. */
export function displayPath(path: string, project: string | null | undefined): string {
  if (project) {
    const root = project.endsWith('/') ? project : `${project}/`;
    if (path.startsWith(root) && path.length > root.length) return path.slice(root.length);
  }
  return path.startsWith('./') ? path.slice(2) : path;
}

const EXTENSIONS =
  'ts|tsx|js|jsx|mjs|cjs|py|go|rs|java|kt|rb|php|c|h|cc|cpp|hpp|cs|swift|m|md|mdx|json|jsonc|yaml|yml|toml|ini|sql|sh|bash|zsh|css|scss|less|html|vue|svelte|astro|proto|graphql|gql|tf|lock|xml|gradle|ex|exs|erl|scala|clj|dart|lua|r|jl|zig|nim|vim|txt|env|cfg|conf|dockerfile';
const PATHLIKE = new RegExp(`^(?:\\.{0,2}/)?[\\w@.-]+(?:/[\\w@.-]+)+\\.(?:${EXTENSIONS})$`, 'i');

/**
 * Paths written in prose (`src/cart.ts`, `./lib/a.py`): tokens with a slash and a known extension. Tokenizing first
 * keeps the path pattern anchored and linear (no scanning regex over the whole text).
 */
export function mentionedPaths(text: string, max = 50): string[] {
  const out = new Set<string>();
  for (const raw of text.split(/[\s`'"()[\]{}<>,;]+/)) {
    if (raw.length < 4 || raw.length > 200 || !raw.includes('/')) continue;
    const token = raw.replace(/[.:!?]+$/, '').replace(/:\d+(?::\d+)?$/, '');
    if (token.includes('://')) continue;
    if (PATHLIKE.test(token)) out.add(token.startsWith('./') ? token.slice(2) : token);
    if (out.size >= max) break;
  }
  return [...out];
}

export interface RankedFile {
  readonly path: string;
  readonly counts: FileCounts;
}

/** The top files, most touched first; a file needs an edit or at least two touches to count. */
export function rankKeyFiles(files: ReadonlyMap<string, FileCounts>, n = KEY_FILES_SHOWN): RankedFile[] {
  return [...files.entries()]
    .filter(([, c]) => c.edits > 0 || c.reads + c.mentions >= 2)
    .sort((a, b) => fileScore(b[1]) - fileScore(a[1]) || b[1].lastSeq - a[1].lastSeq || (a[0] < b[0] ? -1 : 1))
    .slice(0, n)
    .map(([path, counts]) => ({ path, counts }));
}

export function keyFileText(path: string, c: FileCounts): string {
  const parts: string[] = [];
  if (c.edits) parts.push(`${c.edits} edit${c.edits === 1 ? '' : 's'}`);
  if (c.reads) parts.push(`${c.reads} read${c.reads === 1 ? '' : 's'}`);
  if (c.mentions) parts.push(`${c.mentions} mention${c.mentions === 1 ? '' : 's'}`);
  return oneLine(`${path} (${parts.join(', ')})`);
}

/** Drops the least touched paths once there are too many, oldest first among equals. */
export function pruneCounts(files: Map<string, FileCounts>): void {
  if (files.size <= MAX_COUNTED_FILES) return;
  const keep = [...files.entries()]
    .sort((a, b) => fileScore(b[1]) - fileScore(a[1]) || b[1].lastSeq - a[1].lastSeq || (a[0] < b[0] ? -1 : 1))
    .slice(0, Math.floor(MAX_COUNTED_FILES * 0.8));
  files.clear();
  for (const [k, v] of keep) files.set(k, v);
}
