/**
 * Masking at export time. Every text that leaves in an export is scanned again with the detector as it is now — never
 * the spans stored in the index, which may come from an older detector or be missing — and each secret becomes
 * `‹kind›`. The redactor counts what it masked, by kind, for the command's summary line. `--no-redact` uses the
 * identity redactor instead. Pure apart from the counters.
 */
import { detectSecrets, type SecretSpan } from '../redact/detect.js';
import { maskSecrets } from '../redact/mask.js';
import type { DiffFile, DiffHunk, DiffLine } from '../restore/diff.js';

export interface Redactor {
  /** Masks the secrets in one text. */
  text(text: string): string;
  /** Masks the lines of a diff hunk, keeping one output line per input line (see `maskHunk`). */
  hunk(lines: readonly DiffLine[]): DiffLine[];
  /** Secrets masked so far, by kind. */
  readonly masked: ReadonlyMap<string, number>;
  readonly redacts: boolean;
}

/** A piece of a span on one line: line-relative offsets, and which span of the whole text it belongs to. */
interface Piece extends SecretSpan {
  readonly of: number;
}

/** Splits spans found in `lines.join('\n')` into per-line pieces (a key block is masked on each of its lines). */
function piecesByLine(lines: readonly string[], spans: readonly SecretSpan[]): Piece[][] {
  const out: Piece[][] = lines.map(() => []);
  if (spans.length === 0) return out;
  const starts: number[] = [];
  let offset = 0;
  for (const l of lines) {
    starts.push(offset);
    offset += l.length + 1;
  }
  let line = 0;
  spans.forEach((s, of) => {
    while (line + 1 < lines.length && starts[line + 1] <= s.start) line++;
    for (let k = line; k < lines.length && starts[k] < s.end; k++) {
      const from = Math.max(s.start, starts[k]) - starts[k];
      const to = Math.min(s.end, starts[k] + lines[k].length) - starts[k];
      if (to > from) out[k].push({ start: from, end: to, kind: s.kind, of });
    }
  });
  return out;
}

/**
 * Masks a diff hunk. A hunk is two texts interleaved — the file before (context and removed lines) and after (context
 * and added lines) — so each side is scanned as one text, as `redactLines` does for a block: a `password:` key on a
 * context line then finds its value on the added line below it, and a key block is found whole. A context line
 * belongs to both sides and is masked with the spans of both. `count` hears each secret once: the side before
 * reports all it finds, the side after those that reach an added line.
 */
export function maskHunk(lines: readonly DiffLine[], count?: (kind: string) => void): DiffLine[] {
  const spans: SecretSpan[][] = lines.map(() => []);
  for (const own of ['del', 'add'] as const) {
    const index: number[] = [];
    lines.forEach((l, i) => {
      if (l.kind === own || l.kind === 'ctx') index.push(i);
    });
    const texts = index.map((i) => lines[i].text);
    const found = detectSecrets(texts.join('\n'));
    const reported = new Set<number>();
    piecesByLine(texts, found).forEach((pieces, k) => {
      spans[index[k]].push(...pieces);
      for (const p of pieces) {
        if (!count || reported.has(p.of) || (own === 'add' && lines[index[k]].kind !== 'add')) continue;
        reported.add(p.of);
        count(p.kind);
      }
    });
  }
  return lines.map((l, i) => {
    if (spans[i].length === 0) return l;
    // maskSecrets clips a span that overlaps an earlier one, so the union of both sides' spans is masked.
    const sorted = spans[i].sort((a, b) => a.start - b.start || b.end - a.end);
    return { ...l, text: maskSecrets(l.text, sorted.map(({ start, end, kind }) => ({ start, end, kind }))) };
  });
}

export function maskingRedactor(): Redactor {
  const masked = new Map<string, number>();
  const count = (kind: string) => masked.set(kind, (masked.get(kind) ?? 0) + 1);
  return {
    redacts: true,
    masked,
    text(text) {
      const spans = detectSecrets(text);
      for (const s of spans) count(s.kind);
      return maskSecrets(text, spans);
    },
    hunk: (lines) => maskHunk(lines, count),
  };
}

/** `--no-redact`: everything goes out as recorded. */
export function identityRedactor(): Redactor {
  return { redacts: false, masked: new Map(), text: (t) => t, hunk: (lines) => [...lines] };
}

/** A diff file with its hunks, reason and summary masked (paths are not: they are shown as they are). */
export function redactDiffFile(f: DiffFile, r: Redactor): DiffFile {
  if (!r.redacts) return f;
  const hunks: DiffHunk[] = f.hunks.map((h) => ({ header: h.header, lines: r.hunk(h.lines) }));
  return {
    ...f,
    hunks,
    ...(f.reason !== undefined ? { reason: r.text(f.reason) } : {}),
    ...(f.summary !== undefined ? { summary: r.text(f.summary) } : {}),
  };
}
