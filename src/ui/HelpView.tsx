/** `?`: every key, generated from the keybinding table, so help cannot drift from what the keys do. */
import React from 'react';
import { Box } from 'ink';
import { footerHintList, helpSections } from './keys.js';
import { Row } from './Row.js';
import { hintSpans, whileFits, type Span } from './spans.js';
import { fit } from './text.js';

const KEYS_W = 24;

let cached: Span[][] | null = null;

/** All help rows, before scrolling. The table is constant, so they are laid out once, when help is first shown. */
export function helpRows(): Span[][] {
  if (cached) return cached;
  const rows: Span[][] = [];
  for (const section of helpSections()) {
    if (rows.length) rows.push([]);
    rows.push([{ text: ` ${section.title}`, role: 'header' }]);
    for (const r of section.rows) rows.push([{ text: `   ${fit(r.keys, KEYS_W)}`, role: 'text.accent' }, { text: r.description }]);
  }
  cached = rows;
  return rows;
}

export function helpBodyHeight(screenRows: number): number {
  return Math.max(1, screenRows - 2);
}

export function HelpView({ width, height, scroll }: { width: number; height: number; scroll: number }): React.JSX.Element {
  const all = helpRows();
  const body = helpBodyHeight(height);
  const lines: React.JSX.Element[] = [];
  for (let i = 0; i < body; i++) lines.push(<Row key={i} width={width} spans={all[scroll + i] ?? []} />);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Row width={width} spans={[{ text: ' mantra-tui help — keys', role: 'header' }]} />
      {lines}
      <Row width={width} role="status" spans={whileFits(hintSpans(footerHintList('help')), width)} />
    </Box>
  );
}
