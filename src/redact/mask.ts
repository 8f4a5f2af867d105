/**
 * Masking: each secret span becomes `‹kind›` (e.g. `‹aws-access-key›`). Pure; the UI uses it for display, exports and
 * search snippets, the `redact` command for its output.
 */
import { detectSecrets, type SecretSpan } from './detect.js';

/** The text shown in place of a secret of `kind`. */
export function maskFor(kind: string): string {
  return `‹${kind}›`;
}

/**
 * Replaces each span of `text` by `‹kind›`. Spans must be sorted and non-overlapping (as `detectSecrets` returns
 * them); spans out of range or overlapping an earlier one are clipped rather than trusted.
 */
export function maskSecrets(text: string, spans: readonly SecretSpan[]): string {
  if (spans.length === 0) return text;
  const parts: string[] = [];
  let pos = 0;
  for (const s of spans) {
    const start = Math.max(pos, Math.min(s.start, text.length));
    const end = Math.max(start, Math.min(s.end, text.length));
    if (end === start) continue;
    parts.push(text.slice(pos, start), maskFor(s.kind));
    pos = end;
  }
  parts.push(text.slice(pos));
  return parts.join('');
}

/**
 * The masked form of `text.slice(from, to)`, with `spans` found on the whole `text`: for search snippets and for
 * long messages drawn a window at a time. Detecting on the slice alone would miss a secret whose key lies outside it;
 * a secret cut by the window's edge is still masked.
 */
export function maskSlice(text: string, spans: readonly SecretSpan[], from: number, to: number): string {
  const start = Math.max(0, from);
  const end = Math.min(text.length, to);
  if (end <= start) return '';
  const inside: SecretSpan[] = [];
  for (const s of spans) {
    if (s.end <= start || s.start >= end) continue;
    inside.push({ start: Math.max(s.start, start) - start, end: Math.min(s.end, end) - start, kind: s.kind });
  }
  return maskSecrets(text.slice(start, end), inside);
}

/** `maskSecrets(text, detectSecrets(text))`. */
export function redactText(text: string): string {
  return maskSecrets(text, detectSecrets(text));
}

/**
 * Masks a block of lines as one text (a key block spans many lines; a `password:` key may sit on the line before
 * its value) and gives back the same number of lines: a secret running over several lines is masked on each of them.
 */
export function redactLines(lines: readonly string[]): string[] {
  const text = lines.join('\n');
  const spans = detectSecrets(text);
  if (spans.length === 0) return [...lines];
  const perLine: SecretSpan[] = [];
  for (const s of spans) {
    let start = s.start;
    for (let nl = text.indexOf('\n', start); nl !== -1 && nl < s.end; nl = text.indexOf('\n', start)) {
      if (nl > start) perLine.push({ start, end: nl, kind: s.kind });
      start = nl + 1;
    }
    if (s.end > start) perLine.push({ start, end: s.end, kind: s.kind });
  }
  return maskSecrets(text, perLine).split('\n');
}
