import { createHash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeBias, type BiasReport } from '../../lib/fairness';

// scripts/fairness-reference.py recomputes every metric naively (row lists, no counters) from the
// Clarify formulas, on the committed fixture; its output is test/fairness/reference.json.
// Regenerate with: python3 scripts/fairness-reference.py > test/fairness/reference.json
interface ReferenceCase {
  readonly name: string;
  readonly case: {
    readonly label: string;
    readonly predictions: string;
    readonly group: string | null;
    readonly facets: string[];
    readonly categorical: string[];
  };
  readonly facets: { facet: string; metrics: Record<string, number | null> }[];
  readonly proxies: { facet: string; column: string; measure: string; value: number | null }[];
}

const REFERENCE = JSON.parse(readFileSync(join(__dirname, 'reference.json'), 'utf8')) as {
  fixtureSha256: string;
  cases: ReferenceCase[];
};
const FIXTURE = join(__dirname, 'fixtures', 'loans.csv');
const TOLERANCE = 1e-9;

function near(actual: number | null | undefined, expected: number | null, what: string): void {
  if (expected === null) {
    expect(actual, what).toBeNull();
    return;
  }
  expect(actual, what).not.toBeNull();
  expect(Math.abs((actual as number) - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(
    TOLERANCE,
  );
}

describe('lib/fairness against the independent Python reference (within 1e-9)', () => {
  it('was computed from the committed fixture (an edited fixture needs the script rerun)', () => {
    expect(createHash('sha256').update(readFileSync(FIXTURE)).digest('hex')).toBe(REFERENCE.fixtureSha256);
  });

  it('covers every metric on the reference cases', () => {
    const names = new Set(REFERENCE.cases.flatMap((c) => c.facets.flatMap((f) => Object.keys(f.metrics))));
    expect([...names].sort()).toEqual([
      'AD',
      'CDD',
      'CDDPL',
      'CI',
      'DAR',
      'DCAcc',
      'DCR',
      'DI',
      'DPL',
      'DPPL',
      'DRR',
      'GE',
      'JS',
      'KL',
      'KS',
      'LP',
      'RD',
      'SD',
      'TE',
      'TVD',
    ]);
  });

  for (const ref of REFERENCE.cases) {
    describe(ref.name, () => {
      let report: BiasReport;
      const load = async (): Promise<BiasReport> => {
        report ??= await analyzeBias(createReadStream(FIXTURE), {
          format: 'csv',
          label: ref.case.label,
          predictions: ref.case.predictions,
          facets: ref.case.facets,
          categorical: ref.case.categorical,
          ...(ref.case.group !== null ? { group: ref.case.group } : {}),
        });
        return report;
      };

      it('computes the same facet comparisons, in the same order', async () => {
        const r = await load();
        expect(r.facets.map((f) => f.facet)).toEqual(ref.facets.map((f) => f.facet));
      });

      it('matches every metric value (null where the reference is undefined)', async () => {
        const r = await load();
        for (const expected of ref.facets) {
          const got = r.facets.find((f) => f.facet === expected.facet)!;
          const all = [...got.preTraining, ...got.postTraining];
          for (const [metric, value] of Object.entries(expected.metrics)) {
            near(all.find((m) => m.metric === metric)?.value, value, `${expected.facet} ${metric}`);
          }
        }
      });

      it('matches every proxy association and its measure', async () => {
        const r = await load();
        expect(r.proxies).toHaveLength(ref.proxies.length);
        for (const expected of ref.proxies) {
          const got = r.proxies.find((p) => p.facet === expected.facet && p.column === expected.column);
          expect(got, `${expected.facet} ~ ${expected.column}`).toBeDefined();
          expect(got!.measure).toBe(expected.measure);
          near(got!.value, expected.value, `${expected.facet} ~ ${expected.column}`);
        }
      });
    });
  }
});
