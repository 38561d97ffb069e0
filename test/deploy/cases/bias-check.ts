import { BIAS_CHECK_SDK_CALLS } from '../../../lib/handlers/bias-check/sdk-calls';
import { type AccessCase, sseKms, viaS3 } from '../cases';
import { DOC } from './docs';

/** The bias check function's role (its Lambda platform calls are cases of cases/lambda.ts). */
export const BIAS_CHECK_ROLE = 'ChurnTrainingBiasCheckRole';
const CHECK = { role: BIAS_CHECK_ROLE } as const;
const PIPELINE = { role: 'ChurnTrainingRole' } as const;
const TRAINING = { role: 'ChurnTrainingExecutionRole' } as const;
const viaS3Gateway = { via: ['NetworkS3'] };
const EXECUTION = 'a1b2c3d4e5f6';
const TRAIN_OBJECT = 'datasets/churn/v1/train/part-00000.csv.gz';
const REPORT = `bias-reports/churn-model/${EXECUTION}/pre-training.json`;
/** The Lambda step of a SageMaker pipeline (FunctionArn invoked with the pipeline role). */
const LAMBDA_STEP =
  'https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-steps-types.html#step-type-lambda';

/**
 * The pre-training bias check of the churn pipeline: the pipeline role invokes exactly the check
 * function (the CheckBias Lambda step); the function lists and reads the dataset's versions, writes
 * its report under the review gate's prefix of ModelArtifacts with the models key, and nothing else.
 */
export const BIAS_CHECK_CASES: readonly AccessCase[] = [
  {
    actor: PIPELINE,
    action: 'lambda:InvokeFunction',
    resourceLabel: 'ChurnTrainingBiasCheck',
    resource: (m) => m.arn('ChurnTrainingBiasCheck'),
    expect: 'allow',
    why: 'the CheckBias step invokes the function with the pipeline role',
    doc: LAMBDA_STEP,
  },
  {
    actor: PIPELINE,
    action: 'lambda:InvokeFunction',
    resourceLabel: 'ModelReviewGateFunction',
    resource: (m) => m.arn('ModelReviewGateFunction'),
    expect: 'deny',
    why: 'no other function: the grant names this one ARN',
    doc: DOC.pipelinesRole,
  },
  {
    actor: TRAINING,
    action: 'lambda:InvokeFunction',
    resourceLabel: 'ChurnTrainingBiasCheck',
    resource: (m) => m.arn('ChurnTrainingBiasCheck'),
    expect: 'deny',
    why: 'the jobs cannot run the check (or skip it)',
    doc: DOC.pipelinesRole,
  },
  {
    actor: CHECK,
    action: 's3:ListBucket',
    resourceLabel: 'Datasets (prefix datasets/churn/v1/train/)',
    resource: (m) => m.arn('Datasets'),
    options: () => ({ ...viaS3Gateway, context: { 's3:prefix': 'datasets/churn/v1/train/' } }),
    expect: 'allow',
    why: 'lists the objects of the training channel (ListObjectsV2)',
    doc: DOC.s3Prefix,
  },
  {
    actor: CHECK,
    action: 's3:ListBucket',
    resourceLabel: 'Datasets (prefix datasets/other/)',
    resource: (m) => m.arn('Datasets'),
    options: () => ({ ...viaS3Gateway, context: { 's3:prefix': 'datasets/other/' } }),
    expect: 'deny',
    why: 'only the churn dataset',
    doc: DOC.s3Prefix,
  },
  {
    actor: CHECK,
    action: 's3:GetObject',
    resourceLabel: `Datasets/${TRAIN_OBJECT}`,
    resource: (m) => m.object('Datasets', TRAIN_OBJECT),
    options: () => viaS3Gateway,
    expect: 'allow',
    why: 'streams the channel objects into the analysis',
    doc: DOC.s3Actions,
  },
  {
    actor: CHECK,
    action: 'kms:Decrypt',
    resourceLabel: 'KeysDataKey (via S3)',
    resource: (m) => m.arn('KeysDataKey'),
    options: (m) => ({ context: viaS3(m, 'Datasets') }),
    expect: 'allow',
    why: 'S3 decrypts the dataset objects for it',
    doc: DOC.s3KmsContext,
  },
  {
    actor: CHECK,
    action: 's3:PutObject',
    resourceLabel: `ModelArtifacts/${REPORT} (SSE-KMS headers)`,
    resource: (m) => m.object('ModelArtifacts', REPORT),
    options: (m) => ({ ...viaS3Gateway, context: sseKms(m.arn('KeysModelsKey')) }),
    expect: 'allow',
    why: 'writes the report the reviewers cite, with the models key',
    doc: DOC.s3Sse,
  },
  {
    actor: CHECK,
    action: 'kms:GenerateDataKey',
    resourceLabel: 'KeysModelsKey (via S3)',
    resource: (m) => m.arn('KeysModelsKey'),
    options: (m) => ({ context: viaS3(m, 'ModelArtifacts') }),
    expect: 'allow',
    why: 'S3 encrypts the report for it',
    doc: DOC.s3KmsContext,
  },
  {
    actor: CHECK,
    action: 's3:PutObject',
    resourceLabel: 'ModelArtifacts/models/churn/1/model.tar.gz',
    resource: (m) => m.object('ModelArtifacts', 'models/churn/1/model.tar.gz'),
    options: (m) => ({ ...viaS3Gateway, context: sseKms(m.arn('KeysModelsKey')) }),
    expect: 'deny',
    why: 'it writes bias reports only',
    doc: DOC.s3Actions,
  },
  {
    actor: CHECK,
    action: 's3:PutObject',
    resourceLabel: `Datasets/${TRAIN_OBJECT}`,
    resource: (m) => m.object('Datasets', TRAIN_OBJECT),
    options: (m) => ({ ...viaS3Gateway, context: sseKms(m.arn('KeysDataKey')) }),
    expect: 'deny',
    why: 'it can never change the data it judges',
    doc: DOC.s3Actions,
  },
  {
    actor: CHECK,
    action: 's3:GetObject',
    resourceLabel: 'ModelArtifacts/models/churn/1/model.tar.gz',
    resource: (m) => m.object('ModelArtifacts', 'models/churn/1/model.tar.gz'),
    options: () => viaS3Gateway,
    expect: 'deny',
    why: 'it reads the dataset, not model artifacts',
    doc: DOC.s3Actions,
  },
];

/** The check's role and the SDK calls its handler declares (each needs an allowed case). */
export const BIAS_CHECK_HANDLER_CALLS = { role: BIAS_CHECK_ROLE, calls: BIAS_CHECK_SDK_CALLS } as const;
