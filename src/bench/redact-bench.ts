/**
 * Benchmark of the secret detector, for `npm run bench`: throughput on mixed transcript text beside baselines
 * measured in the same run (one trivial regular expression; JSON.parse of the same lines, which indexing pays anyway;
 * the token rules run one by one, the way rule-by-rule scanners work), the worst case of one multi-megabyte line, and
 * recall/precision on the labelled development set.
 * Every throughput is the median of repeated runs over a corpus built in memory (deterministic for a seed).
 */
import fs from 'node:fs';
import { detectSecrets, type SecretSpan } from '../redact/detect.js';
import { TOKEN_RULES } from '../redact/rules.js';
import { fmt, median } from './stats.js';
import { rng } from './corpus.js';

export interface RedactBenchOptions {
  /** Size of the mixed transcript corpus, in bytes (default 32 MB). */
  corpusBytes?: number;
  /** Runs per measurement (median reported; default 5). */
  runs?: number;
  seed?: number;
}

const WORDS = (
  'the cart checkout total cents price discount limit refactor test failing passes build error module import function ' +
  'return const type interface async await promise cache token session cookie header request response database query ' +
  'index migration schema retry timeout config env docker deploy branch commit merge rebase diff password secret key'
).split(' ');

function generator(seed: number) {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const chars = (alphabet: string, n: number) => {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(r() * alphabet.length)];
    return s;
  };
  const AN = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const HEX = '0123456789abcdef';
  const uuid = () => `${chars(HEX, 8)}-${chars(HEX, 4)}-4${chars(HEX, 3)}-a${chars(HEX, 3)}-${chars(HEX, 12)}`;
  const sentence = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(' ');
  const code = (n: number) =>
    Array.from({ length: n }, (_, i) =>
      pick([
        `  const ${pick(WORDS)}${i} = await ${pick(WORDS)}.${pick(WORDS)}(session.userId, { retries: ${i % 5} });`,
        `  if (!${pick(WORDS)}) throw new Error("missing ${pick(WORDS)} for ${pick(WORDS)}");`,
        `export function validatePassword(password: string): boolean { return password.length >= 12; }`,
        `  return verifyToken(token, process.env.JWT_SECRET, { algorithms: ["HS256"] });`,
        `  headers: { Authorization: \`Bearer \${token}\`, "Content-Type": "application/json" },`,
        `import { ${pick(WORDS)}, ${pick(WORDS)} } from "../${pick(WORDS)}/${pick(WORDS)}.js";`,
      ]),
    ).join('\n');
  const log = (n: number) =>
    Array.from(
      { length: n },
      () => `2026-03-12T04:53:59.245Z INFO  ${sentence(4)} request_id=${uuid()} trace_id=${chars(HEX, 32)} duration_ms=${Math.floor(r() * 900)}`,
    ).join('\n');
  const lockfile = (n: number) =>
    Array.from(
      { length: n },
      () => `    "node_modules/${pick(WORDS)}": {\n      "version": "1.${Math.floor(r() * 30)}.0",\n      "integrity": "sha512-${chars(AN + '+/', 86)}=="\n    },`,
    ).join('\n');
  const secret = () =>
    pick([
      `export GITHUB_TOKEN=ghp_${chars(AN, 36)}`,
      `AWS_ACCESS_KEY_ID=AKIA${chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}\nAWS_SECRET_ACCESS_KEY=${chars(AN + '/+', 40)}`,
      `DATABASE_URL=postgres://app:${chars(AN, 20)}@db.internal:5432/app`,
      `curl -H "Authorization: Bearer ${chars(AN, 40)}" https://api.acme.dev/v1/items`,
      `STRIPE_SECRET_KEY=sk_live_${chars(AN, 24)}`,
      `{"apiKey": "${chars(AN, 32)}", "region": "eu-west-1"}`,
    ]);
  const toolOutput = (): string => {
    const k = r();
    if (k < 0.3) return code(5 + Math.floor(r() * 80));
    if (k < 0.55) return log(5 + Math.floor(r() * 60));
    if (k < 0.65) return lockfile(3 + Math.floor(r() * 40));
    if (k < 0.72) return `data:image/png;base64,iVBORw0KGgo${chars(AN + '+/', 2000 + Math.floor(r() * 20000))}`;
    if (k < 0.8) return `diff --git a/src/a.ts b/src/a.ts\n${code(10).split('\n').map((l) => `+${l}`).join('\n')}`;
    return sentence(20 + Math.floor(r() * 200));
  };
  /** One JSONL line of a transcript: Claude Code or Codex shaped, with one secret in ~300 lines. */
  return (): string => {
    const body = r() < 1 / 300 ? `${toolOutput()}\n${secret()}\n` : toolOutput();
    const k = r();
    if (k < 0.25) {
      return JSON.stringify({
        type: 'assistant', uuid: uuid(), sessionId: uuid(),
        message: { id: `msg_${chars(AN, 24)}`, role: 'assistant', content: [{ type: 'thinking', thinking: sentence(40), signature: chars(AN + '+/', 300) }, { type: 'text', text: sentence(60) }] },
      });
    }
    if (k < 0.8) {
      return JSON.stringify({
        type: 'user', uuid: uuid(), sessionId: uuid(),
        message: { role: 'user', content: [{ tool_use_id: `toolu_${chars(AN, 24)}`, type: 'tool_result', content: body, is_error: false }] },
      });
    }
    return JSON.stringify({
      timestamp: '2026-07-19T09:16:30.079Z', type: 'response_item',
      payload: { type: 'function_call_output', call_id: `call_${chars(AN, 24)}`, output: JSON.stringify({ output: body, metadata: { exit_code: 0 } }) },
    });
  };
}

/** Builds `bytes` of mixed transcript lines. */
export function transcriptCorpus(bytes: number, seed = 7): string[] {
  const next = generator(seed);
  const lines: string[] = [];
  let size = 0;
  while (size < bytes) {
    const l = next();
    lines.push(l);
    size += l.length + 1;
  }
  return lines;
}

/**
 * MB/s of `fn` over `lines` (`mb` megabytes), median of `runs`: by the wall clock, and per core (by the process's CPU
 * time, which a busy shared machine does not inflate).
 */
function throughput(lines: readonly string[], mb: number, runs: number, fn: (line: string) => number): { mbs: number; cpuMbs: number; found: number } {
  const times: number[] = [];
  const cpu: number[] = [];
  let found = 0;
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    found = 0;
    for (const line of lines) found += fn(line);
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { mbs: mb / (median(times) / 1000), cpuMbs: mb / (median(cpu) / 1000), found };
}

interface LabelledCase {
  id: string;
  text: string;
  secrets: { start: number; end: number }[];
  optional?: { start: number; end: number }[];
}

/** Recall and precision as score_redactor.mjs defines them (secrets wholly covered; merged spans that touch nothing). */
export function scoreCases(cases: readonly LabelledCase[], spansOf: (text: string) => readonly SecretSpan[]) {
  let total = 0;
  let caught = 0;
  let tp = 0;
  let fp = 0;
  const overlap = (a: { start: number; end: number }, b: { start: number; end: number }) =>
    Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));
  for (const c of cases) {
    const merged: { start: number; end: number }[] = [];
    for (const s of [...spansOf(c.text)].sort((a, b) => a.start - b.start || a.end - b.end)) {
      const last = merged[merged.length - 1];
      if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
      else merged.push({ start: s.start, end: s.end });
    }
    for (const s of c.secrets) {
      total++;
      if (merged.some((m) => m.start <= s.start && m.end >= s.end)) caught++;
    }
    for (const m of merged) {
      if (c.secrets.some((s) => overlap(m, s) > 0)) tp++;
      else if (!(c.optional ?? []).some((s) => overlap(m, s) > 0)) fp++;
    }
  }
  return { recall: total ? caught / total : 1, precision: tp + fp ? tp / (tp + fp) : 1, caught, total, tp, fp };
}

/**
 * Runs the redaction benchmark and returns its figures by name. `devJsonlPath`: the labelled development set
 * (shared/secrets/dev.jsonl) for recall/precision, or null to skip that part.
 */
export function benchRedaction(devJsonlPath: string | null, opts: RedactBenchOptions = {}): Record<string, string> {
  const runs = opts.runs ?? 5;
  const out: Record<string, string> = {};
  const lines = transcriptCorpus(opts.corpusBytes ?? 32e6, opts.seed ?? 7);
  const mb = lines.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0) / 1e6;

  const baseline = throughput(lines, mb, runs, (line) => {
    const re = /AKIA[A-Z2-7]{16}/g;
    let n = 0;
    while (re.exec(line) !== null) n++;
    return n;
  });
  const parse = throughput(lines, mb, runs, (line) => (JSON.parse(line) === null ? 0 : 1));
  const detector = throughput(lines, mb, runs, (line) => detectSecrets(line).length);
  out['redact corpus'] = `${fmt(mb)} MB, ${lines.length} transcript lines (Claude Code and Codex shaped)`;
  out['redact one-regex pass (baseline)'] = `${fmt(baseline.mbs)} MB/s`;
  out['redact JSON.parse of the same lines (baseline)'] = `${fmt(parse.mbs)} MB/s`;
  out['redact detector'] =
    `${fmt(detector.mbs)} MB/s (${fmt(detector.cpuMbs)} MB/s per core by CPU time), ${fmt(detector.mbs / baseline.mbs, 3)}× the one-regex ` +
    `baseline, ${fmt(detector.mbs / parse.mbs, 2)}× JSON.parse, ${detector.found} secrets found`;

  // the token rules one regular expression at a time, as rule-by-rule scanners do (on a slice: it is slow)
  const slice = lines.slice(0, Math.ceil(lines.length / 4));
  const sliceMb = slice.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0) / 1e6;
  const separate = TOKEN_RULES.map((rule) => new RegExp(rule.pattern.source, 'g'));
  const oneByOne = throughput(slice, sliceMb, 1, (line) => {
    let n = 0;
    for (const re of separate) {
      re.lastIndex = 0;
      while (re.exec(line) !== null) n++;
    }
    return n;
  });
  out['redact token rules one by one (comparison)'] = `${fmt(oneByOne.mbs)} MB/s for ${separate.length} token patterns alone; the single-pass detector is ${fmt(detector.mbs / oneByOne.mbs, 1)}× faster with all its tiers`;

  // worst case: one line of 5 MB (a huge tool output, JSON-escaped, mixing code, logs, base64 and a few secrets)
  const next = generator((opts.seed ?? 7) + 1);
  let big = '';
  while (big.length < 5 * 1024 * 1024) big += `${next()}\\n`;
  const bigLine = JSON.stringify({ type: 'tool_result', content: big });
  const bigMb = Buffer.byteLength(bigLine) / 1e6;
  const worst = throughput([bigLine], bigMb, runs, (line) => detectSecrets(line).length);
  out['redact one 5 MB line (worst case)'] = `${fmt(worst.mbs)} MB/s (${fmt(worst.cpuMbs)} MB/s per core), a ${fmt(bigMb)} MB line, ${worst.found} secrets`;

  if (devJsonlPath !== null) {
    const cases = fs
      .readFileSync(devJsonlPath, 'utf8')
      .split('\n')
      .filter((l) => l.trim().length > 0)
      .map((l) => JSON.parse(l) as LabelledCase);
    const s = scoreCases(cases, detectSecrets);
    out['redact dev set'] = `recall ${fmt(s.recall * 100)} % (${s.caught}/${s.total}), precision ${fmt(s.precision * 100)} % (${s.fp} false-positive spans), ${cases.length} cases`;
  }
  return out;
}
