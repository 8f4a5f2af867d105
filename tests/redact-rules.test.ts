/**
 * Every rule's samples: each positive is found with its exact span (and, for tokens, its kind), bare and inside the
 * ways session logs store text; each negative is not found at all.
 */
import { describe, expect, it } from 'vitest';
import { detectSecrets } from '../src/redact/detect.js';
import { RULES, STRUCTURE_RULES, TOKEN_RULES } from '../src/redact/rules.js';
import type { SecretSpan } from '../src/redact/types.js';
import { marked, TOKEN_CONTEXTS, unmark, WRAPPERS } from './helpers/marked.js';

function show(text: string, spans: readonly SecretSpan[]): string {
  return `${JSON.stringify(text.length > 400 ? `${text.slice(0, 400)}…` : text)}\nfound: ${JSON.stringify(spans.map((s) => ({ ...s, text: text.slice(s.start, s.end).slice(0, 60) })))}`;
}

/** Checks that each marked region of `markedText` is found exactly; returns a failure message or null. */
function checkFound(markedText: string, kind: string | null): string | null {
  const { text, spans: expected } = unmark(markedText);
  const found = detectSecrets(text);
  for (const e of expected) {
    const hit = found.find((f) => f.start === e.start && f.end === e.end);
    if (!hit) return `expected ${JSON.stringify(text.slice(e.start, e.end).slice(0, 60))} at [${e.start},${e.end}) in ${show(text, found)}`;
    if (kind !== null && hit.kind !== kind) return `expected kind ${kind}, got ${hit.kind} in ${show(text, found)}`;
  }
  return null;
}

function checkNotFound(text: string): string | null {
  const found = detectSecrets(text);
  return found.length === 0 ? null : `expected nothing in ${show(text, found)}`;
}

describe('the rule table', () => {
  it('has unique ids, anchors, sticky token patterns and samples of both kinds for every rule', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of RULES) {
      expect(rule.anchors.length, rule.id).toBeGreaterThan(0);
      for (const a of rule.anchors) expect(/^[\t\x20-\x7e]+$/.test(a), `${rule.id} anchor ${a}`).toBe(true);
      expect(rule.samples.positive.length, rule.id).toBeGreaterThan(0);
      expect(rule.samples.negative.length, rule.id).toBeGreaterThan(0);
      expect(rule.kind).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
    }
    for (const rule of TOKEN_RULES) expect(rule.pattern.sticky, rule.id).toBe(true);
  });
});

describe('token rules: samples bare, in neutral contexts, in every wrapper', () => {
  for (const rule of TOKEN_RULES) {
    it(`${rule.id}`, () => {
      const failures: string[] = [];
      for (const sample of rule.samples.positive) {
        for (const [cname, context] of Object.entries(TOKEN_CONTEXTS)) {
          // a sample that carries its own context (a webhook URL) is only checked as it is
          if (sample.includes('⟦') && cname !== 'bare' && cname !== 'prose') continue;
          for (const [wname, wrap] of Object.entries(WRAPPERS)) {
            const failure = checkFound(wrap(context(marked(sample))), rule.kind);
            if (failure) failures.push(`${cname}/${wname}: ${failure}`);
          }
        }
      }
      for (const sample of rule.samples.negative) {
        for (const [wname, wrap] of Object.entries(WRAPPERS)) {
          const failure = checkNotFound(wrap(sample));
          if (failure) failures.push(`negative ${wname}: ${failure}`);
        }
      }
      expect(failures.slice(0, 5).join('\n\n')).toBe('');
    });
  }
});

describe('structure and assignment rules: samples in every wrapper', () => {
  for (const rule of STRUCTURE_RULES) {
    it(`${rule.id}`, () => {
      const failures: string[] = [];
      for (const sample of rule.samples.positive) {
        for (const [wname, wrap] of Object.entries(WRAPPERS)) {
          const failure = checkFound(wrap(marked(sample)), null);
          if (failure) failures.push(`${wname}: ${failure}`);
        }
      }
      for (const sample of rule.samples.negative) {
        for (const [wname, wrap] of Object.entries(WRAPPERS)) {
          const failure = checkNotFound(wrap(sample));
          if (failure) failures.push(`negative ${wname}: ${failure}`);
        }
      }
      expect(failures.slice(0, 5).join('\n\n')).toBe('');
    });
  }
});
