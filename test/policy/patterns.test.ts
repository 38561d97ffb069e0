import { describe, expect, it } from 'vitest';
import { MAX_PATTERN_VALUES, patternMatches, patternValues } from '../../lib/policy/rule-helpers/patterns';

// AllowedPattern is matched against the whole value
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html).
describe('AllowedPattern reading', () => {
  it('matches a value as a whole, anchored or not', () => {
    expect(patternMatches('true', 'true')).toBe(true);
    expect(patternMatches('true', 'untrue')).toBe(false);
    expect(patternMatches('^[a-z]+$', 'abc')).toBe(true);
  });
  it('does not answer for Java-only syntax or a pattern that does not compile', () => {
    expect(patternMatches('\\p{Alpha}+', 'abc')).toBeUndefined();
    expect(patternMatches('a++', 'aa')).toBeUndefined();
    expect(patternMatches('(?i)true', 'TRUE')).toBeUndefined();
    expect(patternMatches('(', 'x')).toBeUndefined();
  });
  it('lists the strings of a finite pattern', () => {
    expect(patternValues('^(true|false)$')).toEqual(['true', 'false']);
    expect(patternValues('ml\\.[mc]5d?\\.large')).toEqual([
      'ml.m5.large',
      'ml.m5d.large',
      'ml.c5.large',
      'ml.c5d.large',
    ]);
    expect(patternValues('v[1-3]')).toEqual(['v1', 'v2', 'v3']);
    expect(patternValues('(?:ab){1,2}')).toEqual(['ab', 'abab']);
    expect(patternValues('a\\-b')).toEqual(['a-b']);
  });
  it('lists nothing for an open pattern or one with more strings than it lists', () => {
    for (const open of ['[a-z]+', '.*', 'a*', 'x{2,}', '\\w', '[^a]', '(?=a)a', '\\d\\d'])
      expect(patternValues(open), open).toBeUndefined();
    expect(MAX_PATTERN_VALUES).toBeLessThan(100);
  });
});
