/**
 * Secrets in the index and on screen: the background scan stores spans (and scans again when the detector
 * changes), the timeline masks them by default, and R reveals one message's secrets after asking, until the cursor
 * leaves it. Real SQLite files; the real detector.
 */
import React from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { detectMessages, RedactionScanner } from '../src/redact/scanner.js';
import { redactLines } from '../src/redact/mask.js';
import { SecretStore } from '../src/store/secrets.js';
import { App } from '../src/ui/App.js';
import { diffRows } from '../src/ui/diff-rows.js';
import { KEYS, mount, rowsOf, type Harness } from './helpers/ink.js';
import { makeStore, parsedMessage, type TestStore } from './helpers/store.js';

const TOKEN = 'ghp_R8mK2qW9xT4vL7nB3cF6hJ1pZ5sD0gY2aE8u';
const PASSWORD = 'Tr0ub4dor&3xQ9';
let store: TestStore | undefined;
let app: Harness | undefined;
afterEach(() => {
  app?.unmount();
  app = undefined;
  store?.close();
  store = undefined;
});

function withSecrets(): TestStore {
  return makeStore([
    {
      id: 's',
      title: 'Deploy',
      messages: [
        parsedMessage(1, { text: 'push it with my token' }),
        parsedMessage(2, { text: `export GITHUB_TOKEN=${TOKEN}\ngit push`, kind: 'tool-call', role: 'assistant', toolName: 'Bash', toolInput: JSON.stringify({ command: `GITHUB_TOKEN=${TOKEN} git push` }) }),
        parsedMessage(3, { text: `DATABASE_URL=postgres://app:${PASSWORD}@db.internal:5432/shop`, kind: 'tool-result', role: 'tool' }),
        parsedMessage(4, { text: 'done' }),
      ],
    },
  ]);
}

describe('the background secret scan', () => {
  it('stores where the secrets are (never what), newest first, and scans again when the detector changes', async () => {
    store = withSecrets();
    const secrets = new SecretStore(store.db);
    const seen: { scanned: number; total: number }[] = [];
    const scanner = new RedactionScanner(secrets, async (items) => detectMessages(items), { progress: (p) => seen.push(p) }, 1);
    expect(secrets.progress(1)).toEqual({ scanned: 0, total: 4 });
    await scanner.poke();
    expect(secrets.progress(1)).toEqual({ scanned: 4, total: 4 });
    expect(seen.at(-1)).toEqual({ scanned: 4, total: 4 });
    const call = store.reader.getMessage('s', 2)!;
    const spans = secrets.spansOf(call.id, 1)!;
    expect(spans.text.map((s) => call.text.slice(s.start, s.end))).toEqual([TOKEN]);
    expect(spans.tool_input.map((s) => call.toolInput!.slice(s.start, s.end))).toEqual([TOKEN]);
    expect(secrets.countsBySession()).toEqual([
      { sessionId: 's', kind: 'github-pat', count: 2 },
      { sessionId: 's', kind: expect.stringMatching(/password/), count: 1 },
    ]);
    // No value is stored anywhere in the index.
    const dump = JSON.stringify(store.db.prepare('SELECT * FROM secret_span').all());
    expect(dump).not.toContain(TOKEN);
    // A newer detector: every message is pending again, and the old spans are replaced, not added to.
    expect(secrets.spansOf(call.id, 2)).toBeNull();
    await new RedactionScanner(secrets, async (items) => detectMessages(items), {}, 2).poke();
    expect(secrets.progress(2)).toEqual({ scanned: 4, total: 4 });
    expect(secrets.countsBySession().reduce((n, c) => n + c.count, 0)).toBe(3);
  });

  it('scans what arrives while it runs', async () => {
    store = withSecrets();
    const secrets = new SecretStore(store.db);
    let calls = 0;
    const scanner = new RedactionScanner(secrets, async (items) => {
      if (calls++ === 0) {
        const f = store!.writer.ensureSourceFile('/sources/s.jsonl', 'claude');
        store!.writer.appendMessages('s', f.id, 5, [parsedMessage(5, { text: `late ${TOKEN}` })]);
        void scanner.poke();
      }
      return detectMessages(items);
    }, {}, 1);
    await scanner.poke();
    await scanner.poke();
    expect(secrets.progress(1)).toEqual({ scanned: 5, total: 5 });
  });
});

describe('masked on screen', () => {
  const SIZE = { columns: 100, rows: 24 };
  const position = (f: string) => rowsOf(f).at(-1)!.match(/^\s*(\d+\/\d+)/)?.[1] ?? null;

  it('masks by default, reveals one message after asking, and masks again when the cursor leaves it', async () => {
    store = withSecrets();
    app = mount(<App reader={store.reader} size={SIZE} initialSessionId="s" />);
    await app.waitForFrame((f) => position(f) === '1/4');
    await app.press(KEYS.right);
    const masked = await app.waitForFrame((f) => position(f) === '2/4');
    expect(masked).not.toContain(TOKEN);
    expect(masked).toContain('export GITHUB_TOKEN=‹github-pat›');
    expect(masked).toContain('command: GITHUB_TOKEN=‹github-pat› git push');
    expect(masked).toMatch(/2 secrets masked · R reveals/);
    await app.press('R');
    const ask = await app.waitForFrame((f) => f.includes('Reveal secrets'));
    expect(ask).toMatch(/holds 2 secrets: github-pat/);
    expect(ask).not.toContain(TOKEN);
    await app.press(KEYS.escape);
    await app.waitForFrame((f) => position(f) === '2/4' && !f.includes(TOKEN));
    await app.press('R', 'y');
    const shown = await app.waitForFrame((f) => f.includes(TOKEN));
    expect(shown).toMatch(/2 secrets shown/);
    await app.press(KEYS.right);
    const next = await app.waitForFrame((f) => position(f) === '3/4');
    expect(next).not.toContain(PASSWORD);
    await app.press(KEYS.left);
    const back = await app.waitForFrame((f) => position(f) === '2/4');
    expect(back).not.toContain(TOKEN);
  });

  it('masks titles in the list and secrets in diffs, line by line', async () => {
    store = makeStore([{ id: 't', title: `use ${TOKEN} to deploy`, messages: [parsedMessage(1)] }]);
    app = mount(<App reader={store.reader} size={SIZE} />);
    const list = await app.waitForFrame((f) => f.includes('to deploy'));
    expect(list).not.toContain(TOKEN);
    expect(list).toContain('use ‹github-pat› to deploy');
    const rows = diffRows(
      {
        files: [
          {
            path: '.env',
            label: 'exact',
            status: 'modified',
            additions: 1,
            deletions: 0,
            hunks: [{ header: '@@ -1 +1,2 @@', lines: [{ kind: 'ctx', text: 'PORT=8080' }, { kind: 'add', text: `GITHUB_TOKEN=${TOKEN}` }] }],
          },
        ],
      },
      80,
    ).map((r) => r.text);
    expect(rows).toContain('+GITHUB_TOKEN=‹github-pat›');
    expect(rows.join('\n')).not.toContain(TOKEN);
    // A key block keeps its line count: every line of it is masked.
    const pem = ['-----BEGIN RSA PRIVATE KEY-----', 'MIIEowIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi+X5Nd4tQ8mVg7Cq5Xk1bFzMXr', 'tOeeT5lMq6c9mN7oK1fRg0QYw2sDq8Zr4X6v9HnJ0yLbPcEaU3tV5gW8iKjR2zT', '-----END RSA PRIVATE KEY-----'];
    const out = redactLines(['key:', ...pem, 'after']);
    expect(out).toHaveLength(pem.length + 2);
    expect(out[0]).toBe('key:');
    expect(out.at(-1)).toBe('after');
    expect(out.join('\n')).not.toContain('MIIEowIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi');
  });
});
