import { MODEL_HEALTH_CANARY_SDK_CALLS } from '../../../lib/handlers/model-health-canary/sdk-calls';
import { type AccessCase, sseKms, via, viaS3 } from '../cases';
import type { ReferenceModel } from '../harness';
import { DOC } from './docs';

// The on-call actors of issue 19: the model-health canary of the serving stack and the AWS
// Chatbot channel role of the platform alert topic.

const CANARY = { role: 'HealthCheckRole' } as const;
const CHAT = { role: 'AlertsChatRole' } as const;

/** The canary name of the reference app's health check (derived from its construct path). */
export const REFERENCE_CANARY = 'mlopsservingchuff914c';
const ARTIFACT = `canary/${REFERENCE_CANARY}/2026/12/01/run/log.txt`;

const SYNTHETICS_PERMISSIONS =
  'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Synthetics_Canaries_CanaryPermissions.html';
const EXECUTE_API =
  'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-control-access-using-iam-policies-to-invoke-api.html';
const INVOKE_ENDPOINT =
  'https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html';
const CHATBOT_PERMISSIONS =
  'https://docs.aws.amazon.com/chatbot/latest/adminguide/understanding-permissions.html';

// The stage segment is the Stage's Ref (its name, in AWS): the grant reads stage.stageName, and
// the harness resolves that Ref to its stand-in name, so both sides of the case use the same one.
const invocations = (m: ReferenceModel, method = 'POST') =>
  `arn:aws:execute-api:${m.region}:${m.account}:${m.ref('Api')}/${m.ref('ApiDeploymentStagev1')}/${method}/invocations`;
/** A log stream of the function Synthetics creates for a canary (`cwsyn-<name>-<id>`). */
const logStream = (m: ReferenceModel, canary: string) =>
  `arn:aws:logs:${m.region}:${m.account}:log-group:/aws/lambda/cwsyn-${canary}-0123abcd:log-stream:2026/12/01/[$LATEST]0123`;
const viaS3Gateway = { via: ['NetworkS3'] };
const viaMonitoring = { via: ['NetworkMonitoring'] };
/** The golden request goes through the inference VPC's SageMaker runtime interface endpoint. */
const viaRuntime = { via: ['NetworkSagemakerRuntime'] };
/** GetRecord goes through the inference VPC's Feature Store runtime interface endpoint. */
const viaFeatureStore = { via: ['NetworkSagemakerFeaturestoreRuntime'] };
const GET_RECORD =
  'https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_feature_store_GetRecord.html';
const ONLINE_STORE_KEY =
  'https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_OnlineStoreSecurityConfig.html';
/** A feature group's ARN, `arn:aws:sagemaker:<region>:<account>:feature-group/<name>`. */
const featureGroup = (m: ReferenceModel, name: string) =>
  `arn:aws:sagemaker:${m.region}:${m.account}:feature-group/${m.ref(name).toLowerCase()}`;

/** The canary: each call of MODEL_HEALTH_CANARY_SDK_CALLS, what Synthetics does as it, what it must not do. */
const canaryCases: AccessCase[] = [
  {
    actor: { service: 'lambda.amazonaws.com' },
    action: 'sts:AssumeRole',
    resourceLabel: CANARY.role,
    resource: (m) => m.att(CANARY.role, 'Arn'),
    expect: 'allow',
    why: 'the canary runs as a Lambda function with this role (trust policy from the Synthetics page)',
    doc: SYNTHETICS_PERMISSIONS,
  },
  {
    actor: CANARY,
    action: 'sagemaker:InvokeEndpoint',
    resourceLabel: 'Endpoint (via NetworkSagemakerRuntime)',
    resource: (m) => m.arn('Endpoint'),
    options: () => viaRuntime,
    expect: 'allow',
    why: 'sends the golden request (SigV4, signing name sagemaker) through the VPC runtime endpoint',
    doc: INVOKE_ENDPOINT,
  },
  {
    actor: CANARY,
    action: 'sagemaker:InvokeEndpoint',
    resourceLabel: 'AsyncEndpoint',
    resource: (m) => m.arn('AsyncEndpoint'),
    options: () => viaRuntime,
    expect: 'deny',
    why: 'only the churn real-time endpoint',
    doc: DOC.sagemakerActions,
  },
  {
    actor: CANARY,
    action: 'sagemaker:InvokeEndpointAsync',
    resourceLabel: 'AsyncEndpoint',
    resource: (m) => m.arn('AsyncEndpoint'),
    options: () => viaRuntime,
    expect: 'deny',
    why: 'it queues no asynchronous requests',
    doc: DOC.sagemakerActions,
  },
  {
    actor: CANARY,
    action: 'sagemaker:InvokeEndpoint',
    resourceLabel: 'endpoint/other',
    resource: (m) => `arn:aws:sagemaker:${m.region}:${m.account}:endpoint/other`,
    options: () => viaRuntime,
    expect: 'deny',
    why: 'no other endpoint',
    doc: DOC.sagemakerActions,
  },
  {
    actor: CANARY,
    action: 'sagemaker:GetRecord',
    resourceLabel: 'CustomerChurnFeatures (via NetworkSagemakerFeaturestoreRuntime)',
    resource: (m) => featureGroup(m, 'CustomerChurnFeatures'),
    options: () => viaFeatureStore,
    expect: 'allow',
    why: 'reads the probe record of the churn online store through the VPC featurestore-runtime endpoint',
    doc: GET_RECORD,
  },
  {
    actor: CANARY,
    action: 'kms:Decrypt',
    resourceLabel: 'KeysDataKey (via SageMaker)',
    resource: (m) => m.arn('KeysDataKey'),
    // Feature Store decrypts the record with the caller's permissions, as the SageMaker service.
    options: (m) => ({ context: via(m, 'sagemaker') }),
    expect: 'allow',
    why: 'every GetRecord caller needs kms:Decrypt on the online store key',
    doc: ONLINE_STORE_KEY,
  },
  {
    actor: CANARY,
    action: 'kms:Decrypt',
    resourceLabel: 'KeysDataKey (direct)',
    resource: (m) => m.arn('KeysDataKey'),
    expect: 'deny',
    why: 'the data key decrypts only through its services, not for a direct call',
    doc: DOC.kmsViaService,
  },
  {
    actor: CANARY,
    action: 'kms:GenerateDataKey',
    resourceLabel: 'KeysDataKey (via SageMaker)',
    resource: (m) => m.arn('KeysDataKey'),
    options: (m) => ({ context: via(m, 'sagemaker') }),
    expect: 'deny',
    why: 'it encrypts nothing with the feature store key',
    doc: ONLINE_STORE_KEY,
  },
  {
    actor: CANARY,
    action: 'sagemaker:GetRecord',
    resourceLabel: 'CustomerChurnFeaturesRestricted',
    resource: (m) => featureGroup(m, 'CustomerChurnFeaturesRestricted'),
    options: () => viaFeatureStore,
    expect: 'deny',
    why: 'not the restricted (PII) group',
    doc: DOC.featureStore,
  },
  {
    actor: CANARY,
    action: 'sagemaker:GetRecord',
    resourceLabel: 'feature-group/other',
    resource: (m) => `arn:aws:sagemaker:${m.region}:${m.account}:feature-group/other`,
    options: () => viaFeatureStore,
    expect: 'deny',
    why: 'no other feature group',
    doc: DOC.featureStore,
  },
  ...['sagemaker:PutRecord', 'sagemaker:DeleteRecord', 'sagemaker:BatchGetRecord'].map(
    (action): AccessCase => ({
      actor: CANARY,
      action,
      resourceLabel: 'CustomerChurnFeatures',
      resource: (m) => featureGroup(m, 'CustomerChurnFeatures'),
      options: () => viaFeatureStore,
      expect: 'deny',
      why:
        action === 'sagemaker:BatchGetRecord'
          ? 'it reads one record, with GetRecord'
          : 'it writes no records',
      doc: DOC.featureStore,
    }),
  ),
  {
    actor: CANARY,
    action: 'execute-api:Invoke',
    resourceLabel: 'Api POST /invocations',
    resource: (m) => invocations(m),
    expect: 'deny',
    why: 'the public API is unreachable from its isolated subnets: it goes to the endpoint directly',
    doc: EXECUTE_API,
  },
  ...['ML/ModelHealth', 'CloudWatchSynthetics'].map((ns): AccessCase => ({
    actor: CANARY,
    action: 'cloudwatch:PutMetricData',
    resourceLabel: `* (namespace ${ns})`,
    resource: () => '*',
    options: () => ({ ...viaMonitoring, context: { 'cloudwatch:namespace': ns } }),
    expect: 'allow',
    why:
      ns === 'ML/ModelHealth'
        ? 'publishes the per-check metrics the alarms read'
        : 'Synthetics publishes SuccessPercent as the canary',
    doc: DOC.cloudwatchNamespace,
  })),
  {
    actor: CANARY,
    action: 'cloudwatch:PutMetricData',
    resourceLabel: '* (namespace ML/Drift)',
    resource: () => '*',
    options: () => ({ ...viaMonitoring, context: { 'cloudwatch:namespace': 'ML/Drift' } }),
    expect: 'deny',
    why: 'it cannot forge the drift metrics',
    doc: DOC.cloudwatchNamespace,
  },
  {
    actor: CANARY,
    action: 's3:PutObject',
    resourceLabel: `Models/${ARTIFACT} (SSE-KMS headers)`,
    resource: (m) => m.object('Models', ARTIFACT),
    options: (m) => ({ ...viaS3Gateway, context: sseKms(m.arn('KeysModelsKey')) }),
    expect: 'allow',
    why: 'uploads its run artifacts under its prefix',
    doc: SYNTHETICS_PERMISSIONS,
  },
  {
    actor: CANARY,
    action: 's3:GetBucketLocation',
    resourceLabel: 'Models',
    resource: (m) => m.arn('Models'),
    options: () => viaS3Gateway,
    expect: 'allow',
    why: 'Synthetics locates the artifact bucket',
    doc: SYNTHETICS_PERMISSIONS,
  },
  {
    actor: CANARY,
    action: 'kms:GenerateDataKey',
    resourceLabel: 'KeysModelsKey (via S3)',
    resource: (m) => m.arn('KeysModelsKey'),
    options: (m) => ({ context: viaS3(m, 'Models') }),
    expect: 'allow',
    why: 'S3 encrypts the artifacts with the bucket key for it',
    doc: DOC.s3KmsContext,
  },
  {
    actor: CANARY,
    action: 'logs:CreateLogStream',
    resourceLabel: `/aws/lambda/cwsyn-${REFERENCE_CANARY}-<id>`,
    resource: (m) => logStream(m, REFERENCE_CANARY),
    expect: 'allow',
    why: 'the canary function logs its runs',
    doc: SYNTHETICS_PERMISSIONS,
  },
  {
    actor: CANARY,
    action: 'logs:PutLogEvents',
    resourceLabel: '/aws/lambda/cwsyn-othercanary-<id>',
    resource: (m) => logStream(m, 'othercanary'),
    expect: 'deny',
    why: 'no other canary log group',
    doc: SYNTHETICS_PERMISSIONS,
  },
  {
    actor: CANARY,
    action: 's3:PutObject',
    resourceLabel: 'Models/drift-baselines/churn/baseline.json',
    resource: (m) => m.object('Models', 'drift-baselines/churn/baseline.json'),
    options: (m) => ({ ...viaS3Gateway, context: sseKms(m.arn('KeysModelsKey')) }),
    expect: 'deny',
    why: 'it writes nothing outside its artifact prefix',
    doc: DOC.s3Actions,
  },
];

/** The Chatbot channel role: renders alarm graphs, nothing else. */
const chatCases: AccessCase[] = [
  {
    actor: { service: 'chatbot.amazonaws.com' },
    action: 'sts:AssumeRole',
    resourceLabel: CHAT.role,
    resource: (m) => m.att(CHAT.role, 'Arn'),
    expect: 'allow',
    why: 'Chatbot assumes the channel role',
    doc: CHATBOT_PERMISSIONS,
  },
  {
    actor: { service: 'lambda.amazonaws.com' },
    action: 'sts:AssumeRole',
    resourceLabel: `${CHAT.role} (by Lambda)`,
    resource: (m) => m.att(CHAT.role, 'Arn'),
    expect: 'deny',
    why: 'no other service can take the channel role',
    doc: DOC.trust,
  },
  {
    actor: CHAT,
    action: 'cloudwatch:GetMetricWidgetImage',
    resourceLabel: '*',
    resource: () => '*',
    expect: 'allow',
    why: 'renders the graph of an alarm notification',
    doc: CHATBOT_PERMISSIONS,
  },
  {
    actor: CHAT,
    action: 'cloudwatch:DeleteAlarms',
    resourceLabel: '*',
    resource: () => '*',
    expect: 'deny',
    why: 'a chat command cannot silence alarms',
    doc: CHATBOT_PERMISSIONS,
  },
  {
    actor: CHAT,
    action: 'sns:Publish',
    resourceLabel: 'Alerts',
    resource: (m) => m.arn('Alerts'),
    expect: 'deny',
    why: 'it cannot page on-call itself',
    doc: CHATBOT_PERMISSIONS,
  },
  {
    actor: CHAT,
    action: 's3:GetObject',
    resourceLabel: 'ModelArtifacts/models/churn/1/model.tar.gz',
    resource: (m) => m.object('ModelArtifacts', 'models/churn/1/model.tar.gz'),
    expect: 'deny',
    why: 'no data access from a chat channel',
    doc: CHATBOT_PERMISSIONS,
  },
];

/** Every on-call case. */
export const ONCALL_CASES: readonly AccessCase[] = [...canaryCases, ...chatCases];

/**
 * The canary's declared SDK calls, for the coverage test: the reference app's health check sends
 * its golden request to the endpoint (InvokeEndpoint), so the API's execute-api:Invoke is declared
 * by the script but not made here (its case above is a deny).
 */
export const ONCALL_HANDLER_CALLS = [
  {
    role: CANARY.role,
    calls: MODEL_HEALTH_CANARY_SDK_CALLS.filter((c) => c.iamAction !== 'execute-api:Invoke'),
  },
] as const;
