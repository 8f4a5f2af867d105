/**
 * The command line of `npm run bench` (node dist/bench.js …): which sections run and at what size. Pure, so the
 * defaults and the error messages are tested without running anything.
 */

/** The sections of the benchmark, one per issue, in the order they run. */
export const SECTIONS = ['foundation', 'adapters', 'live', 'search', 'secrets', 'restore'] as const;
export type Section = (typeof SECTIONS)[number];

export interface BenchOptions {
  readonly sections: readonly Section[];
  /** Also run the search benchmark on 1M messages (~5 GB of JSONL, most of an hour here). */
  readonly search1m: boolean;
  /** Repetitions behind each median. */
  readonly runs: number;
  /** Foundation corpus: Claude sessions and the size of its one large transcript. */
  readonly sessions: number;
  readonly largeMb: number;
  /** Adapters: sessions per JSONL assistant (Claude, Codex, Gemini) and composers in the Cursor database. */
  readonly adapterSessions: number;
  readonly cursorComposers: number;
  /** Live: appends timed to the index and to the frame; session files and seconds of the idle measurement. */
  readonly liveAppends: number;
  readonly frameAppends: number;
  readonly idleFiles: number;
  readonly idleSeconds: number;
  /** Search: messages in the generated search corpus of the default run. */
  readonly searchMessages: number;
  /** Secrets: size of the mixed transcript corpus, in MB. */
  readonly secretsMb: number;
  /** The labelled secrets development set (shared/secrets/dev.jsonl), or null to skip recall/precision. */
  readonly devSet: string | null;
  /** Keep the generated corpora (their directory is printed). */
  readonly keep: boolean;
}

export const DEFAULTS: Omit<BenchOptions, 'devSet'> = {
  sections: SECTIONS,
  search1m: false,
  runs: 3,
  sessions: 400,
  largeMb: 300,
  adapterSessions: 300,
  cursorComposers: 2000,
  liveAppends: 60,
  frameAppends: 40,
  idleFiles: 15_000,
  idleSeconds: 60,
  searchMessages: 100_000,
  secretsMb: 32,
  keep: false,
};

export const USAGE = `node dist/bench.js [--only ${SECTIONS.join(',')}] [--search-1m] [--runs R] [--keep]
  foundation: [--sessions N] [--large-mb M]      adapters: [--adapter-sessions N] [--cursor-composers N]
  live: [--live-appends N] [--frame-appends N] [--idle-files N] [--idle-seconds S]
  search: [--search-messages N]                  secrets: [--secrets-mb M] [--dev-set FILE | --no-dev-set]`;

const NUMBER_FLAGS: Readonly<Record<string, keyof BenchOptions>> = {
  '--runs': 'runs',
  '--sessions': 'sessions',
  '--large-mb': 'largeMb',
  '--adapter-sessions': 'adapterSessions',
  '--cursor-composers': 'cursorComposers',
  '--live-appends': 'liveAppends',
  '--frame-appends': 'frameAppends',
  '--idle-files': 'idleFiles',
  '--idle-seconds': 'idleSeconds',
  '--search-messages': 'searchMessages',
  '--secrets-mb': 'secretsMb',
};

export class BenchUsageError extends Error {}

/**
 * Parses the bench's arguments. `defaultDevSet` is where the development set is looked for when no flag names it
 * (the caller passes it only when that file exists).
 */
export function parseBenchArgs(argv: readonly string[], defaultDevSet: string | null): BenchOptions {
  const opts: { -readonly [K in keyof BenchOptions]: BenchOptions[K] } = { ...DEFAULTS, devSet: defaultDevSet };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new BenchUsageError(`${arg} needs a value`);
      return v;
    };
    if (arg === '--only') opts.sections = parseSections(value());
    else if (arg === '--search-1m') opts.search1m = true;
    else if (arg === '--keep') opts.keep = true;
    else if (arg === '--dev-set') opts.devSet = value();
    else if (arg === '--no-dev-set') opts.devSet = null;
    else if (arg in NUMBER_FLAGS) {
      const raw = value();
      const n = Number(raw);
      if (!Number.isFinite(n) || n <= 0) throw new BenchUsageError(`${arg} needs a positive number, not "${raw}"`);
      (opts as Record<string, unknown>)[NUMBER_FLAGS[arg]] = n;
    } else throw new BenchUsageError(`unknown option ${arg}\n${USAGE}`);
  }
  // The 1M-message search is a search run: asking for it alone runs the search section.
  if (opts.search1m && !opts.sections.includes('search')) opts.sections = [...opts.sections, 'search' as const].sort(bySectionOrder);
  return opts;
}

function bySectionOrder(a: Section, b: Section): number {
  return SECTIONS.indexOf(a) - SECTIONS.indexOf(b);
}

export function parseSections(list: string): Section[] {
  const names = list.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) throw new BenchUsageError(`--only needs a list of sections: ${SECTIONS.join(',')}`);
  const unknown = names.filter((n) => !(SECTIONS as readonly string[]).includes(n));
  if (unknown.length) throw new BenchUsageError(`unknown section ${unknown.join(', ')}; sections: ${SECTIONS.join(',')}`);
  return [...new Set(names as Section[])].sort(bySectionOrder);
}
