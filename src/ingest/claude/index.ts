import type { Adapter } from '../adapter.js';
import { discoverClaude, type ClaudeCandidate } from './discover.js';
import { ingestClaudeFile } from './ingest.js';

export function claudeAdapter(root: string): Adapter<ClaudeCandidate> {
  return {
    agent: 'claude',
    root,
    discover: () => discoverClaude(root),
    ingest: ingestClaudeFile,
  };
}
