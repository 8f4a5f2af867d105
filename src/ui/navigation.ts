/**
 * Where the user is: a stack of screens (list → timeline → help), not a chain of booleans. `applyCommand` is pure:
 * it takes what the screens know (counts, heights) as an environment, so every key is testable without a terminal.
 */
import type { CommandId } from './keys.js';
import { moveSelection, refit, type ListWindow } from './scroll.js';

export type Screen =
  | { readonly kind: 'list' }
  | {
      readonly kind: 'timeline';
      readonly sessionId: string;
      readonly seq: number;
      readonly scroll: number;
      /** The message count when the user was last caught up (opened it, or stood on its last message): more are new. */
      readonly seen: number;
    }
  | { readonly kind: 'help'; readonly scroll: number };

export interface NavState {
  /** Never empty; the session list is always at the bottom. */
  readonly stack: readonly Screen[];
  readonly list: ListWindow;
  /** Tool results and thinking shown folded (a few lines) until `t` unfolds them. */
  readonly folded: boolean;
}

/** What the screens know that a command needs. */
export interface NavEnv {
  readonly listTotal: number;
  readonly listHeight: number;
  /** Id of the session at a list index (the rows on screen, or a read of one row). */
  readonly sessionIdAt: (index: number) => string | null;
  /** Message count of a session (the open one is known; another is one cheap read). */
  readonly messageCount: (sessionId: string) => number;
  /** How far the current message body can scroll. */
  readonly bodyMaxScroll: number;
  readonly helpMaxScroll: number;
}

export const STEP_BIG = 10;

export function initialNav(openSessionId?: string, messageCount = 0): NavState {
  const stack: Screen[] = [{ kind: 'list' }];
  if (openSessionId) stack.push({ kind: 'timeline', sessionId: openSessionId, seq: 1, scroll: 0, seen: messageCount });
  return { stack, list: { selected: 0, offset: 0 }, folded: true };
}

export function topScreen(s: NavState): Screen {
  return s.stack[s.stack.length - 1];
}

function replaceTop(s: NavState, screen: Screen): NavState {
  return { ...s, stack: [...s.stack.slice(0, -1), screen] };
}

function pop(s: NavState): NavState {
  return s.stack.length > 1 ? { ...s, stack: s.stack.slice(0, -1) } : s;
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, n));
}

/** Moves the open timeline to `seq` (clamped to the session), resetting the message scroll. Reaching the last
 * message means every message has been seen. */
export function goToSeq(s: NavState, seq: number, count: number): NavState {
  const top = topScreen(s);
  if (top.kind !== 'timeline') return s;
  const next = clamp(seq, 1, Math.max(1, count));
  const seen = next >= count ? Math.max(top.seen, count) : top.seen;
  return next === top.seq && seen === top.seen ? s : replaceTop(s, { ...top, seq: next, scroll: 0, seen });
}

/**
 * A live session grew from `before` to `after` messages. A cursor on the last message follows to the new last one;
 * anywhere else it stays put, and the difference shows as new. Applies to the timeline wherever it is in the stack.
 */
export function followGrowth(s: NavState, sessionId: string, before: number, after: number): NavState {
  if (after === before) return s;
  let changed = false;
  const stack = s.stack.map((screen) => {
    if (screen.kind !== 'timeline' || screen.sessionId !== sessionId) return screen;
    changed = true;
    if (screen.seq >= before && after > before) return { ...screen, seq: after, scroll: 0, seen: after };
    // Elsewhere the cursor stays; a session that shrank (its source was rewritten) keeps the cursor inside it.
    return { ...screen, seq: Math.min(screen.seq, Math.max(1, after)), seen: Math.min(screen.seen, after) };
  });
  return changed ? { ...s, stack } : s;
}

/** How many messages arrived since the user was last caught up with the open timeline. */
export function newMessages(screen: Screen, count: number): number {
  return screen.kind === 'timeline' ? Math.max(0, count - screen.seen) : 0;
}

/** Applies a command; returns 'quit' when the program should end. */
export function applyCommand(s: NavState, command: CommandId, env: NavEnv): NavState | 'quit' {
  const top = topScreen(s);
  const list = (target: number): NavState => ({ ...s, list: moveSelection(s.list, target, env.listTotal, env.listHeight) });
  switch (command) {
    case 'app.quit':
      return 'quit';
    case 'app.help':
      return top.kind === 'help' ? pop(s) : { ...s, stack: [...s.stack, { kind: 'help', scroll: 0 }] };
    case 'help.close':
      return pop(s);
    case 'help.scrollUp':
    case 'help.scrollDown':
      if (top.kind !== 'help') return s;
      return replaceTop(s, { ...top, scroll: clamp(top.scroll + (command === 'help.scrollUp' ? -1 : 1), 0, env.helpMaxScroll) });

    case 'list.up':
      return list(s.list.selected - 1);
    case 'list.down':
      return list(s.list.selected + 1);
    case 'list.pageUp':
      return list(s.list.selected - Math.max(1, env.listHeight - 1));
    case 'list.pageDown':
      return list(s.list.selected + Math.max(1, env.listHeight - 1));
    case 'list.top':
      return list(0);
    case 'list.bottom':
      return list(env.listTotal - 1);
    case 'list.open':
    {
      const sessionId = env.listTotal > 0 ? env.sessionIdAt(s.list.selected) : null;
      if (!sessionId) return s;
      return { ...s, stack: [...s.stack, { kind: 'timeline', sessionId, seq: 1, scroll: 0, seen: env.messageCount(sessionId) }] };
    }

    case 'timeline.back':
      return pop(s);
    case 'timeline.fold':
      return top.kind === 'timeline' ? replaceTop({ ...s, folded: !s.folded }, { ...top, scroll: 0 }) : s;
    case 'timeline.scrollUp':
    case 'timeline.scrollDown': {
      if (top.kind !== 'timeline') return s;
      const scroll = clamp(top.scroll + (command === 'timeline.scrollUp' ? -1 : 1), 0, env.bodyMaxScroll);
      return scroll === top.scroll ? s : replaceTop(s, { ...top, scroll });
    }
    case 'timeline.prev':
    case 'timeline.next':
    case 'timeline.back10':
    case 'timeline.forward10':
    case 'timeline.first':
    case 'timeline.last': {
      if (top.kind !== 'timeline') return s;
      const target = {
        'timeline.prev': top.seq - 1,
        'timeline.next': top.seq + 1,
        'timeline.back10': top.seq - STEP_BIG,
        'timeline.forward10': top.seq + STEP_BIG,
        'timeline.first': 1,
        'timeline.last': Number.MAX_SAFE_INTEGER,
      }[command];
      return goToSeq(s, target, env.messageCount(top.sessionId));
    }
  }
}

/** Keeps the list selection valid after the number of sessions or the list height changed. */
export function refitList(s: NavState, total: number, height: number): NavState {
  const list = refit(s.list, total, height);
  return list.selected === s.list.selected && list.offset === s.list.offset ? s : { ...s, list };
}
