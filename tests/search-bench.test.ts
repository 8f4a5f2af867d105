/** The search benchmark's corpus and a tiny end-to-end run of it (the real figures come from `npm run bench`). */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { benchQueries, FUZZY_QUERIES, runSearchBench } from '../src/bench/search-bench.js';
import { generateSearchCorpus } from '../src/bench/search-corpus.js';
import { runIndex } from '../src/ingest/indexer.js';
import { adaptersFor } from '../src/ingest/sources.js';
import { parseQuery } from '../src/search/query.js';
import { closeDatabase, openDatabase } from '../src/store/db.js';
import { IndexWriter } from '../src/store/writer.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mantra-search-bench-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('search corpus', () => {
  it('is deterministic, and the real adapter reads every message it wrote', () => {
    const a = generateSearchCorpus(path.join(dir, 'a'), { messages: 1500 });
    const b = generateSearchCorpus(path.join(dir, 'b'), { messages: 1500 });
    expect(a.messages).toBeGreaterThanOrEqual(1500);
    expect(a.bytes).toBe(b.bytes);
    expect(a.rareWords).toEqual(b.rareWords);
    expect(fs.readFileSync(a.files[0], 'utf8')).toBe(fs.readFileSync(b.files[0], 'utf8'));
    const db = openDatabase(path.join(dir, 'i.db'));
    const stats = runIndex(new IndexWriter(db), adaptersFor({ claudeDir: a.claudeDir }));
    expect(stats.messagesAdded).toBe(a.messages);
    expect(stats.skipped).toEqual({});
    expect((db.prepare('SELECT count(*) AS n FROM fact').get() as { n: number }).n).toBeGreaterThan(0);
    closeDatabase(db);
  });

  it('has at least twenty full-text queries and a dozen typo queries, all searchable', () => {
    const queries = benchQueries(['alpha', 'beta', 'gamma', 'delta']);
    expect(queries.length).toBeGreaterThanOrEqual(20);
    for (const q of queries) expect(parseQuery(q.query).length, q.query).toBeGreaterThan(0);
    expect(FUZZY_QUERIES.length).toBeGreaterThanOrEqual(12);
  });
});

describe('search benchmark', () => {
  it('runs end to end on a tiny corpus and reports every figure', () => {
    const lines: string[] = [];
    const r = runSearchBench({ root: dir, messages: 1500, runs: 1, ingestSessions: 2, ingestLargeMb: 1, log: (l) => lines.push(l) });
    for (const key of ['cold index with full text', 'cold index without full text', 'index size', 'full-text query', 'fuzzy query with typos', 'facts extracted']) {
      expect(r.results[key], key).toBeTruthy();
    }
    expect(r.fullTextMedianMs).toBeGreaterThan(0);
    expect(r.fuzzyP95Ms).toBeGreaterThan(0);
    expect(r.indexRatio).toBeGreaterThan(0.3);
    const hasRg = spawnSync('rg', ['--version'], { stdio: 'ignore' }).status === 0;
    if (hasRg) expect(r.ripgrepRatio).toBeGreaterThan(0);
    else {
      expect(r.ripgrepRatio).toBeNull();
      expect(lines.join('\n')).toMatch(/ripgrep \(rg\) is not installed/);
    }
  });
});
