/** A full-screen panel of rows with a title and footer hints: the restore and undo overlays. Pure. */
import React from 'react';
import { Box } from 'ink';
import { footerHintList, type CommandId, type ScreenKind } from './keys.js';
import type { BodyRow } from './message-body.js';
import { Row } from './Row.js';
import { hintSpans, whileFits, type Span } from './spans.js';

export function panelBodyHeight(screenRows: number): number {
  return Math.max(1, screenRows - 2);
}

export interface PanelViewProps {
  readonly width: number;
  readonly height: number;
  readonly title: readonly Span[];
  readonly rows: readonly BodyRow[];
  readonly scroll: number;
  /** Footer hints come from the keybinding table of this screen; none while work is under way. */
  readonly screen: ScreenKind;
  readonly busy?: boolean;
  /** Commands that cannot run now (the plan is loading, or there is nothing to do): their hints are left out. */
  readonly unavailable?: ReadonlySet<CommandId>;
}

export function PanelView(p: PanelViewProps): React.JSX.Element {
  const body = panelBodyHeight(p.height);
  const lines: React.JSX.Element[] = [];
  for (let i = 0; i < body; i++) {
    const r = p.rows[p.scroll + i];
    lines.push(<Row key={i} width={p.width} spans={r ? [{ text: ' ' }, { text: r.text, role: r.role }] : []} />);
  }
  const footer = p.busy ? [{ text: ' working… (this cannot be cancelled half way)' }] : hintSpans(footerHintList(p.screen, undefined, p.unavailable));
  return (
    <Box flexDirection="column" width={p.width} height={p.height}>
      <Row width={p.width} spans={[{ text: ' ' }, ...p.title]} role="header" />
      {lines}
      <Row width={p.width} role="status" spans={whileFits(footer, p.width)} />
    </Box>
  );
}
