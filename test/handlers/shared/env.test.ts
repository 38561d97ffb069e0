import { describe, expect, it } from 'vitest';
import {
  API_REQUEST_TIMEOUT,
  ConfigError,
  envInt,
  envNumber,
  envPrefix,
  envRequired,
  envRetry,
  STREAMING_REQUEST_TIMEOUT,
} from '../../../lib/handlers/shared/env';

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

describe('envRequired', () => {
  it('returns the value as it is, white space included', () => {
    expect(envRequired({ X: 'bucket' }, 'X')).toBe('bucket');
    expect(envRequired({ X: ' bucket ' }, 'X')).toBe(' bucket ');
  });

  it.each([
    [{}, 'X: is required (got null; expected a non-empty string)'],
    [{ X: undefined }, 'X: is required (got null; expected a non-empty string)'],
    [{ X: '' }, 'X: is required (got ""; expected a non-empty string)'],
    [{ X: ' \t' }, 'X: is required (got " \\t"; expected a non-empty string)'],
  ])('refuses %j with one ConfigError naming the variable', (env, message) => {
    expect(() => envRequired(env, 'X')).toThrow(new ConfigError(message));
    expect(() => envRequired(env, 'X')).toThrow(ConfigError);
  });
});

describe('envPrefix', () => {
  const folder = 'expected a prefix ending in "/" and not starting with "/"';
  const orEmpty = 'expected "" or a prefix ending in "/" and not starting with "/"';

  describe('required, a folder (the default)', () => {
    it('reads a prefix ending in "/"', () => {
      expect(envPrefix({ X: 'reports/' }, 'X')).toBe('reports/');
      expect(envPrefix({ X: 'a/b/' }, 'X', { folder: true })).toBe('a/b/');
    });

    it.each([
      [{}, 'X: is required (got null; expected a non-empty string)'],
      [{ X: '' }, 'X: is required (got ""; expected a non-empty string)'],
      [{ X: '  ' }, 'X: is required (got "  "; expected a non-empty string)'],
      [{ X: 'reports' }, `X: is not a key prefix (got "reports"; ${folder})`],
      [{ X: '/reports/' }, `X: is not a key prefix (got "/reports/"; ${folder})`],
    ])('refuses %j', (env, message) => {
      expect(() => envPrefix(env, 'X')).toThrow(new ConfigError(message));
    });
  });

  describe('required, not a folder', () => {
    it('reads a prefix without the trailing "/" (every version: `<tier>/<dataset>/v`)', () => {
      expect(envPrefix({ X: 'raw/sales/v' }, 'X', { folder: false })).toBe('raw/sales/v');
      expect(envPrefix({ X: 'raw/sales/' }, 'X', { folder: false })).toBe('raw/sales/');
    });

    it.each([
      [{}, 'X: is required (got null; expected a non-empty string)'],
      [{ X: '' }, 'X: is required (got ""; expected a non-empty string)'],
      [{ X: ' ' }, 'X: is required (got " "; expected a non-empty string)'],
      [
        { X: '/raw/sales/v' },
        'X: is not a key prefix (got "/raw/sales/v"; expected a prefix not starting with "/")',
      ],
    ])('refuses %j', (env, message) => {
      expect(() => envPrefix(env, 'X', { folder: false })).toThrow(new ConfigError(message));
    });
  });

  describe('empty allowed', () => {
    it('reads "" and prefixes ending in "/"', () => {
      expect(envPrefix({ X: '' }, 'X', { emptyAllowed: true })).toBe('');
      expect(envPrefix({ X: 'labels/' }, 'X', { emptyAllowed: true })).toBe('labels/');
    });

    it('uses the fallback only when the variable is unset, not when it is ""', () => {
      expect(envPrefix({}, 'X', { emptyAllowed: true, fallback: 'drift-reports/' })).toBe('drift-reports/');
      expect(envPrefix({}, 'X', { emptyAllowed: true, fallback: '' })).toBe('');
      expect(envPrefix({ X: '' }, 'X', { emptyAllowed: true, fallback: 'drift-reports/' })).toBe('');
      expect(envPrefix({ X: 'mine/' }, 'X', { emptyAllowed: true, fallback: 'drift-reports/' })).toBe(
        'mine/',
      );
    });

    it('checks the fallback like a value', () => {
      expect(() => envPrefix({}, 'X', { emptyAllowed: true, fallback: 'reports' })).toThrow(
        new ConfigError(`X: is not a key prefix (got "reports"; ${orEmpty})`),
      );
    });

    it.each([
      [{}, `X: is not a key prefix (got null; ${orEmpty})`],
      [{ X: ' ' }, `X: is not a key prefix (got " "; ${orEmpty})`],
      [{ X: 'labels' }, `X: is not a key prefix (got "labels"; ${orEmpty})`],
      [{ X: '/labels/' }, `X: is not a key prefix (got "/labels/"; ${orEmpty})`],
    ])('refuses %j without a fallback', (env, message) => {
      expect(() => envPrefix(env, 'X', { emptyAllowed: true })).toThrow(new ConfigError(message));
    });
  });
});

describe('envRetry', () => {
  const names = { maxAttempts: 'H_MAX_ATTEMPTS', requestTimeoutMs: 'H_REQUEST_TIMEOUT_MS' };

  it('falls back to 8 attempts of 10 s when both are unset or empty', () => {
    expect(envRetry({}, names)).toEqual({ maxAttempts: 8, requestTimeoutMs: 10_000 });
    expect(envRetry({ H_MAX_ATTEMPTS: '', H_REQUEST_TIMEOUT_MS: '' }, names)).toEqual({
      maxAttempts: 8,
      requestTimeoutMs: 10_000,
    });
    expect(envRetry({}, names, API_REQUEST_TIMEOUT)).toEqual({ maxAttempts: 8, requestTimeoutMs: 10_000 });
  });

  it('reads both at their bounds, inclusive', () => {
    expect(envRetry({ H_MAX_ATTEMPTS: '1', H_REQUEST_TIMEOUT_MS: '100' }, names)).toEqual({
      maxAttempts: 1,
      requestTimeoutMs: 100,
    });
    expect(envRetry({ H_MAX_ATTEMPTS: '20', H_REQUEST_TIMEOUT_MS: '60000' }, names)).toEqual({
      maxAttempts: 20,
      requestTimeoutMs: 60_000,
    });
  });

  it.each([
    [
      { H_MAX_ATTEMPTS: '0' },
      'H_MAX_ATTEMPTS: is out of range (got "0"; expected an integer >= 1 and <= 20)',
    ],
    [
      { H_MAX_ATTEMPTS: '21' },
      'H_MAX_ATTEMPTS: is out of range (got "21"; expected an integer >= 1 and <= 20)',
    ],
    [
      { H_MAX_ATTEMPTS: '2.5' },
      'H_MAX_ATTEMPTS: is out of range (got "2.5"; expected an integer >= 1 and <= 20)',
    ],
    [
      { H_REQUEST_TIMEOUT_MS: '99' },
      'H_REQUEST_TIMEOUT_MS: is out of range (got "99"; expected an integer >= 100 and <= 60000)',
    ],
    [
      { H_REQUEST_TIMEOUT_MS: '60001' },
      'H_REQUEST_TIMEOUT_MS: is out of range (got "60001"; expected an integer >= 100 and <= 60000)',
    ],
  ])('refuses %j with one ConfigError naming the variable', (env, message) => {
    expect(() => envRetry(env, names)).toThrow(new ConfigError(message));
  });

  it('gives streaming steps 30 s per request, at most 300 s', () => {
    expect(envRetry({}, names, STREAMING_REQUEST_TIMEOUT)).toEqual({
      maxAttempts: 8,
      requestTimeoutMs: 30_000,
    });
    expect(
      envRetry({ H_REQUEST_TIMEOUT_MS: '300000' }, names, STREAMING_REQUEST_TIMEOUT).requestTimeoutMs,
    ).toBe(300_000);
    expect(() => envRetry({ H_REQUEST_TIMEOUT_MS: '300001' }, names, STREAMING_REQUEST_TIMEOUT)).toThrow(
      new ConfigError(
        'H_REQUEST_TIMEOUT_MS: is out of range (got "300001"; expected an integer >= 100 and <= 300000)',
      ),
    );
  });

  it('takes other timeout bounds; the attempts stay 8 (1 to 20)', () => {
    const timeout = { fallbackMs: 10_000, maxMs: 120_000 };
    expect(envRetry({}, names, timeout)).toEqual({ maxAttempts: 8, requestTimeoutMs: 10_000 });
    expect(envRetry({ H_REQUEST_TIMEOUT_MS: '120000' }, names, timeout).requestTimeoutMs).toBe(120_000);
    expect(() => envRetry({ H_MAX_ATTEMPTS: '21' }, names, timeout)).toThrow(
      'H_MAX_ATTEMPTS: is out of range (got "21"; expected an integer >= 1 and <= 20)',
    );
  });
});
