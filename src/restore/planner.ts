/**
 * The state of every file a session touched, at every message, from the best evidence. Pure.
 *
 * - exact: a snapshot says so (Claude file-history backup, Gemini checkpoint commit, mantra-tui's own snapshot),
 *   at the message the snapshot belongs to;
 * - reconstructed: the base (git, at the session's start) or the last snapshot, plus the session's own edits
 *   replayed in order; a recorded pre-edit copy (Claude's `originalFile`) re-anchors the replay;
 * - unknown: with the reason — no base, an edit that did not apply, a shell command, a change outside the session.
 *
 * The replay runs once per session and keeps, per file, the list of segments where its state changes; a message's
 * state is a binary search per file. Contents live once in a ContentStore, by blob id.
 */
import { ContentStore } from './content.js';
import { applyPatchChunks } from './edit/apply-patch.js';
import { replaceAllInOrder } from './edit/replace.js';
import type { EditResult } from './edit/result.js';
import { applyHunks } from './edit/unified-diff.js';
import type { Effect, FileOp, SessionEvidence } from './evidence.js';

export type Label = 'exact' | 'reconstructed' | 'unknown';

/** A known state: bytes (by blob id) or no file. */
export type Known = { readonly kind: 'present'; readonly blob: string } | { readonly kind: 'absent' };
export type BaseState = Known | { readonly kind: 'unknown'; readonly reason: string };

/** Exact states of some files at one message, from a snapshot. Contents must already be in the store. */
export interface Anchor {
  readonly seq: number;
  /** Where the snapshot came from, e.g. `Claude file-history`. */
  readonly source: string;
  readonly files: ReadonlyMap<string, Known>;
}

export interface PlannerInput {
  /** The session's last message; states exist for seq 1..lastSeq. */
  readonly lastSeq: number;
  readonly evidence: SessionEvidence;
  readonly anchors: readonly Anchor[];
  /** State of each path before the session; a path without an entry is unknown ("no base commit"). */
  readonly base: ReadonlyMap<string, BaseState>;
  readonly store: ContentStore;
  /** Reason used for paths without a base entry. */
  readonly noBaseReason?: string;
}

/** One file at one message. */
export interface FileStateAt {
  readonly path: string;
  readonly label: Label;
  /** True when the file did not exist at that moment (label is then exact or reconstructed). */
  readonly absent: boolean;
  /** Git blob id of the contents; null when absent or unknown. */
  readonly blob: string | null;
  /** The bytes; null when absent or unknown. */
  readonly contents: Buffer | null;
  /** Why the state is unknown, or what a reconstruction rests on when that is worth saying. */
  readonly reason?: string;
}

/** Where a recorded pre-edit copy disagreed with the replay: the file was changed outside the session. */
export interface Conflict {
  readonly path: string;
  /** The state was last set at this message… */
  readonly from: number;
  /** …and the recorded copy at this message shows other contents. */
  readonly to: number;
}

interface State {
  readonly kind: 'present' | 'absent' | 'unknown';
  readonly blob: string | null;
  readonly label: Label;
  readonly reason?: string;
  /** `base` until the first event touches the file: a recorded copy then overrides the base instead of conflicting. */
  readonly origin: 'base' | 'event';
}

interface Segment {
  readonly from: number;
  state: State;
}

export interface SessionPlan {
  readonly paths: readonly string[];
  readonly lastSeq: number;
  readonly store: ContentStore;
  readonly conflicts: readonly Conflict[];
  /** Every touched file's state at message `seq` (sorted by path). */
  stateAt(seq: number): FileStateAt[];
  fileAt(path: string, seq: number): FileStateAt;
  /** Paths whose state at `seq` differs from the one at `seq - 1`. */
  changedAt(seq: number): string[];
}

const sameState = (a: State, b: State) => a.kind === b.kind && a.blob === b.blob && a.label === b.label && a.reason === b.reason;
const sameContents = (a: State, b: State) => a.kind === b.kind && a.blob === b.blob;

class Replay {
  readonly segments = new Map<string, Segment[]>();
  readonly conflicts: Conflict[] = [];

  constructor(
    readonly store: ContentStore,
    paths: readonly string[],
    base: ReadonlyMap<string, BaseState>,
    noBaseReason: string,
  ) {
    for (const p of paths) {
      const b = base.get(p);
      const state: State =
        b === undefined ? { kind: 'unknown', blob: null, label: 'unknown', reason: noBaseReason, origin: 'base' }
        : b.kind === 'unknown' ? { kind: 'unknown', blob: null, label: 'unknown', reason: b.reason, origin: 'base' }
        : { kind: b.kind, blob: b.kind === 'present' ? b.blob : null, label: 'reconstructed', origin: 'base' };
      this.segments.set(p, [{ from: 0, state }]);
    }
  }

  current(p: string): State {
    const segs = this.segments.get(p)!;
    return segs[segs.length - 1].state;
  }

  set(p: string, seq: number, state: State): void {
    const segs = this.segments.get(p)!;
    const last = segs[segs.length - 1];
    if (last.from === seq) last.state = state;
    else if (!sameState(last.state, state)) segs.push({ from: seq, state });
    else last.state = state; // same contents and label: keep one segment, but it now rests on an event
  }

  unknown(p: string, seq: number, reason: string): void {
    if (this.current(p).kind === 'unknown') return;
    this.set(p, seq, { kind: 'unknown', blob: null, label: 'unknown', reason, origin: 'event' });
  }

  known(text: string | null): State {
    return text === null
      ? { kind: 'absent', blob: null, label: 'reconstructed', origin: 'event' }
      : { kind: 'present', blob: this.store.putText(text), label: 'reconstructed', origin: 'event' };
  }

  /**
   * Evidence that the file held `seen` at message `seq` (a recorded pre-edit copy, or a snapshot). Nothing recorded
   * touched the file since the current segment began, so when that segment is only the base or unknown, the file
   * already held these contents then (filled back, reconstructed). When the replay says otherwise, the file was
   * changed outside the session somewhere in between: that stretch becomes unknown.
   */
  private reconcile(p: string, seq: number, seen: State): void {
    const cur = this.current(p);
    if (cur.kind !== 'unknown' && sameContents(cur, seen)) return;
    const segs = this.segments.get(p)!;
    const last = segs[segs.length - 1];
    if (last.from >= seq) return;
    if (cur.origin === 'base' || cur.kind === 'unknown') {
      last.state = { kind: seen.kind, blob: seen.blob, label: 'reconstructed', origin: 'event' };
      return;
    }
    this.conflicts.push({ path: p, from: last.from, to: seq });
    last.state = { kind: 'unknown', blob: null, label: 'unknown', reason: `changed outside the recorded edits between #${last.from} and #${seq}`, origin: 'event' };
  }

  /** A recorded copy of the file just before message `seq`'s edit. */
  observe(p: string, seq: number, text: string | null): void {
    const seen = this.known(text);
    this.reconcile(p, seq, seen);
    this.set(p, seq, seen);
  }

  private textOf(state: State): string | { reason: string } {
    if (state.kind === 'absent') return { reason: 'the file does not exist in the replay' };
    const text = this.store.text(state.blob!);
    return text === null ? { reason: 'the file is binary or not UTF-8 text' } : text;
  }

  private fromResult(p: string, seq: number, cause: string, r: EditResult): void {
    if (r.ok) this.set(p, seq, this.known(r.text));
    else this.unknown(p, seq, `${cause} did not apply: ${r.reason}`);
  }

  apply(e: Effect): void {
    const { path: p, seq, op, cause } = e;
    const cur = this.current(p);
    switch (op.type) {
      case 'observe':
        return this.observe(p, seq, op.text);
      case 'write':
        return this.set(p, seq, this.known(op.text));
      case 'delete':
        if (cur.kind === 'absent') return this.unknown(p, seq, `${cause} deleted a file that the replay does not have`);
        return this.set(p, seq, this.known(null));
      case 'opaque':
        return this.unknown(p, seq, op.reason);
      case 'hunks':
        // A diff from /dev/null defines the whole file, whatever was there.
        if (op.creates) return this.fromResult(p, seq, cause, applyHunks('', op.hunks));
        return this.edit(p, seq, cur, cause, (text) => applyHunks(text, op.hunks));
      case 'replace':
        if (cur.kind === 'absent' && op.createIfAbsent && op.replacements.length === 1) {
          return this.set(p, seq, this.known(op.replacements[0].newText));
        }
        return this.edit(p, seq, cur, cause, (text) => this.replace(text, op));
      case 'codex-update': {
        const source = op.from === null ? cur : this.current(op.from);
        if (source.kind === 'unknown') return this.unknown(p, seq, op.from === null ? source.reason ?? `${cause} edited an unknown file` : `moved from ${op.from}, whose state is unknown`);
        return this.edit(p, seq, source, cause, (text) => applyPatchChunks(text, op.chunks), true);
      }
    }
  }

  private replace(text: string, op: Extract<FileOp, { type: 'replace' }>): EditResult {
    const byReplace = replaceAllInOrder(text, op.replacements);
    if (!op.patch) return byReplace;
    // The recorded patch is what the assistant computed from the file it saw; when both apply and disagree
    // (quote normalisation, trailing-newline handling), the patch is the truth.
    const byPatch = applyHunks(text, op.patch);
    if (byPatch.ok && (!byReplace.ok || byReplace.text !== byPatch.text)) return byPatch;
    return byReplace.ok ? byReplace : byPatch.ok ? byPatch : byReplace;
  }

  private edit(p: string, seq: number, source: State, cause: string, fn: (text: string) => EditResult, resetsUnknown = false): void {
    if (source.kind === 'unknown') {
      if (resetsUnknown) this.unknown(p, seq, source.reason ?? 'unknown');
      return; // stays unknown, for the reason it already has
    }
    const text = this.textOf(source);
    if (typeof text !== 'string') return this.unknown(p, seq, `${cause} did not apply: ${text.reason}`);
    this.fromResult(p, seq, cause, fn(text));
  }

  anchor(p: string, seq: number, lastSeq: number, known: Known, source: string): void {
    const blob = known.kind === 'present' ? known.blob : null;
    this.reconcile(p, seq, { kind: known.kind, blob, label: 'reconstructed', origin: 'event' });
    this.set(p, seq, { kind: known.kind, blob, label: 'exact', reason: source, origin: 'event' });
    // After the snapshot the file is what it was, as far as anything recorded says: reconstructed from it.
    if (seq + 1 <= lastSeq) this.segments.get(p)!.push({ from: seq + 1, state: { kind: known.kind, blob, label: 'reconstructed', origin: 'event' } });
  }
}

function bySeq<T extends { seq: number }>(items: readonly T[]): Map<number, T[]> {
  const m = new Map<number, T[]>();
  for (const it of items) {
    const list = m.get(it.seq);
    if (list) list.push(it);
    else m.set(it.seq, [it]);
  }
  return m;
}

export function planSession(input: PlannerInput): SessionPlan {
  const { lastSeq, evidence, anchors, store } = input;
  const pathSet = new Set<string>(evidence.touched);
  for (const p of input.base.keys()) pathSet.add(p);
  for (const a of anchors) for (const p of a.files.keys()) pathSet.add(p);
  const paths = [...pathSet].sort();
  const replay = new Replay(store, paths, input.base, input.noBaseReason ?? 'no base commit');

  const effects = bySeq(evidence.effects.filter((e) => e.seq >= 1 && e.seq <= lastSeq));
  const taints = bySeq(evidence.taints.filter((t) => t.seq >= 1 && t.seq <= lastSeq));
  const anchorsAt = bySeq(anchors.filter((a) => a.seq >= 1 && a.seq <= lastSeq));
  const seqs = [...new Set([...effects.keys(), ...taints.keys(), ...anchorsAt.keys()])].sort((a, b) => a - b);
  for (const seq of seqs) {
    // At one message: what its tool did, then what a shell may have done, then what a snapshot of it shows.
    for (const e of effects.get(seq) ?? []) replay.apply(e);
    for (const t of taints.get(seq) ?? []) for (const p of paths) replay.unknown(p, seq, t.reason);
    for (const a of anchorsAt.get(seq) ?? []) for (const [p, known] of a.files) replay.anchor(p, seq, lastSeq, known, a.source);
  }
  return buildPlan(paths, replay.segments, replay.conflicts, lastSeq, store);
}

function segmentAt(segs: readonly Segment[], seq: number): Segment {
  let lo = 0;
  let hi = segs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (segs[mid].from <= seq) lo = mid;
    else hi = mid - 1;
  }
  return segs[lo];
}

function toFileState(p: string, s: State, store: ContentStore): FileStateAt {
  return {
    path: p,
    label: s.label,
    absent: s.kind === 'absent',
    blob: s.blob,
    contents: s.blob === null ? null : store.get(s.blob),
    ...(s.reason !== undefined && (s.kind === 'unknown' || s.label === 'exact') ? { reason: s.reason } : {}),
  };
}

function buildPlan(paths: string[], segments: Map<string, Segment[]>, conflicts: Conflict[], lastSeq: number, store: ContentStore): SessionPlan {
  const at = (p: string, seq: number) => segmentAt(segments.get(p)!, seq).state;
  return {
    paths,
    lastSeq,
    store,
    conflicts,
    stateAt: (seq) => paths.map((p) => toFileState(p, at(p, seq), store)),
    fileAt: (p, seq) => {
      if (!segments.has(p)) throw new Error(`${p} is not a file this session touched`);
      return toFileState(p, at(p, seq), store);
    },
    changedAt: (seq) => paths.filter((p) => !sameState(at(p, seq), at(p, seq - 1))),
  };
}
