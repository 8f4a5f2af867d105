/** The CLI contract, run as users and scripts run it: the built bundle, real files, real exit codes. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemo, type DemoLayout } from '../src/demo/demo.js';

const CLI = path.resolve(__dirname, '../dist/cli.js');
let dir: string;
let demo: DemoLayout;
let db: string;

/** The demo's roots besides Claude Code's (which CLAUDE_CONFIG_DIR names). */
const demoRoots = () => ['--codex-dir', demo.codexDir, '--gemini-dir', demo.geminiDir, '--cursor-dir', demo.cursorDir, '--antigravity-dir', demo.antigravityDir];

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, HOME: dir, XDG_DATA_HOME: path.join(dir, 'xdg'), CLAUDE_CONFIG_DIR: demo.claudeDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mantra-cli-'));
  demo = buildDemo(path.join(dir, 'demo'));
  db = path.join(dir, 'index.db');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('mantra-tui CLI', () => {
  it('prints help and version, and exits 2 on bad usage', () => {
    const help = cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/mantra-tui sessions/);
    const version = cli(['--version']);
    expect(version.code).toBe(0);
    expect(version.out.trim()).toBe(JSON.parse(fs.readFileSync(path.resolve(__dirname, '../package.json'), 'utf8')).version);
    for (const bad of [['frobnicate'], ['--nope'], ['sessions', '--agent', 'clippy'], ['show'], ['index', '--demo'], ['--db']]) {
      const r = cli(bad);
      expect(r.code, bad.join(' ')).toBe(2);
      expect(r.err).toMatch(/^mantra-tui: /);
    }
  });

  it('refuses to open the TUI without a terminal, with a one-line hint', () => {
    const r = cli(['--db', db]);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')[0]).toMatch(/needs a terminal.*mantra-tui sessions/);
  });

  it('indexes, then lists and shows sessions in the documented JSON shapes', () => {
    const first = cli(['index', '--db', db, '--json', ...demoRoots()]);
    expect(first.code, first.err).toBe(0);
    const stats = JSON.parse(first.out);
    expect(stats.sessionsAdded).toBeGreaterThanOrEqual(8);
    expect(stats.messagesAdded).toBeGreaterThan(150);
    expect(fs.statSync(db).mode & 0o777).toBe(0o600);
    // Idempotent.
    const again = JSON.parse(cli(['index', '--db', db, '--json', ...demoRoots()]).out);
    expect(again).toMatchObject({ sessionsAdded: 0, messagesAdded: 0 });
    const human = cli(['index', '--db', db, ...demoRoots()]);
    expect(human.out).toMatch(/added 0 sessions and 0 messages/);
    expect(human.out).toMatch(/skipped \d+ lines/);

    const list = cli(['sessions', '--db', db, '--json']);
    expect(list.code).toBe(0);
    const sessions = JSON.parse(list.out) as Record<string, unknown>[];
    expect(sessions.length).toBeGreaterThanOrEqual(8);
    for (const s of sessions) {
      expect(Object.keys(s)).toEqual(expect.arrayContaining(['id', 'agent', 'project', 'title', 'gitBranch', 'startedAt', 'updatedAt', 'messageCount']));
    }
    expect(new Set(sessions.map((s) => s.agent))).toEqual(new Set(['claude', 'codex', 'gemini', 'antigravity', 'cursor']));
    const updated = sessions.map((s) => Date.parse(s.updatedAt as string));
    expect(updated).toEqual([...updated].sort((a, b) => b - a));
    const top = sessions.find((s) => s.parentId === null)!;
    expect(top.project).toBe(demo.repoDir);

    // One project, whichever assistant worked in it.
    const byProject = JSON.parse(cli(['sessions', '--db', db, '--json', '--project', demo.repoDir]).out) as { agent: string }[];
    expect(byProject.length).toBe(sessions.length);
    expect(new Set(byProject.map((s) => s.agent))).toEqual(new Set(['claude', 'codex', 'gemini', 'antigravity', 'cursor']));
    const codex = JSON.parse(cli(['sessions', '--db', db, '--json', '--agent', 'codex']).out) as { id: string }[];
    expect(codex.map((s) => s.id)).toEqual(demo.sessions.filter((s) => s.agent === 'codex').map((s) => s.id));
    expect(JSON.parse(cli(['sessions', '--db', db, '--json', '--project', '/nowhere']).out)).toEqual([]);

    const prefix = (top.id as string).slice(0, 8);
    const show = cli(['show', prefix, '--db', db, '--json']);
    expect(show.code, show.err).toBe(0);
    const doc = JSON.parse(show.out);
    expect(doc.session.id).toBe(top.id);
    expect(doc.messages.length).toBe(top.messageCount);
    expect(doc.messages.map((m: { seq: number }) => m.seq)).toEqual(Array.from({ length: doc.messages.length }, (_, i) => i + 1));
    for (const m of doc.messages) {
      expect(Object.keys(m).sort()).toEqual(['files', 'id', 'isError', 'kind', 'role', 'seq', 'text', 'timestamp', 'toolName']);
    }
    expect(doc.messages.some((m: { kind: string; toolName: string }) => m.kind === 'tool-call' && m.toolName === 'Edit')).toBe(true);

    const plain = cli(['show', top.id as string, '--db', db]);
    expect(plain.out).toContain(top.title as string);
  });

  it('fails with exit 1 and a message for unknown or ambiguous sessions, a missing index and a too-new schema', () => {
    expect(cli(['show', 'zzzz', '--db', db])).toMatchObject({ code: 1 });
    expect(cli(['show', 'zzzz', '--db', db]).err).toMatch(/no session matches "zzzz"/);
    const missing = cli(['sessions', '--db', path.join(dir, 'none.db')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/no index at .* run "mantra-tui index"/);
    const future = path.join(dir, 'future.db');
    const raw = new Database(future);
    raw.pragma('user_version = 999');
    raw.close();
    const r = cli(['index', '--db', future]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/schema version 999.*Upgrade mantra-tui/);
  });

  it('uses $MANTRA_DB, then $XDG_DATA_HOME', () => {
    const viaEnv = path.join(dir, 'env.db');
    expect(cli(['index'], { MANTRA_DB: viaEnv }).code).toBe(0);
    expect(fs.existsSync(viaEnv)).toBe(true);
    expect(cli(['index']).code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'xdg', 'mantra-tui', 'index.db'))).toBe(true);
  });
});
