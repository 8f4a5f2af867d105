/**
 * Codex's `apply_patch` envelope, parsed and applied the way Codex does it (codex-rs/apply-patch: parser.rs,
 * lib.rs compute_replacements, seek_sequence.rs), so replaying a patch gives the bytes Codex wrote:
 *   *** Begin Patch / *** Add File: p (+lines) / *** Delete File: p / *** Update File: p [*** Move to: q]
 *   @@ [context] chunks of ' '/'-'/'+' lines [*** End of File] / *** End Patch
 * Matching follows Codex's decreasing strictness: exact, then ignoring trailing whitespace, then ignoring both ends,
 * then with typographic punctuation folded to ASCII. An updated file always ends with a newline.
 */
import { applied, failed, type EditResult } from './result.js';

export interface PatchChunk {
  /** `@@ <context>`: a line the chunk's old lines must come after. */
  readonly context: string | null;
  readonly oldLines: readonly string[];
  readonly newLines: readonly string[];
  /** `*** End of File`: the old lines are at the end of the file. */
  readonly endOfFile: boolean;
}

export type PatchOp =
  | { readonly type: 'add'; readonly path: string; readonly contents: string }
  | { readonly type: 'delete'; readonly path: string }
  | { readonly type: 'update'; readonly path: string; readonly moveTo: string | null; readonly chunks: readonly PatchChunk[] };

const BEGIN = '*** Begin Patch';
const END = '*** End Patch';
const ADD = '*** Add File: ';
const DELETE = '*** Delete File: ';
const UPDATE = '*** Update File: ';
const MOVE = '*** Move to: ';
const EOF_MARKER = '*** End of File';

/** Strips the heredoc wrapper some models put around the patch (`<<'EOF'` … `EOF`), as Codex's lenient mode does. */
function patchBody(lines: string[]): string[] | { error: string } {
  const strict = (ls: string[]) =>
    ls.length >= 2 && ls[0].trim() === BEGIN && ls[ls.length - 1].trim() === END ? ls.slice(1, -1) : null;
  const direct = strict(lines);
  if (direct) return direct;
  const first = lines[0];
  if (lines.length >= 4 && (first === '<<EOF' || first === "<<'EOF'" || first === '<<"EOF"') && lines[lines.length - 1].endsWith('EOF')) {
    const inner = strict(lines.slice(1, -1));
    if (inner) return inner;
  }
  if (lines[0]?.trim() !== BEGIN) return { error: "the patch does not start with '*** Begin Patch'" };
  return { error: "the patch does not end with '*** End Patch'" };
}

export function parseApplyPatch(patch: string): PatchOp[] | { error: string } {
  const body = patchBody(patch.trim().split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l)));
  if ('error' in body) return body;
  const ops: PatchOp[] = [];
  let i = 0;
  while (i < body.length) {
    const head = body[i].trim();
    if (head.startsWith(ADD)) {
      const lines: string[] = [];
      i++;
      while (i < body.length && body[i].startsWith('+')) lines.push(body[i++].slice(1));
      ops.push({ type: 'add', path: head.slice(ADD.length), contents: lines.map((l) => `${l}\n`).join('') });
    } else if (head.startsWith(DELETE)) {
      ops.push({ type: 'delete', path: head.slice(DELETE.length) });
      i++;
    } else if (head.startsWith(UPDATE)) {
      const path = head.slice(UPDATE.length);
      i++;
      let moveTo: string | null = null;
      if (i < body.length && body[i].startsWith(MOVE)) moveTo = body[i++].slice(MOVE.length);
      const chunks: PatchChunk[] = [];
      while (i < body.length) {
        if (body[i].trim() === '') {
          i++;
          continue;
        }
        if (body[i].startsWith('*')) break;
        const parsed = parseChunk(body, i, chunks.length === 0);
        if ('error' in parsed) return parsed;
        chunks.push(parsed.chunk);
        i = parsed.next;
      }
      if (chunks.length === 0) return { error: `the update of ${path} has no changes` };
      ops.push({ type: 'update', path, moveTo, chunks });
    } else {
      return { error: `'${head.slice(0, 60)}' is not a valid patch header` };
    }
  }
  return ops;
}

function parseChunk(lines: readonly string[], start: number, allowMissingContext: boolean): { chunk: PatchChunk; next: number } | { error: string } {
  let i = start;
  let context: string | null = null;
  if (lines[i] === '@@') i++;
  else if (lines[i].startsWith('@@ ')) context = lines[i++].slice(3);
  else if (!allowMissingContext) return { error: `expected an @@ line, got '${lines[i].slice(0, 60)}'` };
  const oldLines: string[] = [];
  const newLines: string[] = [];
  let endOfFile = false;
  let parsed = 0;
  for (; i < lines.length; i++) {
    const line = lines[i];
    if (line === EOF_MARKER) {
      if (parsed === 0) return { error: 'an update chunk has no lines' };
      endOfFile = true;
      i++;
      break;
    }
    const marker = line[0];
    if (marker === undefined) {
      oldLines.push('');
      newLines.push('');
    } else if (marker === ' ') {
      oldLines.push(line.slice(1));
      newLines.push(line.slice(1));
    } else if (marker === '+') newLines.push(line.slice(1));
    else if (marker === '-') oldLines.push(line.slice(1));
    else {
      if (parsed === 0) return { error: `unexpected line in an update chunk: '${line.slice(0, 60)}'` };
      break;
    }
    parsed++;
  }
  if (parsed === 0) return { error: 'an update chunk has no lines' };
  return { chunk: { context, oldLines, newLines, endOfFile }, next: i };
}

const PUNCTUATION: Record<string, string> = {
  '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2013': '-', '\u2014': '-', '\u2015': '-', '\u2212': '-',
  '\u2018': "'", '\u2019': "'", '\u201A': "'", '\u201B': "'",
  '\u201C': '"', '\u201D': '"', '\u201E': '"', '\u201F': '"',
  '\u00A0': ' ', '\u2002': ' ', '\u2003': ' ', '\u2004': ' ', '\u2005': ' ', '\u2006': ' ', '\u2007': ' ',
  '\u2008': ' ', '\u2009': ' ', '\u200A': ' ', '\u202F': ' ', '\u205F': ' ', '\u3000': ' ',
};
const PUNCTUATION_RE = new RegExp(`[${Object.keys(PUNCTUATION).join('')}]`, 'g');
const normalise = (s: string) => s.trim().replace(PUNCTUATION_RE, (c) => PUNCTUATION[c]);
const trimEnd = (s: string) => s.replace(/\s+$/, '');
const trimBoth = (s: string) => s.trim();

/** Codex's seek_sequence: where `pattern` starts in `lines` at or after `start` (only at the end when `eof`), or -1. */
export function seekSequence(lines: readonly string[], pattern: readonly string[], start: number, eof: boolean): number {
  if (pattern.length === 0) return start;
  if (pattern.length > lines.length) return -1;
  const from = eof ? lines.length - pattern.length : start;
  const last = lines.length - pattern.length;
  for (const eq of [(a: string, b: string) => a === b, (a: string, b: string) => trimEnd(a) === trimEnd(b),
    (a: string, b: string) => trimBoth(a) === trimBoth(b), (a: string, b: string) => normalise(a) === normalise(b)]) {
    for (let i = from; i <= last; i++) {
      let ok = true;
      for (let k = 0; k < pattern.length && ok; k++) ok = eq(lines[i + k], pattern[k]);
      if (ok) return i;
    }
  }
  return -1;
}

/** Applies an update's chunks to a file's text, as Codex's derive_new_contents_from_chunks does. */
export function applyPatchChunks(text: string, chunks: readonly PatchChunk[]): EditResult {
  const original = text.split('\n');
  if (original[original.length - 1] === '') original.pop();
  const replacements: [number, number, readonly string[]][] = [];
  let lineIndex = 0;
  for (const chunk of chunks) {
    if (chunk.context !== null) {
      const at = seekSequence(original, [chunk.context], lineIndex, false);
      if (at === -1) return failed(`context '${chunk.context.slice(0, 60)}' not found`);
      lineIndex = at + 1;
    }
    if (chunk.oldLines.length === 0) {
      // A pure addition goes at the end of the file (before a final empty line).
      const at = original.length > 0 && original[original.length - 1] === '' ? original.length - 1 : original.length;
      replacements.push([at, 0, chunk.newLines]);
      continue;
    }
    let pattern = chunk.oldLines;
    let replacement = chunk.newLines;
    let found = seekSequence(original, pattern, lineIndex, chunk.endOfFile);
    if (found === -1 && pattern[pattern.length - 1] === '') {
      // A trailing empty old line stands for the file's final newline, which the split removed.
      pattern = pattern.slice(0, -1);
      if (replacement[replacement.length - 1] === '') replacement = replacement.slice(0, -1);
      found = seekSequence(original, pattern, lineIndex, chunk.endOfFile);
    }
    if (found === -1) return failed(`expected lines not found ('${(chunk.oldLines[0] ?? '').slice(0, 60)}'…)`);
    replacements.push([found, pattern.length, replacement]);
    lineIndex = found + pattern.length;
  }
  replacements.sort((a, b) => a[0] - b[0]);
  const lines = [...original];
  for (let r = replacements.length - 1; r >= 0; r--) {
    const [at, oldLen, newSeg] = replacements[r];
    lines.splice(at, Math.min(oldLen, Math.max(0, lines.length - at)), ...newSeg);
  }
  if (lines.length === 0 || lines[lines.length - 1] !== '') lines.push('');
  return applied(lines.join('\n'));
}
