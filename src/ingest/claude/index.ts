import fs from 'node:fs';
import path from 'node:path';
import type { Adapter } from '../adapter.js';
import { discoverClaude, type ClaudeCandidate } from './discover.js';
import { ingestClaudeFile } from './ingest.js';

export function claudeAdapter(root: string): Adapter<ClaudeCandidate> {
  return {
    agent: 'claude',
    root,
    discover: () => discoverClaude(root),
    ingest: (writer, candidate, stats) => ingestClaudeFile(root, writer, candidate, stats),
    diagnose() {
      const projects = path.join(root, 'projects');
      return {
        locations: [
          { path: root, exists: fs.existsSync(root) },
          { path: projects, exists: fs.existsSync(projects) },
        ],
        files: discoverClaude(root).length,
        unreadable: [],
      };
    },
  };
}
