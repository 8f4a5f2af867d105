/**
 * Keybindings are data. One table drives key dispatch, the footer hints and the `?` help screen, so they can never
 * disagree. Resolving a key is pure: (screen, key) → command; applying the command is the screens' business.
 */

/**
 * The screens a key can be pressed in; the top of the context stack decides which bindings apply. `diff` is the
 * timeline with its diff pane open: the arrows still scrub, the vertical keys scroll the diff.
 */
export type ScreenKind = 'list' | 'timeline' | 'diff' | 'help' | 'restore' | 'undo' | 'reveal' | 'search';

export type CommandId =
  | 'app.quit'
  | 'app.help'
  | 'list.up'
  | 'list.down'
  | 'list.pageUp'
  | 'list.pageDown'
  | 'list.top'
  | 'list.bottom'
  | 'list.open'
  | 'timeline.prev'
  | 'timeline.next'
  | 'timeline.back10'
  | 'timeline.forward10'
  | 'timeline.first'
  | 'timeline.last'
  | 'timeline.scrollUp'
  | 'timeline.scrollDown'
  | 'timeline.fold'
  | 'timeline.back'
  | 'timeline.diff'
  | 'timeline.diffNow'
  | 'timeline.restore'
  | 'app.undo'
  | 'diff.scrollUp'
  | 'diff.scrollDown'
  | 'diff.pageUp'
  | 'diff.pageDown'
  | 'diff.close'
  | 'overlay.scrollUp'
  | 'overlay.scrollDown'
  | 'restore.worktree'
  | 'restore.inPlace'
  | 'overlay.close'
  | 'undo.confirm'
  | 'timeline.reveal'
  | 'reveal.confirm'
  | 'app.search'
  | 'list.agent'
  | 'list.project'
  | 'timeline.nextHit'
  | 'timeline.prevHit'
  | 'timeline.nextFact'
  | 'timeline.prevFact'
  | 'search.up'
  | 'search.down'
  | 'search.pageUp'
  | 'search.pageDown'
  | 'search.open'
  | 'search.close'
  | 'search.scope'
  | 'search.kind'
  | 'search.erase'
  | 'search.eraseWord'
  | 'search.clear'
  | 'help.close'
  | 'help.scrollUp'
  | 'help.scrollDown';

export interface Binding {
  readonly command: CommandId;
  /** Key names as produced by `keyName`: `up`, `S-right`, `pagedown`, `home`, `enter`, `esc`, `C-c`, `g`, `G`, `?`. */
  readonly keys: readonly string[];
  readonly description: string;
  /** Screens it applies in; `global` bindings apply everywhere unless the screen binds the same key itself. */
  readonly screens: readonly ScreenKind[] | 'global';
  /** Shown in the footer of these screens: what it does, in a word or two. */
  readonly footer?: string;
  /** Keys as the footer shows them, when not the first key's label (`↑↓` for a pair of bindings). */
  readonly footerKeys?: string;
}

export const BINDINGS: readonly Binding[] = [
  { command: 'list.up', keys: ['up', 'k'], description: 'previous session', screens: ['list'] },
  { command: 'list.down', keys: ['down', 'j'], description: 'next session', screens: ['list'], footer: 'move', footerKeys: '↑↓' },
  { command: 'list.pageUp', keys: ['pageup'], description: 'one page up', screens: ['list'] },
  { command: 'list.pageDown', keys: ['pagedown'], description: 'one page down', screens: ['list'] },
  { command: 'list.top', keys: ['g', 'home'], description: 'newest session', screens: ['list'] },
  { command: 'list.bottom', keys: ['G', 'end'], description: 'oldest session', screens: ['list'] },
  { command: 'list.open', keys: ['enter', 'right', 'l'], description: 'open the session’s timeline', screens: ['list'], footer: 'open' },
  { command: 'list.agent', keys: ['a'], description: 'show one assistant’s sessions (cycles: all, claude, codex, …)', screens: ['list'], footer: 'agent' },
  { command: 'list.project', keys: ['p'], description: 'this project (the current directory’s repository) or all', screens: ['list'], footer: 'project' },

  { command: 'timeline.prev', keys: ['left', 'h'], description: 'step back one message', screens: ['timeline', 'diff'], footer: 'step', footerKeys: '←→' },
  { command: 'timeline.next', keys: ['right', 'l'], description: 'step forward one message', screens: ['timeline', 'diff'] },
  { command: 'timeline.back10', keys: ['S-left', 'pageup'], description: 'step back ten messages', screens: ['timeline'] },
  { command: 'timeline.forward10', keys: ['S-right', 'pagedown'], description: 'step forward ten messages', screens: ['timeline'], footer: '±10', footerKeys: 'PgUp/PgDn' },
  { command: 'timeline.back10', keys: ['S-left'], description: 'step back ten messages', screens: ['diff'] },
  { command: 'timeline.forward10', keys: ['S-right'], description: 'step forward ten messages', screens: ['diff'] },
  { command: 'timeline.first', keys: ['home', 'g'], description: 'first message', screens: ['timeline', 'diff'] },
  { command: 'timeline.last', keys: ['end', 'G'], description: 'last message', screens: ['timeline', 'diff'] },
  { command: 'timeline.scrollUp', keys: ['up', 'k'], description: 'scroll the message up', screens: ['timeline'] },
  { command: 'timeline.scrollDown', keys: ['down', 'j'], description: 'scroll the message down', screens: ['timeline'], footer: 'scroll', footerKeys: '↑↓' },
  { command: 'timeline.fold', keys: ['t'], description: 'fold / unfold tool results and thinking', screens: ['timeline', 'diff'], footer: 'fold' },
  { command: 'timeline.diff', keys: ['d'], description: 'diff: what this message changed', screens: ['timeline'], footer: 'diff' },
  { command: 'timeline.diffNow', keys: ['D'], description: 'diff: this moment against the working tree now', screens: ['timeline'] },
  { command: 'timeline.restore', keys: ['r'], description: 'restore the code as it was at this message', screens: ['timeline', 'diff'], footer: 'restore' },
  { command: 'timeline.nextFact', keys: [']'], description: 'next decision or dead end', screens: ['timeline', 'diff'], footer: 'facts', footerKeys: '[ ]' },
  { command: 'timeline.prevFact', keys: ['['], description: 'previous decision or dead end', screens: ['timeline', 'diff'] },
  { command: 'timeline.nextHit', keys: ['n'], description: 'next search hit in this session', screens: ['timeline', 'diff'] },
  { command: 'timeline.prevHit', keys: ['N'], description: 'previous search hit in this session', screens: ['timeline', 'diff'] },
  { command: 'timeline.reveal', keys: ['R'], description: 'reveal this message’s secrets (asks first; until you leave it)', screens: ['timeline', 'diff'] },
  { command: 'timeline.back', keys: ['esc', 'backspace'], description: 'back to the session list', screens: ['timeline'], footer: 'back' },

  { command: 'diff.scrollUp', keys: ['up', 'k'], description: 'scroll the diff up', screens: ['diff'] },
  { command: 'diff.scrollDown', keys: ['down', 'j'], description: 'scroll the diff down', screens: ['diff'], footer: 'scroll', footerKeys: '↑↓' },
  { command: 'diff.pageUp', keys: ['pageup'], description: 'diff one page up', screens: ['diff'] },
  { command: 'diff.pageDown', keys: ['pagedown'], description: 'diff one page down', screens: ['diff'] },
  { command: 'timeline.diff', keys: ['d'], description: 'diff against the previous message (again: close)', screens: ['diff'] },
  { command: 'timeline.diffNow', keys: ['D'], description: 'diff against the working tree now (again: close)', screens: ['diff'], footer: 'vs now' },
  { command: 'diff.close', keys: ['esc'], description: 'close the diff pane', screens: ['diff'], footer: 'close' },

  { command: 'restore.worktree', keys: ['w', 'enter'], description: 'restore into a new git worktree on a new branch', screens: ['restore'], footer: 'new worktree', footerKeys: 'w/Enter' },
  { command: 'restore.inPlace', keys: ['i'], description: 'restore in place (everything overwritten is saved first; u undoes)', screens: ['restore'], footer: 'in place' },
  { command: 'undo.confirm', keys: ['y', 'enter'], description: 'undo: put back the tree from before the restore', screens: ['undo'], footer: 'undo', footerKeys: 'y/Enter' },
  { command: 'reveal.confirm', keys: ['y', 'enter'], description: 'show the secrets of this message', screens: ['reveal'], footer: 'show', footerKeys: 'y/Enter' },
  { command: 'overlay.close', keys: ['esc', 'c', 'n', 'q'], description: 'cancel, or close when done', screens: ['restore', 'undo', 'reveal'], footer: 'cancel', footerKeys: 'Esc' },
  { command: 'overlay.scrollUp', keys: ['up', 'k'], description: 'scroll up', screens: ['restore', 'undo'] },
  { command: 'overlay.scrollDown', keys: ['down', 'j'], description: 'scroll down', screens: ['restore', 'undo'] },

  { command: 'search.up', keys: ['up', 'C-p'], description: 'previous result', screens: ['search'] },
  { command: 'search.down', keys: ['down', 'C-n'], description: 'next result', screens: ['search'], footer: 'choose', footerKeys: '↑↓' },
  { command: 'search.pageUp', keys: ['pageup'], description: 'results one page up', screens: ['search'] },
  { command: 'search.pageDown', keys: ['pagedown'], description: 'results one page down', screens: ['search'] },
  { command: 'search.open', keys: ['enter'], description: 'open the result in its timeline (n / N then step through the hits)', screens: ['search'], footer: 'open' },
  { command: 'search.scope', keys: ['tab'], description: 'scope: this session, this project, everything', screens: ['search'], footer: 'scope', footerKeys: 'Tab' },
  { command: 'search.kind', keys: ['S-tab'], description: 'kind: everything, decisions, dead ends, status', screens: ['search'], footer: 'kind', footerKeys: 'Shift-Tab' },
  { command: 'search.erase', keys: ['backspace'], description: 'erase a character', screens: ['search'] },
  { command: 'search.eraseWord', keys: ['C-w'], description: 'erase a word', screens: ['search'] },
  { command: 'search.clear', keys: ['C-u'], description: 'clear the query', screens: ['search'] },
  { command: 'search.close', keys: ['esc'], description: 'close search, back where you were', screens: ['search'], footer: 'back' },

  { command: 'help.close', keys: ['esc', '?', 'q'], description: 'close help', screens: ['help'], footer: 'close' },
  { command: 'help.scrollUp', keys: ['up', 'k'], description: 'scroll help up', screens: ['help'] },
  { command: 'help.scrollDown', keys: ['down', 'j'], description: 'scroll help down', screens: ['help'] },

  { command: 'app.search', keys: ['/'], description: 'search every session: words, "phrases", prefix*', screens: ['list', 'timeline', 'diff'], footer: 'search' },
  { command: 'app.undo', keys: ['u'], description: 'undo the last in-place restore', screens: ['list', 'timeline', 'diff'] },
  { command: 'app.help', keys: ['?'], description: 'help: every key', screens: 'global', footer: 'help' },
  { command: 'app.quit', keys: ['q', 'C-c'], description: 'quit', screens: 'global', footer: 'quit' },
];

/** The subset of Ink's `Key` that names a key. */
export interface KeyEvent {
  readonly upArrow?: boolean;
  readonly downArrow?: boolean;
  readonly leftArrow?: boolean;
  readonly rightArrow?: boolean;
  readonly pageUp?: boolean;
  readonly pageDown?: boolean;
  readonly home?: boolean;
  readonly end?: boolean;
  readonly return?: boolean;
  readonly escape?: boolean;
  readonly tab?: boolean;
  readonly backspace?: boolean;
  readonly delete?: boolean;
  readonly ctrl?: boolean;
  readonly shift?: boolean;
}

/** Ink's (input, key) pair → one key name, or null for input no binding can match (a paste, say). */
export function keyName(input: string, key: KeyEvent): string | null {
  const shift = (name: string) => (key.shift ? `S-${name}` : name);
  if (key.upArrow) return shift('up');
  if (key.downArrow) return shift('down');
  if (key.leftArrow) return shift('left');
  if (key.rightArrow) return shift('right');
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.return) return 'enter';
  if (key.escape) return 'esc';
  if (key.tab) return shift('tab');
  // Terminals send DEL (0x7f) for the Backspace key; Ink reports it as `delete`.
  if (key.backspace || key.delete) return 'backspace';
  if (key.ctrl && input.length === 1) return `C-${input.toLowerCase()}`;
  if ([...input].length === 1) return input;
  return null;
}

/** One character of a run of typed input → key name. */
function charName(ch: string): string {
  if (ch === '\r' || ch === '\n') return 'enter';
  if (ch === '\u007f' || ch === '\b') return 'backspace';
  if (ch === '\t') return 'tab';
  const code = ch.codePointAt(0)!;
  if (code < 0x20) return `C-${String.fromCharCode(code + 0x60)}`;
  return ch;
}

/**
 * Every key in one input event. A terminal (or tmux, or a slow machine) can deliver several typed keys in one read,
 * and Ink passes a run of plain characters as one string: `ll` is two steps, `j\r` a move and an Enter.
 */
export function keyNames(input: string, key: KeyEvent): string[] {
  const single = keyName(input, key);
  if (single !== null) return [single];
  if (key.ctrl || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow) return [];
  return [...input].map(charName);
}

function appliesTo(b: Binding, screen: ScreenKind): boolean {
  return b.screens === 'global' || b.screens.includes(screen);
}

/** The command a key runs on `screen`: the screen's own bindings win over global ones. */
export function resolveKey(screen: ScreenKind, name: string | null, bindings: readonly Binding[] = BINDINGS): CommandId | null {
  if (name === null) return null;
  let global: CommandId | null = null;
  for (const b of bindings) {
    if (!appliesTo(b, screen) || !b.keys.includes(name)) continue;
    if (b.screens !== 'global') return b.command;
    global ??= b.command;
  }
  return global;
}

const LABELS: Record<string, string> = {
  up: '↑',
  down: '↓',
  left: '←',
  right: '→',
  'S-left': 'Shift-←',
  'S-right': 'Shift-→',
  tab: 'Tab',
  'S-tab': 'Shift-Tab',
  'C-u': 'Ctrl-U',
  'C-w': 'Ctrl-W',
  'C-n': 'Ctrl-N',
  'C-p': 'Ctrl-P',
  pageup: 'PgUp',
  pagedown: 'PgDn',
  home: 'Home',
  end: 'End',
  enter: 'Enter',
  esc: 'Esc',
  backspace: 'Backspace',
  'C-c': 'Ctrl-C',
};

export function keyLabel(name: string): string {
  return LABELS[name] ?? name;
}

/** Bindings that apply on a screen, screen-specific first, with keys shadowed by the screen left out of globals. */
export function bindingsFor(screen: ScreenKind, bindings: readonly Binding[] = BINDINGS): Binding[] {
  const own = bindings.filter((b) => b.screens !== 'global' && b.screens.includes(screen));
  const taken = new Set(own.flatMap((b) => b.keys));
  const global = bindings
    .filter((b) => b.screens === 'global')
    .map((b) => ({ ...b, keys: b.keys.filter((k) => !taken.has(k)) }))
    .filter((b) => b.keys.length > 0);
  return [...own, ...global];
}

/** Footer hints for a screen, most useful first, e.g. `['←→ step', 't fold', '? help', 'q quit']`. */
/** Footer hints for a screen; commands `unavailable` leaves out (a restore with nothing to do) are not offered. */
export function footerHintList(screen: ScreenKind, bindings: readonly Binding[] = BINDINGS, unavailable: ReadonlySet<CommandId> = new Set()): string[] {
  return bindingsFor(screen, bindings)
    .filter((b) => b.footer && !unavailable.has(b.command))
    .map((b) => `${b.footerKeys ?? keyLabel(b.keys[0])} ${b.footer}`);
}

export function footerHints(screen: ScreenKind, bindings: readonly Binding[] = BINDINGS): string {
  return footerHintList(screen, bindings).join(' · ');
}

/** Help screen content: one section per screen, each binding with all its keys. */
export function helpSections(bindings: readonly Binding[] = BINDINGS): { title: string; rows: { keys: string; description: string }[] }[] {
  const section = (title: string, screen: ScreenKind) => ({
    title,
    rows: bindings
      .filter((b) => b.screens !== 'global' && b.screens.includes(screen))
      .map((b) => ({ keys: b.keys.map(keyLabel).join('  '), description: b.description })),
  });
  return [
    section('Session list', 'list'),
    section('Timeline', 'timeline'),
    section('Diff pane (d / D in the timeline)', 'diff'),
    section('Restore and undo', 'restore'),
    section('Undo', 'undo'),
    section('Revealing secrets (R)', 'reveal'),
    section('Search (/): type to search', 'search'),
    section('This help', 'help'),
    {
      title: 'Everywhere',
      rows: bindings.filter((b) => b.screens === 'global').map((b) => ({ keys: b.keys.map(keyLabel).join('  '), description: b.description })),
    },
  ];
}
