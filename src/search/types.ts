/** The one search interface the UI and the CLI call; neither knows which engine answered. */
import type { FactKind } from '../facts/types.js';
import type { Agent } from '../model.js';

/** The kind filter users pick: facts of one kind, or everything (messages, facts and session titles). */
export const SEARCH_KINDS = ['all', 'decision', 'dead-end', 'status'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

/** What a hit is: a message found by full text, a fact, or a session's title. */
export type HitKind = 'message' | FactKind | 'title';

export interface SearchScope {
  /** Only this session. */
  readonly sessionId?: string;
  /** Only sessions started in this directory or below it. */
  readonly project?: string;
  readonly agent?: Agent;
}

export interface SearchOptions {
  readonly query: string;
  readonly kind?: SearchKind;
  readonly scope?: SearchScope;
  /** Most hits returned (default 50, at most 1000). */
  readonly limit?: number;
  /** Applied to every snippet before it leaves the search module (secret masking). Default: identity. */
  readonly maskSnippet?: (text: string) => string;
}

export interface SearchHit {
  readonly sessionId: string;
  /** The message to open the timeline at. */
  readonly seq: number;
  readonly kind: HitKind;
  /**
   * Relevance in (0, 1], higher is better. Messages: bm25 relative to the best message of this query. Facts and
   * titles: 1 − the fuse.js score. The list is already in the right order; compare scores within one kind only.
   */
  readonly score: number;
  /** Text around the hit with each hit wrapped in MARK_START … MARK_END (see snippet.ts). */
  readonly snippet: string;
  /** The same without marks. */
  readonly plainSnippet: string;
  /** Of the message (for facts: of the message the fact points at). Epoch ms. */
  readonly timestamp: number | null;
  readonly agent: Agent;
  readonly project: string | null;
  readonly sessionTitle: string | null;
}

/** A stored fact as the timeline and the `facts` command read it. */
export interface FactRow {
  readonly id: number;
  readonly sessionId: string;
  readonly seq: number;
  readonly kind: FactKind;
  readonly text: string;
  readonly detail: string | null;
  /** Of the message it points at. */
  readonly timestamp: number | null;
  readonly extractorVersion: number;
}

/** Where the scrubber draws a fact and `]`/`[` jump. */
export interface FactMarker {
  readonly seq: number;
  readonly kind: Exclude<FactKind, 'key-file'>;
}
