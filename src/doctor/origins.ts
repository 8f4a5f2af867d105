/**
 * Where each assistant's files are looked for, and why there: the flag, the environment variable or the default that
 * chose each folder. The folders are the ones `resolveRoots` gives the other commands (same functions of paths.ts);
 * this adds the reason, which is the first thing to check when a session is missing. Pure.
 */
import type { SourceRoots } from '../ingest/sources.js';
import type { Agent } from '../model.js';
import {
  resolveAntigravityDirs,
  resolveClaudeDir,
  resolveCodexDir,
  resolveCursorCliDir,
  resolveCursorDir,
  resolveGeminiDir,
  type Env,
  type Platform,
} from '../paths.js';

/** The `--<agent>-dir` flags as parsed (CliOptions has these fields). */
export interface RootFlags {
  readonly claudeDir?: string;
  readonly codexDir?: string;
  readonly geminiDir?: string;
  readonly cursorDir?: string;
  readonly cursorCliDir?: string;
  readonly antigravityDir?: string;
}

export interface ChosenRoot {
  readonly path: string;
  /** `from --codex-dir`, `from $CODEX_HOME`, `default (~/.codex; $CODEX_HOME is not set)`, … */
  readonly why: string;
}

export interface ChosenRoots {
  readonly roots: SourceRoots;
  readonly chosen: Readonly<Record<Agent, readonly ChosenRoot[]>>;
}

function byFlagEnvOrDefault(flag: string | undefined, flagName: string, envValue: string | undefined, envName: string, fallback: string): string {
  if (flag) return `from ${flagName}`;
  if (envValue) return `from ${envName}`;
  return `default (${fallback}; ${envName} is not set)`;
}

function cursorDefault(env: Env, platform: Platform): string {
  if (platform === 'win32') return env.APPDATA ? '%APPDATA%\\Cursor\\User' : '%USERPROFILE%\\AppData\\Roaming\\Cursor\\User';
  if (platform === 'darwin') return '~/Library/Application Support/Cursor/User';
  const xdg = env.XDG_CONFIG_HOME;
  return xdg && xdg.startsWith('/') ? '$XDG_CONFIG_HOME/Cursor/User' : '~/.config/Cursor/User';
}

export function chooseRoots(flags: RootFlags, env: Env, platform: Platform): ChosenRoots {
  const claudeDir = resolveClaudeDir(flags.claudeDir, env);
  const codexDir = resolveCodexDir(flags.codexDir, env);
  const geminiDir = resolveGeminiDir(flags.geminiDir, env);
  const cursorDir = resolveCursorDir(flags.cursorDir, env, platform);
  const cursorCliDir = resolveCursorCliDir(flags.cursorCliDir, env, platform);
  const antigravityDirs = resolveAntigravityDirs(flags.antigravityDir, env, platform);
  const antigravity: ChosenRoot[] = flags.antigravityDir
    ? [{ path: antigravityDirs[0], why: 'from --antigravity-dir' }]
    : antigravityDirs.map((p, i) => ({ path: p, why: i === 0 ? 'default (~/.gemini)' : 'from $AGY_APP_DATA_DIR' }));
  return {
    roots: { claudeDir, codexDir, geminiDir, cursorDir, cursorCliDir, antigravityDirs },
    chosen: {
      claude: [{ path: claudeDir, why: byFlagEnvOrDefault(flags.claudeDir, '--claude-dir', env.CLAUDE_CONFIG_DIR, '$CLAUDE_CONFIG_DIR', '~/.claude') }],
      codex: [{ path: codexDir, why: byFlagEnvOrDefault(flags.codexDir, '--codex-dir', env.CODEX_HOME, '$CODEX_HOME', '~/.codex') }],
      gemini: [
        {
          path: geminiDir,
          why: flags.geminiDir || !env.GEMINI_CLI_HOME ? byFlagEnvOrDefault(flags.geminiDir, '--gemini-dir', undefined, '$GEMINI_CLI_HOME', '~/.gemini') : 'from $GEMINI_CLI_HOME (its .gemini folder)',
        },
      ],
      antigravity,
      cursor: [
        { path: cursorDir, why: flags.cursorDir ? 'from --cursor-dir' : `default (${cursorDefault(env, platform)})` },
        { path: cursorCliDir, why: flags.cursorCliDir ? 'from --cursor-cli-dir' : 'default (~/.cursor, cursor-agent)' },
      ],
    },
  };
}
