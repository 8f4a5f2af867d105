/**
 * A message as screen rows: its text sanitized and wrapped to the pane, tool inputs laid out as `key: value`, and
 * tool results and thinking folded to a few rows unless unfolded. Pure, so the timeline view only slices rows.
 */
import type { MessageKind } from '../model.js';
import type { MessageRow } from '../store/rows.js';
import { sanitize, wrapText } from './text.js';
import type { Role } from './theme.js';
import { grouped } from '../numbers.js';

export interface BodyRow {
  readonly text: string;
  readonly role: Role;
}

/** Rows a folded tool result or thinking block shows before the `… N more` line. */
export const FOLDED_ROWS = 6;

const FOLDABLE: ReadonlySet<MessageKind> = new Set(['tool-result', 'thinking']);

export function kindRole(kind: MessageKind): Role {
  switch (kind) {
    case 'prompt':
      return 'kind.prompt';
    case 'reply':
      return 'kind.reply';
    case 'thinking':
      return 'kind.thinking';
    case 'tool-call':
    case 'tool-result':
      return 'kind.tool';
    default:
      return 'kind.system';
  }
}

export const KIND_LABELS: Record<MessageKind, string> = {
  prompt: 'prompt',
  reply: 'reply',
  thinking: 'thinking',
  'tool-call': 'tool call',
  'tool-result': 'tool result',
  summary: 'summary',
  system: 'system',
};

/** A tool call's input as readable text: short values inline, multi-line strings as indented blocks. */
export function formatToolInput(toolInput: string | null): string {
  if (!toolInput) return '';
  let input: unknown;
  try {
    input = JSON.parse(toolInput);
  } catch {
    return toolInput;
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return JSON.stringify(input, null, 2);
  const lines: string[] = [];
  for (const [key, value] of Object.entries(input)) {
    if (typeof value === 'string' && (value.includes('\n') || value.length > 120)) {
      lines.push(`${key}:`);
      for (const l of value.replace(/\n$/, '').split('\n')) lines.push(`  ${l}`);
    } else {
      lines.push(`${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
    }
  }
  return lines.join('\n');
}

/** The text a message shows in the body, before wrapping. */
export function bodyText(m: MessageRow): string {
  if (m.kind === 'tool-call') {
    const input = formatToolInput(m.toolInput);
    return input ? `${m.text}\n\n${input}` : m.text;
  }
  return m.text;
}

export interface BodyLayout {
  readonly rows: readonly BodyRow[];
  /** True when the message was folded and rows were held back. */
  readonly folded: boolean;
}

/**
 * Lays a message out for a pane `width` cells wide. Folded foldable messages stop after FOLDED_ROWS rows with a
 * hint; everything else is wrapped whole (messages are capped at ingest, so this is bounded).
 */
export function layoutBody(m: MessageRow, width: number, fold: boolean): BodyLayout {
  const role = m.isError ? 'status.error' : m.kind === 'prompt' || m.kind === 'reply' ? 'text.primary' : kindRole(m.kind);
  const text = sanitize(bodyText(m)).replace(/\s+$/, '');
  if (!text) return { rows: [{ text: '(empty)', role: 'text.secondary' }], folded: false };
  if (fold && FOLDABLE.has(m.kind)) {
    const { rows, more } = wrapText(text, width, FOLDED_ROWS);
    if (more) {
      let lines = 1;
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
      return {
        rows: [
          ...rows.map((t) => ({ text: t, role })),
          { text: `… folded (${grouped(lines)} lines in all) · t unfolds`, role: 'text.secondary' },
        ],
        folded: true,
      };
    }
    return { rows: rows.map((t) => ({ text: t, role })), folded: false };
  }
  return { rows: wrapText(text, width).rows.map((t) => ({ text: t, role })), folded: false };
}
