/**
 * `export` and `scan` as users run them: the built CLI on an index built from the demo plus a session seeded with
 * every sample secret of the rule table (in prompts, replies, thinking, commands, outputs, titles and files written),
 * real files, real exit codes, and a real terminal (tmux) for the --no-redact confirmation.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { TmuxPane } from '../src/bench/tmux.js';
import { parseArgs } from '../src/cli/args.js';
import { confirmUnmasked, NO_REDACT_QUESTION, privateFileSink, runExport, type ExportIO } from '../src/cli/export-commands.js';
import { ClaudeSessionWriter } from '../src/demo/claude-session.js';
import { buildDemo, type DemoLayout } from '../src/demo/demo.js';
import { detectSecrets } from '../src/redact/detect.js';
import { leaks, seededSecrets } from './helpers/seeded-secrets.js';
import { makeStore, parsedMessage } from './helpers/store.js';

const CLI = path.resolve(__dirname, '../dist/cli.js');
const SEEDED = '5eed5eed-0000-4000-8000-5ec12e75ab1e';
const secrets = seededSecrets();
let dir: string;
let demo: DemoLayout;
/** The demo alone, and the demo with the seeded session. */
let cleanDb: string;
let db: string;
/** Kinds the detector reports in what was seeded: their masks must be in every export. */
const seededKinds = new Set<string>();

function cli(args: string[], opts: { umask?: string } = {}) {
  const env = { ...process.env, HOME: dir, XDG_DATA_HOME: path.join(dir, 'xdg'), CLAUDE_CONFIG_DIR: demo.claudeDir };
  // With a umask of 000, a file mode of 0600 can only come from the program itself.
  const r = opts.umask
    ? spawnSync('sh', ['-c', `umask ${opts.umask}; exec "$0" "$@"`, process.execPath, CLI, ...args], { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 })
    : spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/**
 * A session that pastes, prints, thinks about, runs and writes every sample secret — each on lines of its own, the
 * contexts the detector's own rule tests check (a command inline in a sentence is not one of them).
 */
function writeSeededSession(): void {
  const w = new ClaudeSessionWriter({ claudeDir: demo.claudeDir, repoDir: demo.repoDir, sessionId: SEEDED, start: Date.now() - 3_600_000, gitBranch: 'main' });
  const remember = (t: string) => detectSecrets(t).forEach((s) => seededKinds.add(s.kind));
  const first = secrets.find((s) => s.rule === 'github-pat')!;
  w.prompt(`Deploy with ${first.text} please`);
  remember(first.text);
  secrets.forEach((s, i) => {
    remember(s.text);
    switch (i % 6) {
      case 0:
        w.prompt(`Here is what the command printed:\n${s.text}\nLet me know if you want me to continue.`);
        break;
      case 1:
        w.say(`I found this in the logs:\n\n\`\`\`text\n${s.text}\n\`\`\`\n\nIt should be rotated.`);
        break;
      case 2:
        w.think(`The user pasted this:\n${s.text}\nThat is a credential.`);
        break;
      case 3:
        w.bash(`deploy --config ./settings-${i}.txt`, `loading settings\n${s.text}\ndone`);
        break;
      case 4:
        // The demo writer copies a command's first three words into the call's description: keep the secret out of them.
        w.bash(`cd /srv/app && ${s.text}`, 'logged in');
        break;
      default:
        w.write(`settings/seed-${i}.txt`, `# settings\n${s.text}\n# end\n`);
    }
  });
  const titled = secrets.find((s) => s.rule === 'aws-access-key-id')!;
  w.meta({ type: 'ai-title', aiTitle: `Rotate ${titled.text} today` });
  w.save();
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mantra-export-cli-'));
  demo = buildDemo(path.join(dir, 'demo'));
  cleanDb = path.join(dir, 'clean.db');
  db = path.join(dir, 'index.db');
  expect(cli(['index', '--db', cleanDb]).code).toBe(0);
  writeSeededSession();
  const r = cli(['index', '--db', db]);
  expect(r.code, r.err).toBe(0);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 }));

describe('mantra-tui export', () => {
  it.each(['md', 'html', 'json'] as const)('%s: the seeded session goes out with every secret masked', (format) => {
    const r = cli(['export', SEEDED, '--db', db, '--format', format]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toBe('');
    expect(leaks(r.out, secrets)).toEqual([]);
    expect(seededKinds.size).toBeGreaterThan(60);
    for (const k of seededKinds) expect(r.out, k).toContain(`‹${k}›`);
    // The files the session wrote are there as diffs, masked too.
    if (format === 'md') expect(r.out).toMatch(/`settings\/seed-5\.txt` · added · (exact|reconstructed) · \+3 −0\n\n```diff\n@@ -0,0 \+1,3 @@\n\+# settings\n\+.*‹/);
    if (format === 'html') expect(r.out).toMatch(/settings\/seed-5\.txt · added · <span class="label (exact|reconstructed)">/);
    if (format === 'json') {
      const doc = JSON.parse(r.out);
      expect(doc.redacted).toBe(true);
      expect(doc.session.summary).toBe('Rotate ‹aws-access-key› today');
      expect(doc.session.title).toBe('Deploy with ‹github-pat› please');
      expect(doc.messages.length).toBe(doc.session.messageCount);
      const withDiff = doc.messages.filter((m: { diff?: unknown }) => m.diff);
      expect(withDiff.length).toBeGreaterThanOrEqual(Math.floor(secrets.length / 6));
      expect(withDiff.every((m: { kind: string }) => m.kind === 'tool-result')).toBe(true);
    }
  });

  it('the same export unmasked holds the values: the check above can fail', () => {
    // Not through --no-redact (that needs a terminal, tested below): the raw transcript the index was built from.
    const raw = fs.readFileSync(path.join(demo.claudeDir, 'projects', demo.repoDir.replace(/[^A-Za-z0-9]/g, '-'), `${SEEDED}.jsonl`), 'utf8');
    expect(leaks(raw, secrets).length).toBe(secrets.reduce((n, s) => n + s.values.length, 0));
  });

  it('exports a demo session with its diffs and labels, a window of it, by a short id', () => {
    const id = demo.sessions[0].id;
    const all = cli(['export', id.slice(0, 8), '--db', db, '--format', 'json']);
    expect(all.code, all.err).toBe(0);
    const doc = JSON.parse(all.out);
    expect(doc.session.id).toBe(id);
    expect(doc.messages.map((m: { seq: number }) => m.seq)).toEqual(Array.from({ length: doc.session.messageCount }, (_, i) => i + 1));
    const changed = doc.messages.filter((m: { diff?: unknown[] }) => m.diff);
    expect(changed.length).toBeGreaterThanOrEqual(4);
    const limits = changed.flatMap((m: { diff: { path: string }[] }) => m.diff).find((f: { path: string }) => f.path === 'LIMITS.md');
    expect(limits).toMatchObject({ status: 'added', additions: 3, deletions: 0 });
    expect(['exact', 'reconstructed']).toContain(limits.label);
    expect(limits.patch).toContain('+# Limits\n');

    // The session object has the fields `show --json` gives it, in the same order.
    expect(Object.keys(doc.session)).toEqual(Object.keys(JSON.parse(cli(['show', id, '--db', db, '--json']).out).session));

    const window = JSON.parse(cli(['export', id, '--db', db, '--format', 'json', '--from', '5', '--to', '9']).out);
    expect(window).toMatchObject({ from: 5, to: 9 });
    expect(window.messages.map((m: { seq: number }) => m.seq)).toEqual([5, 6, 7, 8, 9]);
    expect(window.messages).toEqual(doc.messages.slice(4, 9));

    const md = cli(['export', id, '--db', db, '--to', '3']);
    expect(md.out).toContain(`# Cart quantity limit\n\n- **Session:** \`${id}\``);
    expect(md.out).toContain(`- **Messages:** #1 to #3 of ${doc.session.messageCount}`);
    expect(md.out).not.toContain('### #5');
  });

  it('writes --out with mode 0600 whatever the umask, takes the format from the extension, and never overwrites', () => {
    const out = path.join(dir, 'shared', 'seeded.html');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const r = cli(['export', SEEDED, '--db', db, '--out', out], { umask: '000' });
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe('');
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    const html = fs.readFileSync(out, 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(leaks(html, secrets)).toEqual([]);
    expect(r.err).toMatch(new RegExp(`^wrote ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(html, mode 0600\\): messages #1 to #\\d+ of session ${SEEDED}; \\d+ secrets masked \\(`));
    expect(leaks(r.err, secrets)).toEqual([]);

    const again = cli(['export', SEEDED, '--db', db, '--out', out, '--format', 'md']);
    expect(again.code).toBe(1);
    expect(again.err.trim()).toBe(`mantra-tui: ${out} already exists: not overwriting it (remove it or choose another --out)`);
    expect(fs.readFileSync(out, 'utf8')).toBe(html);

    // A link planted at the path is not followed.
    const target = path.join(dir, 'shared', 'elsewhere.txt');
    const link = path.join(dir, 'shared', 'link.md');
    fs.symlinkSync(target, link);
    expect(cli(['export', SEEDED, '--db', db, '--out', link]).code).toBe(1);
    expect(fs.existsSync(target)).toBe(false);

    const missingDir = cli(['export', SEEDED, '--db', db, '--out', path.join(dir, 'no', 'such', 'dir.md')]);
    expect(missingDir.code).toBe(1);
    expect(missingDir.err).toMatch(/cannot create .*: its directory does not exist/);
  });

  it('removes the file of an export that failed half way', () => {
    const file = path.join(dir, 'half.md');
    const sink = privateFileSink(file);
    sink.write('x'.repeat(200_000));
    expect(fs.statSync(file).size).toBeGreaterThan(0);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    sink.abort();
    expect(fs.existsSync(file)).toBe(false);
  });

  it('refuses --no-redact without a terminal: exit 1, one line, nothing written', () => {
    const out = path.join(dir, 'unmasked.md');
    for (const args of [['export', SEEDED, '--db', db, '--no-redact'], ['export', SEEDED, '--db', db, '--no-redact', '--out', out]]) {
      const r = cli(args);
      expect(r.code).toBe(1);
      expect(r.out).toBe('');
      expect(r.err.trim().split('\n')).toEqual(['mantra-tui: refusing --no-redact without a terminal: the session id must be typed to confirm it (nothing was written)']);
    }
    expect(fs.existsSync(out)).toBe(false);
  });

  it('fails with exit 1 for an unknown session or a window past the end, and 2 for bad usage', () => {
    expect(cli(['export', 'zzzz', '--db', db])).toMatchObject({ code: 1, out: '' });
    expect(cli(['export', 'zzzz', '--db', db]).err).toMatch(/no session matches "zzzz"/);
    const past = cli(['export', demo.sessions[0].id, '--db', db, '--from', '500']);
    expect(past.code).toBe(1);
    const count = JSON.parse(cli(['show', demo.sessions[0].id, '--db', db, '--json']).out).session.messageCount;
    expect(past.err).toMatch(new RegExp(`has messages 1 to ${count}; --from 500 is past its end`));
    expect(cli(['export', '--db', db]).code).toBe(2);
    expect(cli(['export', 'x', '--format', 'pdf', '--db', db]).code).toBe(2);
    expect(cli(['export', 'x', '--from', '3', '--to', '2', '--db', db]).code).toBe(2);
  });
});

describe('mantra-tui scan', () => {
  it('exits 3 with counts by session and kind when secrets are found, never the values', () => {
    const r = cli(['scan', '--db', db, '--json']);
    expect(r.code, r.err).toBe(3);
    const doc = JSON.parse(r.out);
    expect(Object.keys(doc)).toEqual(['sessions', 'total', 'scannedMessages', 'detectorVersion']);
    expect(doc.sessions.map((s: { sessionId: string }) => s.sessionId)).toEqual([SEEDED]);
    const seeded = doc.sessions[0];
    expect(Object.keys(seeded)).toEqual(['sessionId', 'agent', 'project', 'title', 'counts', 'total']);
    expect(seeded).toMatchObject({ agent: 'claude', project: demo.repoDir, title: 'Rotate ‹aws-access-key› today' });
    expect(Object.values(seeded.counts as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(seeded.total);
    for (const k of seededKinds) expect(seeded.counts[k], k).toBeGreaterThan(0);
    expect(doc.total).toBe(seeded.total);
    expect(leaks(r.out, secrets)).toEqual([]);

    const text = cli(['scan', '--db', db]);
    expect(text.code).toBe(3);
    expect(text.out).toMatch(new RegExp(`^${doc.total} secrets in 1 session \\(${doc.scannedMessages} messages scanned, detector version \\d+\\):`));
    expect(text.out).toContain(`${SEEDED}  claude  ${seeded.total}  ${demo.repoDir}  Rotate ‹aws-access-key› today`);
    expect(leaks(text.out, secrets)).toEqual([]);
  });

  it('exits 0 on the demo alone, and 1 without an index', () => {
    const r = cli(['scan', '--db', cleanDb]);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/^no secrets found: \d+ messages scanned \(\d+ just now\), detector version \d+\n$/);
    expect(cli(['scan', '--db', cleanDb, '--json']).out).toMatch(/^\{"sessions":\[\],"total":0,/);
    const missing = cli(['scan', '--db', path.join(dir, 'none.db')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/no index at .* run "mantra-tui index" first/);
  });
});

describe('--no-redact on a terminal', () => {
  let pane: TmuxPane | undefined;
  afterAll(() => pane?.kill());

  it('exports unmasked only after the full session id is typed', () => {
    pane = new TmuxPane(160, 40, { HOME: dir, XDG_DATA_HOME: path.join(dir, 'xdg'), HISTFILE: '/dev/null' });
    pane.start();
    const out = path.join(dir, 'unmasked-tty.md');
    const run = (answer: string, n: number) => {
      pane!.run(`node ${CLI} export ${SEEDED.slice(0, 8)} --db ${db} --no-redact --out ${out}; echo "EXIT$((${n}*0))=$?"`);
      pane!.waitFor((s) => (s.match(/type the session id to export it with its secrets unmasked:/g) ?? []).length >= n, 15_000);
      pane!.run(answer);
      return pane!.waitFor((s) => (s.match(/EXIT0=\d/g) ?? []).length >= n, 15_000);
    };
    // A prefix is not the id: refused, nothing written.
    let screen = run(SEEDED.slice(0, 8), 1);
    expect(screen).toContain(`"${SEEDED.slice(0, 8)}" is not the session id ${SEEDED}: nothing was exported`);
    expect(screen).toMatch(/EXIT0=1/);
    expect(fs.existsSync(out)).toBe(false);
    // The full id: written, with the secrets as recorded.
    screen = run(SEEDED, 2);
    expect(screen.match(/EXIT0=\d/g)![1]).toBe('EXIT0=0');
    const md = fs.readFileSync(out, 'utf8');
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    expect(md).toContain('- **Secrets:** NOT masked: exported with --no-redact');
    expect(md).toContain(secrets.find((s) => s.rule === 'github-pat')!.values[0]);
  });
});

describe('the --no-redact confirmation', () => {
  const ID = '6f1c2e0a-3b7d-4c55-9a10-2f3e4d5c6b7a';

  it.each([
    ['no terminal', false, null, false, /refusing --no-redact without a terminal/],
    ['no terminal, whatever was typed', false, ID, false, /refusing --no-redact without a terminal/],
    ['input ended', true, null, false, /no session id typed/],
    ['an empty line', true, '', false, /no session id typed/],
    ['a yes', true, 'yes', false, /"yes" is not the session id/],
    ['a prefix', true, ID.slice(0, 8), false, /"6f1c2e0a" is not the session id/],
    ['another case', true, ID.toUpperCase(), false, /is not the session id/],
    ['the id and more', true, `${ID}x`, false, /is not the session id/],
    ['the full id', true, ID, true, null],
    ['the full id with spaces around', true, `  ${ID} `, true, null],
  ])('%s', (_name, interactive, answer, proceed, message) => {
    const d = confirmUnmasked(ID, interactive, answer);
    expect(d.proceed).toBe(proceed);
    if (!d.proceed) expect(d.message).toMatch(message!);
  });

  function io(interactive: boolean, answer: string | null) {
    let out = '';
    const questions: string[] = [];
    const errors: string[] = [];
    const r: ExportIO = {
      stdout: new Writable({ write: (c, _e, done) => ((out += String(c)), done()) }),
      err: (l) => errors.push(l),
      interactive,
      ask: async (q) => (questions.push(q), answer),
    };
    return { io: r, out: () => out, questions, errors };
  }

  it('asks once on a terminal, then exports unmasked, or writes nothing', async () => {
    const secret = secrets.find((s) => s.rule === 'github-pat')!;
    const store = makeStore([{ id: ID, messages: [parsedMessage(1, { text: `token ${secret.text}` })] }]);
    try {
      const ctx = (x: ReturnType<typeof io>) => ({ dbPath: store.dbPath, dataDir: path.join(store.dir, 'data'), io: x.io });
      const yes = io(true, ID);
      expect(await runExport(ctx(yes), parseArgs(['export', ID.slice(0, 4), '--no-redact']))).toBe(0);
      expect(yes.questions).toEqual([NO_REDACT_QUESTION]);
      expect(yes.out()).toContain(secret.values[0]);

      const no = io(true, ID.slice(0, 4));
      expect(await runExport(ctx(no), parseArgs(['export', ID, '--no-redact', '--format', 'json']))).toBe(1);
      expect(no.out()).toBe('');
      expect(no.errors).toEqual([`mantra-tui: "${ID.slice(0, 4)}" is not the session id ${ID}: nothing was exported`]);

      // Without --no-redact nobody is asked, even on a terminal.
      const masked = io(true, null);
      expect(await runExport(ctx(masked), parseArgs(['export', ID]))).toBe(0);
      expect(masked.questions).toEqual([]);
      expect(masked.out()).toContain('token ‹github-pat›');
    } finally {
      store.close();
    }
  });
});
