/**
 * A generated Codex CLI history of realistic shape (formats/codex.md), and the cold-index benchmark over it.
 * Rollouts as Codex 0.118+ writes them: a ~20 KB session_meta, turn contexts, injected context, prompts with their
 * user_message events, encrypted reasoning, shell calls with outputs from bytes to megabytes, apply_patch calls with
 * their patch_apply_end events, token counts and the odd compaction. Deterministic for a given seed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { measureColdIndex, type AdapterBenchResult } from './cold-index.js';
import { LineWriter, outputSize, rng, sentence, uuidFrom, WORDS } from './corpus.js';

export interface CodexCorpusSpec {
  readonly sessions: number;
  readonly seed?: number;
}

export interface CodexCorpus {
  readonly codexDir: string;
  readonly files: string[];
  readonly bytes: number;
}

function patchFor(r: () => number, file: string): string {
  const lines = ['*** Begin Patch', `*** Update File: ${file}`, '@@'];
  const hunks = 1 + Math.floor(r() * 4);
  for (let h = 0; h < hunks; h++) {
    lines.push(` ${sentence(r, 6)}`, `-${sentence(r, 8)}`, `+${sentence(r, 9)}`, ` ${sentence(r, 5)}`);
  }
  if (r() < 0.2) lines.push(`*** Add File: src/${WORDS[Math.floor(r() * WORDS.length)]}-${Math.floor(r() * 1000)}.ts`, `+${sentence(r, 10)}`);
  lines.push('*** End Patch');
  return `${lines.join('\n')}\n`;
}

function writeRollout(file: string, threadId: string, cwd: string, r: () => number, targetBytes: number, start: number): number {
  const fd = fs.openSync(file, 'w');
  const w = new LineWriter(fd);
  let t = start;
  const line = (type: string, payload: unknown) => {
    t += 200 + Math.floor(r() * 5000);
    w.line(JSON.stringify({ timestamp: new Date(t).toISOString(), type, payload }));
  };
  const filler = (n: number) => 'g'.repeat(n);
  line('session_meta', {
    id: threadId, timestamp: new Date(start).toISOString(), cwd, originator: 'codex-tui', cli_version: '0.118.0', source: 'cli',
    model_provider: 'openai', base_instructions: { text: sentence(r, 3000) },
    git: { commit_hash: uuidFrom(r).replaceAll('-', '').padEnd(40, '0'), branch: 'main', repository_url: 'git@github.com:dev/app.git' },
  });
  let turn = 0;
  while (w.bytes < targetBytes) {
    turn++;
    const turnId = uuidFrom(r);
    line('event_msg', { type: 'task_started', turn_id: turnId, model_context_window: 272000 });
    line('turn_context', { turn_id: turnId, cwd, approval_policy: 'on-request', sandbox_policy: { type: 'workspace-write', writable_roots: [], network_access: false }, model: 'gpt-5.1-codex', effort: 'medium', summary: 'auto' });
    if (turn === 1) line('response_item', { type: 'message', role: 'user', content: [{ type: 'input_text', text: `<environment_context>\n  <cwd>${cwd}</cwd>\n  <shell>bash</shell>\n</environment_context>` }] });
    const ask = `${sentence(r, 8 + Math.floor(r() * 30))}?`;
    line('response_item', { type: 'message', role: 'user', content: [{ type: 'input_text', text: ask }] });
    line('event_msg', { type: 'user_message', message: ask, images: [], local_images: [], text_elements: [] });
    const steps = 1 + Math.floor(r() * 6);
    for (let s = 0; s < steps; s++) {
      const summary = `**${sentence(r, 4)}**`;
      line('response_item', { type: 'reasoning', summary: [{ type: 'summary_text', text: summary }], content: null, encrypted_content: filler(1500 + Math.floor(r() * 4000)) });
      line('event_msg', { type: 'agent_reasoning', text: summary });
      const callId = `call_${uuidFrom(r).replaceAll('-', '').slice(0, 24)}`;
      const target = `src/${WORDS[Math.floor(r() * WORDS.length)]}.ts`;
      if (r() < 0.3) {
        line('response_item', { type: 'custom_tool_call', status: 'completed', call_id: callId, name: 'apply_patch', input: patchFor(r, target) });
        const ok = r() > 0.1;
        line('event_msg', { type: 'patch_apply_end', call_id: callId, turn_id: turnId, success: ok, stdout: ok ? `Success. Updated the following files:\nM ${target}\n` : '', stderr: ok ? '' : 'hunk failed', changes: { [path.join(cwd, target)]: { type: 'update', unified_diff: `@@ -1 +1 @@\n-${sentence(r, 5)}\n+${sentence(r, 5)}\n`, move_path: null } } });
        line('response_item', { type: 'custom_tool_call_output', call_id: callId, output: JSON.stringify({ output: ok ? `Success. Updated the following files:\nM ${target}\n` : 'error: hunk failed', metadata: { exit_code: ok ? 0 : 1, duration_seconds: 0.1 } }) });
      } else {
        const command = r() < 0.5 ? `rg -n ${WORDS[turn % WORDS.length]} src` : `npm test -- ${WORDS[s % WORDS.length]}`;
        line('response_item', { type: 'function_call', name: 'shell_command', arguments: JSON.stringify({ command, workdir: cwd }), call_id: callId });
        const size = outputSize(r);
        const text = `${sentence(r, 12)}\n`;
        const output = text.repeat(Math.max(1, Math.floor(size / text.length)));
        const exit = r() < 0.15 ? 1 : 0;
        line('event_msg', { type: 'exec_command_end', call_id: callId, turn_id: turnId, command: ['bash', '-lc', command], cwd, exit_code: exit, aggregated_output: output.slice(0, 4000), duration: { secs: 0, nanos: 400_000_000 } });
        line('response_item', { type: 'function_call_output', call_id: callId, output: `Exit code: ${exit}\nWall time: 0.4 seconds\nOutput:\n${output}` });
      }
      line('event_msg', { type: 'token_count', info: { total_token_usage: { input_tokens: 20000 + turn * 100, cached_input_tokens: 18000, output_tokens: 300, reasoning_output_tokens: 120, total_tokens: 20300 + turn * 100 }, model_context_window: 272000 }, rate_limits: null });
    }
    const answer = sentence(r, 30 + Math.floor(r() * 80));
    line('event_msg', { type: 'agent_message', message: answer, phase: 'final_answer' });
    line('response_item', { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: answer }], phase: 'final_answer' });
    line('event_msg', { type: 'task_complete', turn_id: turnId, last_agent_message: answer });
    if (turn % 40 === 0) {
      line('event_msg', { type: 'context_compacted' });
      line('compacted', { message: sentence(r, 200), replacement_history: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: ask }] }] });
    }
  }
  w.flush();
  fs.closeSync(fd);
  return w.bytes;
}

export function generateCodexCorpus(root: string, spec: CodexCorpusSpec): CodexCorpus {
  const r = rng(spec.seed ?? 7);
  const codexDir = path.join(root, 'codex');
  const files: string[] = [];
  let bytes = 0;
  const now = Date.UTC(2026, 10, 20);
  for (let i = 0; i < spec.sessions; i++) {
    const start = now - (spec.sessions - i) * 3_600_000;
    const d = new Date(start);
    const day = path.join(codexDir, 'sessions', String(d.getUTCFullYear()), String(d.getUTCMonth() + 1).padStart(2, '0'), String(d.getUTCDate()).padStart(2, '0'));
    fs.mkdirSync(day, { recursive: true });
    const id = uuidFrom(r);
    const file = path.join(day, `rollout-${d.toISOString().slice(0, 19).replaceAll(':', '-')}-${id}.jsonl`);
    // Rollouts are a little larger than Claude transcripts of the same work: the meta and encrypted reasoning.
    const target = r() < 0.9 ? 60_000 + Math.floor(r() * 700_000) : 1_000_000 + Math.floor(r() * 6_000_000);
    bytes += writeRollout(file, id, `/home/dev/project-${i % 12}`, r, target, start);
    files.push(file);
  }
  return { codexDir, files, bytes };
}

/** Generates a Codex corpus under `root` and measures cold indexing against a JSON.parse baseline (median of `runs`). */
export function benchCodex(root: string, opts: { sessions?: number; runs?: number; seed?: number } = {}): AdapterBenchResult {
  const corpus = generateCodexCorpus(root, { sessions: opts.sessions ?? 300, seed: opts.seed });
  const roots = { claudeDir: path.join(root, 'no-claude'), codexDir: corpus.codexDir };
  return measureColdIndex(roots, corpus.files, corpus.bytes, path.join(root, 'codex-index.db'), opts.runs ?? 3);
}
