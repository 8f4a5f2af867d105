/**
 * The background secret scan of everything ingested: new messages as they arrive, old ones on first start, all of
 * them again when the detector version changes. Detection (the CPU work) runs in its own worker thread; storing the
 * spans goes through the index's single writer, in one transaction per batch.
 */
import { Worker } from 'node:worker_threads';
import type { MessageToScan, ScanResult, SecretStore } from '../store/secrets.js';
import { DETECTOR_VERSION, detectSecrets } from './detect.js';
import { contentChars } from '../model.js';

export type DetectBatch = (items: readonly MessageToScan[]) => Promise<ScanResult[]>;

/** Messages per batch: small enough that a live message waits little, large enough to amortise the round trips. */
const BATCH = 400;
/** And at most this much content per batch: both threads hold a batch at once, and tool outputs reach megabytes. */
const BATCH_BYTES = 4 * 2 ** 20;

/** Pure: the spans of every field of each message. */
export function detectMessages(items: readonly MessageToScan[]): ScanResult[] {
  return items.map((m) => ({
    id: m.id,
    spans: { text: detectSecrets(m.text), tool_input: m.toolInput ? detectSecrets(m.toolInput) : [], data: m.data ? detectSecrets(m.data) : [] },
  }));
}

export interface ScanListener {
  progress?(p: { scanned: number; total: number }): void;
  log?(message: string): void;
}

export class RedactionScanner {
  private running: Promise<void> | null = null;
  private again = false;
  private closed = false;

  constructor(
    private readonly store: SecretStore,
    private readonly detect: DetectBatch,
    private readonly listener: ScanListener = {},
    private readonly version = DETECTOR_VERSION,
  ) {}

  /** Scans until nothing is pending; calls made while a scan runs make it look again when it is done. */
  poke(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.again = false;
    this.running = this.loop().finally(() => (this.running = null));
    return this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.running;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      let reported = false;
      // Each batch starts below the last one (ids descend): a first scan of a large index reads every message once,
      // instead of walking past the scanned ones again for every batch. What arrives meanwhile has higher ids: it
      // is picked up by the next round (`again`).
      let before: number | undefined;
      for (;;) {
        if (this.closed) return;
        const batch = this.store.pending(this.version, BATCH, before, BATCH_BYTES);
        if (batch.length === 0) break;
        before = batch[batch.length - 1].id;
        const results = await this.detect(batch);
        if (this.closed) return;
        this.store.save(results, this.version);
        this.listener.progress?.(this.store.progress(this.version));
        reported = true;
      }
      if (reported) this.listener.progress?.(this.store.progress(this.version));
    } while (this.again);
  }
}

/** The detector allocates little per byte it reads: a small young generation keeps its thread small (see client.ts). */
const DETECTOR_YOUNG_GENERATION_MB = 4;
/** Batches smaller than this are scanned inline: a live append's few messages are not worth a thread's round trip. */
const INLINE_BYTES = 256 * 1024;
/** A detection thread with nothing to do for this long is let go; the next large batch starts another. */
const IDLE_MS = 30_000;

function batchBytes(items: readonly MessageToScan[]): number {
  let n = 0;
  for (const m of items) n += contentChars(m);
  return n;
}

/**
 * Detection that uses the second core for large scans (a first start, a new detector version) in a thread of its own
 * (dist/redact-worker.js), started when such a batch comes and stopped when idle, so a TUI that only follows live
 * sessions holds no second JavaScript heap for it. Small batches are scanned inline.
 */
export function threadedDetector(url: URL, options: { inlineBytes?: number; idleMs?: number } = {}): { detect: DetectBatch; close: () => Promise<void>; threadRunning: () => boolean } {
  const inlineBytes = options.inlineBytes ?? INLINE_BYTES;
  const idleMs = options.idleMs ?? IDLE_MS;
  let thread: Worker | null = null;
  let idle: NodeJS.Timeout | null = null;
  let next = 0;
  const pending = new Map<number, { resolve: (r: ScanResult[]) => void; reject: (e: Error) => void }>();
  const fail = (err: Error) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  const start = (): Worker => {
    const worker = new Worker(url, { stdout: true, stderr: true, resourceLimits: { maxYoungGenerationSizeMb: DETECTOR_YOUNG_GENERATION_MB } });
    worker.on('message', (msg: { batchId: number; results?: ScanResult[]; error?: string }) => {
      const p = pending.get(msg.batchId);
      pending.delete(msg.batchId);
      if (msg.results) p?.resolve(msg.results);
      else p?.reject(new Error(msg.error ?? 'the redaction worker failed'));
    });
    worker.on('error', fail);
    worker.on('exit', () => {
      if (thread === worker) thread = null;
      fail(new Error('the redaction worker stopped'));
    });
    return worker;
  };
  const stop = async (): Promise<void> => {
    if (idle) clearTimeout(idle);
    idle = null;
    const worker = thread;
    thread = null;
    if (worker) await worker.terminate();
  };
  return {
    async detect(items) {
      if (batchBytes(items) < inlineBytes) return detectMessages(items);
      if (idle) clearTimeout(idle);
      idle = null;
      thread ??= start();
      const worker = thread;
      worker.ref();
      const batchId = ++next;
      try {
        return await new Promise<ScanResult[]>((resolve, reject) => {
          pending.set(batchId, { resolve, reject });
          worker.postMessage({ batchId, items });
        });
      } finally {
        if (pending.size === 0 && thread === worker) {
          // Idle, it must not keep a headless run alive; it is let go after a while.
          worker.unref();
          idle = setTimeout(() => void stop(), idleMs);
          idle.unref();
        }
      }
    },
    close: stop,
    threadRunning: () => thread !== null,
  };
}
