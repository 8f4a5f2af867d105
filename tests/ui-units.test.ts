/** The pure parts of the UI: text cleaning and measuring, key resolution, navigation, windowing, the scrubber. */
import { describe, expect, it } from 'vitest';
import { age, displayPath, shortTime } from '../src/ui/format.js';
import { BINDINGS, bindingsFor, footerHints, helpSections, keyName, keyNames, resolveKey, type CommandId, type ScreenKind } from '../src/ui/keys.js';
import { layoutBody, FOLDED_ROWS } from '../src/ui/message-body.js';
import { applyCommand, followGrowth, initialNav, newMessages, topScreen, type NavEnv, type NavState } from '../src/ui/navigation.js';
import { moveSelection } from '../src/ui/scroll.js';
import { barCells, bucketOf, markerCells } from '../src/ui/scrubber.js';
import { cellWidth, fit, sanitize, truncate, truncateStart, wrapLine, wrapText } from '../src/ui/text.js';
import { makeStore, parsedMessage } from './helpers/store.js';
import type { MessageRow } from '../src/store/rows.js';

describe('sanitize', () => {
  it.each([
    ['colours', 'a\u001b[1;31mb\u001b[0mc', 'abc'],
    ['cursor movement and clear', 'x\u001b[2J\u001b[10;5Hy', 'xy'],
    ['OSC hyperlink', '\u001b]8;;https://e.x\u0007link\u001b]8;;\u0007', 'link'],
    ['OSC title ended by ST', '\u001b]0;title\u001b\\after', 'after'],
    ['8-bit CSI', 'a\u009b31mb', 'ab'],
    ['C0 and DEL', 'a\u0000b\u0007c\u007fd', 'abcd'],
    ['BiDi overrides and isolates', 'a\u202eb\u202cc\u2067d\u2069', 'abcd'],
    ['CRLF', 'a\r\nb', 'a\nb'],
    ['progress with carriage returns', '10%\r50%\r100%', '100%'],
    ['tabs and newlines kept', 'a\tb\nc', 'a\tb\nc'],
    ['emoji and CJK kept', '👩‍👩‍👧 表', '👩‍👩‍👧 表'],
  ])('%s', (_, input, expected) => {
    expect(sanitize(input)).toBe(expected);
  });
});

describe('measuring and cutting by cells', () => {
  it.each([
    ['abc', 3],
    ['表', 2],
    ['👩‍👩‍👧', 2],
    ['e\u0301', 1],
  ])('%j is %i cells', (s, w) => expect(cellWidth(s)).toBe(w));

  it('truncates by cells, never splitting a cluster', () => {
    expect(truncate('hello world', 8)).toBe('hello w…');
    expect(truncate('表表表表', 5)).toBe('表表…');
    expect(cellWidth(truncate('表表表表', 5))).toBeLessThanOrEqual(5);
    expect(truncate('👩‍👩‍👧👩‍👩‍👧👩‍👩‍👧', 4)).toBe('👩‍👩‍👧…');
    expect(truncate('short', 10)).toBe('short');
    expect(fit('ab', 4, 'right')).toBe('  ab');
    expect(fit('表表表', 4)).toBe('表… ');
    expect(truncateStart('/tmp/mantra-demo-x1/shop', 10)).toBe('…o-x1/shop');
  });

  it('wraps at spaces when it can, hard otherwise, and by cells for wide text', () => {
    expect(wrapLine('the quick brown fox', 10)).toEqual(['the quick', 'brown fox']);
    expect(wrapLine('abcdefghijkl', 5)).toEqual(['abcde', 'fghij', 'kl']);
    expect(wrapLine('表表表表表', 4)).toEqual(['表表', '表表', '表']);
    expect(wrapLine('a\tb', 20)).toEqual(['a   b']);
    // Not ASCII (a dash, an accent): still broken at a space, not inside a word.
    expect(wrapLine('integer maths is exact — formatting happens at the edge', 30)).toEqual(['integer maths is exact —', 'formatting happens at the edge']);
  });

  it('stops wrapping once it has the rows it was asked for', () => {
    const huge = 'line\n'.repeat(1_000_000);
    const t0 = performance.now();
    const { rows, more } = wrapText(huge, 80, 10);
    expect(rows).toHaveLength(10);
    expect(more).toBe(true);
    expect(performance.now() - t0).toBeLessThan(50);
  });
});

describe('keys', () => {
  it.each([
    ['', { upArrow: true }, 'up'],
    ['', { rightArrow: true, shift: true }, 'S-right'],
    ['', { pageDown: true }, 'pagedown'],
    ['', { escape: true }, 'esc'],
    ['', { return: true }, 'enter'],
    ['c', { ctrl: true }, 'C-c'],
    ['', { delete: true }, 'backspace'],
    ['G', { shift: true }, 'G'],
    ['?', {}, '?'],
    ['pasted text', {}, null],
  ])('%j %j is %j', (input, key, name) => expect(keyName(input, key)).toBe(name));

  it('splits a run of typed keys delivered in one read', () => {
    expect(keyNames('ll', {})).toEqual(['l', 'l']);
    expect(keyNames('j\r', {})).toEqual(['j', 'enter']);
    expect(keyNames('\u007fq', {})).toEqual(['backspace', 'q']);
    expect(keyNames('', { rightArrow: true })).toEqual(['right']);
  });

  it.each<[ScreenKind, string, CommandId | null]>([
    ['list', 'j', 'list.down'],
    ['list', 'enter', 'list.open'],
    ['list', 'q', 'app.quit'],
    ['timeline', 'l', 'timeline.next'],
    ['timeline', 'S-right', 'timeline.forward10'],
    ['timeline', 'pagedown', 'timeline.forward10'],
    ['timeline', 'esc', 'timeline.back'],
    ['timeline', '?', 'app.help'],
    ['help', 'q', 'help.close'], // the screen's own binding shadows the global quit
    ['help', 'C-c', 'app.quit'],
    ['list', 'z', null],
  ])('on %s, %s runs %s', (screen, key, command) => expect(resolveKey(screen, key)).toBe(command));

  it('has no key bound twice on one screen', () => {
    for (const screen of ['list', 'timeline', 'help'] as const) {
      const keys = bindingsFor(screen).flatMap((b) => b.keys);
      expect(new Set(keys).size, screen).toBe(keys.length);
    }
  });

  it('generates footer and help from the same table', () => {
    expect(footerHints('timeline')).toContain('t fold');
    expect(footerHints('help')).toBe('Esc close · Ctrl-C quit');
    const described = helpSections().flatMap((s) => s.rows.map((r) => r.description));
    for (const b of BINDINGS) expect(described).toContain(b.description);
  });
});

describe('navigation', () => {
  const env = (over: Partial<NavEnv> = {}): NavEnv => ({
    listTotal: 50,
    listHeight: 10,
    sessionIdAt: (i) => `s${i}`,
    messageCount: () => 25,
    bodyMaxScroll: 3,
    helpMaxScroll: 0,
    ...over,
  });
  const run = (s: NavState, ...commands: CommandId[]) => commands.reduce<NavState>((acc, c) => applyCommand(acc, c, env()) as NavState, s);
  const seq = (s: NavState) => (topScreen(s) as { seq: number }).seq;

  it('opens the selected session at its first message and goes back to the same selection', () => {
    const s = run(initialNav(), 'list.down', 'list.down', 'list.open');
    expect(topScreen(s)).toEqual({ kind: 'timeline', sessionId: 's2', seq: 1, scroll: 0, seen: 25 });
    const back = run(s, 'timeline.back');
    expect(topScreen(back).kind).toBe('list');
    expect(back.list.selected).toBe(2);
  });

  it('steps by one and ten, clamped to the session', () => {
    const s = initialNav('x');
    expect(seq(run(s, 'timeline.prev'))).toBe(1);
    expect(seq(run(s, 'timeline.next', 'timeline.next'))).toBe(3);
    expect(seq(run(s, 'timeline.forward10', 'timeline.forward10'))).toBe(21);
    expect(seq(run(s, 'timeline.forward10', 'timeline.forward10', 'timeline.forward10'))).toBe(25);
    expect(seq(run(s, 'timeline.last', 'timeline.back10'))).toBe(15);
    expect(seq(run(s, 'timeline.last', 'timeline.first'))).toBe(1);
  });

  it('scrolls inside a message within bounds and resets the scroll on a step', () => {
    const s = run(initialNav('x'), 'timeline.scrollDown', 'timeline.scrollDown', 'timeline.scrollDown', 'timeline.scrollDown');
    expect((topScreen(s) as { scroll: number }).scroll).toBe(3);
    expect((topScreen(run(s, 'timeline.next')) as { scroll: number }).scroll).toBe(0);
  });

  it('stacks help over any screen and quits from anywhere', () => {
    const s = run(initialNav('x'), 'app.help');
    expect(s.stack.map((x) => x.kind)).toEqual(['list', 'timeline', 'help']);
    expect(run(s, 'help.close').stack.map((x) => x.kind)).toEqual(['list', 'timeline']);
    expect(applyCommand(s, 'app.quit', env())).toBe('quit');
  });

  it('follows a live session when on its last message, and counts what is new otherwise', () => {
    const atEnd = run(initialNav('x', 25), 'timeline.last');
    const followed = followGrowth(atEnd, 'x', 25, 28);
    expect(seq(followed)).toBe(28);
    expect(newMessages(topScreen(followed), 28)).toBe(0);
    const middle = run(initialNav('x', 25), 'timeline.next');
    const stayed = followGrowth(middle, 'x', 25, 28);
    expect(seq(stayed)).toBe(2);
    expect(newMessages(topScreen(stayed), 28)).toBe(3);
    // Reaching the end catches up.
    const caughtUp = applyCommand(stayed, 'timeline.last', env({ messageCount: () => 28 })) as NavState;
    expect(newMessages(topScreen(caughtUp), 28)).toBe(0);
    // Another session growing changes nothing; a session that shrank keeps the cursor inside it.
    expect(followGrowth(middle, 'other', 25, 30)).toBe(middle);
    expect(seq(followGrowth(run(initialNav('x', 25), 'timeline.last'), 'x', 25, 10))).toBe(10);
  });

  it('does nothing on an empty list', () => {
    const s = applyCommand(initialNav(), 'list.open', env({ listTotal: 0 })) as NavState;
    expect(s.stack).toHaveLength(1);
  });
});

describe('list windowing', () => {
  it('keeps a margin between the selection and the window edge', () => {
    let w = { selected: 0, offset: 0 };
    for (let i = 0; i < 9; i++) w = moveSelection(w, w.selected + 1, 100, 10);
    expect(w).toEqual({ selected: 9, offset: 2 });
    expect(moveSelection(w, 99, 100, 10)).toEqual({ selected: 99, offset: 90 });
    expect(moveSelection({ selected: 99, offset: 90 }, 88, 100, 10)).toEqual({ selected: 88, offset: 86 });
    expect(moveSelection(w, 5, 3, 10)).toEqual({ selected: 2, offset: 0 });
    expect(moveSelection(w, 5, 0, 10)).toEqual({ selected: 0, offset: 0 });
  });
});

describe('scrubber', () => {
  it('puts each message in the same cell as the store aggregates it into', () => {
    const messages = Array.from({ length: 37 }, (_, i) =>
      parsedMessage(i + 1, { kind: i % 5 === 0 ? 'tool-call' : 'reply', isError: i === 20, subtype: i === 30 ? 'compact_boundary' : null }),
    );
    const store = makeStore([{ id: 's', messages }]);
    try {
      for (const width of [7, 37, 80]) {
        const buckets = store.reader.getScrubBuckets('s', width);
        for (let seq = 1; seq <= 37; seq++) expect(buckets[bucketOf(seq, 37, width)].messages).toBeGreaterThan(0);
        const markers = markerCells(buckets);
        expect(markers[bucketOf(31, 37, width)].ch).toBe('┃');
        expect(markers[bucketOf(21, 37, width)].ch).toBe(bucketOf(21, 37, width) === bucketOf(31, 37, width) ? '┃' : '✗');
      }
    } finally {
      store.close();
    }
  });

  it('draws played, cursor and rest', () => {
    expect(barCells(10, 1, 100).map((c) => c.ch).join('')).toBe('●─────────');
    expect(barCells(10, 55, 100).map((c) => c.ch).join('')).toBe('━━━━━●────');
    expect(barCells(10, 100, 100).map((c) => c.ch).join('')).toBe('━━━━━━━━━●');
    expect(barCells(10, 2, 3).map((c) => c.ch).join('')).toBe('━━━●──────');
  });
});

describe('message body', () => {
  const row = (over: Partial<MessageRow>): MessageRow => ({
    id: 1, sessionId: 's', seq: 1, sourceId: 'u', parentId: null, timestamp: 0, role: 'assistant', kind: 'reply', text: '',
    toolName: null, toolInput: null, toolUseId: null, files: [], isError: false, isSidechain: false, subtype: null, data: null,
    sourceFile: '/f', byteOffset: 0, ...over,
  });

  it('lays a tool call out with its input, multi-line values indented', () => {
    const rows = layoutBody(row({ kind: 'tool-call', text: 'Edit src/a.ts', toolInput: JSON.stringify({ file_path: 'src/a.ts', old_string: 'a\nb', replace_all: false }) }), 60, true).rows.map((r) => r.text);
    expect(rows).toEqual(['Edit src/a.ts', '', 'file_path: src/a.ts', 'old_string:', '  a', '  b', 'replace_all: false']);
  });

  it('folds thinking and results but never prompts and replies', () => {
    const long = Array.from({ length: 20 }, (_, i) => `l${i}`).join('\n');
    expect(layoutBody(row({ kind: 'thinking', text: long }), 60, true).rows).toHaveLength(FOLDED_ROWS + 1);
    expect(layoutBody(row({ kind: 'thinking', text: long }), 60, false).rows).toHaveLength(20);
    expect(layoutBody(row({ kind: 'reply', text: long }), 60, true).rows).toHaveLength(20);
  });
});

describe('formatting', () => {
  const now = Date.UTC(2026, 10, 24, 12, 0, 0);
  it.each([
    [now - 10_000, 'now'],
    [now - 5 * 60_000, '5m'],
    [now - 3 * 3_600_000, '3h'],
    [now - 2 * 86_400_000, '2d'],
    [now - 21 * 86_400_000, '3w'],
    [now - 100 * 86_400_000, '3mo'],
    [now - 800 * 86_400_000, '2y'],
    [null, '—'],
  ])('age of %s is %s', (ms, expected) => expect(age(ms, now)).toBe(expected));

  it('shortens paths under home and dates on another day', () => {
    expect(displayPath('/home/ada/shop', '/home/ada')).toBe('~/shop');
    expect(displayPath('/home/adam/x', '/home/ada')).toBe('/home/adam/x');
    const t = new Date(2026, 4, 2, 9, 14).getTime();
    expect(shortTime(t, t)).toBe('09:14');
    expect(shortTime(t, new Date(2026, 4, 1, 9, 0).getTime())).toBe('May 2 09:14');
  });
});
