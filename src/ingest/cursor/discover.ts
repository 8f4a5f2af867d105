/**
 * Finding Cursor's chat stores (shared/formats/cursor.md §1, §7). Listings and stats only.
 *   <user dir>/globalStorage/state.vscdb                       split-storage chats (late 2024 on)
 *   <user dir>/workspaceStorage/<id>/state.vscdb (+ workspace.json)   per-folder refs and pre-2025 chats
 *   <cli dir>/chats/<md5 of cwd>/<agentId>/store.db             cursor-agent sessions
 *   <cli dir>/projects/<slug>/agent-transcripts/…/*.jsonl        plain transcripts of agent runs
 * A database's size and mtime include its `-wal`: Cursor checkpoints lazily, so new messages land there first.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { SourceCandidate } from '../adapter.js';
import { dbIdentity } from '../foreign-db.js';

interface Base extends SourceCandidate {
  readonly agent: 'cursor';
}

export interface VscdbCandidate extends Base {
  readonly kind: 'vscdb';
  readonly role: 'global' | 'workspace';
  /** For workspace DBs: the workspaceStorage folder (holds workspace.json) and its name (the workspace id). */
  readonly workspaceDir: string | null;
  readonly workspaceId: string | null;
}

export interface CliStoreCandidate extends Base {
  readonly kind: 'cli-store';
  readonly agentId: string;
  /** MD5 of the working directory cursor-agent ran in. */
  readonly cwdHash: string;
}

export interface TranscriptCandidate extends Base {
  readonly kind: 'transcript';
  readonly sessionId: string;
  readonly parentSessionId: string | null;
  /** `~/.cursor/projects/<slug>`: the project folder's slug. */
  readonly projectSlug: string;
}

export type CursorCandidate = VscdbCandidate | CliStoreCandidate | TranscriptCandidate;

export interface CursorRoots {
  /** The editor's user dir (`~/.config/Cursor/User`, …); null to skip the editor. */
  readonly userDir: string | null;
  /** cursor-agent's dir (`~/.cursor`); null to skip cursor-agent. */
  readonly cliDir: string | null;
}

function listDir(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

function dbStat(file: string): { size: number; mtimeMs: number } | null {
  const id = dbIdentity(file);
  return id ? { size: id.size, mtimeMs: id.mtimeMs } : null;
}

export function discoverVscdbs(userDir: string): VscdbCandidate[] {
  const out: VscdbCandidate[] = [];
  const global = path.join(userDir, 'globalStorage', 'state.vscdb');
  const g = dbStat(global);
  if (g) out.push({ agent: 'cursor', kind: 'vscdb', role: 'global', path: global, workspaceDir: null, workspaceId: null, ...g });
  const wsRoot = path.join(userDir, 'workspaceStorage');
  for (const entry of listDir(wsRoot)) {
    if (!entry.isDirectory()) continue;
    const dir = path.join(wsRoot, entry.name);
    const file = path.join(dir, 'state.vscdb');
    const s = dbStat(file);
    if (s) out.push({ agent: 'cursor', kind: 'vscdb', role: 'workspace', path: file, workspaceDir: dir, workspaceId: entry.name, ...s });
  }
  return out;
}

export function discoverCliStores(cliDir: string): CliStoreCandidate[] {
  const out: CliStoreCandidate[] = [];
  const chats = path.join(cliDir, 'chats');
  for (const hashDir of listDir(chats)) {
    if (!hashDir.isDirectory()) continue;
    for (const agentDir of listDir(path.join(chats, hashDir.name))) {
      if (!agentDir.isDirectory()) continue;
      const file = path.join(chats, hashDir.name, agentDir.name, 'store.db');
      const s = dbStat(file);
      if (s) out.push({ agent: 'cursor', kind: 'cli-store', path: file, agentId: agentDir.name, cwdHash: hashDir.name, ...s });
    }
  }
  return out;
}

function transcript(file: string, sessionId: string, parentSessionId: string | null, projectSlug: string): TranscriptCandidate | null {
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return null;
    return { agent: 'cursor', kind: 'transcript', path: file, size: st.size, mtimeMs: Math.floor(st.mtimeMs), sessionId, parentSessionId, projectSlug };
  } catch {
    return null;
  }
}

/**
 * Agent transcripts: `<id>.jsonl`, `<id>/<id>.jsonl`, and sub-agents in `<id>/subagents/<sub>.jsonl` (or another
 * file in `<id>/`), whose parent is the folder's id.
 */
export function discoverTranscripts(cliDir: string): TranscriptCandidate[] {
  const out: TranscriptCandidate[] = [];
  const projects = path.join(cliDir, 'projects');
  const push = (c: TranscriptCandidate | null) => c && out.push(c);
  for (const project of listDir(projects)) {
    if (!project.isDirectory()) continue;
    const root = path.join(projects, project.name, 'agent-transcripts');
    for (const e of listDir(root)) {
      const full = path.join(root, e.name);
      if (e.isFile() && e.name.endsWith('.jsonl')) {
        push(transcript(full, e.name.slice(0, -6), null, project.name));
      } else if (e.isDirectory()) {
        for (const inner of listDir(full)) {
          const innerPath = path.join(full, inner.name);
          if (inner.isFile() && inner.name.endsWith('.jsonl')) {
            const stem = inner.name.slice(0, -6);
            push(transcript(innerPath, stem, stem === e.name ? null : e.name, project.name));
          } else if (inner.isDirectory() && inner.name === 'subagents') {
            for (const sub of listDir(innerPath)) {
              if (sub.isFile() && sub.name.endsWith('.jsonl')) push(transcript(path.join(innerPath, sub.name), sub.name.slice(0, -6), e.name, project.name));
            }
          }
        }
      }
    }
  }
  return out;
}

export function discoverCursor(roots: CursorRoots): CursorCandidate[] {
  const all: CursorCandidate[] = [
    ...(roots.userDir ? discoverVscdbs(roots.userDir) : []),
    ...(roots.cliDir ? [...discoverCliStores(roots.cliDir), ...discoverTranscripts(roots.cliDir)] : []),
  ];
  return all.sort((a, b) => b.mtimeMs - a.mtimeMs);
}
