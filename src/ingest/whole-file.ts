/**
 * Files an assistant rewrites whole instead of appending to (Gemini's legacy chats, logs.json, checkpoints): read
 * again, completely, whenever their identity (inode, size, mtime) changes. What the index held from the file is
 * replaced in the same transaction as the new rows land, so a reader sees the old version or the new, never half.
 */
import fs from 'node:fs';
import type { Agent } from '../model.js';
import type { IndexWriter, SourceFileState } from '../store/writer.js';
import { countSkip, type IngestStats } from './stats.js';

/** Thrown by a reader to abandon this version of the file: nothing it wrote is kept. */
export class AbandonRead extends Error {
  constructor(
    readonly reason: string,
    /**
     * true: remember this version, so it is read again only once it changes (a half-written file changes when its
     * writer finishes). false: read it again next pass (what it needs may be in the index by then).
     */
    readonly untilChanged: boolean,
  ) {
    super(reason);
  }
}

export function ingestWholeFile(
  agent: Agent,
  writer: IndexWriter,
  file: string,
  stats: IngestStats,
  read: (fd: number, size: number, source: SourceFileState) => void,
): void {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY);
  } catch (err) {
    stats.fileErrors.push({ path: file, message: (err as Error).message });
    return;
  }
  try {
    const st = fs.fstatSync(fd);
    const identity = { dev: st.dev, ino: st.ino, size: st.size, mtimeMs: Math.floor(st.mtimeMs) };
    const prev = writer.getSourceFile(file);
    if (prev && prev.dev === identity.dev && prev.ino === identity.ino && prev.size === identity.size && prev.mtimeMs === identity.mtimeMs) {
      stats.filesUnchanged++;
      if (prev.gone) writer.saveSourceFile({ ...prev, gone: false });
      return;
    }
    const source = writer.ensureSourceFile(file, agent);
    stats.filesRead++;
    stats.bytesRead += identity.size;
    try {
      writer.transaction(() => {
        writer.resetSourceFile(source.id);
        read(fd, identity.size, source);
        writer.saveSourceFile({ ...source, ...identity, readOffset: identity.size, headHash: null, state: null, gone: false });
      });
      if (prev && prev.readOffset > 0) stats.filesReset++;
    } catch (err) {
      if (!(err instanceof AbandonRead)) throw err;
      countSkip(stats, err.reason);
      // The previous version's rows stay: they are the last complete state the index saw.
      if (err.untilChanged) writer.saveSourceFile({ ...(prev ?? source), ...identity, gone: false });
    }
  } finally {
    fs.closeSync(fd);
  }
}
