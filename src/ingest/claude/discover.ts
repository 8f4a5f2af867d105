/**
 * Finding Claude Code transcripts under a config root (see shared formats/claude-code.md §1, §12):
 *   projects/<enc>/<sessionId>.jsonl                          main transcripts
 *   projects/<enc>/agent-<agentId>.jsonl                      2.0.x sub-agents (parent named inside the file)
 *   projects/<enc>/<sessionId>/subagents/agent-<id>.jsonl     2.1.x sub-agents (parent is the folder)
 * Only directory listings and stats: contents are read by the ingester.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { SourceCandidate } from '../adapter.js';

export interface ClaudeCandidate extends SourceCandidate {
  readonly agent: 'claude';
  /** The session id this file's messages belong to. */
  readonly sessionId: string;
  /** For sub-agent files: the parent session when the layout names it (2.1.x); 2.0.x names it inside the file. */
  readonly parentSessionId: string | null;
  readonly isSubagent: boolean;
}

function listDir(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

function candidate(file: string, sessionId: string, parentSessionId: string | null, isSubagent: boolean): ClaudeCandidate | null {
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return null;
    return { path: file, agent: 'claude', size: st.size, mtimeMs: Math.floor(st.mtimeMs), sessionId, parentSessionId, isSubagent };
  } catch {
    return null; // deleted between the listing and the stat
  }
}

export function discoverClaude(root: string): ClaudeCandidate[] {
  const out: ClaudeCandidate[] = [];
  const projects = path.join(root, 'projects');
  for (const project of listDir(projects)) {
    if (!project.isDirectory()) continue;
    const projectDir = path.join(projects, project.name);
    for (const entry of listDir(projectDir)) {
      const full = path.join(projectDir, entry.name);
      if (entry.isFile() && entry.name.endsWith('.jsonl')) {
        const stem = entry.name.slice(0, -'.jsonl'.length);
        const isSubagent = stem.startsWith('agent-');
        const c = candidate(full, stem, null, isSubagent);
        if (c) out.push(c);
      } else if (entry.isDirectory()) {
        // <sessionId>/subagents/agent-*.jsonl (workflow journals and tool-result side files are not transcripts).
        const subagents = path.join(full, 'subagents');
        for (const sub of listDir(subagents)) {
          if (!sub.isFile() || !sub.name.startsWith('agent-') || !sub.name.endsWith('.jsonl')) continue;
          const c = candidate(path.join(subagents, sub.name), sub.name.slice(0, -'.jsonl'.length), entry.name, true);
          if (c) out.push(c);
        }
      }
    }
  }
  // Newest first: on a large first index the sessions people are looking for land first.
  return out.sort((a, b) => b.mtimeMs - a.mtimeMs);
}
