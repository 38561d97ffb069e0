import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { gatherModelDocumentation, PackageNotReadError } from '../../lib/model-docs';
import { AwsFake, startAwsFake } from '../support/aws-fake';
import { ARN, biasReport, BUCKET, GROUP } from './fixtures';

let fake: AwsFake;
const clients = () => {
  const config = fake.clientConfig({ maxAttempts: 2 });
  return { sagemaker: new SageMakerClient(config), s3: new S3Client(config) };
};

function packageWith(metadata: Record<string, string>, metrics?: unknown): void {
  fake.on('sagemaker', 'DescribeModelPackage', () => ({
    ModelPackageArn: ARN,
    ModelPackageGroupName: GROUP,
    ModelPackageVersion: 3,
    ModelApprovalStatus: 'PendingManualApproval',
    CustomerMetadataProperties: metadata,
    ...(metrics ? { ModelMetrics: metrics } : {}),
  }));
  fake.s3.createBucket(BUCKET);
}

beforeAll(async () => {
  fake = await startAwsFake();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => fake.reset());

describe('gatherModelDocumentation through the real SDK', () => {
  it('falls back to lineage:evaluation-report without ModelMetrics, and to the review record bias report', async () => {
    const evaluation = `evaluation/churn-training/e1/evaluation.json`;
    const bias = `bias-reports/${GROUP}/e1/pre-training.json`;
    packageWith({
      'lineage:evaluation-report': `s3://${BUCKET}/${evaluation}`,
      'review:bias-report': `s3://${BUCKET}/${bias}`,
    });
    fake.s3.putObject(BUCKET, evaluation, '{"metrics":{"auc":{"value":0.81}}}');
    fake.s3.putObject(BUCKET, bias, biasReport('preTraining'));
    const input = await gatherModelDocumentation(clients(), ARN);
    expect(input.quality).toEqual({
      status: { state: 'read', uri: `s3://${BUCKET}/${evaluation}` },
      metrics: [{ name: 'auc', value: 0.81 }],
    });
    expect(input.bias.status).toEqual({ state: 'read', uri: `s3://${BUCKET}/${bias}` });
    expect(input.fairness.status).toEqual({ state: 'not-recorded' });
    expect(input.contract).toEqual({});
  });

  it('refuses relative path segments and non-s3 uris without a request', async () => {
    packageWith({
      'lineage:bias-report': `s3://${BUCKET}/bias-reports/${GROUP}/../secrets.json`,
      'lineage:fairness-report': 'https://example.com/report.json',
    });
    const input = await gatherModelDocumentation(clients(), ARN);
    expect(input.bias.status).toMatchObject({ state: 'not-read', reason: 'a relative path segment' });
    expect(input.fairness.status).toMatchObject({ state: 'not-read', reason: 'not an s3://bucket/key uri' });
    expect(fake.count('s3')).toBe(0);
  });

  it('throws PackageNotReadError for a package it may not describe', async () => {
    packageWith({});
    fake.failNext('sagemaker', 'DescribeModelPackage', { status: 400, code: 'AccessDeniedException' });
    await expect(gatherModelDocumentation(clients(), ARN)).rejects.toBeInstanceOf(PackageNotReadError);
  });
});
