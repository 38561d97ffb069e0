import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createRollbackCommand } from '../../lib/cli/commands/rollback';
import { main } from '../../lib/cli/main';
import { servedModelSchema } from '../../examples/reference-app/config';
import { planRollback, rollbackExitCode, type RollbackClients } from '../../lib/rollback';
import { fakeIO } from '../cli/fake-io';
import { AwsFake, awsError, pageOutput, startAwsFake } from '../support/aws-fake';

let fake: AwsFake;
beforeAll(async () => {
  fake = await startAwsFake();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => fake.reset());

const ACCOUNT = '111111111111';
const arn = (v: number) => `arn:aws:sagemaker:eu-west-1:${ACCOUNT}:model-package/churn-model/${v}`;
const IMAGE = `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/mlops/churn`;
const digest = (c: string) => `sha256:${c.repeat(64)}`;
const BUCKET = 'mlops-model-artifacts';

function clients(): RollbackClients {
  const config = fake.clientConfig();
  return { sagemaker: new SageMakerClient(config), s3: new S3Client(config) };
}

interface Version {
  version: number;
  status: 'Approved' | 'Rejected' | 'PendingManualApproval';
  contract?: string;
  imageInUri?: boolean;
  noDigest?: boolean;
}

/** A group whose listing is paginated by two, so a plan must read every page. */
function group(versions: Version[]): void {
  fake.on('sagemaker', 'ListModelPackages', (input: Record<string, unknown>) => {
    expect(input.ModelPackageGroupName).toBe('churn-model');
    const listed = versions
      .filter((v) => input.ModelApprovalStatus === undefined || v.status === input.ModelApprovalStatus)
      .map((v) => ({
        ModelPackageArn: arn(v.version),
        ModelPackageGroupName: 'churn-model',
        ModelPackageVersion: v.version,
        ModelApprovalStatus: v.status,
        ModelPackageStatus: 'Completed',
        CreationTime: new Date(v.version * 1000),
      }));
    return pageOutput('ModelPackageSummaryList', listed, input, { pageSize: 2 });
  });
  fake.on('sagemaker', 'DescribeModelPackage', (input: { ModelPackageName: string }) => {
    const v = versions.find((x) => arn(x.version) === input.ModelPackageName);
    if (!v)
      throw awsError(400, 'ValidationException', `Model package ${input.ModelPackageName} does not exist.`);
    const d = digest(String(v.version % 10));
    return {
      ModelPackageArn: arn(v.version),
      ModelPackageGroupName: 'churn-model',
      ModelPackageVersion: v.version,
      ModelApprovalStatus: v.status,
      ModelPackageStatus: 'Completed',
      CreationTime: new Date(0),
      InferenceSpecification: {
        Containers: [
          {
            Image: v.imageInUri ? `${IMAGE}@${d}` : `${IMAGE}:v${v.version}`,
            ...(v.imageInUri || v.noDigest ? {} : { ImageDigest: d }),
            ModelDataUrl: `s3://mlops-artifacts/churn/pipelines-${v.version}/output/model.tar.gz`,
          },
        ],
        SupportedContentTypes: ['application/json'],
        SupportedResponseMIMETypes: ['application/json'],
        SupportedRealtimeInferenceInstanceTypes: ['ml.m5.large'],
      },
      ...(v.contract ? { CustomerMetadataProperties: { 'lineage:feature-contract': v.contract } } : {}),
    };
  });
}

const HISTORY: Version[] = [
  { version: 1, status: 'Approved', contract: 'customer-churn@1.0.0' },
  { version: 2, status: 'Rejected', contract: 'customer-churn@1.1.0' },
  { version: 3, status: 'Approved', contract: 'customer-churn@1.2.0' },
  { version: 4, status: 'PendingManualApproval' },
  { version: 5, status: 'Approved', contract: 'customer-churn@2.0.0' },
];

describe('planRollback', () => {
  test('goes back from the newest approved version to the approved one before it, over every page', async () => {
    group(HISTORY);
    fake.s3.putObject(BUCKET, 'models/churn/3/model.tar.gz', 'artifact');
    const plan = await planRollback(clients(), {
      group: 'churn-model',
      served: 'churn',
      artifactBucket: BUCKET,
      contract: 'customer-churn@1.2.0',
    });
    expect(plan.approved).toEqual([5, 3, 1]);
    expect(plan.from).toBe(5);
    expect(plan.target).toMatchObject({
      version: 3,
      imageDigest: digest('3'),
      featureContract: 'customer-churn@1.2.0',
    });
    expect(plan.steps.map((s) => [s.step, s.status])).toEqual([
      ['target', 'ready'],
      ['image', 'ready'],
      ['artifact', 'ready'],
      ['feature-contract', 'ready'],
      ['config', 'todo'],
      ['deploy', 'todo'],
    ]);
    const config = plan.steps.find((s) => s.step === 'config')?.action;
    expect(JSON.parse(config ?? '')).toEqual({ name: 'churn', imageDigest: digest('3'), modelVersion: '3' });
    // The entry is one the reference platform's config accepts as it is.
    expect(servedModelSchema.safeParse(JSON.parse(config ?? '')).success).toBe(true);
    expect(rollbackExitCode(plan)).toBe(0);
    expect(fake.callsTo('sagemaker', 'ListModelPackages').length).toBe(2);
    fake.assertAllHandled();
  });

  test('a rejected version is never a target, even when asked for', async () => {
    group(HISTORY);
    const plan = await planRollback(clients(), { group: 'churn-model', to: 2 });
    expect(plan.steps).toEqual([
      {
        step: 'target',
        status: 'blocked',
        detail: 'version 2 of churn-model is not approved (approved: 5, 3, 1)',
      },
    ]);
    expect(rollbackExitCode(plan)).toBe(1);
    expect(fake.callsTo('sagemaker', 'DescribeModelPackage')).toHaveLength(0);
  });

  test('--from a version not approved is blocked; nothing before the oldest approved is blocked', async () => {
    group(HISTORY);
    const notApproved = await planRollback(clients(), { group: 'churn-model', from: 4 });
    expect(notApproved.steps[0]).toMatchObject({
      status: 'blocked',
      detail: expect.stringMatching(/version 4 .* not approved/),
    });
    const oldest = await planRollback(clients(), { group: 'churn-model', from: 1 });
    expect(oldest.steps[0].detail).toBe('no approved version of churn-model before 1 (approved: 5, 3, 1)');
    const served = await planRollback(clients(), { group: 'churn-model', to: 5 });
    expect(served.steps[0].detail).toBe('version 5 is the one served now');
  });

  test('a missing artifact gives the promotion command from the package artifact', async () => {
    group(HISTORY);
    const plan = await planRollback(clients(), {
      group: 'churn-model',
      from: 3,
      served: 'churn',
      artifactBucket: BUCKET,
    });
    const artifact = plan.steps.find((s) => s.step === 'artifact');
    expect(artifact).toMatchObject({ status: 'todo' });
    expect(artifact?.action).toBe(
      `aws s3 cp "s3://mlops-artifacts/churn/pipelines-1/output/model.tar.gz" "s3://${BUCKET}/models/churn/1/model.tar.gz" --sse aws:kms --sse-kms-key-id "$MODELS_KEY"`,
    );
    expect(rollbackExitCode(plan)).toBe(0);
  });

  // FeatureContract: a major version changes the features a request carries, so a model trained
  // on another major cannot be served with today's contract.
  test('a feature contract a major version apart blocks the plan; no record blocks when compared', async () => {
    group(HISTORY);
    const apart = await planRollback(clients(), { group: 'churn-model', contract: 'customer-churn@2.0.0' });
    expect(apart.steps.find((s) => s.step === 'feature-contract')).toMatchObject({
      status: 'blocked',
      detail: expect.stringMatching(
        /registered with customer-churn@1\.2\.0, served now customer-churn@2\.0\.0: a major version apart/,
      ),
    });
    expect(rollbackExitCode(apart)).toBe(1);
    group([
      { version: 1, status: 'Approved' },
      { version: 2, status: 'Approved' },
    ]);
    const unknown = await planRollback(clients(), { group: 'churn-model', contract: 'customer-churn@2.0.0' });
    expect(unknown.steps.find((s) => s.step === 'feature-contract')).toMatchObject({
      status: 'blocked',
      reason: 'not recorded',
    });
    const notCompared = await planRollback(clients(), { group: 'churn-model' });
    expect(notCompared.steps.find((s) => s.step === 'feature-contract')).toMatchObject({
      status: 'todo',
      reason: 'not recorded',
    });
  });

  test('the digest is read from the image URI when ImageDigest is absent; a tag alone is blocked', async () => {
    group([
      { version: 1, status: 'Approved', imageInUri: true },
      { version: 2, status: 'Approved', noDigest: true },
      { version: 3, status: 'Approved' },
    ]);
    // From 3 the default target is 2, whose image is a tag without a digest.
    const tagged = await planRollback(clients(), { group: 'churn-model', served: 'churn' });
    expect(tagged.target?.version).toBe(2);
    expect(tagged.steps.find((s) => s.step === 'image')).toMatchObject({ status: 'blocked' });
    expect(tagged.steps.find((s) => s.step === 'config')).toMatchObject({ status: 'blocked' });
    const uri = await planRollback(clients(), { group: 'churn-model', to: 1, served: 'churn' });
    expect(uri.target?.imageDigest).toBe(digest('1'));
  });
});

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string[] }> {
  const io = fakeIO({ env: { AWS_REGION: 'eu-west-1' } });
  const command = createRollbackCommand({ clientFactory: () => clients() });
  const code = await main(['rollback', ...args], io, [command]);
  return { code, out: io.out(), err: io.errLines() };
}

describe('compliant-mlops rollback', () => {
  test('prints the plan and exits 0; json carries the whole plan', async () => {
    group(HISTORY);
    const text = await cli('churn-model', '--served', 'churn');
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/artifact +NOT CHECKED +pass --served and --artifact-bucket/);
    expect(text.out).toMatch(/^rollback of churn-model: approved versions 5, 3, 1\n/);
    expect(text.out).toContain(`$ {"name":"churn","imageDigest":"${digest('3')}","modelVersion":"3"}`);
    const json = await cli('churn-model', '--format', 'json');
    expect(JSON.parse(json.out)).toMatchObject({ group: 'churn-model', from: 5, target: { version: 3 } });
    const md = await cli('churn-model', '--format', 'markdown');
    expect(md.out).toMatch(/^# Rollback plan: churn-model\n/);
    expect(md.out).toContain('| target | READY |');
  });

  test('no region, a bad region and an unwritable --output are usage errors', async () => {
    const command = createRollbackCommand({ clientFactory: () => clients() });
    const noRegion = fakeIO();
    expect(await main(['rollback', 'churn-model'], noRegion, [command])).toBe(2);
    expect(noRegion.errLines()).toEqual([
      'compliant-mlops: rollback: --region: no region (pass --region or set AWS_REGION)',
    ]);
    expect((await cli('churn-model', '--region', 'europe')).err[0]).toMatch(
      /--region: "europe" is not a region name/,
    );
    group(HISTORY);
    const unwritable = await cli('churn-model', '--output', 'no/such/dir/plan.txt');
    expect(unwritable.code).toBe(2);
    expect(unwritable.err).toEqual([
      'compliant-mlops: rollback: --output: cannot write no/such/dir/plan.txt (ENOENT)',
    ]);
  });

  test('a blocked step exits 1', async () => {
    group(HISTORY);
    expect((await cli('churn-model', '--from', '1')).code).toBe(1);
  });

  test('access denied on the artifact exits 2 with one stderr line and the error in the json', async () => {
    group(HISTORY);
    fake.failNext('s3', 'HeadObject', { status: 403, code: 'AccessDenied', message: 'Access Denied' });
    const r = await cli('churn-model', '--served', 'churn', '--artifact-bucket', BUCKET, '--format', 'json');
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(
      /^compliant-mlops: rollback: s3:\/\/mlops-model-artifacts\/models\/churn\/3\/model\.tar\.gz: access denied/,
    );
    expect(JSON.parse(r.out).errors).toHaveLength(1);
  });

  test('a group that cannot be listed exits 2 with one line', async () => {
    fake.on('sagemaker', 'ListModelPackages', () => {
      throw awsError(400, 'AccessDeniedException', 'not allowed');
    });
    const r = await cli('churn-model');
    expect(r.code).toBe(2);
    expect(r.err).toEqual([
      'compliant-mlops: rollback: cannot list the approved versions of churn-model (AccessDeniedException: not allowed)',
    ]);
  });

  test.each([
    [['churn-model', 'other'], /one group expected \(got 2\)/],
    [['churn_model'], /"churn_model" is not a model package group name/],
    [['churn-model', '--to', 'x'], /--to: "x" is not a model package version/],
    [['churn-model', '--from', '3', '--to', '3'], /--to: 3 is not below --from 3/],
    [['churn-model', '--served', 'Churn'], /--served: "Churn" is not a served model name/],
    [['churn-model', '--artifact-bucket', BUCKET], /--artifact-bucket needs --served/],
    [['churn-model', '--contract', 'churn'], /--contract: "churn" is not <contract name>@<version>/],
    [['churn-model', '--format', 'sarif'], /--format: unknown format "sarif"/],
    [['churn-model', '--nope'], /^compliant-mlops: rollback: Unknown option '--nope'/],
  ])('%j is a usage error: one line, exit 2', async (args, message) => {
    const r = await cli(...args);
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(message);
    expect(fake.callsTo('sagemaker', 'ListModelPackages')).toHaveLength(0);
  });
});
