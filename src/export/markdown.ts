/**
 * The Markdown export: a header, then each message — prompts and replies as Markdown under a heading, everything
 * else in `<details>` blocks with a one-line summary — and the code each message changed as ```diff blocks per file.
 * Every fence is longer than any backtick run inside it, and prose cannot open raw HTML or leave a fence open (see
 * text.ts), so nothing in a session can break the document's structure.
 */
import type { DiffFile } from '../restore/diff.js';
import { escapeHtml, fenced, inlineCode, markdownProse } from './text.js';
import type { ExportHeader, ExportMessage, ExportRenderer } from './types.js';
import { diffFileLine, documentTitle, headerRows, hunkText, messageView } from './view.js';

/** Header values that are identifiers or paths are shown as code; the rest as text. */
const CODE_ROWS = new Set(['Session', 'Sub-agent of', 'Project', 'Branch']);

function diffMarkdown(seq: number, files: readonly DiffFile[]): string {
  const out = [`**Code changed by #${seq}** (${files.length} file${files.length === 1 ? '' : 's'})`];
  for (const f of files) {
    const line = diffFileLine(f);
    out.push(`${inlineCode(line.path)} · ${line.facts.join(' · ')}${line.note ? ` · ${markdownProse(line.note.replace(/\n/g, ' '))}` : ''}`);
    if (f.hunks.length) out.push(fenced(hunkText(f), 'diff'));
  }
  return out.join('\n\n');
}

function messageMarkdown(m: ExportMessage): string {
  const v = messageView(m);
  let block: string;
  if (v.shape === 'prose') {
    block = `### ${markdownProse(v.heading)}${v.isError ? ' · error' : ''}\n\n${v.text.trim() === '' ? '*(empty)*' : markdownProse(v.text)}`;
  } else if (v.body === '') {
    block = `<p>${escapeHtml(v.summary)}</p>`;
  } else {
    // The blank lines around the fence let Markdown renderers read it inside the HTML block.
    block = `<details><summary>${escapeHtml(v.summary)}</summary>\n\n${fenced(v.body, v.info)}\n\n</details>`;
  }
  return v.diff ? `${block}\n\n${diffMarkdown(m.seq, v.diff)}` : block;
}

export const markdownRenderer: ExportRenderer = {
  begin(h: ExportHeader): string {
    const rows = headerRows(h).map(([k, v]) => `- **${k}:** ${CODE_ROWS.has(k) ? inlineCode(v) : markdownProse(v)}`);
    return `# ${markdownProse(documentTitle(h).replace(/\n/g, ' '))}\n\n${rows.join('\n')}\n\n---\n\n`;
  },
  message(m: ExportMessage): string {
    return `${messageMarkdown(m)}\n\n`;
  },
  end(h: ExportHeader, written: number): string {
    return `---\n\n*${written} message${written === 1 ? '' : 's'} exported by mantra-tui${h.redacted ? ', secrets masked' : ', secrets NOT masked'}.*\n`;
  },
};
