import { FAIRNESS_CHECK_SDK_CALLS } from '../../../lib/handlers/fairness-check/sdk-calls';
import { type AccessCase, sseKms, viaS3 } from '../cases';
import { DOC } from './docs';

/** The fairness check function's role (its Lambda platform calls are cases of cases/lambda.ts). */
export const FAIRNESS_CHECK_ROLE = 'ChurnTrainingFairnessCheckRole';
const CHECK = { role: FAIRNESS_CHECK_ROLE } as const;
const PIPELINE = { role: 'ChurnTrainingRole' } as const;
const TRAINING = { role: 'ChurnTrainingExecutionRole' } as const;
const viaS3Gateway = { via: ['NetworkS3'] };
const EXECUTION = 'a1b2c3d4e5f6';
const PREDICTIONS = `evaluation/churn-training/${EXECUTION}/predictions.jsonl`;
const EVALUATION_REPORT = `evaluation/churn-training/${EXECUTION}/evaluation.json`;
const REPORT = `bias-reports/churn-model/${EXECUTION}/post-training.json`;
const PRE_TRAINING_REPORT = `bias-reports/churn-model/${EXECUTION}/pre-training.json`;
const TRAIN_OBJECT = 'datasets/churn/v1/train/part-00000.csv.gz';
/** The Lambda step of a SageMaker pipeline (FunctionArn invoked with the pipeline role). */
const LAMBDA_STEP =
  'https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-steps-types.html#step-type-lambda';

/**
 * The post-training fairness check of the churn pipeline: the pipeline role invokes exactly the
 * check function (the CheckFairness Lambda step); the function reads the predictions file of an
 * execution's evaluation output, writes the post-training report beside the pre-training one,
 * and nothing else: not the training data, not the evaluation report, not the other report.
 */
export const FAIRNESS_CHECK_CASES: readonly AccessCase[] = [
  {
    actor: PIPELINE,
    action: 'lambda:InvokeFunction',
    resourceLabel: 'ChurnTrainingFairnessCheck',
    resource: (m) => m.arn('ChurnTrainingFairnessCheck'),
    expect: 'allow',
    why: 'the CheckFairness step invokes the function with the pipeline role',
    doc: LAMBDA_STEP,
  },
  {
    actor: TRAINING,
    action: 'lambda:InvokeFunction',
    resourceLabel: 'ChurnTrainingFairnessCheck',
    resource: (m) => m.arn('ChurnTrainingFairnessCheck'),
    expect: 'deny',
    why: 'the jobs cannot run the check (or skip it)',
    doc: DOC.pipelinesRole,
  },
  {
    actor: CHECK,
    action: 's3:GetObject',
    resourceLabel: `ChurnTrainingArtifacts/${PREDICTIONS}`,
    resource: (m) => m.object('ChurnTrainingArtifacts', PREDICTIONS),
    options: () => viaS3Gateway,
    expect: 'allow',
    why: "streams the execution's predictions into the post-training metrics",
    doc: DOC.s3Actions,
  },
  {
    actor: CHECK,
    action: 'kms:Decrypt',
    resourceLabel: 'KeysModelsKey (via S3, ChurnTrainingArtifacts)',
    resource: (m) => m.arn('KeysModelsKey'),
    options: (m) => ({ context: viaS3(m, 'ChurnTrainingArtifacts') }),
    expect: 'allow',
    why: 'S3 decrypts the predictions file for it',
    doc: DOC.s3KmsContext,
  },
  {
    actor: CHECK,
    action: 's3:PutObject',
    resourceLabel: `ModelArtifacts/${REPORT} (SSE-KMS headers)`,
    resource: (m) => m.object('ModelArtifacts', REPORT),
    options: (m) => ({ ...viaS3Gateway, context: sseKms(m.arn('KeysModelsKey')) }),
    expect: 'allow',
    why: 'writes the post-training report (beside pre-training.json), models key',
    doc: DOC.s3Sse,
  },
  {
    actor: CHECK,
    action: 'kms:GenerateDataKey',
    resourceLabel: 'KeysModelsKey (via S3, ModelArtifacts)',
    resource: (m) => m.arn('KeysModelsKey'),
    options: (m) => ({ context: viaS3(m, 'ModelArtifacts') }),
    expect: 'allow',
    why: 'S3 encrypts the report for it',
    doc: DOC.s3KmsContext,
  },
  {
    actor: CHECK,
    action: 's3:GetObject',
    resourceLabel: `Datasets/${TRAIN_OBJECT}`,
    resource: (m) => m.object('Datasets', TRAIN_OBJECT),
    options: () => viaS3Gateway,
    expect: 'deny',
    why: 'it judges the predictions, never the training data',
    doc: DOC.s3Actions,
  },
  {
    actor: CHECK,
    action: 's3:GetObject',
    resourceLabel: `ChurnTrainingArtifacts/${EVALUATION_REPORT}`,
    resource: (m) => m.object('ChurnTrainingArtifacts', EVALUATION_REPORT),
    options: () => viaS3Gateway,
    expect: 'deny',
    why: 'only the predictions file of the evaluation output',
    doc: DOC.s3Actions,
  },
  {
    actor: CHECK,
    action: 's3:GetObject',
    resourceLabel: 'ChurnTrainingArtifacts/models/churn-training/a1b2c3d4e5f6/output/model.tar.gz',
    resource: (m) =>
      m.object('ChurnTrainingArtifacts', `models/churn-training/${EXECUTION}/output/model.tar.gz`),
    options: () => viaS3Gateway,
    expect: 'deny',
    why: 'it reads predictions, not model artifacts',
    doc: DOC.s3Actions,
  },
  {
    actor: CHECK,
    action: 's3:PutObject',
    resourceLabel: `ModelArtifacts/${PRE_TRAINING_REPORT}`,
    resource: (m) => m.object('ModelArtifacts', PRE_TRAINING_REPORT),
    options: (m) => ({ ...viaS3Gateway, context: sseKms(m.arn('KeysModelsKey')) }),
    expect: 'deny',
    why: 'it cannot overwrite the pre-training report a reviewer cites',
    doc: DOC.s3Actions,
  },
  {
    actor: CHECK,
    action: 's3:PutObject',
    resourceLabel: `ChurnTrainingArtifacts/${PREDICTIONS}`,
    resource: (m) => m.object('ChurnTrainingArtifacts', PREDICTIONS),
    options: (m) => ({ ...viaS3Gateway, context: sseKms(m.arn('KeysModelsKey')) }),
    expect: 'deny',
    why: 'it can never change the predictions it judges',
    doc: DOC.s3Actions,
  },
  {
    actor: CHECK,
    action: 's3:ListBucket',
    resourceLabel: 'Datasets (prefix datasets/churn/)',
    resource: (m) => m.arn('Datasets'),
    options: () => ({ ...viaS3Gateway, context: { 's3:prefix': 'datasets/churn/' } }),
    expect: 'deny',
    why: 'no listing of the training data',
    doc: DOC.s3Prefix,
  },
];

/** The check's role and the SDK calls its handler declares (each needs an allowed case). */
export const FAIRNESS_CHECK_HANDLER_CALLS = {
  role: FAIRNESS_CHECK_ROLE,
  calls: FAIRNESS_CHECK_SDK_CALLS,
} as const;
