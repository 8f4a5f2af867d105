/** What one ingest pass did, for `index` to print and the UI to show. Counted, never thrown. */

export interface IngestStats {
  filesSeen: number;
  filesRead: number;
  filesUnchanged: number;
  /** Files that were rewritten or truncated and so read again from the start. */
  filesReset: number;
  /** Files the index knew that are no longer on disk; their sessions stay in the index. */
  filesGone: number;
  bytesRead: number;
  linesRead: number;
  sessionsAdded: number;
  messagesAdded: number;
  /** Lines not turned into messages that should have been, by reason (`invalid-json`, `unknown-type:foo`, …). */
  skipped: Record<string, number>;
  /** Files that could not be read at all, with the reason. */
  fileErrors: { path: string; message: string }[];
}

export function emptyStats(): IngestStats {
  return {
    filesSeen: 0,
    filesRead: 0,
    filesUnchanged: 0,
    filesReset: 0,
    filesGone: 0,
    bytesRead: 0,
    linesRead: 0,
    sessionsAdded: 0,
    messagesAdded: 0,
    skipped: {},
    fileErrors: [],
  };
}

export function countSkip(stats: IngestStats, reason: string, n = 1): void {
  stats.skipped[reason] = (stats.skipped[reason] ?? 0) + n;
}

export function totalSkipped(stats: IngestStats): number {
  return Object.values(stats.skipped).reduce((a, b) => a + b, 0);
}
