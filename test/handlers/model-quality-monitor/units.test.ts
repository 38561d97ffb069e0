import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../../lib/handlers/model-quality-monitor';
import { ENV } from '../../../lib/handlers/model-quality-monitor/contract';
import { groundTruthPrefixes } from '../../../lib/handlers/model-quality-monitor/run';
import { gunzipIfGzip } from '../../../lib/handlers/model-quality-monitor/store';

const BASE = {
  [ENV.endpointName]: 'churn',
  [ENV.captureBucket]: 'capture',
  [ENV.groundTruthPrefix]: 'ground-truth/churn/',
  [ENV.problemType]: 'binaryClassification',
};

async function text(r: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of r) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks).toString('utf8');
}

describe('config', () => {
  it('applies the defaults', () => {
    expect(parseConfig(BASE)).toMatchObject({
      variantName: 'primary',
      groundTruthBucket: 'capture',
      positiveLabel: '1',
      classificationOutput: 'probability',
      probabilityThreshold: 0.5,
      maxLabelDelayMinutes: 1440,
      minSamples: 100,
      maxPendingLabels: 1_000_000,
    });
  });

  it('refuses a malformed environment with the variable, the value and what was expected', () => {
    expect(() => parseConfig({ ...BASE, [ENV.problemType]: 'multiclass' })).toThrow(
      new ConfigError(
        `${ENV.problemType}: is not supported (got "multiclass"; expected one of binaryClassification, multiclassClassification, regression)`,
      ),
    );
    expect(() => parseConfig({ ...BASE, [ENV.groundTruthPrefix]: 'no-slash' })).toThrow(
      /QUALITY_GROUND_TRUTH_PREFIX: is not a key prefix/,
    );
    expect(() => parseConfig({ ...BASE, [ENV.probabilityThreshold]: '1.5' })).toThrow(
      /QUALITY_PROBABILITY_THRESHOLD: is out of range/,
    );
    const { [ENV.groundTruthPrefix]: _omit, ...noPrefix } = BASE;
    expect(() => parseConfig(noPrefix)).toThrow(/QUALITY_GROUND_TRUTH_PREFIX/);
  });
});

describe('gunzipIfGzip', () => {
  it('passes plain text through and gunzips gzip, even when the magic bytes arrive in two chunks', async () => {
    expect(await text(await gunzipIfGzip(Readable.from([Buffer.from('a\nb\n')])))).toBe('a\nb\n');
    const gz = gzipSync('line 1\nline 2\n');
    const split = Readable.from([gz.subarray(0, 1), gz.subarray(1, 7), gz.subarray(7)]);
    expect(await text(await gunzipIfGzip(split))).toBe('line 1\nline 2\n');
    expect(await text(await gunzipIfGzip(Readable.from([])))).toBe('');
  });

  it('fails the stream on a corrupt gzip body instead of yielding partial text', async () => {
    const gz = gzipSync('x'.repeat(1000));
    const corrupt = Buffer.concat([gz.subarray(0, 12), Buffer.alloc(20, 7)]);
    await expect(text(await gunzipIfGzip(Readable.from([corrupt])))).rejects.toThrow();
  });
});

describe('groundTruthPrefixes', () => {
  it('lists the hours of the window and the hour before, in the data capture layout', () => {
    const w = { start: new Date('2025-01-02T09:00:00Z'), end: new Date('2025-01-02T11:00:00Z') };
    expect(groundTruthPrefixes('gt/', w)).toEqual([
      'gt/2025/01/02/08/',
      'gt/2025/01/02/09/',
      'gt/2025/01/02/10/',
    ]);
  });
});
