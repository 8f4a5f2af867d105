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
    [['search', 'axios', 'interceptor'], { command: 'search', positionals: ['axios', 'interceptor'], json: false }],
    [
      ['search', '"token refresh"', '--kind', 'dead-end', '--project', '/p', '--agent', 'codex', '--limit', '20', '--json'],
      { command: 'search', positionals: ['"token refresh"'], kind: 'dead-end', project: '/p', agent: 'codex', limit: 20, json: true },
    ],
    [['search', '--kind=decision'], { command: 'search', positionals: [], kind: 'decision' }],
    [['search', '--limit=1', 'x'], { command: 'search', limit: 1 }],
    [['search', '--', '-x', '--json'], { command: 'search', positionals: ['-x', '--json'], json: false }],
    [['search', 'show', 'index'], { command: 'search', positionals: ['show', 'index'] }],
    [['facts', 'abc', '--json'], { command: 'facts', positionals: ['abc'], json: true }],
    [['--', 'facts', 'abc'], { command: 'facts', positionals: ['abc'] }],
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
    [['--json=1', 'index'], /takes no value/],
    [['search'], /search needs a QUERY/],
    [['search', '--kind', 'all'], /search needs a QUERY/],
    [['search', 'x', '--kind', 'key-file'], /unknown kind "key-file"/],
    [['search', 'x', '--limit', '0'], /--limit needs a whole number/],
    [['search', 'x', '--limit', '5000'], /--limit needs a whole number/],
    [['search', 'x', '--limit', '2.5'], /--limit needs a whole number/],
    [['search', '-x'], /unknown option -x/],
    [['search', 'x', '--demo'], /does not apply to "search"/],
    [['facts'], /facts needs exactly one SESSION/],
    [['facts', 'a', 'b'], /facts needs exactly one SESSION/],
    [['facts', 'a', '--kind', 'decision'], /does not apply to "facts"/],
    [['sessions', '--limit', '3'], /does not apply to "sessions"/],
    [['--', '--json'], /unknown command "--json"/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
    expect(() => parseArgs(argv)).toThrow(message);
  });
});
