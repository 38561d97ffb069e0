import { describe, expect, it } from 'vitest';
import { App, Duration, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { z } from 'zod';
import {
  childPath,
  describeValue,
  durationBetween,
  fieldOf,
  literalList,
  refs,
  retentionDays,
  throwIfProblems,
  tokenOr,
  validateProps,
  validatePropsAt,
} from '../../constructs/core/validate';
import { propsError as errorOf } from '../support/props';

const schema = z.strictObject({
  name: z.string().regex(/^[a-z]+$/),
  count: tokenOr(z.number().int().min(1).max(10)),
  mode: z.enum(['a', 'b']).optional(),
  key: refs.key.optional(),
  window: durationBetween(Duration.minutes(1), Duration.hours(1)).optional(),
});

class Thing extends Construct {
  public readonly parsed: z.output<typeof schema>;
  constructor(scope: Construct, id: string, props: unknown) {
    super(scope, id);
    this.parsed = validateProps(this, schema, props);
  }
}

function scope(): Stack {
  return new Stack(new App(), 'S');
}

describe('validateProps', () => {
  it('returns parsed props when valid', () => {
    const t = new Thing(scope(), 'T', { name: 'abc', count: 3 });
    expect(t.parsed).toEqual({ name: 'abc', count: 3 });
  });

  it('lists every problem, one line each, prefixed by the construct path', () => {
    const e = errorOf(() => new Thing(scope(), 'T', { name: 'ABC', count: 0, mode: 'c' }));
    const lines = e.message.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(
      'S/T: name: has an invalid format (got "ABC"; expected a string matching /^[a-z]+$/)',
    );
    expect(lines[1]).toBe('S/T: count: is too small (got 0; expected >= 1)');
    expect(lines[2]).toBe('S/T: mode: is not an allowed value (got "c"; expected one of "a", "b")');
    expect(e.constructPath).toBe('S/T');
    expect(e.problems.map((p) => p.field)).toEqual(['name', 'count', 'mode']);
  });

  it('reports a missing required prop as required', () => {
    const e = errorOf(() => new Thing(scope(), 'T', { count: 2 }));
    expect(e.message).toBe('S/T: name: is required (got undefined; expected string)');
  });

  it('rejects unknown props by name', () => {
    const e = errorOf(() => new Thing(scope(), 'T', { name: 'a', count: 1, colour: 'red' }));
    expect(e.message).toBe('S/T: colour: is not a known prop (got a value; expected only documented props)');
  });

  it('lets unresolved tokens through without validating them as literals', () => {
    const stack = scope();
    const count = Token.asNumber(Lazy.number({ produce: () => 50 }));
    const t = new Thing(stack, 'T', { name: 'abc', count });
    expect(Token.isUnresolved(t.parsed.count)).toBe(true);
  });

  it('still validates literal values inside tokenOr', () => {
    const e = errorOf(() => new Thing(scope(), 'T', { name: 'abc', count: 11 }));
    expect(e.message).toBe('S/T: count: is too large (got 11; expected <= 10)');
  });

  it('checks construct references by type', () => {
    const stack = scope();
    const key = new kms.Key(stack, 'K');
    expect(new Thing(stack, 'Ok', { name: 'a', count: 1, key }).parsed.key).toBe(key);
    const e = errorOf(
      () => new Thing(stack, 'Bad', { name: 'a', count: 1, key: 'arn:aws:kms:eu-west-1:1:key/x' }),
    );
    expect(e.message).toContain(
      'S/Bad: key: is not a kms.IKey (got "arn:aws:kms:eu-west-1:1:key/x"; expected kms.IKey)',
    );
  });

  it('bounds durations', () => {
    const e = errorOf(() => new Thing(scope(), 'T', { name: 'a', count: 1, window: Duration.hours(2) }));
    expect(e.message).toBe(
      'S/T: window: is out of range (got Duration.hours(2); expected between Duration.minutes(1) and Duration.hours(1))',
    );
  });

  it('throwIfProblems throws only when there are problems', () => {
    const stack = scope();
    expect(() => throwIfProblems(stack, [])).not.toThrow();
    expect(() =>
      throwIfProblems(stack, [{ field: 'a', problem: 'is bad', got: '1', expected: '2' }]),
    ).toThrow('S: a: is bad (got 1; expected 2)');
  });

  it('describes values briefly and never dumps constructs', () => {
    const stack = scope();
    expect(describeValue('x'.repeat(100))).toHaveLength(82);
    expect(describeValue(stack)).toBe('construct S');
    expect(describeValue(Token.asString(Lazy.string({ produce: () => 'x' })))).toBe('<token>');
    expect(describeValue({ a: 1 })).toBe('{"a":1}');
  });

  it('renders unknown keys that are empty or hold separators as one JSON-quoted field', () => {
    expect(fieldOf(['tiers', 0, 'afterDays'])).toBe('tiers.0.afterDays');
    expect(fieldOf(['a-b_c.d'])).toBe('a-b_c.d');
    expect(fieldOf([''])).toBe('""');
    expect(fieldOf(['a\nb'])).toBe('"a\\nb"');
    expect(fieldOf(['a: b'])).toBe('"a\\u003a b"');
    const e = errorOf(() => new Thing(scope(), 'T', { name: 'a', count: 1, '': 1, 'a\nb': 2 }));
    expect(e.message.split('\n')).toEqual([
      'S/T: "": is not a known prop (got a value; expected only documented props)',
      'S/T: "a\\nb": is not a known prop (got a value; expected only documented props)',
    ]);
  });
});

describe('durationBetween', () => {
  const days = z.strictObject({ d: durationBetween(Duration.days(1), Duration.days(100), { unit: 'days' }) });
  const literal = z.strictObject({
    d: durationBetween(Duration.seconds(1), Duration.hours(1), { literal: true }),
  });
  const fine = z.strictObject({ d: durationBetween(Duration.millis(1), Duration.seconds(60)) });
  const tokenIn = (unit: 'seconds' | 'days') =>
    Duration[unit](Token.asNumber(Lazy.number({ produce: () => 30 })));

  it('compares in milliseconds, so sub-second Durations are bounded, not a crash', () => {
    expect(validateProps(scope(), fine, { d: Duration.seconds(2) }).d.toSeconds()).toBe(2);
    expect(validateProps(scope(), fine, { d: Duration.millis(1) }).d.toMilliseconds()).toBe(1);
    const e = errorOf(() => validateProps(scope(), literal, { d: Duration.millis(1) }));
    expect(e.message).toBe(
      'S: d: is out of range (got Duration.millis(1); expected between Duration.seconds(1) and Duration.hours(1))',
    );
  });

  it('requires a whole number of the unit the construct renders', () => {
    expect(validateProps(scope(), days, { d: Duration.hours(48) }).d.toDays()).toBe(2);
    const e = errorOf(() => validateProps(scope(), days, { d: Duration.hours(2200) }));
    expect(e.message).toBe(
      'S: d: must be a whole number of days (got Duration.hours(2200); expected a whole number of days between Duration.days(1) and Duration.days(100))',
    );
  });

  it('lets a token in the rendered unit through and refuses one it cannot convert', () => {
    expect(validateProps(scope(), days, { d: tokenIn('days') }).d.isUnresolved()).toBe(true);
    const e = errorOf(() => validateProps(scope(), days, { d: tokenIn('seconds') }));
    expect(e.message).toMatch(
      /^S: d: is a token in seconds, which cannot be converted into days \(got .*; expected a literal Duration or Duration\.days\(<token>\)\)$/,
    );
  });

  it('refuses tokens where the construct needs a literal', () => {
    const e = errorOf(() => validateProps(scope(), literal, { d: tokenIn('seconds') }));
    expect(e.problems[0].field).toBe('d');
    expect(e.problems[0].problem).toMatch(/^must be a literal duration/);
  });
});

describe('tokenOr', () => {
  const s = z.strictObject({
    name: tokenOr(z.string().min(2)).optional(),
    count: tokenOr(z.number().int()).optional(),
    list: tokenOr(z.array(z.string())).optional(),
  });
  const str = () => Token.asString(Lazy.string({ produce: () => 'x' }));
  const num = () => Token.asNumber(Lazy.number({ produce: () => 1 }));
  const list = () => Token.asList(Lazy.list({ produce: () => ['a'] }));

  it('accepts tokens of the kind the schema expects', () => {
    expect(() => validateProps(scope(), s, { name: str(), count: num(), list: list() })).not.toThrow();
  });

  it('refuses tokens of another kind, naming the field', () => {
    const e = errorOf(() => validateProps(scope(), s, { name: num(), count: str(), list: str() }));
    expect(e.problems.map((p) => [p.field, p.problem])).toEqual([
      ['name', 'is a number token where a string is expected'],
      ['count', 'is a string token where a number is expected'],
      ['list', 'is a string token where a list is expected'],
    ]);
  });
});

describe('retentionDays and literalList', () => {
  const s = z.strictObject({ r: retentionDays().optional(), l: literalList(z.array(z.string())).optional() });

  it('refuses INFINITE retention, naming the rule it trips', () => {
    expect(validateProps(scope(), s, { r: logs.RetentionDays.ONE_YEAR }).r).toBe(logs.RetentionDays.ONE_YEAR);
    const e = errorOf(() => validateProps(scope(), s, { r: logs.RetentionDays.INFINITE }));
    expect(e.problems[0].field).toBe('r');
    expect(e.message).toContain('CloudWatchLogGroupRetentionPeriod');
  });

  it('refuses a list token where the items are needed', () => {
    const e = errorOf(() =>
      validateProps(scope(), s, { l: Token.asList(Lazy.list({ produce: () => ['a'] })) }),
    );
    expect(e.message).toMatch(/^S: l: must be a literal list, not a list token/);
    expect(validateProps(scope(), s, { l: ['a'] }).l).toEqual(['a']);
  });
});

describe('validatePropsAt', () => {
  it('validates for a construct that does not exist yet, at its future path', () => {
    const stack = scope();
    expect(childPath(stack, 'Role')).toBe('S/Role');
    expect(childPath(new App(), 'Top')).toBe('Top');
    const e = errorOf(() => validatePropsAt(childPath(stack, 'Role'), schema, { count: 1 }));
    expect(e.constructPath).toBe('S/Role');
    expect(e.message).toBe('S/Role: name: is required (got undefined; expected string)');
  });
});

describe('forged tokens', () => {
  it('refuses strings that look like tokens but were not created in this app, naming the field', () => {
    const e = errorOf(() => new Thing(scope(), 'T', { name: '${Token[TOKEN.1]}', count: 1 }));
    expect(e.message).toBe(
      'S/T: name: looks like a token but was not created in this app (got "${Token[TOKEN.1]}"; expected a literal, or a token from this app (Token.asString, a construct attribute, ...))',
    );
  });

  it('walks nested plain objects and arrays, and stops at cycles', () => {
    const cyclic: Record<string, unknown> = { list: ['ok', '${Token[TOKEN.99999]}'] };
    cyclic.self = cyclic;
    const e = errorOf(() => validateProps(scope(), z.any(), cyclic));
    expect(e.problems.map((p) => p.field)).toEqual(['list.1']);
  });
});
