import { type AccessCase, sseKms, via, viaS3 } from '../cases';
import type { ReferenceModel } from '../harness';
import { DOC } from './docs';

// The batch mode of the reference app's serving stack (issue 18): a nightly schedule starts a
// pipeline whose one Transform step runs the churn model over the records under the input prefix
// of the serving stack's bucket. Transform jobs take no role of their own: the model's execution
// role reads the records and the artifact and writes the predictions; the pipeline role creates
// and watches the job. https://docs.aws.amazon.com/sagemaker/latest/dg/batch-transform.html

const EXECUTION_ROLE = { role: 'BatchInferenceExecutionRole' } as const;
const PIPELINE = { role: 'BatchInferenceRole' } as const;
const SCHEDULE = { role: 'BatchInferenceScheduleRole' } as const;
const SAGEMAKER = { service: 'sagemaker.amazonaws.com' } as const;
const RUN = 'a1b2c3d4e5f6';
const CREATE_TRANSFORM_JOB =
  'https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateTransformJob.html';
const s3Gateway = { via: ['NetworkS3'] };

const sm = (m: ReferenceModel, rest: string) => `arn:aws:sagemaker:${m.region}:${m.account}:${rest}`;
const pipelineName = (m: ReferenceModel) => String(m.prop('BatchInference', 'PipelineName'));
const input = (m: ReferenceModel) => `batch-inference/${pipelineName(m)}/input/records-2026-12-01.csv`;
const output = (m: ReferenceModel) =>
  `batch-inference/${pipelineName(m)}/output/${RUN}/records-2026-12-01.csv.out`;
const JOB = `transform-job/pipelines-${RUN}-batchtransform-0a1b2c3d4e`;

const execution: AccessCase[] = [
  {
    actor: SAGEMAKER,
    action: 'sts:AssumeRole',
    resourceLabel: 'BatchInferenceExecutionRole',
    resource: (m) => m.att('BatchInferenceExecutionRole', 'Arn'),
    expect: 'allow',
    why: 'SageMaker runs the transform job as the model role',
    doc: DOC.sagemakerRoles,
  },
  {
    actor: EXECUTION_ROLE,
    action: 's3:GetObject',
    resourceLabel: 'Models/batch-inference/<pipeline>/input/records-2026-12-01.csv',
    resource: (m) => m.object('Models', input(m)),
    options: () => s3Gateway,
    expect: 'allow',
    why: 'reads the records (TransformInput S3Uri)',
    doc: CREATE_TRANSFORM_JOB,
  },
  {
    actor: EXECUTION_ROLE,
    action: 's3:PutObject',
    resourceLabel: 'Models/batch-inference/<pipeline>/output/<run>/records….out (SSE-KMS headers)',
    resource: (m) => m.object('Models', output(m)),
    options: (m) => ({ ...s3Gateway, context: sseKms(m.arn('KeysModelsKey')) }),
    expect: 'allow',
    why: 'writes the predictions (TransformOutput S3OutputPath, KmsKeyId)',
    doc: CREATE_TRANSFORM_JOB,
  },
  {
    actor: EXECUTION_ROLE,
    action: 'kms:GenerateDataKey',
    resourceLabel: 'KeysModelsKey (via S3)',
    resource: (m) => m.arn('KeysModelsKey'),
    options: (m) => ({ context: viaS3(m, 'Models') }),
    expect: 'allow',
    why: 'S3 encrypts the predictions with the bucket key',
    doc: DOC.sagemakerKms,
  },
  {
    actor: EXECUTION_ROLE,
    action: 's3:GetObject',
    resourceLabel: 'ModelArtifacts/models/churn/1/model.tar.gz',
    resource: (m) => m.object('ModelArtifacts', 'models/churn/1/model.tar.gz'),
    options: () => s3Gateway,
    expect: 'allow',
    why: 'loads the served model artifact',
    doc: DOC.sagemakerRoles,
  },
  {
    actor: EXECUTION_ROLE,
    action: 'kms:CreateGrant',
    resourceLabel: 'KeysModelsKey (via SageMaker, for an AWS resource)',
    resource: (m) => m.arn('KeysModelsKey'),
    options: (m) => ({ context: via(m, 'sagemaker', { 'kms:GrantIsForAWSResource': 'true' }) }),
    expect: 'allow',
    why: 'SageMaker encrypts the job volume with VolumeKmsKeyId',
    doc: DOC.sagemakerKms,
  },
  {
    actor: EXECUTION_ROLE,
    action: 's3:PutObject',
    resourceLabel: 'Models/batch-inference/<pipeline>/input/records-2026-12-01.csv (SSE-KMS headers)',
    resource: (m) => m.object('Models', input(m)),
    options: (m) => ({ ...s3Gateway, context: sseKms(m.arn('KeysModelsKey')) }),
    expect: 'deny',
    why: 'the model cannot rewrite its input',
    doc: CREATE_TRANSFORM_JOB,
  },
  {
    actor: EXECUTION_ROLE,
    action: 's3:GetObject',
    resourceLabel: 'ModelArtifacts/models/churn/2/model.tar.gz',
    resource: (m) => m.object('ModelArtifacts', 'models/churn/2/model.tar.gz'),
    options: () => s3Gateway,
    expect: 'deny',
    why: 'only the artifact it serves',
    doc: DOC.sagemakerRoles,
  },
  {
    actor: EXECUTION_ROLE,
    action: 's3:GetObject',
    resourceLabel: 'Models/drift-baselines/churn/baseline.json',
    resource: (m) => m.object('Models', 'drift-baselines/churn/baseline.json'),
    options: () => s3Gateway,
    expect: 'deny',
    why: 'nothing of the bucket outside its prefixes',
    doc: DOC.s3Actions,
  },
];

const pipeline: AccessCase[] = [
  {
    actor: SAGEMAKER,
    action: 'sts:AssumeRole',
    resourceLabel: 'BatchInferenceRole',
    resource: (m) => m.att('BatchInferenceRole', 'Arn'),
    expect: 'allow',
    why: 'SageMaker Pipelines runs the pipeline as this role',
    doc: DOC.pipelinesRole,
  },
  ...['sagemaker:CreateTransformJob', 'sagemaker:DescribeTransformJob', 'sagemaker:AddTags'].map(
    (action): AccessCase => ({
      actor: PIPELINE,
      action,
      resourceLabel: JOB,
      resource: (m) => sm(m, JOB),
      expect: 'allow',
      why:
        action === 'sagemaker:CreateTransformJob'
          ? 'the BatchTransform step'
          : action === 'sagemaker:AddTags'
            ? 'Pipelines tags the job it creates'
            : 'waits for the job',
      doc: DOC.pipelinesRole,
    }),
  ),
  {
    actor: PIPELINE,
    action: 'sagemaker:CreateTransformJob',
    resourceLabel: 'transform-job/adhoc',
    resource: (m) => sm(m, 'transform-job/adhoc'),
    expect: 'deny',
    why: 'only pipeline-named jobs',
    doc: DOC.pipelinesRole,
  },
  {
    actor: PIPELINE,
    action: 'sagemaker:CreateTrainingJob',
    resourceLabel: `training-job/pipelines-${RUN}-train`,
    resource: (m) => sm(m, `training-job/pipelines-${RUN}-train`),
    expect: 'deny',
    why: 'it runs transform jobs only',
    doc: DOC.pipelinesRole,
  },
  {
    actor: PIPELINE,
    action: 's3:GetObject',
    resourceLabel: 'Models/batch-inference/<pipeline>/input/records-2026-12-01.csv',
    resource: (m) => m.object('Models', input(m)),
    expect: 'deny',
    why: 'the data is read by the job (model role), not the pipeline',
    doc: DOC.pipelinesRole,
  },
];

const starters: AccessCase[] = [
  {
    actor: { service: 'scheduler.amazonaws.com' },
    action: 'sts:AssumeRole',
    resourceLabel: 'BatchInferenceScheduleRole',
    resource: (m) => m.att('BatchInferenceScheduleRole', 'Arn'),
    options: (m) => ({ context: { 'aws:SourceAccount': m.account } }),
    expect: 'allow',
    why: 'the nightly schedule',
    doc: DOC.scheduler,
  },
  {
    actor: SCHEDULE,
    action: 'sagemaker:StartPipelineExecution',
    resourceLabel: 'pipeline/<batch pipeline>',
    resource: (m) => sm(m, `pipeline/${pipelineName(m).toLowerCase()}`),
    expect: 'allow',
    why: 'starts the batch pipeline',
    doc: DOC.scheduler,
  },
  {
    actor: SCHEDULE,
    action: 'sqs:SendMessage',
    resourceLabel: 'BatchInferenceTriggerDeadLetters',
    resource: (m) => m.arn('BatchInferenceTriggerDeadLetters'),
    expect: 'allow',
    why: 'undelivered starts go to the DLQ',
    doc: DOC.schedulerDlq,
  },
  {
    actor: SCHEDULE,
    action: 'kms:GenerateDataKey',
    resourceLabel: 'BatchInferenceTriggerDeadLettersKey (via SQS)',
    resource: (m) => m.arn('BatchInferenceTriggerDeadLettersKey'),
    options: (m) => ({
      context: via(m, 'sqs', {
        'kms:EncryptionContext:aws:sqs:arn': m.arn('BatchInferenceTriggerDeadLetters'),
      }),
    }),
    expect: 'allow',
    why: 'SQS encrypts the undelivered start',
    doc: DOC.sqsSse,
  },
  {
    actor: SCHEDULE,
    action: 'sagemaker:StartPipelineExecution',
    resourceLabel: 'pipeline/churn-training',
    resource: (m) => sm(m, 'pipeline/churn-training'),
    expect: 'deny',
    why: 'starts only the batch pipeline, not training',
    doc: DOC.scheduler,
  },
];

// The role EventBridge rules start the pipeline with (`runOnNewInput`, or a rule of the app's own
// through `eventRole`): the reference app wires no such rule, but the role exists and may only start
// this pipeline.
const events: AccessCase[] = [
  {
    actor: { service: 'events.amazonaws.com' },
    action: 'sts:AssumeRole',
    resourceLabel: 'BatchInferenceEventRole',
    resource: (m) => m.att('BatchInferenceEventRole', 'Arn'),
    options: (m) => ({ context: { 'aws:SourceAccount': m.account } }),
    expect: 'allow',
    why: 'a rule of this account starts the batch pipeline',
    doc: DOC.eventsRole,
  },
  {
    actor: { role: 'BatchInferenceEventRole' },
    action: 'sagemaker:StartPipelineExecution',
    resourceLabel: 'pipeline/<batch pipeline>',
    resource: (m) => sm(m, `pipeline/${pipelineName(m).toLowerCase()}`),
    expect: 'allow',
    why: 'starts the batch pipeline on an event',
    doc: DOC.eventsRole,
  },
  {
    actor: { role: 'BatchInferenceEventRole' },
    action: 'sagemaker:StartPipelineExecution',
    resourceLabel: 'pipeline/churn-training',
    resource: (m) => sm(m, 'pipeline/churn-training'),
    expect: 'deny',
    why: 'starts only the batch pipeline',
    doc: DOC.eventsRole,
  },
];

/** The batch inference actors of the serving stack. */
export const BATCH_INFERENCE_CASES: readonly AccessCase[] = [
  ...execution,
  ...pipeline,
  ...starters,
  ...events,
];
