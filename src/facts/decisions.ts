/**
 * Decisions: a choice, stated by the assistant or the user, with its reason or the alternative it beat.
 * Sentence-level patterns over prose (code blocks, inline code, tables and quotes never count). Strong phrasings
 * ("we decided", "going with", "chose X over Y") stand alone; weak ones ("I'll use X") need a reason ("because",
 * "to avoid", "— security requirement") or an alternative ("instead of", "rather than", ", not Y"), which is what
 * separates a decision from narration like "I'll use grep to find the callers".
 */
import { oneLine, proseSentences, type Sentence } from './text.js';

const STRONG: readonly RegExp[] = [
  /\b(?:we|i)(?:'ve| have)?\s+(?:finally\s+|ultimately\s+|now\s+)?(?:decided|chose|opted|settled on|went with|picked(?!\s+up))\b/i,
  /\b(?:we|i)(?:'ll| will|'re| are|'m| am)\s+(?:going with|go with|opting for|sticking with|stick with|settling on)\b/i,
  /\blet(?:'s| us)\s+(?:go with|stick with|opt for|settle on)\b/i,
  /^(?:decided|chose|chosen|opted for|settled on|went with|going with|opting for|sticking with)\b/i,
  /\bdecision\s*(?::|(?:is|was)\s+(?:to|that)\b)/i,
  /\b(?:chose|choosing|picked|prefer(?:red)?|preferring)\s+\S.*?\s+over\s+\S/i,
  /\b(?:dropp(?:ed|ing)|replac(?:ed|ing)|abandon(?:ed|ing)|switch(?:ed|ing))\b.*?\bin favou?r of\b/i,
];

const WEAK: readonly RegExp[] = [
  /\b(?:we|i)(?:'ll| will|'re going to| are going to|'m going to| am going to)\s+(?:use|switch to|keep|adopt|move to|migrate to|store|rely on|replace|go for)\b/i,
  /\blet(?:'s| us)\s+(?:use|switch to|keep|adopt|move to|migrate to|store|rely on|replace|go for)\b/i,
  /\b(?:i've|i have|we've|we have)\s+(?:switched to|moved to|migrated to|replaced|used|kept)\b/i,
  /^(?:use|using|switch(?:ed|ing)? to|mov(?:ed|ing) to|migrat(?:ed|ing) to|stor(?:e|ed|ing)|replac(?:e|ed|ing)|kept|keep(?:ing)?)\b/i,
];

/** Building something one way rather than another: a decision only with the alternative named. */
const WEAK_NEEDING_ALTERNATIVE: readonly RegExp[] = [
  /\b(?:we|i)(?:'ll| will|'re going to| are going to|'m going to| am going to)\s+(?:add|implement|build|create|write|put|wrap|handle|return|throw|call|do)\b/i,
  /\blet(?:'s| us)\s+(?:add|implement|build|create|write|put|wrap|handle|return|throw|call|do)\b/i,
];

const REASON =
  /\b(?:because|since|as (?:it|they|this|that|the|we|there)|so that|so (?:we|it|the)|given that|due to|to avoid|to prevent|to keep|to stay|which (?:avoids|prevents|keeps|is|makes|means|gives)|for (?:security|performance|simplicity|consistency|compatibility|safety|speed|reliability|correctness|readability|portability|testability|privacy)\b)|\s(?:—|–|--)\s+\S/i;

const ALTERNATIVE = /\b(?:instead of|rather than|in favou?r of|versus)\s|\bvs\.?\s|,\s*(?:and\s+)?not\s+\S/i;

/** "I'll use the Read tool", "let's use grep to…": the assistant narrating how it works, not deciding anything. */
const NARRATION = /\b(?:\w+\s+)?tools?\b|\b(?:use|using)\s+(?:grep|rg|ripgrep|find|ls|cat|sed|awk|head|tail|curl)\b/i;

/** Verbs after "decided to" that describe what the assistant looks at next rather than a choice. */
const NARRATED_STEP = /\bdecided to\s+(?:first\s+)?(?:look|check|read|run|start|take a look|investigate|explore|search|see|open|inspect|examine|review|dig|grep)\b/i;

/** Hedges before the choice turn it into an option, a question or a condition. */
const HEDGE =
  /\b(?:if|whether|could|might|may|maybe|perhaps|would|should|shall|do you want|want me to|not sure|unsure|not yet|undecided|need to decide|let me know|once you|when you|unless|can we|consider(?:ing)?|alternatively|options?)\b/i;

/** Every decision pattern contains one of these: sentences without any are skipped after one cheap test. */
const MAY_DECIDE =
  /decid|decision|chose|choos|opt(?:ed|ing)\b|settl|went with|go with|going with|gone with|stick|picked|prefer|favou?r|'ll\b|\bwill\b|going to|let(?:'s| us)\b|\b(?:i|we)(?:'ve| have)\b|^(?:use|using|switch|mov|migrat|stor|replac|kept|keep)/i;

function decisionTrigger(masked: string): number {
  if (!MAY_DECIDE.test(masked)) return -1;
  for (const re of STRONG) {
    const m = re.exec(masked);
    if (m) return m.index;
  }
  for (const re of WEAK) {
    const m = re.exec(masked);
    if (m && (REASON.test(masked.slice(m.index)) || ALTERNATIVE.test(masked.slice(m.index)))) return m.index;
  }
  for (const re of WEAK_NEEDING_ALTERNATIVE) {
    const m = re.exec(masked);
    if (m && ALTERNATIVE.test(masked.slice(m.index))) return m.index;
  }
  return -1;
}

function isDecision(masked: string): boolean {
  if (/\?\s*$/.test(masked)) return false;
  const at = decisionTrigger(masked);
  if (at < 0 || NARRATION.test(masked) || NARRATED_STEP.test(masked)) return false;
  return !HEDGE.test(masked.slice(0, at));
}

/** The decision sentences among `sentences`, as one-line fact texts (at most `max`). */
export function decisionsAmong(sentences: readonly Sentence[], max = 5): string[] {
  const out: string[] = [];
  for (const { original, masked } of sentences) {
    if (out.length >= max) break;
    if (isDecision(masked)) out.push(oneLine(original));
  }
  return out;
}

/** The decision sentences of a prompt or reply. */
export function decisionsIn(text: string, max = 5): string[] {
  return decisionsAmong(proseSentences(text), max);
}

const INSTRUCTION =
  /^(?:please\s+|ok(?:ay)?[,.]?\s+|actually[,.]?\s+|no[,.]?\s+)?(?:let'?s\s+)?(?:use|switch to|go with|stick with|keep using|move to|migrate to)\s+\S/i;
const NEGATIVE_INSTRUCTION = /^(?:please\s+)?(?:don't|do not|never)\s+use\s+\S.*?[,;.]?\s+(?:use|go with|switch to)\s+\S/i;
const INSTRUCTION_NARRATION = /\buse\s+(?:it|this|that|them)\s+to\b|\b(?:\w+\s+)?tools?\b/i;

/**
 * A user's "use X" instruction (first sentence of a short prompt), or null. It becomes a decision once the
 * assistant goes along with it (see isRefusal).
 */
export function userInstruction(text: string, sentences: readonly Sentence[] = proseSentences(text)): string | null {
  if (text.length > 600) return null;
  const first = sentences[0];
  if (!first) return null;
  const { original, masked } = first;
  if (/\?\s*$/.test(masked) || INSTRUCTION_NARRATION.test(masked)) return null;
  if (INSTRUCTION.test(masked) || NEGATIVE_INSTRUCTION.test(masked)) return oneLine(original);
  return null;
}

/** An assistant reply that declines what was asked. */
export function isRefusal(text: string): boolean {
  return /^\s*(?:I can't|I cannot|I can not|I'm not able|I am not able|I won't|I will not|Unfortunately|Sorry|I'm sorry|I'd advise against|I would advise against)\b/i.test(
    text.replace(/[\u2018\u2019]/g, "'").slice(0, 200),
  );
}
