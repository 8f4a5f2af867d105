/**
 * Which folder a Cursor workspace, composer, CLI chat or agent transcript belongs to (shared/formats/cursor.md §3,
 * §4.3, §7). Pure: callers read the files and pass their text in.
 */
import crypto from 'node:crypto';
import { folderFromUri, normalizeProjectPath } from '../project-path.js';
import { isObject, str, tryJson } from '../text.js';

export type WorkspaceTarget =
  | { readonly kind: 'folder'; readonly folder: string }
  /** A multi-root `.code-workspace` file: read it and pass it to {@link folderOfWorkspaceFile}. */
  | { readonly kind: 'workspace-file'; readonly file: string }
  | { readonly kind: 'none' };

/** `workspace.json` → the folder it opens, or the `.code-workspace` file to read for it. */
export function parseWorkspaceJson(text: string): WorkspaceTarget {
  const v = tryJson(text);
  if (!isObject(v)) return { kind: 'none' };
  const folder = folderFromUri(str(v.folder));
  if (folder) return { kind: 'folder', folder };
  const file = folderFromUri(str(v.workspace));
  if (file) return { kind: 'workspace-file', file };
  return { kind: 'none' };
}

/** Removes `//` and `/* *\/` comments, then trailing commas, from JSONC; strings are left alone. Linear. */
export function stripJsonc(text: string): string {
  const scan = (input: string, onChar: (i: number, out: string[]) => number): string => {
    const out: string[] = [];
    let i = 0;
    while (i < input.length) {
      if (input[i] === '"') {
        let j = i + 1;
        while (j < input.length && input[j] !== '"') j += input[j] === '\\' ? 2 : 1;
        out.push(input.slice(i, j + 1));
        i = j + 1;
      } else {
        i = onChar(i, out);
      }
    }
    return out.join('');
  };
  const noComments = scan(text, (i, out) => {
    if (text[i] === '/' && text[i + 1] === '/') {
      const nl = text.indexOf('\n', i);
      return nl === -1 ? text.length : nl;
    }
    if (text[i] === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      return end === -1 ? text.length : end + 2;
    }
    out.push(text[i]);
    return i + 1;
  });
  return scan(noComments, (i, out) => {
    if (noComments[i] === ',') {
      let j = i + 1;
      while (j < noComments.length && ' \t\r\n'.includes(noComments[j])) j++;
      if (noComments[j] === '}' || noComments[j] === ']') return i + 1;
    }
    out.push(noComments[i]);
    return i + 1;
  });
}

function dirname(p: string): string {
  const cut = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return cut <= 0 ? p.slice(0, cut + 1) || p : p.slice(0, cut);
}

/**
 * The project folder of a multi-root workspace: its first folder (relative paths are relative to the workspace file),
 * else the directory holding the workspace file.
 */
export function folderOfWorkspaceFile(workspaceFile: string, text: string | null): string {
  const v = text === null ? undefined : tryJson(stripJsonc(text));
  const folders = isObject(v) && Array.isArray(v.folders) ? v.folders : [];
  for (const f of folders) {
    if (!isObject(f)) continue;
    const uri = folderFromUri(str(f.uri));
    if (uri) return uri;
    const p = str(f.path);
    if (!p) continue;
    if (p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p)) return normalizeProjectPath(p)!;
    const base = dirname(workspaceFile);
    const sep = base.includes('\\') ? '\\' : '/';
    const joined = p === '.' ? base : `${base}${sep}${p.replace(/^\.[\\/]/, '')}`;
    return normalizeProjectPath(joined) ?? base;
  }
  return dirname(workspaceFile);
}

/** Composer ids a workspace DB references, from `composer.composerData` and the chat view pane keys (§4.3). */
export function composerRefs(composerData: unknown, paneValues: readonly unknown[]): string[] {
  const ids = new Set<string>();
  if (isObject(composerData)) {
    for (const c of Array.isArray(composerData.allComposers) ? composerData.allComposers : []) {
      if (isObject(c) && typeof c.composerId === 'string') ids.add(c.composerId);
    }
    for (const key of ['selectedComposerIds', 'lastFocusedComposerIds']) {
      const list = composerData[key];
      if (Array.isArray(list)) for (const id of list) if (typeof id === 'string') ids.add(id);
    }
    if (typeof composerData.selectedComposerId === 'string') ids.add(composerData.selectedComposerId);
  }
  const prefix = 'workbench.panel.aichat.view.';
  for (const pane of paneValues) {
    if (!isObject(pane)) continue;
    for (const key of Object.keys(pane)) if (key.startsWith(prefix) && key.length > prefix.length) ids.add(key.slice(prefix.length));
  }
  return [...ids];
}

/** cursor-agent names a chat's directory after the MD5 of its working directory (§7). */
export function cwdHash(cwd: string): string {
  return crypto.createHash('md5').update(cwd).digest('hex');
}

/** Candidate spellings of a folder whose MD5 cursor-agent may have taken (with and without a trailing separator). */
export function cwdSpellings(folder: string): string[] {
  const out = new Set([folder]);
  if (folder.length > 1) out.add(folder.endsWith('/') || folder.endsWith('\\') ? folder.slice(0, -1) : `${folder}${folder.includes('\\') ? '\\' : '/'}`);
  return [...out];
}

/**
 * The folder name Cursor gives a project under `~/.cursor/projects/` (`/home/ada/shop` → `home-ada-shop`): the path
 * with every character outside [A-Za-z0-9] turned into `-`, leading dashes dropped. Compared loosely, since the exact
 * rule for other characters is not documented.
 */
export function projectSlug(folder: string): string {
  return folder.replace(/[^A-Za-z0-9]/g, '-').replace(/^-+/, '');
}

const MAX_PROBES = 4096;
/** A folder name may span this many slug parts (each joint one of 4 characters: 4^3 spellings at most). */
const MAX_PARTS_PER_NAME = 4;
const JOINERS = ['-', '.', '_', ' '];

/**
 * Recovers the folder a project slug names by walking the filesystem: each dash may have been a separator or part of
 * a name (`-`, `.`, `_`, space). `isDir` is the only I/O; the walk only descends into folders that exist and gives up
 * after a bounded number of probes. Returns null when no folder matches.
 */
export function resolveSlug(slug: string, isDir: (p: string) => boolean, root = '/'): string | null {
  const parts = slug.split('-');
  let probes = 0;
  const join = (base: string, name: string) => (base.endsWith('/') ? `${base}${name}` : `${base}/${name}`);
  const walk = (base: string, i: number): string | null => {
    if (i === parts.length) return base;
    let names = [parts[i]];
    for (let j = i; j < parts.length && j < i + MAX_PARTS_PER_NAME; j++) {
      if (j > i) names = names.flatMap((n) => JOINERS.map((sep) => `${n}${sep}${parts[j]}`));
      for (const name of names) {
        if (!name || ++probes > MAX_PROBES) continue;
        const candidate = join(base, name);
        if (!isDir(candidate)) continue;
        const found = walk(candidate, j + 1);
        if (found) return found;
      }
    }
    return null;
  };
  return slug ? walk(root, 0) : null;
}
