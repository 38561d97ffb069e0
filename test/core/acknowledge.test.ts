import { describe, expect, it } from 'vitest';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  ACKNOWLEDGMENT_METADATA_KEY,
  acknowledge,
  acknowledgeControl,
  acknowledgedIds,
  acknowledgmentsOf,
  CONTROLS,
  packOf,
} from '../../constructs/core/acknowledge';
import { findingLines } from '../support/nag';

const opts = { reason: 'a reason that is long enough to count', owner: 'team-a', expires: '2099-01-01' };

describe('acknowledge', () => {
  it('knows the pack of a finding id, longest prefix first', () => {
    expect(packOf('NIST.800.53.R5-S3BucketLoggingEnabled')).toBe('NIST.800.53.R5');
    expect(packOf('AwsSolutions-IAM5[Resource::*]')).toBe('AwsSolutions');
    expect(packOf('MLOps-SageMakerModelNetworkIsolation')).toBe('MLOps');
    expect(packOf('Foo-Bar')).toBeUndefined();
  });

  it('records the namespaced id CDK moves to suppressedViolations', () => {
    const stack = new Stack(new App(), 'S');
    const bucket = new s3.Bucket(stack, 'B');
    acknowledge(bucket, 'AwsSolutions-S1', opts);
    const cfn = bucket.node.defaultChild as s3.CfnBucket;
    expect([...acknowledgedIds(cfn)]).toEqual(['AwsSolutions::AwsSolutions-S1']);
    const reasons = cfn.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY);
    expect(reasons[0].data).toEqual({
      'AwsSolutions::AwsSolutions-S1':
        'a reason that is long enough to count (owner: team-a; expires: 2099-01-01)',
    });
  });

  it('records owner and expiry in construct metadata and in the template', () => {
    const stack = new Stack(new App(), 'S');
    const bucket = new s3.Bucket(stack, 'B');
    acknowledge(bucket, 'AwsSolutions-S1', opts);
    acknowledge(bucket, 'AwsSolutions-S10', opts);
    const cfn = bucket.node.defaultChild as s3.CfnBucket;
    expect(acknowledgmentsOf(cfn).map((a) => a.id)).toEqual(['AwsSolutions-S1', 'AwsSolutions-S10']);
    expect(cfn.node.metadata.filter((m) => m.type === ACKNOWLEDGMENT_METADATA_KEY)).toHaveLength(2);
    const resource = Object.values(Template.fromStack(stack).findResources('AWS::S3::Bucket'))[0];
    expect(resource.Metadata['compliant-mlops'].acknowledgments).toEqual([
      { id: 'AwsSolutions-S1', ...opts },
      { id: 'AwsSolutions-S10', ...opts },
    ]);
  });

  it('accepts granular ids that contain "::"', () => {
    const stack = new Stack(new App(), 'S');
    const bucket = new s3.Bucket(stack, 'B');
    expect(() => acknowledge(bucket, 'AwsSolutions-IAM5[Resource::*]', opts)).not.toThrow();
  });

  it('removes exactly the acknowledged finding and nothing else', () => {
    const stack = new Stack(new App(), 'S');
    const bucket = new s3.Bucket(stack, 'B', { enforceSSL: true });
    const before = findingLines(stack);
    expect(before).toContain('AwsSolutions-S1 @ S/B/Resource');
    acknowledge(bucket, 'AwsSolutions-S1', opts);
    const after = findingLines(stack);
    expect(before.filter((l) => !after.includes(l))).toEqual(['AwsSolutions-S1 @ S/B/Resource']);
  });

  it('acknowledges one control in every pack at once', () => {
    const stack = new Stack(new App(), 'S');
    const bucket = new s3.Bucket(stack, 'B');
    acknowledgeControl(bucket, 's3AccessLogs', opts);
    const lines = findingLines(stack);
    for (const id of CONTROLS.s3AccessLogs) expect(lines).not.toContain(`${id} @ S/B/Resource`);
    expect(lines).toContain('HIPAA.Security-S3BucketVersioningEnabled @ S/B/Resource');
  });

  it('refuses ids of unknown packs and constructs without one resource', () => {
    const stack = new Stack(new App(), 'S');
    const bucket = new s3.Bucket(stack, 'B');
    expect(() => acknowledge(bucket, 'Checkov-CKV_AWS_18', opts)).toThrow(
      /S\/B: acknowledge: findingId is not from a known pack \(got "Checkov-CKV_AWS_18"/,
    );
    const group = new Construct(stack, 'Group');
    expect(() => acknowledge(group, 'AwsSolutions-S1', opts)).toThrow(
      /S\/Group: acknowledge: an acknowledgment must name one resource/,
    );
  });
});
