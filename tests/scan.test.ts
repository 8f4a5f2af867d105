/**
 * `scan`: the catch-up scan of the index (real SQLite files, the real writer and SecretStore), the report built from
 * its counts, and the command's output and exit codes — counts only, never a value.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { parseArgs } from '../src/cli/args.js';
import { runScan, type ExportIO } from '../src/cli/export-commands.js';
import { buildScanReport, catchUpSecretScan, scanReportJson, scanReportText } from '../src/export/scan.js';
import { DETECTOR_VERSION } from '../src/redact/detect.js';
import { detectMessages, threadedDetector } from '../src/redact/scanner.js';
import type { SessionRow } from '../src/store/rows.js';
import { SecretStore } from '../src/store/secrets.js';
import { leaks, seededSecrets } from './helpers/seeded-secrets.js';
import { makeStore, parsedMessage, type TestStore } from './helpers/store.js';

const secrets = seededSecrets();
const pick = (rule: string) => secrets.find((s) => s.rule === rule)!;
const AWS = pick('aws-access-key-id');
const GITHUB = pick('github-pat');
const STRIPE = pick('stripe-secret-key');

let store: TestStore | undefined;
afterEach(() => {
  store?.close();
  store = undefined;
});

function captureIO(): ExportIO & { out: () => string; errors: string[] } {
  let out = '';
  const errors: string[] = [];
  const stdout = new Writable({
    write(chunk, _enc, done) {
      out += String(chunk);
      done();
    },
  });
  return { stdout, err: (l) => errors.push(l), interactive: false, ask: async () => null, out: () => out, errors };
}

/** Two sessions with secrets in text, tool input and edit data; one without any. */
function seededStore(): TestStore {
  return makeStore([
    {
      id: 'sess-a',
      title: `deploy with ${AWS.text}`,
      messages: [
        parsedMessage(1, { text: `my key is ${AWS.text} and ${GITHUB.text}` }),
        parsedMessage(2, { kind: 'tool-call', role: 'assistant', toolName: 'Bash', text: 'Bash: deploy', toolInput: JSON.stringify({ command: `export GH=${GITHUB.text}` }) }),
        parsedMessage(3, { kind: 'tool-result', role: 'tool', text: 'ok', data: JSON.stringify({ originalFile: `STRIPE=${STRIPE.text}\n` }) }),
      ],
    },
    { id: 'sess-b', title: 'nothing to see', messages: [parsedMessage(1, { text: `stripe ${STRIPE.text}` })] },
    { id: 'sess-c', title: 'clean', messages: [parsedMessage(1, { text: 'no secrets here, just a uuid 6f1c2e0a-3b7d-4c55-9a10-2f3e4d5c6b7a' })] },
  ]);
}

describe('catching up the index', () => {
  it('scans every message not scanned with this detector, once, and stores only positions and kinds', () => {
    store = seededStore();
    const secretStore = new SecretStore(store.db);
    expect(secretStore.progress(DETECTOR_VERSION)).toEqual({ scanned: 0, total: 5 });
    const seen: [number, number][] = [];
    expect(catchUpSecretScan(secretStore, DETECTOR_VERSION, (done, todo) => seen.push([done, todo]))).toBe(5);
    expect(seen).toEqual([[5, 5]]);
    expect(secretStore.progress(DETECTOR_VERSION)).toEqual({ scanned: 5, total: 5 });
    expect(catchUpSecretScan(secretStore, DETECTOR_VERSION)).toBe(0);
    expect(secretStore.countsBySession()).toEqual([
      { sessionId: 'sess-a', kind: 'github-pat', count: 2 },
      { sessionId: 'sess-a', kind: 'aws-access-key', count: 1 },
      { sessionId: 'sess-a', kind: 'stripe-secret-key', count: 1 },
      { sessionId: 'sess-b', kind: 'stripe-secret-key', count: 1 },
    ]);
    // The table holds no text at all.
    const columns = (store.db.prepare('PRAGMA table_info(secret_span)').all() as { name: string }[]).map((c) => c.name);
    expect(columns.sort()).toEqual(['field', 'kind', 'message_id', 'span_end', 'span_start']);
  });

  it('scans again, in batches, everything a newer detector has not seen', () => {
    store = makeStore([{ id: 'big', messages: Array.from({ length: 250 }, (_, i) => parsedMessage(i + 1, { text: i % 50 === 0 ? `k ${AWS.text}` : `message ${i}` })) }]);
    const secretStore = new SecretStore(store.db);
    expect(catchUpSecretScan(secretStore, DETECTOR_VERSION)).toBe(250);
    const progress: number[] = [];
    expect(catchUpSecretScan(secretStore, DETECTOR_VERSION + 1, (done) => progress.push(done))).toBe(250);
    expect(progress).toEqual([100, 200, 250]);
    expect(secretStore.countsBySession()).toEqual([{ sessionId: 'big', kind: 'aws-access-key', count: 5 }]);
  });
});

describe('pending messages', () => {
  it('come newest first, and a batch can start below the last one', () => {
    store = makeStore([{ id: 's', messages: Array.from({ length: 7 }, (_, i) => parsedMessage(i + 1)) }]);
    const secretStore = new SecretStore(store.db);
    const ids = secretStore.pending(DETECTOR_VERSION, 100).map((m) => m.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(secretStore.pending(DETECTOR_VERSION, 3).map((m) => m.id)).toEqual(ids.slice(0, 3));
    expect(secretStore.pending(DETECTOR_VERSION, 3, ids[2]).map((m) => m.id)).toEqual(ids.slice(3, 6));
    expect(secretStore.pending(DETECTOR_VERSION, 3, ids[6])).toEqual([]);
    // Scanned messages are not pending, below or above the key.
    secretStore.save([{ id: ids[4], spans: { text: [], tool_input: [], data: [] } }], DETECTOR_VERSION);
    expect(secretStore.pending(DETECTOR_VERSION, 10, ids[2]).map((m) => m.id)).toEqual([ids[3], ids[5], ids[6]]);
  });

  it('stop before the message that would take a batch over its byte budget, and always hold one', () => {
    // Newest first: 1000, 1000 and 3000 bytes (a tool call's input counts too), then three of 10.
    const sizes = [10, 10, 10, 3000, 1000, 1000];
    const messages = sizes.map((n, i) => parsedMessage(i + 1, i === 3 ? { text: 'x'.repeat(n - 4), toolInput: 'abcd' } : { text: 'x'.repeat(n) }));
    store = makeStore([{ id: 's', messages }]);
    const secretStore = new SecretStore(store.db);
    const all = secretStore.pending(DETECTOR_VERSION, 100);
    const lengths = (ms: { text: string; toolInput: string | null }[]) => ms.map((m) => m.text.length + (m.toolInput?.length ?? 0));
    expect(lengths(secretStore.pending(DETECTOR_VERSION, 100, undefined, 2500))).toEqual([1000, 1000]);
    expect(lengths(secretStore.pending(DETECTOR_VERSION, 100, all[1].id, 2500))).toEqual([3000]);
    expect(lengths(secretStore.pending(DETECTOR_VERSION, 100, all[1].id, 3030))).toEqual([3000, 10, 10, 10]);
    // The message limit still applies under a large budget.
    expect(secretStore.pending(DETECTOR_VERSION, 2, undefined, 1e9)).toHaveLength(2);
  });
});

describe('the report', () => {
  const sessionRow = (id: string, over: Partial<SessionRow> = {}): SessionRow => ({
    id, agent: 'codex', parentId: null, project: '/p', title: null, summary: null, gitBranch: null, startedAt: null, updatedAt: null,
    messageCount: 1, childCount: 0, sourceFiles: [], sourceGone: false, ...over,
  });

  it.each([
    ['no counts', [], [], 0],
    [
      'sessions by total, kinds by count then name',
      [
        { sessionId: 'a', kind: 'password', count: 1 },
        { sessionId: 'b', kind: 'jwt', count: 2 },
        { sessionId: 'b', kind: 'aws-access-key', count: 2 },
        { sessionId: 'a', kind: 'github-pat', count: 1 },
        { sessionId: 'b', kind: 'password', count: 3 },
      ],
      [
        { sessionId: 'b', counts: { password: 3, 'aws-access-key': 2, jwt: 2 }, total: 7 },
        { sessionId: 'a', counts: { 'github-pat': 1, password: 1 }, total: 2 },
      ],
      9,
    ],
    [
      'ties by session id; zero counts dropped',
      [
        { sessionId: 'z', kind: 'jwt', count: 1 },
        { sessionId: 'y', kind: 'jwt', count: 1 },
        { sessionId: 'x', kind: 'jwt', count: 0 },
      ],
      [
        { sessionId: 'y', counts: { jwt: 1 }, total: 1 },
        { sessionId: 'z', counts: { jwt: 1 }, total: 1 },
      ],
      2,
    ],
  ])('%s', (_name, counts, expected, total) => {
    const report = buildScanReport(counts, (id) => sessionRow(id), { scannedMessages: 10, scannedNow: 0, detectorVersion: 1 });
    expect(report.sessions.map(({ sessionId, counts: c, total: t }) => ({ sessionId, counts: c, total: t }))).toEqual(expected);
    expect(Object.keys(report.sessions[0]?.counts ?? {})).toEqual(Object.keys(expected[0]?.counts ?? {}));
    expect(report.total).toBe(total);
  });

  it('masks titles, prefers the summary, and survives a session that is gone', () => {
    const rows = new Map([
      ['a', sessionRow('a', { title: `use ${GITHUB.text} please` })],
      ['b', sessionRow('b', { title: 'first prompt', summary: 'Generated title' })],
    ]);
    const counts = ['a', 'b', 'gone'].map((sessionId) => ({ sessionId, kind: 'jwt', count: 1 }));
    const report = buildScanReport(counts, (id) => rows.get(id), { scannedMessages: 3, scannedNow: 3, detectorVersion: 1 });
    const byId = Object.fromEntries(report.sessions.map((s) => [s.sessionId, s]));
    expect(byId.a.title).toBe('use ‹github-pat› please');
    expect(byId.b.title).toBe('Generated title');
    expect(byId.gone).toMatchObject({ agent: null, project: null, title: null });
    expect(scanReportJson(report)).toEqual({
      sessions: report.sessions.map((s) => ({ sessionId: s.sessionId, agent: s.agent, project: s.project, title: s.title, counts: s.counts, total: 1 })),
      total: 3,
      scannedMessages: 3,
      detectorVersion: 1,
    });
    const text = scanReportText(report);
    expect(text).toMatch(/^3 secrets in 3 sessions \(3 messages scanned \(3 just now\), detector version 1\):/);
    expect(text).toContain('a  codex  1  /p  use ‹github-pat› please\n    jwt 1');
    expect(text).not.toContain(GITHUB.values[0]);
    expect(scanReportText(buildScanReport([], () => undefined, { scannedMessages: 1, scannedNow: 0, detectorVersion: 1 }))).toBe(
      'no secrets found: 1 message scanned, detector version 1',
    );
  });
});

describe('mantra-tui scan', () => {
  it('exits 3 and prints counts, never values, when secrets are found', async () => {
    store = seededStore();
    const io = captureIO();
    expect(await runScan({ dbPath: store.dbPath, io }, parseArgs(['scan']))).toBe(3);
    expect(io.out()).toMatch(/^5 secrets in 2 sessions \(5 messages scanned \(5 just now\), detector version \d+\):/);
    expect(io.out()).toContain('sess-a  claude  4  /home/ada/shop  deploy with ‹aws-access-key›\n    github-pat 2, aws-access-key 1, stripe-secret-key 1');
    expect(leaks(io.out(), secrets)).toEqual([]);

    const json = captureIO();
    expect(await runScan({ dbPath: store.dbPath, io: json }, parseArgs(['scan', '--json']))).toBe(3);
    const doc = JSON.parse(json.out());
    expect(doc).toEqual({
      sessions: [
        { sessionId: 'sess-a', agent: 'claude', project: '/home/ada/shop', title: 'deploy with ‹aws-access-key›', counts: { 'github-pat': 2, 'aws-access-key': 1, 'stripe-secret-key': 1 }, total: 4 },
        { sessionId: 'sess-b', agent: 'claude', project: '/home/ada/shop', title: 'nothing to see', counts: { 'stripe-secret-key': 1 }, total: 1 },
      ],
      total: 5,
      scannedMessages: 5,
      detectorVersion: DETECTOR_VERSION,
    });
    expect(leaks(json.out(), secrets)).toEqual([]);
  });

  it('exits 0 when the index holds no secrets', async () => {
    store = makeStore([{ id: 'clean', messages: [parsedMessage(1), parsedMessage(2)] }]);
    const io = captureIO();
    expect(await runScan({ dbPath: store.dbPath, io }, parseArgs(['scan', '--json']))).toBe(0);
    expect(JSON.parse(io.out())).toEqual({ sessions: [], total: 0, scannedMessages: 2, detectorVersion: DETECTOR_VERSION });
  });

  it('exits 1 with one line when there is no index', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mantra-scan-'));
    try {
      const io = captureIO();
      const missing = path.join(dir, 'none.db');
      expect(await runScan({ dbPath: missing, io }, parseArgs(['scan']))).toBe(1);
      expect(io.errors).toEqual([`mantra-tui: no index at ${missing} yet: run "mantra-tui index" first`]);
      expect(fs.existsSync(missing)).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the detection thread', () => {
  // The bundle the ingest worker starts (npm test builds dist first).
  const url = new URL('../dist/redact-worker.js', import.meta.url);
  const items = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i + 1, text: `line ${i} ${i % 3 === 0 ? AWS.text : 'nothing'}`, toolInput: null, data: null }));

  it('is not started for small batches, which are scanned inline', async () => {
    const detector = threadedDetector(url, { inlineBytes: 10_000 });
    try {
      const batch = items(5);
      expect(await detector.detect(batch)).toEqual(detectMessages(batch));
      expect(detector.threadRunning()).toBe(false);
    } finally {
      await detector.close();
    }
  });

  it('starts for a large batch, finds what the inline scan finds, and is let go when idle', async () => {
    const detector = threadedDetector(url, { inlineBytes: 100, idleMs: 50 });
    try {
      const batch = items(40);
      const found = await detector.detect(batch);
      expect(found).toEqual(detectMessages(batch));
      expect(found.filter((r) => r.spans.text.length > 0)).toHaveLength(14);
      expect(detector.threadRunning()).toBe(true);
      await new Promise((r) => setTimeout(r, 300));
      expect(detector.threadRunning()).toBe(false);
      // The next large batch starts another.
      expect(await detector.detect(batch)).toEqual(found);
      expect(detector.threadRunning()).toBe(true);
    } finally {
      await detector.close();
    }
    expect(detector.threadRunning()).toBe(false);
  });
});
