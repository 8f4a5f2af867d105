/** The adapters for the assistants mantra-tui reads, built from resolved roots. */
import type { Adapter } from './adapter.js';
import { claudeAdapter } from './claude/index.js';
import { codexAdapter } from './codex/index.js';
import { geminiAdapter } from './gemini/index.js';
import { antigravityAdapter } from './antigravity/index.js';
import { cursorAdapter } from './cursor/index.js';

/** Resolved roots (see paths.ts). An assistant whose root is not given is not read. */
export interface SourceRoots {
  readonly claudeDir: string;
  readonly codexDir?: string;
  readonly geminiDir?: string;
  /** Cursor's editor user dir (paths.ts `resolveCursorDir`); Cursor is read when this is set. */
  readonly cursorDir?: string;
  /** cursor-agent's dir, `~/.cursor` (paths.ts `resolveCursorCliDir`); cursor-agent is read when this is set. */
  readonly cursorCliDir?: string;
  /** Antigravity profiles or folders of profiles (paths.ts `resolveAntigravityDirs`); read when non-empty. */
  readonly antigravityDirs?: readonly string[];
}

export function adaptersFor(roots: SourceRoots): Adapter[] {
  const adapters: Adapter[] = [claudeAdapter(roots.claudeDir) as unknown as Adapter];
  if (roots.codexDir) adapters.push(codexAdapter(roots.codexDir) as unknown as Adapter);
  if (roots.geminiDir) adapters.push(geminiAdapter(roots.geminiDir) as unknown as Adapter);
  if (roots.cursorDir || roots.cursorCliDir) {
    adapters.push(cursorAdapter({ userDir: roots.cursorDir ?? null, cliDir: roots.cursorCliDir ?? null }) as unknown as Adapter);
  }
  if (roots.antigravityDirs?.length) adapters.push(antigravityAdapter({ dirs: roots.antigravityDirs }) as unknown as Adapter);
  return adapters;
}
