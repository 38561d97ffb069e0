import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DriftAccumulator, OTHER_CATEGORY, analyzeCapture } from '../../lib/drift/analysis';
import { BaselineBuilder, buildBaselineFromCsv, type DriftBaseline } from '../../lib/drift/baseline';
import { DriftInputError } from '../../lib/drift/errors';
import { mulberry32 } from '../../lib/drift/random';
import { psi } from '../../lib/drift/stats';

const FIXTURES = join(__dirname, '..', 'fixtures', 'drift');
let baseline: DriftBaseline;

beforeAll(async () => {
  baseline = await buildBaselineFromCsv(createReadStream(join(FIXTURES, 'training.csv')), {
    target: 'label',
    categorical: ['zip'],
  });
});

function smallBaseline(): DriftBaseline {
  const b = new BaselineBuilder(['x', 'c']);
  const rand = mulberry32(5);
  for (let i = 0; i < 2000; i++) b.addRow([String(rand()), rand() < 0.7 ? 'a' : 'b']);
  return b.finish();
}

function csvLine(data: string, id = 'e'): string {
  return JSON.stringify({
    captureData: { endpointInput: { observedContentType: 'text/csv', mode: 'INPUT', data, encoding: 'CSV' } },
    eventMetadata: { eventId: id },
  });
}

describe('drift analysis', () => {
  it('finds no drift in captures from the training distribution', async () => {
    const report = await analyzeCapture(baseline, [createReadStream(join(FIXTURES, 'capture-stable.jsonl'))]);
    expect(report.summary).toMatchObject({
      features: 4,
      evaluatedFeatures: 4,
      driftedFeatures: 0,
      driftedShare: 0,
      anyDrift: false,
    });
    expect(report.input.rows).toBe(400);
    const age = report.features[0];
    expect(age.type).toBe('numeric');
    expect(age.psi).toBeLessThan(0.1);
    expect(age.ks?.method).toBe('asymptotic');
    expect(age.ks?.baselineSampleSize).toBe(baseline.features[0].count);
    expect(age.ks?.observedSampleSize).toBe(age.observedCount);
    expect(report.features[2].chiSquare?.degreesOfFreedom).toBe(2);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('flags the shifted features and reports the share', async () => {
    const report = await analyzeCapture(baseline, [
      readFileSync(join(FIXTURES, 'capture-drifted.jsonl'), 'utf8'),
    ]);
    expect(report.summary.drifted).toEqual(['age', 'segment']);
    expect(report.summary.driftedShare).toBe(0.5);
    const age = report.features[0];
    expect(age.psi).toBeGreaterThan(0.2);
    expect(age.pValue).toBeLessThan(0.01);
    expect(age.reasons).toEqual([
      expect.stringMatching(/^psi .* >= 0.2$/),
      expect.stringMatching(/^p-value .* < 0.01$/),
    ]);
    expect(report.features[2].chiSquare?.pValue).toBeLessThan(0.01);
  });

  it('applies configurable thresholds and the minimum sample size', async () => {
    const lines = readFileSync(join(FIXTURES, 'capture-drifted.jsonl'), 'utf8').split('\n').slice(0, 50);
    const small = await analyzeCapture(baseline, [lines]);
    expect(small.summary.evaluatedFeatures).toBe(0);
    expect(small.summary.anyDrift).toBe(false);
    expect(small.features[0].sufficientData).toBe(false);
    const lenient = await analyzeCapture(baseline, [lines], {
      thresholds: { minSampleSize: 10, psi: 100, pValue: 1e-300 },
    });
    expect(lenient.summary.anyDrift).toBe(false);
    const strict = await analyzeCapture(baseline, [lines], {
      thresholds: { minSampleSize: 10 },
      generatedAt: '2025-01-01T00:00:00Z',
    });
    expect(strict.summary.drifted).toContain('age');
    expect(strict.generatedAt).toBe('2025-01-01T00:00:00Z');
    expect(strict.thresholds).toEqual({ psi: 0.2, pValue: 0.01, minSampleSize: 10 });
  });

  it('bins every observed value for PSI and uses the same formula as the statistics module', () => {
    const b = smallBaseline();
    const acc = new DriftAccumulator(b, { observedSampleSize: 100 });
    for (let i = 0; i < 500; i++) acc.addValues([String(i < 250 ? 0.05 : 0.95), 'a']);
    const r = acc.report();
    const x = b.features[0];
    if (x.type !== 'numeric') throw new Error('x is numeric');
    const observedBins = [250, 0, 0, 0, 0, 0, 0, 0, 0, 250];
    expect(r.features[0].psi).toBeCloseTo(psi(x.binCounts, observedBins), 12);
    // KS used the bounded reservoir, PSI all 500 values.
    expect(r.features[0].ks?.observedSampleSize).toBe(100);
    expect(r.features[0].observedCount).toBe(500);
  });

  it('pools unseen categories into an other bin with a floored baseline share', () => {
    const b = smallBaseline();
    const acc = new DriftAccumulator(b);
    for (let i = 0; i < 200; i++) acc.addValues(['0.5', i % 10 === 0 ? 'zzz' : i % 3 === 0 ? 'b' : 'a']);
    acc.addValues(['0.5', 'yyy']);
    const c = acc.report().features[1];
    expect(c.chiSquare).toMatchObject({ unseenCategories: 2, unseenCount: 21, degreesOfFreedom: 2 });
    expect(c.drifted).toBe(true);
    expect(OTHER_CATEGORY).toBe('__other__');
  });

  it('counts missing and non-numeric values separately from the statistics', () => {
    const acc = new DriftAccumulator(smallBaseline());
    acc.addValues(['', 'a']);
    acc.addValues(['abc', null]);
    acc.addValues(['0.3', 'a']);
    const [x, c] = acc.report().features;
    expect([x.observedCount, x.invalidValues, x.observedMissingRate]).toEqual([1, 1, 1 / 3]);
    expect([c.observedCount, c.observedMissingRate]).toEqual([2, 1 / 3]);
  });

  it('hands each row correlation id to onRow', async () => {
    const ids: (string | undefined)[] = [];
    const acc = new DriftAccumulator(smallBaseline(), { onRow: (m) => ids.push(m.eventId) });
    await acc.addCaptureLines([csvLine('0.1,a', 'one'), csvLine('0.2,b', 'two')]);
    expect(ids).toEqual(['one', 'two']);
    expect(acc.rows).toBe(2);
  });

  it('reports "no parsable records" and "schema mismatch" as input errors', async () => {
    const garbage = analyzeCapture(baseline, [createReadStream(join(FIXTURES, 'capture-garbage.jsonl'))]);
    await expect(garbage).rejects.toThrow(DriftInputError);
    await expect(garbage).rejects.toMatchObject({
      reason: 'noParsableRecords',
      message: expect.stringMatching(
        /no parsable capture records in 3 lines \(truncatedLine 1, invalidJson 1, notCaptureRecord 1\)/,
      ),
    });
    const other = analyzeCapture(baseline, [createReadStream(join(FIXTURES, 'capture-other-schema.jsonl'))]);
    await expect(other).rejects.toMatchObject({
      reason: 'schemaMismatch',
      message: expect.stringMatching(/50 rows rejected \(50 with 6 columns\), 0 accepted/),
    });
    await expect(analyzeCapture(baseline, [''])).rejects.toMatchObject({ reason: 'noParsableRecords' });
  });

  it('treats a majority of schema-rejected rows as a mismatch, a minority as noise', async () => {
    const b = smallBaseline();
    const mostlyOther = [csvLine('1,2,3'), csvLine('1,2,3'), csvLine('0.5,a')];
    await expect(analyzeCapture(b, [mostlyOther])).rejects.toMatchObject({ reason: 'schemaMismatch' });
    const mostlyGood = [csvLine('1,2,3'), csvLine('0.5,a'), csvLine('0.6,b')];
    const r = await analyzeCapture(b, [mostlyGood]);
    expect(r.input.rejected.wrongColumnCount).toBe(1);
  });
});
