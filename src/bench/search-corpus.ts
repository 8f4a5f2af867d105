/**
 * A generated Claude Code history for the search benchmark: N messages of realistic text. Words follow a Zipf law
 * over a vocabulary of a few hundred real words and tens of thousands of made-up ones, so common words sit in most
 * messages and rare ones in a handful; tool outputs have a long tail of sizes; a small share of turns states
 * decisions, rejections, failed runs and statuses, so the fact extractor has something to find. Deterministic for a
 * seed. Written as JSONL files (ingested by the real adapter, and what ripgrep scans as the baseline).
 */
import fs from 'node:fs';
import path from 'node:path';
import { rng } from './corpus.js';

export interface SearchCorpusSpec {
  /** Approximate number of messages (tool calls and results count one each). */
  readonly messages: number;
  readonly seed?: number;
  /** Average messages per session (sessions vary around it with a long tail). */
  readonly messagesPerSession?: number;
}

export interface SearchCorpus {
  readonly claudeDir: string;
  readonly files: readonly string[];
  readonly bytes: number;
  readonly messages: number;
  readonly sessions: number;
  /** The made-up words at given frequency ranks, for rare-word queries. */
  readonly rareWords: readonly string[];
}

/** Real words, most frequent first: they take the top Zipf ranks. */
const BASE_WORDS = (
  'the to a of and is in it that for this we on with be as not you are can i if test file function error ' +
  'code will should use return value type data from by have so an or now but at let run change add check fix ' +
  'build need new all make when then which one there also here was see update call config state user request ' +
  'response server client api module import export const string number object array null undefined true false ' +
  'async await promise cache token session cookie header query index schema database table column row migration ' +
  'retry timeout connection failed passes failing debug log output input path directory command branch commit ' +
  'merge diff review refactor component render props hook effect event handler listener route page form field ' +
  'validation message status count total price cart checkout discount limit order item product payment invoice ' +
  'customer account login logout password auth permission role admin dashboard report chart filter sort search ' +
  'result list map set key name id version release deploy docker image container service worker queue job task ' +
  'thread process memory cpu disk network socket stream buffer parse format encode decode json yaml csv xml html ' +
  'css style theme color layout width height size offset cursor scroll window terminal screen frame width ' +
  'interface class method property constructor instance module package dependency library framework plugin ' +
  'lint typecheck compile bundle minify transpile coverage mock stub spy fixture snapshot assertion expect ' +
  'environment variable secret credential certificate proxy gateway endpoint webhook callback subscription ' +
  'notification email template locale translation timezone date time duration interval schedule cron'
).split(/\s+/);

const SYLLABLES = 'ka ro mi tu ne sa lo vi da pe zu fo gri tan mel dor bex qui lun vor sip tek nar jol wum yas ex ion ar'.split(' ');

/** Vocabulary: the real words, then made-up ones ("gritanmel", "vorsip") to a total of `size`. */
function vocabulary(r: () => number, size: number): string[] {
  const words = [...new Set(BASE_WORDS)];
  const seen = new Set(words);
  while (words.length < size) {
    const n = 2 + Math.floor(r() * 3);
    let w = '';
    for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(r() * SYLLABLES.length)];
    if (!seen.has(w)) {
      seen.add(w);
      words.push(w);
    }
  }
  return words;
}

/** Samples ranks with probability ∝ 1 / rank^s by binary search over the cumulative weights. */
function zipf(r: () => number, n: number, s = 1.05): () => number {
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) cumulative[i] = total += 1 / Math.pow(i + 1, s);
  return () => {
    const x = r() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/** Technologies the planted decisions and dead ends talk about (what fuzzy queries look for). */
const TECH = [
  'axios interceptor', 'fetch wrapper', 'httpOnly cookies', 'localStorage', 'Redis cache', 'in-memory LRU', 'Postgres',
  'SQLite WAL mode', 'Zustand', 'Redux', 'pnpm workspaces', 'npm workspaces', 'esbuild', 'webpack', 'vitest', 'jest',
  'websocket reconnect', 'server-sent events', 'BullMQ', 'cron job', 'optimistic updates', 'polling', 'GraphQL',
  'REST endpoints', 'token refresh', 'session cookie', 'feature flag', 'env variable', 'Playwright', 'Cypress',
  'worker thread', 'child process', 'debounce', 'throttle', 'tRPC', 'Zod schema', 'Prisma', 'Drizzle', 'Docker compose',
];
const REASONS = [
  'it keeps the callers unchanged', 'localStorage is readable by any script', 'the UI needs instant feedback',
  'it survives reloads', 'the old one loops on 401', 'it halves the bundle', 'CI runs twice as fast', 'it is synchronous',
  'Safari drops third-party cookies', 'the queue needs rate limits', 'clock skew breaks expiry checks',
];

interface Writer {
  line(s: string): void;
}

export function generateSearchCorpus(root: string, spec: SearchCorpusSpec): SearchCorpus {
  const r = rng(spec.seed ?? 7);
  const vocab = vocabulary(r, 40_000);
  const rank = zipf(r, vocab.length);
  const word = () => vocab[rank()];
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const sentence = (min: number, max: number) => {
    const n = min + Math.floor(r() * (max - min + 1));
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(word());
    out[0] = out[0][0].toUpperCase() + out[0].slice(1);
    return `${out.join(' ')}.`;
  };
  const prose = (sentences: number) => Array.from({ length: sentences }, () => sentence(6, 22)).join(' ');
  const filePath = () => `src/${pick(['api', 'cart', 'auth', 'ui', 'store', 'lib', 'server', 'jobs'])}/${word()}.ts`;
  // Output lines: a template of common words with two slots filled afresh on every use, so rare words stay rare.
  const templates = Array.from({ length: 4000 }, () => {
    const n = 4 + Math.floor(r() * 10);
    const ws: string[] = [];
    for (let i = 0; i < n; i++) ws.push(vocab[Math.floor(r() * 300)]);
    return ws;
  });
  const outputLine = () => {
    const t = templates[Math.floor(r() * templates.length)];
    return `${t.join(' ')} ${word()} ${Math.floor(r() * 10_000)} ${word()}`;
  };
  const output = (size: number) => {
    const lines: string[] = [];
    let n = 0;
    while (n < size) {
      const l = outputLine();
      lines.push(l);
      n += l.length + 1;
    }
    return lines.join('\n');
  };
  const outputSize = () => {
    const x = r();
    if (x < 0.7) return 300 + Math.floor(r() * 7000);
    if (x < 0.95) return 7000 + Math.floor(r() * 63_000);
    if (x < 0.995) return 70_000 + Math.floor(r() * 150_000);
    return 220_000 + Math.floor(r() * 40_000);
  };

  const claudeDir = path.join(root, 'claude');
  const files: string[] = [];
  let bytes = 0;
  let messages = 0;
  let sessions = 0;
  const perSession = spec.messagesPerSession ?? 70;
  const start = Date.UTC(2025, 10, 1);
  const span = 365 * 86_400_000;
  let uuidCounter = 0;
  const uuid = () => {
    uuidCounter++;
    const hex = uuidCounter.toString(16).padStart(12, '0');
    return `${Math.floor(r() * 0xffffffff).toString(16).padStart(8, '0')}-0000-4000-8000-${hex}`;
  };

  while (messages < spec.messages) {
    sessions++;
    const project = `/home/dev/proj-${Math.floor(r() * 40)}`;
    const dir = path.join(claudeDir, 'projects', project.replaceAll('/', '-'));
    fs.mkdirSync(dir, { recursive: true });
    const sessionId = uuid();
    const file = path.join(dir, `${sessionId}.jsonl`);
    const fd = fs.openSync(file, 'w');
    const chunks: string[] = [];
    let pending = 0;
    const flush = () => {
      if (!chunks.length) return;
      const buf = Buffer.from(chunks.join(''));
      fs.writeSync(fd, buf);
      bytes += buf.length;
      chunks.length = 0;
      pending = 0;
    };
    const w: Writer = {
      line(s) {
        chunks.push(s, '\n');
        pending += s.length + 1;
        if (pending > 4 * 1024 * 1024) flush();
      },
    };
    // Session length: exponential around the average, a few very long ones.
    const target = Math.max(4, Math.round(-Math.log(1 - r()) * perSession * (r() < 0.01 ? 20 : 1)));
    let t = start + Math.floor(r() * span);
    let parent: string | null = null;
    let inSession = 0;
    const base = (u: string) => ({
      parentUuid: parent, isSidechain: false, userType: 'external', cwd: project, sessionId, version: '2.1.150',
      gitBranch: 'main', uuid: u, timestamp: new Date((t += 2000 + Math.floor(r() * 30_000))).toISOString(),
    });
    const user = (content: unknown) => {
      const u = uuid();
      w.line(JSON.stringify({ ...base(u), type: 'user', message: { role: 'user', content } }));
      parent = u;
      inSession++;
    };
    const assistant = (block: Record<string, unknown>) => {
      const u = uuid();
      w.line(JSON.stringify({ ...base(u), type: 'assistant', message: { id: `msg_${u.slice(-12)}`, type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [block] } }));
      parent = u;
      inSession++;
    };
    const tool = (name: string, input: Record<string, unknown>, out: string, isError = false) => {
      const id = `toolu_${uuid().replaceAll('-', '').slice(-20)}`;
      assistant({ type: 'tool_use', id, name, input });
      user([{ tool_use_id: id, type: 'tool_result', content: out, is_error: isError }]);
    };
    while (inSession < target) {
      // A turn: a prompt, some thinking and tool calls, a reply.
      const x = r();
      if (x < 0.01) user(`no, that ${pick(['loops on 401', 'breaks the login', 'drops the cart', 'is too slow'])} — ${prose(1)}`);
      else if (x < 0.015) user(`use ${pick(TECH)}, not ${pick(TECH)}`);
      else user(`${prose(1 + Math.floor(r() * 3))}${r() < 0.3 ? ` See ${filePath()}.` : ''}`);
      const steps = 1 + Math.floor(r() * 5);
      for (let s = 0; s < steps && inSession < target; s++) {
        if (r() < 0.6) assistant({ type: 'thinking', thinking: prose(2 + Math.floor(r() * 6)), signature: 'sig' });
        const kind = r();
        if (kind < 0.35) tool('Read', { file_path: `${project}/${filePath()}` }, output(outputSize()));
        else if (kind < 0.65) {
          const failed = r() < 0.12;
          const cmd = pick([`npm test -- ${word()}`, `npm run build`, `git diff -- ${filePath()}`, `rg ${word()} src`, `git checkout -- ${filePath()}`]);
          tool('Bash', { command: cmd }, failed ? `FAIL ${filePath()}\n${output(400)}\nTests: 1 failed` : output(outputSize()), failed);
        } else {
          tool('Edit', { file_path: `${project}/${filePath()}`, old_string: output(200 + Math.floor(r() * 800)), new_string: output(200 + Math.floor(r() * 800)) }, 'The file has been updated.');
        }
      }
      const y = r();
      let text = prose(2 + Math.floor(r() * 8));
      if (y < 0.02) text = `We'll go with ${pick(TECH)} instead of ${pick(TECH)} because ${pick(REASONS)}. ${text}`;
      else if (y < 0.03) text = `That didn't work. Let me try a different approach with ${pick(TECH)}. ${text}`;
      else if (y < 0.045) text = `${text}\n\nDone: ${sentence(3, 8)}\nNext: ${pick(TECH)} for ${word()}.`;
      else if (y < 0.047) text = `${text} The ECONNRESET from the ${pick(TECH)} keeps coming back.`;
      assistant({ type: 'text', text });
    }
    flush();
    fs.closeSync(fd);
    files.push(file);
    messages += inSession;
  }
  return { claudeDir, files, bytes, messages, sessions, rareWords: [vocab[2000], vocab[8000], vocab[20_000], vocab[39_000]] };
}
