#!/usr/bin/env node
/** mantra-tui entry: argument parsing and dispatch. Each command lives in its own module under src/cli/. */
import { parseArgs, USAGE, UsageError } from './cli/args.js';
import { resolveRoots, RuntimeError, writeOut } from './cli/common.js';
import { runDoctor } from './cli/doctor-command.js';
import { indexNow, listSessions, showSession } from './cli/session-commands.js';
import { openTui } from './cli/tui-command.js';
import { runDiff, runRestore, runRestores, runUndo, terminalIO, type CommandContext } from './cli/restore-commands.js';
import { runFacts, runSearch } from './cli/search-commands.js';
import { indexWatch } from './cli/watch-command.js';
import { dataDir, resolveDbPath } from './paths.js';
import { redactCommand } from './redact/filter.js';
import { SchemaTooNewError } from './store/migrations.js';

declare const MANTRA_VERSION: string;

function restoreContext(dbPath: string): CommandContext {
  return { dbPath, dataDir: dataDir(), io: terminalIO() };
}

const VERSION = typeof MANTRA_VERSION === 'string' ? MANTRA_VERSION : '0.0.0-dev';

async function main(argv: string[]): Promise<number> {
  let opts;
  try {
    opts = parseArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`mantra-tui: ${err.message}\n(see mantra-tui --help)\n`);
      return 2;
    }
    throw err;
  }
  if (opts.help) return writeOut(USAGE), 0;
  if (opts.version) return writeOut(VERSION), 0;
  try {
    const dbPath = resolveDbPath(opts.db);
    switch (opts.command) {
      case 'index':
        if (opts.watch) return await indexWatch(dbPath, resolveRoots(opts), opts.json);
        indexNow(dbPath, resolveRoots(opts), opts.json);
        break;
      case 'sessions':
        listSessions(dbPath, opts);
        break;
      case 'show':
        showSession(dbPath, opts.positionals[0], opts.json);
        break;
      case 'search':
        runSearch({ dbPath, query: opts.positionals.join(' '), kind: opts.kind, project: opts.project, agent: opts.agent, limit: opts.limit, json: opts.json, write: writeOut });
        break;
      case 'facts':
        runFacts({ dbPath, session: opts.positionals[0], json: opts.json, write: writeOut });
        break;
      case 'tui':
        await openTui(opts);
        break;
      case 'diff':
        return await runDiff(restoreContext(dbPath), opts);
      case 'restore':
        return await runRestore(restoreContext(dbPath), opts);
      case 'undo':
        return await runUndo(restoreContext(dbPath), opts);
      case 'restores':
        return await runRestores(restoreContext(dbPath), opts);
      case 'doctor':
        runDoctor({ dbPath, flags: opts, json: opts.json, write: writeOut, progress: process.stderr });
        break;
      case 'redact':
        await redactCommand(opts.positionals[0], { jsonl: opts.jsonl === true }).catch((err: NodeJS.ErrnoException) => {
          throw new RuntimeError(err.code === 'ENOENT' ? `no such file: ${opts.positionals[0]}` : err.message);
        });
        break;
    }
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`mantra-tui: ${err.message}\n`);
      return 2;
    }
    const known = err instanceof RuntimeError || err instanceof SchemaTooNewError;
    process.stderr.write(`mantra-tui: ${known ? err.message : (err as Error).stack ?? String(err)}\n`);
    return 1;
  }
}

// A reader that closes the pipe early (`| head`) is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
});

main(process.argv.slice(2)).then((code) => {
  process.exitCode ??= code;
});
