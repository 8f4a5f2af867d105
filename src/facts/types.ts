/** The typed facts extracted from a session, and the message shape the extractors read. */
import type { MessageKind, Role } from '../model.js';

export const FACT_KINDS = ['decision', 'dead-end', 'status', 'key-file'] as const;
export type FactKind = (typeof FACT_KINDS)[number];

export interface Fact {
  readonly kind: FactKind;
  /** The message the fact points at (1-based seq in the session's timeline). */
  readonly seq: number;
  /** Short, one line, at most MAX_FACT_CHARS. */
  readonly text: string;
  /** Longer context when there is some (what was rejected, the status sections, a key file's full path). */
  readonly detail: string | null;
}

/**
 * A stored message as the extractors see it: the fields of MessageRow they need. Both the writer (fresh messages,
 * before any read-back) and a re-extraction from the index build these, so the two paths give identical facts.
 */
export interface FactMessage {
  readonly seq: number;
  readonly sourceId: string;
  readonly parentId: string | null;
  readonly timestamp: number | null;
  readonly role: Role;
  readonly kind: MessageKind;
  readonly text: string;
  readonly toolName: string | null;
  readonly toolInput: string | null;
  readonly toolUseId: string | null;
  readonly files: readonly string[];
  readonly isError: boolean;
  readonly isSidechain: boolean;
  readonly subtype: string | null;
  /** Only read for tool calls (normalized `{"edits": FileEdit[]}`, see model.ts). */
  readonly data: string | null;
}

/** What the extractor knows about the session besides its messages. */
export interface ExtractContext {
  /** The session's working directory: key files under it are shown relative to it. */
  readonly project?: string | null;
  /**
   * Whether sidechain messages are the session's own: true for a sub-agent's session. In a main transcript they are
   * a sub-agent's work inlined (Claude Code 1.0.x) and are skipped.
   */
  readonly ownSidechain?: boolean;
}
