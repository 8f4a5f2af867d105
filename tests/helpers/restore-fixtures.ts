/** Building sessions for restore tests: Claude transcripts on disk, or other assistants' messages through the writer. */
import fs from 'node:fs';
import path from 'node:path';
import type { FileEdit, ParsedMessage } from '../../src/model.js';
import { closeDatabase, openDatabase } from '../../src/store/db.js';
import { IndexWriter } from '../../src/store/writer.js';
import { runIndex } from '../../src/ingest/indexer.js';
import { adaptersFor } from '../../src/ingest/sources.js';
import { prompt, reply, toolResult, toolUse, uuid } from './claude-lines.js';

/** Expected state of a file after a message: its text, null for absent, or 'unknown'. */
export type Expected = string | null | 'unknown';

/**
 * A Claude transcript built line by line, each line one message, with the expected state of every tracked file after
 * each message (carried forward until changed).
 */
export class ClaudeSession {
  readonly lines: string[] = [];
  readonly expected: Map<string, Expected>[] = [];
  private current = new Map<string, Expected>();
  private parent: string | null = null;
  private minute = 0;
  private tool = 0;

  constructor(
    readonly sessionId: string,
    readonly cwd: string,
    initial: Record<string, Expected>,
    readonly startMs = Date.UTC(2026, 4, 2, 9, 0, 0),
  ) {
    for (const [p, v] of Object.entries(initial)) this.current.set(p, v);
  }

  get seq(): number {
    return this.lines.length;
  }

  private common() {
    const u = uuid();
    const c = { uuid: u, parentUuid: this.parent, sessionId: this.sessionId, timestamp: new Date(this.startMs + this.minute++ * 60_000).toISOString(), cwd: this.cwd };
    this.parent = u;
    return c;
  }

  private push(line: string, changes: Record<string, Expected> = {}): this {
    this.lines.push(line);
    for (const [p, v] of Object.entries(changes)) this.current.set(p, v);
    this.expected.push(new Map(this.current));
    return this;
  }

  timestampOf(seq: number): number {
    return this.startMs + (seq - 1) * 60_000;
  }

  uuidOfLast(): string {
    return this.parent!;
  }

  prompt(text: string): this {
    return this.push(prompt(this.common(), text));
  }

  reply(text: string): this {
    return this.push(reply(this.common(), text));
  }

  /** A tool call and its result (two messages); `changes` apply from the result on. */
  call(name: string, input: Record<string, unknown>, result: { text?: string; isError?: boolean; toolUseResult?: unknown }, changes: Record<string, Expected> = {}): this {
    const id = `toolu_${++this.tool}`;
    this.push(toolUse(this.common(), id, name, input));
    return this.push(toolResult(this.common(), id, result.text ?? 'ok', result.isError ?? false, result.toolUseResult), changes);
  }

  edit(file: string, before: string, oldString: string, newString: string, opts: { originalFile?: boolean } = {}): this {
    const after = before.replace(oldString, newString);
    return this.call('Edit', { file_path: file, old_string: oldString, new_string: newString }, {
      text: `The file ${file} has been updated.`,
      toolUseResult: { filePath: file, oldString, newString, ...(opts.originalFile === false ? {} : { originalFile: before }), structuredPatch: [], userModified: false, replaceAll: false },
    }, { [file]: after });
  }

  write(file: string, content: string, before: string | null): this {
    return this.call('Write', { file_path: file, content }, {
      text: `File written: ${file}`,
      toolUseResult: { type: before === null ? 'create' : 'update', filePath: file, content, structuredPatch: [], originalFile: before },
    }, { [file]: content });
  }

  bash(command: string, changes: Record<string, Expected> = {}): this {
    return this.call('Bash', { command, description: 'run' }, { text: 'done' }, changes);
  }

  writeTo(claudeDir: string): string {
    const dir = path.join(claudeDir, 'projects', this.cwd.replace(/[^A-Za-z0-9]/g, '-'));
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${this.sessionId}.jsonl`);
    fs.writeFileSync(file, this.lines.join('\n') + '\n');
    return file;
  }
}

export function indexClaude(dbPath: string, claudeDir: string): void {
  const db = openDatabase(dbPath);
  try {
    runIndex(new IndexWriter(db), adaptersFor({ claudeDir }));
  } finally {
    closeDatabase(db);
  }
}

let offset = 0;
function message(over: Partial<ParsedMessage> & Pick<ParsedMessage, 'sourceId' | 'kind' | 'role'>): ParsedMessage {
  return {
    parentId: null,
    timestamp: null,
    text: '',
    toolName: null,
    toolInput: null,
    toolUseId: null,
    files: [],
    isError: false,
    isSidechain: false,
    subtype: null,
    data: null,
    byteOffset: offset++ * 100,
    ...over,
  };
}

/** Messages of another assistant, written straight through the writer: FileEdit data on calls. */
export class AgentSession {
  readonly messages: ParsedMessage[] = [];
  readonly expected: Map<string, Expected>[] = [];
  private current = new Map<string, Expected>();
  private n = 0;

  constructor(
    readonly sessionId: string,
    readonly agent: 'codex' | 'gemini' | 'cursor' | 'antigravity',
    readonly cwd: string,
    initial: Record<string, Expected>,
    readonly startMs = Date.UTC(2026, 4, 2, 9, 0, 0),
  ) {
    for (const [p, v] of Object.entries(initial)) this.current.set(p, v);
  }

  private push(m: ParsedMessage, changes: Record<string, Expected> = {}): this {
    this.messages.push(m);
    for (const [p, v] of Object.entries(changes)) this.current.set(p, v);
    this.expected.push(new Map(this.current));
    return this;
  }

  private ts(): number {
    return this.startMs + this.messages.length * 60_000;
  }

  prompt(text: string): this {
    return this.push(message({ sourceId: `m${++this.n}`, kind: 'prompt', role: 'user', text, timestamp: this.ts() }));
  }

  reply(text: string): this {
    return this.push(message({ sourceId: `m${++this.n}`, kind: 'reply', role: 'assistant', text, timestamp: this.ts() }));
  }

  /** A tool call with FileEdit data and its result; `result: 'none'` leaves the call without one. */
  edits(toolName: string, edits: FileEdit[], changes: Record<string, Expected>, result: 'ok' | 'error' | 'none' = 'ok', input: unknown = {}): this {
    const id = `call_${++this.n}`;
    this.push(message({ sourceId: `m${this.n}`, kind: 'tool-call', role: 'assistant', toolName, toolUseId: id, toolInput: JSON.stringify(input), data: JSON.stringify({ edits }), timestamp: this.ts() }));
    if (result === 'none') return this;
    return this.push(message({ sourceId: `r${this.n}`, kind: 'tool-result', role: 'tool', toolName, toolUseId: id, isError: result === 'error', timestamp: this.ts() }), result === 'ok' ? changes : {});
  }

  shell(toolName: string, input: unknown, changes: Record<string, Expected> = {}): this {
    const id = `call_${++this.n}`;
    this.push(message({ sourceId: `m${this.n}`, kind: 'tool-call', role: 'assistant', toolName, toolUseId: id, toolInput: JSON.stringify(input), timestamp: this.ts() }));
    return this.push(message({ sourceId: `r${this.n}`, kind: 'tool-result', role: 'tool', toolName, toolUseId: id, timestamp: this.ts() }), changes);
  }

  store(dbPath: string, extra: { gitBranch?: string } = {}): void {
    const db = openDatabase(dbPath);
    try {
      const w = new IndexWriter(db);
      const f = w.ensureSourceFile(`/sources/${this.agent}/${this.sessionId}.jsonl`, this.agent);
      w.transaction(() => {
        w.upsertSession({ id: this.sessionId, agent: this.agent, project: this.cwd, gitBranch: extra.gitBranch ?? 'main' }, f.id);
        w.appendMessages(this.sessionId, f.id, w.nextSeq(this.sessionId), this.messages);
      });
    } finally {
      closeDatabase(db);
    }
  }
}
