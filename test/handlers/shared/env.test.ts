import { describe, expect, it } from 'vitest';
import { ConfigError, envInt, envNumber } from '../../../lib/handlers/shared/env';

describe('envNumber / envInt', () => {
  it('falls back when the variable is unset or empty', () => {
    expect(envInt({}, 'X', 7, 1, 10)).toBe(7);
    expect(envInt({ X: '' }, 'X', 7, 1, 10)).toBe(7);
  });

  it('reads values within the bounds, inclusive', () => {
    expect(envInt({ X: '1' }, 'X', 7, 1, 10)).toBe(1);
    expect(envInt({ X: '10' }, 'X', 7, 1, 10)).toBe(10);
    expect(envNumber({ X: '0.5' }, 'X', 1, 0, 1, { exclusiveMin: true })).toBe(0.5);
  });

  it.each([
    [{ X: '11' }, 'X: is out of range (got "11"; expected an integer >= 1 and <= 10)'],
    [{ X: '2.5' }, 'X: is out of range (got "2.5"; expected an integer >= 1 and <= 10)'],
    [{ X: 'many' }, 'X: is out of range (got "many"; expected an integer >= 1 and <= 10)'],
  ])('refuses %j with one ConfigError naming the variable', (env, message) => {
    expect(() => envInt(env, 'X', 7, 1, 10)).toThrow(new ConfigError(message));
    expect(() => envInt(env, 'X', 7, 1, 10)).toThrow(ConfigError);
  });

  it('refuses the minimum itself when it is exclusive', () => {
    expect(() => envNumber({ X: '0' }, 'X', 1, 0, 1, { exclusiveMin: true })).toThrow(
      'X: is out of range (got "0"; expected a number > 0 and <= 1)',
    );
  });
});
