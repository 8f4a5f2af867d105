/**
 * Restore benchmarks: diff preview on a long session, in-place restore of 100 files, and the cost of mantra-tui's own
 * snapshots on a repository of 10,000 files. Everything is generated under `root` (real git repositories, a real
 * Claude Code transcript indexed the normal way) and measured end to end through RestoreService.
 * The lead's bench.ts calls runRestoreBench; each figure is reported through `report`.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { runIndex } from '../ingest/indexer.js';
import { adaptersFor } from '../ingest/sources.js';
import { closeDatabase, openDatabase } from '../store/db.js';
import { StoreReader } from '../store/reader.js';
import { IndexWriter } from '../store/writer.js';
import { RestoreService } from '../restore/service.js';
import { diskUsage, shadowDir } from '../restore/shadow.js';
import { snapshotWorkingTree } from '../restore/snapshot.js';
import { fmt, median, percentile } from './stats.js';
import { rng } from './corpus.js';

export interface RestoreBenchOptions {
  /** An empty directory to generate into (the caller removes it). */
  readonly root: string;
  /** Repetitions for the slow measurements (default 5). */
  readonly runs?: number;
  /** Messages in the long session (default 3000). */
  readonly messages?: number;
  /** Files in the snapshot repository (default 10,000). */
  readonly snapshotFiles?: number;
  readonly log: (line: string) => void;
  readonly report: (name: string, value: string) => void;
}

const T0 = Date.UTC(2026, 4, 2, 9, 0, 0);

function git(cwd: string, args: string[]): string {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('GIT_')) delete env[k];
  const date = '2026-05-01T08:00:00Z';
  return execFileSync('git', args, {
    cwd,
    env: { ...env, GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'b@x', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'b@x', GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  }).trim();
}

function makeRepo(dir: string, files: Map<string, string>): void {
  fs.mkdirSync(dir, { recursive: true });
  git(dir, ['init', '-q', '-b', 'main']);
  // No background `gc --auto` after the commit: it would skew later figures and race the scratch directory's removal.
  git(dir, ['config', 'gc.auto', '0']);
  for (const [rel, text] of files) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'base']);
}

function sourceFile(n: number, lines: number): string {
  return Array.from({ length: lines }, (_, i) => `export const value_${n}_${i} = ${i * 7 + n}; // line ${i}`).join('\n') + '\n';
}

/** A Claude transcript of `messages` lines editing files of `repo`, with the results Claude Code records. */
class Transcript {
  readonly lines: string[] = [];
  private parent: string | null = null;
  private n = 0;
  constructor(readonly sessionId: string, readonly cwd: string) {}

  private base() {
    const uuid = `00000000-0000-4000-8000-${String(++this.n).padStart(12, '0')}`;
    const b = { parentUuid: this.parent, isSidechain: false, userType: 'external', cwd: this.cwd, sessionId: this.sessionId, version: '2.1.150', gitBranch: 'main', uuid, timestamp: new Date(T0 + this.n * 1000).toISOString() };
    this.parent = uuid;
    return b;
  }

  prompt(text: string): void {
    this.lines.push(JSON.stringify({ ...this.base(), type: 'user', message: { role: 'user', content: text } }));
  }

  reply(text: string): void {
    this.lines.push(JSON.stringify({ ...this.base(), type: 'assistant', message: { id: `msg_${this.n}`, type: 'message', role: 'assistant', content: [{ type: 'text', text }] } }));
  }

  tool(name: string, input: object, toolUseResult: object | undefined): void {
    const id = `toolu_${this.n}`;
    this.lines.push(JSON.stringify({ ...this.base(), type: 'assistant', message: { id: `msg_${this.n}`, type: 'message', role: 'assistant', content: [{ type: 'tool_use', id, name, input }] } }));
    this.lines.push(JSON.stringify({ ...this.base(), type: 'user', message: { role: 'user', content: [{ tool_use_id: id, type: 'tool_result', content: 'ok' }] }, ...(toolUseResult ? { toolUseResult } : {}) }));
  }
}

function indexClaude(claudeDir: string, dbPath: string): void {
  const db = openDatabase(dbPath);
  try {
    runIndex(new IndexWriter(db), adaptersFor({ claudeDir }));
  } finally {
    closeDatabase(db);
  }
}

function writeTranscript(claudeDir: string, t: Transcript): void {
  const dir = path.join(claudeDir, 'projects', t.cwd.replace(/[^A-Za-z0-9]/g, '-'));
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${t.sessionId}.jsonl`), t.lines.join('\n') + '\n');
}

async function benchDiff(o: RestoreBenchOptions): Promise<void> {
  const target = o.messages ?? 3000;
  const r = rng(7);
  const repo = path.join(o.root, 'long-session-repo');
  const files = new Map<string, string>();
  for (let i = 0; i < 40; i++) files.set(`src/module${i}.ts`, sourceFile(i, 200));
  makeRepo(repo, files);
  const contents = new Map([...files].map(([rel, text]) => [path.join(repo, rel), text]));
  const t = new Transcript('b0000000-0000-4000-8000-000000000001', repo);
  let edits = 0;
  while (t.lines.length < target) {
    t.prompt('next change please');
    for (let k = 0; k < 3; k++) {
      const file = [...contents.keys()][Math.floor(r() * contents.size)];
      const before = contents.get(file)!;
      const lines = before.split('\n');
      const at = Math.floor(r() * (lines.length - 2));
      const oldString = lines[at];
      const newString = `${oldString} // edited ${edits++}`;
      const after = before.replace(oldString, newString);
      contents.set(file, after);
      const structuredPatch = [{ oldStart: at + 1, oldLines: 1, newStart: at + 1, newLines: 1, lines: [`-${oldString}`, `+${newString}`] }];
      t.tool('Edit', { file_path: file, old_string: oldString, new_string: newString }, { filePath: file, oldString, newString, originalFile: before, structuredPatch, userModified: false, replaceAll: false });
    }
    t.tool('Bash', { command: r() < 0.8 ? 'git diff --stat' : 'npm test' }, { stdout: 'ok', stderr: '', interrupted: false });
    t.reply('done');
  }
  const claudeDir = path.join(o.root, 'claude');
  writeTranscript(claudeDir, t);
  const dbPath = path.join(o.root, 'diff.db');
  indexClaude(claudeDir, dbPath);
  const db = openDatabase(dbPath, { readonly: true });
  try {
    const newService = () => new RestoreService({ reader: new StoreReader(db), dataDir: path.join(o.root, 'data') });
    const messages = t.lines.length;
    // The first preview of a session builds its plan: timed with a new service (no cached plan) each run.
    const first: number[] = [];
    for (let i = 0; i < (o.runs ?? 5); i++) {
      const fresh = newService();
      const c0 = performance.now();
      await fresh.diff(t.sessionId, 2, 'prev');
      first.push(performance.now() - c0);
    }
    const service = newService();
    await service.diff(t.sessionId, 2, 'prev');
    const prev: number[] = [];
    const now: number[] = [];
    for (let i = 0; i < 300; i++) {
      const seq = 1 + Math.floor(r() * messages);
      const s0 = performance.now();
      await service.diff(t.sessionId, seq, 'prev');
      prev.push(performance.now() - s0);
    }
    const { plan } = await service.load(t.sessionId);
    const editing = Array.from({ length: messages }, (_, i) => i + 1).filter((seq) => plan.changedAt(seq).length > 0);
    const changed: number[] = [];
    for (let i = 0; i < 300; i++) {
      const seq = editing[Math.floor(r() * editing.length)];
      const s0 = performance.now();
      await service.diff(t.sessionId, seq, 'prev');
      changed.push(performance.now() - s0);
    }
    for (let i = 0; i < 60; i++) {
      const seq = 1 + Math.floor(r() * messages);
      const s0 = performance.now();
      await service.diff(t.sessionId, seq, 'now');
      now.push(performance.now() - s0);
    }
    o.report('diff preview: first message of a session (builds the plan)', `${fmt(median(first))} ms median of ${first.length}, first run ${fmt(first[0])} ms (${messages} messages, ${edits} edits on 40 files)`);
    o.report('diff preview vs previous message (any message)', `${fmt(median(prev), 2)} ms median, ${fmt(percentile(prev, 95), 2)} ms p95`);
    o.report('diff preview vs previous message (messages that edited a file)', `${fmt(median(changed), 2)} ms median, ${fmt(percentile(changed, 95), 2)} ms p95`);
    o.report('diff preview vs working tree now', `${fmt(median(now), 2)} ms median, ${fmt(percentile(now, 95), 2)} ms p95`);
  } finally {
    closeDatabase(db);
  }
}

async function benchRestore(o: RestoreBenchOptions): Promise<void> {
  const repo = path.join(o.root, 'restore-repo');
  const files = new Map<string, string>();
  for (let i = 0; i < 100; i++) files.set(`pkg${i % 10}/file${i}.ts`, sourceFile(i, 100));
  makeRepo(repo, files);
  const t = new Transcript('b0000000-0000-4000-8000-000000000002', repo);
  t.prompt('rewrite every file');
  for (const [rel, text] of files) {
    const file = path.join(repo, rel);
    const content = text.replace(/line/g, 'row');
    t.tool('Write', { file_path: file, content }, { type: 'update', filePath: file, content, structuredPatch: [], originalFile: text });
    fs.writeFileSync(file, content);
  }
  const claudeDir = path.join(o.root, 'claude-restore');
  writeTranscript(claudeDir, t);
  const dbPath = path.join(o.root, 'restore.db');
  indexClaude(claudeDir, dbPath);
  const db = openDatabase(dbPath);
  try {
    const service = new RestoreService({ reader: new StoreReader(db), writer: new IndexWriter(db), dataDir: path.join(o.root, 'data') });
    const previews: number[] = [];
    const restores: number[] = [];
    const undos: number[] = [];
    for (let i = 0; i < (o.runs ?? 5); i++) {
      const p0 = performance.now();
      const preview = await service.previewRestore(t.sessionId, 1);
      previews.push(performance.now() - p0);
      if (preview.plan.counts.write !== 100) throw new Error(`expected 100 files to write, got ${JSON.stringify(preview.plan.counts)}`);
      const r0 = performance.now();
      await service.restoreInPlace(preview);
      restores.push(performance.now() - r0);
      const u0 = performance.now();
      await service.undo();
      undos.push(performance.now() - u0);
    }
    o.report('restore 100 files in place: plan', `${fmt(median(previews))} ms median`);
    o.report('restore 100 files in place: backup + journal + atomic writes', `${fmt(median(restores))} ms median`);
    o.report('undo of that restore', `${fmt(median(undos))} ms median`);
  } finally {
    closeDatabase(db);
  }
}

async function benchSnapshots(o: RestoreBenchOptions): Promise<void> {
  const count = o.snapshotFiles ?? 10_000;
  const repo = path.join(o.root, 'snapshot-repo');
  const files = new Map<string, string>();
  for (let i = 0; i < count; i++) files.set(`dir${i % 100}/sub${i % 7}/file${i}.ts`, sourceFile(i, 40));
  o.log(`  generating a repository of ${count} files`);
  makeRepo(repo, files);
  const dbPath = path.join(o.root, 'snapshots.db');
  const dataDir = path.join(o.root, 'data-snapshots');
  const db = openDatabase(dbPath);
  try {
    const writer = new IndexWriter(db);
    const src = writer.ensureSourceFile('/bench/session.jsonl', 'claude');
    const sessionId = 'b0000000-0000-4000-8000-000000000003';
    writer.upsertSession({ id: sessionId, agent: 'claude', project: repo }, src.id);
    const rels = [...files.keys()];
    const r = rng(11);
    let seq = 0;
    const snap = () => snapshotWorkingTree(repo, { sessionId, seq: ++seq, timestamp: T0 + seq * 1000 }, { dataDir, writer });
    const c0 = performance.now();
    await snap();
    const coldMs = performance.now() - c0;
    const shadow = shadowDir(dataDir, repo);
    const coldBytes = diskUsage(shadow);
    const changed: number[] = [];
    const n = Math.max(10, (o.runs ?? 5) * 4);
    for (let i = 0; i < n; i++) {
      // What a message typically does: a few edits and the odd new file.
      for (let k = 0; k < 3; k++) fs.appendFileSync(path.join(repo, rels[Math.floor(r() * rels.length)]), `// change ${i}.${k}\n`);
      if (i % 4 === 0) fs.writeFileSync(path.join(repo, `dir${i % 100}/new${i}.ts`), sourceFile(i, 10));
      const s0 = performance.now();
      await snap();
      changed.push(performance.now() - s0);
    }
    const perSnapshot = (diskUsage(shadow) - coldBytes) / n;
    const same: number[] = [];
    for (let i = 0; i < n; i++) {
      const s0 = performance.now();
      await snap();
      same.push(performance.now() - s0);
    }
    o.report(`snapshot, first in a repository of ${count} files`, `${fmt(coldMs)} ms, ${fmt(coldBytes / 1e6, 2)} MB (objects shared with the project through alternates)`);
    o.report('snapshot per message (3 files changed)', `${fmt(median(changed))} ms median, ${fmt(percentile(changed, 95))} ms p95, ${fmt(perSnapshot / 1024, 1)} KiB disk per snapshot`);
    o.report('snapshot per message (nothing changed: commit reused)', `${fmt(median(same))} ms median`);
  } finally {
    closeDatabase(db);
  }
}

export async function runRestoreBench(o: RestoreBenchOptions): Promise<void> {
  o.log('restore: diff preview on a long session');
  await benchDiff(o);
  o.log('restore: in-place restore of 100 files');
  await benchRestore(o);
  o.log('restore: snapshots per message');
  await benchSnapshots(o);
}
