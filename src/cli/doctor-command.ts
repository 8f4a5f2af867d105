/**
 * `mantra-tui doctor [--json]`: for each assistant, where mantra-tui looked (and which flag, variable or default
 * chose each folder), what it found there, what a dry run read and skipped and why, what is present but unreadable,
 * and what the user's index holds — the first thing to run when a session is missing. Reads only: the dry run goes
 * into a throwaway index, and the user's index is opened so that nothing is written, not even beside it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { profilesOf } from '../ingest/antigravity/discover.js';
import type { IndexProgress } from '../ingest/indexer.js';
import { adaptersFor } from '../ingest/sources.js';
import { AGENTS } from '../model.js';
import { dryPass } from '../doctor/dry-pass.js';
import { probeIndex } from '../doctor/index-probe.js';
import { chooseRoots, type RootFlags } from '../doctor/origins.js';
import { agentReport, indexReport, renderDoctor, type DoctorReport } from '../doctor/report.js';
import type { Env, Platform } from '../paths.js';
import { RuntimeError } from './common.js';
import { decimal, grouped } from '../numbers.js';

export interface DoctorContext {
  readonly dbPath: string;
  readonly flags: RootFlags;
  readonly json: boolean;
  readonly env?: Env;
  readonly platform?: Platform;
  readonly write: (text: string) => void;
  /** Where progress goes when the dry run takes longer than a second (stderr); none when absent. */
  readonly progress?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Progress starts once the dry run has taken this long (default one second: a fast run prints nothing). */
  readonly progressAfterMs?: number;
  /** Where the throwaway index is made (default: the OS temp folder). */
  readonly tmpDir?: string;
}

/** `~/…` for paths in the home folder. */
export function tildePath(home: string | undefined): (p: string) => string {
  return (p) => (home && home !== path.sep && (p === home || p.startsWith(home + path.sep)) ? `~${p.slice(home.length)}` : p);
}

/** The same inside a sentence: every path that starts at the home folder. */
export function tildeText(home: string | undefined): (text: string) => string {
  return (text) => (home && home !== path.sep ? text.split(home + path.sep).join(`~${path.sep}`) : text);
}

/** Progress lines once a second, starting after `afterMs` (on a terminal, one line rewritten in place). */
function progressPrinter(out: DoctorContext['progress'], afterMs: number): { onProgress?: (p: IndexProgress) => void; end(): void } {
  if (!out) return { end() {} };
  const started = performance.now();
  let last = 0;
  let shown = false;
  const mb = (b: number) => decimal(b / 1e6, b < 10e6 ? 1 : 0);
  return {
    onProgress(p) {
      const now = performance.now();
      if (now - started < afterMs || (now - last < 1000 && p.filesDone < p.filesTotal)) return;
      last = now;
      shown = true;
      const text = `doctor: reading ${grouped(p.filesDone)}/${grouped(p.filesTotal)} files · ${mb(p.bytesDone)}/${mb(p.bytesTotal)} MB`;
      out.write(out.isTTY ? `\r\x1b[2K${text}` : `${text}\n`);
    },
    end() {
      if (shown && out.isTTY) out.write('\r\x1b[2K');
    },
  };
}

export function runDoctor(ctx: DoctorContext): DoctorReport {
  const env = ctx.env ?? process.env;
  const platform = ctx.platform ?? process.platform;
  const { roots, chosen } = chooseRoots(ctx.flags, env, platform);
  const adapters = adaptersFor(roots);
  const diagnoses = new Map(adapters.map((a) => [a.agent, a.diagnose()]));
  const probe = probeIndex(ctx.dbPath, ctx.tmpDir);
  const progress = progressPrinter(ctx.progress, ctx.progressAfterMs ?? 1000);
  let dry;
  try {
    dry = dryPass(adapters, progress.onProgress, ctx.tmpDir);
  } catch (err) {
    // The throwaway index could not be made or written (a full or read-only temp folder): say where.
    const code = String((err as NodeJS.ErrnoException).code ?? '');
    if (code.startsWith('SQLITE_') || /^E[A-Z]+$/.test(code)) {
      throw new RuntimeError(`the dry run could not write its throwaway index in ${ctx.tmpDir ?? os.tmpdir()} (${(err as Error).message}); point TMPDIR at a folder with room`);
    }
    throw err;
  } finally {
    progress.end();
  }
  const home = env.HOME || os.homedir();
  const passes = new Map(dry.passes.map((p) => [p.agent, p]));
  const counted = probe.sessions !== null;
  const report: DoctorReport = {
    agents: AGENTS.filter((agent) => diagnoses.has(agent)).map((agent) => {
      const pass = passes.get(agent)!;
      return agentReport(
        {
          agent,
          chosen: chosen[agent],
          rootsExist: chosen[agent].map((c) => fs.existsSync(c.path)),
          diagnosis: diagnoses.get(agent)!,
          profiles: agent === 'antigravity' ? profilesOf(roots.antigravityDirs ?? []).length : undefined,
          stats: pass.stats,
          sessionsFound: pass.sessions,
          messagesFound: pass.messages,
          indexed: counted ? (probe.byAgent.get(agent) ?? { sessions: 0, messages: 0 }) : null,
        },
        (...parts) => path.join(...parts),
      );
    }),
    index: indexReport(probe),
  };
  ctx.write(ctx.json ? JSON.stringify(report) : renderDoctor(report, { show: tildePath(home), inText: tildeText(home), ms: dry.ms, indexProblem: probe.problem }));
  return report;
}
