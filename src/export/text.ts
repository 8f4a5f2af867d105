/**
 * Text helpers the renderers share: visible control characters, HTML escaping, Markdown fences that nothing inside
 * can close, Markdown prose that cannot open raw HTML or leave a fence open, one-line summaries. All pure.
 */

/**
 * Makes control characters visible instead of letting them act: a log can hold terminal escapes (the export may go
 * to a terminal) and characters that are invalid in HTML or reorder text (BiDi overrides). C0 controls become their
 * Unicode pictures (ESC → ␛), C1 controls and BiDi overrides/isolates become U+FFFD; tabs and newlines stay; CRLF
 * becomes LF.
 */
export function visibleControls(text: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(text)) return text;
  // eslint-disable-next-line no-control-regex
  return text.replace(/\r\n/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const code = c.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    if (code === 0x7f) return '\u2421';
    return '\ufffd';
  });
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/** Length of the longest run of `char` in `text`. */
function longestRun(text: string, char: string): number {
  let longest = 0;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === char) {
      run++;
      if (run > longest) longest = run;
    } else run = 0;
  }
  return longest;
}

/** A backtick fence longer than any backtick run in `text` (at least three): no line inside can close it. */
export function fenceFor(text: string): string {
  return '`'.repeat(Math.max(3, longestRun(text, '`') + 1));
}

/** `text` as a fenced code block with an info string (`diff`, `json`, `text`). */
export function fenced(text: string, info: string): string {
  const fence = fenceFor(text);
  const body = text.endsWith('\n') ? text : `${text}\n`;
  return `${fence}${info}\n${body}${fence}`;
}

/** `text` as a Markdown code span (one line): delimiters longer than any backtick run inside. */
export function inlineCode(text: string): string {
  const flat = text.replace(/\n/g, ' ');
  const ticks = '`'.repeat(longestRun(flat, '`') + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || (flat.startsWith(' ') && flat.endsWith(' ') && flat.trim() !== '') ? ' ' : '';
  return `${ticks}${pad}${flat}${pad}${ticks}`;
}

/** An opening code fence as CommonMark reads it: up to three spaces, then three or more backticks or tildes. */
const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;

/** `<` outside code spans on one line of prose, escaped so it cannot start raw HTML. */
function escapeTagsOutsideCode(line: string): string {
  if (!line.includes('<')) return line;
  let out = '';
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === '`') {
      let n = 1;
      while (line[i + n] === '`') n++;
      const run = '`'.repeat(n);
      // A code span ends at the next run of exactly as many backticks.
      let close = line.indexOf(run, i + n);
      while (close !== -1 && (line[close + n] === '`' || line[close - 1] === '`')) {
        let end = close;
        while (line[end] === '`') end++;
        close = line.indexOf(run, end);
      }
      if (close === -1) {
        out += run;
        i += n;
      } else {
        out += line.slice(i, close + n);
        i = close + n;
      }
      continue;
    }
    out += c === '<' ? '&lt;' : c;
    i++;
  }
  return out;
}

/**
 * Prompts and replies are Markdown already, so they are written as Markdown, made safe to embed in a larger document:
 * `<` outside code is escaped (a reply cannot open raw HTML, close our `<details>` or smuggle a tag in), and a code
 * fence the text leaves open is closed at its end (it would swallow the rest of the export). Code spans are found
 * within a line; a span broken across lines is escaped like prose, which only shows `&lt;` where `<` was.
 */
export function markdownProse(text: string): string {
  const lines = text.split('\n');
  let open: { char: string; length: number } | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const m = FENCE_OPEN.exec(line);
    if (open) {
      if (m && m[1][0] === open.char && m[1].length >= open.length && m[2].trim() === '') open = null;
      continue;
    }
    // A backtick fence's info string may not contain backticks; a tilde fence's may.
    if (m && !(m[1][0] === '`' && m[2].includes('`'))) {
      open = { char: m[1][0], length: m[1].length };
      continue;
    }
    lines[i] = escapeTagsOutsideCode(line);
  }
  if (open) lines.push(open.char.repeat(open.length));
  return lines.join('\n');
}

/** Cuts `text` to at most `max` characters (whole code points), marking the cut with `…`. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

/** The first non-blank line of `text`, trimmed and cut to `max` characters; '' when there is none. */
export function firstLine(text: string, max = 100): string {
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const line = text.slice(start, end).trim();
    if (line !== '') return truncate(line, max);
    start = end + 1;
  }
  return '';
}

/** How many lines `text` has (a final newline does not start another). */
export function lineCount(text: string): number {
  if (text === '') return 0;
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) if (i < text.length - 1) n++;
  return n;
}

/** A timestamp as people read it in a document: `2026-05-02 09:00:01 UTC`. */
export function readableTime(ms: number | null): string {
  return ms === null ? 'unknown time' : `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Epoch ms as ISO-8601, the JSON form. */
export function isoTime(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/**
 * JSON text re-indented for reading, token for token: only whitespace between tokens changes, so strings keep their
 * escapes and numbers their digits (a parse and re-serialise would round large integers). Text that is not JSON is
 * returned unchanged.
 */
export function indentJson(text: string, indent = '  '): string {
  try {
    JSON.parse(text);
  } catch {
    return text;
  }
  let out = '';
  let depth = 0;
  let i = 0;
  const newline = () => `\n${indent.repeat(depth)}`;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (c === ' ' || c === '\n' || c === '\r' || c === '\t') {
      i++;
      continue;
    }
    if (c === '{' || c === '[') {
      // Empty containers stay on one line.
      let j = i + 1;
      while (j < text.length && ' \n\r\t'.includes(text[j])) j++;
      if (text[j] === (c === '{' ? '}' : ']')) {
        out += c === '{' ? '{}' : '[]';
        i = j + 1;
        continue;
      }
      depth++;
      out += c + newline();
    } else if (c === '}' || c === ']') {
      depth--;
      out += newline() + c;
    } else if (c === ',') out += `,${newline()}`;
    else if (c === ':') out += ': ';
    else out += c;
    i++;
  }
  return out;
}
