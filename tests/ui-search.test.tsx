/**
 * Search in the TUI (`/`), the list's filters (a, p), and facts on the timeline (scrubber marks, ] and [), on a real
 * index: messages through the writer, full text flushed and facts extracted as an index pass does.
 */
import React from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../src/ui/App.js';
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

const SIZE = { columns: 100, rows: 30 };
const NOW = Date.UTC(2026, 4, 3, 12, 0, 0);
const position = (f: string) => rowsOf(f).at(-1)!.match(/^\s*(\d+\/\d+)/)?.[1] ?? null;
const chosen = (f: string) => rowsOf(f).find((r) => r.startsWith('›')) ?? '';

function seeded(): TestStore {
  const t = (n: number) => NOW - 86_400_000 + n * 60_000;
  const s = makeStore([
    {
      id: 'auth',
      title: 'Fix the login loop',
      project: '/work/shop',
      messages: [
        parsedMessage(1, { text: 'The login loops on 401 after the token expires', timestamp: t(1) }),
        parsedMessage(2, { text: 'I tried the axios interceptor to refresh the token', role: 'assistant', kind: 'reply', timestamp: t(2) }),
        parsedMessage(3, { text: 'no, that loops on 401 again', timestamp: t(3) }),
        parsedMessage(4, { text: 'Decision: we will use httpOnly cookies instead of localStorage, because scripts cannot read them.', role: 'assistant', kind: 'reply', timestamp: t(4) }),
        parsedMessage(5, { text: 'ok', timestamp: t(5) }),
        parsedMessage(6, { text: 'The interceptor is gone; cookies carry the session now.', role: 'assistant', kind: 'reply', timestamp: t(6) }),
      ],
    },
    {
      id: 'cart',
      agent: 'codex',
      title: 'Cart totals in cents',
      project: '/work/shop/api',
      messages: [parsedMessage(1, { text: 'use integer cents for the cart', timestamp: t(10) }), parsedMessage(2, { text: 'done', role: 'assistant', kind: 'reply', timestamp: t(11) })],
    },
    {
      id: 'other',
      agent: 'gemini',
      title: 'Unrelated project',
      project: '/elsewhere/blog',
      messages: [parsedMessage(1, { text: 'write a post about the interceptor pattern', timestamp: t(20) })],
    },
  ]);
  s.writer.flushSearchIndex();
  s.writer.refreshStaleFacts();
  return s;
}

describe('search in the TUI', () => {
  it('updates as you type, groups by session, opens a hit with the words highlighted, steps through hits, and Esc returns', async () => {
    store = seeded();
    app = mount(<App reader={store.reader} size={SIZE} now={() => NOW} />);
    await app.waitForFrame((f) => f.includes('Fix the login loop'));
    await app.press('/');
    await app.waitForFrame((f) => f.includes('type to search'));
    // q and j are text here, not quit or move.
    await app.press('i', 'n', 't', 'e', 'r', 'c', 'e', 'p', 't', 'o', 'r');
    const results = await app.waitForFrame((f) => /\d+ results?/.test(f) && f.includes('/ interceptor'));
    const rows = rowsOf(results);
    // Grouped: every hit of a session sits under its one header.
    const headers = rows.filter((r) => r.startsWith(' ─ '));
    expect(new Set(headers).size).toBe(headers.length);
    expect(results).toContain('Fix the login loop');
    expect(results).toContain('Unrelated project');
    // Down to the auth session's "gone" message, then open it.
    let guard = 0;
    while (!chosen(app.frame()).includes('The interceptor is gone') && guard++ < 10) await app.press(KEYS.down);
    expect(chosen(app.frame())).toMatch(/#6/);
    await app.press(KEYS.enter);
    const opened = await app.waitForFrame((f) => position(f) === '6/6' && /hit \d of \d/.test(f));
    expect(opened).toContain('The interceptor is gone');
    expect(opened).toMatch(/“interceptor” hit 2 of 2/);
    // N and n step through this session's hits; Esc goes back to where search began (the list).
    await app.press('N');
    await app.waitForFrame((f) => position(f) === '2/6');
    await app.press('n');
    await app.waitForFrame((f) => position(f) === '6/6');
    await app.press(KEYS.escape);
    await app.waitForFrame((f) => position(f) === null && f.includes('3 sessions'));
  });

  it('narrows by scope (Tab) and kind (Shift-Tab), forgives a typo in facts, and edits the query', async () => {
    store = seeded();
    app = mount(<App reader={store.reader} size={SIZE} now={() => NOW} initialSessionId="auth" />);
    await app.waitForFrame((f) => position(f) === '1/6');
    await app.press('/');
    for (const ch of 'cokies') await app.press(ch);
    const fuzzy = await app.waitForFrame((f) => f.includes('[decision]'));
    expect(fuzzy).toMatch(/httpOnly cookies/);
    await app.press('\u0015'); // Ctrl-U clears
    await app.waitForFrame((f) => f.includes('type to search'));
    for (const ch of 'interceptor') await app.press(ch);
    await app.waitForFrame((f) => f.includes('Unrelated project'));
    await app.press('\t'); // all → this project (/work/shop): the blog session drops out
    const project = await app.waitForFrame((f) => f.includes('project /work/shop') && !f.includes('Unrelated project') && /\d+ result/.test(f));
    expect(project).toContain('Fix the login loop');
    await app.press('\t'); // → this session
    await app.waitForFrame((f) => f.includes('this session') && /\d+ result/.test(f));
    // An empty query with a kind lists that kind's newest facts.
    await app.press('\u0015', '\u001b[Z'); // Ctrl-U, then Shift-Tab: kind → decisions
    const decisions = await app.waitForFrame((f) => f.includes('decisions ·') && /\d+ result/.test(f));
    expect(decisions).toContain('[decision]');
    expect(decisions).not.toContain('[message ]');
    await app.press(KEYS.escape);
    await app.waitForFrame((f) => position(f) === '1/6');
  });
});

describe('facts on the timeline', () => {
  it('marks decisions and dead ends on the scrubber and jumps between them with ] and [', async () => {
    store = seeded();
    app = mount(<App reader={store.reader} size={SIZE} initialSessionId="auth" />);
    const f = await app.waitForFrame((x) => position(x) === '1/6');
    expect(f).toContain('◆');
    expect(f).toContain('⊘');
    await app.press(']');
    const first = await app.waitForFrame((x) => position(x) !== '1/6');
    const seqs = [Number(position(first)!.split('/')[0])];
    await app.press(']');
    await app.waitForFrame((x) => position(x) !== position(first));
    seqs.push(Number(position(app.frame())!.split('/')[0]));
    expect(seqs).toContain(4); // the decision
    expect(seqs[1]).toBeGreaterThan(seqs[0]);
    await app.press('[');
    await app.waitForFrame((x) => position(x) === `${seqs[0]}/6`);
  });
});

describe('list filters', () => {
  it('a cycles the assistant, p keeps this project', async () => {
    store = seeded();
    app = mount(<App reader={store.reader} size={SIZE} now={() => NOW} thisProject="/work/shop" />);
    await app.waitForFrame((f) => f.includes('3 sessions'));
    await app.press('a');
    const claude = await app.waitForFrame((f) => f.includes('1 session') && f.includes('claude ·'));
    expect(claude).toContain('Fix the login loop');
    expect(claude).not.toContain('Cart totals');
    await app.press('a');
    await app.waitForFrame((f) => f.includes('codex ·') && f.includes('Cart totals'));
    for (let i = 0; i < 4; i++) await app.press('a'); // gemini, antigravity, cursor, back to all
    await app.waitForFrame((f) => f.includes('3 sessions') && f.includes('all agents'));
    await app.press('p');
    const here = await app.waitForFrame((f) => f.includes('2 sessions'));
    expect(here).toContain('/work/shop');
    expect(here).not.toContain('Unrelated project');
    await app.press('p');
    await app.waitForFrame((f) => f.includes('3 sessions'));
  });
});
