#!/usr/bin/env node
/**
 * mantra-tui entry: argument parsing and dispatch. Each command lives in its own module under src/cli/, loaded
 * when it runs (the bundle is split per command): start-up only pays for the code the command uses.
 */
import { parseArgs, USAGE, UsageError } from './cli/args.js';
import { resolveRoots, RuntimeError, writeOut } from './cli/common.js';
import { dataDir, resolveDbPath } from './paths.js';
import { SchemaTooNewError } from './store/migrations.js';

declare const MANTRA_VERSION: string;

async function restoreCommands(dbPath: string) {
  const commands = await import('./cli/restore-commands.js');
  return { ...commands, ctx: { dbPath, dataDir: dataDir(), io: commands.terminalIO() } };
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
        if (opts.watch) return await (await import('./cli/watch-command.js')).indexWatch(dbPath, resolveRoots(opts), opts.json);
        (await import('./cli/session-commands.js')).indexNow(dbPath, resolveRoots(opts), opts.json);
        break;
      case 'sessions':
        (await import('./cli/session-commands.js')).listSessions(dbPath, opts);
        break;
      case 'show':
        (await import('./cli/session-commands.js')).showSession(dbPath, opts.positionals[0], opts.json);
        break;
      case 'search': {
        const { runSearch } = await import('./cli/search-commands.js');
        runSearch({ dbPath, query: opts.positionals.join(' '), kind: opts.kind, project: opts.project, agent: opts.agent, limit: opts.limit, json: opts.json, write: writeOut });
        break;
      }
      case 'facts':
        (await import('./cli/search-commands.js')).runFacts({ dbPath, session: opts.positionals[0], json: opts.json, write: writeOut });
        break;
      case 'tui':
        await (await import('./cli/tui-command.js')).openTui(opts);
        break;
      case 'diff': {
        const { runDiff, ctx } = await restoreCommands(dbPath);
        return await runDiff(ctx, opts);
      }
      case 'restore': {
        const { runRestore, ctx } = await restoreCommands(dbPath);
        return await runRestore(ctx, opts);
      }
      case 'undo': {
        const { runUndo, ctx } = await restoreCommands(dbPath);
        return await runUndo(ctx, opts);
      }
      case 'restores': {
        const { runRestores, ctx } = await restoreCommands(dbPath);
        return await runRestores(ctx, opts);
      }
      case 'export': {
        const { runExport, exportTerminalIO } = await import('./cli/export-commands.js');
        return await runExport({ dbPath, dataDir: dataDir(), io: exportTerminalIO() }, opts);
      }
      case 'scan': {
        const { runScan, exportTerminalIO } = await import('./cli/export-commands.js');
        return await runScan({ dbPath, io: exportTerminalIO() }, opts);
      }
      case 'doctor':
        (await import('./cli/doctor-command.js')).runDoctor({ dbPath, flags: opts, json: opts.json, write: writeOut, progress: process.stderr });
        break;
      case 'redact': {
        const { redactCommand } = await import('./redact/filter.js');
        await redactCommand(opts.positionals[0], { jsonl: opts.jsonl === true }).catch((err: NodeJS.ErrnoException) => {
          throw new RuntimeError(err.code === 'ENOENT' ? `no such file: ${opts.positionals[0]}` : err.message);
        });
        break;
      }
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
