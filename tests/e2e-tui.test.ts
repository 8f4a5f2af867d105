/**
 * End to end in a real terminal: the built CLI on the demo data inside a detached tmux pane, driven by keys and
 * read back from the screen. CI=true is removed for the process under test (Ink would draw only its last frame).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TmuxPane } from '../src/bench/tmux.js';

const CLI = path.resolve(__dirname, '../dist/cli.js');
let home: string;
let pane: TmuxPane | undefined;

beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'mantra-e2e-'));
});
afterEach(() => {
  pane?.kill();
  pane = undefined;
  fs.rmSync(home, { recursive: true, force: true });
});

/** Position `n/N` from the status line (the last row; message text above it may hold anything). */
function position(screen: string): [number, number] | null {
  const rows = screen.replace(/\n+$/, '').split('\n');
  const m = rows[rows.length - 1].match(/^\s*(\d+)\/(\d+)\b/);
  return m ? [Number(m[1]), Number(m[2])] : null;
}

function assertFits(screen: string, cols: number, rows: number): void {
  const lines = screen.replace(/\n$/, '').split('\n');
  expect(lines.length).toBeLessThanOrEqual(rows);
  for (const line of lines) expect([...line].length, line).toBeLessThanOrEqual(cols);
}

describe.each([
  [100, 30],
  [80, 24],
])('the TUI at %i×%i', (cols, rows) => {
  it('opens the demo, moves through the list, scrubs a session, shows help, and quits cleanly', () => {
    pane = new TmuxPane(cols, rows, { HOME: home, XDG_DATA_HOME: path.join(home, 'xdg') });
    pane.start();
    pane.run('echo before-mantra');
    pane.waitFor((s) => s.includes('before-mantra'));
    pane.run(`node ${CLI} --demo`);

    // The list: newest first, demo sessions with their titles and counts.
    const list = pane.waitFor((s) => /claude/.test(s) && /sessions?/i.test(s) && !s.includes('before-mantra'), 15_000);
    assertFits(list, cols, rows);
    expect(list).toMatch(/›|▶|>/); // a selection marker

    pane.keys('Down');
    const moved = pane.waitFor((s) => s !== list);
    expect(moved).not.toEqual(list);
    pane.keys('Up', 'Enter');

    // The timeline: position 1/N in the status line.
    const opened = pane.waitFor((s) => position(s)?.[0] === 1);
    assertFits(opened, cols, rows);
    const total = position(opened)![1];
    expect(total).toBeGreaterThan(10);

    pane.keys('Right');
    pane.waitFor((s) => position(s)?.[0] === 2);
    pane.keys('l', 'l');
    pane.waitFor((s) => position(s)?.[0] === 4);
    pane.keys('h');
    pane.waitFor((s) => position(s)?.[0] === 3);
    pane.keys('PageDown');
    pane.waitFor((s) => position(s)?.[0] === 13);
    pane.keys('End');
    const end = pane.waitFor((s) => position(s)?.[0] === total);
    assertFits(end, cols, rows);
    pane.keys('Home');
    pane.waitFor((s) => position(s)?.[0] === 1);

    // Help, generated from the keybinding table.
    pane.keys('?');
    const help = pane.waitFor((s) => /help/i.test(s) && /quit/i.test(s));
    assertFits(help, cols, rows);
    pane.keys('Escape');
    pane.waitFor((s) => position(s)?.[0] === 1);

    // Back to the list, then quit: the shell and what was on screen before come back.
    pane.keys('Escape');
    pane.waitFor((s) => position(s) === null || /sessions?/i.test(s));
    pane.keys('q');
    const after = pane.waitFor((s) => s.includes('before-mantra') && /PROMPT\$ *$/m.test(s.trimEnd()));
    expect(after).toContain('before-mantra');
  });
});

it('draws its first frame before Ink has loaded, and Ink then draws the same list in place', () => {
  pane = new TmuxPane(100, 30, { HOME: home, XDG_DATA_HOME: path.join(home, 'xdg') });
  pane.start();
  pane.run(`node ${CLI} --demo`);
  // Polled without pause: the first screen that shows the list, most likely the painted one.
  const first = pane.waitFor((s) => /\d+ sessions/.test(s), 15_000, 0);
  const settled = pane.settle();
  const withoutFooter = (s: string) => s.replace(/\n+$/, '').split('\n').slice(0, -1);
  expect(withoutFooter(first)).toEqual(withoutFooter(settled));
  assertFits(first, 100, 30);
  pane.keys('q');
  pane.waitFor((s) => /PROMPT\$ *$/m.test(s.trimEnd()));
});

describe.each([
  ['at once, before Ink has loaded', 0],
  ['once the list has settled', 1],
])('on SIGTERM %s', (_when, settle) => {
  it('gives the terminal back (main screen, cooked keys) and exits with 143', () => {
    pane = new TmuxPane(80, 24, { HOME: home, XDG_DATA_HOME: path.join(home, 'xdg') });
    pane.start();
    pane.run('echo before-mantra');
    pane.waitFor((s) => s.includes('before-mantra'));
    pane.run(`node ${CLI} --demo; echo "exit=$?"`);
    pane.waitFor((s) => /\d+ sessions/.test(s), 15_000, 0);
    if (settle) pane.settle();
    // The node process is the pane's shell's child.
    const node = execFileSync('pgrep', ['-P', String(pane.panePid())], { encoding: 'utf8' }).trim().split('\n')[0];
    process.kill(Number(node), 'SIGTERM');
    const after = pane.waitFor((s) => s.includes('exit=143'));
    expect(after).toContain('before-mantra');
    // Keys are cooked again: what is typed echoes and runs.
    pane.run('echo typed-$((40+2))');
    pane.waitFor((s) => s.includes('typed-42'));
  });
});

it('follows a resize without overflowing', () => {
  pane = new TmuxPane(100, 30, { HOME: home, XDG_DATA_HOME: path.join(home, 'xdg') });
  pane.start();
  pane.run(`node ${CLI} --demo`);
  pane.waitFor((s) => /claude/.test(s), 15_000);
  pane.keys('Enter');
  pane.waitFor((s) => position(s)?.[0] === 1);
  pane.resize(80, 24);
  const small = pane.settle();
  assertFits(small, 80, 24);
  expect(position(small)?.[0]).toBe(1);
  pane.keys('q');
  pane.waitFor((s) => /PROMPT\$ *$/m.test(s.trimEnd()));
});

it('quits on Ctrl-C with the terminal as it was, and draws without colour under NO_COLOR', () => {
  pane = new TmuxPane(80, 24, { HOME: home, XDG_DATA_HOME: path.join(home, 'xdg') });
  pane.start();
  pane.run('echo before-mantra');
  pane.run(`NO_COLOR=1 node ${CLI} --demo`);
  pane.waitFor((s) => /claude/.test(s) && !s.includes('before-mantra'), 15_000);
  // Colour would show as SGR 30–37/90–97 or 38;… sequences; NO_COLOR leaves only bold and inverse.
  const styled = pane.screenWithEscapes();
  expect(styled).toMatch(/\u001b\[[0-9;]*7m/); // the selection is still visible, in inverse
  expect(styled).not.toMatch(/\u001b\[(?:[0-9;]*;)?(?:3[0-7]|9[0-7]|38)[;m]/);
  pane.keys('Enter');
  pane.waitFor((s) => position(s)?.[0] === 1);
  pane.keys('C-c');
  const after = pane.waitFor((s) => s.includes('before-mantra') && /PROMPT\$ *$/m.test(s.trimEnd()));
  expect(after).not.toMatch(/claude ·/);
});
