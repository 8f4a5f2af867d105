/**
 * A generated Claude Code history of realistic shape for benchmarks: many sessions of a few hundred KB, tool
 * outputs from a few bytes to megabytes, and one very large transcript. Deterministic for a given seed.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface CorpusSpec {
  readonly sessions: number;
  /** Approximate size of the one large transcript, in bytes. */
  readonly largeBytes: number;
  readonly seed?: number;
}

export interface Corpus {
  readonly claudeDir: string;
  readonly files: string[];
  readonly bytes: number;
  readonly largestFile: string;
  readonly largestSessionId: string;
}

/** Small deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const WORDS = (
  'the cart checkout total cents price discount limit refactor test failing passes build error module import ' +
  'function return const type interface async await promise cache token session cookie header request response ' +
  'database query index migration schema retry timeout config env docker deploy branch commit merge rebase diff'
).split(' ');

export function sentence(r: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[Math.floor(r() * WORDS.length)]);
  return out.join(' ');
}

/** Tool output sizes: mostly small, a tail of large ones, the odd multi-megabyte read. */
export function outputSize(r: () => number): number {
  const x = r();
  if (x < 0.7) return 50 + Math.floor(r() * 2000);
  if (x < 0.95) return 2000 + Math.floor(r() * 30_000);
  if (x < 0.995) return 30_000 + Math.floor(r() * 300_000);
  return 1_000_000 + Math.floor(r() * 3_000_000);
}

export function uuidFrom(r: () => number): string {
  const hex = () => Math.floor(r() * 0x10000).toString(16).padStart(4, '0');
  return `${hex()}${hex()}-${hex()}-4${hex().slice(1)}-a${hex().slice(1)}-${hex()}${hex()}${hex()}`;
}

export class LineWriter {
  private chunks: string[] = [];
  private pending = 0;
  /** Bytes written so far, including what is still buffered (UTF-16 length of buffered text: close for ASCII). */
  get bytes(): number {
    return this.flushed + this.pending;
  }
  private flushed = 0;
  constructor(private readonly fd: number) {}
  line(s: string): void {
    this.chunks.push(s, '\n');
    this.pending += s.length + 1;
    if (this.pending > 4 * 1024 * 1024) this.flush();
  }
  flush(): void {
    if (!this.chunks.length) return;
    const buf = Buffer.from(this.chunks.join(''));
    fs.writeSync(this.fd, buf);
    this.flushed += buf.length;
    this.chunks = [];
    this.pending = 0;
  }
}

function writeSession(file: string, sessionId: string, cwd: string, r: () => number, targetBytes: number, start: number): number {
  const fd = fs.openSync(file, 'w');
  const w = new LineWriter(fd);
  let parent: string | null = null;
  let t = start;
  let turn = 0;
  const base = (uuid: string) => ({
    parentUuid: parent, isSidechain: false, userType: 'external', cwd, sessionId, version: '2.1.150', gitBranch: 'main',
    uuid, timestamp: new Date((t += 1000 + Math.floor(r() * 20_000))).toISOString(),
  });
  const filler = 'x'.repeat(64);
  while (w.bytes < targetBytes) {
    turn++;
    let u = uuidFrom(r);
    w.line(JSON.stringify({ ...base(u), type: 'user', message: { role: 'user', content: `${sentence(r, 8 + Math.floor(r() * 30))}?` } }));
    parent = u;
    const steps = 1 + Math.floor(r() * 6);
    for (let s = 0; s < steps; s++) {
      const msgId = `msg_${uuidFrom(r).slice(0, 12)}`;
      u = uuidFrom(r);
      w.line(JSON.stringify({ ...base(u), type: 'assistant', requestId: 'req_x', message: { id: msgId, type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [{ type: 'thinking', thinking: sentence(r, 20 + Math.floor(r() * 60)), signature: filler }], usage: { input_tokens: 10, output_tokens: 100 } } }));
      parent = u;
      const toolId = `toolu_${uuidFrom(r).replaceAll('-', '').slice(0, 24)}`;
      const kind = r();
      const tool = kind < 0.4 ? 'Read' : kind < 0.7 ? 'Bash' : 'Edit';
      const input = tool === 'Bash' ? { command: `npm test -- ${WORDS[turn % WORDS.length]}` } : tool === 'Read' ? { file_path: `${cwd}/src/${WORDS[s % WORDS.length]}.ts` } : { file_path: `${cwd}/src/${WORDS[s % WORDS.length]}.ts`, old_string: sentence(r, 6), new_string: sentence(r, 7) };
      u = uuidFrom(r);
      w.line(JSON.stringify({ ...base(u), type: 'assistant', requestId: 'req_x', message: { id: msgId, type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [{ type: 'tool_use', id: toolId, name: tool, input }], usage: { input_tokens: 10, output_tokens: 100 } } }));
      parent = u;
      const size = outputSize(r);
      const lineText = `${sentence(r, 12)}\n`;
      const output = lineText.repeat(Math.max(1, Math.floor(size / lineText.length)));
      u = uuidFrom(r);
      const isError = tool === 'Bash' && r() < 0.15;
      w.line(JSON.stringify({ ...base(u), type: 'user', message: { role: 'user', content: [{ tool_use_id: toolId, type: 'tool_result', content: output, is_error: isError }] }, toolUseResult: tool === 'Bash' ? { stdout: output.slice(0, 2000), stderr: '', interrupted: false } : { type: 'text' } }));
      parent = u;
    }
    u = uuidFrom(r);
    w.line(JSON.stringify({ ...base(u), type: 'assistant', message: { id: `msg_${uuidFrom(r).slice(0, 12)}`, type: 'message', role: 'assistant', content: [{ type: 'text', text: sentence(r, 30 + Math.floor(r() * 80)) }] } }));
    parent = u;
    if (turn % 50 === 0) {
      u = uuidFrom(r);
      w.line(JSON.stringify({ ...base(u), parentUuid: null, logicalParentUuid: parent, type: 'system', subtype: 'compact_boundary', content: 'Conversation compacted', level: 'info', compactMetadata: { trigger: 'auto', preTokens: 160_000 } }));
      parent = u;
    }
    w.line(JSON.stringify({ type: 'file-history-snapshot', messageId: parent, snapshot: { messageId: parent, trackedFileBackups: {}, timestamp: new Date(t).toISOString() }, isSnapshotUpdate: false }));
  }
  w.flush();
  fs.closeSync(fd);
  return w.bytes;
}

export function generateCorpus(root: string, spec: CorpusSpec): Corpus {
  const r = rng(spec.seed ?? 42);
  const claudeDir = path.join(root, 'claude');
  const files: string[] = [];
  let bytes = 0;
  const now = Date.UTC(2026, 10, 20);
  for (let i = 0; i < spec.sessions; i++) {
    const project = `-home-dev-project-${i % 12}`;
    const dir = path.join(claudeDir, 'projects', project);
    fs.mkdirSync(dir, { recursive: true });
    const id = uuidFrom(r);
    const file = path.join(dir, `${id}.jsonl`);
    // Session sizes: most a few hundred KB, some a few MB.
    const target = r() < 0.9 ? 50_000 + Math.floor(r() * 600_000) : 1_000_000 + Math.floor(r() * 5_000_000);
    bytes += writeSession(file, id, `/home/dev/project-${i % 12}`, r, target, now - (spec.sessions - i) * 3_600_000);
    files.push(file);
  }
  const dir = path.join(claudeDir, 'projects', '-home-dev-monorepo');
  fs.mkdirSync(dir, { recursive: true });
  const largestSessionId = uuidFrom(r);
  const largestFile = path.join(dir, `${largestSessionId}.jsonl`);
  bytes += writeSession(largestFile, largestSessionId, '/home/dev/monorepo', r, spec.largeBytes, now - 30 * 86_400_000);
  files.push(largestFile);
  return { claudeDir, files, bytes, largestFile, largestSessionId };
}
