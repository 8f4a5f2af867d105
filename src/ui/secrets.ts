/**
 * Secrets never reach the screen unmasked unless asked for: a message is masked with the spans the background scan
 * stored, or, for a message the scan has not reached yet, with spans found now (messages are capped, so this is
 * milliseconds). Pure apart from the lookup the caller passes in.
 */
import { detectSecrets } from '../redact/detect.js';
import { maskSecrets, redactText } from '../redact/mask.js';
import type { MessageRow } from '../store/rows.js';
import type { FieldSpans } from '../store/secrets.js';

export function spansOfMessage(m: MessageRow, stored: FieldSpans | null): FieldSpans {
  if (stored) return stored;
  return { text: detectSecrets(m.text), tool_input: m.toolInput ? detectSecrets(m.toolInput) : [], data: m.data ? detectSecrets(m.data) : [] };
}

export function secretCount(spans: FieldSpans): number {
  return spans.text.length + spans.tool_input.length + spans.data.length;
}

/** The kinds of secret in a message, most frequent first. */
export function secretKinds(spans: FieldSpans): string[] {
  const counts = new Map<string, number>();
  for (const s of [...spans.text, ...spans.tool_input, ...spans.data]) counts.set(s.kind, (counts.get(s.kind) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).map(([k]) => k);
}

/** The message with every secret replaced by `‹kind›`, in each field that can hold one. */
export function maskMessage(m: MessageRow, spans: FieldSpans): MessageRow {
  if (secretCount(spans) === 0) return m;
  return {
    ...m,
    text: maskSecrets(m.text, spans.text),
    toolInput: m.toolInput === null ? null : maskSecrets(m.toolInput, spans.tool_input),
    data: m.data === null ? null : maskSecrets(m.data, spans.data),
  };
}

/** Short texts shown in lists and headers (titles, summaries): scanned as they are drawn. */
export function maskShort(text: string | null): string | null {
  return text === null ? null : redactText(text);
}
