/**
 * The core of `mantra-tui redact [FILE|-] [--jsonl]` as stream functions.
 *
 * Plain mode: text in, the same text out with secrets masked (`‹kind›`). Input is processed in batches of lines
 * (about 64 KB), so memory stays bounded whatever the input size; a private-key block that spans lines is kept in
 * one batch (up to a cap), and the last lines of each batch are given to the next as context so that a value on
 * the line after its secret-named key is still found.
 *
 * JSONL mode: each input line `{"id","text"}` gives one output line `{"id","spans":[{"start","end","kind"}]}`
 * (JavaScript string indices into `text`) — the form the secrets corpus uses, so any corpus can be scored the same
 * way. A line that is not such an object gives `{"id":…,"spans":[],"error":"…"}` and the stream goes on. Blank
 * lines are skipped.
 */
import fs from 'node:fs';
import { once } from 'node:events';
import { StringDecoder } from 'node:string_decoder';
import { detectSecrets, type SecretSpan } from './detect.js';
import { maskSecrets } from './mask.js';

export interface RedactOptions {
  jsonl: boolean;
}

export interface RedactSummary {
  /** Input lines read (blank JSONL lines included). */
  lines: number;
  /** Secrets masked (plain) or reported (JSONL). */
  secrets: number;
  /** JSONL lines that could not be read as `{"id","text"}`. */
  errors: number;
}

/** Batch size for plain mode, in characters. */
const BATCH_CHARS = 64 * 1024;
/** A private-key block still open after this many characters is flushed anyway (it is not a key). */
const MAX_BLOCK_CHARS = 1024 * 1024;
/** Lines of the previous batch kept as context for the next. */
const CONTEXT_LINES = 2;

async function write(output: NodeJS.WritableStream, s: string): Promise<void> {
  if (s.length === 0) return;
  if (!output.write(s)) await once(output, 'drain');
}

/** Splits a stream into lines (without their `\n`), in bounded memory apart from the longest line. */
async function* lines(input: NodeJS.ReadableStream): AsyncGenerator<{ line: string; terminated: boolean }> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of input) {
    const text = rest + (typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer));
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      yield { line: text.slice(start, nl), terminated: true };
      start = nl + 1;
    }
    rest = text.slice(start);
  }
  rest += decoder.end();
  if (rest.length > 0) yield { line: rest, terminated: false };
}

/** Whether `line` opens a private-key block that it does not close. */
function opensKeyBlock(line: string): boolean {
  const begin = line.lastIndexOf('-----BEGIN ');
  if (begin === -1) return false;
  const rest = line.slice(begin);
  return /^-----BEGIN [A-Z0-9 ]*PRIVATE KEY/.test(rest) && !rest.includes('-----END');
}

async function redactPlain(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<RedactSummary> {
  const summary: RedactSummary = { lines: 0, secrets: 0, errors: 0 };
  let batch: string[] = [];
  let batchChars = 0;
  let lastTerminated = true;
  let context: string[] = [];
  let blockOpen = false;

  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const prefix = context.length > 0 ? `${context.join('\n')}\n` : '';
    const body = batch.join('\n');
    const spans = detectSecrets(prefix + body);
    const own: SecretSpan[] = [];
    for (const s of spans) {
      if (s.end <= prefix.length) continue; // found (and masked) with the previous batch
      own.push({ start: Math.max(0, s.start - prefix.length), end: s.end - prefix.length, kind: s.kind });
    }
    summary.secrets += own.length;
    await write(output, maskSecrets(body, own) + (lastTerminated ? '\n' : ''));
    context = batch.slice(-CONTEXT_LINES);
    batch = [];
    batchChars = 0;
  };

  for await (const { line, terminated } of lines(input)) {
    summary.lines++;
    batch.push(line);
    batchChars += line.length + 1;
    lastTerminated = terminated;
    if (blockOpen) {
      if (line.includes('-----END') || batchChars > MAX_BLOCK_CHARS) blockOpen = false;
    } else if (opensKeyBlock(line)) {
      blockOpen = true;
    }
    if (!blockOpen && batchChars >= BATCH_CHARS) await flush();
  }
  await flush();
  return summary;
}

/** One JSONL output line for one input line. */
export function redactJsonLine(line: string): { out: string; secrets: number; error: boolean } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return { out: JSON.stringify({ id: null, spans: [], error: 'invalid JSON' }), secrets: 0, error: true };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { out: JSON.stringify({ id: null, spans: [], error: 'not an object' }), secrets: 0, error: true };
  }
  const obj = parsed as Record<string, unknown>;
  const id = typeof obj.id === 'string' || typeof obj.id === 'number' ? obj.id : null;
  if (id === null) return { out: JSON.stringify({ id: null, spans: [], error: 'missing "id"' }), secrets: 0, error: true };
  if (typeof obj.text !== 'string') return { out: JSON.stringify({ id, spans: [], error: 'missing "text"' }), secrets: 0, error: true };
  const spans = detectSecrets(obj.text);
  return { out: JSON.stringify({ id, spans }), secrets: spans.length, error: false };
}

async function redactJsonl(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<RedactSummary> {
  const summary: RedactSummary = { lines: 0, secrets: 0, errors: 0 };
  let pending: string[] = [];
  let pendingChars = 0;
  for await (const { line } of lines(input)) {
    summary.lines++;
    const trimmed = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (trimmed.trim().length === 0) continue;
    const r = redactJsonLine(trimmed);
    summary.secrets += r.secrets;
    if (r.error) summary.errors++;
    pending.push(r.out);
    pendingChars += r.out.length;
    if (pendingChars >= BATCH_CHARS) {
      await write(output, `${pending.join('\n')}\n`);
      pending = [];
      pendingChars = 0;
    }
  }
  if (pending.length > 0) await write(output, `${pending.join('\n')}\n`);
  return summary;
}

/** Redacts `input` into `output` in the given mode; resolves when the input is consumed and written. */
export function redactStream(input: NodeJS.ReadableStream, output: NodeJS.WritableStream, opts: RedactOptions): Promise<RedactSummary> {
  return opts.jsonl ? redactJsonl(input, output) : redactPlain(input, output);
}

/**
 * `mantra-tui redact [FILE|-] [--jsonl]`: `file` is a path, or `-` / undefined for standard input. Throws when the
 * file cannot be opened (the message names it).
 */
export async function redactCommand(
  file: string | undefined,
  opts: RedactOptions,
  stdin: NodeJS.ReadableStream = process.stdin,
  stdout: NodeJS.WritableStream = process.stdout,
): Promise<RedactSummary> {
  if (file === undefined || file === '-') return redactStream(stdin, stdout, opts);
  const stream = fs.createReadStream(file);
  await once(stream, 'open');
  return redactStream(stream, stdout, opts);
}
