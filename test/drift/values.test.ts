import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isMissing, toCategory, toNumber } from '../../lib/drift/values';

describe('cell values', () => {
  it('treats null, undefined and blank strings as missing, nothing else', () => {
    for (const v of [null, undefined, '', ' ', '\t \r']) expect(isMissing(v)).toBe(true);
    for (const v of ['0', 'NA', ' x', 0, false, 'None']) expect(isMissing(v)).toBe(false);
  });

  it('parses decimal literals and rejects everything else', () => {
    expect([
      toNumber('12'),
      toNumber(' -3.5 '),
      toNumber('.5'),
      toNumber('1e-3'),
      toNumber('+7.'),
      toNumber(4),
    ]).toEqual([12, -3.5, 0.5, 0.001, 7, 4]);
    for (const v of [
      '0x10',
      '0X1f',
      '0b101',
      '0o17',
      'Infinity',
      '-Infinity',
      'NaN',
      '1,5',
      '1_000',
      '.',
      '',
      '  ',
      'abc',
      true,
      null,
      Infinity,
    ])
      expect(toNumber(v)).toBeNaN();
  });

  it('agrees with a decimal-literal grammar on arbitrary strings (property)', () => {
    const grammar = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
    const chars = fc.constantFrom(...'0123456789+-.eExXbo _,aI \t'.split(''));
    fc.assert(
      fc.property(fc.string({ unit: chars, maxLength: 12 }), (s) => {
        const t = s.trim();
        const expected = grammar.test(t) ? Number(t) : NaN;
        const got = toNumber(s);
        if (Number.isNaN(expected) || !Number.isFinite(expected)) expect(got).toBeNaN();
        else expect(got).toBe(expected);
      }),
      { seed: 7, numRuns: 2000 },
    );
  });

  it('names categories by trimmed string, String() or JSON', () => {
    expect([toCategory(' a '), toCategory(3), toCategory(true), toCategory({ k: 1 })]).toEqual([
      'a',
      '3',
      'true',
      '{"k":1}',
    ]);
  });
});
