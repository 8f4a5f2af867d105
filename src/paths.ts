/** Where mantra-tui keeps its own data. Pure functions of the environment, so tests pass their own. */
import os from 'node:os';
import path from 'node:path';

export type Env = Readonly<Record<string, string | undefined>>;

export function dataDir(env: Env = process.env): string {
  const xdg = env.XDG_DATA_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(env.HOME || os.homedir(), '.local', 'share');
  return path.join(base, 'mantra-tui');
}

/** `--db PATH`, else `$MANTRA_DB`, else `$XDG_DATA_HOME/mantra-tui/index.db`. */
export function resolveDbPath(flag: string | undefined, env: Env = process.env): string {
  if (flag) return path.resolve(flag);
  if (env.MANTRA_DB) return path.resolve(env.MANTRA_DB);
  return path.join(dataDir(env), 'index.db');
}

/** `--claude-dir DIR`, else `$CLAUDE_CONFIG_DIR`, else `~/.claude`. */
export function resolveClaudeDir(flag: string | undefined, env: Env = process.env): string {
  if (flag) return path.resolve(flag);
  if (env.CLAUDE_CONFIG_DIR) return path.resolve(env.CLAUDE_CONFIG_DIR);
  return path.join(env.HOME || os.homedir(), '.claude');
}

/** `--codex-dir DIR`, else `$CODEX_HOME`, else `~/.codex` (formats/codex.md §1). */
export function resolveCodexDir(flag: string | undefined, env: Env = process.env): string {
  if (flag) return path.resolve(flag);
  if (env.CODEX_HOME) return path.resolve(env.CODEX_HOME);
  return path.join(env.HOME || os.homedir(), '.codex');
}

/** `--gemini-dir DIR`, else `$GEMINI_CLI_HOME/.gemini`, else `~/.gemini` (formats/gemini-cli.md §1). */
export function resolveGeminiDir(flag: string | undefined, env: Env = process.env): string {
  if (flag) return path.resolve(flag);
  // GEMINI_CLI_HOME replaces the home directory, not the .gemini folder inside it.
  if (env.GEMINI_CLI_HOME) return path.join(path.resolve(env.GEMINI_CLI_HOME), '.gemini');
  return path.join(env.HOME || os.homedir(), '.gemini');
}
