/**
 * The secret detector: `detectSecrets(text)` → sorted, non-overlapping spans `{start, end, kind}` (JavaScript string
 * indices, end exclusive; spans that touch are merged). Pure and linear-ish in the length of the text.
 *
 * How: every rule in rules.ts names literal anchors (token prefixes, `-----BEGIN`, `://`, `Authorization`, the
 * keywords of secret names). All anchors are compiled into one regular expression, so the text is scanned once; at
 * each anchor the finders registered for it look at the neighbourhood (bounded work) and add spans. Where spans of
 * several tiers overlap they merge, and the most specific tier names the kind.
 */
import { looksRandom } from './allowlist.js';
import { RULES, TOKEN_RULES } from './rules.js';
import { tokenFinder } from './tokens.js';
import { SpanSink, TIER_PRIORITY, type Finder, type SecretSpan, type TokenRule } from './types.js';

export type { SecretSpan } from './types.js';

/** Bump whenever a rule changes what is found: stored messages are re-scanned when it differs. */
export const DETECTOR_VERSION = 1;

interface Anchor {
  text: string;
  finders: Finder[];
}

/**
 * The combined anchor scan: every anchor of every rule in one table indexed by its first two characters (all anchors
 * are ASCII). Scanning a text is one pass over its characters with a table lookup at each; only positions whose two
 * characters begin some anchor are compared further. This is the single-pass multi-pattern scan the tiers share.
 */
interface Compiled {
  /** For each pair of ASCII characters `c0 * 128 + c1`, 1 + the index of its bucket, or 0. */
  pairs: Uint16Array;
  /** For each ASCII character, 1 + the index of the bucket of one-character anchors starting with it, or 0. */
  singles: Uint16Array;
  /** Candidate anchors per bucket, longest first. */
  buckets: Anchor[][];
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Builds the anchor table. When an anchor is a prefix of a longer one (`sk-` of `sk-ant-api`), the scan reports the
 * longer one, so the finders of every anchor that is a prefix of it are attached to it too.
 */
function compile(): Compiled {
  const all = new Set<string>();
  for (const rule of RULES) for (const a of rule.anchors) all.add(a);
  const anchors: Anchor[] = [];
  for (const text of [...all].sort((a, b) => b.length - a.length || (a < b ? -1 : 1))) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 127) throw new Error(`non-ASCII anchor ${text}`);
    const tokens: TokenRule[] = [];
    const others: Finder[] = [];
    for (const rule of RULES) {
      if (!rule.anchors.some((a) => text.startsWith(a))) continue;
      if (rule.tier === 'token') tokens.push(rule);
      else if (!others.includes(rule.find)) others.push(rule.find);
    }
    const finders: Finder[] = [];
    if (tokens.length > 0) finders.push(tokenFinder(tokens));
    finders.push(...others);
    anchors.push({ text, finders });
  }
  const pairs = new Uint16Array(128 * 128);
  const singles = new Uint16Array(128);
  const buckets: Anchor[][] = [];
  const bucketOf = new Map<string, number>();
  const addTo = (key: string, anchor: Anchor): number => {
    let b = bucketOf.get(key);
    if (b === undefined) {
      b = buckets.length;
      buckets.push([]);
      bucketOf.set(key, b);
    }
    buckets[b].push(anchor); // anchors arrive longest first
    return b + 1;
  };
  for (const anchor of anchors) {
    const c0 = anchor.text.charCodeAt(0);
    if (anchor.text.length === 1) {
      singles[c0] = addTo(anchor.text, anchor);
      continue;
    }
    pairs[c0 * 128 + anchor.text.charCodeAt(1)] = addTo(anchor.text.slice(0, 2), anchor);
  }
  return { pairs, singles, buckets };
}

const COMPILED = compile();

/** Prefixes too common in ordinary words to say anything about a value that starts with them. */
const WEAK_PREFIXES = new Set(['api-', 'sdk-', 'mob-', 'pat.', 'sat.', 'key-', 'AKID', 'dapi', '4b1d', 'EZAK', 'EZTK', 'LTAI', 'ATBB']);

/**
 * Values that claim a provider's format by their prefix (`xoxp-…`, `ghp_…`, `ops_eyJ…`). When such a value is not a
 * valid token of that format and what follows the prefix is not random either (`"token": "xoxp-1234567890"`), it is
 * a truncated example, not a secret: the assignment tier's span for it is dropped.
 */
const TOKEN_CLAIM = new RegExp(
  [...new Set(TOKEN_RULES.filter((r) => r.back === undefined && !r.embedded).flatMap((r) => r.anchors))]
    .filter((a) => a.length >= 4 && !WEAK_PREFIXES.has(a))
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp)
    .join('|'),
  'y',
);

/** Indices of the spans to keep: assignment values that claim a token format must be backed by a token span. */
function keptSpans(text: string, sink: SpanSink): number[] {
  const tokens: number[] = [];
  for (let i = 0; i < sink.size; i++) if (sink.priorities[i] === TIER_PRIORITY.token) tokens.push(i);
  tokens.sort((a, b) => sink.starts[a] - sink.starts[b]);
  const tokenStarts = tokens.map((i) => sink.starts[i]);
  const tokenEnds = tokens.map((i) => sink.ends[i]);
  const kept: number[] = [];
  for (let i = 0; i < sink.size; i++) {
    if (sink.priorities[i] === TIER_PRIORITY.assignment) {
      TOKEN_CLAIM.lastIndex = sink.starts[i];
      const claim = TOKEN_CLAIM.exec(text);
      // a variant of a known format we do not list (longer, newer) keeps its generic span when it looks random
      if (claim !== null && !overlapsAny(sink.starts[i], sink.ends[i], tokenStarts, tokenEnds) && !looksRandom(text.slice(sink.starts[i] + claim[0].length, sink.ends[i]), 16)) continue;
    }
    kept.push(i);
  }
  return kept;
}

/** Whether [start, end) overlaps one of the token spans (sorted by start; token spans never overlap each other). */
function overlapsAny(start: number, end: number, starts: readonly number[], ends: readonly number[]): boolean {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid] < end) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 && ends[lo - 1] > start;
}

/** Sorts the collected spans and merges those that overlap or touch; the highest-priority tier names the kind. */
export function mergeSpans(text: string, sink: SpanSink): SecretSpan[] {
  if (sink.size === 0) return [];
  const order = keptSpans(text, sink);
  const n = order.length;
  if (n === 0) return [];
  order.sort((a, b) => sink.starts[a] - sink.starts[b] || sink.ends[b] - sink.ends[a] || sink.priorities[b] - sink.priorities[a]);
  const out: SecretSpan[] = [];
  let cur = order[0];
  let start = sink.starts[cur];
  let end = sink.ends[cur];
  let kind = sink.kinds[cur];
  let priority = sink.priorities[cur];
  for (let k = 1; k < n; k++) {
    const i = order[k];
    if (sink.starts[i] <= end) {
      if (sink.ends[i] > end) end = sink.ends[i];
      if (sink.priorities[i] > priority) {
        priority = sink.priorities[i];
        kind = sink.kinds[i];
      }
      continue;
    }
    out.push({ start, end, kind });
    cur = i;
    start = sink.starts[i];
    end = sink.ends[i];
    kind = sink.kinds[i];
    priority = sink.priorities[i];
  }
  out.push({ start, end, kind });
  return out;
}

/** Finds the secrets in `text` (decoded text or a raw, possibly doubly escaped, JSONL line). */
export function detectSecrets(text: string): SecretSpan[] {
  if (text.length < 8) return [];
  const sink = new SpanSink();
  const { pairs, singles, buckets } = COMPILED;
  const n = text.length;
  let c1 = text.charCodeAt(0);
  for (let i = 0; i < n; i++) {
    const c0 = c1;
    c1 = i + 1 < n ? text.charCodeAt(i + 1) : 0;
    if (c0 > 127) continue;
    const b = c1 < 128 ? pairs[c0 * 128 + c1] : 0;
    let matched = false;
    if (b !== 0) {
      for (const anchor of buckets[b - 1]) {
        if (text.startsWith(anchor.text, i)) {
          for (const find of anchor.finders) find(text, i, anchor.text, sink);
          matched = true;
          break;
        }
      }
    }
    // one-character anchors (`|`) are tried when no longer anchor starts here
    const s = singles[c0];
    if (s !== 0 && !matched) {
      const single = buckets[s - 1][0];
      for (const find of single.finders) find(text, i, single.text, sink);
    }
  }
  return mergeSpans(text, sink);
}
