import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ENV, METRIC_NAMESPACE, REVIEW_KEYS } from '../../../lib/handlers/review-gate/contract';
import { createHandler, type GateResult } from '../../../lib/handlers/review-gate';
import { REVIEW_GATE_SDK_CALLS } from '../../../lib/handlers/review-gate/sdk-calls';
import { silentLogger } from '../../../lib/handlers/shared/log';
import { AwsFake, awsError, startAwsFake } from '../../support/aws-fake';

const GROUP = 'churn-model';
const ARN = `arn:aws:sagemaker:eu-west-1:111111111111:model-package/${GROUP}/3`;
const BUCKET = 'datasets';
const PREFIX = 'bias-reports/churn-model/';
const REPORT = `${PREFIX}3/bias.json`;
const CREATED = new Date('2026-12-01T08:00:00Z');
const NOW = new Date('2026-12-01T10:00:00Z');
const ENVIRONMENT = {
  [ENV.groupName]: GROUP,
  [ENV.reportsBucket]: BUCKET,
  [ENV.reportsPrefix]: PREFIX,
};

/** A `SageMaker Model Package State Change` event as EventBridge delivers it to Lambda. */
function stateChange(status: string, arn = ARN, group = GROUP): Record<string, unknown> {
  return {
    version: '0',
    id: 'c2d3e4f5-0000-4000-8000-000000000001',
    'detail-type': 'SageMaker Model Package State Change',
    source: 'aws.sagemaker',
    account: '111111111111',
    time: '2026-12-01T09:59:58Z',
    region: 'eu-west-1',
    resources: [arn],
    detail: {
      ModelPackageGroupName: group,
      ModelPackageVersion: 3,
      ModelPackageArn: arn,
      CreationTime: CREATED.getTime(),
      ModelPackageStatus: 'Completed',
      ModelApprovalStatus: status,
    },
  };
}

const VALID_RECORD = {
  [REVIEW_KEYS.reviewer]: 'alice@example.com',
  [REVIEW_KEYS.reviewedAt]: '2026-12-01T09:30:00Z',
  [REVIEW_KEYS.biasReport]: `s3://${BUCKET}/${REPORT}`,
};

let fake: AwsFake;
/** The fake's model package: its approval status changes with UpdateModelPackage, as in SageMaker. */
let pkg: { status: string; description?: string; metadata: Record<string, string> };
let metrics: { name: string; value: number; group: string }[];

function world(metadata: Record<string, string>, status = 'Approved'): void {
  pkg = { status, metadata };
  metrics = [];
  fake.on('sagemaker', 'DescribeModelPackage', (input: { ModelPackageName: string }) => {
    if (input.ModelPackageName !== ARN) throw awsError(400, 'ValidationException', 'no such package');
    return {
      ModelPackageArn: ARN,
      ModelPackageGroupName: GROUP,
      ModelPackageVersion: 3,
      ModelPackageStatus: 'Completed',
      CreationTime: CREATED,
      ModelApprovalStatus: pkg.status,
      ApprovalDescription: pkg.description,
      CustomerMetadataProperties: pkg.metadata,
    };
  });
  fake.on(
    'sagemaker',
    'UpdateModelPackage',
    (input: { ModelPackageArn: string; ModelApprovalStatus: string; ApprovalDescription?: string }) => {
      pkg.status = input.ModelApprovalStatus;
      pkg.description = input.ApprovalDescription;
      return { ModelPackageArn: input.ModelPackageArn };
    },
  );
  fake.on(
    'cloudwatch',
    'PutMetricData',
    (input: {
      Namespace: string;
      MetricData: { MetricName: string; Value: number; Dimensions: { Name: string; Value: string }[] }[];
    }) => {
      expect(input.Namespace).toBe(METRIC_NAMESPACE);
      for (const d of input.MetricData) {
        metrics.push({ name: d.MetricName, value: d.Value, group: d.Dimensions[0]!.Value });
      }
      return {};
    },
  );
  fake.s3.createBucket(BUCKET);
}

function gate(maxAttempts = 8, requestTimeoutMs?: number): (event: unknown) => Promise<GateResult> {
  const config = fake.clientConfig({ maxAttempts, requestTimeoutMs });
  const handler = createHandler({
    clients: () => ({
      sagemaker: new SageMakerClient(config),
      s3: new S3Client(config),
      cloudwatch: new CloudWatchClient(config),
    }),
    env: ENVIRONMENT,
    now: () => NOW,
    log: () => silentLogger,
  });
  return (event) => handler(event, { awsRequestId: 'test' });
}

beforeAll(async () => {
  fake = await startAwsFake();
});
afterAll(async () => {
  // Every call the handler sent is declared, so the authorization proof (test/deploy) covers it.
  const declared = new Set(REVIEW_GATE_SDK_CALLS.map((c) => `${c.service}.${c.operation}`));
  for (const c of fake.calls) expect(declared).toContain(`${c.service}.${c.operation}`);
  await fake.close();
});
beforeEach(() => fake.reset());

describe('review gate through the real SDK', () => {
  it('sets an approval without a review record back to PendingManualApproval, says why, and counts it', async () => {
    world({});
    const result = await gate()(stateChange('Approved'));
    expect(result.outcome).toBe('reverted');
    expect(pkg.status).toBe('PendingManualApproval');
    expect(pkg.description).toContain('review:reviewer is missing');
    expect(pkg.description).toContain('review:bias-report is missing');
    expect(pkg.description!.length).toBeLessThanOrEqual(1024);
    expect(metrics).toEqual([{ name: 'ApprovalsReverted', value: 1, group: GROUP }]);
    // The update names the status only: the role's IAM condition allows no other value.
    const update = fake.callsTo('sagemaker', 'UpdateModelPackage')[0]!.input as Record<string, unknown>;
    expect(Object.keys(update).sort()).toEqual([
      'ApprovalDescription',
      'ModelApprovalStatus',
      'ModelPackageArn',
    ]);
    fake.assertAllHandled();
  });

  it('lets an approval with a valid record and an existing bias report stand', async () => {
    world(VALID_RECORD);
    fake.s3.putObject(BUCKET, REPORT, '{"CI":0.1}');
    const result = await gate()(stateChange('Approved'));
    expect(result.outcome).toBe('reviewed');
    expect(pkg.status).toBe('Approved');
    expect(fake.count('sagemaker', 'UpdateModelPackage')).toBe(0);
    expect(fake.callsTo('s3', 'HeadObject')).toHaveLength(1);
    expect(metrics).toEqual([{ name: 'ApprovalsReverted', value: 0, group: GROUP }]);
    fake.assertAllHandled();
  });

  it('reverts an approval whose bias report object does not exist (HeadObject 404)', async () => {
    world(VALID_RECORD);
    const result = await gate()(stateChange('Approved'));
    expect(result.outcome).toBe('reverted');
    expect(pkg.description).toContain('names an object that does not exist');
    expect(pkg.status).toBe('PendingManualApproval');
  });

  it('reverts, failing closed, when the report cannot be read (403)', async () => {
    world(VALID_RECORD);
    fake.failNext('s3', 'HeadObject', { status: 403, code: 'Forbidden' });
    const result = await gate()(stateChange('Approved'));
    expect(result.outcome).toBe('reverted');
    expect(pkg.description).toContain('may not read');
  });

  it('reverts a record whose report lies outside the reports prefix, without reading it', async () => {
    world({ ...VALID_RECORD, [REVIEW_KEYS.biasReport]: `s3://${BUCKET}/elsewhere/bias.json` });
    fake.s3.putObject(BUCKET, 'elsewhere/bias.json', '{}');
    const result = await gate()(stateChange('Approved'));
    expect(result.outcome).toBe('reverted');
    expect(fake.count('s3', 'HeadObject')).toBe(0);
  });

  it('is idempotent: a redelivered event finds the version pending and changes nothing', async () => {
    world({});
    const run = gate();
    await run(stateChange('Approved'));
    await run(stateChange('Approved'));
    await run(stateChange('Approved'));
    expect(fake.count('sagemaker', 'UpdateModelPackage')).toBe(1);
    expect(metrics.filter((m) => m.name === 'ApprovalsReverted' && m.value === 1)).toHaveLength(1);
  });

  it('decides on the current state, not the event: a stale approval event of a re-reviewed version changes nothing', async () => {
    world(VALID_RECORD);
    fake.s3.putObject(BUCKET, REPORT, '{}');
    const run = gate();
    expect((await run(stateChange('Approved'))).outcome).toBe('reviewed');
    expect((await run(stateChange('Approved'))).outcome).toBe('reviewed');
    expect(fake.count('sagemaker', 'UpdateModelPackage')).toBe(0);
  });

  it('ignores its own revert (a PendingManualApproval event) and rejections, without any call', async () => {
    world({});
    const run = gate();
    expect((await run(stateChange('PendingManualApproval'))).outcome).toBe('not-an-approval');
    expect((await run(stateChange('Rejected'))).outcome).toBe('not-an-approval');
    expect(fake.calls).toHaveLength(0);
  });

  it('ignores packages of other groups, without any call', async () => {
    world({});
    const other = 'arn:aws:sagemaker:eu-west-1:111111111111:model-package/fraud-model/1';
    expect((await gate()(stateChange('Approved', other, 'fraud-model'))).outcome).toBe('other-group');
    // An event whose group field and ARN disagree is not trusted either.
    expect((await gate()(stateChange('Approved', other, GROUP))).outcome).toBe('other-group');
    expect(fake.calls).toHaveLength(0);
  });

  it('counts a malformed event and returns (a retry cannot fix it), calling nothing else', async () => {
    world({});
    for (const event of [
      null,
      'Approved',
      { source: 'aws.sagemaker', 'detail-type': 'SageMaker Model Package State Change' },
      {
        ...stateChange('Approved'),
        detail: { ModelPackageArn: 'not-an-arn', ModelApprovalStatus: 'Approved' },
      },
      { ...stateChange('Approved'), source: 'custom.app' },
    ]) {
      expect((await gate()(event)).outcome).toBe('malformed');
    }
    expect(metrics.every((m) => m.name === 'MalformedEvents' && m.value === 1)).toBe(true);
    expect(metrics).toHaveLength(5);
    expect(fake.count('sagemaker')).toBe(0);
  });

  it('survives throttling of every service (the SDK retries; the outcome is the same)', async () => {
    world({});
    fake.failNext('sagemaker', 'DescribeModelPackage', { code: 'ThrottlingException', times: 2 });
    fake.failNext('sagemaker', 'UpdateModelPackage', { code: 'ThrottlingException', times: 2 });
    fake.failNext('cloudwatch', 'PutMetricData', { code: 'Throttling', times: 1 });
    const result = await gate()(stateChange('Approved'));
    expect(result.outcome).toBe('reverted');
    expect(pkg.status).toBe('PendingManualApproval');
    expect(fake.callsTo('sagemaker', 'UpdateModelPackage').filter((c) => c.status === 200)).toHaveLength(1);
    expect(fake.callsTo('sagemaker', 'DescribeModelPackage').length).toBe(3);
  });

  it('throws when throttling outlasts the retries, so Lambda retries the event and the approval is not left unchecked silently', async () => {
    world({});
    fake.failNext('sagemaker', 'DescribeModelPackage', { code: 'ThrottlingException', times: 5 });
    await expect(gate(3)(stateChange('Approved'))).rejects.toThrow();
    expect(pkg.status).toBe('Approved');
    // The next delivery (Lambda's retry) reverts it.
    expect((await gate(3)(stateChange('Approved'))).outcome).toBe('reverted');
  });

  it('retries a SageMaker call that never answers (request timeout) and still reverts', async () => {
    world({});
    fake.failNext('sagemaker', 'DescribeModelPackage', { hang: true });
    const result = await gate(3, 300)(stateChange('Approved'));
    expect(result.outcome).toBe('reverted');
    expect(fake.callsTo('sagemaker', 'DescribeModelPackage').length).toBe(2);
  });

  it('throws on a malformed environment before any call (a deployment error)', async () => {
    const handler = createHandler({
      clients: () => {
        throw new Error('unused');
      },
      env: {},
    });
    await expect(handler(stateChange('Approved'))).rejects.toThrow(/REVIEW_GATE_GROUP_NAME: is required/);
  });
});
