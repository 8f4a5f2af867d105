/** The adapters for the assistants mantra-tui reads, built from resolved roots. */
import type { Adapter } from './adapter.js';
import { claudeAdapter } from './claude/index.js';

export interface SourceRoots {
  readonly claudeDir: string;
}

export function adaptersFor(roots: SourceRoots): Adapter[] {
  return [claudeAdapter(roots.claudeDir) as unknown as Adapter];
}
