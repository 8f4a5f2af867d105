/** Command-line parsing: pure, so every accepted and refused form is a table test. */
import { AGENTS, type Agent } from '../model.js';
import { SEARCH_KINDS, type SearchKind } from '../search/types.js';
import { EXPORT_FORMATS, formatForPath, type ExportFormat } from '../export/types.js';

export type Command = 'tui' | 'index' | 'sessions' | 'show' | 'search' | 'facts' | 'diff' | 'restore' | 'undo' | 'restores' | 'redact' | 'export' | 'scan' | 'doctor';

export interface CliOptions {
  command: Command;
  positionals: string[];
  db?: string;
  claudeDir?: string;
  codexDir?: string;
  geminiDir?: string;
  /** Cursor editor user dir. */
  cursorDir?: string;
  /** cursor-agent's dir (`~/.cursor`). */
  cursorCliDir?: string;
  /** An Antigravity profile, or a folder of `antigravity*` profiles. */
  antigravityDir?: string;
  demo: boolean;
  json: boolean;
  /** `index --watch`: keep following the sources. */
  watch: boolean;
  agent?: Agent;
  project?: string;
  /** `search --kind`: facts of one kind, or everything. */
  kind?: SearchKind;
  /** `search --limit`: most hits printed. */
  limit?: number;
  help: boolean;
  version: boolean;
  /** `diff --against`: the previous message (default) or the working tree now. */
  against: 'prev' | 'now';
  /** `restore --worktree DIR`. */
  worktree?: string;
  /** `restore --in-place`. */
  inPlace: boolean;
  /** `restore`/`undo --yes`: no confirmation prompt. */
  yes: boolean;
  /** `redact --jsonl`: `{"id","text"}` lines in, `{"id","spans"}` lines out. */
  jsonl?: boolean;
  /** `export --from`: the first message exported (seq). */
  from?: number;
  /** `export --to`: the last message exported (seq). */
  to?: number;
  /** `export --format`; when not given, from the --out file's extension, else md. Set for `export` only. */
  format?: ExportFormat;
  /** `export --out FILE`: written with mode 0600, never over an existing file. */
  out?: string;
  /** `export --no-redact`: secrets as recorded (asks for the session id on a terminal first). */
  noRedact: boolean;
}

export class UsageError extends Error {}

const COMMANDS: readonly Command[] = ['index', 'sessions', 'show', 'search', 'facts', 'diff', 'restore', 'undo', 'restores', 'redact', 'export', 'scan', 'doctor'];
const VALUE_FLAGS = new Set(['--db', '--claude-dir', '--codex-dir', '--gemini-dir', '--cursor-dir', '--cursor-cli-dir', '--antigravity-dir', '--agent', '--project', '--kind', '--limit', '--against', '--worktree', '--from', '--to', '--format', '--out']);
export const MAX_SEARCH_LIMIT = 1000;
const BOOLEAN_FLAGS = new Set(['--demo', '--json', '--watch', '--help', '-h', '--version', '-V', '--in-place', '--yes', '-y', '--jsonl', '--no-redact']);

/** Which flags each command accepts; global flags (--db, the --<agent>-dir roots, --help) are accepted everywhere. */
const ALLOWED: Record<Command, readonly string[]> = {
  tui: ['--demo'],
  index: ['--json', '--watch'],
  sessions: ['--json', '--agent', '--project'],
  show: ['--json'],
  diff: ['--json', '--against'],
  restore: ['--json', '--worktree', '--in-place', '--yes', '-y'],
  undo: ['--json', '--yes', '-y'],
  restores: ['--json'],
  redact: ['--jsonl'],
  search: ['--json', '--kind', '--project', '--agent', '--limit'],
  facts: ['--json'],
  export: ['--from', '--to', '--format', '--out', '--no-redact'],
  scan: ['--json'],
  doctor: ['--json'],
};
const GLOBAL = ['--db', '--claude-dir', '--codex-dir', '--gemini-dir', '--cursor-dir', '--cursor-cli-dir', '--antigravity-dir', '--help', '-h', '--version', '-V'];

export function parseArgs(argv: readonly string[]): CliOptions {
  const opts: CliOptions = {
    command: 'tui', positionals: [], demo: false, json: false, watch: false, help: false, version: false, against: 'prev', inPlace: false, yes: false, noRedact: false,
  };
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
      else if (arg === '--codex-dir') opts.codexDir = value;
      else if (arg === '--gemini-dir') opts.geminiDir = value;
      else if (arg === '--cursor-dir') opts.cursorDir = value;
      else if (arg === '--cursor-cli-dir') opts.cursorCliDir = value;
      else if (arg === '--antigravity-dir') opts.antigravityDir = value;
      else if (arg === '--project') opts.project = value;
      else if (arg === '--worktree') opts.worktree = value;
      else if (arg === '--out') opts.out = value;
      else if (arg === '--from' || arg === '--to') {
        if (!isCount(value)) throw new UsageError(`${arg} needs a message number (1, 2, …), not "${value}"`);
        if (arg === '--from') opts.from = Number(value);
        else opts.to = Number(value);
      } else if (arg === '--format') {
        if (!(EXPORT_FORMATS as readonly string[]).includes(value)) {
          throw new UsageError(`unknown format "${value}" (expected one of: ${EXPORT_FORMATS.join(', ')})`);
        }
        opts.format = value as ExportFormat;
      }
      else if (arg === '--against') {
        if (value !== 'prev' && value !== 'now') throw new UsageError(`--against takes "prev" or "now", not "${value}"`);
        opts.against = value;
      } else if (arg === '--kind') {
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
      else if (arg === '--watch') opts.watch = true;
      else if (arg === '--help' || arg === '-h') opts.help = true;
      else if (arg === '--in-place') opts.inPlace = true;
      else if (arg === '--jsonl') opts.jsonl = true;
      else if (arg === '--yes' || arg === '-y') opts.yes = true;
      else if (arg === '--no-redact') opts.noRedact = true;
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
  checkPositionals(opts);
  if (opts.worktree !== undefined && opts.inPlace) throw new UsageError('--worktree and --in-place are two different modes: give one');
  if (opts.from !== undefined && opts.to !== undefined && opts.from > opts.to) throw new UsageError(`--from ${opts.from} comes after --to ${opts.to}`);
  if (opts.command === 'export') opts.format ??= (opts.out !== undefined ? formatForPath(opts.out) : null) ?? 'md';
  return opts;
}

const isCount = (s: string | undefined) => s !== undefined && /^[1-9]\d{0,9}$/.test(s);

function checkPositionals(opts: CliOptions): void {
  const p = opts.positionals;
  switch (opts.command) {
    case 'show':
    case 'facts':
    case 'export':
      if (p.length !== 1) throw new UsageError(`${opts.command} needs exactly one SESSION (an id or a unique prefix)`);
      return;
    case 'search':
      if (p.join('').trim() === '' && (opts.kind ?? 'all') === 'all') {
        throw new UsageError('search needs a QUERY (or --kind decision|dead-end|status to list the newest facts of a kind)');
      }
      return;
    case 'diff':
    case 'restore':
      if (p.length !== 2) throw new UsageError(`${opts.command} needs SESSION and SEQ (the message number, as "show" numbers them)`);
      if (!isCount(p[1])) throw new UsageError(`SEQ must be a message number (1, 2, …), not "${p[1]}"`);
      return;
    case 'redact':
      if (p.length > 1) throw new UsageError(`redact reads one FILE (or - for standard input), not "${p[1]}"`);
      return;
    case 'undo':
      if (p.length > 1) throw new UsageError(`unexpected argument "${p[1]}"`);
      if (p.length === 1 && !isCount(p[0])) throw new UsageError(`undo takes a restore id (see "mantra-tui restores"), not "${p[0]}"`);
      return;
    default:
      if (p.length !== 0) throw new UsageError(`unexpected argument "${p[0]}"`);
  }
}

export const USAGE = `mantra-tui — every AI coding session as a timeline you can scrub

Usage:
  mantra-tui [--demo]                      open the timeline (indexes first when the index is stale)
  mantra-tui index [--json]                ingest all sources; prints what was added and what was skipped
  mantra-tui index --watch [--json]        keep the index up to date as the assistants write (Ctrl-C stops)
  mantra-tui sessions [--agent NAME] [--project PATH] [--json]
                                           list sessions, newest first
  mantra-tui show SESSION [--json]         print one session (SESSION: an id or a unique prefix)
  mantra-tui diff SESSION SEQ [--against prev|now] [--json]
                                           what message SEQ changed (prev), or how the code then differs
                                           from the working tree now (now); labelled exact/reconstructed/unknown
  mantra-tui restore SESSION SEQ [--worktree DIR | --in-place] [--yes] [--json]
                                           bring back the code as it was at message SEQ: into a new git
                                           worktree on a new branch (default), or in place after backing up
                                           everything it overwrites; shows the plan and asks first
  mantra-tui undo [ID] [--yes] [--json]    put back the exact tree from before a restore (default: the latest)
  mantra-tui restores [--json]             list restores and undos
  mantra-tui redact [FILE|-] [--jsonl]     print FILE (or standard input) with secrets masked as ‹kind›;
                                           --jsonl: {"id","text"} lines in, {"id","spans":[{"start","end","kind"}]} out
  mantra-tui search QUERY [--kind decision|dead-end|status|all] [--project PATH] [--agent NAME] [--limit N] [--json]
                                           search messages, facts and titles; typos are tolerated in facts
                                           and titles. QUERY: words (all must match), "a phrase", prefix*
  mantra-tui facts SESSION [--json]        the decisions, dead ends, status and key files of a session
  mantra-tui export SESSION [--from SEQ] [--to SEQ] [--format md|html|json] [--out FILE] [--no-redact]
                                           a session as a readable document: prompts and replies, tool calls
                                           and results folded, the code each message changed; every text is
                                           scanned again and its secrets masked as ‹kind›
  mantra-tui scan [--json]                 count the secrets in the index by session and kind (never the
                                           values); exit code 3 when any are found
  mantra-tui doctor [--json]               where each assistant's sessions are looked for and why there, what
                                           was found, read, skipped (and why) and what is unreadable; what
                                           the index holds. A dry run: the index is not changed

Options:
  --db PATH          index file (default $MANTRA_DB, else $XDG_DATA_HOME/mantra-tui/index.db)
  --claude-dir DIR   Claude Code config dir (default $CLAUDE_CONFIG_DIR, else ~/.claude)
  --codex-dir DIR    Codex CLI home (default $CODEX_HOME, else ~/.codex)
  --gemini-dir DIR   Gemini CLI dir (default $GEMINI_CLI_HOME/.gemini, else ~/.gemini)
  --cursor-dir DIR   Cursor's user dir (default ~/.config/Cursor/User; macOS ~/Library/Application
                     Support/Cursor/User; Windows %APPDATA%\\Cursor\\User)
  --cursor-cli-dir DIR
                     cursor-agent's dir with chats/ and projects/ (default ~/.cursor)
  --antigravity-dir DIR
                     an Antigravity profile, or a folder of antigravity* profiles
                     (default ~/.gemini, plus $AGY_APP_DATA_DIR when set)
  --demo             open the built-in demo data instead of your history
  --kind KIND        search only facts of one kind: decision, dead-end, status (default: all)
  --limit N          most search hits (default 50, at most 1000)
  --json             machine-readable output
  --against prev|now diff against the previous message (default) or the working tree now
  --worktree DIR     restore into a new worktree at DIR (default: under the data directory)
  --in-place         restore into the working tree itself (backed up first; undo with "mantra-tui undo")
  -y, --yes          do not ask for confirmation (required for restore and undo without a terminal)
  --from SEQ, --to SEQ
                     export only messages SEQ to SEQ (default: all)
  --format FMT       export as md (default), html (one self-contained file, no scripts) or json;
                     when not given, taken from the --out file's extension
  --out FILE         write the export to FILE (mode 0600; an existing FILE is never overwritten)
  --no-redact        export secrets unmasked: only on a terminal, after typing the session id again
  --                 ends options: mantra-tui search -- -x
  -h, --help         this help
  -V, --version      print the version

Exit codes: 0 ok, 1 runtime error, 2 bad usage, 3 scan found secrets.`;
