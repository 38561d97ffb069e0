import { gzipSync } from 'node:zlib';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHandler, type QualityRunResult } from '../../../lib/handlers/model-quality-monitor';
import { ENV, METRIC_NAMESPACE } from '../../../lib/handlers/model-quality-monitor/contract';
import { MODEL_QUALITY_MONITOR_SDK_CALLS } from '../../../lib/handlers/model-quality-monitor/sdk-calls';
import type { Logger } from '../../../lib/handlers/shared/log';
import type { JoinedPairMetrics } from '../../../lib/model-quality';
import { AwsFake, startAwsFake } from '../../support/aws-fake';
import { captureLine, groundTruthLine } from '../../model-quality/records';

// Runs at 10:00:30: the window is (09:00, 10:00]; captures are read from a day earlier (default delay).
const NOW = new Date('2025-01-02T10:00:30Z');
const CAPTURE_HOUR = 'data-capture/churn/churn/primary/2025/01/01/20/';
const LABEL_HOUR = 'ground-truth/churn/2025/01/02/09/';

const ENVIRONMENT: Record<string, string> = {
  [ENV.endpointName]: 'churn',
  [ENV.captureBucket]: 'capture',
  [ENV.capturePrefix]: 'data-capture/churn/',
  [ENV.groundTruthPrefix]: 'ground-truth/churn/',
  [ENV.problemType]: 'binaryClassification',
  [ENV.minSamples]: '4',
};

interface Datum {
  MetricName: string;
  Value: number;
  Dimensions: { Name: string; Value: string }[];
}

let fake: AwsFake;
let metrics: Datum[];
let logLines: Record<string, unknown>[];

beforeAll(async () => {
  fake = await startAwsFake();
});
afterAll(async () => {
  // Every call the handler sent is declared, so the authorization proof (test/deploy) covers it.
  expect(
    fake
      .operationsReceived()
      .filter((op) => !MODEL_QUALITY_MONITOR_SDK_CALLS.some((c) => `${c.service}.${c.operation}` === op)),
  ).toEqual([]);
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  metrics = [];
  logLines = [];
  fake.on<{ Namespace: string; MetricData: Datum[] }>('cloudwatch', 'PutMetricData', (input) => {
    expect(input.Namespace).toBe(METRIC_NAMESPACE);
    metrics.push(...input.MetricData);
    return {};
  });
  fake.s3.createBucket('capture');
});

function run(
  env: Record<string, string> = {},
  options: { maxAttempts?: number; extensions?: () => JoinedPairMetrics[] } = {},
): Promise<QualityRunResult> {
  const handler = createHandler({
    clients: () => ({
      s3: new S3Client(fake.clientConfig({ maxAttempts: options.maxAttempts ?? 8 })),
      cloudwatch: new CloudWatchClient(fake.clientConfig({ maxAttempts: options.maxAttempts ?? 8 })),
      sagemaker: new SageMakerClient(fake.clientConfig({ maxAttempts: options.maxAttempts ?? 8 })),
    }),
    env: { ...ENVIRONMENT, ...env },
    now: () => NOW,
    extensions: options.extensions,
    log: (correlationId) => {
      const emit = (level: string) => (message: string, fields?: Record<string, unknown>) =>
        logLines.push({ level, message, correlationId, ...fields });
      const logger: Logger = { info: emit('INFO'), warn: emit('WARN'), error: emit('ERROR') };
      return logger;
    },
  });
  return handler({ source: 'test' }, { awsRequestId: 'req-q', getRemainingTimeInMillis: () => 300_000 });
}

function metric(name: string): number | undefined {
  return metrics.find((m) => m.MetricName === name)?.Value;
}

/** The eight hand-computed pairs of test/model-quality/metrics.test.ts: AUC 11/16, F1 2/3. */
const EIGHT: readonly [string, number, string][] = [
  ['r0', 0.9, '1'],
  ['r1', 0.8, '0'],
  ['r2', 0.7, '1'],
  ['r3', 0.6, '1'],
  ['r4', 0.55, '0'],
  ['r5', 0.4, '0'],
  ['r6', 0.3, '1'],
  ['r7', 0.2, '0'],
];

function seedEight(options: { gzipCapture?: boolean; gzipLabels?: boolean } = {}): void {
  const captures = `${EIGHT.map(([id, s]) => captureLine(id, String(s))).join('\n')}\n${captureLine('unlabelled', '0.5')}\n`;
  fake.s3.putObject(
    'capture',
    `${CAPTURE_HOUR}capture-1.jsonl${options.gzipCapture ? '.gz' : ''}`,
    options.gzipCapture ? gzipSync(captures) : captures,
    {
      lastModified: new Date('2025-01-01T20:05:00Z'),
    },
  );
  const labels = `${EIGHT.map(([id, , y]) => groundTruthLine(id, y)).join('\n')}\n`;
  fake.s3.putObject(
    'capture',
    `${LABEL_HOUR}labels.jsonl${options.gzipLabels ? '.gz' : ''}`,
    options.gzipLabels ? gzipSync(labels) : labels,
    {
      lastModified: new Date('2025-01-02T09:30:00Z'),
    },
  );
}

describe('model-quality-monitor handler through the real SDK', () => {
  it('joins labels written in the window with day-old captures and publishes the hand-computed metrics', async () => {
    seedEight();
    const result = await run();
    expect(result).toMatchObject({
      status: 'ok',
      correlationId: 'req-q',
      window: { start: '2025-01-02T09:00:00.000Z', end: '2025-01-02T10:00:00.000Z' },
      captureWindow: { start: '2025-01-01T09:00:00.000Z' },
      groundTruthObjects: 1,
      captureObjects: 1,
      counts: { matchedRecords: 8, unmatchedLabels: 0 },
    });
    expect(metric('Accuracy')).toBe(5 / 8);
    expect(metric('Precision')).toBe(3 / 5);
    expect(metric('Recall')).toBe(3 / 4);
    expect(metric('F1')).toBeCloseTo(2 / 3, 12);
    expect(metric('AUC')).toBe(11 / 16);
    expect(metric('MatchedRecords')).toBe(8);
    expect(metric('InsufficientSamples')).toBe(0);
    expect(metric('AnalysisErrors')).toBe(0);
    expect(metric('AnalysisRuns')).toBe(1);
    expect(metric('RMSE')).toBeUndefined();
    for (const m of metrics) expect(m.Dimensions).toEqual([{ Name: 'EndpointName', Value: 'churn' }]);
    // The label hour and the one before; the captures from a day before the window to its end.
    const prefixes = fake.callsTo('s3', 'ListObjectsV2').map((c) => c.input.Prefix);
    expect(prefixes.slice(0, 2)).toEqual(['ground-truth/churn/2025/01/02/08/', LABEL_HOUR]);
    expect(prefixes[2]).toBe('data-capture/churn/churn/primary/2025/01/01/08/');
    expect(prefixes.at(-1)).toBe('data-capture/churn/churn/primary/2025/01/02/09/');
  });

  it('reads gzip capture and ground-truth bodies (magic bytes, any key)', async () => {
    seedEight({ gzipCapture: true, gzipLabels: true });
    const result = await run();
    expect(result.status).toBe('ok');
    expect(metric('AUC')).toBe(11 / 16);
    expect(result.counts.rejectedRecords).toBe(0);
  });

  it('pages through more than 1000 capture objects (ListObjectsV2 continuation)', async () => {
    // 1100 one-line objects in one hour, listed over two pages; the labelled ones come first.
    for (let i = 0; i < 1100; i++) {
      fake.s3.putObject(
        'capture',
        `${CAPTURE_HOUR}c-${String(i).padStart(5, '0')}.jsonl`,
        `${captureLine(`x${i}`, '0.9')}\n`,
        {
          lastModified: new Date('2025-01-01T20:05:00Z'),
        },
      );
    }
    fake.s3.putObject(
      'capture',
      `${LABEL_HOUR}labels.jsonl`,
      ['x0', 'x1', 'x2', 'x3'].map((id) => groundTruthLine(id, '1')).join('\n'),
      {
        lastModified: new Date('2025-01-02T09:30:00Z'),
      },
    );
    const result = await run();
    expect(result.status).toBe('ok');
    expect(result.counts.matchedRecords).toBe(4);
    expect(metric('Recall')).toBe(1);
    const pages = fake.callsTo('s3', 'ListObjectsV2').filter((c) => c.input.Prefix === CAPTURE_HOUR);
    expect(pages).toHaveLength(2);
    expect(pages[1].input.ContinuationToken).toBeDefined();
    // Once every label is matched the rest cannot change the metrics and is not read.
    expect(result.captureObjects).toBe(4);
    expect(fake.callsTo('s3', 'GetObject')).toHaveLength(1 + 4);
  });

  it('survives throttling and 5xx on S3 and CloudWatch through the SDK retries', async () => {
    seedEight();
    fake.faults({ throttleRate: 0.25, serverErrorRate: 0.1, seed: 11 });
    const result = await run();
    fake.faults();
    expect(result.status).toBe('ok');
    expect(metric('AUC')).toBe(11 / 16);
    expect(fake.calls.some((c) => c.fault === 'throttle')).toBe(true);
    expect(fake.calls.filter((c) => c.attempt > 1).length).toBeGreaterThan(0);
  });

  it('publishes AnalysisErrors and fails the invocation when S3 keeps failing', async () => {
    seedEight();
    fake.failNext('s3', 'ListObjectsV2', { status: 500, code: 'InternalError', times: 3 });
    await expect(run({}, { maxAttempts: 3 })).rejects.toThrow();
    expect(metric('AnalysisErrors')).toBe(1);
    expect(metric('DataMissing')).toBe(0);
  });

  it('reports a window without ground truth, and labels without captures, as missing data', async () => {
    let result = await run();
    expect(result).toMatchObject({ status: 'error', reason: 'noGroundTruth' });
    expect([metric('AnalysisErrors'), metric('DataMissing')]).toEqual([1, 1]);
    metrics = [];
    fake.s3.putObject('capture', `${LABEL_HOUR}labels.jsonl`, groundTruthLine('a', '1'), {
      lastModified: new Date('2025-01-02T09:30:00Z'),
    });
    result = await run();
    expect(result).toMatchObject({ status: 'error', reason: 'noCaptureData' });
    expect([metric('AnalysisErrors'), metric('DataMissing')]).toEqual([1, 1]);
  });

  it('ignores labels written outside the window (they were, or will be, evaluated by another run)', async () => {
    seedEight();
    fake.s3.putObject('capture', `${LABEL_HOUR}late.jsonl`, groundTruthLine('r7', '1'), {
      lastModified: new Date('2025-01-02T10:00:10Z'),
    });
    await run();
    expect(metric('MatchedRecords')).toBe(8);
    expect(metric('AUC')).toBe(11 / 16);
  });

  it('publishes no quality metric below minSamples, so the degradation alarms keep their state', async () => {
    seedEight();
    const result = await run({ [ENV.minSamples]: '9' });
    expect(result.status).toBe('insufficientSamples');
    expect(metric('InsufficientSamples')).toBe(1);
    expect(metric('MatchedRecords')).toBe(8);
    expect(metric('AUC')).toBeUndefined();
    expect(metric('F1')).toBeUndefined();
  });

  it('publishes multiclass accuracy and macro/weighted metrics of predicted labels', async () => {
    // The ten pairs of test/model-quality/metrics.test.ts: accuracy 0.6, macro precision 11/18.
    const ten = ['aa', 'aa', 'ba', 'ab', 'bb', 'bb', 'cb', 'cc', 'ac', 'cc'];
    fake.s3.putObject(
      'capture',
      `${CAPTURE_HOUR}c.jsonl`,
      ten.map((pl, i) => captureLine(`m${i}`, pl[0])).join('\n'),
      { lastModified: new Date('2025-01-01T20:05:00Z') },
    );
    fake.s3.putObject(
      'capture',
      `${LABEL_HOUR}l.jsonl`,
      ten.map((pl, i) => groundTruthLine(`m${i}`, pl[1])).join('\n'),
      { lastModified: new Date('2025-01-02T09:30:00Z') },
    );
    const result = await run({ [ENV.problemType]: 'multiclassClassification' });
    expect(result.status).toBe('ok');
    expect(metric('Accuracy')).toBe(0.6);
    expect(metric('MacroPrecision')).toBeCloseTo(11 / 18, 12);
    expect(metric('MacroF1')).toBeCloseTo(38 / 63, 12);
    expect(metric('WeightedPrecision')).toBeCloseTo(37 / 60, 12);
    expect(metric('WeightedRecall')).toBeCloseTo(0.6, 12);
    expect(metric('AUC')).toBeUndefined();
  });

  it('publishes the configured post-training fairness metrics per facet, with a Facet dimension', async () => {
    // EIGHT with r0–r3 from women: d predicted positive r0, r1, r2, r3 (scores ≥ 0.5) → q'd = 1;
    // a (r4–r7) predicted positive r4 only → q'a = 1/4. DPPL = q'a − q'd = −3/4, DI = q'd/q'a = 4.
    const line = (id: string, score: number, gender: string): string =>
      JSON.stringify({
        captureData: {
          endpointInput: {
            observedContentType: 'application/json',
            data: JSON.stringify({ gender }),
            encoding: 'JSON',
          },
          endpointOutput: { observedContentType: 'text/csv', data: String(score), encoding: 'CSV' },
        },
        eventMetadata: { eventId: `e-${id}`, inferenceId: id },
      });
    fake.s3.putObject(
      'capture',
      `${CAPTURE_HOUR}c.jsonl`,
      EIGHT.map(([id, sc], i) => line(id, sc, i < 4 ? 'female' : 'male')).join('\n'),
      { lastModified: new Date('2025-01-01T20:05:00Z') },
    );
    fake.s3.putObject(
      'capture',
      `${LABEL_HOUR}l.jsonl`,
      EIGHT.map(([id, , y]) => groundTruthLine(id, y)).join('\n'),
      {
        lastModified: new Date('2025-01-02T09:30:00Z'),
      },
    );
    const result = await run({
      [ENV.fairness]: JSON.stringify({ facets: ['gender=female'], metrics: ['DPPL', 'DI'] }),
    });
    expect(result.status).toBe('ok');
    const facet = [
      { Name: 'EndpointName', Value: 'churn' },
      { Name: 'Facet', Value: 'gender=female' },
    ];
    expect(metrics.filter((m) => m.MetricName === 'DPPL')).toEqual([
      expect.objectContaining({ Value: -0.75, Dimensions: facet }),
    ]);
    expect(metrics.find((m) => m.MetricName === 'DI')).toMatchObject({ Value: 4, Dimensions: facet });
    // Only the configured metrics are published (each is a custom metric, billed).
    expect(metric('RD')).toBeUndefined();
    expect(result.fairness?.[0]).toMatchObject({ facet: 'gender=female', rows: { a: 4, d: 4 } });
  });

  it('refuses a fairness setting with a facet that names no group', async () => {
    await expect(
      run({ [ENV.fairness]: JSON.stringify({ facets: ['gender'], metrics: ['DPPL'] }) }),
    ).rejects.toThrow(/QUALITY_FAIRNESS: facet "gender" names no sensitive group/);
  });

  describe('with the baseline of the registered model package', () => {
    const ARN = 'arn:aws:sagemaker:eu-west-1:111111111111:model-package/churn-model/3';
    const BASELINE = JSON.stringify({
      modelPackageArn: ARN,
      statisticsBucket: 'capture',
      statisticsPrefix: 'evaluation/',
      metrics: ['auc', 'f1'],
    });
    // Model Monitor's statistics format: https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-model-quality-metrics.html
    const STATISTICS = JSON.stringify({
      version: 0.0,
      dataset: { item_count: 1000 },
      binary_classification_metrics: {
        auc: { value: 0.9, standard_deviation: 0.01 },
        f1: { value: 0.75, standard_deviation: 0.02 },
        accuracy: { value: 0.8, standard_deviation: 0.01 },
      },
    });
    function registered(
      statistics: string | undefined,
      s3Uri = 's3://capture/evaluation/churn/3/statistics.json',
    ): void {
      fake.on('sagemaker', 'DescribeModelPackage', (input: { ModelPackageName: string }) => {
        expect(input.ModelPackageName).toBe(ARN);
        return {
          ModelPackageArn: ARN,
          ModelPackageStatus: 'Completed',
          ...(statistics === undefined
            ? {}
            : {
                ModelMetrics: {
                  ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: s3Uri } },
                },
              }),
        };
      });
      if (statistics !== undefined)
        fake.s3.putObject('capture', 'evaluation/churn/3/statistics.json', statistics);
    }

    it('publishes each metric’s degradation from the package statistics (baseline − value), read once per run', async () => {
      seedEight();
      registered(STATISTICS);
      const result = await run({ [ENV.packageBaseline]: BASELINE });
      expect(result.status).toBe('ok');
      // AUC 11/16 against 0.9; F1 2/3 against 0.75.
      expect(metric('AUCDegradation')).toBeCloseTo(0.9 - 11 / 16, 12);
      expect(metric('F1Degradation')).toBeCloseTo(0.75 - 2 / 3, 12);
      expect(metric('AccuracyDegradation')).toBeUndefined();
      expect(metric('BaselineNotRead')).toBe(0);
      expect(result.baseline).toMatchObject({ ok: true, values: { auc: 0.9, f1: 0.75 } });
      expect(fake.count('sagemaker', 'DescribeModelPackage')).toBe(1);
      expect(
        fake.callsTo('s3', 'GetObject').filter((c) => c.input.Key === 'evaluation/churn/3/statistics.json'),
      ).toHaveLength(1);
    });

    it('reports "baseline not read" (metric and log) for a package without statistics, never a silent pass', async () => {
      seedEight();
      registered(undefined);
      const result = await run({ [ENV.packageBaseline]: BASELINE });
      expect(metric('BaselineNotRead')).toBe(1);
      expect(metric('AUCDegradation')).toBeUndefined();
      expect(result.baseline).toEqual({
        ok: false,
        reason: `${ARN} has no ModelMetrics.ModelQuality.Statistics`,
      });
      expect(logLines).toContainEqual(
        expect.objectContaining({
          level: 'WARN',
          message: 'baseline not read',
          reason: expect.stringContaining('no ModelMetrics'),
        }),
      );
      // The quality metrics themselves are still published.
      expect(metric('AUC')).toBe(11 / 16);
    });

    it('does not read statistics outside the granted prefix', async () => {
      seedEight();
      registered(STATISTICS, 's3://other-bucket/evaluation/statistics.json');
      const result = await run({ [ENV.packageBaseline]: BASELINE });
      expect(result.baseline).toMatchObject({
        ok: false,
        reason: expect.stringContaining('outside s3://capture/evaluation/'),
      });
      expect(metric('BaselineNotRead')).toBe(1);
    });

    it('does not accept a statistics document missing a metric', async () => {
      seedEight();
      registered(JSON.stringify({ binary_classification_metrics: { auc: { value: 0.9 } } }));
      const result = await run({ [ENV.packageBaseline]: BASELINE });
      expect(result.baseline).toEqual({
        ok: false,
        reason: 'the statistics have no binary_classification_metrics.f1.value',
      });
      expect(metric('BaselineNotRead')).toBe(1);
      expect(metric('AUCDegradation')).toBeUndefined();
    });
  });

  it('computes RMSE and MAE for a regression model', async () => {
    const pairs: [string, string, string][] = [
      ['a', '3', '2.5'],
      ['b', '-0.5', '0'],
      ['c', '2', '2'],
      ['d', '7', '8'],
    ];
    fake.s3.putObject(
      'capture',
      `${CAPTURE_HOUR}c.jsonl`,
      pairs.map(([id, p]) => captureLine(id, p)).join('\n'),
      {
        lastModified: new Date('2025-01-01T20:05:00Z'),
      },
    );
    fake.s3.putObject(
      'capture',
      `${LABEL_HOUR}l.jsonl`,
      pairs.map(([id, , y]) => groundTruthLine(id, y)).join('\n'),
      {
        lastModified: new Date('2025-01-02T09:30:00Z'),
      },
    );
    const result = await run({ [ENV.problemType]: 'regression' });
    expect(result.status).toBe('ok');
    expect(metric('MAE')).toBe(0.5);
    expect(metric('RMSE')).toBeCloseTo(Math.sqrt(0.375), 15);
    expect(metric('Accuracy')).toBeUndefined();
  });

  it('counts labels beyond maxPendingLabels as DroppedLabels', async () => {
    seedEight();
    const result = await run({ [ENV.maxPendingLabels]: '5' });
    expect(result.counts).toMatchObject({ matchedRecords: 5, droppedLabels: 3 });
    expect(metric('DroppedLabels')).toBe(3);
  });

  it('publishes the extensions’ metrics next to the quality metrics', async () => {
    seedEight();
    let n = 0;
    await run({}, { extensions: () => [{ name: 'pairs', add: () => n++, result: () => ({ count: n }) }] });
    expect(metric('pairs.count')).toBe(8);
  });
});
