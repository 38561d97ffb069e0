import { describe, expect, it } from 'vitest';
import { SecretValue, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ScopedRole } from '../../constructs/core/scoped-role';
import {
  ALARM_DESCRIPTION_MAX,
  alarmNameFor,
  PAGING_DELIVERY_POLICY,
} from '../../constructs/monitoring/alert-integrations';
import { AlertTopic, AlertTopicProps } from '../../constructs/monitoring/alert-topic';
import { findingLines, testStack } from '../support/nag';

const SLACK = { configurationName: 'ml-oncall', workspaceId: 'T0123ABCD', channelId: 'C0123ABCD' };
const TEAMS = {
  configurationName: 'ml-oncall-teams',
  teamId: '00000000-0000-4000-8000-000000000001',
  tenantId: '00000000-0000-4000-8000-000000000002',
  channelId: '19%3a0123456789abcdef%40thread.tacv2',
};
const PAGER = 'https://events.example.com/integration/abc123/enqueue';

function alarmIn(stack: Stack, id = 'A', description?: string): cloudwatch.Alarm {
  return new cloudwatch.Alarm(stack, id, {
    metric: new cloudwatch.Metric({ namespace: 'X', metricName: 'Y' }),
    threshold: 1,
    evaluationPeriods: 1,
    alarmDescription: description,
  });
}

function runbookRole(stack: Stack): ScopedRole {
  const role = new ScopedRole(stack, 'RunbookRole', {
    assumedBy: new iam.ServicePrincipal('ssm.amazonaws.com'),
  });
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['ssm:GetAutomationExecution'],
      resources: [`arn:aws:ssm:eu-west-1:111111111111:automation-execution/abc`],
    }),
  );
  return role;
}

function fullProps(stack: Stack): AlertTopicProps {
  return {
    emails: ['oncall@example.com'],
    slackChannels: [SLACK],
    teamsChannels: [TEAMS],
    httpsEndpoints: [PAGER],
    responsePlan: {
      name: 'ml-platform-critical',
      incidentTitle: 'ML platform alarm',
      impact: 1,
      engagementArns: ['arn:aws:ssm-contacts:eu-west-1:111111111111:contact/ml-oncall'],
      runbookDocumentName: 'AWS-PublishSNSNotification',
      runbookRole: runbookRole(stack),
    },
  };
}

describe('AlertTopic chat channels (AWS Chatbot)', () => {
  it('configures Slack and Teams channels subscribed to the topic, with a scoped channel role', () => {
    const stack = testStack();
    new AlertTopic(stack, 'Alerts', { slackChannels: [SLACK], teamsChannels: [TEAMS] });
    const t = Template.fromStack(stack);
    const topicRef = { Ref: Match.stringLikeRegexp('^Alerts') };
    const role = { 'Fn::GetAtt': [Match.stringLikeRegexp('^AlertsChatRole'), 'Arn'] };
    t.hasResourceProperties('AWS::Chatbot::SlackChannelConfiguration', {
      ConfigurationName: 'ml-oncall',
      SlackWorkspaceId: 'T0123ABCD',
      SlackChannelId: 'C0123ABCD',
      SnsTopicArns: [topicRef],
      IamRoleArn: role,
      LoggingLevel: 'ERROR',
    });
    t.hasResourceProperties('AWS::Chatbot::MicrosoftTeamsChannelConfiguration', {
      ConfigurationName: 'ml-oncall-teams',
      TeamId: TEAMS.teamId,
      TeamsTenantId: TEAMS.tenantId,
      TeamsChannelId: TEAMS.channelId,
      SnsTopicArns: [topicRef],
      IamRoleArn: role,
    });
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'chatbot.amazonaws.com' } })],
      },
    });
    // The channel role may only render alarm graphs.
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^AlertsChatRole') }],
      PolicyDocument: {
        Statement: [{ Effect: 'Allow', Action: 'cloudwatch:GetMetricWidgetImage', Resource: '*' }],
      },
    });
  });

  // Chatbot applies AdministratorAccess as the guardrail of a channel configured without one.
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-chatbot-slackchannelconfiguration.html
  it('caps both channels with the read-only CloudWatchReadOnlyAccess guardrail by default', () => {
    const stack = testStack();
    new AlertTopic(stack, 'Alerts', { slackChannels: [SLACK], teamsChannels: [TEAMS] });
    const t = Template.fromStack(stack);
    const guardrail = [
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/CloudWatchReadOnlyAccess']] },
    ];
    t.hasResourceProperties('AWS::Chatbot::SlackChannelConfiguration', { GuardrailPolicies: guardrail });
    t.hasResourceProperties('AWS::Chatbot::MicrosoftTeamsChannelConfiguration', {
      GuardrailPolicies: guardrail,
    });
  });

  it('refuses an administrator or full-access guardrail naming the field', () => {
    const stack = testStack();
    expect(
      () =>
        new AlertTopic(stack, 'Alerts', {
          slackChannels: [SLACK],
          chatGuardrailPolicies: [
            iam.ManagedPolicy.fromManagedPolicyArn(
              stack,
              'Admin',
              'arn:aws:iam::aws:policy/AdministratorAccess',
            ),
          ],
        }),
    ).toThrow(
      /Test\/Alerts: chatGuardrailPolicies\.0: lets chat channel members change the account \(got arn:aws:iam::aws:policy\/AdministratorAccess; expected a read-only policy/,
    );
  });

  // Patterns of SlackWorkspaceId / SlackChannelId / TeamId on the CloudFormation pages:
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-chatbot-slackchannelconfiguration.html
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-chatbot-microsoftteamschannelconfiguration.html
  it('rejects malformed Slack and Teams ids, one line each, naming path and field', () => {
    let message = '';
    try {
      new AlertTopic(testStack(), 'Alerts', {
        slackChannels: [{ ...SLACK, workspaceId: 'my workspace' }],
        teamsChannels: [{ ...TEAMS, teamId: 'team-1' }],
      });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(
      /Test\/Alerts: slackChannels\.0\.workspaceId: has an invalid format \(got "my workspace"/,
    );
    expect(message).toMatch(/Test\/Alerts: teamsChannels\.0\.teamId: has an invalid format \(got "team-1"/);
  });

  it('refuses two channel configurations of the same name', () => {
    expect(
      () =>
        new AlertTopic(testStack(), 'Alerts', {
          slackChannels: [SLACK],
          teamsChannels: [{ ...TEAMS, configurationName: SLACK.configurationName }],
        }),
    ).toThrow(
      /Test\/Alerts: slackChannels\/teamsChannels: names two channel configurations alike \(got ml-oncall/,
    );
  });
});

describe('AlertTopic paging endpoints (HTTPS)', () => {
  // Only HTTP/S subscriptions take a custom delivery policy, and its total retry time cannot
  // exceed 3,600 seconds. https://docs.aws.amazon.com/sns/latest/dg/sns-message-delivery-retries.html
  it('subscribes an HTTPS endpoint with a retry policy within the 3,600 s SNS limit and a DLQ', () => {
    const stack = testStack();
    new AlertTopic(stack, 'Alerts', { httpsEndpoints: [PAGER] });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'https',
      Endpoint: PAGER,
      DeliveryPolicy: {
        healthyRetryPolicy: Match.objectLike({ numRetries: 20, backoffFunction: 'EXPONENTIAL' }),
      },
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AlertsUndeliveredAlerts'), 'Arn'] },
      },
    });
    const r = PAGING_DELIVERY_POLICY.healthyRetryPolicy!;
    const min = r.minDelayTarget!.toSeconds();
    const max = r.maxDelayTarget!.toSeconds();
    const backoff = r.numRetries! - r.numNoDelayRetries! - r.numMinDelayRetries! - r.numMaxDelayRetries!;
    // Worst case: every backoff retry already at the maximum delay.
    const worst = r.numMinDelayRetries! * min + (backoff + r.numMaxDelayRetries!) * max;
    expect(backoff).toBeGreaterThan(0);
    expect(worst).toBeLessThanOrEqual(3600);
  });

  it('encrypts the dead-letter queue with the topic key', () => {
    const stack = testStack();
    new AlertTopic(stack, 'Alerts', { httpsEndpoints: [PAGER] });
    Template.fromStack(stack).hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AlertsKey'), 'Arn'] },
    });
  });

  it('refuses a plain-HTTP or credential-carrying endpoint', () => {
    expect(
      () => new AlertTopic(testStack(), 'Alerts', { httpsEndpoints: ['http://pager.example.com/x'] }),
    ).toThrow(
      /Test\/Alerts: httpsEndpoints\.0: is not an https url \(got "http:\/\/pager\.example\.com\/x"; expected https:\/\/<host>\/<path>, no credentials\)/,
    );
    expect(
      () =>
        new AlertTopic(testStack(), 'Alerts', { httpsEndpoints: ['https://user:pw@pager.example.com/x'] }),
    ).toThrow(/Test\/Alerts: httpsEndpoints\.0: is not an https url/);
  });

  it('passes a token through: a secretsmanager dynamic reference keeps the integration key out of the template', () => {
    const stack = testStack();
    const url = SecretValue.secretsManager('pager-url').unsafeUnwrap();
    new AlertTopic(stack, 'Alerts', { httpsEndpoints: [url] });
    Template.fromStack(stack).hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'https',
      Endpoint: Match.stringLikeRegexp('^\\{\\{resolve:secretsmanager:pager-url'),
    });
  });
});

describe('AlertTopic Incident Manager response plan', () => {
  it('creates a response plan with engagements, chat channel, runbook and impact', () => {
    const stack = testStack();
    new AlertTopic(stack, 'Alerts', fullProps(stack));
    const topicRef = { Ref: Match.stringLikeRegexp('^Alerts') };
    Template.fromStack(stack).hasResourceProperties('AWS::SSMIncidents::ResponsePlan', {
      Name: 'ml-platform-critical',
      IncidentTemplate: {
        Title: 'ML platform alarm',
        Impact: 1,
        NotificationTargets: [{ SnsTopicArn: topicRef }],
      },
      ChatChannel: { ChatbotSns: [topicRef] },
      Engagements: ['arn:aws:ssm-contacts:eu-west-1:111111111111:contact/ml-oncall'],
      Actions: [
        {
          SsmAutomation: {
            DocumentName: 'AWS-PublishSNSNotification',
            RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RunbookRole'), 'Arn'] },
          },
        },
      ],
    });
  });

  // An alarm starts an incident when its alarm action is a response plan's ARN.
  // https://docs.aws.amazon.com/incident-manager/latest/userguide/incident-creation.html
  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
  it('lets critical and high alarms start an incident, on ALARM only; low alarms only notify', () => {
    const stack = testStack();
    const alerts = new AlertTopic(stack, 'Alerts', fullProps(stack));
    alerts.notify(alarmIn(stack, 'Critical'), { severity: 'critical' });
    alerts.notify(alarmIn(stack, 'Low'), { severity: 'low' });
    const alarms = Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm');
    const plan = { 'Fn::GetAtt': [Match.stringLikeRegexp('^AlertsResponsePlan'), 'Arn'] };
    const critical = Object.entries(alarms).find(([id]) => id.startsWith('Critical'))![1].Properties;
    const low = Object.entries(alarms).find(([id]) => id.startsWith('Low'))![1].Properties;
    expect(JSON.stringify(critical.AlarmActions)).toContain('AlertsResponsePlan');
    expect(critical.AlarmActions).toHaveLength(2);
    expect(JSON.stringify(critical.OKActions)).not.toContain('ResponsePlan');
    expect(low.AlarmActions).toHaveLength(1);
    expect(JSON.stringify(low.AlarmActions)).not.toContain('ResponsePlan');
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: Match.arrayWith([plan]),
    });
  });

  it('honours the severities the plan names', () => {
    const stack = testStack();
    const alerts = new AlertTopic(stack, 'Alerts', {
      responsePlan: { name: 'p', incidentTitle: 't', severities: ['critical'] },
    });
    alerts.notify(alarmIn(stack), { severity: 'high' });
    const props = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm'))[0]
      .Properties;
    expect(JSON.stringify(props.AlarmActions)).not.toContain('ResponsePlan');
  });

  // Impact codes 1 (critical) to 5 (no impact); contacts are ssm-contacts ARNs.
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-ssmincidents-responseplan-incidenttemplate.html
  it('rejects a bad impact, engagement ARN and a runbook without its role', () => {
    let message = '';
    try {
      new AlertTopic(testStack(), 'Alerts', {
        responsePlan: {
          name: 'bad name',
          incidentTitle: 't',
          impact: 7,
          engagementArns: ['ml-oncall'],
        },
      });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/Test\/Alerts: responsePlan\.name: has an invalid format \(got "bad name"/);
    expect(message).toMatch(/Test\/Alerts: responsePlan\.impact: /);
    expect(message).toMatch(
      /Test\/Alerts: responsePlan\.engagementArns\.0: has an invalid format \(got "ml-oncall"/,
    );
    expect(
      () =>
        new AlertTopic(testStack(), 'Alerts', {
          responsePlan: { name: 'p', incidentTitle: 't', runbookDocumentName: 'AWS-PublishSNSNotification' },
        }),
    ).toThrow(/Test\/Alerts: responsePlan\.runbookRole: is required with the other runbook field/);
  });
});

describe('severity and runbook convention', () => {
  it('labels the description with severity and runbook URL', () => {
    const stack = testStack();
    const alerts = new AlertTopic(stack, 'Alerts');
    alerts.notify(alarmIn(stack, 'A', 'endpoint 5xx above 1%'), {
      severity: 'high',
      runbookUrl: 'https://runbooks.example.com/endpoint-5xx',
    });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: '[HIGH] endpoint 5xx above 1% | runbook: https://runbooks.example.com/endpoint-5xx',
    });
  });

  it('labels alarms of AlertTopic.fromTopic the same way', () => {
    const stack = testStack();
    const destination = AlertTopic.fromTopic(new sns.Topic(stack, 'Mine'));
    destination.notify(alarmIn(stack, 'A'), { severity: 'low' });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmDescription: '[LOW]' });
  });

  it('refuses a bad severity or a non-https runbook naming the alarm path', () => {
    const stack = testStack();
    const alerts = new AlertTopic(stack, 'Alerts');
    expect(() => alerts.notify(alarmIn(stack, 'A'), { runbookUrl: 'wiki/runbook' })).toThrow(
      /^Test\/A: runbookUrl: is not an https url \(got "wiki\/runbook"; expected https:\/\/<host>\/<path>, no credentials\)/,
    );
    expect(() => alerts.notify(alarmIn(stack, 'B'), { severity: 'urgent' as unknown as 'high' })).toThrow(
      /^Test\/B: severity: .*\(got "urgent"; expected critical, high, low\)/,
    );
  });

  // AlarmDescription: 0 to 1024 characters.
  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
  it('refuses a description CloudWatch would reject once labelled', () => {
    const stack = testStack();
    const alerts = new AlertTopic(stack, 'Alerts');
    const long = 'x'.repeat(ALARM_DESCRIPTION_MAX - 5);
    expect(() => alerts.notify(alarmIn(stack, 'A', long), { severity: 'critical' })).toThrow(
      /^Test\/A: alarmDescription: is longer than cloudwatch allows .*expected at most 1024\)/,
    );
  });

  it('names alarms <severity>-<component>-<condition> with safe characters', () => {
    expect(alarmNameFor('critical', 'churn api', 'p99>500ms')).toBe('critical-churn-api-p99-500ms');
  });
});

describe('AlertTopic integrations and the packs', () => {
  it('passes every pack with every integration', () => {
    const stack = testStack();
    new AlertTopic(stack, 'Alerts', fullProps(stack));
    expect(findingLines(stack)).toEqual([]);
  });

  it('creates nothing extra without integrations', () => {
    const stack = testStack();
    new AlertTopic(stack, 'Alerts');
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::Chatbot::SlackChannelConfiguration', 0);
    t.resourceCountIs('AWS::SSMIncidents::ResponsePlan', 0);
    t.resourceCountIs('AWS::SQS::Queue', 0);
    t.resourceCountIs('AWS::IAM::Role', 0);
  });
});
