/**
 * `diff`, `restore`, `undo` and `restores`: the restore feature on the command line. Each command is a function of
 * its options and an IO object, returning the exit code (0 ok, 1 refused or failed), so tests drive them directly.
 *
 * JSON shapes (`--json`):
 *   diff:     {sessionId, seq, against, files: [{path, from?, label, reason, status, additions, deletions, patch}]}
 *   restore:  {id, mode, target, branch, written, created, deleted, refused: [{path, reason}], backupSnapshot}
 *             refused without --yes and no terminal: {plan, error}
 *   undo:     {id, undid, written, created, deleted, backupSnapshot}
 *   restores: [{id, mode, state, sessionId, seq, repoRoot, target, branch, backupSnapshot, undoOf, undoneBy,
 *              written, created, deleted, refused, createdAt, completedAt}]   (times ISO-8601)
 */
import fs from 'node:fs';
import readline from 'node:readline';
import type { CliOptions } from './args.js';
import { closeDatabase, openDatabase } from '../store/db.js';
import { StoreReader } from '../store/reader.js';
import { resolveSession, RuntimeError } from './common.js';
import type { RestoreRow, SessionRow } from '../store/rows.js';
import { IndexWriter } from '../store/writer.js';
import { RestoreError } from '../restore/apply.js';
import { unifiedPatch, type DiffFile, type DiffView } from '../restore/diff.js';
import { LockedError } from '../restore/journal.js';
import { displayPath, RestoreService, type DiffResult, type RestoreOutcome, type RestorePreview } from '../restore/service.js';

export interface CommandIO {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** stdin and stdout are terminals: the command may ask. */
  readonly interactive: boolean;
  /** Colour the output (a terminal, and NO_COLOR unset). */
  readonly color: boolean;
  /** Asks a question on the terminal and returns the answer (trimmed). */
  readonly ask: (question: string) => Promise<string>;
}

export interface CommandContext {
  readonly dbPath: string;
  readonly dataDir: string;
  readonly io: CommandIO;
  /** The commit an assistant recorded at a session's start, when the index has one (Codex session_meta). */
  readonly baseCommitOf?: (sessionId: string) => string | null;
}

/** The IO of the real process. */
export function terminalIO(env: NodeJS.ProcessEnv = process.env): CommandIO {
  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  return {
    out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
    err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
    interactive,
    color: Boolean(process.stdout.isTTY) && !env.NO_COLOR,
    ask: (question) =>
      new Promise((resolve) => {
        const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
        rl.question(question, (answer) => {
          rl.close();
          resolve(answer.trim());
        });
      }),
  };
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const ANSI = { red: '\u001b[31m', green: '\u001b[32m', yellow: '\u001b[33m', cyan: '\u001b[36m', dim: '\u001b[2m', bold: '\u001b[1m', reset: '\u001b[0m' };

function paint(io: CommandIO, color: keyof typeof ANSI, text: string): string {
  return io.color ? `${ANSI[color]}${text}${ANSI.reset}` : text;
}

/** Strips terminal control characters from text that comes from files or logs before printing it. */
function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f\u009b\u202a-\u202e\u2066-\u2069]/g, '?');
}

function withService<T>(ctx: CommandContext, fn: (service: RestoreService, reader: StoreReader) => Promise<T>): Promise<T> {
  if (!fs.existsSync(ctx.dbPath)) throw new RuntimeError(`no index at ${ctx.dbPath} yet: run "mantra-tui index" first`);
  const db = openDatabase(ctx.dbPath);
  const reader = new StoreReader(db);
  const service = new RestoreService({ reader, writer: new IndexWriter(db), dataDir: ctx.dataDir, baseCommitOf: ctx.baseCommitOf });
  return fn(service, reader).finally(() => closeDatabase(db));
}

function resolveSeq(session: SessionRow, raw: string): number {
  const seq = Number(raw);
  if (!Number.isInteger(seq) || seq < 1 || seq > session.messageCount) {
    throw new RuntimeError(`session ${session.id} has messages 1 to ${session.messageCount}; there is no #${raw}`);
  }
  return seq;
}

async function run(ctx: CommandContext, fn: () => Promise<number>): Promise<number> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof RuntimeError || err instanceof RestoreError || err instanceof LockedError) {
      ctx.io.err(`mantra-tui: ${err.message}`);
      return 1;
    }
    throw err;
  }
}

async function recover(ctx: CommandContext, service: RestoreService): Promise<void> {
  for (const r of await service.recover()) {
    ctx.io.err(`mantra-tui: an interrupted restore (${r.file}) was ${r.to === 'rolled-back' ? 'rolled back: your files are as they were before it' : 'abandoned before writing anything'}${r.note ? ` (${r.note})` : ''}`);
  }
}

export function diffFileJson(f: DiffFile) {
  return {
    path: f.path,
    ...(f.from ? { from: f.from } : {}),
    label: f.label,
    reason: f.reason ?? null,
    status: f.status,
    additions: f.additions,
    deletions: f.deletions,
    patch: unifiedPatch(f),
  };
}

export function diffJson(d: DiffResult) {
  return { sessionId: d.sessionId, seq: d.seq, against: d.against, files: d.view.files.map(diffFileJson) };
}

const LABEL_COLOR = { exact: 'green', reconstructed: 'yellow', unknown: 'red' } as const;

/** A diff view as text: a header line per file, then its patch. */
export function renderDiff(io: CommandIO, view: DiffView): string {
  const out: string[] = [];
  for (const f of view.files) {
    const counts = f.hunks.length ? `  ${paint(io, 'green', `+${f.additions}`)} ${paint(io, 'red', `-${f.deletions}`)}` : '';
    const name = f.from ? `${clean(f.from)} → ${clean(f.path)}` : clean(f.path);
    out.push(`${paint(io, 'bold', name)}  ${f.status}  ${paint(io, LABEL_COLOR[f.label], f.label)}${counts}`);
    if (f.reason && f.label !== 'reconstructed') out.push(paint(io, 'dim', `  ${clean(f.reason)}`));
    if (f.summary && f.status !== 'unknown') out.push(paint(io, 'dim', `  ${clean(f.summary)}`));
    for (const h of f.hunks) {
      out.push(paint(io, 'cyan', h.header));
      for (const l of h.lines) {
        const text = clean(l.text);
        out.push(l.kind === 'add' ? paint(io, 'green', `+${text}`) : l.kind === 'del' ? paint(io, 'red', `-${text}`) : ` ${text}`);
        if (l.noNewline) out.push(paint(io, 'dim', '\\ No newline at end of file'));
      }
    }
  }
  return out.join('\n');
}

export async function runDiff(ctx: CommandContext, opts: CliOptions): Promise<number> {
  return run(ctx, () =>
    withService(ctx, async (service, reader) => {
      const session = resolveSession(reader, opts.positionals[0]);
      const seq = resolveSeq(session, opts.positionals[1]);
      const d = await service.diff(session.id, seq, opts.against);
      if (opts.json) {
        ctx.io.out(JSON.stringify(diffJson(d)));
        return 0;
      }
      const what = opts.against === 'prev' ? `what #${seq} changed` : `#${seq} against the working tree now`;
      ctx.io.out(`${session.id}  ${what}: ${d.view.files.length === 0 ? 'no changes' : `${d.view.files.length} file${d.view.files.length === 1 ? '' : 's'}`}`);
      if (d.view.files.length) ctx.io.out(renderDiff(ctx.io, d.view));
      return 0;
    }),
  );
}

export function planJson(p: RestorePreview) {
  const rel = (x: { path: string }) => displayPath(p.repoRoot, x.path);
  return {
    sessionId: p.sessionId,
    seq: p.seq,
    repoRoot: p.repoRoot,
    base: p.base,
    write: p.plan.write.map(rel),
    create: p.plan.create.map(rel),
    delete: p.plan.delete.map(rel),
    refused: p.plan.refused.map((r) => ({ path: rel(r), reason: r.reason })),
    counts: p.plan.counts,
  };
}

export function restoreJson(o: RestoreOutcome) {
  return { id: o.id, mode: o.mode, target: o.target, branch: o.branch, written: o.written, created: o.created, deleted: o.deleted, refused: o.refused, backupSnapshot: o.backupSnapshot };
}

function renderPlan(io: CommandIO, p: RestorePreview): string {
  const c = p.plan.counts;
  const rel = (x: string) => clean(displayPath(p.repoRoot, x));
  const lines = [
    `Restore the files of session ${p.sessionId} to message #${p.seq}, in ${p.repoRoot}`,
    `  ${c.write} to write, ${c.create} to create, ${c.delete} to delete, ${c.unchanged} already as they were, ${c.refused} refused`,
  ];
  for (const f of p.plan.write) lines.push(`  write   ${rel(f.path)}`);
  for (const f of p.plan.create) lines.push(`  create  ${rel(f.path)}`);
  for (const f of p.plan.delete) lines.push(`  delete  ${rel(f.path)}`);
  for (const r of p.plan.refused) lines.push(paint(io, 'red', `  refuse  ${rel(r.path)}: ${clean(r.reason)}`));
  if (p.base) lines.push(`  a worktree would start from ${p.base.commit.slice(0, 12)} (${p.base.how})`);
  else lines.push('  no base commit was found: a worktree would start from HEAD');
  if (p.diff.files.length) lines.push('', renderDiff(io, p.diff));
  return lines.join('\n');
}

export async function runRestore(ctx: CommandContext, opts: CliOptions): Promise<number> {
  return run(ctx, () =>
    withService(ctx, async (service, reader) => {
      await recover(ctx, service);
      const session = resolveSession(reader, opts.positionals[0]);
      const seq = resolveSeq(session, opts.positionals[1]);
      const preview = await service.previewRestore(session.id, seq);
      const { io } = ctx;
      const show = (text: string) => (opts.json ? io.err(text) : io.out(text));
      let mode: 'worktree' | 'in-place' = opts.inPlace ? 'in-place' : 'worktree';
      if (!opts.yes) {
        if (!io.interactive) {
          const error = 'not restoring without confirmation: there is no terminal to ask on. Re-run with --yes (and --in-place or --worktree DIR to choose the mode).';
          if (opts.json) io.out(JSON.stringify({ plan: planJson(preview), error }));
          else io.out(renderPlan(io, preview));
          io.err(`mantra-tui: ${error}`);
          return 1;
        }
        show(renderPlan(io, preview));
        const def = mode === 'in-place' ? 'i' : 'w';
        const answer = (await io.ask(`Restore into a new [w]orktree on a new branch${def === 'w' ? ' (default)' : ''}, [i]n place${def === 'i' ? ' (default)' : ''}, or [c]ancel? `)).toLowerCase() || def;
        if (answer.startsWith('c') || answer.startsWith('n') || answer.startsWith('q')) {
          io.err('cancelled: nothing was changed');
          return 1;
        }
        if (answer.startsWith('i')) mode = 'in-place';
        else if (answer.startsWith('w')) mode = 'worktree';
        else {
          io.err(`"${answer}" is not one of w, i, c: nothing was changed`);
          return 1;
        }
      }
      const outcome = mode === 'in-place' ? await service.restoreInPlace(preview) : await service.restoreToWorktree(preview, opts.worktree);
      if (opts.json) {
        io.out(JSON.stringify(restoreJson(outcome)));
        return 0;
      }
      const did = `${outcome.written} written, ${outcome.created} created, ${outcome.deleted} deleted${outcome.refused.length ? `, ${outcome.refused.length} refused` : ''}`;
      if (outcome.mode === 'in-place') {
        io.out(`restored in place (${did}); everything it replaced is saved: "mantra-tui undo${outcome.id !== null ? ` ${outcome.id}` : ''}" puts it back`);
      } else {
        io.out(`restored into ${outcome.target} on branch ${outcome.branch} (${did}); your working tree was not touched`);
      }
      return 0;
    }),
  );
}

export async function runUndo(ctx: CommandContext, opts: CliOptions): Promise<number> {
  return run(ctx, () =>
    withService(ctx, async (service) => {
      await recover(ctx, service);
      const id = opts.positionals[0] === undefined ? undefined : Number(opts.positionals[0]);
      const preview = await service.previewUndo(id);
      const { io } = ctx;
      const row = preview.row;
      const summary = [
        `Undo ${row.mode === 'undo' ? 'undo' : 'restore'} ${row.id} (session ${row.sessionId ?? '-'} #${row.seq ?? '-'}, ${iso(row.createdAt)}) in ${row.repoRoot}:`,
        `  puts back ${preview.changes.length} paths exactly as they were before it, and the git index`,
      ];
      for (const p of preview.changedSince) summary.push(paint(io, 'yellow', `  changed since the restore (saved before undoing, so you can get it back): ${clean(displayPath(row.repoRoot, p))}`));
      if (!opts.yes) {
        if (!io.interactive) {
          io.err(summary.join('\n'));
          io.err('mantra-tui: not undoing without confirmation: there is no terminal to ask on. Re-run with --yes.');
          return 1;
        }
        (opts.json ? io.err : io.out)(summary.join('\n'));
        const answer = (await io.ask('Undo it? [y/N] ')).toLowerCase();
        if (!answer.startsWith('y')) {
          io.err('cancelled: nothing was changed');
          return 1;
        }
      }
      const result = await service.undo(id);
      if (opts.json) {
        io.out(JSON.stringify({ id: result.id, undid: result.undone.id, written: result.written, created: result.created, deleted: result.deleted, backupSnapshot: result.backupSnapshot }));
      } else {
        io.out(`undid ${result.undone.id}: ${result.written} written, ${result.created} created, ${result.deleted} deleted; "mantra-tui undo${result.id !== null ? ` ${result.id}` : ''}" would redo it`);
      }
      return 0;
    }),
  );
}

export function restoreRowJson(r: RestoreRow) {
  return {
    id: r.id, mode: r.mode, state: r.state, sessionId: r.sessionId, seq: r.seq, repoRoot: r.repoRoot, target: r.target,
    branch: r.branch, backupSnapshot: r.backupCommit, undoOf: r.undoOf, undoneBy: r.undoneBy, written: r.written,
    created: r.created, deleted: r.deleted, refused: r.refused, createdAt: iso(r.createdAt), completedAt: iso(r.completedAt),
  };
}

export async function runRestores(ctx: CommandContext, opts: CliOptions): Promise<number> {
  return run(ctx, () =>
    withService(ctx, async (service) => {
      await recover(ctx, service);
      const rows = service.listRestores();
      if (opts.json) {
        ctx.io.out(JSON.stringify(rows.map(restoreRowJson)));
        return 0;
      }
      if (rows.length === 0) {
        ctx.io.out('no restores yet');
        return 0;
      }
      for (const r of rows) {
        const what = r.mode === 'undo' ? `undo of ${r.undoOf ?? '?'}` : `${r.mode} ${r.sessionId?.slice(0, 8) ?? '-'} #${r.seq ?? '-'}`;
        const counts = `${r.written}w ${r.created}c ${r.deleted}d${r.refused.length ? ` ${r.refused.length} refused` : ''}`;
        ctx.io.out(`${String(r.id).padStart(4)}  ${iso(r.createdAt)!.slice(0, 19).replace('T', ' ')}  ${r.state.padEnd(11)}  ${what}  ${counts}  ${r.target}${r.branch ? ` (${r.branch})` : ''}`);
      }
      return 0;
    }),
  );
}
