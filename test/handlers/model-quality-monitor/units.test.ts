import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../../lib/handlers/model-quality-monitor';
import {
  baselineFromStatistics,
  degradation,
  statisticsKey,
} from '../../../lib/handlers/model-quality-monitor/baseline';
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

describe('package baseline', () => {
  // Model Monitor's statistics names: https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-model-quality-metrics.html
  it('reads each problem type’s section by Model Monitor’s snake_case names', () => {
    expect(
      (['f1', 'auc', 'weightedF1', 'macroPrecision', 'rmse'] as const).map((m) => statisticsKey(m)),
    ).toEqual(['f1', 'auc', 'weighted_f1', 'macro_precision', 'rmse']);
    expect(
      baselineFromStatistics(
        { multiclass_classification_metrics: { weighted_f1: { value: 0.7 }, accuracy: { value: 0.8 } } },
        'multiclassClassification',
        ['weightedF1', 'accuracy'],
      ),
    ).toEqual({ ok: true, values: { weightedF1: 0.7, accuracy: 0.8 } });
    expect(
      baselineFromStatistics({ regression_metrics: { rmse: { value: 'NaN' } } }, 'regression', ['rmse']),
    ).toEqual({
      ok: false,
      reason: 'the statistics have no regression_metrics.rmse.value',
    });
  });

  it('reads a pipeline evaluation report (metrics.auc.value) when there is no Model Monitor section', () => {
    expect(
      baselineFromStatistics({ metrics: { auc: { value: 0.8 } } }, 'binaryClassification', ['auc']),
    ).toEqual({
      ok: true,
      values: { auc: 0.8 },
    });
    expect(baselineFromStatistics({}, 'binaryClassification', ['auc'])).toEqual({
      ok: false,
      reason: 'the statistics have no binary_classification_metrics (nor metrics)',
    });
  });

  it('measures degradation so that worse is positive: absolute for classification, relative for regression', () => {
    expect(degradation('binaryClassification', 0.9, 0.8)).toBeCloseTo(0.1, 12);
    expect(degradation('regression', 2, 2.5)).toBe(0.25);
  });
});
