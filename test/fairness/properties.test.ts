import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  postTrainingMetrics,
  preTrainingMetrics,
  type BiasMetric,
  type ConfusionCounts,
  type LabelCounts,
  type MetricValue,
} from '../../lib/fairness';

// Properties the Clarify pages state: zero for identical facet distributions, the sign flips when
// facets a and d swap (for the signed differences), and the documented ranges. Every value is a
// finite number or null with a reason, never NaN or Infinity.
// https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-measure-data-bias.html
// https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-measure-post-training-bias.html

const count = fc.integer({ min: 0, max: 500 });
const labels = fc.record({ positive: count, negative: count });
const nonEmptyLabels = labels.filter((c) => c.positive + c.negative > 0);
const confusion = fc.record({ tp: count, fp: count, fn: count, tn: count });
const nonEmptyConfusion = confusion.filter((c) => c.tp + c.fp + c.fn + c.tn > 0);

const byName = (values: MetricValue[]): Map<BiasMetric, MetricValue> =>
  new Map(values.map((v) => [v.metric, v]));
const scaleL = (c: LabelCounts, k: number): LabelCounts => ({
  positive: c.positive * k,
  negative: c.negative * k,
});
const scaleC = (c: ConfusionCounts, k: number): ConfusionCounts => ({
  tp: c.tp * k,
  fp: c.fp * k,
  fn: c.fn * k,
  tn: c.tn * k,
});

function wellFormed(values: MetricValue[]): void {
  for (const v of values) {
    if (v.value === null) expect(v.reason, v.metric).toBeTruthy();
    else expect(Number.isFinite(v.value), `${v.metric} = ${v.value}`).toBe(true);
  }
}

describe('bias metric properties (fast-check)', () => {
  it('identical facet distributions give 0 for every pre-training difference and divergence', () => {
    fc.assert(
      fc.property(nonEmptyLabels, fc.integer({ min: 1, max: 7 }), (d, k) => {
        const m = byName(preTrainingMetrics(scaleL(d, k), d));
        for (const name of ['DPL', 'KL', 'JS', 'LP', 'TVD', 'KS'] as const)
          expect(Math.abs(m.get(name)!.value!), name).toBeLessThan(1e-12);
      }),
    );
  });

  it('CDD and CDDPL are 0 when facet d mirrors facet a within every subgroup', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(nonEmptyConfusion, fc.integer({ min: 1, max: 5 })), { minLength: 1, maxLength: 4 }),
        (gs) => {
          const groups = gs.map(([d, k], i) => ({ group: `g${i}`, a: scaleC(d, k), d }));
          const obs = (c: ConfusionCounts): LabelCounts => ({ positive: c.tp + c.fn, negative: c.fp + c.tn });
          const cdd = byName(
            preTrainingMetrics(
              obs(groups[0].a),
              obs(groups[0].d),
              groups.map((g) => ({ group: g.group, a: obs(g.a), d: obs(g.d) })),
            ),
          ).get('CDD')!.value;
          const cddpl = byName(postTrainingMetrics(groups[0].a, groups[0].d, groups)).get('CDDPL')!.value;
          // DD of a mirrored subgroup is (share of d) − (share of d): 0, or undefined and left out.
          for (const v of [cdd, cddpl]) if (v !== null) expect(Math.abs(v)).toBeLessThan(1e-12);
        },
      ),
    );
  });

  it('identical confusion matrices (up to scale) give 0 for the post-training differences and DI = 1', () => {
    fc.assert(
      fc.property(nonEmptyConfusion, fc.integer({ min: 1, max: 7 }), (d, k) => {
        const m = byName(postTrainingMetrics(scaleC(d, k), d));
        for (const name of ['DPPL', 'DCAcc', 'DCR', 'SD', 'RD', 'DAR', 'DRR', 'AD', 'TE'] as const) {
          const v = m.get(name)!;
          if (v.value !== null) expect(Math.abs(v.value), name).toBeLessThan(1e-12);
        }
        const di = m.get('DI')!.value;
        if (di !== null) expect(di).toBeCloseTo(1, 12);
      }),
    );
  });

  it('swapping facets a and d negates CI and DPL and leaves JS, LP, TVD, KS unchanged', () => {
    fc.assert(
      fc.property(nonEmptyLabels, nonEmptyLabels, (a, d) => {
        const ad = byName(preTrainingMetrics(a, d));
        const da = byName(preTrainingMetrics(d, a));
        for (const name of ['CI', 'DPL'] as const)
          expect(da.get(name)!.value! + ad.get(name)!.value!, name).toBeCloseTo(0, 12);
        for (const name of ['JS', 'LP', 'TVD', 'KS'] as const)
          expect(da.get(name)!.value!, name).toBeCloseTo(ad.get(name)!.value!, 12);
      }),
    );
  });

  it('swapping facets negates the signed post-training differences and inverts DI', () => {
    fc.assert(
      fc.property(nonEmptyConfusion, nonEmptyConfusion, (a, d) => {
        const ad = byName(postTrainingMetrics(a, d));
        const da = byName(postTrainingMetrics(d, a));
        for (const name of ['DPPL', 'DCAcc', 'DCR', 'SD', 'RD', 'DAR', 'DRR', 'AD', 'TE'] as const) {
          const x = ad.get(name)!.value;
          const y = da.get(name)!.value;
          expect(x === null, name).toBe(y === null);
          if (x !== null && y !== null) expect(x + y, name).toBeCloseTo(0, 9);
        }
        const di = ad.get('DI')!.value;
        const id = da.get('DI')!.value;
        if (di !== null && id !== null && di > 0) expect(di * id).toBeCloseTo(1, 9);
        expect(ad.get('GE')!.value).toBe(da.get('GE')!.value);
      }),
    );
  });

  it('pre-training values stay in their documented ranges and are never NaN', () => {
    fc.assert(
      fc.property(labels, labels, (a, d) => {
        const values = preTrainingMetrics(a, d, [{ group: 'g', a, d }]);
        wellFormed(values);
        const m = byName(values);
        const within = (name: BiasMetric, lo: number, hi: number): void => {
          const v = m.get(name)!.value;
          if (v !== null) {
            expect(v, name).toBeGreaterThanOrEqual(lo - 1e-12);
            expect(v, name).toBeLessThanOrEqual(hi + 1e-12);
          }
        };
        within('CI', -1, 1);
        within('DPL', -1, 1);
        within('KL', 0, Infinity);
        within('JS', 0, Math.log(2));
        within('LP', 0, Math.SQRT2);
        within('TVD', 0, 1);
        within('KS', 0, 1);
        within('CDD', -1, 1);
      }),
    );
  });

  it('post-training values stay in their documented ranges and are never NaN', () => {
    fc.assert(
      fc.property(confusion, confusion, (a, d) => {
        const values = postTrainingMetrics(a, d, [{ group: 'g', a, d }]);
        wellFormed(values);
        const m = byName(values);
        for (const name of ['DPPL', 'SD', 'RD', 'DAR', 'DRR', 'AD', 'CDDPL'] as const) {
          const v = m.get(name)!.value;
          if (v !== null) expect(Math.abs(v), name).toBeLessThanOrEqual(1 + 1e-12);
        }
        const di = m.get('DI')!.value;
        if (di !== null) expect(di).toBeGreaterThanOrEqual(0);
        // Not the GE page's 0.5: the bound of GE(2) over n benefits is (n − 1)/2 (see metrics.test.ts).
        const ge = m.get('GE')!.value;
        const n = a.tp + a.fp + a.fn + a.tn + d.tp + d.fp + d.fn + d.tn;
        if (ge !== null) {
          expect(ge).toBeGreaterThanOrEqual(-1e-12);
          expect(ge).toBeLessThanOrEqual((n - 1) / 2 + 1e-9);
        }
      }),
    );
  });
});
