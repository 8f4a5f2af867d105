/**
 * The timeline: one message at a time above a scrubber, like a paused video. A pure view: the caller reads the
 * message and the scrubber buckets from the index and lays the body out (see message-body.ts).
 */
import React from 'react';
import { Box } from 'ink';
import type { MessageRow, ScrubBucket, SessionRow } from '../store/rows.js';
import { agentLabel, dateTime, displayPath, shortTime } from './format.js';
import { footerHintList } from './keys.js';
import { KIND_LABELS, kindRole, type BodyRow } from './message-body.js';
import { Row } from './Row.js';
import { hintSpans, whileFits, type Span } from './spans.js';
import { barCells, factCells, markerCells, runs } from './scrubber.js';
import { parseQuery } from '../search/query.js';
import type { Role } from './theme.js';
import { maskShort } from './secrets.js';
import { cellWidth, oneLine } from './text.js';

/** Screen rows that are not the message body: header, message line, markers, bar, status. */
export const TIMELINE_CHROME_ROWS = 5;

export function timelineBodyHeight(screenRows: number): number {
  return Math.max(1, screenRows - TIMELINE_CHROME_ROWS);
}

/** With the diff pane open the message keeps about a third of the body; the pane gets the rest, less its title. */
export function splitBody(bodyHeight: number): { message: number; pane: number } {
  const message = Math.max(2, Math.floor(bodyHeight / 3));
  return { message, pane: Math.max(1, bodyHeight - message - 1) };
}

/** Width of the scrubber bar between the two time labels (and the count of new messages, when there are some). */
export function scrubberWidth(screenColumns: number, session: SessionRow | undefined, fresh = 0): number {
  const [left, right] = timeLabels(session);
  const freshLabel = fresh ? ` +${fresh} new` : '';
  return Math.max(4, screenColumns - cellWidth(left) - cellWidth(right) - cellWidth(freshLabel) - 4);
}

function timeLabels(session: SessionRow | undefined): [string, string] {
  const start = session?.startedAt ?? null;
  return [shortTime(start, start), shortTime(session?.updatedAt ?? null, start)];
}

/** The words of a search query as one pattern: tokens, case folded, a prefix term open at its end. */
export function findPattern(query: string): RegExp | null {
  const words = parseQuery(query).flatMap((t) => t.tokens.map((tok, i) => (t.prefix && i === t.tokens.length - 1 ? `${escape(tok)}\\w*` : escape(tok))));
  return words.length ? new RegExp(`(${words.join('|')})`, 'giu') : null;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A row's text with the search words styled as hits. */
export function highlighted(text: string, role: Role, pattern: RegExp | null): Span[] {
  if (!pattern) return [{ text, role }];
  const out: Span[] = [];
  let at = 0;
  for (const m of text.matchAll(pattern)) {
    if (m.index > at) out.push({ text: text.slice(at, m.index), role });
    out.push({ text: m[0], role: 'search.hit' });
    at = m.index + m[0].length;
  }
  if (at < text.length) out.push({ text: text.slice(at), role });
  return out.length ? out : [{ text, role }];
}

/** `hit 2 of 5` when the cursor is on a hit, `5 hits · n / N` otherwise. */
function findPosition(hits: readonly number[], seq: number): string {
  const at = hits.indexOf(seq);
  return at >= 0 ? `hit ${at + 1} of ${hits.length}` : `${hits.length} hit${hits.length === 1 ? '' : 's'} · n / N`;
}

export interface TimelineViewProps {
  readonly width: number;
  readonly height: number;
  readonly session: SessionRow | undefined;
  readonly message: MessageRow | undefined;
  readonly seq: number;
  /** Body rows already laid out for the pane width. */
  readonly body: readonly BodyRow[];
  readonly scroll: number;
  readonly buckets: readonly ScrubBucket[];
  /** Secrets in this message: masked on screen, unless revealed. */
  readonly secrets?: { readonly count: number; readonly revealed: boolean };
  /** Messages that arrived while the cursor was not on the last one (a live session). */
  readonly fresh?: number;
  /** Decisions and dead ends of the session, marked on the scrubber. */
  readonly facts?: readonly { seq: number; kind: string }[];
  /** The search query the timeline was opened from: its words are highlighted in the message. */
  readonly find?: string | null;
  /** The session's messages holding a hit of `find` (n / N), once known. */
  readonly findHits?: readonly number[] | null;
  /** The diff pane under the message, when open: its title row and its rows, already laid out. */
  readonly pane?: { readonly title: readonly Span[]; readonly rows: readonly BodyRow[]; readonly scroll: number } | null;
  readonly progress?: string | null;
  readonly home?: string;
}

function headerSpans(session: SessionRow | undefined, home: string | undefined): Span[] {
  if (!session) return [{ text: ' session not found', role: 'status.error' }];
  const parts: Span[] = [
    { text: ` ${agentLabel(session.agent)}`, role: 'header' },
    { text: ` · ${displayPath(session.project, home)}`, role: 'text.secondary' },
  ];
  if (session.gitBranch) parts.push({ text: ` · ${session.gitBranch}`, role: 'text.secondary' });
  if (session.sourceGone) parts.push({ text: ' · source deleted, kept in the index', role: 'status.warn' });
  parts.push({ text: ` · ${oneLine(maskShort(session.title ?? session.summary ?? '') ?? '')}` });
  return parts;
}

function messageLine(m: MessageRow | undefined, secrets: TimelineViewProps['secrets']): Span[] {
  if (!m) return [{ text: ' (no message here)', role: 'text.secondary' }];
  const spans: Span[] = [{ text: ` ${KIND_LABELS[m.kind]}`, role: kindRole(m.kind) }];
  if (m.toolName) spans.push({ text: ` ${m.toolName}`, role: 'kind.tool' });
  if (m.isError) spans.push({ text: ' ✗ error', role: 'status.error' });
  if (m.isSidechain) spans.push({ text: ' (sub-agent)', role: 'text.secondary' });
  if (secrets?.count) {
    const n = `${secrets.count} secret${secrets.count === 1 ? '' : 's'}`;
    spans.push(secrets.revealed ? { text: ` ${n} shown`, role: 'status.error' } : { text: ` ${n} masked · R reveals`, role: 'status.warn' });
  }
  if (m.files.length) spans.push({ text: `  ${m.files.slice(0, 3).join(', ')}${m.files.length > 3 ? ', …' : ''}`, role: 'text.secondary' });
  return spans;
}

export function TimelineView(p: TimelineViewProps): React.JSX.Element {
  const bodyHeight = timelineBodyHeight(p.height);
  const count = p.session?.messageCount ?? 0;
  const [left, rightTime] = timeLabels(p.session);
  const right = p.fresh ? `${rightTime} +${p.fresh} new` : rightTime;
  const barWidth = scrubberWidth(p.width, p.session, p.fresh);
  const pad = ' '.repeat(cellWidth(left) + 2);
  const split = p.pane ? splitBody(bodyHeight) : { message: bodyHeight, pane: 0 };
  const pattern = p.find ? findPattern(p.find) : null;
  const rows: React.JSX.Element[] = [];
  for (let i = 0; i < split.message; i++) {
    const r = p.body[p.scroll + i];
    rows.push(<Row key={i} width={p.width} spans={r ? [{ text: ' ' }, ...highlighted(r.text, r.role, pattern)] : []} />);
  }
  if (p.pane) {
    rows.push(<Row key="pane" width={p.width} role="header" spans={[{ text: '─ ' }, ...p.pane.title]} />);
    for (let i = 0; i < split.pane; i++) {
      const r = p.pane.rows[p.pane.scroll + i];
      rows.push(<Row key={`p${i}`} width={p.width} spans={r ? [{ text: ' ' }, { text: r.text, role: r.role }] : []} />);
    }
  }
  const m = p.message;
  const more = p.body.length - p.scroll - split.message;
  const status: Span[] = [
    { text: ` ${p.seq}/${count}` },
    { text: `  ${dateTime(m?.timestamp ?? null)}` },
    { text: `  ${m?.role ?? ''}` },
    { text: m?.toolName ? `  ${m.toolName}` : '' },
    { text: more > 0 ? `  ↓${more}` : '' },
    { text: p.find && p.findHits ? `  “${p.find}” ${findPosition(p.findHits, p.seq)}` : '' },
    { text: p.progress ? `  ${p.progress}` : '' },
    ...hintSpans(footerHintList(p.pane ? 'diff' : 'timeline')),
  ];
  return (
    <Box flexDirection="column" width={p.width} height={p.height}>
      <Row width={p.width} spans={headerSpans(p.session, p.home)} />
      <Row width={p.width} spans={messageLine(m, p.secrets)} />
      {rows}
      <Row width={p.width} spans={[{ text: pad }, ...runs(markerCells(p.buckets.slice(0, barWidth), factCells(p.facts ?? [], count, barWidth)))]} />
      <Row
        width={p.width}
        spans={[
          { text: ` ${left} `, role: 'text.secondary' },
          ...runs(barCells(barWidth, p.seq, count)),
          { text: ` ${rightTime}`, role: 'text.secondary' },
          { text: p.fresh ? ` +${p.fresh} new` : '', role: 'mark.new' },
        ]}
      />
      <Row width={p.width} role="status" spans={whileFits(status, p.width)} />
    </Box>
  );
}
