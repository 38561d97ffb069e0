import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  analyzeBias,
  analyzeBiasFile,
  BiasAccumulator,
  BiasInputError,
  crossesThreshold,
  formatOfPath,
  parseColumnSpec,
  evaluateCondition,
  type BiasReport,
} from '../../lib/fairness';

const FIXTURE = join(__dirname, 'fixtures', 'loans.csv');
const CSV = readFileSync(FIXTURE, 'utf8');
const OPTIONS = {
  label: 'churned=1',
  predictions: 'score:>=0.5',
  group: 'region',
  facets: ['gender=female', 'age:>=40'],
  categorical: ['zip'],
};

/** The fixture as JSON lines, numbers as JSON numbers, blank cells as null. */
function asJsonLines(csv: string): string {
  const [header, ...rows] = csv
    .trim()
    .split('\n')
    .map((l) => l.split(','));
  return rows
    .map((r) =>
      JSON.stringify(
        Object.fromEntries(
          header.map((h, i) => [h, r[i] === '' ? null : /^[\d.]+$/.test(r[i]) ? Number(r[i]) : r[i]]),
        ),
      ),
    )
    .join('\n');
}

async function reject(p: Promise<unknown>, reason: string, message: RegExp): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BiasInputError);
  expect((err as BiasInputError).reason).toBe(reason);
  expect((err as BiasInputError).message).toMatch(message);
}

describe('analyzeBias', () => {
  it('gives the same report whatever the chunking of the stream (bounded memory, chunk boundaries anywhere)', async () => {
    const whole = await analyzeBias(CSV, { ...OPTIONS, format: 'csv' });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: CSV.length - 1 }), { maxLength: 12 }),
        async (cuts) => {
          const points = [...new Set(cuts)].sort((x, y) => x - y);
          const chunks = [0, ...points].map((p, i) => CSV.slice(p, points[i] ?? CSV.length));
          const bytes = chunks.map((c) => new TextEncoder().encode(c));
          expect(await analyzeBias(Readable.from(bytes), { ...OPTIONS, format: 'csv' })).toEqual(whole);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('reads JSON lines to the same numbers as the CSV (JSON numbers and nulls)', async () => {
    const fromCsv = await analyzeBias(CSV, { ...OPTIONS, format: 'csv' });
    const fromJson = await analyzeBias(asJsonLines(CSV), { ...OPTIONS, format: 'jsonl' });
    expect(fromJson.facets).toEqual(fromCsv.facets);
    expect(fromJson.proxies).toEqual(fromCsv.proxies);
  });

  it('accounts for every row: missing facet values and group values are excluded where they matter only', async () => {
    const r = await analyzeBias(CSV, { ...OPTIONS, format: 'csv' });
    expect(r.input).toEqual({
      rows: 80,
      used: 80,
      rejected: { missingLabel: 0, invalidLabel: 0, missingPrediction: 0, invalidPrediction: 0 },
      facetExcluded: { 'gender=female': 1, 'age:>=40': 1 },
      withoutGroup: 1,
    });
    const female = r.facets[0];
    expect(female.a.rows + female.d.rows).toBe(79);
  });

  it('rejects rows whose label or prediction is missing or not a number under a threshold', async () => {
    const text = 'y,p,g\n1,0.9,a\n,0.2,b\nx,0.3,a\n0,,b\n0,high,a\n1,0.1,b\n';
    const r = await analyzeBias(text, {
      label: 'y:>=1',
      predictions: 'p:>=0.5',
      facets: ['g=a'],
      format: 'csv',
    });
    expect(r.input.rejected).toEqual({
      missingLabel: 1,
      invalidLabel: 1,
      missingPrediction: 1,
      invalidPrediction: 1,
    });
    expect(r.input.used).toBe(2);
  });

  it('compares each value in turn for a bare facet, most frequent first', async () => {
    const r = await analyzeBias(CSV, { label: 'churned', facets: ['gender'], format: 'csv' });
    expect(r.facets.map((f) => f.facet)).toEqual(['gender=female', 'gender=male', 'gender=nonbinary']);
    expect(r.facets.every((f) => f.postTraining.length === 0)).toBe(true);
    const ci = r.facets[2].preTraining.find((m) => m.metric === 'CI')!;
    expect(ci.value).toBeGreaterThan(0.5); // nonbinary is the small facet d
  });

  it('gives a defined result with a reason for a facet value present in every row (empty facet a)', async () => {
    const r = await analyzeBias('y,g\n1,x\n0,x\n', { label: 'y', facets: ['g'], format: 'csv' });
    const m = r.facets[0].preTraining;
    expect(m.find((v) => v.metric === 'CI')!.value).toBe(-1);
    expect(m.find((v) => v.metric === 'DPL')).toMatchObject({ value: null, reason: 'facet a has no rows' });
  });

  it('marks the metrics that cross their thresholds: |x| > t, DI outside [t, 1/t]', async () => {
    const r = await analyzeBias(CSV, {
      ...OPTIONS,
      format: 'csv',
      failOn: { DPL: 0.2, DI: 0.8, CI: 0.9 },
    });
    const female = r.facets[0];
    const dpl = female.preTraining.find((m) => m.metric === 'DPL')!;
    expect(dpl).toMatchObject({ threshold: 0.2, crossed: Math.abs(dpl.value!) > 0.2 });
    const ci = female.preTraining.find((m) => m.metric === 'CI')!;
    expect(ci).toMatchObject({ threshold: 0.9, crossed: false });
    expect(r.summary.crossed.map((c) => `${c.facet} ${c.metric}`)).toEqual(
      r.facets.flatMap((f) =>
        [...f.preTraining, ...f.postTraining].filter((m) => m.crossed).map((m) => `${f.facet} ${m.metric}`),
      ),
    );
    expect(r.summary.anyCrossed).toBe(true);
    expect(crossesThreshold('DI', 0.79, 0.8)).toBe(true);
    expect(crossesThreshold('DI', 1.26, 0.8)).toBe(true);
    expect(crossesThreshold('DI', 1.2, 0.8)).toBe(false);
    expect(crossesThreshold('DPL', -0.3, 0.2)).toBe(true);
    expect(crossesThreshold('DPL', null, 0.2)).toBe(false);
  });

  it('ranks proxies strongest first and flags those above the threshold (zip stands in for gender)', async () => {
    const r = await analyzeBias(CSV, { ...OPTIONS, format: 'csv', proxyThreshold: 0.5 });
    const values = r.proxies.map((p) => p.value ?? -1);
    expect(values).toEqual([...values].sort((x, y) => y - x));
    const zip = r.proxies.find((p) => p.facet === 'gender=female' && p.column === 'zip')!;
    expect(zip).toMatchObject({ measure: 'cramersV', flagged: true });
    expect(r.proxies.every((p) => p.flagged === (p.value !== null && p.value > 0.5))).toBe(true);
    // The label, the predictions and the facet's own column are never proxy candidates.
    expect(r.proxies.some((p) => ['churned', 'score'].includes(p.column))).toBe(false);
    expect(r.proxies.some((p) => p.facet === 'gender=female' && p.column === 'gender')).toBe(false);
  });

  it('fails with a reason: empty data, a missing column, no usable row, bad CSV, bad JSON', async () => {
    await reject(analyzeBias('', { ...OPTIONS, format: 'csv' }), 'emptyData', /no header row/);
    await reject(
      analyzeBias('churned,gender\n', { label: 'churned', facets: ['gender'], format: 'csv' }),
      'emptyData',
      /no rows/,
    );
    await reject(
      analyzeBias(CSV, { ...OPTIONS, group: 'dept', format: 'csv' }),
      'missingColumn',
      /no column "dept" in the data/,
    );
    await reject(
      analyzeBias('{"y":1}\n', { label: 'y', facets: ['g=a'], format: 'jsonl' }),
      'missingColumn',
      /no record has column "g"/,
    );
    await reject(
      analyzeBias('y,g\n,a\n,b\n', { label: 'y', facets: ['g=a'], format: 'csv' }),
      'noUsableRows',
      /none of the 2 rows has a usable label \(missingLabel 2\)/,
    );
    await reject(
      analyzeBias('y,g\n1,"a\n', { label: 'y', facets: ['g'], format: 'csv' }),
      'badData',
      /malformed CSV/,
    );
    await reject(
      analyzeBias('y,g\n1\n', { label: 'y', facets: ['g'], format: 'csv' }),
      'badData',
      /record 2 has 1 fields/,
    );
    await reject(
      analyzeBias('{"y":1,"g":"a"}\nnope\n', { label: 'y', facets: ['g'], format: 'jsonl' }),
      'badData',
      /line 2 is not valid JSON/,
    );
  });

  it('caps distinct facet values and groups instead of growing without bound', async () => {
    const rows = Array.from({ length: 12 }, (_, i) => `1,v${i},r${i}`).join('\n');
    await reject(
      analyzeBias(`y,g,r\n${rows}\n`, { label: 'y', facets: ['g'], format: 'csv', maxFacetValues: 10 }),
      'tooManyValues',
      /--facet g: more than 10 distinct values \(give one value, g=<value>, or a threshold/,
    );
    await reject(
      analyzeBias(`y,g,r\n${rows}\n`, {
        label: 'y',
        facets: ['g=v1'],
        group: 'r',
        format: 'csv',
        maxGroups: 5,
      }),
      'tooManyValues',
      /--group r: more than 5 distinct values/,
    );
  });

  it('rejects bad options before reading: unknown metric, bad threshold, duplicate facet, facet = label', () => {
    const bad = (options: ConstructorParameters<typeof BiasAccumulator>[0], message: RegExp): void => {
      expect(() => new BiasAccumulator(options)).toThrow(message);
    };
    bad({ label: 'y', facets: ['g'], failOn: { XX: 1 } as never }, /failOn: unknown metric "XX"/);
    bad(
      { label: 'y', facets: ['g'], failOn: { DI: 2 } },
      /failOn\.DI: bad threshold \(got 2; expected a number in \(0, 1\]\)/,
    );
    bad({ label: 'y', facets: ['g', 'g'] }, /--facet: g is given twice/);
    bad({ label: 'y', facets: ['y=1'] }, /--facet: y=1 is the label or predictions column/);
    bad({ label: 'y', facets: [] }, /at least one facet/);
    bad({ label: 'y', facets: ['g'], proxyThreshold: 2 }, /proxyThreshold: bad threshold/);
  });

  it('reads a file, choosing the format from the extension', async () => {
    expect(formatOfPath('a/b.jsonl')).toBe('jsonl');
    expect(formatOfPath('a/b.NDJSON')).toBe('jsonl');
    expect(formatOfPath('a/b.csv')).toBe('csv');
    const r: BiasReport = await analyzeBiasFile(FIXTURE, OPTIONS);
    expect(r.input.rows).toBe(80);
  });
});

describe('specs', () => {
  it('parses column, column=value and column:<op>number', () => {
    expect(parseColumnSpec('gender', '--facet')).toEqual({ column: 'gender' });
    expect(parseColumnSpec('gender=female', '--facet')).toEqual({
      column: 'gender',
      condition: { kind: 'equals', value: 'female' },
    });
    expect(parseColumnSpec('age:>=40', '--facet')).toEqual({
      column: 'age',
      condition: { kind: 'threshold', operator: '>=', threshold: 40 },
    });
    expect(parseColumnSpec('p:<0.5', '--label').condition).toEqual({
      kind: 'threshold',
      operator: '<',
      threshold: 0.5,
    });
  });

  it('rejects malformed specs with the spec and the expected forms', () => {
    expect(() => parseColumnSpec('age:40', '--facet')).toThrow(
      '--facet: the threshold needs an operator >=, >, <= or < (got "age:40"; expected column, column=value or column:>=number)',
    );
    expect(() => parseColumnSpec('age:>=old', '--facet')).toThrow(/the threshold is not a number/);
    expect(() => parseColumnSpec('=x', '--label')).toThrow(/empty column name/);
    expect(() => parseColumnSpec('g=', '--facet')).toThrow(/empty value after =/);
  });

  it('compares values as categories and numbers: 1, 1.0 and JSON 1 all equal =1', () => {
    const one = { kind: 'equals', value: '1' } as const;
    expect(evaluateCondition(one, '1')).toBe(true);
    expect(evaluateCondition(one, '1.0')).toBe(true);
    expect(evaluateCondition(one, 1)).toBe(true);
    expect(evaluateCondition(one, '0')).toBe(false);
    expect(evaluateCondition(one, ' ')).toBe('missing');
    expect(evaluateCondition({ kind: 'equals', value: 'true' }, true)).toBe(true);
    expect(evaluateCondition({ kind: 'threshold', operator: '>', threshold: 1 }, 'x')).toBe('invalid');
  });
});
