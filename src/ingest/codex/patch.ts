/**
 * Codex `apply_patch` bodies (formats/codex.md §5): finding them wherever a call carries one, and listing the files
 * they touch. Pure string work, linear in the input, no regex that can backtrack over a patch body.
 */
import path from 'node:path';

export interface PatchFileOp {
  readonly op: 'add' | 'update' | 'delete';
  /** As written in the patch (relative to the turn's cwd, or absolute). */
  readonly path: string;
  /** `*** Move to:` target of an update. */
  readonly moveTo: string | null;
}

const BEGIN = '*** Begin Patch';
const END = '*** End Patch';
const HEADERS: readonly [string, PatchFileOp['op']][] = [
  ['*** Add File: ', 'add'],
  ['*** Update File: ', 'update'],
  ['*** Delete File: ', 'delete'],
];
const MOVE = '*** Move to: ';

/** The file operations a patch names, in order. */
export function patchOps(patch: string): PatchFileOp[] {
  const ops: PatchFileOp[] = [];
  let pos = 0;
  while (pos < patch.length) {
    let nl = patch.indexOf('\n', pos);
    if (nl === -1) nl = patch.length;
    // Only header lines start with "*** "; hunk lines start with ' ', '+', '-' or '@@'.
    if (patch.startsWith('*** ', pos)) {
      const line = patch.slice(pos, nl).replace(/\r$/, '');
      const header = HEADERS.find(([prefix]) => line.startsWith(prefix));
      if (header) {
        const p = line.slice(header[0].length).trim();
        if (p) ops.push({ op: header[1], path: p, moveTo: null });
      } else if (line.startsWith(MOVE) && ops.length > 0 && ops[ops.length - 1].op === 'update') {
        const last = ops[ops.length - 1];
        ops[ops.length - 1] = { ...last, moveTo: line.slice(MOVE.length).trim() || null };
      }
    }
    pos = nl + 1;
  }
  return ops;
}

/** True when a shell command runs Codex's patch tool (`apply_patch`, or its older name `applypatch`). */
export function invokesApplyPatch(command: string): boolean {
  for (const name of ['apply_patch', 'applypatch']) {
    let i = command.indexOf(name);
    while (i !== -1) {
      const before = i === 0 ? '' : command[i - 1];
      const after = command[i + name.length] ?? '';
      if (!/[\w./-]/.test(before) && !/[\w-]/.test(after)) return true;
      i = command.indexOf(name, i + 1);
    }
  }
  return false;
}

/**
 * The patch inside a shell command that runs apply_patch: `["apply_patch", "<patch>"]`, or a heredoc
 * `apply_patch <<'EOF' … EOF`. Null when the command does not run apply_patch or carries no complete patch.
 */
export function patchFromCommand(command: string): string | null {
  if (!invokesApplyPatch(command)) return null;
  const begin = command.indexOf(BEGIN);
  if (begin === -1) return null;
  const end = command.indexOf(END, begin + BEGIN.length);
  if (end === -1) return null;
  return `${command.slice(begin, end + END.length)}\n`;
}

const isWindowsPath = (p: string) => /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');

/** An absolute path for `p` recorded relative to `cwd` (Windows paths stay Windows paths); `p` itself without a cwd. */
export function resolveAgainst(cwd: string | null, p: string): string {
  if (isWindowsPath(p)) return path.win32.normalize(p);
  if (cwd !== null && isWindowsPath(cwd)) return path.win32.join(cwd, p);
  if (path.posix.isAbsolute(p)) return path.posix.normalize(p);
  // A cwd that is not absolute cannot anchor anything (and resolve() would anchor it at our own cwd).
  return cwd !== null && path.posix.isAbsolute(cwd) ? path.posix.join(cwd, p) : p;
}

/** Absolute paths a patch touches (both ends of a move), without duplicates, in patch order. */
export function patchFiles(patch: string, cwd: string | null): string[] {
  const files = new Set<string>();
  for (const op of patchOps(patch)) {
    files.add(resolveAgainst(cwd, op.path));
    if (op.moveTo) files.add(resolveAgainst(cwd, op.moveTo));
  }
  return [...files];
}

/** `M src/cart.ts, A src/limit.ts` — the one-line description of a patch, as Codex prints it. */
export function describePatch(patch: string): string {
  const letters = { add: 'A', update: 'M', delete: 'D' } as const;
  const ops = patchOps(patch);
  if (ops.length === 0) return '(no files)';
  const shown = ops.slice(0, 8).map((o) => `${letters[o.op]} ${o.path}${o.moveTo ? ` → ${o.moveTo}` : ''}`);
  return ops.length > 8 ? `${shown.join(', ')}, … ${ops.length - 8} more` : shown.join(', ');
}
