import { describe, expect, it } from 'vitest';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { ScopedRole } from '../../constructs/core/scoped-role';
import { EncryptionKeys } from '../../constructs/encryption/encryption-keys';
import { AlertTopic } from '../../constructs/monitoring/alert-topic';
import { findingLines, testStack } from '../support/nag';

describe('AlertTopic', () => {
  it('is KMS-encrypted with its own key by default and TLS-only', () => {
    const stack = testStack();
    new AlertTopic(stack, 'Alerts');
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AlertsKey'), 'Arn'] },
    });
    t.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('lets CloudWatch, EventBridge and Budgets of this account publish', () => {
    const stack = testStack();
    new AlertTopic(stack, 'Alerts');
    const t = Template.fromStack(stack);
    for (const service of ['cloudwatch.amazonaws.com', 'events.amazonaws.com', 'budgets.amazonaws.com']) {
      t.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Principal: { Service: service },
              Action: 'sns:Publish',
              Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
            }),
          ]),
        },
      });
    }
  });

  it('notifies alarms on ALARM and OK and subscribes e-mails', () => {
    const stack = testStack();
    const alerts = new AlertTopic(stack, 'Alerts', { emails: ['oncall@example.com'] });
    const alarm = new cloudwatch.Alarm(stack, 'A', {
      metric: new cloudwatch.Metric({ namespace: 'X', metricName: 'Y' }),
      threshold: 1,
      evaluationPeriods: 1,
    });
    alerts.notify(alarm);
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^Alerts') }],
      OKActions: [{ Ref: Match.stringLikeRegexp('^Alerts') }],
    });
    t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
  });

  it('grants publish with explicit actions', () => {
    const stack = testStack();
    const alerts = new AlertTopic(stack, 'Alerts');
    const role = new ScopedRole(stack, 'R', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    alerts.grantPublish(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'sns:Publish', Resource: { Ref: Match.stringLikeRegexp('^Alerts') } }),
        ]),
      },
    });
  });

  it('rejects a malformed e-mail naming path and field', () => {
    expect(() => new AlertTopic(testStack(), 'Alerts', { emails: ['not-an-email'] })).toThrow(
      /Test\/Alerts: emails.0: has an invalid format/,
    );
  });

  it('passes every pack', () => {
    const stack = testStack();
    new AlertTopic(stack, 'Alerts', { emails: ['oncall@example.com'] });
    expect(findingLines(stack)).toEqual([]);
  });
});

describe('AlertTopic key', () => {
  it('refuses a domain key whose policy does not let the alert publishers use it', () => {
    const stack = testStack();
    const keys = new EncryptionKeys(stack, 'Keys');
    expect(() => new AlertTopic(stack, 'Alerts', { encryptionKey: keys.data })).toThrow(
      /^Test\/Alerts: encryptionKey: is a data key whose policy lacks the AlertPublishers statement \(alert-publishers\)/,
    );
    expect(() => new AlertTopic(stack, 'Ok', { encryptionKey: keys.logs })).not.toThrow();
  });

  it('adds the alert-publisher statement to an app key', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'TeamKey', { enableKeyRotation: true });
    new AlertTopic(stack, 'Alerts', { encryptionKey: key });
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AlertPublishers',
            Principal: {
              Service: ['cloudwatch.amazonaws.com', 'events.amazonaws.com', 'budgets.amazonaws.com'],
            },
          }),
        ]),
      },
    });
  });
});
