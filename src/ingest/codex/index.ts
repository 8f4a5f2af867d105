import fs from 'node:fs';
import type { Adapter } from '../adapter.js';
import { compressedRollouts, discoverCodex, rolloutDirs, type CodexCandidate } from './discover.js';
import { ingestCodexFile } from './ingest.js';

/** Codex CLI sessions under `root` (`--codex-dir`, `$CODEX_HOME` or `~/.codex`). */
export function codexAdapter(root: string): Adapter<CodexCandidate> {
  return {
    agent: 'codex',
    root,
    discover: () => discoverCodex(root),
    ingest: ingestCodexFile,
    diagnose() {
      return {
        locations: [root, ...rolloutDirs(root)].map((p) => ({ path: p, exists: fs.existsSync(p) })),
        files: discoverCodex(root).length,
        unreadable: compressedRollouts(root).map((p) => ({
          path: p,
          reason: 'zstd-compressed rollout: Node 20 has no zstd decoder, so it is not indexed until Codex writes it as plain JSONL again',
        })),
      };
    },
  };
}
