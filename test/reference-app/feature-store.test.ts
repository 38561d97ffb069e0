import { describe, expect, it } from 'vitest';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { RequiredTags } from '../../constructs/core/tags';
import { DEFAULT_CONFIG } from '../../examples/reference-app/config';
import { addFeatureStore } from '../../examples/reference-app/feature-store';
import { PlatformStack } from '../../examples/reference-app/platform-stack';
import { findingLines } from '../support/nag';

describe('addFeatureStore', () => {
  it('adds the customer-churn feature groups to the platform stack with zero findings', () => {
    const app = new App();
    const stack = new PlatformStack(app, 'Platform', {
      env: { account: DEFAULT_CONFIG.account, region: DEFAULT_CONFIG.region },
      config: DEFAULT_CONFIG,
    });
    const group = addFeatureStore(stack);
    RequiredTags.apply(app, DEFAULT_CONFIG.tags);
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::SageMaker::FeatureGroup', 2);
    expect(group.featureGroupName).toBe('marketing-customer-churn-v1');
    expect(group.restricted?.featureGroupName).toBe('marketing-customer-churn-restricted-v1');
    expect(group.offlineStoreBucket).toBe(stack.datasets.secureBucket);
    expect(findingLines(stack)).toEqual([]);
  });
});
