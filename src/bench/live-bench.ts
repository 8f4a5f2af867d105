/**
 * The live-ingest benchmark (issue 4), called from bench.ts:
 *   a. append → queryable: the real ingest worker (dist/worker.js, following) on a generated Claude history with
 *      one live session in a git repository; lines are appended to that session at random intervals and a separate
 *      read-only connection polls until the row is there, then until full-text search finds it; the worker's
 *      'sessions-changed' message is timed too (it is what makes the TUI redraw);
 *   b. append → frame: the TUI in tmux with the live session open at its last message; each append is timed until
 *      capture-pane shows its text;
 *   c. the idle follower: `index --watch` over 15,000 small session files (a few recent), after its first pass and
 *      its secret scan, idle for a minute: CPU time as a share of one core, open descriptors and inotify watches,
 *      beside the same command watching empty roots, measured in the same minute.
 * Sleeps here are the random gaps between appends and the idle minute itself; every wait for a result polls.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { startIngestWorker, type IngestClient } from '../ingest/client.js';
import type { FromWorker } from '../ingest/protocol.js';
import { DETECTOR_VERSION } from '../redact/detect.js';
import { searchMessages } from '../search/index.js';
import { closeDatabase, openDatabase } from '../store/db.js';
import { SecretStore } from '../store/secrets.js';
import { StoreReader } from '../store/reader.js';
import { generateCorpus, rng, sentence, uuidFrom } from './corpus.js';
import { summarizeFrames, timeFirstFrame, type FrameTiming } from './first-frame.js';
import { generateManySessions } from './many-sessions.js';
import { cpuSeconds, descriptors, rssBytes, type Descriptors } from './proc.js';
import type { Numbers } from './report.js';
import { fmt, median, percentile } from './stats.js';
import { TmuxPane } from './tmux.js';

export interface LiveBenchOptions {
  /** An empty scratch directory (the caller removes it). */
  readonly root: string;
  /** dist/worker.js and dist/cli.js: the bundles users run. */
  readonly workerUrl: URL;
  readonly cli: string;
  /** dist/ink-hello.js: the first-frame baseline. */
  readonly inkHello: string;
  /** Appends timed to the index (default 60) and to the frame (default 40). */
  readonly appends?: number;
  readonly frameAppends?: number;
  /** Session files for the idle measurement (default 15,000) and how long it idles (default 60 s). */
  readonly idleFiles?: number;
  readonly idleSeconds?: number;
  /** Sessions of history beside the live one (default 80, ~60 MB). */
  readonly historySessions?: number;
  readonly seed?: number;
  readonly log: (line: string) => void;
  readonly report: (name: string, value: string, numbers?: Numbers) => void;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `probe` every `everyMs` until it returns true; the time it first did (performance.now()). */
async function until(probe: () => boolean, timeoutMs: number, what: string, everyMs = 1): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (probe()) return performance.now();
    if (performance.now() > deadline) throw new Error(`live bench: timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

function git(cwd: string, args: string[]): void {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('GIT_')) delete env[k];
  execFileSync('git', args, { cwd, env: { ...env, GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'b@x', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'b@x' }, stdio: 'ignore' });
}

/** A small project under git (the worker snapshots the repositories of live sessions as they write). */
function makeRepo(dir: string, files: number): void {
  for (let i = 0; i < files; i++) {
    const file = path.join(dir, `src/module${i % 20}/file${i}.ts`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, Array.from({ length: 40 }, (_, l) => `export const v${i}_${l} = ${l};`).join('\n') + '\n');
  }
  git(dir, ['init', '-q', '-b', 'main']);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'base']);
}

/** Appends to one Claude Code session as Claude Code does: whole JSONL lines, each chained to the previous one. */
export class LiveSession {
  readonly sessionId: string;
  readonly file: string;
  private parent: string | null = null;
  private lastTimestamp = 0;
  private n = 0;

  constructor(
    claudeDir: string,
    readonly cwd: string,
    private readonly r: () => number,
  ) {
    this.sessionId = uuidFrom(r);
    const dir = path.join(claudeDir, 'projects', cwd.replace(/[^A-Za-z0-9]/g, '-'));
    fs.mkdirSync(dir, { recursive: true });
    this.file = path.join(dir, `${this.sessionId}.jsonl`);
  }

  private line(body: Record<string, unknown>, at: number): { uuid: string; text: string } {
    const uuid = uuidFrom(this.r);
    // Strictly increasing times, never ahead of the clock by more than the odd millisecond.
    this.lastTimestamp = Math.max(at, this.lastTimestamp + 1);
    const text = JSON.stringify({
      parentUuid: this.parent, isSidechain: false, userType: 'external', cwd: this.cwd, sessionId: this.sessionId,
      version: '2.1.150', gitBranch: 'main', uuid, timestamp: new Date(this.lastTimestamp).toISOString(), ...body,
    });
    this.parent = uuid;
    this.n++;
    return { uuid, text };
  }

  /** One message's line: a prompt, an answer or a tool result (of 1–40 KB), with `marker` at the start of its text. */
  message(kind: 'prompt' | 'reply' | 'tool-result', marker: string, at: number): { uuid: string; text: string } {
    const words = sentence(this.r, 10 + Math.floor(this.r() * 40));
    if (kind === 'prompt') return this.line({ type: 'user', message: { role: 'user', content: `${marker} ${words}?` } }, at);
    if (kind === 'reply') {
      return this.line({ type: 'assistant', message: { id: `msg_${uuidFrom(this.r).slice(0, 12)}`, type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [{ type: 'text', text: `${marker} ${words}` }] } }, at);
    }
    const size = 1000 + Math.floor(this.r() * 39_000);
    const out = `${marker} ${`${sentence(this.r, 12)}\n`.repeat(Math.ceil(size / 80))}`;
    const id = `toolu_${uuidFrom(this.r).replaceAll('-', '').slice(0, 24)}`;
    return this.line({ type: 'user', message: { role: 'user', content: [{ tool_use_id: id, type: 'tool_result', content: out, is_error: false }] } }, at);
  }

  /** Writes the session's first `messages` lines at once (its history before the measurement). */
  writeHistory(messages: number, end: number): void {
    const lines: string[] = [];
    const kinds = ['prompt', 'reply', 'reply', 'tool-result'] as const;
    for (let i = 0; i < messages; i++) lines.push(this.message(kinds[i % kinds.length], `history${i}`, end - (messages - i) * 1000).text);
    fs.writeFileSync(this.file, `${lines.join('\n')}\n`);
  }

  append(line: string): void {
    fs.appendFileSync(this.file, `${line}\n`);
  }

  get messages(): number {
    return this.n;
  }
}

/** A history of old sessions (mtimes days back, so nothing but the live session is followed closely). */
function history(root: string, sessions: number): { claudeDir: string; mb: number } {
  const corpus = generateCorpus(root, { sessions, largeBytes: 10e6, seed: 4 });
  const now = Date.now();
  corpus.files.forEach((f, i) => {
    const t = (now - (2 + i) * 86_400_000) / 1000;
    fs.utimesSync(f, t, t);
  });
  return { claudeDir: corpus.claudeDir, mb: corpus.bytes / 1e6 };
}

/** Waits until the background secret scan has seen every message (it shares the worker's writer). */
async function secretScanDone(db: Database.Database, timeoutMs: number): Promise<void> {
  const store = new SecretStore(db);
  await until(() => {
    const p = store.progress(DETECTOR_VERSION);
    return p.scanned >= p.total;
  }, timeoutMs, 'the secret scan', 100);
}

function summary(xs: readonly number[], digits = 1): string {
  return `${fmt(median(xs), digits)} ms median, ${fmt(percentile(xs, 95), digits)} ms p95, ${fmt(Math.max(...xs), digits)} ms max`;
}

function numbers(xs: readonly number[]): Numbers {
  return { n: xs.length, medianMs: median(xs), p95Ms: percentile(xs, 95), maxMs: Math.max(...xs) };
}

interface LiveSetup {
  readonly claudeDir: string;
  readonly dbPath: string;
  readonly dataDir: string;
  readonly session: LiveSession;
}

async function appendToIndex(o: LiveBenchOptions, setup: LiveSetup, r: () => number): Promise<void> {
  const n = o.appends ?? 60;
  const changedAt: number[] = [];
  let failure: string | null = null;
  const onMessage = (msg: FromWorker) => {
    if (msg.type === 'sessions-changed' && msg.sessionIds.includes(setup.session.sessionId)) changedAt.push(performance.now());
    else if (msg.type === 'error') failure = msg.message;
  };
  let passDone = false;
  const t0 = performance.now();
  const worker: IngestClient = startIngestWorker(
    { dbPath: setup.dbPath, dataDir: setup.dataDir, roots: { claudeDir: setup.claudeDir }, follow: true },
    (msg) => {
      if (msg.type === 'pass-done') passDone = true;
      onMessage(msg);
    },
    o.workerUrl,
  );
  let db: Database.Database | null = null;
  try {
    await until(() => passDone || failure !== null, 300_000, 'the first pass', 20);
    if (failure) throw new Error(`live bench: the worker failed: ${failure}`);
    o.report('live: first pass of the worker', `${fmt((performance.now() - t0) / 1000, 2)} s`);
    db = openDatabase(setup.dbPath, { readonly: true });
    await secretScanDone(db, 300_000);
    const row = db.prepare('SELECT 1 FROM message WHERE session_id = ? AND source_id = ?');
    const visible: number[] = [];
    const searchable: number[] = [];
    const notified: number[] = [];
    const kinds = ['prompt', 'reply', 'reply', 'tool-result'] as const;
    const gaps: number[] = [];
    let bursts = 0;
    for (let i = 0; i < n; i++) {
      const gap = 20 + Math.floor(r() * 480);
      gaps.push(gap);
      await sleep(gap);
      // A third of the appends are bursts (a tool call and its result, a streamed answer): 2–3 lines a few ms
      // apart, timed from the last write. Lines within 50 ms of each other are where a change event can be lost.
      const lines = r() < 1 / 3 ? 2 + Math.floor(r() * 2) : 1;
      if (lines > 1) bursts++;
      let marker = '';
      let line = { uuid: '', text: '' };
      const seen = changedAt.length;
      let a0 = 0;
      for (let k = 0; k < lines; k++) {
        if (k > 0) await sleep(2 + Math.floor(r() * 8));
        marker = `liveappend${i}x${k}q${Math.floor(r() * 1e6)}`;
        line = setup.session.message(kinds[Math.floor(r() * kinds.length)], marker, Date.now());
        a0 = performance.now();
        setup.session.append(line.text);
      }
      visible.push((await until(() => row.get(setup.session.sessionId, line.uuid) !== undefined, 10_000, `message ${i} in the index`)) - a0);
      searchable.push((await until(() => searchMessages(db!, { query: marker, limit: 1 }).length > 0, 10_000, `message ${i} in full text`)) - a0);
      notified.push((await until(() => changedAt.length > seen, 10_000, `'sessions-changed' for message ${i}`)) - a0);
    }
    o.report(
      'live: append → row queryable (separate read-only connection)',
      `${summary(visible)} (${n} appends, ${bursts} of them bursts of 2–3 lines 2–10 ms apart, timed from the last line; gaps ${fmt(Math.min(...gaps), 0)}–${fmt(Math.max(...gaps), 0)} ms)`,
      numbers(visible),
    );
    o.report('live: append → found by full-text search', summary(searchable), numbers(searchable));
    o.report("live: append → 'sessions-changed' received (what makes the TUI redraw)", summary(notified), numbers(notified));
  } finally {
    if (db) closeDatabase(db);
    await worker.stop();
  }
}

function status(screen: string): string {
  const rows = screen.replace(/\n+$/, '').split('\n');
  return rows[rows.length - 1] ?? '';
}

function position(screen: string): string | null {
  return status(screen).match(/^\s*(\d+\/\d+)/)?.[1] ?? null;
}

async function appendToFrame(o: LiveBenchOptions, setup: LiveSetup, r: () => number): Promise<void> {
  const n = o.frameAppends ?? 40;
  const home = path.join(o.root, 'home');
  fs.mkdirSync(home, { recursive: true });
  const pane = new TmuxPane(120, 35, { HOME: home, XDG_DATA_HOME: path.join(o.root, 'xdg') });
  try {
    pane.startCommand(`${process.execPath} ${o.cli} --db ${setup.dbPath} --claude-dir ${setup.claudeDir}`);
    // The live session is the newest: first in the list.
    pane.waitFor((s) => /\d+ sessions?/.test(s), 20_000);
    pane.settle();
    pane.keys('Enter');
    pane.waitFor((s) => position(s) !== null, 10_000);
    pane.keys('End');
    let count = setup.session.messages;
    pane.waitFor((s) => position(s) === `${count}/${count}`, 10_000);
    pane.settle();
    const shown: number[] = [];
    const captures: number[] = [];
    for (let i = 0; i < n; i++) {
      await sleep(50 + Math.floor(r() * 350));
      const marker = `frameappend${i}q${Math.floor(r() * 1e6)}`;
      const line = setup.session.message(r() < 0.5 ? 'prompt' : 'reply', marker, Date.now());
      count++;
      let polls = 0;
      const a0 = performance.now();
      setup.session.append(line.text);
      pane.waitFor((s) => (polls++, s.includes(marker)), 10_000, 2);
      const dt = performance.now() - a0;
      shown.push(dt);
      captures.push(dt / polls);
      if (position(pane.screen()) !== `${count}/${count}`) throw new Error(`live bench: the timeline did not follow the end (at ${position(pane.screen())}, expected ${count}/${count})`);
    }
    o.report('live: append → frame shows it (TUI in tmux, following the end)', `${summary(shown)} (${n} appends; one capture-pane takes ${fmt(median(captures), 1)} ms, the resolution)`, numbers(shown));
    pane.keys('q');
  } finally {
    pane.kill();
  }
}

interface Watcher {
  readonly child: ChildProcess;
  readonly ready: Promise<number>;
  readonly exited: Promise<void>;
}

/** Starts `index --watch --json`; `ready` resolves (with the ms it took) once its first pass is done. */
function startWatch(o: LiveBenchOptions, dbPath: string, claudeDir: string, home: string): Watcher {
  fs.mkdirSync(home, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, XDG_DATA_HOME: path.join(home, 'xdg') };
  delete env.CI;
  for (const k of ['CLAUDE_CONFIG_DIR', 'CODEX_HOME', 'GEMINI_CLI_HOME', 'XDG_CONFIG_HOME', 'MANTRA_DB']) delete env[k];
  const t0 = performance.now();
  const child = spawn(process.execPath, [o.cli, 'index', '--watch', '--json', '--db', dbPath, '--claude-dir', claudeDir], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<number>((resolve, reject) => {
    let buffered = '';
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (line.includes('"type":"pass-done"')) resolve(performance.now() - t0);
        else if (line.includes('"type":"error"')) reject(new Error(`index --watch: ${line}`));
      }
    });
    child.once('exit', (code) => reject(new Error(`index --watch exited (${code}) before its first pass was done: ${stderr.trim()}`)));
  });
  return { child, ready, exited };
}

async function stopWatch(w: Watcher): Promise<void> {
  if (w.child.exitCode === null) w.child.kill('SIGTERM');
  const timer = setTimeout(() => w.child.kill('SIGKILL'), 10_000);
  await w.exited;
  clearTimeout(timer);
}

function describeFds(d: Descriptors): string {
  return `${d.open} open descriptors, ${d.inotifyWatches} inotify watches in ${d.inotifyInstances} instance${d.inotifyInstances === 1 ? '' : 's'}`;
}

async function idleWatcher(o: LiveBenchOptions): Promise<void> {
  const files = o.idleFiles ?? 15_000;
  const seconds = o.idleSeconds ?? 60;
  const g0 = performance.now();
  const many = generateManySessions(path.join(o.root, 'many'), { files, projects: Math.max(1, Math.round(files / 50)), recent: 8, warm: 25, now: Date.now() });
  o.log(`  ${many.files.length} session files in ${many.projects} project folders (${many.recent} changed in the last 30 min, ${many.warm} in the last day), ${fmt(many.bytes / 1e6)} MB, generated in ${fmt((performance.now() - g0) / 1000)} s`);
  const emptyDir = path.join(o.root, 'empty-claude');
  fs.mkdirSync(path.join(emptyDir, 'projects'), { recursive: true });
  const dbMany = path.join(o.root, 'idle-many.db');
  const dbEmpty = path.join(o.root, 'idle-empty.db');
  const watched = startWatch(o, dbMany, many.claudeDir, path.join(o.root, 'home-many'));
  const baseline = startWatch(o, dbEmpty, emptyDir, path.join(o.root, 'home-empty'));
  try {
    const [passMs] = await Promise.all([watched.ready, baseline.ready]);
    o.report(`live: index --watch first pass over ${files} files`, `${fmt(passMs / 1000, 1)} s`);
    for (const db of [dbMany, dbEmpty]) {
      const conn = openDatabase(db, { readonly: true });
      try {
        await secretScanDone(conn, 600_000);
      } finally {
        closeDatabase(conn);
      }
    }
    // Let the last writes, snapshots and checkpoints finish before the quiet minute starts.
    await sleep(3000);
    const pids = { watched: watched.child.pid!, baseline: baseline.child.pid! };
    const before = { watched: cpuSeconds(pids.watched), baseline: cpuSeconds(pids.baseline) };
    const t0 = performance.now();
    o.log(`  idle for ${seconds} s (both processes side by side)`);
    await sleep(seconds * 1000);
    const wall = (performance.now() - t0) / 1000;
    const used = { watched: cpuSeconds(pids.watched) - before.watched, baseline: cpuSeconds(pids.baseline) - before.baseline };
    const fds = { watched: descriptors(pids.watched), baseline: descriptors(pids.baseline) };
    const rss = { watched: rssBytes(pids.watched), baseline: rssBytes(pids.baseline) };
    const pct = (s: number) => (100 * s) / wall;
    o.report(
      `live: idle CPU, index --watch over ${files} session files`,
      `${fmt(pct(used.watched), 2)} % of one core (${fmt(used.watched * 1000, 0)} ms CPU in ${fmt(wall, 1)} s); baseline, the same command on empty roots: ${fmt(pct(used.baseline), 2)} % (${fmt(used.baseline * 1000, 0)} ms)`,
      { files, seconds: wall, cpuPercent: pct(used.watched), cpuMs: used.watched * 1000, baselineCpuPercent: pct(used.baseline), baselineCpuMs: used.baseline * 1000 },
    );
    o.report(
      `live: descriptors, index --watch over ${files} session files`,
      `${describeFds(fds.watched)}; baseline on empty roots: ${describeFds(fds.baseline)}`,
      { open: fds.watched.open, inotifyWatches: fds.watched.inotifyWatches, baselineOpen: fds.baseline.open, baselineInotifyWatches: fds.baseline.inotifyWatches },
    );
    o.report(`live: RSS of index --watch, idle`, `${fmt(rss.watched / 2 ** 20)} MiB over ${files} files; ${fmt(rss.baseline / 2 ** 20)} MiB on empty roots`, { rssMiB: rss.watched / 2 ** 20, baselineRssMiB: rss.baseline / 2 ** 20 });
  } finally {
    await Promise.all([stopWatch(watched), stopWatch(baseline)]);
  }
  // The same history opened in the TUI: the first frame with 15,000 sessions indexed (its worker then re-checks
  // every file), beside the bundled Ink hello world in the same minutes.
  const env = { HOME: path.join(o.root, 'home-many'), XDG_DATA_HOME: path.join(o.root, 'home-many', 'xdg') };
  const drawn = (s: string) => /\d+ sessions?/.test(s);
  const tui: FrameTiming[] = [];
  const hello: FrameTiming[] = [];
  for (let i = 0; i < 7; i++) {
    hello.push(timeFirstFrame(`${process.execPath} ${o.inkHello}`, drawn, env));
    tui.push(timeFirstFrame(`${process.execPath} ${o.cli} --db ${dbMany} --claude-dir ${many.claudeDir}`, drawn, env));
  }
  const f = summarizeFrames(tui);
  const h = summarizeFrames(hello);
  o.report(
    `live: first frame with ${files} sessions indexed`,
    `${fmt(f.wallMedianMs)} ms median, ${fmt(f.wallP95Ms)} ms p95, main thread CPU ${fmt(f.mainCpuMedianMs, 0)} ms; Ink hello world ${fmt(h.wallMedianMs)} ms, ${fmt(h.mainCpuMedianMs, 0)} ms CPU`,
    { ...f, helloWallMedianMs: h.wallMedianMs, helloMainCpuMedianMs: h.mainCpuMedianMs },
  );
}

export async function runLiveBench(o: LiveBenchOptions): Promise<void> {
  const r = rng(o.seed ?? 21);
  o.log(`live: history of ${o.historySessions ?? 80} sessions and one live session in a git repository`);
  const { claudeDir, mb } = history(path.join(o.root, 'history'), o.historySessions ?? 80);
  const repo = path.join(o.root, 'live-repo');
  makeRepo(repo, 200);
  const session = new LiveSession(claudeDir, repo, r);
  session.writeHistory(300, Date.now());
  o.log(`  ${fmt(mb)} MB of history; the live session starts with ${session.messages} messages`);
  const setup: LiveSetup = { claudeDir, dbPath: path.join(o.root, 'live.db'), dataDir: path.join(o.root, 'xdg', 'mantra-tui'), session };
  o.log(`live: ${o.appends ?? 60} appends at random intervals → index (worker thread, dist/worker.js)`);
  await appendToIndex(o, setup, r);
  o.log(`live: ${o.frameAppends ?? 40} appends → frame (TUI in tmux)`);
  await appendToFrame(o, setup, r);
  o.log(`live: idle follower over ${o.idleFiles ?? 15_000} session files, against empty roots`);
  await idleWatcher(o);
  // Sanity: every append reached the index exactly once.
  const db = openDatabase(setup.dbPath, { readonly: true });
  try {
    const n = new StoreReader(db).getSession(session.sessionId)?.messageCount;
    if (n !== session.messages) throw new Error(`live bench: the live session has ${n} messages in the index, ${session.messages} were written`);
  } finally {
    closeDatabase(db);
  }
}
