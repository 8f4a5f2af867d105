/**
 * One spelling per project folder, whichever assistant recorded it, so sessions of different assistants in the same
 * repository group under one project. Pure.
 *
 * - `file://` URIs are decoded (`file:///c%3A/Users/ada/shop` → `C:\Users\ada\shop`); remote URIs
 *   (`vscode-remote://ssh-remote%2Bhost/home/ada/shop`, WSL, dev containers) keep only their path, which is what
 *   the other assistants record when they run on that machine.
 * - Trailing separators go; a Windows drive letter is upper-cased (VS Code lower-cases it, Claude Code does not).
 */

const WINDOWS_DRIVE = /^([A-Za-z]):(?:[\\/]|$)/;

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Normalizes a filesystem path recorded by an assistant; null for empty input. */
export function normalizeProjectPath(p: string | null | undefined): string | null {
  if (!p) return null;
  let out = p.trim();
  if (!out) return null;
  // `/c:/Users/…` is how VS Code spells a Windows path inside a URI.
  if (/^\/[A-Za-z]:[\\/]/.test(out)) out = out.slice(1);
  const drive = WINDOWS_DRIVE.exec(out);
  if (drive) {
    out = `${drive[1].toUpperCase()}:${out.slice(2).replace(/\//g, '\\')}`;
    if (out.length === 2) out += '\\';
    while (out.length > 3 && out.endsWith('\\')) out = out.slice(0, -1);
    return out;
  }
  while (out.length > 1 && out.endsWith('/')) out = out.slice(0, -1);
  return out;
}

/**
 * The folder a URI names, or null when it is not a URI of a folder on some machine.
 * Accepts `file:` URIs and `vscode-remote:` URIs; a plain absolute path is returned normalized.
 */
export function folderFromUri(uri: string | null | undefined): string | null {
  if (!uri) return null;
  const s = uri.trim();
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(s);
  if (!scheme) return s.startsWith('/') || WINDOWS_DRIVE.test(s) ? normalizeProjectPath(s) : null;
  const rest = s.slice(scheme[0].length);
  const slash = rest.indexOf('/');
  const authority = slash === -1 ? rest : rest.slice(0, slash);
  let pathPart = slash === -1 ? '/' : rest.slice(slash);
  const query = pathPart.search(/[?#]/);
  if (query !== -1) pathPart = pathPart.slice(0, query);
  const decoded = safeDecode(pathPart);
  switch (scheme[1].toLowerCase()) {
    case 'file':
      // file://server/share/x is a UNC path on Windows.
      return authority && authority !== 'localhost' ? `\\\\${authority}${decoded.replace(/\//g, '\\')}` : normalizeProjectPath(decoded);
    case 'vscode-remote':
    case 'vscode-vfs':
      return normalizeProjectPath(decoded);
    default:
      return null;
  }
}

/** True when `p` is absolute on either POSIX or Windows. */
export function isAbsoluteAnywhere(p: string): boolean {
  return p.startsWith('/') || WINDOWS_DRIVE.test(p) || p.startsWith('\\\\');
}

/** Resolves a path an assistant recorded relative to its project folder; absolute or unanchored paths pass through. */
export function resolveAgainst(project: string | null, p: string): string {
  if (!p || isAbsoluteAnywhere(p) || !project) return p;
  const windows = WINDOWS_DRIVE.test(project) || project.startsWith('\\\\');
  const sep = windows ? '\\' : '/';
  const rel = windows ? p.replace(/\//g, '\\') : p;
  const trimmed = rel.startsWith(`.${sep}`) ? rel.slice(2) : rel;
  return project.endsWith(sep) ? `${project}${trimmed}` : `${project}${sep}${trimmed}`;
}
