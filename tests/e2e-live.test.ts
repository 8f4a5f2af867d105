/**
 * Live, in a real terminal: the TUI runs in tmux on a Claude Code history while this test writes to a session file
 * as an agent would — whole lines, a line cut in two writes, a rotated file — and reads the screen back.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { TmuxPane } from '../src/bench/tmux.js';
import { buildDemo, type DemoLayout } from '../src/demo/demo.js';
import { prompt } from './helpers/claude-lines.js';

const CLI = path.resolve(__dirname, '../dist/cli.js');
let home: string;
let demo: DemoLayout;
let pane: TmuxPane | undefined;

beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'mantra-live-'));
  demo = buildDemo(path.join(home, 'demo'));
});
afterEach(() => {
  pane?.kill();
  pane = undefined;
  fs.rmSync(home, { recursive: true, force: true });
});

function status(screen: string): string {
  const rows = screen.replace(/\n+$/, '').split('\n');
  return rows[rows.length - 1];
}

function position(screen: string): string | null {
  return status(screen).match(/^\s*(\d+\/\d+)/)?.[1] ?? null;
}

it('shows what the agent writes while the timeline is open, following the end or counting what is new', () => {
  const newest = demo.sessions[demo.sessions.length - 1];
  const before = fs.readFileSync(newest.file, 'utf8');
  const total = before.split('\n').filter((l) => l.includes('"uuid"')).length;
  pane = new TmuxPane(100, 30, { HOME: home, XDG_DATA_HOME: path.join(home, 'xdg') });
  pane.startCommand(`node ${CLI} --db ${path.join(home, 'index.db')} --claude-dir ${demo.claudeDir}`);
  pane.waitFor((s) => s.includes(newest.title.slice(0, 30)), 15_000);
  pane.keys('Enter');
  const opened = pane.waitFor((s) => position(s) !== null);
  const count = Number(position(opened)!.split('/')[1]);
  expect(count).toBeGreaterThan(10);
  pane.keys('End');
  pane.waitFor((s) => position(s) === `${count}/${count}`);

  const line = (n: number, text: string) =>
    prompt({ uuid: `live-${n}`, sessionId: path.basename(newest.file, '.jsonl'), timestamp: new Date().toISOString(), cwd: demo.repoDir }, text);
  let written = before;
  const append = (text: string) => {
    fs.appendFileSync(newest.file, text);
    written += text;
  };

  // A whole line: the cursor was on the last message, so it follows.
  const t0 = Date.now();
  append(line(1, 'first live prompt') + '\n');
  const followed = pane.waitFor((s) => position(s) === `${count + 1}/${count + 1}`, 5000);
  expect(followed).toContain('first live prompt');
  expect(Date.now() - t0).toBeLessThan(3000);

  // A line the agent is still writing: nothing until it is complete, then exactly one message.
  const half = line(2, 'second live prompt, written in two parts');
  append(half.slice(0, 40));
  pane.settle();
  expect(position(pane.screen())).toBe(`${count + 1}/${count + 1}`);
  append(half.slice(40) + '\n');
  pane.waitFor((s) => position(s) === `${count + 2}/${count + 2}` && s.includes('second live prompt'), 5000);

  // Away from the end, the cursor stays and the scrubber counts what is new.
  pane.keys('Home');
  pane.waitFor((s) => position(s) === `1/${count + 2}`);
  append(line(3, 'third live prompt') + '\n');
  pane.waitFor((s) => position(s) === `1/${count + 3}` && s.includes('+1 new'), 5000);

  // Rotation: the file replaced by a new one (new inode) holding the old lines and one more.
  const rotated = `${newest.file}.tmp`;
  written += line(4, 'fourth live prompt, after rotation') + '\n';
  fs.writeFileSync(rotated, written);
  fs.renameSync(rotated, newest.file);
  pane.waitFor((s) => status(s).startsWith(` 1/${count + 4}`) && s.includes('+2 new'), 8000);
  pane.keys('End');
  pane.waitFor((s) => position(s) === `${count + 4}/${count + 4}` && s.includes('after rotation'));

  pane.keys('q');
  // mantra-tui wrote nothing to the assistant's file: it holds exactly what was written to it.
  expect(fs.readFileSync(newest.file, 'utf8')).toBe(written);
  expect(total).toBeGreaterThan(0);
});
