/**
 * Finding Gemini CLI files under its dir (formats/gemini-cli.md §1):
 *   tmp/<project id>/chats/session-<time>-<id8>.jsonl        v0.39+ sessions (JSONL, appended)
 *   tmp/<project id>/chats/session-<time>-<id8>.json         v0.4–v0.38 sessions (one JSON document, rewritten whole)
 *   tmp/<project id>/chats/<parent session id>/<id>.json[l]   sub-agent sessions
 *   tmp/<project id>/logs.json                                typed prompts, the only history before v0.4
 *   tmp/<project id>/checkpoints/*.json                       checkpoints taken before file edits
 * A `.json` session with a `.jsonl` twin was migrated by Gemini: the `.jsonl` wins. Listings and stats only.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { SourceCandidate } from '../adapter.js';

export type GeminiSourceKind = 'chat-jsonl' | 'chat-json' | 'logs' | 'checkpoint';

export interface GeminiCandidate extends SourceCandidate {
  readonly agent: 'gemini';
  readonly kind: GeminiSourceKind;
  /** `tmp/<project id>`. */
  readonly projectDir: string;
  readonly projectId: string;
  /** For sub-agent sessions: the session named by their folder. */
  readonly parentSessionId: string | null;
}

function listDir(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

function stat(file: string): { size: number; mtimeMs: number } | null {
  try {
    const st = fs.statSync(file);
    return st.isFile() ? { size: st.size, mtimeMs: Math.floor(st.mtimeMs) } : null;
  } catch {
    return null; // deleted between the listing and the stat
  }
}

/** Session files in one chats folder, `.json` dropped where a `.jsonl` twin exists. */
function chatFiles(dir: string, mainOnly: boolean): { file: string; kind: GeminiSourceKind }[] {
  const names = listDir(dir)
    .filter((e) => e.isFile() && (!mainOnly || e.name.startsWith('session-')))
    .map((e) => e.name);
  const have = new Set(names);
  const out: { file: string; kind: GeminiSourceKind }[] = [];
  for (const name of names) {
    if (name.endsWith('.jsonl')) out.push({ file: path.join(dir, name), kind: 'chat-jsonl' });
    else if (name.endsWith('.json') && !have.has(`${name}l`)) out.push({ file: path.join(dir, name), kind: 'chat-json' });
  }
  return out;
}

export function discoverGemini(root: string): GeminiCandidate[] {
  const out: GeminiCandidate[] = [];
  const tmp = path.join(root, 'tmp');
  for (const project of listDir(tmp)) {
    if (!project.isDirectory()) continue;
    const projectDir = path.join(tmp, project.name);
    const add = (file: string, kind: GeminiSourceKind, parentSessionId: string | null) => {
      const st = stat(file);
      if (st) out.push({ path: file, agent: 'gemini', kind, projectDir, projectId: project.name, parentSessionId, ...st });
    };
    const chats = path.join(projectDir, 'chats');
    for (const { file, kind } of chatFiles(chats, true)) add(file, kind, null);
    for (const sub of listDir(chats)) {
      if (!sub.isDirectory()) continue;
      for (const { file, kind } of chatFiles(path.join(chats, sub.name), false)) add(file, kind, sub.name);
    }
    add(path.join(projectDir, 'logs.json'), 'logs', null);
    const checkpoints = path.join(projectDir, 'checkpoints');
    for (const cp of listDir(checkpoints)) {
      if (cp.isFile() && cp.name.endsWith('.json')) add(path.join(checkpoints, cp.name), 'checkpoint', null);
    }
  }
  return out.sort((a, b) => b.mtimeMs - a.mtimeMs);
}

/**
 * Session ids (or their first 8 characters, all a main file name keeps) that have a chat file in this project:
 * their prompts in logs.json are already in the chat.
 */
export function chatSessionKeys(projectDir: string): Set<string> {
  const keys = new Set<string>();
  const chats = path.join(projectDir, 'chats');
  for (const e of listDir(chats)) {
    if (e.isFile()) {
      const m = /-([0-9a-zA-Z]{8})\.jsonl?$/.exec(e.name);
      if (m) keys.add(m[1].toLowerCase());
    } else if (e.isDirectory()) {
      for (const sub of listDir(path.join(chats, e.name))) {
        if (sub.isFile()) keys.add(sub.name.replace(/\.jsonl?$/, '').toLowerCase());
      }
    }
  }
  return keys;
}

/** True when a chat file exists for `sessionId` (see chatSessionKeys). */
export function hasChatFile(keys: ReadonlySet<string>, sessionId: string): boolean {
  const id = sessionId.toLowerCase();
  return keys.has(id) || keys.has(id.slice(0, 8));
}
