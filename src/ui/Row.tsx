/** One screen row of styled spans, cut and padded to exactly `width` cells so no frame ever wraps or overflows. */
import React from 'react';
import { Box, Text } from 'ink';
import { cellWidth, truncate } from './text.js';
import { useTheme, type Role } from './theme.js';

export interface Span {
  readonly text: string;
  readonly role?: Role;
}

/** Cuts spans to `width` cells in total (the last visible one ends with `…`) and pads the rest with spaces. */
export function fitSpans(spans: readonly Span[], width: number): Span[] {
  const out: Span[] = [];
  let used = 0;
  for (const s of spans) {
    if (used >= width) break;
    const w = cellWidth(s.text);
    if (used + w <= width) {
      out.push(s);
      used += w;
    } else {
      const cut = truncate(s.text, width - used);
      out.push({ ...s, text: cut });
      used += cellWidth(cut);
      break;
    }
  }
  if (used < width) out.push({ text: ' '.repeat(width - used) });
  return out;
}

/**
 * Spans in priority order, each kept only while the row still has room for it whole: the status line drops its
 * least important parts on a narrow terminal instead of cutting the important ones.
 */
export function whileFits(spans: readonly Span[], width: number): Span[] {
  const out: Span[] = [];
  let used = 0;
  for (const s of spans) {
    const w = cellWidth(s.text);
    if (used + w > width) continue;
    out.push(s);
    used += w;
  }
  return out;
}

/** Footer hints as spans that `whileFits` can drop one at a time from the end of a row. */
export function hintSpans(hints: readonly string[]): Span[] {
  return hints.map((h, i) => ({ text: i === 0 ? `   ${h}` : ` · ${h}` }));
}

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
