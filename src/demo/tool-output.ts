/**
 * What read-only commands print on the demo repository, computed from its files, so the transcripts show output that
 * matches the code they talk about. Pure functions of file contents.
 */
import { diffLines } from '../restore/myers.js';
import { splitLines } from './line-diff.js';
import type { FileChange } from './repo.js';

/** `grep -n` / `rg -n` over some files: `path:line:text` for each line containing `needle`. */
export function grepLines(files: readonly { rel: string; text: string | null }[], needle: string): string {
  const out: string[] = [];
  for (const f of files) {
    if (f.text === null) continue;
    f.text.split('\n').forEach((line, i) => {
      if (line.includes(needle)) out.push(`${f.rel}:${i + 1}:${line}`);
    });
  }
  return out.length ? `${out.join('\n')}\n` : '';
}

/** `git diff --stat` of changes to tracked files (no renames). */
export function diffStat(changes: readonly FileChange[]): string {
  // Git lists files in path order.
  const rows = [...changes].sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0)).map((c) => {
    const { ops } = diffLines(splitLines(c.before ?? ''), splitLines(c.after));
    return { rel: c.rel, added: ops.filter((o) => o.kind === 'add').length, removed: ops.filter((o) => o.kind === 'del').length };
  });
  const width = Math.max(...rows.map((r) => r.rel.length));
  const digits = Math.max(...rows.map((r) => String(r.added + r.removed).length));
  const lines = rows.map((r) => ` ${r.rel.padEnd(width)} | ${String(r.added + r.removed).padStart(digits)} ${'+'.repeat(r.added)}${'-'.repeat(r.removed)}`);
  const added = rows.reduce((n, r) => n + r.added, 0);
  const removed = rows.reduce((n, r) => n + r.removed, 0);
  const files = `${rows.length} file${rows.length === 1 ? '' : 's'} changed`;
  const parts = [files, added ? `${added} insertion${added === 1 ? '' : 's'}(+)` : '', removed ? `${removed} deletion${removed === 1 ? '' : 's'}(-)` : ''].filter(Boolean);
  return `${lines.join('\n')}\n ${parts.join(', ')}\n`;
}
