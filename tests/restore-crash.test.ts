/**
 * Fault injection: a child process runs a real in-place restore and is killed with SIGKILL (with its git children)
 * at random moments — uniformly over its life, uniformly over the life of its journal (backup, then writes), or
 * within a few ms of the journal saying files are being written. After each kill, recovery (as on the next start) and, when the
 * restore had completed, undo must leave the repository byte-identical to before: tracked changes, the staged index,
 * untracked and ignored files, modes, and no stray temp files.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase } from '../src/store/db.js';
import { StoreReader } from '../src/store/reader.js';
import { IndexWriter } from '../src/store/writer.js';
import { RestoreService } from '../src/restore/service.js';
import { journalDir } from '../src/restore/journal.js';
import { fingerprint, git, makeRepo, writeFiles } from './helpers/git-repo.js';
import { AgentSession } from './helpers/restore-fixtures.js';

const ITERATIONS = 24;
const FILES = 40;

let dir: string;
let repo: string;
let dataDir: string;
let dbPath: string;
let child: string;
const sessionId = '019cd5a0-7777-7aaa-8bbb-0123456789ab';

beforeAll(async () => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mantra-restore-crash-')));
  repo = path.join(dir, 'shop');
  dataDir = path.join(dir, 'data');
  dbPath = path.join(dir, 'index.db');
  child = path.join(dir, 'child.mjs');
  const sqlite = require.resolve('better-sqlite3');
  await build({
    entryPoints: [path.resolve(__dirname, 'helpers/restore-child.ts')],
    outfile: child,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    logLevel: 'warning',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    plugins: [{ name: 'native', setup: (b) => b.onResolve({ filter: /^better-sqlite3$/ }, () => ({ path: sqlite, external: true })) }],
  });

  const files: Record<string, string> = { '.gitignore': 'secrets.env\n*.log\n' };
  for (let i = 0; i < FILES; i++) files[`src/f${String(i).padStart(2, '0')}.txt`] = `v1 of file ${i}\n`;
  makeRepo(repo, files);
  fs.chmodSync(path.join(repo, 'src/f03.txt'), 0o755);
  git(repo, ['add', 'src/f03.txt']);
  git(repo, ['commit', '-q', '-m', 'exec bit'], '2026-05-01T08:10:00Z');
  const s = new AgentSession(sessionId, 'codex', repo, {});
  const edits = Object.keys(files).filter((f) => f.startsWith('src/')).map((f) => ({ op: 'write' as const, path: path.join(repo, f), content: `v2 of ${f}\n` }));
  s.prompt('rewrite everything').edits('write_file', edits, {}).edits('write_file', [{ op: 'write', path: path.join(repo, 'new/dir/made.txt'), content: 'made\n' }], {});
  s.store(dbPath);
  // The disk after the session, and the user's own work on top: dirty, staged, deleted, untracked, ignored.
  for (const e of edits) fs.writeFileSync(e.path, e.content);
  writeFiles(repo, { 'new/dir/made.txt': 'made\n', 'notes.txt': 'untracked notes\n', 'secrets.env': 'KEY=1\n', 'debug.log': 'ignored log\n' });
  fs.writeFileSync(path.join(repo, 'src/f00.txt'), 'v2 plus my own line\n');
  fs.writeFileSync(path.join(repo, 'src/f01.txt'), 'staged by me\n');
  git(repo, ['add', 'src/f01.txt']);
  fs.writeFileSync(path.join(repo, 'src/f01.txt'), 'staged by me\nand then more\n');
  fs.rmSync(path.join(repo, 'src/f02.txt'));
  fs.writeFileSync(path.join(repo, 'src/bin.dat'), Buffer.from([0, 255, 0, 1]));
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function withService<T>(fn: (s: RestoreService) => Promise<T>): Promise<T> {
  const db = openDatabase(dbPath);
  const s = new RestoreService({ reader: new StoreReader(db), writer: new IndexWriter(db), dataDir });
  return fn(s).finally(() => closeDatabase(db));
}

function journals(): string[] {
  try {
    return fs.readdirSync(journalDir(dataDir)).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
}

interface KillPlan {
  /** Kill this many ms after the start. */
  readonly killAt?: number;
  /** Kill this many ms after a new journal file appears (the restore is preparing its backup). */
  readonly afterJournal?: number;
  /** Kill this many ms after the journal says the files are being written. */
  readonly afterApplying?: number;
}

function newJournalState(known: Set<string>): string | null {
  for (const f of journals()) {
    if (known.has(f)) continue;
    try {
      return (JSON.parse(fs.readFileSync(path.join(journalDir(dataDir), f), 'utf8')) as { state: string }).state;
    } catch {
      return 'unreadable';
    }
  }
  return null;
}

/** Runs the child and kills its whole process group (git included) as the plan says. */
function runChild(plan: KillPlan): Promise<{ killed: boolean; ms: number; journalMs: number | null }> {
  const known = new Set(journals());
  const t0 = performance.now();
  let journalAt: number | null = null;
  const p = spawn(process.execPath, [child, dbPath, dataDir, sessionId, '1'], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  p.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  let killed = false;
  const kill = () => {
    if (p.exitCode !== null || killed) return;
    killed = true;
    try {
      process.kill(-p.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  let timer: NodeJS.Timeout | undefined;
  if (plan.killAt !== undefined) timer = setTimeout(kill, plan.killAt);
  let watching = true;
  const watch = () => {
    if (!watching) return;
    const state = newJournalState(known);
    if (state !== null && journalAt === null) {
      journalAt = performance.now();
      if (plan.afterJournal !== undefined) timer = setTimeout(kill, plan.afterJournal);
    }
    if (state === 'applying' && plan.afterApplying !== undefined) {
      watching = false;
      timer = setTimeout(kill, plan.afterApplying);
      return;
    }
    setTimeout(watch, 1);
  };
  watch();
  return new Promise((resolve, reject) => {
    p.on('close', (code, signal) => {
      watching = false;
      if (timer) clearTimeout(timer);
      const ms = performance.now() - t0;
      if (!killed && code !== 0) reject(new Error(`child failed (${code ?? signal}): ${stderr}`));
      else resolve({ killed: killed && signal === 'SIGKILL', ms, journalMs: journalAt === null ? null : ms - (journalAt - t0) });
    });
  });
}

/** Deterministic pseudo-random numbers, so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('a restore killed at any moment loses nothing', () => {
  it(`survives ${ITERATIONS} SIGKILLs`, async () => {
    const original = fingerprint(repo);
    const clean = () => expect(fingerprint(repo)).toEqual(original);

    // One undisturbed run measures how long a restore takes here, and checks the restore really changes the tree.
    const full = await runChild({});
    expect(full.killed).toBe(false);
    expect(fs.readFileSync(path.join(repo, 'src/f00.txt'), 'utf8')).toBe('v1 of file 0\n');
    await withService((s) => s.undo());
    clean();

    const random = rng(20260502);
    const outcomes: Record<string, number> = {};
    for (let i = 0; i < ITERATIONS; i++) {
      const plan: KillPlan = [
        { killAt: random() * full.ms },
        { afterJournal: random() * (full.journalMs ?? 20) },
        { afterApplying: random() * 4 },
      ][i % 3];
      const run = await runChild(plan);
      // Next start: recovery rolls back an interrupted restore; a completed one is undone by the user.
      const state = await withService(async (s) => {
        await s.recover();
        const latest = s.listRestores()[0];
        if (latest && latest.state === 'complete' && latest.mode === 'in-place') {
          await s.undo();
          return 'completed, then undone';
        }
        return latest ? latest.state : 'no journal';
      });
      const key = `${run.killed ? 'killed' : 'finished'}: ${state}`;
      outcomes[key] = (outcomes[key] ?? 0) + 1;
      expect({ iteration: i, plan, diff: diffFingerprints(original, fingerprint(repo)) }).toEqual({ iteration: i, plan, diff: [] });
    }
    // The loop reached the interesting places: kills while writing (rolled back) and before it (abandoned or none).
    expect(Object.keys(outcomes).some((k) => k.startsWith('killed: rolled-back'))).toBe(true);
    expect(fs.readdirSync(path.join(repo, 'src')).filter((f) => f.includes('.mantra-'))).toEqual([]);
    expect(git(repo, ['diff', '--cached', '--name-only'])).toBe('src/f01.txt');
  });
});

function diffFingerprints(a: Map<string, string>, b: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [k, v] of a) if (b.get(k) !== v) out.push(`${k}: ${v} → ${b.get(k) ?? 'missing'}`);
  for (const k of b.keys()) if (!a.has(k)) out.push(`${k}: extra`);
  return out;
}
