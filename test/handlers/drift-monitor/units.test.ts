import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../lib/handlers/drift-monitor/config';
import { ENV } from '../../../lib/handlers/drift-monitor/contract';
import { batches, metricValue } from '../../../lib/handlers/drift-monitor/metrics';
import {
  capturePrefixes,
  hourPath,
  inWindow,
  reportTimestamp,
  windowEndingAt,
} from '../../../lib/handlers/drift-monitor/window';

describe('analysis window', () => {
  it('ends on the minute and spans the configured minutes', () => {
    const w = windowEndingAt(new Date('2025-03-09T23:59:59.900Z'), 90);
    expect(w.end.toISOString()).toBe('2025-03-09T23:59:00.000Z');
    expect(w.start.toISOString()).toBe('2025-03-09T22:29:00.000Z');
  });

  it('lists the capture hour prefixes of the window plus the hour before, across a day boundary', () => {
    const w = windowEndingAt(new Date('2025-01-01T00:30:00Z'), 60);
    expect(capturePrefixes('dc/', 'ep', 'primary', w)).toEqual([
      'dc/ep/primary/2024/12/31/22/',
      'dc/ep/primary/2024/12/31/23/',
      'dc/ep/primary/2025/01/01/00/',
    ]);
    expect(hourPath(new Date('2025-02-03T04:05:06Z'))).toBe('2025/02/03/04/');
  });

  it('keeps objects modified in (start, end]', () => {
    const w = { start: new Date('2025-01-01T09:00:00Z'), end: new Date('2025-01-01T10:00:00Z') };
    expect(inWindow(new Date('2025-01-01T09:00:00Z'), w)).toBe(false);
    expect(inWindow(new Date('2025-01-01T09:00:00.001Z'), w)).toBe(true);
    expect(inWindow(new Date('2025-01-01T10:00:00Z'), w)).toBe(true);
    expect(inWindow(undefined, w)).toBe(false);
  });

  it('stamps report keys without colons', () => {
    expect(reportTimestamp(new Date('2025-01-01T10:00:00.000Z'))).toBe('2025-01-01T10-00-00Z');
  });
});

describe('metric helpers', () => {
  it('keeps values inside the range CloudWatch accepts', () => {
    expect(metricValue(1e-173)).toBe(0);
    expect(metricValue(0.5)).toBe(0.5);
    expect(metricValue(Number.NaN)).toBe(0);
    expect(metricValue(Number.POSITIVE_INFINITY)).toBe(2 ** 360);
  });

  it('splits into batches of at most 1000', () => {
    expect(batches(Array.from({ length: 2001 }, (_, i) => i)).map((b) => b.length)).toEqual([1000, 1000, 1]);
    expect(batches([])).toEqual([]);
  });
});

describe('configuration', () => {
  const env = {
    [ENV.endpointName]: 'ep',
    [ENV.captureBucket]: 'cap',
    [ENV.baselineKey]: 'b.json',
    [ENV.reportKmsKeyId]: 'arn:aws:kms:eu-west-1:1:key/x',
  };

  it('defaults the variant, buckets, prefixes and thresholds', () => {
    expect(parseConfig(env)).toMatchObject({
      variantName: 'primary',
      capturePrefix: '',
      baselineBucket: 'cap',
      reportBucket: 'cap',
      reportPrefix: 'drift-reports/',
      windowMinutes: 60,
      psiThreshold: 0.2,
      pValue: 0.01,
      minSampleSize: 100,
      driftedShareThreshold: 0.3,
    });
  });

  it('names the variable, the value and the range of a bad setting', () => {
    expect(() => parseConfig({ ...env, [ENV.capturePrefix]: 'no-slash' })).toThrow(
      'DRIFT_CAPTURE_PREFIX: is not a key prefix (got "no-slash"; expected "" or a prefix ending in "/" and not starting with "/")',
    );
    expect(() => parseConfig({ ...env, [ENV.minSampleSize]: '1.5' })).toThrow(
      /^DRIFT_MIN_SAMPLE_SIZE: is out of range/,
    );
    expect(() => parseConfig({ ...env, [ENV.expectedSchemaHash]: 'md5:1' })).toThrow(
      /^DRIFT_EXPECTED_SCHEMA_HASH: is not a schema hash/,
    );
  });
});
