/**
 * Crash safety of ingest: kill -9 the real CLI at random moments of indexing, start it again, and the index ends up
 * identical to one built in a single clean run. The assistants' files are byte-identical after all of it.
 */
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { prompt, reply, toolResult, toolUse } from './helpers/claude-lines.js';

const CLI = path.resolve(__dirname, '../dist/cli.js');
const FIXTURES = path.resolve(__dirname, 'fixtures');
let dir: string;
let roots: string[];

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mantra-crash-'));
  const claude = path.join(dir, 'claude', 'projects', '-home-ada-shop');
  fs.mkdirSync(claude, { recursive: true });
  // One long transcript (several commit batches), with a summary written before the message it names.
  const big = '11111111-2222-4333-8444-555555555555';
  const lines: string[] = [JSON.stringify({ type: 'summary', summary: 'The long one', leafUuid: 'leaf-at-the-end' })];
  let parent: string | null = null;
  for (let i = 0; i < 9000; i++) {
    const c: { uuid: string; parentUuid: string | null; sessionId: string; timestamp: string } = { uuid: `big-${i}`, parentUuid: parent, sessionId: big, timestamp: new Date(Date.UTC(2026, 4, 2) + i * 1000).toISOString() };
    if (i % 4 === 0) lines.push(prompt(c, `prompt ${i} ${'words '.repeat(i % 30)}`));
    else if (i % 4 === 1) lines.push(toolUse(c, `toolu_${i}`, 'Bash', { command: `npm test -- ${i}` }));
    else if (i % 4 === 2) lines.push(toolResult(c, `toolu_${i}`, `output ${i}\n`.repeat(1 + (i % 50)), i % 7 === 0));
    else lines.push(reply(c, `reply ${i}`));
    parent = c.uuid;
  }
  lines.push(reply({ uuid: 'leaf-at-the-end', parentUuid: parent, sessionId: big, timestamp: '2026-05-03T00:00:00Z' }, 'the end'));
  fs.writeFileSync(path.join(claude, `${big}.jsonl`), lines.join('\n') + '\n');
  // Many small sessions, with distinct mtimes so the newest-first order is the same every run.
  for (let s = 0; s < 40; s++) {
    const id = `00000000-0000-4000-8000-${String(s).padStart(12, '0')}`;
    const small = Array.from({ length: 30 }, (_, i) =>
      i % 2 ? reply({ uuid: `${id}-${i}`, sessionId: id, timestamp: new Date(Date.UTC(2026, 4, 1, 0, s) + i * 1000).toISOString() }, `answer ${s}.${i}`)
            : prompt({ uuid: `${id}-${i}`, sessionId: id, timestamp: new Date(Date.UTC(2026, 4, 1, 0, s) + i * 1000).toISOString() }, `question ${s}.${i}`),
    );
    const file = path.join(claude, `${id}.jsonl`);
    fs.writeFileSync(file, small.join('\n') + '\n');
    fs.utimesSync(file, new Date(Date.UTC(2026, 4, 1, 0, s)), new Date(Date.UTC(2026, 4, 1, 0, s)));
  }
  // The other assistants' fixtures, laid out where their adapters look.
  const codex = path.join(dir, 'codex', 'sessions', '2026', '05', '02');
  fs.mkdirSync(codex, { recursive: true });
  for (const f of fs.readdirSync(path.join(FIXTURES, 'codex'))) fs.copyFileSync(path.join(FIXTURES, 'codex', f), path.join(codex, `rollout-2026-05-02T10-00-00-${f}`));
  const gemini = path.join(dir, 'gemini', 'tmp', 'shop', 'chats');
  fs.mkdirSync(gemini, { recursive: true });
  fs.copyFileSync(path.join(FIXTURES, 'gemini', 'session.jsonl'), path.join(gemini, 'session-2026-05-02T10-00-aaaa.jsonl'));
  fs.copyFileSync(path.join(FIXTURES, 'gemini', 'legacy.json'), path.join(gemini, 'session-2026-05-01T10-00-bbbb.json'));
  roots = ['--claude-dir', path.join(dir, 'claude'), '--codex-dir', path.join(dir, 'codex'), '--gemini-dir', path.join(dir, 'gemini')];
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function hashTree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const p = path.join(e.parentPath, e.name);
    out[path.relative(root, p)] = crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');
  }
  return out;
}

/** Everything the index holds, in a stable order, without the time each file was last indexed. */
function dump(dbPath: string): Record<string, unknown[]> {
  const db = new Database(dbPath, { readonly: true });
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE '%VIRTUAL%'").all() as { name: string }[]).map((t) => t.name);
    const out: Record<string, unknown[]> = {};
    for (const t of tables.sort()) {
      const cols = (db.prepare(`SELECT name FROM pragma_table_info('${t}')`).all() as { name: string }[]).map((c) => c.name).filter((c) => c !== 'indexed_at');
      out[t] = db.prepare(`SELECT ${cols.join(', ')} FROM ${t} ORDER BY ${cols.join(', ')}`).all();
    }
    return out;
  } finally {
    db.close();
  }
}

let lastFinished = '';

async function timeToExit(args: string[]): Promise<number> {
  const t0 = performance.now();
  await new Promise((r) => spawn(process.execPath, [CLI, ...args], { stdio: 'ignore' }).once('exit', r));
  return performance.now() - t0;
}

/** Runs `index` and kills it with SIGKILL after `delay` ms; true when it finished first (and fails if it failed). */
async function runKilledAfter(dbPath: string, delay: number): Promise<boolean> {
  const child = spawn(process.execPath, [CLI, 'index', '--db', dbPath, '--json', ...roots], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HOME: dir } });
  let stderr = '';
  let stdout = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  // 'close', not 'exit': the output must be read whole before it is parsed.
  const closed = new Promise<void>((r) => child.once('close', () => r()));
  const timer = Number.isFinite(delay) ? setTimeout(() => child.kill('SIGKILL'), delay) : undefined;
  await closed;
  clearTimeout(timer);
  if (child.signalCode !== null) return false;
  expect(child.exitCode, stderr).toBe(0);
  expect(JSON.parse(stdout).fileErrors, stdout).toEqual([]);
  lastFinished = stdout;
  return true;
}

function runIndex(dbPath: string) {
  return spawnSync(process.execPath, [CLI, 'index', '--db', dbPath, '--json', ...roots], { encoding: 'utf8', env: { ...process.env, HOME: dir } });
}

it('ends identical to a clean index however often it is killed mid-pass, and leaves the sources untouched', async () => {
  const before = hashTree(dir);
  const clean = path.join(dir, 'clean.db');
  const t0 = performance.now();
  const first = runIndex(clean);
  const cleanMs = performance.now() - t0;
  expect(first.status, first.stderr).toBe(0);
  const stats = JSON.parse(first.stdout);
  expect(stats.messagesAdded).toBeGreaterThan(9000);
  expect(stats.fileErrors).toEqual([]);

  // Rounds of: a fresh index, then runs killed at random points until one finishes by itself. Each run resumes
  // from what the killed ones committed, so every kill lands somewhere in real work.
  const killed = path.join(dir, 'killed.db');
  const startMs = await timeToExit(['--version']);
  let kills = 0;
  for (let round = 0; round < 8; round++) {
    for (const side of ['', '-wal', '-shm']) fs.rmSync(killed + side, { force: true });
    lastFinished = '';
    let finished = false;
    // Kills land at random points; the window grows each attempt, so on a slow, busy machine (where start-up alone
    // can outlast a short delay) every round still makes progress, and its last attempt runs to the end.
    for (let attempt = 0; attempt < 14 && !finished; attempt++) {
      const window = Math.max(50, cleanMs - startMs * 0.8) * 0.25 * 1.35 ** attempt;
      const delay = attempt === 13 ? Number.POSITIVE_INFINITY : startMs * 0.8 + Math.random() * window;
      finished = await runKilledAfter(killed, delay);
      if (!finished) kills++;
    }
    expect(finished, `round ${round} never finished`).toBe(true);
    const got = dump(killed);
    const want = dump(clean);
    if (JSON.stringify(got) !== JSON.stringify(want)) {
      // Say which sessions and files differ before the (huge) table diff.
      const counts = (d: Record<string, unknown[]>) => JSON.stringify(d.session.map((r) => { const x = r as Record<string, unknown>; return [x.id, x.message_count, x.summary]; }));
      const files = (d: Record<string, unknown[]>) => JSON.stringify(d.source_file.map((r) => { const x = r as Record<string, unknown>; return [x.path, x.size, x.read_offset, x.state]; }));
      expect(counts(got), `round ${round} sessions; the run that finished said ${lastFinished}`).toBe(counts(want));
      expect(files(got), `round ${round} files`).toBe(files(want));
    }
    expect(got, `round ${round}`).toEqual(want);
  }
  expect(kills, `cleanMs ${cleanMs}, startMs ${startMs}`).toBeGreaterThanOrEqual(12);

  const db = new Database(clean, { readonly: true });
  expect((db.prepare("SELECT summary FROM session WHERE id = '11111111-2222-4333-8444-555555555555'").get() as { summary: string }).summary).toBe('The long one');
  db.close();
  for (const f of ['clean.db', 'killed.db']) for (const side of ['', '-wal', '-shm']) fs.rmSync(path.join(dir, f + side), { force: true });
  expect(hashTree(dir)).toEqual(before);
}, 120_000);
