#!/usr/bin/env node
/** mantra-tui entry: argument parsing and subcommands. Everything interesting lives in the modules it calls. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { parseArgs, USAGE, UsageError, type CliOptions } from './cli/args.js';
import { indexSummary, messageJson, plainMessage, sessionJson } from './cli/output.js';
import { CommandError, runFacts, runSearch } from './cli/search-commands.js';
import { buildDemo } from './demo/demo.js';
import { isStale, runIndex } from './ingest/indexer.js';
import type { FromWorker, WorkerConfig } from './ingest/protocol.js';
import { adaptersFor } from './ingest/sources.js';
import { resolveClaudeDir, resolveDbPath } from './paths.js';
import { closeDatabase, openDatabase } from './store/db.js';
import { SchemaTooNewError } from './store/migrations.js';
import { StoreReader } from './store/reader.js';
import type { SessionRow } from './store/rows.js';
import { IndexWriter } from './store/writer.js';
import { runTui, type TuiEvents } from './ui/run.js';

declare const MANTRA_VERSION: string;
const VERSION = typeof MANTRA_VERSION === 'string' ? MANTRA_VERSION : '0.0.0-dev';

class RuntimeError extends Error {}

function writeOut(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

function indexNow(dbPath: string, claudeDir: string, json: boolean): void {
  const db = openDatabase(dbPath);
  try {
    const writer = new IndexWriter(db);
    const started = performance.now();
    const stats = runIndex(writer, adaptersFor({ claudeDir }));
    const ms = performance.now() - started;
    const totals = writer.counts();
    if (json) writeOut(JSON.stringify({ ...stats, durationMs: Math.round(ms), totalSessions: totals.sessions, totalMessages: totals.messages }));
    else writeOut(indexSummary(stats, totals, ms));
  } finally {
    closeDatabase(db);
  }
}

function withReader<T>(dbPath: string, fn: (reader: StoreReader) => T): T {
  if (!fs.existsSync(dbPath)) throw new RuntimeError(`no index at ${dbPath} yet: run "mantra-tui index" first`);
  const db = openDatabase(dbPath, { readonly: true });
  try {
    return fn(new StoreReader(db));
  } finally {
    closeDatabase(db);
  }
}

function resolveSession(reader: StoreReader, ref: string): SessionRow {
  const exact = reader.getSession(ref);
  if (exact) return exact;
  const matches = reader.findSessionsByPrefix(ref, 6);
  if (matches.length === 1) return matches[0];
  if (matches.length === 0) throw new RuntimeError(`no session matches "${ref}" (see "mantra-tui sessions")`);
  throw new RuntimeError(`"${ref}" is ambiguous: ${matches.map((s) => s.id).slice(0, 5).join(', ')}${matches.length > 5 ? ', …' : ''}`);
}

function listSessions(dbPath: string, opts: CliOptions): void {
  withReader(dbPath, (reader) => {
    const filter = { agent: opts.agent, project: opts.project ? path.resolve(opts.project) : undefined, includeChildren: true };
    const rows = reader.listSessions(filter, 0, Number.MAX_SAFE_INTEGER);
    if (opts.json) return writeOut(JSON.stringify(rows.map(sessionJson)));
    if (rows.length === 0) return writeOut('no sessions');
    for (const s of rows) {
      const when = s.updatedAt ? new Date(s.updatedAt).toISOString().slice(0, 16).replace('T', ' ') : '—';
      writeOut(`${s.id}  ${s.agent}  ${when}  ${String(s.messageCount).padStart(5)}  ${s.project ?? '-'}  ${s.title ?? s.summary ?? ''}`);
    }
  });
}

function showSession(dbPath: string, ref: string, json: boolean): void {
  withReader(dbPath, (reader) => {
    const session = resolveSession(reader, ref);
    // Streamed a page at a time: a session of a million messages must not be held whole.
    if (json) {
      process.stdout.write(`{"session":${JSON.stringify(sessionJson(session))},"messages":[`);
      let first = true;
      for (const m of reader.iterateMessages(session.id)) {
        process.stdout.write((first ? '' : ',') + JSON.stringify(messageJson(m)));
        first = false;
      }
      process.stdout.write(']}\n');
      return;
    }
    writeOut(`${session.id}  ${session.agent}  ${session.project ?? ''}\n${session.title ?? ''}\n`);
    for (const m of reader.iterateMessages(session.id)) process.stdout.write(plainMessage(m) + '\n');
  });
}

/** Starts the ingest worker; the UI keeps drawing from what the index already holds while it runs. */
function startIngestWorker(config: WorkerConfig, events: TuiEvents): Worker {
  const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: config, stdout: true, stderr: true });
  worker.on('message', (msg: FromWorker) => {
    if (msg.type === 'progress') {
      events.emit({ type: 'progress', text: `indexing ${msg.filesDone}/${msg.filesTotal} files, ${(msg.bytesDone / 1e6).toFixed(0)}/${(msg.bytesTotal / 1e6).toFixed(0)} MB` });
    } else if (msg.type === 'sessions-changed') {
      events.emit({ type: 'changed' });
    } else if (msg.type === 'done') {
      events.emit({ type: 'progress', text: null });
      events.emit({ type: 'changed' });
      void worker.terminate();
    } else if (msg.type === 'error') {
      events.emit({ type: 'progress', text: `indexing failed: ${msg.message}` });
    }
  });
  worker.on('error', (err) => events.emit({ type: 'progress', text: `indexing failed: ${err.message}` }));
  return worker;
}

async function openTui(opts: CliOptions): Promise<void> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new UsageError('the timeline needs a terminal; without one use "mantra-tui sessions" or "mantra-tui show SESSION"');
  }
  let dbPath = resolveDbPath(opts.db);
  let claudeDir = resolveClaudeDir(opts.claudeDir);
  let notice: string | undefined;
  let demoRoot: string | undefined;
  const hasHistory = adaptersFor({ claudeDir }).some((a) => a.discover().length > 0);
  const hasIndex = fs.existsSync(dbPath) && withReader(dbPath, (r) => r.countSessions({ includeChildren: true }) > 0);
  if (opts.demo || (!hasHistory && !hasIndex)) {
    demoRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'mantra-demo-'));
    const demo = buildDemo(demoRoot);
    claudeDir = demo.claudeDir;
    dbPath = path.join(demoRoot, 'index.db');
    notice = opts.demo ? 'demo data' : `no assistant history found in ${resolveClaudeDir(opts.claudeDir)}: showing demo data`;
    indexNow(dbPath, claudeDir, false); // small and local: done before the first frame
  }
  // Creates and migrates the index when new, so the UI's read-only connection has something to open.
  closeDatabase(openDatabase(dbPath));
  const db = openDatabase(dbPath, { readonly: true });
  const reader = new StoreReader(db);
  const { events, run } = runTui(reader, { notice });
  let worker: Worker | undefined;
  if (!demoRoot && isStale(adaptersFor({ claudeDir }), reader.sourceFileStates())) {
    worker = startIngestWorker({ dbPath, claudeDir }, events);
  }
  try {
    await run;
  } finally {
    await worker?.terminate();
    closeDatabase(db);
    if (demoRoot) fs.rmSync(demoRoot, { recursive: true, force: true });
  }
}

async function main(argv: string[]): Promise<number> {
  let opts: CliOptions;
  try {
    opts = parseArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`mantra-tui: ${err.message}\n(see mantra-tui --help)\n`);
      return 2;
    }
    throw err;
  }
  if (opts.help) return writeOut(USAGE), 0;
  if (opts.version) return writeOut(VERSION), 0;
  try {
    const dbPath = resolveDbPath(opts.db);
    switch (opts.command) {
      case 'index':
        indexNow(dbPath, resolveClaudeDir(opts.claudeDir), opts.json);
        break;
      case 'sessions':
        listSessions(dbPath, opts);
        break;
      case 'show':
        showSession(dbPath, opts.positionals[0], opts.json);
        break;
      case 'search':
        runSearch({ dbPath, query: opts.positionals.join(' '), kind: opts.kind, project: opts.project, agent: opts.agent, limit: opts.limit, json: opts.json, write: writeOut });
        break;
      case 'facts':
        runFacts({ dbPath, session: opts.positionals[0], json: opts.json, write: writeOut });
        break;
      case 'tui':
        await openTui(opts);
        break;
    }
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`mantra-tui: ${err.message}\n`);
      return 2;
    }
    const known = err instanceof RuntimeError || err instanceof SchemaTooNewError || err instanceof CommandError;
    process.stderr.write(`mantra-tui: ${known ? err.message : (err as Error).stack ?? String(err)}\n`);
    return 1;
  }
}

// A reader that closes the pipe early (`| head`) is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
});

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
