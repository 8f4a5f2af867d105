/** Builds sessions of normalized messages for the fact extractor tests, numbered in order like the store does. */
import type { FactMessage } from '../../src/facts/types.js';

export class SessionBuilder {
  readonly messages: FactMessage[] = [];
  private lastId: string | null = null;
  private t = Date.UTC(2026, 4, 2, 9, 0, 0);

  private add(m: Partial<FactMessage> & Pick<FactMessage, 'role' | 'kind' | 'text'>): number {
    const seq = this.messages.length + 1;
    const sourceId = m.sourceId ?? `m${seq}`;
    this.messages.push({
      seq,
      sourceId,
      parentId: m.parentId !== undefined ? m.parentId : this.lastId,
      timestamp: (this.t += 1000),
      toolName: null,
      toolInput: null,
      toolUseId: null,
      files: [],
      isError: false,
      isSidechain: false,
      subtype: null,
      data: null,
      ...m,
    });
    this.lastId = sourceId;
    return seq;
  }

  user(text: string, over: Partial<FactMessage> = {}): number {
    return this.add({ role: 'user', kind: 'prompt', text, ...over });
  }

  assistant(text: string, over: Partial<FactMessage> = {}): number {
    return this.add({ role: 'assistant', kind: 'reply', text, ...over });
  }

  thinking(text: string): number {
    return this.add({ role: 'assistant', kind: 'thinking', text });
  }

  /** A tool call and its result; returns the call's seq. */
  tool(name: string, input: Record<string, unknown>, output: string, isError = false, files: string[] = []): number {
    const id = `toolu_${this.messages.length + 1}`;
    const text = name === 'Bash' ? `Bash: ${String(input.command)}` : `${name} ${String(input.file_path ?? '')}`.trim();
    const call = this.add({ role: 'assistant', kind: 'tool-call', text, toolName: name, toolInput: JSON.stringify(input), toolUseId: id, files });
    this.add({ role: 'tool', kind: 'tool-result', text: output, toolName: name, toolUseId: id, isError, files });
    return call;
  }

  bash(command: string, output: string, isError = false): number {
    return this.tool('Bash', { command }, output, isError);
  }

  edit(file: string, oldText: string, newText: string, isError = false): number {
    return this.tool('Edit', { file_path: file, old_string: oldText, new_string: newText }, isError ? 'String to replace not found in file.' : 'The file has been updated.', isError, [file]);
  }

  read(file: string): number {
    return this.tool('Read', { file_path: file }, '1\tconst x = 1;', false, [file]);
  }

  system(text: string, subtype: string | null): number {
    return this.add({ role: 'system', kind: 'system', text, subtype });
  }

  compaction(): number {
    const seq = this.system('Conversation compacted (auto)', 'compact_boundary');
    this.add({ role: 'user', kind: 'summary', text: 'This session is being continued from a previous conversation. Summary: …', subtype: 'compact_summary' });
    return seq;
  }
}
