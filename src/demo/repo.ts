/** The demo repository's files as the assistants' tools see them: read, write, replace exactly. */
import fs from 'node:fs';
import path from 'node:path';

export interface FileChange {
  readonly rel: string;
  /** Null when the file did not exist. */
  readonly before: string | null;
  readonly after: string;
}

export class DemoRepo {
  constructor(readonly dir: string) {}

  abs(rel: string): string {
    return path.join(this.dir, rel);
  }

  read(rel: string): string | null {
    try {
      return fs.readFileSync(this.abs(rel), 'utf8');
    } catch {
      return null;
    }
  }

  write(rel: string, content: string): FileChange {
    const before = this.read(rel);
    fs.mkdirSync(path.dirname(this.abs(rel)), { recursive: true });
    fs.writeFileSync(this.abs(rel), content);
    return { rel, before, after: content };
  }

  /** Replaces the one occurrence of `oldText`; a demo edit that does not apply is a bug in the demo, so it throws. */
  replace(rel: string, oldText: string, newText: string): FileChange {
    const before = this.read(rel);
    if (before === null) throw new Error(`demo edit of a missing file ${rel}`);
    const at = before.indexOf(oldText);
    if (at === -1 || before.indexOf(oldText, at + 1) !== -1) throw new Error(`demo edit does not apply once to ${rel}: ${oldText}`);
    return this.write(rel, before.slice(0, at) + newText + before.slice(at + oldText.length));
  }
}

/** Writes a file (creating its folder) and dates it, as the assistant's last write to it did. */
export function writeDated(file: string, content: string | Buffer, when: number): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  const t = new Date(when);
  fs.utimesSync(file, t, t);
}
