/** Real git repositories in temp dirs for restore tests, and a fingerprint of a .git to prove it was not written. */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export function gitEnvAt(iso: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('GIT_')) delete env[k];
  return {
    ...env,
    GIT_AUTHOR_NAME: 'Ada',
    GIT_AUTHOR_EMAIL: 'ada@example.com',
    GIT_COMMITTER_NAME: 'Ada',
    GIT_COMMITTER_EMAIL: 'ada@example.com',
    GIT_AUTHOR_DATE: iso,
    GIT_COMMITTER_DATE: iso,
    GIT_CONFIG_NOSYSTEM: '1',
  };
}

export function git(root: string, args: string[], iso = '2026-05-01T08:00:00Z', input?: string | Buffer): string {
  return execFileSync('git', args, { cwd: root, env: gitEnvAt(iso), input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] }).trim();
}

export function writeFiles(root: string, files: Record<string, string | Buffer>): void {
  for (const [rel, contents] of Object.entries(files)) {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, contents);
  }
}

/** A repository on `main` with one commit of `files`, dated `iso` (the reflog entry carries the same date). */
export function makeRepo(root: string, files: Record<string, string | Buffer>, iso = '2026-05-01T08:00:00Z'): string {
  fs.mkdirSync(root, { recursive: true });
  git(root, ['init', '-q', '-b', 'main']);
  writeFiles(root, files);
  git(root, ['add', '-A'], iso);
  git(root, ['commit', '-q', '-m', 'base'], iso);
  return git(root, ['rev-parse', 'HEAD']);
}

/** Every file under `dir` (relative path → sha1 of its bytes, and its mode). */
export function fingerprint(dir: string, skip: (rel: string) => boolean = () => false): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      const rel = path.relative(dir, p);
      if (skip(rel)) continue;
      if (e.isDirectory()) {
        out.set(`${rel}/`, 'dir');
        walk(p);
      } else if (e.isSymbolicLink()) out.set(rel, `link:${fs.readlinkSync(p)}`);
      else {
        const st = fs.statSync(p);
        out.set(rel, `${(st.mode & 0o777).toString(8)}:${crypto.createHash('sha1').update(fs.readFileSync(p)).digest('hex')}`);
      }
    }
  };
  walk(dir);
  return out;
}
