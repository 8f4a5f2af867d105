/**
 * `mantra-tui doctor`: real folders of all five assistants (fixtures, shared samples, a bad file, files unreadable by
 * design), missing folders, the JSON contract, and the user's index left exactly as it was.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDoctor, tildePath, tildeText } from '../src/cli/doctor-command.js';
import { indexPass } from '../src/cli/session-commands.js';
import { agentHints, type AgentFacts } from '../src/doctor/hints.js';
import { headerUserVersion } from '../src/doctor/index-probe.js';
import { chooseRoots } from '../src/doctor/origins.js';
import { mergeLocations, type DoctorReport } from '../src/doctor/report.js';
import { resolveRoots } from '../src/cli/common.js';
import type { CliOptions } from '../src/cli/args.js';
import { AGENTS } from '../src/model.js';
import { SCHEMA_VERSION } from '../src/store/migrations.js';
import { openDatabase } from '../src/store/db.js';
import { IndexWriter } from '../src/store/writer.js';
import { createVscdb, referenceBubbles, referenceComposer } from './helpers/cursor-db.js';
import { prompt, reply, ts, uuid } from './helpers/claude-lines.js';

const CLI = path.resolve(__dirname, '../dist/cli.js');
const FIXTURES = path.resolve(__dirname, 'fixtures');
const SAMPLES = path.resolve(__dirname, '../../shared/samples');
const AGY_SAMPLE = path.join(SAMPLES, 'antigravity', 'surendrababuchittibomma-finrelief');
const AGY_ID = 'ba5f3ba6-18ee-4772-b2d0-1e55a3d40b7a';
const ORPHAN_DB_ID = '796a8454-0000-4000-8000-000000000001';
const ENCRYPTED_ID = '0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6';

let dir: string;
let home: string;
let tmp: string;
let flags: Required<Pick<CliOptions, 'claudeDir' | 'codexDir' | 'geminiDir' | 'cursorDir' | 'cursorCliDir' | 'antigravityDir'>>;

function put(file: string, content: string | Buffer): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

function copy(from: string, to: string): void {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to);
}

/** Bytes that look like an encrypted store: deterministic, but with no structure to read. */
function opaque(seed: string, length: number): Buffer {
  const out: Buffer[] = [];
  for (let i = 0; out.length * 32 < length; i++) out.push(crypto.createHash('sha256').update(`${seed}:${i}`).digest());
  return Buffer.concat(out).subarray(0, length);
}

/** One folder per assistant, laid out as each writes it. */
function makeHome(): void {
  const project = '/home/ada/shop';
  // Claude Code: a real published transcript, and one of ours with a line that is not JSON.
  const claude = flags.claudeDir;
  copy(path.join(SAMPLES, 'claude-code', 'obra-episodic-memory', 'short-conversation.jsonl'), path.join(claude, 'projects', '-home-ada-other', '5b0e3c1a-2d4f-4a6b-8c9d-0e1f2a3b4c5d.jsonl'));
  const sid = '6f1c2e0a-3b7d-4c55-9a10-2f3e4d5c6b7a';
  const u1 = uuid();
  put(path.join(claude, 'projects', '-home-ada-shop', `${sid}.jsonl`), [prompt({ uuid: u1, sessionId: sid, timestamp: ts(1) }, 'Add a limit'), '{"type":"user","message":', reply({ uuid: uuid(), parentUuid: u1, sessionId: sid, timestamp: ts(2) }, 'Done.')].join('\n') + '\n');
  // Codex CLI: a fixture rollout, and a compressed one Node cannot read.
  const modern = fs.readFileSync(path.join(FIXTURES, 'codex', 'modern.jsonl'), 'utf8');
  const threadId = JSON.parse(modern.split('\n')[0]).payload.id as string;
  put(path.join(flags.codexDir, 'sessions', '2026', '03', '10', `rollout-2026-03-10T14-00-00-${threadId}.jsonl`), modern);
  put(path.join(flags.codexDir, 'sessions', '2026', '03', '11', 'rollout-2026-03-11T09-00-00-019cd5a0-2222-7aaa-8bbb-0123456789ab.jsonl.zst'), Buffer.from([0x28, 0xb5, 0x2f, 0xfd, ...opaque('zst', 60)]));
  // Gemini CLI: a fixture chat in a registered project.
  put(path.join(flags.geminiDir, 'projects.json'), JSON.stringify({ projects: { [project]: 'shop' } }));
  copy(path.join(FIXTURES, 'gemini', 'session.jsonl'), path.join(flags.geminiDir, 'tmp', 'shop', 'chats', 'session-2026-05-02T09-10-7c0e1f2a.jsonl'));
  // Antigravity: a real transcript with its real store and summaries index, a store without a transcript, and the
  // encrypted legacy files.
  const profile = path.join(flags.antigravityDir, 'antigravity');
  copy(path.join(AGY_SAMPLE, 'transcript_full.jsonl'), path.join(profile, 'brain', AGY_ID, '.system_generated', 'logs', 'transcript_full.jsonl'));
  copy(path.join(AGY_SAMPLE, `${AGY_ID}.db`), path.join(profile, 'conversations', `${AGY_ID}.db`));
  copy(path.join(AGY_SAMPLE, `${AGY_ID}.db`), path.join(profile, 'conversations', `${ORPHAN_DB_ID}.db`));
  copy(path.join(AGY_SAMPLE, 'agyhub_summaries_proto.pb'), path.join(profile, 'agyhub_summaries_proto.pb'));
  put(path.join(profile, 'conversations', `${ENCRYPTED_ID}.pb`), opaque('conversation', 4096));
  put(path.join(profile, 'implicit', '1a2b3c4d-0000-4000-8000-000000000009.pb'), opaque('implicit', 2048));
  // Cursor: a global database with a composer, and a workspace database that is not a database at all.
  createVscdb(path.join(flags.cursorDir, 'globalStorage', 'state.vscdb'), { kv: { 'composerData:c0ffee00-1111-4222-8333-444455556666': referenceComposer(), ...referenceBubbles() } }).close();
  put(path.join(flags.cursorDir, 'workspaceStorage', '4f2a9c1e0b3d5f7a9c1e0b3d5f7a9c1e', 'workspace.json'), JSON.stringify({ folder: `file://${project}` }));
  put(path.join(flags.cursorDir, 'workspaceStorage', '4f2a9c1e0b3d5f7a9c1e0b3d5f7a9c1e', 'state.vscdb'), 'this is not a SQLite database, it was cut off by a crash\n');
}

beforeAll(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mantra-doctor-test-')));
  home = path.join(dir, 'home');
  tmp = path.join(dir, 'tmp');
  fs.mkdirSync(tmp);
  flags = {
    claudeDir: path.join(home, '.claude'),
    codexDir: path.join(home, '.codex'),
    geminiDir: path.join(home, '.gemini'),
    antigravityDir: path.join(home, '.gemini'),
    cursorDir: path.join(home, '.config', 'Cursor', 'User'),
    cursorCliDir: path.join(home, '.cursor'),
  };
  makeHome();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function doctor(dbPath: string, opts: { flags?: typeof flags | Record<string, never>; env?: NodeJS.ProcessEnv; json?: boolean } = {}): { report: DoctorReport; out: string } {
  let out = '';
  const report = runDoctor({ dbPath, flags: opts.flags ?? flags, json: opts.json ?? false, env: opts.env ?? { HOME: home }, platform: 'linux', write: (t) => (out += t), tmpDir: tmp });
  return { report, out };
}

const agentOf = (r: DoctorReport, agent: string) => r.agents.find((a) => a.agent === agent)!;

describe('doctor on real folders of every assistant', () => {
  it('reports, per assistant, what it found and what a real index pass reads and skips from it', () => {
    const { report } = doctor(path.join(dir, 'none.db'));
    expect(report.agents.map((a) => a.agent)).toEqual([...AGENTS]);
    // The same roots through the indexer: what doctor says it found is what an index pass reads.
    const reference = path.join(dir, 'reference.db');
    const { stats } = indexPass(reference, resolveRoots(flags as CliOptions, { HOME: home }));
    const db = new Database(reference, { readonly: true });
    const perAgent = new Map((db.prepare('SELECT agent, count(*) AS n, sum(message_count) AS m FROM session GROUP BY agent').all() as { agent: string; n: number; m: number }[]).map((r) => [r.agent, r]));
    db.close();
    for (const a of report.agents) {
      expect({ agent: a.agent, sessions: a.sessionsFound, messages: a.messagesFound }).toEqual({ agent: a.agent, sessions: perAgent.get(a.agent)?.n ?? 0, messages: perAgent.get(a.agent)?.m ?? 0 });
      expect(a.sessionsFound, a.agent).toBeGreaterThan(0);
    }
    const skipped: Record<string, number> = {};
    for (const a of report.agents) for (const [k, v] of Object.entries(a.skipped)) skipped[k] = (skipped[k] ?? 0) + v;
    expect(skipped).toEqual(stats.skipped);
    expect(report.agents.flatMap((a) => a.fileErrors)).toEqual(stats.fileErrors);

    // The bad line is counted against Claude Code, the broken database against Cursor, with the reason.
    expect(agentOf(report, 'claude').skipped['invalid-json']).toBe(1);
    expect(agentOf(report, 'cursor').fileErrors).toEqual([
      { path: path.join(flags.cursorDir, 'workspaceStorage', '4f2a9c1e0b3d5f7a9c1e0b3d5f7a9c1e', 'state.vscdb'), message: expect.stringMatching(/^Cursor database not a SQLite database/) },
    ]);
    expect(agentOf(report, 'cursor').hints).toContainEqual(expect.stringMatching(/^Cursor: 1 file could not be read/));
  });

  it('lists what is unreadable by design with the reason, and never reads it', () => {
    const { report, out } = doctor(path.join(dir, 'none.db'));
    const agy = agentOf(report, 'antigravity');
    const profile = path.join(flags.antigravityDir, 'antigravity');
    expect(agy.unreadable.map((u) => u.path).sort()).toEqual(
      [path.join(profile, 'conversations', `${ENCRYPTED_ID}.pb`), path.join(profile, 'conversations', `${ORPHAN_DB_ID}.db`), path.join(profile, 'implicit', '1a2b3c4d-0000-4000-8000-000000000009.pb')].sort(),
    );
    expect(agy.unreadable.find((u) => u.path.endsWith(`${ENCRYPTED_ID}.pb`))!.reason).toMatch(/encrypted conversation/);
    // The encrypted conversation is not a session: only the transcript's conversation is.
    expect(agy.sessionsFound).toBe(1);
    expect(agy.hints).toContainEqual(expect.stringMatching(/^Antigravity: 3 conversation files cannot be read .* not guessed at/));
    const codex = agentOf(report, 'codex');
    expect(codex.unreadable).toEqual([{ path: expect.stringMatching(/\.jsonl\.zst$/), reason: expect.stringMatching(/zstd/) }]);
    expect(codex.sessionsFound).toBe(1);
    // The plain report groups them by reason under the paths.
    expect(out).toContain(`~/.gemini/antigravity/conversations/${ENCRYPTED_ID}.pb`);
    expect(out).toMatch(/unreadable 3 files, present but not readable by design:/);
  });

  it('says where it looked and which flag chose each folder', () => {
    const { report } = doctor(path.join(dir, 'none.db'));
    expect(agentOf(report, 'claude').locations[0]).toEqual({ path: flags.claudeDir, exists: true, note: 'from --claude-dir' });
    expect(agentOf(report, 'codex').locations.map((l) => [l.path, l.exists])).toEqual([
      [flags.codexDir, true],
      [path.join(flags.codexDir, 'sessions'), true],
      [path.join(flags.codexDir, 'archived_sessions'), false],
    ]);
    expect(agentOf(report, 'antigravity').locations).toContainEqual({ path: path.join(flags.antigravityDir, 'antigravity'), exists: true, note: 'profile: 1 transcript(s)' });
    expect(agentOf(report, 'cursor').locations.slice(0, 2)).toEqual([
      { path: flags.cursorDir, exists: true, note: 'from --cursor-dir; Cursor editor user dir' },
      { path: flags.cursorCliDir, exists: false, note: 'from --cursor-cli-dir' },
    ]);
  });

  it('answers in the documented JSON shape', () => {
    const { report, out } = doctor(path.join(dir, 'none.db'), { json: true });
    const doc = JSON.parse(out);
    expect(doc).toEqual(JSON.parse(JSON.stringify(report)));
    expect(Object.keys(doc)).toEqual(['agents', 'index']);
    for (const a of doc.agents) {
      expect(Object.keys(a)).toEqual(['agent', 'locations', 'files', 'sessionsFound', 'messagesFound', 'sessionsIndexed', 'messagesIndexed', 'skipped', 'fileErrors', 'unreadable', 'hints']);
      for (const l of a.locations) expect(Object.keys(l)).toEqual(['path', 'exists', 'note']);
      expect(a.sessionsIndexed).toBeNull();
    }
    expect(doc.index).toEqual({ path: path.join(dir, 'none.db'), exists: false, schemaVersion: null, sizeBytes: null, sessions: null, messages: null });
    // JSON paths are absolute; the plain report shortens the home folder.
    expect(doc.agents[0].locations[0].path).toBe(flags.claudeDir);
  });
});

describe("doctor and the user's index", () => {
  function fingerprint(dbPath: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const name of fs.readdirSync(path.dirname(dbPath)).sort()) {
      if (name.endsWith('-shm')) continue; // readers of a live index mark their place in shared memory
      out[name] = crypto.createHash('sha256').update(fs.readFileSync(path.join(path.dirname(dbPath), name))).digest('hex');
    }
    return out;
  }

  it('leaves a closed index byte for byte as it was, and reports what it holds per assistant', () => {
    const dbPath = path.join(dir, 'closed', 'index.db');
    indexPass(dbPath, { claudeDir: flags.claudeDir, codexDir: flags.codexDir });
    const before = fingerprint(dbPath);
    expect(Object.keys(before)).toEqual(['index.db']);
    const { report, out } = doctor(dbPath);
    expect(fingerprint(dbPath)).toEqual(before);
    expect(report.index).toMatchObject({ path: dbPath, exists: true, schemaVersion: SCHEMA_VERSION, sizeBytes: fs.statSync(dbPath).size });
    const claude = agentOf(report, 'claude');
    expect(claude.sessionsIndexed).toBe(claude.sessionsFound);
    expect(report.index.sessions).toBe(report.agents.reduce((n, a) => n + (a.sessionsIndexed ?? 0), 0));
    // Gemini CLI's session was never indexed: doctor says so, and how to fix it.
    expect(agentOf(report, 'gemini')).toMatchObject({ sessionsIndexed: 0, messagesIndexed: 0 });
    expect(agentOf(report, 'gemini').hints).toContainEqual('Gemini CLI: 1 session on disk is not in the index yet — run "mantra-tui index" (or open mantra-tui).');
    expect(out).toMatch(/Index\n {2}file {7}\S+index\.db\n {2}state {6}[\d.]+ kB, schema version \d+: \d+ sessions, \d+ messages/);
  });

  it('reads a live index (a writer holds it open, its log not yet checkpointed) without writing to it', () => {
    const dbPath = path.join(dir, 'live', 'index.db');
    indexPass(dbPath, { claudeDir: flags.claudeDir });
    const db = openDatabase(dbPath);
    try {
      db.pragma('wal_autocheckpoint = 0');
      const writer = new IndexWriter(db);
      writer.transaction(() => writer.upsertSession({ id: 'live-session', agent: 'codex', project: '/home/ada/shop' }, writer.ensureSourceFile('/nowhere/live.jsonl', 'codex').id));
      expect(fs.statSync(`${dbPath}-wal`).size).toBeGreaterThan(0);
      const before = fingerprint(dbPath);
      const { report } = doctor(dbPath);
      expect(fingerprint(dbPath)).toEqual(before);
      // The row still in the log counts.
      expect(agentOf(report, 'codex').sessionsIndexed).toBe(1);
    } finally {
      db.close();
    }
  });

  it('reports an index it cannot read instead of failing', () => {
    const dbPath = put(path.join(dir, 'broken', 'index.db'), 'not an index');
    const { report, out } = doctor(dbPath);
    expect(report.index).toEqual({ path: dbPath, exists: true, schemaVersion: null, sizeBytes: 12, sessions: null, messages: null });
    expect(report.agents.every((a) => a.sessionsIndexed === null)).toBe(true);
    expect(out).toMatch(/problem {4}not a SQLite database/);
  });
});

describe('doctor with nothing to find', () => {
  it('lists every assistant anyway, each default folder missing, with what to check', () => {
    const empty = path.join(dir, 'empty-home');
    fs.mkdirSync(empty);
    const { report, out } = doctor(path.join(dir, 'none.db'), { flags: {}, env: { HOME: empty } });
    expect(report.agents.map((a) => a.agent)).toEqual([...AGENTS]);
    for (const a of report.agents) {
      expect(a).toMatchObject({ files: 0, sessionsFound: 0, messagesFound: 0, skipped: {}, fileErrors: [], unreadable: [] });
      expect(a.locations.every((l) => !l.exists), a.agent).toBe(true);
      expect(a.hints.length, a.agent).toBeGreaterThan(0);
    }
    expect(agentOf(report, 'codex').locations[0]).toEqual({ path: path.join(empty, '.codex'), exists: false, note: 'default (~/.codex; $CODEX_HOME is not set)' });
    expect(agentOf(report, 'codex').hints).toEqual([`Codex CLI: no sessions under ${path.join(empty, '.codex', 'sessions')} — is CODEX_HOME set in the shell where you run codex? Set it here too, or pass --codex-dir.`]);
    expect(agentOf(report, 'claude').hints[0]).toMatch(/does not exist — if Claude Code keeps its files elsewhere, set \$CLAUDE_CONFIG_DIR/);
    expect(out).toContain('hint       Codex CLI: no sessions under ~/.codex/sessions — is CODEX_HOME set');
    expect(out).toContain('not created yet');
    // A folder chosen by the environment says so.
    const viaEnv = doctor(path.join(dir, 'none.db'), { flags: {}, env: { HOME: empty, CODEX_HOME: path.join(empty, 'codex-home') } }).report;
    expect(agentOf(viaEnv, 'codex').locations[0]).toEqual({ path: path.join(empty, 'codex-home'), exists: false, note: 'from $CODEX_HOME' });
  });
});

describe('the dry run', () => {
  it('leaves no throwaway index behind, and removes those of a doctor that was killed', () => {
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const stale = path.join(tmp, `mantra-doctor-${child.stdout}-abc123`);
    put(path.join(stale, 'index.db'), 'left over');
    doctor(path.join(dir, 'none.db'));
    expect(fs.readdirSync(tmp).filter((n) => n.startsWith('mantra-doctor-'))).toEqual([]);
  });

  it('prints progress to stderr once it runs longer than its threshold', () => {
    const lines: string[] = [];
    const sink = { write: (s: string) => (lines.push(s), true), isTTY: false } as unknown as NodeJS.WritableStream;
    runDoctor({ dbPath: path.join(dir, 'none.db'), flags, json: true, env: { HOME: home }, platform: 'linux', write: () => {}, progress: sink, progressAfterMs: 0, tmpDir: tmp });
    expect(lines.length).toBeGreaterThan(0);
    expect(lines[lines.length - 1]).toMatch(/^doctor: reading (\d+)\/\1 files · [\d.]+\/[\d.]+ MB\n$/);
    // Quiet when fast: the default threshold is a second.
    const quiet: string[] = [];
    runDoctor({ dbPath: path.join(dir, 'none.db'), flags, json: true, env: { HOME: home }, platform: 'linux', write: () => {}, progress: { write: (s: string) => (quiet.push(s), true) } as unknown as NodeJS.WritableStream, tmpDir: tmp });
    expect(quiet).toEqual([]);
  });

  it('runs as a command of the built CLI', () => {
    const r = spawnSync(process.execPath, [CLI, 'doctor', '--json', '--db', path.join(dir, 'none.db'), '--claude-dir', flags.claudeDir, '--codex-dir', flags.codexDir], {
      encoding: 'utf8',
      env: { ...process.env, HOME: home, TMPDIR: tmp },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout) as DoctorReport;
    expect(doc.agents.map((a) => [a.agent, a.sessionsFound > 0])).toEqual([
      ['claude', true],
      ['codex', true],
      ['gemini', true],
      ['antigravity', true],
      ['cursor', true],
    ]);
  });
});

describe('doctor, pure parts', () => {
  it.each([
    [{}, { HOME: '/home/ada' }, 'codex', 'default (~/.codex; $CODEX_HOME is not set)', '/home/ada/.codex'],
    [{}, { HOME: '/home/ada', CODEX_HOME: '/srv/codex' }, 'codex', 'from $CODEX_HOME', '/srv/codex'],
    [{ codexDir: '/x' }, { HOME: '/home/ada', CODEX_HOME: '/srv/codex' }, 'codex', 'from --codex-dir', '/x'],
    [{}, { HOME: '/home/ada', CLAUDE_CONFIG_DIR: '/c' }, 'claude', 'from $CLAUDE_CONFIG_DIR', '/c'],
    [{}, { HOME: '/home/ada', GEMINI_CLI_HOME: '/g' }, 'gemini', 'from $GEMINI_CLI_HOME (its .gemini folder)', '/g/.gemini'],
    [{}, { HOME: '/home/ada' }, 'gemini', 'default (~/.gemini; $GEMINI_CLI_HOME is not set)', '/home/ada/.gemini'],
    [{}, { HOME: '/home/ada' }, 'cursor', 'default (~/.config/Cursor/User)', '/home/ada/.config/Cursor/User'],
    [{}, { HOME: '/home/ada', XDG_CONFIG_HOME: '/xdg' }, 'cursor', 'default ($XDG_CONFIG_HOME/Cursor/User)', '/xdg/Cursor/User'],
    [{}, { HOME: '/home/ada' }, 'antigravity', 'default (~/.gemini)', '/home/ada/.gemini'],
    [{ antigravityDir: '/p' }, { HOME: '/home/ada' }, 'antigravity', 'from --antigravity-dir', '/p'],
  ] as const)('chooses %j with %j: %s %s', (f, env, agent, why, p) => {
    const { chosen } = chooseRoots(f, env, 'linux');
    expect(chosen[agent][0]).toEqual({ path: p, why });
  });

  it('chooses the same folders as every other command', () => {
    const env = { HOME: '/home/ada', CODEX_HOME: '/srv/codex', AGY_APP_DATA_DIR: '/data/agy' };
    const opts = { codexDir: undefined, geminiDir: '/g' } as unknown as CliOptions;
    const { roots, chosen } = chooseRoots(opts, env, process.platform);
    expect(roots).toEqual(resolveRoots(opts, env));
    expect(chosen.antigravity).toEqual([
      { path: '/home/ada/.gemini', why: 'default (~/.gemini)' },
      { path: '/data/agy', why: 'from $AGY_APP_DATA_DIR' },
    ]);
  });

  const facts = (f: Partial<AgentFacts>): AgentFacts => ({ agent: 'codex', roots: [{ path: '/h/.codex', exists: true }], files: 1, unreadable: 0, fileErrors: 0, sessionsFound: 1, sessionsIndexed: 1, ...f });
  it.each([
    [facts({}), []],
    [facts({ files: 0, sessionsFound: 0, sessionsIndexed: null }), ['Codex CLI: no sessions under /h/.codex/sessions — is CODEX_HOME set in the shell where you run codex? Set it here too, or pass --codex-dir.']],
    [facts({ sessionsFound: 0, sessionsIndexed: 0, files: 3 }), ['Codex CLI: 3 files found, but no session could be read from them — see what was skipped and why.']],
    [facts({ sessionsFound: 4, sessionsIndexed: 1 }), ['Codex CLI: 3 sessions on disk are not in the index yet — run "mantra-tui index" (or open mantra-tui).']],
    [facts({ sessionsFound: 1, sessionsIndexed: 2 }), ['Codex CLI: the index keeps 1 session whose files are not in these folders now (deleted, moved, or indexed from another folder).']],
    [facts({ unreadable: 2, files: 0, sessionsFound: 0, sessionsIndexed: 0 }), [expect.stringMatching(/^Codex CLI: no sessions under/), 'Codex CLI: 2 compressed rollouts (.jsonl.zst) cannot be read here (Node 20 has no zstd decoder); resuming a session in Codex writes it back as .jsonl.']],
    [facts({ agent: 'claude', roots: [{ path: '/h/.claude', exists: true }], files: 0, sessionsFound: 0, sessionsIndexed: 0 }), [expect.stringMatching(/^Claude Code: no transcripts under \/h\/\.claude\/projects/)]],
    [facts({ agent: 'gemini', roots: [{ path: '/h/.gemini', exists: false }], files: 0, sessionsFound: 0, sessionsIndexed: 0 }), [expect.stringMatching(/^Gemini CLI: \/h\/\.gemini does not exist/)]],
    [facts({ agent: 'antigravity', roots: [{ path: '/h/.gemini', exists: true }], profiles: 0, files: 0, sessionsFound: 0, sessionsIndexed: 0 }), [expect.stringMatching(/^Antigravity: no antigravity\* profile under \/h\/\.gemini/)]],
    [facts({ agent: 'antigravity', roots: [{ path: '/h/.gemini', exists: true }], profiles: 1, unreadable: 1, files: 0, sessionsFound: 0, sessionsIndexed: 0 }), [expect.stringMatching(/^Antigravity: 1 conversation file cannot be read/)]],
    [facts({ agent: 'cursor', roots: [{ path: '/u', exists: false }, { path: '/c', exists: false }], files: 0, sessionsFound: 0, sessionsIndexed: 0 }), [expect.stringMatching(/^Cursor: neither \/u nor \/c exists/)]],
    [facts({ fileErrors: 2 }), ['Codex CLI: 2 files could not be read at all (listed below with the error).']],
  ])('hints for %j', (f, expected) => {
    expect(agentHints(f)).toEqual(expected);
  });

  it('reads the schema version from a SQLite header', () => {
    const header = Buffer.alloc(100);
    header.write('SQLite format 3\0', 0, 'latin1');
    header.writeUInt32BE(6, 60);
    expect(headerUserVersion(header)).toBe(6);
    expect(headerUserVersion(Buffer.from('not sqlite'))).toBeNull();
    expect(headerUserVersion(header.subarray(0, 50))).toBeNull();
  });

  it('puts the chosen folders first, with why, then the other places the adapter looked', () => {
    expect(
      mergeLocations([{ path: '/g', why: 'from --antigravity-dir' }], [true], [
        { path: '/g', exists: true, note: 'scanned for antigravity* profiles' },
        { path: '/g/antigravity', exists: true, note: 'profile: 2 transcript(s)' },
        { path: '/g/x', exists: false },
      ]),
    ).toEqual([
      { path: '/g', exists: true, note: 'from --antigravity-dir; scanned for antigravity* profiles' },
      { path: '/g/antigravity', exists: true, note: 'profile: 2 transcript(s)' },
      { path: '/g/x', exists: false, note: null },
    ]);
  });

  it('shortens paths in the home folder only', () => {
    const show = tildePath('/home/ada');
    expect([show('/home/ada/.codex'), show('/home/ada'), show('/home/adam/x'), show('/srv/x')]).toEqual(['~/.codex', '~', '/home/adam/x', '/srv/x']);
    expect(tildeText('/home/ada')('no sessions under /home/ada/.codex/sessions or /home/adam/x')).toBe('no sessions under ~/.codex/sessions or /home/adam/x');
  });
});

describe('doctor when the temp folder is unusable', () => {
  it('fails with one line saying where, not a stack trace', () => {
    const file = put(path.join(dir, 'not-a-folder'), 'a file where a folder should be');
    expect(() => runDoctor({ dbPath: path.join(dir, 'none.db'), flags, json: true, env: { HOME: home }, platform: 'linux', write: () => {}, tmpDir: file })).toThrow(
      new RegExp(`^the dry run could not write its throwaway index in ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(.*\\); point TMPDIR at a folder with room$`),
    );
  });
});
