/**
 * Running the TUI in the real terminal: owns the screen (alternate buffer, hidden cursor) for the life of the app
 * and gives it back exactly as found on every way out — q, Ctrl-C, SIGTERM/SIGHUP, or a crash.
 */
import React from 'react';
import { render } from 'ink';
import type { TimelineReader } from '../store/rows.js';
import { App } from './App.js';
import { AltScreen } from './screen.js';
import type { TimelineActions } from './actions.js';
import { TuiEvents } from './events.js';
import { themeFor } from './theme.js';

export { TuiEvents } from './events.js';

export interface TuiOptions {
  readonly notice?: string;
  readonly initialSessionId?: string;
  readonly actions?: TimelineActions;
  /** The repository of the current directory (the list's `p` filter). */
  readonly thisProject?: string | null;
  /** Where the rest of the program tells the TUI about progress and changes (one is made when not given). */
  readonly events?: TuiEvents;
  /** The screen, when the caller took it already (to paint a first frame before Ink loaded). */
  readonly screen?: AltScreen;
}

export function runTui(reader: TimelineReader, options: TuiOptions = {}): { events: TuiEvents; run: Promise<void> } {
  const events = options.events ?? new TuiEvents();
  const screen = options.screen ?? new AltScreen();
  const restore = screen.restore;

  const instance = render(
    <App
      reader={reader}
      actions={options.actions}
      thisProject={options.thisProject ?? null}
      events={events}
      notice={options.notice}
      initialSessionId={options.initialSessionId}
      theme={themeFor(process.env)}
      home={process.env.HOME}
    />,
    // Ctrl-C is a key like q (see keys.ts), so quitting always takes the same path.
    { exitOnCtrlC: false, patchConsole: true, maxFps: 60 },
  );
  const onSignal = (signal: NodeJS.Signals) => {
    process.exitCode = signal === 'SIGHUP' ? 129 : 143;
    instance.unmount();
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGHUP', onSignal);
  screen.handOverSignals();
  const run = instance.waitUntilExit().then(
    () => undefined,
    (err: unknown) => {
      restore();
      throw err;
    },
  ).finally(() => {
    restore();
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
  });
  return { events, run };
}
