import { Duration, Stack } from 'aws-cdk-lib';
import * as chatbot from 'aws-cdk-lib/aws-chatbot';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssmincidents from 'aws-cdk-lib/aws-ssmincidents';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct, IConstruct } from 'constructs';
import { z } from 'zod';
import { acknowledge } from '../core/acknowledge';
import { INHERENT } from '../core/inherent';
import { ScopedRole } from '../core/scoped-role';
import { refs, throwIfProblems, validateProps } from '../core/validate';
import { createDomainKey } from '../encryption/domain-key';
import { requireKeyServiceAccess } from '../encryption/service-access';
import {
  AlertIntegrationProps,
  AlertNotifyOptions,
  AlertSeverity,
  createIntegrations,
  integrationProblems,
  integrationSchema,
  labelAlarm,
  responsePlanAction,
} from './alert-integrations';

/** Props for {@link AlertTopic}. */
export interface AlertTopicProps extends AlertIntegrationProps {
  /**
   * The key that encrypts messages. It must let CloudWatch, EventBridge and AWS Budgets publish
   * (the `logs` key of {@link EncryptionKeys} does): another domain key is a validation error, an
   * L2 `kms.Key` of the app gets the `AlertPublishers` statement, an imported key is trusted.
   * @default - a dedicated `logs` key
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * E-mail addresses subscribed to the alerts.
   * @default - no subscriptions
   */
  readonly emails?: string[];
}

const schema = z.strictObject({
  encryptionKey: refs.key.optional(),
  emails: z.array(z.email()).optional(),
  ...integrationSchema,
});

/**
 * Where a construct sends its alarms and events: the one shape every construct of the library takes
 * (`alerts`). {@link AlertTopic} is one; {@link AlertTopic.fromTopic} makes one of any SNS topic of
 * yours (an encrypted topic's key must let CloudWatch and EventBridge use it).
 */
export interface IAlertDestination {
  /** The topic alarms and events are published to. */
  readonly topic: sns.ITopic;
  /** The key that encrypts the topic, when known; dead-letter queues of event targets reuse it. */
  readonly encryptionKey?: kms.IKey;
  /** An alarm action that notifies the topic. */
  readonly alarmAction: cloudwatch.IAlarmAction;
  /**
   * Sends an alarm's ALARM and OK transitions to the topic; with `options`, labels the alarm with
   * its severity and runbook, and (for an {@link AlertTopic} with a response plan) lets a
   * `critical`/`high` alarm start an Incident Manager incident.
   */
  notify(alarm: cloudwatch.AlarmBase, options?: AlertNotifyOptions): void;
}

/**
 * The platform's one encrypted alert topic: every alarm, drift event, approval change and budget
 * alert of the library goes here, so on-call has one place to subscribe.
 *
 * KMS-encrypted, TLS-only publishing, and a topic policy that lets CloudWatch alarms, EventBridge
 * rules and AWS Budgets of this account publish. `topic.grantPublish` to an AWS service principal
 * (what aws-cdk-lib's `targets.SnsTopic` and notification-rule targets call) is conditioned on
 * `aws:SourceAccount` in the topic policy and in the key policy, so no other account's rule,
 * alarm or budget can publish through the service (confused deputy).
 *
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-security-best-practices.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
 */
export class AlertTopic extends Construct implements IAlertDestination {
  /**
   * An alert destination for a topic created elsewhere (your own, or one shared across stacks).
   * Its key is `topic.masterKey` when the topic is an L2 of the app; for an imported topic, pass the
   * key so dead-letter queues can reuse it.
   */
  public static fromTopic(
    topic: sns.ITopic,
    encryptionKey: kms.IKey | undefined = topic.masterKey,
  ): IAlertDestination {
    const alarmAction = new cwActions.SnsAction(topic);
    return {
      topic,
      encryptionKey,
      alarmAction,
      notify: (alarm, options = {}) => {
        labelAlarm(alarm, options);
        alarm.addAlarmAction(alarmAction);
        alarm.addOkAction(alarmAction);
      },
    };
  }

  /** The topic. */
  public readonly topic: sns.Topic;
  /** The key that encrypts it. */
  public readonly encryptionKey: kms.IKey;
  /** Where notifications that cannot be delivered to a subscriber go, when there are subscribers. */
  public readonly deadLetterQueue?: sqs.Queue;
  /** An alarm action that notifies this topic, for `alarm.addAlarmAction(...)`. */
  public readonly alarmAction: cloudwatch.IAlarmAction;
  /** The role of the chat channels, when there are any (AWS Chatbot assumes it). */
  public readonly chatRole?: ScopedRole;
  /** The Slack channel configurations. */
  public readonly slackChannels: chatbot.SlackChannelConfiguration[];
  /** The Microsoft Teams channel configurations (no L2 exists in aws-cdk-lib). */
  public readonly teamsChannels: chatbot.CfnMicrosoftTeamsChannelConfiguration[];
  /** The Incident Manager response plan, when `responsePlan` is set. */
  public readonly responsePlan?: ssmincidents.CfnResponsePlan;
  /** An alarm action that starts an incident from the response plan, when there is one. */
  public readonly incidentAction?: cloudwatch.IAlarmAction;
  private readonly incidentSeverities: readonly AlertSeverity[];

  constructor(scope: Construct, id: string, props: AlertTopicProps = {}) {
    super(scope, id);
    const p = validateProps(this, schema, props);
    throwIfProblems(this, integrationProblems(p));
    this.encryptionKey = p.encryptionKey ?? createDomainKey(this, 'Key', 'logs');
    // CloudWatch, EventBridge and Budgets must encrypt with the key to publish to the topic.
    requireKeyServiceAccess(this, 'encryptionKey', this.encryptionKey, ['alert-publishers']);
    this.topic = new SourceBoundTopic(this, 'Resource', {
      masterKey: this.encryptionKey,
      enforceSSL: true,
      displayName: 'ML platform alerts',
    });
    const account = this.topic.stack.account;
    for (const service of ['cloudwatch.amazonaws.com', 'events.amazonaws.com', 'budgets.amazonaws.com']) {
      this.topic.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: `Publish${service.split('.')[0]}`,
          principals: [new iam.ServicePrincipal(service)],
          actions: ['sns:Publish'],
          resources: [this.topic.topicArn],
          conditions: { StringEquals: { 'aws:SourceAccount': account } },
        }),
      );
    }
    // Undeliverable notifications are kept, not lost (Serverless-SNSRedrivePolicy): one encrypted
    // dead-letter queue for every subscription of the topic, made when the first one needs it.
    let dlq: sqs.Queue | undefined;
    const deadLetterQueue = (): sqs.Queue => (dlq ??= this.createDeadLetterQueue());
    for (const email of p.emails ?? []) {
      this.topic.addSubscription(
        new subscriptions.EmailSubscription(email, { deadLetterQueue: deadLetterQueue() }),
      );
    }
    const created = createIntegrations(this, this.topic, deadLetterQueue, p);
    this.deadLetterQueue = dlq;
    this.chatRole = created.chatRole;
    this.slackChannels = created.slackChannels;
    this.teamsChannels = created.teamsChannels;
    this.responsePlan = created.responsePlan;
    this.incidentSeverities = created.incidentSeverities;
    this.incidentAction = created.responsePlan ? responsePlanAction(created.responsePlan) : undefined;
    this.alarmAction = new cwActions.SnsAction(this.topic);
    // A statement added with topic.addToResourcePolicy bypasses grantPublish: refuse one that lets a
    // service publish for any account.
    this.node.addValidation({ validate: () => this.unboundServiceStatements() });
  }

  private createDeadLetterQueue(): sqs.Queue {
    const queue = new sqs.Queue(this, 'UndeliveredAlerts', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.encryptionKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(queue, 'AwsSolutions-SQS3', {
      reason:
        'this queue is the redrive dead-letter queue of the alert subscriptions; the rule only recognises SQS and Lambda DLQs',
      ...INHERENT,
    });
    acknowledge(queue, 'Serverless-SQSRedrivePolicy', {
      reason: 'a dead-letter queue is the end of the redrive chain and has no dead-letter queue of its own',
      ...INHERENT,
    });
    return queue;
  }

  /** Topic-policy statements that let an AWS service principal act with no source condition. */
  private unboundServiceStatements(): string[] {
    const policy = this.topic.node.tryFindChild('Policy');
    if (!(policy instanceof sns.TopicPolicy)) return [];
    const json = Stack.of(this).resolve(policy.document.toJSON()) as
      { Statement?: Record<string, unknown>[] } | undefined;
    return (json?.Statement ?? []).flatMap((st, i) => {
      const principal = st.Principal as { Service?: unknown } | undefined;
      if (st.Effect !== 'Allow' || typeof principal !== 'object' || principal.Service === undefined)
        return [];
      const keys = Object.values((st.Condition ?? {}) as Record<string, object>).flatMap((c) =>
        Object.keys(c),
      );
      if (keys.includes('aws:SourceAccount') || keys.includes('aws:SourceArn')) return [];
      return [
        `${this.node.path}: topic.policy: statement ${String(st.Sid ?? i)} lets ${JSON.stringify(principal.Service)} act for any account (got no aws:SourceAccount or aws:SourceArn condition; expected one, or grant with topic.grantPublish)`,
      ];
    });
  }

  /**
   * Sends an alarm's ALARM and OK transitions to this topic. With a `severity` and a `runbookUrl`
   * the alarm's description becomes `[SEVERITY] <description> | runbook: <url>`; an alarm of a
   * severity the response plan covers (`critical`, `high` by default) also starts an incident.
   */
  public notify(alarm: cloudwatch.AlarmBase, options: AlertNotifyOptions = {}): void {
    labelAlarm(alarm, options);
    alarm.addAlarmAction(this.alarmAction);
    alarm.addOkAction(this.alarmAction);
    if (this.incidentAction && options.severity && this.incidentSeverities.includes(options.severity))
      alarm.addAlarmAction(this.incidentAction);
  }

  /** Lets a principal publish to the topic (and encrypt with its key). */
  public grantPublish(grantee: iam.IGrantable): iam.Grant {
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resourceArns: [this.encryptionKey.keyArn],
    });
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['sns:Publish'],
      resourceArns: [this.topic.topicArn],
    });
  }
}

/**
 * The alert topic: a `grantPublish` to an AWS service principal without `aws:SourceAccount` or
 * `aws:SourceArn` gets `aws:SourceAccount` of the topic's account. aws-cdk-lib's targets grant the
 * bare service principal (`targets.SnsTopic` grants `events.amazonaws.com`), which would let a rule
 * of any account publish, and encrypt with the topic key, through EventBridge.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
 */
class SourceBoundTopic extends sns.Topic {
  public override grantPublish(grantee: iam.IGrantable): iam.Grant {
    return super.grantPublish(boundToAccount(grantee.grantPrincipal, this.stack.account));
  }
}

/** A service principal bound to `account` unless it already names its source; others unchanged. */
function boundToAccount(principal: iam.IPrincipal, account: string): iam.IPrincipal {
  const fragment = principal.policyFragment;
  if (!('Service' in fragment.principalJson)) return principal;
  const keys = Object.values(fragment.conditions).flatMap((c) => Object.keys(c as object));
  if (keys.some((k) => k === 'aws:SourceAccount' || k === 'aws:SourceArn')) return principal;
  return new iam.PrincipalWithConditions(principal, { StringEquals: { 'aws:SourceAccount': account } });
}

/**
 * CloudWatch alarms, EventBridge and AWS Budgets publish to a destination's topic only if its key
 * lets them: a domain key without the `AlertPublishers` statement is a validation error, an app
 * `kms.Key` gets it, an imported key is trusted. Without a known key there is nothing to check.
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
 * @internal
 */
export function requireAlertPublishers(scope: IConstruct, alerts: IAlertDestination): void {
  if (alerts.encryptionKey)
    requireKeyServiceAccess(scope, 'alerts.encryptionKey', alerts.encryptionKey, ['alert-publishers']);
}
