/**
 * The one input both documents are made from: what the feature contract and the registry declare,
 * what the model package records, and what its reports say. Every field that may be missing is
 * optional; the writers print "not recorded" for it, never drop it.
 */

/** What the documents print for a value nobody recorded. */
export const NOT_RECORDED = 'not recorded';

/** A feature of the contract, as documented. */
export interface DocumentedFeature {
  readonly name: string;
  /** `String`, `Integral`, `Fractional`. */
  readonly type: string;
  /** The PII class (`none`, `pii`, `special`...). */
  readonly pii: string;
}

/** What the feature contract and the registry declare about the model. */
export interface ContractFacts {
  /** The feature contract's name. */
  readonly name?: string;
  /** Its version `MAJOR.MINOR.PATCH`. */
  readonly version?: string;
  /** What the model is for, and what it is not for. */
  readonly intendedUse?: string;
  /** The team accountable for the model. */
  readonly owner?: string;
  /** The risk tier (`minimal`, `limited`, `high`). */
  readonly riskTier?: string;
  /** The features the model is trained on. */
  readonly features?: readonly DocumentedFeature[];
}

/** What the model package records. */
export interface PackageFacts {
  readonly arn: string;
  readonly groupName: string;
  readonly version: number;
  /** `PendingManualApproval`, `Approved`, `Rejected`. */
  readonly approvalStatus: string;
  readonly approvalDescription?: string;
  readonly description?: string;
  /** ISO 8601. */
  readonly createdAt?: string;
  /** Who created the package (IAM principal), when SageMaker recorded it. */
  readonly createdBy?: string;
  /** The inference images (pinned by digest). */
  readonly images?: readonly string[];
  /** The model data URLs. */
  readonly modelDataUrls?: readonly string[];
  /** `ModelMetrics.ModelQuality.Statistics.S3Uri`. */
  readonly qualityStatisticsUri?: string;
  /** CustomerMetadataProperties, as read. */
  readonly metadata: Readonly<Record<string, string>>;
}

/** A report the documents cite: read, not recorded, or named but unreadable. */
export type ReportStatus =
  | { readonly state: 'not-recorded' }
  | { readonly state: 'not-read'; readonly uri: string; readonly reason: string }
  | { readonly state: 'read'; readonly uri: string };

/** One model quality metric. */
export interface QualityMetric {
  /** `auc`, `accuracy`, `rmse`... */
  readonly name: string;
  readonly value: number;
  readonly standardDeviation?: number;
}

/** One fairness (bias) metric of one facet comparison. */
export interface FairnessMetric {
  /** `gender=female`. */
  readonly facet: string;
  /** `CI`, `DPL`, `DPPL`... */
  readonly metric: string;
  /** null: undefined for this data (see the report). */
  readonly value: number | null;
  readonly threshold?: number;
  readonly crossed: boolean;
}

/** A bias report, summarized. */
export interface FairnessSummary {
  readonly status: ReportStatus;
  readonly label?: string;
  readonly metrics: readonly FairnessMetric[];
  /** Facet proxies flagged by the report. */
  readonly flaggedProxies: number;
  readonly anyCrossed: boolean;
}

/** The input of {@link buildModelCardContent} and {@link renderModelDocMarkdown}. */
export interface ModelDocumentationInput {
  readonly contract: ContractFacts;
  readonly modelPackage: PackageFacts;
  /** Model quality metrics from the package's ModelQuality statistics (or the evaluation report). */
  readonly quality: { readonly status: ReportStatus; readonly metrics: readonly QualityMetric[] };
  /** The pre-training bias report (`lineage:bias-report`, else `review:bias-report`). */
  readonly bias: FairnessSummary;
  /** The post-training fairness report (`lineage:fairness-report`). */
  readonly fairness: FairnessSummary;
  /** Links of the operations runbooks (title and URL). */
  readonly runbooks?: readonly { readonly title: string; readonly url: string }[];
}

/** A summary of a report that was not recorded. */
export const UNRECORDED_FAIRNESS: FairnessSummary = {
  status: { state: 'not-recorded' },
  metrics: [],
  flaggedProxies: 0,
  anyCrossed: false,
};
