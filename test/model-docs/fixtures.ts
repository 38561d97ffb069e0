import type { ModelDocumentationInput } from '../../lib/model-docs';

export const GROUP = 'churn-model';
export const ARN = `arn:aws:sagemaker:eu-west-1:111111111111:model-package/${GROUP}/3`;
export const BUCKET = 'model-artifacts';

/** A bias report as `compliant-mlops bias --format json` writes it (only the fields read). */
export function biasReport(stage: 'preTraining' | 'postTraining', crossed = false): string {
  const metrics =
    stage === 'preTraining'
      ? [
          { metric: 'CI', value: 0.12, threshold: 0.8, crossed: false },
          { metric: 'DPL', value: crossed ? 0.31 : 0.05, threshold: 0.2, crossed },
        ]
      : [{ metric: 'DPPL', value: 0.04, crossed: false }];
  const facet = {
    facet: 'gender=female',
    column: 'gender',
    a: { rows: 60, labelPositive: 10 },
    d: { rows: 40, labelPositive: 8 },
    preTraining: stage === 'preTraining' ? metrics : [],
    postTraining: stage === 'postTraining' ? metrics : [],
  };
  return JSON.stringify({
    kind: 'compliant-mlops/bias-report',
    version: 1,
    label: 'churned=1',
    facets: [facet],
    proxies: [],
    summary: { crossed: [], flaggedProxies: 0, anyCrossed: crossed },
  });
}

export const QUALITY_STATISTICS = JSON.stringify({
  version: 0.0,
  dataset: { item_count: 1000 },
  binary_classification_metrics: {
    auc: { value: 0.8123456, standard_deviation: 0.01 },
    accuracy: { value: 0.9, standard_deviation: 0.002 },
    confusion_matrix: { '0': { '0': 1, '1': 2 } },
  },
});

export const METADATA: Record<string, string> = {
  'lineage:dataset-manifest': 's3://datasets/manifests/churn/1/manifest.json',
  'lineage:dataset-manifest-sha256': 'a'.repeat(64),
  'lineage:dataset-bucket': 'datasets',
  'lineage:training-job': 'arn:aws:sagemaker:eu-west-1:111111111111:training-job/churn-train-3',
  'lineage:training-image-digest': `sha256:${'b'.repeat(64)}`,
  'lineage:code-version': 'v1.4.0',
  'lineage:pipeline-execution':
    'arn:aws:sagemaker:eu-west-1:111111111111:pipeline/churn-training/execution/abc123',
  'lineage:feature-contract': 'customer-churn@1.2.0',
  'lineage:bias-report': `s3://${BUCKET}/bias-reports/${GROUP}/abc123/pre-training.json`,
  'lineage:fairness-report': `s3://${BUCKET}/bias-reports/${GROUP}/abc123/post-training.json`,
  'review:reviewer': 'alice@example.com',
  'review:reviewed-at': '2026-12-01T09:30:00Z',
  'review:bias-report': `s3://${BUCKET}/bias-reports/${GROUP}/abc123/pre-training.json`,
};

/** A fully recorded input. */
export const FULL: ModelDocumentationInput = {
  contract: {
    name: 'customer-churn',
    version: '1.2.0',
    intendedUse: 'Ranks customers by churn risk for retention offers; not for credit decisions',
    owner: 'churn-analytics',
    riskTier: 'high',
    features: [
      { name: 'customer_id', type: 'String', pii: 'none' },
      { name: 'tenure_months', type: 'Integral', pii: 'none' },
    ],
  },
  modelPackage: {
    arn: ARN,
    groupName: GROUP,
    version: 3,
    approvalStatus: 'Approved',
    approvalDescription: 'reviewed: bias report read',
    description: 'intended use: churn ranking; risk rating: Medium; owner: ml-platform-team',
    createdAt: '2026-12-01T08:00:00.000Z',
    images: [`111111111111.dkr.ecr.eu-west-1.amazonaws.com/models@sha256:${'c'.repeat(64)}`],
    modelDataUrls: ['s3://model-artifacts/training/churn-train-3/output/model.tar.gz'],
    qualityStatisticsUri: `s3://${BUCKET}/evaluation/churn-training/abc123/evaluation.json`,
    metadata: METADATA,
  },
  quality: {
    status: { state: 'read', uri: `s3://${BUCKET}/evaluation/churn-training/abc123/evaluation.json` },
    metrics: [
      { name: 'accuracy', value: 0.9, standardDeviation: 0.002 },
      { name: 'auc', value: 0.8123456, standardDeviation: 0.01 },
    ],
  },
  bias: {
    status: { state: 'read', uri: METADATA['lineage:bias-report']! },
    label: 'churned=1',
    metrics: [
      { facet: 'gender=female', metric: 'CI', value: 0.12, threshold: 0.8, crossed: false },
      { facet: 'gender=female', metric: 'DPL', value: 0.05, threshold: 0.2, crossed: false },
    ],
    flaggedProxies: 0,
    anyCrossed: false,
  },
  fairness: {
    status: { state: 'read', uri: METADATA['lineage:fairness-report']! },
    label: 'churned=1',
    metrics: [{ facet: 'gender=female', metric: 'DPPL', value: 0.04, crossed: false }],
    flaggedProxies: 0,
    anyCrossed: false,
  },
  runbooks: [{ title: 'Churn model on-call', url: 'https://wiki.example.com/runbooks/churn' }],
};

/** Nothing recorded but the package itself. */
export const BARE: ModelDocumentationInput = {
  contract: {},
  modelPackage: {
    arn: ARN,
    groupName: GROUP,
    version: 3,
    approvalStatus: 'PendingManualApproval',
    metadata: {},
  },
  quality: { status: { state: 'not-recorded' }, metrics: [] },
  bias: { status: { state: 'not-recorded' }, metrics: [], flaggedProxies: 0, anyCrossed: false },
  fairness: {
    status: { state: 'not-read', uri: 's3://model-artifacts/x/post.json', reason: 'access denied' },
    metrics: [],
    flaggedProxies: 0,
    anyCrossed: false,
  },
};
