/**
 * Which tool calls run shell commands, and which of those commands provably change no file.
 *
 * The rule: a shell command may change any file, so once one has run, every file the session touches is unknown
 * (until an exact snapshot or a whole-file write says otherwise) — unless the command is a pipeline of programs on a
 * short read-only list (ls, cat, grep, git status/diff/log, …) with no output redirection and no command
 * substitution. Anything we cannot read that way counts as writing: being wrong in that direction only costs a label.
 */

/** Tool names (across assistants) whose calls run a shell command or code that can touch files. */
const SHELL_TOOLS = new Set([
  'Bash', 'run_shell_command', 'shell', 'shell_command', 'exec', 'exec_command', 'local_shell', 'local_shell_call',
  'container.exec', 'write_stdin', 'run_terminal_cmd', 'run_command', 'execute_command', 'terminal',
]);

export function isShellTool(name: string | null): boolean {
  return name !== null && SHELL_TOOLS.has(name);
}

/** The command line a shell tool's input names, or null when it has none we can read. */
export function shellCommandOf(toolInput: string | null): string | null {
  if (!toolInput) return null;
  let input: unknown;
  try {
    input = JSON.parse(toolInput);
  } catch {
    return null;
  }
  if (typeof input !== 'object' || input === null) return null;
  const o = input as Record<string, unknown>;
  for (const key of ['command', 'cmd', 'CommandLine', 'commandLine']) {
    const v = o[key];
    if (typeof v === 'string') return v;
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) {
      // ["bash", "-lc", "<script>"]: the script is what runs.
      const argv = v as string[];
      if (argv.length === 3 && /(^|\/)(ba|z|da)?sh$/.test(argv[0]) && /^-l?c$/.test(argv[1])) return argv[2];
      return argv.join(' ');
    }
  }
  return null;
}

const READ_ONLY_PROGRAMS = new Set([
  'ls', 'cat', 'head', 'tail', 'wc', 'grep', 'egrep', 'fgrep', 'rg', 'ag', 'pwd', 'echo', 'printf', 'which', 'type',
  'file', 'stat', 'du', 'df', 'tree', 'cut', 'tr', 'diff', 'cmp', 'less', 'more', 'jq', 'date', 'whoami', 'uname',
  'id', 'hostname', 'basename', 'dirname', 'realpath', 'readlink', 'nl', 'od', 'hexdump', 'true', 'false', 'test',
  '[', 'sleep', 'cd', 'column', 'awk', 'sed', 'find', 'sort', 'env', 'printenv', 'uptime', 'ps', 'nproc', 'free',
]);

const READ_ONLY_GIT = new Set([
  'status', 'log', 'diff', 'show', 'rev-parse', 'ls-files', 'ls-tree', 'blame', 'grep', 'describe', 'shortlog',
  'cat-file', 'rev-list', 'merge-base', 'name-rev', 'whatchanged', 'count-objects',
]);

function words(segment: string): string[] {
  return segment.trim().split(/\s+/).filter(Boolean);
}

function isReadOnlySegment(segment: string): boolean {
  let w = words(segment);
  // Leading variable assignments (`LC_ALL=C grep …`) do not change what runs.
  while (w.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(w[0])) w = w.slice(1);
  if (w.length === 0) return true;
  const [program, ...args] = w;
  if (program === 'git') {
    const sub = args.find((a) => !a.startsWith('-'));
    if (sub === 'branch') return args.every((a) => a === 'branch' || ['-a', '-r', '-v', '-vv', '--list', '--show-current'].includes(a));
    if (sub === 'remote') return args.every((a) => a === 'remote' || a === '-v');
    if (sub === 'stash') return args[args.indexOf('stash') + 1] === 'list';
    return sub !== undefined && READ_ONLY_GIT.has(sub) && !args.includes('--output') && !args.some((a) => a.startsWith('--output='));
  }
  if (!READ_ONLY_PROGRAMS.has(program)) return false;
  if (program === 'sed') return !args.some((a) => /^-[a-zA-Z]*i/.test(a) || a.startsWith('--in-place')) && !/\bw\s/.test(segment);
  if (program === 'find') return !args.some((a) => ['-delete', '-exec', '-execdir', '-ok', '-okdir', '-fprint', '-fprintf', '-fls'].includes(a));
  if (program === 'sort') return !args.some((a) => a === '-o' || a.startsWith('--output'));
  if (program === 'awk') return !/system\s*\(|\|\s*"|getline/.test(segment);
  if (program === 'env' || program === 'printenv') return args.length === 0 || program === 'printenv';
  return true;
}

/** True when the command line provably changes no file (see the module comment for the rule). */
export function isReadOnlyCommand(command: string): boolean {
  if (/\$\(|`|<\(|>\(/.test(command)) return false;
  // Redirections that write somewhere other than /dev/null or another descriptor.
  const withoutHarmless = command.replace(/\d?>>?\s*\/dev\/null/g, '').replace(/\d?>&\d/g, '');
  if (/>/.test(withoutHarmless)) return false;
  return withoutHarmless.split(/&&|\|\||[;|\n&]/).every(isReadOnlySegment);
}
