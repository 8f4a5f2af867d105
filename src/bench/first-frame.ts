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

/**
 * Runs `command` as the only process of a fresh pane and hands the pane to `measure` with the start time; then
 * kills it and waits for the program to exit, so the next measurement does not share the CPU with its shutdown.
 */
function inFreshPane<T>(command: string, env: Record<string, string>, cols: number, rows: number, measure: (pane: TmuxPane, t0: number) => T): T {
  const pane = new TmuxPane(cols, rows, env);
  let pid: number | null = null;
  try {
    const t0 = performance.now();
    pane.startCommand(command);
    const result = measure(pane, t0);
    // `env … node …`: env execs node, so the pane's process is node.
    pid = pane.panePid();
    return result;
  } finally {
    pane.kill();
    if (pid !== null) waitForExit(pid, 10_000);
  }
}

/** Starts `command` in a fresh pane and waits (polling without pause) until `drawn(screen)`. */
export function timeFirstFrame(command: string, drawn: (screen: string) => boolean, env: Record<string, string>, cols = 100, rows = 30): FrameTiming {
  return inFreshPane(command, env, cols, rows, (pane, t0) => {
    pane.waitFor(drawn, 20_000, 0);
    const wallMs = performance.now() - t0;
    // The main thread has the process's id.
    const pid = pane.panePid();
    const { utime, stime } = parseProcStat(fs.readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8'));
    return { wallMs, mainCpuMs: ((utime + stime) * 1000) / clockTicks() };
  });
}

/**
 * Starts `command`, waits for `drawn`, presses `key` at once and times until `handled(screen)`: from the start to the
 * first key answered, whatever the program still had to load after its first frame.
 */
export function timeFirstKey(command: string, drawn: (screen: string) => boolean, key: string, handled: (screen: string) => boolean, env: Record<string, string>, cols = 100, rows = 30): number {
  return inFreshPane(command, env, cols, rows, (pane, t0) => {
    pane.waitFor(drawn, 20_000, 0);
    pane.keys(key);
    pane.waitFor(handled, 20_000, 0);
    return performance.now() - t0;
  });
}

function running(pid: number): boolean {
  try {
    // A zombie (state Z) has exited; only its parent has yet to collect it.
    return !/^\d+ \(.*\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

function waitForExit(pid: number, timeoutMs: number): void {
  const deadline = Date.now() + timeoutMs;
  while (running(pid) && Date.now() < deadline) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
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
