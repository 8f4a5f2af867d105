import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractAll, extractFacts, initialState, type ExtractorState } from '../src/facts/extract.js';
import { gitDiscardIn, isFailedRun } from '../src/facts/dead-ends.js';
import { mentionedPaths } from '../src/facts/key-files.js';
import { statusIn } from '../src/facts/status.js';
import type { Fact, FactMessage } from '../src/facts/types.js';
import { parseClaudeLine } from '../src/ingest/claude/parse.js';
import { SessionBuilder } from './helpers/fact-messages.js';

const SAMPLES = path.resolve(__dirname, '../../shared/samples/claude-code');

const of = (facts: Fact[], kind: Fact['kind']) => facts.filter((f) => f.kind === kind);

function reply(text: string): Fact[] {
  const s = new SessionBuilder();
  s.user('Add the login flow');
  s.assistant(text);
  return extractAll(s.messages);
}

describe('decisions', () => {
  it.each([
    ["We'll go with httpOnly cookies because localStorage is readable by any script.", 'httpOnly cookies'],
    ['Decided to keep the retry logic in the API client rather than in each hook.', 'retry logic'],
    ['I chose Zod over Yup since it infers the TypeScript types.', 'Zod over Yup'],
    ['Using httpOnly cookies, not localStorage — security requirement.', 'not localStorage'],
    ["I'll use a Map instead of a plain object to avoid prototype pollution.", 'Map instead'],
    ["Let's use pnpm workspaces, since npm workspaces don't hoist the way we need.", 'pnpm workspaces'],
    ['Opting for server-side pagination: the table can hold 100k rows.', 'server-side pagination'],
    ["We're going with SQLite WAL mode so readers never block the writer.", 'WAL mode'],
    ['Decision: store timestamps as epoch milliseconds everywhere.', 'epoch milliseconds'],
    ['I went with a debounce of 300 ms; anything shorter spammed the API.', 'debounce'],
    ["After comparing both, I've decided to use esbuild for bundling.", 'esbuild'],
    ['We picked Postgres over MySQL for its JSONB support.', 'Postgres'],
    ['Switched to vitest because jest could not handle ESM.', 'vitest'],
    ["Let's stick with the existing retry helper.", 'retry helper'],
    ["I'll store the token in an httpOnly cookie rather than in memory, so it survives reloads.", 'rather than in memory'],
    ['- **Chose** `better-sqlite3` over `sqlite3` because it is synchronous and faster.', 'better-sqlite3'],
    ['The decision was to ship without the cache for now.', 'without the cache'],
    ['We dropped Redux in favour of Zustand to cut boilerplate.', 'Zustand'],
    ["I'm going to use a single writer thread, since SQLite allows only one writer at a time.", 'single writer'],
    ['I fixed the parser. We\u2019ll go with the streaming reader because whole files do not fit in memory.', 'streaming reader'],
    ['## Plan\n\n1. Going with a trigram index for fuzzy candidates — it keeps queries under 50 ms.', 'trigram index'],
  ])('finds the decision in %j', (text, part) => {
    const decisions = of(reply(text), 'decision');
    expect(decisions).toHaveLength(1);
    expect(decisions[0].text).toContain(part);
    expect(decisions[0].seq).toBe(2);
  });

  it.each([
    'Let me update the decision table in docs/adr.md.',
    "I'll use the Read tool to look at src/cart.ts.",
    'Let me use grep to find all callers of refreshToken.',
    "I'll use this to check the output.",
    'Should we use Redis or Memcached?',
    'We could use Redis instead of Memcached if latency matters.',
    'If we decide to use Redis, the cache layer changes.',
    "We haven't decided on the database yet.",
    'Decision trees are overkill here.',
    'The function returns null instead of throwing.',
    '```ts\n// we decided to use X because it is fast\nconst x = 1;\n```',
    "Run `git commit -m 'decided to use X because'` when ready.",
    'I decided to take a look at the logs first.',
    "I'll use `npm test` to verify.",
    '| Option | Decision | Reason |\n| --- | --- | --- |\n| Redis | chose it over Memcached | because fast |',
    'Would you like me to use Redis instead?',
    "> We'll go with Redis because it's fast",
    'I picked up the change from main.',
    'Let me know if you want to use a different port.',
    'Maybe we should switch to pnpm because installs are slow.',
  ])('finds no decision in %j', (text) => {
    expect(of(reply(text), 'decision')).toEqual([]);
  });

  it('takes a decision the user states', () => {
    const s = new SessionBuilder();
    const seq = s.user('We decided to use Tailwind for all new components.');
    s.assistant('Understood.');
    expect(of(extractAll(s.messages), 'decision')).toEqual([
      { kind: 'decision', seq, text: 'We decided to use Tailwind for all new components.', detail: 'Stated by the user.' },
    ]);
  });

  it.each([
    ['use httpOnly cookies, not localStorage', 'Sure — switching the token storage to an httpOnly cookie.', true],
    ["Let's use date-fns for this", 'OK, replacing moment with date-fns.', true],
    ["don't use axios, use fetch", 'Switching the client to fetch.', true],
    ['switch to pnpm', "I can't change the package manager in this sandbox.", false],
    ['use the Read tool to open the file', 'Opening it now.', false],
    ['Use a queue?', 'Yes, a queue would work.', false],
  ])('turns the instruction %j into a decision only when the assistant goes along (%j)', (instruction, answer, expected) => {
    const s = new SessionBuilder();
    const seq = s.user(instruction);
    const ack = s.assistant(answer);
    const decisions = of(extractAll(s.messages), 'decision').filter((d) => d.detail?.startsWith('Asked by the user'));
    if (expected) expect(decisions).toEqual([{ kind: 'decision', seq, text: instruction, detail: `Asked by the user at #${seq}; the assistant went along at #${ack}.` }]);
    else expect(decisions).toEqual([]);
  });

  it('drops an instruction the user replaces before the assistant answers, and counts a tool call as going along', () => {
    const s = new SessionBuilder();
    s.user('use Redis for the cache');
    const second = s.user('use an in-memory LRU for the cache');
    s.edit('/p/src/cache.ts', 'redis', 'lru');
    expect(of(extractAll(s.messages), 'decision').map((d) => [d.seq, d.text])).toEqual([[second, 'use an in-memory LRU for the cache']]);
  });
});

describe('dead ends', () => {
  function rejection(prompt: string): Fact[] {
    const s = new SessionBuilder();
    s.user('Refresh the token when it expires');
    s.assistant('I added an axios interceptor that refreshes the token on 401 and retries the request.');
    s.user(prompt);
    return of(extractAll(s.messages), 'dead-end');
  }

  it.each([
    'no, that loops on 401',
    "No, that's wrong — the refresh token must not be sent to /login.",
    "That didn't work, same error.",
    'It still fails with ECONNRESET.',
    'revert that',
    'Please undo the last change.',
    'Still failing: TypeError: cannot read properties of undefined',
    'this is not what I asked for',
    'You broke the login page.',
    'nope, this brings back the flicker',
    "Stop, that deletes the user's data.",
    "Don't do that.",
    'The tests keep failing on CI after this.',
  ])('takes the user turn %j as a rejection of what was just done', (prompt) => {
    const dead = rejection(prompt);
    expect(dead).toHaveLength(1);
    expect(dead[0].seq).toBe(3);
    // The fact carries what was rejected, so "axios interceptor" finds it later.
    expect(dead[0].text).toContain('axios interceptor');
  });

  it.each([
    "no, that's fine, go ahead",
    'No, that works — thanks!',
    'No problem, take your time.',
    'Does that work on Windows?',
    'Is it still failing?',
    'Add a dead code check to the linter.',
    'Run `git status` and tell me what changed.',
    'That worked, thanks.',
    'Can you revert that commit message typo?',
    'The decision table looks good.',
    'It works now.',
    'Nope, nothing else.',
    'If it still fails, paste me the log.',
  ])('does not take %j as a rejection', (prompt) => {
    expect(rejection(prompt)).toEqual([]);
  });

  it.each([
    "That didn't work. Let me try a different approach: mocking the clock instead.",
    "The interceptor approach doesn't work because it retries forever on 401.",
    'Let me revert that change and take another approach.',
    'Reverting the interceptor change; it conflicts with the retry logic.',
    "I'll give up on the worker thread idea and keep it synchronous.",
    'This fix did not help.',
  ])('takes the assistant saying %j as a dead end', (text) => {
    expect(of(reply(text), 'dead-end')).toHaveLength(1);
  });

  it.each([
    "If this doesn't work, we can try a different approach.",
    'Let me try a different test case.',
    'The old approach handled errors differently.',
    'I removed the dead code in utils.ts.',
    'Could a different approach work here?',
    'All tests pass now.',
  ])('does not take %j as a dead end', (text) => {
    expect(of(reply(text), 'dead-end')).toEqual([]);
  });

  it('ties a change of approach to the command that failed before it', () => {
    const s = new SessionBuilder();
    s.user('make the cart test pass');
    const failed = s.bash('npm test -- cart', 'FAIL src/cart.test.ts\n  ✕ caps quantity (5 ms)\nTests: 1 failed, 3 passed', true);
    const change = s.assistant('Instead, let me mock the pricing service so the test does not hit the network.');
    const dead = of(extractAll(s.messages), 'dead-end');
    expect(dead).toEqual([
      {
        kind: 'dead-end',
        seq: change,
        text: 'Instead, let me mock the pricing service so the test does not hit the network. (after `npm test -- cart` failed)',
        detail: `The failed run is at #${failed + 1}.`.replace(String(failed + 1), String(failed)),
      },
    ]);
  });

  it('does not tie "instead" to a failure that was fixed by rerunning the same command, nor to one long past', () => {
    const fixed = new SessionBuilder();
    fixed.bash('npm test', 'Tests: 1 failed', true);
    fixed.edit('/p/src/cart.ts', 'qty > 10', 'qty >= 10');
    fixed.bash('npm test', 'Tests: 4 passed');
    fixed.assistant('Instead, let me also add a test for the boundary.');
    expect(of(extractAll(fixed.messages), 'dead-end')).toEqual([]);

    const old = new SessionBuilder();
    old.bash('npm run build', 'error TS2322: Type string is not assignable', true);
    for (let i = 0; i < 10; i++) old.read(`/p/src/f${i}.ts`);
    old.assistant('Instead, let me add the CLI flag first.');
    expect(of(extractAll(old.messages), 'dead-end')).toEqual([]);
  });

  it('takes a thought that changes course after a failure, but not a thought alone', () => {
    const s = new SessionBuilder();
    s.bash('cargo build', 'error[E0382]: borrow of moved value', true);
    const t = s.thinking('The borrow checker rejects this. Let me try a different approach with an Rc.');
    expect(of(extractAll(s.messages), 'dead-end').map((d) => d.seq)).toEqual([t]);
    const calm = new SessionBuilder();
    calm.thinking('Let me try a different approach to reading the file.');
    expect(of(extractAll(calm.messages), 'dead-end')).toEqual([]);
  });

  it('finds an edit that a later edit reverts, not edits that merely touch the same file', () => {
    const s = new SessionBuilder();
    const first = s.edit('/p/src/api.ts', 'const retry = 0;', 'const retry = 3;');
    s.edit('/p/src/api.ts', 'timeout: 1000', 'timeout: 5000');
    s.bash('npm test', 'Tests: 2 failed', true);
    const back = s.edit('/p/src/api.ts', 'const retry = 3;', 'const retry = 0;');
    const facts = extractAll(s.messages, { project: '/p' });
    expect(of(facts, 'dead-end')).toEqual([
      {
        kind: 'dead-end',
        seq: back,
        text: `Reverted the edit to src/api.ts made at #${first}`,
        detail: `#${first} changed "const retry = 0;" to "const retry = 3;"; #${back} changed it back.`,
      },
    ]);
  });

  it('ignores a failed edit when looking for reverts, and reads normalized edits of other assistants', () => {
    const s = new SessionBuilder();
    s.edit('/p/a.ts', 'x', 'y', true); // failed: never applied
    s.edit('/p/a.ts', 'y', 'x');
    expect(of(extractAll(s.messages), 'dead-end')).toEqual([]);

    const g = new SessionBuilder();
    const edit = (oldText: string, newText: string) =>
      g.tool('replace', { file_path: '/p/b.py' }, 'ok', false, ['/p/b.py']) &&
      Object.assign(g.messages[g.messages.length - 2], { data: JSON.stringify({ edits: [{ op: 'replace', path: '/p/b.py', oldText, newText, replaceAll: false }] }) });
    edit('a = 1', 'a = 2');
    edit('a = 2', 'a = 1');
    expect(of(extractAll(g.messages), 'dead-end').map((d) => d.text)).toEqual([expect.stringMatching(/^Reverted the edit to \/p\/b\.py made at #1$/)]);
  });

  it.each([
    ['git checkout -- src/cart.ts', 'git checkout -- src/cart.ts'],
    ['git restore src/cart.ts', 'git restore src/cart.ts'],
    ['git reset --hard HEAD~1', 'git reset --hard HEAD~1'],
    ['git revert abc123', 'git revert abc123'],
    ['git stash', 'git stash'],
    ['git stash push -u', 'git stash push -u'],
    ['cd app && git checkout -- .', 'git checkout -- .'],
    ['git checkout HEAD -- package-lock.json', 'git checkout HEAD -- package-lock.json'],
    ['git checkout .', 'git checkout .'],
  ])('takes the shell command %j as discarding work', (command, found) => {
    expect(gitDiscardIn(command)).toBe(found);
    const s = new SessionBuilder();
    const seq = s.bash(command, '');
    expect(of(extractAll(s.messages), 'dead-end')).toMatchObject([{ seq, text: `Discarded changes: ${found}` }]);
  });

  it.each([
    'git status',
    'git checkout -b feat/cart',
    'git checkout main',
    'git restore --staged src/cart.ts',
    'git stash pop',
    'git stash list',
    'git revert --abort',
    'git log --oneline',
    'git diff -- src/cart.ts',
    'echo "dead end"',
  ])('does not take %j as discarding work', (command) => {
    expect(gitDiscardIn(command)).toBeNull();
    const s = new SessionBuilder();
    s.bash(command, '');
    expect(of(extractAll(s.messages), 'dead-end')).toEqual([]);
  });

  it.each([
    [true, 'anything'],
    [false, 'FAIL src/a.test.ts'],
    [false, 'npm ERR! code ELIFECYCLE'],
    [false, 'Traceback (most recent call last):\n  File "a.py"'],
    [false, 'Tests: 2 failed, 8 passed, 10 total'],
    [false, 'src/a.ts(3,1): error TS2304: Cannot find name'],
  ])('takes a shell result (isError %s, %j) as a failure', (isError, output) => {
    expect(isFailedRun(isError, output)).toBe(true);
  });

  it.each(['Tests: 10 passed, 10 total', 'no failures', 'error handling is in src/errors.ts'])('does not take %j as a failure', (output) => {
    expect(isFailedRun(false, output)).toBe(false);
  });

  it('takes interruptions, rewind and restore commands and rewind events as dead ends, and compaction as none', () => {
    const s = new SessionBuilder();
    s.user('Speed up the import');
    s.edit('/p/src/import.ts', 'for (const row of rows)', 'await Promise.all(rows.map(');
    const interrupted = s.user('[Request interrupted by user for tool use]');
    const rewind = s.user('<command-name>/rewind</command-name>\n<command-message>rewind</command-message>');
    const restore = s.user('/restore 2026-05-02T09-10-09_990Z-cart.ts-replace');
    const event = s.system('Rewound to message e1000000-0000-4000-8000-000000000004', 'rewind');
    s.compaction();
    s.system('Old tool results trimmed', 'microcompact_boundary');
    const dead = of(extractAll(s.messages), 'dead-end');
    expect(dead.map((d) => d.seq)).toEqual([interrupted, rewind, restore, event]);
    expect(dead[0].text).toBe('Interrupted by the user during: Edit /p/src/import.ts');
    expect(dead[1].text).toMatch(/^Rewound with \/rewind/);
    expect(dead[2].text).toMatch(/^Rewound with \/restore/);
    expect(dead[3].text).toMatch(/^Rewound \(rewind\)/);
  });

  it('takes a second prompt from the same parent (a Claude Code rewind or edited prompt) as a dead end', () => {
    const s = new SessionBuilder();
    s.user('Add caching', { sourceId: 'p1', parentId: null });
    const answer = s.assistant('Added an LRU cache around fetchPrice.', { sourceId: 'a1', parentId: 'p1' });
    s.user('Use Redis for it', { sourceId: 'p2', parentId: 'a1' });
    s.assistant('Switched the cache to Redis.', { sourceId: 'a2', parentId: 'p2' });
    const branch = s.user('Cache in memory but with a TTL', { sourceId: 'p3', parentId: 'a1' });
    expect(answer).toBe(2);
    expect(of(extractAll(s.messages), 'dead-end')).toEqual([
      { kind: 'dead-end', seq: branch, text: 'Rewound to an earlier point, abandoning: Use Redis for it', detail: 'The abandoned branch started at #3.' },
    ]);
  });

  it("ignores sub-agent messages inline in a main transcript, but not in the sub-agent's own session", () => {
    const s = new SessionBuilder();
    s.assistant("That didn't work. Let me try a different approach.", { isSidechain: true });
    expect(extractAll(s.messages)).toEqual([]);
    expect(of(extractAll(s.messages, { ownSidechain: true }), 'dead-end')).toHaveLength(1);
  });
});

describe('status', () => {
  it.each([
    ['## Summary of changes\n- Added the quantity limit\n- Tests pass\n\n## Next steps\n- Wire the limit into the UI', 'Done: Added the quantity limit; next: Wire the limit into the UI'],
    ['Done: cart limit and tests. Next: the checkout page.', 'Done: cart limit and tests; next: the checkout page.'],
    ['**Done:** migrated the schema.\n**Next:** backfill the old rows.', 'Done: migrated the schema.; next: backfill the old rows.'],
    ['Status: the API compiles; the UI still shows the old total.', 'Done: the API compiles; the UI still shows the old total.'],
    ["All done! Remaining: update the changelog.", 'Next: update the changelog.'],
    ["What's done:\n- parser\n- writer\n\nWhat's left:\n- the search overlay", 'Done: parser; next: the search overlay'],
    ['I fixed the flaky test.\n\nNext steps:\n1. Add a regression test\n2. Release 0.2', 'Next: Add a regression test'],
  ])('reads the status in %j', (text, expected) => {
    expect(statusIn(text)?.text).toBe(expected);
  });

  it.each([
    'Run `git status` to see the changes.',
    'The API returns status code 404 when the cart is empty.',
    'Call next() after the middleware finishes.',
    'Next.js handles the routing here.',
    'The status of the build is unclear, let me check.',
    'Status codes are documented in api.md.',
    "Next, I'll run the tests.",
    "I'm done with the parser, now the writer.",
    '```\nStatus: 200\nNext: /page/2\n```',
  ])('finds no status in %j', (text) => {
    expect(statusIn(text)).toBeNull();
  });

  it('keeps the last status before each compaction and the last one of the session', () => {
    const s = new SessionBuilder();
    s.assistant('Done: the parser. Next: the writer.');
    const beforeCompaction = s.assistant('Done: the writer. Next: the reader.');
    s.compaction();
    s.assistant('Sure, looking at the reader now.');
    const last = s.assistant('## Done\n- the reader\n## Next\n- the search overlay');
    s.assistant('Anything else?');
    const result = extractFacts(s.messages);
    expect(of(result.facts, 'status')).toEqual([
      { kind: 'status', seq: beforeCompaction, text: 'Done: the writer; next: the reader.', detail: 'Done:\n- the writer\nNext:\n- the reader.' },
    ]);
    expect(of(result.provisional, 'status')).toMatchObject([{ seq: last, text: 'Done: the reader; next: the search overlay' }]);
  });
});

describe('key files', () => {
  it('ranks the files edited and discussed most, relative to the project', () => {
    const s = new SessionBuilder();
    s.user('The total in src/cart.ts is wrong, see src/pricing.ts too');
    s.read('/home/ada/shop/src/cart.ts');
    s.read('/home/ada/shop/src/api.ts');
    s.read('/home/ada/shop/src/api.ts');
    s.edit('/home/ada/shop/src/cart.ts', 'a', 'b');
    s.edit('/home/ada/shop/src/cart.ts', 'c', 'd');
    const last = s.edit('/home/ada/shop/src/cart.ts', 'e', 'f');
    s.read('/home/ada/shop/README.md');
    const keys = of(extractAll(s.messages, { project: '/home/ada/shop' }), 'key-file');
    expect(keys.map((k) => [k.text, k.seq, k.detail])).toEqual([
      ['src/cart.ts (3 edits, 1 read, 1 mention)', last, '/home/ada/shop/src/cart.ts'],
      ['src/api.ts (2 reads)', 6, '/home/ada/shop/src/api.ts'],
    ]);
  });

  it.each([
    ['see src/cart.ts and ./lib/util.py:12, not https://x.io/a.js', ['src/cart.ts', 'lib/util.py']],
    ['the file cart.ts has no slash', []],
    ['`src/ui/App.tsx`.', ['src/ui/App.tsx']],
    ['a/b/c without extension', []],
  ])('reads paths written in prose: %j', (text, paths) => {
    expect(mentionedPaths(text)).toEqual(paths);
  });
});

/** A session exercising every extractor, for the incremental and robustness tests. */
function richSession(): FactMessage[] {
  const s = new SessionBuilder();
  s.user('Refresh the auth token in src/api.ts when it expires');
  s.read('/p/src/api.ts');
  s.assistant("I'll add an axios interceptor instead of wrapping every call, because it keeps the callers unchanged.");
  s.edit('/p/src/api.ts', 'export const api = axios.create();', 'export const api = withRefresh(axios.create());');
  s.bash('npm test', 'FAIL src/api.test.ts\nTests: 1 failed', true);
  s.user('no, that loops on 401');
  s.assistant("That didn't work. Let me try a different approach: refresh before expiry.");
  s.edit('/p/src/api.ts', 'export const api = withRefresh(axios.create());', 'export const api = axios.create();');
  s.assistant('Done: proactive refresh. Next: tests for clock skew.');
  s.compaction();
  s.user('use httpOnly cookies, not localStorage');
  s.assistant('Switching the token to an httpOnly cookie.');
  s.bash('git checkout -- src/storage.ts', '');
  s.user('[Request interrupted by user]');
  s.assistant('## Summary of changes\n- cookie storage\n\n## Remaining\n- CSRF token');
  return s.messages;
}

describe('the extractor as a fold', () => {
  it('gives the same facts fed whole or in slices at any split, with the state stored as JSON between slices', () => {
    const messages = richSession();
    const whole = extractFacts(messages, initialState(), { project: '/p' });
    expect(whole.facts.length + whole.provisional.length).toBeGreaterThan(8);
    for (let a = 0; a <= messages.length; a++) {
      for (const b of [a, Math.min(messages.length, a + 3)]) {
        let state: ExtractorState = initialState();
        const facts: Fact[] = [];
        let provisional: Fact[] = [];
        for (const slice of [messages.slice(0, a), messages.slice(a, b), messages.slice(b)]) {
          const r = extractFacts(slice, JSON.parse(JSON.stringify(state)) as ExtractorState, { project: '/p' });
          facts.push(...r.facts);
          provisional = r.provisional;
          state = r.state;
        }
        expect(facts, `split at ${a}/${b}`).toEqual(whole.facts);
        expect(provisional, `split at ${a}/${b}`).toEqual(whole.provisional);
      }
    }
  });

  it('does not modify the state it is given', () => {
    const messages = richSession();
    const mid = extractFacts(messages.slice(0, 10)).state;
    const frozen = JSON.stringify(mid);
    extractFacts(messages.slice(10), mid);
    expect(JSON.stringify(mid)).toBe(frozen);
  });

  it('keeps the state bounded on a long session', () => {
    const s = new SessionBuilder();
    for (let i = 0; i < 3000; i++) {
      s.edit(`/p/src/file${i}.ts`, `a${i}`, `b${i}`);
      s.bash(`npm test -- ${i}`, i % 3 ? 'ok' : 'Tests: 1 failed', i % 3 === 0);
    }
    const { state } = extractFacts(s.messages);
    expect(JSON.stringify(state).length).toBeLessThan(120_000);
  });

  it('never throws and keeps fact texts to one short line, on every real Claude Code sample', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.jsonl')) files.push(p);
      }
    };
    walk(SAMPLES);
    expect(files.length).toBeGreaterThan(5);
    let total = 0;
    for (const file of files) {
      const messages: FactMessage[] = [];
      let offset = 0;
      for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
        for (const m of parseClaudeLine(line, offset).messages) messages.push({ ...m, seq: messages.length + 1 });
        offset += Buffer.byteLength(line) + 1;
      }
      const facts = extractAll(messages);
      total += facts.length;
      for (const f of facts) {
        expect(f.text.length).toBeLessThanOrEqual(200);
        expect(f.text).not.toMatch(/\n/);
        expect(f.seq).toBeGreaterThanOrEqual(1);
        expect(f.seq).toBeLessThanOrEqual(messages.length);
      }
    }
    expect(total).toBeGreaterThan(0);
  });
});
