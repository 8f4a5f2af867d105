/**
 * Status / next step: an assistant reply that says what is done and what comes next ("Done: … Next: …",
 * "## Summary of changes … ## Remaining"). Only section heads at the start of a line count, so `git status`,
 * "status code 404" or `next()` in prose never do. Which candidate becomes the session's status (the last one
 * before each compaction and at the end) is decided by the extractor.
 */
import { clip, head, oneLine, proseLines, sentences, type ProseLine } from './text.js';

const DONE_HEAD =
  /^(?:all\s+)?(?:done|completed?|finished|implemented|fixed|changes(?: made)?|what (?:i|we) (?:did|changed)|what(?:'s| is| was| has been) done|summary(?: of (?:the\s+)?(?:changes|work|what (?:i|we) did))?|accomplished|progress(?: so far)?)\s*(?::|[!.]?$)\s*/i;
const NEXT_HEAD =
  /^(?:next(?: steps?| up)?|remaining(?: work| tasks| items| issues)?|still (?:to do|todo|open|left|missing)|to ?do|left to do|pending(?: work| tasks| items)?|follow[- ]?ups?|open (?:items|questions|issues)|not (?:yet )?done|what(?:'s| is) left|outstanding(?: work| items)?|known issues)\s*(?::|$)\s*/i;
const STATUS_HEAD = /^(?:current\s+)?status\s*(?::|$)\s*/i;
/** "Done: X. Next: Y." on one line. */
const INLINE = /^(?:done|completed|finished)\s*[:—–-]\s*(.+?)[.;]?\s+next(?: steps?)?\s*[:—–-]\s*(.+)$/i;

type Section = 'done' | 'next' | 'status';

export interface StatusCandidate {
  /** One line: `Done: …; next: …`. */
  readonly text: string;
  /** The sections as written, clipped. */
  readonly detail: string;
}

function headOf(line: string): { section: Section; rest: string } | null {
  for (const [section, re] of [['done', DONE_HEAD], ['next', NEXT_HEAD], ['status', STATUS_HEAD]] as const) {
    const m = re.exec(line);
    if (m) return { section, rest: line.slice(m[0].length).trim() };
  }
  return null;
}

/** Prose lines, with a line split where a later sentence opens a section ("All done! Remaining: the docs."). */
function statusLines(reply: string): ProseLine[] {
  const out: ProseLine[] = [];
  for (const line of proseLines(head(reply))) {
    if (INLINE.test(line.text)) {
      out.push(line);
      continue;
    }
    const parts = sentences(line.text);
    const opensAt = parts.findIndex((p, i) => i > 0 && headOf(p) !== null && p.includes(':'));
    if (opensAt < 0) {
      out.push(line);
      continue;
    }
    out.push({ ...line, text: parts.slice(0, opensAt).join(' ') });
    out.push({ text: parts.slice(opensAt).join(' '), heading: false, bullet: false });
  }
  return out;
}

/** The status a reply states, or null when it states none. Pure. */
export function statusIn(reply: string): StatusCandidate | null {
  const sections: Record<Section, string[]> = { done: [], next: [], status: [] };
  let current: Section | null = null;
  let found = false;
  for (const line of statusLines(reply)) {
    const inline = INLINE.exec(line.text);
    if (inline) {
      sections.done.push(inline[1]);
      sections.next.push(inline[2]);
      found = true;
      current = null;
      continue;
    }
    // A section head is a heading, a bold or plain line ending in a colon, or "Head: content" at the start.
    const h = headOf(line.text);
    if (h && (line.heading || line.text.includes(':') || h.rest === '')) {
      current = h.section;
      found = true;
      if (h.rest) sections[current].push(h.rest);
      continue;
    }
    if (line.heading) {
      current = null;
      continue;
    }
    if (current && sections[current].length < 8) sections[current].push(line.text);
  }
  if (!found) return null;
  const done = sections.done.concat(sections.status);
  const next = sections.next;
  if (done.length === 0 && next.length === 0) return null;
  const parts: string[] = [];
  if (done.length) parts.push(`Done: ${oneLine(done[0], 110)}`);
  if (next.length) parts.push(`${done.length ? 'next' : 'Next'}: ${oneLine(next[0], done.length ? 80 : 180)}`);
  const detail: string[] = [];
  if (done.length) detail.push('Done:', ...done.map((d) => `- ${d}`));
  if (next.length) detail.push('Next:', ...next.map((d) => `- ${d}`));
  return { text: oneLine(parts.join('; ')), detail: clip(detail.join('\n')) };
}
