/**
 * The HTML export: one self-contained file that works offline in any browser. Inline CSS only; no scripts, no
 * external resources, no links that load anything, and a Content-Security-Policy that forbids every fetch, so opening
 * it can never phone home. Every text is escaped; folding uses `<details>`, which needs no script.
 */
import type { DiffFile } from '../restore/diff.js';
import { escapeHtml, visibleControls } from './text.js';
import type { ExportHeader, ExportMessage, ExportRenderer } from './types.js';
import { diffFileLine, documentTitle, headerRows, messageView } from './view.js';

const CSS = `
:root{color-scheme:light dark;--fg:#1f2328;--muted:#59636e;--bg:#fff;--panel:#f6f8fa;--line:#d1d9e0;--add:#1a7f37;--add-bg:#dafbe1;--del:#cf222e;--del-bg:#ffebe9;--warn:#9a6700;--hunk:#0969da}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9198a1;--bg:#0d1117;--panel:#151b23;--line:#3d444d;--add:#3fb950;--add-bg:#12261e;--del:#f85149;--del-bg:#25171c;--warn:#d29922;--hunk:#4493f8}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif}
main{max-width:980px;margin:0 auto;padding:24px 16px 64px}
h1{font-size:1.5em;margin:0 0 12px;overflow-wrap:anywhere}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:0 0 24px;color:var(--muted)}
dl.meta dt{font-weight:600}
dl.meta dd{margin:0;overflow-wrap:anywhere}
.unmasked{color:var(--del);font-weight:600}
section.msg{margin:18px 0}
section.msg h2{font-size:1em;margin:0 0 6px;color:var(--muted);font-weight:600}
.prose{white-space:pre-wrap;overflow-wrap:anywhere;margin:0}
details{margin:6px 0;border:1px solid var(--line);border-radius:6px;background:var(--panel)}
details>summary{cursor:pointer;padding:4px 10px;color:var(--muted);overflow-wrap:anywhere}
details[open]>summary{border-bottom:1px solid var(--line)}
p.note{margin:6px 0;padding:4px 10px;color:var(--muted)}
.error>summary,.error h2,p.note.error{color:var(--del)}
pre{margin:0;padding:8px 10px;overflow-x:auto;font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;white-space:pre-wrap;overflow-wrap:anywhere}
.diff{margin:8px 0 0}
.diff h3{font-size:.9em;margin:10px 0 4px;font-weight:600}
.file{border:1px solid var(--line);border-radius:6px;margin:6px 0;overflow:hidden}
.file .name{padding:4px 10px;background:var(--panel);font-family:ui-monospace,monospace;font-size:13px;overflow-wrap:anywhere}
.label{display:inline-block;padding:0 6px;border-radius:10px;font-size:12px;border:1px solid currentColor}
.label.exact{color:var(--add)}.label.reconstructed{color:var(--warn)}.label.unknown{color:var(--del)}
.file .why{padding:2px 10px;color:var(--muted);font-size:13px}
.add{background:var(--add-bg);color:var(--add)}.del{background:var(--del-bg);color:var(--del)}.hunk{color:var(--hunk)}
footer{margin-top:32px;color:var(--muted);font-size:.9em}
`.trim();

/** Lines of a file's hunks, each in a span of its kind. */
function hunkHtml(f: DiffFile): string {
  const out: string[] = [];
  for (const h of f.hunks) {
    out.push(`<span class="hunk">${escapeHtml(h.header)}</span>`);
    for (const l of h.lines) {
      const text = escapeHtml(visibleControls(l.text));
      out.push(l.kind === 'add' ? `<span class="add">+${text}</span>` : l.kind === 'del' ? `<span class="del">-${text}</span>` : ` ${text}`);
      if (l.noNewline) out.push('<span class="hunk">\\ No newline at end of file</span>');
    }
  }
  return out.join('\n');
}

function diffHtml(seq: number, files: readonly DiffFile[]): string {
  const out = [`<div class="diff"><h3>Code changed by #${seq} (${files.length} file${files.length === 1 ? '' : 's'})</h3>`];
  for (const f of files) {
    const line = diffFileLine(f);
    const facts = line.facts.map((fact) => (fact === f.label ? `<span class="label ${f.label}">${f.label}</span>` : escapeHtml(fact))).join(' · ');
    out.push(`<div class="file"><div class="name">${escapeHtml(line.path)} · ${facts}</div>`);
    if (line.note) out.push(`<div class="why">${escapeHtml(line.note)}</div>`);
    if (f.hunks.length) out.push(`<pre>${hunkHtml(f)}</pre>`);
    out.push('</div>');
  }
  out.push('</div>');
  return out.join('\n');
}

function messageHtml(m: ExportMessage): string {
  const v = messageView(m);
  const error = v.isError ? ' error' : '';
  let block: string;
  if (v.shape === 'prose') {
    block = `<h2>${escapeHtml(v.heading)}${v.isError ? ' · error' : ''}</h2>\n<div class="prose">${escapeHtml(v.text)}</div>`;
  } else if (v.body === '') {
    block = `<p class="note${error}" title="${escapeHtml(v.time)}">${escapeHtml(v.summary)}</p>`;
  } else {
    block = `<details class="${m.kind}${error}"><summary title="${escapeHtml(v.time)}">${escapeHtml(v.summary)}</summary><pre>${escapeHtml(v.body)}</pre></details>`;
  }
  return `<section class="msg ${m.kind}${error}" id="m${m.seq}">\n${block}${v.diff ? `\n${diffHtml(m.seq, v.diff)}` : ''}\n</section>\n`;
}

export const htmlRenderer: ExportRenderer = {
  begin(h: ExportHeader): string {
    const title = escapeHtml(documentTitle(h).replace(/\n/g, ' '));
    const rows = headerRows(h)
      .map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd${k === 'Secrets' && !h.redacted ? ' class="unmasked"' : ''}>${escapeHtml(v)}</dd>`)
      .join('\n');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="mantra-tui">
<title>${title}</title>
<style>
${CSS}
</style>
</head>
<body>
<main>
<header>
<h1>${title}</h1>
<dl class="meta">
${rows}
</dl>
</header>
`;
  },
  message(m: ExportMessage): string {
    return messageHtml(m);
  },
  end(h: ExportHeader, written: number): string {
    return `<footer>${written} message${written === 1 ? '' : 's'} exported by mantra-tui${h.redacted ? ', secrets masked' : ', secrets NOT masked'}.</footer>
</main>
</body>
</html>
`;
  },
};
