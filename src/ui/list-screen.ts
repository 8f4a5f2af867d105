/**
 * The session list as screen rows: a pure function of one window of sessions, newest first. ListView draws it with
 * Ink; paint.ts draws the same rows before Ink has loaded (the first frame of a start).
 */
import type { SessionFilter, SessionRow, TimelineReader } from '../store/rows.js';
import { agentLabel, age, displayPath, plural } from './format.js';
import { footerHintList } from './keys.js';
import { initialNav } from './navigation.js';
import type { Size } from './screen.js';
import type { ListWindow } from './scroll.js';
import { maskShort } from './secrets.js';
import { hintSpans, whileFits, type ScreenLine, type Span } from './spans.js';
import { fit, oneLine, truncateStart } from './text.js';

export interface ListViewProps {
  readonly width: number;
  readonly height: number;
  readonly rows: readonly SessionRow[];
  readonly total: number;
  readonly window: ListWindow;
  /** Filter description for the header, e.g. `all agents · all projects`. */
  readonly scope: string;
  readonly notice?: string;
  /** Background work in progress (indexing), shown in the footer. */
  readonly progress?: string | null;
  readonly now: number;
  readonly home?: string;
}

/** Rows the list itself gets: the screen minus its header and footer. */
export function listHeight(screenRows: number): number {
  return Math.max(1, screenRows - 2);
}

const AGENT_W = 8;
const AGE_W = 4;
const COUNT_W = 6;

function sessionSpans(s: SessionRow, width: number, now: number, home: string | undefined, selected: boolean): Span[] {
  const projectW = Math.max(8, Math.min(28, Math.floor(width * 0.25)));
  const title = oneLine(maskShort(s.title ?? s.summary ?? '(no prompt yet)') ?? '');
  const children = (s.childCount > 0 ? ` +${s.childCount} sub-agent${s.childCount === 1 ? '' : 's'}` : '') + (s.sourceGone ? ' · source deleted' : '');
  return [
    { text: selected ? '› ' : '  ', role: selected ? undefined : 'text.accent' },
    { text: fit(agentLabel(s.agent), AGENT_W) + ' ', role: selected ? undefined : 'text.accent' },
    { text: fit(age(s.updatedAt, now), AGE_W, 'right') + ' ', role: selected ? undefined : 'text.secondary' },
    { text: fit(String(s.messageCount), COUNT_W, 'right') + '  ', role: selected ? undefined : 'text.secondary' },
    { text: fit(truncateStart(oneLine(displayPath(s.project, home)), projectW), projectW) + '  ' },
    { text: title },
    { text: children, role: selected ? undefined : 'text.secondary' },
  ];
}

/** Header, one row per visible session (or an empty row), footer: exactly `height` rows. */
export function listScreen(p: ListViewProps): ScreenLine[] {
  const body = listHeight(p.height);
  const header: Span[] = [
    { text: ' mantra-tui  ', role: 'header' },
    { text: plural(p.total, 'session') },
    { text: `  ·  ${p.scope}`, role: 'text.secondary' },
  ];
  if (p.notice) header.push({ text: `  ·  ${p.notice}`, role: 'status.warn' });
  const lines: ScreenLine[] = [{ spans: header }];
  for (let i = 0; i < body; i++) {
    const index = p.window.offset + i;
    const s = p.rows[i];
    if (!s) {
      const empty = p.total === 0 && i === 1;
      lines.push({ spans: empty ? [{ text: '  No sessions yet. They appear here as your assistants write them; --demo shows an example.', role: 'text.secondary' }] : [] });
      continue;
    }
    const selected = index === p.window.selected;
    lines.push({ key: s.id, role: selected ? 'selection' : undefined, spans: sessionSpans(s, p.width, p.now, p.home, selected) });
  }
  lines.push({ role: 'status', spans: whileFits([{ text: p.progress ? ` ${p.progress}` : '' }, ...hintSpans(footerHintList('list'))], p.width) });
  return lines;
}

/** The header's description of the list's filter: `all agents · all projects`, `codex · ~/shop`. */
export function listScope(agent: string | null, project: string | null, home: string | undefined): string {
  return `${agent ?? 'all agents'} · ${project ? displayPath(project, home) : 'all projects'}`;
}

/**
 * The list as the TUI first shows it (no filter, the first session selected, nothing in progress): what a start
 * paints before Ink has loaded. App's first render computes the same props from the same reader.
 */
export function firstListScreen(reader: TimelineReader, size: Size, o: { notice?: string; now: number; home?: string }): ScreenLine[] {
  const filter: SessionFilter = {};
  const height = listHeight(size.rows);
  return listScreen({
    width: size.columns,
    height: size.rows,
    rows: reader.listSessions(filter, 0, height),
    total: reader.countSessions(filter),
    window: initialNav().list,
    scope: listScope(null, null, o.home),
    notice: o.notice,
    progress: null,
    now: o.now,
    home: o.home,
  });
}
