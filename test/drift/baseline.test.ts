import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BaselineBuilder,
  buildBaselineFromCsv,
  buildBaselineFromJsonLines,
  parseBaseline,
  schemaHashOf,
  type DriftBaseline,
  type NumericFeatureBaseline,
} from '../../lib/drift/baseline';
import { DriftInputError } from '../../lib/drift/errors';
import { Reservoir } from '../../lib/drift/random';

const FIXTURES = join(__dirname, '..', 'fixtures', 'drift');

function numeric(b: DriftBaseline, name: string): NumericFeatureBaseline {
  const f = b.features.find((x) => x.name === name);
  if (!f || f.type !== 'numeric') throw new Error(`${name} is not numeric`);
  return f;
}

async function expectInputError(
  p: Promise<unknown> | (() => unknown),
  reason: string,
  message: RegExp,
): Promise<void> {
  let caught: unknown;
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(DriftInputError);
  expect((caught as DriftInputError).reason).toBe(reason);
  expect((caught as DriftInputError).message).toMatch(message);
}

describe('baseline from training data', () => {
  it('computes decile edges, bin counts and moments of a numeric column', () => {
    const b = new BaselineBuilder(['x']);
    for (let i = 1; i <= 100; i++) b.addRow([String(i)]);
    const f = numeric(b.finish(), 'x');
    expect(f.binEdges[0]).toBe(1);
    expect(f.binEdges[1]).toBeCloseTo(10.9, 12);
    expect(f.binEdges[5]).toBeCloseTo(50.5, 12);
    expect(f.binEdges[10]).toBe(100);
    expect(f.binCounts).toEqual([10, 10, 10, 10, 10, 10, 10, 10, 10, 10]);
    expect(f.mean).toBeCloseTo(50.5, 12);
    // Sample std of 1..100: sqrt(100·101/12) = 29.011491975882016
    expect(f.std).toBeCloseTo(29.011491975882016, 10);
    expect([f.min, f.max, f.count, f.missing, f.missingRate]).toEqual([1, 100, 100, 0, 0]);
  });

  it('types columns: numeric unless a value is text or the column is listed categorical', () => {
    const b = new BaselineBuilder(['n', 'mixed', 'code', 'empty'], { categorical: ['code'] });
    b.addRow(['1', '1', '7', '']);
    b.addRow([' 2.5 ', 'x', '7', '']);
    b.addRow(['', '1', '8', ' ']);
    const out = b.finish();
    expect(out.features.map((f) => [f.name, f.type])).toEqual([
      ['n', 'numeric'],
      ['mixed', 'categorical'],
      ['code', 'categorical'],
      ['empty', 'categorical'],
    ]);
    const mixed = out.features[1];
    expect(mixed.type === 'categorical' && mixed.categories).toEqual([
      { value: '1', count: 2 },
      { value: 'x', count: 1 },
    ]);
    expect(out.features[0].missingRate).toBeCloseTo(1 / 3, 12);
    expect(out.features[3].missingRate).toBe(1);
  });

  it('excludes the target column and hashes the remaining schema', async () => {
    const b = await buildBaselineFromCsv(createReadStream(join(FIXTURES, 'training.csv')), {
      target: 'label',
      categorical: ['zip'],
    });
    expect(b.features.map((f) => `${f.name}:${f.type}`)).toEqual([
      'age:numeric',
      'income:numeric',
      'segment:categorical',
      'zip:categorical',
    ]);
    expect(b.target).toBe('label');
    expect(b.rowCount).toBe(5000);
    expect(b.schemaHash).toBe(schemaHashOf(b.features));
    expect(b.schemaHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    const segment = b.features[2];
    expect(segment.type === 'categorical' && segment.categories.map((c) => c.value).sort()).toEqual([
      'north, east',
      'retail',
      'smb',
    ]);
    expect(numeric(b, 'age').missing).toBeGreaterThan(0);
  });

  it('reads JSON lines with the same typing as CSV', async () => {
    const b = await buildBaselineFromJsonLines(createReadStream(join(FIXTURES, 'training.jsonl')), {
      target: 'label',
      categorical: ['zip'],
    });
    const c = await buildBaselineFromCsv([readFileSync(join(FIXTURES, 'training.csv'), 'utf8')], {
      target: 'label',
      categorical: ['zip'],
    });
    expect(b.schemaHash).toBe(c.schemaHash);
    expect(numeric(b, 'age').binEdges).toEqual(numeric(c, 'age').binEdges);
    expect(numeric(b, 'income').sample).toEqual(numeric(c, 'income').sample);
  });

  it('draws a reproducible reservoir sample of at most sampleSize values', () => {
    const build = (seed: number): NumericFeatureBaseline => {
      const b = new BaselineBuilder(['x'], { seed, sampleSize: 50 });
      for (let i = 0; i < 1000; i++) b.addRow([String(i)]);
      return numeric(b.finish(), 'x');
    };
    expect(build(7).sample).toHaveLength(50);
    expect(build(7).sample).toEqual(build(7).sample);
    expect(build(7).sample).not.toEqual(build(8).sample);
    expect(new Set(build(7).sample).size).toBe(50);
    // Fewer values than the capacity: all of them, in order.
    const small = new BaselineBuilder(['x']);
    for (let i = 0; i < 5; i++) small.addRow([String(i)]);
    expect(numeric(small.finish(), 'x').sample).toEqual([0, 1, 2, 3, 4]);
  });

  it('keeps every value with equal probability (Algorithm R uniformity, chi-square check)', () => {
    // 20 000 reservoirs of 10 out of 100: each value kept ~2000 times.
    const kept = new Array<number>(100).fill(0);
    for (let seed = 0; seed < 2000; seed++) {
      const r = new Reservoir(10, seed);
      for (let i = 0; i < 100; i++) r.offer(i);
      for (const v of r.values) kept[v]++;
    }
    const expected = (2000 * 10) / 100;
    const chi = kept.reduce((s, k) => s + (k - expected) ** 2 / expected, 0);
    // 99 df: the 0.999 quantile is 148.2; a biased sampler lands far above.
    expect(chi).toBeLessThan(148.2);
  });

  it('keeps bin counts summing to the non-missing count (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ min: -1e9, max: 1e9, noNaN: true }), fc.constant(NaN)), {
          minLength: 1,
          maxLength: 300,
        }),
        (xs) => {
          const b = new BaselineBuilder(['x']);
          for (const x of xs) b.addRow([Number.isNaN(x) ? '' : String(x)]);
          const out = b.finish();
          const f = out.features[0];
          if (f.type === 'numeric') {
            expect(f.binCounts.reduce((a, c) => a + c, 0)).toBe(f.count);
            expect(f.binEdges).toEqual([...f.binEdges].sort((a, c) => a - c));
            expect(parseBaseline(JSON.stringify(out))).toEqual(out);
          }
        },
      ),
      { seed: 99, numRuns: 100 },
    );
  });

  it('rejects an empty file, a header-only file and bad columns with one clear line', async () => {
    await expectInputError(buildBaselineFromCsv(['']), 'emptyTrainingData', /empty/);
    await expectInputError(
      buildBaselineFromCsv([readFileSync(join(FIXTURES, 'header-only.csv'), 'utf8')]),
      'emptyTrainingData',
      /header but no data rows/,
    );
    await expectInputError(buildBaselineFromJsonLines('\n\n'), 'emptyTrainingData', /no records/);
    await expectInputError(
      buildBaselineFromJsonLines('{"a":1}\n[1]\n'),
      'badTrainingData',
      /line 2 is not a JSON object/,
    );
    await expectInputError(
      buildBaselineFromJsonLines('{"a":1}\n{oops\n'),
      'badTrainingData',
      /line 2 is not valid JSON/,
    );
    await expectInputError(
      buildBaselineFromCsv(['a,b\n1,2\n3\n']),
      'badTrainingData',
      /record 3 has 1 fields; the header has 2/,
    );
    await expectInputError(buildBaselineFromCsv(['a,a\n1,2\n']), 'badTrainingData', /repeats column "a"/);
    await expectInputError(buildBaselineFromCsv(['a,b\n"1,2\n']), 'badTrainingData', /malformed CSV/);
    await expectInputError(
      buildBaselineFromCsv(['a,b\n1,2\n'], { target: 'y' }),
      'badTrainingData',
      /target column "y" is not in the training data/,
    );
    await expectInputError(
      buildBaselineFromCsv(['a,b\n1,2\n'], { categorical: ['c'] }),
      'badTrainingData',
      /categorical column "c"/,
    );
    await expectInputError(
      buildBaselineFromCsv(['a\n1\n'], { target: 'a' }),
      'badTrainingData',
      /no feature columns/,
    );
  });

  it('rejects a column mixing many distinct numbers with text', () => {
    const b = new BaselineBuilder(['x']);
    for (let i = 0; i < 10_001; i++) b.addRow([String(i)]);
    expect(() => b.addRow(['text'])).toThrow(/mixes numbers and text/);
  });
});

describe('parseBaseline', () => {
  const good = (): DriftBaseline => {
    const b = new BaselineBuilder(['x', 'c']);
    for (let i = 0; i < 30; i++) b.addRow([String(i), i % 2 ? 'a' : 'b']);
    return b.finish();
  };

  it('round-trips a built baseline', () => {
    const b = good();
    expect(parseBaseline(JSON.stringify(b))).toEqual(b);
  });

  it('names the first structural problem by JSON path', async () => {
    await expectInputError(() => parseBaseline('{'), 'malformedBaseline', /not valid JSON/);
    await expectInputError(() => parseBaseline('{}'), 'malformedBaseline', /^kind: /);
    const b = JSON.parse(JSON.stringify(good())) as {
      features: { binEdges?: number[]; binCounts?: number[] }[];
    };
    b.features[0].binEdges = [1, 2];
    await expectInputError(() => parseBaseline(b), 'malformedBaseline', /^features\.0\.binEdges: /);
  });

  it('rejects edges that descend, counts that do not add up and a wrong schema hash', async () => {
    const desc = JSON.parse(JSON.stringify(good())) as {
      features: { binEdges: number[]; binCounts: number[] }[];
      schemaHash: string;
    };
    desc.features[0].binEdges = [...desc.features[0].binEdges].reverse();
    await expectInputError(() => parseBaseline(desc), 'malformedBaseline', /edges must ascend/);
    const counts = JSON.parse(JSON.stringify(good())) as typeof desc;
    counts.features[0].binCounts[0] += 1;
    await expectInputError(() => parseBaseline(counts), 'malformedBaseline', /add up to 31, not count 30/);
    const hash = JSON.parse(JSON.stringify(good())) as typeof desc;
    hash.schemaHash = `sha256:${'0'.repeat(64)}`;
    await expectInputError(
      () => parseBaseline(hash),
      'malformedBaseline',
      /schemaHash: does not match the features/,
    );
  });

  it('reports a schema mismatch against an expected hash', async () => {
    const b = good();
    expect(parseBaseline(b, { expectedSchemaHash: b.schemaHash })).toEqual(b);
    await expectInputError(
      () => parseBaseline(b, { expectedSchemaHash: `sha256:${'1'.repeat(64)}` }),
      'schemaMismatch',
      /is not the expected/,
    );
  });
});
