/**
 * The JSON shapes of the CLI contract, and the plain-text forms beside them. What a session says is masked here,
 * like everywhere mantra-tui shows text: secrets come out as `‹kind›` (export --no-redact is the one way around).
 */
import { redactText } from '../redact/mask.js';
import type { MessageRow, SessionRow } from '../store/rows.js';
import type { IngestStats } from '../ingest/stats.js';
import { totalSkipped } from '../ingest/stats.js';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function sessionJson(s: SessionRow) {
  return {
    id: s.id,
    agent: s.agent,
    project: s.project,
    title: s.title === null ? null : redactText(s.title),
    gitBranch: s.gitBranch,
    startedAt: iso(s.startedAt),
    updatedAt: iso(s.updatedAt),
    messageCount: s.messageCount,
    parentId: s.parentId,
    summary: s.summary === null ? null : redactText(s.summary),
  };
}

export function messageJson(m: MessageRow) {
  return {
    seq: m.seq,
    id: m.sourceId,
    role: m.role,
    kind: m.kind,
    timestamp: iso(m.timestamp),
    text: redactText(m.text),
    toolName: m.toolName,
    files: m.files,
    isError: m.isError,
  };
}

export function indexSummary(stats: IngestStats, totals: { sessions: number; messages: number }, ms: number): string {
  const lines = [
    `indexed ${stats.filesSeen} files in ${(ms / 1000).toFixed(2)} s (${stats.filesRead} read, ${stats.filesUnchanged} unchanged` +
      `${stats.filesReset ? `, ${stats.filesReset} re-read from the start` : ''}${stats.filesGone ? `, ${stats.filesGone} gone from disk (kept)` : ''})`,
    `added ${stats.sessionsAdded} sessions and ${stats.messagesAdded} messages from ${(stats.bytesRead / 1e6).toFixed(1)} MB; ` +
      `the index holds ${totals.sessions} sessions, ${totals.messages} messages`,
  ];
  const skipped = totalSkipped(stats);
  if (skipped > 0) {
    const reasons = Object.entries(stats.skipped)
      .sort((a, b) => b[1] - a[1])
      .map(([reason, n]) => `${n} ${reason}`)
      .join(', ');
    lines.push(`skipped ${skipped} lines: ${reasons}`);
  } else {
    lines.push('skipped 0 lines');
  }
  for (const e of stats.fileErrors) lines.push(`could not read ${e.path}: ${e.message}`);
  return lines.join('\n');
}

export function plainMessage(m: MessageRow): string {
  const head = [`#${m.seq}`, iso(m.timestamp) ?? '-', m.kind, m.toolName ?? ''].filter(Boolean).join('  ');
  return `${head}${m.isError ? '  [error]' : ''}\n${redactText(m.text)}\n`;
}
