/**
 * Following the assistants as they write, at a cost that does not grow with history.
 *
 * Three tiers, so file handles and idle CPU stay bounded however many sessions exist:
 * - hot: files that changed recently are watched closely by chokidar and read within milliseconds of a write;
 * - warm: files changed within the last day, and every directory that holds sources, are polled with stat() every
 *   `pollMs` (a new session file changes its directory's mtime; a resumed session appends to a warm file);
 * - cold: everything else is caught by a full discovery sweep every `sweepMs`.
 * Reading goes through the adapters' incremental ingest, which commits messages together with the offset they reach,
 * so being killed at any moment loses nothing and duplicates nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { IndexWriter } from '../store/writer.js';
import type { Adapter, SourceCandidate } from './adapter.js';
import { discoverAll, finishPass, ingestAll, ingestOne, type IndexProgress, type WorkItem } from './indexer.js';
import { emptyStats, type IngestStats } from './stats.js';

export interface LiveTimings {
  /** A file that changed this recently is watched closely. */
  readonly hotWindowMs: number;
  /** At most this many files are watched closely; the least recently changed are dropped first. */
  readonly maxHot: number;
  /** How often directories and warm files are polled. */
  readonly pollMs: number;
  /** A file that changed this recently is polled with the directories. */
  readonly warmWindowMs: number;
  /** How often a full discovery sweep runs. */
  readonly sweepMs: number;
  /** A burst of change events on one file is read once, this long after its first event. */
  readonly debounceMs: number;
  /**
   * After a read prompted by a change event, the file is looked at once more this long after the read. chokidar
   * drops a file's 'change' events that follow its previous one within 50 ms and never sends them later, so without
   * this look the last lines of a burst of writes would wait for the next write or the next sweep.
   */
  readonly trailingLookMs: number;
}

export const DEFAULT_TIMINGS: LiveTimings = {
  hotWindowMs: 30 * 60_000,
  maxHot: 256,
  pollMs: 2000,
  warmWindowMs: 24 * 3_600_000,
  sweepMs: 60_000,
  debounceMs: 15,
  trailingLookMs: 60,
};

export interface LiveListener {
  progress?(p: IndexProgress): void;
  /** Sessions whose rows changed (messages added or removed, titles, sources gone). */
  changed?(sessionIds: string[]): void;
  log?(level: 'info' | 'warn', message: string): void;
}

interface DirState {
  mtimeMs: number;
  readonly adapter: Adapter;
}

function statOrNull(p: string): fs.Stats | null {
  try {
    return fs.statSync(p);
  } catch {
    return null;
  }
}

/** A source's size and mtime as its adapter measures them (a database counts its write-ahead log). */
function identityOf(adapter: Adapter, p: string): { size: number; mtimeMs: number } | null {
  if (adapter.identityOf) return adapter.identityOf(p);
  const st = statOrNull(p);
  return st && { size: st.size, mtimeMs: Math.floor(st.mtimeMs) };
}

/** How far up from a source file directories are polled when the file lies outside its adapter's root. */
const MAX_DIR_LEVELS = 4;

export class LiveIngest {
  private readonly files = new Map<string, WorkItem>();
  private readonly dirs = new Map<string, DirState>();
  /** Closely watched sources → when they last changed. */
  private readonly hot = new Map<string, number>();
  /** Watched file → the source it belongs to (a database's `-wal` → the database). */
  private readonly watchedFor = new Map<string, string>();
  private readonly pending = new Map<string, NodeJS.Timeout>();
  /** Watched sources → the timer of their trailing look (see `LiveTimings.trailingLookMs`). */
  private readonly trailing = new Map<string, NodeJS.Timeout>();
  private readonly timers: NodeJS.Timeout[] = [];
  private watcher: FSWatcher | null = null;
  private paused = false;
  private closed = false;

  constructor(
    private readonly writer: IndexWriter,
    private readonly adapters: readonly Adapter[],
    private readonly listener: LiveListener = {},
    private readonly timings: LiveTimings = DEFAULT_TIMINGS,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The first pass over everything, newest files first, with progress. Yields to the event loop between files so a
   * worker stays responsive (shutdown, pause) during a long first index, and publishes as it goes so the list fills
   * while indexing runs.
   */
  async initialPass(): Promise<IngestStats> {
    const stats = emptyStats();
    const work = discoverAll(this.writer, this.adapters, stats);
    this.remember(work);
    stats.filesSeen = work.length;
    const bytesTotal = work.reduce((n, w) => n + w.candidate.size, 0);
    let bytesDone = 0;
    let lastYield = performance.now();
    for (let i = 0; i < work.length && !this.closed; i++) {
      ingestOne(this.writer, work[i], stats);
      this.writer.flushSearchIndexIfDue();
      bytesDone += work[i].candidate.size;
      this.listener.progress?.({ filesDone: i + 1, filesTotal: work.length, bytesDone, bytesTotal, path: work[i].candidate.path });
      if (performance.now() - lastYield > 50) {
        // Mid-pass the list fills as sessions land; search and facts catch up in large batches (finishPass).
        this.publish(false);
        await new Promise((r) => setImmediate(r));
        while (this.paused && !this.closed) await new Promise((r) => setTimeout(r, 100));
        lastYield = performance.now();
      }
    }
    this.publish();
    this.reportErrors(stats);
    return stats;
  }

  /** Starts following changes; call after `initialPass`. */
  follow(): void {
    this.watcher = watch([], { ignoreInitial: true, persistent: true, atomic: false });
    const onEvent = (p: string) => this.schedule(this.watchedFor.get(p) ?? p);
    this.watcher.on('change', onEvent).on('add', onEvent).on('unlink', onEvent);
    this.watcher.on('error', (err) => this.listener.log?.('warn', `watcher: ${(err as Error).message}`));
    const cutoff = this.now() - this.timings.hotWindowMs;
    const recent = [...this.files.values()].filter((w) => w.candidate.mtimeMs >= cutoff).sort((a, b) => b.candidate.mtimeMs - a.candidate.mtimeMs);
    for (const w of recent.slice(0, this.timings.maxHot)) this.makeHot(w.candidate.path, w.candidate.mtimeMs);
    this.timers.push(setInterval(() => this.poll(), this.timings.pollMs));
    this.timers.push(setInterval(() => this.sweep(), this.timings.sweepMs));
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.sweep();
  }

  /** Files watched closely right now (for tests and the benchmark's file-handle figure). */
  hotFiles(): string[] {
    return [...this.hot.keys()];
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    for (const t of [...this.pending.values(), ...this.trailing.values()]) clearTimeout(t);
    this.pending.clear();
    this.trailing.clear();
    await this.watcher?.close();
  }

  /** A full discovery pass: new files, gone files, and appends to files nobody watched. */
  sweep(): void {
    if (this.paused || this.closed) return;
    const stats = emptyStats();
    const work = discoverAll(this.writer, this.adapters, stats);
    const present = new Set(work.map((w) => w.candidate.path));
    for (const p of [...this.files.keys()]) if (!present.has(p)) this.forget(p);
    const changed = work.filter((w) => {
      const known = this.files.get(w.candidate.path);
      return !known || known.candidate.size !== w.candidate.size || known.candidate.mtimeMs !== w.candidate.mtimeMs;
    });
    this.remember(work);
    ingestAll(this.writer, changed, stats);
    for (const w of changed) this.makeHot(w.candidate.path, this.now());
    this.publish();
    this.reportErrors(stats);
  }

  /** Directories (new and removed files) and warm files (appends), by stat alone. */
  poll(): void {
    if (this.paused || this.closed) return;
    const dirty = new Set<Adapter>();
    for (const [dir, state] of this.dirs) {
      const mtimeMs = statOrNull(dir)?.mtimeMs ?? -1;
      if (mtimeMs !== state.mtimeMs) {
        state.mtimeMs = mtimeMs;
        dirty.add(state.adapter);
      }
    }
    if (dirty.size) this.rediscover([...dirty]);
    const warm = this.now() - this.timings.warmWindowMs;
    for (const [p, w] of this.files) {
      if (this.hot.has(p) || w.candidate.mtimeMs < warm) continue;
      const id = identityOf(w.adapter, p);
      if (!id || id.size !== w.candidate.size || id.mtimeMs !== w.candidate.mtimeMs) this.readPath(p);
    }
    this.coolDown();
  }

  private rediscover(adapters: readonly Adapter[]): void {
    const stats = emptyStats();
    const work = discoverAll(this.writer, adapters, stats);
    const agents = new Set(adapters.map((a) => a.agent));
    const present = new Set(work.map((w) => w.candidate.path));
    for (const [p, w] of [...this.files]) if (agents.has(w.adapter.agent) && !present.has(p)) this.forget(p);
    const fresh = work.filter((w) => {
      const known = this.files.get(w.candidate.path);
      return !known || known.candidate.size !== w.candidate.size || known.candidate.mtimeMs !== w.candidate.mtimeMs;
    });
    this.remember(work);
    ingestAll(this.writer, fresh, stats);
    for (const w of fresh) this.makeHot(w.candidate.path, this.now());
    this.publish();
    this.reportErrors(stats);
  }

  private schedule(p: string): void {
    if (this.closed || this.pending.has(p)) return;
    this.pending.set(
      p,
      setTimeout(() => {
        this.pending.delete(p);
        if (this.paused) return;
        this.readPath(p);
        this.lookAgain(p);
      }, this.timings.debounceMs),
    );
  }

  /**
   * One more look at a file just read because of a change event, once chokidar's 50 ms window has passed: a write
   * in that window raised no event. Re-armed by every read, so the look always follows the latest one; it reads
   * only when the file's identity moved, and looks again after that read.
   */
  private lookAgain(p: string): void {
    if (this.closed) return;
    clearTimeout(this.trailing.get(p));
    this.trailing.set(
      p,
      setTimeout(() => {
        this.trailing.delete(p);
        const known = this.files.get(p);
        if (this.paused || this.closed || !known) return;
        const id = identityOf(known.adapter, p);
        if (id && id.size === known.candidate.size && id.mtimeMs === known.candidate.mtimeMs) return;
        this.readPath(p);
        this.lookAgain(p);
      }, this.timings.trailingLookMs),
    );
  }

  /** Reads what is new in one known file, or records that it is gone. */
  private readPath(p: string): void {
    const known = this.files.get(p);
    if (!known) return;
    if (known.adapter.readsAsSet) {
      this.rediscover([known.adapter]);
      return;
    }
    const id = identityOf(known.adapter, p);
    if (!id) {
      this.forget(p);
      this.publish();
      return;
    }
    const candidate: SourceCandidate = { ...known.candidate, size: id.size, mtimeMs: id.mtimeMs };
    const item = { adapter: known.adapter, candidate };
    this.files.set(p, item);
    const stats = emptyStats();
    ingestOne(this.writer, item, stats);
    this.makeHot(p, this.now());
    this.publish();
    this.reportErrors(stats);
  }

  /** A file vanished: its sessions stay in the index, marked as having lost their source. */
  private forget(p: string): void {
    this.files.delete(p);
    this.unwatch(p);
    const row = this.writer.getSourceFile(p);
    if (row && !row.gone && !fs.existsSync(p)) this.writer.transaction(() => this.writer.markSourceGone(row.id));
  }

  private remember(work: readonly WorkItem[]): void {
    for (const w of work) {
      this.files.set(w.candidate.path, w);
      // Every directory from the file up to the adapter's root (or a few levels, for sources kept elsewhere): a new
      // file or project folder changes one of them.
      let dir = path.dirname(w.candidate.path);
      for (let level = 0; level < MAX_DIR_LEVELS || dir.startsWith(w.adapter.root); level++) {
        if (!this.dirs.has(dir)) this.dirs.set(dir, { mtimeMs: statOrNull(dir)?.mtimeMs ?? -1, adapter: w.adapter });
        if (dir === w.adapter.root || dir === path.dirname(dir)) break;
        dir = path.dirname(dir);
      }
    }
    // Roots that hold nothing yet (an assistant installed later) are polled for their appearance.
    for (const a of this.adapters) if (!this.dirs.has(a.root)) this.dirs.set(a.root, { mtimeMs: statOrNull(a.root)?.mtimeMs ?? -1, adapter: a });
  }

  private makeHot(p: string, at: number): void {
    if (!this.watcher) return;
    if (!this.hot.has(p)) {
      const adapter = this.files.get(p)?.adapter;
      const paths = adapter?.watchPathsOf?.(p) ?? [p];
      for (const q of paths) this.watchedFor.set(q, p);
      this.watcher.add(paths);
    }
    this.hot.set(p, at);
    if (this.hot.size > this.timings.maxHot) {
      const coldest = [...this.hot].sort((a, b) => a[1] - b[1]).slice(0, this.hot.size - this.timings.maxHot);
      for (const [q] of coldest) this.unwatch(q);
    }
  }

  private unwatch(p: string): void {
    if (!this.hot.delete(p)) return;
    const paths = [...this.watchedFor].filter(([, source]) => source === p).map(([q]) => q);
    for (const q of paths) this.watchedFor.delete(q);
    void this.watcher?.unwatch(paths.length ? paths : p);
  }

  private coolDown(): void {
    const cutoff = this.now() - this.timings.hotWindowMs;
    for (const [p, at] of [...this.hot]) if (at < cutoff) this.unwatch(p);
  }

  /** Tells listeners which sessions changed; first, unless mid-pass, makes them searchable and their facts current. */
  private publish(finish = true): void {
    if (finish && !this.closed) finishPass(this.writer);
    const ids = this.writer.takeTouched();
    if (ids.length) this.listener.changed?.(ids);
  }

  private reportErrors(stats: IngestStats): void {
    for (const e of stats.fileErrors) this.listener.log?.('warn', `could not read ${e.path}: ${e.message}`);
  }
}
