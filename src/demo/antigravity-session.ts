/**
 * Writes an Antigravity (`agy`) conversation the way agy 1.1.x does (shared formats/antigravity.md): the step log
 * `brain/<id>/.system_generated/logs/transcript_full.jsonl` and its truncated twin `transcript.jsonl`, the agent's
 * artifacts beside them, and the profile's `history.jsonl` and `cache/last_conversations.json`, which say which
 * folder the conversation worked in. Each edit is applied to the demo repository as it is recorded.
 */
import path from 'node:path';
import { lineHunk, unifiedHunk } from './line-diff.js';
import { writeDated, type DemoRepo } from './repo.js';

type Json = Record<string, unknown>;

export interface AntigravitySessionOptions {
  /** The profile (`~/.gemini/antigravity-cli`). */
  readonly profileDir: string;
  readonly repo: DemoRepo;
  readonly conversationId: string;
  readonly start: number;
  readonly model: string;
}

interface Call {
  readonly name: string;
  readonly args: Json;
  /** The result step: its type in the typed-result era, and its text after the time header. */
  readonly resultType: string;
  readonly body: string;
}

/** agy's twin file caps content around 4 KiB and JSON-encodes every tool argument once more (§3.9). */
const TWIN_CONTENT_MAX = 4096;

export class AntigravitySessionWriter {
  private readonly steps: Json[] = [];
  private readonly history: Json[] = [];
  private readonly files = new Map<string, { content: string; at: number }>();
  private clock: number;
  private index = 0;
  private prompts = 0;

  constructor(readonly o: AntigravitySessionOptions) {
    this.clock = o.start;
  }

  get now(): number {
    return this.clock;
  }

  /** Second precision, UTC (`created_at` of every step). */
  private stamp(seconds: number): string {
    this.clock = (Math.floor(this.clock / 1000) + Math.max(1, Math.round(seconds))) * 1000;
    return new Date(this.clock).toISOString().replace('.000Z', 'Z');
  }

  private step(source: string, type: string, fields: Json, seconds: number): Json {
    const step = { step_index: this.index++, source, type, status: 'DONE', created_at: this.stamp(seconds), ...fields };
    this.steps.push(step);
    return step;
  }

  get brainDir(): string {
    return path.join(this.o.profileDir, 'brain', this.o.conversationId);
  }

  prompt(text: string, seconds = 30): void {
    const settings =
      this.prompts === 0
        ? `\n<USER_SETTINGS_CHANGE>\nThe user changed setting \`Model Selection\` from None to ${this.o.model}. No need to comment on this change if the user doesn't ask about it.\n</USER_SETTINGS_CHANGE>`
        : '';
    const input = this.step('USER_EXPLICIT', 'USER_INPUT', {}, seconds);
    const at = this.clock;
    const local = new Date(at).toISOString().replace('.000Z', '+00:00');
    input.content = `<USER_REQUEST>\n${text}\n</USER_REQUEST>\n<ADDITIONAL_METADATA>\nThe current local time is: ${local}.\n</ADDITIONAL_METADATA>${settings}`;
    // agy assigns the conversation id after the first prompt, so only later history lines carry it (§4.1).
    this.history.push({ display: text, timestamp: at, workspace: this.o.repo.dir, ...(this.prompts > 0 ? { conversationId: this.o.conversationId } : {}) });
    this.prompts++;
    this.step('SYSTEM', 'CONVERSATION_HISTORY', {}, 0);
  }

  say(content: string, thinking?: string, seconds = 5): void {
    this.step('MODEL', 'PLANNER_RESPONSE', { ...(thinking ? { thinking } : {}), content }, seconds);
  }

  /** A planner step calling tools, then one result step per call, in call order. */
  act(calls: readonly (() => Call)[], thinking?: string, content?: string, seconds = 4): void {
    const planner = this.step('MODEL', 'PLANNER_RESPONSE', { ...(thinking ? { thinking } : {}), ...(content ? { content } : {}) }, seconds);
    const made = calls.map((make) => make());
    planner.tool_calls = made.map((c) => ({ name: c.name, args: c.args }));
    for (const c of made) {
      const created = this.stamp(1);
      this.steps.push({ step_index: this.index++, source: 'MODEL', type: c.resultType, status: 'DONE', created_at: created, content: `Created At: ${created}\nCompleted At: ${created}\n${c.body}` });
    }
  }

  view(rel: string): () => Call {
    return () => {
      const file = this.o.repo.abs(rel);
      const lines = (this.o.repo.read(rel) ?? '').replace(/\n$/, '').split('\n');
      return {
        name: 'view_file',
        args: { AbsolutePath: file, toolAction: `Viewing ${path.basename(file)}`, toolSummary: `Read ${rel}` },
        resultType: 'VIEW_FILE',
        body: `File Path: \`file://${file}\`\nTotal Lines: ${lines.length}\nShowing lines 1 to ${lines.length}\n${lines.map((l, i) => `${i + 1}: ${l}`).join('\n')}\nThe above content shows the entire, complete file contents of the requested file.`,
      };
    };
  }

  command(commandLine: string, output: string, exitCode = 0): () => Call {
    return () => ({
      name: 'run_command',
      args: { CommandLine: commandLine, Cwd: this.o.repo.dir, WaitMsBeforeAsync: 2000, toolAction: `Running ${commandLine.split(' ')[0]}`, toolSummary: commandLine },
      resultType: 'RUN_COMMAND',
      body:
        (exitCode === 0 ? '\t\t\t\tThe command completed successfully.' : `\t\t\t\tThe command failed with exit code: ${exitCode}`) +
        `\n\t\t\t\tOutput:\n${output.replace(/\n$/, '').split('\n').map((l) => `\t\t\t\t${l}`).join('\n')}\n`,
    });
  }

  /** `replace_file_content` on a repository file: applied, and its result carries the diff block agy prints. */
  replace(rel: string, target: string, replacement: string, description: string): () => Call {
    return () => {
      const file = this.o.repo.abs(rel);
      const before = this.o.repo.read(rel) ?? '';
      const startLine = before.slice(0, before.indexOf(target)).split('\n').length;
      const change = this.o.repo.replace(rel, target, replacement);
      const h = lineHunk(change.before ?? '', change.after);
      return {
        name: 'replace_file_content',
        args: {
          TargetFile: file,
          TargetContent: target,
          ReplacementContent: replacement,
          StartLine: startLine,
          EndLine: startLine + target.split('\n').length - 1,
          AllowMultiple: false,
          Instruction: description,
          Description: description,
          toolAction: `Editing ${path.basename(file)}`,
          toolSummary: description,
        },
        resultType: 'CODE_ACTION',
        body: `The following changes were made by the replace_file_content tool to: ${file}. If relevant, proactively run terminal commands to execute this code for the USER. Don't ask for permission.\n[diff_block_start]\n${h ? unifiedHunk(h) : ''}[diff_block_end]`,
      };
    };
  }

  /** `write_to_file` of a brain artifact (task list, walkthrough) with its metadata file. */
  artifact(name: string, content: string, summary: string, type: string): () => Call {
    return () => {
      const file = path.join(this.brainDir, name);
      this.files.set(file, { content, at: this.clock });
      this.files.set(`${file}.metadata.json`, { content: JSON.stringify({ artifactType: type, summary, updatedAt: new Date(this.clock).toISOString().replace('Z', '000000Z') }), at: this.clock });
      return {
        name: 'write_to_file',
        args: { TargetFile: file, CodeContent: content, Overwrite: true, ArtifactMetadata: { RequestFeedback: false, Summary: summary, UserFacing: true }, Description: summary, toolAction: `Writing ${name}`, toolSummary: summary },
        resultType: 'CODE_ACTION',
        body: `Created file file://${file} with requested content.`,
      };
    };
  }

  private twin(): string {
    return this.steps
      .map((s) => {
        const t: Json = { ...s };
        if (typeof t.content === 'string' && t.content.length > TWIN_CONTENT_MAX) {
          t.content = t.content.slice(0, TWIN_CONTENT_MAX);
          t.truncated_fields = ['content'];
        }
        if (Array.isArray(t.tool_calls)) {
          t.tool_calls = (t.tool_calls as { name: string; args: Json }[]).map((c) => ({
            name: c.name,
            args: Object.fromEntries(Object.entries(c.args).map(([k, v]) => [k, JSON.stringify(v)])),
          }));
        }
        return JSON.stringify(t);
      })
      .join('\n');
  }

  /** Writes the step logs, the artifacts, and the profile's side files. Returns the full transcript's path. */
  save(): string {
    const logs = path.join(this.brainDir, '.system_generated', 'logs');
    const full = path.join(logs, 'transcript_full.jsonl');
    writeDated(full, `${this.steps.map((s) => JSON.stringify(s)).join('\n')}\n`, this.clock);
    writeDated(path.join(logs, 'transcript.jsonl'), `${this.twin()}\n`, this.clock);
    for (const [file, f] of this.files) writeDated(file, f.content, f.at);
    writeDated(path.join(this.o.profileDir, 'history.jsonl'), `${this.history.map((h) => JSON.stringify(h)).join('\n')}\n`, this.clock);
    writeDated(path.join(this.o.profileDir, 'cache', 'last_conversations.json'), JSON.stringify({ [this.o.repo.dir]: this.o.conversationId }), this.clock);
    return full;
  }
}
