/** The session list: a pure view of one window of sessions, newest first. */
import React from 'react';
import { Box } from 'ink';
import type { SessionRow } from '../store/rows.js';
import { agentLabel, age, displayPath, plural } from './format.js';
import { footerHintList } from './keys.js';
import { hintSpans, Row, whileFits, type Span } from './Row.js';
import type { ListWindow } from './scroll.js';
import { maskShort } from './secrets.js';
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

export function ListView(p: ListViewProps): React.JSX.Element {
  const body = listHeight(p.height);
  const header: Span[] = [
    { text: ' mantra-tui  ', role: 'header' },
    { text: plural(p.total, 'session') },
    { text: `  ·  ${p.scope}`, role: 'text.secondary' },
  ];
  if (p.notice) header.push({ text: `  ·  ${p.notice}`, role: 'status.warn' });
  const lines: React.JSX.Element[] = [];
  for (let i = 0; i < body; i++) {
    const index = p.window.offset + i;
    const s = p.rows[i];
    if (!s) {
      const empty = p.total === 0 && i === 1;
      lines.push(
        <Row key={i} width={p.width} spans={empty ? [{ text: '  No sessions yet. They appear here as your assistants write them; --demo shows an example.', role: 'text.secondary' }] : []} />,
      );
      continue;
    }
    const selected = index === p.window.selected;
    lines.push(<Row key={s.id} width={p.width} role={selected ? 'selection' : undefined} spans={sessionSpans(s, p.width, p.now, p.home, selected)} />);
  }
  const footer = whileFits([{ text: p.progress ? ` ${p.progress}` : '' }, ...hintSpans(footerHintList('list'))], p.width);
  return (
    <Box flexDirection="column" width={p.width} height={p.height}>
      <Row width={p.width} spans={header} />
      {lines}
      <Row width={p.width} role="status" spans={footer} />
    </Box>
  );
}
