/**
 * Time to first frame in a real terminal: a program started as a tmux pane's only process, timed until the screen
 * shows what it draws first. Beside the wall time, the CPU time its main thread had used by then (read from
 * /proc/<pid>/task/<pid>/stat the moment the frame shows): on a shared machine the wall time grows with everyone
 * else's load, the main thread's CPU time much less, so it is the figure to compare two builds with.
 */
import fs from 'node:fs';
import { clockTicks, parseProcStat } from './proc.js';
import { median, percentile } from './stats.js';
import { TmuxPane } from './tmux.js';

export interface FrameTiming {
  readonly wallMs: number;
  /** CPU time of the main thread (user + system) when the frame showed; resolution one clock tick (10 ms). */
  readonly mainCpuMs: number;
}

/** Starts `command` in a fresh pane and waits (polling without pause) until `drawn(screen)`. */
export function timeFirstFrame(command: string, drawn: (screen: string) => boolean, env: Record<string, string>, cols = 100, rows = 30): FrameTiming {
  const pane = new TmuxPane(cols, rows, env);
  try {
    const t0 = performance.now();
    pane.startCommand(command);
    pane.waitFor(drawn, 20_000, 0);
    const wallMs = performance.now() - t0;
    // `env … node …`: env execs node, so the pane's process is node and its main thread has the same id.
    const pid = pane.panePid();
    const { utime, stime } = parseProcStat(fs.readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8'));
    return { wallMs, mainCpuMs: ((utime + stime) * 1000) / clockTicks() };
  } finally {
    pane.kill();
  }
}

export interface FrameSummary {
  readonly wallMedianMs: number;
  readonly wallP95Ms: number;
  readonly mainCpuMedianMs: number;
}

export function summarizeFrames(timings: readonly FrameTiming[]): FrameSummary {
  const wall = timings.map((t) => t.wallMs);
  return { wallMedianMs: median(wall), wallP95Ms: percentile(wall, 95), mainCpuMedianMs: median(timings.map((t) => t.mainCpuMs)) };
}
