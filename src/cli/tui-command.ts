/**
 * The TUI command: open the index read-only for the screens, and start the ingest worker (the only writer) to bring
 * the index up to date and follow the assistants while the TUI is open. The list is usable from the first frame.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildDemo } from '../demo/demo.js';
import { startIngestWorker, type IngestClient } from '../ingest/client.js';
import type { FromWorker } from '../ingest/protocol.js';
import { adaptersFor, type SourceRoots } from '../ingest/sources.js';
import { dataDir, resolveDbPath } from '../paths.js';
import { closeDatabase, ensureIndex, openDatabase } from '../store/db.js';
import { StoreReader } from '../store/reader.js';
import { progressText, secretsProgressText } from '../ui/format.js';
import { RestoreService } from '../restore/index.js';
import { runTui, TuiEvents } from '../ui/run.js';
import { UsageError, type CliOptions } from './args.js';
import { resolveRoots, withReader } from './common.js';
import { indexPass } from './session-commands.js';
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
  // The index is asked first: listing every source file (about 3 ms per thousand) would delay the first frame, and
  // only matters when there is no index yet.
  const hasIndex = fs.existsSync(dbPath) && withReader(dbPath, (r) => r.countSessions({ includeChildren: true }) > 0);
  if (opts.demo || (!hasIndex && !adaptersFor(roots).some((a) => a.discover().length > 0))) {
    demoRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'mantra-demo-'));
    const demo = buildDemo(demoRoot);
    const looked = [roots.claudeDir, roots.codexDir, roots.geminiDir, roots.cursorDir, roots.cursorCliDir].filter(Boolean).join(', ');
    notice = opts.demo ? 'demo data' : `no assistant history in ${looked}: showing demo data`;
    // Only the demo's own roots: the user's real history must not mix into it.
    roots = { claudeDir: demo.claudeDir };
    dbPath = path.join(demoRoot, 'index.db');
    indexPass(dbPath, roots); // small and local: indexed before the first frame
  }
  ensureIndex(dbPath);
  const db = openDatabase(dbPath, { readonly: true });
  const reader = new StoreReader(db);
  const events = new TuiEvents();
  const data = demoRoot ? path.join(demoRoot, 'data') : dataDir();
  let worker: IngestClient | undefined;
  try {
    const { run } = runTui(reader, { notice, events, actions: timelineActions(new RestoreService({ reader, dataDir: data, writer: null }), (req) => worker?.request(req) ?? Promise.reject(new Error('the ingest worker is not running'))) });
    // Started once the first frame is drawn (Ink draws it synchronously): the worker's start-up (its bundle, the
    // index, discovery) would otherwise compete with the first render for the CPU.
    try {
      worker = startIngestWorker({ dbPath, dataDir: data, roots, follow: true }, relayToTui(events), WORKER_URL);
    } catch (err) {
      events.emit({ type: 'progress', text: `indexing failed: ${(err as Error).message}` });
    }
    await run;
  } finally {
    await worker?.stop();
    closeDatabase(db);
    if (demoRoot) fs.rmSync(demoRoot, { recursive: true, force: true });
  }
}
