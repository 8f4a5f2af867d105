/**
 * What a message looks like in a document, whatever the format: prompts and replies shown as text under a heading;
 * thinking, tool results, compaction summaries and system notes folded behind a one-line summary; a tool call as its
 * one-line description with its input folded. The Markdown and HTML renderers only format these views. Pure.
 */
import type { DiffFile } from '../restore/diff.js';
import { firstLine, indentJson, lineCount, readableTime, visibleControls } from './text.js';
import type { ExportHeader, ExportMessage } from './types.js';

export interface ProseView {
  readonly shape: 'prose';
  readonly seq: number;
  /** `#1 · User · 2026-05-02 09:00:01 UTC` */
  readonly heading: string;
  readonly text: string;
  readonly isError: boolean;
}

export interface FoldedView {
  readonly shape: 'folded';
  readonly seq: number;
  /** One line: `#4 · Read result · 10 lines · first line…` */
  readonly summary: string;
  /** What unfolds; empty when there is nothing more to show than the summary. */
  readonly body: string;
  /** Fence info string for the body (`json`, `text`). */
  readonly info: 'json' | 'text';
  readonly isError: boolean;
  readonly time: string;
}

export type MessageView = (ProseView | FoldedView) & { readonly diff: readonly DiffFile[] | null };

function label(m: ExportMessage): string {
  const tool = m.toolName ?? 'tool';
  switch (m.kind) {
    case 'prompt':
      return m.role === 'user' ? 'User' : 'Prompt';
    case 'reply':
      return 'Assistant';
    case 'thinking':
      return 'Thinking';
    case 'tool-call':
      return tool;
    case 'tool-result':
      return m.isError ? `${tool} error` : `${tool} result`;
    case 'summary':
      return 'Compaction summary';
    case 'system':
      return m.isError ? 'System error' : 'System';
  }
}

/** `n lines` when a body is longer than its first line, for folded summaries. */
function size(text: string): string | null {
  const n = lineCount(text);
  return n > 1 ? `${n} lines` : null;
}

export function messageView(m: ExportMessage): MessageView {
  const text = visibleControls(m.text);
  const base = { seq: m.seq, isError: m.isError, diff: m.diff };
  if (m.kind === 'prompt' || m.kind === 'reply') {
    return { ...base, shape: 'prose', heading: `#${m.seq} · ${label(m)} · ${readableTime(m.timestamp)}`, text };
  }
  const time = readableTime(m.timestamp);
  if (m.kind === 'tool-call') {
    // The description is the summary; the input (and any description past its first line) unfolds.
    const description = firstLine(text, 160) || '(no description)';
    const rest = text.trim().includes('\n') ? `${text.trim()}\n\n` : '';
    const input = m.toolInput === null ? '' : visibleControls(indentJson(m.toolInput));
    return { ...base, shape: 'folded', summary: `#${m.seq} · ${label(m)} · ${description}`, body: rest + input, info: rest === '' && input !== '' ? 'json' : 'text', time };
  }
  const line = firstLine(text, 100);
  const parts = [`#${m.seq}`, label(m), size(text), line || '(empty)'].filter((p): p is string => p !== null);
  // A one-line text the summary already shows whole has nothing to unfold.
  const body = text.trim() === line ? '' : text;
  return { ...base, shape: 'folded', summary: parts.join(' · '), body, info: 'text', time };
}

/** The rows of the header, in order, as label and value (values are plain text; renderers escape them). */
export function headerRows(h: ExportHeader): [string, string][] {
  const s = h.session;
  const rows: [string, string][] = [['Session', s.id], ['Agent', s.agent]];
  if (s.parentId) rows.push(['Sub-agent of', s.parentId]);
  if (s.project) rows.push(['Project', s.project]);
  if (s.gitBranch) rows.push(['Branch', visibleControls(s.gitBranch)]);
  rows.push(['Started', readableTime(s.startedAt)], ['Last message', readableTime(s.updatedAt)]);
  rows.push(['Messages', h.to >= h.from ? `#${h.from} to #${h.to} of ${s.messageCount}` : `none (the session has ${s.messageCount})`]);
  rows.push([
    'Secrets',
    h.redacted ? `masked as ‹kind›: every text was scanned again when exported (detector version ${h.detectorVersion})` : 'NOT masked: exported with --no-redact',
  ]);
  return rows;
}

/** The document's title: the generated or user-set title, else the first prompt, else the session id. */
export function documentTitle(h: ExportHeader): string {
  return visibleControls(h.session.summary ?? h.session.title ?? `Session ${h.session.id}`);
}

/** One line naming a changed file: path (or rename), status, label, counts. */
export function diffFileLine(f: DiffFile): { path: string; facts: string[]; note: string | null } {
  const path = visibleControls(f.from ? `${f.from} → ${f.path}` : f.path);
  const facts: string[] = f.status === 'unknown' ? [f.label] : [f.status, f.label];
  if (f.hunks.length) facts.push(`+${f.additions} −${f.deletions}`);
  const note = f.status === 'unknown' ? f.reason ?? f.summary ?? null : (f.summary ?? (f.label !== 'reconstructed' ? f.reason : undefined) ?? null);
  return { path, facts, note: note === null ? null : visibleControls(note) };
}

/** A file's hunks as diff text (`@@` headers, `+`/`-`/` ` lines), without file headers: the renderers name the file. */
export function hunkText(f: DiffFile): string {
  const out: string[] = [];
  for (const h of f.hunks) {
    out.push(h.header);
    for (const l of h.lines) {
      out.push(`${l.kind === 'add' ? '+' : l.kind === 'del' ? '-' : ' '}${visibleControls(l.text)}`);
      if (l.noNewline) out.push('\\ No newline at end of file');
    }
  }
  return out.join('\n');
}
