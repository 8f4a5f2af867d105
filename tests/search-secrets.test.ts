/** Search never shows a secret, and searching for a secret's value finds nothing: not the message, not the title. */
import { afterEach, expect, it } from 'vitest';
import { runSearch } from '../src/cli/search-commands.js';
import { redactText } from '../src/redact/mask.js';
import { hitsInSession, search } from '../src/search/index.js';
import { makeStore, parsedMessage, type TestStore } from './helpers/store.js';

const TOKEN = 'ghp_R8mK2qW9xT4vL7nB3cF6hJ1pZ5sD0gY2aE8u';
let store: TestStore | undefined;
afterEach(() => {
  store?.close();
  store = undefined;
});

it('masks snippets and drops hits that matched only inside a secret', () => {
  store = makeStore([
    {
      id: 'a',
      title: `deploy with ${TOKEN}`,
      messages: [
        parsedMessage(1, { text: `deploy the site: export GITHUB_TOKEN=${TOKEN} then push` }),
        parsedMessage(2, { text: 'deploy finished without errors' }),
        parsedMessage(3, { kind: 'tool-call', role: 'assistant', text: 'Bash: push', toolName: 'Bash', toolInput: JSON.stringify({ command: `git push https://x:${TOKEN}@github.com/acme/shop` }) }),
      ],
    },
  ]);
  store.writer.flushSearchIndex();
  store.writer.refreshStaleFacts();
  const db = store.db;
  // The raw index does hold the token's words: without masking, the search would find it (the test can fail).
  expect(search(db, { query: TOKEN, kind: 'all' }).length).toBeGreaterThan(0);
  expect(search(db, { query: TOKEN, kind: 'all', maskSnippet: redactText })).toEqual([]);
  expect(search(db, { query: TOKEN.slice(0, 12) + '*', kind: 'all', maskSnippet: redactText })).toEqual([]);
  const hits = search(db, { query: 'deploy', kind: 'all', maskSnippet: redactText });
  expect(hits.map((h) => h.seq).sort()).toEqual(expect.arrayContaining([1, 2]));
  for (const h of hits) {
    expect(h.snippet).not.toContain(TOKEN);
    expect(h.plainSnippet).not.toContain(TOKEN.slice(4, 20));
  }
  expect(hits.find((h) => h.kind === 'message' && h.seq === 1)!.plainSnippet).toContain('‹github-pat›');
  // The CLI masks by default.
  const out: string[] = [];
  runSearch({ dbPath: store.dbPath, query: TOKEN, json: true, write: (t) => out.push(t) });
  expect(JSON.parse(out[0])).toEqual([]);
  out.length = 0;
  runSearch({ dbPath: store.dbPath, query: 'push', json: true, write: (t) => out.push(t) });
  expect(out.join('')).not.toContain(TOKEN);
  // n/N inside a session is filtered by the timeline (see ui tests); the raw seqs are what the index says.
  expect(hitsInSession(db, 'a', 'deploy')).toEqual([1, 2]);
});

it('masks secrets in sessions and show, plain and JSON (the shapes stay the same)', async () => {
  const { spawnSync } = await import('node:child_process');
  const path = await import('node:path');
  store = makeStore([{ id: 'sess-with-secret', title: `deploy with ${TOKEN}`, messages: [parsedMessage(1, { text: `export GITHUB_TOKEN=${TOKEN}` })] }]);
  const cli = path.resolve(__dirname, '../dist/cli.js');
  const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args, '--db', store!.dbPath], { encoding: 'utf8' });
  for (const args of [['show', 'sess-with'], ['show', 'sess-with', '--json'], ['sessions'], ['sessions', '--json']]) {
    const r = run(...args);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout, args.join(' ')).not.toContain(TOKEN);
    expect(r.stdout, args.join(' ')).toContain('‹github-pat›');
  }
  const doc = JSON.parse(run('show', 'sess-with', '--json').stdout);
  expect(doc.messages[0].text).toBe('export GITHUB_TOKEN=‹github-pat›');
});
