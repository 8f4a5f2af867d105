/** Reading the disk for a restore: what each path is now, without following links out of the repository. */
import fs from 'node:fs';
import path from 'node:path';
import { blobId } from './content.js';
import type { WorkingTreeEntry } from './restore-plan.js';

function realOrSelf(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}

function within(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Stats each path (lstat: a link is reported as a link) and reads regular files' bytes to know their blob id.
 * Parents between `repoRoot` and the file are checked: a symlinked parent that resolves outside the repository
 * marks the entry `escapes`; a parent that is a file marks it `blocked`.
 */
export function readWorkingTree(paths: readonly string[], repoRoot: string, withBytes?: Map<string, Buffer>): Map<string, WorkingTreeEntry> {
  const realRoot = realOrSelf(repoRoot);
  const out = new Map<string, WorkingTreeEntry>();
  const dirVerdict = new Map<string, { escapes: boolean; blocked: boolean }>();
  const checkDir = (dir: string): { escapes: boolean; blocked: boolean } => {
    const cached = dirVerdict.get(dir);
    if (cached) return cached;
    let verdict = { escapes: false, blocked: false };
    if (within(repoRoot, dir) && dir !== repoRoot) {
      verdict = checkDir(path.dirname(dir));
      if (!verdict.escapes && !verdict.blocked) {
        try {
          const st = fs.lstatSync(dir);
          if (st.isSymbolicLink()) verdict = { escapes: !within(realRoot, realOrSelf(dir)), blocked: false };
          else if (!st.isDirectory()) verdict = { escapes: false, blocked: true };
        } catch {
          // a missing directory is created by the restore
        }
      }
    }
    dirVerdict.set(dir, verdict);
    return verdict;
  };
  for (const p of paths) {
    const parent = checkDir(path.dirname(p));
    let entry: WorkingTreeEntry;
    try {
      const st = fs.lstatSync(p);
      if (st.isSymbolicLink()) entry = { path: p, kind: 'symlink' };
      else if (st.isDirectory()) entry = { path: p, kind: 'directory' };
      else if (!st.isFile()) entry = { path: p, kind: 'other' };
      else {
        const bytes = fs.readFileSync(p);
        withBytes?.set(p, bytes);
        entry = { path: p, kind: 'file', blob: blobId(bytes), mode: st.mode & 0o777 };
      }
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      entry = { path: p, kind: code === 'ENOENT' || code === 'ENOTDIR' ? 'absent' : 'other' };
    }
    out.set(p, { ...entry, ...(parent.escapes ? { escapes: true } : {}), ...(parent.blocked ? { blocked: true } : {}) });
  }
  return out;
}
