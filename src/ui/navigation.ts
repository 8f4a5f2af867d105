/**
 * Where the user is: a stack of screens (list → timeline → help), not a chain of booleans. `applyCommand` is pure:
 * it takes what the screens know (counts, heights) as an environment, so every key is testable without a terminal.
 */
import { AGENTS, type Agent } from '../model.js';
import { SEARCH_KINDS, type SearchKind } from '../search/types.js';
import type { CommandId, ScreenKind } from './keys.js';
import { moveSelection, refit, type ListWindow } from './scroll.js';

/** The diff pane of a timeline: what the message changed, or that moment against the working tree now. */
export interface DiffPane {
  readonly against: 'prev' | 'now';
  readonly scroll: number;
}

export type SearchScopeName = 'session' | 'project' | 'all';

export interface SearchScreen {
  readonly kind: 'search';
  readonly query: string;
  /** Index of the chosen result. */
  readonly selected: number;
  readonly scope: SearchScopeName;
  readonly kindFilter: SearchKind;
  /** What "this session" and "this project" mean here: where search was opened from. */
  readonly sessionId: string | null;
  readonly project: string | null;
}

/** The session list's filters: one assistant, or this project (the current directory's repository). */
export interface ListFilter {
  readonly agent: Agent | null;
  readonly thisProject: boolean;
}

/** A restore or undo overlay: the plan first, then the choice, then the outcome. */
export type OverlayPhase = 'plan' | 'running' | 'done' | 'failed';

export type Screen =
  | { readonly kind: 'list' }
  | {
      readonly kind: 'timeline';
      readonly sessionId: string;
      readonly seq: number;
      readonly scroll: number;
      /** The message count when the user was last caught up (opened it, or stood on its last message): more are new. */
      readonly seen: number;
      /** The diff pane, when open. */
      readonly pane?: DiffPane | null;
      /** The message whose secrets the user chose to see; masked again once the cursor leaves it. */
      readonly revealed?: number | null;
      /** The query it was opened from (search): its words are highlighted, n / N step through its hits. */
      readonly find?: string | null;
    }
  | SearchScreen
  | { readonly kind: 'reveal'; readonly seq: number }
  | {
      readonly kind: 'restore';
      /** Tells one opening of the overlay from the next (its plan is asked for afresh each time). */
      readonly opening: number;
      readonly sessionId: string;
      readonly seq: number;
      readonly phase: OverlayPhase;
      readonly mode: 'worktree' | 'in-place' | null;
      readonly scroll: number;
    }
  | { readonly kind: 'undo'; readonly opening: number; readonly phase: OverlayPhase; readonly scroll: number }
  | { readonly kind: 'help'; readonly scroll: number };

export interface NavState {
  /** Never empty; the session list is always at the bottom. */
  readonly stack: readonly Screen[];
  readonly list: ListWindow;
  /** Tool results and thinking shown folded (a few lines) until `t` unfolds them. */
  readonly folded: boolean;
  /** Overlays opened so far: each opening gets its own number. */
  readonly openings?: number;
  readonly filter?: ListFilter;
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
  /** How far the diff pane, and a restore or undo overlay, can scroll; the diff pane's height (for a page). */
  readonly diffMaxScroll?: number;
  readonly diffPage?: number;
  readonly overlayMaxScroll?: number;
  /** The restore plan (or undo preview) on screen has loaded and can be acted on. */
  readonly overlayReady?: boolean;
  /** Secrets in the message at the cursor (masked on screen). */
  readonly secretsHere?: number;
  /** Search results on screen: how many, and where one leads. */
  readonly searchTotal?: number;
  readonly searchPage?: number;
  readonly searchHitAt?: (index: number) => { sessionId: string; seq: number } | null;
  /** The next (dir 1) or previous (-1) message after `seq` holding a hit of `query`, or a decision or dead end. */
  readonly nextHit?: (sessionId: string, seq: number, query: string, dir: 1 | -1) => number | null;
  readonly nextFact?: (sessionId: string, seq: number, dir: 1 | -1) => number | null;
  /** The project of a session (search's "this project"), and the current directory's repository (list filter). */
  readonly projectOf?: (sessionId: string) => string | null;
  readonly thisProject?: string | null;
}

/** Typing into the search box: not a command, a character (App routes printable keys here on the search screen). */
export function typeIntoSearch(s: NavState, text: string): NavState {
  const top = topScreen(s);
  if (top.kind !== 'search') return s;
  return replaceTop(s, { ...top, query: top.query + text, selected: 0 });
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

/** Which bindings apply: a timeline with its diff pane open is the `diff` screen. */
export function screenKind(screen: Screen): ScreenKind {
  return screen.kind === 'timeline' && screen.pane ? 'diff' : screen.kind;
}

/** A restore or undo in progress finished: its overlay shows the outcome until closed. */
export function finishOverlay(s: NavState, ok: boolean): NavState {
  const top = topScreen(s);
  if ((top.kind !== 'restore' && top.kind !== 'undo') || top.phase !== 'running') return s;
  return replaceTop(s, { ...top, phase: ok ? 'done' : 'failed', scroll: 0 });
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
  if (next === top.seq && seen === top.seen) return s;
  // The diff pane follows the cursor, back at its top; revealed secrets are masked again.
  return replaceTop(s, { ...top, seq: next, scroll: 0, seen, pane: top.pane ? { ...top.pane, scroll: 0 } : top.pane, revealed: null });
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
    case 'timeline.diff':
    case 'timeline.diffNow': {
      if (top.kind !== 'timeline') return s;
      const against = command === 'timeline.diff' ? 'prev' : 'now';
      // The same key again closes the pane; the other key switches it.
      return replaceTop(s, { ...top, pane: top.pane?.against === against ? null : { against, scroll: 0 } });
    }
    case 'diff.close':
      return top.kind === 'timeline' ? replaceTop(s, { ...top, pane: null }) : s;
    case 'diff.scrollUp':
    case 'diff.scrollDown':
    case 'diff.pageUp':
    case 'diff.pageDown': {
      if (top.kind !== 'timeline' || !top.pane) return s;
      const page = Math.max(1, (env.diffPage ?? 10) - 1);
      const delta = { 'diff.scrollUp': -1, 'diff.scrollDown': 1, 'diff.pageUp': -page, 'diff.pageDown': page }[command];
      const scroll = clamp(top.pane.scroll + delta, 0, env.diffMaxScroll ?? 0);
      return scroll === top.pane.scroll ? s : replaceTop(s, { ...top, pane: { ...top.pane, scroll } });
    }
    case 'timeline.restore':
      if (top.kind !== 'timeline') return s;
    {
      const opening = (s.openings ?? 0) + 1;
      return { ...s, openings: opening, stack: [...s.stack, { kind: 'restore', opening, sessionId: top.sessionId, seq: top.seq, phase: 'plan', mode: null, scroll: 0 }] };
    }
    case 'app.undo': {
      const opening = (s.openings ?? 0) + 1;
      return { ...s, openings: opening, stack: [...s.stack, { kind: 'undo', opening, phase: 'plan', scroll: 0 }] };
    }
    case 'restore.worktree':
    case 'restore.inPlace':
      if (top.kind !== 'restore' || top.phase !== 'plan' || !env.overlayReady) return s;
      return replaceTop(s, { ...top, phase: 'running', mode: command === 'restore.worktree' ? 'worktree' : 'in-place' });
    case 'undo.confirm':
      if (top.kind !== 'undo' || top.phase !== 'plan' || !env.overlayReady) return s;
      return replaceTop(s, { ...top, phase: 'running' });
    case 'timeline.reveal':
      if (top.kind !== 'timeline' || !env.secretsHere || top.revealed === top.seq) return s;
      return { ...s, stack: [...s.stack, { kind: 'reveal', seq: top.seq }] };
    case 'reveal.confirm': {
      const below = s.stack[s.stack.length - 2];
      if (top.kind !== 'reveal' || below?.kind !== 'timeline' || below.seq !== top.seq) return pop(s);
      return { ...s, stack: [...s.stack.slice(0, -2), { ...below, revealed: top.seq }] };
    }
    case 'app.search': {
      if (top.kind !== 'list' && top.kind !== 'timeline') return s;
      const sessionId = top.kind === 'timeline' ? top.sessionId : null;
      const project = (sessionId && env.projectOf?.(sessionId)) || env.thisProject || null;
      const screen: SearchScreen = { kind: 'search', query: '', selected: 0, scope: 'all', kindFilter: 'all', sessionId, project };
      return { ...s, stack: [...s.stack, screen] };
    }
    case 'search.close':
      return pop(s);
    case 'search.erase':
    case 'search.eraseWord':
    case 'search.clear': {
      if (top.kind !== 'search') return s;
      const query =
        command === 'search.clear' ? '' : command === 'search.erase' ? [...top.query].slice(0, -1).join('') : top.query.replace(/\S*\s*$/, '');
      return replaceTop(s, { ...top, query, selected: 0 });
    }
    case 'search.scope': {
      if (top.kind !== 'search') return s;
      const order: SearchScopeName[] = ['all', ...(top.project ? (['project'] as const) : []), ...(top.sessionId ? (['session'] as const) : [])];
      return replaceTop(s, { ...top, scope: order[(order.indexOf(top.scope) + 1) % order.length], selected: 0 });
    }
    case 'search.kind':
      if (top.kind !== 'search') return s;
      return replaceTop(s, { ...top, kindFilter: SEARCH_KINDS[(SEARCH_KINDS.indexOf(top.kindFilter) + 1) % SEARCH_KINDS.length], selected: 0 });
    case 'search.up':
    case 'search.down':
    case 'search.pageUp':
    case 'search.pageDown': {
      if (top.kind !== 'search') return s;
      const page = Math.max(1, (env.searchPage ?? 10) - 1);
      const delta = { 'search.up': -1, 'search.down': 1, 'search.pageUp': -page, 'search.pageDown': page }[command];
      return replaceTop(s, { ...top, selected: clamp(top.selected + delta, 0, Math.max(0, (env.searchTotal ?? 0) - 1)) });
    }
    case 'search.open': {
      if (top.kind !== 'search') return s;
      const hit = env.searchHitAt?.(top.selected);
      if (!hit) return s;
      // Opened on top of where search began: Esc from there comes back to it.
      const timeline: Screen = { kind: 'timeline', sessionId: hit.sessionId, seq: hit.seq, scroll: 0, seen: env.messageCount(hit.sessionId), find: top.query || null };
      return { ...s, stack: [...s.stack.slice(0, -1), timeline] };
    }
    case 'timeline.nextHit':
    case 'timeline.prevHit': {
      if (top.kind !== 'timeline' || !top.find) return s;
      const seq = env.nextHit?.(top.sessionId, top.seq, top.find, command === 'timeline.nextHit' ? 1 : -1) ?? null;
      return seq === null ? s : goToSeq(s, seq, env.messageCount(top.sessionId));
    }
    case 'timeline.nextFact':
    case 'timeline.prevFact': {
      if (top.kind !== 'timeline') return s;
      const seq = env.nextFact?.(top.sessionId, top.seq, command === 'timeline.nextFact' ? 1 : -1) ?? null;
      return seq === null ? s : goToSeq(s, seq, env.messageCount(top.sessionId));
    }
    case 'list.agent': {
      const filter = s.filter ?? { agent: null, thisProject: false };
      const order: (Agent | null)[] = [null, ...AGENTS];
      const agent = order[(order.indexOf(filter.agent) + 1) % order.length];
      return { ...s, filter: { ...filter, agent }, list: { selected: 0, offset: 0 } };
    }
    case 'list.project': {
      if (!env.thisProject) return s;
      const filter = s.filter ?? { agent: null, thisProject: false };
      return { ...s, filter: { ...filter, thisProject: !filter.thisProject }, list: { selected: 0, offset: 0 } };
    }
    case 'overlay.close':
      // Nothing stops a restore half way: the overlay stays until it has finished.
      if ((top.kind === 'restore' || top.kind === 'undo') && top.phase === 'running') return s;
      return pop(s);
    case 'overlay.scrollUp':
    case 'overlay.scrollDown': {
      if (top.kind !== 'restore' && top.kind !== 'undo') return s;
      const scroll = clamp(top.scroll + (command === 'overlay.scrollUp' ? -1 : 1), 0, env.overlayMaxScroll ?? 0);
      return scroll === top.scroll ? s : replaceTop(s, { ...top, scroll });
    }
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
