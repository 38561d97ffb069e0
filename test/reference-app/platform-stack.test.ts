import { describe, expect, it } from 'vitest';
import { App } from 'aws-cdk-lib';
import { DEFAULT_CONFIG } from '../../examples/reference-app/config';
import { PlatformStack } from '../../examples/reference-app/platform-stack';
import { RequiredTags } from '../../constructs/core/tags';
import { findingLines } from '../support/nag';

describe('PlatformStack', () => {
  it('passes every pack with the default config', () => {
    const app = new App();
    const stack = new PlatformStack(app, 'Platform', {
      env: { account: DEFAULT_CONFIG.account, region: DEFAULT_CONFIG.region },
      config: DEFAULT_CONFIG,
    });
    RequiredTags.apply(app, DEFAULT_CONFIG.tags);
    expect(findingLines(stack)).toEqual([]);
  });
});
