/**
 * The demo sessions of Codex CLI, Gemini CLI, Antigravity and Cursor: each works on the same shop repository as the
 * Claude Code sessions, between them in time, with a decision, a command that fails, and edits the later sessions
 * build on. Each story function records its session in its assistant's format and changes the repository as it goes.
 */
import path from 'node:path';
import type { Agent } from '../model.js';
import { AntigravitySessionWriter } from './antigravity-session.js';
import { CodexSessionWriter } from './codex-session.js';
import { CursorSessionWriter } from './cursor-session.js';
import { GeminiSessionWriter } from './gemini-session.js';
import type { DemoRepo, FileChange } from './repo.js';
import { diffStat, grepLines } from './tool-output.js';

export interface DemoSession {
  readonly id: string;
  readonly agent: Agent;
  readonly title: string;
  /** The file that holds the session (for Cursor: its state database). */
  readonly file: string;
}

/** A story's session and when its last record was written. */
export interface StoryResult {
  readonly session: DemoSession;
  readonly end: number;
}

export interface StoryContext {
  readonly repo: DemoRepo;
  readonly start: number;
  /** HEAD of the repository now (null before the first commit). */
  readonly head: string | null;
}

/** Contents of some files now, to diff against at the end of a session. */
function snapshot(repo: DemoRepo, rels: readonly string[]): Map<string, string | null> {
  return new Map(rels.map((r) => [r, repo.read(r)]));
}

function changesSince(repo: DemoRepo, before: Map<string, string | null>): FileChange[] {
  return [...before].flatMap(([rel, text]) => {
    const now = repo.read(rel);
    return now !== null && now !== text ? [{ rel, before: text, after: now }] : [];
  });
}

const RANGE_CHECK = '    if (item.qty > MAX_QTY)';

export function codexStory(ctx: StoryContext & { readonly codexDir: string }): StoryResult {
  const id = '019a62f4-7c31-7d1e-a0b4-5e8c2f1d9a05';
  const { repo } = ctx;
  const w = new CodexSessionWriter({ codexDir: ctx.codexDir, repo, threadId: id, start: ctx.start, commit: ctx.head, branch: 'main' });
  const title = 'Quantities of 0, negative ones and fractions like 1.5 still get through total(). Reject them too.';
  const before = snapshot(repo, ['src/cart.ts', 'src/cart.test.ts']);
  w.prompt(title);
  w.think('**Finding the quantity checks**');
  w.exec("sed -n '1,80p' src/quantity.ts", "sed: can't read src/quantity.ts: No such file or directory\n", 2);
  w.exec('rg -n "qty" src', grepLines(['src/cart.test.ts', 'src/cart.ts'].map((rel) => ({ rel, text: repo.read(rel) })), 'qty'));
  w.think('**Deciding where the check belongs**\n\nThe upper limit is checked in total(); the lower bound belongs right beside it.');
  w.say('Decision: reject bad quantities with the same RangeError as the upper limit instead of a new error type, because callers already handle RangeError for quantities.');
  w.rejectedPatch(
    '*** Begin Patch\n*** Update File: src/cart.ts\n@@\n-    if (item.qty >= MAX_QTY) throw new RangeError(`at most ${MAX_QTY} of ${item.sku}`);\n+    if (item.qty < 1 || item.qty >= MAX_QTY) throw new RangeError(`bad quantity for ${item.sku}`);\n*** End Patch\n',
    'src/cart.ts',
  );
  w.say('The patch did not apply: the limit check compares with `>`, not `>=`. Patching against the actual line.');
  w.patch((r) => [
    r.replace('src/cart.ts', RANGE_CHECK, `    if (!Number.isInteger(item.qty) || item.qty < 1) throw new RangeError(\`quantity of \${item.sku} must be a whole number of at least 1\`);\n${RANGE_CHECK}`),
    r.replace(
      'src/cart.test.ts',
      "test('total adds price times quantity', () => {",
      "test('zero, negative and fractional quantities are refused', () => {\n  for (const qty of [0, -1, 1.5]) assert.throws(() => total([{ sku: 'tea', price: 4, qty }]), RangeError);\n});\n\ntest('total adds price times quantity', () => {",
    ),
  ]);
  w.exec('git diff --stat', diffStat(changesSince(repo, before)));
  const done =
    'total() now refuses quantities below 1 and fractional ones with a RangeError, next to the MAX_QTY check, and a new test covers 0, -1 and 1.5. ' +
    'I did not run the tests: they import the compiled output, so run `npm run build && npm test`.';
  w.say(done, 'final_answer');
  w.endTurn(done, 48_210);
  return { session: { id, agent: 'codex', title, file: w.save() }, end: w.now };
}

const FORMAT_INTL = `const EUR = new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' });

/** Cents as euros for display, e.g. 800 → "8.00 €". */
export function formatCents(cents: number): string {
  return EUR.format(cents / 100);
}
`;

const FORMAT_CENTS = `/** Cents as euros for display, e.g. 800 → "8.00 €". Money stays integer cents everywhere else. */
export function formatCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return \`\${sign}\${Math.floor(abs / 100)}.\${String(abs % 100).padStart(2, '0')} €\`;
}
`;

const FORMAT_TEST = `import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCents } from './format.js';

test('cents are shown as euros with two decimals', () => {
  assert.equal(formatCents(800), '8.00 €');
  assert.equal(formatCents(1005), '10.05 €');
});
`;

const CART_TESTS_PASS = '✔ more than MAX_QTY of one item is refused (0.4ms)\n✔ zero, negative and fractional quantities are refused (0.3ms)\n✔ total adds price times quantity (0.2ms)';

export function geminiStory(ctx: StoryContext & { readonly geminiDir: string }): StoryResult {
  const id = '5d1f8a2c-9b3e-4c7d-8e6f-0a1b2c3d4e06';
  const { repo } = ctx;
  const w = new GeminiSessionWriter({ geminiDir: ctx.geminiDir, repo, sessionId: id, projectId: path.basename(repo.dir), start: ctx.start });
  const title = 'The checkout shows 800 for two teas. Add a helper that formats cents as euros, like 8.00 €.';
  w.prompt(title);
  w.turn([{ subject: 'Looking at how money is stored', description: 'Prices are integer cents (priceCents). Formatting belongs at the edge, in a module of its own.' }], [w.read('src/cart.ts')]);
  w.turn(
    [{ subject: 'Writing the formatter', description: 'Intl.NumberFormat knows the euro format; a test pins the expected text.' }],
    [w.writeFile('src/format.ts', FORMAT_INTL, true), w.writeFile('src/format.test.ts', FORMAT_TEST, false)],
  );
  w.turn(
    [],
    [
      w.shell(
        'npm run build && npm test',
        `${CART_TESTS_PASS}\n✖ cents are shown as euros with two decimals (1.1ms)\n  AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:\n  + actual - expected\n  + '8,00 €'\n  - '8.00 €'\nℹ tests 4\nℹ pass 3\nℹ fail 1`,
        1,
      ),
    ],
  );
  w.say(
    'The test fails: the de-DE format writes "8,00 €" with a comma and a no-break space, and other locales put the sign first. ' +
      'Decision: build the string from the integer cents instead of Intl.NumberFormat, so the output does not depend on the locale data Node was built with and cents never pass through a float.',
    [{ subject: 'Reading the failure', description: 'The locale decides separators and spacing; the shop wants one fixed format.' }],
  );
  w.turn([{ subject: 'Formatting by hand', description: 'Euros and cents from integer division and the remainder.' }], [w.writeFile('src/format.ts', FORMAT_CENTS, false)]);
  w.turn([], [w.shell('npm run build && npm test', `${CART_TESTS_PASS}\n✔ cents are shown as euros with two decimals (0.2ms)\nℹ tests 4\nℹ pass 4\nℹ fail 0`)]);
  w.say('Done: `formatCents(800)` gives "8.00 €" and `formatCents(1005)` gives "10.05 €"; all 4 tests pass.');
  w.prompt('Also export it from cart.ts: the checkout page only imports from there.', 90);
  const end = '  return items.reduce((sum, item) => sum + item.priceCents * item.qty, 0);\n}\n';
  w.turn([], [w.replace('src/cart.ts', end, `${end}\nexport { formatCents } from './format.js';\n`, 'Re-export formatCents from the cart module.', true)]);
  w.say('Done: cart.ts re-exports `formatCents`, so the checkout keeps importing from one module.');
  return { session: { id, agent: 'gemini', title, file: w.save() }, end: w.now };
}

const README_RULES = `
## Cart rules

- Quantities are whole numbers from 1 to \`MAX_QTY\` (10) per item; anything else makes \`total()\` throw a \`RangeError\`.
- Money is integer cents (\`priceCents\`): totals are exact, never floating-point euros.
- Prices are shown with \`formatCents\` (src/format.ts), e.g. 800 → 8.00 €. 
`;

const TASKS = (done: boolean[]) =>
  `# Document the cart rules\n\n${['Read README.md and src/cart.ts', 'Add a Cart rules section to README.md', 'Check the Markdown with git diff --check', 'Link LIMITS.md']
    .map((t, i) => `- [${done[i] ? 'x' : ' '}] ${t}`)
    .join('\n')}\n`;

export function antigravityStory(ctx: StoryContext & { readonly profileDir: string }): StoryResult {
  const id = '8e2b7c1d-4f5a-4b6c-9d8e-1f2a3b4c5d07';
  const { repo } = ctx;
  const w = new AntigravitySessionWriter({ profileDir: ctx.profileDir, repo, conversationId: id, start: ctx.start, model: 'Gemini 3.5 Flash (High)' });
  const title = 'Document the cart rules in the README: the quantity limits, money in cents, and how prices are shown.';
  w.prompt(title);
  w.act([w.view('README.md'), w.view('src/cart.ts')], '**Gathering the rules**\n\nThe limits live in src/cart.ts (MAX_QTY and the lower bound), money is priceCents, and formatting is formatCents in src/format.ts.');
  w.act(
    [w.artifact('task.md', TASKS([true, false, false, false]), 'Checklist for documenting the cart rules', 'ARTIFACT_TYPE_TASK')],
    undefined,
    'Decision: document the rules in README.md and link LIMITS.md from it rather than copying the limit into two places, so there is one place to change it.',
  );
  w.act([w.replace('README.md', 'The cart of a small web shop.\n', `The cart of a small web shop.\n${README_RULES}`, 'Add a Cart rules section')]);
  w.act([w.command('git diff --check', 'README.md:9: trailing whitespace.\n+- Prices are shown with `formatCents` (src/format.ts), e.g. 800 → 8.00 €. ', 2)], 'Checking the Markdown for whitespace errors before finishing.');
  w.act([w.replace('README.md', 'e.g. 800 → 8.00 €. \n', 'e.g. 800 → 8.00 €.\n', 'Remove the trailing space')], '**Fixing whitespace**\n\n`git diff --check` flags a trailing space at the end of the formatting line.');
  w.act([w.command('git diff --check', '', 0), w.artifact('task.md', TASKS([true, true, true, false]), 'Checklist for documenting the cart rules', 'ARTIFACT_TYPE_TASK')]);
  w.say('Done: README.md has a "Cart rules" section covering the quantity limits, integer cents and `formatCents`; `git diff --check` is clean.');
  w.prompt('Link LIMITS.md from that section as well.', 75);
  w.act([
    w.replace('README.md', 'throw a `RangeError`.\n', 'throw a `RangeError` (see [LIMITS.md](LIMITS.md)).\n', 'Link LIMITS.md from the quantity rule'),
    w.artifact('task.md', TASKS([true, true, true, true]), 'Checklist for documenting the cart rules', 'ARTIFACT_TYPE_TASK'),
  ]);
  w.say('Linked: the quantity rule now points to LIMITS.md.');
  return { session: { id, agent: 'antigravity', title, file: w.save() }, end: w.now };
}

export function cursorStory(ctx: StoryContext & { readonly userDir: string }): StoryResult {
  const id = 'c4d5e6f7-0a1b-4c2d-8e3f-4a5b6c7d8e08';
  const { repo } = ctx;
  const w = new CursorSessionWriter({ userDir: ctx.userDir, repo, composerId: id, name: 'Line totals for the receipt', start: ctx.start, model: 'claude-4.5-sonnet', branch: 'main' });
  const title = 'The receipt needs a subtotal per line. Add lineTotal(item) and make total() use it.';
  const before = snapshot(repo, ['src/cart.ts', 'src/cart.test.ts']);
  w.prompt(title);
  w.say("I'll look at the cart module first.", 'lineTotal should be the one place that multiplies price by quantity; total() then sums it.');
  w.read('src/cart.ts');
  w.terminal('ls src/receipt*', "ls: cannot access 'src/receipt*': No such file or directory", 2);
  w.say('There is no receipt module yet, so lineTotal goes into cart.ts. Decision: total() sums lineTotal(item) instead of repeating the multiplication, so a receipt line and the total can never disagree.');
  w.searchReplace(
    'src/cart.ts',
    'export function total(items: Item[]): number {',
    '/** One receipt line: price times quantity, in cents. */\nexport function lineTotal(item: Item): number {\n  return item.priceCents * item.qty;\n}\n\nexport function total(items: Item[]): number {',
  );
  w.searchReplace('src/cart.ts', '  return items.reduce((sum, item) => sum + item.priceCents * item.qty, 0);', '  return items.reduce((sum, item) => sum + lineTotal(item), 0);');
  w.searchReplace('src/cart.test.ts', "import { total } from './cart.js';", "import { lineTotal, total } from './cart.js';");
  w.searchReplace(
    'src/cart.test.ts',
    "test('total adds price times quantity', () => {",
    "test('lineTotal is price times quantity', () => {\n  assert.equal(lineTotal({ sku: 'tea', priceCents: 400, qty: 3 }), 1200);\n});\n\ntest('total adds price times quantity', () => {",
  );
  w.terminal('git diff --stat', diffStat(changesSince(repo, before)));
  w.say(
    'Done: `lineTotal(item)` returns price × quantity in cents, `total()` sums it, and a test checks that 3 teas at 400 cents make 1200. Run `npm run build && npm test` to confirm.\n\n' +
      '```ts\nexport function lineTotal(item: Item): number {\n  return item.priceCents * item.qty;\n}\n```',
  );
  return { session: { id, agent: 'cursor', title, file: w.save() }, end: w.now };
}
