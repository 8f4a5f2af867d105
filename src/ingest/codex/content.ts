/** Reading Codex payload shapes: message content parts, tool outputs in their three shapes, shell commands. Pure. */
import { dataUrlPlaceholder, isObject, num, shorten, str, type Json } from '../text.js';

/** Text Codex injects as a user message: environment context, AGENTS.md, user instructions (never a prompt). */
export function isInjectedContext(text: string): boolean {
  const t = text.trimStart();
  if (t.startsWith('# AGENTS.md instructions')) return true;
  const open = /^<([A-Za-z_][\w-]{0,60})(?:\s[^>]{0,200})?>/.exec(t.slice(0, 300));
  return open !== null && t.trimEnd().endsWith(`</${open[1]}>`);
}

/** The `<cwd>` of an `<environment_context>` block. */
export function environmentCwd(text: string): string | null {
  const m = /<cwd>([^<\n]{1,4096})<\/cwd>/.exec(text.slice(0, 16_384));
  return m ? m[1].trim() : null;
}

/** A message's content parts as display text, plus the text-only key used to recognise its copies. */
export function contentText(content: unknown): { text: string; key: string } {
  if (typeof content === 'string') return { text: content, key: content };
  if (!Array.isArray(content)) return { text: '', key: '' };
  const shown: string[] = [];
  const words: string[] = [];
  for (const part of content) {
    if (!isObject(part)) continue;
    const text = str(part.text);
    if (text !== undefined && (part.type === 'input_text' || part.type === 'output_text' || part.type === 'text' || part.type === 'Text')) {
      // `<image name=[Image #1]>` … `</image>` wrap a pasted image; the placeholder says the same.
      if (/^<image\b[^>]{0,200}>$/.test(text) || text === '</image>') continue;
      shown.push(text);
      words.push(text);
    } else if (part.type === 'input_image') {
      const url = str(part.image_url);
      shown.push(url ? (url.startsWith('data:') ? dataUrlPlaceholder(url) : `[image: ${shorten(url, 200)}]`) : '[image]');
    } else if (part.type === 'encrypted_content') {
      shown.push('[encrypted content]');
    } else if (typeof part.type === 'string') {
      shown.push(`[${part.type}]`);
    }
  }
  return { text: shown.join('\n'), key: words.join('\n') };
}

/** A tool output in any of its shapes (string, JSON-in-string, content items) → text and what it says about failure. */
export function codexOutput(output: unknown): { text: string; failed: boolean | null } {
  if (Array.isArray(output) || (isObject(output) && typeof output.type === 'string')) {
    const { text } = contentText(Array.isArray(output) ? output : [output]);
    return { text, failed: null };
  }
  if (isObject(output)) {
    // FunctionCallOutputPayload: {content, success?}
    const inner = codexOutput(output.content ?? output.output ?? '');
    return { text: inner.text, failed: output.success === false ? true : inner.failed };
  }
  if (typeof output !== 'string') return { text: '', failed: null };
  const head = output.slice(0, 1024);
  if (head.startsWith('{') && head.includes('"output"')) {
    try {
      const parsed: unknown = JSON.parse(output);
      if (isObject(parsed) && typeof parsed.output === 'string') {
        const meta = isObject(parsed.metadata) ? parsed.metadata : {};
        const exit = num(meta.exit_code);
        return { text: parsed.output, failed: exit === undefined ? null : exit !== 0 };
      }
    } catch {
      // not JSON after all: shown as it is
    }
  }
  const exit = /^Exit code: (-?\d+)/.exec(head) ?? /^Process exited with code (-?\d+)\s*$/m.exec(head);
  if (exit) return { text: output, failed: Number(exit[1]) !== 0 };
  if (/^(aborted|execution error|apply_patch verification failed|failed to apply patch)\b/i.test(head)) return { text: output, failed: true };
  return { text: output, failed: null };
}

/** The command line of a shell call's arguments: `["bash","-lc","npm test"]` → `npm test`. */
export function commandText(command: unknown): string {
  if (typeof command === 'string') return command;
  if (!Array.isArray(command)) return '';
  const parts = command.filter((c): c is string => typeof c === 'string');
  if (parts.length === 3 && /(^|\/)(ba|z|da|k)?sh$/.test(parts[0]) && /^-l?c$|^-cl$/.test(parts[1])) return parts[2];
  if (parts.length === 3 && /(^|\\)(powershell|pwsh)(\.exe)?$/i.test(parts[0]) && /^-(Command|c)$/i.test(parts[1])) return parts[2];
  return parts.map((p) => (/[\s"'$`\\]/.test(p) ? `'${p.replaceAll("'", "'\\''")}'` : p)).join(' ');
}

export const isAbsolutePath = (p: string) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p);

export function parseArguments(args: unknown): Json | null {
  if (isObject(args)) return args;
  if (typeof args !== 'string') return null;
  try {
    const v: unknown = JSON.parse(args);
    return isObject(v) ? v : null;
  } catch {
    return null;
  }
}

