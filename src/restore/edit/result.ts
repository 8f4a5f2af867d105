/** What replaying one edit on a file's text gives: the new text, or why it could not be applied. */
export type EditResult = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: string };

export const applied = (text: string): EditResult => ({ ok: true, text });
export const failed = (reason: string): EditResult => ({ ok: false, reason });

/** Lines of a text without their `\n`, and whether the last one had it. `''` has no lines. */
export interface Lines {
  readonly lines: string[];
  readonly eofNewline: boolean;
}

export function splitLines(text: string): Lines {
  if (text === '') return { lines: [], eofNewline: false };
  const lines = text.split('\n');
  const eofNewline = lines[lines.length - 1] === '';
  if (eofNewline) lines.pop();
  return { lines, eofNewline };
}

export function joinLines(lines: readonly string[], eofNewline: boolean): string {
  if (lines.length === 0) return '';
  return lines.join('\n') + (eofNewline ? '\n' : '');
}

/** A short one-line excerpt for reasons shown to users. */
export function excerpt(s: string, max = 60): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}
