/**
 * Search benchmark, called from bench.ts. Everything is measured in one run on one machine, beside its baseline:
 *   1. cold ingest of a corpus.ts Claude corpus with the full-text index and without it (the FTS triggers dropped in
 *      the scratch index), against a JSON.parse scan of the same files;
 *   2. a generated corpus of N messages of Zipf-distributed text (search-corpus.ts), ingested by the real adapter:
 *      index size on disk as a ratio of the JSONL, facts extracted;
 *   3. a fixed set of full-text queries (rare and common words, phrases, prefixes, paths, AND of several words),
 *      each against ripgrep over the raw JSONL as the baseline a user would otherwise reach for;
 *   4. fuzzy queries with typos over facts and titles; the n/N hit list of the largest session.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { generateCorpus } from './corpus.js';
import { generateSearchCorpus } from './search-corpus.js';
import { fmt, median, percentile } from './stats.js';
import { readLines } from '../ingest/lines.js';
import { runIndex } from '../ingest/indexer.js';
import { adaptersFor } from '../ingest/sources.js';
import { hitsInSession, search, searchMessages, type SearchKind } from '../search/index.js';
import { closeDatabase, openDatabase } from '../store/db.js';
import { IndexWriter } from '../store/writer.js';

export interface SearchBenchOptions {
  /** Scratch directory; the caller removes it. */
  readonly root: string;
  /** Messages in the generated search corpus (100k by default; 1M is the large run, ~5 GB of JSONL). */
  readonly messages?: number;
  /** Timed runs per query (after one warm-up run). */
  readonly runs?: number;
  /** Size of the corpus.ts corpus for the cold-ingest comparison. */
  readonly ingestSessions?: number;
  readonly ingestLargeMb?: number;
  readonly log?: (line: string) => void;
}

/** Figures by name (formatted, for the report) and the raw numbers behind the targets. */
export interface SearchBenchResult {
  readonly results: Record<string, string>;
  readonly fullTextMedianMs: number;
  readonly fullTextP95Ms: number;
  readonly fuzzyP95Ms: number;
  /** ripgrep median / full-text median; null when rg is not installed. */
  readonly ripgrepRatio: number | null;
  readonly coldWithFtsMBs: number;
  readonly coldWithoutFtsMBs: number;
  readonly indexRatio: number;
}

interface BenchQuery {
  readonly label: string;
  readonly query: string;
  /** The ripgrep pipeline a user would type for the same question (case-insensitive, fixed strings). */
  readonly rg: readonly (readonly string[])[];
}

/** The fixed query set: realistic questions, from very common words to words in a handful of messages. */
export function benchQueries(rare: readonly string[]): BenchQuery[] {
  const one = (label: string, query: string, literal: string): BenchQuery => ({ label, query, rg: [['-i', '-F', literal]] });
  const and = (label: string, query: string, ...literals: string[]): BenchQuery => ({ label, query, rg: literals.map((l) => ['-i', '-F', l]) });
  return [
    one('very common word', 'error', 'error'),
    one('common word', 'function', 'function'),
    one('mid-frequency word', 'timeout', 'timeout'),
    one('mid-frequency word', 'migration', 'migration'),
    one('less common word', 'invoice', 'invoice'),
    one('rare word', rare[0], rare[0]),
    one('rare word', rare[1], rare[1]),
    one('very rare word', rare[2], rare[2]),
    one('very rare word', rare[3], rare[3]),
    and('two planted words', 'axios interceptor', 'axios', 'interceptor'),
    one('planted phrase', '"axios interceptor"', 'axios interceptor'),
    one('phrase', '"token refresh"', 'token refresh'),
    one('phrase of common words', '"failed to connect"', 'failed to connect'),
    one('prefix', 'intercep*', 'intercep'),
    one('prefix', 'migr*', 'migr'),
    one('short prefix', 'ret*', 'ret'),
    one('file path', 'src/cart', 'src/cart'),
    and('three words', 'npm test cart', 'npm', 'test', 'cart'),
    and('two words', 'cache invalidation', 'cache', 'invalidation'),
    and('two words', 'httpOnly cookies', 'httponly', 'cookies'),
    one('error code', 'ECONNRESET', 'econnreset'),
    and('prefix and word', 'retry* timeout', 'retry', 'timeout'),
    one('phrase', '"git checkout"', 'git checkout'),
    and('three common words', 'schema index migration', 'schema', 'index', 'migration'),
    one('no match', 'zyzzyvaqq', 'zyzzyvaqq'),
  ];
}

/** Typo'd queries over facts and titles, with the kind filter a user would pick. */
export const FUZZY_QUERIES: readonly { readonly query: string; readonly kind: SearchKind }[] = [
  { query: 'axois interceptor', kind: 'all' },
  { query: 'axois interceptor', kind: 'dead-end' },
  { query: 'httpOnyl cookies', kind: 'decision' },
  { query: 'redsi cache', kind: 'all' },
  { query: 'postgers', kind: 'decision' },
  { query: 'zustnad', kind: 'all' },
  { query: 'websocekt reconnect', kind: 'dead-end' },
  { query: 'esbiuld', kind: 'decision' },
  { query: 'pnmp workspaces', kind: 'all' },
  { query: 'tokne refresh', kind: 'status' },
  { query: 'bullqm', kind: 'all' },
  { query: 'playwrihgt', kind: 'decision' },
];

function time(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

/** Wall time and this process's CPU time of one call: CPU time shows the cost apart from other load on the machine. */
function timeBoth(fn: () => unknown): { wall: number; cpu: number } {
  const c0 = process.cpuUsage();
  const wall = time(fn);
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

function jsonParseScan(files: readonly string[]): void {
  for (const file of files) {
    const fd = fs.openSync(file, 'r');
    try {
      readLines(fd, 0, (line) => void JSON.parse(line));
    } finally {
      fs.closeSync(fd);
    }
  }
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out;
}

/** Size of an index on disk, after folding its WAL in. */
function indexBytes(dbPath: string): number {
  let n = 0;
  for (const f of [dbPath, `${dbPath}-wal`]) if (fs.existsSync(f)) n += fs.statSync(f).size;
  return n;
}

/** A cold ingest into a fresh index; `prepare` may alter the scratch index first (dropping the FTS triggers). */
function coldIngest(dbPath: string, claudeDir: string, prepare?: (db: Database.Database) => void): { ms: number; bytes: number; messages: number } {
  for (const f of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) fs.rmSync(f, { force: true });
  const db = openDatabase(dbPath);
  try {
    prepare?.(db);
    const t0 = performance.now();
    const stats = runIndex(new IndexWriter(db), adaptersFor({ claudeDir }));
    const ms = performance.now() - t0;
    db.pragma('wal_checkpoint(TRUNCATE)');
    return { ms, bytes: indexBytes(dbPath), messages: stats.messagesAdded };
  } finally {
    closeDatabase(db);
  }
}

/** Without full text: the message triggers are dropped, so messages and facts are written but nothing is tokenized. */
function dropFullText(db: Database.Database): void {
  db.exec('DROP TRIGGER message_fts_queue; DROP TRIGGER message_fts_update; DROP TRIGGER message_fts_delete;');
}

function hasRipgrep(): boolean {
  return spawnSync('rg', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Runs a ripgrep pipeline over `dir` (first stage reads the files, later stages filter its lines), counting lines. */
function ripgrep(pipeline: readonly (readonly string[])[], dir: string): number {
  const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;
  const stages = pipeline.map((args, i) => `rg --no-messages ${args.map(quote).join(' ')}${i === 0 ? ` ${quote(dir)}` : ''}`);
  const cmd = `${stages.join(' | ')} | wc -l`;
  const t0 = performance.now();
  spawnSync('sh', ['-c', cmd], { stdio: ['ignore', 'ignore', 'ignore'] });
  return performance.now() - t0;
}

export function runSearchBench(options: SearchBenchOptions): SearchBenchResult {
  const log = options.log ?? ((s: string) => process.stderr.write(`${s}\n`));
  const runs = options.runs ?? 5;
  const messagesWanted = options.messages ?? 100_000;
  const results: Record<string, string> = {};
  const report = (name: string, value: string) => {
    results[name] = value;
    log(`  ${name}: ${value}`);
  };

  // 1. Cold ingest with and without the full-text index.
  log(`search bench: cold ingest with and without full text (corpus.ts, ${options.ingestSessions ?? 60} sessions + ${options.ingestLargeMb ?? 50} MB)`);
  const ingestCorpus = generateCorpus(path.join(options.root, 'ingest'), { sessions: options.ingestSessions ?? 60, largeBytes: (options.ingestLargeMb ?? 50) * 1e6 });
  const ingestMb = ingestCorpus.bytes / 1e6;
  const scan: number[] = [];
  const withFts: number[] = [];
  const withoutFts: number[] = [];
  let sizeWith = 0;
  let sizeWithout = 0;
  const ingestDb = path.join(options.root, 'ingest.db');
  for (let i = 0; i < Math.max(1, Math.min(runs, 3)); i++) {
    scan.push(time(() => jsonParseScan(ingestCorpus.files)));
    const a = coldIngest(ingestDb, ingestCorpus.claudeDir);
    withFts.push(a.ms);
    sizeWith = a.bytes;
    const b = coldIngest(ingestDb, ingestCorpus.claudeDir, dropFullText);
    withoutFts.push(b.ms);
    sizeWithout = b.bytes;
  }
  const scanMBs = ingestMb / (median(scan) / 1000);
  const coldWithFtsMBs = ingestMb / (median(withFts) / 1000);
  const coldWithoutFtsMBs = ingestMb / (median(withoutFts) / 1000);
  report('JSON.parse scan (baseline)', `${fmt(scanMBs)} MB/s over ${fmt(ingestMb)} MB`);
  report('cold index with full text', `${fmt(coldWithFtsMBs)} MB/s (${fmt(coldWithFtsMBs / scanMBs, 2)}× the scan), index ${fmt(sizeWith / ingestCorpus.bytes, 2)}× the JSONL`);
  report('cold index without full text', `${fmt(coldWithoutFtsMBs)} MB/s (${fmt(coldWithoutFtsMBs / scanMBs, 2)}× the scan), index ${fmt(sizeWithout / ingestCorpus.bytes, 2)}× the JSONL`);
  fs.rmSync(path.join(options.root, 'ingest'), { recursive: true, force: true });
  for (const f of [ingestDb, `${ingestDb}-wal`, `${ingestDb}-shm`]) fs.rmSync(f, { force: true });

  // 2. The search corpus.
  log(`search bench: generating ~${messagesWanted} messages of realistic text`);
  const g0 = performance.now();
  const corpus = generateSearchCorpus(path.join(options.root, 'search'), { messages: messagesWanted });
  log(`  ${corpus.messages} messages in ${corpus.sessions} sessions, ${fmt(corpus.bytes / 1e6)} MB of JSONL in ${fmt((performance.now() - g0) / 1000)} s`);
  const dbPath = path.join(options.root, 'search.db');
  const ingest = coldIngest(dbPath, corpus.claudeDir);
  const indexRatio = ingest.bytes / corpus.bytes;
  report('search corpus', `${ingest.messages} messages, ${corpus.sessions} sessions, ${fmt(corpus.bytes / 1e6)} MB JSONL`);
  report('search corpus cold index', `${fmt(corpus.bytes / 1e6 / (ingest.ms / 1000))} MB/s with full text and facts`);
  report('index size', `${fmt(ingest.bytes / 1e6)} MB on disk, ${fmt(indexRatio, 2)}× the JSONL`);

  const db = openDatabase(dbPath, { readonly: true });
  try {
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    report('facts extracted', `${count('SELECT count(*) AS n FROM fact')} (${count("SELECT count(*) AS n FROM fact WHERE kind = 'decision'")} decisions, ${count("SELECT count(*) AS n FROM fact WHERE kind = 'dead-end'")} dead ends, ${count("SELECT count(*) AS n FROM fact WHERE kind = 'status'")} statuses, ${count("SELECT count(*) AS n FROM fact WHERE kind = 'key-file'")} key files)`);
    const sizes = db
      .prepare(`SELECT name, sum(pgsize) AS bytes FROM dbstat WHERE name IN ('message', 'message_fts_data', 'message_fts_idx', 'message_fts_docsize', 'fuzzy_fts_data', 'fact') GROUP BY name`)
      .all() as { name: string; bytes: number }[];
    report('index parts', sizes.map((s) => `${s.name} ${fmt(s.bytes / 1e6)} MB`).join(', '));

    // 3. Full-text queries against ripgrep.
    log(`search bench: ${benchQueries(corpus.rareWords).length} full-text queries × ${runs} runs`);
    const queries = benchQueries(corpus.rareWords);
    log(`  load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores`);
    const fullText: number[] = [];
    const fullTextCpu: number[] = [];
    const combined: number[] = [];
    const perQuery: string[] = [];
    const rg = hasRipgrep();
    const rgTimes: number[] = [];
    if (!rg) log('  note: ripgrep (rg) is not installed: the baseline is skipped (apt-get install -y ripgrep)');
    else ripgrep(queries[0].rg, corpus.claudeDir); // warm the page cache once, as the index was warmed by its ingest
    for (const q of queries) {
      let hits = 0;
      searchMessages(db, { query: q.query });
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t = timeBoth(() => (hits = searchMessages(db, { query: q.query }).length));
        times.push(t.wall);
        fullTextCpu.push(t.cpu);
      }
      fullText.push(...times);
      for (let i = 0; i < runs; i++) combined.push(time(() => search(db, { query: q.query })));
      const rgMs = rg ? ripgrep(q.rg, corpus.claudeDir) : NaN;
      if (rg) rgTimes.push(rgMs);
      perQuery.push(`${q.label.padEnd(24)} ${q.query.padEnd(26)} ${fmt(median(times), 2).padStart(8)} ms  ${String(hits).padStart(3)} hits${rg ? `  rg ${fmt(rgMs, 0).padStart(6)} ms` : ''}`);
    }
    for (const line of perQuery) log(`    ${line}`);
    const fullTextMedianMs = median(fullText);
    const fullTextP95Ms = percentile(fullText, 95);
    report('full-text query', `${fmt(fullTextMedianMs, 2)} ms median, ${fmt(fullTextP95Ms, 2)} ms p95 (${queries.length} queries × ${runs} runs, 50 hits with snippets); CPU time ${fmt(median(fullTextCpu), 2)} ms median, ${fmt(percentile(fullTextCpu, 95), 2)} ms p95`);
    report('search() all kinds', `${fmt(median(combined), 2)} ms median, ${fmt(percentile(combined, 95), 2)} ms p95 (facts, titles and messages)`);
    let ripgrepRatio: number | null = null;
    if (rg) {
      ripgrepRatio = median(rgTimes) / fullTextMedianMs;
      report('ripgrep over the JSONL (baseline)', `${fmt(median(rgTimes), 0)} ms median, ${fmt(percentile(rgTimes, 95), 0)} ms p95; full text is ${fmt(ripgrepRatio, 0)}× faster (medians)`);
    }

    // 4. Fuzzy queries with typos, and n/N over the largest session.
    const fuzzy: number[] = [];
    const fuzzyCpu: number[] = [];
    const fuzzyLines: string[] = [];
    for (const q of FUZZY_QUERIES) {
      let hits = search(db, { query: q.query, kind: q.kind });
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t = timeBoth(() => (hits = search(db, { query: q.query, kind: q.kind })));
        times.push(t.wall);
        fuzzyCpu.push(t.cpu);
      }
      fuzzy.push(...times);
      fuzzyLines.push(`${q.query.padEnd(22)} ${q.kind.padEnd(9)} ${fmt(median(times), 2).padStart(7)} ms  ${String(hits.length).padStart(3)} hits  first: ${hits[0]?.plainSnippet.slice(0, 60) ?? '-'}`);
    }
    for (const line of fuzzyLines) log(`    ${line}`);
    const fuzzyP95Ms = percentile(fuzzy, 95);
    report('fuzzy query with typos', `${fmt(median(fuzzy), 2)} ms median, ${fmt(fuzzyP95Ms, 2)} ms p95 (${FUZZY_QUERIES.length} queries × ${runs} runs); CPU time ${fmt(median(fuzzyCpu), 2)} ms median, ${fmt(percentile(fuzzyCpu, 95), 2)} ms p95`);
    const largest = db.prepare('SELECT id, message_count AS n FROM session ORDER BY message_count DESC LIMIT 1').get() as { id: string; n: number };
    const nn: number[] = [];
    let seqs = 0;
    for (let i = 0; i < runs; i++) nn.push(time(() => (seqs = hitsInSession(db, largest.id, 'error').length)));
    report('n/N hits in the largest session', `${fmt(median(nn), 2)} ms median for "error" (${seqs} hits in ${largest.n} messages)`);
    return { results, fullTextMedianMs, fullTextP95Ms, fuzzyP95Ms, ripgrepRatio, coldWithFtsMBs, coldWithoutFtsMBs, indexRatio };
  } finally {
    closeDatabase(db);
  }
}
