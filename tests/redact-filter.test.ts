/**
 * The `redact` filter as streams: plain text in → the same text out with secrets masked (line endings and all), keys
 * that span lines, JSONL in → spans out with bad lines reported and skipped, large input in bounded memory.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectSecrets } from '../src/redact/detect.js';
import { redactCommand, redactStream, type RedactOptions } from '../src/redact/filter.js';

const AWS = 'AKIA2UGO56FV64NQCRLO';
const GH = 'ghp_PFpyrHF5yrie560DoqglktxtD1R3iw5dndvW';
const PEM_BODY = [
  'MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgLbCHUOtKnDMTO8V5',
  'YSzKY1re8jvxQR1xDn9yXkHkkGuhRANCAAR6k2VNBjFpDRHfpPUFbf6p/dRW3jiG',
  '15xto2VvjW/8KMYP63VTcya4bFsx5wTKs0CfutkuJQ9n+B4WfGyziqqa',
];
const PEM = ['-----BEGIN PRIVATE KEY-----', ...PEM_BODY, '-----END PRIVATE KEY-----'].join('\n');

/** A writable that collects what it is given. */
function sink(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

/** Feeds `input` in small chunks (so lines and characters straddle chunk boundaries) and returns the output. */
async function run(input: string | Buffer, opts: RedactOptions, chunkSize = 7) {
  const buf = typeof input === 'string' ? Buffer.from(input) : input;
  const chunks: Buffer[] = [];
  for (let i = 0; i < buf.length; i += chunkSize) chunks.push(buf.subarray(i, i + chunkSize));
  const out = sink();
  const summary = await redactStream(Readable.from(chunks), out.stream, opts);
  return { out: out.text(), summary };
}

describe('plain mode', () => {
  it('masks secrets and leaves everything else byte for byte, line endings and missing final newline included', async () => {
    const input = `deploy log ✅ 日本語\r\nexport AWS_ACCESS_KEY_ID=${AWS}\r\n\r\ntoken: ${GH}\nno newline at the end`;
    const { out, summary } = await run(input, { jsonl: false });
    expect(out).toBe('deploy log ✅ 日本語\r\nexport AWS_ACCESS_KEY_ID=‹aws-access-key›\r\n\r\ntoken: ‹github-pat›\nno newline at the end');
    expect(summary).toEqual({ lines: 5, secrets: 2, errors: 0 });
  });

  it('passes text without secrets through unchanged, including an empty input', async () => {
    const text = 'commit 96b3a89e99ddba835bf769dc378895d9e04fe1c7\nrequest_id=45acfc2d-4502-4fdb-a8fc-3e3bd335841b\n';
    expect((await run(text, { jsonl: false })).out).toBe(text);
    expect((await run('', { jsonl: false })).out).toBe('');
  });

  it('masks a private key whose lines straddle a batch boundary', async () => {
    // batches close once they reach 64 KiB: 65400 characters of filler make the second body line close the first,
    // three lines after BEGIN, so only keeping the block together masks the last body line
    const lines: string[] = [];
    let size = 0;
    while (size < 65000) {
      const l = `line ${lines.length} of ordinary build output, nothing to see here`;
      lines.push(l);
      size += l.length + 1;
    }
    lines.push('y'.repeat(65400 - size - 1));
    const filler = lines.join('\n');
    const { out, summary } = await run(`${filler}\n${PEM}\nafter\n`, { jsonl: false }, 4096);
    expect(out).toBe(`${filler}\n-----BEGIN PRIVATE KEY-----\n‹private-key›\n-----END PRIVATE KEY-----\nafter\n`);
    expect(summary.secrets).toBe(1);
    for (const line of PEM_BODY) expect(out).not.toContain(line);
  });

  it('finds a value on the line after its secret-named key across a batch boundary', async () => {
    // batches close once they reach 64 KiB: pad the first to 65530 characters so that the key line closes it
    const lines: string[] = [];
    let size = 0;
    while (size < 65000) {
      const l = `filler line ${lines.length} padding padding`;
      lines.push(l);
      size += l.length + 1;
    }
    lines.push('x'.repeat(65530 - size - 1));
    const secret = 'Zq8RmV3kXw7NbT2sLp9YhC4dJf6GtA1e';
    const text = [...lines, 'groq-api-key:', `  value: ${secret}`, 'after: 1'].join('\n');
    const { out } = await run(text, { jsonl: false }, 65536);
    expect(out).toContain('  value: ‹generic-secret›');
    expect(out).not.toContain(secret);
  });
});

describe('JSONL mode', () => {
  it('writes one {"id","spans"} line per case with JavaScript string offsets', async () => {
    const texts = [`🔑 key ${AWS} and 中文 ${GH}`, 'nothing here', `{"type":"tool_result","content":"export TOKEN=\\"${GH}\\""}`];
    const input = texts.map((text, i) => JSON.stringify({ id: `c${i}`, text })).join('\n');
    const { out, summary } = await run(input, { jsonl: true });
    const rows = out.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.map((r) => r.id)).toEqual(['c0', 'c1', 'c2']);
    rows.forEach((row, i) => expect(row.spans).toEqual(detectSecrets(texts[i])));
    expect(texts[0].slice(rows[0].spans[0].start, rows[0].spans[0].end)).toBe(AWS);
    expect(texts[2].slice(rows[2].spans[0].start, rows[2].spans[0].end)).toBe(GH);
    expect(summary).toEqual({ lines: 3, secrets: 3, errors: 0 });
  });

  it('reports a bad line with an error field and carries on; blank lines are skipped; numeric ids are kept', async () => {
    const input = [
      '{"id":"a","text":"ok"}',
      'not json at all',
      '',
      '[1,2,3]',
      '{"text":"no id"}',
      '{"id":"b"}',
      `{"id":7,"text":"${AWS}"}\r`,
    ].join('\n');
    const { out, summary } = await run(input, { jsonl: true });
    expect(out.trim().split('\n').map((l) => JSON.parse(l))).toEqual([
      { id: 'a', spans: [] },
      { id: null, spans: [], error: 'invalid JSON' },
      { id: null, spans: [], error: 'not an object' },
      { id: null, spans: [], error: 'missing "id"' },
      { id: 'b', spans: [], error: 'missing "text"' },
      { id: 7, spans: [{ start: 0, end: 20, kind: 'aws-access-key' }] },
    ]);
    expect(summary).toEqual({ lines: 7, secrets: 1, errors: 4 });
  });
});

describe('large input', () => {
  it('streams tens of megabytes in bounded memory and masks every secret in it', async () => {
    const LINES = 400_000; // about 48 MB
    const line = (i: number) =>
      i % 1000 === 0
        ? `{"type":"tool_result","content":"export GITHUB_TOKEN=${GH}\\nok"}`
        : `{"type":"assistant","text":"step ${i}: compiled 42 modules in 1.3s, cache hit ratio 0.97, request_id=45acfc2d-4502-4fdb-a8fc-3e3bd335841b"}`;
    async function* generate() {
      let batch: string[] = [];
      for (let i = 0; i < LINES; i++) {
        batch.push(line(i));
        if (batch.length === 500) {
          yield `${batch.join('\n')}\n`;
          batch = [];
        }
      }
      if (batch.length > 0) yield `${batch.join('\n')}\n`;
    }
    const base = process.memoryUsage().heapUsed;
    let peak = 0;
    let bytes = 0;
    let masked = 0;
    const out = new Writable({
      write(chunk, _enc, done) {
        const s = String(chunk);
        bytes += s.length;
        masked += s.split('‹github-pat›').length - 1;
        peak = Math.max(peak, process.memoryUsage().heapUsed - base);
        done();
      },
    });
    const summary = await redactStream(Readable.from(generate()), out, { jsonl: false });
    expect(summary.lines).toBe(LINES);
    expect(masked).toBe(LINES / 1000);
    expect(bytes).toBeGreaterThan(40e6);
    // the whole input would be ~48 MB of string; the filter holds a batch or two at a time
    expect(peak).toBeLessThan(32 * 1024 * 1024);
  });
});

describe('redactCommand', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mantra-redact-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads a file, or standard input for "-" and no argument', async () => {
    const file = path.join(dir, 'log.txt');
    fs.writeFileSync(file, `key=${AWS}\n`);
    const out = sink();
    await redactCommand(file, { jsonl: false }, new PassThrough(), out.stream);
    expect(out.text()).toBe('key=‹aws-access-key›\n');

    for (const arg of ['-', undefined]) {
      const stdin = Readable.from([`id ${GH}\n`]);
      const o = sink();
      await redactCommand(arg, { jsonl: false }, stdin, o.stream);
      expect(o.text()).toBe('id ‹github-pat›\n');
    }
  });

  it('rejects with the file name when the file cannot be opened', async () => {
    const missing = path.join(dir, 'missing.txt');
    await expect(redactCommand(missing, { jsonl: false }, new PassThrough(), sink().stream)).rejects.toThrow(missing);
  });
});
