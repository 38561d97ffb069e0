import { type AccessCase, viaS3 } from '../cases';
import { DOC } from './docs';

/**
 * The model quality monitor's function role (serving stack): each call of
 * MODEL_QUALITY_MONITOR_SDK_CALLS on the prefixes it reads, and what it must never do. Its
 * platform calls (logs, dead letters, ENIs) and its schedule are declared with the other
 * handlers' in cases/lambda.ts.
 */
const QUALITY = { role: 'QualityMonitorFunctionRole' } as const;

const ENDPOINT = 'mlops-serving-churn-endpoint-7f2fd576';
const CAPTURE_HOUR = `data-capture/${ENDPOINT}/${ENDPOINT}/primary/2026/12/01/10/`;
const LABEL_HOUR = `ground-truth/${ENDPOINT}/2026/12/02/09/`;
const viaS3Gateway = { via: ['NetworkS3'] };
const viaSageMaker = { via: ['NetworkSagemakerApi'] };
/** The served version's registered statistics (SpotTrainingPipeline's evaluation report). */
const STATISTICS = 'evaluation/churn-training/exec-1/evaluation.json';

/** The quality monitor's cases. */
export const QUALITY_CASES: readonly AccessCase[] = [
  {
    actor: QUALITY,
    action: 'sagemaker:DescribeModelPackage',
    resourceLabel: 'model-package/churn-model/1',
    resource: (m) => `arn:aws:sagemaker:${m.region}:${m.account}:model-package/churn-model/1`,
    options: () => viaSageMaker,
    expect: 'allow',
    why: 'reads the served version’s ModelQuality statistics location (package baseline)',
    doc: DOC.sagemakerActions,
  },
  {
    actor: QUALITY,
    action: 'sagemaker:DescribeModelPackage',
    resourceLabel: 'model-package/churn-model/2',
    resource: (m) => `arn:aws:sagemaker:${m.region}:${m.account}:model-package/churn-model/2`,
    options: () => viaSageMaker,
    expect: 'deny',
    why: 'it describes the served version only, not the others of the group',
    doc: DOC.sagemakerActions,
  },
  {
    actor: QUALITY,
    action: 'sagemaker:UpdateModelPackage',
    resourceLabel: 'model-package/churn-model/1',
    resource: (m) => `arn:aws:sagemaker:${m.region}:${m.account}:model-package/churn-model/1`,
    options: () => viaSageMaker,
    expect: 'deny',
    why: 'it reads the registry, it cannot approve or change a version',
    doc: DOC.sagemakerActions,
  },
  {
    actor: QUALITY,
    action: 's3:GetObject',
    resourceLabel: `ModelArtifacts/${STATISTICS}`,
    resource: (m) => m.object('ModelArtifacts', STATISTICS),
    options: () => viaS3Gateway,
    expect: 'allow',
    why: 'reads the registered statistics the degradation is measured against',
    doc: DOC.s3Actions,
  },
  {
    actor: QUALITY,
    action: 'kms:Decrypt',
    resourceLabel: 'KeysModelsKey (via S3, ModelArtifacts)',
    resource: (m) => m.arn('KeysModelsKey'),
    options: (m) => ({ context: viaS3(m, 'ModelArtifacts') }),
    expect: 'allow',
    why: 'S3 decrypts the statistics object for it',
    doc: DOC.s3KmsContext,
  },
  {
    actor: QUALITY,
    action: 's3:ListBucket',
    resourceLabel: `Models (prefix ${CAPTURE_HOUR})`,
    resource: (m) => m.arn('Models'),
    options: () => ({ ...viaS3Gateway, context: { 's3:prefix': CAPTURE_HOUR } }),
    expect: 'allow',
    why: 'lists one hour of capture files (ListObjectsV2)',
    doc: DOC.s3Prefix,
  },
  {
    actor: QUALITY,
    action: 's3:ListBucket',
    resourceLabel: `Models (prefix ${LABEL_HOUR})`,
    resource: (m) => m.arn('Models'),
    options: () => ({ ...viaS3Gateway, context: { 's3:prefix': LABEL_HOUR } }),
    expect: 'allow',
    why: 'lists one hour of ground-truth uploads (ListObjectsV2)',
    doc: DOC.s3Prefix,
  },
  {
    actor: QUALITY,
    action: 's3:GetObject',
    resourceLabel: `Models/${CAPTURE_HOUR}capture.jsonl`,
    resource: (m) => m.object('Models', `${CAPTURE_HOUR}capture.jsonl`),
    options: () => viaS3Gateway,
    expect: 'allow',
    why: 'reads captured predictions',
    doc: DOC.s3Actions,
  },
  {
    actor: QUALITY,
    action: 's3:GetObject',
    resourceLabel: `Models/${LABEL_HOUR}labels.jsonl.gz`,
    resource: (m) => m.object('Models', `${LABEL_HOUR}labels.jsonl.gz`),
    options: () => viaS3Gateway,
    expect: 'allow',
    why: 'reads ground-truth labels',
    doc: DOC.s3Actions,
  },
  {
    actor: QUALITY,
    action: 'kms:Decrypt',
    resourceLabel: 'KeysModelsKey (via S3)',
    resource: (m) => m.arn('KeysModelsKey'),
    options: (m) => ({ context: viaS3(m, 'Models') }),
    expect: 'allow',
    why: 'S3 decrypts the capture and ground-truth objects for it',
    doc: DOC.s3KmsContext,
  },
  {
    actor: QUALITY,
    action: 'cloudwatch:PutMetricData',
    resourceLabel: '* (namespace ML/ModelQuality)',
    resource: () => '*',
    options: () => ({ via: ['NetworkMonitoring'], context: { 'cloudwatch:namespace': 'ML/ModelQuality' } }),
    expect: 'allow',
    why: 'publishes the quality metrics its alarms read',
    doc: DOC.cloudwatchNamespace,
  },
  {
    actor: QUALITY,
    action: 'cloudwatch:PutMetricData',
    resourceLabel: '* (namespace ML/Drift)',
    resource: () => '*',
    options: () => ({ via: ['NetworkMonitoring'], context: { 'cloudwatch:namespace': 'ML/Drift' } }),
    expect: 'deny',
    why: 'it cannot forge the drift monitor’s metrics (or silence its alarms)',
    doc: DOC.cloudwatchNamespace,
  },
  {
    actor: QUALITY,
    action: 's3:PutObject',
    resourceLabel: `Models/${LABEL_HOUR}labels.jsonl`,
    resource: (m) => m.object('Models', `${LABEL_HOUR}labels.jsonl`),
    options: () => viaS3Gateway,
    expect: 'deny',
    why: 'it cannot write the labels it judges the model by',
    doc: DOC.s3Actions,
  },
  {
    actor: QUALITY,
    action: 's3:ListBucket',
    resourceLabel: 'Models (prefix drift-baselines/)',
    resource: (m) => m.arn('Models'),
    options: () => ({ ...viaS3Gateway, context: { 's3:prefix': 'drift-baselines/' } }),
    expect: 'deny',
    why: 'listing is limited to the capture and ground-truth prefixes',
    doc: DOC.s3Prefix,
  },
  {
    actor: QUALITY,
    action: 's3:GetObject',
    resourceLabel: 'ModelArtifacts/models/churn/1/model.tar.gz',
    resource: (m) => m.object('ModelArtifacts', 'models/churn/1/model.tar.gz'),
    options: () => viaS3Gateway,
    expect: 'deny',
    why: 'it reads captures and labels, not model artifacts',
    doc: DOC.s3Actions,
  },
];
