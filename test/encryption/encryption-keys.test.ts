import { describe, expect, it } from 'vitest';
import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ScopedRole } from '../../constructs/core/scoped-role';
import { EncryptionKeys, KEY_DOMAINS } from '../../constructs/encryption/encryption-keys';
import { findingLines, testStack } from '../support/nag';

type Statement = { Sid?: string; Action: string | string[]; Principal?: unknown; Condition?: Record<string, Record<string, unknown>> };

function keyPolicies(template: Template): Statement[][] {
  return Object.values(template.findResources('AWS::KMS::Key')).map(
    (k) => (k.Properties.KeyPolicy as { Statement: Statement[] }).Statement,
  );
}

describe('EncryptionKeys', () => {
  it('creates one rotating, retained key per domain with an alias', () => {
    const stack = testStack();
    new EncryptionKeys(stack, 'Keys');
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::KMS::Key', KEY_DOMAINS.length);
    t.allResourcesProperties('AWS::KMS::Key', { EnableKeyRotation: true, RotationPeriodInDays: 365, PendingWindowInDays: 30 });
    for (const k of Object.values(t.findResources('AWS::KMS::Key'))) {
      expect(k.DeletionPolicy).toBe('Retain');
    }
    for (const d of KEY_DOMAINS) t.hasResourceProperties('AWS::KMS::Alias', { AliasName: `alias/compliant-mlops/${d}` });
  });

  it('gives the account root no data use (no kms:* and no Decrypt without a service condition)', () => {
    const stack = testStack();
    new EncryptionKeys(stack, 'Keys');
    for (const statements of keyPolicies(Template.fromStack(stack))) {
      for (const s of statements) {
        const actions = ([] as string[]).concat(s.Action);
        expect(actions).not.toContain('kms:*');
        const usesData = actions.some((a) => ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'].includes(a));
        if (usesData) expect(s.Condition, `statement ${s.Sid} must be conditioned`).toBeDefined();
      }
      const admin = statements.find((s) => s.Sid === 'AdministerWithoutDataUse')!;
      expect(admin.Action).toContain('kms:ScheduleKeyDeletion');
      expect(admin.Action).not.toContain('kms:Decrypt');
    }
  });

  it('scopes data use to the domain services with kms:ViaService and the caller account', () => {
    const stack = testStack();
    new EncryptionKeys(stack, 'Keys');
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::KMS::Key', {
      Description: Match.stringLikeRegexp('data key'),
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'UseThroughDomainServices',
            Condition: {
              StringEquals: {
                'kms:CallerAccount': '111111111111',
                'kms:ViaService': ['s3.eu-west-1.amazonaws.com', 'sagemaker.eu-west-1.amazonaws.com', 'glue.eu-west-1.amazonaws.com', 'athena.eu-west-1.amazonaws.com'],
              },
            },
          }),
        ]),
      },
    });
  });

  it('lets CloudWatch Logs use the logs and audit keys only for log groups of the account', () => {
    const stack = testStack();
    new EncryptionKeys(stack, 'Keys');
    const withLogs = keyPolicies(Template.fromStack(stack)).filter((st) => st.some((s) => s.Sid === 'CloudWatchLogsEncryption'));
    expect(withLogs).toHaveLength(2);
  });

  it('lets CloudTrail encrypt only with the audit key', () => {
    const stack = testStack();
    new EncryptionKeys(stack, 'Keys');
    const withTrail = keyPolicies(Template.fromStack(stack)).filter((st) => st.some((s) => s.Sid === 'CloudTrailEncryptLogs'));
    expect(withTrail).toHaveLength(1);
  });

  it('grants explicit actions on one key to an identity policy', () => {
    const stack = testStack();
    const keys = new EncryptionKeys(stack, 'Keys');
    const role = new ScopedRole(stack, 'Role', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
    keys.grantEncryptDecrypt('models', role);
    keys.grantDecrypt('data', role);
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: Match.arrayWith(['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey']),
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('KeysModelsKey'), 'Arn'] },
          }),
        ]),
      },
    });
    t.resourceCountIs('AWS::IAM::Policy', 0);
  });

  it('takes rotation period, pending window and alias prefix', () => {
    const stack = testStack();
    new EncryptionKeys(stack, 'Keys', { aliasPrefix: 'alias/team', rotationPeriod: Duration.days(90), pendingWindow: Duration.days(7) });
    const t = Template.fromStack(stack);
    t.allResourcesProperties('AWS::KMS::Key', { RotationPeriodInDays: 90, PendingWindowInDays: 7 });
    t.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/team/audit' });
  });

  it('rejects out-of-range settings naming path and field', () => {
    const stack = testStack();
    expect(() => new EncryptionKeys(stack, 'Keys', { rotationPeriod: Duration.days(30), aliasPrefix: 'alias/aws/x' })).toThrow(
      /Test\/Keys: aliasPrefix: has an invalid format[\s\S]*Test\/Keys: rotationPeriod: is out of range \(got Duration.days\(30\); expected between Duration.days\(90\) and Duration.days\(2560\)\)/,
    );
  });

  it('passes every pack', () => {
    const stack = testStack();
    new EncryptionKeys(stack, 'Keys');
    expect(findingLines(stack)).toEqual([]);
  });

  it('refuses rotation periods and pending windows that are not whole days', () => {
    const stack = testStack();
    expect(() => new EncryptionKeys(stack, 'A', { rotationPeriod: Duration.hours(2200) })).toThrow(/^Test\/A: rotationPeriod: must be a whole number of days/);
    expect(() => new EncryptionKeys(stack, 'B', { pendingWindow: Duration.millis(1) })).toThrow(/^Test\/B: pendingWindow: is out of range/);
  });
});
