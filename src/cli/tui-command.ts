/**
 * The TUI command: open the index read-only for the screens, and start the ingest worker (the only writer) to bring
 * the index up to date and follow the assistants while the TUI is open. The list is usable from the first frame.
 */
import type Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startIngestWorker, type IngestClient } from '../ingest/client.js';
import type { FromWorker } from '../ingest/protocol.js';
import type { SourceRoots } from '../ingest/sources.js';
import { dataDir, projectRootOf, resolveDbPath } from '../paths.js';
import { closeDatabase, ensureIndex, openDatabase } from '../store/db.js';
import { StoreReader } from '../store/reader.js';
import { progressText, secretsProgressText } from '../ui/format.js';
import type { RestoreRequest } from '../restore/perform.js';
import { TuiEvents } from '../ui/events.js';
import { firstListScreen } from '../ui/list-screen.js';
import { paintScreen } from '../ui/paint.js';
import { AltScreen, terminalSize } from '../ui/screen.js';
import { themeFor } from '../ui/theme.js';
import { UsageError, type CliOptions } from './args.js';
import { resolveRoots } from './common.js';
import { timelineActions } from './timeline-actions.js';

const WORKER_URL = new URL('./worker.js', import.meta.url);

/** What the worker says, as the status line and the screens' refresh. */
export function relayToTui(events: TuiEvents): (msg: FromWorker) => void {
  return (msg) => {
    switch (msg.type) {
      case 'progress':
        events.emit({ type: 'progress', text: progressText(msg) });
        break;
      case 'pass-done':
        events.emit({ type: 'progress', text: null });
        events.emit({ type: 'changed' });
        break;
      case 'sessions-changed':
        events.emit({ type: 'changed' });
        break;
      case 'log':
        if (msg.level === 'warn') events.emit({ type: 'progress', text: msg.message.split('\n')[0] });
        break;
      case 'error':
        events.emit({ type: 'progress', text: `indexing failed: ${msg.message}` });
        break;
      case 'secrets-progress':
        events.emit({ type: 'progress', source: 'secrets', text: msg.scanned < msg.total ? secretsProgressText(msg) : null });
        break;
      case 'closed':
        break;
    }
  };
}

export async function openTui(opts: CliOptions): Promise<void> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new UsageError('the timeline needs a terminal; without one use "mantra-tui sessions" or "mantra-tui show SESSION"');
  }
  let dbPath = resolveDbPath(opts.db);
  let roots: SourceRoots = resolveRoots(opts);
  let notice: string | undefined;
  let demoRoot: string | undefined;
  // One read-only connection serves both the question below and the screens (an index of an older schema is upgraded
  // first: the reader needs today's).
  const openReadOnly = (file: string): Database.Database => {
    ensureIndex(file);
    return openDatabase(file, { readonly: true });
  };
  let db = fs.existsSync(dbPath) ? openReadOnly(dbPath) : undefined;
  const hasIndex = db !== undefined && new StoreReader(db).countSessions({ includeChildren: true }) > 0;
  // Listing every assistant's files costs time before the first frame: only needed when the index is empty. So is
  // the code that reads them (the worker has its own): loaded only then.
  const hasHistory = hasIndex || (await import('../ingest/sources.js')).adaptersFor(roots).some((a) => a.discover().length > 0);
  if (opts.demo || (!hasHistory && !hasIndex)) {
    demoRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'mantra-demo-'));
    const [{ buildDemo }, { indexPass }] = await Promise.all([import('../demo/demo.js'), import('./session-commands.js')]);
    const demo = buildDemo(demoRoot);
    const looked = [roots.claudeDir, roots.codexDir, roots.geminiDir, roots.cursorDir, roots.cursorCliDir].filter(Boolean).join(', ');
    notice = opts.demo ? 'demo data' : `no assistant history in ${looked}: showing demo data`;
    // Only the demo's own roots: the user's real history must not mix into it.
    roots = { claudeDir: demo.claudeDir, codexDir: demo.codexDir, geminiDir: demo.geminiDir, cursorDir: demo.cursorDir, antigravityDirs: [demo.antigravityDir] };
    dbPath = path.join(demoRoot, 'index.db');
    indexPass(dbPath, roots); // small and local: indexed before the first frame
    if (db) closeDatabase(db);
    db = undefined;
  }
  db ??= openReadOnly(dbPath);
  const reader = new StoreReader(db);
  const events = new TuiEvents();
  const data = demoRoot ? path.join(demoRoot, 'data') : dataDir();
  let worker: IngestClient | undefined;
  let stopped = false;
  const perform = (req: RestoreRequest) => (worker ? worker.request(req) : Promise.reject(new Error('the index worker has not started yet')));
  const screen = new AltScreen();
  try {
    // The first frame is painted from the index without Ink, whose loading (React, its reconciler, Yoga) is most of a
    // start: the list shows at once, and Ink's first render replaces it in place with the same rows.
    const size = terminalSize(process.stdout);
    screen.paint(paintScreen(firstListScreen(reader, size, { notice, now: Date.now(), home: process.env.HOME }), size.columns, themeFor(process.env)));
    const { runTui } = await import('../ui/run.js');
    // In the demo "this project" is the demo's repository; otherwise the repository of the current directory.
    const thisProject = demoRoot ? path.join(demoRoot, 'shop') : projectRootOf(process.cwd());
    const actions = timelineActions(async () => new (await import('../restore/index.js')).RestoreService({ reader, dataDir: data, writer: null }), perform);
    const { run } = runTui(reader, { notice, events, thisProject, actions, screen });
    // The first frame is drawn from what the index holds; only then does the worker start catching up, so its start
    // (its own bundle, the index, discovery) does not compete with the first frame for the CPU.
    setImmediate(() => {
      if (stopped) return;
      try {
        worker = startIngestWorker({ dbPath, dataDir: data, roots, follow: true }, relayToTui(events), WORKER_URL);
      } catch (err) {
        events.emit({ type: 'progress', text: `indexing failed: ${(err as Error).message}` });
      }
    });
    await run;
  } finally {
    stopped = true;
    screen.restore();
    await worker?.stop();
    closeDatabase(db);
    if (demoRoot) fs.rmSync(demoRoot, { recursive: true, force: true });
  }
}
