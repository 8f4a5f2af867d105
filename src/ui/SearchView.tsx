/** `/`: the search overlay. A pure view of the query, the scope and kind, and the results grouped by session. */
import React from 'react';
import { Box } from 'ink';
import type { SearchKind } from '../search/types.js';
import { displayPath } from './format.js';
import { footerHintList } from './keys.js';
import type { SearchScopeName } from './navigation.js';
import { Row } from './Row.js';
import { hintSpans, whileFits, type Span } from './spans.js';
import type { SearchRow } from './search-rows.js';

export function searchBodyHeight(screenRows: number): number {
  return Math.max(1, screenRows - 3);
}

const KIND_NAMES: Record<SearchKind, string> = { all: 'everything', decision: 'decisions', 'dead-end': 'dead ends', status: 'status' };

export interface SearchViewProps {
  readonly width: number;
  readonly height: number;
  readonly query: string;
  readonly scope: SearchScopeName;
  readonly kindFilter: SearchKind;
  readonly project: string | null;
  readonly rows: readonly SearchRow[];
  readonly offset: number;
  readonly selected: number;
  /** `searching…`, `12 results`, an error. */
  readonly status: string;
  readonly home?: string;
}

export function SearchView(p: SearchViewProps): React.JSX.Element {
  const body = searchBodyHeight(p.height);
  const scope = p.scope === 'all' ? 'all sessions' : p.scope === 'session' ? 'this session' : `project ${displayPath(p.project, p.home)}`;
  const input: Span[] = [{ text: ' / ', role: 'text.accent' }, { text: p.query }, { text: '▏', role: 'text.accent' }];
  const settings: Span[] = [{ text: `   ${scope} · ${KIND_NAMES[p.kindFilter]} · ${p.status}`, role: 'text.secondary' }];
  const lines: React.JSX.Element[] = [];
  for (let i = 0; i < body; i++) {
    const r = p.rows[p.offset + i];
    const chosen = r !== undefined && r.hit === p.selected;
    lines.push(<Row key={i} width={p.width} role={chosen ? 'selection' : undefined} spans={r ? [{ text: chosen ? '›' : ' ' }, ...r.spans] : []} />);
  }
  return (
    <Box flexDirection="column" width={p.width} height={p.height}>
      <Row width={p.width} spans={[...input, ...settings]} />
      <Row width={p.width} spans={[{ text: ' words (all must match), "a phrase", prefix* · typos are forgiven in decisions, dead ends and titles', role: 'text.secondary' }]} />
      {lines}
      <Row width={p.width} role="status" spans={whileFits(hintSpans(footerHintList('search')), p.width)} />
    </Box>
  );
}
