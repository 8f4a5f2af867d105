/** One ingest pass over every adapter: discover, read what is new, remember what vanished. */
import fs from 'node:fs';
import type { IndexWriter } from '../store/writer.js';
import type { Adapter, SourceCandidate } from './adapter.js';
import { emptyStats, type IngestStats } from './stats.js';

export interface IndexProgress {
  readonly filesDone: number;
  readonly filesTotal: number;
  readonly bytesDone: number;
  readonly bytesTotal: number;
  readonly path: string;
}

export interface WorkItem {
  readonly adapter: Adapter;
  readonly candidate: SourceCandidate;
}

/**
 * Lists every adapter's source files, newest first across assistants, and marks the ones the index knew that are
 * gone from disk (their sessions stay: the index is the archive).
 */
export function discoverAll(writer: IndexWriter, adapters: readonly Adapter[], stats: IngestStats): WorkItem[] {
  const work: WorkItem[] = [];
  for (const adapter of adapters) {
    const candidates = adapter.discover();
    const present = new Set(candidates.map((c) => c.path));
    const gone = writer.listSourceFiles(adapter.agent).filter((f) => !f.gone && !present.has(f.path) && !fs.existsSync(f.path));
    if (gone.length) writer.transaction(() => gone.forEach((f) => writer.markSourceGone(f.id)));
    stats.filesGone += gone.length;
    for (const candidate of candidates) work.push({ adapter, candidate });
  }
  work.sort((a, b) => b.candidate.mtimeMs - a.candidate.mtimeMs);
  return work;
}

/** Reads one file's new content. Adapters count bad content themselves; this catches I/O failures nobody foresaw. */
export function ingestOne(writer: IndexWriter, item: WorkItem, stats: IngestStats): void {
  try {
    item.adapter.ingest(writer, item.candidate, stats);
  } catch (err) {
    stats.fileErrors.push({ path: item.candidate.path, message: (err as Error).message });
  }
}

export function ingestAll(writer: IndexWriter, work: readonly WorkItem[], stats: IngestStats, onProgress?: (p: IndexProgress) => void): void {
  stats.filesSeen += work.length;
  const bytesTotal = work.reduce((n, w) => n + w.candidate.size, 0);
  let bytesDone = 0;
  work.forEach((item, i) => {
    ingestOne(writer, item, stats);
    bytesDone += item.candidate.size;
    // Full text is tokenized in large batches: while a first index runs, search lags by at most one batch.
    writer.flushSearchIndexIfDue();
    onProgress?.({ filesDone: i + 1, filesTotal: work.length, bytesDone, bytesTotal, path: item.candidate.path });
  });
}

/**
 * What ends every pass over sources, however it was driven (runIndex, the live follower): the full-text index takes
 * the rest of its queue, and sessions whose facts are missing or from an older extractor get them.
 */
export function finishPass(writer: IndexWriter): void {
  writer.flushSearchIndex();
  writer.refreshStaleFacts();
}

export function runIndex(writer: IndexWriter, adapters: readonly Adapter[], onProgress?: (p: IndexProgress) => void): IngestStats {
  const stats = emptyStats();
  ingestAll(writer, discoverAll(writer, adapters, stats), stats, onProgress);
  finishPass(writer);
  return stats;
}

/** True when some source file differs from what the index recorded (cheap: stats only). */
export function isStale(adapters: readonly Adapter[], known: Map<string, { size: number; mtimeMs: number }>): boolean {
  for (const adapter of adapters) {
    for (const c of adapter.discover()) {
      const k = known.get(c.path);
      if (!k || k.size !== c.size || k.mtimeMs !== c.mtimeMs) return true;
    }
  }
  return false;
}
