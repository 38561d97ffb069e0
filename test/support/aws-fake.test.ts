import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  DescribeNotebookInstanceCommand,
  ListEndpointsCommand,
  ListModelsCommand,
  paginateListEndpoints,
  ResourceNotFound,
  SageMakerClient,
  type EndpointSummary,
} from '@aws-sdk/client-sagemaker';
import { DescribeKeyCommand, KMSClient, NotFoundException, paginateListKeys } from '@aws-sdk/client-kms';
import {
  CloudWatchClient,
  GetMetricDataCommand,
  InvalidParameterValueException,
  ListMetricsCommand,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  GetBucketEncryptionCommand,
  GetBucketPolicyCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  paginateListObjectsV2,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { AwsFake, awsError, pageOutput, paginate, startAwsFake } from './aws-fake';

let fake: AwsFake;

beforeAll(async () => {
  fake = await startAwsFake();
});

afterAll(async () => {
  await fake.close();
});

beforeEach(() => {
  fake.reset();
});

function endpoints(n: number): EndpointSummary[] {
  return Array.from({ length: n }, (_, i) => ({
    EndpointName: `ep-${i}`,
    EndpointArn: `arn:aws:sagemaker:eu-west-1:111111111111:endpoint/ep-${i}`,
    CreationTime: new Date(Date.UTC(2024, 0, 1 + i)),
    LastModifiedTime: new Date(Date.UTC(2024, 1, 1 + i)),
    EndpointStatus: 'InService',
  }));
}

describe('SageMaker (AWS JSON 1.1)', () => {
  it('serves ListEndpoints across three pages through the SDK paginator', async () => {
    const all = endpoints(5);
    fake.on('sagemaker', 'ListEndpoints', (input) => pageOutput('Endpoints', all, input, { pageSize: 2 }));
    const sm = new SageMakerClient(fake.clientConfig());
    const names: string[] = [];
    let pages = 0;
    for await (const page of paginateListEndpoints({ client: sm }, {})) {
      pages += 1;
      names.push(...(page.Endpoints ?? []).map((e) => e.EndpointName ?? ''));
    }
    expect(pages).toBe(3);
    expect(names).toEqual(['ep-0', 'ep-1', 'ep-2', 'ep-3', 'ep-4']);
    expect(fake.count('sagemaker', 'ListEndpoints')).toBe(3);
    expect(fake.callsTo('sagemaker', 'ListEndpoints').map((c) => c.input.NextToken)).toEqual([
      undefined,
      'aws-fake-page-2',
      'aws-fake-page-4',
    ]);
  });

  it('sends Date values as epoch seconds that the SDK parses back into Dates', async () => {
    fake.seedList('sagemaker', 'ListEndpoints', 'Endpoints', endpoints(1));
    const sm = new SageMakerClient(fake.clientConfig());
    const out = await sm.send(new ListEndpointsCommand({}));
    expect(out.Endpoints?.[0].CreationTime).toEqual(new Date(Date.UTC(2024, 0, 1)));
  });

  it('honours the caller page size (MaxResults) below the handler page size', async () => {
    fake.seedList('sagemaker', 'ListEndpoints', 'Endpoints', endpoints(5), { pageSize: 4 });
    const sm = new SageMakerClient(fake.clientConfig());
    const out = await sm.send(new ListEndpointsCommand({ MaxResults: 1 }));
    expect(out.Endpoints).toHaveLength(1);
    expect(out.NextToken).toBe('aws-fake-page-1');
  });

  it('surfaces a modelled error thrown by a handler as the typed SDK exception', async () => {
    fake.on('sagemaker', 'DescribeNotebookInstance', () => {
      throw awsError(400, 'ResourceNotFound', 'RecordNotFound');
    });
    const sm = new SageMakerClient(fake.clientConfig());
    const err = await sm
      .send(new DescribeNotebookInstanceCommand({ NotebookInstanceName: 'nb' }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResourceNotFound);
    expect(fake.count('sagemaker', 'DescribeNotebookInstance')).toBe(1);
  });

  it('passes the decoded request to the handler', async () => {
    const seen: unknown[] = [];
    fake.on('sagemaker', 'DescribeNotebookInstance', (input) => {
      seen.push(input);
      return { NotebookInstanceName: 'nb', NotebookInstanceStatus: 'InService' };
    });
    const sm = new SageMakerClient(fake.clientConfig());
    const out = await sm.send(new DescribeNotebookInstanceCommand({ NotebookInstanceName: 'nb' }));
    expect(seen).toEqual([{ NotebookInstanceName: 'nb' }]);
    expect(out.NotebookInstanceStatus).toBe('InService');
  });
});

describe('KMS (AWS JSON 1.1)', () => {
  it('answers DescribeKey and then a scripted one-shot AccessDeniedException', async () => {
    fake.on('kms', 'DescribeKey', (input) => ({
      KeyMetadata: { KeyId: String(input.KeyId), KeyManager: 'CUSTOMER', KeyRotationEnabled: true },
    }));
    fake.failNext('kms', 'DescribeKey', {
      status: 400,
      code: 'AccessDeniedException',
      message: 'not allowed',
    });
    const kms = new KMSClient(fake.clientConfig());
    const denied = await kms.send(new DescribeKeyCommand({ KeyId: 'k1' })).catch((e: unknown) => e);
    expect(denied).toMatchObject({ name: 'AccessDeniedException', message: 'not allowed', $fault: 'client' });
    const ok = await kms.send(new DescribeKeyCommand({ KeyId: 'k1' }));
    expect(ok.KeyMetadata?.KeyId).toBe('k1');
    expect(fake.callsTo('kms', 'DescribeKey').map((c) => [c.status, c.fault])).toEqual([
      [400, 'scripted'],
      [200, undefined],
    ]);
  });

  it('maps a modelled KMS error to its exception class', async () => {
    fake.failNext('kms', 'DescribeKey', { code: 'NotFoundException', message: 'no key' });
    const kms = new KMSClient(fake.clientConfig());
    await expect(kms.send(new DescribeKeyCommand({ KeyId: 'k2' }))).rejects.toBeInstanceOf(NotFoundException);
  });

  it('pages with Marker / NextMarker / Truncated', async () => {
    const keys = Array.from({ length: 5 }, (_, i) => ({ KeyId: `k${i}` }));
    fake.seedList('kms', 'ListKeys', 'Keys', keys, {
      pageSize: 2,
      inputTokenField: 'Marker',
      tokenField: 'NextMarker',
      limitField: 'Limit',
      truncatedField: 'Truncated',
    });
    const kms = new KMSClient(fake.clientConfig());
    const ids: string[] = [];
    for await (const page of paginateListKeys({ client: kms }, {})) {
      ids.push(...(page.Keys ?? []).map((k) => k.KeyId ?? ''));
    }
    expect(ids).toEqual(['k0', 'k1', 'k2', 'k3', 'k4']);
    expect(fake.count('kms', 'ListKeys')).toBe(3);
  });
});

describe('CloudWatch (AWS JSON 1.0)', () => {
  it('answers GetMetricData with timestamps and values', async () => {
    fake.on('cloudwatch', 'GetMetricData', (input) => ({
      MetricDataResults: (input.MetricDataQueries as { Id: string }[]).map((q) => ({
        Id: q.Id,
        StatusCode: 'Complete',
        Timestamps: [new Date(Date.UTC(2024, 0, 1, 12))],
        Values: [0.25],
      })),
    }));
    const cw = new CloudWatchClient(fake.clientConfig());
    const out = await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(Date.UTC(2024, 0, 1)),
        EndTime: new Date(Date.UTC(2024, 0, 2)),
        MetricDataQueries: [
          {
            Id: 'cpu',
            MetricStat: {
              Metric: { Namespace: 'AWS/SageMaker', MetricName: 'CPUUtilization' },
              Period: 300,
              Stat: 'Average',
            },
          },
        ],
      }),
    );
    expect(out.MetricDataResults?.[0]).toMatchObject({
      Id: 'cpu',
      Values: [0.25],
      Timestamps: [new Date(Date.UTC(2024, 0, 1, 12))],
    });
    // Timestamps reach the handler as epoch seconds (the JSON protocols' wire format).
    expect(fake.callsTo('cloudwatch', 'GetMetricData')[0].input.StartTime).toBe(Date.UTC(2024, 0, 1) / 1000);
  });

  it('maps a query-compatible CloudWatch error code to its typed exception', async () => {
    fake.failNext('cloudwatch', 'ListMetrics', { code: 'InvalidParameterValue', message: 'bad namespace' });
    const cw = new CloudWatchClient(fake.clientConfig());
    const err = await cw.send(new ListMetricsCommand({ Namespace: '?' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidParameterValueException);
    expect(err).toMatchObject({ message: 'bad namespace' });
  });

  it('decodes a gzip-compressed PutMetricData body (the SDK compresses bodies of 10 KiB and more)', async () => {
    // https://docs.aws.amazon.com/sdkref/latest/guide/feature-compression.html
    const received: { count: number; encoding?: string }[] = [];
    fake.on<{ MetricData: unknown[] }>('cloudwatch', 'PutMetricData', (input, ctx) => {
      received.push({ count: input.MetricData.length, encoding: ctx.headers['content-encoding'] });
      return {};
    });
    const cw = new CloudWatchClient(fake.clientConfig());
    const MetricData = Array.from({ length: 300 }, (_, i) => ({
      MetricName: `PSI-${i}`,
      Dimensions: [
        { Name: 'EndpointName', Value: 'churn' },
        { Name: 'Feature', Value: `feature-${i}` },
      ],
      Value: i / 7,
      Unit: 'None' as const,
    }));
    await cw.send(new PutMetricDataCommand({ Namespace: 'ML/Test', MetricData }));
    expect(received).toEqual([{ count: 300, encoding: 'gzip' }]);
    fake.assertAllHandled();
  });

  it('retries CloudWatch Throttling errors', async () => {
    fake.seedList('cloudwatch', 'ListMetrics', 'Metrics', [{ MetricName: 'Invocations' }]);
    fake.failNext('cloudwatch', 'ListMetrics', { code: 'Throttling', message: 'Rate exceeded', times: 2 });
    const cw = new CloudWatchClient(fake.clientConfig());
    const out = await cw.send(new ListMetricsCommand({}));
    expect(out.Metrics?.[0].MetricName).toBe('Invocations');
    expect(fake.callsTo('cloudwatch', 'ListMetrics').map((c) => c.attempt)).toEqual([1, 2, 3]);
  });
});

describe('S3 (REST-XML, path-style)', () => {
  it('stores with PutObject and reads back with GetObject and HeadObject', async () => {
    fake.s3.createBucket('data');
    const s3 = new S3Client(fake.clientConfig());
    await s3.send(
      new PutObjectCommand({
        Bucket: 'data',
        Key: 'dir/a b.json',
        Body: '{"x":1}',
        ContentType: 'application/json',
        Metadata: { owner: 'ml' },
      }),
    );
    expect(fake.s3.getText('data', 'dir/a b.json')).toBe('{"x":1}');
    const got = await s3.send(new GetObjectCommand({ Bucket: 'data', Key: 'dir/a b.json' }));
    expect(await got.Body?.transformToString()).toBe('{"x":1}');
    expect(got.ContentType).toBe('application/json');
    expect(got.Metadata).toEqual({ owner: 'ml' });
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'data', Key: 'dir/a b.json' }));
    expect(head.ContentLength).toBe(7);
  });

  it('accepts streaming uploads (aws-chunked with a checksum trailer)', async () => {
    fake.s3.createBucket('data');
    const s3 = new S3Client(fake.clientConfig());
    const payload = 'x'.repeat(70_000);
    await s3.send(
      new PutObjectCommand({
        Bucket: 'data',
        Key: 'big.txt',
        Body: Readable.from([Buffer.from(payload)]),
        ContentLength: payload.length,
      }),
    );
    expect(fake.s3.getText('data', 'big.txt')).toBe(payload);
  });

  it('answers a missing key with NoSuchKey', async () => {
    fake.s3.createBucket('data');
    const s3 = new S3Client(fake.clientConfig());
    await expect(s3.send(new GetObjectCommand({ Bucket: 'data', Key: 'nope' }))).rejects.toBeInstanceOf(
      NoSuchKey,
    );
  });

  it('answers HeadObject on a missing key with a bodiless 404 (the SDK names it NotFound)', async () => {
    fake.s3.createBucket('data');
    const s3 = new S3Client(fake.clientConfig());
    await expect(s3.send(new HeadObjectCommand({ Bucket: 'data', Key: 'nope' }))).rejects.toMatchObject({
      name: 'NotFound',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('answers a missing bucket with NoSuchBucket', async () => {
    const s3 = new S3Client(fake.clientConfig());
    const err = await s3.send(new GetObjectCommand({ Bucket: 'absent', Key: 'k' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(S3ServiceException);
    expect(err).toMatchObject({ name: 'NoSuchBucket' });
  });

  it('pages ListObjectsV2 with prefix, max-keys and continuation tokens', async () => {
    for (let i = 0; i < 7; i++) {
      fake.s3.putObject('data', `runs/${i}.json`, `{"i":${i}}`);
    }
    fake.s3.putObject('data', 'other/z.json', '{}');
    const s3 = new S3Client(fake.clientConfig());
    const keys: string[] = [];
    let pages = 0;
    for await (const page of paginateListObjectsV2(
      { client: s3, pageSize: 3 },
      { Bucket: 'data', Prefix: 'runs/' },
    )) {
      pages += 1;
      keys.push(...(page.Contents ?? []).map((o) => o.Key ?? ''));
    }
    expect(pages).toBe(3);
    expect(keys).toEqual([
      'runs/0.json',
      'runs/1.json',
      'runs/2.json',
      'runs/3.json',
      'runs/4.json',
      'runs/5.json',
      'runs/6.json',
    ]);
    const after = await s3.send(new ListObjectsV2Command({ Bucket: 'data', StartAfter: 'runs/4.json' }));
    expect(after.Contents?.map((o) => o.Key)).toEqual(['runs/5.json', 'runs/6.json']);
    expect(after.Contents?.[0].Size).toBe(7);
  });

  it('groups keys under CommonPrefixes with a delimiter', async () => {
    fake.s3.putObject('data', 'a/1', '1');
    fake.s3.putObject('data', 'a/2', '2');
    fake.s3.putObject('data', 'b/1', '3');
    fake.s3.putObject('data', 'top', '4');
    const s3 = new S3Client(fake.clientConfig());
    const out = await s3.send(new ListObjectsV2Command({ Bucket: 'data', Delimiter: '/' }));
    expect(out.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['a/', 'b/']);
    expect(out.Contents?.map((o) => o.Key)).toEqual(['top']);
  });
});

describe('S3 custom handlers', () => {
  it('serves a bucket sub-resource operation from an xml result', async () => {
    fake.on('s3', 'GetBucketEncryption', (input) => ({
      xml: {
        ServerSideEncryptionConfiguration: {
          Rule: [
            {
              ApplyServerSideEncryptionByDefault: {
                SSEAlgorithm: 'aws:kms',
                KMSMasterKeyID: `key-for-${String(input.Bucket)}`,
              },
              BucketKeyEnabled: true,
            },
          ],
        },
      },
    }));
    const s3 = new S3Client(fake.clientConfig());
    const out = await s3.send(new GetBucketEncryptionCommand({ Bucket: 'data' }));
    expect(out.ServerSideEncryptionConfiguration?.Rules).toEqual([
      {
        ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'key-for-data' },
        BucketKeyEnabled: true,
      },
    ]);
  });

  it('names an unregistered S3 operation in the UnknownOperationException', async () => {
    const s3 = new S3Client(fake.clientConfig());
    await expect(s3.send(new GetBucketPolicyCommand({ Bucket: 'data' }))).rejects.toMatchObject({
      name: 'UnknownOperationException',
    });
    expect(fake.unhandled).toEqual(['s3.GetBucketPolicy']);
  });

  it('lets a handler error an S3 operation with an XML error', async () => {
    fake.on('s3', 'GetBucketPolicy', () => {
      throw awsError(404, 'NoSuchBucketPolicy', 'The bucket policy does not exist');
    });
    const s3 = new S3Client(fake.clientConfig());
    await expect(s3.send(new GetBucketPolicyCommand({ Bucket: 'data' }))).rejects.toMatchObject({
      name: 'NoSuchBucketPolicy',
      $metadata: { httpStatusCode: 404 },
    });
  });
});

describe('faults and retries', () => {
  it('completes every call through SDK retries at a 30% throttle rate (seeded)', async () => {
    fake.on('kms', 'DescribeKey', (input) => ({ KeyMetadata: { KeyId: String(input.KeyId) } }));
    fake.faults({ throttleRate: 0.3, seed: 42 });
    const kms = new KMSClient(fake.clientConfig());
    for (let i = 0; i < 40; i++) {
      const out = await kms.send(new DescribeKeyCommand({ KeyId: `k${i}` }));
      expect(out.KeyMetadata?.KeyId).toBe(`k${i}`);
    }
    const calls = fake.callsTo('kms', 'DescribeKey');
    const throttled = calls.filter((c) => c.fault === 'throttle');
    expect(calls.filter((c) => c.status === 200)).toHaveLength(40);
    expect(throttled.length).toBeGreaterThan(5);
    expect(calls.length).toBe(40 + throttled.length);
    expect(calls.some((c) => c.attempt > 1)).toBe(true);
  });

  it('replays the same faults for the same seed', async () => {
    const run = async (): Promise<(string | undefined)[]> => {
      fake.reset();
      fake.seedList('sagemaker', 'ListEndpoints', 'Endpoints', []);
      fake.faults({ throttleRate: 0.3, serverErrorRate: 0.1, seed: 7 });
      const sm = new SageMakerClient(fake.clientConfig());
      for (let i = 0; i < 10; i++) {
        await sm.send(new ListEndpointsCommand({}));
      }
      return fake.calls.map((c) => c.fault);
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(first.filter((f) => f !== undefined).length).toBeGreaterThan(0);
  });

  it('retries 5xx responses', async () => {
    fake.s3.putObject('data', 'k', 'v');
    fake.failNext('s3', 'GetObject', { status: 500, code: 'InternalError', times: 2 });
    fake.failNext('sagemaker', 'ListEndpoints', { status: 503, code: 'ServiceUnavailable' });
    fake.seedList('sagemaker', 'ListEndpoints', 'Endpoints', endpoints(1));
    const s3 = new S3Client(fake.clientConfig());
    const got = await s3.send(new GetObjectCommand({ Bucket: 'data', Key: 'k' }));
    expect(await got.Body?.transformToString()).toBe('v');
    expect(fake.callsTo('s3', 'GetObject').map((c) => c.status)).toEqual([500, 500, 200]);
    const sm = new SageMakerClient(fake.clientConfig());
    await sm.send(new ListEndpointsCommand({}));
    expect(fake.callsTo('sagemaker', 'ListEndpoints').map((c) => c.status)).toEqual([503, 200]);
  });

  it('retries random 500s at the configured rate', async () => {
    fake.seedList('sagemaker', 'ListEndpoints', 'Endpoints', endpoints(1));
    fake.faults({ serverErrorRate: 0.3, seed: 3 });
    const sm = new SageMakerClient(fake.clientConfig());
    for (let i = 0; i < 10; i++) {
      await sm.send(new ListEndpointsCommand({}));
    }
    const calls = fake.callsTo('sagemaker', 'ListEndpoints');
    expect(calls.filter((c) => c.status === 500 && c.errorCode === 'InternalFailure').length).toBeGreaterThan(
      0,
    );
    expect(calls.filter((c) => c.status === 200)).toHaveLength(10);
  });

  it('throttles S3 with 503 SlowDown, which the SDK retries', async () => {
    fake.s3.putObject('data', 'k', 'v');
    fake.faults({ throttleRate: 0.5, seed: 11, services: ['s3'] });
    const s3 = new S3Client(fake.clientConfig());
    for (let i = 0; i < 8; i++) {
      await s3.send(new HeadObjectCommand({ Bucket: 'data', Key: 'k' }));
    }
    const throttled = fake.callsTo('s3', 'HeadObject').filter((c) => c.fault === 'throttle');
    expect(throttled.length).toBeGreaterThan(0);
    expect(throttled.every((c) => c.status === 503 && c.errorCode === 'SlowDown')).toBe(true);
  });

  it('limits random faults to the given services and operations', async () => {
    fake.seedList('sagemaker', 'ListEndpoints', 'Endpoints', []);
    fake.seedList('sagemaker', 'ListModels', 'Models', []);
    fake.faults({ throttleRate: 1, services: ['sagemaker'], operations: ['ListModels'] });
    const sm = new SageMakerClient(fake.clientConfig({ maxAttempts: 2 }));
    await sm.send(new ListEndpointsCommand({}));
    await expect(sm.send(new ListModelsCommand({}))).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(fake.count('sagemaker', 'ListEndpoints')).toBe(1);
    expect(fake.count('sagemaker', 'ListModels')).toBe(2);
    fake.faults();
    await sm.send(new ListModelsCommand({}));
    expect(fake.count('sagemaker', 'ListModels')).toBe(3);
  });

  it('rejects fault rates that cannot be probabilities', () => {
    expect(() => fake.faults({ throttleRate: 0.8, serverErrorRate: 0.3 })).toThrow(/sum to <= 1/);
    expect(() => fake.failNext('kms', 'DescribeKey', { code: 'X', times: 0 })).toThrow(/positive integer/);
  });

  it('gives up after maxAttempts and surfaces the throttling error', async () => {
    fake.seedList('sagemaker', 'ListEndpoints', 'Endpoints', []);
    fake.failNext('sagemaker', 'ListEndpoints', { code: 'ThrottlingException', times: 3 });
    const sm = new SageMakerClient(fake.clientConfig({ maxAttempts: 3 }));
    await expect(sm.send(new ListEndpointsCommand({}))).rejects.toMatchObject({
      name: 'ThrottlingException',
      $metadata: { attempts: 3 },
    });
    expect(fake.count('sagemaker', 'ListEndpoints')).toBe(3);
  });

  it('retries a dropped connection', async () => {
    fake.seedList('sagemaker', 'ListEndpoints', 'Endpoints', endpoints(2));
    fake.failNext('sagemaker', 'ListEndpoints', { disconnect: true });
    const sm = new SageMakerClient(fake.clientConfig());
    const out = await sm.send(new ListEndpointsCommand({}));
    expect(out.Endpoints).toHaveLength(2);
    expect(fake.callsTo('sagemaker', 'ListEndpoints').map((c) => c.fault)).toEqual(['disconnect', undefined]);
  });

  it('retries a request that exceeds the client request timeout', async () => {
    fake.seedList('sagemaker', 'ListEndpoints', 'Endpoints', endpoints(1));
    fake.failNext('sagemaker', 'ListEndpoints', { delayMs: 300 });
    const sm = new SageMakerClient(fake.clientConfig({ requestTimeoutMs: 50 }));
    const out = await sm.send(new ListEndpointsCommand({}));
    expect(out.Endpoints).toHaveLength(1);
    expect(fake.count('sagemaker', 'ListEndpoints')).toBe(2);
  });
});

describe('an endpoint that never answers, or answers like a proxy', () => {
  it('hang: accepts the request and never answers; the SDK request timeout ends each attempt', async () => {
    fake.seedList('sagemaker', 'ListEndpoints', 'Endpoints', endpoints(1));
    fake.failNext('sagemaker', '*', { hang: true, times: 3 });
    const sm = new SageMakerClient(fake.clientConfig({ maxAttempts: 3, requestTimeoutMs: 100 }));
    const started = Date.now();
    const err = await sm.send(new ListEndpointsCommand({})).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'TimeoutError' });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(fake.callsTo('sagemaker', 'ListEndpoints').map((c) => c.fault)).toEqual(['hang', 'hang', 'hang']);
    sm.destroy();
  });

  it('hang: close() releases requests that were never answered', async () => {
    const own = await startAwsFake();
    own.failNext('kms', 'DescribeKey', { hang: true });
    const kms = new KMSClient(own.clientConfig({ maxAttempts: 1 }));
    const pending = kms.send(new DescribeKeyCommand({ KeyId: 'k' })).catch((e: unknown) => e);
    await vi.waitFor(() => expect(own.count('kms', 'DescribeKey')).toBe(1));
    await own.close();
    expect(await pending).toBeInstanceOf(Error);
    expect(own.calls[0].fault).toBe('hang');
    kms.destroy();
  });

  it('body: answers with a raw non-AWS body, such as the HTML 502 page of a proxy', async () => {
    fake.failNext('kms', 'DescribeKey', {
      status: 502,
      body: '<html><body><h1>502 Bad Gateway</h1></body></html>',
      contentType: 'text/html',
      times: 8,
    });
    const kms = new KMSClient(fake.clientConfig({ maxAttempts: 2 }));
    const err = await kms.send(new DescribeKeyCommand({ KeyId: 'k' })).catch((e: unknown) => e);
    expect(err).toMatchObject({ $metadata: { httpStatusCode: 502 } });
    const calls = fake.callsTo('kms', 'DescribeKey');
    expect(calls.map((c) => [c.status, c.fault])).toEqual([
      [502, 'scripted'],
      [502, 'scripted'],
    ]);
    const res = await fetch(fake.endpoint, {
      method: 'POST',
      headers: { 'x-amz-target': 'TrentService.DescribeKey', 'content-type': 'application/x-amz-json-1.1' },
      body: '{}',
    });
    expect(res.headers.get('content-type')).toBe('text/html');
    expect(res.headers.get('x-amzn-errortype')).toBeNull();
    expect(await res.text()).toContain('502 Bad Gateway');
  });
});

describe('concurrency and environment', () => {
  it('completes concurrent calls under random faults', async () => {
    fake.on('kms', 'DescribeKey', async (input) => {
      await new Promise((r) => setTimeout(r, 1));
      return { KeyMetadata: { KeyId: String(input.KeyId) } };
    });
    fake.faults({ throttleRate: 0.2, serverErrorRate: 0.1, seed: 5 });
    const kms = new KMSClient(fake.clientConfig());
    const ids = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        kms.send(new DescribeKeyCommand({ KeyId: `k${i}` })).then((o) => o.KeyMetadata?.KeyId),
      ),
    );
    expect(ids).toEqual(Array.from({ length: 20 }, (_, i) => `k${i}`));
    const calls = fake.callsTo('kms', 'DescribeKey');
    expect(calls.filter((c) => c.status === 200)).toHaveLength(20);
    expect(calls.length).toBe(20 + calls.filter((c) => c.fault !== undefined).length);
  });

  describe('env()', () => {
    afterEach(() => {
      vi.unstubAllEnvs();
    });

    it('points clients built without configuration at the fake', async () => {
      for (const [k, v] of Object.entries(fake.env())) {
        vi.stubEnv(k, v);
      }
      fake.seedList('sagemaker', 'ListEndpoints', 'Endpoints', endpoints(1));
      fake.s3.putObject('data', 'k', 'v');
      const sm = new SageMakerClient({});
      const s3 = new S3Client({});
      expect((await sm.send(new ListEndpointsCommand({}))).Endpoints).toHaveLength(1);
      expect(
        await (await s3.send(new GetObjectCommand({ Bucket: 'data', Key: 'k' }))).Body?.transformToString(),
      ).toBe('v');
    });
  });
});

describe('raw protocol edges', () => {
  it('answers an unknown X-Amz-Target prefix with UnknownOperationException', async () => {
    const res = await fetch(fake.endpoint, {
      method: 'POST',
      headers: { 'x-amz-target': 'AmazonSSM.GetParameter', 'content-type': 'application/x-amz-json-1.1' },
      body: '{}',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    expect(await res.json()).toMatchObject({ __type: 'UnknownOperationException' });
    expect(fake.unhandled).toEqual(['AmazonSSM.GetParameter']);
    expect(fake.calls[0]).toMatchObject({ service: 'unknown', operation: 'GetParameter', status: 400 });
  });

  it('answers a malformed JSON body with SerializationException', async () => {
    fake.on('kms', 'DescribeKey', () => ({}));
    const res = await fetch(fake.endpoint, {
      method: 'POST',
      headers: { 'x-amz-target': 'TrentService.DescribeKey', 'content-type': 'application/x-amz-json-1.1' },
      body: '{not json',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ __type: 'SerializationException' });
  });

  it('closes while a delayed response is pending without leaving it hanging', async () => {
    const own = await startAwsFake();
    own.seedList('sagemaker', 'ListEndpoints', 'Endpoints', []);
    own.failNext('sagemaker', 'ListEndpoints', { delayMs: 10_000 });
    const sm = new SageMakerClient(own.clientConfig({ maxAttempts: 1 }));
    const pending = sm.send(new ListEndpointsCommand({})).catch((e: unknown) => e);
    await vi.waitFor(() => expect(own.count('sagemaker', 'ListEndpoints')).toBe(1));
    const started = Date.now();
    await own.close();
    expect(await pending).toBeInstanceOf(Error);
    expect(Date.now() - started).toBeLessThan(2000);
    sm.destroy();
  });
});

describe('unknown operations', () => {
  it('answers an operation without a handler with UnknownOperationException and records it', async () => {
    const sm = new SageMakerClient(fake.clientConfig());
    const err = await sm.send(new ListEndpointsCommand({})).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'UnknownOperationException' });
    expect(String((err as Error).message)).toContain("fake.on('sagemaker', 'ListEndpoints'");
    expect(fake.unhandled).toEqual(['sagemaker.ListEndpoints']);
    expect(fake.count('sagemaker', 'ListEndpoints')).toBe(1);
    expect(() => fake.assertAllHandled()).toThrow(/no handler for sagemaker.ListEndpoints/);
  });

  it('reports a handler bug as a non-retried FakeHandlerError', async () => {
    fake.on('kms', 'DescribeKey', () => {
      throw new TypeError('boom');
    });
    const kms = new KMSClient(fake.clientConfig());
    await expect(kms.send(new DescribeKeyCommand({ KeyId: 'k' }))).rejects.toMatchObject({
      name: 'FakeHandlerError',
      message: expect.stringContaining('boom'),
    });
    expect(fake.count('kms', 'DescribeKey')).toBe(1);
    expect(fake.handlerErrors.map((e) => e.message)).toEqual(['boom']);
  });
});

describe('paginate', () => {
  it('rejects a token it did not issue with ValidationException', () => {
    expect(() => paginate([1, 2], { NextToken: 'bogus' })).toThrow(/invalid pagination token/);
  });

  it('returns no token on the last page', () => {
    expect(paginate([1, 2, 3], { NextToken: 'aws-fake-page-2' }, { pageSize: 2 })).toEqual({
      items: [3],
      nextToken: undefined,
    });
  });
});

describe('lifecycle', () => {
  it('closes cleanly: the port stops listening and no sockets stay open', async () => {
    const count = (kind: string): number => process.getActiveResourcesInfo().filter((r) => r === kind).length;
    const serversBefore = count('TCPServerWrap');
    const socketsBefore = count('TCPSocketWrap');
    const own = await startAwsFake();
    own.seedList('sagemaker', 'ListEndpoints', 'Endpoints', []);
    const sm = new SageMakerClient(own.clientConfig());
    await sm.send(new ListEndpointsCommand({}));
    expect(count('TCPServerWrap')).toBe(serversBefore + 1);
    await own.close();
    await own.close(); // idempotent
    expect(count('TCPServerWrap')).toBe(serversBefore);
    // close() drops the client's keep-alive connection too; nothing is left for vitest to wait on.
    expect(count('TCPSocketWrap')).toBeLessThanOrEqual(socketsBefore);
    await expect(sm.send(new ListEndpointsCommand({}))).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    sm.destroy();
  });
});
