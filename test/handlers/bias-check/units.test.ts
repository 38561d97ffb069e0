import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ConfigError, decodedBytes, parseConfig, parseRequest } from '../../../lib/handlers/bias-check';
import { ENV } from '../../../lib/handlers/bias-check/contract';

const ENVIRONMENT = {
  [ENV.spec]: JSON.stringify({ format: 'jsonl', label: 'y', facets: ['g=a'] }),
  [ENV.datasetBucket]: 'data',
  [ENV.datasetPrefix]: 'curated/churn/v',
  [ENV.reportsBucket]: 'artifacts',
  [ENV.reportsPrefix]: 'bias-reports/churn/',
  [ENV.reportsKeyArn]: 'arn:aws:kms:eu-west-1:111111111111:key/k',
};

async function text(chunks: Uint8Array[]): Promise<string> {
  async function* source(): AsyncGenerator<Uint8Array> {
    yield* chunks;
  }
  const out: Buffer[] = [];
  for await (const c of decodedBytes(source())) out.push(Buffer.from(c));
  return Buffer.concat(out).toString('utf8');
}

describe('decodedBytes', () => {
  it('passes plain bytes through', async () => {
    expect(await text([Buffer.from('a,b\n'), Buffer.from('1,2\n')])).toBe('a,b\n1,2\n');
  });
  it('gunzips a body starting with the gzip magic number, even when the first chunk is one byte', async () => {
    const gz = gzipSync('a,b\n1,2\n');
    expect(await text([gz.subarray(0, 1), gz.subarray(1, 5), gz.subarray(5)])).toBe('a,b\n1,2\n');
  });
  it('rejects a corrupt gzip body instead of analysing a truncated data set', async () => {
    const gz = gzipSync('a,b\n'.repeat(1000));
    await expect(text([gz.subarray(0, gz.length - 12)])).rejects.toThrow();
  });
  it('yields nothing for an empty body', async () => {
    expect(await text([])).toBe('');
  });
});

describe('parseConfig', () => {
  it('reads the spec and prefixes', () => {
    const c = parseConfig(ENVIRONMENT);
    expect(c.spec.facets).toEqual(['g=a']);
    expect(c.maxAttempts).toBe(8);
  });
  it('takes the dataset prefix of every version as TieredDatasetBucket names it (no trailing slash)', () => {
    expect(parseConfig(ENVIRONMENT).datasetPrefix).toBe('curated/churn/v');
  });
  it('refuses a reports prefix without a trailing slash, naming the variable', () => {
    expect(() => parseConfig({ ...ENVIRONMENT, [ENV.reportsPrefix]: 'bias-reports' })).toThrow(
      new ConfigError(
        `${ENV.reportsPrefix}: is not a key prefix (got "bias-reports"; expected a prefix ending in "/" and not starting with "/")`,
      ),
    );
  });
  it('refuses a spec without facets', () => {
    expect(() =>
      parseConfig({ ...ENVIRONMENT, [ENV.spec]: '{"format":"csv","label":"y","facets":[]}' }),
    ).toThrow(/BIAS_CHECK_SPEC: is not a bias check spec/);
  });
});

describe('parseRequest', () => {
  const config = parseConfig(ENVIRONMENT);
  it('accepts a channel of the configured dataset', () => {
    expect(
      parseRequest(config, { datasetUri: 's3://data/curated/churn/v1/train/', executionId: 'exec-1' }),
    ).toEqual({
      bucket: 'data',
      prefix: 'curated/churn/v1/train/',
      executionId: 'exec-1',
    });
  });
  it.each([
    ['another bucket', 's3://other/curated/churn/v1/train/'],
    ['another dataset', 's3://data/curated/churnx/v1/train/'],
    ['a key outside the versions', 's3://data/curated/churn/other/train/'],
    ['a single object', 's3://data/curated/churn/v1/train/part-0.csv'],
    ['a parent segment', 's3://data/curated/churn/../secret/'],
  ])('refuses %s', (_what, uri) => {
    expect(() => parseRequest(config, { datasetUri: uri, executionId: 'exec-1' })).toThrow(
      /datasetUri: is not a channel of the dataset/,
    );
  });
  it('refuses an execution id that is not a key segment', () => {
    expect(() =>
      parseRequest(config, { datasetUri: 's3://data/curated/churn/v1/train/', executionId: '../x' }),
    ).toThrow(/executionId: is not a pipeline execution id/);
  });
});
