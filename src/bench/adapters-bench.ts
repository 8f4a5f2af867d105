/**
 * The adapter figures (issue 3, adapters): cold index throughput per assistant, each beside its own same-run
 * baseline (a JSON.parse scan of the same files; for Cursor, reading and parsing every value of its database), and
 * beside the Claude adapter on a corpus of the same shape and session count, measured in the same section so the
 * comparison does not depend on which other sections ran.
 */
import path from 'node:path';
import { measureColdIndex, type AdapterBenchResult } from './cold-index.js';
import { benchCodex } from './codex-corpus.js';
import { generateCorpus } from './corpus.js';
import { benchCursor } from './cursor.js';
import { benchGemini } from './gemini-corpus.js';
import type { Numbers } from './report.js';
import { fmt } from './stats.js';

export interface AdaptersBenchOptions {
  readonly root: string;
  /** Sessions of each JSONL assistant's corpus (Claude, Codex, Gemini). */
  readonly sessions: number;
  readonly cursorComposers: number;
  readonly runs: number;
  readonly log: (line: string) => void;
  readonly report: (name: string, value: string, numbers?: Numbers) => void;
}

function benchClaude(root: string, sessions: number, runs: number): AdapterBenchResult {
  // The same session count and size mix as the other assistants' corpora; its one large transcript kept small.
  const corpus = generateCorpus(root, { sessions, largeBytes: 5e6, seed: 3 });
  return measureColdIndex({ claudeDir: corpus.claudeDir }, corpus.files, corpus.bytes, path.join(root, 'claude-index.db'), runs);
}

export function runAdaptersBench(o: AdaptersBenchOptions): void {
  const results: [string, AdapterBenchResult][] = [];
  const line = (name: string, r: AdapterBenchResult, claude: AdapterBenchResult | null) => {
    const beside = claude && claude !== r ? `, ${fmt(r.coldMBs / claude.coldMBs, 2)}× the Claude adapter` : '';
    o.report(
      `${name}: cold index`,
      `${fmt(r.coldMBs)} MB/s, ${fmt(r.messages / (r.coldMs / 1000), 0)} messages/s (${r.files} files, ${fmt(r.corpusMB)} MB, ${r.messages} messages); ` +
        `JSON.parse scan (baseline) ${fmt(r.baselineMBs)} MB/s, ${fmt(r.coldMBs / r.baselineMBs, 2)}× it${beside}; warm re-index ${fmt(r.warmMs)} ms`,
      { mbs: r.coldMBs, baselineMBs: r.baselineMBs, corpusMB: r.corpusMB, messages: r.messages, coldMs: r.coldMs, warmMs: r.warmMs },
    );
  };
  for (const [name, run] of [
    ['claude', () => benchClaude(path.join(o.root, 'claude'), o.sessions, o.runs)],
    ['codex', () => benchCodex(path.join(o.root, 'codex'), { sessions: o.sessions, runs: o.runs })],
    ['gemini', () => benchGemini(path.join(o.root, 'gemini'), { sessions: o.sessions, runs: o.runs })],
  ] as const) {
    o.log(`${name}: ${o.sessions} sessions`);
    const r = run();
    results.push([name, r]);
    line(name, r, results[0][1]);
  }
  o.log(`cursor: ${o.cursorComposers} composers in one state.vscdb`);
  const cursor = benchCursor(path.join(o.root, 'cursor'), { composers: o.cursorComposers, runs: o.runs, log: () => {} });
  const claude = results[0][1];
  for (const [k, v] of Object.entries(cursor.lines)) {
    const beside = k.startsWith('cursor: cold index') ? `; ${fmt((k.includes('running') ? cursor.coldLiveMBs : cursor.coldMBs) / claude.coldMBs, 2)}× the Claude adapter` : '';
    o.report(k, `${v}${beside}`);
  }
  o.report('cursor: corpus', `${cursor.composers} composers, ${cursor.bubbles} bubbles, ${fmt(cursor.dbMB)} MB database, ${cursor.messages} messages`, {
    dbMB: cursor.dbMB, coldMBs: cursor.coldMBs, coldLiveMBs: cursor.coldLiveMBs, baselineMBs: cursor.baselineMBs, warmUnchangedMs: cursor.warmUnchangedMs, warmOneComposerMs: cursor.warmOneComposerMs,
  });
}
