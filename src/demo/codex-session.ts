/**
 * Writes a Codex CLI rollout the way Codex 0.6x does (shared formats/codex.md: `{timestamp, type, payload}` lines,
 * `exec_command` function calls, the freeform `apply_patch` tool), while applying each patch to the demo repository,
 * so the rollout and the files always agree.
 */
import path from 'node:path';
import { lineHunk, splitLines, unifiedHunk } from './line-diff.js';
import { writeDated, type DemoRepo, type FileChange } from './repo.js';

type Json = Record<string, unknown>;

export interface CodexSessionOptions {
  readonly codexDir: string;
  readonly repo: DemoRepo;
  /** Thread id (a UUID). */
  readonly threadId: string;
  readonly start: number;
  /** HEAD when the session starts: Codex records it in `session_meta.git`. */
  readonly commit: string | null;
  readonly branch: string;
}

/** `*** Update File` / `*** Add File` sections of an apply_patch body for changes already made. */
export function codexPatch(changes: readonly FileChange[]): string {
  const out = ['*** Begin Patch'];
  for (const c of changes) {
    if (c.before === null) {
      out.push(`*** Add File: ${c.rel}`, ...splitLines(c.after).map((l) => `+${l}`));
      continue;
    }
    const h = lineHunk(c.before, c.after);
    if (!h) continue;
    out.push(`*** Update File: ${c.rel}`, '@@', ...h.lines);
  }
  out.push('*** End Patch');
  return `${out.join('\n')}\n`;
}

export class CodexSessionWriter {
  private readonly lines: string[] = [];
  private clock: number;
  private calls = 0;
  private readonly turnId: string;

  constructor(readonly o: CodexSessionOptions) {
    this.clock = o.start;
    this.turnId = `${o.threadId.slice(0, 24)}${'0'.repeat(12)}`;
    this.line('session_meta', {
      id: o.threadId,
      timestamp: this.iso(),
      cwd: o.repo.dir,
      originator: 'codex-tui',
      cli_version: '0.63.0',
      source: 'cli',
      model_provider: 'openai',
      base_instructions: { text: "You are Codex, based on GPT-5. You are running as a coding agent in the Codex CLI on a user's computer." },
      git: { ...(o.commit ? { commit_hash: o.commit } : {}), branch: o.branch },
    });
    this.item({ type: 'message', role: 'developer', content: [{ type: 'input_text', text: '<permissions instructions>\nFilesystem sandboxing: workspace-write. Approval policy: on-request.\n</permissions instructions>' }] });
    this.item({
      type: 'message',
      role: 'user',
      content: [{ type: 'input_text', text: `<environment_context>\n  <cwd>${o.repo.dir}</cwd>\n  <approval_policy>on-request</approval_policy>\n  <sandbox_mode>workspace-write</sandbox_mode>\n  <network_access>restricted</network_access>\n  <shell>bash</shell>\n</environment_context>` }],
    });
  }

  get now(): number {
    return this.clock;
  }

  private iso(): string {
    return new Date(this.clock).toISOString();
  }

  private line(type: string, payload: Json, seconds = 0): void {
    this.clock += Math.round(seconds * 1000);
    this.lines.push(JSON.stringify({ timestamp: this.iso(), type, payload }));
  }

  private item(payload: Json, seconds = 0.01): void {
    this.line('response_item', payload, seconds);
  }

  private event(payload: Json, seconds = 0.01): void {
    this.line('event_msg', payload, seconds);
  }

  private callId(): string {
    return `call_${this.o.threadId.replace(/-/g, '').slice(0, 12)}${String(++this.calls).padStart(4, '0')}`;
  }

  prompt(text: string, seconds = 30): void {
    this.line(
      'turn_context',
      {
        turn_id: this.turnId,
        cwd: this.o.repo.dir,
        approval_policy: 'on-request',
        sandbox_policy: { type: 'workspace-write', writable_roots: [], network_access: false, exclude_tmpdir_env_var: false, exclude_slash_tmp: false },
        model: 'gpt-5.1-codex',
        effort: 'medium',
        summary: 'auto',
      },
      seconds,
    );
    this.item({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] });
    this.event({ type: 'user_message', message: text, images: [], local_images: [], text_elements: [] });
    this.event({ type: 'task_started', turn_id: this.turnId, model_context_window: 272_000 });
  }

  think(summary: string, seconds = 3): void {
    this.item({ type: 'reasoning', summary: [{ type: 'summary_text', text: summary }], content: null, encrypted_content: 'gAAAAABpZGVtby1yZWFzb25pbmc=' }, seconds);
    this.event({ type: 'agent_reasoning', text: summary });
  }

  /** An assistant message: `commentary` between tool calls, `final_answer` at the end of a turn. */
  say(text: string, phase: 'commentary' | 'final_answer' = 'commentary', seconds = 4): void {
    this.item({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text }], phase }, seconds);
    this.event({ type: 'agent_message', message: text, phase });
  }

  /** `exec_command`, with the output Codex records (exit code in the text, so a failure reads as one). */
  exec(cmd: string, output: string, exitCode = 0, seconds = 2): void {
    const id = this.callId();
    this.item({ type: 'function_call', name: 'exec_command', arguments: JSON.stringify({ cmd, workdir: this.o.repo.dir, yield_time_ms: 10_000 }), call_id: id }, seconds);
    this.event({ type: 'exec_command_end', call_id: id, turn_id: this.turnId, command: ['bash', '-lc', cmd], cwd: this.o.repo.dir, exit_code: exitCode, aggregated_output: output, duration: { secs: 0, nanos: 61_000_000 } }, 0.4);
    const tokens = Math.max(1, Math.round(output.length / 4));
    this.item({
      type: 'function_call_output',
      call_id: id,
      output: `Chunk ID: ${id.slice(-6)}\nWall time: 0.0610 seconds\nProcess exited with code ${exitCode}\nOriginal token count: ${tokens}\nOutput:\n${output}`,
    });
  }

  /** An apply_patch call that Codex refused (its context did not match): nothing on disk changes. */
  rejectedPatch(patch: string, file: string, seconds = 3): void {
    const id = this.callId();
    this.item({ type: 'custom_tool_call', status: 'completed', call_id: id, name: 'apply_patch', input: patch }, seconds);
    const wanted = patch.split('\n').filter((l) => l.startsWith('-')).map((l) => l.slice(1)).join('\n');
    this.item({ type: 'custom_tool_call_output', call_id: id, output: `apply_patch verification failed: Failed to find expected lines in ${this.o.repo.abs(file)}:\n${wanted}` }, 0.2);
  }

  /** Applies `edit` to the repository and records it as one apply_patch call with its result. */
  patch(edit: (repo: DemoRepo) => FileChange[], seconds = 3): void {
    const changes = edit(this.o.repo);
    const patch = codexPatch(changes);
    const id = this.callId();
    this.item({ type: 'custom_tool_call', status: 'completed', call_id: id, name: 'apply_patch', input: patch }, seconds);
    const summary = changes.map((c) => `${c.before === null ? 'A' : 'M'} ${c.rel}`).join('\n');
    const changed: Json = {};
    for (const c of changes) {
      const h = lineHunk(c.before ?? '', c.after);
      changed[this.o.repo.abs(c.rel)] = c.before === null ? { type: 'add', content: c.after } : { type: 'update', unified_diff: h ? unifiedHunk(h) : '', move_path: null };
    }
    this.event({ type: 'patch_apply_end', call_id: id, turn_id: this.turnId, success: true, stdout: `Success. Updated the following files:\n${summary}\n`, stderr: '', changes: changed }, 0.3);
    this.item({ type: 'custom_tool_call_output', call_id: id, output: JSON.stringify({ output: `Success. Updated the following files:\n${summary}\n`, metadata: { exit_code: 0, duration_seconds: 0.0 } }) });
  }

  /** Ends the turn: token usage and task_complete, as Codex writes them after the final answer. */
  endTurn(lastMessage: string, inputTokens: number): void {
    this.event({
      type: 'token_count',
      info: {
        total_token_usage: { input_tokens: inputTokens, cached_input_tokens: Math.round(inputTokens * 0.8), output_tokens: 1_240, reasoning_output_tokens: 512, total_tokens: inputTokens + 1_240 },
        last_token_usage: { input_tokens: 9_800, cached_input_tokens: 8_960, output_tokens: 310, reasoning_output_tokens: 128, total_tokens: 10_110 },
        model_context_window: 272_000,
      },
      rate_limits: null,
    });
    this.event({ type: 'task_complete', turn_id: this.turnId, last_agent_message: lastMessage });
  }

  /** Writes the rollout where Codex keeps it (the date folders and the name use the session's start time, UTC here). */
  save(): string {
    const start = new Date(this.o.start).toISOString();
    const [day, time] = [start.slice(0, 10), start.slice(11, 19).replace(/:/g, '-')];
    const file = path.join(this.o.codexDir, 'sessions', ...day.split('-'), `rollout-${day}T${time}-${this.o.threadId}.jsonl`);
    writeDated(file, `${this.lines.join('\n')}\n`, this.clock);
    return file;
  }
}
