/**
 * `npm run bench`: generates corpora of realistic shape and measures what users feel, one section per issue:
 *   foundation (cold index, open, step, first frame, memory), adapters (MB/s per assistant), live (append → index
 *   and → frame, the idle follower), search (full text, fuzzy, ripgrep; 1M messages with --search-1m), secrets
 *   (detector throughput, recall/precision), restore (diff preview, restore, snapshots).
 * Each figure is a median (and p95 where it is a latency) of repeated runs, beside a baseline measured in the same
 * run: the machine is shared. Everything is written to bench-out/results.json. See options.ts for the flags.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAdaptersBench } from './adapters-bench.js';
import { runFoundationBench } from './foundation-bench.js';
import { runLiveBench } from './live-bench.js';
import { BenchUsageError, parseBenchArgs, type BenchOptions } from './options.js';
import { benchRedaction } from './redact-bench.js';
import { BenchReport, machineInfo } from './report.js';
import { runRestoreBench } from './restore-bench.js';
import { runSearchBench } from './search-bench.js';

const DIST = path.dirname(fileURLToPath(import.meta.url));
const CLI = path.join(DIST, 'cli.js');
const INK_HELLO = path.join(DIST, 'ink-hello.js');
const WORKER_URL = new URL('./worker.js', import.meta.url);
/** The labelled secrets set, where a checkout keeps the shared material (beside the clone); never needed to run. */
const DEV_SET = path.resolve(DIST, '../../shared/secrets/dev.jsonl');
const OUT = 'bench-out/results.json';

const log = (s: string) => process.stderr.write(`${s}\n`);

async function runSections(opts: BenchOptions, report: BenchReport, root: string): Promise<void> {
  const scratch = (name: string) => {
    const dir = path.join(root, name);
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  };
  const done = (name: string) => {
    if (!opts.keep) fs.rmSync(path.join(root, name), { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    report.write(OUT); // after every section, so a long run that fails late keeps what it measured
  };
  const figure = report.figure.bind(report);
  for (const section of opts.sections) {
    switch (section) {
      case 'foundation':
        await report.section('foundation', () =>
          runFoundationBench({ root: scratch('foundation'), sessions: opts.sessions, largeMb: opts.largeMb, runs: opts.runs, cli: CLI, inkHello: INK_HELLO, log, report: figure }).then(() => undefined),
        );
        break;
      case 'adapters':
        await report.section('adapters', () =>
          runAdaptersBench({ root: scratch('adapters'), sessions: opts.adapterSessions, cursorComposers: opts.cursorComposers, runs: opts.runs, log, report: figure }),
        );
        break;
      case 'live':
        await report.section('live', () =>
          runLiveBench({
            root: scratch('live'), workerUrl: WORKER_URL, cli: CLI, inkHello: INK_HELLO, appends: opts.liveAppends, frameAppends: opts.frameAppends,
            idleFiles: opts.idleFiles, idleSeconds: opts.idleSeconds, log, report: figure,
          }),
        );
        break;
      case 'search': {
        const sizes = [opts.searchMessages, ...(opts.search1m ? [1_000_000] : [])];
        for (const messages of sizes) {
          const name = sizes.length > 1 ? `search (${messages.toLocaleString('en')} messages)` : 'search';
          await report.section(name, () => {
            const r = runSearchBench({ root: scratch('search'), messages, runs: 5, log });
            // runSearchBench printed its figures as it went: recorded here, not printed twice.
            for (const [k, v] of Object.entries(r.results)) report.record(k, v);
            report.record('search: targets', `full text ${r.fullTextMedianMs.toFixed(2)} ms median, ${r.fullTextP95Ms.toFixed(2)} ms p95; fuzzy ${r.fuzzyP95Ms.toFixed(2)} ms p95`, {
              messages, fullTextMedianMs: r.fullTextMedianMs, fullTextP95Ms: r.fullTextP95Ms, fuzzyP95Ms: r.fuzzyP95Ms, ripgrepRatio: r.ripgrepRatio,
              coldWithFtsMBs: r.coldWithFtsMBs, coldWithoutFtsMBs: r.coldWithoutFtsMBs, indexRatio: r.indexRatio,
            });
          });
          done('search');
        }
        continue;
      }
      case 'secrets':
        await report.section('secrets', () => {
          if (opts.devSet === null) log(`  note: no development set at ${DEV_SET} (or --no-dev-set): recall/precision skipped; pass --dev-set FILE`);
          report.figures(benchRedaction(opts.devSet, { corpusBytes: opts.secretsMb * 1e6, runs: 5 }));
        });
        break;
      case 'restore':
        await report.section('restore', () => runRestoreBench({ root: scratch('restore'), runs: 5, log, report: figure }));
        break;
    }
    done(section);
  }
}

async function main(): Promise<number> {
  let opts: BenchOptions;
  try {
    opts = parseBenchArgs(process.argv.slice(2), fs.existsSync(DEV_SET) ? DEV_SET : null);
  } catch (err) {
    if (err instanceof BenchUsageError) {
      log(err.message);
      return 2;
    }
    throw err;
  }
  const m = machineInfo();
  log(`mantra-tui bench — ${new Date().toISOString()} — ${m.cpu} ×${m.cores}, ${m.memoryGiB} GiB, node ${m.node}`);
  log(`sections: ${opts.sections.join(', ')}${opts.search1m ? ' (search also on 1M messages)' : ''}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const report = new BenchReport(opts, log);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mantra-bench-'));
  const t0 = performance.now();
  try {
    await runSections(opts, report, root);
  } finally {
    // Retried: a git process the restore section started may still be packing objects in its scratch repository.
    if (!opts.keep) fs.rmSync(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    else log(`kept ${root}`);
    report.write(OUT);
    log(`\nwritten ${OUT} (${((performance.now() - t0) / 60_000).toFixed(1)} min)`);
  }
  const failed = Object.entries(report.sections).filter(([, s]) => s.error !== null).map(([k]) => k);
  if (failed.length) log(`failed sections: ${failed.join(', ')}`);
  return failed.length ? 1 : 0;
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    process.stderr.write(`${(err as Error).stack}\n`);
    process.exitCode = 1;
  },
);
