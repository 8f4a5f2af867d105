/**
 * The fact extractor: a pure fold over a session's messages in seq order.
 *
 * It is incremental by construction. Everything it must remember between messages (the failed command waiting for
 * a change of approach, recent edits that a later edit could revert, the user's "use X" waiting for the assistant
 * to go along, file counts, the status candidate of the current stretch) lives in a small, bounded, JSON-friendly
 * state. Feeding messages 1..n at once or in any number of slices, passing the state along, gives the same facts:
 * the writer stores the state per session and only ever feeds new messages.
 *
 * Facts come out in two sets:
 * - `facts` are final (decisions, dead ends, the status in force when a compaction happened);
 * - `provisional` are recomputed with every slice (the status of the still-open stretch and the key files).
 */
import { isCompaction } from '../model.js';
import { decisionsAmong, isRefusal, userInstruction } from './decisions.js';
import {
  approachChangeIn,
  gitDiscardIn,
  isFailedRun,
  isInterruption,
  isRewindSubtype,
  isShellTool,
  rejectionIn,
  rewindCommandIn,
  shellCommandOf,
} from './dead-ends.js';
import { editedPathsOf, isEditTool, isReadTool, replacementsOf } from './edits.js';
import { displayPath, keyFileText, mentionedPaths, pruneCounts, rankKeyFiles, type FileCounts } from './key-files.js';
import { statusIn } from './status.js';
import { clip, hash53, head, oneLine, proseSentences, TEXT_WINDOW } from './text.js';
import type { ExtractContext, Fact, FactKind, FactMessage } from './types.js';

/** Bump when extraction changes: every session is re-extracted at the next index pass (and on its next append). */
export const EXTRACTOR_VERSION = 1;

/** Messages after a failed command during which "let me try a different approach" is tied to it. */
const FAILURE_WINDOW = 15;
const MAX_PENDING_CALLS = 64;
const MAX_EDITED_FILES = 200;
const EDITS_PER_FILE = 8;
const MAX_PROMPT_PARENTS = 400;
const RECENT_FACTS = 64;

interface PendingCall {
  seq: number;
  shell: boolean;
  command: string;
  /** [path, hash(oldText), hash(newText), oldText head, newText head] per replacement, applied when the call succeeds. */
  replacements: [string, string, string, string, string][];
}

interface Context {
  seq: number;
  text: string;
}

/** Serializable extractor state (stored as JSON per session). Ordered maps are arrays of pairs. */
export interface ExtractorState {
  readonly version: number;
  readonly lastSeq: number;
  readonly calls: readonly [string, PendingCall][];
  readonly edits: readonly [string, [number, string, string][]][];
  readonly failure: { seq: number; command: string; age: number } | null;
  readonly instruction: Context | null;
  readonly lastReply: Context | null;
  readonly lastCall: Context | null;
  readonly lastPromptSeq: number;
  readonly promptParents: readonly [string, Context][];
  readonly openStatus: Fact | null;
  readonly files: readonly [string, FileCounts][];
  readonly recent: readonly string[];
}

export function initialState(): ExtractorState {
  return {
    version: EXTRACTOR_VERSION,
    lastSeq: 0,
    calls: [],
    edits: [],
    failure: null,
    instruction: null,
    lastReply: null,
    lastCall: null,
    lastPromptSeq: 0,
    promptParents: [],
    openStatus: null,
    files: [],
    recent: [],
  };
}

export interface ExtractResult {
  readonly facts: Fact[];
  readonly provisional: Fact[];
  readonly state: ExtractorState;
}

/** Moves `key` to the end of an insertion-ordered map (least recently used first) and trims it to `max`. */
function touch<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > max) map.delete(map.keys().next().value as K);
}

class Fold {
  readonly facts: Fact[] = [];
  lastSeq: number;
  calls: Map<string, PendingCall>;
  edits: Map<string, [number, string, string][]>;
  failure: { seq: number; command: string; age: number } | null;
  instruction: Context | null;
  lastReply: Context | null;
  lastCall: Context | null;
  lastPromptSeq: number;
  promptParents: Map<string, Context>;
  openStatus: Fact | null;
  files: Map<string, FileCounts>;
  recent: string[];

  constructor(
    s: ExtractorState,
    private readonly project: string | null,
    private readonly ownSidechain: boolean,
  ) {
    this.lastSeq = s.lastSeq;
    this.calls = new Map(s.calls.map(([k, v]) => [k, { ...v, replacements: v.replacements.map((r) => [...r] as PendingCall['replacements'][number]) }]));
    this.edits = new Map(s.edits.map(([k, v]) => [k, v.map((e) => [...e] as [number, string, string])]));
    this.failure = s.failure && { ...s.failure };
    this.instruction = s.instruction;
    this.lastReply = s.lastReply;
    this.lastCall = s.lastCall;
    this.lastPromptSeq = s.lastPromptSeq;
    this.promptParents = new Map(s.promptParents);
    this.openStatus = s.openStatus;
    this.files = new Map(s.files.map(([k, v]) => [k, { ...v }]));
    this.recent = [...s.recent];
  }

  state(): ExtractorState {
    return {
      version: EXTRACTOR_VERSION,
      lastSeq: this.lastSeq,
      calls: [...this.calls.entries()],
      edits: [...this.edits.entries()],
      failure: this.failure,
      instruction: this.instruction,
      lastReply: this.lastReply,
      lastCall: this.lastCall,
      lastPromptSeq: this.lastPromptSeq,
      promptParents: [...this.promptParents.entries()],
      openStatus: this.openStatus,
      files: [...this.files.entries()],
      recent: this.recent,
    };
  }

  private emit(kind: FactKind, seq: number, text: string, detail: string | null = null): void {
    const line = oneLine(text);
    if (!line) return;
    // The same fact restated (a decision repeated in a later summary) is kept once.
    const key = hash53(`${kind}\u0000${line.toLowerCase()}`);
    if (this.recent.includes(key)) return;
    this.recent.push(key);
    if (this.recent.length > RECENT_FACTS) this.recent.shift();
    this.facts.push({ kind, seq, text: line, detail: detail === null ? null : clip(detail) });
  }

  /** What was going on most recently: the assistant's latest reply or tool call (for interruptions and rewinds). */
  private context(): Context | null {
    if (this.lastReply && (!this.lastCall || this.lastReply.seq > this.lastCall.seq)) return this.lastReply;
    return this.lastCall;
  }

  /**
   * What the user was reacting to: the assistant's account of its last turn (a reply since the previous prompt)
   * says what was done better than the tool call that happened to come last.
   */
  private turnContext(): Context | null {
    if (this.lastReply && this.lastReply.seq > this.lastPromptSeq) return this.lastReply;
    if (this.lastCall && this.lastCall.seq > this.lastPromptSeq) return this.lastCall;
    return this.context();
  }

  private count(path: string, field: 'edits' | 'reads' | 'mentions', seq: number): void {
    const key = displayPath(path, this.project);
    const c = this.files.get(key) ?? { edits: 0, reads: 0, mentions: 0, lastSeq: seq };
    c[field]++;
    c.lastSeq = seq;
    this.files.set(key, c);
    pruneCounts(this.files);
  }

  private acknowledge(m: FactMessage): void {
    const pending = this.instruction;
    if (!pending) return;
    this.instruction = null;
    if (m.kind === 'reply' && isRefusal(m.text)) return;
    this.emit('decision', pending.seq, pending.text, `Asked by the user at #${pending.seq}; the assistant went along at #${m.seq}.`);
  }

  push(message: FactMessage): void {
    // Only the head of a message is ever read, whichever path it came by (fresh from a parser or back from the index).
    const m = message.text.length > TEXT_WINDOW ? { ...message, text: head(message.text) } : message;
    this.lastSeq = m.seq;
    if (this.failure && ++this.failure.age > FAILURE_WINDOW) this.failure = null;
    // Sub-agent messages inline in a main transcript belong to the sub-agent's own work.
    if (m.isSidechain && !this.ownSidechain) return;
    if (isCompaction(m) && m.subtype !== 'microcompact_boundary') return this.compaction();
    switch (m.kind) {
      case 'prompt':
        if (m.role === 'user') this.prompt(m);
        return;
      case 'reply':
        if (m.role === 'assistant') this.reply(m);
        return;
      case 'thinking':
        if (this.failure) {
          const change = approachChangeIn(m.text, true);
          if (change) this.emit('dead-end', m.seq, `${change} (after \`${oneLine(this.failure.command, 80)}\` failed)`, null);
        }
        return;
      case 'tool-call':
        return this.toolCall(m);
      case 'tool-result':
        return this.toolResult(m);
      case 'system':
        if (isRewindSubtype(m.subtype)) {
          const ctx = this.context();
          this.emit('dead-end', m.seq, `Rewound (${m.subtype})${ctx ? `, abandoning: ${ctx.text}` : ''}`, m.text || null);
        }
        return;
    }
  }

  /** A compaction closes a stretch: its last status becomes final. It is not a dead end. */
  private compaction(): void {
    if (this.openStatus) {
      const s = this.openStatus;
      this.openStatus = null;
      this.emit('status', s.seq, s.text, s.detail);
    }
  }

  private prompt(m: FactMessage): void {
    // A new prompt ends the window in which the assistant could go along with the previous instruction.
    this.instruction = null;
    if (isInterruption(m.text)) {
      const ctx = this.context();
      this.emit('dead-end', m.seq, `Interrupted by the user${ctx ? ` during: ${ctx.text}` : ''}`, ctx ? `at #${ctx.seq}` : null);
      return;
    }
    const rewind = rewindCommandIn(m.text);
    if (rewind) {
      const ctx = this.context();
      this.emit('dead-end', m.seq, `Rewound with ${rewind}${ctx ? `, abandoning: ${ctx.text}` : ''}`, null);
      return;
    }
    const title = oneLine(m.text, 120);
    if (m.parentId) {
      // Claude Code: rewinding or editing a prompt starts a second branch from the same parent message.
      const earlier = this.promptParents.get(m.parentId);
      if (earlier && earlier.seq !== m.seq) {
        this.emit('dead-end', m.seq, `Rewound to an earlier point, abandoning: ${earlier.text}`, `The abandoned branch started at #${earlier.seq}.`);
      }
      touch(this.promptParents, m.parentId, { seq: m.seq, text: title }, MAX_PROMPT_PARENTS);
    }
    const sentences = proseSentences(m.text);
    const rejection = rejectionIn(m.text, sentences);
    if (rejection) {
      const ctx = this.turnContext();
      this.emit('dead-end', m.seq, `"${oneLine(rejection, 100)}"${ctx ? ` — after: ${ctx.text}` : ''}`, ctx ? `Rejected by the user; what was rejected is at #${ctx.seq}.` : null);
    }
    // An instruction ("use X, not Y") becomes a decision only once the assistant goes along with it.
    const instruction = userInstruction(m.text, sentences);
    if (instruction) this.instruction = { seq: m.seq, text: instruction };
    for (const d of decisionsAmong(sentences)) if (d !== instruction) this.emit('decision', m.seq, d, 'Stated by the user.');
    for (const p of mentionedPaths(head(m.text, 4096))) this.count(p, 'mentions', m.seq);
    this.lastPromptSeq = m.seq;
  }

  private reply(m: FactMessage): void {
    this.acknowledge(m);
    const sentences = proseSentences(m.text);
    for (const d of decisionsAmong(sentences)) this.emit('decision', m.seq, d);
    const change = approachChangeIn(m.text, this.failure !== null, sentences);
    if (change) {
      // Name the approach given up: the assistant's previous account of what it was doing, when recent.
      const was = this.lastReply && m.seq - this.lastReply.seq <= FAILURE_WINDOW * 2 ? this.lastReply : null;
      const after = this.failure ? ` (after \`${oneLine(this.failure.command, 80)}\` failed)` : '';
      const detail = [was ? `Abandoned approach at #${was.seq}.` : '', this.failure ? `The failed run is at #${this.failure.seq}.` : ''].filter(Boolean).join(' ');
      this.emit('dead-end', m.seq, `${oneLine(change, 100)}${after}${was ? ` — abandoning: ${was.text}` : ''}`, detail || null);
      this.failure = null;
    }
    const status = statusIn(m.text);
    if (status) this.openStatus = { kind: 'status', seq: m.seq, text: status.text, detail: status.detail };
    const first = sentences.slice(0, 2).map((s) => s.original).join(' ');
    if (first) this.lastReply = { seq: m.seq, text: oneLine(first, 120) };
    for (const p of mentionedPaths(head(m.text, 4096))) this.count(p, 'mentions', m.seq);
  }

  private toolCall(m: FactMessage): void {
    this.acknowledge(m);
    this.lastCall = { seq: m.seq, text: oneLine(m.text, 120) };
    const shell = isShellTool(m.toolName);
    const command = shell ? shellCommandOf(m.toolInput, m.text) : '';
    if (shell) {
      const discard = gitDiscardIn(command);
      if (discard) {
        const ctx = this.lastReply;
        this.emit('dead-end', m.seq, `Discarded changes: ${discard}`, ctx ? `Last reply before it (#${ctx.seq}): ${ctx.text}` : null);
      }
    }
    const replacements = replacementsOf(m.toolName, m.toolInput, m.data).map(
      (r) => [r.path, hash53(r.oldText), hash53(r.newText), oneLine(r.oldText, 60), oneLine(r.newText, 60)] as PendingCall['replacements'][number],
    );
    const call: PendingCall = { seq: m.seq, shell, command, replacements };
    // Without an id the result cannot be matched: the call is taken to have succeeded.
    if (m.toolUseId) touch(this.calls, m.toolUseId, call, MAX_PENDING_CALLS);
    else this.applyEdits(call);
    const edited = m.data ? editedPathsOf(m.data) : [];
    const isEdit = edited.length > 0 || isEditTool(m.toolName);
    const paths = new Set([...m.files, ...edited]);
    for (const p of paths) this.count(p, isEdit ? 'edits' : isReadTool(m.toolName) ? 'reads' : 'mentions', m.seq);
  }

  private toolResult(m: FactMessage): void {
    const call = m.toolUseId ? this.calls.get(m.toolUseId) : undefined;
    if (call && m.toolUseId) this.calls.delete(m.toolUseId);
    if (call?.shell || (!call && isShellTool(m.toolName))) {
      const command = call?.command ?? '';
      if (isFailedRun(m.isError, m.text)) this.failure = { seq: call?.seq ?? m.seq, command: command || oneLine(m.text, 80), age: 0 };
      else if (this.failure && command && command === this.failure.command) this.failure = null; // fixed, not abandoned
    }
    if (call && !m.isError) this.applyEdits(call);
  }

  /** Records a successful call's replacements; one that undoes an earlier replacement on the same file is a dead end. */
  private applyEdits(call: PendingCall): void {
    for (const [path, oldH, newH, oldHead, newHead] of call.replacements) {
      if (oldH === newH) continue;
      const history = this.edits.get(path) ?? [];
      const undone = history.findIndex(([, o, n]) => n === oldH && o === newH);
      if (undone >= 0) {
        const [earlierSeq] = history[undone];
        history.splice(undone, 1);
        this.emit(
          'dead-end',
          call.seq,
          `Reverted the edit to ${displayPath(path, this.project)} made at #${earlierSeq}`,
          `#${earlierSeq} changed "${newHead}" to "${oldHead}"; #${call.seq} changed it back.`,
        );
      } else {
        history.push([call.seq, oldH, newH]);
        if (history.length > EDITS_PER_FILE) history.shift();
      }
      touch(this.edits, path, history, MAX_EDITED_FILES);
    }
  }

  provisional(): Fact[] {
    const out: Fact[] = [];
    if (this.openStatus) out.push(this.openStatus);
    for (const { path, counts } of rankKeyFiles(this.files)) {
      const full = path.startsWith('/') || !this.project ? path : `${this.project.replace(/\/+$/, '')}/${path}`;
      out.push({ kind: 'key-file', seq: counts.lastSeq, text: keyFileText(path, counts), detail: full });
    }
    return out;
  }
}

/**
 * Extracts facts from `messages` (in seq order, continuing after `state.lastSeq`). Pure: `state` is not modified;
 * the returned state continues the fold.
 */
export function extractFacts(messages: Iterable<FactMessage>, state: ExtractorState = initialState(), context: ExtractContext = {}): ExtractResult {
  const fold = new Fold(state, context.project ?? null, context.ownSidechain ?? false);
  for (const m of messages) fold.push(m);
  return { facts: fold.facts, provisional: fold.provisional(), state: fold.state() };
}

/** All facts of a complete session: final ones in order, then the open status and the key files. */
export function extractAll(messages: Iterable<FactMessage>, context: ExtractContext = {}): Fact[] {
  const r = extractFacts(messages, initialState(), context);
  return [...r.facts, ...r.provisional];
}
