/** The adapters for the assistants mantra-tui reads, built from resolved roots. */
import type { Adapter } from './adapter.js';
import { claudeAdapter } from './claude/index.js';
import { codexAdapter } from './codex/index.js';
import { geminiAdapter } from './gemini/index.js';

/** Resolved roots (see paths.ts). An assistant whose root is not given is not read. */
export interface SourceRoots {
  readonly claudeDir: string;
  readonly codexDir?: string;
  readonly geminiDir?: string;
}

export function adaptersFor(roots: SourceRoots): Adapter[] {
  const adapters = [claudeAdapter(roots.claudeDir) as unknown as Adapter];
  if (roots.codexDir) adapters.push(codexAdapter(roots.codexDir) as unknown as Adapter);
  if (roots.geminiDir) adapters.push(geminiAdapter(roots.geminiDir) as unknown as Adapter);
  return adapters;
}
