/**
 * Incremental reading of one Antigravity transcript into the index. I/O shell around steps.ts:
 * - appended complete lines are read from the stored offset (a partial last line waits for the next pass); a
 *   rotation, truncation or in-place rewrite re-reads from the start (source-file.ts);
 * - the new steps are sorted by `step_index` before pairing; a step that sorts before what an earlier pass already
 *   committed (a late flush, an index reused after a rewind) makes the file be re-read whole, so the timeline stays in
 *   step order and results stay paired with their calls;
 * - workspace, title and parent come from the profile's side indexes (side-index.ts), refreshed on idle passes only
 *   when those files changed.
 * The lead folds this onto the shared JSONL shell at merge; what is Antigravity-specific is the sort-and-pair step.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { IndexWriter, SourceFileState } from '../../store/writer.js';
import { readLines } from '../lines.js';
import { normalizeProjectPath } from '../project-path.js';
import { HEAD_BYTES, planRead, type FileIdentity } from '../source-file.js';
import { countSkip, type IngestStats } from '../stats.js';
import { isObject, titleOf, tryJson } from '../text.js';
import type { AgyCandidate } from './discover.js';
import type { ConversationFacts, ProfileSideIndex } from './side-index.js';
import { parseStepLine, promptOf, sortSteps, stepsToMessages, type Pending, type Step } from './steps.js';

interface AgyState {
  readonly v: 1;
  /** Highest step index committed; a new step at or below it means the file must be re-read in order. */
  maxIndex: number;
  pending: Pending | null;
  hasTitle: boolean;
  /** Rank of the stored summary: user rename 3 > generated title 2 > compaction objective 1. */
  summaryRank: number;
  objective: string | null;
  cwd: string | null;
  childIds: string[];
  /** Side-index stamp the session's facts were last taken from. */
  sideStamp: string | null;
  /** Those facts, to tell whether a changed side index changed anything for this conversation. */
  factsKey: string | null;
}

function freshState(): AgyState {
  return { v: 1, maxIndex: -1, pending: null, hasTitle: false, summaryRank: 0, objective: null, cwd: null, childIds: [], sideStamp: null, factsKey: null };
}

function loadState(text: string | null | undefined): AgyState {
  const v = text ? tryJson(text) : undefined;
  return isObject(v) && v.v === 1 ? ({ ...freshState(), ...v } as AgyState) : freshState();
}

/** What the shell needs from the pass: the side index of a profile, and parents named by other conversations. */
export interface AgyPass {
  side(c: AgyCandidate, writer: IndexWriter): ProfileSideIndex;
  parentOf(writer: IndexWriter, conversationId: string): string | null;
}

/** Reads the bytes of a file or of chunk pieces laid end to end. */
class Source {
  private fd: number | null = null;

  constructor(private readonly c: AgyCandidate) {}

  open(): FileIdentity {
    if (!this.c.chunks) {
      this.fd = fs.openSync(this.c.path, fs.constants.O_RDONLY);
      const st = fs.fstatSync(this.fd);
      return { dev: st.dev, ino: st.ino, size: st.size, mtimeMs: Math.floor(st.mtimeMs) };
    }
    const dir = fs.statSync(this.c.path);
    let size = 0;
    let mtimeMs = 0;
    for (const f of this.c.chunks) {
      const st = fs.statSync(f);
      size += st.size;
      mtimeMs = Math.max(mtimeMs, Math.floor(st.mtimeMs));
    }
    return { dev: dir.dev, ino: dir.ino, size, mtimeMs };
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }

  /** Hash of the first `length` bytes (of the first piece), as source-file.ts stores it. */
  head(length: number): string | null {
    if (length <= 0) return null;
    const buf = Buffer.alloc(length);
    let n = 0;
    if (this.fd !== null) n = fs.readSync(this.fd, buf, 0, length, 0);
    else {
      const fd = fs.openSync(this.c.chunks![0], fs.constants.O_RDONLY);
      try {
        n = fs.readSync(fd, buf, 0, length, 0);
      } finally {
        fs.closeSync(fd);
      }
    }
    return `${n}:${crypto.createHash('sha1').update(buf.subarray(0, n)).digest('hex')}`;
  }

  /** Complete lines from `from` up to `end`; returns the offset after the last complete line and oversized count. */
  lines(from: number, end: number, onLine: (line: string, offset: number) => void): { endOffset: number; oversized: number } {
    if (this.fd !== null) {
      const r = readLines(this.fd, from, (line, offset) => onLine(line, offset), { endOffset: end });
      return { endOffset: r.endOffset, oversized: r.oversized };
    }
    // Pieces split mid-line: gather the new bytes across them, then split.
    const parts: Buffer[] = [];
    let pos = 0;
    for (const f of this.c.chunks!) {
      const size = fs.statSync(f).size;
      const lo = Math.max(from, pos);
      const hi = Math.min(end, pos + size);
      if (hi > lo) {
        const fd = fs.openSync(f, fs.constants.O_RDONLY);
        try {
          const buf = Buffer.alloc(hi - lo);
          const n = fs.readSync(fd, buf, 0, hi - lo, lo - pos);
          parts.push(buf.subarray(0, n));
        } finally {
          fs.closeSync(fd);
        }
      }
      pos += size;
    }
    const all = Buffer.concat(parts);
    let start = 0;
    for (;;) {
      const nl = all.indexOf(0x0a, start);
      if (nl === -1) break;
      const endLine = nl > start && all[nl - 1] === 0x0d ? nl - 1 : nl;
      onLine(all.toString('utf8', start, endLine), from + start);
      start = nl + 1;
    }
    return { endOffset: from + start, oversized: 0 };
  }
}

interface ReadResult {
  steps: Step[];
  endOffset: number;
}

function readSteps(src: Source, c: AgyCandidate, from: number, end: number, stats: IngestStats): ReadResult {
  const steps: Step[] = [];
  const r = src.lines(from, end, (line, offset) => {
    stats.linesRead++;
    const parsed = parseStepLine(line, offset, c.twin);
    if ('skip' in parsed) countSkip(stats, parsed.skip);
    else if ('step' in parsed) steps.push(parsed.step);
  });
  if (r.oversized) countSkip(stats, 'oversized-line', r.oversized);
  stats.bytesRead += r.endOffset - from;
  return { steps, endOffset: r.endOffset };
}

/** The workspace a conversation belongs to: side indexes first, then where its commands ran. */
function projectOf(facts: ConversationFacts, state: AgyState): string | null {
  return facts.workspace ?? normalizeProjectPath(state.cwd);
}

function factsKey(facts: ConversationFacts, parentId: string | null): string {
  return JSON.stringify([facts.title, facts.userTitle, facts.workspace, facts.branch, parentId]);
}

/** Applies the best summary the facts and the transcript offer (a higher rank replaces a lower one). */
function applyFacts(writer: IndexWriter, id: string, facts: ConversationFacts, state: AgyState, parentId: string | null): void {
  writer.fillSessionFacts(id, { project: projectOf(facts, state), parentId });
  const candidates: [number, string | null][] = [
    [3, facts.userTitle],
    [2, facts.title],
    [1, state.objective],
  ];
  for (const [rank, text] of candidates) {
    if (!text || rank < state.summaryRank) continue;
    writer.setSessionSummary(id, text);
    state.summaryRank = rank;
    break;
  }
  for (const child of state.childIds) writer.fillSessionFacts(child, { parentId: id });
}

function save(writer: IndexWriter, file: SourceFileState, identity: FileIdentity, offset: number, head: string | null, state: AgyState): void {
  writer.saveSourceFile({ ...file, ...identity, readOffset: offset, headHash: head, state: JSON.stringify(state), gone: false });
}

export function ingestAntigravityFile(writer: IndexWriter, c: AgyCandidate, stats: IngestStats, pass: AgyPass): void {
  const src = new Source(c);
  let identity: FileIdentity;
  try {
    identity = src.open();
  } catch (err) {
    stats.fileErrors.push({ path: c.path, message: (err as Error).message });
    return;
  }
  try {
    const id = c.conversationId;
    const side = pass.side(c, writer);
    let prev = writer.getSourceFile(c.path);
    let state = loadState(prev?.state);
    const plan = planRead(prev, identity, (length) => src.head(length));
    if (plan.kind === 'unchanged') {
      stats.filesUnchanged++;
      // Side indexes are written asynchronously (§4.4): pick up what they learned since, when they changed.
      // Nothing is written unless they say something new about this conversation (they change with every prompt
      // typed in any conversation of the profile).
      const stamp = side.stamp(id);
      if (prev && (stamp !== state.sideStamp || prev.gone)) {
        const facts = side.facts(id, false);
        const parentId = facts.parentId ?? pass.parentOf(writer, id);
        const key = factsKey(facts, parentId);
        if (key === state.factsKey && !prev.gone) return;
        state.sideStamp = stamp;
        state.factsKey = key;
        const p = prev;
        writer.transaction(() => {
          if (writer.nextSeq(id) > 1) applyFacts(writer, id, facts, state, parentId);
          writer.saveSourceFile({ ...p, state: JSON.stringify(state), gone: false });
        });
      }
      return;
    }
    const file = writer.ensureSourceFile(c.path, 'antigravity');
    let from = plan.kind === 'append' ? plan.from : 0;
    if (plan.kind === 'reset') {
      writer.transaction(() => writer.resetSourceFile(file.id));
      stats.filesReset++;
      prev = undefined;
      state = freshState();
    }
    stats.filesRead++;
    let read = readSteps(src, c, from, identity.size, stats);
    if (state.maxIndex >= 0 && read.steps.some((s) => s.index !== null && s.index <= state.maxIndex)) {
      // A step that belongs before what is committed: re-read the whole file in step order.
      writer.transaction(() => writer.resetSourceFile(file.id));
      stats.filesReset++;
      state = freshState();
      from = 0;
      read = readSteps(src, c, 0, identity.size, stats);
    }
    const steps = sortSteps(read.steps);
    const out = stepsToMessages(steps, state.pending);
    state.pending = out.pending;
    for (const s of steps) if (s.index !== null && s.index > state.maxIndex) state.maxIndex = s.index;
    state.objective ??= out.facts.objective;
    state.cwd ??= out.facts.cwd;
    for (const child of out.facts.childIds) if (!state.childIds.includes(child)) state.childIds.push(child);
    const facts = side.facts(id, true);
    const parentId = facts.parentId ?? pass.parentOf(writer, id);
    state.sideStamp = side.stamp(id);
    state.factsKey = factsKey(facts, parentId);
    const head = src.head(Math.min(HEAD_BYTES, read.endOffset));
    writer.transaction(() => {
      const existed = writer.nextSeq(id) > 1;
      if (out.messages.length > 0 || existed) {
        writer.upsertSession({ id, agent: 'antigravity', parentId, project: projectOf(facts, state), gitBranch: facts.branch }, file.id);
        if (!existed) stats.sessionsAdded++;
        stats.messagesAdded += writer.appendMessages(id, file.id, writer.nextSeq(id), out.messages);
        for (const u of out.updates) writer.updateMessageData(id, u.sourceId, u.data);
        if (!state.hasTitle) {
          for (const s of steps) {
            // The first prompt the user typed: hook-injected inputs (SYSTEM_SDK) do not name a session.
            if (s.type !== 'USER_INPUT' || s.source === 'SYSTEM_SDK' || !s.content) continue;
            const title = titleOf(promptOf(s.content).request);
            if (title) {
              writer.setSessionTitleIfMissing(id, title);
              state.hasTitle = true;
              break;
            }
          }
        }
        applyFacts(writer, id, facts, state, parentId);
      }
      save(writer, writer.getSourceFile(c.path)!, identity, read.endOffset, head, state);
    });
  } finally {
    src.close();
  }
}
