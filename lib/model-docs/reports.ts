import type { FairnessMetric, FairnessSummary, QualityMetric, ReportStatus } from './input';

/**
 * The metric groups of a SageMaker model quality statistics document
 * (`binary_classification_metrics`, `multiclass_classification_metrics`, `regression_metrics`,
 * each metric `{ "value": n, "standard_deviation": n }`), and `metrics`, the shape the
 * training pipeline's evaluation step writes (its registration gate reads `metrics.auc.value`).
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-model-quality-metrics.html
 */
const METRIC_GROUPS = [
  'metrics',
  'binary_classification_metrics',
  'multiclass_classification_metrics',
  'regression_metrics',
] as const;

/** Why a report document could not be used. */
export class ReportFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportFormatError';
  }
}

function parseJson(text: string, what: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ReportFormatError(`${what} is not json`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new ReportFormatError(`${what} is not a json object`);
  return json as Record<string, unknown>;
}

/**
 * The scalar metrics of a model quality statistics document, sorted by name. Non-scalar entries
 * (confusion matrices, curves) are left out: the card and the hand-off show numbers.
 * @throws ReportFormatError when the document is not json or holds no metric
 */
export function parseQualityStatistics(text: string): QualityMetric[] {
  const doc = parseJson(text, 'the quality statistics');
  const out: QualityMetric[] = [];
  for (const group of METRIC_GROUPS) {
    const g = doc[group];
    if (typeof g !== 'object' || g === null) continue;
    for (const [name, entry] of Object.entries(g as Record<string, unknown>)) {
      if (typeof entry !== 'object' || entry === null) continue;
      const { value, standard_deviation: sd } = entry as Record<string, unknown>;
      if (typeof value !== 'number' || !Number.isFinite(value)) continue;
      out.push({
        name,
        value,
        ...(typeof sd === 'number' && Number.isFinite(sd) ? { standardDeviation: sd } : {}),
      });
    }
  }
  if (out.length === 0)
    throw new ReportFormatError(
      `the quality statistics hold no metric (expected ${METRIC_GROUPS.join(', ')})`,
    );
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * A bias report (`compliant-mlops/bias-report`, lib/fairness) summarized: the pre- or
 * post-training metrics of each facet, in report order.
 * @throws ReportFormatError when the document is not a bias report
 */
export function summarizeBiasReport(
  text: string,
  uri: string,
  stage: 'preTraining' | 'postTraining',
): FairnessSummary {
  const doc = parseJson(text, 'the bias report');
  if (doc.kind !== 'compliant-mlops/bias-report' || !Array.isArray(doc.facets))
    throw new ReportFormatError('the bias report is not a compliant-mlops/bias-report document');
  const metrics: FairnessMetric[] = [];
  for (const facet of doc.facets as Record<string, unknown>[]) {
    const list = facet?.[stage];
    if (typeof facet?.facet !== 'string' || !Array.isArray(list)) continue;
    for (const m of list as Record<string, unknown>[]) {
      if (typeof m?.metric !== 'string') continue;
      metrics.push({
        facet: facet.facet,
        metric: m.metric,
        value: typeof m.value === 'number' ? m.value : null,
        ...(typeof m.threshold === 'number' ? { threshold: m.threshold } : {}),
        crossed: m.crossed === true,
      });
    }
  }
  const summary = (doc.summary ?? {}) as Record<string, unknown>;
  const status: ReportStatus = { state: 'read', uri };
  return {
    status,
    label: typeof doc.label === 'string' ? doc.label : undefined,
    metrics,
    flaggedProxies: typeof summary.flaggedProxies === 'number' ? summary.flaggedProxies : 0,
    anyCrossed: summary.anyCrossed === true || metrics.some((m) => m.crossed),
  };
}
