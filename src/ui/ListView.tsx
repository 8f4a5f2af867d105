/** The session list, drawn with Ink from its rows (list-screen.ts). */
import React from 'react';
import { Box } from 'ink';
import { listScreen, type ListViewProps } from './list-screen.js';
import { Row } from './Row.js';

export { listHeight, type ListViewProps } from './list-screen.js';

export function ListView(p: ListViewProps): React.JSX.Element {
  return (
    <Box flexDirection="column" width={p.width} height={p.height}>
      {listScreen(p).map((line, i) => (
        <Row key={line.key ?? `row${i}`} width={p.width} role={line.role} spans={line.spans} />
      ))}
    </Box>
  );
}
