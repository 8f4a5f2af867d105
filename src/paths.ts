/** Where mantra-tui keeps its own data. Pure functions of the environment, so tests pass their own. */
import fs from 'node:fs';
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

export type Platform = 'linux' | 'darwin' | 'win32' | (string & {});

function homeOf(env: Env, platform: Platform): string {
  if (platform === 'win32') return env.USERPROFILE || env.HOME || os.homedir();
  return env.HOME || os.homedir();
}

/**
 * Cursor's editor user dir (shared/formats/cursor.md §1): `%APPDATA%\Cursor\User` on Windows,
 * `~/Library/Application Support/Cursor/User` on macOS, `$XDG_CONFIG_HOME/Cursor/User` (default `~/.config`) on Linux,
 * which is where Electron puts it. Pure: the platform and environment are passed in.
 */
export function cursorUserDir(env: Env = process.env, platform: Platform = process.platform): string {
  if (platform === 'win32') {
    const appData = env.APPDATA || path.win32.join(homeOf(env, platform), 'AppData', 'Roaming');
    return path.win32.join(appData, 'Cursor', 'User');
  }
  if (platform === 'darwin') return path.posix.join(homeOf(env, platform), 'Library', 'Application Support', 'Cursor', 'User');
  const xdg = env.XDG_CONFIG_HOME;
  const config = xdg && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(homeOf(env, platform), '.config');
  return path.posix.join(config, 'Cursor', 'User');
}

/** `--cursor-dir DIR` (the editor's user dir), else the platform default. */
export function resolveCursorDir(flag: string | undefined, env: Env = process.env, platform: Platform = process.platform): string {
  return flag ? path.resolve(flag) : cursorUserDir(env, platform);
}

/** `--cursor-cli-dir DIR`, else `~/.cursor` (cursor-agent's chats and agent transcripts). */
export function resolveCursorCliDir(flag: string | undefined, env: Env = process.env, platform: Platform = process.platform): string {
  if (flag) return path.resolve(flag);
  const join = platform === 'win32' ? path.win32.join : path.posix.join;
  return join(homeOf(env, platform), '.cursor');
}

/**
 * Where Antigravity keeps its profiles (shared/formats/antigravity.md §1). `--antigravity-dir DIR` replaces the
 * defaults; it may name one profile (it holds `brain/` or `conversations/`) or a directory of `antigravity*` profiles.
 * Defaults: `~/.gemini` (scanned for `antigravity`, `antigravity-cli`, `antigravity-ide` and any other
 * `antigravity*` profile) and `$AGY_APP_DATA_DIR` when set (a relocated `agy` profile; unverified against the binary).
 */
export function resolveAntigravityDirs(flag: string | undefined, env: Env = process.env, platform: Platform = process.platform): string[] {
  if (flag) return [path.resolve(flag)];
  const join = platform === 'win32' ? path.win32.join : path.posix.join;
  const dirs = [join(homeOf(env, platform), '.gemini')];
  const relocated = env.AGY_APP_DATA_DIR;
  if (relocated && (path.posix.isAbsolute(relocated) || path.win32.isAbsolute(relocated))) dirs.push(relocated);
  return dirs;
}

/**
 * The repository a directory belongs to: the nearest ancestor holding `.git` (a directory, or the file a worktree
 * has); the directory itself when none does. Stats only, no git process: it runs before the first frame.
 */
export function projectRootOf(dir: string): string {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, '.git'))) return d;
    if (d === path.dirname(d)) return path.resolve(dir);
  }
}
