import { describe, expect, it } from 'vitest';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { createDomainKey } from '../../constructs/encryption/domain-key';
import { EncryptionKeys } from '../../constructs/encryption/encryption-keys';
import { requireKeyServiceAccess } from '../../constructs/encryption/service-access';
import { testStack } from '../support/nag';
import * as rootEntry from '../../constructs';

describe('requireKeyServiceAccess', () => {
  it('accepts a domain key whose policy covers the uses, and adds nothing', () => {
    const stack = testStack();
    const keys = new EncryptionKeys(stack, 'Keys');
    const user = new Construct(stack, 'User');
    const before = JSON.stringify(Template.fromStack(stack).toJSON());
    requireKeyServiceAccess(user, 'encryptionKey', keys.logs, ['logs', 'alert-publishers']);
    requireKeyServiceAccess(user, 'encryptionKey', keys.audit, ['logs', 'cloudtrail']);
    expect(JSON.stringify(Template.fromStack(stack).toJSON())).toBe(before);
  });

  it('refuses a domain key that lacks a use, naming the missing statement', () => {
    const stack = testStack();
    const key = createDomainKey(stack, 'DataKey', 'data');
    const user = new Construct(stack, 'User');
    expect(() => requireKeyServiceAccess(user, 'encryptionKey', key, ['logs', 'alert-publishers'])).toThrow(
      /^Test\/User: encryptionKey: is a data key whose policy lacks the CloudWatchLogsEncryption statement \(logs\) \(got construct [^;]+; expected a key whose policy allows logs, e\.g\. the logs or audit key of EncryptionKeys\)\nTest\/User: encryptionKey: is a data key whose policy lacks the AlertPublishers statement/,
    );
  });

  it('refuses the logs key for CloudTrail, naming the three CloudTrail statements', () => {
    const stack = testStack();
    const keys = new EncryptionKeys(stack, 'Keys');
    expect(() => requireKeyServiceAccess(stack, 'encryptionKey', keys.logs, ['cloudtrail'])).toThrow(
      /encryptionKey: is a logs key whose policy lacks the CloudTrailDescribeKey, CloudTrailEncryptLogs, CloudTrailDecryptWithBucketKey statements \(cloudtrail\)/,
    );
  });

  it('adds the missing statements, once, to an L2 key created in the app', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'TeamKey', { enableKeyRotation: true });
    requireKeyServiceAccess(stack, 'encryptionKey', key, ['logs', 'alert-publishers']);
    requireKeyServiceAccess(stack, 'encryptionKey', key, ['logs', 'cloudtrail']);
    const [policy] = Object.values(Template.fromStack(stack).findResources('AWS::KMS::Key')).map(
      (k) => k.Properties.KeyPolicy.Statement as { Sid?: string }[],
    );
    const sids = policy.map((s) => s.Sid).filter(Boolean);
    expect(sids.filter((s) => s === 'CloudWatchLogsEncryption')).toHaveLength(1);
    expect(sids).toEqual(
      expect.arrayContaining([
        'AlertPublishers',
        'CloudTrailDescribeKey',
        'CloudTrailEncryptLogs',
        'CloudTrailDecryptWithBucketKey',
      ]),
    );
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'CloudWatchLogsEncryption',
            Principal: { Service: 'logs.eu-west-1.amazonaws.com' },
          }),
        ]),
      },
    });
  });

  it('accepts an imported key, whose policy the app cannot see or change', () => {
    const stack = testStack();
    const key = kms.Key.fromKeyArn(
      stack,
      'Imported',
      'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    );
    expect(() =>
      requireKeyServiceAccess(stack, 'encryptionKey', key, ['logs', 'alert-publishers', 'cloudtrail']),
    ).not.toThrow();
    Template.fromStack(stack).resourceCountIs('AWS::KMS::Key', 0);
  });
});

describe('the encryption internals', () => {
  // recordDomainKey marks a key as covering service uses, so requireKeyServiceAccess would trust it
  // unchecked; createDomainKey is how constructs make their own key. Neither is API.
  it('are not exported from the package root', () => {
    const root = rootEntry as Record<string, unknown>;
    for (const name of ['createDomainKey', 'recordDomainKey', 'KEY_RECORDS', 'requireKeyServiceAccess'])
      expect(name in root, name).toBe(false);
  });
});
