/** Small pure formatters shared by the screens: ages, times, paths, agent names. */
import type { Agent } from '../model.js';
import { decimal, grouped } from '../numbers.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** `now`, `5m`, `3h`, `2d`, `3w`, `5mo`, `2y`: how long ago, in at most four cells. */
export function age(ms: number | null, now: number): string {
  if (ms === null) return '—';
  const d = Math.max(0, now - ms);
  if (d < MINUTE) return 'now';
  if (d < HOUR) return `${Math.floor(d / MINUTE)}m`;
  if (d < DAY) return `${Math.floor(d / HOUR)}h`;
  if (d < 14 * DAY) return `${Math.floor(d / DAY)}d`;
  if (d < 60 * DAY) return `${Math.floor(d / (7 * DAY))}w`;
  if (d < 365 * DAY) return `${Math.floor(d / (30 * DAY))}mo`;
  return `${Math.floor(d / (365 * DAY))}y`;
}

const pad2 = (n: number) => String(n).padStart(2, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `2026-05-02 09:14:07`, local time. */
export function dateTime(ms: number | null): string {
  if (ms === null) return 'no time';
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/** `09:14` when `ms` is on the same day as `reference`, else `May 2 09:14` (both ends of the scrubber). */
export function shortTime(ms: number | null, reference: number | null): string {
  if (ms === null) return '--:--';
  const d = new Date(ms);
  const hm = `${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
  if (reference !== null) {
    const r = new Date(reference);
    if (r.getFullYear() === d.getFullYear() && r.getMonth() === d.getMonth() && r.getDate() === d.getDate()) return hm;
  }
  return `${MONTHS[d.getMonth()]} ${d.getDate()} ${hm}`;
}

/** `/home/ada/shop` → `~/shop` under the home directory. */
export function displayPath(p: string | null, home: string | undefined): string {
  if (!p) return '—';
  if (home && home !== '/' && (p === home || p.startsWith(`${home}/`))) return `~${p.slice(home.length)}`;
  return p;
}

const AGENT_LABELS: Record<Agent, string> = {
  claude: 'claude',
  codex: 'codex',
  gemini: 'gemini',
  antigravity: 'antigrav',
  cursor: 'cursor',
};

export function agentLabel(agent: Agent): string {
  return AGENT_LABELS[agent] ?? agent;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${grouped(n)} ${n === 1 ? one : many}`;
}

/** `▕██████░░░░▏` for a fraction done. */
export function progressBar(fraction: number, width = 10): string {
  const filled = Math.max(0, Math.min(width, Math.round(fraction * width)));
  return `▕${'█'.repeat(filled)}${'░'.repeat(width - filled)}▏`;
}

/** `indexing ▕██████░░░░▏ 1,204/15,000 files · 310/2,400 MB`: the first index's progress for the status line. */
export function progressText(p: { filesDone: number; filesTotal: number; bytesDone: number; bytesTotal: number }): string {
  const fraction = p.bytesTotal > 0 ? p.bytesDone / p.bytesTotal : p.filesTotal > 0 ? p.filesDone / p.filesTotal : 1;
  const mb = (n: number) => decimal(n / 1e6, n < 10e6 ? 1 : 0);
  return `indexing ${progressBar(fraction)} ${grouped(p.filesDone)}/${grouped(p.filesTotal)} files · ${mb(p.bytesDone)}/${mb(p.bytesTotal)} MB`;
}

/** `secrets ▕███░░░░░░░▏ 12,000/80,000 messages`: the background scan's progress. */
export function secretsProgressText(p: { scanned: number; total: number }): string {
  return `secrets ${progressBar(p.total > 0 ? p.scanned / p.total : 1)} ${grouped(p.scanned)}/${grouped(p.total)} messages`;
}
