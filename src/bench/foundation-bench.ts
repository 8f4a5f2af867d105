/**
 * The foundation figures (issue 3): a generated Claude Code corpus of realistic shape, cold index beside a JSON.parse
 * scan of the same files, opening the largest session and stepping through it, the first frame under tmux beside
 * node starting an empty script and a bundled Ink hello world, and the TUI's peak memory. Medians of repeated runs.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import React from 'react';
import { render } from 'ink-testing-library';
import { DETECTOR_VERSION } from '../redact/detect.js';
import { detectMessages, RedactionScanner } from '../redact/scanner.js';
import { SecretStore } from '../store/secrets.js';
import { jsonParseScan } from './cold-index.js';
import { generateCorpus } from './corpus.js';
import { summarizeFrames, timeFirstFrame, timeFirstKey, type FrameTiming } from './first-frame.js';
import { statusBytes } from './proc.js';
import type { Numbers } from './report.js';
import { fmt, median, percentile } from './stats.js';
import { TmuxPane } from './tmux.js';
import { runIndex } from '../ingest/indexer.js';
import { adaptersFor } from '../ingest/sources.js';
import { closeDatabase, openDatabase } from '../store/db.js';
import { StoreReader } from '../store/reader.js';
import { IndexWriter } from '../store/writer.js';
import { App } from '../ui/App.js';

export interface FoundationBenchOptions {
  /** An empty scratch directory (the caller removes it). */
  readonly root: string;
  readonly sessions: number;
  readonly largeMb: number;
  readonly runs: number;
  /** dist/cli.js and dist/ink-hello.js. */
  readonly cli: string;
  readonly inkHello: string;
  readonly log: (line: string) => void;
  readonly report: (name: string, value: string, numbers?: Numbers) => void;
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

function nodeChildOf(pid: number): number {
  // The pane runs `env … node cli.js`: env execs node, so the pane pid is node's, or its only child.
  const comm = fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  if (comm === 'node') return pid;
  const out = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).trim().split('\n')[0];
  return Number(out);
}

export async function runFoundationBench(o: FoundationBenchOptions): Promise<{ coldMBs: number; corpusMB: number }> {
  const { root, log, report } = o;
  log(`generating corpus: ${o.sessions} sessions + one ~${o.largeMb} MB transcript in ${root}`);
  const g0 = performance.now();
  const corpus = generateCorpus(root, { sessions: o.sessions, largeBytes: o.largeMb * 1e6 });
  const mb = corpus.bytes / 1e6;
  log(`  ${corpus.files.length} files, ${fmt(mb)} MB in ${fmt((performance.now() - g0) / 1000)} s`);

  log('ingest (cold), against a JSON.parse scan of the same files');
  const baseline: number[] = [];
  const cold: number[] = [];
  let messages = 0;
  const dbPath = path.join(root, 'index.db');
  for (let r = 0; r < o.runs; r++) {
    const b0 = performance.now();
    jsonParseScan(corpus.files);
    baseline.push(performance.now() - b0);
    const { ms, stats } = coldIndex(dbPath, corpus.claudeDir);
    cold.push(ms);
    messages = stats.messagesAdded;
  }
  const baseMBs = mb / (median(baseline) / 1000);
  const coldMBs = mb / (median(cold) / 1000);
  report('corpus', `${corpus.files.length} files, ${fmt(mb)} MB, ${messages} messages`, { files: corpus.files.length, mb, messages });
  report('JSON.parse scan (baseline)', `${fmt(baseMBs)} MB/s`, { mbs: baseMBs });
  report('cold index', `${fmt(coldMBs)} MB/s, ${fmt(messages / (median(cold) / 1000), 0)} messages/s (${messages} messages), ${fmt(coldMBs / baseMBs, 2)}× the baseline`, { mbs: coldMBs, medianMs: median(cold), baselineMBs: baseMBs });
  report('index size', `${fmt(fs.statSync(dbPath).size / 1e6)} MB (${fmt(fs.statSync(dbPath).size / corpus.bytes, 2)}× the JSONL)`, { ratio: fs.statSync(dbPath).size / corpus.bytes });
  const w0 = performance.now();
  {
    const db = openDatabase(dbPath);
    runIndex(new IndexWriter(db), adaptersFor({ claudeDir: corpus.claudeDir }));
    closeDatabase(db);
  }
  report('warm re-index (nothing changed)', `${fmt(performance.now() - w0)} ms for ${corpus.files.length} files`);

  // The TUI's worker scans every message for secrets the first time it opens an index (`mantra-tui index` does not):
  // a copy is kept unscanned for the first-start memory figure; the index itself is scanned here, in one thread, so
  // the other figures are those of the steady state.
  const unscannedPath = path.join(root, 'index-unscanned.db');
  fs.copyFileSync(dbPath, unscannedPath);
  {
    const db = openDatabase(dbPath);
    const s0 = performance.now();
    await new RedactionScanner(new SecretStore(db), async (items) => detectMessages(items)).poke();
    const scanMs = performance.now() - s0;
    closeDatabase(db);
    report('secret scan of the whole index (one thread, in process)', `${fmt(scanMs / 1000, 1)} s for ${messages} messages, ${fmt(mb / (scanMs / 1000))} MB of JSONL/s`, { ms: scanMs });
  }

  log('open the largest session and step through it (in-process render)');
  const db = openDatabase(dbPath, { readonly: true });
  const reader = new StoreReader(db);
  const total = reader.getSession(corpus.largestSessionId)!.messageCount;
  const opens: number[] = [];
  let steps: number[] = [];
  for (let r = 0; r < o.runs; r++) {
    const res = await openAndStep(reader, corpus.largestSessionId, total);
    opens.push(res.openMs);
    steps = steps.concat(res.steps);
  }
  closeDatabase(db);
  report('open largest session', `${fmt(median(opens))} ms median (${total} messages)`, { medianMs: median(opens), messages: total });
  report('step one message', `${fmt(median(steps), 2)} ms median, ${fmt(percentile(steps, 95), 2)} ms p95`, { medianMs: median(steps), p95Ms: percentile(steps, 95) });

  log('time to first frame under tmux (real pty), against node starting an empty script and a bundled Ink hello world');
  const nodeStart: number[] = [];
  const hello: FrameTiming[] = [];
  const tui: FrameTiming[] = [];
  const env = { HOME: root, XDG_DATA_HOME: path.join(root, 'xdg') };
  const listDrawn = (s: string) => /\d+ sessions?/.test(s);
  for (let r = 0; r < Math.max(11, o.runs); r++) {
    const n0 = performance.now();
    spawnSync(process.execPath, ['-e', ''], { stdio: 'ignore' });
    nodeStart.push(performance.now() - n0);
    hello.push(timeFirstFrame(`${process.execPath} ${o.inkHello}`, listDrawn, env));
    tui.push(timeFirstFrame(`${process.execPath} ${o.cli} --db ${dbPath} --claude-dir ${corpus.claudeDir}`, listDrawn, env));
  }
  // The first frame is painted before Ink has loaded; a key pressed then waits for Ink. Down moves the selection
  // from the first session to the second: the time a user waits to be answered.
  const firstKey: number[] = [];
  const secondSelected = (s: string) => (s.split('\n')[2] ?? '').startsWith('›');
  for (let r = 0; r < Math.max(11, o.runs); r++) {
    firstKey.push(timeFirstKey(`${process.execPath} ${o.cli} --db ${dbPath} --claude-dir ${corpus.claudeDir}`, listDrawn, 'Down', secondSelected, env));
  }
  const h = summarizeFrames(hello);
  const f = summarizeFrames(tui);
  report('node empty script (baseline)', `${fmt(median(nodeStart))} ms median`, { medianMs: median(nodeStart) });
  report('Ink hello world, bundled, first frame (baseline)', `${fmt(h.wallMedianMs)} ms median, ${fmt(h.wallP95Ms)} ms p95; main thread CPU ${fmt(h.mainCpuMedianMs, 0)} ms`, { ...h });
  report(
    'first frame',
    `${fmt(f.wallMedianMs)} ms median, ${fmt(f.wallP95Ms)} ms p95, ${fmt(f.wallMedianMs / h.wallMedianMs, 2)}× the Ink hello world (+${fmt(f.wallMedianMs - h.wallMedianMs, 0)} ms); ` +
      `main thread CPU ${fmt(f.mainCpuMedianMs, 0)} ms (+${fmt(f.mainCpuMedianMs - h.mainCpuMedianMs, 0)} ms over the hello world)`,
    { ...f, helloWallMedianMs: h.wallMedianMs, helloMainCpuMedianMs: h.mainCpuMedianMs, nodeMedianMs: median(nodeStart) },
  );
  report(
    'first key answered',
    `${fmt(median(firstKey))} ms median, ${fmt(percentile(firstKey, 95))} ms p95 (Down pressed the moment the list shows, until the selection moves)`,
    { medianMs: median(firstKey), p95Ms: percentile(firstKey, 95) },
  );

  log('TUI memory: open the largest session in a real terminal and step 100 messages (index scanned for secrets)');
  const steady = tuiMemory(o.cli, dbPath, corpus.claudeDir, total, env);
  report('open largest session (tmux, end to end)', `${fmt(steady.openMs)} ms`, { ms: steady.openMs });
  report('TUI peak RSS', `${fmt(steady.peakMiB)} MiB (largest session open, 100 steps; the index already scanned for secrets)`, { mib: steady.peakMiB });
  log('TUI memory on its first start after `mantra-tui index`: its worker scans every message for secrets meanwhile');
  const first = tuiMemory(o.cli, unscannedPath, corpus.claudeDir, total, env);
  report(
    'TUI peak RSS, first start (secret scan of the whole index running)',
    `${fmt(first.peakMiB)} MiB; the scan of ${messages} messages was done ${fmt(first.scanMs / 1000, 1)} s after the start; open largest session meanwhile ${fmt(first.openMs)} ms`,
    { mib: first.peakMiB, scanMs: first.scanMs, openMs: first.openMs },
  );
  return { coldMBs, corpusMB: mb };
}

/** Opens the largest session in the TUI in tmux, steps 100 messages, waits for the secret scan; peak RSS then. */
function tuiMemory(cli: string, dbPath: string, claudeDir: string, total: number, env: Record<string, string>): { openMs: number; peakMiB: number; scanMs: number } {
  const pane = new TmuxPane(100, 30, env);
  const progress = openDatabase(dbPath, { readonly: true });
  const secrets = new SecretStore(progress);
  const scanned = () => {
    const p = secrets.progress(DETECTOR_VERSION);
    return p.scanned >= p.total;
  };
  try {
    const t00 = performance.now();
    pane.startCommand(`${process.execPath} ${cli} --db ${dbPath} --claude-dir ${claudeDir}`);
    pane.waitFor((s) => /\d+ sessions?/.test(s), 10_000);
    const pid = nodeChildOf(pane.panePid());
    pane.keys('G');
    pane.settle();
    const t0 = performance.now();
    pane.keys('Enter');
    pane.waitFor((s) => s.includes(`1/${total}`), 10_000, 0);
    const openMs = performance.now() - t0;
    for (let i = 0; i < 100; i++) pane.keys('Right');
    pane.waitFor((s) => s.includes(`101/${total}`), 20_000);
    const deadline = performance.now() + 300_000;
    while (!scanned() && performance.now() < deadline) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    const scanMs = performance.now() - t00;
    const hwm = statusBytes(fs.readFileSync(`/proc/${pid}/status`, 'utf8'), 'VmHWM');
    pane.keys('q');
    return { openMs, peakMiB: hwm / 2 ** 20, scanMs };
  } finally {
    closeDatabase(progress);
    pane.kill();
  }
}
