/**
 * Model quality metrics over (prediction, ground-truth label) pairs, computed in one pass with
 * constant memory: a confusion matrix and a score histogram for binary classification, running
 * sums for regression. The definitions are the usual ones (the same SageMaker Model Monitor
 * documents for its model quality metrics); the code is ours.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-model-quality-metrics.html
 */

/** Number of equal-width score bins of the AUC histogram over [0, 1]. */
export const AUC_BINS = 10_000;

/** The confusion matrix of a binary classifier, the positive label being the one configured. */
export interface ConfusionMatrix {
  /** Predicted positive, labelled positive. */
  readonly truePositives: number;
  /** Predicted positive, labelled negative. */
  readonly falsePositives: number;
  /** Predicted negative, labelled negative. */
  readonly trueNegatives: number;
  /** Predicted negative, labelled positive. */
  readonly falseNegatives: number;
}

/**
 * Binary classification metrics of one window. A metric whose denominator is 0 is `null`
 * (precision without a predicted positive, recall without a labelled positive, AUC without a score
 * or without both classes among the labels): "undefined", never a misleading 0 or 1.
 */
export interface BinaryClassificationMetrics {
  readonly problemType: 'binaryClassification';
  /** Joined pairs the metrics are computed over. */
  readonly count: number;
  /** (TP + TN) / count. */
  readonly accuracy: number | null;
  /** TP / (TP + FP). */
  readonly precision: number | null;
  /** TP / (TP + FN), the true positive rate. */
  readonly recall: number | null;
  /** 2 · precision · recall / (precision + recall); 0 when both are 0. */
  readonly f1: number | null;
  /**
   * Area under the ROC curve of the scores: the probability that a random positive scores above a
   * random negative, ties counting one half (the Mann–Whitney U statistic / (P · N)). Computed over
   * {@link AUC_BINS} equal bins of [0, 1], so scores closer than 1e-4 count as tied.
   */
  readonly auc: number | null;
  readonly confusionMatrix: ConfusionMatrix;
}

/** Regression metrics of one window. */
export interface RegressionMetrics {
  readonly problemType: 'regression';
  readonly count: number;
  /** √(Σ (prediction − label)² / count). */
  readonly rmse: number | null;
  /** Σ |prediction − label| / count. */
  readonly mae: number | null;
}

/** Precision, recall and F1 of one class of a multiclass classifier (one-vs-rest). */
export interface ClassMetrics {
  /** The label, as text. */
  readonly label: string;
  /** Pairs whose ground truth is this label. */
  readonly support: number;
  /** Pairs predicted as this label. */
  readonly predicted: number;
  /** Pairs predicted as this label whose ground truth is this label. */
  readonly truePositives: number;
  /** TP / predicted; 0 when never predicted (as scikit-learn's `zero_division=0`). */
  readonly precision: number;
  /** TP / support; 0 when never labelled. */
  readonly recall: number;
  /** 2·P·R / (P + R); 0 when both are 0. */
  readonly f1: number;
}

/**
 * Multiclass classification metrics of one window: accuracy, and precision, recall and F1 averaged
 * over the classes (every label seen as ground truth or prediction), unweighted (`macro`) and
 * weighted by each class's support (`weighted`, Model Monitor's `weighted_precision`,
 * `weighted_recall`, `weighted_f1`). Null without pairs.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-model-quality-metrics.html
 */
export interface MulticlassClassificationMetrics {
  readonly problemType: 'multiclassClassification';
  readonly count: number;
  /** Pairs whose predicted label is the ground truth / count. */
  readonly accuracy: number | null;
  readonly macroPrecision: number | null;
  readonly macroRecall: number | null;
  readonly macroF1: number | null;
  readonly weightedPrecision: number | null;
  readonly weightedRecall: number | null;
  readonly weightedF1: number | null;
  /** Per class, by label. */
  readonly classes: readonly ClassMetrics[];
}

/** Any kind of metrics. */
export type QualityMetrics =
  BinaryClassificationMetrics | MulticlassClassificationMetrics | RegressionMetrics;

/** The metric names a baseline and an alarm may refer to. */
export const QUALITY_METRIC_NAMES = [
  'accuracy',
  'precision',
  'recall',
  'f1',
  'auc',
  'macroPrecision',
  'macroRecall',
  'macroF1',
  'weightedPrecision',
  'weightedRecall',
  'weightedF1',
  'rmse',
  'mae',
] as const;

/** One of {@link QUALITY_METRIC_NAMES}. */
export type QualityMetricName = (typeof QUALITY_METRIC_NAMES)[number];

/** Classification metrics: higher is better. Regression metrics (errors): lower is better. */
export const CLASSIFICATION_METRICS: readonly QualityMetricName[] = [
  'accuracy',
  'precision',
  'recall',
  'f1',
  'auc',
];

/** Multiclass classification metrics: higher is better. */
export const MULTICLASS_METRICS: readonly QualityMetricName[] = [
  'accuracy',
  'macroPrecision',
  'macroRecall',
  'macroF1',
  'weightedPrecision',
  'weightedRecall',
  'weightedF1',
];

/** Regression metrics (errors: lower is better). */
export const REGRESSION_METRICS: readonly QualityMetricName[] = ['rmse', 'mae'];

/** Confusion matrix and score histogram of a binary classifier, fed one pair at a time. */
export class BinaryClassificationAccumulator {
  private tp = 0;
  private fp = 0;
  private tn = 0;
  private fn = 0;
  private scored = 0;
  private readonly positives = new Float64Array(AUC_BINS);
  private readonly negatives = new Float64Array(AUC_BINS);

  /**
   * Adds one pair.
   * @param predictedPositive whether the model predicted the positive label
   * @param labelPositive whether the ground truth is the positive label
   * @param score the model's probability of the positive label in [0, 1], when it returns one
   */
  add(predictedPositive: boolean, labelPositive: boolean, score?: number): void {
    if (predictedPositive) {
      if (labelPositive) this.tp++;
      else this.fp++;
    } else if (labelPositive) this.fn++;
    else this.tn++;
    if (score !== undefined) {
      // The 1e-7 keeps a score on a bin edge (0.0003 · 10⁴ = 2.9999999999999996) in its own bin.
      const bin = Math.min(AUC_BINS - 1, Math.max(0, Math.floor(score * AUC_BINS + 1e-7)));
      (labelPositive ? this.positives : this.negatives)[bin]++;
      this.scored++;
    }
  }

  /** Pairs added so far. */
  get count(): number {
    return this.tp + this.fp + this.tn + this.fn;
  }

  /** The metrics of the pairs added so far. */
  result(): BinaryClassificationMetrics {
    const count = this.count;
    const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);
    const precision = ratio(this.tp, this.tp + this.fp);
    const recall = ratio(this.tp, this.tp + this.fn);
    const f1 =
      precision === null || recall === null
        ? null
        : precision + recall === 0
          ? 0
          : (2 * precision * recall) / (precision + recall);
    return {
      problemType: 'binaryClassification',
      count,
      accuracy: ratio(this.tp + this.tn, count),
      precision,
      recall,
      f1,
      // A window where only some pairs had a score would mix two populations: no AUC then.
      auc: this.scored === count ? this.auc() : null,
      confusionMatrix: {
        truePositives: this.tp,
        falsePositives: this.fp,
        trueNegatives: this.tn,
        falseNegatives: this.fn,
      },
    };
  }

  private auc(): number | null {
    let p = 0;
    let n = 0;
    for (let b = 0; b < AUC_BINS; b++) {
      p += this.positives[b];
      n += this.negatives[b];
    }
    if (p === 0 || n === 0) return null;
    // U = Σ over positives of (negatives scored lower + ½ negatives scored the same).
    let below = 0;
    let u = 0;
    for (let b = 0; b < AUC_BINS; b++) {
      const pos = this.positives[b];
      const neg = this.negatives[b];
      if (pos > 0) u += pos * (below + neg / 2);
      below += neg;
    }
    return u / (p * n);
  }
}

/** Distinct labels a multiclass accumulator keeps by default (more are rejected). */
export const DEFAULT_MAX_CLASSES = 1000;

/**
 * Per-class counts of a multiclass classifier, fed one pair at a time: memory grows with the number
 * of distinct labels (capped), never with the number of pairs.
 */
export class MulticlassAccumulator {
  private readonly counts = new Map<string, { support: number; predicted: number; tp: number }>();
  private n = 0;
  private correct = 0;

  constructor(private readonly maxClasses: number = DEFAULT_MAX_CLASSES) {}

  /**
   * Adds one pair; `false` (and nothing counted) when it would add a class past `maxClasses`.
   * @param predicted the predicted label
   * @param label the ground-truth label
   */
  add(predicted: string, label: string): boolean {
    const newClasses =
      (this.counts.has(predicted) ? 0 : 1) + (predicted !== label && !this.counts.has(label) ? 1 : 0);
    if (this.counts.size + newClasses > this.maxClasses) return false;
    const of = (l: string): { support: number; predicted: number; tp: number } => {
      let c = this.counts.get(l);
      if (!c) {
        c = { support: 0, predicted: 0, tp: 0 };
        this.counts.set(l, c);
      }
      return c;
    };
    of(label).support++;
    of(predicted).predicted++;
    if (predicted === label) {
      of(label).tp++;
      this.correct++;
    }
    this.n++;
    return true;
  }

  /** Pairs added so far. */
  get count(): number {
    return this.n;
  }

  /** The metrics of the pairs added so far. */
  result(): MulticlassClassificationMetrics {
    const classes: ClassMetrics[] = [...this.counts.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([label, c]) => {
        const precision = c.predicted === 0 ? 0 : c.tp / c.predicted;
        const recall = c.support === 0 ? 0 : c.tp / c.support;
        const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
        return {
          label,
          support: c.support,
          predicted: c.predicted,
          truePositives: c.tp,
          precision,
          recall,
          f1,
        };
      });
    const k = classes.length;
    const mean = (f: (c: ClassMetrics) => number): number | null =>
      k === 0 ? null : classes.reduce((s, c) => s + f(c), 0) / k;
    const weighted = (f: (c: ClassMetrics) => number): number | null =>
      this.n === 0 ? null : classes.reduce((s, c) => s + c.support * f(c), 0) / this.n;
    return {
      problemType: 'multiclassClassification',
      count: this.n,
      accuracy: this.n === 0 ? null : this.correct / this.n,
      macroPrecision: mean((c) => c.precision),
      macroRecall: mean((c) => c.recall),
      macroF1: mean((c) => c.f1),
      weightedPrecision: weighted((c) => c.precision),
      weightedRecall: weighted((c) => c.recall),
      weightedF1: weighted((c) => c.f1),
      classes,
    };
  }
}

/** Running sums of a regression model's errors. */
export class RegressionAccumulator {
  private n = 0;
  private squared = 0;
  private absolute = 0;

  /** Adds one pair. */
  add(prediction: number, label: number): void {
    const e = prediction - label;
    this.n++;
    this.squared += e * e;
    this.absolute += Math.abs(e);
  }

  /** Pairs added so far. */
  get count(): number {
    return this.n;
  }

  /** The metrics of the pairs added so far. */
  result(): RegressionMetrics {
    return {
      problemType: 'regression',
      count: this.n,
      rmse: this.n === 0 ? null : Math.sqrt(this.squared / this.n),
      mae: this.n === 0 ? null : this.absolute / this.n,
    };
  }
}

/** A metric's value by name (`null` when undefined for this window or not of this problem type). */
export function metricOf(metrics: QualityMetrics, name: QualityMetricName): number | null {
  if (metrics.problemType === 'regression') {
    return name === 'rmse' ? metrics.rmse : name === 'mae' ? metrics.mae : null;
  }
  if (metrics.problemType === 'multiclassClassification') {
    switch (name) {
      case 'accuracy':
      case 'macroPrecision':
      case 'macroRecall':
      case 'macroF1':
      case 'weightedPrecision':
      case 'weightedRecall':
      case 'weightedF1':
        return metrics[name];
      default:
        return null;
    }
  }
  switch (name) {
    case 'accuracy':
      return metrics.accuracy;
    case 'precision':
      return metrics.precision;
    case 'recall':
      return metrics.recall;
    case 'f1':
      return metrics.f1;
    case 'auc':
      return metrics.auc;
    default:
      return null;
  }
}
