/** Search and facts over a real index: Claude Code transcripts ingested from temp dirs into a real SQLite file. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXTRACTOR_VERSION, extractAll } from '../src/facts/extract.js';
import type { FactMessage } from '../src/facts/types.js';
import { runIndex } from '../src/ingest/indexer.js';
import { adaptersFor } from '../src/ingest/sources.js';
import type { ParsedMessage } from '../src/model.js';
import { factsOfSession, hitsInSession, MARK_END, MARK_START, search, searchMessages, type SearchHit } from '../src/search/index.js';
import { closeDatabase, openDatabase } from '../src/store/db.js';
import { hasStaleFacts } from '../src/store/facts.js';
import { FLUSH_ROWS, needsIndexPass, pendingSearchRows } from '../src/store/search-index.js';
import { StatementCache } from '../src/store/statements.js';
import { docsizeTokens, expandedMatch, fullTextCandidates, MAX_PREFIX_WORDS } from '../src/search/fulltext.js';
import { parseQuery } from '../src/search/query.js';
import { StoreReader } from '../src/store/reader.js';
import { IndexWriter } from '../src/store/writer.js';
import { migrate } from '../src/store/migrations.js';
import { prompt, reply, toolResult, toolUse, uuid } from './helpers/claude-lines.js';

let dir: string;
let claudeDir: string;
let dbPath: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mantra-search-'));
  claudeDir = path.join(dir, 'claude');
  dbPath = path.join(dir, 'index.db');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const AUTH = '11111111-1111-4111-8111-111111111111';
const CART = '22222222-2222-4222-8222-222222222222';
const OTHER = '33333333-3333-4333-8333-333333333333';

const at = (day: number, minute: number) => new Date(Date.UTC(2026, 4, day, 9, minute)).toISOString();

/** A Claude Code transcript built line by line, each line chained to the previous one. */
class Transcript {
  readonly lines: string[] = [];
  private parent: string | null = null;
  private minute = 0;
  constructor(
    readonly sessionId: string,
    readonly cwd: string,
    readonly day: number,
  ) {}
  private c() {
    const u = uuid();
    const c = { uuid: u, parentUuid: this.parent, sessionId: this.sessionId, timestamp: at(this.day, this.minute++), cwd: this.cwd };
    this.parent = u;
    return c;
  }
  user(text: string) {
    this.lines.push(prompt(this.c(), text));
    return this;
  }
  assistant(text: string) {
    this.lines.push(reply(this.c(), text));
    return this;
  }
  tool(name: string, input: Record<string, unknown>, output: string, isError = false) {
    const id = `toolu_${uuid().slice(-8)}`;
    this.lines.push(toolUse(this.c(), id, name, input));
    this.lines.push(toolResult(this.c(), id, output, isError));
    return this;
  }
  write(): string {
    const project = path.join(claudeDir, 'projects', this.cwd.replaceAll('/', '-'));
    fs.mkdirSync(project, { recursive: true });
    const file = path.join(project, `${this.sessionId}.jsonl`);
    fs.writeFileSync(file, this.lines.join('\n') + '\n');
    return file;
  }
}

function authSession(): Transcript {
  return new Transcript(AUTH, '/home/ada/shop', 2)
    .user('Refresh the auth token when it expires')
    .tool('Read', { file_path: '/home/ada/shop/src/api.ts' }, 'export const api = axios.create();')
    .assistant("I'll add an axios interceptor instead of wrapping every call, because it keeps the callers unchanged.")
    .tool('Edit', { file_path: '/home/ada/shop/src/api.ts', old_string: 'export const api = axios.create();', new_string: 'export const api = withRefresh(axios.create());\nimport { withRefresh } from "./refresh";' }, 'The file has been updated.')
    .tool('Bash', { command: 'npm test' }, 'FAIL src/api.test.ts\nTests: 1 failed', true)
    .user('no, that loops on 401')
    .assistant("That didn't work. Let me try a different approach: refresh the token before it expires.")
    .assistant('Done: proactive token refresh. Next: tests for clock skew.');
}

function cartSession(): Transcript {
  return new Transcript(CART, '/home/ada/shop/web', 3)
    .user('Add a quantity limit to the cart')
    .assistant('Decided to cap the quantity at 10 in the cart reducer rather than in the API, because the UI needs instant feedback.')
    .tool('Edit', { file_path: '/home/ada/shop/web/src/cart.ts', old_string: 'qty', new_string: 'Math.min(qty, 10)' }, 'The file has been updated.')
    .assistant('The interceptor from the auth work is untouched. Cart limit done.');
}

function otherSession(): Transcript {
  return new Transcript(OTHER, '/home/bob/blog', 1)
    .user('Write a post about the axios interceptor pattern')
    .assistant('Here is a draft about the interceptor pattern and token refresh.');
}

function index() {
  const db = openDatabase(dbPath);
  try {
    return runIndex(new IndexWriter(db), adaptersFor({ claudeDir }));
  } finally {
    closeDatabase(db);
  }
}

function withDb<T>(fn: (db: Database.Database) => T): T {
  const db = openDatabase(dbPath, { readonly: true });
  try {
    return fn(db);
  } finally {
    closeDatabase(db);
  }
}

const find = (query: string, opts: Omit<Parameters<typeof search>[1], 'query'> = {}) => withDb((db) => search(db, { query, ...opts }));
const where = (hits: SearchHit[]) => hits.map((h) => `${h.kind}:${h.sessionId.slice(0, 1)}#${h.seq}`);

function allFacts(db: Database.Database) {
  return db.prepare('SELECT session_id, seq, kind, text, detail, provisional, extractor_version FROM fact ORDER BY session_id, provisional, id').all();
}

describe('full-text index kept in sync by the writer', () => {
  it('finds messages of every kind after ingest, including tool inputs and outputs', () => {
    authSession().write();
    index();
    expect(where(find('loops on 401', { kind: 'all' }).filter((h) => h.kind === 'message'))).toEqual(['message:1#9']);
    // A tool output, and a word inside a tool call's JSON input that followed a newline escape.
    expect(where(find('FAIL api.test').filter((h) => h.kind === 'message'))).toEqual(['message:1#8']);
    const input = find('withRefresh import').filter((h) => h.kind === 'message');
    expect(where(input)).toEqual(['message:1#5']);
    expect(input[0].plainSnippet).toContain('input:');
  });

  it('adds appended messages, forgets a rewritten file, and stays the same when re-indexed', () => {
    const t = authSession();
    const file = t.write();
    index();
    const count = () => withDb((db) => (db.prepare('SELECT count(*) AS n FROM message_fts').get() as { n: number }).n);
    const messages = () => withDb((db) => (db.prepare('SELECT count(*) AS n FROM message').get() as { n: number }).n);
    expect(count()).toBe(messages());
    t.assistant('Added a regression test for the zeppelin case.');
    fs.writeFileSync(file, t.lines.join('\n') + '\n');
    index();
    expect(where(find('zeppelin'))).toEqual(['message:1#12']);
    index();
    expect(count()).toBe(messages());
    expect(find('zeppelin')).toHaveLength(1);
    // Rewritten in place (not an append): what the index held from it is replaced.
    fs.writeFileSync(file, new Transcript(AUTH, '/home/ada/shop', 2).user('A completely new start with a walrus').lines.join('\n') + '\n');
    const stats = index();
    expect(stats.filesReset).toBe(1);
    expect(find('zeppelin')).toEqual([]);
    expect(find('interceptor').filter((h) => h.sessionId === AUTH)).toEqual([]);
    expect(where(find('walrus'))).toEqual(['message:1#1']);
    expect(count()).toBe(messages());
  });

  it('drops a deleted session from both indexes', () => {
    authSession().write();
    cartSession().write();
    index();
    const db = openDatabase(dbPath);
    db.prepare('DELETE FROM session WHERE id = ?').run(AUTH);
    expect(search(db, { query: 'interceptor' }).map((h) => h.sessionId)).toEqual([CART]);
    expect(search(db, { query: 'Refresh the auth token' }).filter((h) => h.sessionId === AUTH)).toEqual([]);
    expect((db.prepare('SELECT count(*) AS n FROM message_fts').get() as { n: number }).n).toBe(
      (db.prepare('SELECT count(*) AS n FROM message').get() as { n: number }).n,
    );
    closeDatabase(db);
  });
});

describe('upgrading an index that predates search', () => {
  it('queues existing messages, indexes titles at once, and extracts facts at the next pass', () => {
    const raw = new Database(dbPath);
    migrate(raw, dbPath, 2);
    raw.exec(`INSERT INTO session (id, agent, project, title) VALUES ('old', 'claude', '/p', 'Migrate the billing tables');
      INSERT INTO source_file (id, path, agent) VALUES (1, '/gone.jsonl', 'claude');
      INSERT INTO message (session_id, seq, source_id, role, kind, text, source_file_id, byte_offset)
        VALUES ('old', 1, 'a', 'user', 'prompt', 'Migrate the billing tables', 1, 0),
               ('old', 2, 'b', 'assistant', 'reply', 'We will go with online migrations because the table is large.', 1, 100);`);
    raw.close();
    const db = openDatabase(dbPath);
    expect(pendingSearchRows(db)).toBe(2);
    expect(needsIndexPass(db)).toBe(true);
    expect(search(db, { query: 'biling tables' }).map((h) => h.kind)).toEqual(['title']);
    runIndex(new IndexWriter(db), adaptersFor({ claudeDir }));
    expect(pendingSearchRows(db)).toBe(0);
    expect(needsIndexPass(db)).toBe(false);
    expect(searchMessages(db, { query: 'online migrations' }).map((h) => h.seq)).toEqual([2]);
    expect(factsOfSession(db, 'old').map((f) => [f.kind, f.seq])).toEqual([['decision', 2]]);
    closeDatabase(db);
  });
});

describe('the full-text queue', () => {
  const msg = (n: number, text: string): ParsedMessage => ({
    sourceId: `q${n}`, parentId: null, timestamp: Date.UTC(2026, 5, 1, 0, 0, n), role: 'user', kind: 'prompt', text,
    toolName: null, toolInput: null, toolUseId: null, files: [], isError: false, isSidechain: false, subtype: null, data: null,
    byteOffset: n,
  });
  const seqs = (db: Database.Database, q: string) => searchMessages(db, { query: q }).map((h) => h.seq).sort();

  it('holds appends until flushed, forgets deleted messages, and indexes a reused id afresh', () => {
    const db = openDatabase(dbPath);
    const writer = new IndexWriter(db);
    const f = writer.ensureSourceFile('/q.jsonl', 'claude');
    writer.upsertSession({ id: 'q', agent: 'claude' }, f.id);
    writer.appendMessages('q', f.id, 1, [msg(1, 'alpha zebra'), msg(2, 'beta zebra')]);
    expect(seqs(db, 'zebra')).toEqual([]);
    expect(pendingSearchRows(db)).toBe(2);
    expect(needsIndexPass(db)).toBe(true);
    expect(writer.flushSearchIndex()).toBe(2);
    expect(seqs(db, 'zebra')).toEqual([1, 2]);
    writer.appendMessages('q', f.id, 3, [msg(3, 'gamma zebra')]);
    // A reset deletes indexed and still-queued messages alike; the next append reuses the freed ids.
    writer.transaction(() => writer.resetSourceFile(f.id));
    expect(pendingSearchRows(db)).toBe(0);
    expect(seqs(db, 'zebra')).toEqual([]);
    writer.appendMessages('q', f.id, 1, [msg(4, 'delta yak')]);
    expect(writer.flushSearchIndex()).toBe(1);
    expect(seqs(db, 'yak')).toEqual([1]);
    expect(seqs(db, 'zebra')).toEqual([]);
    expect(needsIndexPass(db)).toBe(false);
    // A message rewritten in place is re-queued with its new text.
    db.prepare("UPDATE message SET text = 'epsilon okapi' WHERE session_id = 'q' AND seq = 1").run();
    writer.flushSearchIndex();
    expect(seqs(db, 'okapi')).toEqual([1]);
    expect(seqs(db, 'yak')).toEqual([]);
    closeDatabase(db);
  });

  it('ranks a window of the newest matches by length when a query matches more than the window', () => {
    const db = openDatabase(dbPath);
    const writer = new IndexWriter(db);
    const f = writer.ensureSourceFile('/w.jsonl', 'claude');
    writer.upsertSession({ id: 'w', agent: 'claude' }, f.id);
    const texts = ['okapi one', 'okapi two words here', 'okapi', 'okapi a b c d e f g h i j', 'okapi x y'];
    writer.appendMessages('w', f.id, 1, texts.map((t, i) => msg(i + 1, t)));
    writer.flushSearchIndex();
    const statements = new StatementCache(db);
    const ids = (db.prepare("SELECT id, seq FROM message WHERE session_id = 'w'").all() as { id: number; seq: number }[]);
    const seqOf = new Map(ids.map((r) => [r.id, r.seq]));
    // Window of 3 < 5 matches: the newest three (seqs 3, 4, 5), shortest first.
    const windowed = fullTextCandidates(statements, ['"okapi"'], {}, 3);
    expect([...windowed].sort((a, b) => a.rank - b.rank).map((c) => seqOf.get(c.id))).toEqual([3, 5, 4]);
    // Window large enough: every match, ranked by SQLite's bm25.
    expect(fullTextCandidates(statements, ['"okapi"'], {}, 10)).toHaveLength(5);
    // Two terms, one of them common: few joint matches, but bm25 would count all of the common one's.
    writer.appendMessages('w', f.id, 6, [msg(6, 'okapi yak'), msg(7, 'yak yak yak okapi')]);
    writer.flushSearchIndex();
    const seqOfAll = new Map((db.prepare("SELECT id, seq FROM message WHERE session_id = 'w'").all() as { id: number; seq: number }[]).map((r) => [r.id, r.seq]));
    const order = (cs: { id: number; rank: number }[]) => [...cs].sort((a, b) => a.rank - b.rank).map((c) => seqOfAll.get(c.id));
    // "okapi yak" is shorter than "yak yak yak okapi": first without term frequencies.
    expect(order(fullTextCandidates(statements, ['"okapi"', '"yak"'], {}, 3))).toEqual([6, 7]);
    // Both terms rare (window 10): bm25, where the message saying "yak" three times comes first despite its length.
    expect(order(fullTextCandidates(statements, ['"okapi"', '"yak"'], {}, 10))).toEqual([7, 6]);
    // The docsize the ranking reads is the message's token count.
    const sz = db.prepare('SELECT sz FROM message_fts_docsize WHERE id = ?').get(ids.find((r) => r.seq === 4)!.id) as { sz: Uint8Array };
    expect(docsizeTokens(sz.sz)).toBe(11);
    closeDatabase(db);
  });

  it('cuts the snippet around a hit deep in a long message', () => {
    const db = openDatabase(dbPath);
    const writer = new IndexWriter(db);
    const f = writer.ensureSourceFile('/long.jsonl', 'claude');
    writer.upsertSession({ id: 'long', agent: 'claude' }, f.id);
    writer.appendMessages('long', f.id, 1, [msg(1, `${'filler line of log output\n'.repeat(2000)}the quokka appeared here\n${'tail\n'.repeat(100)}`)]);
    writer.flushSearchIndex();
    const [hit] = searchMessages(db, { query: 'quokka' });
    expect(hit.snippet).toContain(`the ${MARK_START}quokka${MARK_END} appeared`);
    expect(hit.plainSnippet.startsWith('…')).toBe(true);
    closeDatabase(db);
  });

  it('expands prefixes through the vocabulary, up to a cap', () => {
    const db = openDatabase(dbPath);
    const writer = new IndexWriter(db);
    const f = writer.ensureSourceFile('/p.jsonl', 'claude');
    writer.upsertSession({ id: 'p', agent: 'claude' }, f.id);
    const many = Array.from({ length: MAX_PREFIX_WORDS + 10 }, (_, i) => `zq${String(i).padStart(3, '0')}`);
    writer.appendMessages('p', f.id, 1, [msg(1, 'src/cart.ts and src/cache.ts'), msg(2, many.slice(0, MAX_PREFIX_WORDS + 5).join(' ')), msg(3, many[MAX_PREFIX_WORDS + 5])]);
    writer.flushSearchIndex();
    const statements = new StatementCache(db);
    expect(expandedMatch(statements, parseQuery('"src ca"*'))).toBe('("src cache" OR "src cart")');
    expect(expandedMatch(statements, parseQuery('nothingstarts*'))).toBeNull();
    expect(hitsInSession(db, 'p', '"src car"*')).toEqual([1]);
    expect(hitsInSession(db, 'p', 'zq00*')).toEqual([2]);
    // Past the first MAX_PREFIX_WORDS completions in alphabetical order, a completion is not searched.
    expect(hitsInSession(db, 'p', 'zq*')).toEqual([2]);
    expect(hitsInSession(db, 'p', many[MAX_PREFIX_WORDS + 5])).toEqual([3]);
    closeDatabase(db);
  });

  it('flushes a long first index in batches while it runs', () => {
    const db = openDatabase(dbPath);
    const writer = new IndexWriter(db);
    const f = writer.ensureSourceFile('/big.jsonl', 'claude');
    writer.upsertSession({ id: 'big', agent: 'claude' }, f.id);
    const batch = Array.from({ length: FLUSH_ROWS - 1 }, (_, i) => msg(i + 1, `row ${i} walrus`));
    writer.transaction(() => writer.appendMessages('big', f.id, 1, batch));
    expect(writer.flushSearchIndexIfDue()).toBe(0);
    writer.transaction(() => writer.appendMessages('big', f.id, FLUSH_ROWS, [msg(FLUSH_ROWS + 5, 'last walrus'), msg(FLUSH_ROWS + 6, 'very last walrus')]));
    expect(writer.flushSearchIndexIfDue()).toBe(FLUSH_ROWS + 1);
    expect(pendingSearchRows(db)).toBe(0);
    expect(hitsInSession(db, 'big', 'walrus')).toHaveLength(FLUSH_ROWS + 1);
    closeDatabase(db);
  });
});

describe('full-text queries', () => {
  beforeEach(() => {
    authSession().write();
    cartSession().write();
    otherSession().write();
    index();
  });

  it('requires every word, matches phrases in order and prefixes', () => {
    const messages = (q: string) => where(find(q).filter((h) => h.kind === 'message'));
    expect(messages('interceptor cart')).toEqual(['message:2#5']);
    expect(messages('"token refresh"').sort()).toEqual(['message:1#11', 'message:3#2']);
    expect(messages('"refresh token"')).toEqual([]);
    expect(messages('intercep*').sort()).toEqual(['message:1#4', 'message:2#5', 'message:3#1', 'message:3#2']);
    expect(messages('quant* limit')).toEqual(['message:2#1']);
  });

  it('takes any typed text without error', () => {
    for (const q of ['foo(bar', '-x', 'AND', 'OR NOT', '"', 'NEAR(a', 'col:val', '*', '^', '\\']) {
      expect(() => find(q), q).not.toThrow();
    }
    expect(where(find('401)').filter((h) => h.kind === 'message'))).toEqual(['message:1#9']);
  });

  it('ranks by bm25 and breaks ties by recency', () => {
    // "interceptor" twice in a short message beats once in a longer one; equal messages: the newer first.
    const t1 = new Transcript('44444444-4444-4444-8444-444444444444', '/home/ada/x', 5).user('zebra zebra crossing');
    const t2 = new Transcript('55555555-5555-4555-8555-555555555555', '/home/ada/x', 4).user('the zebra went to the crossing at noon today');
    const t3 = new Transcript('66666666-6666-4666-8666-666666666666', '/home/ada/x', 6).user('the zebra went to the crossing at noon today');
    t1.write();
    t2.write();
    t3.write();
    index();
    const hits = find('zebra').filter((h) => h.kind === 'message');
    expect(hits.map((h) => h.sessionId[0])).toEqual(['4', '6', '5']);
    expect(hits[0].score).toBe(1);
    expect(hits[1].score).toBeLessThan(1);
    expect(hits[1].score).toBe(hits[2].score);
  });

  it('marks hits in snippets and passes them through the mask', () => {
    const [hit] = find('"loops on"').filter((h) => h.kind === 'message');
    expect(hit.snippet).toBe(`no, that ${MARK_START}loops on${MARK_END} 401`);
    expect(hit.plainSnippet).toBe('no, that loops on 401');
    const masked = find('"loops on"', { maskSnippet: (s) => s.replace('401', '[masked]') }).filter((h) => h.kind === 'message');
    expect(masked[0].plainSnippet).toBe('no, that loops on [masked]');
    expect(hit).toMatchObject({ sessionId: AUTH, agent: 'claude', project: '/home/ada/shop', sessionTitle: 'Refresh the auth token when it expires' });
    expect(hit.timestamp).toBe(Date.parse(at(2, 8)));
  });

  it('limits to a session, a project (with its subdirectories) or an agent', () => {
    const sessions = (hits: SearchHit[]) => [...new Set(hits.map((h) => h.sessionId))].sort();
    expect(sessions(find('interceptor', { scope: { sessionId: CART } }))).toEqual([CART]);
    expect(sessions(find('interceptor', { scope: { project: '/home/ada/shop' } }))).toEqual([AUTH, CART]);
    expect(sessions(find('interceptor', { scope: { project: '/home/ada/shop/web/' } }))).toEqual([CART]);
    expect(sessions(find('interceptor', { scope: { project: '/home/ada/sho' } }))).toEqual([]);
    expect(sessions(find('interceptor', { scope: { agent: 'claude' } }))).toEqual([AUTH, CART, OTHER]);
    expect(find('interceptor', { scope: { agent: 'codex' } })).toEqual([]);
    expect(find('interceptor', { scope: { sessionId: 'no-such-session' } })).toEqual([]);
  });

  it('lists the hits of one session in timeline order for n/N', () => {
    withDb((db) => {
      expect(hitsInSession(db, AUTH, 'token')).toEqual([1, 10, 11]);
      expect(hitsInSession(db, AUTH, 'interceptor')).toEqual([4]);
      expect(hitsInSession(db, AUTH, '')).toEqual([]);
      expect(hitsInSession(db, 'nope', 'token')).toEqual([]);
    });
  });

  it('respects the limit', () => {
    expect(find('the', { limit: 2 })).toHaveLength(2);
  });
});

describe('facts and fuzzy search', () => {
  beforeEach(() => {
    authSession().write();
    cartSession().write();
    otherSession().write();
    index();
  });

  it('stores the facts of each session with their kinds and messages', () => {
    withDb((db) => {
      const facts = factsOfSession(db, AUTH);
      expect(facts.map((f) => [f.kind, f.seq])).toEqual([
        ['decision', 4],
        ['dead-end', 9],
        ['dead-end', 10],
        ['status', 11],
        ['key-file', 5],
      ]);
      expect(facts[1].text).toBe(
        '"no, that loops on 401" — after: I\'ll add an axios interceptor instead of wrapping every call, because it keeps the callers unchanged.',
      );
      expect(facts[2].text).toMatch(
        /^That didn't work\. Let me try a different approach: refresh the token before it expires\. \(after `npm test` failed\) — abandoning: I'll add an axios interceptor/,
      );
      expect(facts[2].text.length).toBeLessThanOrEqual(200);
      expect(facts[3].text).toBe('Done: proactive token refresh; next: tests for clock skew.');
      expect(facts[4]).toMatchObject({ text: 'src/api.ts (1 edit, 1 read)', detail: '/home/ada/shop/src/api.ts', extractorVersion: EXTRACTOR_VERSION });
      expect(facts[3].timestamp).toBe(Date.parse(at(2, 10)));
      expect(new StoreReader(db).factMarkers(AUTH)).toEqual([
        { seq: 4, kind: 'decision' },
        { seq: 9, kind: 'dead-end' },
        { seq: 10, kind: 'dead-end' },
        { seq: 11, kind: 'status' },
      ]);
      expect(factsOfSession(db, 'nope')).toEqual([]);
      expect(hasStaleFacts(db)).toBe(false);
    });
  });

  it('finds facts and titles despite typos', () => {
    const dead = find('axois interceptor', { kind: 'dead-end' });
    expect(dead.map((h) => [h.sessionId, h.kind, h.seq]).sort()).toEqual([
      [AUTH, 'dead-end', 10],
      [AUTH, 'dead-end', 9],
    ]);
    const decisions = find('axois intercepter', { kind: 'decision' });
    expect(where(decisions)).toEqual(['decision:1#4']);
    expect(decisions[0].snippet).toContain(`${MARK_START}axios${MARK_END} ${MARK_START}interceptor${MARK_END}`);
    const titles = find('quantitty limt').filter((h) => h.kind === 'title');
    expect(where(titles)).toEqual(['title:2#1']);
    expect(find('qantity cart', { kind: 'decision' }).map((h) => h.sessionId)).toEqual([CART]);
  });

  it('filters facts by kind and scope, and lists the newest of a kind for an empty query', () => {
    expect(find('refresh', { kind: 'status' }).map((h) => [h.kind, h.seq])).toEqual([['status', 11]]);
    expect(find('interceptor', { kind: 'decision', scope: { project: '/home/ada/shop/web' } })).toEqual([]);
    expect(find('', { kind: 'decision' }).map((h) => h.sessionId)).toEqual([CART, AUTH]);
    expect(find('', { kind: 'decision', scope: { sessionId: AUTH } }).map((h) => h.seq)).toEqual([4]);
    expect(find('')).toEqual([]);
  });

  it('puts facts and titles before messages when searching everything', () => {
    const hits = find('axios interceptor');
    const firstMessage = hits.findIndex((h) => h.kind === 'message');
    expect(firstMessage).toBeGreaterThan(0);
    expect(hits.slice(0, firstMessage).every((h) => h.kind !== 'message')).toBe(true);
    expect(hits.slice(firstMessage).every((h) => h.kind === 'message')).toBe(true);
    for (const h of hits) expect(h.score).toBeGreaterThan(0);
  });
});

describe('incremental facts', () => {
  function messagesOf(db: Database.Database, sessionId: string): FactMessage[] {
    return new StoreReader(db).getMessages(sessionId, 1, 10_000).map((m) => ({ ...m, data: m.kind === 'tool-call' ? m.data : null }));
  }

  it('gives the same facts whether a session arrives whole or in appends', () => {
    const t = authSession();
    const file = t.write();
    const appendedDb = path.join(dir, 'appended.db');
    fs.writeFileSync(file, t.lines.slice(0, 4).join('\n') + '\n');
    const run = (p: string) => {
      const db = openDatabase(p);
      runIndex(new IndexWriter(db), adaptersFor({ claudeDir }));
      return db;
    };
    closeDatabase(run(appendedDb));
    fs.appendFileSync(file, t.lines.slice(4, 7).join('\n') + '\n');
    closeDatabase(run(appendedDb));
    fs.appendFileSync(file, t.lines.slice(7).join('\n') + '\n');
    const a = run(appendedDb);
    const whole = run(dbPath);
    expect(allFacts(a)).toEqual(allFacts(whole));
    // And both equal a fresh extraction over the stored messages.
    const fresh = extractAll(messagesOf(whole, AUTH), { project: '/home/ada/shop' });
    expect(factsOfSession(whole, AUTH).map((f) => ({ kind: f.kind, seq: f.seq, text: f.text, detail: f.detail }))).toEqual(
      [...fresh.filter((f) => f.kind !== 'key-file').sort((x, y) => x.seq - y.seq), ...fresh.filter((f) => f.kind === 'key-file')],
    );
    closeDatabase(a);
    closeDatabase(whole);
  });

  it('re-extracts every session when the extractor version changes, at the next index pass', () => {
    authSession().write();
    cartSession().write();
    otherSession().write();
    index();
    const before = withDb(allFacts);
    expect(before.length).toBeGreaterThan(5);
    // What an older extractor left behind: different facts, an older version in the state.
    const db = openDatabase(dbPath);
    db.prepare("UPDATE fact SET text = 'stale', extractor_version = ?").run(EXTRACTOR_VERSION - 1);
    db.prepare("INSERT INTO fact (session_id, seq, kind, text, extractor_version) VALUES (?, 1, 'decision', 'obsolete', ?)").run(OTHER, EXTRACTOR_VERSION - 1);
    db.prepare('UPDATE fact_state SET extractor_version = ?').run(EXTRACTOR_VERSION - 1);
    expect(hasStaleFacts(db)).toBe(true);
    closeDatabase(db);
    const stats = index();
    expect(stats.filesUnchanged).toBe(3);
    expect(withDb(allFacts)).toEqual(before);
    expect(find('stale', { kind: 'decision' })).toEqual([]);
    expect(find('obsolete', { kind: 'decision' })).toEqual([]);
    withDb((d) => expect(hasStaleFacts(d)).toBe(false));
  });

  it('re-extracts a stale session whole when new messages arrive for it', () => {
    const t = authSession();
    const file = t.write();
    index();
    const db = openDatabase(dbPath);
    db.prepare('UPDATE fact_state SET extractor_version = ?').run(EXTRACTOR_VERSION - 1);
    db.prepare('DELETE FROM fact').run();
    closeDatabase(db);
    t.assistant('Also: we went with a 30 second refresh margin because clocks drift.');
    fs.writeFileSync(file, t.lines.join('\n') + '\n');
    const writerDb = openDatabase(dbPath);
    const writer = new IndexWriter(writerDb);
    // Only the adapter's ingest (not the end-of-pass refresh): the append alone must rebuild the session.
    adaptersFor({ claudeDir })[0].ingest(writer, adaptersFor({ claudeDir })[0].discover()[0], {
      filesSeen: 0, filesRead: 0, filesUnchanged: 0, filesReset: 0, filesGone: 0, bytesRead: 0, linesRead: 0,
      sessionsAdded: 0, messagesAdded: 0, skipped: {}, fileErrors: [],
    });
    expect(factsOfSession(writerDb, AUTH).map((f) => [f.kind, f.seq])).toEqual([
      ['decision', 4],
      ['dead-end', 9],
      ['dead-end', 10],
      ['status', 11],
      ['decision', 12],
      ['key-file', 5],
    ]);
    closeDatabase(writerDb);
  });

  it('keeps facts of sessions written directly through the writer, for any agent', () => {
    const db = openDatabase(dbPath);
    const writer = new IndexWriter(db);
    const f = writer.ensureSourceFile('/codex/rollout.jsonl', 'codex');
    writer.upsertSession({ id: 'codex-1', agent: 'codex', project: '/srv/app' }, f.id);
    const m = (n: number, over: Partial<ParsedMessage>): ParsedMessage => ({
      sourceId: `c${n}`, parentId: null, timestamp: Date.UTC(2026, 5, 1, 0, n), role: 'user', kind: 'prompt', text: '',
      toolName: null, toolInput: null, toolUseId: null, files: [], isError: false, isSidechain: false, subtype: null, data: null,
      byteOffset: n, ...over,
    });
    writer.transaction(() =>
      writer.appendMessages('codex-1', f.id, 1, [
        m(1, { text: 'switch to BullMQ for the queue' }),
        m(2, { role: 'assistant', kind: 'reply', text: "We'll go with BullMQ over Agenda because it supports rate limits." }),
      ]),
    );
    expect(search(db, { query: 'bulmq', kind: 'decision', scope: { agent: 'codex' } }).map((h) => [h.sessionId, h.seq, h.agent]).sort()).toEqual([
      ['codex-1', 1, 'codex'],
      ['codex-1', 2, 'codex'],
    ]);
    expect(search(db, { query: 'bulmq', kind: 'decision', scope: { agent: 'claude' } })).toEqual([]);
    closeDatabase(db);
  });
});
