import { describe, expect, it } from 'vitest';
import { extractEvidence, mergeSubagentEvidence, type EvidenceMessage } from '../src/restore/evidence.js';
import { isReadOnlyCommand, shellCommandOf } from '../src/restore/shell.js';

describe('shell commands', () => {
  it.each([
    ['ls -la src', true],
    ['cat a.txt | grep x | wc -l', true],
    ['git status && git diff HEAD~1 -- src', true],
    ['git log --oneline -5 2>/dev/null', true],
    ['LC_ALL=C sort names.txt', true],
    ['find . -name "*.ts" -type f', true],
    ['sed -n 1,20p file.txt', true],
    ['rg -n TODO src 2>&1 | head', true],
    ['npm run build', false],
    ['echo hi > out.txt', false],
    ['cat a >> b', false],
    ['sed -i s/a/b/ f', false],
    ['find . -delete', false],
    ['git checkout main', false],
    ['git branch -D old', false],
    ['git stash', false],
    ['rm -rf build', false],
    ['echo $(touch x)', false],
    ['sort -o out.txt in.txt', false],
    ['cat a | tee b', false],
    ['python script.py', false],
  ])('%s → read-only %s', (command, readOnly) => {
    expect(isReadOnlyCommand(command)).toBe(readOnly);
  });

  it.each([
    ['{"command":"ls"}', 'ls'],
    ['{"cmd":"git status"}', 'git status'],
    ['{"command":["bash","-lc","npm test"]}', 'npm test'],
    ['{"command":["ls","-la"]}', 'ls -la'],
    ['{"other":1}', null],
    ['not json', null],
  ])('reads the command from %s', (input, command) => {
    expect(shellCommandOf(input)).toBe(command);
  });
});

let seq = 0;
function m(over: Partial<EvidenceMessage> & Pick<EvidenceMessage, 'kind'>): EvidenceMessage {
  seq++;
  return { seq, sourceId: `s${seq}`, timestamp: seq * 1000, toolName: null, toolInput: null, toolUseId: null, isError: false, data: null, ...over };
}

describe('extractEvidence', () => {
  it('places each effect at its result, skips errors, and names unresolved calls', () => {
    seq = 0;
    const edits = (e: unknown[]) => JSON.stringify({ edits: e });
    const messages = [
      m({ kind: 'prompt' }),
      m({ kind: 'tool-call', toolName: 'write_file', toolUseId: 'c1', data: edits([{ op: 'write', path: 'a.txt', content: 'A' }]) }),
      m({ kind: 'tool-result', toolUseId: 'c1' }),
      m({ kind: 'tool-call', toolName: 'replace', toolUseId: 'c2', data: edits([{ op: 'replace', path: '/abs/b.txt', oldText: 'x', newText: 'y', replaceAll: false }]) }),
      m({ kind: 'tool-result', toolUseId: 'c2', isError: true }),
      m({ kind: 'tool-call', toolName: 'apply_patch', toolUseId: 'c3', data: edits([{ op: 'apply-patch', cwd: '/other', patch: '*** Begin Patch\n*** Update File: m.txt\n*** Move to: n.txt\n@@\n-a\n+b\n*** End Patch' }]) }),
      m({ kind: 'tool-result', toolUseId: 'c3' }),
      m({ kind: 'tool-call', toolName: 'write_file', toolUseId: 'c4', data: edits([{ op: 'write', path: 'late.txt', content: 'L' }]) }),
    ];
    const ev = extractEvidence(messages, { cwd: '/work' });
    expect(ev.effects.map((e) => [e.seq, e.path, e.op.type])).toEqual([
      [3, '/work/a.txt', 'write'],
      [7, '/other/n.txt', 'codex-update'],
      [7, '/other/m.txt', 'delete'],
      [9, '/work/late.txt', 'opaque'],
    ]);
    expect(ev.effects[3].op).toEqual({ type: 'opaque', reason: 'write_file at #8 has no recorded result' });
    expect(ev.touched).toEqual(['/other/m.txt', '/other/n.txt', '/work/a.txt', '/work/late.txt']);
  });

  it('reads Claude results, falls back to tool inputs, and taints for shell and unindexed sub-agents', () => {
    seq = 0;
    const messages = [
      m({ kind: 'tool-call', toolName: 'Edit', toolUseId: 't1', toolInput: JSON.stringify({ file_path: '/r/a.ts', old_string: 'a', new_string: 'b' }) }),
      m({ kind: 'tool-result', toolName: 'Edit', toolUseId: 't1', data: JSON.stringify({ filePath: '/r/a.ts', oldString: 'a', newString: 'b', originalFile: 'a\n', structuredPatch: [], replaceAll: false }) }),
      // A result line with several tool results keeps no data: the call's input is used.
      m({ kind: 'tool-call', toolName: 'Write', toolUseId: 't2', toolInput: JSON.stringify({ file_path: '/r/w.ts', content: 'W' }) }),
      m({ kind: 'tool-result', toolName: 'Write', toolUseId: 't2' }),
      m({ kind: 'tool-call', toolName: 'Bash', toolUseId: 't3', toolInput: JSON.stringify({ command: 'git status' }) }),
      m({ kind: 'tool-result', toolName: 'Bash', toolUseId: 't3' }),
      m({ kind: 'tool-call', toolName: 'Bash', toolUseId: 't4', toolInput: JSON.stringify({ command: 'make' }) }),
      m({ kind: 'tool-result', toolName: 'Bash', toolUseId: 't4', isError: true }),
      m({ kind: 'tool-call', toolName: 'Task', toolUseId: 't5', toolInput: '{}' }),
      m({ kind: 'tool-result', toolName: 'Task', toolUseId: 't5' }),
      m({ kind: 'tool-call', toolName: 'Task', toolUseId: 't6', toolInput: '{}' }),
      m({ kind: 'tool-result', toolName: 'Task', toolUseId: 't6' }),
    ];
    const ev = extractEvidence(messages, { cwd: '/r', subagentRuns: [{ from: 11_500, to: 11_800 }] });
    expect(ev.effects.map((e) => [e.seq, e.path, e.op.type])).toEqual([
      [2, '/r/a.ts', 'observe'],
      [2, '/r/a.ts', 'replace'],
      [4, '/r/w.ts', 'write'],
    ]);
    // A failing build may still have written files; the second Task's transcript is indexed (its run overlaps).
    expect(ev.taints.map((t) => [t.seq, t.reason])).toEqual([
      [8, 'may have been changed by a shell command at #8 (make)'],
      [10, 'a sub-agent ran at #9 and its transcript is not indexed'],
    ]);
  });

  it("places a sub-agent's effects on the parent message written at or after them", () => {
    const parent = { effects: [], taints: [], touched: [], skipped: {} };
    const child = extractEvidence([
      { seq: 1, sourceId: 'c1', timestamp: 5_000, kind: 'tool-call', toolName: 'Write', toolInput: JSON.stringify({ file_path: '/r/x', content: 'X' }), toolUseId: 'k', isError: false, data: null },
      { seq: 2, sourceId: 'c2', timestamp: 5_500, kind: 'tool-result', toolName: 'Write', toolInput: null, toolUseId: 'k', isError: false, data: null },
    ], { cwd: '/r' });
    const merged = mergeSubagentEvidence(parent, [child], [{ seq: 1, timestamp: 1_000 }, { seq: 2, timestamp: 4_000 }, { seq: 3, timestamp: 9_000 }]);
    expect(merged.effects.map((e) => [e.seq, e.path, e.cause])).toEqual([[3, '/r/x', 'sub-agent Write at #2']]);
  });
});
