/**
 * Exact string replacement, the edit Claude's Edit/MultiEdit and Gemini's `replace` make. Strict on purpose: the
 * assistants refuse an edit whose old text is missing or (without replace-all) ambiguous, so when a replay meets
 * either, the text we replay on is not what the assistant saw, and the result would be a guess.
 */
import { applied, excerpt, failed, type EditResult } from './result.js';

export interface Replacement {
  readonly oldText: string;
  readonly newText: string;
  readonly replaceAll: boolean;
}

function countOccurrences(text: string, needle: string): number {
  let n = 0;
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + needle.length)) n++;
  return n;
}

export function replaceExact(text: string, r: Replacement): EditResult {
  if (r.oldText === '') return failed('the old text is empty');
  const n = countOccurrences(text, r.oldText);
  if (n === 0) return failed(`old text not found ("${excerpt(r.oldText)}")`);
  if (n > 1 && !r.replaceAll) return failed(`old text found ${n} times ("${excerpt(r.oldText)}")`);
  if (r.replaceAll) return applied(text.split(r.oldText).join(r.newText));
  const at = text.indexOf(r.oldText);
  // Literal splice, not String.replace: a `$&` in the new text must stay as written.
  return applied(text.slice(0, at) + r.newText + text.slice(at + r.oldText.length));
}

/** Several replacements in order, each on the result of the previous one (MultiEdit). */
export function replaceAllInOrder(text: string, replacements: readonly Replacement[]): EditResult {
  let current = text;
  for (let i = 0; i < replacements.length; i++) {
    const r = replaceExact(current, replacements[i]);
    if (!r.ok) return replacements.length > 1 ? failed(`edit ${i + 1} of ${replacements.length}: ${r.reason}`) : r;
    current = r.text;
  }
  return applied(current);
}
