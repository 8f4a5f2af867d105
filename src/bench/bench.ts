/**
 * `npm run bench`: generates a Claude Code corpus of realistic shape and measures what users feel.
 * Each figure is a median of repeated runs, beside a baseline measured in the same run (the machine is shared).
 *   node dist/bench.js [--sessions N] [--large-mb M] [--runs R] [--keep]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import React from 'react';
import { render } from 'ink-testing-library';
import { generateCorpus } from './corpus.js';
import { fmt, median, percentile } from './stats.js';
import { TmuxPane } from './tmux.js';
import { readLines } from '../ingest/lines.js';
import { runIndex } from '../ingest/indexer.js';
import { adaptersFor } from '../ingest/sources.js';
import { closeDatabase, openDatabase } from '../store/db.js';
import { StoreReader } from '../store/reader.js';
import { IndexWriter } from '../store/writer.js';
import { App } from '../ui/App.js';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const SESSIONS = flag('--sessions', 400);
const LARGE_MB = flag('--large-mb', 300);
const RUNS = flag('--runs', 3);
const KEEP = process.argv.includes('--keep');
const CLI = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cli.js');
const INK_HELLO = path.join(path.dirname(fileURLToPath(import.meta.url)), 'ink-hello.js');

const log = (s: string) => process.stderr.write(`${s}\n`);
const results: Record<string, string> = {};
function report(name: string, value: string): void {
  results[name] = value;
  log(`  ${name}: ${value}`);
}

function jsonParseScan(files: readonly string[]): number {
  let lines = 0;
  for (const file of files) {
    const fd = fs.openSync(file, 'r');
    try {
      readLines(fd, 0, (line) => {
        JSON.parse(line);
        lines++;
      });
    } finally {
      fs.closeSync(fd);
    }
  }
  return lines;
}

function coldIndex(dbPath: string, claudeDir: string) {
  for (const f of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) fs.rmSync(f, { force: true });
  const db = openDatabase(dbPath);
  try {
    const t0 = performance.now();
    const stats = runIndex(new IndexWriter(db), adaptersFor({ claudeDir }));
    return { ms: performance.now() - t0, stats };
  } finally {
    closeDatabase(db);
  }
}

async function waitFrame(lastFrame: () => string | undefined, pred: (s: string) => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const f = lastFrame();
    if (f && pred(f)) return;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error(`frame never matched; last frame:\n${lastFrame()}`);
}

async function openAndStep(reader: StoreReader, sessionId: string, total: number) {
  const t0 = performance.now();
  const app = render(React.createElement(App, { reader, initialSessionId: sessionId }));
  await waitFrame(app.lastFrame, (f) => f.includes(`1/${total}`));
  const openMs = performance.now() - t0;
  const steps: number[] = [];
  for (let i = 2; i <= 101; i++) {
    const s0 = performance.now();
    app.stdin.write('\u001b[C');
    await waitFrame(app.lastFrame, (f) => f.includes(`${i}/${total}`));
    steps.push(performance.now() - s0);
  }
  app.unmount();
  return { openMs, steps };
}

function procStatus(pid: number, key: string): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = status.match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm'));
  return m ? Number(m[1]) * 1024 : NaN;
}

function nodeChildOf(pid: number): number {
  // The pane runs `env … node cli.js`: env execs node, so the pane pid is node's, or its only child.
  const comm = fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  if (comm === 'node') return pid;
  const out = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).trim().split('\n')[0];
  return Number(out);
}

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mantra-bench-'));
  log(`mantra-tui bench — ${new Date().toISOString()} — ${os.cpus()[0]?.model ?? 'cpu'} ×${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`);
  try {
    log(`generating corpus: ${SESSIONS} sessions + one ~${LARGE_MB} MB transcript in ${root}`);
    const g0 = performance.now();
    const corpus = generateCorpus(root, { sessions: SESSIONS, largeBytes: LARGE_MB * 1e6 });
    const mb = corpus.bytes / 1e6;
    log(`  ${corpus.files.length} files, ${fmt(mb)} MB in ${fmt((performance.now() - g0) / 1000)} s`);

    log('ingest (cold), against a JSON.parse scan of the same files');
    const baseline: number[] = [];
    const cold: number[] = [];
    let messages = 0;
    const dbPath = path.join(root, 'index.db');
    for (let r = 0; r < RUNS; r++) {
      const b0 = performance.now();
      jsonParseScan(corpus.files);
      baseline.push(performance.now() - b0);
      const { ms, stats } = coldIndex(dbPath, corpus.claudeDir);
      cold.push(ms);
      messages = stats.messagesAdded;
    }
    const baseMBs = mb / (median(baseline) / 1000);
    const coldMBs = mb / (median(cold) / 1000);
    report('JSON.parse scan (baseline)', `${fmt(baseMBs)} MB/s`);
    report('cold index', `${fmt(coldMBs)} MB/s, ${fmt(messages / (median(cold) / 1000), 0)} messages/s (${messages} messages), ${fmt(coldMBs / baseMBs, 2)}× the baseline`);
    report('index size', `${fmt(fs.statSync(dbPath).size / 1e6)} MB (${fmt(fs.statSync(dbPath).size / corpus.bytes, 2)}× the JSONL)`);
    const w0 = performance.now();
    {
      const db = openDatabase(dbPath);
      runIndex(new IndexWriter(db), adaptersFor({ claudeDir: corpus.claudeDir }));
      closeDatabase(db);
    }
    report('warm re-index (nothing changed)', `${fmt(performance.now() - w0)} ms`);

    log('open the largest session and step through it (in-process render)');
    const db = openDatabase(dbPath, { readonly: true });
    const reader = new StoreReader(db);
    const total = reader.getSession(corpus.largestSessionId)!.messageCount;
    const opens: number[] = [];
    let steps: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const res = await openAndStep(reader, corpus.largestSessionId, total);
      opens.push(res.openMs);
      steps = steps.concat(res.steps);
    }
    closeDatabase(db);
    report('open largest session', `${fmt(median(opens))} ms median (${total} messages)`);
    report('step one message', `${fmt(median(steps), 2)} ms median, ${fmt(percentile(steps, 95), 2)} ms p95`);

    log('time to first frame under tmux (real pty), against node starting an empty script and a bundled Ink hello world');
    const nodeStart: number[] = [];
    const helloFrame: number[] = [];
    const firstFrame: number[] = [];
    const env = { HOME: root, XDG_DATA_HOME: path.join(root, 'xdg') };
    for (let r = 0; r < Math.max(7, RUNS); r++) {
      const n0 = performance.now();
      spawnSync(process.execPath, ['-e', ''], { stdio: 'ignore' });
      nodeStart.push(performance.now() - n0);
      const hello = new TmuxPane(100, 30, env);
      const h0 = performance.now();
      hello.startCommand(`${process.execPath} ${INK_HELLO}`);
      hello.waitFor((s) => /\d+ sessions?/.test(s), 10_000, 0);
      helloFrame.push(performance.now() - h0);
      hello.kill();
      const pane = new TmuxPane(100, 30, env);
      const t0 = performance.now();
      pane.startCommand(`${process.execPath} ${CLI} --db ${dbPath} --claude-dir ${corpus.claudeDir}`);
      pane.waitFor((s) => /\d+ sessions?/.test(s), 10_000, 0);
      firstFrame.push(performance.now() - t0);
      pane.kill();
    }
    report('node empty script (baseline)', `${fmt(median(nodeStart))} ms`);
    report('Ink hello world, bundled, first frame (baseline)', `${fmt(median(helloFrame))} ms median`);
    report('first frame', `${fmt(median(firstFrame))} ms median, ${fmt(median(firstFrame) / median(helloFrame), 2)}× the Ink hello world`);

    log('TUI memory: open the largest session in a real terminal and step 100 messages');
    const pane = new TmuxPane(100, 30, env);
    pane.startCommand(`${process.execPath} ${CLI} --db ${dbPath} --claude-dir ${corpus.claudeDir}`);
    pane.waitFor((s) => /\d+ sessions?/.test(s), 10_000);
    const pid = nodeChildOf(pane.panePid());
    pane.keys('G');
    pane.settle();
    const t0 = performance.now();
    pane.keys('Enter');
    pane.waitFor((s) => s.includes(`1/${total}`), 10_000, 0);
    report('open largest session (tmux, end to end)', `${fmt(performance.now() - t0)} ms`);
    for (let i = 0; i < 100; i++) pane.keys('Right');
    pane.waitFor((s) => s.includes(`101/${total}`), 20_000);
    report('TUI peak RSS', `${fmt(procStatus(pid, 'VmHWM') / 2 ** 20)} MiB`);
    pane.keys('q');
    pane.kill();

    fs.mkdirSync('bench-out', { recursive: true });
    fs.writeFileSync('bench-out/results.json', JSON.stringify({ date: new Date().toISOString(), corpusMB: mb, results }, null, 2));
    log('written bench-out/results.json');
  } finally {
    if (!KEEP) fs.rmSync(root, { recursive: true, force: true });
    else log(`kept ${root}`);
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exitCode = 1;
});
