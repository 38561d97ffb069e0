import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildBaselineFromCsv, schemaHashOf, type DriftBaseline } from '../../../lib/drift';
import { ENV, METRIC_NAMESPACE } from '../../../lib/handlers/drift-monitor/contract';
import {
  createHandler,
  defaultClients,
  parseConfig,
  type DriftRunResult,
} from '../../../lib/handlers/drift-monitor';
import type { Logger } from '../../../lib/handlers/shared/log';
import { DRIFT_MONITOR_SDK_CALLS } from '../../../lib/handlers/drift-monitor/sdk-calls';
import { AwsFake, startAwsFake } from '../../support/aws-fake';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'drift');
const KEY_ARN = 'arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-3333-4444-555555555555';
const NOW = new Date('2025-01-01T10:00:30Z');
const HOUR_PREFIX = 'data-capture/churn/churn/primary/2025/01/01/09/';

const ENVIRONMENT: Record<string, string> = {
  [ENV.endpointName]: 'churn',
  [ENV.captureBucket]: 'capture',
  [ENV.capturePrefix]: 'data-capture/churn/',
  [ENV.baselineKey]: 'baselines/churn.json',
  [ENV.reportKmsKeyId]: KEY_ARN,
  [ENV.reportPrefix]: 'drift-reports/',
};

interface Datum {
  MetricName: string;
  Value: number;
  Dimensions: { Name: string; Value: string }[];
}

let fake: AwsFake;
let baseline: DriftBaseline;
let metrics: Datum[];
let metricRequests: number;
let puts: { key: string; sse?: string; keyId?: string; bucketKey?: string }[];
let logLines: Record<string, unknown>[];
let objectSeq = 0;

const lines = (file: string): string[] =>
  readFileSync(join(FIXTURES, file), 'utf8')
    .split('\n')
    .filter((l) => l !== '');

beforeAll(async () => {
  fake = await startAwsFake();
  baseline = await buildBaselineFromCsv(createReadStream(join(FIXTURES, 'training.csv')), {
    target: 'label',
    categorical: ['zip'],
  });
});
afterAll(async () => {
  // Every call the handler sent is declared, so the authorization proof (test/deploy) covers it.
  expect(
    fake
      .operationsReceived()
      .filter((op) => !DRIFT_MONITOR_SDK_CALLS.some((c) => `${c.service}.${c.operation}` === op)),
  ).toEqual([]);
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  metrics = [];
  metricRequests = 0;
  puts = [];
  logLines = [];
  fake.on<{ Namespace: string; MetricData: Datum[] }>('cloudwatch', 'PutMetricData', (input) => {
    expect(input.Namespace).toBe(METRIC_NAMESPACE);
    expect(input.MetricData.length).toBeLessThanOrEqual(1000);
    metricRequests++;
    metrics.push(...input.MetricData);
    return {};
  });
  // The built-in PutObject does not keep encryption headers; record them, then store the object.
  fake.on<{ Bucket: string; Key: string; Body: Buffer }>('s3', 'PutObject', (input, ctx) => {
    const h = (n: string): string | undefined => ctx.headers[n] as string | undefined;
    puts.push({
      key: input.Key,
      sse: h('x-amz-server-side-encryption'),
      keyId: h('x-amz-server-side-encryption-aws-kms-key-id'),
      bucketKey: h('x-amz-server-side-encryption-bucket-key-enabled'),
    });
    const obj = ctx.fake.s3.putObject(input.Bucket, input.Key, input.Body);
    return { headers: { etag: obj.etag } };
  });
  fake.s3.createBucket('capture');
  fake.s3.putObject('capture', 'baselines/churn.json', JSON.stringify(baseline));
});

function run(env: Record<string, string> = {}, maxAttempts = 8): Promise<DriftRunResult> {
  const handler = createHandler({
    clients: () => ({
      s3: new S3Client(fake.clientConfig({ maxAttempts })),
      // Request compression stays on as in production: PutMetricData bodies of 10 KiB and more
      // arrive gzip-encoded, and the fake decodes them.
      cloudwatch: new CloudWatchClient(fake.clientConfig({ maxAttempts })),
    }),
    env: { ...ENVIRONMENT, ...env },
    now: () => NOW,
    log: (correlationId) => {
      const emit = (level: string) => (message: string, fields?: Record<string, unknown>) =>
        logLines.push({ level, message, correlationId, ...fields });
      const logger: Logger = { info: emit('INFO'), warn: emit('WARN'), error: emit('ERROR') };
      return logger;
    },
  });
  return handler({ source: 'test' }, { awsRequestId: 'req-123', getRemainingTimeInMillis: remaining });
}

let remaining = (): number => 300_000;

/** Puts capture lines as objects of `perObject` lines, written at 09:30 (inside the window). */
function putCapture(
  captureLines: readonly string[],
  perObject: number,
  prefix = HOUR_PREFIX,
  lastModified = new Date('2025-01-01T09:30:00Z'),
): number {
  let n = 0;
  for (let i = 0; i < captureLines.length; i += perObject) {
    const key = `${prefix}${String(objectSeq++).padStart(5, '0')}-capture.jsonl`;
    fake.s3.putObject('capture', key, `${captureLines.slice(i, i + perObject).join('\n')}\n`, {
      lastModified,
    });
    n++;
  }
  return n;
}

function metric(name: string, feature?: string): number | undefined {
  const found = metrics.filter(
    (m) =>
      m.MetricName === name &&
      m.Dimensions.some((d) => d.Name === 'EndpointName' && d.Value === 'churn') &&
      (feature === undefined
        ? m.Dimensions.length === 1
        : m.Dimensions.some((d) => d.Name === 'Feature' && d.Value === feature)),
  );
  expect(found.length, `${name} ${feature ?? ''} published once`).toBeLessThanOrEqual(1);
  return found[0]?.Value;
}

function storedReport(key: string): Record<string, unknown> {
  const text = fake.s3.getText('capture', key);
  expect(text, `report ${key}`).toBeDefined();
  return JSON.parse(text as string) as Record<string, unknown>;
}

describe('drift-monitor handler through the SDK', () => {
  it('reports a stable window: no drift, metrics per feature and per endpoint, an encrypted report', async () => {
    putCapture(lines('capture-stable.jsonl'), 50);
    const result = await run();
    expect(result).toMatchObject({
      status: 'ok',
      correlationId: 'req-123',
      endpointName: 'churn',
      variantName: 'primary',
      window: { start: '2025-01-01T09:00:00.000Z', end: '2025-01-01T10:00:00.000Z' },
      captureObjects: 8,
      reportKey: 'drift-reports/churn/2025-01-01T10-00-00Z.json',
      drift: {
        anyDrift: false,
        driftedFeatures: 0,
        driftedShare: 0,
        breaches: { maxPsi: false, driftedShare: false },
      },
      records: { records: 400, rejected: 0 },
    });
    for (const f of ['age', 'income', 'segment', 'zip']) {
      expect(metric('PSI', f)).toBeLessThan(0.2);
      expect(metric('PValue', f)).toBeGreaterThan(0.01);
      expect(metric('Drifted', f)).toBe(0);
    }
    expect(metric('MaxPSI')).toBeLessThan(0.2);
    expect(metric('DriftedShare')).toBe(0);
    expect(metric('RecordsAnalyzed')).toBe(400);
    expect(metric('RejectedRecords')).toBe(0);
    expect(metric('CaptureObjects')).toBe(8);
    expect(metric('AnalysisErrors')).toBe(0);
    expect(metric('DataMissing')).toBe(0);
    expect(metric('AnalysisRuns')).toBe(1);
    expect(puts).toEqual([{ key: result.reportKey, sse: 'aws:kms', keyId: KEY_ARN, bucketKey: 'true' }]);
    const doc = storedReport(result.reportKey as string);
    expect(doc).toMatchObject({
      kind: 'compliant-mlops/drift-run-report',
      status: 'ok',
      correlationId: 'req-123',
    });
    expect((doc.report as { features: unknown[] }).features).toHaveLength(4);
    // Correlation: capture event ids reach the report and the logs.
    expect((doc.objects as { firstEventId: string }[])[0]).toMatchObject({
      rows: 50,
      firstEventId: 'evt-2-0',
      lastEventId: 'evt-2-49',
    });
    expect(logLines.every((l) => l.correlationId === 'req-123')).toBe(true);
    expect(logLines.some((l) => l.message === 'capture object read' && l.firstEventId === 'evt-2-0')).toBe(
      true,
    );
    fake.assertAllHandled();
  });

  it('reports a drifted window and sets the alarm metrics', async () => {
    putCapture(lines('capture-drifted.jsonl'), 100);
    const result = await run();
    expect(result.status).toBe('ok');
    expect(result.drift).toMatchObject({ anyDrift: true, breaches: { maxPsi: true, driftedShare: true } });
    expect(result.drift?.drifted).toEqual(expect.arrayContaining(['age', 'segment']));
    expect(metric('Drifted', 'age')).toBe(1);
    expect(metric('Drifted', 'segment')).toBe(1);
    expect(metric('PSI', 'segment')).toBeGreaterThanOrEqual(0.2);
    expect(metric('MaxPSI')).toBeGreaterThanOrEqual(0.2);
    expect(metric('DriftedShare')).toBeGreaterThanOrEqual(0.3);
    expect(metric('AnalysisErrors')).toBe(0);
    // A p-value below CloudWatch's smallest magnitude (2^-360) is sent as 0, not rejected.
    expect(metrics.every((m) => m.Value === 0 || Math.abs(m.Value) >= 2 ** -360)).toBe(true);
    expect(logLines.find((l) => l.message === 'drift analysis finished')?.level).toBe('WARN');
  });

  it('reads only objects written inside the window, including the hour before the window start', async () => {
    const stable = lines('capture-stable.jsonl');
    putCapture(
      stable.slice(0, 100),
      100,
      'data-capture/churn/churn/primary/2025/01/01/08/',
      new Date('2025-01-01T09:02:00Z'),
    );
    putCapture(
      stable.slice(100, 200),
      100,
      'data-capture/churn/churn/primary/2025/01/01/08/',
      new Date('2025-01-01T08:59:00Z'),
    );
    putCapture(
      stable.slice(200, 300),
      100,
      'data-capture/churn/churn/primary/2025/01/01/10/',
      new Date('2025-01-01T10:00:20Z'),
    );
    putCapture(stable.slice(300, 400), 100, 'data-capture/churn/churn/shadow/2025/01/01/09/');
    const result = await run();
    expect(result.captureObjects).toBe(1);
    expect(result.records?.records).toBe(100);
    expect(fake.callsTo('s3', 'ListObjectsV2').map((c) => c.input.Prefix)).toEqual([
      'data-capture/churn/churn/primary/2025/01/01/08/',
      'data-capture/churn/churn/primary/2025/01/01/09/',
    ]);
  });

  it('pages through more than 1000 capture objects (ListObjectsV2 continuation)', async () => {
    // The hour before the window: 1100 keys, of which the last 60 were written after 09:00.
    const stable = lines('capture-stable.jsonl');
    const prefix08 = 'data-capture/churn/churn/primary/2025/01/01/08/';
    putCapture(
      stable.slice(0, 340).concat(stable.slice(0, 340), stable.slice(0, 360)),
      1,
      prefix08,
      new Date('2025-01-01T08:30:00Z'),
    );
    putCapture(stable.slice(0, 60), 1, prefix08, new Date('2025-01-01T09:01:00Z'));
    putCapture(stable.slice(60, 400), 20);
    const result = await run();
    expect(result.status).toBe('ok');
    expect(result.captureObjects).toBe(60 + 17);
    expect(result.records?.records).toBe(400);
    const pages = fake.callsTo('s3', 'ListObjectsV2').filter((c) => c.input.Prefix === prefix08);
    expect(pages).toHaveLength(2);
    expect(pages[0].input.ContinuationToken).toBeUndefined();
    expect(pages[1].input.ContinuationToken).toBeDefined();
    expect(fake.callsTo('s3', 'GetObject')).toHaveLength(60 + 17 + 1); // captures + the baseline
    expect(metric('CaptureObjects')).toBe(77);
  });

  it('survives throttling and 5xx on S3 and CloudWatch through the SDK retries', async () => {
    putCapture(lines('capture-drifted.jsonl'), 20);
    fake.faults({ throttleRate: 0.2, serverErrorRate: 0.1, seed: 7 });
    const result = await run();
    fake.faults();
    expect(result.status).toBe('ok');
    expect(result.captureObjects).toBe(20);
    expect(result.records?.records).toBe(400);
    expect(fake.calls.some((c) => c.fault === 'throttle')).toBe(true);
    expect(fake.calls.some((c) => c.fault === 'server')).toBe(true);
    expect(fake.calls.filter((c) => c.attempt > 1).length).toBeGreaterThan(0);
    expect(metric('MaxPSI')).toBeGreaterThanOrEqual(0.2);
    expect(puts.map((p) => p.key)).toEqual([result.reportKey]);
  });

  it('publishes AnalysisErrors and fails the invocation when S3 keeps failing', async () => {
    putCapture(lines('capture-stable.jsonl'), 400);
    fake.failNext('s3', 'ListObjectsV2', { status: 500, code: 'InternalError', times: 3 });
    await expect(run({}, 3)).rejects.toThrow();
    expect(metric('AnalysisErrors')).toBe(1);
    expect(metric('DataMissing')).toBe(0);
    expect(metric('AnalysisRuns')).toBe(1);
    expect(logLines.some((l) => l.level === 'ERROR' && l.message === 'drift analysis failed')).toBe(true);
  });

  it('reports an empty window as an error and alarms (AnalysisErrors and DataMissing)', async () => {
    const result = await run();
    expect(result).toMatchObject({ status: 'error', reason: 'noCaptureData', captureObjects: 0 });
    expect(result.message).toMatch(
      /no capture object under s3:\/\/capture\/data-capture\/churn\/churn\/primary\/ was written between/,
    );
    expect(metric('AnalysisErrors')).toBe(1);
    expect(metric('DataMissing')).toBe(1);
    expect(metric('CaptureObjects')).toBe(0);
    expect(metric('AnalysisRuns')).toBe(1);
    expect(metric('MaxPSI')).toBeUndefined();
    expect(storedReport(result.reportKey as string)).toMatchObject({
      status: 'error',
      reason: 'noCaptureData',
      report: null,
    });
    expect(logLines.find((l) => l.level === 'ERROR')).toMatchObject({
      reason: 'noCaptureData',
      correlationId: 'req-123',
    });
  });

  it('reports a window of unparsable records as DataMissing', async () => {
    putCapture(lines('capture-garbage.jsonl'), 10);
    const result = await run();
    expect(result).toMatchObject({ status: 'error', reason: 'noParsableRecords', captureObjects: 1 });
    expect(metric('AnalysisErrors')).toBe(1);
    expect(metric('DataMissing')).toBe(1);
    expect(metric('RejectedRecords')).toBe(3);
  });

  it('reports captures of another schema than the baseline', async () => {
    putCapture(lines('capture-other-schema.jsonl'), 50);
    const result = await run();
    expect(result).toMatchObject({ status: 'error', reason: 'schemaMismatch' });
    expect(result.message).toMatch(/does not match the baseline schema/);
    expect(metric('AnalysisErrors')).toBe(1);
    expect(metric('DataMissing')).toBe(0);
  });

  it('reports a baseline of another schema than the one the model expects', async () => {
    putCapture(lines('capture-stable.jsonl'), 400);
    const result = await run({ [ENV.expectedSchemaHash]: `sha256:${'0'.repeat(64)}` });
    expect(result).toMatchObject({ status: 'error', reason: 'schemaMismatch' });
    expect(result.message).toMatch(/^baseline s3:\/\/capture\/baselines\/churn.json: /);
    expect(metric('AnalysisErrors')).toBe(1);
  });

  it('reports a missing and a malformed baseline', async () => {
    putCapture(lines('capture-stable.jsonl'), 400);
    fake.s3.deleteObject('capture', 'baselines/churn.json');
    const missing = await run();
    expect(missing).toMatchObject({
      status: 'error',
      reason: 'missingBaseline',
      message: 'no baseline at s3://capture/baselines/churn.json',
    });
    expect(metric('AnalysisErrors')).toBe(1);
    metrics = [];
    fake.s3.putObject('capture', 'baselines/churn.json', '{"kind":"something else"}');
    const malformed = await run();
    expect(malformed).toMatchObject({ status: 'error', reason: 'malformedBaseline' });
    expect(metric('AnalysisErrors')).toBe(1);
  });

  it('batches PutMetricData at 1000 metrics per request', async () => {
    // 400 features -> 1200 feature metrics + the endpoint metrics: two requests.
    const wide = {
      ...baseline,
      features: Array.from({ length: 400 }, (_, i) => ({ ...baseline.features[2], name: `f${i}` })),
    };
    const doc = { ...wide, schemaHash: schemaHashOf(wide.features) };
    fake.s3.putObject('capture', 'baselines/churn.json', JSON.stringify(doc));
    const row = Array.from({ length: 400 }, (_, i) => String(i % 1000)).join(',');
    const line = JSON.stringify({
      captureData: { endpointInput: { observedContentType: 'text/csv', data: row, encoding: 'CSV' } },
      eventMetadata: { eventId: 'e1' },
    });
    putCapture([line, line, line], 3);
    const result = await run();
    expect(result.status).toBe('ok');
    expect(result.metricsPublished).toBeGreaterThan(1200);
    expect(result.metricRequests).toBe(2);
    expect(metricRequests).toBe(2);
    expect(metrics).toHaveLength(result.metricsPublished);
  });

  it('stops reading before the function times out and still reports', async () => {
    putCapture(lines('capture-stable.jsonl'), 100);
    let calls = 0;
    remaining = () => (++calls > 2 ? 10_000 : 300_000);
    try {
      const result = await run();
      expect(result).toMatchObject({
        status: 'ok',
        captureObjects: 2,
        skippedObjects: 2,
        records: { records: 200 },
      });
      expect(logLines.some((l) => l.level === 'WARN' && l.skipped === 2)).toBe(true);
    } finally {
      remaining = () => 300_000;
    }
  });

  describe('the production clients (defaultClients), pointed at the fake through the environment', () => {
    afterEach(() => {
      vi.unstubAllEnvs();
    });

    it('an S3 endpoint that accepts connections and never answers fails the run with a TimeoutError, not a hang', async () => {
      for (const [k, v] of Object.entries(fake.env())) vi.stubEnv(k, v);
      putCapture(lines('capture-stable.jsonl'), 400);
      fake.failNext('s3', 'ListObjectsV2', { hang: true, times: 1000 });
      const handler = createHandler({
        clients: defaultClients,
        env: { ...ENVIRONMENT, [ENV.maxAttempts]: '2', [ENV.requestTimeoutMs]: '200' },
        now: () => NOW,
        log: () => ({
          info: () => {},
          warn: () => {},
          error: (m, f) => logLines.push({ level: 'ERROR', message: m, ...f }),
        }),
      });
      const started = Date.now();
      await expect(handler({}, { awsRequestId: 'req-hang' })).rejects.toMatchObject({ name: 'TimeoutError' });
      expect(Date.now() - started).toBeLessThan(8000);
      expect(fake.callsTo('s3', 'ListObjectsV2').map((c) => c.fault)).toEqual(['hang', 'hang']);
      // The error alarm still hears about it.
      expect(metric('AnalysisErrors')).toBe(1);
      expect(logLines).toContainEqual(
        expect.objectContaining({
          level: 'ERROR',
          message: 'drift analysis failed',
          error: expect.stringMatching(/^TimeoutError: /),
        }),
      );
    }, 20_000);

    it('defaults to a 10 s request timeout, configurable from 100 ms to 60 s', () => {
      expect(parseConfig(ENVIRONMENT).requestTimeoutMs).toBe(10_000);
      expect(parseConfig({ ...ENVIRONMENT, [ENV.requestTimeoutMs]: '2500' }).requestTimeoutMs).toBe(2500);
      expect(() => parseConfig({ ...ENVIRONMENT, [ENV.requestTimeoutMs]: '0' })).toThrow(
        'DRIFT_REQUEST_TIMEOUT_MS: is out of range (got "0"; expected an integer >= 100 and <= 60000)',
      );
    });
  });

  it('rejects a malformed environment before any call', async () => {
    await expect(run({ [ENV.psiThreshold]: '-1' })).rejects.toThrow(
      /^DRIFT_PSI_THRESHOLD: is out of range \(got "-1"; expected a number > 0 and <= 100\)/,
    );
    await expect(run({ [ENV.endpointName]: '' })).rejects.toThrow(/^DRIFT_ENDPOINT_NAME: is required/);
    expect(fake.calls).toHaveLength(0);
  });
});
