/**
 * The benchmark's pure helpers and generators (the figures themselves come from `npm run bench`): statistics, the
 * command line, the /proc parsers checked against this very process, the report file, and the many-sessions
 * generator behind the idle-watcher figure, read back through the real Claude adapter.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateManySessions } from '../src/bench/many-sessions.js';
import { DEFAULTS, parseBenchArgs, SECTIONS } from '../src/bench/options.js';
import { countInotifyWatches, cpuSeconds, descriptors, parseProcStat, rssBytes, statusBytes } from '../src/bench/proc.js';
import { BenchReport } from '../src/bench/report.js';
import { median, percentile } from '../src/bench/stats.js';
import { runIndex } from '../src/ingest/indexer.js';
import { adaptersFor } from '../src/ingest/sources.js';
import { closeDatabase, openDatabase } from '../src/store/db.js';
import { IndexWriter } from '../src/store/writer.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mantra-bench-helpers-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('stats', () => {
  it.each([
    [[5], 50, 5],
    [[3, 1, 2], 50, 2],
    [[1, 2, 3, 4], 50, 2.5],
    [[10, 20, 30, 40, 50], 0, 10],
    [[10, 20, 30, 40, 50], 100, 50],
    [[10, 20, 30, 40, 50], 95, 48],
    [Array.from({ length: 100 }, (_, i) => 100 - i), 95, 95.05],
  ])('percentile of %j at %d is %d', (xs, p, expected) => {
    expect(percentile(xs, p)).toBeCloseTo(expected, 6);
  });

  it('has no median of nothing, and leaves its input unsorted', () => {
    expect(median([])).toBeNaN();
    const xs = [3, 1, 2];
    median(xs);
    expect(xs).toEqual([3, 1, 2]);
  });
});

describe('bench options', () => {
  it('runs every section but the 1M-message search by default', () => {
    const o = parseBenchArgs([], '/x/dev.jsonl');
    expect(o.sections).toEqual(SECTIONS);
    expect(o.search1m).toBe(false);
    expect(o.devSet).toBe('/x/dev.jsonl');
    expect(o.idleFiles).toBe(15_000);
    expect(o.idleSeconds).toBe(60);
  });

  it.each([
    [['--only', 'live'], ['live']],
    [['--only', 'restore,foundation'], ['foundation', 'restore']],
    [['--only', 'search, search ,secrets'], ['search', 'secrets']],
    [['--only', 'live', '--search-1m'], ['live', 'search']],
  ])('%j selects %j, in run order', (argv, sections) => {
    expect(parseBenchArgs(argv, null).sections).toEqual(sections);
  });

  it('reads sizes and switches', () => {
    const o = parseBenchArgs(['--runs', '5', '--idle-files', '2000', '--idle-seconds', '10', '--keep', '--no-dev-set', '--search-1m'], '/x/dev.jsonl');
    expect(o).toMatchObject({ runs: 5, idleFiles: 2000, idleSeconds: 10, keep: true, devSet: null, search1m: true, sessions: DEFAULTS.sessions });
    expect(parseBenchArgs(['--dev-set', '/y.jsonl'], null).devSet).toBe('/y.jsonl');
  });

  it.each([
    [['--only', 'everything'], /unknown section everything/],
    [['--only', ''], /needs a list of sections/],
    [['--runs'], /--runs needs a value/],
    [['--runs', 'many'], /positive number, not "many"/],
    [['--idle-seconds', '0'], /positive number/],
    [['--fast'], /unknown option --fast/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseBenchArgs(argv, null)).toThrow(message);
  });
});

describe('/proc readers', () => {
  it.each([
    ['1234 (node) S 1 2 3 4 5 6 7 8 9 10 250 40 0 0 20 0 11 0 100 0 0', { utime: 250, stime: 40 }],
    // A command name with spaces and parentheses cannot shift the fields.
    ['77 (a (b) c) R 1 2 3 4 5 6 7 8 9 10 3 4 0 0 20 0 1 0 100 0 0', { utime: 3, stime: 4 }],
  ])('parses utime and stime of %s', (line, expected) => {
    expect(parseProcStat(line)).toEqual(expected);
  });

  it('refuses what is not a stat line', () => {
    expect(() => parseProcStat('hello')).toThrow(/not a \/proc/);
  });

  it('counts inotify watches and reads status values', () => {
    const fdinfo = 'pos:\t0\nflags:\t02004000\nmnt_id:\t15\ninotify wd:2 ino:1 sdev:fd ...\ninotify wd:1 ino:2 sdev:fd ...\n';
    expect(countInotifyWatches(fdinfo)).toBe(2);
    expect(countInotifyWatches('pos:\t0\n')).toBe(0);
    expect(statusBytes('Name:\tnode\nVmRSS:\t  2048 kB\n', 'VmRSS')).toBe(2048 * 1024);
    expect(statusBytes('Name:\tnode\n', 'VmHWM')).toBeNaN();
  });

  it('reads this process: CPU time grows with work, descriptors count a file it opens, an inotify watch is seen', async () => {
    const c0 = cpuSeconds(process.pid);
    const until = Date.now() + 150;
    let x = 0;
    while (Date.now() < until) x += Math.sqrt(x + 1);
    expect(x).toBeGreaterThan(0);
    expect(cpuSeconds(process.pid)).toBeGreaterThan(c0);
    const before = descriptors(process.pid);
    const fd = fs.openSync(path.join(dir, 'f'), 'w');
    const watcher = fs.watch(dir);
    try {
      const after = descriptors(process.pid);
      expect(after.open).toBeGreaterThanOrEqual(before.open + 1);
      expect(after.inotifyWatches).toBeGreaterThanOrEqual(before.inotifyWatches + 1);
    } finally {
      watcher.close();
      fs.closeSync(fd);
    }
    expect(rssBytes(process.pid)).toBeGreaterThan(10 * 2 ** 20);
  });
});

describe('bench report', () => {
  it('records figures by section with their numbers, keeps a failed section, and writes them all', async () => {
    const lines: string[] = [];
    const report = new BenchReport({ runs: 1 }, (l) => lines.push(l));
    expect(await report.section('one', () => report.figure('a', '1 ms', { medianMs: 1 }))).toBe(true);
    expect(
      await report.section('two', () => {
        report.figure('b', 'x');
        throw new Error('boom');
      }),
    ).toBe(false);
    expect(() => report.figure('late', 'y')).toThrow(/outside a section/);
    const file = path.join(dir, 'out', 'results.json');
    report.write(file);
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(json.options).toEqual({ runs: 1 });
    expect(json.machine.cores).toBe(os.cpus().length);
    expect(json.sections.one).toMatchObject({ figures: { a: '1 ms' }, numbers: { a: { medianMs: 1 } }, error: null });
    expect(json.sections.one.seconds).toBeGreaterThanOrEqual(0);
    expect(json.sections.two.figures).toEqual({ b: 'x' });
    expect(json.sections.two.error).toMatch(/boom/);
    expect(lines.join('\n')).toMatch(/two FAILED/);
  });
});

describe('many-sessions generator', () => {
  it('writes 15,000 session files over the project folders with the ages asked for, quickly', () => {
    const now = Date.UTC(2026, 10, 24, 12);
    const t0 = performance.now();
    const many = generateManySessions(dir, { files: 15_000, projects: 300, recent: 8, warm: 25, now });
    expect(performance.now() - t0).toBeLessThan(20_000);
    const projects = fs.readdirSync(path.join(many.claudeDir, 'projects'));
    expect(projects).toHaveLength(300);
    const files = projects.flatMap((p) => fs.readdirSync(path.join(many.claudeDir, 'projects', p)).map((f) => path.join(many.claudeDir, 'projects', p, f)));
    expect(files).toHaveLength(15_000);
    expect(new Set(files)).toEqual(new Set(many.files));
    const ages = files.map((f) => now - fs.statSync(f).mtimeMs);
    const minute = 60_000;
    expect(ages.filter((a) => a <= 30 * minute)).toHaveLength(8);
    expect(ages.filter((a) => a > 30 * minute && a <= 24 * 60 * minute)).toHaveLength(25);
    expect(ages.filter((a) => a > 24 * 60 * minute)).toHaveLength(15_000 - 33);
    expect(many).toMatchObject({ recent: 8, warm: 25, old: 15_000 - 33, projects: 300 });
    expect(many.bytes).toBe(files.reduce((n, f) => n + fs.statSync(f).size, 0));
    // Small sessions: about 1–4 KB each.
    expect(many.bytes / 15_000).toBeGreaterThan(500);
    expect(many.bytes / 15_000).toBeLessThan(5000);
  });

  it('is deterministic, and the real adapter reads every file as one session', () => {
    const spec = { files: 120, projects: 7, recent: 2, warm: 3, now: Date.UTC(2026, 10, 24) };
    const a = generateManySessions(path.join(dir, 'a'), spec);
    const b = generateManySessions(path.join(dir, 'b'), spec);
    expect(a.bytes).toBe(b.bytes);
    expect(a.files.map((f) => path.relative(a.claudeDir, f))).toEqual(b.files.map((f) => path.relative(b.claudeDir, f)));
    const db = openDatabase(path.join(dir, 'i.db'));
    try {
      const stats = runIndex(new IndexWriter(db), adaptersFor({ claudeDir: a.claudeDir }));
      expect(stats.sessionsAdded).toBe(120);
      expect(stats.skipped).toEqual({});
      expect(stats.fileErrors).toEqual([]);
      expect(stats.messagesAdded).toBeGreaterThanOrEqual(120 * 2);
    } finally {
      closeDatabase(db);
    }
  });

  it('refuses more recent and warm files than files', () => {
    expect(() => generateManySessions(dir, { files: 3, projects: 1, recent: 2, warm: 2, now: 0 })).toThrow(/more recent and warm/);
  });
});
