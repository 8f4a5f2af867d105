/**
 * The terminal as the TUI holds it: the alternate screen, a hidden cursor and raw keys, taken once and given back
 * exactly as found on every way out (q, Ctrl-C, SIGTERM/SIGHUP, a crash, process.exit from anywhere). No React
 * here: the screen is taken (and its first frame painted) before Ink has loaded.
 */
export interface Size {
  readonly columns: number;
  readonly rows: number;
}

/** The terminal's size in cells; 80×24 where it does not say. */
export function terminalSize(out: { columns?: number; rows?: number }): Size {
  return { columns: out.columns || 80, rows: out.rows || 24 };
}

const ENTER_ALT_SCREEN = '\u001b[?1049h\u001b[H\u001b[2J\u001b[?25l';
const LEAVE_ALT_SCREEN = '\u001b[?25h\u001b[?1049l';

export class AltScreen {
  private restored = false;

  constructor(
    private readonly out: NodeJS.WriteStream = process.stdout,
    private readonly input: NodeJS.ReadStream = process.stdin,
  ) {
    out.write(ENTER_ALT_SCREEN);
    // Keys pressed before Ink listens wait in the terminal's buffer instead of being echoed over the frame.
    if (input.isTTY) input.setRawMode(true);
    // Last resort for exits that skip the normal path (process.exit from elsewhere, an uncaught error).
    process.once('exit', this.restore);
    // Until the TUI handles signals itself (handOverSignals), a SIGTERM or SIGHUP gives the terminal back and exits.
    process.once('SIGTERM', this.onEarlySignal);
    process.once('SIGHUP', this.onEarlySignal);
  }

  private readonly onEarlySignal = (signal: NodeJS.Signals): void => {
    this.restore();
    process.exit(signal === 'SIGHUP' ? 129 : 143);
  };

  /** The running TUI now answers SIGTERM and SIGHUP (it unmounts, then gives the screen back). */
  handOverSignals(): void {
    process.off('SIGTERM', this.onEarlySignal);
    process.off('SIGHUP', this.onEarlySignal);
  }

  /** Draws `text` (a painted frame, see paint.ts) over the screen. */
  paint(text: string): void {
    if (!this.restored) this.out.write(text);
  }

  readonly restore = (): void => {
    if (this.restored) return;
    this.restored = true;
    if (this.input.isTTY) this.input.setRawMode(false);
    this.out.write(LEAVE_ALT_SCREEN);
    process.off('exit', this.restore);
    this.handOverSignals();
  };
}
