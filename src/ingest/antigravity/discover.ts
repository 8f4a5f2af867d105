/**
 * Finding Antigravity conversations (shared/formats/antigravity.md §1, §2). Listings and stats only.
 * A root is either a profile (it holds `brain/`, `conversations/`, …) or a folder of `antigravity*` profiles
 * (`~/.gemini`). Per conversation `brain/<id>/.system_generated/logs/`: `transcript_full.jsonl` when present, else
 * the truncated twin `transcript.jsonl`, else the `chunks/` pieces of either (§3.9, §3.10).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { SourceCandidate } from '../adapter.js';

export interface AgyCandidate extends SourceCandidate {
  readonly agent: 'antigravity';
  readonly conversationId: string;
  readonly profileDir: string;
  /** `~/.gemini/config`, beside the profile. */
  readonly configDir: string;
  /** The truncated twin (`transcript.jsonl`): tool-call args are JSON-encoded once more. */
  readonly twin: boolean;
  /** When the transcript exists only as `chunks/`: the pieces in order (`path` is then their folder). */
  readonly chunks: readonly string[] | null;
}

export interface Profile {
  readonly dir: string;
  readonly configDir: string;
}

const PROFILE_MARKERS = ['brain', 'conversations', 'history.jsonl', 'conversation_summaries.db', 'implicit', 'agyhub_summaries_proto.pb'];

function listDir(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

function isProfile(dir: string): boolean {
  return PROFILE_MARKERS.some((m) => fs.existsSync(path.join(dir, m)));
}

/** The profiles under the given roots (each a profile itself, or a folder holding `antigravity*` profiles). */
export function profilesOf(roots: readonly string[]): Profile[] {
  const out: Profile[] = [];
  const seen = new Set<string>();
  const add = (dir: string) => {
    if (seen.has(dir)) return;
    seen.add(dir);
    out.push({ dir, configDir: path.join(path.dirname(dir), 'config') });
  };
  for (const root of roots) {
    if (isProfile(root)) {
      add(root);
      continue;
    }
    // Only folders that hold Antigravity data (an `antigravity-browser-profile` or similar is not a profile).
    for (const e of listDir(root)) {
      const dir = path.join(root, e.name);
      if (e.isDirectory() && e.name.startsWith('antigravity') && isProfile(dir)) add(dir);
    }
  }
  return out;
}

function fileStat(file: string): { size: number; mtimeMs: number } | null {
  try {
    const st = fs.statSync(file);
    return st.isFile() ? { size: st.size, mtimeMs: Math.floor(st.mtimeMs) } : null;
  } catch {
    return null;
  }
}

function chunkCandidate(dir: string): { files: string[]; size: number; mtimeMs: number } | null {
  const files = listDir(dir)
    .filter((e) => e.isFile() && e.name.endsWith('.jsonl'))
    .map((e) => e.name)
    .sort()
    .map((n) => path.join(dir, n));
  if (files.length === 0) return null;
  let size = 0;
  let mtimeMs = 0;
  for (const f of files) {
    const st = fileStat(f);
    if (!st) return null;
    size += st.size;
    mtimeMs = Math.max(mtimeMs, st.mtimeMs);
  }
  return { files, size, mtimeMs };
}

export function discoverProfile(p: Profile): AgyCandidate[] {
  const out: AgyCandidate[] = [];
  const brain = path.join(p.dir, 'brain');
  for (const conv of listDir(brain)) {
    if (!conv.isDirectory()) continue;
    const logs = path.join(brain, conv.name, '.system_generated', 'logs');
    const base = { agent: 'antigravity' as const, conversationId: conv.name, profileDir: p.dir, configDir: p.configDir };
    const full = path.join(logs, 'transcript_full.jsonl');
    const twin = path.join(logs, 'transcript.jsonl');
    const fullStat = fileStat(full);
    if (fullStat) {
      out.push({ ...base, path: full, ...fullStat, twin: false, chunks: null });
      continue;
    }
    const twinStat = fileStat(twin);
    if (twinStat) {
      out.push({ ...base, path: twin, ...twinStat, twin: true, chunks: null });
      continue;
    }
    for (const [name, isTwin] of [['transcript_full', false], ['transcript', true]] as const) {
      const dir = path.join(logs, 'chunks', name);
      const c = chunkCandidate(dir);
      if (c) {
        out.push({ ...base, path: dir, size: c.size, mtimeMs: c.mtimeMs, twin: isTwin, chunks: c.files });
        break;
      }
    }
  }
  return out;
}

export function discoverAntigravity(roots: readonly string[]): AgyCandidate[] {
  return profilesOf(roots)
    .flatMap(discoverProfile)
    .sort((a, b) => b.mtimeMs - a.mtimeMs);
}

/**
 * Conversations present but not readable, each with the reason (for `doctor`): encrypted legacy `.pb` stores and
 * background trajectories (never read, §6.1), and `.db` stores without a transcript (their protobuf payloads are only
 * partly mapped, §5, so messages are not reconstructed from them).
 */
export function unreadableIn(p: Profile, transcriptIds: ReadonlySet<string>): { path: string; reason: string }[] {
  const out: { path: string; reason: string }[] = [];
  const conversations = path.join(p.dir, 'conversations');
  for (const e of listDir(conversations)) {
    if (!e.isFile()) continue;
    const full = path.join(conversations, e.name);
    if (e.name.endsWith('.pb')) {
      out.push({ path: full, reason: 'encrypted conversation (agy 1.0.0–1.0.3 / Antigravity IDE 1.x legacy store); not readable without the app' });
    } else if (e.name.endsWith('.db') && !transcriptIds.has(e.name.slice(0, -3))) {
      out.push({ path: full, reason: 'conversation store without a transcript: its protobuf step payloads are only partly documented, so messages are not reconstructed from it' });
    }
  }
  for (const e of listDir(path.join(p.dir, 'implicit'))) {
    if (e.isFile() && e.name.endsWith('.pb')) out.push({ path: path.join(p.dir, 'implicit', e.name), reason: 'encrypted background trajectory (not a chat); not readable without the app' });
  }
  return out;
}
