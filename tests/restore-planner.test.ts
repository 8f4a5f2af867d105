import { describe, expect, it } from 'vitest';
import { blobId, ContentStore, textBlobId } from '../src/restore/content.js';
import type { Effect, FileOp, SessionEvidence, Taint } from '../src/restore/evidence.js';
import { planSession, type Anchor, type BaseState, type SessionPlan } from '../src/restore/planner.js';

const A = '/r/a.txt';
const B = '/r/b.txt';

type Base = Record<string, string | null | 'unknown'>;
type Want = string | null | 'unknown';

function plan(base: Base, effects: [number, string, FileOp][], opts: { taints?: [number, string][]; anchors?: [number, Record<string, string | null>][]; lastSeq?: number } = {}): SessionPlan {
  const store = new ContentStore();
  const baseMap = new Map<string, BaseState>();
  for (const [p, v] of Object.entries(base)) {
    baseMap.set(p, v === 'unknown' ? { kind: 'unknown', reason: 'no base commit' } : v === null ? { kind: 'absent' } : { kind: 'present', blob: store.putText(v) });
  }
  const effs: Effect[] = effects.map(([seq, path, op]) => ({ seq, path, op, cause: `tool at #${seq}`, timestamp: null }));
  const taints: Taint[] = (opts.taints ?? []).map(([seq, reason]) => ({ seq, reason, timestamp: null }));
  const anchors: Anchor[] = (opts.anchors ?? []).map(([seq, files]) => ({
    seq,
    source: 'snapshot',
    files: new Map(Object.entries(files).map(([p, v]) => [p, v === null ? { kind: 'absent' as const } : { kind: 'present' as const, blob: store.putText(v) }])),
  }));
  const evidence: SessionEvidence = { effects: effs, taints, touched: [...new Set(effs.map((e) => e.path))].sort(), skipped: {} };
  const lastSeq = opts.lastSeq ?? Math.max(1, ...effects.map((e) => e[0]), ...taints.map((t) => t.seq), ...anchors.map((a) => a.seq)) + 1;
  return planSession({ lastSeq, evidence, anchors, base: baseMap, store });
}

function states(p: SessionPlan, path: string): Want[] {
  const out: Want[] = [];
  for (let seq = 1; seq <= p.lastSeq; seq++) {
    const s = p.fileAt(path, seq);
    out.push(s.label === 'unknown' ? 'unknown' : s.absent ? null : s.contents!.toString('utf8'));
  }
  return out;
}

const replace = (oldText: string, newText: string, extra: Partial<Extract<FileOp, { type: 'replace' }>> = {}): FileOp => ({
  type: 'replace', replacements: [{ oldText, newText, replaceAll: false }], patch: null, createIfAbsent: false, ...extra,
});

describe('planSession', () => {
  it.each<[string, Base, [number, string, FileOp][], Want[]]>([
    ['replays a replacement on the base', { [A]: 'x\n' }, [[2, A, replace('x', 'y')]], ['x\n', 'y\n', 'y\n']],
    ['writes and deletes', { [A]: null }, [[1, A, { type: 'write', text: 'new' }], [3, A, { type: 'delete' }]], ['new', 'new', null, null]],
    ['an edit that does not apply makes the file unknown until a write', { [A]: 'x' }, [[2, A, replace('zzz', 'y')], [4, A, { type: 'write', text: 'w' }]], ['x', 'unknown', 'unknown', 'w', 'w']],
    ['deleting a file the replay does not have', { [A]: null }, [[2, A, { type: 'delete' }]], [null, 'unknown', 'unknown']],
    ['an edit on a missing file', { [A]: null }, [[2, A, replace('a', 'b')]], [null, 'unknown', 'unknown']],
    ["Gemini's replace with empty old text creates the file", { [A]: null }, [[2, A, replace('', 'hello', { createIfAbsent: true })]], [null, 'hello', 'hello']],
    ['a diff from /dev/null defines the whole file', { [A]: 'unknown' }, [[2, A, { type: 'hunks', creates: true, hunks: [{ oldStart: 0, oldLines: 0, newStart: 1, newLines: 1, lines: ['+hi'] }] }]], ['unknown', 'hi\n', 'hi\n']],
    ['no base: unknown until a whole-file write', { [A]: 'unknown' }, [[2, A, replace('a', 'b')], [3, A, { type: 'write', text: 'w' }]], ['unknown', 'unknown', 'w', 'w']],
    ['an opaque change', { [A]: 'x' }, [[2, A, { type: 'opaque', reason: 'notebook' }]], ['x', 'unknown', 'unknown']],
    ['a recorded original fills back over the base', { [A]: 'committed' }, [[3, A, { type: 'observe', text: 'dirty' }], [3, A, replace('dirty', 'clean')]], ['dirty', 'dirty', 'clean', 'clean']],
    ['a recorded original fills back over unknown', { [A]: 'unknown' }, [[3, A, { type: 'observe', text: 'seen' }], [3, A, replace('seen', 'new')]], ['seen', 'seen', 'new', 'new']],
  ])('%s', (_, base, effects, want) => {
    expect(states(plan(base, effects), A)).toEqual(want);
  });

  it('prefers the recorded patch when plain replacement cannot apply (typographic quotes)', () => {
    const op = replace('say "hi"', 'say "bye"', {
      patch: [{ oldStart: 1, oldLines: 1, newStart: 1, newLines: 1, lines: ['-say “hi”', '+say “bye”'] }],
    });
    expect(states(plan({ [A]: 'say “hi”\n' }, [[2, A, op]]), A)).toEqual(['say “hi”\n', 'say “bye”\n', 'say “bye”\n']);
  });

  it('prefers the recorded patch when both apply and disagree', () => {
    // Claude removes the line's newline too when the new text is empty; the patch records it.
    const op = replace('b', '', { patch: [{ oldStart: 1, oldLines: 3, newStart: 1, newLines: 2, lines: [' a', '-b', ' c'] }] });
    expect(states(plan({ [A]: 'a\nb\nc\n' }, [[2, A, op]]), A)[1]).toBe('a\nc\n');
  });

  it('moves a file with a Codex update (source deleted, destination patched)', () => {
    const p = plan({ [A]: 'line\n', [B]: null }, [
      [2, B, { type: 'codex-update', from: A, chunks: [{ context: null, oldLines: ['line'], newLines: ['line2'], endOfFile: false }] }],
      [2, A, { type: 'delete' }],
    ]);
    expect(states(p, A)).toEqual(['line\n', null, null]);
    expect(states(p, B)).toEqual([null, 'line2\n', 'line2\n']);
  });

  it('a shell command makes every file unknown until a snapshot says otherwise', () => {
    const unknown = plan({ [A]: 'a' }, [], { taints: [[3, 'may have been changed by a shell command at #3 (make)']], lastSeq: 4 });
    expect(states(unknown, A)).toEqual(['a', 'a', 'unknown', 'unknown']);
    expect(unknown.fileAt(A, 3)).toMatchObject({ label: 'unknown', reason: 'may have been changed by a shell command at #3 (make)' });
  });

  it('a snapshot after a shell command makes the files exact again', () => {
    const p = plan({ [A]: 'a', [B]: 'b' }, [[2, A, { type: 'write', text: 'a2' }]], {
      taints: [[3, 'may have been changed by a shell command at #3 (make)']],
      anchors: [[5, { [A]: 'a3', [B]: null }]],
      lastSeq: 6,
    });
    // The shell's result (#3) is the last thing that could have changed the files before the snapshot at #5, so the
    // snapshot's contents hold from #3 on (reconstructed), exact at #5.
    expect(states(p, A)).toEqual(['a', 'a2', 'a3', 'a3', 'a3', 'a3']);
    expect(p.fileAt(A, 3)).toMatchObject({ label: 'reconstructed' });
    expect(states(p, B)).toEqual(['b', 'b', null, null, null, null]);
    expect(p.fileAt(B, 5)).toMatchObject({ label: 'exact', absent: true });
    expect(p.fileAt(B, 4)).toMatchObject({ label: 'reconstructed', absent: true });
    expect(p.fileAt(A, 5)).toMatchObject({ label: 'exact', reason: 'snapshot' });
    expect(p.fileAt(A, 6)).toMatchObject({ label: 'reconstructed' });
  });

  it('fills back from a snapshot over unknown, but flags a replay it contradicts', () => {
    const p = plan({ [A]: 'x' }, [[2, A, { type: 'write', text: 'written' }]], { anchors: [[5, { [A]: 'other' }]], lastSeq: 5 });
    expect(states(p, A)).toEqual(['x', 'unknown', 'unknown', 'unknown', 'other']);
    expect(p.fileAt(A, 3).reason).toBe('changed outside the recorded edits between #2 and #5');
    expect(p.conflicts).toEqual([{ path: A, from: 2, to: 5 }]);
  });

  it('refuses to replay text edits on binary contents', () => {
    const store = new ContentStore();
    const blob = store.put(Buffer.from([0, 1, 2, 3]));
    const p = planSession({
      lastSeq: 2,
      evidence: { effects: [{ seq: 2, path: A, op: replace('a', 'b'), cause: 'Edit at #2', timestamp: null }], taints: [], touched: [A], skipped: {} },
      anchors: [],
      base: new Map([[A, { kind: 'present', blob }]]),
      store,
    });
    expect(p.fileAt(A, 2)).toMatchObject({ label: 'unknown', reason: 'Edit at #2 did not apply: the file is binary or not UTF-8 text' });
  });

  it('reports which files changed at a message', () => {
    const p = plan({ [A]: 'a', [B]: 'b' }, [[2, A, { type: 'write', text: 'a2' }], [3, B, { type: 'write', text: 'b' }], [4, B, { type: 'write', text: 'b2' }]]);
    expect([1, 2, 3, 4, 5].map((seq) => p.changedAt(seq))).toEqual([[], [A], [], [B], []]);
  });
});

describe('ContentStore', () => {
  const texts = ['', 'plain ascii\n', 'café — naïve ☕\r\n', '日本語\u0000binary-ish', 'x'.repeat(100_000)];

  it('gives text the blob id git gives its UTF-8 bytes, without encoding it first', () => {
    for (const t of texts) expect(textBlobId(t), JSON.stringify(t.slice(0, 20))).toBe(blobId(Buffer.from(t, 'utf8')));
    // git hash-object's id of the empty blob.
    expect(textBlobId('')).toBe('e69de29bb2d1d6434b8b29ae775ad8c2e48c5391');
  });

  it('keeps replayed versions as text and hands out their bytes when asked', () => {
    const store = new ContentStore();
    const id = store.putText('café\n');
    expect(store.has(id)).toBe(true);
    expect(store.text(id)).toBe('café\n');
    expect(store.get(id).equals(Buffer.from('café\n', 'utf8'))).toBe(true);
    // The same contents put as bytes are the same entry.
    expect(store.put(Buffer.from('café\n', 'utf8'))).toBe(id);
    expect(store.size).toBe(1);
    expect(store.has('0'.repeat(40))).toBe(false);
    expect(() => store.get('0'.repeat(40))).toThrow(/not in the store/);
  });
});
