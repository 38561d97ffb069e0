import { gzipSync } from 'node:zlib';
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ENV } from '../../../lib/handlers/fairness-check/contract';
import { createHandler, type FairnessCheckResult } from '../../../lib/handlers/fairness-check';
import { FAIRNESS_CHECK_SDK_CALLS } from '../../../lib/handlers/fairness-check/sdk-calls';
import { silentLogger } from '../../../lib/handlers/shared/log';
import { AwsFake, startAwsFake } from '../../support/aws-fake';

const ARTIFACTS = 'artifacts';
const REPORTS = 'reports';
const EVALUATION_PREFIX = 'evaluation/churn-training/';
const EXECUTION = 'abc123def456';
const KEY_ARN = 'arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-3333-4444-555555555555';
const NOW = new Date('2026-12-01T10:00:00Z');
const REPORT_KEY = `bias-reports/churn/${EXECUTION}/post-training.json`;

function env(failOn: Record<string, number>, predictionsFile = 'predictions.jsonl'): Record<string, string> {
  return {
    [ENV.spec]: JSON.stringify({
      predictionsFile,
      format: predictionsFile.includes('.jsonl') ? 'jsonl' : 'csv',
      label: 'churned=1',
      prediction: 'score:>=0.5',
      facets: ['gender=female'],
      failOn,
    }),
    [ENV.evaluationBucket]: ARTIFACTS,
    [ENV.evaluationPrefix]: EVALUATION_PREFIX,
    [ENV.reportsBucket]: REPORTS,
    [ENV.reportsPrefix]: 'bias-reports/churn/',
    [ENV.reportsKeyArn]: KEY_ARN,
  };
}

/**
 * 100 scored rows: the model predicts churn (score >= 0.5) for 20 % of women and 60 % of men, so
 * DPPL = 0.6 - 0.2 = 0.4 (q_a - q_d, facet d = female); labels equal the predictions.
 */
function rows(): { gender: string; churned: number; score: number }[] {
  const out: { gender: string; churned: number; score: number }[] = [];
  for (let i = 0; i < 100; i++) {
    const female = i % 2 === 0;
    const positive = female ? i % 10 === 0 : [1, 3, 5].includes(i % 10);
    out.push({ gender: female ? 'female' : 'male', churned: positive ? 1 : 0, score: positive ? 0.9 : 0.1 });
  }
  return out;
}
const jsonl = () =>
  `${rows()
    .map((r) => JSON.stringify(r))
    .join('\n')}\n`;
const csv = () =>
  `gender,churned,score\n${rows()
    .map((r) => `${r.gender},${r.churned},${r.score}`)
    .join('\n')}\n`;

let fake: AwsFake;

function check(
  failOn: Record<string, number>,
  predictionsFile?: string,
): (event: unknown) => Promise<FairnessCheckResult> {
  const config = fake.clientConfig({ maxAttempts: 8 });
  const handler = createHandler({
    clients: () => ({ s3: new S3Client(config) }),
    env: env(failOn, predictionsFile),
    now: () => NOW,
    log: () => silentLogger,
  });
  return (event) => handler(event, { awsRequestId: 'test' });
}

const event = (file = 'predictions.jsonl') => ({
  predictionsUri: `s3://${ARTIFACTS}/${EVALUATION_PREFIX}${EXECUTION}/${file}`,
  executionId: EXECUTION,
});

beforeAll(async () => {
  fake = await startAwsFake();
});
afterAll(async () => {
  // Every call the handler sent is declared, so the authorization proof (test/deploy) covers it.
  const declared = new Set(FAIRNESS_CHECK_SDK_CALLS.map((c) => `${c.service}.${c.operation}`));
  for (const c of fake.calls) expect(declared).toContain(`${c.service}.${c.operation}`);
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  fake.s3.createBucket(ARTIFACTS);
  fake.s3.createBucket(REPORTS);
});

describe('fairness check through the real SDK', () => {
  it('streams a gzip JSON-lines predictions file, writes the post-training report with SSE-KMS and reports crossed', async () => {
    fake.s3.putObject(ARTIFACTS, `${EVALUATION_PREFIX}${EXECUTION}/predictions.jsonl`, gzipSync(jsonl()));
    const result = await check({ DPPL: 0.2 })(event());
    expect(result).toEqual({ crossed: true, reportUri: `s3://${REPORTS}/${REPORT_KEY}` });
    const report = JSON.parse(fake.s3.getText(REPORTS, REPORT_KEY)!);
    expect(report.kind).toBe('compliant-mlops/bias-report');
    expect(report.predictions).toBe('score:>=0.5');
    expect(report.input.used).toBe(100);
    const dppl = report.facets[0].postTraining.find((m: { metric: string }) => m.metric === 'DPPL');
    expect(dppl.value).toBeCloseTo(0.4, 10);
    expect(report.summary.crossed).toEqual([expect.objectContaining({ metric: 'DPPL', threshold: 0.2 })]);
    expect(report.source.uri).toBe(`s3://${ARTIFACTS}/${EVALUATION_PREFIX}${EXECUTION}/predictions.jsonl`);
    const put = fake.callsTo('s3', 'PutObject')[0]!.input as Record<string, unknown>;
    expect(put.ServerSideEncryption).toBe('aws:kms');
    expect(put.SSEKMSKeyId).toBe(KEY_ARN);
    // One GetObject of the one file: no listing, nothing else read.
    expect(fake.calls.map((c) => `${c.service}.${c.operation}`)).toEqual(['s3.GetObject', 's3.PutObject']);
  });

  it('returns crossed: false (and still writes the report) when no threshold is crossed', async () => {
    fake.s3.putObject(ARTIFACTS, `${EVALUATION_PREFIX}${EXECUTION}/predictions.jsonl`, jsonl());
    expect(await check({ DPPL: 0.5, DI: 0.3 })(event())).toEqual({
      crossed: false,
      reportUri: `s3://${REPORTS}/${REPORT_KEY}`,
    });
    expect(fake.s3.getText(REPORTS, REPORT_KEY)).toBeDefined();
  });

  it('crosses on disparate impact outside [x, 1/x] (DI = 0.2 / 0.6)', async () => {
    fake.s3.putObject(ARTIFACTS, `${EVALUATION_PREFIX}${EXECUTION}/predictions.jsonl`, jsonl());
    expect((await check({ DI: 0.8 })(event())).crossed).toBe(true);
  });

  it('reads a gzip CSV predictions file (header row)', async () => {
    fake.s3.putObject(ARTIFACTS, `${EVALUATION_PREFIX}${EXECUTION}/predictions.csv.gz`, gzipSync(csv()));
    expect((await check({ DPPL: 0.2 }, 'predictions.csv.gz')(event('predictions.csv.gz'))).crossed).toBe(
      true,
    );
  });

  it('does not fail on a flagged proxy: only the metric thresholds decide', async () => {
    // The label and the score are excluded from proxy detection, but an extra column that copies
    // the facet is a perfect proxy (Cramér's V 1): reported, not crossing.
    const text = rows()
      .map((r) => JSON.stringify({ ...r, title: r.gender === 'female' ? 'ms' : 'mr' }))
      .join('\n');
    fake.s3.putObject(ARTIFACTS, `${EVALUATION_PREFIX}${EXECUTION}/predictions.jsonl`, text);
    expect((await check({ DPPL: 0.5 })(event())).crossed).toBe(false);
    const report = JSON.parse(fake.s3.getText(REPORTS, REPORT_KEY)!);
    expect(report.summary.flaggedProxies).toBeGreaterThan(0);
  });

  it('fails the step with a clear message (and no report) when the evaluation wrote no predictions file', async () => {
    fake.s3.putObject(ARTIFACTS, `${EVALUATION_PREFIX}${EXECUTION}/evaluation.json`, '{}');
    await expect(check({ DPPL: 0.2 })(event())).rejects.toThrow(
      `no predictions file at s3://${ARTIFACTS}/${EVALUATION_PREFIX}${EXECUTION}/predictions.jsonl: the Evaluate step's container must write it`,
    );
    expect(fake.callsTo('s3', 'PutObject')).toHaveLength(0);
  });

  it('fails the step when the predictions lack the prediction column', async () => {
    fake.s3.putObject(
      ARTIFACTS,
      `${EVALUATION_PREFIX}${EXECUTION}/predictions.jsonl`,
      `${JSON.stringify({ gender: 'female', churned: 1 })}\n`,
    );
    await expect(check({ DPPL: 0.2 })(event())).rejects.toThrow(/score/);
    expect(fake.callsTo('s3', 'PutObject')).toHaveLength(0);
  });

  it('survives throttling of GetObject and PutObject (SDK retries)', async () => {
    fake.s3.putObject(ARTIFACTS, `${EVALUATION_PREFIX}${EXECUTION}/predictions.jsonl`, gzipSync(jsonl()));
    fake.failNext('s3', 'GetObject', { status: 503, code: 'SlowDown', times: 2 });
    fake.failNext('s3', 'PutObject', { status: 503, code: 'SlowDown', times: 1 });
    expect((await check({ DPPL: 0.2 })(event())).crossed).toBe(true);
    expect(fake.callsTo('s3', 'GetObject').length).toBe(3);
  });

  it("refuses a URI other than this execution's predictions file, before any S3 call", async () => {
    for (const predictionsUri of [
      `s3://${ARTIFACTS}/${EVALUATION_PREFIX}${EXECUTION}/evaluation.json`,
      `s3://${ARTIFACTS}/${EVALUATION_PREFIX}other-execution/predictions.jsonl`,
      `s3://datasets/${EVALUATION_PREFIX}${EXECUTION}/predictions.jsonl`,
    ]) {
      await expect(check({ DPPL: 0.2 })({ predictionsUri, executionId: EXECUTION })).rejects.toThrow(
        /predictionsUri: is not this execution's predictions file/,
      );
    }
    await expect(
      check({ DPPL: 0.2 })({ predictionsUri: event().predictionsUri, executionId: '../x' }),
    ).rejects.toThrow(/executionId: is not a pipeline execution id/);
    expect(fake.calls).toHaveLength(0);
  });
});
