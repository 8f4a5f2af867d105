/**
 * A generated Gemini CLI history of realistic shape (formats/gemini-cli.md §2): JSONL sessions where every model
 * message is written several times as its tool calls complete (the last copy wins), `$set` updates, tool outputs
 * from bytes to megabytes, file edits; and the cold-index benchmark over it. Deterministic for a given seed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { measureColdIndex, type AdapterBenchResult } from './cold-index.js';
import { LineWriter, outputSize, rng, sentence, uuidFrom, WORDS } from './corpus.js';

export interface GeminiCorpus {
  readonly geminiDir: string;
  readonly files: string[];
  readonly bytes: number;
}

function writeSession(file: string, sessionId: string, root: string, r: () => number, targetBytes: number, start: number): number {
  const fd = fs.openSync(file, 'w');
  const w = new LineWriter(fd);
  let t = start;
  const at = () => new Date((t += 200 + Math.floor(r() * 5000))).toISOString();
  w.line(JSON.stringify({ sessionId, projectHash: 'f'.repeat(64), startTime: at(), lastUpdated: at(), kind: 'main' }));
  let n = 0;
  while (w.bytes < targetBytes) {
    w.line(JSON.stringify({ id: `${sessionId}-${++n}`, timestamp: at(), type: 'user', content: [{ text: `${sentence(r, 8 + Math.floor(r() * 30))}?` }] }));
    w.line(JSON.stringify({ $set: { lastUpdated: at() } }));
    const id = `${sessionId}-${++n}`;
    const ts = at();
    const calls: Record<string, unknown>[] = [];
    const steps = 1 + Math.floor(r() * 5);
    for (let s = 0; s < steps; s++) {
      const file = `${root}/src/${WORDS[Math.floor(r() * WORDS.length)]}.ts`;
      const kind = r();
      const call: Record<string, unknown> =
        kind < 0.3
          ? { id: `replace-${n}-${s}`, name: 'replace', args: { file_path: file, old_string: sentence(r, 6), new_string: sentence(r, 7) } }
          : kind < 0.6
            ? { id: `read_file-${n}-${s}`, name: 'read_file', args: { absolute_path: file } }
            : { id: `run_shell_command-${n}-${s}`, name: 'run_shell_command', args: { command: `npm test -- ${WORDS[s % WORDS.length]}` } };
      calls.push({ ...call, status: 'executing', timestamp: at() });
      // The message is re-sent whole while its calls run, then once more when they finish.
      w.line(JSON.stringify({ id, timestamp: ts, type: 'gemini', content: '', thoughts: [{ subject: sentence(r, 3), description: sentence(r, 20), timestamp: ts }], model: 'gemini-2.5-pro', toolCalls: calls }));
      const text = `${sentence(r, 12)}\n`;
      const output = text.repeat(Math.max(1, Math.floor(outputSize(r) / text.length)));
      calls[calls.length - 1] = { ...call, status: 'success', timestamp: at(), result: [{ functionResponse: { id: call.id, name: call.name, response: { output } } }], resultDisplay: output.slice(0, 2000) };
    }
    w.line(JSON.stringify({ id, timestamp: ts, type: 'gemini', content: '', thoughts: [], model: 'gemini-2.5-pro', tokens: { input: 12000, output: 80, cached: 0, total: 12080 }, toolCalls: calls }));
    w.line(JSON.stringify({ id: `${sessionId}-${++n}`, timestamp: at(), type: 'gemini', content: sentence(r, 30 + Math.floor(r() * 80)), thoughts: [], model: 'gemini-2.5-pro' }));
  }
  w.flush();
  fs.closeSync(fd);
  return w.bytes;
}

export function generateGeminiCorpus(root: string, spec: { sessions: number; seed?: number }): GeminiCorpus {
  const r = rng(spec.seed ?? 11);
  const geminiDir = path.join(root, 'gemini');
  const files: string[] = [];
  let bytes = 0;
  const now = Date.UTC(2026, 10, 20);
  const registry: Record<string, string> = {};
  for (let i = 0; i < spec.sessions; i++) {
    const project = `project-${i % 12}`;
    registry[`/home/dev/${project}`] = project;
    const chats = path.join(geminiDir, 'tmp', project, 'chats');
    fs.mkdirSync(chats, { recursive: true });
    const id = uuidFrom(r);
    const start = now - (spec.sessions - i) * 3_600_000;
    const file = path.join(chats, `session-${new Date(start).toISOString().slice(0, 16).replace(':', '-')}-${id.slice(0, 8)}.jsonl`);
    const target = r() < 0.9 ? 40_000 + Math.floor(r() * 500_000) : 1_000_000 + Math.floor(r() * 4_000_000);
    bytes += writeSession(file, id, `/home/dev/${project}`, r, target, start);
    files.push(file);
  }
  fs.writeFileSync(path.join(geminiDir, 'projects.json'), JSON.stringify({ projects: registry }));
  return { geminiDir, files, bytes };
}

/** Generates a Gemini corpus under `root` and measures cold indexing against a JSON.parse baseline (median of `runs`). */
export function benchGemini(root: string, opts: { sessions?: number; runs?: number; seed?: number } = {}): AdapterBenchResult {
  const corpus = generateGeminiCorpus(root, { sessions: opts.sessions ?? 300, seed: opts.seed });
  const roots = { claudeDir: path.join(root, 'no-claude'), geminiDir: corpus.geminiDir };
  return measureColdIndex(roots, corpus.files, corpus.bytes, path.join(root, 'gemini-index.db'), opts.runs ?? 3);
}
