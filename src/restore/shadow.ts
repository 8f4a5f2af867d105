/**
 * mantra-tui's shadow repositories, one pair per project under the data directory (keyed by a hash of the
 * repository root), never inside the user's repository:
 *   <dataDir>/shadow/<key>/snapshots.git  working-tree snapshots; borrows the project's objects through
 *                                         objects/info/alternates, so unchanged files cost nothing
 *   <dataDir>/shadow/<key>/backups.git    what a restore overwrote; self-contained (no alternates), because a
 *                                         backup must survive the project's own garbage collection
 * Both are bare repositories with their own index files. A snapshot is `git add -A` of the user's work tree into
 * the shadow index (tracked and untracked files, honouring .gitignore), `write-tree`, and a commit on
 * refs/mantra/snapshots; the user's .git is only ever read (its objects, through alternates).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { gitEnv, gitText, repoDirs, runGit } from './git.js';

export type ShadowKind = 'snapshots' | 'backups';

export interface ShadowRepo {
  readonly kind: ShadowKind;
  /** The bare git dir. */
  readonly gitDir: string;
  /** The user's repository root it mirrors. */
  readonly repoRoot: string;
}

export const SNAPSHOT_REF = 'refs/mantra/snapshots';
export const BACKUP_REF = 'refs/mantra/backups';

/** Stable directory name for a repository root: its real path, hashed. */
export function shadowKey(repoRoot: string): string {
  let real = repoRoot;
  try {
    real = fs.realpathSync(repoRoot);
  } catch {
    // a root that no longer exists keeps its recorded spelling
  }
  return crypto.createHash('sha256').update(real).digest('hex').slice(0, 16);
}

export function shadowDir(dataDir: string, repoRoot: string): string {
  return path.join(dataDir, 'shadow', shadowKey(repoRoot));
}

/** Author and committer for shadow commits: fixed, and dated by the moment they stand for. */
export function commitEnv(gitDir: string, at: number, extra: Record<string, string> = {}): Record<string, string> {
  const date = `@${Math.floor(at / 1000)} +0000`;
  return gitEnv({
    GIT_DIR: gitDir,
    GIT_AUTHOR_NAME: 'mantra-tui',
    GIT_AUTHOR_EMAIL: 'mantra-tui@localhost',
    GIT_COMMITTER_NAME: 'mantra-tui',
    GIT_COMMITTER_EMAIL: 'mantra-tui@localhost',
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_DATE: date,
    ...extra,
  });
}

/**
 * Config every write into a shadow repository uses: raw bytes in (no EOL or filter conversion), objects and refs
 * fsync'ed (the shadow index is a cache that `git add` rebuilds, so it is not), an untracked cache, no hooks, no gc.
 */
export const SHADOW_CONFIG = ['-c', 'core.untrackedCache=true', '-c', 'core.autocrlf=false', '-c', 'core.safecrlf=false', '-c', 'core.fsync=objects,reference', '-c', 'core.fsyncMethod=fsync', '-c', 'gc.auto=0', '-c', 'core.hooksPath=/dev/null'];

/** Opens (creating on first use) the shadow repository of `kind` for a project. */
export async function openShadow(dataDir: string, repoRoot: string, kind: ShadowKind): Promise<ShadowRepo> {
  const dir = shadowDir(dataDir, repoRoot);
  const gitDir = path.join(dir, `${kind}.git`);
  if (!fs.existsSync(path.join(gitDir, 'HEAD'))) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(path.join(dir, 'repo-root'), `${repoRoot}\n`, { mode: 0o600 });
    // Initialise in a temporary name and rename: a half-initialised repository is never seen.
    const tmp = `${gitDir}.init-${process.pid}-${Date.now()}`;
    await runGit(['init', '--bare', '--quiet', tmp], { cwd: dir });
    // Store exactly the bytes of the work tree: these take precedence over any .gitattributes in it.
    fs.writeFileSync(path.join(tmp, 'info', 'attributes'), '* -text -filter -ident -working-tree-encoding\n');
    if (kind === 'snapshots') {
      const { commonDir } = await repoDirs(repoRoot);
      fs.writeFileSync(path.join(tmp, 'objects', 'info', 'alternates'), `${path.join(commonDir, 'objects')}\n`);
    }
    try {
      fs.renameSync(tmp, gitDir);
    } catch (err) {
      // Another process created it first.
      fs.rmSync(tmp, { recursive: true, force: true });
      if (!fs.existsSync(path.join(gitDir, 'HEAD'))) throw err;
    }
  }
  return { kind, gitDir, repoRoot };
}

const commonDirs = new Map<string, string>();

function lockFiles(gitDir: string): string[] {
  const out: string[] = [];
  for (const name of ['index.lock', 'HEAD.lock', 'packed-refs.lock', 'config.lock']) {
    if (fs.existsSync(path.join(gitDir, name))) out.push(path.join(gitDir, name));
  }
  const walk = (d: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.lock')) out.push(p);
    }
  };
  walk(path.join(gitDir, 'refs'));
  return out;
}

/**
 * Removes git lock files left in a shadow repository by a process that was killed mid-write. A lock younger than
 * `staleAfterMs` may belong to a live writer: it is waited for (up to that long) before being taken as stale.
 * Callers make sure no other mantra-tui process writes there (the restore lock, or one snapshotter per repository).
 */
export async function clearStaleLocks(gitDir: string, staleAfterMs: number): Promise<string[]> {
  const removed: string[] = [];
  for (const lock of lockFiles(gitDir)) {
    for (;;) {
      let age: number;
      try {
        age = Date.now() - fs.statSync(lock).mtimeMs;
      } catch {
        break; // released meanwhile
      }
      if (age >= staleAfterMs) {
        fs.rmSync(lock, { force: true });
        removed.push(lock);
        break;
      }
      await new Promise((r) => setTimeout(r, Math.min(100, staleAfterMs - age + 1)));
    }
  }
  return removed;
}

/** A snapshot lock older than this was left by a killed process (a snapshot takes well under a second). */
const SNAPSHOT_LOCK_STALE_MS = 30_000;

/** The user's ignore rules that live in .git (info/exclude) apply to snapshots too. */
async function syncExcludes(shadow: ShadowRepo): Promise<void> {
  let commonDir = commonDirs.get(shadow.repoRoot);
  if (!commonDir) {
    commonDir = (await repoDirs(shadow.repoRoot)).commonDir;
    commonDirs.set(shadow.repoRoot, commonDir);
  }
  let exclude = '';
  try {
    exclude = fs.readFileSync(path.join(commonDir, 'info', 'exclude'), 'utf8');
  } catch {
    // no exclude file
  }
  const target = path.join(shadow.gitDir, 'info', 'exclude');
  let current: string | null = null;
  try {
    current = fs.readFileSync(target, 'utf8');
  } catch {
    current = null;
  }
  if (current !== exclude) fs.writeFileSync(target, exclude);
}

export interface TreeSnapshot {
  readonly commit: string;
  readonly tree: string;
  /** False when the tree was the same as the last snapshot's and its commit was reused. */
  readonly created: boolean;
}

/**
 * Snapshots the work tree at `repoRoot` into the shadow repository: tracked and untracked files, honouring
 * .gitignore and .git/info/exclude. An unchanged tree reuses the last commit.
 */
export async function snapshotTree(shadow: ShadowRepo, at: number, message: string): Promise<TreeSnapshot> {
  await clearStaleLocks(shadow.gitDir, SNAPSHOT_LOCK_STALE_MS);
  await syncExcludes(shadow);
  const env = commitEnv(shadow.gitDir, at, { GIT_WORK_TREE: shadow.repoRoot, GIT_INDEX_FILE: path.join(shadow.gitDir, 'index') });
  const run = (args: string[], input?: string) => runGit([...SHADOW_CONFIG, ...args], { cwd: shadow.repoRoot, env, input });
  await run(['add', '--all']);
  const tree = (await run(['write-tree'])).stdout.toString().trim();
  let parent: string | null = null;
  try {
    // Both in one process (--verify takes a single name; a missing ref makes rev-parse fail, caught below).
    const [commit, parentTree] = (await run(['rev-parse', `${SNAPSHOT_REF}^{commit}`, `${SNAPSHOT_REF}^{tree}`])).stdout.toString().trim().split('\n');
    parent = /^[0-9a-f]{40,64}$/.test(commit ?? '') ? commit : null;
    if (parent && parentTree === tree) return { commit: parent, tree, created: false };
  } catch {
    parent = null; // no snapshot yet
  }
  const commit = (await run(['commit-tree', tree, ...(parent ? ['-p', parent] : []), '-F', '-'], message)).stdout.toString().trim();
  await run(['update-ref', SNAPSHOT_REF, commit, ...(parent ? [parent] : [])]);
  return { commit, tree, created: true };
}

/** Disk used by a shadow repository (for the benchmark and `doctor`). */
export function diskUsage(dir: string): number {
  let total = 0;
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) total += fs.statSync(p).size;
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return total;
}

export async function shadowHead(shadow: ShadowRepo, ref: string): Promise<string | null> {
  try {
    return (await gitText(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: shadow.repoRoot, env: gitEnv({ GIT_DIR: shadow.gitDir }) })) || null;
  } catch {
    return null;
  }
}
