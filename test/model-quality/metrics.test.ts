import { describe, expect, it } from 'vitest';
import {
  BinaryClassificationAccumulator,
  metricOf,
  MulticlassAccumulator,
  RegressionAccumulator,
} from '../../lib/model-quality';
import { mulberry32 } from '../../lib/drift/random';

// Definitions: https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-model-quality-metrics.html
// Expected numbers below are computed by hand from those definitions, in the comments.

/** score, label (1 = positive), sorted by score. */
const EIGHT: readonly [number, 0 | 1][] = [
  [0.9, 1],
  [0.8, 0],
  [0.7, 1],
  [0.6, 1],
  [0.55, 0],
  [0.4, 0],
  [0.3, 1],
  [0.2, 0],
];

describe('binary classification metrics', () => {
  it('match hand-computed accuracy, precision, recall, F1 and AUC on eight pairs', () => {
    const acc = new BinaryClassificationAccumulator();
    for (const [s, y] of EIGHT) acc.add(s >= 0.5, y === 1, s);
    const m = acc.result();
    // Threshold 0.5: TP = {0.9, 0.7, 0.6}, FP = {0.8, 0.55}, FN = {0.3}, TN = {0.4, 0.2}.
    expect(m.confusionMatrix).toEqual({
      truePositives: 3,
      falsePositives: 2,
      trueNegatives: 2,
      falseNegatives: 1,
    });
    expect(m.count).toBe(8);
    expect(m.accuracy).toBe(5 / 8);
    expect(m.precision).toBe(3 / 5);
    expect(m.recall).toBe(3 / 4);
    // 2 · 0.6 · 0.75 / (0.6 + 0.75) = 0.9 / 1.35 = 2/3
    expect(m.f1).toBeCloseTo(2 / 3, 12);
    // Negatives below each positive: 0.9 → 4, 0.7 → 3, 0.6 → 3, 0.3 → 1; U = 11, P·N = 16.
    expect(m.auc).toBe(11 / 16);
  });

  it('counts a tied positive and negative as one half in AUC', () => {
    const acc = new BinaryClassificationAccumulator();
    acc.add(true, true, 0.5);
    acc.add(true, false, 0.5);
    acc.add(false, false, 0.1);
    // Positive 0.5: one negative below (0.1), one tied → U = 1.5, P·N = 2.
    expect(acc.result().auc).toBe(0.75);
  });

  it('agrees with the O(P·N) pairwise AUC on 2,000 random scores', () => {
    const rand = mulberry32(3);
    const acc = new BinaryClassificationAccumulator();
    const pairs: [number, boolean][] = [];
    for (let i = 0; i < 2000; i++) {
      const y = rand() < 0.3;
      // Four decimals: distinct values never share one of the 10,000 bins.
      const s = Math.round(Math.min(1, Math.max(0, (y ? 0.6 : 0.4) + (rand() - 0.5) * 0.8)) * 1e4) / 1e4;
      pairs.push([s, y]);
      acc.add(s >= 0.5, y, s);
    }
    let u = 0;
    let p = 0;
    let n = 0;
    for (const [s, y] of pairs) {
      if (y) p++;
      else n++;
      if (!y) continue;
      for (const [t, z] of pairs) if (!z) u += s > t ? 1 : s === t ? 0.5 : 0;
    }
    expect(acc.result().auc).toBeCloseTo(u / (p * n), 12);
  });

  it('leaves undefined metrics null instead of 0 or 1', () => {
    const empty = new BinaryClassificationAccumulator().result();
    expect([empty.accuracy, empty.precision, empty.recall, empty.f1, empty.auc]).toEqual([
      null,
      null,
      null,
      null,
      null,
    ]);
    // Only negatives, all predicted negative: no predicted positive, no labelled positive, one class.
    const negatives = new BinaryClassificationAccumulator();
    negatives.add(false, false, 0.1);
    negatives.add(false, false, 0.2);
    const m = negatives.result();
    expect(m.accuracy).toBe(1);
    expect([m.precision, m.recall, m.f1, m.auc]).toEqual([null, null, null, null]);
    // Labels only (no scores): no AUC, the rest as usual.
    const labels = new BinaryClassificationAccumulator();
    labels.add(true, true);
    labels.add(false, true);
    expect(labels.result()).toMatchObject({ precision: 1, recall: 0.5, auc: null });
  });

  it('gives F1 = 0, not null, when precision and recall are both 0', () => {
    const acc = new BinaryClassificationAccumulator();
    acc.add(true, false, 0.9);
    acc.add(false, true, 0.1);
    expect(acc.result()).toMatchObject({ precision: 0, recall: 0, f1: 0, auc: 0 });
  });
});

describe('regression metrics', () => {
  it('match hand-computed RMSE and MAE', () => {
    const acc = new RegressionAccumulator();
    const preds = [3, -0.5, 2, 7];
    const labels = [2.5, 0, 2, 8];
    preds.forEach((p, i) => acc.add(p, labels[i]));
    // Errors 0.5, −0.5, 0, −1: MAE = 2/4; MSE = (0.25 + 0.25 + 0 + 1)/4 = 0.375.
    const m = acc.result();
    expect(m.mae).toBe(0.5);
    expect(m.rmse).toBeCloseTo(Math.sqrt(0.375), 15);
    expect(metricOf(m, 'rmse')).toBe(m.rmse);
    expect(metricOf(m, 'accuracy')).toBeNull();
  });

  it('is null without pairs', () => {
    expect(new RegressionAccumulator().result()).toMatchObject({ count: 0, rmse: null, mae: null });
  });
});

// Multiclass: Model Monitor's multiclass_classification_metrics (accuracy, weighted_precision,
// weighted_recall, weighted_f1) and their unweighted (macro) means, one-vs-rest per class:
// https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-model-quality-metrics.html
describe('multiclass classification metrics', () => {
  /** predicted, label. */
  const TEN: readonly [string, string][] = [
    ['a', 'a'],
    ['a', 'a'],
    ['b', 'a'],
    ['a', 'b'],
    ['b', 'b'],
    ['b', 'b'],
    ['c', 'b'],
    ['c', 'c'],
    ['a', 'c'],
    ['c', 'c'],
  ];

  it('match hand-computed accuracy and macro/weighted precision, recall and F1 on ten pairs', () => {
    const acc = new MulticlassAccumulator();
    for (const [p, y] of TEN) expect(acc.add(p, y)).toBe(true);
    const m = acc.result();
    // Support a 3, b 4, c 3; predicted a 4, b 3, c 3; correct a 2, b 2, c 2 → accuracy 6/10.
    expect(m.count).toBe(10);
    expect(m.accuracy).toBe(0.6);
    // Precision a 2/4, b 2/3, c 2/3; recall a 2/3, b 2/4, c 2/3; F1 a 4/7, b 4/7, c 2/3.
    expect(m.classes.map((c) => [c.label, c.support, c.precision, c.recall])).toEqual([
      ['a', 3, 0.5, 2 / 3],
      ['b', 4, 2 / 3, 0.5],
      ['c', 3, 2 / 3, 2 / 3],
    ]);
    expect(m.classes[0].f1).toBeCloseTo(4 / 7, 12);
    expect(m.classes[2].f1).toBeCloseTo(2 / 3, 12);
    // Macro: (1/2 + 2/3 + 2/3)/3 = 11/18 for both; F1 (4/7 + 4/7 + 2/3)/3 = 38/63.
    expect(m.macroPrecision).toBeCloseTo(11 / 18, 12);
    expect(m.macroRecall).toBeCloseTo(11 / 18, 12);
    expect(m.macroF1).toBeCloseTo(38 / 63, 12);
    // Weighted by support: (3·1/2 + 4·2/3 + 3·2/3)/10 = 37/60; recall (2 + 2 + 2)/10 = accuracy;
    // F1 (3·4/7 + 4·4/7 + 3·2/3)/10 = (4 + 2)/10.
    expect(m.weightedPrecision).toBeCloseTo(37 / 60, 12);
    expect(m.weightedRecall).toBeCloseTo(0.6, 12);
    expect(m.weightedF1).toBeCloseTo(0.6, 12);
    expect(metricOf(m, 'weightedPrecision')).toBe(m.weightedPrecision);
    expect(metricOf(m, 'auc')).toBeNull();
  });

  it('counts a class only ever predicted with precision 0 and recall 0 in the macro means, and weight 0', () => {
    const acc = new MulticlassAccumulator();
    acc.add('a', 'a');
    acc.add('z', 'a');
    const m = acc.result();
    // a: precision 1, recall 1/2; z: precision 0, recall 0 (never labelled).
    expect(m.macroPrecision).toBe(0.5);
    expect(m.macroRecall).toBe(0.25);
    expect(m.weightedPrecision).toBe(1);
    expect(m.weightedRecall).toBe(0.5);
  });

  it('is null without pairs, and refuses a pair that would add a class past the cap', () => {
    expect(new MulticlassAccumulator().result()).toMatchObject({ count: 0, accuracy: null, macroF1: null });
    const acc = new MulticlassAccumulator(2);
    expect(acc.add('a', 'b')).toBe(true);
    expect(acc.add('a', 'a')).toBe(true);
    expect(acc.add('c', 'a')).toBe(false);
    expect(acc.add('a', 'c')).toBe(false);
    expect(acc.count).toBe(2);
  });
});
