/** `index`, `sessions` and `show`: the index from the command line, in the documented shapes. */
import path from 'node:path';
import { runIndex } from '../ingest/indexer.js';
import { adaptersFor, type SourceRoots } from '../ingest/sources.js';
import { closeDatabase, openDatabase } from '../store/db.js';
import { IndexWriter } from '../store/writer.js';
import type { CliOptions } from './args.js';
import { resolveSession, withReader, writeOut } from './common.js';
import { redactText } from '../redact/mask.js';
import { indexSummary, messageJson, plainMessage, sessionJson } from './output.js';

/** One ingest pass in this process (no worker: nothing else is drawing). */
export function indexPass(dbPath: string, roots: SourceRoots) {
  const db = openDatabase(dbPath);
  try {
    const writer = new IndexWriter(db);
    const started = performance.now();
    const stats = runIndex(writer, adaptersFor(roots));
    return { stats, ms: performance.now() - started, totals: writer.counts() };
  } finally {
    closeDatabase(db);
  }
}

export function indexNow(dbPath: string, roots: SourceRoots, json: boolean): void {
  const { stats, ms, totals } = indexPass(dbPath, roots);
  if (json) writeOut(JSON.stringify({ ...stats, durationMs: Math.round(ms), totalSessions: totals.sessions, totalMessages: totals.messages }));
  else writeOut(indexSummary(stats, totals, ms));
}

export function listSessions(dbPath: string, opts: CliOptions): void {
  withReader(dbPath, (reader) => {
    const filter = { agent: opts.agent, project: opts.project ? path.resolve(opts.project) : undefined, includeChildren: true };
    const rows = reader.listSessions(filter, 0, Number.MAX_SAFE_INTEGER);
    if (opts.json) return writeOut(JSON.stringify(rows.map(sessionJson)));
    if (rows.length === 0) return writeOut('no sessions');
    for (const s of rows) {
      const when = s.updatedAt ? new Date(s.updatedAt).toISOString().slice(0, 16).replace('T', ' ') : '—';
      writeOut(`${s.id}  ${s.agent}  ${when}  ${String(s.messageCount).padStart(5)}  ${s.project ?? '-'}  ${redactText(s.title ?? s.summary ?? '')}`);
    }
  });
}

export function showSession(dbPath: string, ref: string, json: boolean): void {
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
    writeOut(`${session.id}  ${session.agent}  ${session.project ?? ''}\n${redactText(session.title ?? '')}\n`);
    for (const m of reader.iterateMessages(session.id)) process.stdout.write(plainMessage(m) + '\n');
  });
}
