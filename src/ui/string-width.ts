/**
 * Terminal cell width of a string: string-width's answer, with a fast path for the text frames are mostly made of.
 *
 * string-width walks every grapheme through Intl.Segmenter and a set of emoji and East Asian tables once a string
 * holds anything but printable ASCII, and nearly every row of a frame does (the `…` of a cut title, the `·` between
 * hints, box drawing, arrows). Cold, on the first frame, that was ~15 ms of Ink measuring and writing rows. Characters
 * in NARROW_ONLY are one cell each under string-width's defaults (East Asian "ambiguous" counted narrow), so a string
 * made only of them is as wide as it is long. The bundle routes Ink's own imports of string-width here too
 * (scripts/build.mjs), so the screens and Ink measure with one function.
 */
import realStringWidth from 'string-width';
import stripAnsi from 'strip-ansi';

type Options = Parameters<typeof realStringWidth>[1];

// Printable ASCII; Latin-1 but the soft hyphen (zero width); Latin Extended-A and -B; dashes, quotes, bullets and
// the ellipsis (U+2010–2027); per mille to the end of general punctuation before the invisible operators
// (U+2030–205E); arrows; box drawing and block elements. No combining marks, no emoji-capable symbols.
const NARROW_ONLY = /^[\x20-\x7e\u00a0-\u00ac\u00ae-\u024f\u2010-\u2027\u2030-\u205e\u2190-\u21ff\u2500-\u259f]*$/;

export default function stringWidth(text: string, options?: Options): number {
  if (typeof text !== 'string' || text.length === 0) return 0;
  if (options?.countAnsiEscapeCodes || options?.ambiguousIsNarrow === false) return realStringWidth(text, options);
  const plain = text.includes('\u001b') || text.includes('\u009b') ? stripAnsi(text) : text;
  return NARROW_ONLY.test(plain) ? plain.length : realStringWidth(plain, options);
}
