/**
 * The built-in demo: a real git repository (a small shop's cart module) and the sessions of five assistants whose
 * edits made it what it is — Claude Code, Codex CLI, Gemini CLI, Antigravity and Cursor, each in its own on-disk
 * format — with decisions, dead ends, failed commands, a compaction, a sub-agent, an API error and work left
 * uncommitted. `mantra-tui --demo` opens it; it is also the fixture of the end-to-end tests. Built fresh in a
 * directory each time, and the same every time for the same `now`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { antigravityStory, codexStory, cursorStory, geminiStory, type DemoSession, type StoryResult } from './assistant-stories.js';
import { ClaudeSessionWriter } from './claude-session.js';
import { GitDir } from './git-objects.js';
import { DemoRepo } from './repo.js';
import { grepLines } from './tool-output.js';

export type { DemoSession } from './assistant-stories.js';

export interface DemoLayout {
  readonly root: string;
  /** Claude Code config dir holding the demo transcripts (`projects/…`, `file-history/…`). */
  readonly claudeDir: string;
  /** Codex CLI home (`sessions/YYYY/MM/DD/rollout-….jsonl`). */
  readonly codexDir: string;
  /** Gemini CLI dir (`tmp/shop/chats/…`, `history/shop` checkpoints); it also holds the Antigravity profile. */
  readonly geminiDir: string;
  /** What `--antigravity-dir` takes: the folder of `antigravity*` profiles (here, as by default, the `.gemini` dir). */
  readonly antigravityDir: string;
  /** Cursor's user dir (`globalStorage/state.vscdb`). */
  readonly cursorDir: string;
  /** The demo project, a git repository (written directly, so it exists even where git is not installed). */
  readonly repoDir: string;
  /** Oldest first, across assistants. */
  readonly sessions: readonly DemoSession[];
}

const HOUR = 3_600_000;
const AUTHOR = { name: 'Ada Demo', email: 'ada@demo.invalid' };

/** What `npm test` lists once the other assistants' sessions have added their tests. */
const TESTS_BEFORE_DISCOUNTS = [
  'more than MAX_QTY of one item is refused (0.4ms)',
  'zero, negative and fractional quantities are refused (0.3ms)',
  'lineTotal is price times quantity (0.1ms)',
  'total adds price times quantity (0.2ms)',
  'cents are shown as euros with two decimals (0.2ms)',
]
  .map((t) => `✔ ${t}`)
  .join('\n');

const FILES = {
  'package.json': `{
  "name": "shop",
  "version": "1.0.0",
  "type": "module",
  "scripts": { "test": "node --test" }
}
`,
  'README.md': `# shop

The cart of a small web shop.
`,
  'src/cart.ts': `export interface Item {
  sku: string;
  price: number;
  qty: number;
}

export function total(items: Item[]): number {
  return items.reduce((sum, item) => sum + item.price * item.qty, 0);
}
`,
};

const TESTS = `import { test } from 'node:test';
import assert from 'node:assert/strict';
import { total } from './cart.js';

test('total adds price times quantity', () => {
  assert.equal(total([{ sku: 'tea', price: 4, qty: 2 }]), 8);
});
`;

export function buildDemo(root: string, now = Date.now()): DemoLayout {
  const claudeDir = path.join(root, 'claude');
  const codexDir = path.join(root, 'codex');
  const geminiDir = path.join(root, 'gemini');
  const cursorDir = path.join(root, 'cursor', 'User');
  const repoDir = path.join(root, 'shop');
  const repo = new DemoRepo(repoDir);
  fs.mkdirSync(path.join(repoDir, 'src'), { recursive: true });
  fs.mkdirSync(claudeDir, { recursive: true });
  const repoGit = GitDir.init(path.join(repoDir, '.git'));
  const commit = (message: string, when: number) => repoGit.commitWorkTree(repoDir, 'main', AUTHOR, when, message);

  const t0 = now - 52 * HOUR;
  for (const [rel, content] of Object.entries(FILES)) fs.writeFileSync(path.join(repoDir, rel), content);
  fs.writeFileSync(path.join(repoDir, '.gitignore'), 'node_modules/\ndist/\n');
  commit('Initial cart', t0);
  fs.writeFileSync(path.join(repoDir, 'src/cart.test.ts'), TESTS);
  commit('Add a test for total', t0 + HOUR);

  const sessions: DemoSession[] = [];
  const add = (w: ClaudeSessionWriter, title: string) => sessions.push({ id: w.o.sessionId, agent: 'claude', title, file: w.save() });
  const story = (start: number) => ({ repo, start, head: repoGit.head() });
  const told = ({ session, end }: StoryResult, commitMessage: string) => {
    sessions.push(session);
    commit(commitMessage, end + 5 * 60_000);
  };
  const opts = (sessionId: string, start: number) => ({ claudeDir, repoDir, sessionId, start, gitBranch: 'main' });

  // 1. A quantity limit: a decision with its reason, a failing test, then green.
  {
    const w = new ClaudeSessionWriter(opts('3f2a9c10-5b7e-4d21-9c3a-6e8f0b1d2a01', t0 + 2 * HOUR));
    const title = 'Add a quantity limit to the cart: nobody should order more than 10 of one item';
    w.prompt(title);
    w.think('The limit belongs next to total() in cart.ts. Clamping silently would hide bugs in callers; throwing makes them visible.');
    w.read('src/cart.ts');
    w.say('Decision: throw a RangeError for quantities above the limit instead of clamping them silently, because callers need to know their input was wrong.');
    w.edit('src/cart.ts', 'export interface Item {', 'export const MAX_QTY = 10;\n\nexport interface Item {');
    w.edit(
      'src/cart.ts',
      '  return items.reduce((sum, item) => sum + item.price * item.qty, 0);',
      '  for (const item of items) {\n    if (item.qty > MAX_QTY) throw new RangeError(`at most ${MAX_QTY} of ${item.sku}`);\n  }\n  return items.reduce((sum, item) => sum + item.price * item.qty, 0);',
    );
    w.edit(
      'src/cart.test.ts',
      "test('total adds price times quantity', () => {",
      "test('more than MAX_QTY of one item is refused', () => {\n  assert.throws(() => total([{ sku: 'tea', price: 4, qty: 11 }]), RangeError);\n});\n\ntest('total adds price times quantity', () => {",
    );
    w.bash('npm test', "✖ more than MAX_QTY of one item is refused\n  Error: Cannot find module './cart.js'\n  (tests run against the build output; run the build first)", true);
    w.say('The tests import the compiled file. I will build before testing.');
    w.bash('npm run build && npm test', '✔ more than MAX_QTY of one item is refused (0.4ms)\n✔ total adds price times quantity (0.2ms)\nℹ tests 2\nℹ pass 2\nℹ fail 0');
    w.write('LIMITS.md', '# Limits\n\n- At most 10 of one item per order (`MAX_QTY` in src/cart.ts); more throws a RangeError.\n');
    w.say('Done: MAX_QTY = 10 enforced in total(), with a test, and documented in LIMITS.md. Next: the checkout form should show the limit before the user hits it.');
    w.prompt('Good, thanks. I will commit it myself.', 40);
    w.say('Sounds good. A commit message that fits: "Limit quantities to 10 per item".');
    w.meta({ type: 'ai-title', aiTitle: 'Cart quantity limit' });
    add(w, title);
    commit('Limit quantities to 10 per item', w.now + 60_000);
  }

  // 2. Codex CLI: the lower bound for quantities, after a read of a file that does not exist and a patch that did
  // not apply.
  told(codexStory({ ...story(t0 + 7 * HOUR), codexDir }), 'Reject quantities below 1 and fractional ones');

  // 3. Money as integer cents: a dead end (rounding with toFixed), a user rejection, a compaction, a sub-agent.
  {
    const w = new ClaudeSessionWriter(opts('8c41d7e2-0a95-4f6b-b1c8-2d7e9f3a4b02', t0 + 26 * HOUR));
    const title = 'Totals are off by a cent sometimes (0.1 + 0.2). Fix the money maths in the cart.';
    w.prompt(title);
    w.think('Floating point: 0.1 + 0.2 is 0.30000000000000004. Either round at the end or stop using floats for money.');
    w.read('src/cart.ts');
    w.say('Quick fix first: round the total to two decimals.');
    w.edit(
      'src/cart.ts',
      '  return items.reduce((sum, item) => sum + item.price * item.qty, 0);',
      '  return Number(items.reduce((sum, item) => sum + item.price * item.qty, 0).toFixed(2));',
    );
    w.bash('npm run build && npm test', "✖ total of 1.005 × 1 rounds half up\n  AssertionError: expected 1.01, got 1\n  (1.005 is stored as 1.00499999999999989…)", true);
    w.prompt('no, toFixed still rounds 1.005 down. That approach does not work for money.', 40);
    w.say('You are right, that didn\'t work: rounding a float cannot recover a value the float never held. Reverting it.');
    w.edit(
      'src/cart.ts',
      '  return Number(items.reduce((sum, item) => sum + item.price * item.qty, 0).toFixed(2));',
      '  return items.reduce((sum, item) => sum + item.price * item.qty, 0);',
    );
    w.apiError(529);
    w.task(
      'Find every place that handles prices',
      'List every file and function in the repository that reads or writes a price, and say whether it uses floats.',
      'Prices appear only in src/cart.ts (Item.price, total) and in the test src/cart.test.ts. Both use floats; nothing else touches money.',
      (sub) => {
        sub.bash('grep -rn "price" src', grepLines(['src/cart.test.ts', 'src/cart.ts'].map((rel) => ({ rel, text: repo.read(rel) })), 'price'));
        sub.read('src/cart.ts');
      },
    );
    w.say('Decision: we will store money as integer cents, not floating-point euros — integer arithmetic is exact, and formatting happens only at the edge.');
    w.compact(
      'This session is being continued from a previous conversation. Summary: the cart total used floating-point prices and was off by a cent. Rounding with toFixed(2) was tried and rejected (1.005 rounds down). Decided: integer cents everywhere. Prices live only in src/cart.ts and its test. Next: rename price to priceCents and update the test.',
    );
    w.prompt('Go ahead with cents.', 25);
    w.edit('src/cart.ts', '  price: number;', '  /** Price in integer cents: money is never a float. */\n  priceCents: number;');
    w.edit(
      'src/cart.ts',
      '  return items.reduce((sum, item) => sum + item.price * item.qty, 0);',
      '  return items.reduce((sum, item) => sum + item.priceCents * item.qty, 0);',
    );
    w.edit('src/cart.test.ts', "total([{ sku: 'tea', price: 4, qty: 11 }])", "total([{ sku: 'tea', priceCents: 400, qty: 11 }])");
    w.edit('src/cart.test.ts', "total([{ sku: 'tea', price: 4, qty }])", "total([{ sku: 'tea', priceCents: 400, qty }])");
    w.edit("src/cart.test.ts", "assert.equal(total([{ sku: 'tea', price: 4, qty: 2 }]), 8);", "assert.equal(total([{ sku: 'tea', priceCents: 400, qty: 2 }]), 800);");
    w.bash('npm run build && npm test', '✔ more than MAX_QTY of one item is refused (0.4ms)\n✔ zero, negative and fractional quantities are refused (0.3ms)\n✔ total adds price times quantity (0.2ms)\nℹ tests 3\nℹ pass 3\nℹ fail 0');
    w.say('Done: prices are integer cents (priceCents) and totals are exact. Next: format cents as euros only in the view layer.');
    w.prompt('Perfect. I will commit this one.', 35);
    w.say('Good. The decision and the rejected toFixed attempt are in this session if a reviewer asks.');
    w.meta({ type: 'ai-title', aiTitle: 'Money as integer cents' });
    add(w, title);
    commit('Store money as integer cents', w.now + 60_000);
  }

  // 4. Gemini CLI: a euro formatter; Intl.NumberFormat fails the test and is replaced. Its edits that waited for
  // approval have checkpoints in the shadow repository.
  told(geminiStory({ ...story(now - 20 * HOUR), geminiDir }), 'Format cents as euros for the checkout');

  // 5. Antigravity: the cart rules in the README; git diff --check fails on a trailing space.
  told(antigravityStory({ ...story(now - 12 * HOUR), profileDir: path.join(geminiDir, 'antigravity-cli') }), 'Document the cart rules in the README');

  // 6. A question about an earlier decision: no edits, a screenshot.
  {
    const w = new ClaudeSessionWriter(opts('c7d03b58-91e4-4a2f-8d6b-0f1e2a3b4c03', now - 5 * HOUR));
    const title = 'Why did we switch prices to cents? A reviewer is asking.';
    w.prompt(title);
    w.bash('git log --oneline', repoGit.onelineLog());
    w.think('The commit and the previous session say why: floats cannot represent cents exactly.');
    w.say('Because floating-point numbers cannot represent most decimal fractions exactly: 0.1 + 0.2 gives 0.30000000000000004, and rounding with toFixed(2) was tried first and failed for 1.005. Integer cents make every sum exact; euros are formatted only for display.');
    w.prompt(
      [
        { type: 'text', text: 'And does the total row in this screenshot look right?' },
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==' } },
      ],
      60,
    );
    w.say('The screenshot shows 8.00 € for two teas at 4.00 €: correct, and it comes from 800 cents formatted at the edge.');
    w.prompt('Thanks. Summarise the decision in one line for the PR.', 20);
    w.say('Money is stored as integer cents (priceCents) because floats cannot represent cents exactly; rounding with toFixed was tried and rejected.');
    w.meta({ type: 'ai-title', aiTitle: 'Why prices are cents' });
    add(w, title);
  }

  // 7. Cursor: a subtotal per receipt line, after looking for a receipt module that does not exist.
  told(cursorStory({ ...story(now - 3 * HOUR), userDir: cursorDir }), 'Add lineTotal for receipt lines');

  // 8. In progress: a discount code, left uncommitted in the working tree (a new untracked file and an edit).
  {
    const w = new ClaudeSessionWriter(opts('e5a6b7c8-2d3f-4e1a-9b0c-7d8e9f0a1b04', now - 50 * 60_000));
    const title = 'Add discount codes: SAVE10 takes 10 % off the total';
    w.prompt(title);
    w.think('A discount is a pure function of the total in cents. Percentages on cents need a rounding rule; round half up to the cent.');
    w.read('src/cart.ts');
    w.read('LIMITS.md');
    w.say('Plan: a new module src/discount.ts with applyDiscount(totalCents, code), kept apart from cart.ts so the cart stays about items.');
    w.write(
      'src/discount.ts',
      "const CODES: Record<string, number> = { SAVE10: 10 };\n\n/** Total after a discount code, in integer cents. Unknown codes change nothing. */\nexport function applyDiscount(totalCents: number, code: string): number {\n  const percent = CODES[code] ?? 0;\n  return totalCents - Math.floor((totalCents * percent) / 100);\n}\n",
    );
    w.bash('npm run build && npm test', `${TESTS_BEFORE_DISCOUNTS}\nℹ tests 5\nℹ pass 5\nℹ fail 0`);
    w.prompt('Codes should be case-insensitive: save10 must work too.', 45);
    w.edit('src/discount.ts', '  const percent = CODES[code] ?? 0;', '  const percent = CODES[code.toUpperCase()] ?? 0;');
    w.say('Decided: codes are matched case-insensitively by upper-casing them, rather than listing every spelling in CODES.');
    w.write(
      'src/discount.test.ts',
      "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { applyDiscount } from './discount.js';\n\ntest('SAVE10 takes 10 % off', () => {\n  assert.equal(applyDiscount(1000, 'SAVE10'), 900);\n});\n\ntest('codes are case-insensitive', () => {\n  assert.equal(applyDiscount(1000, 'save10'), 900);\n});\n",
    );
    w.bash('npm run build && npm test', "✖ SAVE10 takes 10 % off\n  TypeError: applyDiscount is not a function\n  (dist/discount.js is stale: the build step skipped new files)", true);
    w.think('The build only lists cart.ts. The new module needs adding to the build input.');
    w.edit('package.json', '"scripts": { "test": "node --test" }', '"scripts": { "build": "tsc src/*.ts --outDir dist", "test": "node --test dist" }');
    w.bash('npm run build && npm test', `${TESTS_BEFORE_DISCOUNTS}\n✔ SAVE10 takes 10 % off (0.3ms)\n✔ codes are case-insensitive (0.1ms)\nℹ tests 7\nℹ pass 7\nℹ fail 0`);
    w.edit('src/cart.ts', 'export const MAX_QTY = 10;', "export const MAX_QTY = 10;\nexport { applyDiscount } from './discount.js';");
    w.say('Done: applyDiscount with SAVE10, case-insensitive, two new tests and all 7 green. Next: show the discount line in the checkout summary, and decide whether codes can stack.');
    w.prompt('Leave it uncommitted for now, I will review it after lunch.', 30);
    w.say('Understood: the changes stay in your working tree (src/discount.ts, src/discount.test.ts are new; package.json and src/cart.ts are modified).');
    w.meta({ type: 'ai-title', aiTitle: 'Discount codes' });
    add(w, title);
  }

  return { root, claudeDir, codexDir, geminiDir, antigravityDir: geminiDir, cursorDir, repoDir, sessions };
}
