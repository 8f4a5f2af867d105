/** The shapes an export is made of: a header, then messages one at a time, already masked (or deliberately not). */
import type { Agent, MessageKind, Role } from '../model.js';
import type { DiffFile } from '../restore/diff.js';

export const EXPORT_FORMATS = ['md', 'html', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The format a file name asks for (`.md`, `.html`, `.json`), or null. */
export function formatForPath(file: string): ExportFormat | null {
  const ext = /\.([A-Za-z]+)$/.exec(file)?.[1]?.toLowerCase();
  if (ext === 'html' || ext === 'htm') return 'html';
  if (ext === 'json') return 'json';
  if (ext === 'md' || ext === 'markdown') return 'md';
  return null;
}

/** The session as the export shows it. Free text (titles, branch) is masked; ids and paths are not. */
export interface ExportSession {
  readonly id: string;
  readonly agent: Agent;
  readonly parentId: string | null;
  readonly project: string | null;
  readonly title: string | null;
  readonly summary: string | null;
  readonly gitBranch: string | null;
  /** Epoch ms. */
  readonly startedAt: number | null;
  readonly updatedAt: number | null;
  readonly messageCount: number;
}

export interface ExportHeader {
  readonly session: ExportSession;
  /** The window exported: messages `from` to `to` (seq, inclusive). `to < from` when the session has no messages. */
  readonly from: number;
  readonly to: number;
  /** Secrets were masked (re-scanned at export time). */
  readonly redacted: boolean;
  /** The detector version the masking used. */
  readonly detectorVersion: number;
}

export interface ExportMessage {
  readonly seq: number;
  /** Source-native id. */
  readonly id: string;
  readonly role: Role;
  readonly kind: MessageKind;
  /** Epoch ms. */
  readonly timestamp: number | null;
  readonly text: string;
  readonly toolName: string | null;
  /** The tool call's input (JSON text as recorded). */
  readonly toolInput: string | null;
  readonly files: readonly string[];
  readonly isError: boolean;
  /** What the message changed in the code (`diff SESSION SEQ`), when it changed anything. */
  readonly diff: readonly DiffFile[] | null;
}

/**
 * One output format. Pure and incremental: `begin` once, `message` for each message in order, `end` once; the
 * concatenation of what they return is the document. Nothing is kept between calls but a count.
 */
export interface ExportRenderer {
  begin(header: ExportHeader): string;
  /** `index`: 0 for the first message written. */
  message(m: ExportMessage, index: number): string;
  end(header: ExportHeader, written: number): string;
}
