/** One screen row of styled spans, cut and padded to exactly `width` cells so no frame ever wraps or overflows. */
import React from 'react';
import { Box, Text } from 'ink';
import { fitSpans, type Span } from './spans.js';
import type { Role } from './theme.js';
import { useTheme } from './theme-context.js';

export function Row({ spans, width, role }: { spans: readonly Span[]; width: number; role?: Role }): React.JSX.Element {
  const theme = useTheme();
  const base = role ? theme[role] : {};
  return (
    <Box height={1} width={width} flexShrink={0}>
      <Text wrap="truncate-end" {...base}>
        {fitSpans(spans, width).map((s, i) => (
          <Text key={i} {...base} {...(s.role ? theme[s.role] : {})}>
            {s.text}
          </Text>
        ))}
      </Text>
    </Box>
  );
}
