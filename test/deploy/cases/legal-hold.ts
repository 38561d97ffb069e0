import { LEGAL_HOLD_SDK_CALLS } from '../../../lib/handlers/legal-hold/sdk-calls';
import { type AccessCase, viaS3 } from '../cases';
import type { ReferenceModel } from '../harness';
import { DOC } from './docs';

/** The legal-hold function's role (its Lambda platform calls are cases of cases/lambda.ts). */
export const LEGAL_HOLD_ROLE = 'ModelDataLegalHoldFunctionRole';
const ROLE = LEGAL_HOLD_ROLE;
const HOLDS = { role: ROLE } as const;
const viaSageMaker = { via: ['NetworkSagemakerApi'] };
const viaS3Gateway = { via: ['NetworkS3'] };
const version = (m: ReferenceModel, group: string, n: number) =>
  `arn:aws:sagemaker:${m.region}:${m.account}:model-package/${group}/${n}`;
const DATA = 'datasets/churn/v1/part-0.csv';
const MANIFEST = 'lineage/churn-training/exec-1/dataset-manifest.json';
/** Legal holds are authorized by s3:PutObjectLegalHold / s3:GetObjectLegalHold, whatever the version. */
const LEGAL_HOLD_DOC =
  'https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html#object-lock-permissions';

/**
 * The legal holds of the reference model: EventBridge invokes the function for every state change
 * of churn-model versions; it reads the versions and lists the approved ones, reads their dataset
 * manifests under lineage/churn-training/ in the pipeline's artifact bucket, sets and reads the
 * legal hold of dataset object versions under datasets/, and publishes ML/LegalHold metrics. It can
 * neither delete, overwrite nor read training data, nor change a version's approval.
 */
export const LEGAL_HOLD_CASES: readonly AccessCase[] = [
  {
    actor: { service: 'events.amazonaws.com' },
    action: 'lambda:InvokeFunction',
    resourceLabel: 'ModelDataLegalHoldFunction',
    resource: (m) => m.arn('ModelDataLegalHoldFunction'),
    options: (m) => ({
      context: { 'aws:SourceArn': m.arn('ModelDataLegalHoldStateChanges'), 'aws:SourceAccount': m.account },
    }),
    expect: 'allow',
    why: 'the state-change rule invokes it',
    doc: DOC.eventsLambda,
  },
  {
    actor: { service: 'events.amazonaws.com' },
    action: 'lambda:InvokeFunction',
    resourceLabel: 'ModelDataLegalHoldFunction (another rule)',
    resource: (m) => m.arn('ModelDataLegalHoldFunction'),
    options: (m) => ({
      context: { 'aws:SourceArn': m.arn('ModelReviewGateApprovals'), 'aws:SourceAccount': m.account },
    }),
    expect: 'deny',
    why: 'no other rule can invoke it',
    doc: DOC.eventsLambda,
  },
  {
    actor: { service: 'events.amazonaws.com' },
    action: 'sqs:SendMessage',
    resourceLabel: 'ModelDataLegalHoldDeadLetters',
    resource: (m) => m.arn('ModelDataLegalHoldDeadLetters'),
    options: (m) => ({
      context: { 'aws:SourceAccount': m.account, 'aws:SourceArn': m.arn('ModelDataLegalHoldStateChanges') },
    }),
    expect: 'allow',
    why: 'EventBridge sends undelivered state changes to the rule DLQ',
    doc: DOC.eventsDlq,
  },
  {
    actor: HOLDS,
    action: 'sagemaker:DescribeModelPackage',
    resourceLabel: 'model-package/churn-model/3',
    resource: (m) => version(m, 'churn-model', 3),
    options: () => viaSageMaker,
    expect: 'allow',
    why: "reads a version's state and lineage",
    doc: DOC.sagemakerActions,
  },
  {
    actor: HOLDS,
    action: 'sagemaker:ListModelPackages',
    // The Service Authorization Reference gives ListModelPackages the model-package resource type
    // (optional); a version ARN of the group is what the simulation can evaluate.
    resourceLabel: 'model-package/churn-model/*',
    resource: (m) => `${version(m, 'churn-model', 1).replace(/\/1$/, '')}/*`,
    options: () => viaSageMaker,
    expect: 'allow',
    why: 'lists the approved versions whose holds must stay',
    doc: DOC.sagemakerActions,
  },
  {
    actor: HOLDS,
    action: 'sagemaker:DescribeModelPackage',
    resourceLabel: 'model-package/fraud-model/1',
    resource: (m) => version(m, 'fraud-model', 1),
    options: () => viaSageMaker,
    expect: 'deny',
    why: "other groups' versions are not its concern",
    doc: DOC.sagemakerActions,
  },
  {
    actor: HOLDS,
    action: 'sagemaker:UpdateModelPackage',
    resourceLabel: 'model-package/churn-model/3',
    resource: (m) => version(m, 'churn-model', 3),
    options: () => ({ ...viaSageMaker, context: { 'sagemaker:ModelApprovalStatus': 'Approved' } }),
    expect: 'deny',
    why: 'it never changes an approval',
    doc: DOC.sagemakerActions,
  },
  {
    actor: HOLDS,
    action: 's3:GetObject',
    resourceLabel: `ChurnTrainingArtifacts/${MANIFEST}`,
    resource: (m) => m.object('ChurnTrainingArtifacts', MANIFEST),
    options: () => viaS3Gateway,
    expect: 'allow',
    why: "reads an approved version's dataset manifest",
    doc: DOC.s3Actions,
  },
  {
    actor: HOLDS,
    action: 'kms:Decrypt',
    resourceLabel: 'KeysModelsKey (via S3)',
    resource: (m) => m.arn('KeysModelsKey'),
    options: (m) => ({ context: viaS3(m, 'ChurnTrainingArtifacts') }),
    expect: 'allow',
    why: 'S3 decrypts the manifest for it',
    doc: DOC.s3KmsContext,
  },
  {
    actor: HOLDS,
    action: 's3:GetObject',
    resourceLabel: 'ChurnTrainingArtifacts/models/churn/model.tar.gz',
    resource: (m) => m.object('ChurnTrainingArtifacts', 'models/churn/model.tar.gz'),
    options: () => viaS3Gateway,
    expect: 'deny',
    why: 'it reads manifests, not model artifacts',
    doc: DOC.s3Actions,
  },
  {
    actor: HOLDS,
    action: 's3:PutObjectLegalHold',
    resourceLabel: `Datasets/${DATA}`,
    resource: (m) => m.object('Datasets', DATA),
    options: () => viaS3Gateway,
    expect: 'allow',
    why: 'holds (and releases) the object versions behind approved models',
    doc: LEGAL_HOLD_DOC,
  },
  {
    actor: HOLDS,
    action: 's3:GetObjectLegalHold',
    resourceLabel: `Datasets/${DATA}`,
    resource: (m) => m.object('Datasets', DATA),
    options: () => viaS3Gateway,
    expect: 'allow',
    why: 'reads a hold before releasing it',
    doc: LEGAL_HOLD_DOC,
  },
  {
    actor: HOLDS,
    action: 's3:PutObjectLegalHold',
    resourceLabel: 'Datasets/archive/churn/v0/part-0.csv',
    resource: (m) => m.object('Datasets', 'archive/churn/v0/part-0.csv'),
    options: () => viaS3Gateway,
    expect: 'deny',
    why: 'only working datasets are held',
    doc: LEGAL_HOLD_DOC,
  },
  {
    actor: HOLDS,
    action: 's3:PutObjectLegalHold',
    resourceLabel: `ModelArtifacts/models/churn/1/model.tar.gz`,
    resource: (m) => m.object('ModelArtifacts', 'models/churn/1/model.tar.gz'),
    options: () => viaS3Gateway,
    expect: 'deny',
    why: 'other buckets are not its to lock',
    doc: LEGAL_HOLD_DOC,
  },
  {
    actor: HOLDS,
    action: 's3:GetObject',
    resourceLabel: `Datasets/${DATA}`,
    resource: (m) => m.object('Datasets', DATA),
    options: () => viaS3Gateway,
    expect: 'deny',
    why: 'it never reads training data',
    doc: DOC.s3Actions,
  },
  {
    actor: HOLDS,
    action: 's3:DeleteObjectVersion',
    resourceLabel: `Datasets/${DATA}`,
    resource: (m) => m.object('Datasets', DATA),
    options: () => viaS3Gateway,
    expect: 'deny',
    why: 'it can release a hold, never delete the data',
    doc: DOC.s3Actions,
  },
  {
    actor: HOLDS,
    action: 's3:PutObjectRetention',
    resourceLabel: `Datasets/${DATA}`,
    resource: (m) => m.object('Datasets', DATA),
    options: () => viaS3Gateway,
    expect: 'deny',
    why: 'legal holds only: no retention that would block an erasure request',
    doc: LEGAL_HOLD_DOC,
  },
  {
    actor: HOLDS,
    action: 'cloudwatch:PutMetricData',
    resourceLabel: '* (namespace ML/LegalHold)',
    resource: () => '*',
    options: () => ({ via: ['NetworkMonitoring'], context: { 'cloudwatch:namespace': 'ML/LegalHold' } }),
    expect: 'allow',
    why: 'counts holds and failures for the alarms',
    doc: DOC.cloudwatchNamespace,
  },
  {
    actor: HOLDS,
    action: 'cloudwatch:PutMetricData',
    resourceLabel: '* (namespace ML/ReviewGate)',
    resource: () => '*',
    options: () => ({ via: ['NetworkMonitoring'], context: { 'cloudwatch:namespace': 'ML/ReviewGate' } }),
    expect: 'deny',
    why: "it cannot write the review gate's metrics",
    doc: DOC.cloudwatchNamespace,
  },
];

/** The function's role and the SDK calls its handler declares (each needs an allowed case). */
export const LEGAL_HOLD_HANDLER_CALLS = { role: ROLE, calls: LEGAL_HOLD_SDK_CALLS } as const;
