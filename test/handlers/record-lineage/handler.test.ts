import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ENV } from '../../../lib/handlers/record-lineage/contract';
import { createHandler, lineageMetadata } from '../../../lib/handlers/record-lineage';
import { RECORD_LINEAGE_SDK_CALLS } from '../../../lib/handlers/record-lineage/sdk-calls';
import { silentLogger } from '../../../lib/handlers/shared/log';
import { AwsFake, startAwsFake } from '../../support/aws-fake';

const UPDATE_MODEL_PACKAGE =
  'https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UpdateModelPackage.html';
const CREATE_MODEL_PACKAGE =
  'https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateModelPackage.html';

const PACKAGE = 'arn:aws:sagemaker:eu-west-1:111111111111:model-package/churn-model/7';
const EVENT = {
  modelPackageArn: PACKAGE,
  datasetManifest: 's3://artifacts/lineage/churn-training/abc123/dataset-manifest.json',
  datasetManifestSha256: 'a'.repeat(64),
  datasetBucket: 'datasets',
  trainingJob: 'arn:aws:sagemaker:eu-west-1:111111111111:training-job/pipelines-abc123-train-x1',
  trainingImageDigest: `sha256:${'b'.repeat(64)}`,
  codeVersion: `definition-sha256:${'c'.repeat(16)}`,
  pipelineExecution: 'arn:aws:sagemaker:eu-west-1:111111111111:pipeline/churn-training/execution/abc123',
  featureContract: 'churn-features@1.2.0',
  evaluationReport: 's3://artifacts/evaluation/churn-training/abc123/evaluation.json',
  biasReport: 's3://artifacts/bias-reports/churn-model/abc123/pre-training.json',
};
const CONFIG = { groupName: 'Churn-Model', maxAttempts: 3, requestTimeoutMs: 1000 };

let fake: AwsFake;
/** The model package's metadata as the fake holds it, merged as UpdateModelPackage does. */
let metadata: Record<string, string>;

beforeAll(async () => {
  fake = await startAwsFake();
});
afterAll(async () => {
  const declared = new Set(RECORD_LINEAGE_SDK_CALLS.map((c) => `${c.service}.${c.operation}`));
  for (const c of fake.calls) expect(declared).toContain(`${c.service}.${c.operation}`);
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  metadata = { 'review:reviewer': 'alice' };
  fake.on('sagemaker', 'UpdateModelPackage', (input: Record<string, unknown>) => {
    metadata = { ...metadata, ...(input.CustomerMetadataProperties as Record<string, string>) };
    return { ModelPackageArn: input.ModelPackageArn };
  });
});

function recorder() {
  const config = fake.clientConfig();
  const handler = createHandler({
    clients: () => ({ sagemaker: new SageMakerClient(config) }),
    env: { [ENV.groupName]: 'Churn-Model' },
    log: () => silentLogger,
  });
  return (event: unknown) => handler(event, { awsRequestId: 'test' });
}

describe('record-lineage handler (RecordLineage step), through the SageMaker SDK', () => {
  it(`writes every lineage key with UpdateModelPackage, no approval status, keeping the review keys (merge: ${UPDATE_MODEL_PACKAGE})`, async () => {
    fake.failNext('sagemaker', 'UpdateModelPackage', { status: 400, code: 'ThrottlingException' });
    expect(await recorder()(EVENT)).toEqual({ recorded: 10 });
    const call = fake.callsTo('sagemaker', 'UpdateModelPackage').find((c) => c.status === 200);
    expect(call?.input).toEqual({
      ModelPackageArn: PACKAGE,
      CustomerMetadataProperties: {
        'lineage:dataset-manifest': EVENT.datasetManifest,
        'lineage:dataset-manifest-sha256': EVENT.datasetManifestSha256,
        'lineage:dataset-bucket': 'datasets',
        'lineage:training-job': EVENT.trainingJob,
        'lineage:training-image-digest': EVENT.trainingImageDigest,
        'lineage:code-version': EVENT.codeVersion,
        'lineage:pipeline-execution': EVENT.pipelineExecution,
        'lineage:feature-contract': 'churn-features@1.2.0',
        'lineage:evaluation-report': EVENT.evaluationReport,
        'lineage:bias-report': EVENT.biasReport,
      },
    });
    expect(metadata['review:reviewer']).toBe('alice');
    fake.assertAllHandled();
  });

  it('refuses a model package of another group (lowercase in the ARN), before any call', async () => {
    await expect(
      recorder()({ ...EVENT, modelPackageArn: PACKAGE.replace('churn-model', 'other') }),
    ).rejects.toThrow(/^modelPackageArn: is not a version of Churn-Model/);
    expect(fake.calls).toHaveLength(0);
  });

  it('the step fails on an AWS error (the execution shows the version has no lineage)', async () => {
    fake.failNext('sagemaker', 'UpdateModelPackage', { status: 400, code: 'ValidationException' });
    await expect(recorder()(EVENT)).rejects.toThrow();
  });
});

describe('lineageMetadata', () => {
  it('needs every required argument, names each missing one', () => {
    const { datasetManifest: _d, trainingJob: _t, ...rest } = EVENT;
    expect(() => lineageMetadata(CONFIG, rest)).toThrow(
      /datasetManifest: is required[\s\S]*trainingJob: is required/,
    );
  });

  it('optional reports are written only when the step passes them', () => {
    const { evaluationReport: _e, biasReport: _b, featureContract: _f, ...rest } = EVENT;
    expect(Object.keys(lineageMetadata(CONFIG, rest).properties)).toHaveLength(7);
  });

  it(`refuses values CreateModelPackage would reject: over 256 characters or outside the pattern (${CREATE_MODEL_PACKAGE})`, () => {
    expect(() => lineageMetadata(CONFIG, { ...EVENT, codeVersion: 'x'.repeat(257) })).toThrow(
      /^codeVersion: is not a metadata value/,
    );
    expect(() => lineageMetadata(CONFIG, { ...EVENT, codeVersion: 'v1 (dirty)' })).toThrow(
      /^codeVersion: is not a metadata value/,
    );
    expect(
      lineageMetadata(CONFIG, { ...EVENT, codeVersion: 'git:1a2b3c+dirty@main' }).properties,
    ).toMatchObject({
      'lineage:code-version': 'git:1a2b3c+dirty@main',
    });
  });

  it('refuses an unknown argument (no key outside the agreed lineage keys)', () => {
    expect(() => lineageMetadata(CONFIG, { ...EVENT, reviewer: 'mallory' })).toThrow(
      /^reviewer: is not a lineage argument/,
    );
  });
});
