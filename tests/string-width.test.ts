import realStringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import stringWidth from '../src/ui/string-width.js';

// The fast path must never change an answer: string-width itself is the reference for every character it covers.
describe('cell width with a fast path for narrow text', () => {
  const ranges: [number, number][] = [[0x20, 0x7e], [0xa0, 0x24f], [0x2000, 0x206f], [0x2190, 0x21ff], [0x2500, 0x25ff]];

  it('agrees with string-width on every character of the ranges around the fast path, alone and inside text', () => {
    let covered = 0;
    for (const [from, to] of ranges) {
      for (let cp = from; cp <= to; cp++) {
        const c = String.fromCodePoint(cp);
        expect(stringWidth(c), `U+${cp.toString(16)}`).toBe(realStringWidth(c));
        expect(stringWidth(`ab${c}cd`), `U+${cp.toString(16)} in text`).toBe(realStringWidth(`ab${c}cd`));
        covered++;
      }
    }
    expect(covered).toBeGreaterThan(1000);
  });

  it('agrees on what takes the slow path: wide, combining, emoji, controls, colour codes', () => {
    const samples = [
      '', 'plain ascii', 'café · 3 sessions…', '\u001b[31mred…\u001b[39m', '\u001b[1m日本語\u001b[22m', 'e\u0301', 'soft\u00adhyphen',
      '👍 done', '👨‍👩‍👧 family', '🇫🇷', '⚠️ warn', '‼ text', '‼️ emoji', '한국어', 'zero\u200bwidth', 'tab\there', '◆ fact ⊘ dead end',
      'ｆｕｌｌｗｉｄｔｈ', 'Ελληνικά', 'кириллица', '\u009b31mc1\u009b0m',
    ];
    for (const s of samples) expect(stringWidth(s), JSON.stringify(s)).toBe(realStringWidth(s));
  });

  it('passes options through to string-width', () => {
    expect(stringWidth('…', { ambiguousIsNarrow: false })).toBe(realStringWidth('…', { ambiguousIsNarrow: false }));
    expect(stringWidth('…', { ambiguousIsNarrow: false })).toBe(2);
    const coloured = '\u001b[31mab\u001b[39m';
    expect(stringWidth(coloured, { countAnsiEscapeCodes: true })).toBe(realStringWidth(coloured, { countAnsiEscapeCodes: true }));
  });
});
