/**
 * Drives the real terminal: a private tmux server (its own socket, no user config), a shell in a pane of a fixed
 * size, keys sent with send-keys and the screen read with capture-pane. Waits poll the screen; nothing sleeps blind.
 */
import { execFileSync } from 'node:child_process';

export class TmuxPane {
  private static counter = 0;
  readonly socket = `mantra-test-${process.pid}-${TmuxPane.counter++}`;
  readonly name = 'main';

  constructor(
    readonly cols: number,
    readonly rows: number,
    private readonly env: Record<string, string> = {},
  ) {}

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
  }

  /** Starts a plain shell with a recognisable prompt. CI=true is removed: Ink would draw only its last frame. */
  start(): void {
    this.startCommand('bash --norc --noprofile -i', { PS1: 'PROMPT$ ' });
    this.waitFor((s) => s.includes('PROMPT$'), 5000);
  }

  /** Runs `command` as the pane's only process (no shell), e.g. to time a program's start. */
  startCommand(command: string, extraEnv: Record<string, string> = {}): void {
    const env = { ...this.env, ...extraEnv, TERM: 'xterm-256color' };
    const exports = Object.entries(env).map(([k, v]) => `${k}=${shellQuote(v)}`).join(' ');
    this.tmux('new-session', '-d', '-s', this.name, '-x', String(this.cols), '-y', String(this.rows), `env -u CI ${exports} ${command}`);
    this.tmux('set-option', '-t', this.name, 'status', 'off');
  }

  /** Pid of the process running in the pane. */
  panePid(): number {
    return Number(this.tmux('list-panes', '-t', this.name, '-F', '#{pane_pid}').trim());
  }

  /** Types a command line and presses Enter. */
  run(command: string): void {
    this.tmux('send-keys', '-t', this.name, '-l', command);
    this.tmux('send-keys', '-t', this.name, 'Enter');
  }

  /** Sends tmux key names (`Down`, `Right`, `S-Right`, `PageDown`, `Escape`, `q`, `C-c`, …). */
  keys(...keys: string[]): void {
    for (const k of keys) this.tmux('send-keys', '-t', this.name, k);
  }

  screen(): string {
    return this.tmux('capture-pane', '-p', '-t', this.name);
  }

  /** The screen with its colours and attributes as escape sequences (capture-pane -e). */
  screenWithEscapes(): string {
    return this.tmux('capture-pane', '-p', '-e', '-t', this.name);
  }

  resize(cols: number, rows: number): void {
    this.tmux('resize-window', '-t', this.name, '-x', String(cols), '-y', String(rows));
  }

  /** Polls the screen until `predicate` holds; fails with the last screen when it does not in time. */
  waitFor(predicate: (screen: string) => boolean, timeoutMs = 10_000, pollMs = 40): string {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      last = this.screen();
      if (predicate(last)) return last;
      if (pollMs > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, pollMs);
    }
    throw new Error(`timed out waiting for the screen; last screen:\n${last}`);
  }

  /** Waits until the screen stops changing (two equal captures 120 ms apart). */
  settle(timeoutMs = 5000): string {
    const deadline = Date.now() + timeoutMs;
    let prev = this.screen();
    while (Date.now() < deadline) {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120);
      const cur = this.screen();
      if (cur === prev) return cur;
      prev = cur;
    }
    return prev;
  }

  kill(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // already gone
    }
  }
}

function shellQuote(s: string): string {
  return `'${s.replaceAll("'", "'\\''")}'`;
}
