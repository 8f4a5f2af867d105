/** Command-line parsing: pure, so every accepted and refused form is a table test. */
import { AGENTS, type Agent } from '../model.js';
import { SEARCH_KINDS, type SearchKind } from '../search/types.js';

export type Command = 'tui' | 'index' | 'sessions' | 'show' | 'search' | 'facts';

export interface CliOptions {
  command: Command;
  positionals: string[];
  db?: string;
  claudeDir?: string;
  demo: boolean;
  json: boolean;
  agent?: Agent;
  project?: string;
  /** `search --kind`: facts of one kind, or everything. */
  kind?: SearchKind;
  /** `search --limit`: most hits printed. */
  limit?: number;
  help: boolean;
  version: boolean;
}

export class UsageError extends Error {}

const COMMANDS: readonly Command[] = ['index', 'sessions', 'show', 'search', 'facts'];
const VALUE_FLAGS = new Set(['--db', '--claude-dir', '--agent', '--project', '--kind', '--limit']);
export const MAX_SEARCH_LIMIT = 1000;
const BOOLEAN_FLAGS = new Set(['--demo', '--json', '--help', '-h', '--version', '-V']);

/** Which flags each command accepts; global flags (--db, --claude-dir, --help) are accepted everywhere. */
const ALLOWED: Record<Command, readonly string[]> = {
  tui: ['--demo'],
  index: ['--json'],
  sessions: ['--json', '--agent', '--project'],
  show: ['--json'],
  search: ['--json', '--kind', '--project', '--agent', '--limit'],
  facts: ['--json'],
};
const GLOBAL = ['--db', '--claude-dir', '--help', '-h', '--version', '-V'];

export function parseArgs(argv: readonly string[]): CliOptions {
  const opts: CliOptions = { command: 'tui', positionals: [], demo: false, json: false, help: false, version: false };
  const seen: string[] = [];
  let commandSet = false;
  let optionsEnded = false;
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    // After "--" everything is an argument: `search -- -x` looks for "-x".
    if (!optionsEnded && arg === '--') {
      optionsEnded = true;
      continue;
    }
    if (optionsEnded) {
      if (commandSet) opts.positionals.push(arg);
      else if ((COMMANDS as readonly string[]).includes(arg)) {
        opts.command = arg as Command;
        commandSet = true;
      } else throw new UsageError(`unknown command "${arg}"`);
      continue;
    }
    let inlineValue: string | undefined;
    if (arg.startsWith('--') && arg.includes('=')) {
      inlineValue = arg.slice(arg.indexOf('=') + 1);
      arg = arg.slice(0, arg.indexOf('='));
    }
    if (VALUE_FLAGS.has(arg)) {
      const value = inlineValue ?? argv[++i];
      if (value === undefined || value === '') throw new UsageError(`${arg} needs a value`);
      seen.push(arg);
      if (arg === '--db') opts.db = value;
      else if (arg === '--claude-dir') opts.claudeDir = value;
      else if (arg === '--project') opts.project = value;
      else if (arg === '--kind') {
        if (!(SEARCH_KINDS as readonly string[]).includes(value)) {
          throw new UsageError(`unknown kind "${value}" (expected one of: ${SEARCH_KINDS.join(', ')})`);
        }
        opts.kind = value as SearchKind;
      } else if (arg === '--limit') {
        const n = Number(value);
        if (!/^\d+$/.test(value) || n < 1 || n > MAX_SEARCH_LIMIT) {
          throw new UsageError(`--limit needs a whole number from 1 to ${MAX_SEARCH_LIMIT}`);
        }
        opts.limit = n;
      } else if (arg === '--agent') {
        if (!(AGENTS as readonly string[]).includes(value)) {
          throw new UsageError(`unknown agent "${value}" (expected one of: ${AGENTS.join(', ')})`);
        }
        opts.agent = value as Agent;
      }
      continue;
    }
    if (BOOLEAN_FLAGS.has(arg)) {
      if (inlineValue !== undefined) throw new UsageError(`${arg} takes no value`);
      seen.push(arg);
      if (arg === '--demo') opts.demo = true;
      else if (arg === '--json') opts.json = true;
      else if (arg === '--help' || arg === '-h') opts.help = true;
      else opts.version = true;
      continue;
    }
    if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`);
    if (!commandSet && opts.positionals.length === 0) {
      if (!(COMMANDS as readonly string[]).includes(arg)) throw new UsageError(`unknown command "${arg}"`);
      opts.command = arg as Command;
      commandSet = true;
      continue;
    }
    opts.positionals.push(arg);
  }
  if (opts.help || opts.version) return opts;
  for (const flag of seen) {
    if (!GLOBAL.includes(flag) && !ALLOWED[opts.command].includes(flag)) {
      throw new UsageError(`${flag} does not apply to ${opts.command === 'tui' ? 'the TUI' : `"${opts.command}"`}`);
    }
  }
  if (opts.command === 'show' || opts.command === 'facts') {
    if (opts.positionals.length !== 1) throw new UsageError(`${opts.command} needs exactly one SESSION (an id or a unique prefix)`);
  } else if (opts.command === 'search') {
    if (opts.positionals.join('').trim() === '' && (opts.kind ?? 'all') === 'all') {
      throw new UsageError('search needs a QUERY (or --kind decision|dead-end|status to list the newest facts of a kind)');
    }
  } else if (opts.positionals.length > 0) {
    throw new UsageError(`unexpected argument "${opts.positionals[0]}"`);
  }
  return opts;
}

export const USAGE = `mantra-tui — every AI coding session as a timeline you can scrub

Usage:
  mantra-tui [--demo]                      open the timeline (indexes first when the index is stale)
  mantra-tui index [--json]                ingest all sources; prints what was added and what was skipped
  mantra-tui sessions [--agent NAME] [--project PATH] [--json]
                                           list sessions, newest first
  mantra-tui show SESSION [--json]         print one session (SESSION: an id or a unique prefix)
  mantra-tui search QUERY [--kind decision|dead-end|status|all] [--project PATH] [--agent NAME] [--limit N] [--json]
                                           search messages, facts and titles; typos are tolerated in facts
                                           and titles. QUERY: words (all must match), "a phrase", prefix*
  mantra-tui facts SESSION [--json]        the decisions, dead ends, status and key files of a session

Options:
  --db PATH          index file (default $MANTRA_DB, else $XDG_DATA_HOME/mantra-tui/index.db)
  --claude-dir DIR   Claude Code config dir (default $CLAUDE_CONFIG_DIR, else ~/.claude)
  --demo             open the built-in demo data instead of your history
  --kind KIND        search only facts of one kind: decision, dead-end, status (default: all)
  --limit N          most search hits (default 50, at most 1000)
  --json             machine-readable output
  --                 ends options: mantra-tui search -- -x
  -h, --help         this help
  -V, --version      print the version

Exit codes: 0 ok, 1 runtime error, 2 bad usage.`;
