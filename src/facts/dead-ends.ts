/**
 * Dead ends: approaches tried and abandoned. The per-message signals live here as pure predicates; the extractor
 * (extract.ts) combines them with what came before (a failed command, an earlier edit, the prompt a rewind left).
 */
import { head, OUTPUT_WINDOW, proseSentences, type Sentence } from './text.js';

/** A user turn rejecting what was just done. Tried on the first two sentences of a prompt. */
const REJECTION: readonly RegExp[] = [
  // "no, that loops on 401" — but not "no, that's fine" / "no, that works".
  /^(?:no|nope|nah|stop)\b[,.!]*\s+(?:that|this|it|you)\b(?!(?:'s|\s+is|\s+was)?\s+(?:fine|good|great|perfect|ok|okay|right|correct|works|worked|what i|exactly|enough|all)\b)(?!\s+(?:works|worked|problem|worries)\b)/i,
  /^(?:that|this|it|your (?:fix|change|approach|solution|patch))\s+(?:still\s+)?(?:didn't|did not|doesn't|does not|won't|isn't|is not|wasn't|was not)\s+(?:work|working|help|fix|compile|build|pass|right|correct|what i)/i,
  /\b(?:still|keeps?)\s+(?:failing|fails|broken|crashing|crashes|erroring|errors|timing out|times out|looping|loops|hanging|hangs)\b/i,
  /^(?:please\s+)?(?:revert|undo|roll ?back|back out)\s+(?:that|this|it|those|these|everything|all|your|the (?:last |previous |recent )?(?:change|changes|edit|edits|commit|fix))\b/i,
  /\b(?:that|this|it)(?:'s|\s+is)\s+(?:wrong|broken|not (?:right|correct|working|what i (?:asked|wanted|meant)))\b/i,
  /\b(?:you|that|this|it) broke\b|\bwrong approach\b|\bnot what i (?:asked|wanted|meant)\b|\bthat's not it\b/i,
  /^(?:that|this|it)\s+(?:didn't|did not|doesn't|does not)\s+work\b/i,
  /^(?:don't|do not|stop)\s+(?:do(?:ing)?\s+)?(?:that|this)\b/i,
];

/** The assistant saying an approach failed or that it is changing course. */
const APPROACH_CHANGE: readonly RegExp[] = [
  /\b(?:try|trying|take|use|using|attempt)\s+(?:a\s+|an\s+)?(?:different|another|alternative|new|simpler|other)\s+(?:approach|way|strategy|tack|method|solution|route)\b/i,
  /\b(?:that|this|the|my)\s+(?:[\w-]+\s+)?(?:approach|attempt|fix|idea|change|solution|workaround)\s+(?:didn't|did not|doesn't|does not|won't|will not|isn't|is not|wasn't)\s+(?:work|working|help|going to work|fix)/i,
  /^(?:that|this|it)\s+(?:still\s+)?(?:didn't|did not|doesn't|does not)\s+work\b/i,
  /\b(?:let me|i'll|i will|let's)\s+(?:revert|undo|roll back|back out)\b/i,
  /^(?:reverting|rolling back|backing out|undoing)\s+(?:the|my|that|this|those|these)\b/i,
  /\bgive up on\b|\babandon(?:ing)?\s+(?:this|that|the)\s+(?:approach|idea|attempt)\b/i,
];

/** "Instead, let me…": a change of course only right after a failure. */
const INSTEAD = /^instead[,.]?\s+(?:let me|i'll|i will|let's|we'll)\b/i;

const HEDGE = /\b(?:if|whether|unless|in case|could|might|would)\b/i;

/** Cheap gates: the words every pattern of a family needs. */
const MAY_REJECT = /\b(?:no|nope|nah|stop|not|n't|still|keeps?|revert|undo|roll ?back|back out|wrong|broke|broken)\b|n't\b/i;
const MAY_CHANGE = /\b(?:different|another|alternative|simpler|other|revert|undo|roll back|back out|reverting|rolling|backing|undoing|give up|abandon|instead)\b|n't\b|\bnot\b/i;

/** The first sentence matching a pattern (no hedge before it), with the next one when it is short. */
function firstMatch(sentences: readonly Sentence[], gate: RegExp, patterns: readonly RegExp[], maxSentences: number, extra?: RegExp): string | null {
  const n = Math.min(maxSentences, sentences.length);
  for (let i = 0; i < n; i++) {
    const { original, masked } = sentences[i];
    if (/\?\s*$/.test(masked) || !gate.test(masked)) continue;
    for (const re of extra ? [...patterns, extra] : patterns) {
      const m = re.exec(masked);
      if (m && !HEDGE.test(masked.slice(0, m.index))) {
        // "That didn't work." says little alone; the next sentence usually names the approach.
        const next = sentences[i + 1];
        return original.length < 60 && next ? `${original} ${next.original}` : original;
      }
    }
  }
  return null;
}

/** The sentence of a user prompt that rejects what was done, or null. */
export function rejectionIn(prompt: string, sentences: readonly Sentence[] = proseSentences(prompt)): string | null {
  return firstMatch(sentences, MAY_REJECT, REJECTION, 2);
}

/** The sentence of an assistant reply or thought that abandons an approach, or null. */
export function approachChangeIn(text: string, afterFailure: boolean, sentences: readonly Sentence[] = proseSentences(text)): string | null {
  return firstMatch(sentences, MAY_CHANGE, APPROACH_CHANGE, 12, afterFailure ? INSTEAD : undefined);
}

/** `[Request interrupted by user]`, `[Request interrupted by user for tool use]` (Claude Code). */
export function isInterruption(prompt: string): boolean {
  return /^\s*\[Request interrupted by user/.test(prompt);
}

/** A rewind/restore/undo slash command in a prompt (`/rewind`, Claude's `<command-name>/rewind</command-name>`). */
export function rewindCommandIn(prompt: string): string | null {
  const h = prompt.slice(0, 300);
  const m = /<command-name>\s*\/?(rewind|restore|undo|checkpoint restore)\b/i.exec(h) ?? /^\s*\/(rewind|restore|undo)\b/i.exec(h);
  return m ? `/${m[1].toLowerCase()}` : null;
}

/** Message subtypes adapters use for rewind-like events (Gemini `$rewindTo`, Codex `undo_completed`, …). */
const REWIND_SUBTYPES = new Set(['rewind', 'restore', 'undo', 'undo_completed', 'revert', 'rewound', 'checkpoint_restore']);
export function isRewindSubtype(subtype: string | null): boolean {
  return subtype !== null && REWIND_SUBTYPES.has(subtype.toLowerCase());
}

/** Tools that run shell commands, across assistants. */
const SHELL_TOOLS = /^(?:bash|shell|sh|run_shell_command|exec_command|local_shell|local_shell_call|shell_command|terminal|run_terminal_cmd|run_terminal_command|execute_command|run_command|powershell|container\.exec)$/i;
export function isShellTool(name: string | null): boolean {
  return name !== null && SHELL_TOOLS.test(name);
}

const FAILURE_OUTPUT =
  /^(?:FAIL\b|npm ERR!|error(?:\[E\d+\])?:|Traceback \(most recent call last\)|fatal:|panic:|Error: Exit code [1-9])|\bTests?:\s+\d+ failed|\berror TS\d{3,5}\b|^\S+:\d+:\d+: (?:fatal )?error\b|\b\d+ (?:failed|failing)\b|\bCommand failed\b|\bexit (?:code|status):? [1-9]/im;

/** Whether a shell tool's result is a failure: flagged as an error, or output that says so. */
export function isFailedRun(isError: boolean, output: string): boolean {
  return isError || FAILURE_OUTPUT.test(head(output, OUTPUT_WINDOW));
}

/** Shell commands that throw work away: `git checkout -- f`, `git restore f`, `git reset --hard`, `git revert`, `git stash`. */
const GIT_DISCARD: readonly RegExp[] = [
  /\bgit\s+checkout\b[^;&|\n]*\s--\s+\S/,
  /\bgit\s+checkout\s+\.(?:\s|$)/,
  /\bgit\s+restore\s+(?![^;&|\n]*--staged\b)\S/,
  /\bgit\s+reset\s+--hard\b/,
  /\bgit\s+revert\s+(?!--(?:abort|continue|quit|skip)\b)\S/,
  /\bgit\s+stash(?:\s+push)?(?:\s+-[\w-]+)*\s*(?:$|[;&|\n])/,
];

/** The discarding git command in a shell command line, or null. */
export function gitDiscardIn(command: string): string | null {
  const c = command.slice(0, 2000);
  for (const re of GIT_DISCARD) {
    const m = re.exec(c);
    if (m) return c.slice(m.index).split(/\s*(?:&&|;|\|\||\n)\s*/)[0].trim();
  }
  return null;
}

/** The command a shell tool call runs, from its JSON input (`command` as a string or argv), else its text. */
export function shellCommandOf(toolInput: string | null, text: string): string {
  if (toolInput && toolInput.length < 100_000) {
    try {
      const input = JSON.parse(toolInput) as Record<string, unknown>;
      const c = input.command ?? input.cmd;
      if (typeof c === 'string') return c;
      if (Array.isArray(c) && c.every((x) => typeof x === 'string')) {
        // Codex argv: ["bash", "-lc", "npm test"] runs its last element.
        return c.length >= 3 && /^(?:ba|z)?sh$/.test(String(c[0]).replace(/^.*\//, '')) ? String(c[c.length - 1]) : c.join(' ');
      }
    } catch {
      // not JSON: fall back to the display text
    }
  }
  return text.replace(/^Bash:\s*/, '');
}
