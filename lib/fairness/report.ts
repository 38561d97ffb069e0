import type { AssociationMeasure } from './association';
import type { BiasMetric, MetricValue } from './metrics';

// The shape of a bias report: what analyzeBias returns and `bias --format json` prints.

/** The `kind` of a bias report document. */
export const BIAS_REPORT_KIND = 'compliant-mlops/bias-report';

/** Version of the report shape; bumped on a breaking change. */
export const BIAS_REPORT_VERSION = 1;

/** Why a row was left out of every metric. */
export type RowRejectReason = 'missingLabel' | 'invalidLabel' | 'missingPrediction' | 'invalidPrediction';

/** Every row reject reason, in report order. */
export const ROW_REJECT_REASONS: readonly RowRejectReason[] = [
  'missingLabel',
  'invalidLabel',
  'missingPrediction',
  'invalidPrediction',
];

/** A metric value with its threshold, as reported. */
export interface ReportedMetric extends MetricValue {
  /** The `failOn` threshold for this metric, when one was given. */
  readonly threshold?: number;
  /** Whether the value crossed the threshold (never for a null value). */
  readonly crossed: boolean;
  /** CDD/CDDPL: subgroups left out because DD is undefined in them. */
  readonly skippedGroups?: readonly string[];
}

/** Row and outcome counts of one facet of a comparison. */
export interface FacetSideCounts {
  /** Rows in the facet. */
  readonly rows: number;
  /** Rows whose observed label is positive. */
  readonly labelPositive: number;
  /** Rows whose predicted label is positive (with predictions only). */
  readonly predictedPositive?: number;
}

/** Facet a (the rest) against facet d (the sensitive group) for one facet spec (and value). */
export interface FacetComparison {
  /** The comparison's name: `gender=female`, `age:>=40`. */
  readonly facet: string;
  /** The facet column. */
  readonly column: string;
  /** Counts of facet a. */
  readonly a: FacetSideCounts;
  /** Counts of facet d. */
  readonly d: FacetSideCounts;
  /** CI, DPL, KL, JS, LP, TVD, KS, CDD. */
  readonly preTraining: readonly ReportedMetric[];
  /** DPPL … GE; empty without predictions. */
  readonly postTraining: readonly ReportedMetric[];
}

/** A column associated with a facet, ranked by `value`. */
export interface ProxyFinding {
  /** The facet spec (`gender`, `age:>=40`): its sensitive group, or its values. */
  readonly facet: string;
  /** The other column. */
  readonly column: string;
  /** Cramér's V (categorical column) or correlation ratio η (numeric column). */
  readonly measure: AssociationMeasure;
  /** In [0, 1], or null (see `reason`). */
  readonly value: number | null;
  /** Why `value` is null. */
  readonly reason?: string;
  /** Rows with both values. */
  readonly n: number;
  /** `value > proxyThreshold`. */
  readonly flagged: boolean;
}

/** A threshold crossed, for the summary and the exit code. */
export interface CrossedThreshold {
  /** The comparison. */
  readonly facet: string;
  /** The metric. */
  readonly metric: BiasMetric;
  /** Its value. */
  readonly value: number;
  /** The threshold it crossed. */
  readonly threshold: number;
}

/** The result of {@link analyzeBias}: per-facet metrics, proxies and the thresholds crossed. */
export interface BiasReport {
  /** Always {@link BIAS_REPORT_KIND}. */
  readonly kind: typeof BIAS_REPORT_KIND;
  /** Always {@link BIAS_REPORT_VERSION}. */
  readonly version: typeof BIAS_REPORT_VERSION;
  /** When the report was made, if the caller said. */
  readonly generatedAt?: string;
  /** The label spec (`churned=1`). */
  readonly label: string;
  /** The predictions spec, with predictions. */
  readonly predictions?: string;
  /** The group attribute, when given. */
  readonly group?: string;
  /** Row accounting. */
  readonly input: {
    /** Data rows read. */
    readonly rows: number;
    /** Rows used (label, and prediction if any, present and valid). */
    readonly used: number;
    /** Rows left out, by reason. */
    readonly rejected: Readonly<Record<RowRejectReason, number>>;
    /** Used rows left out of a facet (missing or, for a threshold, non-numeric facet value). */
    readonly facetExcluded: Readonly<Record<string, number>>;
    /** Used rows without a group value (left out of CDD and CDDPL only). */
    readonly withoutGroup: number;
  };
  /** Facet comparisons, in the order of the facet specs (values of a bare facet by frequency). */
  readonly facets: readonly FacetComparison[];
  /** Facet–column associations, strongest first. */
  readonly proxies: readonly ProxyFinding[];
  /** The thresholds applied. */
  readonly thresholds: {
    readonly failOn: Readonly<Partial<Record<BiasMetric, number>>>;
    readonly proxy: number;
  };
  /** Whether anything crossed a threshold. */
  readonly summary: {
    readonly crossed: readonly CrossedThreshold[];
    readonly flaggedProxies: number;
    /** A metric crossed its threshold or a proxy was flagged. */
    readonly anyCrossed: boolean;
  };
}
