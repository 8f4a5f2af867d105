/**
 * The detector's figures on the labelled development set, measured the way any redactor is measured: the shared
 * scorer runs our `--jsonl` filter (bundled from src/redact/jsonl-main.ts) as a separate process and compares its
 * spans with the labels. Recall ≥ 99 % of secrets fully covered, precision ≥ 97 % of reported spans.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoreCases } from '../src/bench/redact-bench.js';
import { detectSecrets } from '../src/redact/detect.js';

const SECRETS = path.resolve(__dirname, '../../shared/secrets');
const SCORER = path.join(SECRETS, 'score_redactor.mjs');
const DEV = path.join(SECRETS, 'dev.jsonl');

let dir: string;
let bundle: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mantra-redact-score-'));
  bundle = path.join(dir, 'redact.mjs');
  await build({
    entryPoints: [path.resolve(__dirname, '../src/redact/jsonl-main.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    logLevel: 'warning',
  });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Summary {
  cases: number;
  recall: number;
  precision: number;
  caught: number;
  secrets: number;
  fp_spans: number;
  missing_ids: number;
  bad_lines: number;
  bad_spans: number;
  exit: number | string;
}

async function score(): Promise<{ summary: Summary; report: string }> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [SCORER, '--per-kind', '--per-wrapper', '--show', '20', '--json', DEV, '--', process.execPath, bundle],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  const lines = stdout.trim().split('\n');
  return { summary: JSON.parse(lines[lines.length - 1]) as Summary, report: lines.slice(0, -1).join('\n') };
}

describe('scoring against the development set', () => {
  it('covers ≥ 99 % of the secrets and keeps precision ≥ 97 %', async () => {
    const { summary, report } = await score();
    // every case answered, in the expected form
    expect(summary.exit, report).toBe(0);
    expect(summary.missing_ids + summary.bad_lines + summary.bad_spans, report).toBe(0);
    expect(summary.cases).toBeGreaterThan(700);
    expect(summary.recall, `recall ${summary.recall} (${summary.caught}/${summary.secrets}); misses by kind:\n${report}`).toBeGreaterThanOrEqual(0.99);
    expect(summary.precision, `precision ${summary.precision} (${summary.fp_spans} false-positive spans):\n${report}`).toBeGreaterThanOrEqual(0.97);
  });

  it('gives the benchmark the same figures in process as the scorer does through the filter', async () => {
    const { summary } = await score();
    const cases = fs.readFileSync(DEV, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
    const inProcess = scoreCases(cases, detectSecrets);
    expect(inProcess.caught).toBe(summary.caught);
    expect(inProcess.total).toBe(summary.secrets);
    expect(inProcess.fp).toBe(summary.fp_spans);
  });
});
