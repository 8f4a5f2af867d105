/**
 * Deciding how much of a source file is new. Shared by every line-oriented adapter.
 * A file is identified by (dev, inode) plus a hash of its first bytes: appends keep both, so reading resumes at
 * the stored offset; a rotation (new inode), a truncation (size below the offset) or an in-place rewrite (head
 * changed) means what the index holds from it is stale, and it is read again from the start.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { SourceFileState } from '../store/writer.js';

export const HEAD_BYTES = 1024;

export type ReadPlan =
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'append'; readonly from: number }
  | { readonly kind: 'reset' };

export interface FileIdentity {
  readonly dev: number;
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
}

/** Hash of the first `length` bytes, tagged with the length so a short head never matches a longer one. */
export function headHash(fd: number, length: number): string | null {
  if (length <= 0) return null;
  const buf = Buffer.alloc(length);
  const n = fs.readSync(fd, buf, 0, length, 0);
  return `${n}:${crypto.createHash('sha1').update(buf.subarray(0, n)).digest('hex')}`;
}

/** Pure: what to do with a file given what the index remembers of it. */
export function planRead(prev: SourceFileState | undefined, now: FileIdentity, currentHead: (length: number) => string | null): ReadPlan {
  if (!prev) return { kind: 'append', from: 0 };
  if (prev.ino !== now.ino || prev.dev !== now.dev) return { kind: 'reset' };
  if (now.size < prev.readOffset) return { kind: 'reset' };
  // Same size and mtime: nothing was appended. Checked before the head so an idle pass reads no bytes at all.
  if (now.size === prev.size && now.mtimeMs === prev.mtimeMs) return { kind: 'unchanged' };
  if (prev.headHash !== null) {
    const length = Number(prev.headHash.slice(0, prev.headHash.indexOf(':')));
    if (currentHead(length) !== prev.headHash) return { kind: 'reset' };
  }
  return { kind: 'append', from: prev.readOffset };
}
