/**
 * `scan`: bring the index's secret spans up to date, then count them by session and kind — counts only, never a
 * value, so the report itself is safe to print, log or paste. The catch-up runs the same pure detection the
 * background scanner runs (detectMessages) and stores through the same SecretStore.
 */
import { DETECTOR_VERSION } from '../redact/detect.js';
import { redactText } from '../redact/mask.js';
import { detectMessages } from '../redact/scanner.js';
import type { SessionRow } from '../store/rows.js';
import type { SecretStore } from '../store/secrets.js';
import { truncate, visibleControls } from './text.js';
import { plural } from '../ui/format.js';
import { grouped } from '../numbers.js';

/**
 * Messages per batch (one transaction each). Small because a batch holds its messages' text, tool input and data
 * whole, and a single message may carry megabytes of them.
 */
const SCAN_BATCH = 100;

/**
 * Scans every message not yet scanned with `version`, newest first, in batches; returns how many it scanned.
 * `progress` hears (scanned so far, total to scan) after each batch. One descending pass: each batch starts below the
 * last, so the pass is linear in the index, and messages that arrive meanwhile are left to the next scan.
 */
export function catchUpSecretScan(store: SecretStore, version = DETECTOR_VERSION, progress?: (done: number, todo: number) => void): number {
  const { scanned, total } = store.progress(version);
  const todo = total - scanned;
  let done = 0;
  let before: number | undefined;
  for (;;) {
    const batch = store.pending(version, SCAN_BATCH, before);
    if (batch.length === 0) break;
    before = batch[batch.length - 1].id;
    store.save(detectMessages(batch), version);
    done += batch.length;
    progress?.(done, Math.max(todo, done));
  }
  return done;
}

export interface ScanSession {
  readonly sessionId: string;
  readonly agent: string | null;
  readonly project: string | null;
  /** Masked. */
  readonly title: string | null;
  /** Secrets found, by kind: most frequent first. */
  readonly counts: Readonly<Record<string, number>>;
  readonly total: number;
}

export interface ScanReport {
  /** Sessions with at least one secret, most secrets first. */
  readonly sessions: readonly ScanSession[];
  readonly total: number;
  /** Messages the counts cover: every message in the index, all scanned with this detector version. */
  readonly scannedMessages: number;
  /** Of those, how many this run had to scan. */
  readonly scannedNow: number;
  readonly detectorVersion: number;
}

/** Pure: the report from the store's counts (`countsBySession` rows) and the sessions they name. */
export function buildScanReport(
  counts: readonly { sessionId: string; kind: string; count: number }[],
  sessionOf: (id: string) => SessionRow | undefined,
  scanned: { scannedMessages: number; scannedNow: number; detectorVersion: number },
): ScanReport {
  const bySession = new Map<string, { kind: string; count: number }[]>();
  for (const c of counts) {
    if (c.count <= 0) continue;
    const list = bySession.get(c.sessionId) ?? [];
    list.push({ kind: c.kind, count: c.count });
    bySession.set(c.sessionId, list);
  }
  const sessions: ScanSession[] = [];
  for (const [sessionId, list] of bySession) {
    list.sort((a, b) => b.count - a.count || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
    const s = sessionOf(sessionId);
    const title = s ? s.summary ?? s.title : null;
    sessions.push({
      sessionId,
      agent: s?.agent ?? null,
      project: s?.project ?? null,
      title: title === null ? null : redactText(title),
      counts: Object.fromEntries(list.map((c) => [c.kind, c.count])),
      total: list.reduce((n, c) => n + c.count, 0),
    });
  }
  sessions.sort((a, b) => b.total - a.total || (a.sessionId < b.sessionId ? -1 : 1));
  return { sessions, total: sessions.reduce((n, s) => n + s.total, 0), ...scanned };
}

/** The `scan --json` document. */
export function scanReportJson(r: ScanReport) {
  return {
    sessions: r.sessions.map((s) => ({ sessionId: s.sessionId, agent: s.agent, project: s.project, title: s.title, counts: s.counts, total: s.total })),
    total: r.total,
    scannedMessages: r.scannedMessages,
    detectorVersion: r.detectorVersion,
  };
}


/** The plain-text report: one line per session (id, agent, total, project, title), its counts by kind below it. */
export function scanReportText(r: ScanReport): string {
  const scanned = `${plural(r.scannedMessages, 'message')} scanned${r.scannedNow ? ` (${grouped(r.scannedNow)} just now)` : ''}, detector version ${r.detectorVersion}`;
  if (r.sessions.length === 0) return `no secrets found: ${scanned}`;
  const agentWidth = Math.max(...r.sessions.map((s) => (s.agent ?? '-').length));
  const totalWidth = Math.max(...r.sessions.map((s) => String(s.total).length));
  const lines = [`${plural(r.total, 'secret')} in ${plural(r.sessions.length, 'session')} (${scanned}):`, ''];
  for (const s of r.sessions) {
    const title = s.title === null ? '' : truncate(visibleControls(s.title).replace(/\n/g, ' '), 80);
    lines.push(`${s.sessionId}  ${(s.agent ?? '-').padEnd(agentWidth)}  ${String(s.total).padStart(totalWidth)}  ${visibleControls(s.project ?? '-')}  ${title}`.trimEnd());
    lines.push(`    ${Object.entries(s.counts).map(([kind, n]) => `${kind} ${n}`).join(', ')}`);
  }
  lines.push('', 'Counts only: values are never printed. Share a session with its secrets masked: mantra-tui export SESSION');
  return lines.join('\n');
}
