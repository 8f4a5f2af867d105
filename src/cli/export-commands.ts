/**
 * `export SESSION` and `scan`: sharing a session safely. Each command is a function of its options and an IO object,
 * returning the exit code, so tests drive them directly as well as through the built CLI.
 *
 * export: streams the document (Markdown, HTML or JSON; see src/export/) to standard output or to `--out FILE`. Every
 *   text is scanned again with the detector at export time and its secrets masked; `--no-redact` needs a terminal
 *   and the session id typed again. `--out` creates the file with mode 0600 and never replaces an existing file.
 *   Exit 0 written, 1 refused or failed.
 * scan: brings the index's secret spans up to date, then prints counts by session and kind (never values).
 *   Exit 3 when any secret is found, 0 when none, 1 on errors.
 */
import fs from 'node:fs';
import { once } from 'node:events';
import readline from 'node:readline';
import {
  exportChunks,
  identityRedactor,
  maskingRedactor,
  prepareHeader,
  prepareMessage,
  windowedMessages,
  type ExportFormat,
  type ExportMessage,
  type Redactor,
} from '../export/index.js';
import { buildScanReport, catchUpSecretScan, scanReportJson, scanReportText } from '../export/scan.js';
import { DETECTOR_VERSION } from '../redact/detect.js';
import type { DiffFile } from '../restore/diff.js';
import { RestoreService } from '../restore/service.js';
import { closeDatabase, openDatabase } from '../store/db.js';
import { StoreReader } from '../store/reader.js';
import type { SessionRow } from '../store/rows.js';
import { SecretStore } from '../store/secrets.js';
import type { CliOptions } from './args.js';
import { resolveSession, RuntimeError } from './common.js';
import { grouped } from '../numbers.js';

export interface ExportIO {
  /** Where the document goes without --out. */
  readonly stdout: NodeJS.WritableStream;
  /** One line for the user (standard error). */
  readonly err: (line: string) => void;
  /** Standard input and standard error are terminals: the command may ask, and show progress. */
  readonly interactive: boolean;
  /** Asks on the terminal; null when input ended without an answer. */
  readonly ask: (question: string) => Promise<string | null>;
  /** Rewrites a progress line in place on the terminal ('' clears it). */
  readonly progress?: (line: string) => void;
}

export interface ExportContext {
  readonly dbPath: string;
  /** mantra-tui's data directory (its own snapshots feed the diffs). */
  readonly dataDir: string;
  readonly io: ExportIO;
}

/** The IO of the real process. Questions and progress go to standard error: standard output may be the export. */
export function exportTerminalIO(): ExportIO {
  const interactive = Boolean(process.stdin.isTTY && process.stderr.isTTY);
  return {
    stdout: process.stdout,
    err: (line) => process.stderr.write(line.endsWith('\n') ? line : `${line}\n`),
    interactive,
    ask: (question) =>
      new Promise((resolve) => {
        const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
        let answered = false;
        rl.question(question, (answer) => {
          answered = true;
          rl.close();
          resolve(answer);
        });
        rl.on('close', () => {
          if (answered) return;
          // Ctrl-C or Ctrl-D: end the question's line before the refusal is printed.
          process.stderr.write('\n');
          resolve(null);
        });
      }),
    progress: interactive ? (line) => process.stderr.write(`\r\u001b[K${line}`) : undefined,
  };
}

export const NO_REDACT_QUESTION = 'type the session id to export it with its secrets unmasked: ';

export type Confirmation = { readonly proceed: true } | { readonly proceed: false; readonly message: string };

/**
 * Whether `--no-redact` may go ahead. Pure: a function of whether there is a terminal to ask on and what was typed
 * there (null: nothing, input ended). Only the full session id, typed exactly (surrounding spaces aside), unlocks it;
 * a prefix, another id or a yes does not.
 */
export function confirmUnmasked(sessionId: string, interactive: boolean, answer: string | null): Confirmation {
  if (!interactive) {
    return { proceed: false, message: 'refusing --no-redact without a terminal: the session id must be typed to confirm it (nothing was written)' };
  }
  if (answer === null || answer.trim() === '') return { proceed: false, message: 'no session id typed: nothing was exported' };
  if (answer.trim() !== sessionId) return { proceed: false, message: `"${answer.trim()}" is not the session id ${sessionId}: nothing was exported` };
  return { proceed: true };
}

/** The window to export: --from/--to checked against the session (a --to past the end means the end). */
export function exportWindow(session: Pick<SessionRow, 'id' | 'messageCount'>, from?: number, to?: number): { from: number; to: number } {
  const n = session.messageCount;
  const first = from ?? 1;
  if (n === 0) return { from: 1, to: 0 };
  if (first > n) throw new RuntimeError(`session ${session.id} has messages 1 to ${n}; --from ${first} is past its end`);
  return { from: first, to: Math.min(to ?? n, n) };
}

/** Where the document is written: chunk by chunk, then closed, or abandoned on failure. */
interface Sink {
  write(chunk: string): Promise<void> | void;
  close(): void;
  abort(): void;
}

/** A stream (standard output) that is waited on when its buffer is full, so memory stays bounded. */
function streamSink(stream: NodeJS.WritableStream): Sink {
  return {
    async write(chunk) {
      if (!stream.write(chunk)) await once(stream, 'drain');
    },
    close() {},
    abort() {},
  };
}

const FLUSH_BYTES = 64 * 1024;

/**
 * A new private file: created with mode 0600 (it may hold a session's private content) and O_EXCL, so an existing
 * file — or a symbolic link planted at the path — is never written through or replaced. A failed export removes
 * what it wrote. Refusing beats replacing here: the name may be a typo for a file the user cares about, and an
 * export is cheap to write again under another name.
 */
export function privateFileSink(file: string): Sink {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o600);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new RuntimeError(`${file} already exists: not overwriting it (remove it or choose another --out)`);
    if (code === 'ENOENT') throw new RuntimeError(`cannot create ${file}: its directory does not exist`);
    throw new RuntimeError(`cannot create ${file}: ${(err as Error).message}`);
  }
  // The mode given to open() is already 0600 less the umask; make it exactly 0600 whatever the umask.
  fs.fchmodSync(fd, 0o600);
  let pending: string[] = [];
  let size = 0;
  const flush = () => {
    if (pending.length === 0) return;
    const buf = Buffer.from(pending.join(''), 'utf8');
    pending = [];
    size = 0;
    try {
      for (let off = 0; off < buf.length; ) off += fs.writeSync(fd, buf, off);
    } catch (err) {
      throw new RuntimeError(`could not write ${file}: ${(err as Error).message}`);
    }
  };
  return {
    write(chunk) {
      pending.push(chunk);
      size += chunk.length;
      if (size >= FLUSH_BYTES) flush();
    },
    close() {
      flush();
      try {
        fs.fsyncSync(fd);
      } catch (err) {
        throw new RuntimeError(`could not write ${file}: ${(err as Error).message}`);
      }
      fs.closeSync(fd);
    },
    abort() {
      try {
        fs.closeSync(fd);
      } catch {
        // already closed: the file is removed all the same
      }
      fs.rmSync(file, { force: true });
    },
  };
}

/**
 * What each message changed in the code, from the restore service (a diff against the message before). The session's
 * plan is built once; only messages whose files changed are diffed. When the plan cannot be built (no readable
 * evidence, git failing), the export goes on without diffs and says why.
 */
async function codeChanges(reader: StoreReader, sessionId: string, dataDir: string, warn: (line: string) => void): Promise<(seq: number) => Promise<readonly DiffFile[] | null>> {
  const service = new RestoreService({ reader, dataDir });
  let changedAt: (seq: number) => readonly string[];
  try {
    const { plan } = await service.load(sessionId);
    changedAt = (seq) => plan.changedAt(seq);
  } catch (err) {
    warn(`mantra-tui: the export has no diffs: the session's code states could not be worked out (${(err as Error).message})`);
    return async () => null;
  }
  return async (seq) => (changedAt(seq).length === 0 ? null : (await service.diff(sessionId, seq, 'prev')).view.files);
}

async function* exportMessages(
  reader: StoreReader,
  session: SessionRow,
  window: { from: number; to: number },
  diffs: (seq: number) => Promise<readonly DiffFile[] | null>,
  redactor: Redactor,
): AsyncGenerator<ExportMessage> {
  for (const row of windowedMessages(reader, session.id, window.from, window.to)) {
    yield prepareMessage(row, await diffs(row.seq), redactor);
  }
}

function maskedSummary(r: Redactor): string {
  if (!r.redacts) return 'secrets NOT masked';
  const kinds = [...r.masked.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const total = kinds.reduce((n, [, c]) => n + c, 0);
  if (total === 0) return 'no secrets found';
  return `${total} secret${total === 1 ? '' : 's'} masked (${kinds.map(([k, n]) => `${k} ${n}`).join(', ')})`;
}

async function withIndex<T>(dbPath: string, readonly: boolean, fn: (db: ReturnType<typeof openDatabase>) => Promise<T> | T): Promise<T> {
  if (!fs.existsSync(dbPath)) throw new RuntimeError(`no index at ${dbPath} yet: run "mantra-tui index" first`);
  const db = openDatabase(dbPath, { readonly });
  try {
    return await fn(db);
  } finally {
    closeDatabase(db);
  }
}

async function run(ctx: { io: ExportIO }, fn: () => Promise<number>): Promise<number> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof RuntimeError) {
      ctx.io.err(`mantra-tui: ${err.message}`);
      return 1;
    }
    throw err;
  }
}

export function runExport(ctx: ExportContext, opts: CliOptions): Promise<number> {
  return run(ctx, () =>
    withIndex(ctx.dbPath, true, async (db) => {
      const reader = new StoreReader(db);
      const session = resolveSession(reader, opts.positionals[0]);
      const window = exportWindow(session, opts.from, opts.to);
      const format: ExportFormat = opts.format ?? 'md';
      if (opts.noRedact) {
        const answer = ctx.io.interactive ? await ctx.io.ask(NO_REDACT_QUESTION) : null;
        const decision = confirmUnmasked(session.id, ctx.io.interactive, answer);
        if (!decision.proceed) {
          ctx.io.err(`mantra-tui: ${decision.message}`);
          return 1;
        }
      }
      const redactor = opts.noRedact ? identityRedactor() : maskingRedactor();
      const diffs = await codeChanges(reader, session.id, ctx.dataDir, ctx.io.err);
      const sink = opts.out !== undefined ? privateFileSink(opts.out) : streamSink(ctx.io.stdout);
      try {
        const header = prepareHeader(session, window, redactor);
        for await (const chunk of exportChunks(format, header, exportMessages(reader, session, window, diffs, redactor))) await sink.write(chunk);
        sink.close();
      } catch (err) {
        sink.abort();
        throw err;
      }
      if (opts.out !== undefined) {
        const range = window.to >= window.from ? `messages #${window.from} to #${window.to}` : 'no messages';
        ctx.io.err(`wrote ${opts.out} (${format}, mode 0600): ${range} of session ${session.id}; ${maskedSummary(redactor)}`);
      }
      return 0;
    }),
  );
}

/** Progress lines at most this often. */
const PROGRESS_INTERVAL_MS = 100;

export function runScan(ctx: { dbPath: string; io: ExportIO }, opts: CliOptions): Promise<number> {
  return run(ctx, () =>
    withIndex(ctx.dbPath, false, (db) => {
      const store = new SecretStore(db);
      let shown = 0;
      const progress = ctx.io.progress;
      const scannedNow = catchUpSecretScan(store, DETECTOR_VERSION, (done, todo) => {
        if (!progress || Date.now() - shown < PROGRESS_INTERVAL_MS) return;
        shown = Date.now();
        progress(`scanning for secrets: ${grouped(done)} of ${grouped(todo)} messages`);
      });
      if (progress && shown) progress('');
      const reader = new StoreReader(db);
      const report = buildScanReport(store.countsBySession(), (id) => reader.getSession(id), {
        scannedMessages: store.progress(DETECTOR_VERSION).scanned,
        scannedNow,
        detectorVersion: DETECTOR_VERSION,
      });
      const text = opts.json ? JSON.stringify(scanReportJson(report)) : scanReportText(report);
      ctx.io.stdout.write(`${text}\n`);
      return report.total > 0 ? 3 : 0;
    }),
  );
}
