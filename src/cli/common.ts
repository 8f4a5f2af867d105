/** What every subcommand shares: errors with exit codes, output, the sources' roots, and the read side of the index. */
import fs from 'node:fs';
import type { SourceRoots } from '../ingest/sources.js';
import { resolveAntigravityDirs, resolveClaudeDir, resolveCodexDir, resolveCursorCliDir, resolveCursorDir, resolveGeminiDir } from '../paths.js';
import { closeDatabase, openDatabase } from '../store/db.js';
import { StoreReader } from '../store/reader.js';
import type { SessionRow } from '../store/rows.js';
import type { CliOptions } from './args.js';

/** A failure the user can act on: printed as one line, exit code 1. */
export class RuntimeError extends Error {}

export function writeOut(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** Where each assistant's files are, from flags, then environment variables, then defaults. */
export function resolveRoots(opts: CliOptions, env: NodeJS.ProcessEnv = process.env): SourceRoots {
  return {
    claudeDir: resolveClaudeDir(opts.claudeDir, env),
    codexDir: resolveCodexDir(opts.codexDir, env),
    geminiDir: resolveGeminiDir(opts.geminiDir, env),
    cursorDir: resolveCursorDir(opts.cursorDir, env),
    cursorCliDir: resolveCursorCliDir(opts.cursorCliDir, env),
    antigravityDirs: resolveAntigravityDirs(opts.antigravityDir, env),
  };
}

export function withReader<T>(dbPath: string, fn: (reader: StoreReader) => T): T {
  if (!fs.existsSync(dbPath)) throw new RuntimeError(`no index at ${dbPath} yet: run "mantra-tui index" first`);
  const db = openDatabase(dbPath, { readonly: true });
  try {
    return fn(new StoreReader(db));
  } finally {
    closeDatabase(db);
  }
}

/** SESSION as users type it: a full id or a unique prefix. */
export function resolveSession(reader: StoreReader, ref: string): SessionRow {
  const exact = reader.getSession(ref);
  if (exact) return exact;
  const matches = reader.findSessionsByPrefix(ref, 6);
  if (matches.length === 1) return matches[0];
  if (matches.length === 0) throw new RuntimeError(`no session matches "${ref}" (see "mantra-tui sessions")`);
  throw new RuntimeError(`"${ref}" is ambiguous: ${matches.map((s) => s.id).slice(0, 5).join(', ')}${matches.length > 5 ? ', …' : ''}`);
}
