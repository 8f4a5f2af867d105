/**
 * A diff as screen rows: per file a header with its status, counts and label (exact / reconstructed / unknown),
 * then its hunks, `+` and `-` lines coloured by role so NO_COLOR still reads. Pure, like message-body.ts.
 */
import type { DiffFile, DiffView } from '../restore/diff.js';
import type { BodyRow } from './message-body.js';
import { redactLines } from '../redact/mask.js';
import { sanitize, wrapLine } from './text.js';
import type { Role } from './theme.js';

const LABEL_ROLE: Record<DiffFile['label'], Role> = {
  exact: 'label.exact',
  reconstructed: 'label.reconstructed',
  unknown: 'label.unknown',
};

export function labelRole(label: DiffFile['label']): Role {
  return LABEL_ROLE[label];
}

/** `src/cart.ts  modified  +3 −1  [reconstructed]`, and why when the state is unknown. */
export function fileHeader(f: DiffFile): BodyRow[] {
  const name = f.from ? `${f.from} → ${f.path}` : f.path;
  const counts = f.status === 'binary' || f.status === 'unknown' ? '' : `  +${f.additions} −${f.deletions}`;
  const rows: BodyRow[] = [{ text: `${name}  ${f.status}${counts}  [${f.label}]`, role: 'diff.file' }];
  if (f.summary) rows.push({ text: `  ${f.summary}`, role: f.label === 'unknown' ? 'label.unknown' : 'text.secondary' });
  if (f.reason && f.reason !== f.summary) rows.push({ text: `  ${f.reason}`, role: 'label.unknown' });
  return rows;
}

/** Every row of a diff, wrapped to `width` cells. */
export function diffRows(view: DiffView, width: number): BodyRow[] {
  const rows: BodyRow[] = [];
  for (const f of view.files) {
    if (rows.length) rows.push({ text: '', role: 'text.primary' });
    rows.push(...fileHeader(f));
    for (const h of f.hunks) {
      rows.push({ text: h.header, role: 'diff.hunk' });
      // Diffs of .env files and configs hold secrets like any message: masked, a hunk at a time.
      const texts = redactLines(h.lines.map((l) => sanitize(l.text).replace(/\n/g, ' ')));
      h.lines.forEach((l, i) => {
        const sign = l.kind === 'add' ? '+' : l.kind === 'del' ? '-' : ' ';
        const role: Role = l.kind === 'add' ? 'diff.add' : l.kind === 'del' ? 'diff.del' : 'text.primary';
        for (const part of wrapLine(sign + texts[i], width)) rows.push({ text: part, role });
        if (l.noNewline) rows.push({ text: '\\ No newline at end of file', role: 'text.secondary' });
      });
    }
  }
  return rows;
}

/** The weakest label in a diff, for its one-line summary. */
export function weakestLabel(view: DiffView): DiffFile['label'] | null {
  if (view.files.some((f) => f.label === 'unknown')) return 'unknown';
  if (view.files.some((f) => f.label === 'reconstructed')) return 'reconstructed';
  return view.files.length ? 'exact' : null;
}
