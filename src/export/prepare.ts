/**
 * From index rows to what an export shows: free text goes through the redactor (messages' text and tool input, diff
 * lines and reasons, the session's title, summary and branch); ids, paths, names and times are kept as they are.
 */
import { DETECTOR_VERSION } from '../redact/detect.js';
import type { DiffFile } from '../restore/diff.js';
import type { MessageRow, SessionRow } from '../store/rows.js';
import { redactDiffFile, type Redactor } from './redact.js';
import type { ExportHeader, ExportMessage } from './types.js';

const maybe = (r: Redactor, text: string | null): string | null => (text === null ? null : r.text(text));

export function prepareHeader(session: SessionRow, window: { from: number; to: number }, r: Redactor): ExportHeader {
  return {
    session: {
      id: session.id,
      agent: session.agent,
      parentId: session.parentId,
      project: session.project,
      title: maybe(r, session.title),
      summary: maybe(r, session.summary),
      gitBranch: maybe(r, session.gitBranch),
      startedAt: session.startedAt,
      updatedAt: session.updatedAt,
      messageCount: session.messageCount,
    },
    from: window.from,
    to: window.to,
    redacted: r.redacts,
    detectorVersion: DETECTOR_VERSION,
  };
}

export function prepareMessage(m: MessageRow, diff: readonly DiffFile[] | null, r: Redactor): ExportMessage {
  return {
    seq: m.seq,
    id: m.sourceId,
    role: m.role,
    kind: m.kind,
    timestamp: m.timestamp,
    text: r.text(m.text),
    toolName: m.toolName,
    toolInput: maybe(r, m.toolInput),
    files: m.files,
    isError: m.isError,
    diff: diff && diff.length > 0 ? diff.map((f) => redactDiffFile(f, r)) : null,
  };
}
