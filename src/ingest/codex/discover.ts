/**
 * Finding Codex CLI rollouts under `$CODEX_HOME` (formats/codex.md §1):
 *   sessions/YYYY/MM/DD/rollout-<local time>-<threadId>.jsonl   current layout
 *   sessions/rollout-….jsonl                                    very early builds (no date folders)
 *   archived_sessions/rollout-….jsonl                           archived threads
 * `.jsonl.zst` rollouts are zstd streams that Node 20 cannot decompress; they are reported by `doctor`, not read
 * (when the plain `.jsonl` exists too, it wins, as in Codex). Only listings and stats: contents are read by the ingester.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { SourceCandidate } from '../adapter.js';

export interface CodexCandidate extends SourceCandidate {
  readonly agent: 'codex';
  /** Thread id from the file name, null when the name carries none (the first `session_meta` names it then). */
  readonly threadId: string | null;
}

const UUID_AT_END = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl$/i;
/** sessions/ is three folder levels deep (year, month, day); archived_sessions/ is flat. */
const MAX_DEPTH = 3;

function listDir(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

function isRollout(name: string): boolean {
  return name.startsWith('rollout-') && name.endsWith('.jsonl');
}

function walk(dir: string, depth: number, visit: (file: string, name: string) => void): void {
  for (const entry of listDir(dir)) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (depth < MAX_DEPTH) walk(full, depth + 1, visit);
    } else if (entry.isFile()) {
      visit(full, entry.name);
    }
  }
}

export function rolloutDirs(root: string): string[] {
  return [path.join(root, 'sessions'), path.join(root, 'archived_sessions')];
}

export function discoverCodex(root: string): CodexCandidate[] {
  const out: CodexCandidate[] = [];
  for (const dir of rolloutDirs(root)) {
    walk(dir, 0, (file, name) => {
      if (!isRollout(name)) return;
      try {
        const st = fs.statSync(file);
        out.push({ path: file, agent: 'codex', size: st.size, mtimeMs: Math.floor(st.mtimeMs), threadId: UUID_AT_END.exec(name)?.[1].toLowerCase() ?? null });
      } catch {
        // deleted (or compressed) between the listing and the stat
      }
    });
  }
  return out.sort((a, b) => b.mtimeMs - a.mtimeMs);
}

/** Compressed rollouts with no plain twin: present, but unreadable here. */
export function compressedRollouts(root: string): string[] {
  const out: string[] = [];
  for (const dir of rolloutDirs(root)) {
    walk(dir, 0, (file, name) => {
      if (name.startsWith('rollout-') && name.endsWith('.jsonl.zst') && !fs.existsSync(file.slice(0, -'.zst'.length))) out.push(file);
    });
  }
  return out;
}
