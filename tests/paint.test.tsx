/**
 * The first frame is painted without Ink (src/ui/paint.ts) and Ink's first render then draws over it in place: the
 * two must be the same screen, or a start would show one list and jump to another.
 */
import React from 'react';
import stripAnsi from 'strip-ansi';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../src/ui/App.js';
import { firstListScreen } from '../src/ui/list-screen.js';
import { paintLine, paintScreen } from '../src/ui/paint.js';
import { COLOR_THEME, NO_COLOR_THEME } from '../src/ui/theme.js';
import { mount, rowsOf, type Harness } from './helpers/ink.js';
import { makeStore, parsedMessage, type TestStore } from './helpers/store.js';

const NOW = Date.UTC(2026, 4, 3, 9, 0, 0);
let store: TestStore | undefined;
let app: Harness | undefined;
afterEach(() => {
  app?.unmount();
  store?.close();
  app = undefined;
  store = undefined;
});

function seed(): TestStore {
  const titles = [
    'Fix the flaky checkout test — it fails one run in ten', // a dash, cut with … at 80 columns
    'Use ghp_R7kq2Vn9XwT4bLmZ8cYd3FhJ6sPa1Ue5GiOq for the upload bucket', // a secret: masked in both frames
    'Café prices in € · rounding to cents',
    '日本語のタイトル with wide characters that need two cells each',
    'short',
  ];
  return makeStore(
    titles.map((title, i) => ({
      id: `s${i}`,
      title,
      agent: (['claude', 'codex', 'gemini', 'cursor', 'antigravity'] as const)[i],
      project: `/home/ada/project-${i}`,
      messages: Array.from({ length: 3 + i }, (_, k) => parsedMessage(k + 1, { timestamp: NOW - (i + 1) * 3_600_000 + k * 1000 })),
    })),
  );
}

/** The painted screen as the terminal shows it: no colour codes, rows without their trailing blanks. */
function painted(text: string): string[] {
  return stripAnsi(text).replace(/\u001b\[H/g, '').split('\r\n').map((r) => r.trimEnd());
}

describe('the first paint', () => {
  it.each([
    [80, 24],
    [100, 30],
    [40, 10],
  ])('is the screen App first renders, at %i×%i', async (columns, rows) => {
    store = seed();
    const size = { columns, rows };
    app = mount(<App reader={store.reader} size={size} now={() => NOW} home="/home/ada" notice="demo data" />);
    const inkFrame = await app.waitForFrame((f) => f.includes('sessions'));
    const paint = paintScreen(firstListScreen(store.reader, size, { now: NOW, home: '/home/ada', notice: 'demo data' }), columns, NO_COLOR_THEME);
    expect(painted(paint)).toEqual(rowsOf(inkFrame).map((r) => r.trimEnd()));
    expect(painted(paint)).toHaveLength(rows);
    expect(paint).not.toContain('ghp_R7kq2Vn9XwT4bLmZ8cYd3FhJ6sPa1Ue5GiOq');
    if (columns >= 80) expect(painted(paint).join('\n')).toContain('Use ‹github-pat› for the');
  });

  it('styles rows as the theme says, row role under span role, and resets after each styled span', () => {
    const line = paintLine({ role: 'selection', spans: [{ text: 'ab' }, { text: 'cd', role: 'status.error' }] }, 6, COLOR_THEME);
    // The row's inverse carries into its spans; the span adds red and bold; the padding keeps the row's style.
    expect(line).toBe('\u001b[7mab\u001b[0m\u001b[1;7;31mcd\u001b[0m\u001b[7m  \u001b[0m');
    expect(paintLine({ spans: [{ text: 'plain' }] }, 5, COLOR_THEME)).toBe('plain');
    // NO_COLOR keeps bold and inverse, never a colour.
    expect(paintLine({ spans: [{ text: 'x', role: 'status.error' }, { text: 'y', role: 'text.accent' }] }, 2, NO_COLOR_THEME)).toBe('\u001b[1mx\u001b[0my');
  });
});
