/**
 * Tier 1: self-identifying tokens. Turns a {@link TokenRule} (a provider's documented format) into a finder that the
 * single-pass scan calls where one of the rule's anchors occurs.
 */
import { PLACEHOLDER_MARKS } from './allowlist.js';
import { entropy, isEscapeLetter, isWordChar } from './text.js';
import type { Finder, SpanSink, TokenRule } from './types.js';

function continuationTest(joiners: string): (c: number) => boolean {
  if (joiners.length === 0) return isWordChar;
  const extra = new Set([...joiners].map((ch) => ch.charCodeAt(0)));
  return (c) => isWordChar(c) || extra.has(c);
}

const backSets = new WeakMap<TokenRule, Set<number>>();

/** Where a token matched by `rule` would start, given the anchor at `at`; -1 when it cannot. */
function tokenStart(text: string, at: number, rule: TokenRule): number {
  const back = rule.back;
  if (back === undefined) return at;
  if (typeof back === 'number') return at - back;
  let allowed = backSets.get(rule);
  if (allowed === undefined) {
    allowed = new Set([...back.chars].map((ch) => ch.charCodeAt(0)));
    backSets.set(rule, allowed);
  }
  let s = at;
  const stop = Math.max(0, at - back.max);
  while (s > stop && allowed.has(text.charCodeAt(s - 1))) s--;
  return s;
}

function followsAllowed(text: string, start: number, rule: TokenRule): boolean {
  if (rule.after === undefined) return false;
  for (const a of rule.after) if (text.startsWith(a, start - a.length)) return true;
  return false;
}

/**
 * Tries `rule` at the anchor found at `at`. Returns the end of the token it added, or -1.
 * A token may not start or end inside a longer run of its own characters (that is a different, longer string), except
 * right after an escape sequence such as the `\n` of a JSON-encoded line.
 */
export function matchToken(
  text: string,
  at: number,
  rule: TokenRule,
  continues: (c: number) => boolean,
  precedes: (c: number) => boolean,
  sink: SpanSink,
): number {
  const start = tokenStart(text, at, rule);
  if (start < 0) return -1;
  if (!rule.embedded && start > 0 && precedes(text.charCodeAt(start - 1)) && !isEscapeLetter(text, start - 1) && !followsAllowed(text, start, rule)) return -1;
  const re = rule.pattern;
  re.lastIndex = start;
  const m = re.exec(text);
  if (m === null) return -1;
  const end = start + m[0].length;
  if (end < text.length && continues(text.charCodeAt(end))) return -1;
  const token = m[0];
  if (entropy(token) < (rule.minEntropy ?? 3)) return -1;
  if (PLACEHOLDER_MARKS.test(token)) return -1;
  if (rule.check && !rule.check(token, text, start)) return -1;
  const secretStart = m[1] !== undefined ? end - m[1].length : start;
  sink.add(secretStart, end, rule.kind, 'token');
  return end;
}

/** One finder for all token rules sharing an anchor: the first rule that matches wins. */
export function tokenFinder(rules: readonly TokenRule[]): Finder {
  const tests = rules.map((r) => continuationTest(r.joiners ?? ''));
  // base64 padding ends a token, it never starts one: `KEY=token` is at a boundary
  const leftTests = rules.map((r) => continuationTest((r.joiners ?? '').replace('=', '')));
  return (text, at, _anchor, sink) => {
    if (at < sink.tokenFloor) return;
    for (let i = 0; i < rules.length; i++) {
      const end = matchToken(text, at, rules[i], tests[i], leftTests[i], sink);
      if (end >= 0) {
        sink.tokenFloor = end;
        sink.keyFloor = Math.max(sink.keyFloor, end);
        return;
      }
    }
  };
}
