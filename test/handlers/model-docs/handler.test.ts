import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHandler, type DocsResult } from '../../../lib/handlers/model-docs';
import { ENV, METRIC_NAMESPACE } from '../../../lib/handlers/model-docs/contract';
import { MODEL_DOCS_SDK_CALLS } from '../../../lib/handlers/model-docs/sdk-calls';
import { parseConfig, ConfigError } from '../../../lib/handlers/model-docs/config';
import { silentLogger } from '../../../lib/handlers/shared/log';
import { MODEL_CARD_SCHEMA_SUBSET } from '../../../lib/model-docs';
import {
  AwsFake,
  awsError,
  installModelCards,
  startAwsFake,
  type FakeModelCard,
} from '../../support/aws-fake';
import { ARN, biasReport, BUCKET, GROUP, METADATA, QUALITY_STATISTICS } from '../../model-docs/fixtures';
import Ajv from 'ajv';

const KEY = 'arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-3333-4444-555555555555';
const CONTRACT = {
  name: 'customer-churn',
  version: '1.2.0',
  intendedUse: 'Ranks customers by churn risk for retention offers',
  owner: 'churn-analytics',
  riskTier: 'high',
  features: [{ name: 'customer_id', type: 'String', pii: 'none' }],
};
const ENVIRONMENT = {
  [ENV.groupName]: GROUP,
  [ENV.cardKeyId]: KEY,
  [ENV.reportsBucket]: BUCKET,
  [ENV.reportsPrefixes]: JSON.stringify([`bias-reports/${GROUP}/`, 'evaluation/churn-training/']),
  [ENV.contract]: JSON.stringify(CONTRACT),
  [ENV.runbooks]: JSON.stringify([{ title: 'On-call', url: 'https://wiki.example.com/churn' }]),
};
const STATS_KEY = 'evaluation/churn-training/abc123/evaluation.json';
const validate = new Ajv({ allErrors: true, strict: true }).compile(MODEL_CARD_SCHEMA_SUBSET);

function stateChange(status: string, arn = ARN, group = GROUP): Record<string, unknown> {
  return {
    version: '0',
    id: 'c2d3e4f5-0000-4000-8000-000000000002',
    'detail-type': 'SageMaker Model Package State Change',
    source: 'aws.sagemaker',
    account: '111111111111',
    time: '2026-12-01T10:00:00Z',
    region: 'eu-west-1',
    resources: [arn],
    detail: { ModelPackageGroupName: group, ModelPackageArn: arn, ModelApprovalStatus: status },
  };
}

let fake: AwsFake;
let pkg: { status: string; metadata: Record<string, string> };
let cards: Map<string, FakeModelCard>;
let metrics: { name: string; value: number }[];

function world(status = 'PendingManualApproval', metadata: Record<string, string> = METADATA): void {
  pkg = { status, metadata };
  metrics = [];
  fake.on('sagemaker', 'DescribeModelPackage', (input: { ModelPackageName: string }) => {
    if (input.ModelPackageName !== ARN)
      throw awsError(400, 'ValidationException', 'Model package does not exist.');
    return {
      ModelPackageArn: ARN,
      ModelPackageGroupName: GROUP,
      ModelPackageVersion: 3,
      ModelPackageStatus: 'Completed',
      CreationTime: new Date('2026-12-01T08:00:00Z'),
      ModelApprovalStatus: pkg.status,
      ModelPackageDescription: 'intended use: churn; risk rating: Medium; owner: ml-platform-team',
      ModelMetrics: {
        ModelQuality: {
          Statistics: { ContentType: 'application/json', S3Uri: `s3://${BUCKET}/${STATS_KEY}` },
        },
      },
      CustomerMetadataProperties: pkg.metadata,
    };
  });
  fake.on(
    'cloudwatch',
    'PutMetricData',
    (input: { Namespace: string; MetricData: { MetricName: string; Value: number }[] }) => {
      expect(input.Namespace).toBe(METRIC_NAMESPACE);
      for (const d of input.MetricData) metrics.push({ name: d.MetricName, value: d.Value });
      return {};
    },
  );
  cards = installModelCards(fake);
  fake.s3.createBucket(BUCKET);
  fake.s3.putObject(BUCKET, STATS_KEY, QUALITY_STATISTICS);
  fake.s3.putObject(BUCKET, `bias-reports/${GROUP}/abc123/pre-training.json`, biasReport('preTraining'));
  fake.s3.putObject(BUCKET, `bias-reports/${GROUP}/abc123/post-training.json`, biasReport('postTraining'));
}

function documenter(env: Record<string, string> = ENVIRONMENT): (event: unknown) => Promise<DocsResult> {
  const config = fake.clientConfig({ maxAttempts: 3 });
  const handler = createHandler({
    clients: () => ({
      sagemaker: new SageMakerClient(config),
      s3: new S3Client(config),
      cloudwatch: new CloudWatchClient(config),
    }),
    env,
    log: () => silentLogger,
  });
  return (event) => handler(event, { awsRequestId: 'test' });
}

function card(): FakeModelCard {
  const c = cards.get(`${GROUP}-3`);
  expect(c, 'the card churn-model-3').toBeDefined();
  return c!;
}

function currentContent(): Record<string, Record<string, unknown>> {
  const c = card();
  return JSON.parse(c.versions[c.versions.length - 1]!.content) as Record<string, Record<string, unknown>>;
}

beforeAll(async () => {
  fake = await startAwsFake();
});
afterAll(async () => {
  // Every call the handler sent is declared, so the authorization proof (test/deploy) covers it.
  const declared = new Set(MODEL_DOCS_SDK_CALLS.map((c) => `${c.service}.${c.operation}`));
  for (const op of fake.operationsReceived()) expect(declared).toContain(op);
  await fake.close();
});
beforeEach(() => fake.reset());

describe('model documentation through the real SDK', () => {
  // CreateModelCard: SecurityConfig.KmsKeyId encrypts the card with a customer managed key.
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateModelCard.html
  it('creates the card <group>-<version> as a KMS-encrypted draft from the package, its reports and the contract', async () => {
    world();
    const result = await documenter()(stateChange('PendingManualApproval'));
    expect(result).toEqual({
      outcome: 'created',
      modelPackageArn: ARN,
      modelCardName: 'churn-model-3',
      modelCardStatus: 'Draft',
    });
    expect(card().kmsKeyId).toBe(KEY);
    expect(card().versions).toHaveLength(1);
    expect(card().versions[0]!.status).toBe('Draft');
    const content = currentContent();
    expect(validate(content), JSON.stringify(validate.errors)).toBe(true);
    expect(content.intended_uses!.purpose_of_model).toBe(CONTRACT.intendedUse);
    expect(content.intended_uses!.risk_rating).toBe('High');
    expect(content.model_package_details!.model_approval_status).toBe('PendingManualApproval');
    const evaluation = content.evaluation_details as unknown as { evaluation_observation: string }[];
    expect(evaluation[0]!.evaluation_observation).toBe(
      `model quality statistics: s3://${BUCKET}/${STATS_KEY}`,
    );
    expect(metrics).toEqual([
      { name: 'CardsWritten', value: 1 },
      { name: 'ReportsNotRead', value: 0 },
      { name: 'DocumentationFailures', value: 0 },
    ]);
    fake.assertAllHandled();
  });

  it('is idempotent: a redelivered event finds the card current and writes no new version', async () => {
    world();
    const run = documenter();
    await run(stateChange('PendingManualApproval'));
    const again = await run(stateChange('PendingManualApproval'));
    expect(again.outcome).toBe('unchanged');
    expect(card().versions).toHaveLength(1);
    expect(fake.count('sagemaker', 'UpdateModelCard')).toBe(0);
    expect(metrics.filter((m) => m.name === 'CardsWritten').map((m) => m.value)).toEqual([1, 0]);
  });

  // UpdateModelCard: "You cannot update both model card content and model card status in a single call."
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UpdateModelCard.html
  it('on approval updates the content, then the status to Approved, in two calls', async () => {
    world();
    const run = documenter();
    await run(stateChange('PendingManualApproval'));
    pkg.status = 'Approved';
    pkg.metadata = { ...METADATA };
    const result = await run(stateChange('Approved'));
    expect(result.outcome).toBe('updated');
    expect(result.modelCardStatus).toBe('Approved');
    const updates = fake
      .callsTo('sagemaker', 'UpdateModelCard')
      .map((c) => Object.keys(c.input as object).sort());
    expect(updates).toEqual([
      ['Content', 'ModelCardName'],
      ['ModelCardName', 'ModelCardStatus'],
    ]);
    expect(card().versions.map((v) => v.status)).toEqual(['Draft', 'Draft', 'Approved']);
    expect(currentContent().model_package_details!.model_approval_status).toBe('Approved');
  });

  it('decides on the current package, not the event: a stale approval event of a reverted version keeps a draft', async () => {
    world('PendingManualApproval');
    const result = await documenter()(stateChange('Approved'));
    expect(result.modelCardStatus).toBe('Draft');
    expect(card().versions[0]!.status).toBe('Draft');
  });

  it('documents a report it may not read, or that is missing or malformed, as such, and counts it', async () => {
    world('PendingManualApproval', {
      ...METADATA,
      'lineage:bias-report': `s3://${BUCKET}/elsewhere/pre-training.json`,
      'lineage:fairness-report': `s3://${BUCKET}/bias-reports/${GROUP}/abc123/missing.json`,
    });
    fake.s3.putObject(BUCKET, STATS_KEY, 'not json');
    fake.s3.putObject(BUCKET, 'elsewhere/pre-training.json', biasReport('preTraining'));
    const result = await documenter()(stateChange('PendingManualApproval'));
    expect(result.outcome).toBe('created');
    expect(result.problems).toEqual([
      `quality statistics s3://${BUCKET}/${STATS_KEY}: the quality statistics is not json`,
      `bias report s3://${BUCKET}/elsewhere/pre-training.json: outside the reports location`,
      `fairness report s3://${BUCKET}/bias-reports/${GROUP}/abc123/missing.json: missing`,
    ]);
    // Outside the prefixes: not even requested.
    const read = fake.callsTo('s3', 'GetObject').map((c) => c.input.Key);
    expect(read).toContain(STATS_KEY);
    expect(read).not.toContain('elsewhere/pre-training.json');
    expect(metrics).toContainEqual({ name: 'ReportsNotRead', value: 3 });
    const details = (currentContent().additional_information!.custom_details ?? {}) as Record<string, string>;
    expect(details.bias_report).toBe(
      `not read: s3://${BUCKET}/elsewhere/pre-training.json (outside the reports location)`,
    );
  });

  it('sets the card back to Draft when the approval is withdrawn (a review gate revert)', async () => {
    world('Approved');
    const run = documenter();
    expect((await run(stateChange('Approved'))).modelCardStatus).toBe('Approved');
    pkg.status = 'PendingManualApproval';
    const result = await run(stateChange('PendingManualApproval'));
    expect(result.outcome).toBe('updated');
    expect(card().versions.map((v) => v.status)).toEqual(['Approved', 'Approved', 'Draft']);
  });

  it('throws on a concurrent create (ConflictException), so the retry finds the card and updates it', async () => {
    world();
    fake.failNext('sagemaker', 'CreateModelCard', { status: 400, code: 'ConflictException' });
    const run = documenter();
    await expect(run(stateChange('PendingManualApproval'))).rejects.toThrow();
    expect((await run(stateChange('PendingManualApproval'))).outcome).toBe('created');
  });

  it('leaves an archived card alone (SageMaker takes no more updates)', async () => {
    world('Approved');
    cards.set(`${GROUP}-3`, {
      name: `${GROUP}-3`,
      kmsKeyId: KEY,
      versions: [{ content: '{}', status: 'Archived' }],
    });
    const result = await documenter()(stateChange('Approved'));
    expect(result.outcome).toBe('archived');
    expect(fake.count('sagemaker', 'UpdateModelCard')).toBe(0);
  });

  it('flags a card that was created with another key (the key cannot change after creation)', async () => {
    world();
    cards.set(`${GROUP}-3`, { name: `${GROUP}-3`, versions: [{ content: '{}', status: 'Draft' }] });
    const result = await documenter()(stateChange('PendingManualApproval'));
    expect(result.outcome).toBe('updated');
    expect(result.problems).toEqual([
      `model card ${GROUP}-3 is encrypted with no customer managed key, not ${KEY}`,
    ]);
    expect(metrics).toContainEqual({ name: 'DocumentationFailures', value: 1 });
  });

  it('counts a package it cannot describe as a failure and returns (a retry cannot fix it)', async () => {
    world();
    fake.failNext('sagemaker', 'DescribeModelPackage', { status: 400, code: 'AccessDeniedException' });
    const result = await documenter()(stateChange('PendingManualApproval'));
    expect(result.outcome).toBe('package-not-read');
    expect(metrics).toEqual([{ name: 'DocumentationFailures', value: 1 }]);
    expect(fake.count('sagemaker', 'CreateModelCard')).toBe(0);
  });

  it('survives throttling (the SDK retries), and throws when it outlasts the retries so Lambda retries the event', async () => {
    world();
    fake.failNext('sagemaker', 'DescribeModelCard', { code: 'ThrottlingException', times: 2 });
    expect((await documenter()(stateChange('PendingManualApproval'))).outcome).toBe('created');
    fake.reset();
    world();
    fake.failNext('s3', 'GetObject', { status: 503, code: 'SlowDown', times: 3 });
    await expect(documenter()(stateChange('PendingManualApproval'))).rejects.toThrow();
    expect(cards.size).toBe(0);
  });

  it('ignores other groups and counts malformed events, calling nothing else', async () => {
    world();
    const other = 'arn:aws:sagemaker:eu-west-1:111111111111:model-package/fraud-model/1';
    expect((await documenter()(stateChange('Approved', other, 'fraud-model'))).outcome).toBe('other-group');
    expect((await documenter()(stateChange('Approved', other, GROUP))).outcome).toBe('other-group');
    expect((await documenter()({ source: 'custom.app' })).outcome).toBe('malformed');
    expect(fake.count('sagemaker')).toBe(0);
    expect(metrics).toEqual([{ name: 'MalformedEvents', value: 1 }]);
  });
});

describe('configuration', () => {
  it('refuses a missing key, prefixes that are not prefixes, and a malformed contract', () => {
    expect(() => parseConfig({ ...ENVIRONMENT, [ENV.cardKeyId]: '' })).toThrow(
      /MODEL_DOCS_CARD_KEY_ID: is required/,
    );
    expect(() => parseConfig({ ...ENVIRONMENT, [ENV.reportsPrefixes]: '["no-slash"]' })).toThrow(
      /MODEL_DOCS_REPORTS_PREFIXES: is not a list of key prefixes/,
    );
    expect(() => parseConfig({ ...ENVIRONMENT, [ENV.contract]: '{"owner":1}' })).toThrow(ConfigError);
    expect(() => parseConfig({ ...ENVIRONMENT, [ENV.runbooks]: '[{"title":"x"}]' })).toThrow(
      /MODEL_DOCS_RUNBOOKS/,
    );
    expect(parseConfig(ENVIRONMENT).contract).toEqual(CONTRACT);
  });
});
