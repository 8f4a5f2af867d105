/**
 * What `doctor` suggests when an assistant's sessions are missing or incomplete: one sentence per finding, naming the
 * folder and the setting to check. Pure: the facts come in, the sentences go out.
 */
import type { Agent } from '../model.js';

export const AGENT_NAMES: Readonly<Record<Agent, string>> = {
  claude: 'Claude Code',
  codex: 'Codex CLI',
  gemini: 'Gemini CLI',
  antigravity: 'Antigravity',
  cursor: 'Cursor',
};

export interface AgentFacts {
  readonly agent: Agent;
  /** The folders chosen for this assistant (flag, environment, default), with whether each exists. */
  readonly roots: readonly { readonly path: string; readonly exists: boolean }[];
  /** Source files found. */
  readonly files: number;
  /** Antigravity: profiles found under the roots. */
  readonly profiles?: number;
  readonly unreadable: number;
  readonly fileErrors: number;
  /** Sessions the dry pass read from the files found. */
  readonly sessionsFound: number;
  /** Sessions of this assistant in the user's index; null when there is no index. */
  readonly sessionsIndexed: number | null;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Why nothing was found, per assistant, as precisely as the folders allow. */
function nothingFound(f: AgentFacts, show: (p: string) => string, join: (...parts: string[]) => string): string | null {
  const [first, second] = f.roots;
  const root = first ? show(first.path) : '';
  switch (f.agent) {
    case 'claude':
      return first?.exists
        ? `Claude Code: no transcripts under ${join(root, 'projects')} — Claude Code writes one there per session; if you run it with $CLAUDE_CONFIG_DIR set, set it here too (or pass --claude-dir).`
        : `Claude Code: ${root} does not exist — if Claude Code keeps its files elsewhere, set $CLAUDE_CONFIG_DIR or pass --claude-dir.`;
    case 'codex':
      return `Codex CLI: no sessions under ${join(root, 'sessions')} — is CODEX_HOME set in the shell where you run codex? Set it here too, or pass --codex-dir.`;
    case 'gemini':
      return first?.exists
        ? `Gemini CLI: no chats under ${join(root, 'tmp')} — Gemini CLI records chats from version 0.4 on; if you run it with $GEMINI_CLI_HOME set, set it here too.`
        : `Gemini CLI: ${root} does not exist — if $GEMINI_CLI_HOME is set where you run gemini, set it here too, or pass --gemini-dir.`;
    case 'antigravity':
      if (!f.profiles) {
        return `Antigravity: no antigravity* profile under ${f.roots.map((r) => show(r.path)).join(' or ')} — pass --antigravity-dir with the profile folder (the one holding brain/ or conversations/).`;
      }
      return f.unreadable > 0 ? null : `Antigravity: no transcripts in the ${plural(f.profiles, 'profile')} found — agy, the app and the IDE write them under brain/<conversation>/.system_generated/logs/.`;
    case 'cursor':
      if (!first?.exists && !second?.exists) {
        return `Cursor: neither ${root} nor ${second ? show(second.path) : 'the cursor-agent folder'} exists — pass --cursor-dir with Cursor's User folder, or --cursor-cli-dir for cursor-agent.`;
      }
      return `Cursor: no chat database under ${join(root, 'globalStorage')} or ${join(root, 'workspaceStorage')}, and no cursor-agent chats${second ? ` under ${show(second.path)}` : ''}.`;
  }
}

function unreadableHint(f: AgentFacts): string | null {
  if (f.unreadable === 0) return null;
  if (f.agent === 'codex') {
    return `Codex CLI: ${plural(f.unreadable, 'compressed rollout')} (.jsonl.zst) cannot be read here (Node 20 has no zstd decoder); resuming a session in Codex writes it back as .jsonl.`;
  }
  if (f.agent === 'antigravity') {
    return `Antigravity: ${plural(f.unreadable, 'conversation file')} cannot be read (listed below with the reason); they are not guessed at. Conversations from agy 1.0.4 and Antigravity 2.x on have readable transcripts.`;
  }
  return `${AGENT_NAMES[f.agent]}: ${plural(f.unreadable, 'file')} present but unreadable (listed below).`;
}

/**
 * The hints for one assistant. `show` prints a path (e.g. with `~` for the home folder), `join` joins path parts
 * the way the platform does.
 */
export function agentHints(f: AgentFacts, show: (p: string) => string = (p) => p, join: (...parts: string[]) => string = (...p) => p.join('/')): string[] {
  const name = AGENT_NAMES[f.agent];
  const hints: string[] = [];
  if (f.files === 0) {
    const why = nothingFound(f, show, join);
    if (why) hints.push(why);
  } else if (f.sessionsFound === 0) {
    hints.push(`${name}: ${plural(f.files, 'file')} found, but no session could be read from them — see what was skipped and why.`);
  }
  const unreadable = unreadableHint(f);
  if (unreadable) hints.push(unreadable);
  if (f.fileErrors > 0) hints.push(`${name}: ${plural(f.fileErrors, 'file')} could not be read at all (listed below with the error).`);
  if (f.sessionsIndexed !== null) {
    if (f.sessionsFound > f.sessionsIndexed) {
      hints.push(`${name}: ${plural(f.sessionsFound - f.sessionsIndexed, 'session')} on disk ${f.sessionsFound - f.sessionsIndexed === 1 ? 'is' : 'are'} not in the index yet — run "mantra-tui index" (or open mantra-tui).`);
    } else if (f.sessionsIndexed > f.sessionsFound) {
      hints.push(`${name}: the index keeps ${plural(f.sessionsIndexed - f.sessionsFound, 'session')} whose files are not in these folders now (deleted, moved, or indexed from another folder).`);
    }
  }
  return hints;
}
