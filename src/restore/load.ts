/**
 * Gathers a session's evidence — its messages, its sub-agents', the assistants' checkpoints, mantra-tui's own
 * snapshots and the git base — and hands it to the pure planner. All the I/O of "state at a message" is here.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ClaudeFileHistoryData, GeminiCheckpointData } from '../model.js';
import type { EvidenceRow, StoreReader } from '../store/reader.js';
import type { CheckpointRow, SessionRow } from '../store/rows.js';
import { ContentStore } from './content.js';
import { extractEvidence, mergeSubagentEvidence, type SessionEvidence } from './evidence.js';
import { findBaseCommit, gitEnv, ignoredPaths, readObjects, repoDirs, repoRootOf, runGit, trulyAbsent, type BaseCommit } from './git.js';
import { planSession, type Anchor, type BaseState, type Known, type SessionPlan } from './planner.js';
import { insideRepo } from './restore-plan.js';
import { shadowDir } from './shadow.js';

export interface LoadOptions {
  readonly dataDir: string;
  /**
   * The commit the session started from, when known from elsewhere. Defaults to the one the assistant recorded
   * (Codex `session_meta.git.commit_hash`, the session's `gitCommit`). Wins over the reflog and log search.
   */
  readonly baseCommit?: string | null;
}

export interface RepoInfo {
  readonly root: string;
  readonly base: BaseCommit | null;
}

export interface LoadedSession {
  readonly session: SessionRow;
  readonly plan: SessionPlan;
  /** The repository of the session's working directory (or of most of its files); null outside git. */
  readonly repo: RepoInfo | null;
  /** Every repository the session's files are in. */
  readonly repos: ReadonlyMap<string, RepoInfo>;
  readonly repoOf: ReadonlyMap<string, string | null>;
  readonly evidence: SessionEvidence;
  /** Counts of evidence that could not be used, by reason (for `doctor` and tests). */
  readonly skipped: Readonly<Record<string, number>>;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function parse<T>(text: string): T | null {
  try {
    const v = JSON.parse(text) as unknown;
    return isObject(v) ? (v as T) : null;
  } catch {
    return null;
  }
}

/** (seq, timestamp) pairs with a "last message at or before time T" query. */
class Timeline {
  private readonly byTime: { ts: number; maxSeq: number }[] = [];
  constructor(readonly points: { seq: number; timestamp: number | null }[]) {
    const sorted = points.filter((p) => p.timestamp !== null).sort((a, b) => a.timestamp! - b.timestamp! || a.seq - b.seq);
    let max = 0;
    for (const p of sorted) {
      max = Math.max(max, p.seq);
      this.byTime.push({ ts: p.timestamp!, maxSeq: max });
    }
  }

  seqAtOrBefore(ts: number): number | null {
    let lo = 0;
    let hi = this.byTime.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.byTime[mid].ts <= ts) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? null : this.byTime[lo - 1].maxSeq;
  }
}

interface CallInfo {
  readonly seq: number;
  readonly toolName: string;
  readonly filePath: string | null;
  readonly timestamp: number | null;
}

function fileArg(toolInput: string | null): string | null {
  if (!toolInput) return null;
  const v = parse<Json>(toolInput);
  const p = v && (v.file_path ?? v.path ?? v.absolute_path);
  return typeof p === 'string' ? p : null;
}

function readSession(reader: StoreReader, sessionId: string, cwd: string | null, runs: { from: number; to: number }[]) {
  const points: { seq: number; timestamp: number | null }[] = [];
  const bySourceId = new Map<string, number>();
  const calls: CallInfo[] = [];
  let lastSeq = 0;
  function* rows(): Generator<EvidenceRow> {
    for (const m of reader.iterateEvidenceMessages(sessionId)) {
      points.push({ seq: m.seq, timestamp: m.timestamp });
      bySourceId.set(m.sourceId, m.seq);
      if (m.kind === 'tool-call' && m.toolName) calls.push({ seq: m.seq, toolName: m.toolName, filePath: fileArg(m.toolInput), timestamp: m.timestamp });
      lastSeq = Math.max(lastSeq, m.seq);
      yield m;
    }
  }
  const evidence = extractEvidence(rows(), { cwd, subagentRuns: runs });
  return { evidence, points, bySourceId, calls, lastSeq };
}

function bump(skipped: Record<string, number>, reason: string): void {
  skipped[reason] = (skipped[reason] ?? 0) + 1;
}

/** The path a checkpoint names, absolute (recorded relative to the session's working directory when inside it). */
function absolute(p: string, cwd: string | null): string | null {
  if (path.isAbsolute(p)) return path.normalize(p);
  return cwd ? path.resolve(cwd, p) : null;
}

export async function loadSession(reader: StoreReader, sessionId: string, options: LoadOptions): Promise<LoadedSession> {
  const session = reader.getSession(sessionId);
  if (!session) throw new Error(`no session ${sessionId}`);
  const cwd = session.project;
  const skipped: Record<string, number> = {};

  // Sub-agents first: the time their transcripts cover decides whether a Task call hides unknown edits.
  const children = reader.listChildSessionIds(sessionId).map((id) => reader.getSession(id)!).filter(Boolean);
  const runs = children.filter((c) => c.startedAt !== null).map((c) => ({ from: c.startedAt!, to: c.updatedAt ?? c.startedAt! }));
  const main = readSession(reader, sessionId, cwd, runs);
  const childEvidence = children.map((c) => readSession(reader, c.id, c.project ?? cwd, []).evidence);
  const evidence = childEvidence.length ? mergeSubagentEvidence(main.evidence, childEvidence, main.points) : main.evidence;
  for (const [k, v] of Object.entries(evidence.skipped)) skipped[k] = (skipped[k] ?? 0) + v;
  const timeline = new Timeline(main.points);
  const store = new ContentStore();

  const checkpoints = reader.listCheckpoints(sessionId);
  const touched = new Set(evidence.touched);
  const claudeData = new Map<CheckpointRow, ClaudeFileHistoryData>();
  for (const c of checkpoints) {
    if (c.source !== 'claude-file-history') continue;
    const data = parse<ClaudeFileHistoryData>(c.data);
    if (!data || !isObject(data.files)) {
      bump(skipped, 'bad-checkpoint');
      continue;
    }
    claudeData.set(c, data);
    for (const p of Object.keys(data.files)) {
      const abs = absolute(p, data.cwd ?? cwd);
      if (abs) touched.add(abs);
    }
  }
  // Files that changed between this session's own snapshots were touched too (by a shell command, a tool we cannot
  // read, or the user): the snapshots say what they held.
  for (const p of await snapshotChangedPaths(reader, sessionId, options.dataDir, skipped)) touched.add(p);
  const paths = [...touched].sort();

  // Repositories. A path inside the session's own repository belongs to it by its spelling (asking git from a
  // folder would follow a symlink out of it); other paths ask git, once per distinct directory.
  const cwdRepo = cwd ? await repoRootOf(cwd) : null;
  const repoOfDir = new Map<string, string | null>();
  const repoOf = new Map<string, string | null>();
  for (const p of paths) {
    if (cwdRepo && insideRepo(cwdRepo, p) !== null) {
      repoOf.set(p, cwdRepo);
      continue;
    }
    const dir = path.dirname(p);
    if (!repoOfDir.has(dir)) repoOfDir.set(dir, await repoRootOf(dir));
    repoOf.set(p, repoOfDir.get(dir)!);
  }
  const counts = new Map<string, number>();
  for (const r of repoOf.values()) if (r) counts.set(r, (counts.get(r) ?? 0) + 1);
  const primary = cwdRepo ?? [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;

  // The commit the assistant recorded at the start (Codex): the store's session.git_commit column where it exists.
  const recordedCommit = (session as SessionRow & { readonly gitCommit?: string | null }).gitCommit ?? null;
  const repos = new Map<string, RepoInfo>();
  const base = new Map<string, BaseState>();
  for (const root of new Set([...counts.keys(), ...(primary ? [primary] : [])])) {
    const isPrimary = root === primary;
    const found = await findBaseCommit(root, {
      commit: isPrimary ? options.baseCommit ?? recordedCommit : null,
      branch: isPrimary ? session.gitBranch : null,
      startedAt: session.startedAt,
    });
    repos.set(root, { root, base: found });
    const inRepo = paths.filter((p) => repoOf.get(p) === root);
    if (!found) {
      for (const p of inRepo) base.set(p, { kind: 'unknown', reason: `no base commit found in ${root} for the session's start` });
      continue;
    }
    const rels = inRepo.map((p) => insideRepo(root, p)!);
    const { commonDir } = await repoDirs(root);
    const blobs = await readObjects(commonDir, rels.map((r) => `${found.commit}:${r}`));
    const missing = rels.filter((_, i) => !blobs[i]);
    const ignored = await ignoredPaths(root, missing);
    inRepo.forEach((p, i) => {
      const b = blobs[i];
      if (b) base.set(p, { kind: 'present', blob: store.put(b.bytes, b.id) });
      else if (ignored.has(rels[i])) base.set(p, { kind: 'unknown', reason: 'ignored by git, so the base commit does not have it' });
      else base.set(p, { kind: 'absent' });
    });
  }
  for (const p of paths) if (!repoOf.get(p)) base.set(p, { kind: 'unknown', reason: 'not in a git repository' });

  const anchors: Anchor[] = [];
  anchors.push(...claudeAnchors(claudeData, main.bySourceId, timeline, cwd, store, skipped, evidence));
  anchors.push(...(await geminiAnchors(checkpoints, main.calls, timeline, paths, repoOf, cwd, store, skipped)));
  anchors.push(...(await snapshotAnchors(reader, sessionId, options.dataDir, paths, store, skipped)));

  const plan = planSession({ lastSeq: main.lastSeq, evidence: { ...evidence, touched: paths }, anchors, base, store });
  return { session, plan, repo: primary ? repos.get(primary) ?? null : null, repos, repoOf, evidence, skipped };
}

/** The first message at or after `after` whose effect names `p`, or null. */
function firstEffectAfter(effectsByPath: Map<string, number[]>, p: string, after: number): number | null {
  for (const seq of effectsByPath.get(p) ?? []) if (seq > after) return seq;
  return null;
}

/**
 * Claude file-history: a snapshot line holds, for each tracked file, its contents at the prompt (Claude backs up
 * changed files when the prompt is sent). A later `isSnapshotUpdate` line for the same prompt adds files first
 * edited during that turn: those backups were taken just before that first edit, so they are exact at the message
 * before it — a shell command between the prompt and the edit is then not hidden.
 */
function claudeAnchors(
  checkpoints: Map<CheckpointRow, ClaudeFileHistoryData>,
  bySourceId: Map<string, number>,
  timeline: Timeline,
  cwd: string | null,
  store: ContentStore,
  skipped: Record<string, number>,
  evidence: SessionEvidence,
): Anchor[] {
  const effectsByPath = new Map<string, number[]>();
  for (const e of evidence.effects) effectsByPath.set(e.path, [...(effectsByPath.get(e.path) ?? []), e.seq]);
  const out: Anchor[] = [];
  const backups = new Map<string, string | null>();
  /** Per prompt seq: path → backup file already anchored at the prompt. */
  const atPrompt = new Map<number, Map<string, string | null>>();
  const byAnchorSeq = new Map<number, Map<string, Known>>();
  for (const [c, data] of checkpoints) {
    const seq = (c.messageSourceId ? bySourceId.get(c.messageSourceId) : undefined) ?? (c.timestamp !== null ? timeline.seqAtOrBefore(c.timestamp) : null);
    if (seq === null || seq === undefined) {
      bump(skipped, 'checkpoint-without-message');
      continue;
    }
    const seen = atPrompt.get(seq) ?? new Map<string, string | null>();
    atPrompt.set(seq, seen);
    for (const [recorded, backup] of Object.entries(data.files)) {
      const abs = absolute(recorded, data.cwd ?? cwd);
      if (!abs || !isObject(backup)) continue;
      const name = backup.backupFileName;
      if (name !== null && (typeof name !== 'string' || name.includes('/') || name.includes('..'))) continue;
      if (seen.has(abs) && seen.get(abs) === name) continue;
      let anchorSeq = seq;
      if (data.isSnapshotUpdate && !seen.has(abs)) {
        const edit = firstEffectAfter(effectsByPath, abs, seq);
        if (edit !== null) anchorSeq = edit - 1;
      }
      seen.set(abs, name);
      let known: Known | null = null;
      if (name === null) known = { kind: 'absent' };
      else {
        const file = path.join(data.backupDir, name);
        if (!backups.has(file)) {
          try {
            backups.set(file, store.put(fs.readFileSync(file)));
          } catch {
            backups.set(file, null);
            bump(skipped, 'backup-file-missing');
          }
        }
        const blob = backups.get(file);
        if (blob) known = { kind: 'present', blob };
      }
      if (!known) continue;
      const files = byAnchorSeq.get(anchorSeq) ?? new Map<string, Known>();
      files.set(abs, known);
      byAnchorSeq.set(anchorSeq, files);
    }
  }
  for (const [seq, files] of byAnchorSeq) out.push({ seq, source: 'Claude file-history backup', files });
  return out;
}

async function geminiAnchors(
  checkpoints: readonly CheckpointRow[],
  calls: readonly CallInfo[],
  timeline: Timeline,
  paths: readonly string[],
  repoOf: ReadonlyMap<string, string | null>,
  cwd: string | null,
  store: ContentStore,
  skipped: Record<string, number>,
): Promise<Anchor[]> {
  const out: Anchor[] = [];
  for (const c of checkpoints) {
    if (c.source !== 'gemini-checkpoint') continue;
    const data = parse<GeminiCheckpointData>(c.data);
    if (!data || !data.commitHash || !data.shadowRepo || !/^[0-9a-f]{7,64}$/.test(data.commitHash)) {
      bump(skipped, 'gemini-checkpoint-without-commit');
      continue;
    }
    const root = data.projectRoot ?? cwd;
    if (!root) continue;
    // The tree is the project just before this tool call: the message of the matching call.
    const toolFile = data.toolCall && isObject(data.toolCall.args) ? (data.toolCall.args.file_path ?? data.toolCall.args.path) : null;
    const candidates = calls.filter((k) => k.toolName === data.toolCall?.name && (toolFile === null || k.filePath === toolFile || (typeof toolFile === 'string' && k.filePath !== null && absolute(k.filePath, root) === absolute(toolFile, root))));
    let seq: number | null = null;
    if (candidates.length && c.timestamp !== null) {
      seq = candidates.reduce((best, k) => (Math.abs((k.timestamp ?? Infinity) - c.timestamp!) < Math.abs((best.timestamp ?? Infinity) - c.timestamp!) ? k : best)).seq;
    } else if (candidates.length === 1) seq = candidates[0].seq;
    else if (c.timestamp !== null) seq = timeline.seqAtOrBefore(c.timestamp);
    if (seq === null) {
      bump(skipped, 'checkpoint-without-message');
      continue;
    }
    const gitDir = fs.existsSync(path.join(data.shadowRepo, '.git')) ? path.join(data.shadowRepo, '.git') : data.shadowRepo;
    const inside = paths.map((p) => ({ p, rel: insideRepo(root, p) })).filter((x): x is { p: string; rel: string } => x.rel !== null);
    let blobs;
    try {
      blobs = await readObjects(gitDir, inside.map((x) => `${data.commitHash}:${x.rel}`));
    } catch {
      bump(skipped, 'gemini-shadow-unreadable');
      continue;
    }
    const missing = inside.filter((_, i) => !blobs[i]);
    const ignored = await ignoredIn(missing.map((x) => x.p), repoOf);
    const files = new Map<string, Known>();
    inside.forEach((x, i) => {
      const b = blobs[i];
      if (b) files.set(x.p, { kind: 'present', blob: store.put(b.bytes, b.id) });
      else if (!ignored.has(x.p)) files.set(x.p, { kind: 'absent' });
    });
    if (files.size) out.push({ seq, source: 'Gemini CLI checkpoint', files });
  }
  return out;
}

/** Absolute paths (among `paths`) that their repository ignores: a snapshot's tree cannot say they were absent. */
async function ignoredIn(paths: readonly string[], repoOf: ReadonlyMap<string, string | null>): Promise<Set<string>> {
  const out = new Set<string>();
  const byRepo = new Map<string, string[]>();
  for (const p of paths) {
    const r = repoOf.get(p);
    if (!r) {
      out.add(p); // outside git: a tree cannot speak for it
      continue;
    }
    byRepo.set(r, [...(byRepo.get(r) ?? []), p]);
  }
  for (const [root, ps] of byRepo) {
    const rels = ps.map((p) => insideRepo(root, p)!);
    const ignored = await ignoredPaths(root, rels);
    ps.forEach((p, i) => {
      if (ignored.has(rels[i])) out.add(p);
    });
  }
  return out;
}

async function snapshotAnchors(
  reader: StoreReader,
  sessionId: string,
  dataDir: string,
  paths: readonly string[],
  store: ContentStore,
  skipped: Record<string, number>,
): Promise<Anchor[]> {
  const snapshots = reader.listSnapshots(sessionId);
  if (snapshots.length === 0) return [];
  const out: Anchor[] = [];
  const byCommit = new Map<string, Map<string, Known>>();
  const byRepo = new Map<string, typeof snapshots>();
  for (const s of snapshots) byRepo.set(s.repoRoot, [...(byRepo.get(s.repoRoot) ?? []), s]);
  for (const [root, list] of byRepo) {
    const gitDir = path.join(shadowDir(dataDir, root), 'snapshots.git');
    if (!fs.existsSync(gitDir)) {
      bump(skipped, 'snapshot-repository-missing');
      continue;
    }
    const inside = paths.map((p) => ({ p, rel: insideRepo(root, p) })).filter((x): x is { p: string; rel: string } => x.rel !== null);
    const commits = [...new Set(list.map((s) => s.commit))].filter((c) => !byCommit.has(c));
    const specs = commits.flatMap((c) => inside.map((x) => `${c}:${x.rel}`));
    let blobs;
    try {
      blobs = await readObjects(gitDir, specs);
    } catch {
      bump(skipped, 'snapshot-repository-unreadable');
      continue;
    }
    const ignored = await ignoredPaths(root, inside.map((x) => x.rel)).catch(() => new Set<string>());
    for (let ci = 0; ci < commits.length; ci++) {
      const files = new Map<string, Known>();
      const missing: string[] = [];
      const missingSet = new Set<string>();
      inside.forEach((x, i) => {
        const b = blobs[ci * inside.length + i];
        if (b) files.set(x.p, { kind: 'present', blob: store.put(b.bytes, b.id) });
        else {
          missing.push(x.rel);
          missingSet.add(x.rel);
        }
      });
      // Not found is either absent from the tree or pruned from the borrowed objects: only the first is evidence.
      // Snapshots honour .gitignore, so an ignored file's absence from the tree says nothing either.
      const absent = await trulyAbsent(gitDir, commits[ci], missing);
      for (const x of inside) {
        if (files.has(x.p) || ignored.has(x.rel)) continue;
        if (absent.has(x.rel)) files.set(x.p, { kind: 'absent' });
        else if (missingSet.has(x.rel)) bump(skipped, 'snapshot-object-pruned');
      }
      byCommit.set(commits[ci], files);
    }
    for (const s of list) {
      const files = byCommit.get(s.commit);
      if (files && files.size) out.push({ seq: s.seq, source: 'mantra-tui snapshot', files });
    }
  }
  return out;
}

/** At most this many paths are added from snapshot differences (a `npm install` outside .gitignore would add all). */
const MAX_SNAPSHOT_PATHS = 5000;

/** Absolute paths that differ between consecutive snapshots of the session (one `git diff-tree --stdin`). */
async function snapshotChangedPaths(reader: StoreReader, sessionId: string, dataDir: string, skipped: Record<string, number>): Promise<string[]> {
  const byRepo = new Map<string, string[]>();
  for (const s of reader.listSnapshots(sessionId)) {
    const list = byRepo.get(s.repoRoot) ?? [];
    if (list[list.length - 1] !== s.commit) list.push(s.commit);
    byRepo.set(s.repoRoot, list);
  }
  const out: string[] = [];
  for (const [root, commits] of byRepo) {
    if (commits.length < 2) continue;
    const gitDir = path.join(shadowDir(dataDir, root), 'snapshots.git');
    if (!fs.existsSync(gitDir)) continue;
    const input = commits.slice(1).map((c, i) => `${commits[i]} ${c}\n`).join('');
    let stdout: Buffer;
    try {
      ({ stdout } = await runGit(['diff-tree', '-r', '--no-renames', '--name-only', '-z', '--stdin'], { cwd: path.dirname(gitDir), env: gitEnv({ GIT_DIR: gitDir }), input }));
    } catch {
      bump(skipped, 'snapshot-repository-unreadable');
      continue;
    }
    const headers = new Set(commits);
    const rels = new Set(stdout.toString('utf8').split('\0').filter((t) => t && !headers.has(t)));
    for (const rel of rels) {
      if (out.length >= MAX_SNAPSHOT_PATHS) {
        bump(skipped, 'snapshot-changes-capped');
        break;
      }
      out.push(path.join(root, rel));
    }
  }
  return out;
}
