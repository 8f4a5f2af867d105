/**
 * The JSON export, written as it goes (one message at a time):
 *   {session: {id, agent, project, title, gitBranch, startedAt, updatedAt, messageCount, parentId, summary},
 *    from, to, redacted,
 *    messages: [{seq, id, role, kind, timestamp, text, toolName, toolInput, files, isError,
 *                diff?: [{path, label, status, additions, deletions, patch}]}]}
 * Times are ISO-8601; `diff` is present on messages that changed code; `patch` is unified-diff text.
 */
import { unifiedPatch, type DiffFile } from '../restore/diff.js';
import { isoTime } from './text.js';
import type { ExportHeader, ExportMessage, ExportRenderer } from './types.js';

export function exportSessionJson(h: ExportHeader) {
  const s = h.session;
  // The same fields, in the same order, as `sessions --json` and `show --json`.
  return {
    id: s.id,
    agent: s.agent,
    project: s.project,
    title: s.title,
    gitBranch: s.gitBranch,
    startedAt: isoTime(s.startedAt),
    updatedAt: isoTime(s.updatedAt),
    messageCount: s.messageCount,
    parentId: s.parentId,
    summary: s.summary,
  };
}

export function exportDiffJson(f: DiffFile) {
  return { path: f.path, label: f.label, status: f.status, additions: f.additions, deletions: f.deletions, patch: unifiedPatch(f) };
}

export function exportMessageJson(m: ExportMessage) {
  return {
    seq: m.seq,
    id: m.id,
    role: m.role,
    kind: m.kind,
    timestamp: isoTime(m.timestamp),
    text: m.text,
    toolName: m.toolName,
    toolInput: m.toolInput,
    files: m.files,
    isError: m.isError,
    ...(m.diff ? { diff: m.diff.map(exportDiffJson) } : {}),
  };
}

export const jsonRenderer: ExportRenderer = {
  begin(h: ExportHeader): string {
    return `{"session":${JSON.stringify(exportSessionJson(h))},"from":${h.from},"to":${h.to},"redacted":${h.redacted},"messages":[`;
  },
  message(m: ExportMessage, index: number): string {
    return (index === 0 ? '\n' : ',\n') + JSON.stringify(exportMessageJson(m));
  },
  end(): string {
    return '\n]}\n';
  },
};
