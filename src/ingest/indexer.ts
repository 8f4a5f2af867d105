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

export function runIndex(
  writer: IndexWriter,
  adapters: readonly Adapter[],
  onProgress?: (p: IndexProgress) => void,
): IngestStats {
  const stats = emptyStats();
  const work: { adapter: Adapter; candidate: SourceCandidate }[] = [];
  for (const adapter of adapters) {
    const candidates = adapter.discover();
    const present = new Set(candidates.map((c) => c.path));
    // The index is the archive: a vanished source keeps its sessions, flagged so the UI can say so.
    const gone = writer.listSourceFiles(adapter.agent).filter((f) => !f.gone && !present.has(f.path) && !fs.existsSync(f.path));
    if (gone.length) writer.transaction(() => gone.forEach((f) => writer.markSourceGone(f.id)));
    stats.filesGone += gone.length;
    for (const candidate of candidates) work.push({ adapter, candidate });
  }
  // Newest first across assistants.
  work.sort((a, b) => b.candidate.mtimeMs - a.candidate.mtimeMs);
  stats.filesSeen = work.length;
  const bytesTotal = work.reduce((n, w) => n + w.candidate.size, 0);
  let bytesDone = 0;
  work.forEach(({ adapter, candidate }, i) => {
    try {
      adapter.ingest(writer, candidate, stats);
    } catch (err) {
      // Adapters count bad content themselves; this is for I/O failures we did not foresee.
      stats.fileErrors.push({ path: candidate.path, message: (err as Error).message });
    }
    bytesDone += candidate.size;
    // Full text is tokenized in large batches: while a first index runs, search lags by at most one batch.
    writer.flushSearchIndexIfDue();
    onProgress?.({ filesDone: i + 1, filesTotal: work.length, bytesDone, bytesTotal, path: candidate.path });
  });
  writer.flushSearchIndex();
  // Sessions whose facts are missing or from an older extractor (an upgrade, a reset whose file did not come back).
  writer.refreshStaleFacts();
  return stats;
}

/** True when some source file differs from what the index recorded (cheap: stats only). */
export function isStale(
  adapters: readonly Adapter[],
  known: Map<string, { size: number; mtimeMs: number }>,
): boolean {
  for (const adapter of adapters) {
    for (const c of adapter.discover()) {
      const k = known.get(c.path);
      if (!k || k.size !== c.size || k.mtimeMs !== c.mtimeMs) return true;
    }
  }
  return false;
}
