/**
 * `mantra-tui search QUERY` and `mantra-tui facts SESSION`: the search module's answers as JSON for scripts and
 * as plain text for people. Output goes through `write` (one call per line or document) so tests capture it.
 */
import path from 'node:path';
import type Database from 'better-sqlite3';
import { EXTRACTOR_VERSION } from '../facts/extract.js';
import type { FactKind } from '../facts/types.js';
import type { Agent } from '../model.js';
import { factsOfSession, search, type FactRow, type SearchHit, type SearchKind } from '../search/index.js';
import { redactText } from '../redact/mask.js';
import { resolveSession, withReader } from './common.js';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const when = (ms: number | null): string => (ms === null ? '—' : new Date(ms).toISOString().slice(0, 16).replace('T', ' '));

/** The `search --json` element: exactly these fields. */
export function searchHitJson(h: SearchHit) {
  return {
    sessionId: h.sessionId,
    seq: h.seq,
    kind: h.kind,
    score: Math.round(h.score * 10_000) / 10_000,
    snippet: h.plainSnippet,
    timestamp: iso(h.timestamp),
    agent: h.agent,
    project: h.project,
  };
}

export function plainSearchHit(h: SearchHit): string {
  const head = [h.kind.padEnd(8), h.sessionId.slice(0, 8), `#${h.seq}`.padEnd(6), when(h.timestamp), h.agent, h.project ?? '-'].join('  ');
  return `${head}\n    ${h.plainSnippet}`;
}

export interface SearchCommandOptions {
  readonly dbPath: string;
  readonly query: string;
  readonly kind?: SearchKind;
  readonly project?: string;
  readonly agent?: Agent;
  readonly limit?: number;
  readonly json: boolean;
  readonly write: (text: string) => void;
  /** Secret masking for snippets; by default every snippet is masked (see search/index.ts). */
  readonly maskSnippet?: (text: string) => string;
}

export function runSearch(opts: SearchCommandOptions): void {
  const hits = withReader(opts.dbPath, ({ db }) =>
    search(db, {
      query: opts.query,
      kind: opts.kind ?? 'all',
      scope: { project: opts.project ? path.resolve(opts.project) : undefined, agent: opts.agent },
      limit: opts.limit,
      maskSnippet: opts.maskSnippet ?? redactText,
    }),
  );
  if (opts.json) return opts.write(JSON.stringify(hits.map(searchHitJson)));
  if (hits.length === 0) return opts.write('no matches');
  for (const h of hits) opts.write(plainSearchHit(h));
  opts.write(`\n${hits.length} match${hits.length === 1 ? '' : 'es'}; open one with: mantra-tui show SESSION`);
}

/** Whether the session's stored facts come from this extractor (an index pass refreshes them otherwise). */
function factsCurrent(db: Database.Database, sessionId: string): boolean {
  const row = db.prepare('SELECT extractor_version AS v FROM fact_state WHERE session_id = ?').get(sessionId) as { v: number } | undefined;
  return row?.v === EXTRACTOR_VERSION;
}

export function factJson(f: FactRow) {
  return { kind: f.kind, seq: f.seq, timestamp: iso(f.timestamp), text: f.text, detail: f.detail };
}

const SECTIONS: readonly [FactKind, string][] = [
  ['decision', 'Decisions'],
  ['dead-end', 'Dead ends'],
  ['status', 'Status'],
  ['key-file', 'Key files'],
];

export interface FactsCommandOptions {
  readonly dbPath: string;
  /** A session id or a unique prefix. */
  readonly session: string;
  readonly json: boolean;
  readonly write: (text: string) => void;
}

export function runFacts(opts: FactsCommandOptions): void {
  withReader(opts.dbPath, (reader) => {
    const db = reader.db;
    const session = resolveSession(reader, opts.session);
    const facts = factsOfSession(db, session.id);
    const current = factsCurrent(db, session.id);
    if (opts.json) {
      opts.write(
        JSON.stringify({
          sessionId: session.id,
          agent: session.agent,
          project: session.project,
          title: session.summary ?? session.title,
          factsCurrent: current,
          facts: facts.map(factJson),
        }),
      );
      return;
    }
    opts.write(`${session.id}  ${session.agent}  ${session.project ?? '-'}\n${session.summary ?? session.title ?? ''}`);
    if (!current) opts.write('\n(facts not extracted yet for this version: run "mantra-tui index")');
    for (const [kind, title] of SECTIONS) {
      const of = facts.filter((f) => f.kind === kind);
      if (of.length === 0) continue;
      opts.write(`\n${title}`);
      for (const f of of) opts.write(kind === 'key-file' ? `  ${f.text}` : `  ${`#${f.seq}`.padEnd(6)} ${f.text}`);
    }
    if (facts.length === 0 && current) opts.write('\nno decisions, dead ends, status or key files found');
  });
}
