/**
 * Colours are roles, mapped by a theme. `NO_COLOR` (https://no-color.org) selects a theme without colour, where
 * meaning is carried by glyphs and bold/inverse alone.
 */
export type Role =
  | 'text.primary'
  | 'text.secondary'
  | 'text.accent'
  | 'header'
  | 'selection'
  | 'status'
  | 'status.error'
  | 'status.warn'
  | 'kind.prompt'
  | 'kind.reply'
  | 'kind.thinking'
  | 'kind.tool'
  | 'kind.system'
  | 'scrub.played'
  | 'scrub.rest'
  | 'scrub.cursor'
  | 'mark.tool'
  | 'mark.error'
  | 'mark.compaction'
  | 'mark.new'
  | 'diff.file'
  | 'diff.hunk'
  | 'diff.add'
  | 'diff.del'
  | 'label.exact'
  | 'label.reconstructed'
  | 'label.unknown'
  | 'mark.decision'
  | 'mark.deadEnd'
  | 'search.hit';

/** Props for Ink's <Text>. */
export interface Style {
  readonly color?: string;
  readonly bold?: boolean;
  readonly dimColor?: boolean;
  readonly inverse?: boolean;
}

export type Theme = Readonly<Record<Role, Style>>;

export const COLOR_THEME: Theme = {
  'text.primary': {},
  'text.secondary': { dimColor: true },
  'text.accent': { color: 'cyan' },
  header: { bold: true },
  selection: { inverse: true },
  status: { inverse: true },
  'status.error': { color: 'red', bold: true },
  'status.warn': { color: 'yellow' },
  'kind.prompt': { color: 'green', bold: true },
  'kind.reply': { color: 'cyan', bold: true },
  'kind.thinking': { color: 'magenta' },
  'kind.tool': { color: 'yellow' },
  'kind.system': { color: 'gray' },
  'scrub.played': { color: 'cyan' },
  'scrub.rest': { dimColor: true },
  'scrub.cursor': { color: 'white', bold: true },
  'mark.tool': { color: 'yellow', dimColor: true },
  'mark.error': { color: 'red', bold: true },
  'mark.compaction': { color: 'magenta', bold: true },
  'mark.new': { color: 'green', bold: true },
  'diff.file': { bold: true },
  'diff.hunk': { color: 'cyan', dimColor: true },
  'diff.add': { color: 'green' },
  'diff.del': { color: 'red' },
  'label.exact': { color: 'green', bold: true },
  'label.reconstructed': { color: 'yellow', bold: true },
  'label.unknown': { color: 'red', bold: true },
  'mark.decision': { color: 'cyan', bold: true },
  'mark.deadEnd': { color: 'red' },
  'search.hit': { color: 'yellow', inverse: true, bold: true },
};

export const NO_COLOR_THEME: Theme = {
  ...(Object.fromEntries(Object.keys(COLOR_THEME).map((k) => [k, {}])) as Record<Role, Style>),
  header: { bold: true },
  selection: { inverse: true },
  status: { inverse: true },
  'status.error': { bold: true },
  'kind.prompt': { bold: true },
  'kind.reply': { bold: true },
  'scrub.cursor': { bold: true },
  'mark.error': { bold: true },
  'mark.compaction': { bold: true },
  'mark.new': { bold: true },
  'diff.file': { bold: true },
  'label.exact': { bold: true },
  'label.reconstructed': { bold: true },
  'label.unknown': { bold: true },
  'mark.decision': { bold: true },
  'search.hit': { inverse: true },
};

/** `NO_COLOR` set to any non-empty value turns colour off. */
export function themeFor(env: Readonly<Record<string, string | undefined>>): Theme {
  return env.NO_COLOR ? NO_COLOR_THEME : COLOR_THEME;
}
