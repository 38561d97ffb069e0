import { gzipSync } from 'node:zlib';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { main } from '../../lib/cli/main';
import { createLineageCommand } from '../../lib/cli/commands/lineage';
import { findInference } from '../../lib/lineage/capture-search';
import { AwsFake, startAwsFake } from '../support/aws-fake';
import { fakeIO } from '../cli/fake-io';

let fake: AwsFake;
beforeAll(async () => {
  fake = await startAwsFake();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => fake.reset());

const s3 = (): S3Client => new S3Client(fake.clientConfig());

/**
 * One data capture event as SageMaker writes it (one JSON object per line), input as CSV and
 * output as BASE64 unless given.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-data-capture-endpoint.html
 */
function event(inferenceId: string, input = '1,2,3', output = '0.9'): string {
  return JSON.stringify({
    captureData: {
      endpointInput: { observedContentType: 'text/csv', mode: 'INPUT', data: input, encoding: 'CSV' },
      endpointOutput: {
        observedContentType: 'text/csv',
        mode: 'OUTPUT',
        data: Buffer.from(output).toString('base64'),
        encoding: 'BASE64',
      },
    },
    eventMetadata: { eventId: `e-${inferenceId}`, inferenceId, inferenceTime: '2026-12-01T10:00:00Z' },
    eventVersion: '0',
  });
}

/** Five hourly capture files under churn/a/2026/12/01/, the searched id in the last one. */
function seed(options: { gzipLast?: boolean } = {}): void {
  for (let h = 0; h < 5; h++) {
    const lines = [event(`other-${h}-1`), event(`other-${h}-2`)];
    if (h === 4) lines.push(event('req-42', '5,6,7', '0.1'));
    const text = `${lines.join('\n')}\n`;
    const key = `churn/a/2026/12/01/${String(h).padStart(2, '0')}/capture-${h}.jsonl`;
    fake.s3.putObject('capture', key, h === 4 && options.gzipLast ? gzipSync(text) : text);
  }
}

describe('finding a captured inference', () => {
  test('follows ListObjectsV2 pages to the last object and decodes request and response', async () => {
    seed();
    const r = await findInference(s3(), { bucket: 'capture', prefix: 'churn/' }, 'req-42', { pageSize: 2 });
    expect(r.pages).toBe(3);
    expect(r.objectsRead).toBe(5);
    expect(r.matches).toEqual([
      {
        object: 's3://capture/churn/a/2026/12/01/04/capture-4.jsonl',
        line: 3,
        eventId: 'e-req-42',
        inferenceTime: '2026-12-01T10:00:00Z',
        request: { contentType: 'text/csv', encoding: 'CSV', data: '5,6,7' },
        response: { contentType: 'text/csv', encoding: 'BASE64', data: '0.1' },
      },
    ]);
    expect(fake.callsTo('s3', 'ListObjectsV2').filter((c) => c.status === 200)).toHaveLength(3);
  });

  test('reads gzip-compressed capture files by their magic bytes', async () => {
    seed({ gzipLast: true });
    const r = await findInference(s3(), { bucket: 'capture', prefix: 'churn/' }, 'req-42');
    expect(r.matches.map((m) => m.request?.data)).toEqual(['5,6,7']);
  });

  test('survives S3 throttling (503 SlowDown) through the SDK retries', async () => {
    seed();
    fake.faults({ throttleRate: 0.3, seed: 3, services: ['s3'] });
    const r = await findInference(s3(), { bucket: 'capture', prefix: 'churn/' }, 'req-42', { pageSize: 2 });
    expect(r.matches).toHaveLength(1);
    expect(fake.calls.some((c) => c.fault !== undefined)).toBe(true);
  });

  test('an object that cannot be read is reported, the search goes on', async () => {
    seed();
    fake.failNext('s3', 'GetObject', { status: 403, code: 'AccessDenied', message: 'Access Denied' });
    const r = await findInference(s3(), { bucket: 'capture', prefix: 'churn/' }, 'req-42');
    expect(r.notRead).toEqual([
      expect.objectContaining({
        object: 's3://capture/churn/a/2026/12/01/00/capture-0.jsonl',
        reason: 'access denied',
      }),
    ]);
    expect(r.matches).toHaveLength(1);
  });

  test('stops at --max-objects and says the search was truncated', async () => {
    seed();
    const r = await findInference(s3(), { bucket: 'capture', prefix: 'churn/' }, 'req-42', { maxObjects: 2 });
    expect(r).toMatchObject({ objectsRead: 2, truncated: true, matches: [] });
  });

  test('an id that only appears inside a payload is not a match', async () => {
    fake.s3.putObject('capture', 'churn/x.jsonl', `${event('other', 'req-42')}\n`);
    const r = await findInference(s3(), { bucket: 'capture', prefix: 'churn/' }, 'req-42');
    expect(r.matches).toEqual([]);
  });
});

describe('compliant-mlops lineage --inference-id', () => {
  function command() {
    const config = fake.clientConfig();
    return createLineageCommand({
      clientFactory: () => ({ sagemaker: new SageMakerClient(config), s3: new S3Client(config) }),
    });
  }

  test('found: exit 0, text shows request and response', async () => {
    seed({ gzipLast: true });
    const io = fakeIO();
    const code = await main(
      ['lineage', '--inference-id', 'req-42', '--capture', 's3://capture/churn/', '--region', 'eu-west-1'],
      io,
      [command()],
    );
    expect(code).toBe(0);
    expect(io.out()).toContain('request (text/csv): 5,6,7');
    expect(io.out()).toContain('response (text/csv): 0.1');
  });

  test('not found: exit 1; json says so', async () => {
    seed();
    const io = fakeIO();
    const code = await main(
      [
        'lineage',
        '--inference-id',
        'nope',
        '--capture',
        's3://capture/churn/',
        '--region',
        'eu-west-1',
        '-f',
        'json',
      ],
      io,
      [command()],
    );
    expect(code).toBe(1);
    expect(JSON.parse(io.out()).inference.matches).toEqual([]);
  });

  test('a capture bucket that does not exist: not read (missing), exit 1', async () => {
    const io = fakeIO();
    const code = await main(
      ['lineage', '--inference-id', 'x', '--capture', 's3://no-such-bucket/p', '--region', 'eu-west-1'],
      io,
      [command()],
    );
    expect(code).toBe(1);
    expect(io.out()).toMatch(/NOT READ \(missing\) s3:\/\/no-such-bucket\/p/);
  });
});
