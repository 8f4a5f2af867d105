/**
 * `doctor`'s dry run: every adapter reads its files into a throwaway index in a temporary folder, one assistant after
 * another, so what was read and what was skipped (by reason) is real, current and per assistant — without touching
 * the user's index. The throwaway index skips what only searching needs (the full-text queue is never tokenized)
 * and is not synced to disk; its folder is removed at the end, and left-overs of a doctor that was killed are
 * removed by the next one.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Adapter } from '../ingest/adapter.js';
import { discoverAll, ingestOne, type IndexProgress, type WorkItem } from '../ingest/indexer.js';
import { emptyStats, type IngestStats } from '../ingest/stats.js';
import type { Agent } from '../model.js';
import { openDatabase } from '../store/db.js';
import { IndexWriter } from '../store/writer.js';

export interface AgentPass {
  readonly agent: Agent;
  readonly stats: IngestStats;
  /** Sessions and messages read from this assistant's files. */
  readonly sessions: number;
  readonly messages: number;
}

export interface DryPassResult {
  readonly passes: readonly AgentPass[];
  readonly ms: number;
}

const PREFIX = 'mantra-doctor-';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the folders of doctors that died mid-pass (their pid is in the name and no longer runs). */
export function sweepStaleDryRuns(tmpRoot: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(tmpRoot);
  } catch {
    return;
  }
  for (const name of names) {
    const m = new RegExp(`^${PREFIX}(\\d+)-`).exec(name);
    if (m && Number(m[1]) !== process.pid && !alive(Number(m[1]))) fs.rmSync(path.join(tmpRoot, name), { recursive: true, force: true });
  }
}

/**
 * Gemini CLI last: up to 0.28 its project folders are named by a hash of the project path, which is resolved against
 * the projects the other assistants' sessions name.
 */
function passOrder(adapters: readonly Adapter[]): Adapter[] {
  return [...adapters.filter((a) => a.agent !== 'gemini'), ...adapters.filter((a) => a.agent === 'gemini')];
}

export function dryPass(adapters: readonly Adapter[], onProgress?: (p: IndexProgress) => void, tmpRoot = os.tmpdir()): DryPassResult {
  sweepStaleDryRuns(tmpRoot);
  const started = performance.now();
  const dir = fs.mkdtempSync(path.join(tmpRoot, `${PREFIX}${process.pid}-`));
  const db = openDatabase(path.join(dir, 'index.db'));
  try {
    // Throwaway: a crash loses nothing worth keeping.
    db.pragma('synchronous = OFF');
    const writer = new IndexWriter(db);
    const count = db.prepare('SELECT count(*) AS sessions, coalesce(sum(message_count), 0) AS messages FROM session WHERE agent = ?');
    // Discovery first (listings and stats only), so progress can count files and bytes across all assistants.
    const planned = passOrder(adapters).map((adapter) => {
      const stats = emptyStats();
      return { adapter, stats, work: discoverAll(writer, [adapter], stats) };
    });
    const filesTotal = planned.reduce((n, p) => n + p.work.length, 0);
    const bytesTotal = planned.reduce((n, p) => n + p.work.reduce((b, w) => b + w.candidate.size, 0), 0);
    let filesDone = 0;
    let bytesDone = 0;
    const passes = new Map<Agent, AgentPass>();
    for (const { adapter, stats, work } of planned) {
      stats.filesSeen += work.length;
      for (const item of work as WorkItem[]) {
        ingestOne(writer, item, stats);
        filesDone++;
        bytesDone += item.candidate.size;
        onProgress?.({ filesDone, filesTotal, bytesDone, bytesTotal, path: item.candidate.path });
      }
      const totals = count.get(adapter.agent) as { sessions: number; messages: number };
      passes.set(adapter.agent, { agent: adapter.agent, stats, sessions: totals.sessions, messages: totals.messages });
    }
    return { passes: adapters.map((a) => passes.get(a.agent)!), ms: performance.now() - started };
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
