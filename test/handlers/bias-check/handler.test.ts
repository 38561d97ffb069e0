import { gzipSync } from 'node:zlib';
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ENV } from '../../../lib/handlers/bias-check/contract';
import { createHandler, type BiasCheckResult } from '../../../lib/handlers/bias-check';
import { BIAS_CHECK_SDK_CALLS } from '../../../lib/handlers/bias-check/sdk-calls';
import { silentLogger } from '../../../lib/handlers/shared/log';
import { AwsFake, startAwsFake } from '../../support/aws-fake';

const DATA = 'datasets';
const ARTIFACTS = 'artifacts';
const DATASET_PREFIX = 'curated/churn/v';
const CHANNEL = `${DATASET_PREFIX}2024-06-01/train/`;
const KEY_ARN = 'arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-3333-4444-555555555555';
const NOW = new Date('2026-12-01T10:00:00Z');

function env(failOn: Record<string, number>): Record<string, string> {
  return {
    [ENV.spec]: JSON.stringify({ format: 'csv', label: 'churned=1', facets: ['gender=female'], failOn }),
    [ENV.datasetBucket]: DATA,
    [ENV.datasetPrefix]: DATASET_PREFIX,
    [ENV.reportsBucket]: ARTIFACTS,
    [ENV.reportsPrefix]: 'bias-reports/churn/',
    [ENV.reportsKeyArn]: KEY_ARN,
  };
}

/** 100 rows: women churn (label 1) at 20 %, men at 60 %: DPL = 0.6 - 0.2 = 0.4. */
function rows(from: number, to: number): string {
  const out: string[] = [];
  for (let i = from; i < to; i++) {
    const female = i % 2 === 0;
    // Women (even i): i % 10 === 0 churn, 10 of 50. Men (odd i): last digit 1, 3 or 5 churn, 30 of 50.
    const churned = female ? i % 10 === 0 : [1, 3, 5].includes(i % 10);
    out.push(`${female ? 'female' : 'male'},${churned ? 1 : 0}`);
  }
  return out.join('\n');
}

let fake: AwsFake;

function check(
  failOn: Record<string, number>,
  maxAttempts = 8,
): (event: unknown) => Promise<BiasCheckResult> {
  const config = fake.clientConfig({ maxAttempts });
  const handler = createHandler({
    clients: () => ({ s3: new S3Client(config) }),
    env: env(failOn),
    now: () => NOW,
    log: () => silentLogger,
  });
  return (event) => handler(event, { awsRequestId: 'test' });
}

const EVENT = { datasetUri: `s3://${DATA}/${CHANNEL}`, executionId: 'abc123def456' };

beforeAll(async () => {
  fake = await startAwsFake();
});
afterAll(async () => {
  // Every call the handler sent is declared, so the authorization proof (test/deploy) covers it.
  const declared = new Set(BIAS_CHECK_SDK_CALLS.map((c) => `${c.service}.${c.operation}`));
  for (const c of fake.calls) expect(declared).toContain(`${c.service}.${c.operation}`);
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  fake.s3.createBucket(DATA);
  fake.s3.createBucket(ARTIFACTS);
});

describe('bias check through the real SDK', () => {
  it('reads a gzip object and a plain one under the channel (one header), writes the report with SSE-KMS and reports crossed', async () => {
    fake.s3.putObject(DATA, `${CHANNEL}part-0.csv.gz`, gzipSync(`gender,churned\n${rows(0, 50)}\n`));
    fake.s3.putObject(DATA, `${CHANNEL}part-1.csv`, `gender,churned\n${rows(50, 100)}\n`);
    // Another channel of the same version: never read.
    fake.s3.putObject(DATA, `${DATASET_PREFIX}2024-06-01/test/part-0.csv`, 'nonsense');
    const result = await check({ DPL: 0.2 })(EVENT);
    expect(result).toEqual({
      crossed: true,
      reportUri: `s3://${ARTIFACTS}/bias-reports/churn/abc123def456/pre-training.json`,
    });
    const report = JSON.parse(
      fake.s3.getText(ARTIFACTS, 'bias-reports/churn/abc123def456/pre-training.json')!,
    );
    expect(report.kind).toBe('compliant-mlops/bias-report');
    expect(report.input.rows).toBe(100);
    expect(report.summary.crossed.map((c: { metric: string }) => c.metric)).toContain('DPL');
    expect(report.source.objects).toEqual([`${CHANNEL}part-0.csv.gz`, `${CHANNEL}part-1.csv`]);
    const put = fake.callsTo('s3', 'PutObject')[0]!.input as Record<string, unknown>;
    expect(put.ServerSideEncryption).toBe('aws:kms');
    expect(put.SSEKMSKeyId).toBe(KEY_ARN);
  });

  it('returns crossed: false when no threshold is crossed', async () => {
    fake.s3.putObject(DATA, `${CHANNEL}part-0.csv`, `gender,churned\n${rows(0, 100)}\n`);
    expect((await check({ DPL: 0.9 })(EVENT)).crossed).toBe(false);
  });

  // BiasCheckOptions.proxyThreshold: a proxy is reported (for the reviewer), not failing; only the
  // failOn metric thresholds hold training back.
  it('a flagged proxy column is in the report but does not make crossed true', async () => {
    const withRegion = rows(0, 100)
      .split('\n')
      .map((r) => `${r},${r.startsWith('female') ? 'north' : 'south'}`)
      .join('\n');
    fake.s3.putObject(DATA, `${CHANNEL}part-0.csv`, `gender,churned,region\n${withRegion}\n`);
    const result = await check({ DPL: 0.9 })(EVENT);
    const report = JSON.parse(
      fake.s3.getText(ARTIFACTS, 'bias-reports/churn/abc123def456/pre-training.json')!,
    );
    expect(report.summary.flaggedProxies).toBeGreaterThan(0);
    expect(report.summary.crossed).toEqual([]);
    expect(result.crossed).toBe(false);
  });

  it('survives throttling of GetObject, ListObjectsV2 and PutObject (SDK retries)', async () => {
    fake.s3.putObject(DATA, `${CHANNEL}part-0.csv.gz`, gzipSync(`gender,churned\n${rows(0, 100)}\n`));
    fake.failNext('s3', 'ListObjectsV2', { status: 503, code: 'SlowDown', times: 2 });
    fake.failNext('s3', 'GetObject', { status: 503, code: 'SlowDown', times: 2 });
    fake.failNext('s3', 'PutObject', { status: 503, code: 'SlowDown', times: 1 });
    const result = await check({ DPL: 0.2 })(EVENT);
    expect(result.crossed).toBe(true);
    expect(fake.callsTo('s3', 'GetObject').length).toBe(3);
    expect(fake.s3.getText(ARTIFACTS, 'bias-reports/churn/abc123def456/pre-training.json')).toBeDefined();
  });

  it('fails the step (no report) when the channel is empty', async () => {
    await expect(check({ DPL: 0.2 })(EVENT)).rejects.toThrow(/no object under/);
    expect(fake.callsTo('s3', 'PutObject')).toHaveLength(0);
  });

  it('fails the step when CSV objects disagree on the header', async () => {
    fake.s3.putObject(DATA, `${CHANNEL}a.csv`, `gender,churned\n${rows(0, 10)}\n`);
    fake.s3.putObject(DATA, `${CHANNEL}b.csv`, `churned,gender\n1,male\n`);
    await expect(check({ DPL: 0.2 })(EVENT)).rejects.toThrow(/b\.csv: its CSV header differs/);
  });

  it('refuses a dataset URI outside the configured dataset, before any S3 call', async () => {
    await expect(
      check({ DPL: 0.2 })({ datasetUri: `s3://${DATA}/curated/other/v1/train/`, executionId: 'x1' }),
    ).rejects.toThrow(/datasetUri: is not a channel of the dataset/);
    expect(fake.calls).toHaveLength(0);
  });
});
