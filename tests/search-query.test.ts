import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { allowedEdits, editDistance } from '../src/search/edit-distance.js';
import { binaryBm25Ranks, docsizeTokens, rankCandidates } from '../src/search/fulltext.js';
import { fold, parseQuery, toFtsAny, toFtsMatch, tokenize } from '../src/search/query.js';
import { cleanText, makeSnippet, MARK_END, MARK_START } from '../src/search/snippet.js';

const show = (s: string) => s.replaceAll(MARK_START, '[').replaceAll(MARK_END, ']');

describe('query parsing', () => {
  it.each([
    ['axios interceptor', '"axios" AND "interceptor"'],
    ['"token refresh"', '"token refresh"'],
    ['intercep*', '"intercep"*'],
    ['"src/ca"*', '"src ca"*'],
    ['src/cart.ts', '"src cart ts"'],
    ['foo(bar', '"foo bar"'],
    ['-x', '"x"'],
    ['AND', '"and"'],
    ['a AND b OR c NOT d', '"a" AND "and" AND "b" AND "or" AND "c" AND "not" AND "d"'],
    ['NEAR(a b)', '"near a" AND "b"'],
    ['col:val', '"col val"'],
    ['"unbalanced phrase', '"unbalanced phrase"'],
    ['Café RÉSUMÉ', '"cafe" AND "resume"'],
    ['a*', '"a"'],
    ['ab*', '"ab"*'],
    ['axios axios', '"axios"'],
    ['***', null],
    ['   ', null],
    ['""', null],
    ['^start', '"start"'],
  ])('turns %j into the MATCH expression %j', (input, expected) => {
    expect(toFtsMatch(parseQuery(input))).toBe(expected);
  });

  it('keeps at most 16 terms', () => {
    const many = Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ');
    expect(parseQuery(many)).toHaveLength(16);
  });

  it('never produces an FTS5 syntax error, whatever is typed', () => {
    const db = new Database(':memory:');
    db.exec("CREATE VIRTUAL TABLE t USING fts5(body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')");
    db.prepare('INSERT INTO t (body) VALUES (?)').run('foo(bar) and -x "quoted" col:val NEAR café');
    const inputs = ['foo(bar', '-x', 'AND', 'OR', 'NOT', 'NEAR(', ')', '"', '""', '"a" "b', 'col:val', '*', 'a*b*', '^x', '+y', '{a b}:c', "'quote", '\\', '\u0000', 'emoji 🎉 test', '漢字 検索', 'a"b"c', '(((', 'x OR', 'AND AND'];
    for (const input of inputs) {
      for (const expr of [toFtsMatch(parseQuery(input)), toFtsAny(parseQuery(input))]) {
        if (expr === null) continue;
        expect(() => db.prepare('SELECT rowid FROM t WHERE t MATCH ?').all(expr), `${input} → ${expr}`).not.toThrow();
      }
    }
    expect(db.prepare('SELECT rowid FROM t WHERE t MATCH ?').all(toFtsMatch(parseQuery('foo(bar')))).toHaveLength(1);
    expect(db.prepare('SELECT rowid FROM t WHERE t MATCH ?').all(toFtsMatch(parseQuery('cafe')))).toHaveLength(1);
  });

  it('tokenizes and folds like the index', () => {
    expect(tokenize('Ünïcode_ident foo-bar 42px')).toEqual(['unicode', 'ident', 'foo', 'bar', '42px']);
    expect(fold('ÉCOLE')).toBe('ecole');
  });
});

describe('snippets', () => {
  const terms = (q: string) => parseQuery(q);

  it.each([
    ['the axios interceptor loops on 401', 'axios', 'the [axios] interceptor loops on 401'],
    ['The Axios interceptor', 'axios', 'The [Axios] interceptor'],
    ['Refresh the token, then refresh again', 'refresh', '[Refresh] the token, then [refresh] again'],
    ['we tried the interceptor approach', 'intercep*', 'we tried the [interceptor] approach'],
    ['token refresh and refresh token', '"refresh token"', 'token refresh and [refresh token]'],
    ['un café crème', 'cafe', 'un [café] crème'],
    ['a café then a cafe', 'cafe', 'a [café] then a [cafe]'],
    ['İstanbul and istanbul', 'istanbul', '[İstanbul] and [istanbul]'],
    ['src/cart.ts:12 fails', 'src/cart.ts', '[src/cart.ts]:12 fails'],
    ['line one\n\n\tline two', 'two', 'line one line [two]'],
    ['\u001b[31mred error\u001b[0m here', 'error', 'red [error] here'],
    ['nothing matches here', 'zebra', 'nothing matches here'],
  ])('marks %j for %j', (text, query, expected) => {
    expect(show(makeSnippet(text, terms(query)).marked)).toBe(expected);
  });

  it('cuts a long text around the first hit, at word boundaries, with ellipses', () => {
    const before = 'lorem ipsum dolor sit amet '.repeat(200);
    const text = `${before}the needle is here ${'consectetur adipiscing '.repeat(200)}`;
    const s = makeSnippet(text, terms('needle'), { width: 80 });
    expect(s.hit).toBe(true);
    expect(s.plain.startsWith('…')).toBe(true);
    expect(s.plain.endsWith('…')).toBe(true);
    expect(s.plain.length).toBeLessThanOrEqual(90);
    expect(show(s.marked)).toContain('the [needle] is here');
    expect(s.plain).toBe(s.marked.replaceAll(MARK_START, '').replaceAll(MARK_END, ''));
    expect(s.plain).not.toMatch(/ {2}/);
  });

  it('finds a hit deep in a large text, even across the scanning chunks, and not a word cut in two', () => {
    const filler = 'x'.repeat(4090);
    const text = `${filler} interceptor and later interceptors`;
    const exact = makeSnippet(text, terms('interceptor'));
    expect(show(exact.marked)).toContain('[interceptor] and later interceptors');
    const cut = makeSnippet(`${'y '.repeat(2046)}intercep`, terms('inter'));
    expect(cut.hit).toBe(false);
  });

  it('masks the window before marking, and never lets control characters through', () => {
    const mask = (s: string) => s.replace(/sk-[a-z0-9]+/g, '[secret]');
    const s = makeSnippet('export KEY=sk-abc123 then run the deploy', terms('deploy'), { mask });
    expect(show(s.marked)).toBe('export KEY=[secret] then run the [deploy]');
    expect(cleanText('a\u0001b\u0002c\u202ed')).toBe('abcd');
  });
});

describe('edit distance', () => {
  it.each([
    ['axios', 'axois', 1],
    ['axios', 'axios', 0],
    ['interceptor', 'interceptr', 1],
    ['interceptor', 'intreceptor', 1],
    ['cookie', 'cokie', 1],
    ['quantity', 'quantitty', 1],
    ['token', 'tokens', 1],
    ['abc', 'xyz', 3],
    ['kitten', 'sitting', 3],
  ])('%s ↔ %s is %i', (a, b, d) => {
    expect(editDistance(a, b, 5)).toBe(d);
    expect(editDistance(b, a, 5)).toBe(d);
  });

  it('stops early beyond the allowed distance', () => {
    expect(editDistance('completely', 'different', 2)).toBe(3);
    expect(editDistance('a', 'abcdef', 2)).toBe(3);
    expect([3, 4, 6, 7, 12].map(allowedEdits)).toEqual([0, 1, 1, 2, 2]);
  });
});

describe('ranking', () => {
  it('orders by bm25, treats scores within a band as ties broken by recency, and scores relative to the best', () => {
    const times = new Map<number, number | null>([[1, 100], [2, 50], [3, 999], [4, null], [5, 300], [6, 1]]);
    const asked: number[][] = [];
    const lookup = (ids: readonly number[]) => {
      asked.push([...ids]);
      return times;
    };
    const ranked = rankCandidates(
      [
        { id: 1, rank: -10 },
        { id: 2, rank: -10.1 },
        { id: 3, rank: -5 },
        { id: 4, rank: -10 },
        { id: 5, rank: -10 },
        { id: 6, rank: -1 },
      ],
      4,
      lookup,
    );
    expect(ranked.map((r) => r.id)).toEqual([5, 1, 2, 4]);
    expect(ranked[0].score).toBeCloseTo(10 / 10.1);
    expect(ranked[0].timestamp).toBe(300);
    expect(ranked[2].score).toBe(1);
    // Timestamps are only looked up for the bands that can make the cut.
    expect(asked).toHaveLength(1);
    expect([...asked[0]].sort()).toEqual([1, 2, 4, 5]);
    expect(rankCandidates([], 5, lookup)).toEqual([]);
  });

  it('keeps a whole band when the cut falls inside it', () => {
    const ranked = rankCandidates(
      [1, 2, 3, 4].map((id) => ({ id, rank: -3 })),
      2,
      () => new Map([[1, 10], [2, 40], [3, 30], [4, 20]]),
    );
    expect(ranked.map((r) => r.id)).toEqual([2, 3]);
  });
});

describe('ranking without term frequencies', () => {
  it('ranks shorter messages first, relative to the average length', () => {
    const ranks = binaryBm25Ranks([
      { id: 1, length: 10 },
      { id: 2, length: 1000 },
      { id: 3, length: 100 },
    ]);
    expect([...ranks].sort((a, b) => a.rank - b.rank).map((r) => r.id)).toEqual([1, 3, 2]);
    for (const r of ranks) expect(r.rank).toBeLessThan(0);
    expect(binaryBm25Ranks([])).toEqual([]);
    // Equal lengths tie exactly, so recency decides.
    const [a, b] = binaryBm25Ranks([{ id: 1, length: 50 }, { id: 2, length: 50 }]);
    expect(a.rank).toBe(b.rank);
  });

  it.each([
    [[0x05], 5],
    [[0x7f], 127],
    [[0x81, 0x00], 128],
    [[0x82, 0x41], 321],
    [[0xff, 0x7f], 16383],
    [[0x81, 0x80, 0x00], 16384],
  ])('decodes the docsize varint %j as %i', (bytes, n) => {
    expect(docsizeTokens(Uint8Array.from(bytes))).toBe(n);
  });
});
