/**
 * Search results as rows: grouped by session (a header per session), each hit with its kind badge, position and
 * snippet, the search's own marks turned into highlighted spans. Pure; the view only windows the rows.
 */
import type { HitKind, SearchHit } from '../search/types.js';
import { MARK_END, MARK_START } from '../search/snippet.js';
import { agentLabel, age, displayPath } from './format.js';
import type { Span } from './spans.js';
import { oneLine, sanitize } from './text.js';
import type { Role } from './theme.js';

export interface SearchRow {
  readonly spans: readonly Span[];
  /** The hit this row shows (null for a session header). */
  readonly hit: number | null;
}

const BADGES: Record<HitKind, { text: string; role: Role }> = {
  message: { text: 'message ', role: 'text.secondary' },
  decision: { text: 'decision', role: 'mark.decision' },
  'dead-end': { text: 'dead end', role: 'mark.deadEnd' },
  status: { text: 'status  ', role: 'text.accent' },
  'key-file': { text: 'file    ', role: 'text.accent' },
  title: { text: 'title   ', role: 'header' },
};

/** Clean and on one line, keeping the spaces at its ends (spans join into one line). */
function flat(text: string): string {
  return sanitize(text).replace(/\s+/g, ' ');
}

/** A snippet's marked hits as spans styled `search.hit`, the rest plain. */
export function markedSpans(snippet: string, base?: Role): Span[] {
  const spans: Span[] = [];
  let inHit = false;
  let text = '';
  for (const ch of snippet) {
    if (ch === MARK_START || ch === MARK_END) {
      if (text) spans.push({ text: flat(text), role: inHit ? 'search.hit' : base });
      text = '';
      inHit = ch === MARK_START;
      continue;
    }
    text += ch;
  }
  if (text) spans.push({ text: flat(text), role: inHit ? 'search.hit' : base });
  return spans;
}

/**
 * Hits grouped by session, sessions in the order of their best hit, hits within a session in rank order: the list
 * reads one session at a time while the best answers stay on top.
 */
export function groupBySession(hits: readonly SearchHit[]): SearchHit[] {
  const groups = new Map<string, SearchHit[]>();
  for (const h of hits) {
    const g = groups.get(h.sessionId);
    if (g) g.push(h);
    else groups.set(h.sessionId, [h]);
  }
  return [...groups.values()].flat();
}

export function searchRows(hits: readonly SearchHit[], now: number, home: string | undefined): SearchRow[] {
  const rows: SearchRow[] = [];
  let last: string | null = null;
  hits.forEach((h, i) => {
    if (h.sessionId !== last) {
      last = h.sessionId;
      const title = oneLine(h.sessionTitle ?? h.sessionId);
      rows.push({
        hit: null,
        spans: [
          { text: '─ ', role: 'text.secondary' },
          { text: title, role: 'header' },
          { text: `  ${agentLabel(h.agent)} · ${displayPath(h.project, home)} · ${age(h.timestamp, now)}`, role: 'text.secondary' },
        ],
      });
    }
    const badge = BADGES[h.kind];
    rows.push({
      hit: i,
      spans: [{ text: '  ' }, { text: `[${badge.text}]`, role: badge.role }, { text: ` #${h.seq}`.padEnd(7), role: 'text.secondary' }, { text: ' ' }, ...markedSpans(h.snippet)],
    });
  });
  return rows;
}

/** The first row to show so that the chosen hit's row is visible (with a row of its session header when it fits). */
export function searchOffset(rows: readonly SearchRow[], selected: number, height: number, previous: number): number {
  const at = rows.findIndex((r) => r.hit === selected);
  if (at < 0) return 0;
  let offset = Math.min(previous, Math.max(0, rows.length - height));
  if (at < offset + 1) offset = Math.max(0, at - 1);
  if (at >= offset + height) offset = at - height + 1;
  return offset;
}
