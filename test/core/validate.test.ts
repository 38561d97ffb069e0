import { describe, expect, it } from 'vitest';
import { App, Duration, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { z } from 'zod';
import {
  describeValue,
  durationBetween,
  PropsValidationError,
  refs,
  throwIfProblems,
  tokenOr,
  validateProps,
} from '../../constructs/core/validate';

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

function errorOf(fn: () => unknown): PropsValidationError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PropsValidationError) return e;
    throw e;
  }
  throw new Error('expected a PropsValidationError');
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
    expect(lines[0]).toBe('S/T: name: has an invalid format (got "ABC"; expected a string matching /^[a-z]+$/)');
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
    const e = errorOf(() => new Thing(stack, 'Bad', { name: 'a', count: 1, key: 'arn:aws:kms:eu-west-1:1:key/x' }));
    expect(e.message).toContain('S/Bad: key: is not a kms.IKey (got "arn:aws:kms:eu-west-1:1:key/x"; expected kms.IKey)');
  });

  it('bounds durations', () => {
    const e = errorOf(() => new Thing(scope(), 'T', { name: 'a', count: 1, window: Duration.hours(2) }));
    expect(e.message).toBe('S/T: window: is out of range (got Duration.hours(2); expected between Duration.minutes(1) and Duration.hours(1))');
  });

  it('throwIfProblems throws only when there are problems', () => {
    const stack = scope();
    expect(() => throwIfProblems(stack, [])).not.toThrow();
    expect(() => throwIfProblems(stack, [{ field: 'a', problem: 'is bad', got: '1', expected: '2' }])).toThrow(
      'S: a: is bad (got 1; expected 2)',
    );
  });

  it('describes values briefly and never dumps constructs', () => {
    const stack = scope();
    expect(describeValue('x'.repeat(100))).toHaveLength(82);
    expect(describeValue(stack)).toBe('construct S');
    expect(describeValue(Token.asString(Lazy.string({ produce: () => 'x' })))).toBe('<token>');
    expect(describeValue({ a: 1 })).toBe('{"a":1}');
  });
});
