/**
 * Exports: text helpers, the three renderers, masking at export time (every seeded secret of the rule table is gone
 * from every format, and its mask is there), windows, fences nothing can close, HTML that cannot run or fetch
 * anything, and a 100,000-message session streamed in bounded memory.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { exportChunks, exportMessageJson, identityRedactor, maskHunk, maskingRedactor, prepareHeader, prepareMessage, windowedMessages } from '../src/export/index.js';
import type { ExportFormat, ExportMessage } from '../src/export/index.js';
import { exportWindow } from '../src/cli/export-commands.js';
import { RuntimeError } from '../src/cli/common.js';
import { escapeHtml, fenceFor, fenced, firstLine, indentJson, inlineCode, lineCount, markdownProse, truncate, visibleControls } from '../src/export/text.js';
import { detectSecrets } from '../src/redact/detect.js';
import type { DiffFile, DiffLine } from '../src/restore/diff.js';
import type { MessageRow, SessionRow } from '../src/store/rows.js';
import { makeStore, parsedMessage, type TestStore } from './helpers/store.js';
import { leaks, seededSecrets } from './helpers/seeded-secrets.js';

const T0 = Date.UTC(2026, 4, 2, 9, 0, 0);

function session(over: Partial<SessionRow> = {}): SessionRow {
  return {
    id: '6f1c2e0a-3b7d-4c55-9a10-2f3e4d5c6b7a',
    agent: 'claude',
    parentId: null,
    project: '/home/ada/shop',
    title: 'Add a quantity limit',
    summary: null,
    gitBranch: 'main',
    startedAt: T0,
    updatedAt: T0 + 60_000,
    messageCount: 0,
    childCount: 0,
    sourceFiles: [],
    sourceGone: false,
    ...over,
  };
}

function row(seq: number, over: Partial<MessageRow> = {}): MessageRow {
  return {
    id: seq,
    sessionId: '6f1c2e0a-3b7d-4c55-9a10-2f3e4d5c6b7a',
    seq,
    sourceId: `u${seq}`,
    parentId: null,
    timestamp: T0 + seq * 1000,
    role: 'user',
    kind: 'prompt',
    text: `message ${seq}`,
    toolName: null,
    toolInput: null,
    toolUseId: null,
    files: [],
    isError: false,
    isSidechain: false,
    subtype: null,
    data: null,
    sourceFile: '/sources/s.jsonl',
    byteOffset: seq * 100,
    ...over,
  };
}

const ctx = (text: string): DiffLine => ({ kind: 'ctx', text });
const add = (text: string): DiffLine => ({ kind: 'add', text });
const del = (text: string): DiffLine => ({ kind: 'del', text });

function diffFile(path: string, lines: DiffLine[], over: Partial<DiffFile> = {}): DiffFile {
  return {
    path,
    label: 'exact',
    status: 'modified',
    hunks: [{ header: `@@ -1,${lines.filter((l) => l.kind !== 'add').length} +1,${lines.filter((l) => l.kind !== 'del').length} @@`, lines }],
    additions: lines.filter((l) => l.kind === 'add').length,
    deletions: lines.filter((l) => l.kind === 'del').length,
    ...over,
  };
}

async function render(format: ExportFormat, s: SessionRow, rows: readonly MessageRow[], diffs: Map<number, DiffFile[]> = new Map(), redact = true): Promise<string> {
  const r = redact ? maskingRedactor() : identityRedactor();
  const header = prepareHeader(s, { from: rows[0]?.seq ?? 1, to: rows[rows.length - 1]?.seq ?? 0 }, r);
  const chunks: string[] = [];
  for await (const c of exportChunks(format, header, rows.map((m) => prepareMessage(m, diffs.get(m.seq) ?? null, r)))) chunks.push(c);
  return chunks.join('');
}

/** Lines of a Markdown document outside fenced code blocks (CommonMark fence rules), to check its structure. */
function outsideFences(md: string): string[] {
  const out: string[] = [];
  let open: { char: string; length: number } | null = null;
  for (const line of md.split('\n')) {
    const m = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
    if (open) {
      if (m && m[1][0] === open.char && m[1].length >= open.length && m[2].trim() === '') open = null;
      continue;
    }
    if (m && !(m[1][0] === '`' && m[2].includes('`'))) {
      open = { char: m[1][0], length: m[1].length };
      continue;
    }
    out.push(line);
  }
  expect(open, 'a fence is left open at the end of the document').toBeNull();
  return out;
}

describe('text helpers', () => {
  it.each([
    ['plain', '```'],
    ['one ` tick', '```'],
    ['a ``` fence', '````'],
    ['nested ````` five', '``````'],
  ])('fenceFor(%j) is %j', (text, fence) => {
    expect(fenceFor(text)).toBe(fence);
  });

  it('fences a body so that its own fences cannot close the block', () => {
    const body = '```js\nx\n```\n````\n';
    expect(fenced(body, 'text')).toBe(`\`\`\`\`\`text\n${body}\`\`\`\`\``);
    expect(fenced('no newline', 'diff')).toBe('```diff\nno newline\n```');
  });

  it.each([
    ['src/cart.ts', '`src/cart.ts`'],
    ['a`b', '``a`b``'],
    ['`starts', '`` `starts ``'],
    ['two\nlines', '`two lines`'],
  ])('inlineCode(%j) is %j', (text, code) => {
    expect(inlineCode(text)).toBe(code);
  });

  it.each([
    ['plain prose stays', 'Use **bold** and a list:\n- one', 'Use **bold** and a list:\n- one'],
    ['tags are escaped', 'a <script>alert(1)</script> b', 'a &lt;script>alert(1)&lt;/script> b'],
    ['closing our details is escaped', '</details>\n<details open>', '&lt;/details>\n&lt;details open>'],
    ['inline code keeps its <', 'call `a<b` and ``x`<y`` then <i>', 'call `a<b` and ``x`<y`` then &lt;i>'],
    ['an unmatched backtick is prose', 'a ` b <c>', 'a ` b &lt;c>'],
    ['fenced code is left alone', '```html\n<div>\n```\n<p>', '```html\n<div>\n```\n&lt;p>'],
    ['a tilde fence is left alone', '~~~\n<b>\n~~~', '~~~\n<b>\n~~~'],
    ['an open fence is closed', 'text\n````ts\nconst a = 1;', 'text\n````ts\nconst a = 1;\n````'],
    ['a shorter fence does not close a longer one', '````\n```\n<x>', '````\n```\n<x>\n````'],
    ['a backtick fence info string cannot hold a backtick', '```a`b <x>', '```a`b &lt;x>'],
  ])('markdownProse: %s', (_name, text, expected) => {
    expect(markdownProse(text)).toBe(expected);
  });

  it.each([
    ['ESC becomes its picture', 'red \u001b[31mtext', 'red \u241b[31mtext'],
    ['NUL and BEL', 'a\u0000b\u0007', 'a\u2400b\u2407'],
    ['CRLF becomes LF, a lone CR its picture', 'a\r\nb\rc', 'a\nb\u240dc'],
    ['tabs and newlines stay', 'a\tb\nc', 'a\tb\nc'],
    ['C1 controls and BiDi overrides', 'x\u009by\u202ez\u2066', 'x\ufffdy\ufffdz\ufffd'],
    ['everything else stays', 'café — 日本語 ‹aws-access-key›', 'café — 日本語 ‹aws-access-key›'],
  ])('visibleControls: %s', (_name, text, expected) => {
    expect(visibleControls(text)).toBe(expected);
  });

  it.each([
    ['an object', '{"a":1,"b":[true,null]}', '{\n  "a": 1,\n  "b": [\n    true,\n    null\n  ]\n}'],
    ['large integers keep their digits', '{"n":12345678901234567890}', '{\n  "n": 12345678901234567890\n}'],
    ['escapes and structural characters in strings stay', '{"s":"a\\"{,}\\\\n\\u0041"}', '{\n  "s": "a\\"{,}\\\\n\\u0041"\n}'],
    ['empty containers stay on one line', '{"a":{},"b":[ ]}', '{\n  "a": {},\n  "b": []\n}'],
    ['not JSON is unchanged', 'echo {"a":', 'echo {"a":'],
    ['a scalar', '"just a string"', '"just a string"'],
  ])('indentJson: %s', (_name, text, expected) => {
    expect(indentJson(text)).toBe(expected);
    if (!text.startsWith('echo')) expect(JSON.parse(indentJson(text))).toEqual(JSON.parse(text));
  });

  it.each([
    ['\n\n  first real line  \nsecond', 100, 'first real line'],
    ['x'.repeat(20), 10, `${'x'.repeat(9)}…`],
    ['   ', 10, ''],
  ])('firstLine(%j, %i)', (text, max, expected) => {
    expect(firstLine(text, max)).toBe(expected);
  });

  it('never cuts a character in two', () => {
    expect(truncate('ab😀cd', 4)).toBe('ab…');
    expect(lineCount('')).toBe(0);
    expect(lineCount('a\n')).toBe(1);
    expect(lineCount('a\nb')).toBe(2);
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});

describe('masking a diff hunk', () => {
  const key = seededSecrets().find((s) => s.rule === 'github-pat')!.values[0];

  it('scans each side of a hunk as its own text: the new value under a secret-named key is found', () => {
    // Read interleaved, the added value is not the line under the key; on the side after, it is.
    const lines = [ctx('stripe_secret:'), del('  value: Zq8vLm2NxR4tPw7K'), add('  value: wrM2PNNi5k!SceLF'), ctx('region: eu')];
    const interleaved = lines.map((l) => l.text).join('\n');
    expect(detectSecrets(interleaved).map((s) => interleaved.slice(s.start, s.end))).toEqual(['Zq8vLm2NxR4tPw7K']);
    const counted: string[] = [];
    const out = maskHunk(lines, (k) => counted.push(k));
    expect(out.map((l) => l.kind)).toEqual(lines.map((l) => l.kind));
    expect(out.map((l) => l.text)).toEqual(['stripe_secret:', `  value: ‹${counted[0]}›`, `  value: ‹${counted[1]}›`, 'region: eu']);
    expect(counted).toHaveLength(2);
  });

  it('masks a key block on each of its lines, and a token on a context line once in the count', () => {
    const pem = seededSecrets().find((s) => s.text.startsWith('-----BEGIN') && s.text.includes('PRIVATE KEY'))!;
    const lines = [ctx('# keys'), ...pem.text.split('\n').map(add), ctx(`TOKEN=${key}`)];
    const counted: string[] = [];
    const out = maskHunk(lines, (k) => counted.push(k));
    const text = out.map((l) => l.text).join('\n');
    for (const v of pem.values) for (const line of v.split('\n')) if (line.length >= 16) expect(text).not.toContain(line);
    expect(text).not.toContain(key);
    expect(counted.filter((k) => k === 'github-pat')).toHaveLength(1);
    expect(counted).toContain('private-key');
  });

  it('leaves a hunk without secrets as it was', () => {
    const lines = [ctx('a'), del('b'), add('c')];
    expect(maskHunk(lines)).toEqual(lines);
  });
});

/** One message of every shape, with text that tries to break each format. */
function showcase(): { rows: MessageRow[]; diffs: Map<number, DiffFile[]> } {
  const rows = [
    row(1, { kind: 'prompt', role: 'user', text: 'Fix the <b>cart</b> & add ```fences``` </details>' }),
    row(2, { kind: 'thinking', role: 'assistant', text: 'Thinking about it.\n```\nunclosed fence in thinking' }),
    row(3, { kind: 'tool-call', role: 'assistant', toolName: 'Bash', text: 'Bash: cat <file> | grep "x"', toolInput: '{"command":"cat <file> | grep \\"x\\"","description":"look"}' }),
    row(4, { kind: 'tool-result', role: 'tool', toolName: 'Bash', text: 'line 1\n````\nline 3 </pre><script>alert(1)</script>', isError: true }),
    row(5, { kind: 'reply', role: 'assistant', text: 'Done.\n\n```ts\nconst a = `x`;\n' }),
    row(6, { kind: 'tool-result', role: 'tool', toolName: 'Edit', text: 'The file was updated.' }),
    row(7, { kind: 'summary', role: 'system', text: 'Summary of what happened.\nSecond line.' }),
    row(8, { kind: 'system', role: 'system', text: 'API error 529', isError: true, subtype: 'api_error' }),
    row(9, { kind: 'tool-call', role: 'assistant', toolName: 'Read', text: 'Read /x', toolInput: null }),
    row(10, { kind: 'reply', role: 'assistant', text: '' }),
  ];
  const diffs = new Map<number, DiffFile[]>([
    [6, [
      diffFile('src/cart.ts', [ctx('a'), del('const fence = "```";'), add('const fence = "`````";'), add('<script>x</script>')], { label: 'reconstructed' }),
      { path: 'src/gone.ts', label: 'unknown', status: 'unknown', hunks: [], additions: 0, deletions: 0, reason: 'may have been changed by a shell command at #4 (rm -rf <dir>)', summary: 'may have been changed by a shell command at #4 (rm -rf <dir>)' },
      { path: 'logo.png', label: 'exact', status: 'binary', hunks: [], additions: 0, deletions: 0, summary: 'binary file added (1.2 KB)' },
      { ...diffFile('new.ts', [add('x')], { from: 'old.ts' }), status: 'renamed' },
    ]],
  ]);
  return { rows, diffs };
}

describe('renderers', () => {
  const s = session({ messageCount: 10, title: 'Fix the <b>cart</b>', summary: null });

  it('Markdown: headings for prompts and replies, details for the rest, diffs in safe fences, nothing escapes its block', async () => {
    const { rows, diffs } = showcase();
    const md = await render('md', s, rows, diffs);
    const top = outsideFences(md);
    // Exactly our structure outside code: one title, a heading per prompt or reply, balanced details.
    expect(top.filter((l) => l.startsWith('# '))).toEqual(['# Fix the &lt;b>cart&lt;/b>']);
    expect(top.filter((l) => l.startsWith('### ')).map((l) => l.slice(4, 12))).toEqual(['#1 · Use', '#5 · Ass', '#10 · As']);
    expect(top.filter((l) => l.includes('<details>')).length).toBe(top.filter((l) => l.includes('</details>')).length);
    expect(top.filter((l) => /<details><summary>#\d+/.test(l)).map((l) => /#(\d+)/.exec(l)![1])).toEqual(['2', '3', '4', '7']);
    expect(top.some((l) => /<\/?(b|script|pre)>/.test(l))).toBe(false);
    expect(md).toContain('<details><summary>#3 · Bash · Bash: cat &lt;file&gt; | grep &quot;x&quot;</summary>');
    expect(md).toContain('```json\n{\n  "command": "cat <file> | grep \\"x\\"",\n  "description": "look"\n}\n```');
    expect(md).toContain('<details><summary>#4 · Bash error · 3 lines · line 1</summary>\n\n`````text\nline 1\n````\nline 3 </pre><script>alert(1)</script>\n`````');
    expect(md).toContain('<p>#6 · Edit result · The file was updated.</p>');
    expect(md).toContain('<p>#9 · Read · Read /x</p>');
    expect(md).toContain('### #10 · Assistant · 2026-05-02 09:00:10 UTC\n\n*(empty)*');
    // The reply's open fence is closed before the next message.
    expect(md).toContain('```ts\nconst a = `x`;\n\n```');
    expect(md).toContain('**Code changed by #6** (4 files)');
    expect(md).toContain('`src/cart.ts` · modified · reconstructed · +2 −1\n\n``````diff\n@@ -1,2 +1,3 @@\n a\n-const fence = "```";\n+const fence = "`````";\n+<script>x</script>\n``````');
    expect(md).toContain('`src/gone.ts` · unknown · may have been changed by a shell command at #4 (rm -rf &lt;dir>)');
    expect(md).toContain('`logo.png` · binary · exact · binary file added (1.2 KB)');
    expect(md).toContain('`old.ts → new.ts` · renamed · exact · +1 −0');
    expect(md).toMatch(/- \*\*Messages:\*\* #1 to #10 of 10/);
    expect(md).toMatch(/- \*\*Secrets:\*\* masked as ‹kind›/);
    expect(md.endsWith('*10 messages exported by mantra-tui, secrets masked.*\n')).toBe(true);
  });

  it('HTML: self-contained, no scripts, no resources, every text escaped', async () => {
    const { rows, diffs } = showcase();
    const html = await render('html', s, rows, diffs);
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'">`);
    // Only these elements, only these attributes; nothing that loads, links or runs.
    const allowedTags = new Set(['html', 'head', 'meta', 'title', 'style', 'body', 'main', 'header', 'h1', 'h2', 'h3', 'dl', 'dt', 'dd', 'section', 'details', 'summary', 'pre', 'div', 'span', 'p', 'footer']);
    const allowedAttrs = new Set(['lang', 'charset', 'http-equiv', 'content', 'name', 'class', 'id', 'title']);
    const tags = [...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>/g)];
    expect(tags.length).toBeGreaterThan(40);
    for (const [, name, attrs] of tags) {
      expect(allowedTags.has(name.toLowerCase()), name).toBe(true);
      for (const [, attr] of attrs.matchAll(/\s([a-zA-Z-]+)="[^"]*"/g)) expect(allowedAttrs.has(attr.toLowerCase()), attr).toBe(true);
      expect(attrs.replace(/\s([a-zA-Z-]+)="[^"]*"/g, '').trim(), attrs).toBe('');
    }
    expect(html).not.toMatch(/url\(|@import|https?:\/\/|<script|javascript:/i);
    expect(html).toContain('<h1>Fix the &lt;b&gt;cart&lt;/b&gt;</h1>');
    expect(html).toContain('line 3 &lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('<span class="add">+&lt;script&gt;x&lt;/script&gt;</span>');
    expect(html).toContain('<span class="label unknown">unknown</span>');
    expect(html.match(/<section /g)).toHaveLength(10);
    expect(html.match(/<details/g)!.length).toBe(html.match(/<\/details>/g)!.length);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
  });

  it('JSON: the documented shape, diffs only where code changed', async () => {
    const { rows, diffs } = showcase();
    const doc = JSON.parse(await render('json', s, rows, diffs));
    expect(Object.keys(doc)).toEqual(['session', 'from', 'to', 'redacted', 'messages']);
    expect(Object.keys(doc.session)).toEqual(['id', 'agent', 'project', 'title', 'gitBranch', 'startedAt', 'updatedAt', 'messageCount', 'parentId', 'summary']);
    expect(doc).toMatchObject({ from: 1, to: 10, redacted: true, session: { id: s.id, startedAt: '2026-05-02T09:00:00.000Z', title: 'Fix the <b>cart</b>' } });
    expect(doc.messages).toHaveLength(10);
    for (const m of doc.messages) {
      const keys = ['seq', 'id', 'role', 'kind', 'timestamp', 'text', 'toolName', 'toolInput', 'files', 'isError'];
      expect(Object.keys(m)).toEqual(m.seq === 6 ? [...keys, 'diff'] : keys);
    }
    expect(doc.messages[2]).toMatchObject({ seq: 3, id: 'u3', kind: 'tool-call', toolName: 'Bash', toolInput: rows[2].toolInput, timestamp: '2026-05-02T09:00:03.000Z' });
    const d = doc.messages[5].diff;
    expect(d.map((f: { path: string }) => f.path)).toEqual(['src/cart.ts', 'src/gone.ts', 'logo.png', 'new.ts']);
    expect(Object.keys(d[0])).toEqual(['path', 'label', 'status', 'additions', 'deletions', 'patch']);
    expect(d[0]).toMatchObject({ label: 'reconstructed', status: 'modified', additions: 2, deletions: 1 });
    expect(d[0].patch).toContain('@@ -1,2 +1,3 @@\n a\n-const fence = "```";\n+const fence = "`````";\n');
    expect(d[1].patch).toBe('# src/gone.ts: may have been changed by a shell command at #4 (rm -rf <dir>)\n');
  });

  it('an empty session or window is still a whole document in every format', async () => {
    const empty = session({ messageCount: 0 });
    const doc = JSON.parse(await render('json', empty, []));
    expect(doc).toMatchObject({ from: 1, to: 0, messages: [] });
    expect(await render('md', empty, [])).toContain('- **Messages:** none (the session has 0)');
    expect(await render('html', empty, [])).toContain('0 messages exported');
  });

  it('says plainly when secrets were not masked', async () => {
    const { rows } = showcase();
    const md = await render('md', s, rows.slice(0, 1), new Map(), false);
    expect(md).toContain('- **Secrets:** NOT masked: exported with --no-redact');
    expect(JSON.parse(await render('json', s, rows.slice(0, 1), new Map(), false)).redacted).toBe(false);
    expect(await render('html', s, rows.slice(0, 1), new Map(), false)).toContain('<dd class="unmasked">NOT masked');
  });
});

describe('seeded secrets never leave in an export', () => {
  const secrets = seededSecrets();
  const wrap = [
    (t: string) => ({ kind: 'prompt' as const, role: 'user' as const, text: `Here is what the command printed:\n${t}\nLet me know if you want me to continue.` }),
    (t: string) => ({ kind: 'reply' as const, role: 'assistant' as const, text: `I ran it — output below\n\n\`\`\`text\n${t}\n\`\`\`\n\nNext I will update the config.` }),
    (t: string) => ({ kind: 'thinking' as const, role: 'assistant' as const, text: t }),
    (t: string) => ({ kind: 'tool-call' as const, role: 'assistant' as const, toolName: 'Bash', text: `Bash: ${t}`, toolInput: JSON.stringify({ command: t, description: 'run it' }) }),
    (t: string) => ({ kind: 'tool-result' as const, role: 'tool' as const, toolName: 'Bash', text: `$ deploy\n${t}\ndone` }),
    (t: string) => ({ kind: 'summary' as const, role: 'system' as const, text: `Summary: the user pasted\n${t}` }),
    (t: string) => ({ kind: 'system' as const, role: 'system' as const, text: t }),
  ];

  function seeded() {
    const rows: MessageRow[] = [];
    const diffs = new Map<number, DiffFile[]>();
    secrets.forEach((s, i) => {
      const seq = i + 1;
      if (i % 8 === 7) {
        rows.push(row(seq, { kind: 'tool-result', role: 'tool', toolName: 'Write', text: 'File created successfully' }));
        diffs.set(seq, [diffFile('config/settings.txt', [ctx('# settings'), ...s.text.split('\n').map(add), ctx('# end')])]);
      } else rows.push(row(seq, wrap[i % 8](s.text)));
    });
    const sess = session({ messageCount: rows.length, title: `Deploy with ${secrets[0].text}`, summary: `Rotate ${secrets[1].text}`, gitBranch: 'main' });
    return { rows, diffs, sess };
  }

  it.each(['md', 'html', 'json'] as const)('%s: no value is present in any form, and every kind found is masked', async (format) => {
    const { rows, diffs, sess } = seeded();
    const out = await render(format, sess, rows, diffs);
    expect(leaks(out, secrets)).toEqual([]);
    // The masks are there: every kind the detector reports for what was seeded (computed here, not listed).
    const kinds = new Set<string>();
    for (const r of rows) for (const t of [r.text, r.toolInput ?? '']) for (const s of detectSecrets(t)) kinds.add(s.kind);
    expect(kinds.size).toBeGreaterThan(60);
    for (const k of kinds) expect(out, k).toContain(`‹${k}›`);
    if (format === 'json') {
      // Decoded, too: no value in any string, nor in any tool input once parsed.
      const doc = JSON.parse(out);
      const strings: string[] = [];
      const walk = (v: unknown): void => {
        if (typeof v === 'string') {
          strings.push(v);
          try {
            walk(JSON.parse(v));
          } catch {
            // not JSON text
          }
        } else if (v && typeof v === 'object') for (const x of Object.values(v)) walk(x);
      };
      walk(doc);
      expect(leaks(strings.join('\n'), secrets)).toEqual([]);
      expect(doc.session.title).toMatch(/^Deploy with ‹[a-z0-9-]+›/);
    }
  });

  it('the check can fail: unmasked, every seeded value is found', async () => {
    const { rows, diffs, sess } = seeded();
    for (const format of ['md', 'html', 'json'] as const) {
      const out = await render(format, sess, rows, diffs, false);
      expect(leaks(out, secrets).length, format).toBe(secrets.reduce((n, s) => n + s.values.length, 0));
    }
  });

  it('counts what it masked, by kind', () => {
    const r = maskingRedactor();
    prepareMessage(row(1, { text: `a ${secrets[0].text} b ${secrets[0].text}` }), null, r);
    expect([...r.masked.values()].reduce((a, b) => a + b, 0)).toBe(2);
    expect(exportMessageJson(prepareMessage(row(1, { text: secrets[0].text }), null, identityRedactor())).text).toBe(secrets[0].text);
  });
});

describe('windows', () => {
  let store: TestStore | undefined;
  afterEach(() => store?.close());

  it('reads only the messages of the window, a page at a time', () => {
    store = makeStore([{ id: 's1', messages: Array.from({ length: 30 }, (_, i) => parsedMessage(i + 1)) }, { id: 's2', messages: [parsedMessage(1)] }]);
    const seqs = (from: number, to: number, page?: number) => [...windowedMessages(store!.reader, 's1', from, to, page)].map((m) => m.seq);
    expect(seqs(5, 9)).toEqual([5, 6, 7, 8, 9]);
    expect(seqs(5, 9, 2)).toEqual([5, 6, 7, 8, 9]);
    expect(seqs(28, 100, 2)).toEqual([28, 29, 30]);
    expect(seqs(1, 30, 7)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(seqs(31, 40)).toEqual([]);
    expect([...windowedMessages(store.reader, 's2', 1, 1)].map((m) => m.sessionId)).toEqual(['s2']);
  });

  it.each([
    [30, undefined, undefined, { from: 1, to: 30 }],
    [30, 5, undefined, { from: 5, to: 30 }],
    [30, undefined, 7, { from: 1, to: 7 }],
    [30, 4, 400, { from: 4, to: 30 }],
    [30, 30, 30, { from: 30, to: 30 }],
    [0, undefined, undefined, { from: 1, to: 0 }],
  ])('exportWindow(%i messages, --from %s, --to %s)', (n, from, to, expected) => {
    expect(exportWindow({ id: 's', messageCount: n }, from, to)).toEqual(expected);
  });

  it('refuses a window that starts past the end', () => {
    expect(() => exportWindow({ id: 's', messageCount: 30 }, 31)).toThrow(RuntimeError);
    expect(() => exportWindow({ id: 's', messageCount: 30 }, 31)).toThrow(/has messages 1 to 30; --from 31 is past its end/);
  });

  it('the document names its window', async () => {
    const rows = [row(5), row(6, { kind: 'reply', role: 'assistant' })];
    const s = session({ messageCount: 12 });
    const md = await render('md', s, rows);
    expect(md).toContain('- **Messages:** #5 to #6 of 12');
    expect(outsideFences(md).filter((l) => l.startsWith('### ')).map((l) => l.split(' · ')[0])).toEqual(['### #5', '### #6']);
    expect(JSON.parse(await render('json', s, rows))).toMatchObject({ from: 5, to: 6 });
  });
});

describe('streaming', () => {
  it('exports 100,000 messages one at a time, holding none of them', async () => {
    // A collection on demand (test only), so the heap is measured, not its uncollected garbage.
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const N = 100_000;
    const secret = seededSecrets().find((s) => s.rule === 'github-pat')!;
    let produced = 0;
    function* messages(): Generator<ExportMessage> {
      const r = maskingRedactor();
      for (let seq = 1; seq <= N; seq++) {
        produced++;
        const text = `${seq % 3 === 0 ? `token ${secret.text} ` : ''}${'Some reply text with `code` and <tags>. '.repeat(6)}`;
        yield prepareMessage(row(seq, { kind: seq % 2 ? 'prompt' : 'tool-result', role: seq % 2 ? 'user' : 'tool', toolName: 'Bash', text }), null, r);
      }
    }
    const s = session({ messageCount: N });
    for (const format of ['md', 'json'] as const) {
      produced = 0;
      const header = prepareHeader(s, { from: 1, to: N }, maskingRedactor());
      gc();
      const before = process.memoryUsage().heapUsed;
      let growth = 0;
      let bytes = 0;
      let chunks = 0;
      let lockstep = true;
      let leaked = false;
      for await (const chunk of exportChunks(format, header, messages())) {
        chunks++;
        // The header, then chunk k + 1 is message k: nothing is read ahead of what is written.
        if (chunks > 1 && chunks <= N + 1 && produced !== chunks - 1) lockstep = false;
        bytes += chunk.length;
        if (chunk.includes(secret.values[0])) leaked = true;
        if (chunks % 25_000 === 0) {
          gc();
          growth = Math.max(growth, process.memoryUsage().heapUsed - before);
        }
      }
      expect(lockstep, format).toBe(true);
      expect(chunks).toBe(N + 2);
      expect(leaked).toBe(false);
      expect(bytes).toBeGreaterThan(25_000_000);
      // What stays on the heap while ~30 MB are written is a few MB at most.
      expect(growth, `${format}: heap grew by ${(growth / 1e6).toFixed(1)} MB for ${(bytes / 1e6).toFixed(1)} MB written`).toBeLessThan(8_000_000);
    }
  });
});
