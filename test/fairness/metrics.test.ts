import { describe, expect, it } from 'vitest';
import {
  metricInfo,
  postTrainingMetrics,
  preTrainingMetrics,
  type BiasMetric,
  type ConfusionCounts,
  type LabelCounts,
  type MetricValue,
} from '../../lib/fairness';

// Each case is the worked example (or the formula) of the metric's SageMaker Clarify page, cited in
// the test name. Facet a is the rest of the data, facet d the sensitive group.

const lab = (positive: number, negative: number): LabelCounts => ({ positive, negative });
const cm = (tp: number, fp: number, fn: number, tn: number): ConfusionCounts => ({ tp, fp, fn, tn });

function pick(values: MetricValue[], metric: BiasMetric): MetricValue {
  const v = values.find((m) => m.metric === metric);
  if (!v) throw new Error(`no ${metric}`);
  return v;
}
const pre = (a: LabelCounts, d: LabelCounts, metric: BiasMetric): MetricValue =>
  pick(preTrainingMetrics(a, d), metric);
const post = (a: ConfusionCounts, d: ConfusionCounts, metric: BiasMetric): MetricValue =>
  pick(postTrainingMetrics(a, d), metric);

describe('pre-training metrics', () => {
  it('CI = (na − nd)/(na + nd), 1 when only facet a has rows — https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-bias-metric-class-imbalance.html', () => {
    expect(pre(lab(30, 30), lab(20, 20), 'CI').value).toBeCloseTo(0.2, 12);
    expect(pre(lab(3, 2), lab(0, 0), 'CI').value).toBe(1);
    expect(pre(lab(0, 0), lab(3, 2), 'CI').value).toBe(-1);
  });

  it('DPL = qa − qd with q = n(1)/n — https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-data-bias-metric-true-label-imbalance.html', () => {
    expect(pre(lab(60, 40), lab(10, 40), 'DPL').value).toBeCloseTo(0.6 - 0.2, 12);
    expect(pre(lab(10, 40), lab(60, 40), 'DPL').value).toBeCloseTo(0.2 - 0.6, 12);
  });

  it('KL of 80% vs 30% approval is 0.53 nats (the page example) — https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-data-bias-metric-kl-divergence.html', () => {
    const v = pre(lab(80, 20), lab(30, 70), 'KL').value!;
    expect(v).toBeCloseTo(0.8 * Math.log(0.8 / 0.3) + 0.2 * Math.log(0.2 / 0.7), 12);
    expect(v.toFixed(2)).toBe('0.53');
  });

  it('KL is null with a reason when facet d lacks an outcome facet a has (range [0, +inf]) — https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-data-bias-metric-kl-divergence.html', () => {
    const v = pre(lab(5, 5), lab(10, 0), 'KL');
    expect(v.value).toBeNull();
    expect(v.reason).toMatch(/unbounded: facet d has no negative \(0\) labels/);
  });

  it('JS = ½[KL(Pa‖P) + KL(Pd‖P)], P the average; ln 2 for disjoint outcomes — https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-data-bias-metric-jensen-shannon-divergence.html', () => {
    const pa = [0.2, 0.8];
    const pd = [0.7, 0.3];
    const m = [0.45, 0.55];
    const kl = (p: number[]): number => p[0] * Math.log(p[0] / m[0]) + p[1] * Math.log(p[1] / m[1]);
    expect(pre(lab(80, 20), lab(30, 70), 'JS').value).toBeCloseTo(0.5 * (kl(pa) + kl(pd)), 12);
    expect(pre(lab(10, 0), lab(0, 10), 'JS').value).toBeCloseTo(Math.log(2), 12);
  });

  it('LP is the 2-norm of Pa − Pd (label proportions, so within [0, √2)) — https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-data-bias-metric-lp-norm.html', () => {
    expect(pre(lab(80, 20), lab(30, 70), 'LP').value).toBeCloseTo(Math.sqrt(2 * 0.5 * 0.5), 12);
  });

  it('TVD = ½·L1(Pa, Pd) — https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-data-bias-metric-total-variation-distance.html', () => {
    expect(pre(lab(80, 20), lab(30, 70), 'TVD').value).toBeCloseTo(0.5, 12);
  });

  it('KS = max |Pa(y) − Pd(y)| over the outcomes — https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-data-bias-metric-kolmogorov-smirnov.html', () => {
    expect(pre(lab(20, 80), lab(70, 30), 'KS').value).toBeCloseTo(0.5, 12);
  });

  it('CDD: women 60% of rejections and 50% of acceptances give DD = 0.1 (the page example) — https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-data-bias-metric-cddl.html', () => {
    const groups = [{ group: 'all', a: lab(50, 40), d: lab(50, 60) }];
    expect(pick(preTrainingMetrics(lab(50, 40), lab(50, 60), groups), 'CDD').value).toBeCloseTo(0.1, 12);
  });

  it('CDD weights subgroup DDs by size, so Simpson’s paradox shows (Berkeley-style) — https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-data-bias-metric-cddl.html', () => {
    // Department x: d applies little and is accepted more; department y: d applies a lot, few accepted.
    const groups = [
      { group: 'x', a: lab(60, 40), d: lab(9, 1) },
      { group: 'y', a: lab(2, 8), d: lab(20, 80) },
    ];
    const dd = (a: LabelCounts, d: LabelCounts): number =>
      d.negative / (a.negative + d.negative) - d.positive / (a.positive + d.positive);
    const expected = (110 * dd(groups[0].a, groups[0].d) + 110 * dd(groups[1].a, groups[1].d)) / 220;
    const v = pick(preTrainingMetrics(lab(62, 48), lab(29, 81), groups), 'CDD').value!;
    expect(v).toBeCloseTo(expected, 12);
    // Pooled, d is rejected far more often (DD > 0); within departments d is favoured (CDD < 0).
    expect(dd(lab(62, 48), lab(29, 81))).toBeGreaterThan(0);
    expect(v).toBeLessThan(0);
  });

  it('CDD is null without a group attribute, and leaves out subgroups with only one outcome (named) — https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-data-bias-metric-cddl.html', () => {
    expect(pre(lab(1, 1), lab(1, 1), 'CDD')).toEqual({
      metric: 'CDD',
      value: null,
      reason: 'no group attribute given (--group)',
    });
    const groups = [
      { group: 'x', a: lab(50, 40), d: lab(50, 60) },
      { group: 'only-accepted', a: lab(5, 0), d: lab(5, 0) },
    ];
    const v = pick(preTrainingMetrics(lab(55, 40), lab(55, 60), groups), 'CDD') as MetricValue & {
      skippedGroups?: string[];
    };
    expect(v.value).toBeCloseTo(0.1, 12);
    expect(v.skippedGroups).toEqual(['only-accepted']);
  });

  it('an empty facet d gives CI = 1 and null distances with the reason, never NaN — https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-measure-data-bias.html', () => {
    const values = preTrainingMetrics(lab(5, 5), lab(0, 0));
    expect(pick(values, 'CI').value).toBe(1);
    for (const m of ['DPL', 'KL', 'JS', 'LP', 'TVD', 'KS'] as const)
      expect(pick(values, m)).toEqual({ metric: m, value: null, reason: 'facet d has no rows' });
  });

  it('a single-class label (every row positive) gives zero label imbalance, not NaN — https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-measure-data-bias.html', () => {
    const values = preTrainingMetrics(lab(7, 0), lab(3, 0));
    for (const m of ['DPL', 'KL', 'JS', 'LP', 'TVD', 'KS'] as const) expect(pick(values, m).value).toBe(0);
  });
});

describe('post-training metrics', () => {
  // The RD and SD pages' confusion matrices: a has TN 20, FN 5, FP 10, TP 65; d has TN 18, FN 7, FP 5, TP 20.
  const A = cm(65, 10, 5, 20);
  const D = cm(20, 5, 7, 18);

  it("DPPL = q'a − q'd: 60% vs 50% predicted positive gives 0.1 — https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-post-training-bias-metric-dppl.html", () => {
    expect(post(cm(50, 10, 10, 30), cm(20, 5, 5, 20), 'DPPL').value).toBeCloseTo(0.1, 12);
  });

  it("DI = q'd/q'a: 50% over 60% gives 0.83; null when facet a has no predicted positive — https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-post-training-bias-metric-di.html", () => {
    expect(post(cm(50, 10, 10, 30), cm(20, 5, 5, 20), 'DI').value).toBeCloseTo(0.5 / 0.6, 12);
    const v = post(cm(0, 0, 5, 5), cm(2, 1, 1, 1), 'DI');
    expect(v.value).toBeNull();
    expect(v.reason).toMatch(/facet a has no predicted positives/);
  });

  it('DCAcc = ca − cd with c = observed/predicted acceptances: the page example gives 0.5 — https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-post-training-bias-metric-dca.html', () => {
    // a: 60 predicted and 70 observed acceptances of 100; d: 30 predicted and 20 observed of 50.
    expect(post(cm(55, 5, 15, 25), cm(15, 15, 5, 15), 'DCAcc').value).toBeCloseTo(70 / 60 - 20 / 30, 12);
  });

  it('DCR = rd − ra with r = observed/predicted rejections: the page example 1 gives 1/2 — https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-post-training-bias-metric-dcr.html', () => {
    // a: 60 predicted and 50 observed rejections; d: 30 predicted and 40 observed.
    expect(post(cm(35, 5, 15, 45), cm(8, 12, 2, 28), 'DCR').value).toBeCloseTo(0.5, 12);
  });

  it('SD = TNd/(TNd+FPd) − TNa/(TNa+FPa) = 0.1159 on the page matrices — https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-post-training-bias-metric-sd.html', () => {
    expect(post(A, D, 'SD').value).toBeCloseTo(18 / 23 - 20 / 30, 12);
    expect(post(A, D, 'SD').value!.toFixed(4)).toBe('0.1159');
  });

  it('RD = TPRa − TPRd = 65/70 − 20/27 = 0.19 on the page matrices — https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-post-training-bias-metric-rd.html', () => {
    expect(post(A, D, 'RD').value).toBeCloseTo(65 / 70 - 20 / 27, 12);
  });

  it('DAR = precision a − precision d: 35/70 − 40/100 = 0.1 — https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-post-training-bias-metric-dar.html', () => {
    expect(post(cm(35, 35, 5, 25), cm(40, 60, 10, 30), 'DAR').value).toBeCloseTo(0.1, 12);
  });

  it('DRR = TNd/(TNd+FNd) − TNa/(TNa+FNa): 40/50 − 80/100 = 0 — https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-post-training-bias-metric-drr.html', () => {
    expect(post(cm(10, 5, 20, 80), cm(5, 5, 10, 40), 'DRR').value).toBe(0);
  });

  it('AD = ACCa − ACCd = 0.7 − 0.5 on the page example — https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-post-training-bias-metric-ad.html', () => {
    expect(post(cm(60, 10, 20, 10), cm(40, 10, 40, 10), 'AD').value).toBeCloseTo(0.2, 12);
  });

  it('TE = FPa/FNa − FPd/FNd = 6/8 − 2/5 = 0.35; null (unbounded) without false negatives — https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-post-training-bias-metric-te.html', () => {
    expect(post(cm(40, 6, 8, 46), cm(20, 2, 5, 23), 'TE').value).toBeCloseTo(0.35, 12);
    const v = post(cm(40, 6, 0, 46), cm(20, 2, 5, 23), 'TE');
    expect(v.value).toBeNull();
    expect(v.reason).toBe('facet a has no false negatives (TE is unbounded)');
  });

  it('CDDPL is CDD computed on the predicted labels — https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-post-training-bias-metric-cddpl.html', () => {
    // Predicted: a 50 accepted / 40 rejected, d 50 / 60; observed labels differ on purpose.
    const a = cm(30, 20, 10, 30);
    const d = cm(25, 25, 35, 25);
    const groups = [{ group: 'all', a, d }];
    const values = postTrainingMetrics(a, d, groups);
    expect(pick(values, 'CDDPL').value).toBeCloseTo(60 / 100 - 50 / 100, 12);
  });

  it('GE (alpha 2, b = ŷ − y + 1) is 0 when every prediction is right, 0.5 for half FP and half FN, null for all FN — https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-post-training-bias-metric-ge.html', () => {
    expect(post(cm(5, 0, 0, 5), cm(3, 0, 0, 2), 'GE').value).toBe(0);
    expect(post(cm(0, 5, 5, 0), cm(0, 0, 0, 0), 'GE').value).toBeCloseTo(0.5, 12);
    // One FP among three correct: b = [2, 1, 1, 1], μ = 5/4, GE = (1/(2·4)) Σ ((b/μ)² − 1).
    const b = [2, 1, 1, 1];
    const expected = b.reduce((s, x) => s + (x / 1.25) ** 2 - 1, 0) / 8;
    expect(post(cm(1, 1, 0, 1), cm(0, 0, 0, 1), 'GE').value).toBeCloseTo(expected, 12);
    expect(post(cm(0, 0, 3, 0), cm(0, 0, 1, 0), 'GE').value).toBeNull();
  });

  it('GE exceeds the 0.5 the GE page states when false negatives dominate: b = [0, 0, 1] gives 1 — https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-post-training-bias-metric-ge.html', () => {
    // μ = 1/3, Σ ((b/μ)² − 1) = −1 − 1 + 8 = 6, GE = 6 / (2·3) = 1 (bound (n − 1)/2 for alpha 2).
    expect(post(cm(0, 0, 0, 0), cm(0, 0, 2, 1), 'GE').value).toBeCloseTo(1, 12);
    expect(metricInfo('GE').range).toBe('[0, (n-1)/2]');
  });

  it('an empty facet gives null post-training metrics with the reason — https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-measure-post-training-bias.html', () => {
    for (const m of postTrainingMetrics(A, cm(0, 0, 0, 0))) {
      if (m.metric === 'GE') continue; // over both facets' rows
      expect(m.value, m.metric).toBeNull();
      expect(m.reason, m.metric).toMatch(/facet d has no|no group attribute/);
    }
  });
});

describe('metric facts', () => {
  it('names the Clarify page of every metric and how thresholds apply', () => {
    expect(metricInfo('DI').threshold).toBe('ratio');
    expect(metricInfo('DPL').threshold).toBe('absolute');
    expect(metricInfo('CDD').docs).toBe(
      'https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-data-bias-metric-cddl.html',
    );
    expect(() => metricInfo('XX' as BiasMetric)).toThrow(/unknown bias metric XX/);
  });
});
