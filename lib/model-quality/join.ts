import { toLines, type TextSource } from '../drift/lines';
import { FairnessAccumulator, type FacetFairness, type QualityFairnessSpec } from './fairness';
import {
  BinaryClassificationAccumulator,
  MulticlassAccumulator,
  RegressionAccumulator,
  type QualityMetrics,
} from './metrics';
import {
  parseGroundTruth,
  parsePrediction,
  QUALITY_REJECT_REASONS,
  type GroundTruth,
  type Prediction,
  type ProblemType,
  type QualityRejectReason,
  type QualitySpec,
} from './records';

/** One prediction joined with its ground truth, as {@link JoinedPairMetrics} receive it. */
export interface JoinedPair {
  readonly problemType: ProblemType;
  readonly prediction: Prediction;
  readonly groundTruth: GroundTruth;
  /** Binary classification: whether the prediction is the positive label. */
  readonly predictedPositive?: boolean;
  /** Binary classification: whether the ground truth is the positive label. */
  readonly labelPositive?: boolean;
}

/**
 * The extension point for post-training metrics computed over the same joined pairs as the quality
 * metrics, in the same single pass: the post-training bias metrics of `lib/fairness` (DPPL,
 * disparate impact, recall difference per facet, read from `pair.prediction.event`'s input) plug in
 * here. Each extension's result appears under its `name` in the report's `extensions`, and the
 * monitor publishes every non-null value as the metric `<name>.<key>`. Keep memory bounded: an
 * extension sees every pair once and must not keep them.
 */
export interface JoinedPairMetrics {
  /** Stable name (letters, digits, `-`), the prefix of its metric names. */
  readonly name: string;
  /** Receives one joined pair. */
  add(pair: JoinedPair): void;
  /** The metrics of the pairs received so far. */
  result(): Readonly<Record<string, number | null>>;
}

/** Options of {@link QualityJoin}. */
export interface QualityJoinOptions {
  /**
   * Ground-truth records held while waiting for their prediction. Records beyond it are counted as
   * `droppedLabels` and not evaluated, so a flood of labels cannot exhaust the function's memory
   * (about 100 bytes per held id).
   * @default 1000000
   */
  readonly maxPendingLabels?: number;
  /** @default - none */
  readonly extensions?: readonly JoinedPairMetrics[];
  /**
   * Multiclass: distinct labels kept; a pair that would add one more is counted as
   * `tooManyClasses` and not evaluated, which bounds memory.
   * @default 1000
   */
  readonly maxClasses?: number;
  /**
   * Binary classification: post-training fairness metrics per facet over the same pairs.
   * @default - none
   */
  readonly fairness?: QualityFairnessSpec;
}

/** Counters of one side of the join. */
export interface SideStats {
  /** Lines read, blank ones included. */
  lines: number;
  /** Records parsed and used. */
  records: number;
  /** Rejections per reason (every reason present, 0 when none). */
  rejected: Record<QualityRejectReason, number>;
}

/** The result of a join: the metrics and what the input held. */
export interface QualityJoinReport {
  readonly kind: 'compliant-mlops/model-quality';
  readonly metrics: QualityMetrics;
  /** Predictions and labels joined (the metrics' `count`). */
  readonly matched: number;
  readonly groundTruth: SideStats & {
    /** Ground-truth ids seen twice; the later record wins. */
    readonly duplicates: number;
    /** Records not held because `maxPendingLabels` were already waiting. */
    readonly droppedLabels: number;
    /** Labels whose prediction was not found in the captures read. */
    readonly unmatchedLabels: number;
  };
  readonly captures: SideStats & {
    /** Predictions without a ground-truth label (usually most: labels are a sample). */
    readonly unmatchedPredictions: number;
  };
  /** Post-training fairness per facet (binary classification with `fairness` only; else empty). */
  readonly fairness: readonly FacetFairness[];
  /** Results of the {@link JoinedPairMetrics} extensions, by name. */
  readonly extensions: Readonly<Record<string, Readonly<Record<string, number | null>>>>;
}

function emptyStats(): SideStats {
  const rejected = Object.fromEntries(QUALITY_REJECT_REASONS.map((r) => [r, 0])) as Record<
    QualityRejectReason,
    number
  >;
  return { lines: 0, records: 0, rejected };
}

/**
 * Joins predictions with ground truth by id and computes the quality metrics, streaming both:
 * ground truth is read first and held in a map (capped by `maxPendingLabels`), then every capture
 * line is parsed and looked up; a match is evaluated and removed, so each label counts once and
 * memory never grows with the number of captures. Never throws on bad input: every line is used
 * or counted under one {@link QualityRejectReason}.
 */
export class QualityJoin {
  private spec: Required<QualitySpec>;
  private readonly pending = new Map<string, GroundTruth>();
  private readonly maxPending: number;
  private readonly extensions: readonly JoinedPairMetrics[];
  private readonly classification = new BinaryClassificationAccumulator();
  private readonly regression = new RegressionAccumulator();
  private readonly multiclass: MulticlassAccumulator;
  private readonly fairness?: FairnessAccumulator;
  private readonly gt = emptyStats();
  private readonly cap = emptyStats();
  private duplicates = 0;
  private dropped = 0;
  private unmatchedPredictions = 0;
  private matched = 0;

  constructor(spec: QualitySpec, options: QualityJoinOptions = {}) {
    this.spec = {
      problemType: spec.problemType,
      positiveLabel: spec.positiveLabel ?? '1',
      classificationOutput: spec.classificationOutput ?? 'probability',
      probabilityThreshold: spec.probabilityThreshold ?? 0.5,
      groundTruthAttributes: spec.groundTruthAttributes ?? [],
    };
    if (options.fairness && spec.problemType === 'binaryClassification') {
      this.fairness = new FairnessAccumulator(options.fairness);
      // The facets may be in the ground-truth record: keep those fields with each held label.
      this.spec = {
        ...this.spec,
        groundTruthAttributes: [
          ...new Set([...this.spec.groundTruthAttributes, ...this.fairness.attributes]),
        ],
      };
    }
    this.maxPending = options.maxPendingLabels ?? 1_000_000;
    this.extensions = options.extensions ?? [];
    this.multiclass = new MulticlassAccumulator(options.maxClasses);
  }

  /** Labels waiting for their prediction. */
  get pendingLabels(): number {
    return this.pending.size;
  }

  /** Adds one line of a ground-truth JSON lines object. */
  addGroundTruthLine(line: string): void {
    this.gt.lines++;
    if (line.trim() === '') return;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      this.gt.rejected.invalidJson++;
      return;
    }
    const r = parseGroundTruth(record, this.spec);
    if (!r.ok) {
      this.gt.rejected[r.reason]++;
      return;
    }
    this.gt.records++;
    if (this.pending.has(r.value.id)) this.duplicates++;
    else if (this.pending.size >= this.maxPending) {
      this.dropped++;
      return;
    }
    this.pending.set(r.value.id, r.value);
  }

  /** Adds one line of a data capture JSON lines object. */
  addCaptureLine(line: string): void {
    this.cap.lines++;
    if (line.trim() === '') return;
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch {
      this.cap.rejected.invalidJson++;
      return;
    }
    const p = parsePrediction(event, this.spec);
    if (!p.ok) {
      this.cap.rejected[p.reason]++;
      return;
    }
    this.cap.records++;
    const gt = this.pending.get(p.value.id);
    if (gt === undefined) {
      this.unmatchedPredictions++;
      return;
    }
    this.pending.delete(p.value.id);
    this.evaluate(p.value, gt);
  }

  /** Streams a ground-truth object (any {@link TextSource}, e.g. an S3 body). */
  async addGroundTruth(source: TextSource): Promise<void> {
    for await (const line of toLines(source)) this.addGroundTruthLine(line);
  }

  /** Streams a data capture object. */
  async addCaptures(source: TextSource): Promise<void> {
    for await (const line of toLines(source)) this.addCaptureLine(line);
  }

  /** The metrics and counters so far. */
  report(): QualityJoinReport {
    const metrics =
      this.spec.problemType === 'regression'
        ? this.regression.result()
        : this.spec.problemType === 'multiclassClassification'
          ? this.multiclass.result()
          : this.classification.result();
    return {
      kind: 'compliant-mlops/model-quality',
      metrics,
      matched: this.matched,
      groundTruth: {
        ...this.gt,
        duplicates: this.duplicates,
        droppedLabels: this.dropped,
        unmatchedLabels: this.pending.size,
      },
      captures: { ...this.cap, unmatchedPredictions: this.unmatchedPredictions },
      fairness: this.fairness?.result() ?? [],
      extensions: Object.fromEntries(this.extensions.map((e) => [e.name, e.result()])),
    };
  }

  private evaluate(prediction: Prediction, groundTruth: GroundTruth): void {
    if (this.spec.problemType === 'multiclassClassification') {
      // parsePrediction gives multiclass predictions as labels, parseGroundTruth labels as text.
      if (!this.multiclass.add(prediction.label ?? '', String(groundTruth.label))) {
        this.cap.rejected.tooManyClasses++;
        return;
      }
      this.matched++;
      for (const e of this.extensions)
        e.add({ problemType: 'multiclassClassification', prediction, groundTruth });
      return;
    }
    this.matched++;
    if (this.spec.problemType === 'regression') {
      // parseGroundTruth gives regression labels as numbers and parsePrediction a value: always true.
      if (prediction.value === undefined || typeof groundTruth.label !== 'number') return;
      this.regression.add(prediction.value, groundTruth.label);
      for (const e of this.extensions) e.add({ problemType: 'regression', prediction, groundTruth });
      return;
    }
    const labelPositive = String(groundTruth.label) === this.spec.positiveLabel;
    const score = prediction.value;
    const predictedPositive =
      score !== undefined
        ? score >= this.spec.probabilityThreshold
        : prediction.label === this.spec.positiveLabel;
    this.classification.add(predictedPositive, labelPositive, score);
    this.fairness?.add(prediction, groundTruth, predictedPositive, labelPositive);
    for (const e of this.extensions) {
      e.add({
        problemType: 'binaryClassification',
        prediction,
        groundTruth,
        predictedPositive,
        labelPositive,
      });
    }
  }
}
