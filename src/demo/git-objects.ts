/**
 * A git repository written directly, without running git: loose objects, the branch ref with its reflog, and the
 * index. The demo makes a dozen commits in two repositories before the TUI's first frame; spawning git for each
 * `add` and `commit` cost most of its build time. What is written here is plain git format (checked against git
 * itself in tests/demo-git.test.ts): blobs, trees and commits as zlib-deflated loose objects, `refs/heads/<branch>`,
 * `logs/HEAD` and `logs/refs/heads/<branch>` (restores find a session's base commit in the reflog), and a version 2
 * index of the committed tree, so `git status` shows only what changed since.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

export interface Identity {
  readonly name: string;
  readonly email: string;
}

/** The object id git gives `body` as an object of `type`. Pure. */
export function objectId(type: 'blob' | 'tree' | 'commit', body: Buffer): string {
  return crypto.createHash('sha1').update(`${type} ${body.length}\0`).update(body).digest('hex');
}

export interface TreeEntry {
  readonly name: string;
  readonly mode: '100644' | '40000';
  readonly id: string;
}

/** A tree object's body. Git orders entries by name, a directory's name compared as if it ended with `/`. Pure. */
export function encodeTree(entries: readonly TreeEntry[]): Buffer {
  const key = (e: TreeEntry) => Buffer.from(e.mode === '40000' ? `${e.name}/` : e.name);
  const sorted = [...entries].sort((a, b) => Buffer.compare(key(a), key(b)));
  return Buffer.concat(sorted.flatMap((e) => [Buffer.from(`${e.mode} ${e.name}\0`), Buffer.from(e.id, 'hex')]));
}

/** `<seconds> +0000`: the demo's dates are UTC. */
function gitDate(when: number): string {
  return `${Math.floor(when / 1000)} +0000`;
}

export interface CommitFields {
  readonly tree: string;
  readonly parent: string | null;
  readonly author: Identity;
  readonly when: number;
  readonly message: string;
}

/** A commit object's body (author and committer are the same person at the same time). Pure. */
export function encodeCommit(c: CommitFields): Buffer {
  const who = `${c.author.name} <${c.author.email}> ${gitDate(c.when)}`;
  return Buffer.from(`tree ${c.tree}\n${c.parent ? `parent ${c.parent}\n` : ''}author ${who}\ncommitter ${who}\n\n${c.message}\n`);
}

export interface IndexEntry {
  readonly path: string;
  readonly id: string;
  readonly size: number;
}

/**
 * A version 2 index (`.git/index`) listing `entries`. Stat fields other than the size are zero, so git compares the
 * files' contents on its next `status` and then records their real stat data. Pure.
 */
export function encodeIndex(entries: readonly IndexEntry[]): Buffer {
  const sorted = [...entries].sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
  const header = Buffer.alloc(12);
  header.write('DIRC', 0, 'latin1');
  header.writeUInt32BE(2, 4);
  header.writeUInt32BE(sorted.length, 8);
  const parts = [header];
  for (const e of sorted) {
    const name = Buffer.from(e.path);
    // 62 bytes of fixed fields, the name, then 1 to 8 NULs so the entry's length is a multiple of 8.
    const length = Math.ceil((62 + name.length + 1) / 8) * 8;
    const entry = Buffer.alloc(length);
    entry.writeUInt32BE(0o100644, 24);
    entry.writeUInt32BE(e.size, 36);
    Buffer.from(e.id, 'hex').copy(entry, 40);
    entry.writeUInt16BE(Math.min(name.length, 0xfff), 60);
    name.copy(entry, 62);
    parts.push(entry);
  }
  const body = Buffer.concat(parts);
  return Buffer.concat([body, crypto.createHash('sha1').update(body).digest()]);
}

/** A repository's `.git` directory, written to as git would. */
export class GitDir {
  constructor(readonly dir: string) {}

  /** What `git init` leaves that git needs: HEAD on `branch`, the config, the object and ref folders. */
  static init(gitDir: string, branch = 'main'): GitDir {
    for (const d of ['objects', path.join('refs', 'heads'), path.join('refs', 'tags'), 'info']) fs.mkdirSync(path.join(gitDir, d), { recursive: true });
    fs.writeFileSync(path.join(gitDir, 'HEAD'), `ref: refs/heads/${branch}\n`);
    fs.writeFileSync(path.join(gitDir, 'config'), '[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = false\n\tlogallrefupdates = true\n');
    fs.writeFileSync(path.join(gitDir, 'description'), "Unnamed repository; edit this file 'description' to name the repository.\n");
    fs.writeFileSync(path.join(gitDir, 'info', 'exclude'), '# git ls-files --others --exclude-from=.git/info/exclude\n');
    return new GitDir(gitDir);
  }

  private put(type: 'blob' | 'tree' | 'commit', body: Buffer): string {
    const id = objectId(type, body);
    const file = path.join(this.dir, 'objects', id.slice(0, 2), id.slice(2));
    if (!fs.existsSync(file)) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, zlib.deflateSync(Buffer.concat([Buffer.from(`${type} ${body.length}\0`), body])));
    }
    return id;
  }

  /**
   * The tree of a work tree's files (what `git add -A` stages), recording each file for the index. `.git` and the
   * top-level directories `.gitignore` lists as `name/` are left out (the demo ignores nothing else).
   */
  writeTree(workTree: string, index: IndexEntry[] = []): string {
    const ignore = new Set<string>(['.git']);
    try {
      for (const line of fs.readFileSync(path.join(workTree, '.gitignore'), 'utf8').split('\n')) if (/^[\w.-]+\/$/.test(line.trim())) ignore.add(line.trim().slice(0, -1));
    } catch {
      // no .gitignore: nothing ignored
    }
    /** A directory's tree id, or null when it holds no file (git stores no empty trees inside a commit's tree). */
    const walk = (dir: string, rel: string): string | null => {
      const entries: TreeEntry[] = [];
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        if (e.name === '.git' || (rel === '' && ignore.has(e.name))) continue;
        const full = path.join(dir, e.name);
        const relPath = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) {
          const id = walk(full, relPath);
          if (id) entries.push({ name: e.name, mode: '40000', id });
        } else if (e.isFile()) {
          const bytes = fs.readFileSync(full);
          const id = this.put('blob', bytes);
          index.push({ path: relPath, id, size: bytes.length });
          entries.push({ name: e.name, mode: '100644', id });
        }
      }
      return entries.length ? this.put('tree', encodeTree(entries)) : null;
    };
    return walk(workTree, '') ?? this.emptyTree();
  }

  /** The empty tree (Gemini CLI's shadow repository starts with an empty "Initial commit"). */
  emptyTree(): string {
    return this.put('tree', Buffer.alloc(0));
  }

  /** The commit `refs/heads/<branch>` points at, or null before the first commit. */
  head(branch = 'main'): string | null {
    try {
      return fs.readFileSync(path.join(this.dir, 'refs', 'heads', branch), 'utf8').trim();
    } catch {
      return null;
    }
  }

  /**
   * Commits `tree` on `branch` as `git commit` does: the object, the ref, and a reflog line for the branch and for
   * HEAD (`commit (initial): …` first, then `commit: …`). Returns the commit id.
   */
  commit(tree: string, branch: string, author: Identity, when: number, message: string): string {
    const parent = this.head(branch);
    const id = this.put('commit', encodeCommit({ tree, parent, author, when, message }));
    fs.writeFileSync(path.join(this.dir, 'refs', 'heads', branch), `${id}\n`);
    const line = `${parent ?? '0'.repeat(40)} ${id} ${author.name} <${author.email}> ${gitDate(when)}\t${parent ? 'commit' : 'commit (initial)'}: ${message.split('\n')[0]}\n`;
    for (const log of [path.join('logs', 'HEAD'), path.join('logs', 'refs', 'heads', branch)]) {
      fs.mkdirSync(path.dirname(path.join(this.dir, log)), { recursive: true });
      fs.appendFileSync(path.join(this.dir, log), line);
    }
    return id;
  }

  /** `git add -A && git commit`: everything in the work tree, committed; the index then matches that commit. */
  commitWorkTree(workTree: string, branch: string, author: Identity, when: number, message: string): string {
    const index: IndexEntry[] = [];
    const tree = this.writeTree(workTree, index);
    const id = this.commit(tree, branch, author, when, message);
    fs.writeFileSync(path.join(this.dir, 'index'), encodeIndex(index));
    return id;
  }

  /** `git log --oneline` of the branch, newest first. */
  onelineLog(branch = 'main'): string {
    const out: string[] = [];
    for (let id = this.head(branch); id; ) {
      const raw = zlib.inflateSync(fs.readFileSync(path.join(this.dir, 'objects', id.slice(0, 2), id.slice(2)))).toString('utf8');
      const body = raw.slice(raw.indexOf('\0') + 1);
      out.push(`${id.slice(0, 7)} ${body.slice(body.indexOf('\n\n') + 2).split('\n')[0]}`);
      id = /^parent ([0-9a-f]{40})$/m.exec(body.slice(0, body.indexOf('\n\n')))?.[1] ?? null;
    }
    return out.join('\n');
  }
}
