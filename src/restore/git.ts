/**
 * The thin git layer. Reads in the user's repository go through simple-git or plain `git` processes that cannot
 * write there (no status refresh, no optional locks); everything that writes targets mantra-tui's own shadow
 * repositories through GIT_DIR / GIT_INDEX_FILE / GIT_WORK_TREE, set explicitly on each call.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';

export class GitError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly code: number | null,
    readonly stderr: string,
  ) {
    super(`git ${args.slice(0, 3).join(' ')} failed (${code}): ${stderr.trim().split('\n')[0] ?? ''}`);
  }
}

/**
 * Variables that would point git somewhere else or run other programs. Removed from every call: whatever the
 * environment mantra-tui runs in, our git calls act on exactly the directories we name.
 */
const STRIPPED_ENV = /^(GIT_(DIR|WORK_TREE|INDEX_FILE|OBJECT_DIRECTORY|ALTERNATE_OBJECT_DIRECTORIES|COMMON_DIR|NAMESPACE|CEILING_DIRECTORIES|CONFIG_COUNT|CONFIG_KEY_\d+|CONFIG_VALUE_\d+|CONFIG_PARAMETERS|EDITOR|PAGER|ASKPASS|SSH|SSH_COMMAND|EXTERNAL_DIFF|EXEC_PATH|TEMPLATE_DIR|PROXY_COMMAND|SEQUENCE_EDITOR|CONFIG|CONFIG_GLOBAL|CONFIG_SYSTEM)|EDITOR|PAGER|PREFIX|SSH_ASKPASS)$/;

export function gitEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !STRIPPED_ENV.test(k)) env[k] = v;
  // Never take optional locks (a plain read can otherwise refresh and rewrite the index).
  env.GIT_OPTIONAL_LOCKS = '0';
  env.GIT_TERMINAL_PROMPT = '0';
  env.LC_ALL = 'C';
  return { ...env, ...extra };
}

export interface RunOptions {
  readonly cwd: string;
  readonly env?: Record<string, string>;
  readonly input?: string | Buffer;
  /** Exit codes that are not errors (e.g. 1 for `check-ignore` when nothing is ignored). */
  readonly okCodes?: readonly number[];
}

/** Runs git and returns stdout as bytes (blobs must not go through a text decoder). */
export function runGit(args: readonly string[], options: RunOptions): Promise<{ stdout: Buffer; code: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd: options.cwd, env: options.env ?? gitEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      const ok = code === 0 || (code !== null && (options.okCodes ?? []).includes(code));
      if (ok) resolve({ stdout: Buffer.concat(out), code: code ?? 0 });
      else reject(new GitError(args, code, Buffer.concat(err).toString('utf8')));
    });
    child.stdin.on('error', () => {
      // git may exit before reading all input (e.g. a bad revision); the close handler reports it.
    });
    child.stdin.end(options.input ?? '');
  });
}

export async function gitText(args: readonly string[], options: RunOptions): Promise<string> {
  return (await runGit(args, options)).stdout.toString('utf8').trim();
}

/** simple-git on the user's repository, with the same cleaned environment. For reads and `worktree add` only. */
export function userGit(repoRoot: string): SimpleGit {
  return simpleGit({ baseDir: repoRoot, maxConcurrentProcesses: 4 }).env(gitEnv());
}

/** The nearest directory that exists at or above `p` (a deleted file's folder may be gone). */
function existingDir(p: string): string | null {
  let dir = p;
  for (;;) {
    try {
      if (fs.statSync(dir).isDirectory()) return dir;
    } catch {
      // keep climbing
    }
    const up = path.dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/** Top of the work tree containing `p`, or null outside any repository. Cached per directory by callers. */
export async function repoRootOf(p: string): Promise<string | null> {
  const dir = existingDir(p);
  if (!dir) return null;
  try {
    const top = await gitText(['rev-parse', '--show-toplevel'], { cwd: dir });
    return top ? path.resolve(top) : null;
  } catch {
    return null;
  }
}

export interface RepoDirs {
  /** This work tree's git dir (differs from commonDir in a linked worktree). */
  readonly gitDir: string;
  /** Where objects and refs live. */
  readonly commonDir: string;
  /** The index file of this work tree. */
  readonly indexFile: string;
}

export async function repoDirs(repoRoot: string): Promise<RepoDirs> {
  const out = (await gitText(['rev-parse', '--absolute-git-dir', '--git-common-dir', '--git-path', 'index'], { cwd: repoRoot })).split('\n');
  const abs = (p: string) => (path.isAbsolute(p) ? p : path.resolve(repoRoot, p));
  return { gitDir: abs(out[0]), commonDir: abs(out[1]), indexFile: abs(out[2]) };
}

/** The full id of `rev` as a commit, or null when it does not name one. */
export async function resolveCommit(cwd: string, rev: string, env?: Record<string, string>): Promise<string | null> {
  if (!/^[\w./@{}^~:-]+$/.test(rev) || rev.startsWith('-')) return null;
  try {
    const id = await gitText(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], { cwd, env });
    return /^[0-9a-f]{40,64}$/.test(id) ? id : null;
  } catch {
    return null;
  }
}

export interface BaseCommit {
  readonly commit: string;
  /** How it was found, for the UI: `recorded`, `reflog of main`, `last commit on main before the session`. */
  readonly how: string;
}

/** Entries of a ref's reflog as (commit, epoch ms), newest first. */
async function reflog(repoRoot: string, ref: string): Promise<{ commit: string; at: number }[]> {
  try {
    const out = await userGit(repoRoot).raw(['reflog', 'show', '--date=unix', '--format=%H %gd', ref, '--']);
    const entries: { commit: string; at: number }[] = [];
    for (const line of out.split('\n')) {
      const m = /^([0-9a-f]{40,64}) .*@\{(\d+)\}$/.exec(line.trim());
      if (m) entries.push({ commit: m[1], at: Number(m[2]) * 1000 });
    }
    return entries;
  } catch {
    return [];
  }
}

/**
 * The commit the session most likely started from: the one the assistant recorded; else where the recorded branch
 * pointed at the session's start (its reflog, then the last commit on it before then); else HEAD's reflog at that
 * time. Null when none of these exist.
 */
export async function findBaseCommit(
  repoRoot: string,
  hint: { readonly commit?: string | null; readonly branch?: string | null; readonly startedAt?: number | null },
): Promise<BaseCommit | null> {
  if (hint.commit) {
    const c = await resolveCommit(repoRoot, hint.commit);
    if (c) return { commit: c, how: 'recorded by the assistant' };
  }
  const at = hint.startedAt ?? null;
  const branch = hint.branch && hint.branch !== 'HEAD' && /^[\w./-]+$/.test(hint.branch) && !hint.branch.startsWith('-') ? hint.branch : null;
  if (at !== null) {
    for (const ref of branch ? [`refs/heads/${branch}`, 'HEAD'] : ['HEAD']) {
      const entry = (await reflog(repoRoot, ref)).find((e) => e.at <= at);
      if (entry) return { commit: entry.commit, how: `reflog of ${ref === 'HEAD' ? 'HEAD' : branch} at the session's start` };
    }
    if (branch && (await resolveCommit(repoRoot, `refs/heads/${branch}`))) {
      try {
        const out = (await userGit(repoRoot).raw(['log', '-1', '--format=%H', `--before=@${Math.floor(at / 1000)}`, `refs/heads/${branch}`, '--'])).trim();
        if (/^[0-9a-f]{40,64}$/.test(out)) return { commit: out, how: `last commit on ${branch} before the session` };
      } catch {
        // fall through
      }
    }
  }
  return null;
}

/** One object read by `cat-file --batch`: its id, type and bytes, or null when missing. */
export type GitObject = { readonly id: string; readonly type: string; readonly bytes: Buffer };
export type BatchResult = { readonly id: string; readonly bytes: Buffer } | null;

/**
 * Reads many `<rev>:<path>` (or object ids) with one `git cat-file --batch`. Paths must not contain newlines.
 * `gitDir` selects the repository (the user's or a shadow); the read never writes.
 */
export async function readAnyObjects(gitDir: string, specs: readonly string[]): Promise<(GitObject | null)[]> {
  if (specs.length === 0) return [];
  const usable = specs.map((s) => !s.includes('\n'));
  const input = specs.filter((_, i) => usable[i]).map((s) => `${s}\n`).join('');
  const { stdout } = await runGit(['cat-file', '--batch'], { cwd: path.dirname(gitDir), env: gitEnv({ GIT_DIR: gitDir }), input });
  const results: (GitObject | null)[] = [];
  let pos = 0;
  for (let i = 0; i < specs.length; i++) {
    if (!usable[i]) {
      results.push(null);
      continue;
    }
    const nl = stdout.indexOf(10, pos);
    const header = stdout.subarray(pos, nl).toString('utf8');
    pos = nl + 1;
    const m = /^([0-9a-f]{40,64}) (\w+) (\d+)$/.exec(header);
    if (!m) {
      results.push(null); // "<spec> missing" or "ambiguous"
      continue;
    }
    const len = Number(m[3]);
    results.push({ id: m[1], type: m[2], bytes: Buffer.from(stdout.subarray(pos, pos + len)) });
    pos += len + 1;
  }
  return results;
}

/** Like readAnyObjects, keeping blobs only. */
export async function readObjects(gitDir: string, specs: readonly string[]): Promise<BatchResult[]> {
  return (await readAnyObjects(gitDir, specs)).map((o) => (o && o.type === 'blob' ? { id: o.id, bytes: o.bytes } : null));
}

/** Names listed in a raw tree object (`<mode> <name>\0<binary id>` repeated). */
export function treeNames(tree: Buffer, idLength = 20): Set<string> {
  const names = new Set<string>();
  let pos = 0;
  while (pos < tree.length) {
    const sp = tree.indexOf(32, pos);
    const nul = tree.indexOf(0, sp);
    if (sp < 0 || nul < 0) break;
    names.add(tree.subarray(sp + 1, nul).toString('utf8'));
    pos = nul + 1 + idLength;
  }
  return names;
}

/**
 * Of `rels` that `<commit>:<rel>` did not find, those really absent from the commit's tree. The others (listed in
 * their directory's tree, or under a tree that cannot be read) had their objects pruned: their state is unknown.
 */
export async function trulyAbsent(gitDir: string, commit: string, rels: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  if (rels.length === 0) return out;
  const dirs = [...new Set(rels.map((r) => (r.includes('/') ? r.slice(0, r.lastIndexOf('/')) : '')))];
  const trees = await readAnyObjects(gitDir, dirs.map((d) => (d === '' ? `${commit}^{tree}` : `${commit}:${d}`)));
  const listing = new Map<string, Set<string> | 'missing-dir'>();
  dirs.forEach((d, i) => {
    const t = trees[i];
    listing.set(d, t === null ? 'missing-dir' : t.type === 'tree' ? treeNames(t.bytes, t.id.length / 2) : 'missing-dir');
  });
  // A directory missing from the tree may itself be absent (fine) or pruned: its parent's listing decides.
  for (const r of rels) {
    const slash = r.lastIndexOf('/');
    const dir = slash < 0 ? '' : r.slice(0, slash);
    const name = slash < 0 ? r : r.slice(slash + 1);
    const l = listing.get(dir)!;
    if (l instanceof Set) {
      if (!l.has(name)) out.add(r);
    } else {
      // Walk up until a readable tree: if it does not list the next component, the whole directory is absent.
      let child = dir;
      let absent = false;
      while (child !== '') {
        const up = child.includes('/') ? child.slice(0, child.lastIndexOf('/')) : '';
        const part = child.slice(up === '' ? 0 : up.length + 1);
        const obj = (await readAnyObjects(gitDir, [up === '' ? `${commit}^{tree}` : `${commit}:${up}`]))[0];
        if (obj && obj.type === 'tree') {
          absent = !treeNames(obj.bytes, obj.id.length / 2).has(part);
          break;
        }
        child = up;
      }
      if (absent) out.add(r);
    }
  }
  return out;
}

/** Which of `relPaths` (relative to the repository root) git ignores there. Tracked files are never ignored. */
export async function ignoredPaths(repoRoot: string, relPaths: readonly string[]): Promise<Set<string>> {
  if (relPaths.length === 0) return new Set();
  const { stdout } = await runGit(['check-ignore', '--stdin', '-z'], { cwd: repoRoot, input: relPaths.map((p) => `${p}\0`).join(''), okCodes: [1] });
  return new Set(stdout.toString('utf8').split('\0').filter(Boolean));
}
