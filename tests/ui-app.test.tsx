/** Component tests: the real App over a real SQLite index, driven with key bytes through ink-testing-library. */
import { EventEmitter } from 'node:events';
import React from 'react';
import { render as inkRender } from 'ink';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../src/ui/App.js';
import { TuiEvents } from '../src/ui/events.js';
import { ListView } from '../src/ui/ListView.js';
import { NO_COLOR_THEME } from '../src/ui/theme.js';
import { ThemeContext } from '../src/ui/theme-context.js';
import { KEYS, mount, rowsOf, type Harness } from './helpers/ink.js';
import { makeStore, parsedMessage, type TestStore } from './helpers/store.js';

let store: TestStore | undefined;
let app: Harness | undefined;
afterEach(() => {
  app?.unmount();
  app = undefined;
  store?.close();
  store = undefined;
});

const SIZE = { columns: 80, rows: 24 };
const NOW = Date.UTC(2026, 4, 3, 9, 0, 0);

/** Status line position `n/N` (the last row). */
function position(frame: string): string | null {
  const rows = rowsOf(frame);
  return rows[rows.length - 1].match(/^\s*(\d+\/\d+)/)?.[1] ?? null;
}

function expectFits(frame: string, size = SIZE): void {
  const rows = rowsOf(frame);
  expect(rows.length).toBe(size.rows);
  for (const r of rows) expect([...r].length, r).toBeLessThanOrEqual(size.columns);
}

function session(id: string, n: number, title: string, at = 0) {
  return {
    id,
    title,
    messages: Array.from({ length: n }, (_, i) => parsedMessage(i + 1, { timestamp: NOW - 3_600_000 + at + i * 1000, text: `${id} message ${i + 1}` })),
  };
}

describe('App', () => {
  it('lists sessions newest first, opens one, steps, scrubs ten, jumps to the ends, and goes back', async () => {
    store = makeStore([session('older', 5, 'Older work', 0), session('newer', 40, 'Newer work', 600_000)]);
    app = mount(<App reader={store.reader} size={SIZE} now={() => NOW} />);
    const list = await app.waitForFrame((f) => f.includes('Newer work'));
    expectFits(list);
    expect(list).toMatch(/2 sessions/);
    const rows = rowsOf(list);
    expect(rows.findIndex((r) => r.includes('Newer work'))).toBeLessThan(rows.findIndex((r) => r.includes('Older work')));
    expect(rows.find((r) => r.includes('Newer work'))).toMatch(/^›/);

    await app.press(KEYS.enter);
    expect(position(await app.waitForFrame((f) => position(f) === '1/40'))).toBe('1/40');
    expect(app.frame()).toContain('newer message 1');
    await app.press(KEYS.right, KEYS.right, 'l');
    await app.waitForFrame((f) => position(f) === '4/40');
    await app.press(KEYS.left, 'h');
    await app.waitForFrame((f) => position(f) === '2/40');
    await app.press(KEYS.pageDown);
    await app.waitForFrame((f) => position(f) === '12/40');
    await app.press(KEYS.shiftRight);
    await app.waitForFrame((f) => position(f) === '22/40');
    await app.press(KEYS.shiftLeft, KEYS.pageUp);
    await app.waitForFrame((f) => position(f) === '2/40');
    await app.press(KEYS.end);
    const end = await app.waitForFrame((f) => position(f) === '40/40');
    expect(end).toContain('newer message 40');
    expectFits(end);
    await app.press(KEYS.right);
    await app.press(KEYS.home);
    await app.waitForFrame((f) => position(f) === '1/40');
    await app.press(KEYS.left); // already at the start: stays
    expect(position(app.frame())).toBe('1/40');

    await app.press(KEYS.escape);
    await app.waitForFrame((f) => position(f) === null && f.includes('Older work'));
    await app.press(KEYS.down, KEYS.enter);
    await app.waitForFrame((f) => position(f) === '1/5');
  });

  it('loses no key of a burst', async () => {
    store = makeStore([session('s', 200, 'Burst')]);
    app = mount(<App reader={store.reader} size={SIZE} initialSessionId="s" />);
    await app.waitForFrame((f) => position(f) === '1/200');
    // One write carrying thirty arrow keys, as a terminal sends a held-down key.
    await app.press(KEYS.right.repeat(30));
    await app.waitForFrame((f) => position(f) === '31/200');
    // Plain keys arrive as one string when typed faster than the program reads them.
    await app.press('llllh');
    await app.waitForFrame((f) => position(f) === '34/200');
  });

  it('folds long tool results and thinking until t, and scrolls inside a long message', async () => {
    const long = Array.from({ length: 60 }, (_, i) => `output line ${i + 1}`).join('\n');
    store = makeStore([
      {
        id: 's',
        title: 'Fold',
        messages: [
          parsedMessage(1, { kind: 'tool-call', role: 'assistant', text: 'Bash: npm test', toolName: 'Bash', toolInput: '{"command":"npm test"}' }),
          parsedMessage(2, { kind: 'tool-result', role: 'tool', text: long, toolName: 'Bash', isError: true }),
        ],
      },
    ]);
    app = mount(<App reader={store.reader} size={SIZE} initialSessionId="s" />);
    const call = await app.waitForFrame((f) => position(f) === '1/2');
    expect(call).toContain('command: npm test');
    await app.press(KEYS.right);
    const folded = await app.waitForFrame((f) => position(f) === '2/2');
    expect(folded).toContain('output line 6');
    expect(folded).not.toContain('output line 7');
    expect(folded).toMatch(/folded \(60 lines in all\) · t unfolds/);
    expect(folded).toMatch(/error/);
    await app.press('t');
    const open = await app.waitForFrame((f) => f.includes('output line 19'));
    expect(open).not.toContain('output line 20'); // 19 body rows at 24 rows
    await app.press(KEYS.down, KEYS.down, 'j');
    const scrolled = await app.waitForFrame((f) => f.includes('output line 22'));
    expect(rowsOf(scrolled).some((r) => r.trim() === 'output line 3')).toBe(false);
    expectFits(scrolled);
    await app.press(KEYS.left, KEYS.right); // a message is always entered at its top, still unfolded
    await app.waitForFrame((f) => position(f) === '2/2' && rowsOf(f).some((r) => r.trim() === 'output line 1') && f.includes('output line 19'));
  });

  it('draws text from logs clean: no escape sequences, control or BiDi characters, wide characters measured', async () => {
    const nasty = 'red \u001b[31mALERT\u001b[0m \u001b]8;;http://x\u0007link\u001b]8;;\u0007 bell\u0007 \u202eevil\u202c\nprogress 10%\rprogress 100%\n表表表表表表表表表表表表表表表表表表表表表表表表表表表表表表表表表表表表表表表表表表表表表 👩‍👩‍👧 end';
    store = makeStore([{ id: 's', title: 'Nasty \u001b[2J title', messages: [parsedMessage(1, { text: nasty })] }]);
    app = mount(<App reader={store.reader} size={SIZE} initialSessionId="s" />);
    const f = await app.waitForFrame((x) => position(x) === '1/1');
    expect(f).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/);
    expect(f).toContain('red ALERT link bell evil');
    expect(f).toContain('progress 100%'); // a carriage return overwrites the line, as in a terminal
    expect(f).not.toContain(' 10%');
    // 45 wide characters are 90 cells: wrapped at the pane's 79, not at 79 characters.
    expect(rowsOf(f).find((r) => r.includes('表'))!.match(/表/g)!.length).toBe(39);
    expectFits(f);
  });

  it('shows help generated from the keybinding table and closes it with Esc', async () => {
    store = makeStore([session('s', 3, 'Help')]);
    app = mount(<App reader={store.reader} size={SIZE} initialSessionId="s" />);
    await app.waitForFrame((f) => position(f) === '1/3');
    await app.press('?');
    const help = await app.waitForFrame((f) => f.includes('help'));
    expect(help).toMatch(/Timeline/);
    expect(help).toMatch(/step forward ten messages/);
    expect(help).toMatch(/quit/);
    expectFits(help);
    await app.press(KEYS.escape);
    await app.waitForFrame((f) => position(f) === '1/3');
  });

  it('re-reads the index when told it changed, and shows background progress', async () => {
    store = makeStore([session('a', 2, 'First')]);
    const events = new TuiEvents();
    app = mount(<App reader={store.reader} size={SIZE} events={events} now={() => NOW} />);
    await app.waitForFrame((f) => f.includes('1 session'));
    const f = store.writer.ensureSourceFile('/sources/b.jsonl', 'claude');
    store.writer.upsertSession({ id: 'b', agent: 'claude', project: '/p' }, f.id);
    store.writer.appendMessages('b', f.id, 1, [parsedMessage(1, { timestamp: NOW })]);
    store.writer.setSessionTitleIfMissing('b', 'Arrived later');
    events.emit({ type: 'progress', text: 'indexing 3/9 files' });
    events.emit({ type: 'changed' });
    const after = await app.waitForFrame((x) => x.includes('Arrived later'));
    expect(after).toMatch(/2 sessions/);
    expect(after).toContain('indexing 3/9 files');
  });

  it('follows a live session: the cursor moves with new messages at the end, else the scrubber counts them', async () => {
    store = makeStore([session('live', 5, 'Live')]);
    const events = new TuiEvents();
    app = mount(<App reader={store.reader} size={SIZE} events={events} initialSessionId="live" />);
    await app.waitForFrame((f) => position(f) === '1/5');
    await app.press(KEYS.end);
    await app.waitForFrame((f) => position(f) === '5/5');
    const file = store.writer.ensureSourceFile('/sources/live.jsonl', 'claude');
    const grow = (from: number, n: number) => {
      store!.writer.appendMessages('live', file.id, from, Array.from({ length: n }, (_, i) => parsedMessage(100 + from + i, { text: `live message ${from + i}` })));
      events.emit({ type: 'changed' });
    };
    grow(6, 2);
    const followed = await app.waitForFrame((f) => position(f) === '7/7');
    expect(followed).toContain('live message 7');
    await app.press(KEYS.home);
    await app.waitForFrame((f) => position(f) === '1/7');
    grow(8, 3);
    const counted = await app.waitForFrame((f) => position(f) === '1/10' && f.includes('+3 new'));
    expectFits(counted);
    await app.press(KEYS.end);
    const caughtUp = await app.waitForFrame((f) => position(f) === '10/10');
    expect(caughtUp).not.toContain('new');
  });

  it('quits on q and on Ctrl-C', async () => {
    for (const key of ['q', KEYS.ctrlC]) {
      store = makeStore([session('s', 2, 'Quit')]);
      // Ink's own render (ink-testing-library hides waitUntilExit), over the same kind of fake streams.
      const stdin = Object.assign(new EventEmitter(), {
        isTTY: true,
        data: null as string | null,
        setRawMode() {},
        setEncoding() {},
        resume() {},
        pause() {},
        ref() {},
        unref() {},
        read() {
          const d = this.data;
          this.data = null;
          return d;
        },
      });
      const stdout = Object.assign(new EventEmitter(), { columns: 80, rows: 24, write: () => true });
      const instance = inkRender(<App reader={store.reader} size={SIZE} />, {
        stdin: stdin as unknown as NodeJS.ReadStream,
        stdout: stdout as unknown as NodeJS.WriteStream,
        stderr: stdout as unknown as NodeJS.WriteStream,
        debug: true,
        exitOnCtrlC: false,
        patchConsole: false,
      });
      let exited = false;
      void instance.waitUntilExit().then(() => (exited = true));
      await new Promise((r) => setTimeout(r, 10));
      stdin.data = key;
      stdin.emit('readable');
      const deadline = Date.now() + 2000;
      while (!exited && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(exited, `quit with ${JSON.stringify(key)}`).toBe(true);
      store.close();
      store = undefined;
    }
  });
});

describe('ListView', () => {
  it('draws only the visible window of a 10,000-session list', async () => {
    const sessions = Array.from({ length: 10_000 }, (_, i) => session(`s${String(i).padStart(5, '0')}`, 1, `Session number ${i}`, -i * 1000));
    store = makeStore(sessions);
    const rows = store.reader.listSessions({}, 5000, 22);
    app = mount(
      <ThemeContext.Provider value={NO_COLOR_THEME}>
        <ListView width={80} height={24} rows={rows} total={10_000} window={{ selected: 5003, offset: 5000 }} scope="all" now={NOW} />
      </ThemeContext.Provider>,
    );
    const f = app.frame();
    expect(f).toMatch(/10,000 sessions/);
    expect(f).toContain('Session number 5000');
    expect(f).toContain('Session number 5021');
    expect(f).not.toContain('Session number 4999');
    expect(f).not.toContain('Session number 5022');
    expect(rowsOf(f).find((r) => r.includes('Session number 5003'))).toMatch(/^›/);
    expectFits(f);
  });

  it('keeps a selection visible while moving through a long list', async () => {
    store = makeStore(Array.from({ length: 100 }, (_, i) => session(`s${String(i).padStart(3, '0')}`, 1, `Item ${i}`, -i * 1000)));
    app = mount(<App reader={store.reader} size={SIZE} now={() => NOW} />);
    await app.waitForFrame((f) => f.includes('Item 0'));
    await app.press(KEYS.pageDown, KEYS.pageDown);
    const f = await app.waitForFrame((x) => (rowsOf(x).find((r) => r.startsWith('›')) ?? '').includes('Item 42'));
    expectFits(f);
    await app.press('G');
    await app.waitForFrame((x) => (rowsOf(x).find((r) => r.startsWith('›')) ?? '').includes('Item 99'));
    await app.press('g');
    await app.waitForFrame((x) => (rowsOf(x).find((r) => r.startsWith('›')) ?? '').includes('Item 0'));
  });
});
