import { MODEL_DOCS_SDK_CALLS } from '../../../lib/handlers/model-docs/sdk-calls';
import { type AccessCase, via, viaS3 } from '../cases';
import type { ReferenceModel } from '../harness';
import { DOC } from './docs';

/** The model documentation function's role (its Lambda platform calls are cases of cases/lambda.ts). */
export const MODEL_DOCS_ROLE = 'ModelDocumentationFunctionRole';
const DOCS = { role: MODEL_DOCS_ROLE } as const;
const viaSageMaker = { via: ['NetworkSagemakerApi'] };
const viaS3Gateway = { via: ['NetworkS3'] };
const version = (m: ReferenceModel, group: string, n: number) =>
  `arn:aws:sagemaker:${m.region}:${m.account}:model-package/${group}/${n}`;
const card = (m: ReferenceModel, name: string) =>
  `arn:aws:sagemaker:${m.region}:${m.account}:model-card/${name}`;
const BIAS = 'bias-reports/churn-model/exec-1/pre-training.json';
const EVALUATION = 'evaluation/churn-training/exec-1/evaluation.json';
/** CreateModelCard and UpdateModelCard. https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateModelCard.html */
const CARD_API = 'https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateModelCard.html';

/**
 * The model documentation of the churn registry: EventBridge invokes it on the group's state
 * changes; it reads churn-model versions and the reports under the bias and evaluation prefixes,
 * writes the churn-model-* model cards (encrypting them with the models key through SageMaker),
 * and publishes ML/ModelDocumentation metrics. Nothing else.
 */
export const MODEL_DOCS_CASES: readonly AccessCase[] = [
  {
    actor: { service: 'events.amazonaws.com' },
    action: 'lambda:InvokeFunction',
    resourceLabel: 'ModelDocumentationFunction',
    resource: (m) => m.arn('ModelDocumentationFunction'),
    options: (m) => ({
      context: { 'aws:SourceArn': m.arn('ModelDocumentationStateChanges'), 'aws:SourceAccount': m.account },
    }),
    expect: 'allow',
    why: 'the state-change rule invokes the function',
    doc: DOC.eventsLambda,
  },
  {
    actor: { service: 'events.amazonaws.com' },
    action: 'lambda:InvokeFunction',
    resourceLabel: 'ModelDocumentationFunction (another rule)',
    resource: (m) => m.arn('ModelDocumentationFunction'),
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
    resourceLabel: 'ModelDocumentationDeadLetters',
    resource: (m) => m.arn('ModelDocumentationDeadLetters'),
    options: (m) => ({
      context: { 'aws:SourceAccount': m.account, 'aws:SourceArn': m.arn('ModelDocumentationStateChanges') },
    }),
    expect: 'allow',
    why: 'EventBridge sends undelivered state changes to the rule DLQ',
    doc: DOC.eventsDlq,
  },
  {
    actor: DOCS,
    action: 'sagemaker:DescribeModelPackage',
    resourceLabel: 'model-package/churn-model/3',
    resource: (m) => version(m, 'churn-model', 3),
    options: () => viaSageMaker,
    expect: 'allow',
    why: 'reads the version, its metrics and lineage keys',
    doc: DOC.sagemakerActions,
  },
  {
    actor: DOCS,
    action: 'sagemaker:DescribeModelPackage',
    resourceLabel: 'model-package/fraud-model/1',
    resource: (m) => version(m, 'fraud-model', 1),
    options: () => viaSageMaker,
    expect: 'deny',
    why: "other groups' versions are not its to document",
    doc: DOC.sagemakerActions,
  },
  ...(['DescribeModelCard', 'CreateModelCard', 'UpdateModelCard'] as const).map((op): AccessCase => ({
    actor: DOCS,
    action: `sagemaker:${op}`,
    resourceLabel: 'model-card/churn-model-3',
    resource: (m) => card(m, 'churn-model-3'),
    options: () => viaSageMaker,
    expect: 'allow',
    why: 'keeps the version card current',
    doc: CARD_API,
  })),
  {
    actor: DOCS,
    action: 'sagemaker:UpdateModelCard',
    resourceLabel: 'model-card/fraud-model-1',
    resource: (m) => card(m, 'fraud-model-1'),
    options: () => viaSageMaker,
    expect: 'deny',
    why: "other groups' cards are not its to write",
    doc: CARD_API,
  },
  {
    actor: DOCS,
    action: 'sagemaker:DeleteModelCard',
    resourceLabel: 'model-card/churn-model-3',
    resource: (m) => card(m, 'churn-model-3'),
    options: () => viaSageMaker,
    expect: 'deny',
    why: 'it never deletes documentation',
    doc: DOC.sagemakerActions,
  },
  {
    actor: DOCS,
    action: 'sagemaker:UpdateModelPackage',
    resourceLabel: 'model-package/churn-model/3',
    resource: (m) => version(m, 'churn-model', 3),
    options: () => ({ ...viaSageMaker, context: { 'sagemaker:ModelApprovalStatus': 'Approved' } }),
    expect: 'deny',
    why: 'documenting a version never approves it',
    doc: DOC.sagemakerActions,
  },
  {
    actor: DOCS,
    action: 'kms:GenerateDataKey',
    resourceLabel: 'KeysModelsKey (via SageMaker)',
    resource: (m) => m.arn('KeysModelsKey'),
    options: (m) => ({ context: via(m, 'sagemaker') }),
    expect: 'allow',
    why: 'SageMaker encrypts the card content with the models key',
    doc: DOC.kmsViaService,
  },
  {
    actor: DOCS,
    action: 'kms:Decrypt',
    resourceLabel: 'KeysModelsKey (via SageMaker)',
    resource: (m) => m.arn('KeysModelsKey'),
    options: (m) => ({ context: via(m, 'sagemaker') }),
    expect: 'allow',
    why: 'SageMaker decrypts the current card to compare it',
    doc: DOC.kmsViaService,
  },
  {
    actor: DOCS,
    action: 'kms:Decrypt',
    resourceLabel: 'KeysModelsKey (direct call)',
    resource: (m) => m.arn('KeysModelsKey'),
    expect: 'deny',
    why: 'the card key is usable through SageMaker (and S3, for reports) only',
    doc: DOC.kmsViaService,
  },
  ...[BIAS, EVALUATION].map((key): AccessCase => ({
    actor: DOCS,
    action: 's3:GetObject',
    resourceLabel: `ModelArtifacts/${key}`,
    resource: (m) => m.object('ModelArtifacts', key),
    options: () => viaS3Gateway,
    expect: 'allow',
    why: 'reads the reports the version names',
    doc: DOC.s3Actions,
  })),
  {
    actor: DOCS,
    action: 'kms:Decrypt',
    resourceLabel: 'KeysModelsKey (via S3)',
    resource: (m) => m.arn('KeysModelsKey'),
    options: (m) => ({ context: viaS3(m, 'ModelArtifacts') }),
    expect: 'allow',
    why: 'S3 decrypts the report objects for it',
    doc: DOC.s3KmsContext,
  },
  {
    actor: DOCS,
    action: 's3:GetObject',
    resourceLabel: 'ModelArtifacts/models/churn/1/model.tar.gz',
    resource: (m) => m.object('ModelArtifacts', 'models/churn/1/model.tar.gz'),
    options: () => viaS3Gateway,
    expect: 'deny',
    why: 'it reads reports, not model artifacts',
    doc: DOC.s3Actions,
  },
  {
    actor: DOCS,
    action: 's3:PutObject',
    resourceLabel: `ModelArtifacts/${BIAS}`,
    resource: (m) => m.object('ModelArtifacts', BIAS),
    options: () => viaS3Gateway,
    expect: 'deny',
    why: 'it cannot change the reports it documents',
    doc: DOC.s3Actions,
  },
  {
    actor: DOCS,
    action: 'cloudwatch:PutMetricData',
    resourceLabel: '* (namespace ML/ModelDocumentation)',
    resource: () => '*',
    options: () => ({
      via: ['NetworkMonitoring'],
      context: { 'cloudwatch:namespace': 'ML/ModelDocumentation' },
    }),
    expect: 'allow',
    why: 'counts written cards, unread reports and failures for the alarms',
    doc: DOC.cloudwatchNamespace,
  },
  {
    actor: DOCS,
    action: 'cloudwatch:PutMetricData',
    resourceLabel: '* (namespace ML/ReviewGate)',
    resource: () => '*',
    options: () => ({ via: ['NetworkMonitoring'], context: { 'cloudwatch:namespace': 'ML/ReviewGate' } }),
    expect: 'deny',
    why: "it cannot write the review gate's metrics",
    doc: DOC.cloudwatchNamespace,
  },
];

/** The role and the SDK calls its handler declares (each needs an allowed case). */
export const MODEL_DOCS_HANDLER_CALLS = { role: MODEL_DOCS_ROLE, calls: MODEL_DOCS_SDK_CALLS } as const;
