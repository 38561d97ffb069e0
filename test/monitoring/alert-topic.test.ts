import { describe, expect, it } from 'vitest';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
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

  // aws-cdk-lib's targets.SnsTopic calls topic.grantPublish(new ServicePrincipal('events.amazonaws.com')),
  // which adds an unconditioned statement to the topic policy and to the key policy: any account's
  // rule could then publish through EventBridge. Failed before AlertTopic conditioned service grants.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
  // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions
  it('conditions every service-principal statement an EventBridge SNS target adds on aws:SourceAccount', () => {
    const stack = testStack();
    const keys = new EncryptionKeys(stack, 'Keys');
    const alerts = new AlertTopic(stack, 'Alerts', { encryptionKey: keys.logs });
    new events.Rule(stack, 'Rule', {
      eventPattern: { source: ['aws.sagemaker'] },
      targets: [new targets.SnsTopic(alerts.topic)],
    });
    const t = Template.fromStack(stack);
    const serviceStatements = (type: string, prop: string) =>
      Object.values(t.findResources(type)).flatMap((r) =>
        (r.Properties[prop].Statement as Record<string, unknown>[]).filter(
          (st) => typeof st.Principal === 'object' && st.Principal !== null && 'Service' in st.Principal,
        ),
      );
    const unconditioned = (st: Record<string, unknown>) => {
      const c = JSON.stringify(st.Condition ?? {});
      return !c.includes('aws:SourceAccount') && !c.includes('aws:SourceArn');
    };
    const topicStatements = serviceStatements('AWS::SNS::TopicPolicy', 'PolicyDocument');
    expect(topicStatements.map((st) => st.Principal)).toContainEqual({ Service: 'events.amazonaws.com' });
    expect(topicStatements.filter(unconditioned)).toEqual([]);
    // The logs service is bound by its encryption context (aws:logs:arn), not by a source.
    const keyStatements = serviceStatements('AWS::KMS::Key', 'KeyPolicy').filter(
      (st) => JSON.stringify(st.Principal) !== JSON.stringify({ Service: 'logs.eu-west-1.amazonaws.com' }),
    );
    expect(keyStatements.filter(unconditioned)).toEqual([]);
  });

  it('grants publish to any service principal for this account only', () => {
    const stack = testStack();
    const alerts = new AlertTopic(stack, 'Alerts');
    alerts.topic.grantPublish(new iam.ServicePrincipal('codestar-notifications.amazonaws.com'));
    Template.fromStack(stack).hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'codestar-notifications.amazonaws.com' },
            Action: 'sns:Publish',
            Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
          }),
        ]),
      },
    });
  });

  it('refuses a topic-policy statement that lets a service publish without a source condition', () => {
    const stack = testStack();
    const alerts = new AlertTopic(stack, 'Alerts');
    alerts.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'Bare',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [alerts.topic.topicArn],
      }),
    );
    expect(() => Template.fromStack(stack)).toThrow(
      /Test\/Alerts: topic\.policy: statement Bare lets "events\.amazonaws\.com" act for any account \(got no aws:SourceAccount or aws:SourceArn condition/,
    );
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

describe('AlertTopic.fromTopic (IAlertDestination of a topic of yours)', () => {
  it('notifies the given topic on ALARM and OK, and carries its key', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'K', { enableKeyRotation: true });
    const topic = new sns.Topic(stack, 'Mine', { masterKey: key });
    const destination = AlertTopic.fromTopic(topic);
    expect(destination.encryptionKey).toBe(key);
    const alarm = new cloudwatch.Alarm(stack, 'Alarm', {
      metric: new cloudwatch.Metric({ namespace: 'N', metricName: 'M' }),
      threshold: 1,
      evaluationPeriods: 1,
    });
    destination.notify(alarm);
    const props = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm'))[0]
      .Properties;
    const ref = stack.resolve(topic.topicArn);
    expect(props.AlarmActions).toEqual([ref]);
    expect(props.OKActions).toEqual([ref]);
  });
});
