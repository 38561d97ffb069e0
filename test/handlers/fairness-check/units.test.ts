import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../../lib/handlers/fairness-check';
import {
  ENV,
  predictionsFormat,
  PREDICTIONS_FILE_PATTERN,
} from '../../../lib/handlers/fairness-check/contract';

const SPEC = {
  predictionsFile: 'predictions.jsonl',
  format: 'jsonl',
  label: 'y',
  prediction: 'p',
  facets: ['g=a'],
  failOn: { DPPL: 0.1 },
};
const ENVIRONMENT = {
  [ENV.spec]: JSON.stringify(SPEC),
  [ENV.evaluationBucket]: 'artifacts',
  [ENV.evaluationPrefix]: 'evaluation/churn/',
  [ENV.reportsBucket]: 'artifacts',
  [ENV.reportsPrefix]: 'bias-reports/churn/',
  [ENV.reportsKeyArn]: 'arn:aws:kms:eu-west-1:111111111111:key/k',
};

describe('fairness-check config', () => {
  it('reads the environment the construct sets', () => {
    const c = parseConfig(ENVIRONMENT);
    expect(c.spec).toEqual(SPEC);
    expect(c.evaluationPrefix).toBe('evaluation/churn/');
    expect(c.maxAttempts).toBe(8);
  });
  it('refuses a spec without a prediction column, naming the variable', () => {
    const { prediction: _, ...rest } = SPEC;
    expect(() => parseConfig({ ...ENVIRONMENT, [ENV.spec]: JSON.stringify(rest) })).toThrow(ConfigError);
    expect(() => parseConfig({ ...ENVIRONMENT, [ENV.spec]: JSON.stringify(rest) })).toThrow(
      /^FAIRNESS_CHECK_SPEC: is not a fairness check spec/,
    );
  });
  it('refuses a predictions file name that is a path', () => {
    const spec = JSON.stringify({ ...SPEC, predictionsFile: '../models/model.tar.gz' });
    expect(() => parseConfig({ ...ENVIRONMENT, [ENV.spec]: spec })).toThrow(ConfigError);
  });
  it('refuses an evaluation prefix without the trailing slash', () => {
    expect(() => parseConfig({ ...ENVIRONMENT, [ENV.evaluationPrefix]: 'evaluation/churn' })).toThrow(
      /FAIRNESS_CHECK_EVALUATION_PREFIX: is not a key prefix/,
    );
  });
});

describe('the predictions file contract', () => {
  it('names CSV or JSON lines, gzipped or not, and nothing with a path', () => {
    for (const ok of ['predictions.jsonl', 'predictions.csv', 'p.jsonl.gz', 'scored-test.csv.gz'])
      expect(PREDICTIONS_FILE_PATTERN.test(ok)).toBe(true);
    for (const bad of ['predictions.json', 'a/predictions.csv', '.csv', 'predictions.parquet', '../x.csv'])
      expect(PREDICTIONS_FILE_PATTERN.test(bad)).toBe(false);
  });
  it('derives the format from the name', () => {
    expect(predictionsFormat('p.jsonl.gz')).toBe('jsonl');
    expect(predictionsFormat('p.csv')).toBe('csv');
  });
});
