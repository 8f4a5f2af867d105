/** The shape every assistant's adapter has: find its files cheaply, then read one file incrementally. */
import type { Agent } from '../model.js';
import type { IndexWriter } from '../store/writer.js';
import type { IngestStats } from './stats.js';

export interface SourceCandidate {
  readonly path: string;
  readonly agent: Agent;
  readonly size: number;
  readonly mtimeMs: number;
}

/** What `mantra-tui doctor` shows for one assistant: where it looked and what it found there. */
export interface AdapterDiagnosis {
  /** Each place looked at, whether it exists, and a note (e.g. which env var or flag chose it). */
  readonly locations: readonly { readonly path: string; readonly exists: boolean; readonly note?: string }[];
  /** Source files discovered (what `discover()` returns). */
  readonly files: number;
  /** Present but unreadable by design (e.g. encrypted conversations), each with the reason; never guessed at. */
  readonly unreadable: readonly { readonly path: string; readonly reason: string }[];
}

export interface Adapter<C extends SourceCandidate = SourceCandidate> {
  readonly agent: Agent;
  /** Where this adapter looks (for messages and `doctor`). */
  readonly root: string;
  /** Lists the source files under root with a stat each; never reads their contents. */
  discover(): C[];
  /** Reads what is new in one file and writes it through `writer`. Must not throw for bad content. */
  ingest(writer: IndexWriter, candidate: C, stats: IngestStats): void;
  /** For `doctor`: where this adapter looked and what it found; cheap (listings and stats only). */
  diagnose(): AdapterDiagnosis;
  /**
   * For sources that are more than one file on disk (a SQLite database and its `-wal`): the size and mtime that
   * change when the source does, as `discover()` reports them. Default: the file's own stat.
   */
  identityOf?(path: string): { size: number; mtimeMs: number } | null;
  /** Files to watch closely for one source (default: the source itself). */
  watchPathsOf?(path: string): string[];
  /**
   * The adapter reads its sources as a set within one discovery (Cursor reads workspace databases before the global
   * one): a change to one of them is read by discovering again, not by reading that file alone.
   */
  readonly readsAsSet?: boolean;
}
