import { REVIEW_GATE_SDK_CALLS } from '../../../lib/handlers/review-gate/sdk-calls';
import { type AccessCase, viaS3 } from '../cases';
import type { ReferenceModel } from '../harness';
import { DOC } from './docs';

/** The gate function's role (its Lambda platform calls are cases of cases/lambda.ts). */
export const REVIEW_GATE_ROLE = 'ModelReviewGateFunctionRole';
const ROLE = REVIEW_GATE_ROLE;
const GATE = { role: ROLE } as const;
const viaSageMaker = { via: ['NetworkSagemakerApi'] };
const viaS3Gateway = { via: ['NetworkS3'] };
const version = (m: ReferenceModel, group: string, n: number) =>
  `arn:aws:sagemaker:${m.region}:${m.account}:model-package/${group}/${n}`;
const REPORT = 'bias-reports/churn-model/3/bias.json';
const status = (s: string) => ({ ...viaSageMaker, context: { 'sagemaker:ModelApprovalStatus': s } });

/**
 * The review gate of the reference model (high risk): EventBridge invokes it for the group's
 * approvals; it reads versions of churn-model, may set them back to PendingManualApproval and to
 * no other status, reads bias reports under their prefix, and publishes ML/ReviewGate metrics.
 */
export const REVIEW_GATE_CASES: readonly AccessCase[] = [
  {
    actor: { service: 'events.amazonaws.com' },
    action: 'lambda:InvokeFunction',
    resourceLabel: 'ModelReviewGateFunction',
    resource: (m) => m.arn('ModelReviewGateFunction'),
    options: (m) => ({
      context: { 'aws:SourceArn': m.arn('ModelReviewGateApprovals'), 'aws:SourceAccount': m.account },
    }),
    expect: 'allow',
    why: 'the approvals rule invokes the gate',
    doc: DOC.eventsLambda,
  },
  {
    actor: { service: 'events.amazonaws.com' },
    action: 'lambda:InvokeFunction',
    resourceLabel: 'ModelReviewGateFunction (another rule)',
    resource: (m) => m.arn('ModelReviewGateFunction'),
    options: (m) => ({
      context: { 'aws:SourceArn': m.arn('ChurnTrainingRetrainOnDrift'), 'aws:SourceAccount': m.account },
    }),
    expect: 'deny',
    why: 'no other rule can invoke it',
    doc: DOC.eventsLambda,
  },
  {
    actor: { service: 'events.amazonaws.com' },
    action: 'sqs:SendMessage',
    resourceLabel: 'ModelReviewGateDeadLetters',
    resource: (m) => m.arn('ModelReviewGateDeadLetters'),
    options: (m) => ({
      context: { 'aws:SourceAccount': m.account, 'aws:SourceArn': m.arn('ModelReviewGateApprovals') },
    }),
    expect: 'allow',
    why: 'EventBridge sends undelivered approvals to the rule DLQ',
    doc: DOC.eventsDlq,
  },
  {
    actor: { service: 'events.amazonaws.com' },
    action: 'kms:GenerateDataKey',
    resourceLabel: 'KeysLogsKey (the rule DLQ)',
    resource: (m) => m.arn('KeysLogsKey'),
    options: (m) => ({
      context: { 'aws:SourceAccount': m.account, 'aws:SourceArn': m.arn('ModelReviewGateApprovals') },
    }),
    expect: 'allow',
    why: 'EventBridge encrypts the dead letter',
    doc: DOC.eventsDlq,
  },
  {
    actor: GATE,
    action: 'sagemaker:DescribeModelPackage',
    resourceLabel: 'model-package/churn-model/3',
    resource: (m) => version(m, 'churn-model', 3),
    options: () => viaSageMaker,
    expect: 'allow',
    why: 'reads the approved version and its review record',
    doc: DOC.sagemakerActions,
  },
  {
    actor: GATE,
    action: 'sagemaker:UpdateModelPackage',
    resourceLabel: 'model-package/churn-model/3 (to PendingManualApproval)',
    resource: (m) => version(m, 'churn-model', 3),
    options: () => status('PendingManualApproval'),
    expect: 'allow',
    why: 'sets an unreviewed approval back to pending',
    doc: DOC.sagemakerActions,
  },
  {
    actor: GATE,
    action: 'sagemaker:UpdateModelPackage',
    resourceLabel: 'model-package/churn-model/3 (to Approved)',
    resource: (m) => version(m, 'churn-model', 3),
    options: () => status('Approved'),
    expect: 'deny',
    why: 'it can never approve',
    doc: DOC.sagemakerActions,
  },
  {
    actor: GATE,
    action: 'sagemaker:UpdateModelPackage',
    resourceLabel: 'model-package/churn-model/3 (to Rejected)',
    resource: (m) => version(m, 'churn-model', 3),
    options: () => status('Rejected'),
    expect: 'deny',
    why: 'it only reverts to pending',
    doc: DOC.sagemakerActions,
  },
  {
    actor: GATE,
    action: 'sagemaker:UpdateModelPackage',
    resourceLabel: 'model-package/churn-model/3 (no status: metadata only)',
    resource: (m) => version(m, 'churn-model', 3),
    options: () => viaSageMaker,
    expect: 'deny',
    why: 'it cannot write a review record itself',
    doc: DOC.sagemakerActions,
  },
  {
    actor: GATE,
    action: 'sagemaker:UpdateModelPackage',
    resourceLabel: 'model-package/fraud-model/1 (to PendingManualApproval)',
    resource: (m) => version(m, 'fraud-model', 1),
    options: () => status('PendingManualApproval'),
    expect: 'deny',
    why: "other groups' versions are not its to change",
    doc: DOC.sagemakerActions,
  },
  {
    actor: GATE,
    action: 'sagemaker:DeleteModelPackage',
    resourceLabel: 'model-package/churn-model/3',
    resource: (m) => version(m, 'churn-model', 3),
    options: () => viaSageMaker,
    expect: 'deny',
    why: 'it never deletes a version',
    doc: DOC.sagemakerActions,
  },
  {
    actor: GATE,
    action: 's3:GetObject',
    resourceLabel: `ModelArtifacts/${REPORT}`,
    resource: (m) => m.object('ModelArtifacts', REPORT),
    options: () => viaS3Gateway,
    expect: 'allow',
    why: 'checks the cited bias report exists (HeadObject)',
    doc: DOC.s3HeadObject,
  },
  {
    actor: GATE,
    action: 'kms:Decrypt',
    resourceLabel: 'KeysModelsKey (via S3)',
    resource: (m) => m.arn('KeysModelsKey'),
    options: (m) => ({ context: viaS3(m, 'ModelArtifacts') }),
    expect: 'allow',
    why: 'S3 decrypts the report object for it',
    doc: DOC.s3KmsContext,
  },
  {
    actor: GATE,
    action: 's3:GetObject',
    resourceLabel: 'ModelArtifacts/models/churn/1/model.tar.gz',
    resource: (m) => m.object('ModelArtifacts', 'models/churn/1/model.tar.gz'),
    options: () => viaS3Gateway,
    expect: 'deny',
    why: 'it reads bias reports, not model artifacts',
    doc: DOC.s3Actions,
  },
  {
    actor: GATE,
    action: 's3:PutObject',
    resourceLabel: `ModelArtifacts/${REPORT}`,
    resource: (m) => m.object('ModelArtifacts', REPORT),
    options: () => viaS3Gateway,
    expect: 'deny',
    why: 'it cannot forge the report a review cites',
    doc: DOC.s3Actions,
  },
  {
    actor: GATE,
    action: 'cloudwatch:PutMetricData',
    resourceLabel: '* (namespace ML/ReviewGate)',
    resource: () => '*',
    options: () => ({ via: ['NetworkMonitoring'], context: { 'cloudwatch:namespace': 'ML/ReviewGate' } }),
    expect: 'allow',
    why: 'counts reverted approvals for the alarm',
    doc: DOC.cloudwatchNamespace,
  },
  {
    actor: GATE,
    action: 'cloudwatch:PutMetricData',
    resourceLabel: '* (namespace ML/Drift)',
    resource: () => '*',
    options: () => ({ via: ['NetworkMonitoring'], context: { 'cloudwatch:namespace': 'ML/Drift' } }),
    expect: 'deny',
    why: "it cannot write other monitors' metrics",
    doc: DOC.cloudwatchNamespace,
  },
];

/** The gate's role and the SDK calls its handler declares (each needs an allowed case). */
export const REVIEW_GATE_HANDLER_CALLS = { role: ROLE, calls: REVIEW_GATE_SDK_CALLS } as const;
