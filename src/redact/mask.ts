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

/** `maskSecrets(text, detectSecrets(text))`. */
export function redactText(text: string): string {
  return maskSecrets(text, detectSecrets(text));
}
