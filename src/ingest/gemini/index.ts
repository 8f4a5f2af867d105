import fs from 'node:fs';
import path from 'node:path';
import type { Adapter } from '../adapter.js';
import { ingestJsonlFile } from '../jsonl-ingest.js';
import { geminiChatHooks } from './chat-jsonl.js';
import { discoverGemini, type GeminiCandidate } from './discover.js';
import { ingestCheckpoint, ingestLegacyChat, ingestLogs } from './documents.js';
import { GeminiProjects } from './project.js';

/** Gemini CLI sessions under `root` (`--gemini-dir`, `$GEMINI_CLI_HOME/.gemini` or `~/.gemini`). */
export function geminiAdapter(root: string): Adapter<GeminiCandidate> {
  // Project lookups are cached for one pass: a new discover() starts a new pass and sees registry changes.
  let projects = new GeminiProjects(root);
  return {
    agent: 'gemini',
    root,
    discover() {
      projects = new GeminiProjects(root);
      return discoverGemini(root);
    },
    ingest(writer, c, stats) {
      switch (c.kind) {
        case 'chat-jsonl':
          return ingestJsonlFile(geminiChatHooks(projects), writer, c, stats);
        case 'chat-json':
          return ingestLegacyChat(writer, c, stats, projects);
        case 'logs':
          return ingestLogs(writer, c, stats, projects);
        case 'checkpoint':
          return ingestCheckpoint(writer, c, stats, projects, root);
      }
    },
    diagnose() {
      return {
        locations: [root, path.join(root, 'tmp'), path.join(root, 'history'), path.join(root, 'projects.json')].map((p) => ({ path: p, exists: fs.existsSync(p) })),
        files: discoverGemini(root).length,
        unreadable: [],
      };
    },
  };
}
