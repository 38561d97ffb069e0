import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { RequiredTags } from '../../constructs/core/tags';
import { addAuditTrail } from '../../examples/reference-app/audit';
import { DEFAULT_CONFIG } from '../../examples/reference-app/config';
import { PlatformStack } from '../../examples/reference-app/platform-stack';
import { findingLines } from '../support/nag';

function platform(): PlatformStack {
  const app = new App();
  const stack = new PlatformStack(app, 'Platform', {
    env: { account: DEFAULT_CONFIG.account, region: DEFAULT_CONFIG.region },
    config: DEFAULT_CONFIG,
  });
  RequiredTags.apply(app, DEFAULT_CONFIG.tags);
  return stack;
}

describe('addAuditTrail', () => {
  it('passes every pack with the trail applied', () => {
    const stack = platform();
    addAuditTrail(stack);
    expect(findingLines(stack)).toEqual([]);
  });

  it('uses the platform audit key, alert topic and records the datasets bucket', () => {
    const stack = platform();
    const trail = addAuditTrail(stack);
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::CloudTrail::Trail', 1);
    t.hasResourceProperties('AWS::CloudTrail::Trail', { KMSKeyId: stack.resolve(stack.keys.audit.keyArn) });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: [stack.resolve(stack.alerts.topic.topicArn)],
    });
    const selectors = JSON.stringify(t.findResources('AWS::CloudTrail::Trail'));
    expect(selectors).toContain(JSON.stringify(stack.resolve(stack.datasets.bucket.bucketArn)));
    expect(trail.encryptionKey).toBe(stack.keys.audit);
    t.resourceCountIs('AWS::SNS::Topic', 1);
  });

  it('COMPLIANCE mode unless told otherwise', () => {
    const stack = platform();
    addAuditTrail(stack, { objectLockMode: 'GOVERNANCE' });
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockConfiguration: { Rule: { DefaultRetention: Match.objectLike({ Mode: 'GOVERNANCE' }) } },
    });
    const prod = platform();
    addAuditTrail(prod);
    Template.fromStack(prod).hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockConfiguration: { Rule: { DefaultRetention: Match.objectLike({ Mode: 'COMPLIANCE' }) } },
    });
  });
});
