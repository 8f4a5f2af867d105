/**
 * What a restore would do, decided before anything is written. Pure: given the target states and what the disk
 * holds now, lists the files to write, create and delete, and the ones it refuses to touch, with the reason.
 */
import path from 'node:path';
import type { FileStateAt } from './planner.js';

/** A path on disk as the restore sees it (see worktree.ts readWorkingTree). */
export interface WorkingTreeEntry {
  readonly path: string;
  readonly kind: 'file' | 'absent' | 'symlink' | 'directory' | 'other';
  /** Blob id of a regular file's bytes. */
  readonly blob?: string;
  /** Permission bits of a regular file (0o644, 0o755). */
  readonly mode?: number;
  /** A parent directory is a symbolic link that leads out of the repository. */
  readonly escapes?: boolean;
  /** A parent path exists and is not a directory. */
  readonly blocked?: boolean;
}

export interface PlannedFile {
  readonly path: string;
  /** Relative to the repository root, with `/` separators. */
  readonly rel: string;
  /** Blob id of the contents to write (null for a deletion). */
  readonly blob: string | null;
  /** Mode to give a written file: the existing one when overwriting, 0o644 for a new file. */
  readonly mode: number;
}

export interface Refusal {
  readonly path: string;
  readonly reason: string;
}

export interface RestorePlan {
  readonly repoRoot: string;
  readonly write: readonly PlannedFile[];
  readonly create: readonly PlannedFile[];
  readonly delete: readonly PlannedFile[];
  readonly unchanged: readonly string[];
  readonly refused: readonly Refusal[];
  readonly counts: { readonly write: number; readonly create: number; readonly delete: number; readonly unchanged: number; readonly refused: number };
}

/** The path relative to root, or null when it is not inside it. */
export function insideRepo(repoRoot: string, p: string): string | null {
  const rel = path.relative(repoRoot, p);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return null;
  return rel.split(path.sep).join('/');
}

export function planRestore(states: readonly FileStateAt[], tree: ReadonlyMap<string, WorkingTreeEntry>, repoRoot: string): RestorePlan {
  const write: PlannedFile[] = [];
  const create: PlannedFile[] = [];
  const del: PlannedFile[] = [];
  const unchanged: string[] = [];
  const refused: Refusal[] = [];
  for (const s of states) {
    const rel = insideRepo(repoRoot, s.path);
    if (rel === null) {
      refused.push({ path: s.path, reason: `outside the repository ${repoRoot}` });
      continue;
    }
    if (rel === '.git' || rel.startsWith('.git/') || rel.includes('/.git/')) {
      refused.push({ path: s.path, reason: 'inside a .git directory' });
      continue;
    }
    if (s.label === 'unknown') {
      refused.push({ path: s.path, reason: `its state at that moment is unknown: ${s.reason ?? 'no evidence'}` });
      continue;
    }
    const disk = tree.get(s.path);
    if (!disk) {
      refused.push({ path: s.path, reason: 'could not be read on disk' });
      continue;
    }
    if (disk.escapes) {
      refused.push({ path: s.path, reason: 'reached through a symbolic link that leads out of the repository' });
      continue;
    }
    if (disk.blocked) {
      refused.push({ path: s.path, reason: 'a parent path is not a directory' });
      continue;
    }
    if (disk.kind === 'symlink' || disk.kind === 'directory' || disk.kind === 'other') {
      refused.push({ path: s.path, reason: disk.kind === 'symlink' ? 'is a symbolic link now' : disk.kind === 'directory' ? 'is a directory now' : 'is not a regular file now' });
      continue;
    }
    if (s.absent) {
      if (disk.kind === 'absent') unchanged.push(s.path);
      else del.push({ path: s.path, rel, blob: null, mode: disk.mode ?? 0o644 });
      continue;
    }
    if (disk.kind === 'absent') create.push({ path: s.path, rel, blob: s.blob, mode: 0o644 });
    else if (disk.blob === s.blob) unchanged.push(s.path);
    else write.push({ path: s.path, rel, blob: s.blob, mode: disk.mode ?? 0o644 });
  }
  return {
    repoRoot,
    write,
    create,
    delete: del,
    unchanged,
    refused,
    counts: { write: write.length, create: create.length, delete: del.length, unchanged: unchanged.length, refused: refused.length },
  };
}
