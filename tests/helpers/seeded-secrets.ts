/**
 * Secrets to seed sessions with: every positive sample of every rule in the detector's table (src/redact/rules.ts),
 * with the exact secret value each one holds, and a check that finds any of those values in an output in every form
 * an export could carry it (as is, HTML-escaped, JSON-escaped once or twice, and line by line for multi-line keys).
 */
import { RULES } from '../../src/redact/rules.js';
import { unmark } from './marked.js';

export interface SeededSecret {
  readonly rule: string;
  readonly tier: string;
  /** The sample as it is written into a session. */
  readonly text: string;
  /** The secret values inside it (the marked regions; the whole sample when unmarked). */
  readonly values: readonly string[];
}

export function seededSecrets(): SeededSecret[] {
  const out: SeededSecret[] = [];
  for (const rule of RULES) {
    for (const sample of rule.samples.positive) {
      const { text, spans } = unmark(sample.includes('⟦') ? sample : `⟦${sample}⟧`);
      out.push({ rule: rule.id, tier: rule.tier, text, values: spans.map((s) => text.slice(s.start, s.end)) });
    }
  }
  return out;
}

const html = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const json = (s: string) => JSON.stringify(s).slice(1, -1);

/** The forms of `value` to look for: as is, escaped for HTML, for Markdown prose, for JSON, for JSON inside JSON. */
export function valueForms(value: string): string[] {
  const forms = new Set([value, html(value), value.replace(/</g, '&lt;'), json(value), json(json(value))]);
  // A multi-line key is masked line by line: no long line of it may survive either.
  if (value.includes('\n')) for (const line of value.split('\n')) if (line.trim().length >= 16) forms.add(line.trim());
  return [...forms];
}

/** Every value (with the form found) that appears in `output`. */
export function leaks(output: string, secrets: readonly SeededSecret[]): string[] {
  const found: string[] = [];
  for (const s of secrets) {
    for (const v of s.values) {
      const hit = valueForms(v).find((form) => output.includes(form));
      if (hit !== undefined) found.push(`${s.rule}: ${JSON.stringify(hit.slice(0, 60))}`);
    }
  }
  return found;
}
