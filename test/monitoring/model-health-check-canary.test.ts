import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { SageMakerFeatureStoreRuntimeClient } from '@aws-sdk/client-sagemaker-featurestore-runtime';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  HealthCheckFailed,
  metricsOf,
  runChecks,
  shapeProblems,
  type CheckDeps,
  type HttpRequest,
} from '../../lib/handlers/model-health-canary/checks';
import { parseConfig } from '../../lib/handlers/model-health-canary/config';
import { CONFIG_ENV, type CanaryConfig } from '../../lib/handlers/model-health-canary/contract';
import { defaultClients, fetchRequest, runCanary } from '../../lib/handlers/model-health-canary/index';
import { MODEL_HEALTH_CANARY_SDK_CALLS } from '../../lib/handlers/model-health-canary/sdk-calls';
import { silentLogger } from '../../lib/handlers/shared/log';
import { AwsFake, awsError, startAwsFake } from '../support/aws-fake';

const CONFIG: CanaryConfig = {
  healthCheck: 'churn',
  timeoutMs: 2000,
  inference: {
    url: 'https://api.example.com/prod/invocations',
    body: { instances: [[1, 2, 3]] },
    expectedFields: { predictions: 'array', 'model.version': 'string' },
    maxLatencyMs: 500,
    signed: true,
    signingService: 'execute-api',
  },
  featureStore: { featureGroupName: 'churn', recordIdentifier: 'customer-1', expectedFeatures: ['tenure'] },
  dependencies: [
    { name: 'pypi-mirror', url: 'https://mirror.example.com/simple/' },
    { name: 'sagemaker-runtime', url: 'https://runtime.sagemaker.eu-west-1.amazonaws.com/' },
  ],
};

const GOOD_BODY = JSON.stringify({ predictions: [0.2], model: { version: 'v3' } });

/** A clock that advances by `stepMs` on every read: each timed call takes `stepMs`. */
function steppingClock(stepMs: number): () => number {
  let t = 0;
  return () => (t += stepMs);
}

function deps(overrides: Partial<CheckDeps> = {}): CheckDeps {
  return {
    http: async (r) => (r.method === 'POST' ? { status: 200, body: GOOD_BODY } : { status: 200, body: '' }),
    getRecord: async () => ['customer_id', 'tenure'],
    clock: steppingClock(10),
    ...overrides,
  };
}

describe('model-health canary checks (logic)', () => {
  it('passes every check when the API answers the expected shape in time', async () => {
    const results = await runChecks(CONFIG, deps());
    expect(results.map((r) => [r.check, r.ok])).toEqual([
      ['inference', true],
      ['feature-store', true],
      ['dependency-pypi-mirror', true],
      ['dependency-sagemaker-runtime', true],
    ]);
  });

  it('sends the golden request as signed JSON POST to the configured URL', async () => {
    const sent: HttpRequest[] = [];
    await runChecks(CONFIG, deps({ http: async (r) => (sent.push(r), { status: 200, body: GOOD_BODY }) }));
    const post = sent.find((r) => r.method === 'POST')!;
    expect(post).toMatchObject({ url: CONFIG.inference!.url, signed: true, timeoutMs: 2000 });
    expect(JSON.parse(post.body!)).toEqual({ instances: [[1, 2, 3]] });
    expect(sent.filter((r) => r.method === 'GET').every((r) => !r.signed)).toBe(true);
  });

  it('fails the inference check on a wrong shape, a non-200 status, or a slow answer', async () => {
    const wrongShape = await runChecks(
      CONFIG,
      deps({ http: async () => ({ status: 200, body: JSON.stringify({ predictions: 'x' }) }) }),
    );
    expect(wrongShape[0]).toMatchObject({
      ok: false,
      reason: expect.stringContaining('predictions: expected array, got string'),
    });
    const status = await runChecks(
      CONFIG,
      deps({ http: async () => ({ status: 502, body: 'bad gateway' }) }),
    );
    expect(status[0]).toMatchObject({ ok: false, reason: 'status 502: bad gateway' });
    // Only the inference check, so no other check reads the stepping clock in between.
    const inferenceOnly = { ...CONFIG, featureStore: undefined, dependencies: [] };
    const slow = await runChecks(inferenceOnly, deps({ clock: steppingClock(600) }));
    expect(slow[0]).toMatchObject({ ok: false, latencyMs: 600, reason: 'latency 600 ms above 500 ms' });
  });

  it('fails the feature-store check on a missing record or feature, and on an error', async () => {
    const missing = await runChecks(CONFIG, deps({ getRecord: async () => undefined }));
    expect(missing[1]).toMatchObject({ ok: false, reason: 'record customer-1 not found in churn' });
    const lacks = await runChecks(CONFIG, deps({ getRecord: async () => ['customer_id'] }));
    expect(lacks[1]).toMatchObject({ ok: false, reason: 'record lacks features tenure' });
    const error = await runChecks(
      CONFIG,
      deps({
        getRecord: async () => {
          throw Object.assign(new Error('denied'), { name: 'AccessDeniedException' });
        },
      }),
    );
    expect(error[1]).toMatchObject({ ok: false, reason: 'AccessDeniedException: denied' });
  });

  it('counts a 4xx dependency as reachable, a 5xx or network error as failed, each on its own', async () => {
    const results = await runChecks(
      CONFIG,
      deps({
        http: async (r) => {
          if (r.method === 'POST') return { status: 200, body: GOOD_BODY };
          if (r.url.includes('mirror')) throw new TypeError('fetch failed');
          return { status: 403, body: '' };
        },
      }),
    );
    expect(results.slice(2).map((r) => [r.check, r.ok])).toEqual([
      ['dependency-pypi-mirror', false],
      ['dependency-sagemaker-runtime', true],
    ]);
    const server = await runChecks(CONFIG, deps({ http: async () => ({ status: 503, body: '' }) }));
    expect(server[3]).toMatchObject({ ok: false, reason: 'status 503' });
  });

  it('publishes CheckSucceeded and CheckLatency per check with HealthCheck and Check dimensions', () => {
    const at = new Date('2026-12-01T00:00:00Z');
    const data = metricsOf('churn', [{ check: 'inference', ok: false, latencyMs: 42, reason: 'x' }], at);
    expect(data).toEqual([
      expect.objectContaining({
        MetricName: 'CheckSucceeded',
        Value: 0,
        Dimensions: [
          { Name: 'HealthCheck', Value: 'churn' },
          { Name: 'Check', Value: 'inference' },
        ],
      }),
      expect.objectContaining({ MetricName: 'CheckLatency', Value: 42, Unit: 'Milliseconds' }),
    ]);
  });

  it('reads nested response fields and refuses non-JSON bodies', () => {
    expect(shapeProblems('{"a":{"b":[1]}}', { 'a.b': 'array', 'a.b.0': 'number' })).toEqual([]);
    expect(shapeProblems('<html>', { a: 'object' })).toEqual(['response is not JSON']);
    expect(shapeProblems('{"a":null}', { a: 'object' })).toEqual(['a: expected object, got null']);
  });

  it('refuses a malformed configuration naming the field', () => {
    expect(() => parseConfig({})).toThrow(/^MODEL_HEALTH_CONFIG: \(config\): is not set/);
    const bad = { ...CONFIG, dependencies: [{ name: 'x', url: 'http://plain.example.com' }] };
    expect(() => parseConfig({ [CONFIG_ENV]: JSON.stringify(bad) })).toThrow(
      /^MODEL_HEALTH_CONFIG: dependencies\.0\.url: is not an https url \(got "http:\/\/plain\.example\.com"/,
    );
    expect(parseConfig({ [CONFIG_ENV]: JSON.stringify(CONFIG) })).toEqual(CONFIG);
    const unsigned = { ...CONFIG, inference: { ...CONFIG.inference, signingService: 'lambda' } };
    expect(() => parseConfig({ [CONFIG_ENV]: JSON.stringify(unsigned) })).toThrow(
      /^MODEL_HEALTH_CONFIG: inference\.signingService: is not a signing service \(got "lambda"; expected execute-api, sagemaker\)$/,
    );
    const unflagged = { ...CONFIG, inference: { ...CONFIG.inference, signed: 'yes' } };
    expect(() => parseConfig({ [CONFIG_ENV]: JSON.stringify(unflagged) })).toThrow(
      /^MODEL_HEALTH_CONFIG: inference\.signed: is not a boolean \(got "yes"; expected true or false\)$/,
    );
    const noName = { ...CONFIG, dependencies: [{ url: 'https://ok.example.com' }] };
    expect(() => parseConfig({ [CONFIG_ENV]: JSON.stringify(noName) })).toThrow(
      /^MODEL_HEALTH_CONFIG: dependencies\.0\.name: is not a name/,
    );
  });
});

describe('model-health canary through the real SDK clients (loopback fake)', () => {
  let fake: AwsFake;
  beforeAll(async () => {
    fake = await startAwsFake();
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => fake.reset());

  function clients() {
    return {
      featureStore: new SageMakerFeatureStoreRuntimeClient(fake.clientConfig()),
      cloudwatch: new CloudWatchClient(fake.clientConfig()),
    };
  }
  const env = { [CONFIG_ENV]: JSON.stringify({ ...CONFIG, inference: undefined, dependencies: [] }) };

  it('reads the known record with GetRecord and publishes its metrics, surviving a throttle', async () => {
    fake.on('featurestore', 'GetRecord', (input: Record<string, unknown>) => {
      expect(input).toMatchObject({ FeatureGroupName: 'churn', RecordIdentifierValueAsString: 'customer-1' });
      return {
        Record: [
          { FeatureName: 'customer_id', ValueAsString: 'customer-1' },
          { FeatureName: 'tenure', ValueAsString: '12' },
        ],
      };
    });
    fake.on('cloudwatch', 'PutMetricData', () => ({}));
    fake.failNext('featurestore', 'GetRecord', { status: 400, code: 'ThrottlingException' });
    const results = await runCanary({ clients, env, log: silentLogger });
    expect(results).toEqual([expect.objectContaining({ check: 'feature-store', ok: true })]);
    const put = fake.callsTo('cloudwatch', 'PutMetricData').find((c) => c.status === 200)!;
    expect(put.input).toMatchObject({ Namespace: 'ML/ModelHealth' });
    // Every operation the canary sent is declared (and so authorized by the proof).
    const declared = MODEL_HEALTH_CANARY_SDK_CALLS.map((c) => `${c.service}.${c.operation}`);
    for (const op of fake.operationsReceived()) expect(declared).toContain(op);
    fake.assertAllHandled();
  });

  // GetRecord is GET /FeatureGroup/<name>?RecordIdentifierValueAsString=..., SigV4-signed for the
  // signing name `sagemaker` (the featurestore-runtime's), as the golden request to the runtime is.
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_feature_store_GetRecord.html
  it('sends GetRecord SigV4-signed for the sagemaker signing name, with the known record identifier', async () => {
    let authorization = '';
    fake.on('featurestore', 'GetRecord', (input: Record<string, unknown>, ctx) => {
      authorization = String(ctx.headers.authorization);
      expect(input).toEqual({ FeatureGroupName: 'churn', RecordIdentifierValueAsString: 'customer-1' });
      return { Record: [{ FeatureName: 'tenure', ValueAsString: '12' }] };
    });
    fake.on('cloudwatch', 'PutMetricData', () => ({}));
    await runCanary({ clients, env, log: silentLogger });
    expect(authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/[a-z0-9-]+\/sagemaker\/aws4_request,/,
    );
  });

  // Inside the VPC the client's regional host is what the featurestore-runtime interface endpoint's
  // private DNS answers for, so the probe needs no endpoint URL of its own.
  // https://docs.aws.amazon.com/sagemaker/latest/dg/feature-store-storage-configurations-online-store.html
  it('sends GetRecord to the regional featurestore-runtime host the VPC endpoint resolves', async () => {
    const previous = process.env.AWS_REGION;
    process.env.AWS_REGION = 'eu-west-1';
    try {
      const { featureStore } = defaultClients(CONFIG);
      const endpoint = featureStore.config.endpointProvider({ Region: 'eu-west-1' });
      expect(endpoint.url.href).toBe('https://featurestore-runtime.sagemaker.eu-west-1.amazonaws.com/');
    } finally {
      if (previous === undefined) delete process.env.AWS_REGION;
      else process.env.AWS_REGION = previous;
    }
  });

  it('fails the run when the feature group does not exist, after publishing the failure metric', async () => {
    fake.on('featurestore', 'GetRecord', () => {
      throw awsError(404, 'ResourceNotFound', 'Resource churn not found');
    });
    fake.on('cloudwatch', 'PutMetricData', () => ({}));
    await expect(runCanary({ clients, env, log: silentLogger })).rejects.toBeInstanceOf(HealthCheckFailed);
    const put = fake.callsTo('cloudwatch', 'PutMetricData')[0];
    expect(JSON.stringify(put.input)).toContain('CheckSucceeded');
  });
});

describe('model-health canary HTTP (SigV4 for execute-api)', () => {
  let server: Server;
  let seen: { method?: string; headers: Record<string, unknown>; body: string }[] = [];
  let url = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ method: req.method, headers: req.headers, body });
        res.writeHead(200, { 'content-type': 'application/json' }).end(GOOD_BODY);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/prod/invocations`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
  });
  beforeEach(() => {
    seen = [];
  });

  // IAM-authorised API Gateway methods take SigV4 requests for the execute-api service.
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-using-iam-policies-to-invoke-api.html
  it('signs the golden request for execute-api with the credentials of the SDK client', async () => {
    const featureStore = new SageMakerFeatureStoreRuntimeClient({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIAFAKE', secretAccessKey: 'fake' },
    });
    const res = await fetchRequest(
      {
        url,
        method: 'POST',
        body: '{"instances":[[1]]}',
        headers: { 'content-type': 'application/json' },
        signed: true,
        timeoutMs: 2000,
      },
      { featureStore, cloudwatch: new CloudWatchClient({ region: 'eu-west-1' }) },
    );
    expect(res).toEqual({ status: 200, body: GOOD_BODY });
    expect(seen[0].body).toBe('{"instances":[[1]]}');
    expect(String(seen[0].headers.authorization)).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIAFAKE\/\d{8}\/eu-west-1\/execute-api\/aws4_request, SignedHeaders=[^,]*host/,
    );
  });

  // InvokeEndpoint is POST /endpoints/<name>/invocations on the SageMaker runtime, authenticated
  // with SigV4; the runtime's signing name is `sagemaker` (not `runtime.sagemaker`).
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html
  it('signs a golden request to the SageMaker runtime for the sagemaker service', async () => {
    const featureStore = new SageMakerFeatureStoreRuntimeClient({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIAFAKE', secretAccessKey: 'fake' },
    });
    const endpointUrl = url.replace('/prod/invocations', '/endpoints/churn-endpoint/invocations');
    const res = await fetchRequest(
      {
        url: endpointUrl,
        method: 'POST',
        body: '{"instances":[[1]]}',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        signed: true,
        signingService: 'sagemaker',
        timeoutMs: 2000,
      },
      { featureStore, cloudwatch: new CloudWatchClient({ region: 'eu-west-1' }) },
    );
    expect(res).toEqual({ status: 200, body: GOOD_BODY });
    expect(seen[0]).toMatchObject({ method: 'POST', body: '{"instances":[[1]]}' });
    expect(String(seen[0].headers.authorization)).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIAFAKE\/\d{8}\/eu-west-1\/sagemaker\/aws4_request, SignedHeaders=[^,]*host/,
    );
  });

  it('passes the signing service of the configuration to the request', async () => {
    const sent: HttpRequest[] = [];
    const config: CanaryConfig = {
      ...CONFIG,
      inference: { ...CONFIG.inference!, signingService: 'sagemaker' },
      featureStore: undefined,
      dependencies: [],
    };
    await runChecks(config, deps({ http: async (r) => (sent.push(r), { status: 200, body: GOOD_BODY }) }));
    expect(sent).toEqual([expect.objectContaining({ signed: true, signingService: 'sagemaker' })]);
  });

  it('sends dependency probes unsigned', async () => {
    const featureStore = new SageMakerFeatureStoreRuntimeClient({ region: 'eu-west-1' });
    await fetchRequest(
      { url, method: 'GET', headers: {}, signed: false, timeoutMs: 2000 },
      { featureStore, cloudwatch: new CloudWatchClient({ region: 'eu-west-1' }) },
    );
    expect(seen[0].headers.authorization).toBeUndefined();
  });
});
