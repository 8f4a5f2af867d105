/**
 * Numbers as people read them: `12,345`, `3.5`. The same text as `toLocaleString('en-US', …)`, without Intl: a
 * process's first toLocaleString starts ICU's number formatting, 6–16 ms that landed on the TUI's first frame.
 */

const GROUPS = /\B(?=(\d{3})+$)/g;

/** `1234567.891` with at most `maxFractionDigits` digits after the point (trailing zeros dropped): `1,234,567.89`. */
export function decimal(n: number, maxFractionDigits = 3): string {
  // What plain digits cannot spell (∞, NaN, 1e21 and beyond) is left to Intl.
  if (!Number.isFinite(n) || Math.abs(n) >= 1e21) return n.toLocaleString('en-US', { maximumFractionDigits: maxFractionDigits });
  const text = unsigned(Math.abs(n), maxFractionDigits);
  return n < 0 ? `-${text}` : text;
}

/**
 * Rounded half away from zero on the number's shortest decimal form, as Intl does (45.05 → 45.1, where
 * toFixed rounds the binary value 45.04999… down).
 */
function unsigned(x: number, digits: number): string {
  const shortest = String(x);
  const scaled = shortest.includes('e') ? NaN : Math.round(Number(`${shortest}e${digits}`));
  const fixed = Number.isSafeInteger(scaled) ? shiftPoint(scaled, digits) : x.toFixed(digits);
  const [whole, fraction = ''] = fixed.split('.');
  const kept = fraction.replace(/0+$/, '');
  return `${whole.replace(GROUPS, ',')}${kept ? `.${kept}` : ''}`;
}

/** `shiftPoint(4510, 2)` → `45.10`. */
function shiftPoint(scaled: number, digits: number): string {
  const s = String(scaled).padStart(digits + 1, '0');
  return digits === 0 ? s : `${s.slice(0, -digits)}.${s.slice(-digits)}`;
}

/** A count: `15,000`. */
export function grouped(n: number): string {
  return decimal(n, 3);
}
