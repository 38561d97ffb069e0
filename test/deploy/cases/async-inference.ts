import { type AccessCase, sseKms, via, viaS3 } from '../cases';
import { DOC } from './docs';

// The asynchronous endpoint of the reference app's serving stack: its execution role reads each
// request from the input prefix, writes the response or the failure, and publishes the success or
// error notification, all as the role (SageMaker acts with the execution role's permissions).
// https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-create-endpoint-prerequisites.html

const ASYNC = { role: 'AsyncEndpointRole' } as const;
const SAGEMAKER = { service: 'sagemaker.amazonaws.com' } as const;
const NAME = 'mlops-serving-churn-asyncendpoint-0e296d6c';
const INPUT = `async-inference/${NAME}/input/batch-0001.csv`;
const OUTPUT = `async-inference/${NAME}/output/0f7c9a2e-4d1b-4c3e-9a8f-2b6d5e4c3a21.out`;
const FAILURE = `async-inference/${NAME}/failure/0f7c9a2e-4d1b-4c3e-9a8f-2b6d5e4c3a21-error.out`;
const PREREQUISITES =
  'https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-create-endpoint-prerequisites.html';

/** The asynchronous endpoint's execution role. */
export const ASYNC_INFERENCE_CASES: readonly AccessCase[] = [
  {
    actor: SAGEMAKER,
    action: 'sts:AssumeRole',
    resourceLabel: 'AsyncEndpointRole',
    resource: (m) => m.att('AsyncEndpointRole', 'Arn'),
    expect: 'allow',
    why: 'SageMaker assumes the role',
    doc: DOC.sagemakerRoles,
  },
  {
    actor: ASYNC,
    action: 's3:GetObject',
    resourceLabel: `Models/${INPUT}`,
    resource: (m) => m.object('Models', INPUT),
    expect: 'allow',
    why: 'reads the queued request (InputLocation)',
    doc: PREREQUISITES,
  },
  {
    actor: ASYNC,
    action: 'kms:Decrypt',
    resourceLabel: 'KeysModelsKey (via S3)',
    resource: (m) => m.arn('KeysModelsKey'),
    options: (m) => ({ context: viaS3(m, 'Models') }),
    expect: 'allow',
    why: 'S3 decrypts the request',
    doc: DOC.sagemakerKms,
  },
  ...[
    [OUTPUT, 'writes the response (S3OutputPath)'],
    [FAILURE, 'writes the failure (S3FailurePath)'],
  ].map(([object, why]): AccessCase => ({
    actor: ASYNC,
    action: 's3:PutObject',
    resourceLabel: `Models/${object} (SSE-KMS headers)`,
    resource: (m) => m.object('Models', object),
    options: (m) => ({ context: sseKms(m.arn('KeysModelsKey')) }),
    expect: 'allow',
    why,
    doc: 'https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_AsyncInferenceOutputConfig.html',
  })),
  {
    actor: ASYNC,
    action: 'kms:GenerateDataKey',
    resourceLabel: 'KeysModelsKey (via S3)',
    resource: (m) => m.arn('KeysModelsKey'),
    options: (m) => ({ context: viaS3(m, 'Models') }),
    expect: 'allow',
    why: 'S3 encrypts the result with OutputConfig.KmsKeyId',
    doc: DOC.sagemakerKms,
  },
  ...['AsyncEndpointSuccessTopic', 'AsyncEndpointErrorTopic'].flatMap((topic): AccessCase[] => [
    {
      actor: ASYNC,
      action: 'sns:Publish',
      resourceLabel: topic,
      resource: (m) => m.arn(topic),
      expect: 'allow',
      why: 'SageMaker publishes the notification as the execution role',
      doc: PREREQUISITES,
    },
    {
      actor: ASYNC,
      action: 'kms:GenerateDataKey',
      resourceLabel: `KeysLogsKey (via SNS, ${topic})`,
      resource: (m) => m.arn('KeysLogsKey'),
      options: (m) => ({
        context: via(m, 'sns', { 'kms:EncryptionContext:aws:sns:topicArn': m.arn(topic) }),
      }),
      expect: 'allow',
      why: 'SNS encrypts the notification with the topic key',
      doc: DOC.snsSse,
    },
  ]),
  {
    actor: ASYNC,
    action: 's3:PutObject',
    resourceLabel: `Models/${INPUT} (SSE-KMS headers)`,
    resource: (m) => m.object('Models', INPUT),
    options: (m) => ({ context: sseKms(m.arn('KeysModelsKey')) }),
    expect: 'deny',
    why: 'the model cannot rewrite queued requests',
    doc: PREREQUISITES,
  },
  {
    actor: ASYNC,
    action: 'sns:Publish',
    resourceLabel: 'Alerts',
    resource: (m) => m.arn('Alerts'),
    expect: 'deny',
    why: 'publishes to its own two topics only',
    doc: PREREQUISITES,
  },
];
