/**
 * Screen rows as terminal text, without Ink: how a start draws its first frame while Ink (React, its reconciler and
 * the Yoga layout engine, two thirds of the start-up time) is still loading. The rows are the ones Ink draws next
 * (the same ScreenLine values, fitted to the width the same way), so Ink's first render replaces them in place.
 */
import { fitSpans, type ScreenLine } from './spans.js';
import type { Style, Theme } from './theme.js';

/** SGR parameters of the colour names the themes use (chalk's names). */
const FOREGROUND: Readonly<Record<string, number>> = {
  black: 30, red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, white: 37,
  gray: 90, grey: 90, blackBright: 90, redBright: 91, greenBright: 92, yellowBright: 93, blueBright: 94,
  magentaBright: 95, cyanBright: 96, whiteBright: 97,
};

function sgr(style: Style): string {
  const codes: number[] = [];
  if (style.bold) codes.push(1);
  if (style.dimColor) codes.push(2);
  if (style.inverse) codes.push(7);
  const color = style.color ? FOREGROUND[style.color] : undefined;
  if (color !== undefined) codes.push(color);
  return codes.length ? `\u001b[${codes.join(';')}m` : '';
}

/** One row: each span in its row's style overlaid with its own, exactly `width` cells. */
export function paintLine(line: ScreenLine, width: number, theme: Theme): string {
  const base = line.role ? theme[line.role] : {};
  let out = '';
  for (const span of fitSpans(line.spans, width)) {
    const start = sgr({ ...base, ...(span.role ? theme[span.role] : {}) });
    out += start ? `${start}${span.text}\u001b[0m` : span.text;
  }
  return out;
}

/** A whole screen from the top-left corner, the cursor left there for whoever draws next. */
export function paintScreen(lines: readonly ScreenLine[], width: number, theme: Theme): string {
  return `\u001b[H${lines.map((l) => paintLine(l, width, theme)).join('\r\n')}\u001b[H`;
}
