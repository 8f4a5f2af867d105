/** Windowing of long lists: which rows are visible, kept in pure functions so they are tested without a terminal. */

export interface ListWindow {
  /** Index of the selected row, in [0, total). */
  readonly selected: number;
  /** Index of the first visible row. */
  readonly offset: number;
}

/** Rows kept between the selection and the window's edge while moving, when the window is tall enough. */
export const SCROLL_MARGIN = 2;

function clamp(n: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, n));
}

/**
 * Moves the selection to `target` (clamped) and scrolls the window just enough to keep it `margin` rows from the
 * edges. Pure: the same inputs always give the same window.
 */
export function moveSelection(win: ListWindow, target: number, total: number, height: number, margin = SCROLL_MARGIN): ListWindow {
  if (total <= 0 || height <= 0) return { selected: 0, offset: 0 };
  const selected = clamp(target, 0, total - 1);
  const m = Math.min(margin, Math.floor((height - 1) / 2));
  let offset = win.offset;
  if (selected < offset + m) offset = selected - m;
  if (selected > offset + height - 1 - m) offset = selected - height + 1 + m;
  offset = clamp(offset, 0, Math.max(0, total - height));
  return { selected, offset };
}

/** Re-fits a window after the total or the height changed (resize, new sessions), keeping the selection. */
export function refit(win: ListWindow, total: number, height: number): ListWindow {
  return moveSelection(win, win.selected, total, height);
}
