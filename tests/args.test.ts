import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from '../src/cli/args.js';

describe('parseArgs', () => {
  it.each([
    [[], { command: 'tui', demo: false }],
    [['--demo'], { command: 'tui', demo: true }],
    [['index', '--json'], { command: 'index', json: true }],
    [['sessions', '--agent', 'claude', '--project=/x'], { command: 'sessions', agent: 'claude', project: '/x' }],
    [['show', 'abc', '--json', '--db', '/tmp/i.db'], { command: 'show', positionals: ['abc'], json: true, db: '/tmp/i.db' }],
    [['--claude-dir', '/c', 'index'], { command: 'index', claudeDir: '/c' }],
    [['index', '--codex-dir', '/x', '--gemini-dir=/g'], { command: 'index', codexDir: '/x', geminiDir: '/g' }],
    [['--codex-dir=/x', 'sessions', '--agent', 'codex'], { command: 'sessions', codexDir: '/x', agent: 'codex' }],
    [['show', 'abc', '--gemini-dir', '/g'], { command: 'show', positionals: ['abc'], geminiDir: '/g' }],
    [['index', '--cursor-dir', '/cu', '--cursor-cli-dir=/cc', '--antigravity-dir', '/g'], { command: 'index', cursorDir: '/cu', cursorCliDir: '/cc', antigravityDir: '/g' }],
    [['--antigravity-dir=/g/antigravity-cli'], { command: 'tui', antigravityDir: '/g/antigravity-cli' }],
    [['sessions', '--cursor-dir', '/cu', '--agent', 'cursor'], { command: 'sessions', cursorDir: '/cu', agent: 'cursor' }],
    [['--help'], { help: true }],
    [['-V'], { version: true }],
  ])('accepts %j', (argv, expected) => {
    expect(parseArgs(argv)).toMatchObject(expected);
  });

  it.each([
    [['nope'], /unknown command/],
    [['--frob'], /unknown option --frob/],
    [['sessions', '--agent', 'x'], /unknown agent "x"/],
    [['show'], /exactly one SESSION/],
    [['show', 'a', 'b'], /exactly one SESSION/],
    [['index', 'extra'], /unexpected argument "extra"/],
    [['index', '--agent', 'claude'], /does not apply to "index"/],
    [['--json'], /does not apply to the TUI/],
    [['--db'], /needs a value/],
    [['index', '--codex-dir'], /--codex-dir needs a value/],
    [['--gemini-dir='], /--gemini-dir needs a value/],
    [['index', '--cursor-dir'], /--cursor-dir needs a value/],
    [['--antigravity-dir='], /--antigravity-dir needs a value/],
    [['--json=1', 'index'], /takes no value/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
    expect(() => parseArgs(argv)).toThrow(message);
  });
});
