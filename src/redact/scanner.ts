/**
 * The background secret scan of everything ingested: new messages as they arrive, old ones on first start, all of
 * them again when the detector version changes. Detection (the CPU work) runs in its own worker thread; storing the
 * spans goes through the index's single writer, in one transaction per batch.
 */
import { Worker } from 'node:worker_threads';
import type { MessageToScan, ScanResult, SecretStore } from '../store/secrets.js';
import { DETECTOR_VERSION, detectSecrets } from './detect.js';

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

/** Detection in a worker thread of its own (dist/redact-worker.js), so a large first scan uses the second core. */
export function threadedDetector(url: URL): { detect: DetectBatch; close: () => Promise<void> } {
  const worker = new Worker(url, { stdout: true, stderr: true, resourceLimits: { maxYoungGenerationSizeMb: DETECTOR_YOUNG_GENERATION_MB } });
  worker.unref();
  let next = 0;
  const pending = new Map<number, { resolve: (r: ScanResult[]) => void; reject: (e: Error) => void }>();
  worker.on('message', (msg: { batchId: number; results?: ScanResult[]; error?: string }) => {
    const p = pending.get(msg.batchId);
    pending.delete(msg.batchId);
    if (msg.results) p?.resolve(msg.results);
    else p?.reject(new Error(msg.error ?? 'the redaction worker failed'));
  });
  const fail = (err: Error) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  worker.on('error', fail);
  worker.on('exit', () => fail(new Error('the redaction worker stopped')));
  return {
    detect(items) {
      const batchId = ++next;
      worker.ref();
      return new Promise<ScanResult[]>((resolve, reject) => {
        pending.set(batchId, { resolve, reject });
        worker.postMessage({ batchId, items });
      }).finally(() => {
        if (pending.size === 0) worker.unref();
      });
    },
    close: () => worker.terminate().then(() => undefined),
  };
}
