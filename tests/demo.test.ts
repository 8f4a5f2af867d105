/**
 * The demo as data: five assistants' sessions on one repository, each in its own on-disk format, read back by the
 * real adapters; every edit they record replays to the files the repository actually holds.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexPass } from '../src/cli/session-commands.js';
import { buildDemo, type DemoLayout } from '../src/demo/demo.js';
import { AGENTS } from '../src/model.js';
import { loadSession } from '../src/restore/load.js';
import { closeDatabase, openDatabase } from '../src/store/db.js';
import { StoreReader } from '../src/store/reader.js';
import type { SessionRow } from '../src/store/rows.js';

const NOW = Date.parse('2026-11-20T15:00:00Z');
let dir: string;
let demo: DemoLayout;
let dbPath: string;
let buildMs: number;

const rootsOf = (d: DemoLayout) => ({ claudeDir: d.claudeDir, codexDir: d.codexDir, geminiDir: d.geminiDir, cursorDir: d.cursorDir, antigravityDirs: [d.antigravityDir] });

beforeAll(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mantra-demo-test-')));
  const started = performance.now();
  demo = buildDemo(path.join(dir, 'a'), NOW);
  buildMs = performance.now() - started;
  dbPath = path.join(dir, 'index.db');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function withReader<T>(fn: (r: StoreReader) => T): T {
  const db = openDatabase(dbPath, { readonly: true });
  try {
    return fn(new StoreReader(db));
  } finally {
    closeDatabase(db);
  }
}

function allSessions(): SessionRow[] {
  return withReader((r) => r.listSessions({ includeChildren: true }, 0, 1000));
}

/** The repository's commits, oldest first, with their committer times (ms). */
function commits(repo: string): { id: string; at: number }[] {
  return execFileSync('git', ['log', '--reverse', '--format=%H %ct', 'main'], { cwd: repo, encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((l) => ({ id: l.split(' ')[0], at: Number(l.split(' ')[1]) * 1000 }));
}

/** What `file` holds at `commit` (null when absent there); outside the repository, or without a commit, the disk now. */
function contentsAt(repo: string, commit: string | null, file: string): string | null {
  const rel = path.relative(repo, file);
  if (commit && !rel.startsWith('..')) {
    try {
      return execFileSync('git', ['show', `${commit}:${rel}`], { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    } catch {
      return null;
    }
  }
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
}

describe('the demo', () => {
  it('has a session of every assistant, each read back without a skipped line or an unreadable file', () => {
    const { stats } = indexPass(dbPath, rootsOf(demo));
    expect(stats.fileErrors).toEqual([]);
    expect(stats.skipped).toEqual({});
    const sessions = allSessions();
    const byAgent = Object.fromEntries(AGENTS.map((a) => [a, sessions.filter((s) => s.agent === a).length]));
    // Four Claude Code sessions and the sub-agent of one of them; one session of each other assistant.
    expect(byAgent).toEqual({ claude: 5, codex: 1, gemini: 1, antigravity: 1, cursor: 1 });
    for (const s of sessions) expect(s.project, s.id).toBe(demo.repoDir);
    expect(demo.sessions.map((s) => s.agent).sort()).toEqual(['antigravity', 'claude', 'claude', 'claude', 'claude', 'codex', 'cursor', 'gemini']);
    for (const d of demo.sessions) {
      const row = sessions.find((s) => s.id === d.id)!;
      expect(row, d.id).toBeDefined();
      expect(row.title).toBe(d.title);
      expect(fs.existsSync(d.file)).toBe(true);
    }
  });

  it('tells its sessions in order: timestamps never go back, and sessions follow each other over two days', () => {
    const top = demo.sessions.map((d) => allSessions().find((s) => s.id === d.id)!);
    for (const s of top) {
      const times = withReader((r) => [...r.iterateMessages(s.id)].map((m) => m.timestamp));
      expect(times.every((t) => t !== null), s.id).toBe(true);
      expect(times, s.id).toEqual([...times].sort((a, b) => a! - b!));
    }
    for (let i = 1; i < top.length; i++) expect(top[i].startedAt!, top[i].id).toBeGreaterThan(top[i - 1].updatedAt!);
    expect(top[top.length - 1]).toMatchObject({ agent: 'claude' }); // the newest is the richest: the e2e tests open it
    expect(top[top.length - 1].messageCount).toBeGreaterThan(20);
    expect(top[top.length - 1].updatedAt! - top[0].startedAt!).toBeGreaterThan(36 * 3_600_000);
  });

  it('replays every session to the files its repository holds after it, and its read-only sessions at every message', async () => {
    const history = commits(demo.repoDir);
    const dataDir = path.join(dir, 'data');
    const db = openDatabase(dbPath, { readonly: true });
    const reader = new StoreReader(db);
    try {
      for (const s of reader.listSessions({ includeChildren: true }, 0, 1000)) {
        const loaded = await loadSession(reader, s.id, { dataDir });
        const { plan } = loaded;
        // The repository as the session left it: the first commit after its end (the last one is uncommitted work).
        const after = history.find((c) => c.at >= s.updatedAt!)?.id ?? null;
        for (const f of plan.stateAt(plan.lastSeq)) {
          expect({ session: s.id, file: f.path, label: f.label }).toEqual({ session: s.id, file: f.path, label: expect.not.stringMatching(/^unknown$/) });
          expect({ session: s.id, file: f.path, contents: f.absent ? null : f.contents!.toString('utf8') }).toEqual({ session: s.id, file: f.path, contents: contentsAt(demo.repoDir, after, f.path) });
        }
        // Codex, Antigravity and Cursor run only read-only commands here: no repository file they touch is ever
        // unknown. (Antigravity's task list lives outside any repository: unknown until the agent first writes it.)
        if (s.agent === 'codex' || s.agent === 'antigravity' || s.agent === 'cursor') {
          expect(plan.paths.length, s.id).toBeGreaterThan(0);
          for (let seq = 1; seq <= plan.lastSeq; seq++) {
            const unknown = plan.stateAt(seq).filter((f) => f.label === 'unknown' && !path.relative(demo.repoDir, f.path).startsWith('..'));
            expect({ session: s.id, seq, unknown: unknown.map((f) => `${f.path}: ${f.reason}`) }).toEqual({ session: s.id, seq, unknown: [] });
          }
        }
      }
    } finally {
      closeDatabase(db);
    }
  });

  it('states Gemini CLI checkpoints exactly, from commits in its shadow repository', async () => {
    const gemini = demo.sessions.find((s) => s.agent === 'gemini')!;
    const db = openDatabase(dbPath, { readonly: true });
    try {
      const reader = new StoreReader(db);
      expect(reader.listCheckpoints(gemini.id).map((c) => c.source)).toEqual(['gemini-checkpoint', 'gemini-checkpoint']);
      const { plan } = await loadSession(reader, gemini.id, { dataDir: path.join(dir, 'data') });
      const exact = [];
      for (let seq = 1; seq <= plan.lastSeq; seq++) exact.push(...plan.stateAt(seq).filter((f) => f.label === 'exact').map((f) => f.reason));
      expect(new Set(exact)).toEqual(new Set(['Gemini CLI checkpoint']));
    } finally {
      closeDatabase(db);
    }
  });

  it('is the same every time it is built for the same moment in the same place', () => {
    /** Every file under `root` (git's own object store aside: commits are compared by id) and its bytes. */
    const files = (root: string): Map<string, string> => {
      const out = new Map<string, string>();
      const walk = (d: string) => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
          const p = path.join(d, e.name);
          if (e.isDirectory()) {
            if (e.name !== '.git') walk(p);
          } else if (!p.endsWith('.vscdb')) out.set(path.relative(root, p), fs.readFileSync(p, 'base64'));
        }
      };
      walk(root);
      return out;
    };
    const rows = (root: string) => {
      const db = new Database(path.join(root, 'cursor/User/globalStorage/state.vscdb'), { readonly: true });
      try {
        return db.prepare('SELECT key, value FROM cursorDiskKV ORDER BY key').all();
      } finally {
        db.close();
      }
    };
    const root = path.join(dir, 'again');
    const first = buildDemo(root, NOW);
    // Session files are dated as their assistant last wrote them, which is what orders them for the indexer.
    const dated = () => first.sessions.map((s) => fs.statSync(s.file).mtimeMs);
    const snapshot = { files: files(root), rows: rows(root), commits: commits(first.repoDir), dated: dated() };
    fs.rmSync(root, { recursive: true, force: true });
    const second = buildDemo(root, NOW);
    expect(files(root)).toEqual(snapshot.files);
    expect(rows(root)).toEqual(snapshot.rows);
    expect(commits(second.repoDir)).toEqual(snapshot.commits);
    expect(second.sessions).toEqual(first.sessions);
    expect(dated()).toEqual(snapshot.dated);
  });

  it('builds quickly enough to run before the first frame of mantra-tui --demo', () => {
    // Measured at about 150 ms on an idle core (see the report); the bound leaves room for a busy shared machine.
    expect(buildMs).toBeLessThan(1500);
  });
});
