/**
 * Marked samples: `⟦…⟧` delimits the secret inside a sample (no markers: the whole sample is the secret). Markers
 * survive JSON encoding, so a sample can be wrapped in a JSONL line, and the expected span located afterwards.
 */
export const OPEN = '⟦';
export const CLOSE = '⟧';

export interface Marked {
  text: string;
  spans: { start: number; end: number }[];
}

/** Removes the markers from `s`, returning the text and where each marked region is in it. */
export function unmark(s: string): Marked {
  const spans: { start: number; end: number }[] = [];
  let text = '';
  let open = -1;
  for (const ch of s) {
    if (ch === OPEN) open = text.length;
    else if (ch === CLOSE) {
      spans.push({ start: open, end: text.length });
      open = -1;
    } else text += ch;
  }
  return { text, spans };
}

/** The sample with markers around all of it when it has none. */
export function marked(sample: string): string {
  return sample.includes(OPEN) ? sample : `${OPEN}${sample}${CLOSE}`;
}

/** How a session log stores text: as it is, in prose, in a Claude JSONL line, in a Codex line (twice encoded), in Markdown. */
export const WRAPPERS: Record<string, (s: string) => string> = {
  bare: (s) => s,
  prose: (s) => `Here is what the command printed:\n${s}\nLet me know if you want me to continue.`,
  claudeJsonl: (s) =>
    JSON.stringify({
      parentUuid: '6e84ea20-40f7-43a4-8940-ab02a50d4dbd',
      type: 'user',
      message: { role: 'user', content: [{ tool_use_id: 'toolu_01p0ic8z6wexYEwKi6sPJ3fV', type: 'tool_result', content: s, is_error: false }] },
      uuid: 'fc587466-db24-4edb-b602-d4117a0836b2',
      timestamp: '2026-04-23T05:16:23.721Z',
    }),
  codexJsonl: (s) =>
    JSON.stringify({
      timestamp: '2026-07-19T09:16:30.079Z',
      type: 'response_item',
      payload: { type: 'function_call_output', call_id: 'call_X9Oqr3uLrOklV6d1ubZh5E4R', output: JSON.stringify({ output: s, metadata: { exit_code: 0, duration_seconds: 5.5 } }) },
    }),
  markdown: (s) => `I ran it — output below 🔍\n\n\`\`\`text\n${s}\n\`\`\`\n\nNext I will update the config.`,
};

/** Neutral places for a bare token: no secret-named key around it, so only the token's own format can find it. */
export const TOKEN_CONTEXTS: Record<string, (s: string) => string> = {
  bare: (s) => s,
  shell: (s) => `$ echo ${s} | tool login --stdin`,
  yaml: (s) => `service:\n  value: ${s}\n  region: eu-west-1`,
  env: (s) => `VALUE=${s}`,
  json: (s) => `{"value": "${s}", "region": "eu-west-1"}`,
  prose: (s) => `Using ${s} for the deploy (日本語 ✅).`,
  markdownInline: (s) => `It is set to \`${s}\`.`,
};
