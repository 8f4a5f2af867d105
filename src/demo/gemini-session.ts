/**
 * Writes a Gemini CLI session the way Gemini CLI 0.4x does (shared formats/gemini-cli.md): the JSONL chat under
 * `tmp/<project>/chats/`, `logs.json`, the `projects.json` registry and `.project_root` marker, and — for edits that
 * waited for approval — checkpoints: a commit of the project in the shadow repository `history/<project>` plus the
 * checkpoint file that names it. Each edit is applied to the demo repository as it is recorded.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { GitDir } from './git-objects.js';
import { unifiedDiff } from './line-diff.js';
import { writeDated, type DemoRepo, type FileChange } from './repo.js';

type Json = Record<string, unknown>;

export interface GeminiSessionOptions {
  readonly geminiDir: string;
  readonly repo: DemoRepo;
  readonly sessionId: string;
  /** The project's slug under `tmp/` and `history/` (v0.29+). */
  readonly projectId: string;
  readonly start: number;
}

const GEMINI_CLI = { name: 'Gemini CLI', email: 'gemini-cli@google.com' };

interface ToolCall {
  readonly name: string;
  readonly args: Json;
  readonly output: string;
  readonly status?: 'success' | 'error';
  readonly display?: unknown;
}

export class GeminiSessionWriter {
  private readonly lines: string[] = [];
  private readonly prompts: { text: string; at: number }[] = [];
  private clock: number;
  private records = 0;
  private toolIds = 0;
  private shadowRepo: GitDir | null = null;

  constructor(readonly o: GeminiSessionOptions) {
    this.clock = o.start;
    const start = new Date(o.start).toISOString();
    this.lines.push(JSON.stringify({ sessionId: o.sessionId, projectHash: crypto.createHash('sha256').update(o.repo.dir).digest('hex'), startTime: start, lastUpdated: start, kind: 'main' }));
  }

  get now(): number {
    return this.clock;
  }

  private tick(seconds: number): string {
    this.clock += Math.round(seconds * 1000);
    return new Date(this.clock).toISOString();
  }

  private nextId(): string {
    const h = crypto.createHash('sha1').update(`${this.o.sessionId}:${this.records++}`).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  private touch(): void {
    this.lines.push(JSON.stringify({ $set: { lastUpdated: new Date(this.clock).toISOString() } }));
  }

  prompt(text: string, seconds = 30): void {
    const timestamp = this.tick(seconds);
    this.prompts.push({ text, at: this.clock });
    this.lines.push(JSON.stringify({ id: this.nextId(), timestamp, type: 'user', content: [{ text }] }));
    this.touch();
  }

  say(text: string, thoughts: { subject: string; description: string }[] = [], seconds = 6): void {
    const timestamp = this.tick(seconds);
    this.lines.push(JSON.stringify({ id: this.nextId(), timestamp, type: 'gemini', content: text, thoughts: thoughts.map((t) => ({ ...t, timestamp })), tokens: this.tokens(text), model: 'gemini-2.5-pro' }));
    this.touch();
  }

  private tokens(text: string): Json {
    const output = Math.max(8, Math.round(text.length / 4));
    return { input: 14_200 + this.records * 310, output, cached: 11_900, thoughts: 96, tool: 0, total: 14_200 + this.records * 310 + output + 96 };
  }

  /**
   * One model turn whose tool calls run in order. Gemini writes the message when the calls are scheduled and again,
   * under the same id, when they finished (the last copy wins); both copies are recorded here.
   */
  turn(thoughts: { subject: string; description: string }[], calls: readonly (() => ToolCall)[], seconds = 5): void {
    const id = this.nextId();
    const timestamp = this.tick(seconds);
    const thoughtRecords = thoughts.map((t) => ({ ...t, timestamp }));
    const done: Json[] = [];
    for (const make of calls) {
      this.tick(2);
      const call = make();
      const cid = `${call.name}-${this.clock}-${(++this.toolIds).toString(16).padStart(4, '0')}`;
      done.push({
        id: cid,
        name: call.name,
        args: call.args,
        result: [{ functionResponse: { id: cid, name: call.name, response: call.status === 'error' ? { error: call.output } : { output: call.output } } }],
        status: call.status ?? 'success',
        timestamp: new Date(this.clock).toISOString(),
        displayName: DISPLAY_NAMES[call.name] ?? call.name,
        ...(call.display !== undefined ? { resultDisplay: call.display } : {}),
        renderOutputAsMarkdown: call.name !== 'run_shell_command',
      });
    }
    const scheduled = done.map((c) => ({ id: c.id, name: c.name, args: c.args, status: 'scheduled', timestamp }));
    this.lines.push(JSON.stringify({ id, timestamp, type: 'gemini', content: '', thoughts: thoughtRecords, model: 'gemini-2.5-pro', toolCalls: scheduled }));
    this.lines.push(JSON.stringify({ id, timestamp, type: 'gemini', content: '', thoughts: thoughtRecords, tokens: this.tokens(''), model: 'gemini-2.5-pro', toolCalls: done }));
    this.touch();
  }

  read(rel: string): () => ToolCall {
    return () => {
      const content = this.o.repo.read(rel) ?? '';
      return { name: 'read_file', args: { file_path: this.o.repo.abs(rel) }, output: content, display: '' };
    };
  }

  shell(command: string, output: string, exitCode = 0): () => ToolCall {
    return () => ({
      name: 'run_shell_command',
      args: { command, description: `Runs \`${command}\` in the project root.` },
      output: `Command: ${command}\nDirectory: (root)\nOutput: ${output}\nError: (none)\nExit Code: ${exitCode}\nSignal: (none)\nBackground PIDs: (none)\nProcess Group PGID: (none)`,
      display: output,
    });
  }

  /** `write_file`; with `checkpoint`, it waited for approval and Gemini took a checkpoint first. */
  writeFile(rel: string, content: string, checkpoint: boolean): () => ToolCall {
    return () => {
      const args = { file_path: this.o.repo.abs(rel), content };
      if (checkpoint) this.checkpoint('write_file', args);
      return this.editResult('write_file', args, this.o.repo.write(rel, content));
    };
  }

  replace(rel: string, oldString: string, newString: string, instruction: string, checkpoint: boolean): () => ToolCall {
    return () => {
      const args = { file_path: this.o.repo.abs(rel), old_string: oldString, new_string: newString, instruction };
      if (checkpoint) this.checkpoint('replace', args);
      return this.editResult('replace', args, this.o.repo.replace(rel, oldString, newString));
    };
  }

  private editResult(name: string, args: Json, c: FileChange): ToolCall {
    const file = this.o.repo.abs(c.rel);
    const created = c.before === null;
    return {
      name,
      args,
      output: created ? `Successfully created and wrote to new file: ${file}.` : name === 'replace' ? `Successfully modified file: ${file} (1 replacements).` : `Successfully overwrote file: ${file}.`,
      display: {
        fileDiff: unifiedDiff(c.before, c.after, `${path.basename(file)}\tCurrent`, `${path.basename(file)}\tProposed`),
        fileName: path.basename(file),
        filePath: file,
        originalContent: c.before,
        newContent: c.after,
        isNewFile: created,
      },
    };
  }

  /** The shadow repository `history/<project>`, set up as Gemini CLI does on its first checkpoint. */
  private shadow(when: number): GitDir {
    if (this.shadowRepo) return this.shadowRepo;
    const dir = path.join(this.o.geminiDir, 'history', this.o.projectId);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, '.gitconfig'), '[user]\n  name = Gemini CLI\n  email = gemini-cli@google.com\n[commit]\n  gpgsign = false\n');
    fs.writeFileSync(path.join(dir, '.project_root'), this.o.repo.dir);
    const ignore = this.o.repo.read('.gitignore');
    if (ignore !== null) fs.writeFileSync(path.join(dir, '.gitignore'), ignore);
    const repo = GitDir.init(path.join(dir, '.git'));
    repo.commit(repo.emptyTree(), 'main', GEMINI_CLI, when, 'Initial commit');
    this.shadowRepo = repo;
    return repo;
  }

  /** What Gemini does before an approved edit: commit the project tree in the shadow repository, name it in a file. */
  private checkpoint(tool: string, args: Json): void {
    const stamp = new Date(this.clock - 400);
    const commitHash = this.shadow(stamp.getTime() - 1000).commitWorkTree(this.o.repo.dir, 'main', GEMINI_CLI, stamp.getTime(), `Snapshot for ${tool}`);
    const name = `${stamp.toISOString().replace(/:/g, '-').replace('.', '_')}-${path.basename(String(args.file_path))}-${tool}.json`;
    const doc = {
      history: this.prompts.map((p, i) => ({ type: 'user', text: p.text, id: p.at + i })),
      clientHistory: this.prompts.map((p) => ({ role: 'user', parts: [{ text: p.text }] })),
      toolCall: { name: tool, args },
      commitHash,
      messageId: `prompt-${this.o.sessionId.slice(0, 8)}-${this.prompts.length}`,
    };
    writeDated(path.join(this.projectDir(), 'checkpoints', name), JSON.stringify(doc, null, 2), stamp.getTime());
  }

  private projectDir(): string {
    return path.join(this.o.geminiDir, 'tmp', this.o.projectId);
  }

  /** Writes the chat, `logs.json`, the project registry and the project marker. */
  save(): string {
    const project = this.projectDir();
    const started = new Date(this.o.start).toISOString();
    const file = path.join(project, 'chats', `session-${started.slice(0, 16).replace(':', '-')}-${this.o.sessionId.slice(0, 8)}.jsonl`);
    writeDated(file, `${this.lines.join('\n')}\n`, this.clock);
    const logs = this.prompts.map((p, i) => ({ sessionId: this.o.sessionId, messageId: i, timestamp: new Date(p.at).toISOString(), type: 'user', message: p.text }));
    writeDated(path.join(project, 'logs.json'), JSON.stringify(logs, null, 2), this.clock);
    writeDated(path.join(project, '.project_root'), this.o.repo.dir, this.o.start);
    writeDated(path.join(this.o.geminiDir, 'projects.json'), JSON.stringify({ projects: { [this.o.repo.dir]: this.o.projectId } }, null, 2), this.o.start);
    return file;
  }
}

const DISPLAY_NAMES: Readonly<Record<string, string>> = {
  read_file: 'ReadFile',
  write_file: 'WriteFile',
  replace: 'Edit',
  run_shell_command: 'Shell',
};
