import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createModelDocCommand } from '../../lib/cli/commands/model-doc';
import { main } from '../../lib/cli/main';
import Ajv from 'ajv';
import { buildModelCardContent, MODEL_CARD_SCHEMA_SUBSET, serializeCardContent } from '../../lib/model-docs';
import { AwsFake, awsError, installModelCards, startAwsFake, type FakeModelCard } from '../support/aws-fake';
import { ARN, biasReport, BUCKET, FULL, GROUP, METADATA, QUALITY_STATISTICS } from '../model-docs/fixtures';
import { fakeIO } from './fake-io';

const STATS_KEY = 'evaluation/churn-training/abc123/evaluation.json';
let fake: AwsFake;
let cards: Map<string, FakeModelCard>;

function world(): void {
  fake.on('sagemaker', 'DescribeModelPackage', (input: { ModelPackageName: string }) => {
    if (input.ModelPackageName !== ARN)
      throw awsError(400, 'ValidationException', 'Model package does not exist.');
    return {
      ModelPackageArn: ARN,
      ModelPackageGroupName: GROUP,
      ModelPackageVersion: 3,
      CreationTime: new Date('2026-12-01T08:00:00Z'),
      ModelApprovalStatus: 'Approved',
      ApprovalDescription: 'reviewed: bias report read',
      ModelPackageDescription:
        'intended use: Ranks customers by churn risk; risk rating: Medium; owner: ml-platform-team; dataset: churn v1',
      ModelMetrics: {
        ModelQuality: {
          Statistics: { ContentType: 'application/json', S3Uri: `s3://${BUCKET}/${STATS_KEY}` },
        },
      },
      CustomerMetadataProperties: METADATA,
    };
  });
  cards = installModelCards(fake);
  fake.s3.createBucket(BUCKET);
  fake.s3.putObject(BUCKET, STATS_KEY, QUALITY_STATISTICS);
  fake.s3.putObject(BUCKET, `bias-reports/${GROUP}/abc123/pre-training.json`, biasReport('preTraining'));
  fake.s3.putObject(BUCKET, `bias-reports/${GROUP}/abc123/post-training.json`, biasReport('postTraining'));
}

async function modelDoc(...args: string[]) {
  const io = fakeIO();
  const config = fake.clientConfig({ maxAttempts: 2 });
  const command = createModelDocCommand({
    clientFactory: () => ({ sagemaker: new SageMakerClient(config), s3: new S3Client(config) }),
  });
  const code = await main(['model-doc', ...args], io, [command]);
  return { code, out: io.out(), err: io.errLines() };
}

beforeAll(async () => {
  fake = await startAwsFake();
});
afterAll(async () => {
  // Read-only: the command never writes a card or a package.
  expect(fake.operationsReceived().filter((op) => !/\.(Describe|Get)/.test(op))).toEqual([]);
  await fake.close();
});
beforeEach(() => fake.reset());

describe('compliant-mlops model-doc through the real SDK', () => {
  it('renders the Markdown hand-off from the live package, its reports and its model card', async () => {
    world();
    // The card the construct wrote carries the contract facts the package does not have.
    const content = serializeCardContent(buildModelCardContent(FULL));
    cards.set(`${GROUP}-3`, { name: `${GROUP}-3`, versions: [{ content, status: 'Approved' }] });
    const r = await modelDoc(ARN);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^# Model documentation: churn-model version 3\n/);
    expect(r.out).toContain(
      '## Purpose\n\nRanks customers by churn risk for retention offers; not for credit decisions\n',
    );
    expect(r.out).toContain('## Owner\n\nchurn-analytics\n');
    expect(r.out).toContain('## Risk tier\n\nhigh (model card risk rating: High)\n');
    expect(r.out).toContain('| auc | 0.812346 | 0.01 |');
    expect(r.out).toContain('| gender=female | DPL | 0.05 | 0.2 | no |');
    expect(r.out).toContain('- Reviewer: alice@example.com');
    expect(r.out).toContain('- [Churn model on-call](https://wiki.example.com/runbooks/churn)');
    expect(fake.callsTo('sagemaker', 'DescribeModelCard')[0]!.input).toEqual({
      ModelCardName: 'churn-model-3',
    });
  });

  it('without a card, takes intended use and owner from the package description, the rest "not recorded"', async () => {
    world();
    const r = await modelDoc(ARN);
    expect(r.code).toBe(0);
    expect(r.out).toContain('## Purpose\n\nRanks customers by churn risk\n');
    expect(r.out).toContain('## Owner\n\nml-platform-team\n');
    expect(r.out).toContain('## Risk tier\n\nnot recorded (model card risk rating: Unknown)\n');
    expect(r.out).toContain('## Runbooks\n\nnot recorded\n');
  });

  it('prints the model card content with --format json, valid against the schema subset', async () => {
    world();
    const r = await modelDoc(ARN, '--format', 'json');
    expect(r.code).toBe(0);
    const content = JSON.parse(r.out) as { model_package_details: Record<string, unknown> };
    expect(new Ajv({ strict: true }).validate(MODEL_CARD_SCHEMA_SUBSET, content)).toBe(true);
    expect(content.model_package_details.model_package_arn).toBe(ARN);
    expect(content.model_package_details.model_approval_status).toBe('Approved');
  });

  it('exits 1 with one stderr line when a report the package names cannot be read, and still documents', async () => {
    world();
    fake.failNext('s3', 'GetObject', { status: 403, code: 'AccessDenied' });
    const r = await modelDoc(ARN);
    expect(r.code).toBe(1);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(
      /^compliant-mlops: model-doc: 1 report\(s\) not read: s3:\/\/model-artifacts\/evaluation\/.* \(access denied\)$/,
    );
    expect(r.out).toContain(
      'Model quality statistics: not read: s3://model-artifacts/evaluation/churn-training/abc123/evaluation.json (access denied)',
    );
  });

  it.each([
    [
      ['not-an-arn'],
      /^compliant-mlops: model-doc: <model-package-arn>: "not-an-arn" is not a versioned model package ARN/,
    ],
    [[], /^compliant-mlops: model-doc: <model-package-arn>: one model package ARN expected \(got 0\)$/],
    [
      [ARN, '--format', 'pdf'],
      /^compliant-mlops: model-doc: --format: unknown format "pdf" \(expected one of markdown, json\)$/,
    ],
    [[`${ARN.slice(0, -2)}/x`], /is not a versioned model package ARN/],
  ])('exits 2 with one stderr line on bad input %j, calling nothing', async (args, message) => {
    world();
    const r = await modelDoc(...args);
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(message);
    expect(fake.calls).toHaveLength(0);
  });

  it('exits 2 with one stderr line when the package does not exist', async () => {
    world();
    const r = await modelDoc(ARN.replace(/\/3$/, '/9'));
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(/^compliant-mlops: model-doc: arn:.*model-package\/churn-model\/9: missing/);
  });
});
