import { Duration, Token } from 'aws-cdk-lib';
import * as chatbot from 'aws-cdk-lib/aws-chatbot';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssmincidents from 'aws-cdk-lib/aws-ssmincidents';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { z } from 'zod';
import { acknowledge } from '../core/acknowledge';
import { INHERENT } from '../core/inherent';
import { ScopedRole } from '../core/scoped-role';
import { PropsProblem, refs, throwIfProblems, tokenOr } from '../core/validate';

// The on-call integrations of AlertTopic (chat channels, paging webhooks, Incident Manager) and the
// severity convention of the library's alarms. alert-topic.ts wires them; kept apart so the topic
// itself stays small.

/**
 * How urgent an alarm is. `critical` and `high` page (and start an Incident Manager incident when
 * the alert topic has a response plan); `low` only notifies.
 */
export type AlertSeverity = 'critical' | 'high' | 'low';

/** The severities, most urgent first. */
export const ALERT_SEVERITIES: readonly AlertSeverity[] = ['critical', 'high', 'low'];

/** How an alarm is announced: its severity and the runbook on-call follows. */
export interface AlertNotifyOptions {
  /**
   * The alarm's severity, written at the head of its description (`[CRITICAL] …`).
   * @default - the description is left as it is and no incident is started
   */
  readonly severity?: AlertSeverity;
  /**
   * The runbook on-call follows for this alarm (an `https://` URL), appended to its description
   * as `runbook: <url>` so every notification carries it.
   * @default - no runbook link
   */
  readonly runbookUrl?: string;
}

/** An AWS Chatbot (Amazon Q Developer in chat applications) Slack channel that receives the alerts. */
export interface AlertSlackChannel {
  /** Name of the channel configuration (letters, digits, `-`, `_`; up to 128). */
  readonly configurationName: string;
  /** The Slack workspace id, from the Chatbot console after authorizing the workspace (`T0123ABCD`). */
  readonly workspaceId: string;
  /** The Slack channel id (`C0123ABCD`). */
  readonly channelId: string;
}

/** An AWS Chatbot Microsoft Teams channel that receives the alerts. */
export interface AlertTeamsChannel {
  /** Name of the channel configuration (letters, digits, `-`, `_`; up to 128). */
  readonly configurationName: string;
  /** The team id (a UUID), from the Chatbot console after authorizing the team. */
  readonly teamId: string;
  /** The Microsoft Entra tenant id (a UUID). */
  readonly tenantId: string;
  /** The channel id, as the Teams channel link gives it (`19%3a…%40thread.tacv2`). */
  readonly channelId: string;
}

/**
 * An AWS Systems Manager Incident Manager response plan that `critical`/`high` alarms start.
 * @see https://docs.aws.amazon.com/incident-manager/latest/userguide/response-plans.html
 */
export interface AlertResponsePlan {
  /** The response plan's name (letters, digits, `-`, `_`; up to 200). */
  readonly name: string;
  /**
   * A display name.
   * @default - the name
   */
  readonly displayName?: string;
  /** The title of incidents the plan starts. */
  readonly incidentTitle: string;
  /**
   * Impact of the incidents: 1 critical, 2 high, 3 medium, 4 low, 5 no impact.
   * @default 2
   */
  readonly impact?: number;
  /**
   * A summary of the incident for responders.
   * @default - no summary
   */
  readonly summary?: string;
  /**
   * ARNs of the Incident Manager contacts or escalation plans engaged (`arn:aws:ssm-contacts:…`).
   * @default - no engagement: responders come from the chat channel only
   */
  readonly engagementArns?: string[];
  /**
   * A Systems Manager Automation runbook the incident starts.
   * @default - no runbook
   */
  readonly runbookDocumentName?: string;
  /**
   * The role Incident Manager passes to the runbook. Required with `runbookDocumentName`.
   * @default - none
   */
  readonly runbookRole?: iam.IRole;
  /**
   * Severities whose alarms start an incident.
   * @default ['critical', 'high']
   */
  readonly severities?: AlertSeverity[];
}

/** The integration props of {@link AlertTopicProps}. */
export interface AlertIntegrationProps {
  /**
   * Slack channels notified through AWS Chatbot.
   * @default - none
   */
  readonly slackChannels?: AlertSlackChannel[];
  /**
   * Microsoft Teams channels notified through AWS Chatbot.
   * @default - none
   */
  readonly teamsChannels?: AlertTeamsChannel[];
  /**
   * Guardrail policies of the chat channels: the most any channel member can do through Chatbot.
   * Chatbot applies `AdministratorAccess` when a channel has none; a policy named
   * `AdministratorAccess`, `PowerUserAccess` or `*FullAccess` is a validation error.
   * @default - [`CloudWatchReadOnlyAccess`]: members read alarms, metrics and logs, nothing else
   */
  readonly chatGuardrailPolicies?: iam.IManagedPolicy[];
  /**
   * HTTPS endpoints subscribed to the topic (PagerDuty, Opsgenie and similar paging services),
   * with {@link PAGING_DELIVERY_POLICY} and a redrive policy to the encrypted dead-letter queue.
   * A token passes (for a `{{resolve:secretsmanager:…}}` dynamic reference that keeps an
   * integration key out of the template).
   * @default - none
   */
  readonly httpsEndpoints?: string[];
  /**
   * An Incident Manager response plan started by `critical`/`high` alarms given to `notify`.
   * @default - no response plan; severities only label the alarms
   */
  readonly responsePlan?: AlertResponsePlan;
}

// Patterns from the CloudFormation resource pages of AWS::Chatbot::SlackChannelConfiguration,
// AWS::Chatbot::MicrosoftTeamsChannelConfiguration and AWS::SSMIncidents::ResponsePlan.
const CONFIGURATION_NAME = /^[A-Za-z0-9_-]{1,128}$/;
const SLACK_WORKSPACE_ID = /^[0-9A-Z]{1,255}$/;
const SLACK_CHANNEL_ID = /^[A-Za-z0-9]{1,256}$/;
const UUID = /^[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}$/;
const TEAMS_CHANNEL_ID = /^[a-zA-Z0-9-_=+/.,]*%3[aA][a-zA-Z0-9-_=+/.,]*%40[a-zA-Z0-9-_=+/.,]*$/;
const RESPONSE_PLAN_NAME = /^[a-zA-Z0-9_-]{1,200}$/;
const CONTACT_ARN = /^arn:aws(-cn|-us-gov)?:ssm-contacts:[a-z0-9-]+:\d{12}:contact\/[a-z0-9_-]+$/;
const SSM_DOCUMENT_NAME = /^[a-zA-Z0-9_.:/-]{3,128}$/;

function pattern(re: RegExp) {
  return tokenOr(z.string().regex(re));
}

/** An `https://` URL: SNS and on-call tools send alert contents to it, so never plain HTTP. */
export const httpsUrl = z.string().refine(
  (s) => {
    try {
      const u = new URL(s);
      return u.protocol === 'https:' && u.hostname.length > 0 && u.username === '' && u.password === '';
    } catch {
      return false;
    }
  },
  { message: 'is not an https url', params: { expected: 'https://<host>/<path>, no credentials' } },
);

/** The zod schema of {@link AlertIntegrationProps}, merged into AlertTopic's. */
export const integrationSchema = {
  slackChannels: z
    .array(
      z.strictObject({
        configurationName: pattern(CONFIGURATION_NAME),
        workspaceId: pattern(SLACK_WORKSPACE_ID),
        channelId: pattern(SLACK_CHANNEL_ID),
      }),
    )
    .optional(),
  teamsChannels: z
    .array(
      z.strictObject({
        configurationName: pattern(CONFIGURATION_NAME),
        teamId: pattern(UUID),
        tenantId: pattern(UUID),
        channelId: pattern(TEAMS_CHANNEL_ID),
      }),
    )
    .optional(),
  chatGuardrailPolicies: z
    .array(
      z.custom<iam.IManagedPolicy>((v) => typeof v === 'object' && v !== null && 'managedPolicyArn' in v),
    )
    .min(1)
    .optional(),
  httpsEndpoints: z.array(tokenOr(httpsUrl)).optional(),
  responsePlan: z
    .strictObject({
      name: pattern(RESPONSE_PLAN_NAME),
      displayName: tokenOr(z.string().min(1).max(200)).optional(),
      incidentTitle: tokenOr(z.string().min(1).max(200)),
      impact: z.number().int().min(1).max(5).optional(),
      summary: tokenOr(z.string().min(1).max(4000)).optional(),
      engagementArns: z.array(pattern(CONTACT_ARN)).optional(),
      runbookDocumentName: pattern(SSM_DOCUMENT_NAME).optional(),
      runbookRole: refs.role.optional(),
      severities: z
        .array(z.enum(['critical', 'high', 'low']))
        .min(1)
        .optional(),
    })
    .optional(),
};

/**
 * SNS delivery policy of the paging HTTPS subscriptions: 1 immediate retry, 2 after 5 s, then
 * exponential backoff to 60 s and 5 more at 60 s — 20 retries within 20 minutes, well inside the
 * 3,600 s SNS allows an HTTP/S policy in total, so a paging service's short outage does not lose
 * a page; what still fails goes to the dead-letter queue.
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-message-delivery-retries.html
 */
export const PAGING_DELIVERY_POLICY: sns.DeliveryPolicy = {
  healthyRetryPolicy: {
    numRetries: 20,
    numNoDelayRetries: 1,
    numMinDelayRetries: 2,
    numMaxDelayRetries: 5,
    minDelayTarget: Duration.seconds(5),
    maxDelayTarget: Duration.seconds(60),
    backoffFunction: sns.BackoffFunction.EXPONENTIAL,
  },
  throttlePolicy: { maxReceivesPerSecond: 10 },
  requestPolicy: { headerContentType: 'application/json' },
};

/** Guardrail policy names that let a chat channel member change the account. */
const BROAD_POLICY = /(^|\/)(AdministratorAccess|PowerUserAccess|[A-Za-z0-9]*FullAccess)$/;

/** The parsed integration props. */
type Integrations = z.output<z.ZodObject<typeof integrationSchema>>;

/** What the integrations created, for AlertTopic's public properties. */
export interface CreatedIntegrations {
  readonly chatRole?: ScopedRole;
  readonly slackChannels: chatbot.SlackChannelConfiguration[];
  readonly teamsChannels: chatbot.CfnMicrosoftTeamsChannelConfiguration[];
  readonly responsePlan?: ssmincidents.CfnResponsePlan;
  readonly incidentSeverities: readonly AlertSeverity[];
}

/** Problems of integration props that need more than one field, or resolved policies. */
export function integrationProblems(p: Integrations): PropsProblem[] {
  const problems: PropsProblem[] = [];
  (p.chatGuardrailPolicies ?? []).forEach((policy, i) => {
    const arn = policy.managedPolicyArn;
    if (!Token.isUnresolved(arn) && BROAD_POLICY.test(arn))
      problems.push({
        field: `chatGuardrailPolicies.${i}`,
        problem: 'lets chat channel members change the account',
        got: arn,
        expected: 'a read-only policy such as CloudWatchReadOnlyAccess or ReadOnlyAccess',
      });
  });
  const plan = p.responsePlan;
  if (plan && (plan.runbookDocumentName === undefined) !== (plan.runbookRole === undefined))
    problems.push({
      field: plan.runbookRole ? 'responsePlan.runbookDocumentName' : 'responsePlan.runbookRole',
      problem: 'is required with the other runbook field',
      got: 'undefined',
      expected: 'runbookDocumentName and runbookRole together',
    });
  const names = [...(p.slackChannels ?? []), ...(p.teamsChannels ?? [])].map((c) => c.configurationName);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined)
    problems.push({
      field: 'slackChannels/teamsChannels',
      problem: 'names two channel configurations alike',
      got: dup,
      expected: 'a unique configurationName per channel',
    });
  return problems;
}

/**
 * Creates the chat channels, paging subscriptions and response plan of an alert topic.
 * @see https://docs.aws.amazon.com/chatbot/latest/adminguide/understanding-permissions.html
 */
export function createIntegrations(
  scope: Construct,
  topic: sns.ITopic,
  deadLetterQueue: () => sqs.IQueue,
  p: Integrations,
): CreatedIntegrations {
  const slack = p.slackChannels ?? [];
  const teams = p.teamsChannels ?? [];
  let chatRole: ScopedRole | undefined;
  const slackChannels: chatbot.SlackChannelConfiguration[] = [];
  const teamsChannels: chatbot.CfnMicrosoftTeamsChannelConfiguration[] = [];
  if (slack.length + teams.length > 0) {
    chatRole = new ScopedRole(scope, 'ChatRole', {
      assumedBy: new iam.ServicePrincipal('chatbot.amazonaws.com'),
      description: 'AWS Chatbot channel role of the alert topic: renders alarm graphs, nothing else',
    });
    // Chatbot renders an alarm notification's graph with the channel role.
    chatRole.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['cloudwatch:GetMetricWidgetImage'], resources: ['*'] }),
    );
    acknowledge(chatRole.policy, 'AwsSolutions-IAM5[Resource::*]', {
      reason:
        'cloudwatch:GetMetricWidgetImage has no resource-level permissions (Service Authorization Reference): only * exists',
      ...INHERENT,
    });
    const guardrails = p.chatGuardrailPolicies ?? [
      iam.ManagedPolicy.fromAwsManagedPolicyName('CloudWatchReadOnlyAccess'),
    ];
    for (const c of slack) {
      slackChannels.push(
        new chatbot.SlackChannelConfiguration(scope, `Slack${c.configurationName}`, {
          slackChannelConfigurationName: c.configurationName,
          slackWorkspaceId: c.workspaceId,
          slackChannelId: c.channelId,
          notificationTopics: [topic],
          role: chatRole,
          guardrailPolicies: guardrails,
          loggingLevel: chatbot.LoggingLevel.ERROR,
        }),
      );
    }
    for (const c of teams) {
      teamsChannels.push(
        new chatbot.CfnMicrosoftTeamsChannelConfiguration(scope, `Teams${c.configurationName}`, {
          configurationName: c.configurationName,
          teamId: c.teamId,
          teamsTenantId: c.tenantId,
          teamsChannelId: c.channelId,
          iamRoleArn: chatRole.roleArn,
          snsTopicArns: [topic.topicArn],
          guardrailPolicies: guardrails.map((g) => g.managedPolicyArn),
          loggingLevel: 'ERROR',
        }),
      );
    }
  }
  for (const url of p.httpsEndpoints ?? []) {
    topic.addSubscription(
      new subscriptions.UrlSubscription(url, {
        protocol: sns.SubscriptionProtocol.HTTPS,
        deliveryPolicy: PAGING_DELIVERY_POLICY,
        deadLetterQueue: deadLetterQueue(),
      }),
    );
  }
  let responsePlan: ssmincidents.CfnResponsePlan | undefined;
  const plan = p.responsePlan;
  if (plan) {
    responsePlan = new ssmincidents.CfnResponsePlan(scope, 'ResponsePlan', {
      name: plan.name,
      displayName: plan.displayName,
      incidentTemplate: {
        title: plan.incidentTitle,
        impact: plan.impact ?? 2,
        summary: plan.summary,
        notificationTargets: [{ snsTopicArn: topic.topicArn }],
      },
      // The chat channels subscribed to this topic are the incident's chat channel.
      chatChannel: slack.length + teams.length > 0 ? { chatbotSns: [topic.topicArn] } : undefined,
      engagements: plan.engagementArns,
      actions:
        plan.runbookDocumentName && plan.runbookRole
          ? [
              {
                ssmAutomation: {
                  documentName: plan.runbookDocumentName,
                  roleArn: plan.runbookRole.roleArn,
                  targetAccount: 'RESPONSE_PLAN_OWNER_ACCOUNT',
                },
              },
            ]
          : undefined,
    });
  }
  return {
    chatRole,
    slackChannels,
    teamsChannels,
    responsePlan,
    incidentSeverities: plan?.severities ?? ['critical', 'high'],
  };
}

/**
 * An alarm action that starts an Incident Manager incident from a response plan: the plan's own
 * ARN (`Fn::GetAtt Arn`), so no ARN is spelled by hand. Alarm actions only: CloudWatch starts
 * incidents on the ALARM transition.
 * @see https://docs.aws.amazon.com/incident-manager/latest/userguide/incident-creation.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
 */
export function responsePlanAction(plan: ssmincidents.CfnResponsePlan): cloudwatch.IAlarmAction {
  return { bind: () => ({ alarmActionArn: plan.attrArn }) };
}

/** CloudWatch's limit on an alarm description (PutMetricAlarm `AlarmDescription`, 0–1024). */
export const ALARM_DESCRIPTION_MAX = 1024;

const notifySchema = z.strictObject({
  severity: z.enum(['critical', 'high', 'low']).optional(),
  runbookUrl: tokenOr(httpsUrl).optional(),
});

/**
 * Writes the severity and runbook convention into an alarm's description:
 * `[CRITICAL] <description> | runbook: <url>`. Throws, naming the alarm's path, for a bad
 * severity or runbook URL, or a description past CloudWatch's 1024 characters.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
 */
export function labelAlarm(alarm: cloudwatch.AlarmBase, options: AlertNotifyOptions): void {
  const parsed = notifySchema.safeParse(options);
  if (!parsed.success) {
    throwIfProblems(
      alarm,
      parsed.error.issues.map((i) => ({
        field: i.path.join('.'),
        problem: i.message.toLowerCase(),
        got: JSON.stringify((options as Record<string, unknown>)[String(i.path[0])]),
        expected:
          i.path[0] === 'severity' ? ALERT_SEVERITIES.join(', ') : 'https://<host>/<path>, no credentials',
      })),
    );
  }
  const { severity, runbookUrl } = options;
  if (severity === undefined && runbookUrl === undefined) return;
  const cfn = alarm.node.defaultChild;
  if (!(cfn instanceof cloudwatch.CfnAlarm) && !(cfn instanceof cloudwatch.CfnCompositeAlarm)) return;
  const current = cfn.alarmDescription ?? '';
  const parts = [
    severity ? `[${severity.toUpperCase()}]` : undefined,
    current || undefined,
    runbookUrl ? `| runbook: ${runbookUrl}` : undefined,
  ].filter((s): s is string => s !== undefined);
  const description = parts.join(' ');
  if (!Token.isUnresolved(description) && description.length > ALARM_DESCRIPTION_MAX)
    throwIfProblems(alarm, [
      {
        field: 'alarmDescription',
        problem: 'is longer than cloudwatch allows once severity and runbook are added',
        got: `${description.length} characters`,
        expected: `at most ${ALARM_DESCRIPTION_MAX}`,
      },
    ]);
  cfn.alarmDescription = description;
}

/**
 * The library's alarm-name convention, `<severity>-<component>-<condition>`, so a page's subject
 * line says how urgent it is before anyone opens it. Letters, digits, `-`, `_` and `.` only.
 */
export function alarmNameFor(severity: AlertSeverity, component: string, condition: string): string {
  return `${severity}-${component}-${condition}`.replace(/[^A-Za-z0-9_.-]/g, '-');
}
