/**
 * The `doctor` report: its JSON shape (the CLI contract) and the plain-text form beside it, built from what the
 * adapters found, what the dry run read and skipped, and what the user's index holds. Pure.
 */
import type { AdapterDiagnosis } from '../ingest/adapter.js';
import type { IngestStats } from '../ingest/stats.js';
import type { Agent } from '../model.js';
import { AGENT_NAMES, agentHints } from './hints.js';
import type { IndexProbe } from './index-probe.js';
import type { ChosenRoot } from './origins.js';
import { decimal, grouped } from '../numbers.js';

export interface LocationReport {
  readonly path: string;
  readonly exists: boolean;
  /** Which flag, variable or default chose it, and what the adapter looks for there; null when nothing to say. */
  readonly note: string | null;
}

export interface AgentReport {
  readonly agent: Agent;
  readonly locations: readonly LocationReport[];
  /** Source files found (what the adapter's discovery lists). */
  readonly files: number;
  /** Sessions and messages the dry run read from those files. */
  readonly sessionsFound: number;
  readonly messagesFound: number;
  /** What the user's index holds for this assistant; null when there is no readable index. */
  readonly sessionsIndexed: number | null;
  readonly messagesIndexed: number | null;
  /** What the dry run skipped, by reason. */
  readonly skipped: Readonly<Record<string, number>>;
  /** Files that could not be read at all. */
  readonly fileErrors: readonly { readonly path: string; readonly message: string }[];
  /** Files present but unreadable by design (encrypted, compressed), each with the reason. */
  readonly unreadable: readonly { readonly path: string; readonly reason: string }[];
  readonly hints: readonly string[];
}

export interface IndexReport {
  readonly path: string;
  readonly exists: boolean;
  readonly schemaVersion: number | null;
  readonly sizeBytes: number | null;
  readonly sessions: number | null;
  readonly messages: number | null;
}

export interface DoctorReport {
  readonly agents: readonly AgentReport[];
  readonly index: IndexReport;
}

export interface AgentInputs {
  readonly agent: Agent;
  readonly chosen: readonly ChosenRoot[];
  /** Whether each chosen root exists (same order). */
  readonly rootsExist: readonly boolean[];
  readonly diagnosis: AdapterDiagnosis;
  /** Antigravity: profiles found under the roots. */
  readonly profiles?: number;
  readonly stats: IngestStats;
  readonly sessionsFound: number;
  readonly messagesFound: number;
  readonly indexed: { readonly sessions: number; readonly messages: number } | null;
}


/** The chosen roots first, with why they were chosen; then the other places the adapter looked, with its notes. */
export function mergeLocations(chosen: readonly ChosenRoot[], rootsExist: readonly boolean[], looked: AdapterDiagnosis['locations']): LocationReport[] {
  const out: LocationReport[] = chosen.map((c, i) => {
    const own = looked.find((l) => l.path === c.path)?.note;
    return { path: c.path, exists: rootsExist[i], note: own ? `${c.why}; ${own}` : c.why };
  });
  for (const l of looked) {
    if (out.some((o) => o.path === l.path)) continue;
    out.push({ path: l.path, exists: l.exists, note: l.note ?? null });
  }
  return out;
}

/** `join` joins path parts in the hints the way the platform does. */
export function agentReport(i: AgentInputs, join: (...parts: string[]) => string = (...p) => p.join('/')): AgentReport {
  return {
    agent: i.agent,
    locations: mergeLocations(i.chosen, i.rootsExist, i.diagnosis.locations),
    files: i.diagnosis.files,
    sessionsFound: i.sessionsFound,
    messagesFound: i.messagesFound,
    sessionsIndexed: i.indexed?.sessions ?? null,
    messagesIndexed: i.indexed?.messages ?? null,
    skipped: { ...i.stats.skipped },
    fileErrors: i.stats.fileErrors.map((e) => ({ path: e.path, message: e.message })),
    unreadable: i.diagnosis.unreadable.map((u) => ({ path: u.path, reason: u.reason })),
    hints: agentHints(
      {
        agent: i.agent,
        roots: i.chosen.map((c, n) => ({ path: c.path, exists: i.rootsExist[n] })),
        files: i.diagnosis.files,
        profiles: i.profiles,
        unreadable: i.diagnosis.unreadable.length,
        fileErrors: i.stats.fileErrors.length,
        sessionsFound: i.sessionsFound,
        sessionsIndexed: i.indexed?.sessions ?? null,
      },
      (p) => p,
      join,
    ),
  };
}

export function indexReport(p: IndexProbe): IndexReport {
  return { path: p.path, exists: p.exists, schemaVersion: p.schemaVersion, sizeBytes: p.sizeBytes, sessions: p.sessions, messages: p.messages };
}

// ---------------------------------------------------------------------------------------------------------------
// Plain text

const n = grouped;
const count = (x: number, one: string, many = `${one}s`) => `${n(x)} ${x === 1 ? one : many}`;
const LABEL_W = 11;
const row = (label: string, text: string) => `  ${label.padEnd(LABEL_W)}${text}`;
const more = (text: string) => `  ${' '.repeat(LABEL_W)}${text}`;
/** Long lists (thousands of encrypted files) are cut in the plain report; JSON has them all. */
const LIST_MAX = 5;

function mb(bytes: number): string {
  return bytes < 1e6 ? `${n(Math.max(1, Math.round(bytes / 1e3)))} kB` : `${decimal(bytes / 1e6, 1)} MB`;
}

function agentText(a: AgentReport, show: (p: string) => string, inText: (t: string) => string): string[] {
  const lines = [AGENT_NAMES[a.agent]];
  a.locations.forEach((l, i) => {
    const text = `${show(l.path)}  (${l.exists ? 'exists' : 'missing'}${l.note ? `; ${l.note}` : ''})`;
    lines.push(i === 0 ? row('looked in', text) : more(text));
  });
  lines.push(row('found', a.files === 0 ? 'no files' : `${count(a.files, 'file')}: ${count(a.sessionsFound, 'session')}, ${count(a.messagesFound, 'message')}`));
  lines.push(row('index', a.sessionsIndexed === null ? 'not indexed yet' : `${count(a.sessionsIndexed, 'session')}, ${count(a.messagesIndexed ?? 0, 'message')}`));
  const skipped = Object.values(a.skipped).reduce((k, v) => k + v, 0);
  const reasons = Object.entries(a.skipped)
    .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
    .map(([reason, k]) => `${n(k)} ${reason}`);
  lines.push(row('skipped', skipped === 0 ? 'nothing' : `${n(skipped)}: ${reasons.join(', ')}`));
  if (a.unreadable.length) {
    lines.push(row('unreadable', `${count(a.unreadable.length, 'file')}, present but not readable by design:`));
    const byReason = new Map<string, string[]>();
    for (const u of a.unreadable) byReason.set(u.reason, [...(byReason.get(u.reason) ?? []), u.path]);
    for (const [reason, paths] of byReason) {
      for (const p of paths.slice(0, LIST_MAX)) lines.push(more(`  ${show(p)}`));
      if (paths.length > LIST_MAX) lines.push(more(`  … and ${n(paths.length - LIST_MAX)} more`));
      lines.push(more(`  ↳ ${reason}`));
    }
  }
  a.fileErrors.slice(0, LIST_MAX * 2).forEach((e, i) => lines.push(i === 0 ? row('errors', `${show(e.path)}: ${e.message}`) : more(`${show(e.path)}: ${e.message}`)));
  if (a.fileErrors.length > LIST_MAX * 2) lines.push(more(`… and ${n(a.fileErrors.length - LIST_MAX * 2)} more`));
  a.hints.forEach((h, i) => lines.push(i === 0 ? row('hint', inText(h)) : more(inText(h))));
  return lines;
}

function indexText(x: IndexReport, problem: string | null, show: (p: string) => string): string[] {
  const lines = ['Index', row('file', show(x.path))];
  if (!x.exists) {
    lines.push(row('state', 'not created yet — "mantra-tui index", or opening mantra-tui, creates it'));
    return lines;
  }
  const facts = [x.sizeBytes !== null ? mb(x.sizeBytes) : null, x.schemaVersion !== null ? `schema version ${x.schemaVersion}` : null].filter(Boolean).join(', ');
  lines.push(row('state', x.sessions === null ? facts : `${facts}: ${count(x.sessions, 'session')}, ${count(x.messages ?? 0, 'message')}`));
  if (problem) lines.push(row('problem', problem));
  return lines;
}

export interface RenderOptions {
  /** How a path is printed (e.g. `~/…` for the home folder). */
  readonly show: (p: string) => string;
  /** The same for paths inside a sentence (the hints). */
  readonly inText: (text: string) => string;
  /** How long the dry run took. */
  readonly ms: number;
  /** What is wrong with the index, if anything (IndexProbe.problem). */
  readonly indexProblem: string | null;
}

export function renderDoctor(r: DoctorReport, o: RenderOptions): string {
  const files = r.agents.reduce((k, a) => k + a.files, 0);
  const sessions = r.agents.reduce((k, a) => k + a.sessionsFound, 0);
  const head = `mantra-tui doctor: read ${count(files, 'file')} (${count(sessions, 'session')}) in ${(o.ms / 1000).toFixed(2)} s into a throwaway index; yours was not changed`;
  return [head, '', ...r.agents.flatMap((a) => [...agentText(a, o.show, o.inText), '']), ...indexText(r.index, o.indexProblem, o.show)].join('\n');
}
