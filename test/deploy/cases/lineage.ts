import { DATASET_MANIFEST_SDK_CALLS } from '../../../lib/handlers/dataset-manifest/sdk-calls';
import { RECORD_LINEAGE_SDK_CALLS } from '../../../lib/handlers/record-lineage/sdk-calls';
import { type AccessCase, sseKms, viaS3 } from '../cases';
import type { ReferenceModel } from '../harness';
import { DOC } from './docs';

/** The WriteManifest function's role (its Lambda platform calls: cases/lambda.ts `platformCalls`). */
export const WRITE_MANIFEST_ROLE = 'ChurnTrainingWriteManifestRole';
/** The RecordLineage function's role. */
export const RECORD_LINEAGE_ROLE = 'ChurnTrainingRecordLineageRole';
const MANIFEST = { role: WRITE_MANIFEST_ROLE } as const;
const RECORD = { role: RECORD_LINEAGE_ROLE } as const;
const PIPELINE = { role: 'ChurnTrainingRole' } as const;
const TRAINING = { role: 'ChurnTrainingExecutionRole' } as const;
const viaS3Gateway = { via: ['NetworkS3'] };
const viaSageMaker = { via: ['NetworkSagemakerApi'] };
const EXECUTION = 'a1b2c3d4e5f6';
const TRAIN_OBJECT = 'datasets/churn/v1/train/part-00000.csv.gz';
const PROVENANCE = 'datasets/churn/v1/provenance.json';
const MANIFEST_KEY = `lineage/churn-training/${EXECUTION}/dataset-manifest.json`;
const version = (m: ReferenceModel, group: string, n: number) =>
  `arn:aws:sagemaker:${m.region}:${m.account}:model-package/${group}/${n}`;
/** The Lambda step of a SageMaker pipeline (FunctionArn invoked with the pipeline role). */
const LAMBDA_STEP =
  'https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-steps-types.html#step-type-lambda';
/** UpdateModelPackage: CustomerMetadataProperties are merged; ModelApprovalStatus is optional. */
const UPDATE_MODEL_PACKAGE =
  'https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UpdateModelPackage.html';

/**
 * The churn pipeline's lineage steps: the pipeline role invokes exactly the two functions;
 * WriteManifest lists and reads the dataset's versions (the provenance record included) and writes
 * only under its pipeline's lineage prefix of the pipeline's artifact bucket, with the models key; RecordLineage
 * may call UpdateModelPackage on churn-model versions, without an approval status, and nothing else.
 */
export const LINEAGE_CASES: readonly AccessCase[] = [
  ...(['ChurnTrainingWriteManifest', 'ChurnTrainingRecordLineage'] as const).flatMap((fn): AccessCase[] => [
    {
      actor: PIPELINE,
      action: 'lambda:InvokeFunction',
      resourceLabel: fn,
      resource: (m) => m.arn(fn),
      expect: 'allow',
      why: 'the lineage Lambda step invokes it with the pipeline role',
      doc: LAMBDA_STEP,
    },
    {
      actor: TRAINING,
      action: 'lambda:InvokeFunction',
      resourceLabel: fn,
      resource: (m) => m.arn(fn),
      expect: 'deny',
      why: 'the jobs cannot run (or forge) a lineage step',
      doc: DOC.pipelinesRole,
    },
  ]),
  {
    actor: MANIFEST,
    action: 's3:ListBucket',
    resourceLabel: 'Datasets (prefix datasets/churn/v1/train/)',
    resource: (m) => m.arn('Datasets'),
    options: () => ({ ...viaS3Gateway, context: { 's3:prefix': 'datasets/churn/v1/train/' } }),
    expect: 'allow',
    why: 'lists every object of each training channel (ListObjectsV2)',
    doc: DOC.s3Prefix,
  },
  {
    actor: MANIFEST,
    action: 's3:ListBucket',
    resourceLabel: 'Datasets (prefix datasets/other/)',
    resource: (m) => m.arn('Datasets'),
    options: () => ({ ...viaS3Gateway, context: { 's3:prefix': 'datasets/other/' } }),
    expect: 'deny',
    why: 'only the churn dataset',
    doc: DOC.s3Prefix,
  },
  ...[TRAIN_OBJECT, PROVENANCE].map((key): AccessCase => ({
    actor: MANIFEST,
    action: 's3:GetObject',
    resourceLabel: `Datasets/${key}`,
    resource: (m) => m.object('Datasets', key),
    options: () => viaS3Gateway,
    expect: 'allow',
    why: key === PROVENANCE ? 'reads the provenance record of third-party data' : 'hashes each object',
    doc: DOC.s3Actions,
  })),
  {
    actor: MANIFEST,
    action: 's3:GetObject',
    resourceLabel: 'Datasets/datasets/other/v1/train/part-0.csv',
    resource: (m) => m.object('Datasets', 'datasets/other/v1/train/part-0.csv'),
    options: () => viaS3Gateway,
    expect: 'deny',
    why: 'only the churn dataset',
    doc: DOC.s3Actions,
  },
  {
    actor: MANIFEST,
    action: 'kms:Decrypt',
    resourceLabel: 'KeysDataKey (via S3)',
    resource: (m) => m.arn('KeysDataKey'),
    options: (m) => ({ context: viaS3(m, 'Datasets') }),
    expect: 'allow',
    why: 'S3 decrypts the dataset objects for it',
    doc: DOC.s3KmsContext,
  },
  {
    actor: MANIFEST,
    action: 's3:PutObject',
    resourceLabel: `ChurnTrainingArtifacts/${MANIFEST_KEY} (SSE-KMS headers)`,
    resource: (m) => m.object('ChurnTrainingArtifacts', MANIFEST_KEY),
    options: (m) => ({ ...viaS3Gateway, context: sseKms(m.arn('KeysModelsKey')) }),
    expect: 'allow',
    why: "writes this execution's manifest with the models key",
    doc: DOC.s3Sse,
  },
  {
    actor: MANIFEST,
    action: 'kms:GenerateDataKey',
    resourceLabel: 'KeysModelsKey (via S3)',
    resource: (m) => m.arn('KeysModelsKey'),
    options: (m) => ({ context: viaS3(m, 'ChurnTrainingArtifacts') }),
    expect: 'allow',
    why: 'S3 encrypts the manifest for it',
    doc: DOC.s3KmsContext,
  },
  ...[
    'lineage/other-pipeline/a1b2c3d4e5f6/dataset-manifest.json',
    'models/churn-training/a1b2c3d4e5f6/output/model.tar.gz',
    'checkpoints/churn-training/a1b2c3d4e5f6/ckpt-1',
  ].map((key): AccessCase => ({
    actor: MANIFEST,
    action: 's3:PutObject',
    resourceLabel: `ChurnTrainingArtifacts/${key}`,
    resource: (m) => m.object('ChurnTrainingArtifacts', key),
    options: (m) => ({ ...viaS3Gateway, context: sseKms(m.arn('KeysModelsKey')) }),
    expect: 'deny',
    why: "it writes its own pipeline's manifests only",
    doc: DOC.s3Actions,
  })),
  {
    actor: MANIFEST,
    action: 's3:PutObject',
    resourceLabel: `Datasets/${TRAIN_OBJECT}`,
    resource: (m) => m.object('Datasets', TRAIN_OBJECT),
    options: (m) => ({ ...viaS3Gateway, context: sseKms(m.arn('KeysDataKey')) }),
    expect: 'deny',
    why: 'it can never change the data it pins',
    doc: DOC.s3Actions,
  },
  {
    actor: RECORD,
    action: 'sagemaker:UpdateModelPackage',
    resourceLabel: 'model-package/churn-model/3 (metadata only, no status)',
    resource: (m) => version(m, 'churn-model', 3),
    options: () => viaSageMaker,
    expect: 'allow',
    why: "records the lineage keys in the version's CustomerMetadataProperties",
    doc: UPDATE_MODEL_PACKAGE,
  },
  ...['Approved', 'Rejected', 'PendingManualApproval'].map((s): AccessCase => ({
    actor: RECORD,
    action: 'sagemaker:UpdateModelPackage',
    resourceLabel: `model-package/churn-model/3 (to ${s})`,
    resource: (m) => version(m, 'churn-model', 3),
    options: () => ({ ...viaSageMaker, context: { 'sagemaker:ModelApprovalStatus': s } }),
    expect: 'deny',
    why: 'it never changes an approval',
    doc: DOC.sagemakerActions,
  })),
  {
    actor: RECORD,
    action: 'sagemaker:UpdateModelPackage',
    resourceLabel: 'model-package/fraud-model/1 (metadata only)',
    resource: (m) => version(m, 'fraud-model', 1),
    options: () => viaSageMaker,
    expect: 'deny',
    why: "other groups' versions are not its to change",
    doc: DOC.sagemakerActions,
  },
  {
    actor: RECORD,
    action: 'sagemaker:DeleteModelPackage',
    resourceLabel: 'model-package/churn-model/3',
    resource: (m) => version(m, 'churn-model', 3),
    options: () => viaSageMaker,
    expect: 'deny',
    why: 'it records, nothing else',
    doc: DOC.sagemakerActions,
  },
];

/** The lineage roles and the SDK calls their handlers declare (each needs an allowed case). */
export const LINEAGE_HANDLER_CALLS = [
  { role: WRITE_MANIFEST_ROLE, calls: DATASET_MANIFEST_SDK_CALLS },
  { role: RECORD_LINEAGE_ROLE, calls: RECORD_LINEAGE_SDK_CALLS },
] as const;
