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

export interface Adapter<C extends SourceCandidate = SourceCandidate> {
  readonly agent: Agent;
  /** Where this adapter looks (for messages and `doctor`). */
  readonly root: string;
  /** Lists the source files under root with a stat each; never reads their contents. */
  discover(): C[];
  /** Reads what is new in one file and writes it through `writer`. Must not throw for bad content. */
  ingest(writer: IndexWriter, candidate: C, stats: IngestStats): void;
}
