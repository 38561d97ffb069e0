/**
 * Clarify's bias metrics computed from counts, so they stream: every metric here is a function of
 * per-facet label counts (pre-training) or per-facet confusion matrices (post-training), plus the
 * same counts per subgroup for the conditional demographic disparities.
 *
 * Notation follows the SageMaker Clarify pages: facet a is the rest of the data, facet d the
 * sensitive group, label value 1 the positive outcome. A metric that the documented formula leaves
 * undefined for the counts (an empty facet, a zero denominator, an unbounded ratio) is `null` with a
 * reason, never NaN or Infinity (which JSON cannot carry).
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-measure-data-bias.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-measure-post-training-bias.html
 */

/** Observed (or predicted) outcomes of one facet: how many rows are positive (1) and negative (0). */
export interface LabelCounts {
  /** Rows with the positive outcome, n(1). */
  readonly positive: number;
  /** Rows with the negative outcome, n(0). */
  readonly negative: number;
}

/** The binary confusion matrix of one facet: observed label y against predicted label y'. */
export interface ConfusionCounts {
  /** y = 1, y' = 1. */
  readonly tp: number;
  /** y = 0, y' = 1. */
  readonly fp: number;
  /** y = 1, y' = 0. */
  readonly fn: number;
  /** y = 0, y' = 0. */
  readonly tn: number;
}

/** Label counts of both facets within one subgroup of the group attribute (for CDD). */
export interface GroupLabelCounts {
  /** The subgroup's value of the group attribute. */
  readonly group: string;
  /** Facet a's outcomes in the subgroup. */
  readonly a: LabelCounts;
  /** Facet d's outcomes in the subgroup. */
  readonly d: LabelCounts;
}

/** Pre-training (data) bias metrics, by Clarify's abbreviation. */
export type PreTrainingMetric = 'CI' | 'DPL' | 'KL' | 'JS' | 'LP' | 'TVD' | 'KS' | 'CDD';

/** Post-training (model) bias metrics, by Clarify's abbreviation (FT needs the model and is left out). */
export type PostTrainingMetric =
  'DPPL' | 'DI' | 'DCAcc' | 'DCR' | 'SD' | 'RD' | 'DAR' | 'DRR' | 'AD' | 'TE' | 'CDDPL' | 'GE';

/** Any metric this module computes. */
export type BiasMetric = PreTrainingMetric | PostTrainingMetric;

/**
 * How a `--fail-on` threshold x applies: `absolute` crosses when |value| > x (signed differences),
 * `ratio` when value < x or value > 1/x (DI, whose parity value is 1; x in (0, 1]).
 */
export type ThresholdKind = 'absolute' | 'ratio';

/** What Clarify documents about a metric. */
export interface MetricInfo {
  /** The abbreviation. */
  readonly metric: BiasMetric;
  /** The full name. */
  readonly title: string;
  /** Pre-training (observed labels) or post-training (observed and predicted labels). */
  readonly stage: 'preTraining' | 'postTraining';
  /** The documented range of values, for binary labels. */
  readonly range: string;
  /** How a threshold applies. */
  readonly threshold: ThresholdKind;
  /** The Clarify documentation page defining it. */
  readonly docs: string;
}

const DOCS = 'https://docs.aws.amazon.com/sagemaker/latest/dg/';

function info(
  metric: BiasMetric,
  title: string,
  stage: MetricInfo['stage'],
  range: string,
  page: string,
  threshold: ThresholdKind = 'absolute',
): MetricInfo {
  return { metric, title, stage, range, threshold, docs: `${DOCS}${page}.html` };
}

/** Every metric, in report order, with its documented range and page. */
export const METRICS: readonly MetricInfo[] = [
  info('CI', 'class imbalance', 'preTraining', '[-1, 1]', 'clarify-bias-metric-class-imbalance'),
  info(
    'DPL',
    'difference in proportions of labels',
    'preTraining',
    '[-1, 1]',
    'clarify-data-bias-metric-true-label-imbalance',
  ),
  info(
    'KL',
    'Kullback-Leibler divergence',
    'preTraining',
    '[0, +inf)',
    'clarify-data-bias-metric-kl-divergence',
  ),
  info(
    'JS',
    'Jensen-Shannon divergence',
    'preTraining',
    '[0, ln 2)',
    'clarify-data-bias-metric-jensen-shannon-divergence',
  ),
  info('LP', 'Lp-norm (p = 2)', 'preTraining', '[0, sqrt 2)', 'clarify-data-bias-metric-lp-norm'),
  info(
    'TVD',
    'total variation distance',
    'preTraining',
    '[0, 1)',
    'clarify-data-bias-metric-total-variation-distance',
  ),
  info('KS', 'Kolmogorov-Smirnov', 'preTraining', '[0, 1]', 'clarify-data-bias-metric-kolmogorov-smirnov'),
  info('CDD', 'conditional demographic disparity', 'preTraining', '[-1, 1]', 'clarify-data-bias-metric-cddl'),
  info(
    'DPPL',
    'difference in positive proportions in predicted labels',
    'postTraining',
    '[-1, 1]',
    'clarify-post-training-bias-metric-dppl',
  ),
  info(
    'DI',
    'disparate impact',
    'postTraining',
    '[0, +inf)',
    'clarify-post-training-bias-metric-di',
    'ratio',
  ),
  info(
    'DCAcc',
    'difference in conditional acceptance',
    'postTraining',
    '(-inf, +inf)',
    'clarify-post-training-bias-metric-dca',
  ),
  info(
    'DCR',
    'difference in conditional rejection',
    'postTraining',
    '(-inf, +inf)',
    'clarify-post-training-bias-metric-dcr',
  ),
  info('SD', 'specificity difference', 'postTraining', '[-1, 1]', 'clarify-post-training-bias-metric-sd'),
  info('RD', 'recall difference', 'postTraining', '[-1, 1]', 'clarify-post-training-bias-metric-rd'),
  info(
    'DAR',
    'difference in acceptance rates',
    'postTraining',
    '[-1, 1]',
    'clarify-post-training-bias-metric-dar',
  ),
  info(
    'DRR',
    'difference in rejection rates',
    'postTraining',
    '[-1, 1]',
    'clarify-post-training-bias-metric-drr',
  ),
  info('AD', 'accuracy difference', 'postTraining', '[-1, 1]', 'clarify-post-training-bias-metric-ad'),
  info('TE', 'treatment equality', 'postTraining', '(-inf, +inf)', 'clarify-post-training-bias-metric-te'),
  info(
    'CDDPL',
    'conditional demographic disparity in predicted labels',
    'postTraining',
    '[-1, 1]',
    'clarify-post-training-bias-metric-cddpl',
  ),
  // The GE page says 0 to 0.5, but with many false negatives (benefit 0) GE reaches (n − 1)/2:
  // b = [0, 0, 1] gives 1 (test/fairness/properties.test.ts found it).
  info(
    'GE',
    'generalized entropy (alpha = 2)',
    'postTraining',
    '[0, (n-1)/2]',
    'clarify-post-training-bias-metric-ge',
  ),
];

/** The documented facts of one metric. */
export function metricInfo(metric: BiasMetric): MetricInfo {
  const found = METRICS.find((m) => m.metric === metric);
  if (!found) throw new RangeError(`unknown bias metric ${metric}`);
  return found;
}

/** A metric's value, or `null` with the reason the formula is undefined for these counts. */
export interface MetricValue {
  /** The abbreviation. */
  readonly metric: BiasMetric;
  /** The value; `null` when undefined (see `reason`). */
  readonly value: number | null;
  /** Why the value is `null`; absent when it is a number. */
  readonly reason?: string;
}

function value(metric: BiasMetric, v: number): MetricValue {
  // -0 prints as 0 in JSON but not in Object.is comparisons; a difference of equal rates is 0.
  return { metric, value: v === 0 ? 0 : v };
}

function undefinedValue(metric: BiasMetric, reason: string): MetricValue {
  return { metric, value: null, reason };
}

const total = (c: LabelCounts): number => c.positive + c.negative;

/** Label distribution [P(y=0), P(y=1)] of a non-empty facet. */
function distribution(c: LabelCounts): [number, number] {
  const n = total(c);
  return [c.negative / n, c.positive / n];
}

/** KL(p || q) in nats, or `undefined` when some p(y) > 0 has q(y) = 0 (unbounded). */
function kl(p: readonly number[], q: readonly number[]): number | undefined {
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    if (p[i] === 0) continue;
    if (q[i] === 0) return undefined;
    s += p[i] * Math.log(p[i] / q[i]);
  }
  return s;
}

const OUTCOME = ['negative (0)', 'positive (1)'];

/**
 * The demographic disparity of facet d within one subgroup: the share of d among the rejections
 * minus its share among the acceptances, `nd(0)/n(0) − nd(1)/n(1)`; undefined without rejections or
 * without acceptances.
 */
function demographicDisparity(a: LabelCounts, d: LabelCounts): number | undefined {
  const rejected = a.negative + d.negative;
  const accepted = a.positive + d.positive;
  if (rejected === 0 || accepted === 0) return undefined;
  return d.negative / rejected - d.positive / accepted;
}

/**
 * CDD (or CDDPL from predicted counts): the demographic disparities of the subgroups averaged with
 * weights n_i, `(1/n)·Σ n_i·DD_i`. Subgroups where DD is undefined (only acceptances or only
 * rejections) are left out of the average and of n, and reported by name.
 */
function conditionalDisparity(
  metric: 'CDD' | 'CDDPL',
  groups: readonly GroupLabelCounts[] | undefined,
): MetricValue & { readonly skippedGroups?: readonly string[] } {
  if (groups === undefined) return undefinedValue(metric, 'no group attribute given (--group)');
  let weighted = 0;
  let n = 0;
  const skipped: string[] = [];
  for (const g of groups) {
    const dd = demographicDisparity(g.a, g.d);
    const ni = total(g.a) + total(g.d);
    if (ni === 0) continue;
    if (dd === undefined) {
      skipped.push(g.group);
      continue;
    }
    weighted += ni * dd;
    n += ni;
  }
  const outcome = metric === 'CDD' ? 'observed' : 'predicted';
  if (n === 0) return undefinedValue(metric, `no subgroup has both ${outcome} acceptances and rejections`);
  const v = value(metric, weighted / n);
  return skipped.length > 0 ? { ...v, skippedGroups: skipped } : v;
}

/**
 * The pre-training metrics of facet a against facet d from their observed label counts, in
 * {@link METRICS} order. `groups` (per-subgroup counts of the group attribute) enables CDD.
 */
export function preTrainingMetrics(
  a: LabelCounts,
  d: LabelCounts,
  groups?: readonly GroupLabelCounts[],
): MetricValue[] {
  const na = total(a);
  const nd = total(d);
  const out: MetricValue[] = [];
  out.push(
    na + nd === 0 ? undefinedValue('CI', 'no rows in either facet') : value('CI', (na - nd) / (na + nd)),
  );
  const empty = na === 0 ? 'facet a has no rows' : nd === 0 ? 'facet d has no rows' : undefined;
  if (empty !== undefined) {
    for (const m of ['DPL', 'KL', 'JS', 'LP', 'TVD', 'KS'] as const) out.push(undefinedValue(m, empty));
  } else {
    const pa = distribution(a);
    const pd = distribution(d);
    out.push(value('DPL', a.positive / na - d.positive / nd));
    const k = kl(pa, pd);
    if (k === undefined) {
      const y = pa[1] > 0 && pd[1] === 0 ? 1 : 0;
      out.push(undefinedValue('KL', `unbounded: facet d has no ${OUTCOME[y]} labels and facet a has`));
    } else {
      out.push(value('KL', k));
    }
    const m = [(pa[0] + pd[0]) / 2, (pa[1] + pd[1]) / 2];
    out.push(value('JS', 0.5 * ((kl(pa, m) ?? 0) + (kl(pd, m) ?? 0))));
    const diff = [pa[0] - pd[0], pa[1] - pd[1]];
    out.push(value('LP', Math.sqrt(diff[0] * diff[0] + diff[1] * diff[1])));
    out.push(value('TVD', 0.5 * (Math.abs(diff[0]) + Math.abs(diff[1]))));
    out.push(value('KS', Math.max(Math.abs(diff[0]), Math.abs(diff[1]))));
  }
  out.push(conditionalDisparity('CDD', groups));
  return out;
}

/** Confusion counts of both facets within one subgroup (for CDDPL). */
export interface GroupConfusionCounts {
  /** The subgroup's value of the group attribute. */
  readonly group: string;
  /** Facet a's confusion matrix in the subgroup. */
  readonly a: ConfusionCounts;
  /** Facet d's confusion matrix in the subgroup. */
  readonly d: ConfusionCounts;
}

const rows = (c: ConfusionCounts): number => c.tp + c.fp + c.fn + c.tn;
const predicted = (c: ConfusionCounts): LabelCounts => ({ positive: c.tp + c.fp, negative: c.fn + c.tn });

/** Observed label counts of a confusion matrix. */
export function observed(c: ConfusionCounts): LabelCounts {
  return { positive: c.tp + c.fn, negative: c.fp + c.tn };
}

/** `num/den` of each facet, then `combine`, or a reason naming the facet whose `den` is 0. */
function rates(
  metric: BiasMetric,
  a: ConfusionCounts,
  d: ConfusionCounts,
  num: (c: ConfusionCounts) => number,
  den: (c: ConfusionCounts) => number,
  what: string,
  combine: (ra: number, rd: number) => number,
): MetricValue {
  if (den(a) === 0) return undefinedValue(metric, `facet a has no ${what}`);
  if (den(d) === 0) return undefinedValue(metric, `facet d has no ${what}`);
  return value(metric, combine(num(a) / den(a), num(d) / den(d)));
}

/**
 * The post-training metrics of facet a against facet d from their confusion matrices, in
 * {@link METRICS} order. `groups` enables CDDPL. GE is computed over the rows of both facets (it
 * does not depend on the facet, as the GE page notes).
 */
export function postTrainingMetrics(
  a: ConfusionCounts,
  d: ConfusionCounts,
  groups?: readonly GroupConfusionCounts[],
): MetricValue[] {
  const out: MetricValue[] = [];
  const aMinusD = (x: number, y: number): number => x - y;
  const dMinusA = (x: number, y: number): number => y - x;
  out.push(rates('DPPL', a, d, (c) => c.tp + c.fp, rows, 'rows', aMinusD));
  if (rows(a) > 0 && rows(d) > 0 && a.tp + a.fp === 0)
    out.push(undefinedValue('DI', "facet a has no predicted positives (DI divides by q'a = 0)"));
  else
    out.push(
      rates(
        'DI',
        a,
        d,
        (c) => c.tp + c.fp,
        rows,
        'rows',
        (qa, qd) => qd / qa,
      ),
    );
  out.push(
    rates(
      'DCAcc',
      a,
      d,
      (c) => c.tp + c.fn,
      (c) => c.tp + c.fp,
      'predicted positives',
      aMinusD,
    ),
  );
  out.push(
    rates(
      'DCR',
      a,
      d,
      (c) => c.fp + c.tn,
      (c) => c.fn + c.tn,
      'predicted negatives',
      dMinusA,
    ),
  );
  out.push(
    rates(
      'SD',
      a,
      d,
      (c) => c.tn,
      (c) => c.tn + c.fp,
      'observed negatives',
      dMinusA,
    ),
  );
  out.push(
    rates(
      'RD',
      a,
      d,
      (c) => c.tp,
      (c) => c.tp + c.fn,
      'observed positives',
      aMinusD,
    ),
  );
  out.push(
    rates(
      'DAR',
      a,
      d,
      (c) => c.tp,
      (c) => c.tp + c.fp,
      'predicted positives',
      aMinusD,
    ),
  );
  out.push(
    rates(
      'DRR',
      a,
      d,
      (c) => c.tn,
      (c) => c.tn + c.fn,
      'predicted negatives',
      dMinusA,
    ),
  );
  out.push(rates('AD', a, d, (c) => c.tp + c.tn, rows, 'rows', aMinusD));
  if (rows(a) === 0) out.push(undefinedValue('TE', 'facet a has no rows'));
  else if (rows(d) === 0) out.push(undefinedValue('TE', 'facet d has no rows'));
  else
    out.push(
      rates(
        'TE',
        a,
        d,
        (c) => c.fp,
        (c) => c.fn,
        'false negatives (TE is unbounded)',
        aMinusD,
      ),
    );
  out.push(
    conditionalDisparity(
      'CDDPL',
      groups?.map((g) => ({ group: g.group, a: predicted(g.a), d: predicted(g.d) })),
    ),
  );
  out.push(generalizedEntropy(a, d));
  return out;
}

/**
 * GE with alpha = 2 over every row: benefit b = y' − y + 1 (2 for a false positive, 0 for a false
 * negative, 1 otherwise), `GE = 1/(n·α(α−1)) Σ ((b_i/μ)^α − 1)` with μ the mean benefit.
 * Undefined without rows, or when every prediction is a false negative (μ = 0).
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-post-training-bias-metric-ge.html
 */
function generalizedEntropy(a: ConfusionCounts, d: ConfusionCounts): MetricValue {
  const ones = a.tp + a.tn + d.tp + d.tn;
  const twos = a.fp + d.fp;
  const n = ones + twos + a.fn + d.fn;
  if (n === 0) return undefinedValue('GE', 'no rows');
  const mu = (ones + 2 * twos) / n;
  if (mu === 0) return undefinedValue('GE', 'every prediction is a false negative (mean benefit 0)');
  const sum = ones * (1 / mu) ** 2 + twos * (2 / mu) ** 2;
  return value('GE', (sum - n) / (2 * n));
}
