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
    [['diff', 'abc', '12'], { command: 'diff', positionals: ['abc', '12'], against: 'prev', json: false }],
    [['diff', 'abc', '3', '--against', 'now', '--json'], { command: 'diff', against: 'now', json: true }],
    [['restore', 'abc', '7'], { command: 'restore', positionals: ['abc', '7'], inPlace: false, yes: false }],
    [['restore', 'abc', '7', '--in-place', '--yes'], { command: 'restore', inPlace: true, yes: true }],
    [['restore', 'abc', '7', '--worktree=/tmp/w', '-y', '--json'], { command: 'restore', worktree: '/tmp/w', yes: true, json: true }],
    [['undo'], { command: 'undo', positionals: [] }],
    [['undo', '4', '--yes'], { command: 'undo', positionals: ['4'], yes: true }],
    [['restores', '--json'], { command: 'restores', json: true }],
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
    [['diff', 'abc'], /needs SESSION and SEQ/],
    [['diff', 'abc', 'x'], /SEQ must be a message number/],
    [['diff', 'abc', '0'], /SEQ must be a message number/],
    [['diff', 'abc', '1', '--against', 'later'], /--against takes "prev" or "now"/],
    [['diff', 'abc', '1', '--in-place'], /does not apply to "diff"/],
    [['restore', 'abc', '1', '--worktree', '/w', '--in-place'], /two different modes/],
    [['restore', 'abc', '1', '--worktree'], /needs a value/],
    [['undo', 'latest'], /takes a restore id/],
    [['undo', '1', '2'], /unexpected argument "2"/],
    [['restores', 'x'], /unexpected argument "x"/],
    [['sessions', '--yes'], /does not apply to "sessions"/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
    expect(() => parseArgs(argv)).toThrow(message);
  });
});
