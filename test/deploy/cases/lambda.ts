import { AUTO_SHUTDOWN_SDK_CALLS } from '../../../lib/handlers/auto-shutdown/sdk-calls';
import { DRIFT_MONITOR_SDK_CALLS } from '../../../lib/handlers/drift-monitor/sdk-calls';
import { MODEL_QUALITY_MONITOR_SDK_CALLS } from '../../../lib/handlers/model-quality-monitor/sdk-calls';
import { RESTRICT_DEFAULT_SG_SDK_CALLS } from '../../../lib/handlers/restrict-default-sg/sdk-calls';
import { REVIEW_GATE_CASES, REVIEW_GATE_HANDLER_CALLS, REVIEW_GATE_ROLE } from './review-gate';
import { LEGAL_HOLD_CASES, LEGAL_HOLD_HANDLER_CALLS, LEGAL_HOLD_ROLE } from './legal-hold';
import { MODEL_DOCS_CASES, MODEL_DOCS_HANDLER_CALLS, MODEL_DOCS_ROLE } from './model-docs';
import { BIAS_CHECK_CASES, BIAS_CHECK_HANDLER_CALLS, BIAS_CHECK_ROLE } from './bias-check';
import { FAIRNESS_CHECK_CASES, FAIRNESS_CHECK_HANDLER_CALLS, FAIRNESS_CHECK_ROLE } from './fairness-check';
import { LINEAGE_CASES, LINEAGE_HANDLER_CALLS, RECORD_LINEAGE_ROLE, WRITE_MANIFEST_ROLE } from './lineage';
import { type AccessCase, sseKms, via, viaS3 } from '../cases';
import type { ReferenceModel } from '../harness';
import { DOC } from './docs';
import { QUALITY_CASES } from './quality';

const AUTO_SHUTDOWN = { role: 'AutoShutdownFunctionRole' } as const;
const DRIFT = { role: 'DriftMonitorFunctionRole' } as const;
const CLOSER = { role: 'NetworkDefaultSecurityGroupCloserFunctionRole' } as const;

const sm = (m: ReferenceModel, rest: string) => `arn:aws:sagemaker:${m.region}:${m.account}:${rest}`;
const NOTEBOOK = 'notebook-instance/team-notebook';
const APP = 'app/d-abcdef123456/alice/jupyterlab/default';
const DEV_ENDPOINT = 'endpoint/churn-dev';
const PROD_ENDPOINT = 'endpoint/churn-prod';
const DEV_CONFIG = 'endpoint-config/churn-dev-config';

// Auto-shutdown calls SageMaker and CloudWatch from an isolated subnet, through the interface endpoints.
const viaSageMaker = { via: ['NetworkSagemakerApi'] };
const viaMonitoring = { via: ['NetworkMonitoring'] };

/**
 * Auto-shutdown: each call of AUTO_SHUTDOWN_SDK_CALLS on the resources it targets, with the tags
 * the handler's own decision relies on, and what the role must never do.
 */
const autoShutdownCalls: AccessCase[] = [
  ...['ListNotebookInstances', 'ListApps', 'ListEndpoints'].map((op): AccessCase => ({
    actor: AUTO_SHUTDOWN,
    action: `sagemaker:${op}`,
    resourceLabel: '*',
    resource: () => '*',
    options: () => viaSageMaker,
    expect: 'allow',
    why: 'lists what it sweeps',
    doc: DOC.sagemakerActions,
  })),
  ...[NOTEBOOK, APP, DEV_ENDPOINT].map((r): AccessCase => ({
    actor: AUTO_SHUTDOWN,
    action: 'sagemaker:ListTags',
    resourceLabel: r,
    resource: (m) => sm(m, r),
    options: () => viaSageMaker,
    expect: 'allow',
    why: 'reads exemption and environment tags',
    doc: DOC.sagemakerActions,
  })),
  {
    actor: AUTO_SHUTDOWN,
    action: 'sagemaker:DescribeApp',
    resourceLabel: APP,
    resource: (m) => sm(m, APP),
    options: () => viaSageMaker,
    expect: 'allow',
    why: 'reads the last activity of an app',
    doc: DOC.sagemakerActions,
  },
  {
    actor: AUTO_SHUTDOWN,
    action: 'sagemaker:DescribeEndpoint',
    resourceLabel: DEV_ENDPOINT,
    resource: (m) => sm(m, DEV_ENDPOINT),
    options: () => viaSageMaker,
    expect: 'allow',
    why: 'reads the config and variants of an endpoint',
    doc: DOC.sagemakerActions,
  },
  {
    actor: AUTO_SHUTDOWN,
    action: 'sagemaker:DescribeEndpointConfig',
    resourceLabel: DEV_CONFIG,
    resource: (m) => sm(m, DEV_CONFIG),
    options: () => viaSageMaker,
    expect: 'allow',
    why: 'skips serverless endpoints (ServerlessConfig), which cost nothing while idle',
    doc: DOC.sagemakerActions,
  },
  {
    actor: AUTO_SHUTDOWN,
    action: 'sagemaker:DescribeEndpointConfig',
    resourceLabel: `${DEV_CONFIG} (another account)`,
    resource: () => `arn:aws:sagemaker:eu-west-1:210987654321:${DEV_CONFIG}`,
    options: () => viaSageMaker,
    expect: 'deny',
    why: 'only endpoint configs of its own account',
    doc: DOC.sagemakerActions,
  },
  {
    actor: AUTO_SHUTDOWN,
    action: 'sagemaker:StopNotebookInstance',
    resourceLabel: NOTEBOOK,
    resource: (m) => sm(m, NOTEBOOK),
    options: () => ({ ...viaSageMaker, context: { 'aws:ResourceTag/environment': 'dev' } }),
    expect: 'allow',
    why: 'stops an idle notebook',
    doc: DOC.sagemakerTags,
  },
  {
    actor: AUTO_SHUTDOWN,
    action: 'sagemaker:DeleteApp',
    resourceLabel: APP,
    resource: (m) => sm(m, APP),
    options: () => ({ ...viaSageMaker, context: { 'aws:ResourceTag/environment': 'dev' } }),
    expect: 'allow',
    why: 'deletes an idle Studio app',
    doc: DOC.sagemakerTags,
  },
  {
    actor: AUTO_SHUTDOWN,
    action: 'sagemaker:AddTags',
    resourceLabel: 'endpoint-config/churn-dev-config',
    resource: (m) => sm(m, 'endpoint-config/churn-dev-config'),
    options: () => ({
      ...viaSageMaker,
      context: {
        'aws:TagKeys': [
          'auto-shutdown:deleted-endpoint',
          'auto-shutdown:deleted-at',
          'auto-shutdown:endpoint-tags-0',
        ],
      },
    }),
    expect: 'allow',
    why: 'records what restores an endpoint before deleting it',
    doc: DOC.sagemakerTags,
  },
  {
    actor: AUTO_SHUTDOWN,
    action: 'sagemaker:DeleteEndpoint',
    resourceLabel: DEV_ENDPOINT,
    resource: (m) => sm(m, DEV_ENDPOINT),
    options: () => ({ ...viaSageMaker, context: { 'aws:ResourceTag/environment': 'dev' } }),
    expect: 'allow',
    why: 'deletes an idle dev endpoint',
    doc: DOC.sagemakerTags,
  },
  {
    actor: AUTO_SHUTDOWN,
    action: 'cloudwatch:GetMetricData',
    resourceLabel: '*',
    resource: () => '*',
    options: () => viaMonitoring,
    expect: 'allow',
    why: 'sums endpoint invocations',
    doc: DOC.cloudwatchActions,
  },
  {
    actor: AUTO_SHUTDOWN,
    action: 'cloudwatch:PutMetricData',
    resourceLabel: '* (namespace ML/AutoShutdown)',
    resource: () => '*',
    options: () => ({ ...viaMonitoring, context: { 'cloudwatch:namespace': 'ML/AutoShutdown' } }),
    expect: 'allow',
    why: 'publishes run counts',
    doc: DOC.cloudwatchNamespace,
  },
  // What it must never do: the tag conditions are the guard, the handler's decision the second one.
  {
    actor: AUTO_SHUTDOWN,
    action: 'sagemaker:DeleteEndpoint',
    resourceLabel: `${PROD_ENDPOINT} (environment=prod)`,
    resource: (m) => sm(m, PROD_ENDPOINT),
    options: () => ({ ...viaSageMaker, context: { 'aws:ResourceTag/environment': 'prod' } }),
    expect: 'deny',
    why: 'a prod endpoint is never deleted',
    doc: DOC.sagemakerTags,
  },
  {
    actor: AUTO_SHUTDOWN,
    action: 'sagemaker:DeleteEndpoint',
    resourceLabel: `${PROD_ENDPOINT} (environment=Production)`,
    resource: (m) => sm(m, PROD_ENDPOINT),
    options: () => ({ ...viaSageMaker, context: { 'aws:ResourceTag/environment': 'Production' } }),
    expect: 'deny',
    why: 'whatever the case of the tag value',
    doc: DOC.sagemakerTags,
  },
  {
    actor: AUTO_SHUTDOWN,
    action: 'sagemaker:DeleteEndpoint',
    resourceLabel: 'endpoint/untagged',
    resource: (m) => sm(m, 'endpoint/untagged'),
    options: () => viaSageMaker,
    expect: 'deny',
    why: 'an endpoint without environment tag is never deleted',
    doc: DOC.sagemakerTags,
  },
  {
    actor: AUTO_SHUTDOWN,
    action: 'sagemaker:DeleteEndpoint',
    resourceLabel: `${DEV_ENDPOINT} (auto-shutdown:exempt=true)`,
    resource: (m) => sm(m, DEV_ENDPOINT),
    options: () => ({
      ...viaSageMaker,
      context: { 'aws:ResourceTag/environment': 'dev', 'aws:ResourceTag/auto-shutdown:exempt': 'TRUE' },
    }),
    expect: 'deny',
    why: 'an exempt endpoint is never deleted',
    doc: DOC.sagemakerTags,
  },
  {
    actor: AUTO_SHUTDOWN,
    action: 'sagemaker:StopNotebookInstance',
    resourceLabel: `${NOTEBOOK} (auto-shutdown:exempt=true)`,
    resource: (m) => sm(m, NOTEBOOK),
    options: () => ({ ...viaSageMaker, context: { 'aws:ResourceTag/auto-shutdown:exempt': 'true' } }),
    expect: 'deny',
    why: 'an exempt notebook is never stopped',
    doc: DOC.sagemakerTags,
  },
  {
    actor: AUTO_SHUTDOWN,
    action: 'sagemaker:AddTags',
    resourceLabel: 'endpoint-config/churn-dev-config (tag environment)',
    resource: (m) => sm(m, 'endpoint-config/churn-dev-config'),
    options: () => ({ ...viaSageMaker, context: { 'aws:TagKeys': ['environment'] } }),
    expect: 'deny',
    why: 'it cannot retag a config out of production',
    doc: DOC.sagemakerTags,
  },
  {
    actor: AUTO_SHUTDOWN,
    action: 'cloudwatch:PutMetricData',
    resourceLabel: '* (namespace AWS/SageMaker)',
    resource: () => '*',
    options: () => ({ ...viaMonitoring, context: { 'cloudwatch:namespace': 'AWS/SageMaker' } }),
    expect: 'deny',
    why: 'it cannot forge the metrics other alarms read',
    doc: DOC.cloudwatchNamespace,
  },
];

const CAPTURE_HOUR =
  'data-capture/mlops-serving-churn-endpoint-7f2fd576/mlops-serving-churn-endpoint-7f2fd576/primary/2026/12/01/10/';
const BASELINE = 'drift-baselines/mlops-serving-churn-endpoint-7f2fd576/baseline.json';
const REPORT = 'drift-reports/mlops-serving-churn-endpoint-7f2fd576/2026-12-01T11-00-00Z.json';
const viaS3Gateway = { via: ['NetworkS3'] };

/** Drift monitor: each call of DRIFT_MONITOR_SDK_CALLS on the keys it reads and writes. */
const driftCalls: AccessCase[] = [
  {
    actor: DRIFT,
    action: 's3:ListBucket',
    resourceLabel: `Models (prefix ${CAPTURE_HOUR})`,
    resource: (m) => m.arn('Models'),
    options: () => ({ ...viaS3Gateway, context: { 's3:prefix': CAPTURE_HOUR } }),
    expect: 'allow',
    why: 'lists one hour of capture files (ListObjectsV2)',
    doc: DOC.s3Prefix,
  },
  {
    actor: DRIFT,
    action: 's3:GetObject',
    resourceLabel: `Models/${CAPTURE_HOUR}capture.jsonl`,
    resource: (m) => m.object('Models', `${CAPTURE_HOUR}capture.jsonl`),
    options: () => viaS3Gateway,
    expect: 'allow',
    why: 'reads capture records',
    doc: DOC.s3Actions,
  },
  {
    actor: DRIFT,
    action: 's3:GetObject',
    resourceLabel: `Models/${BASELINE}`,
    resource: (m) => m.object('Models', BASELINE),
    options: () => viaS3Gateway,
    expect: 'allow',
    why: 'reads the training baseline',
    doc: DOC.s3Actions,
  },
  {
    actor: DRIFT,
    action: 'kms:Decrypt',
    resourceLabel: 'KeysModelsKey (via S3)',
    resource: (m) => m.arn('KeysModelsKey'),
    options: (m) => ({ context: viaS3(m, 'Models') }),
    expect: 'allow',
    why: 'S3 decrypts the capture and baseline objects for it',
    doc: DOC.s3KmsContext,
  },
  {
    actor: DRIFT,
    action: 's3:PutObject',
    resourceLabel: `Models/${REPORT} (SSE-KMS headers)`,
    resource: (m) => m.object('Models', REPORT),
    options: (m) => ({ ...viaS3Gateway, context: sseKms(m.arn('KeysModelsKey')) }),
    expect: 'allow',
    why: 'writes its report with the bucket key',
    doc: DOC.s3Sse,
  },
  {
    actor: DRIFT,
    action: 'kms:GenerateDataKey',
    resourceLabel: 'KeysModelsKey (via S3)',
    resource: (m) => m.arn('KeysModelsKey'),
    options: (m) => ({ context: viaS3(m, 'Models') }),
    expect: 'allow',
    why: 'S3 encrypts the report for it',
    doc: DOC.s3KmsContext,
  },
  {
    actor: DRIFT,
    action: 'cloudwatch:PutMetricData',
    resourceLabel: '* (namespace ML/Drift)',
    resource: () => '*',
    options: () => ({ via: ['NetworkMonitoring'], context: { 'cloudwatch:namespace': 'ML/Drift' } }),
    expect: 'allow',
    why: 'publishes drift metrics the alarms read',
    doc: DOC.cloudwatchNamespace,
  },
  {
    actor: DRIFT,
    action: 's3:PutObject',
    resourceLabel: `Models/${BASELINE}`,
    resource: (m) => m.object('Models', BASELINE),
    options: (m) => ({ ...viaS3Gateway, context: sseKms(m.arn('KeysModelsKey')) }),
    expect: 'deny',
    why: 'it cannot rewrite the baseline it judges against',
    doc: DOC.s3Actions,
  },
  {
    actor: DRIFT,
    action: 's3:GetObject',
    resourceLabel: 'ModelArtifacts/models/churn/1/model.tar.gz',
    resource: (m) => m.object('ModelArtifacts', 'models/churn/1/model.tar.gz'),
    options: () => viaS3Gateway,
    expect: 'deny',
    why: 'it reads capture, not model artifacts',
    doc: DOC.s3Actions,
  },
];

const securityGroup = (m: ReferenceModel, id: string) =>
  `arn:aws:ec2:${m.region}:${m.account}:security-group/${id}`;

/**
 * The default-security-group closer (a SecureFunction in the VPC, reaching EC2 through the `ec2`
 * interface endpoint): each call of RESTRICT_DEFAULT_SG_SDK_CALLS on the VPC's default group, and
 * on no other group.
 */
const closerCalls: AccessCase[] = RESTRICT_DEFAULT_SG_SDK_CALLS.flatMap(({ iamAction }): AccessCase[] => [
  {
    actor: CLOSER,
    action: iamAction,
    resourceLabel: 'security-group/<the VPC default group>',
    resource: (m) => securityGroup(m, m.att('Network', 'DefaultSecurityGroup')),
    options: () => ({ via: ['NetworkEc2'] }),
    expect: 'allow',
    why: iamAction.includes('Revoke')
      ? 'removes the default rules when the stack creates the VPC'
      : 'restores the default rules when the stack deletes the closer',
    doc: DOC.ec2SecurityGroups,
  },
  {
    actor: CLOSER,
    action: iamAction,
    resourceLabel: 'security-group/<another group> (NetworkEndpointSecurityGroup)',
    resource: (m) => securityGroup(m, m.att('NetworkEndpointSecurityGroup', 'GroupId')),
    options: () => ({ via: ['NetworkEc2'] }),
    expect: 'deny',
    why: 'it changes the default group only',
    doc: DOC.ec2SecurityGroups,
  },
]);

/** A function's role cannot write another function's log group (WriteOwnLogs is per group). */
function notOthersLogs(role: string, otherLogGroup: string, stream: string): AccessCase {
  return {
    actor: { role },
    action: 'logs:PutLogEvents',
    resourceLabel: `${otherLogGroup}:log-stream:… (another function's logs)`,
    resource: (m) => m.logStream(otherLogGroup, stream),
    expect: 'deny',
    why: 'a function writes its own log group only, so it cannot forge another one’s logs',
    doc: DOC.lambdaLogs,
  };
}

/** What Lambda itself does with a function's execution role: logs, DLQ, destinations, ENIs, traces. */
export function platformCalls(
  role: string,
  logGroup: string,
  deadLetters: string,
  stream: string,
): AccessCase[] {
  const actor = { role };
  return [
    {
      actor: { service: 'lambda.amazonaws.com' },
      action: 'sts:AssumeRole',
      resourceLabel: role,
      resource: (m) => m.att(role, 'Arn'),
      expect: 'allow',
      why: 'Lambda assumes the execution role',
      doc: DOC.lambdaRole,
    },
    ...['logs:CreateLogStream', 'logs:PutLogEvents'].map((action): AccessCase => ({
      actor,
      action,
      resourceLabel: `${logGroup}:log-stream:…`,
      resource: (m) => m.logStream(logGroup, stream),
      expect: 'allow',
      why: 'Lambda writes the function logs with the execution role',
      doc: DOC.lambdaLogs,
    })),
    {
      actor,
      action: 'sqs:SendMessage',
      resourceLabel: deadLetters,
      resource: (m) => m.arn(deadLetters),
      expect: 'allow',
      why: 'Lambda sends failed async events to the DLQ',
      doc: DOC.lambdaAsync,
    },
    ...['kms:GenerateDataKey', 'kms:Decrypt'].map((action): AccessCase => ({
      actor,
      action,
      resourceLabel: 'KeysLogsKey (via SQS)',
      resource: (m) => m.arn('KeysLogsKey'),
      options: (m) => ({
        context: via(m, 'sqs', { 'kms:EncryptionContext:aws:sqs:arn': m.arn(deadLetters) }),
      }),
      expect: 'allow',
      why: 'SQS encrypts the dead letter',
      doc: DOC.sqsSse,
    })),
    {
      actor,
      action: 'ec2:CreateNetworkInterface',
      resourceLabel: 'subnet of the isolated network',
      resource: (m) => `arn:aws:ec2:${m.region}:${m.account}:subnet/${m.ref('NetworkisolatedSubnet1Subnet')}`,
      expect: 'allow',
      why: 'Lambda attaches the function to the VPC',
      doc: DOC.lambdaVpc,
    },
    {
      actor,
      action: 'ec2:DescribeNetworkInterfaces',
      resourceLabel: '*',
      resource: () => '*',
      expect: 'allow',
      why: 'Lambda manages the function ENIs',
      doc: DOC.lambdaVpc,
    },
    {
      actor,
      action: 'xray:PutTraceSegments',
      resourceLabel: '*',
      resource: () => '*',
      expect: 'allow',
      why: 'active tracing',
      doc: DOC.lambdaXray,
    },
  ];
}

/** The schedules that run each function. */
function scheduleCalls(role: string, fn: string, deadLetters: string): AccessCase[] {
  const actor = { role };
  return [
    {
      actor: { service: 'scheduler.amazonaws.com' },
      action: 'sts:AssumeRole',
      resourceLabel: role,
      resource: (m) => m.att(role, 'Arn'),
      options: (m) => ({ context: { 'aws:SourceAccount': m.account } }),
      expect: 'allow',
      why: 'Scheduler assumes the schedule role',
      doc: DOC.scheduler,
    },
    {
      actor: { service: 'scheduler.amazonaws.com' },
      action: 'sts:AssumeRole',
      resourceLabel: `${role} (other account)`,
      resource: (m) => m.att(role, 'Arn'),
      options: () => ({ context: { 'aws:SourceAccount': '210987654321' } }),
      expect: 'deny',
      why: 'no schedule of another account can use it',
      doc: DOC.confusedDeputy,
    },
    {
      actor,
      action: 'lambda:InvokeFunction',
      resourceLabel: fn,
      resource: (m) => m.arn(fn),
      expect: 'allow',
      why: 'the schedule invokes the function',
      doc: DOC.scheduler,
    },
    {
      actor,
      action: 'sqs:SendMessage',
      resourceLabel: deadLetters,
      resource: (m) => m.arn(deadLetters),
      expect: 'allow',
      why: 'undelivered runs go to the DLQ',
      doc: DOC.schedulerDlq,
    },
    {
      actor,
      action: 'kms:GenerateDataKey',
      resourceLabel: 'KeysLogsKey (via SQS)',
      resource: (m) => m.arn('KeysLogsKey'),
      options: (m) => ({
        context: via(m, 'sqs', { 'kms:EncryptionContext:aws:sqs:arn': m.arn(deadLetters) }),
      }),
      expect: 'allow',
      why: 'SQS encrypts the undelivered run',
      doc: DOC.sqsSse,
    },
  ];
}

/** Every case of the two Lambda handlers and their schedules. */
export const LAMBDA_CASES: readonly AccessCase[] = [
  ...autoShutdownCalls,
  ...REVIEW_GATE_CASES,
  ...BIAS_CHECK_CASES,
  ...LINEAGE_CASES,
  ...platformCalls(
    WRITE_MANIFEST_ROLE,
    'ChurnTrainingWriteManifestLogs',
    'ChurnTrainingWriteManifestDeadLetters',
    '2026/12/01/[$LATEST]0123456789abcdef',
  ),
  ...platformCalls(
    RECORD_LINEAGE_ROLE,
    'ChurnTrainingRecordLineageLogs',
    'ChurnTrainingRecordLineageDeadLetters',
    '2026/12/01/[$LATEST]0123456789abcdef',
  ),
  ...platformCalls(
    BIAS_CHECK_ROLE,
    'ChurnTrainingBiasCheckLogs',
    'ChurnTrainingBiasCheckDeadLetters',
    '2026/12/01/[$LATEST]0123456789abcdef',
  ),
  ...FAIRNESS_CHECK_CASES,
  ...platformCalls(
    FAIRNESS_CHECK_ROLE,
    'ChurnTrainingFairnessCheckLogs',
    'ChurnTrainingFairnessCheckDeadLetters',
    '2026/12/01/[$LATEST]0123456789abcdef',
  ),
  ...platformCalls(
    REVIEW_GATE_ROLE,
    'ModelReviewGateFunctionLogs',
    'ModelReviewGateFunctionDeadLetters',
    '2026/12/01/[$LATEST]0123456789abcdef',
  ),
  ...LEGAL_HOLD_CASES,
  ...platformCalls(
    LEGAL_HOLD_ROLE,
    'ModelDataLegalHoldFunctionLogs',
    'ModelDataLegalHoldFunctionDeadLetters',
    '2026/12/01/[$LATEST]0123456789abcdef',
  ),
  ...MODEL_DOCS_CASES,
  ...platformCalls(
    MODEL_DOCS_ROLE,
    'ModelDocumentationFunctionLogs',
    'ModelDocumentationFunctionDeadLetters',
    '2026/12/01/[$LATEST]0123456789abcdef',
  ),
  ...platformCalls(
    'AutoShutdownFunctionRole',
    'AutoShutdownFunctionLogs',
    'AutoShutdownFunctionDeadLetters',
    '2026/12/01/[$LATEST]0123456789abcdef',
  ),
  {
    actor: AUTO_SHUTDOWN,
    action: 'sns:Publish',
    resourceLabel: 'Alerts',
    resource: (m) => m.arn('Alerts'),
    expect: 'allow',
    why: 'Lambda sends the on-success destination',
    doc: DOC.lambdaAsync,
  },
  {
    actor: AUTO_SHUTDOWN,
    action: 'kms:GenerateDataKey',
    resourceLabel: 'KeysLogsKey (via SNS)',
    resource: (m) => m.arn('KeysLogsKey'),
    options: (m) => ({
      context: via(m, 'sns', { 'kms:EncryptionContext:aws:sns:topicArn': m.arn('Alerts') }),
    }),
    expect: 'allow',
    why: 'SNS encrypts the destination record',
    doc: DOC.snsSse,
  },
  ...scheduleCalls('AutoShutdownSchedulerRole', 'AutoShutdownFunction', 'AutoShutdownScheduleDeadLetters'),
  ...driftCalls,
  ...platformCalls(
    'DriftMonitorFunctionRole',
    'DriftMonitorFunctionLogs',
    'DriftMonitorFunctionDeadLetters',
    '2026/12/01/[$LATEST]fedcba9876543210',
  ),
  ...scheduleCalls('DriftMonitorScheduleRole', 'DriftMonitorFunction', 'DriftMonitorFunctionDeadLetters'),
  ...QUALITY_CASES,
  ...platformCalls(
    'QualityMonitorFunctionRole',
    'QualityMonitorFunctionLogs',
    'QualityMonitorFunctionDeadLetters',
    '2026/12/01/[$LATEST]0f1e2d3c4b5a69788796a5b4c3d2e1f0',
  ),
  ...scheduleCalls(
    'QualityMonitorScheduleRole',
    'QualityMonitorFunction',
    'QualityMonitorFunctionDeadLetters',
  ),
  notOthersLogs(
    'QualityMonitorFunctionRole',
    'DriftMonitorFunctionLogs',
    '2026/12/01/[$LATEST]fedcba9876543210',
  ),
  ...closerCalls,
  ...platformCalls(
    'NetworkDefaultSecurityGroupCloserFunctionRole',
    'NetworkDefaultSecurityGroupCloserFunctionLogs',
    'NetworkDefaultSecurityGroupCloserFunctionDeadLetters',
    '2026/12/01/[$LATEST]00112233445566778899aabbccddeeff',
  ),
  notOthersLogs(
    'AutoShutdownFunctionRole',
    'DriftMonitorFunctionLogs',
    '2026/12/01/[$LATEST]fedcba9876543210',
  ),
  notOthersLogs(
    'DriftMonitorFunctionRole',
    'AutoShutdownFunctionLogs',
    '2026/12/01/[$LATEST]0123456789abcdef',
  ),
  notOthersLogs(
    'NetworkDefaultSecurityGroupCloserFunctionRole',
    'AutoShutdownFunctionLogs',
    '2026/12/01/[$LATEST]0123456789abcdef',
  ),
];

/** The handler roles and the SDK calls each declares (a test checks each has an allowed case). */
export const HANDLER_CALLS = [
  { role: 'AutoShutdownFunctionRole', calls: AUTO_SHUTDOWN_SDK_CALLS },
  { role: 'DriftMonitorFunctionRole', calls: DRIFT_MONITOR_SDK_CALLS },
  { role: 'QualityMonitorFunctionRole', calls: MODEL_QUALITY_MONITOR_SDK_CALLS },
  { role: 'NetworkDefaultSecurityGroupCloserFunctionRole', calls: RESTRICT_DEFAULT_SG_SDK_CALLS },
  REVIEW_GATE_HANDLER_CALLS,
  LEGAL_HOLD_HANDLER_CALLS,
  BIAS_CHECK_HANDLER_CALLS,
  FAIRNESS_CHECK_HANDLER_CALLS,
  MODEL_DOCS_HANDLER_CALLS,
  ...LINEAGE_HANDLER_CALLS,
] as const;
