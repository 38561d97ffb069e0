import { describe, expect, it } from 'vitest';
import { parseCommandArgs } from '../../lib/cli/args';
import { UsageError } from '../../lib/cli/command';

describe('parseCommandArgs', () => {
  const options = { format: { type: 'string', short: 'f' }, quiet: { type: 'boolean' } } as const;

  it('returns the typed values and positionals', () => {
    const { values, positionals } = parseCommandArgs('check', ['-f', 'json', 'a', '--quiet'], options, true);
    expect(values).toEqual({ format: 'json', quiet: true });
    expect(positionals).toEqual(['a']);
  });

  it.each([
    [['--bogus'], /^check: Unknown option '--bogus'/],
    [['--format'], /^check: Option '-f, --format <value>' argument missing/],
  ])('reports %j as a usage error prefixed with the command, on one line', (args, message) => {
    let error: unknown;
    try {
      parseCommandArgs('check', args, options, true);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it('refuses positionals when the command takes none', () => {
    expect(() => parseCommandArgs('rules', ['extra'], options, false)).toThrow(
      /^rules: Unexpected argument 'extra'/,
    );
  });
});
