/** The redaction worker: detection only (pure CPU). It never touches the index; the ingest worker stores what it finds. */
import { parentPort } from 'node:worker_threads';
import type { MessageToScan } from '../store/secrets.js';
import { detectMessages } from './scanner.js';

parentPort?.on('message', (msg: { batchId: number; items: MessageToScan[] }) => {
  try {
    parentPort?.postMessage({ batchId: msg.batchId, results: detectMessages(msg.items) });
  } catch (err) {
    parentPort?.postMessage({ batchId: msg.batchId, error: (err as Error).message });
  }
});
