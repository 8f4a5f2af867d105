/**
 * What Linux says about a running process, for the live benchmark: CPU time used (all its threads), open file
 * descriptors, inotify watches and resident memory. The parsers are pure; the readers are thin shells over /proc.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** User and system CPU time of a process, in clock ticks, from the text of /proc/<pid>/stat. */
export function parseProcStat(text: string): { utime: number; stime: number } {
  // The command name (field 2) is in parentheses and may hold spaces or parentheses itself: split after the last ')'.
  const close = text.lastIndexOf(')');
  if (close < 0) throw new Error('not a /proc/<pid>/stat line');
  const fields = text.slice(close + 2).trim().split(/\s+/);
  // After the name: state (field 3) is fields[0], so field n is fields[n - 3]; utime is field 14, stime field 15.
  const utime = Number(fields[14 - 3]);
  const stime = Number(fields[15 - 3]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error('not a /proc/<pid>/stat line');
  return { utime, stime };
}

/** inotify watches registered through one descriptor, from the text of /proc/<pid>/fdinfo/<fd>. */
export function countInotifyWatches(fdinfo: string): number {
  let n = 0;
  for (const line of fdinfo.split('\n')) if (line.startsWith('inotify wd:')) n++;
  return n;
}

/** A value in kB from the text of /proc/<pid>/status (VmRSS, VmHWM, Threads…), in bytes; NaN when absent. */
export function statusBytes(status: string, key: string): number {
  const m = status.match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm'));
  return m ? Number(m[1]) * 1024 : NaN;
}

let ticksPerSecond: number | null = null;
/** Clock ticks per second (USER_HZ), 100 on practically every Linux. */
export function clockTicks(): number {
  if (ticksPerSecond === null) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** CPU seconds a process has used so far, user and system, all threads. */
export function cpuSeconds(pid: number): number {
  const { utime, stime } = parseProcStat(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  return (utime + stime) / clockTicks();
}

export interface Descriptors {
  readonly open: number;
  /** inotify instances (one per fs.watch user, usually one for the whole process). */
  readonly inotifyInstances: number;
  readonly inotifyWatches: number;
}

/** Open descriptors of a process and the inotify watches behind them (what `ls /proc/<pid>/fd | wc -l` counts). */
export function descriptors(pid: number): Descriptors {
  const dir = `/proc/${pid}/fd`;
  let open = 0;
  let inotifyInstances = 0;
  let inotifyWatches = 0;
  for (const fd of fs.readdirSync(dir)) {
    let target: string;
    try {
      target = fs.readlinkSync(path.join(dir, fd));
    } catch {
      continue; // closed while we looked
    }
    open++;
    if (target === 'anon_inode:inotify') {
      inotifyInstances++;
      try {
        inotifyWatches += countInotifyWatches(fs.readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'));
      } catch {
        // closed while we looked
      }
    }
  }
  return { open, inotifyInstances, inotifyWatches };
}

/** Resident memory of a process now, in bytes. */
export function rssBytes(pid: number): number {
  return statusBytes(fs.readFileSync(`/proc/${pid}/status`, 'utf8'), 'VmRSS');
}
