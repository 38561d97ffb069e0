import { createHash } from 'node:crypto';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { main } from '../../lib/cli/main';
import { createLineageCommand } from '../../lib/cli/commands/lineage';
import { LINEAGE_IAM_ACTIONS, readLineage, type LineageClients } from '../../lib/lineage/chain';
import { AwsFake, awsError, startAwsFake } from '../support/aws-fake';
import { fakeIO } from '../cli/fake-io';

let fake: AwsFake;
beforeAll(async () => {
  fake = await startAwsFake();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => fake.reset());

const ACCOUNT = '111111111111';
const JOB_ARN = `arn:aws:sagemaker:eu-west-1:${ACCOUNT}:training-job/train-1`;
const PACKAGE_ARN = `arn:aws:sagemaker:eu-west-1:${ACCOUNT}:model-package/churn/3`;
const MODEL_DATA = 's3://models/churn/train-1/output/model.tar.gz';
const IMAGE = `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/xgb:1.7`;
const DIGEST = `sha256:${'b'.repeat(64)}`;
const SHA = 'c'.repeat(64);
/** The 10-byte training object and its sha256. */
const TRAIN_OBJECT = 'a,b\n1,2\n3\n';
const TRAIN_OBJECT_SHA = createHash('sha256').update(TRAIN_OBJECT).digest('hex');

function clients(): LineageClients {
  const config = fake.clientConfig();
  return { sagemaker: new SageMakerClient(config), s3: new S3Client(config) };
}

interface World {
  approval?: string;
  customer?: Record<string, string>;
  generatedBy?: string;
  artifacts?: string;
  packageMissing?: boolean;
}

/** A deployed endpoint whose model comes from an approved package trained by train-1. */
function serve(world: World = {}): void {
  fake.on('sagemaker', 'DescribeEndpoint', (input: { EndpointName: string }) => {
    if (input.EndpointName !== 'churn')
      throw awsError(400, 'ValidationException', 'Could not find endpoint "x".');
    return {
      EndpointName: 'churn',
      EndpointArn: `arn:aws:sagemaker:eu-west-1:${ACCOUNT}:endpoint/churn`,
      EndpointConfigName: 'churn-config',
      EndpointStatus: 'InService',
      CreationTime: new Date(0),
      LastModifiedTime: new Date(0),
      ProductionVariants: [
        {
          VariantName: 'a',
          DeployedImages: [{ SpecifiedImage: IMAGE, ResolvedImage: `${IMAGE}@${DIGEST}` }],
        },
        { VariantName: 'b' },
      ],
    };
  });
  fake.on('sagemaker', 'DescribeEndpointConfig', () => ({
    EndpointConfigName: 'churn-config',
    EndpointConfigArn: `arn:aws:sagemaker:eu-west-1:${ACCOUNT}:endpoint-config/churn-config`,
    CreationTime: new Date(0),
    // Two variants of one model: described once.
    ProductionVariants: [
      { VariantName: 'a', ModelName: 'churn-model' },
      { VariantName: 'b', ModelName: 'churn-model' },
    ],
    DataCaptureConfig: {
      DestinationS3Uri: 's3://capture/churn',
      InitialSamplingPercentage: 100,
      CaptureOptions: [{ CaptureMode: 'Input' }],
    },
  }));
  fake.on('sagemaker', 'DescribeModel', () => ({
    ModelName: 'churn-model',
    ModelArn: `arn:aws:sagemaker:eu-west-1:${ACCOUNT}:model/churn-model`,
    CreationTime: new Date(0),
    EnableNetworkIsolation: true,
    PrimaryContainer: { Image: IMAGE, ModelPackageName: PACKAGE_ARN },
  }));
  fake.on('sagemaker', 'DescribeModelPackage', () => {
    if (world.packageMissing) {
      throw awsError(400, 'ValidationException', `ModelPackage ${PACKAGE_ARN} does not exist.`);
    }
    return {
      ModelPackageName: 'churn',
      ModelPackageGroupName: 'churn',
      ModelPackageVersion: 3,
      ModelPackageArn: PACKAGE_ARN,
      CreationTime: new Date(0),
      ModelPackageStatus: 'Completed',
      ModelApprovalStatus: world.approval ?? 'Approved',
      InferenceSpecification: {
        Containers: [{ Image: IMAGE, ImageDigest: DIGEST, ModelDataUrl: MODEL_DATA }],
        SupportedContentTypes: ['text/csv'],
        SupportedResponseMIMETypes: ['text/csv'],
      },
      MetadataProperties: {
        GeneratedBy: world.generatedBy ?? JOB_ARN,
        CommitId: 'abc123',
        Repository: 'git@x:churn',
      },
      CustomerMetadataProperties: world.customer ?? {
        'lineage:dataset-manifest': 's3://data/churn/manifest.json',
      },
      ModelMetrics: {
        ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: 's3://reports/quality.json' } },
        Bias: { Report: { ContentType: 'application/json', S3Uri: 's3://reports/bias.json' } },
      },
    };
  });
  fake.on('sagemaker', 'DescribeTrainingJob', (input: { TrainingJobName: string }) => {
    if (input.TrainingJobName !== 'train-1')
      throw awsError(400, 'ResourceNotFound', 'Requested resource not found.');
    return {
      TrainingJobName: 'train-1',
      TrainingJobArn: JOB_ARN,
      TrainingJobStatus: 'Completed',
      SecondaryStatus: 'Completed',
      CreationTime: new Date(0),
      AlgorithmSpecification: { TrainingImage: `${IMAGE}-train`, TrainingInputMode: 'File' },
      HyperParameters: { max_depth: '5' },
      InputDataConfig: [
        {
          ChannelName: 'train',
          DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://data/churn/train/' } },
        },
      ],
      OutputDataConfig: { S3OutputPath: 's3://models/churn' },
      ModelArtifacts: { S3ModelArtifacts: world.artifacts ?? MODEL_DATA },
      ResourceConfig: { VolumeSizeInGB: 10 },
      StoppingCondition: {},
      RoleArn: `arn:aws:iam::${ACCOUNT}:role/r`,
    };
  });
  // The training object, in a versioned bucket: the manifest pins its version, size and sha256.
  fake.s3.enableVersioning('data');
  const object = fake.s3.putObject('data', 'churn/train/part-0.csv', TRAIN_OBJECT);
  fake.s3.putObject(
    'data',
    'churn/manifest.json',
    JSON.stringify({
      schemaVersion: 1,
      objects: [
        { key: 'churn/train/part-0.csv', versionId: object.versionId, size: 10, sha256: TRAIN_OBJECT_SHA },
      ],
      provenance: [
        {
          source: 'Acme',
          licence: 'CC-BY-4.0',
          acquisitionDate: '2026-01-02',
          checksum: { algorithm: 'sha256', value: SHA },
          piiClasses: [],
          agreementReference: 'DSA-1',
        },
      ],
    }),
  );
}

async function cli(args: string[]) {
  const io = fakeIO();
  const command = createLineageCommand({ clientFactory: () => clients() });
  const code = await main(['lineage', ...args], io, [command]);
  return { code, out: io.out(), err: io.err(), errLines: io.errLines() };
}

describe('lineage chain through the SDK', () => {
  test('reads every link of an approved chain, each resource once, and exits 0', async () => {
    serve();
    const chain = await readLineage(clients(), 'churn');
    expect(chain.links.map((l) => [l.kind, l.status])).toEqual([
      ['endpoint', 'read'],
      ['endpoint-config', 'read'],
      ['model', 'read'],
      ['model-package', 'read'],
      ['training-job', 'read'],
      ['dataset-manifest', 'read'],
      ['dataset-object', 'read'],
    ]);
    const [, , model, pkg, job, manifest] = chain.links;
    // The digest SageMaker resolved at deployment, not just the tag the model names.
    expect(model.facts.images).toEqual([`${IMAGE}@${DIGEST}`]);
    expect(pkg.facts.metricReports).toEqual({
      'ModelMetrics.ModelQuality.Statistics': 's3://reports/quality.json',
      'ModelMetrics.Bias.Report': 's3://reports/bias.json',
    });
    expect(job.via).toBe('MetadataProperties.GeneratedBy');
    expect(job.facts.inputs).toEqual(['train: s3://data/churn/train/']);
    expect(job.facts.hyperparameters).toEqual({ max_depth: '5' });
    const version = fake.s3.getObject('data', 'churn/train/part-0.csv')!.versionId;
    expect(manifest.facts.objects).toEqual([
      `churn/train/part-0.csv?versionId=${version} 10 B sha256:${TRAIN_OBJECT_SHA}`,
    ]);
    expect(fake.count('sagemaker', 'DescribeModel')).toBe(1);
    fake.assertAllHandled();

    const r = await cli(['churn', '--region', 'eu-west-1', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(JSON.parse(r.out).exitCode).toBe(0);
  });

  test('survives throttling and 5xx through the SDK retries', async () => {
    serve();
    fake.faults({ throttleRate: 0.3, serverErrorRate: 0.1, seed: 7 });
    const chain = await readLineage(clients(), 'churn');
    expect(chain.links.every((l) => l.status === 'read')).toBe(true);
    expect(fake.calls.some((c) => c.fault !== undefined)).toBe(true);
  });

  // DescribeModelPackage of a deleted package answers ValidationException "... does not exist":
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeModelPackage.html
  test('a missing model package is reported not read (missing), not dropped, and exits 1', async () => {
    serve({ packageMissing: true });
    const chain = await readLineage(clients(), 'churn');
    const pkg = chain.links.find((l) => l.kind === 'model-package');
    expect(pkg).toMatchObject({ name: PACKAGE_ARN, status: 'not-read', reason: 'missing' });
    expect(pkg?.detail).toContain('does not exist');
    const r = await cli(['churn', '--region', 'eu-west-1']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/model-package .*: NOT READ \(missing\)/);
  });

  // ModelApprovalStatus: Approved | Rejected | PendingManualApproval:
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeModelPackage.html
  test.each(['PendingManualApproval', 'Rejected'])(
    'a package %s is not approved and exits 1',
    async (approval) => {
      serve({ approval });
      const r = await cli(['churn', '--region', 'eu-west-1', '--format', 'markdown']);
      expect(r.code).toBe(1);
      expect(r.out).toContain(`| NOT-APPROVED |`);
      expect(r.out).toContain(`ModelApprovalStatus is ${approval} (expected Approved)`);
    },
  );

  test('access denied on a link: reported in the output, one stderr line, exit 2', async () => {
    serve();
    fake.failNext('sagemaker', 'DescribeTrainingJob', {
      code: 'AccessDeniedException',
      message: 'not allowed',
    });
    fake.failNext('s3', 'GetObject', { status: 403, code: 'AccessDenied', message: 'Access Denied' });
    const r = await cli(['churn', '--region', 'eu-west-1', '--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.errLines).toHaveLength(1);
    expect(r.errLines[0]).toMatch(
      /^compliant-mlops: lineage: access denied on 2 link\(s\): training-job train-1/,
    );
    const report = JSON.parse(r.out);
    expect(report.errors).toHaveLength(2);
    expect(report.chain.links.filter((l: { reason?: string }) => l.reason === 'access denied')).toHaveLength(
      2,
    );
  });

  test('a training job whose artifacts are not the deployed model data is inconsistent', async () => {
    serve({ artifacts: 's3://models/churn/train-1/output/other.tar.gz' });
    const chain = await readLineage(clients(), 'churn');
    expect(chain.links.find((l) => l.kind === 'training-job')).toMatchObject({ status: 'inconsistent' });
  });

  test('without a GeneratedBy training job, the customer metadata names it; no manifest key, no manifest link', async () => {
    serve({ generatedBy: 'pipeline-x', customer: { 'lineage:training-job': 'train-1' } });
    const chain = await readLineage(clients(), 'churn');
    expect(chain.links.find((l) => l.kind === 'training-job')?.via).toBe(
      'CustomerMetadataProperties.lineage:training-job',
    );
    expect(chain.links.some((l) => l.kind === 'dataset-manifest')).toBe(false);
  });

  test('an invalid manifest is not read (invalid) with the schema problem', async () => {
    serve();
    fake.s3.putObject('data', 'churn/manifest.json', JSON.stringify({ schemaVersion: 1, objects: [] }));
    const chain = await readLineage(clients(), 'churn');
    expect(chain.links.find((l) => l.kind === 'dataset-manifest')).toMatchObject({
      status: 'not-read',
      reason: 'invalid',
    });
  });

  test('a model not deployed from a package breaks the chain at the package, still follows the job', async () => {
    serve();
    fake.on('sagemaker', 'DescribeModel', () => ({
      ModelName: 'churn-model',
      ModelArn: 'arn:aws:sagemaker:eu-west-1:111111111111:model/churn-model',
      CreationTime: new Date(0),
      PrimaryContainer: { Image: IMAGE, ModelDataUrl: MODEL_DATA },
    }));
    const chain = await readLineage(clients(), 'churn');
    expect(chain.links.find((l) => l.kind === 'model-package')).toMatchObject({
      status: 'not-read',
      reason: 'not recorded',
    });
    expect(chain.links.find((l) => l.kind === 'training-job')).toMatchObject({
      status: 'read',
      via: 'ModelDataUrl',
    });
  });

  test('a missing endpoint is one not-read link and exits 1', async () => {
    serve();
    const r = await cli(['nope', '--region', 'eu-west-1']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/endpoint nope: NOT READ \(missing\)/);
  });

  // InvokeEndpoint's InferenceId is 1-64 characters (SDK model: min 1, max 64):
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html
  test.each([
    [[], /<endpoint-name>: missing/],
    [['churn', '--inference-id', 'x'], /--inference-id and --capture go together/],
    [['churn', '--format', 'sarif', '--region', 'eu-west-1'], /--format: unknown format "sarif"/],
    [['bad_name', '--region', 'eu-west-1'], /is not an endpoint name/],
    [['churn'], /--region: no region/],
    [
      ['churn', '--inference-id', 'x'.repeat(65), '--capture', 's3://b/p', '--region', 'eu-west-1'],
      /--inference-id: 65 characters \(expected 1 to 64\)/,
    ],
    [
      ['--inference-id', 'x', '--capture', 'https://b/p', '--region', 'eu-west-1'],
      /--capture: "https:\/\/b\/p" is not an s3:\/\/bucket\/prefix uri/,
    ],
    [['a', 'b', '--region', 'eu-west-1'], /one endpoint expected \(got 2\)/],
    [['churn', '--max-objects', '0', '--region', 'eu-west-1'], /--max-objects: "0" is not an integer/],
  ])('usage error %j: one stderr line, exit 2', async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.errLines).toHaveLength(1);
    expect(r.errLines[0]).toMatch(message);
  });

  test('text format: one indented line per link with its status and the field that named it', async () => {
    serve();
    const r = await cli(['churn', '--region', 'eu-west-1']);
    expect(r.out).toContain('\n        training-job train-1: READ (via MetadataProperties.GeneratedBy)\n');
    expect(r.out).toContain('            inputs: train: s3://data/churn/train/\n');
  });

  test('rejected credentials stop the read: one stderr line, exit 2', async () => {
    serve();
    fake.failNext('sagemaker', 'DescribeEndpoint', { code: 'ExpiredTokenException', message: 'expired' });
    const r = await cli(['churn', '--region', 'eu-west-1']);
    expect(r.code).toBe(2);
    expect(r.errLines).toEqual([
      expect.stringMatching(/^compliant-mlops: lineage: ExpiredTokenException: expired/),
    ]);
  });

  // The IAM action of each call: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html
  // (ListObjectsV2 is authorized by s3:ListBucket: https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html)
  test('LINEAGE_IAM_ACTIONS covers every request a full chain sends', async () => {
    serve();
    await readLineage(clients(), 'churn');
    // GetObject/HeadObject of a given version is authorized as s3:GetObjectVersion:
    // https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html
    const sent = new Set(
      fake.calls.map((c) =>
        c.service === 's3'
          ? c.input.VersionId !== undefined
            ? 's3:GetObjectVersion'
            : 's3:GetObject'
          : `sagemaker:${c.operation}`,
      ),
    );
    expect([...sent].sort()).toEqual(LINEAGE_IAM_ACTIONS.filter((a) => a !== 's3:ListBucket').sort());
  });

  // An S3Prefix channel reads every object under its S3Uri:
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_S3DataSource.html
  test('a manifest listing objects outside the training job inputs is inconsistent', async () => {
    serve();
    fake.s3.putObject(
      'data',
      'churn/manifest.json',
      JSON.stringify({
        schemaVersion: 1,
        objects: [
          { key: 'churn/train/part-0.csv', versionId: null, size: 1, sha256: SHA },
          { key: 's3://elsewhere/x.csv', versionId: null, size: 1, sha256: SHA },
        ],
      }),
    );
    const chain = await readLineage(clients(), 'churn');
    const link = chain.links.find((l) => l.kind === 'dataset-manifest');
    expect(link).toMatchObject({ status: 'inconsistent' });
    expect(link?.detail).toBe(
      "1 object(s) not under the training job's inputs (s3://data/churn/train/): s3://elsewhere/x.csv",
    );
  });

  test('AWS not answering stops the read after the retries: one stderr line, exit 2', async () => {
    serve();
    fake.failNext('sagemaker', 'DescribeEndpoint', { hang: true, times: 2 });
    const io = fakeIO();
    const config = fake.clientConfig({ requestTimeoutMs: 100, maxAttempts: 2 });
    const command = createLineageCommand({
      clientFactory: () => ({ sagemaker: new SageMakerClient(config), s3: new S3Client(config) }),
    });
    const code = await main(['lineage', 'churn', '--region', 'eu-west-1'], io, [command]);
    expect(code).toBe(2);
    expect(io.errLines()).toEqual([expect.stringMatching(/^compliant-mlops: lineage: TimeoutError: /)]);
  });
});

// HeadObject with VersionId returns that version's size and, with ChecksumMode ENABLED, the
// SHA-256 checksum S3 stored with it: https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
describe('lineage verifies the manifest and every dataset object version', () => {
  const MANIFEST_URI = 's3://data/churn/manifest.json';
  const manifestSha = (): string =>
    createHash('sha256').update(fake.s3.getObject('data', 'churn/manifest.json')!.body).digest('hex');
  const objectLink = (links: readonly { kind: string }[]) => links.find((l) => l.kind === 'dataset-object');

  test('the manifest sha256 the package recorded is checked: equal reads, different is inconsistent (exit 1)', async () => {
    // The package's metadata is read when DescribeModelPackage is called: set after seeding.
    const customer: Record<string, string> = { 'lineage:dataset-manifest': MANIFEST_URI };
    serve({ customer });
    const sha = manifestSha();
    customer['lineage:dataset-manifest-sha256'] = sha;
    let chain = await readLineage(clients(), 'churn');
    expect(chain.links.find((l) => l.kind === 'dataset-manifest')).toMatchObject({
      status: 'read',
      facts: expect.objectContaining({ sha256: sha }),
    });
    customer['lineage:dataset-manifest-sha256'] = 'd'.repeat(64);
    chain = await readLineage(clients(), 'churn');
    const link = chain.links.find((l) => l.kind === 'dataset-manifest');
    expect(link?.status).toBe('inconsistent');
    expect(link?.detail).toContain('the manifest changed after registration');
    const r = await cli(['churn', '--region', 'eu-west-1']);
    expect(r.code).toBe(1);
  });

  test('HeadObject asks for the recorded version with checksum mode; no checksum: read, hash not verifiable without reading', async () => {
    serve();
    const chain = await readLineage(clients(), 'churn');
    const version = fake.s3.getObject('data', 'churn/train/part-0.csv')!.versionId;
    expect(objectLink(chain.links)).toMatchObject({
      kind: 'dataset-object',
      name: `s3://data/churn/train/part-0.csv?versionId=${version}`,
      status: 'read',
      facts: {
        size: 10,
        versionId: version,
        sha256: expect.stringContaining('not verifiable without reading'),
      },
    });
    expect(fake.callsTo('s3', 'HeadObject')[0].input).toMatchObject({
      Bucket: 'data',
      Key: 'churn/train/part-0.csv',
      VersionId: version,
      ChecksumMode: 'ENABLED',
    });
    expect(fake.callsTo('s3', 'GetObject').every((c) => c.input.Key === 'churn/manifest.json')).toBe(true);
  });

  test('a recorded version that no longer exists is not read (missing), and exits 1', async () => {
    serve();
    // A new upload replaces the current version; the recorded one is deleted.
    const v = fake.s3.getObject('data', 'churn/train/part-0.csv')!.versionId!;
    fake.on('s3', 'HeadObject', (input: { VersionId?: string }) => {
      if (input.VersionId === v)
        throw awsError(404, 'NoSuchVersion', 'The specified version does not exist.');
      return { status: 200 };
    });
    const chain = await readLineage(clients(), 'churn');
    expect(objectLink(chain.links)).toMatchObject({ status: 'not-read', reason: 'missing' });
    expect((await cli(['churn', '--region', 'eu-west-1'])).code).toBe(1);
  });

  test("a size other than the manifest's is inconsistent", async () => {
    serve();
    const v = fake.s3.getObject('data', 'churn/train/part-0.csv')!.versionId!;
    fake.on('s3', 'HeadObject', () => ({
      status: 200,
      headers: { 'content-length': '11', 'x-amz-version-id': v, etag: '"x"' },
    }));
    const chain = await readLineage(clients(), 'churn');
    expect(objectLink(chain.links)).toMatchObject({
      status: 'inconsistent',
      detail: 'its size is 11 B, the manifest says 10 B',
    });
  });

  test("S3's full-object SHA-256 checksum verifies the hash without reading; a different one is inconsistent", async () => {
    serve();
    // Re-upload the same bytes with a stored checksum and point the manifest at that version.
    const withChecksum = fake.s3.putObject('data', 'churn/train/part-0.csv', TRAIN_OBJECT, {
      checksumSha256: true,
    });
    const manifest = JSON.parse(fake.s3.getText('data', 'churn/manifest.json')!);
    manifest.objects[0].versionId = withChecksum.versionId;
    fake.s3.putObject('data', 'churn/manifest.json', JSON.stringify(manifest));
    let chain = await readLineage(clients(), 'churn');
    expect(objectLink(chain.links)).toMatchObject({
      status: 'read',
      facts: expect.objectContaining({ sha256: `${TRAIN_OBJECT_SHA} (S3 checksum)` }),
    });
    expect(fake.callsTo('s3', 'GetObject').every((c) => c.input.Key === 'churn/manifest.json')).toBe(true);

    const other = fake.s3.putObject('data', 'churn/train/part-0.csv', 'x,y\n9,9\n9\n', {
      checksumSha256: true,
    });
    manifest.objects[0].versionId = other.versionId;
    fake.s3.putObject('data', 'churn/manifest.json', JSON.stringify(manifest));
    chain = await readLineage(clients(), 'churn');
    expect(objectLink(chain.links)).toMatchObject({ status: 'inconsistent' });
    expect(objectLink(chain.links)).toHaveProperty(
      'detail',
      expect.stringMatching(/^S3's SHA-256 checksum [0-9a-f]{64} is not the manifest's/),
    );
  });

  test('a composite (multipart) checksum is not the object sha256: not verifiable without reading', async () => {
    serve();
    const composite = fake.s3.putObject('data', 'churn/train/part-0.csv', TRAIN_OBJECT, {
      checksumSha256: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=-2',
    });
    const manifest = JSON.parse(fake.s3.getText('data', 'churn/manifest.json')!);
    manifest.objects[0].versionId = composite.versionId;
    fake.s3.putObject('data', 'churn/manifest.json', JSON.stringify(manifest));
    const chain = await readLineage(clients(), 'churn');
    expect(objectLink(chain.links)).toMatchObject({
      status: 'read',
      facts: expect.objectContaining({ sha256: expect.stringContaining('not verifiable without reading') }),
    });
  });

  test('--verify-hashes reads and hashes the version: equal reads, rewritten bytes of the same size are inconsistent', async () => {
    serve();
    let r = await cli(['churn', '--region', 'eu-west-1', '--verify-hashes', '--format', 'json']);
    expect(r.code).toBe(0);
    const version = fake.s3.getObject('data', 'churn/train/part-0.csv')!.versionId;
    expect(fake.callsTo('s3', 'GetObject').some((c) => c.input.VersionId === version)).toBe(true);
    expect(objectLink(JSON.parse(r.out).chain.links)).toMatchObject({
      facts: expect.objectContaining({ sha256: `${TRAIN_OBJECT_SHA} (read and hashed)` }),
    });

    // An unversioned bucket: the manifest records versionId null and the bytes can be overwritten.
    fake.reset();
    serve();
    const manifest = JSON.parse(fake.s3.getText('data', 'churn/manifest.json')!);
    manifest.objects[0].versionId = null;
    fake.s3.putObject('unversioned', 'churn/train/part-0.csv', 'a,b\n1,2\n4\n');
    fake.s3.putObject('unversioned', 'churn/manifest.json', JSON.stringify(manifest));
    fake.on('sagemaker', 'DescribeModelPackage', () => ({
      ModelPackageName: 'churn',
      ModelPackageArn: PACKAGE_ARN,
      ModelApprovalStatus: 'Approved',
      CreationTime: new Date(0),
      ModelPackageStatus: 'Completed',
      MetadataProperties: { GeneratedBy: JOB_ARN },
      InferenceSpecification: {
        Containers: [{ Image: IMAGE, ModelDataUrl: MODEL_DATA }],
        SupportedContentTypes: [],
        SupportedResponseMIMETypes: [],
      },
      CustomerMetadataProperties: {
        'lineage:dataset-manifest': 's3://unversioned/churn/manifest.json',
        'lineage:dataset-bucket': 'unversioned',
      },
    }));
    fake.on('sagemaker', 'DescribeTrainingJob', () => ({
      TrainingJobName: 'train-1',
      TrainingJobArn: JOB_ARN,
      TrainingJobStatus: 'Completed',
      SecondaryStatus: 'Completed',
      CreationTime: new Date(0),
      AlgorithmSpecification: { TrainingImage: IMAGE, TrainingInputMode: 'File' },
      InputDataConfig: [
        {
          ChannelName: 'train',
          DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://unversioned/churn/train/' } },
        },
      ],
      ModelArtifacts: { S3ModelArtifacts: MODEL_DATA },
      ResourceConfig: { VolumeSizeInGB: 10 },
      StoppingCondition: {},
      RoleArn: `arn:aws:iam::${ACCOUNT}:role/r`,
    }));
    const chain = await readLineage(clients(), 'churn', { verifyHashes: true });
    const link = objectLink(chain.links);
    expect(link).toMatchObject({ name: 's3://unversioned/churn/train/part-0.csv', status: 'inconsistent' });
    expect(fake.callsTo('s3', 'HeadObject')[0].input.VersionId).toBeUndefined();
    r = await cli(['churn', '--region', 'eu-west-1', '--verify-hashes']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('dataset-object s3://unversioned/churn/train/part-0.csv: INCONSISTENT');
  });
});
