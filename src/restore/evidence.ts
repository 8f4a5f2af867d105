/**
 * Evidence → effects: what each message of a session did to which file, in order. Pure.
 *
 * An effect shows from its tool-result on (the disk at the call is still the old one). Claude Code keeps its
 * structured edit result on the tool-result (`data`, see claude/parse.ts `editData`); every other assistant's
 * adapter puts `{edits: FileEdit[]}` on the tool-call, applied at the matching tool-result unless that is an error.
 * A Claude edit result also tells what the file held just before the edit (`originalFile`): that is kept as an
 * observation, which the planner uses to check and re-anchor its replay.
 */
import path from 'node:path';
import type { FileEdit, MessageKind } from '../model.js';
import { parseApplyPatch, type PatchChunk } from './edit/apply-patch.js';
import type { Replacement } from './edit/replace.js';
import { parseUnifiedDiff, type Hunk } from './edit/unified-diff.js';
import { isReadOnlyCommand, isShellTool, shellCommandOf } from './shell.js';

/** The message fields evidence is read from; `MessageRow` has them all. */
export interface EvidenceMessage {
  readonly seq: number;
  readonly sourceId: string;
  readonly timestamp: number | null;
  readonly kind: MessageKind;
  readonly toolName: string | null;
  readonly toolInput: string | null;
  readonly toolUseId: string | null;
  readonly isError: boolean;
  readonly data: string | null;
}

/** What one effect does to one file. Texts are UTF-8 text; `observe.text` null means the file did not exist. */
export type FileOp =
  /** The file's contents just before this message's edit, as the assistant recorded them. */
  | { readonly type: 'observe'; readonly text: string | null }
  | { readonly type: 'write'; readonly text: string }
  | { readonly type: 'delete' }
  /** Exact replacements in order; `patch` (when recorded) is the diff the assistant computed, preferred on disagreement. */
  | { readonly type: 'replace'; readonly replacements: readonly Replacement[]; readonly patch: readonly Hunk[] | null; readonly createIfAbsent: boolean }
  /** Unified-diff hunks; `creates`: the file may not exist before (applied to empty text). */
  | { readonly type: 'hunks'; readonly hunks: readonly Hunk[]; readonly creates: boolean }
  /** Codex Update File chunks, applied to this file (or, with `from`, to that file's contents: a move). */
  | { readonly type: 'codex-update'; readonly chunks: readonly PatchChunk[]; readonly from: string | null }
  /** The tool changed the file in a way that cannot be replayed. */
  | { readonly type: 'opaque'; readonly reason: string };

export interface Effect {
  readonly seq: number;
  /** Absolute path. */
  readonly path: string;
  readonly op: FileOp;
  /** Human label of the cause, e.g. `Edit at #12`. */
  readonly cause: string;
  readonly timestamp: number | null;
}

/** Something that may have changed any file (a shell command): every touched file is unknown from `seq` on. */
export interface Taint {
  readonly seq: number;
  readonly reason: string;
  readonly timestamp: number | null;
}

export interface SessionEvidence {
  /** In seq order; within one seq, in the order the tool made them. */
  readonly effects: Effect[];
  readonly taints: Taint[];
  /** Every absolute path an effect names, sorted. */
  readonly touched: string[];
  /** Messages whose evidence could not be read (bad JSON, unknown shapes), by reason. */
  readonly skipped: Record<string, number>;
}

export interface EvidenceOptions {
  /** The session's working directory: relative paths are resolved against it. */
  readonly cwd: string | null;
  /**
   * Time ranges covered by indexed sub-agent sessions. A sub-agent call (Task/Agent) whose run overlaps one of them
   * has its edits replayed from that session, so it does not make files unknown.
   */
  readonly subagentRuns?: readonly { readonly from: number; readonly to: number }[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseJson(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const CLAUDE_EDIT_TOOLS = new Set(['Edit', 'Write', 'MultiEdit']);
const SUBAGENT_TOOLS = new Set(['Task', 'Agent']);
const NOTEBOOK_TOOLS = new Set(['NotebookEdit']);

function structuredPatch(v: unknown): Hunk[] | null {
  if (!Array.isArray(v)) return null;
  const hunks: Hunk[] = [];
  for (const h of v) {
    if (!isObject(h) || !Array.isArray(h.lines) || !h.lines.every((l) => typeof l === 'string')) return null;
    const n = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : NaN);
    const hunk = { oldStart: n(h.oldStart), oldLines: n(h.oldLines), newStart: n(h.newStart), newLines: n(h.newLines), lines: h.lines as string[] };
    if ([hunk.oldStart, hunk.oldLines, hunk.newStart, hunk.newLines].some(Number.isNaN)) return null;
    hunks.push(hunk);
  }
  return hunks;
}

function replacementsOf(list: unknown, oldKey: string, newKey: string, allKey: string): Replacement[] | null {
  if (!Array.isArray(list)) return null;
  const out: Replacement[] = [];
  for (const e of list) {
    if (!isObject(e) || typeof e[oldKey] !== 'string' || typeof e[newKey] !== 'string') return null;
    out.push({ oldText: e[oldKey] as string, newText: e[newKey] as string, replaceAll: e[allKey] === true });
  }
  return out;
}

class Collector {
  readonly effects: Effect[] = [];
  readonly taints: Taint[] = [];
  readonly skipped: Record<string, number> = {};

  constructor(readonly cwd: string | null) {}

  resolve(p: string, cwd: string | null = this.cwd): string | null {
    if (path.isAbsolute(p)) return path.normalize(p);
    return cwd ? path.resolve(cwd, p) : null;
  }

  add(seq: number, rawPath: string, op: FileOp, cause: string, timestamp: number | null, cwd: string | null = null): void {
    const p = this.resolve(rawPath, cwd ?? this.cwd);
    if (p === null) return this.skip('relative-path-without-cwd');
    this.effects.push({ seq, path: p, op, cause, timestamp });
  }

  skip(reason: string): void {
    this.skipped[reason] = (this.skipped[reason] ?? 0) + 1;
  }
}

/** A Claude Edit/Write/MultiEdit result (`data` of the tool-result). Returns false when `data` is not one. */
function claudeResult(c: Collector, seq: number, data: Json, cause: string, ts: number | null): boolean {
  const filePath = data.filePath;
  if (typeof filePath !== 'string' || !filePath) return false;
  // An empty hunk list says nothing about the result (Write results carry one): only a real patch is evidence.
  const recorded = structuredPatch(data.structuredPatch);
  const patch = recorded && recorded.length > 0 ? recorded : null;
  const truncated = data.truncated === true;
  if (typeof data.oldString === 'string' && typeof data.newString === 'string') {
    if (typeof data.originalFile === 'string') c.add(seq, filePath, { type: 'observe', text: data.originalFile }, cause, ts);
    const replacements = [{ oldText: data.oldString, newText: data.newString, replaceAll: data.replaceAll === true }];
    c.add(seq, filePath, { type: 'replace', replacements, patch, createIfAbsent: false }, cause, ts);
    return true;
  }
  const multi = replacementsOf(data.edits, 'old_string', 'new_string', 'replace_all');
  if (multi) {
    if (typeof data.originalFileContents === 'string') c.add(seq, filePath, { type: 'observe', text: data.originalFileContents }, cause, ts);
    c.add(seq, filePath, { type: 'replace', replacements: multi, patch, createIfAbsent: false }, cause, ts);
    return true;
  }
  if (data.type === 'create' || data.type === 'update') {
    // A create means there was no file; an update's original (when kept) is the file before it.
    if (data.type === 'create') c.add(seq, filePath, { type: 'observe', text: null }, cause, ts);
    else if (typeof data.originalFile === 'string') c.add(seq, filePath, { type: 'observe', text: data.originalFile }, cause, ts);
    if (typeof data.content === 'string') c.add(seq, filePath, { type: 'write', text: data.content }, cause, ts);
    else if (patch) c.add(seq, filePath, { type: 'hunks', hunks: patch, creates: data.type === 'create' }, cause, ts);
    else c.add(seq, filePath, { type: 'opaque', reason: `${cause} wrote contents too large to keep in the index` }, cause, ts);
    return true;
  }
  if (patch) {
    c.add(seq, filePath, { type: 'hunks', hunks: patch, creates: false }, cause, ts);
    return true;
  }
  if (truncated) {
    c.add(seq, filePath, { type: 'opaque', reason: `${cause} recorded an edit too large to keep in the index` }, cause, ts);
    return true;
  }
  return false;
}

/** A Claude edit tool's input, for results that carry no structured data (older versions, several results per line). */
function claudeInput(c: Collector, seq: number, toolName: string, toolInput: string | null, cause: string, ts: number | null): void {
  const input = parseJson(toolInput);
  const filePath = isObject(input) ? input.file_path : undefined;
  if (!isObject(input) || typeof filePath !== 'string') {
    // Without the input we know a file changed but not which: any touched file may be the one.
    c.taints.push({ seq, reason: `${cause} changed a file whose name was not recorded`, timestamp: ts });
    return;
  }
  if (toolName === 'Write' && typeof input.content === 'string') {
    c.add(seq, filePath, { type: 'write', text: input.content }, cause, ts);
  } else if (toolName === 'Edit' && typeof input.old_string === 'string' && typeof input.new_string === 'string') {
    const replacements = [{ oldText: input.old_string, newText: input.new_string, replaceAll: input.replace_all === true }];
    c.add(seq, filePath, { type: 'replace', replacements, patch: null, createIfAbsent: false }, cause, ts);
  } else if (toolName === 'MultiEdit' && replacementsOf(input.edits, 'old_string', 'new_string', 'replace_all')) {
    const replacements = replacementsOf(input.edits, 'old_string', 'new_string', 'replace_all')!;
    c.add(seq, filePath, { type: 'replace', replacements, patch: null, createIfAbsent: false }, cause, ts);
  } else {
    c.add(seq, filePath, { type: 'opaque', reason: `${cause} was recorded without its contents` }, cause, ts);
  }
}

function fileEdits(c: Collector, seq: number, edits: readonly unknown[], cause: string, ts: number | null): void {
  for (const e of edits) {
    if (!isObject(e) || typeof e.op !== 'string') {
      c.skip('bad-file-edit');
      continue;
    }
    const edit = e as unknown as FileEdit;
    switch (edit.op) {
      case 'write':
        if (typeof edit.path === 'string' && typeof edit.content === 'string') c.add(seq, edit.path, { type: 'write', text: edit.content }, cause, ts);
        else c.skip('bad-file-edit');
        break;
      case 'replace':
        if (typeof edit.path !== 'string' || typeof edit.oldText !== 'string' || typeof edit.newText !== 'string') {
          c.skip('bad-file-edit');
          break;
        }
        c.add(seq, edit.path, {
          type: 'replace',
          replacements: [{ oldText: edit.oldText, newText: edit.newText, replaceAll: edit.replaceAll === true }],
          patch: null,
          // An empty old text creates a new file (Gemini's replace does this).
          createIfAbsent: edit.oldText === '',
        }, cause, ts);
        break;
      case 'delete':
        if (typeof edit.path === 'string') c.add(seq, edit.path, { type: 'delete' }, cause, ts);
        else c.skip('bad-file-edit');
        break;
      case 'unified-diff': {
        if (typeof edit.path !== 'string' || typeof edit.diff !== 'string') {
          c.skip('bad-file-edit');
          break;
        }
        const parsed = parseUnifiedDiff(edit.diff);
        if ('error' in parsed) c.add(seq, edit.path, { type: 'opaque', reason: `${cause}: ${parsed.error}` }, cause, ts);
        else if (parsed.deletes) c.add(seq, edit.path, { type: 'delete' }, cause, ts);
        else c.add(seq, edit.path, { type: 'hunks', hunks: parsed.hunks, creates: parsed.creates }, cause, ts);
        break;
      }
      case 'apply-patch': {
        if (typeof edit.patch !== 'string') {
          c.skip('bad-file-edit');
          break;
        }
        const cwd = typeof edit.cwd === 'string' ? edit.cwd : null;
        const ops = parseApplyPatch(edit.patch);
        if ('error' in ops) {
          // The tool succeeded, so it changed something; we cannot tell which file.
          c.taints.push({ seq, reason: `${cause} could not be read (${ops.error})`, timestamp: ts });
          break;
        }
        for (const op of ops) {
          if (op.type === 'add') c.add(seq, op.path, { type: 'write', text: op.contents }, cause, ts, cwd);
          else if (op.type === 'delete') c.add(seq, op.path, { type: 'delete' }, cause, ts, cwd);
          else if (op.moveTo === null) c.add(seq, op.path, { type: 'codex-update', chunks: op.chunks, from: null }, cause, ts, cwd);
          else {
            const from = c.resolve(op.path, cwd ?? c.cwd);
            if (from === null) {
              c.skip('relative-path-without-cwd');
              continue;
            }
            c.add(seq, op.moveTo, { type: 'codex-update', chunks: op.chunks, from }, cause, ts, cwd);
            c.add(seq, op.path, { type: 'delete' }, cause, ts, cwd);
          }
        }
        break;
      }
      default:
        c.skip('bad-file-edit');
    }
  }
}

/** The paths one FileEdit names (null: it names files we cannot tell). */
function editTargets(e: unknown): ({ path: string; cwd: string | null } | null)[] {
  if (!isObject(e)) return [null];
  if (typeof e.path === 'string') return [{ path: e.path, cwd: null }];
  if (e.op === 'apply-patch' && typeof e.patch === 'string') {
    const ops = parseApplyPatch(e.patch);
    if ('error' in ops) return [null];
    const cwd = typeof e.cwd === 'string' ? e.cwd : null;
    return ops.flatMap((op) => [{ path: op.path, cwd }, ...(op.type === 'update' && op.moveTo ? [{ path: op.moveTo, cwd }] : [])]);
  }
  return [null];
}

interface Call {
  readonly seq: number;
  readonly toolName: string | null;
  readonly toolInput: string | null;
  readonly data: string | null;
  readonly timestamp: number | null;
}

interface Result {
  readonly seq: number;
  readonly isError: boolean;
  readonly timestamp: number | null;
}

function describeCall(name: string | null, seq: number): string {
  return `${name ?? 'a tool call'} at #${seq}`;
}

/**
 * Reads a session's messages (in seq order) into effects and taints. An edit whose result has not arrived (yet)
 * makes its files unknown from the message after the call; an errored one changes nothing.
 */
export function extractEvidence(messages: Iterable<EvidenceMessage>, options: EvidenceOptions): SessionEvidence {
  const c = new Collector(options.cwd);
  const calls = new Map<string, Call>();
  const results = new Map<string, Result>();
  const claudeResults: { seq: number; data: Json; toolName: string | null; ts: number | null; toolUseId: string | null }[] = [];
  for (const m of messages) {
    if (m.kind === 'tool-call' && m.toolUseId) {
      calls.set(m.toolUseId, { seq: m.seq, toolName: m.toolName, toolInput: m.toolInput, data: m.data, timestamp: m.timestamp });
    } else if (m.kind === 'tool-result') {
      if (m.toolUseId) results.set(m.toolUseId, { seq: m.seq, isError: m.isError, timestamp: m.timestamp });
      if (!m.isError && m.data) {
        const data = parseJson(m.data);
        if (isObject(data) && typeof data.filePath === 'string') claudeResults.push({ seq: m.seq, data, toolName: m.toolName, ts: m.timestamp, toolUseId: m.toolUseId });
        else if (data === undefined) c.skip('unparseable-data');
      }
    }
  }

  const resultsWithData = new Set<string>();
  for (const r of claudeResults) {
    const cause = describeCall(r.toolName, r.seq);
    if (claudeResult(c, r.seq, r.data, cause, r.ts) && r.toolUseId) resultsWithData.add(r.toolUseId);
  }

  const runs = options.subagentRuns ?? [];
  for (const [id, call] of calls) {
    const result = results.get(id);
    const seq = result ? result.seq : call.seq + 1;
    const ts = result?.timestamp ?? call.timestamp;
    const cause = describeCall(call.toolName, result ? result.seq : call.seq);
    const callData = parseJson(call.data);
    if (isObject(callData) && Array.isArray(callData.edits)) {
      if (result?.isError) continue;
      if (!result) {
        // The edit may or may not have happened: the files it names are unknown from the next message on.
        for (const e of callData.edits) {
          for (const target of editTargets(e)) {
            if (target) c.add(seq, target.path, { type: 'opaque', reason: `${cause} has no recorded result` }, cause, ts, target.cwd);
            else c.taints.push({ seq, reason: `${cause} has no recorded result`, timestamp: ts });
          }
        }
        continue;
      }
      fileEdits(c, seq, callData.edits, cause, ts);
      continue;
    }
    if (call.toolName && CLAUDE_EDIT_TOOLS.has(call.toolName)) {
      if (result?.isError || resultsWithData.has(id)) continue;
      if (!result) {
        const input = parseJson(call.toolInput);
        const p = isObject(input) && typeof input.file_path === 'string' ? input.file_path : null;
        if (p) c.add(seq, p, { type: 'opaque', reason: `${cause} has no recorded result` }, cause, ts);
        continue;
      }
      claudeInput(c, seq, call.toolName, call.toolInput, cause, ts);
      continue;
    }
    if (call.toolName && NOTEBOOK_TOOLS.has(call.toolName)) {
      if (result?.isError) continue;
      const input = parseJson(call.toolInput);
      const p = isObject(input) && typeof input.notebook_path === 'string' ? input.notebook_path : null;
      if (p) c.add(seq, p, { type: 'opaque', reason: `${cause}: notebook edits are not replayed` }, cause, ts);
      continue;
    }
    if (isShellTool(call.toolName)) {
      const command = shellCommandOf(call.toolInput);
      if (command !== null && isReadOnlyCommand(command)) continue;
      const shown = command === null ? '' : ` (${command.replace(/\s+/g, ' ').trim().slice(0, 60)})`;
      c.taints.push({ seq, reason: `may have been changed by a shell command at #${result ? result.seq : call.seq}${shown}`, timestamp: ts });
      continue;
    }
    if (call.toolName && SUBAGENT_TOOLS.has(call.toolName)) {
      const from = call.timestamp;
      const to = result?.timestamp ?? null;
      const covered = from !== null && runs.some((r) => r.to >= from && (to === null || r.from <= to));
      if (!covered) c.taints.push({ seq, reason: `a sub-agent ran at #${call.seq} and its transcript is not indexed`, timestamp: ts });
    }
  }

  // Stable: effects of one seq keep the order the tool made them in (observation before its edit, move before delete).
  const order = new Map<Effect, number>();
  c.effects.forEach((e, i) => order.set(e, i));
  c.effects.sort((a, b) => a.seq - b.seq || order.get(a)! - order.get(b)!);
  c.taints.sort((a, b) => a.seq - b.seq);
  const touched = [...new Set(c.effects.map((e) => e.path))].sort();
  return { effects: c.effects, taints: c.taints, touched, skipped: c.skipped };
}

/**
 * Places a sub-agent session's effects on its parent's timeline: each shows from the first parent message written
 * at or after it. `parentTimes` are the parent's (seq, timestamp) pairs in seq order.
 */
export function mergeSubagentEvidence(
  parent: SessionEvidence,
  children: readonly SessionEvidence[],
  parentTimes: readonly { readonly seq: number; readonly timestamp: number | null }[],
): SessionEvidence {
  const times = parentTimes.filter((t) => t.timestamp !== null) as { seq: number; timestamp: number }[];
  const seqAt = (ts: number | null): number | null => {
    if (ts === null) return null;
    let lo = 0;
    let hi = times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (times[mid].timestamp < ts) lo = mid + 1;
      else hi = mid;
    }
    return lo < times.length ? times[lo].seq : null;
  };
  const effects = [...parent.effects];
  const taints = [...parent.taints];
  const skipped = { ...parent.skipped };
  for (const child of children) {
    for (const e of child.effects) {
      const seq = seqAt(e.timestamp);
      if (seq === null) skipped['subagent-effect-after-parent'] = (skipped['subagent-effect-after-parent'] ?? 0) + 1;
      else effects.push({ ...e, seq, cause: `sub-agent ${e.cause}` });
    }
    for (const t of child.taints) {
      const seq = seqAt(t.timestamp);
      if (seq !== null) taints.push({ ...t, seq, reason: `${t.reason} (in a sub-agent)` });
    }
  }
  const order = new Map<Effect, number>();
  effects.forEach((e, i) => order.set(e, i));
  effects.sort((a, b) => a.seq - b.seq || order.get(a)! - order.get(b)!);
  taints.sort((a, b) => a.seq - b.seq);
  return { effects, taints, touched: [...new Set(effects.map((e) => e.path))].sort(), skipped };
}
