import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../../lib/handlers/dataset-manifest';
import { ENV } from '../../../lib/handlers/dataset-manifest/contract';

const BASE = {
  [ENV.datasetBucket]: 'datasets',
  [ENV.datasetPrefix]: 'curated/churn/v',
  [ENV.channels]: 'train,validation',
  [ENV.manifestBucket]: 'artifacts',
  [ENV.manifestPrefix]: 'lineage/churn-training/',
  [ENV.manifestKeyArn]: 'arn:aws:kms:eu-west-1:111111111111:key/k',
};

describe('dataset-manifest config', () => {
  it('reads the construct environment; first-party without a provenance key; 10 GiB cap by default', () => {
    const c = parseConfig(BASE);
    expect(c.channels).toEqual(['train', 'validation']);
    expect(c.provenanceKey).toBeUndefined();
    expect(c.maxBytes).toBe(10 * 1024 ** 3);
  });

  it.each([
    [ENV.manifestPrefix, 'lineage/churn-training', /is not a key prefix/],
    [ENV.channels, 'train,,validation', /is not a channel list/],
    [ENV.provenanceKey, '../other/provenance.json', /is not a relative key/],
    [ENV.maxBytes, '0', /is out of range/],
    [ENV.datasetBucket, '', /is required/],
  ])('refuses %s=%j, naming the variable', (name, value, message) => {
    expect(() => parseConfig({ ...BASE, [name]: value })).toThrow(ConfigError);
    expect(() => parseConfig({ ...BASE, [name]: value })).toThrow(new RegExp(`^${name}: ${message.source}`));
  });
});
