import { ArnFormat, Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { z } from 'zod';
import { DIMENSIONS, ENV, METRIC_NAMESPACE, METRICS } from '../../lib/handlers/model-docs/contract';
import { acknowledge } from '../core/acknowledge';
import { INHERENT } from '../core/inherent';
import { functionSubnetsSchema, SecureFunction, subnetProblems } from '../core/secure-function';
import { refs, throwIfProblems, tokenOr, validateProps } from '../core/validate';
import { FeatureContract } from '../feature-store/feature-contract';
import { IAlertDestination, requireAlertPublishers } from '../monitoring/alert-topic';
import { acknowledgeIdentityPrefixGrant } from '../serving/nag-ids';
import { ISecureBucket } from '../storage/secure-bucket';
import { IModelRegistry } from './model-registry';
import { modelPackageStateChanges } from './model-package-events';
import { flattenedArn } from './nag-ids';

/** A runbook the operations hand-off links to. */
export interface ModelRunbook {
  /** The link text. */
  readonly title: string;
  /** `https://` URL. */
  readonly url: string;
}

/** Props for {@link ModelDocumentation}. */
export interface ModelDocumentationProps {
  /** The model registry whose versions get a model card each. */
  readonly registry: IModelRegistry;
  /**
   * The key the model cards are encrypted with (`SecurityConfig.KmsKeyId`), usually the `models`
   * domain key: its policy lets the account's principals use it through SageMaker, and the
   * function's role gets `kms:GenerateDataKey` and `kms:Decrypt` on it through SageMaker only.
   * A card keeps the key it was created with.
   */
  readonly cardEncryptionKey: kms.IKey;
  /**
   * The feature contract the model is trained on: its name, version, owner, risk tier and
   * features go into every card and hand-off.
   * @default - the contract is "not recorded" (the version's `lineage:feature-contract` is still shown)
   */
  readonly contract?: FeatureContract;
  /**
   * What the model is for, and what it is not for (the card's `intended_uses`), at most 2048 characters.
   * @default - "not recorded"
   */
  readonly intendedUse?: string;
  /**
   * The operations runbooks the hand-off links to (at most 10, `https://` URLs).
   * @default - none: "not recorded"
   */
  readonly runbooks?: ModelRunbook[];
  /** The bucket of the evaluation and bias reports the versions name. */
  readonly reportsBucket: ISecureBucket;
  /**
   * Key prefixes the reports may be read under, each ending in `/`; a report elsewhere is
   * documented as not read.
   * @default ['bias-reports/<modelPackageGroupName>/']
   */
  readonly reportsPrefixes?: string[];
  /**
   * Where the alarms go (an unreadable package or report, a malformed event, a failing function).
   * A key it names must let CloudWatch publish.
   */
  readonly alerts: IAlertDestination;
  /** The VPC the function runs in; it needs the sagemaker.api, monitoring, logs and S3 endpoints. */
  readonly vpc: ec2.IVpc;
  /**
   * Subnets of the function.
   * @default - the VPC's isolated subnets, else its private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /** Key for the function's logs, environment and dead-letter queues (the `logs` key). */
  readonly encryptionKey: kms.IKey;
  /**
   * Attempts per API request; throttling and 5xx are retried with exponential backoff.
   * @default 8
   */
  readonly maxAttempts?: number;
}

const PREFIX = /^[^/].*\/$/;
/** `<group>-<version>` must stay a model card name (63 characters) up to version 999999. */
const MAX_GROUP_CHARS = 56;
/** Of Lambda's 4 KB of environment variables, what the contract facts may take. */
const MAX_CONTRACT_ENV_CHARS = 3000;
const schema = z.strictObject({
  registry: z.custom<IModelRegistry>(
    (v) =>
      typeof v === 'object' && v !== null && 'modelPackageGroupName' in v && 'modelPackageArnPattern' in v,
    { params: { expected: 'an IModelRegistry' }, message: 'is not a model registry' },
  ),
  cardEncryptionKey: refs.key,
  contract: z
    .custom<FeatureContract>((v) => FeatureContract.isFeatureContract(v), {
      params: { expected: 'a FeatureContract' },
      message: 'is not a feature contract',
    })
    .optional(),
  intendedUse: z.string().min(1).max(2048).optional(),
  runbooks: z
    .array(
      z.strictObject({
        title: z.string().min(1).max(100),
        url: z
          .string()
          .regex(/^https:\/\/\S+$/)
          .max(512),
      }),
    )
    .max(10)
    .optional(),
  reportsBucket: refs.secureBucket,
  reportsPrefixes: z
    .array(tokenOr(z.string().min(2).max(512).regex(PREFIX)))
    .min(1)
    .max(10)
    .optional(),
  alerts: refs.alerts,
  vpc: refs.vpc,
  vpcSubnets: functionSubnetsSchema.optional(),
  encryptionKey: refs.key,
  maxAttempts: z.number().int().min(1).max(20).optional(),
});

/** Options of the metric helpers. */
export interface ModelDocumentationMetricOptions {
  /** @default Duration.minutes(5) */
  readonly period?: Duration;
  /** @default 'Sum' */
  readonly statistic?: string;
}

/**
 * A SageMaker Model Card for every version of a model registry, encrypted with a customer managed
 * key, kept current from the feature contract, the package, its evaluation and bias reports and
 * its lineage keys; the same data renders the Markdown operations hand-off
 * (`compliant-mlops model-doc <model-package-arn>`).
 *
 * An EventBridge rule on `SageMaker Model Package State Change` events of the group invokes a
 * {@link SecureFunction} that reads the version (DescribeModelPackage), the reports it names under
 * `reportsPrefixes` (GetObject), and creates or updates the card `<group>-<version>`
 * (CreateModelCard with `SecurityConfig.KmsKeyId`, UpdateModelCard). The card is `Draft` until the
 * version is approved, then `Approved`; it goes back to `Draft` if the approval is withdrawn (a
 * review gate's revert). Redelivered events write no new card version. Its role may write the
 * group's cards only (`model-card/<group>-*`) and read the group's versions and the report prefixes.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-cards.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateModelCard.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/automating-sagemaker-with-eventbridge.html#eventbridge-model-package
 */
export class ModelDocumentation extends Construct {
  /** The function that writes the cards. */
  public readonly function: SecureFunction;
  /** The rule that sends the group's state changes to the function. */
  public readonly rule: events.Rule;
  /** State changes EventBridge could not deliver to the function. */
  public readonly deadLetterQueue: sqs.Queue;
  /** The function's permissions on the group's versions and cards, and its metrics. */
  public readonly policy: iam.ManagedPolicy;
  /** Alarm: a version could not be documented (package not read, card key differs). */
  public readonly failureAlarm: cloudwatch.Alarm;
  /** Alarm: a report a version names could not be read. */
  public readonly reportsNotReadAlarm: cloudwatch.Alarm;
  /** Alarm: an event could not be read. */
  public readonly malformedEventAlarm: cloudwatch.Alarm;
  /** Alarm: the function failed (cards may be stale until a retry succeeds). */
  public readonly errorAlarm: cloudwatch.Alarm;
  /** Alarm: state changes wait in the dead-letter queue. */
  public readonly deadLetterAlarm: cloudwatch.Alarm;
  /** The ARN pattern of the group's model cards (`model-card/<group>-*`). */
  public readonly modelCardArnPattern: string;
  /** The report prefixes the function may read. */
  public readonly reportsPrefixes: readonly string[];
  private readonly groupName: string;

  constructor(scope: Construct, id: string, props: ModelDocumentationProps) {
    super(scope, id);
    const p = validateProps(this, schema, props);
    throwIfProblems(this, subnetProblems(p.vpc, p.vpcSubnets));
    this.groupName = p.registry.modelPackageGroupName;
    if (!Token.isUnresolved(this.groupName) && this.groupName.length > MAX_GROUP_CHARS) {
      throwIfProblems(this, [
        {
          field: 'registry.modelPackageGroupName',
          problem: 'is too long to name its model cards <group>-<version>',
          got: `${this.groupName.length} characters`,
          expected: `at most ${MAX_GROUP_CHARS} characters (a model card name has at most 63)`,
        },
      ]);
    }
    requireAlertPublishers(this, p.alerts);
    this.reportsPrefixes = p.reportsPrefixes ?? [`bias-reports/${this.groupName}/`];
    const stack = Stack.of(this);
    // SageMaker writes names into ARNs in lowercase, and IAM compares ARNs case-sensitively.
    const arnGroup = Token.isUnresolved(this.groupName) ? this.groupName : this.groupName.toLowerCase();
    this.modelCardArnPattern = stack.formatArn({
      service: 'sagemaker',
      resource: 'model-card',
      resourceName: `${arnGroup}-*`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });

    const contract = p.contract
      ? {
          name: p.contract.name,
          version: p.contract.version,
          owner: p.contract.owner,
          ...(p.contract.riskTier ? { riskTier: p.contract.riskTier } : {}),
          features: p.contract.features.map((f) => ({ name: f.name, type: f.type, pii: f.pii })),
        }
      : {};
    const contractJson = JSON.stringify({
      ...contract,
      ...(p.intendedUse ? { intendedUse: p.intendedUse } : {}),
    });
    // Lambda allows 4 KB of environment variables in all; the contract facts get at most 3 KB.
    // https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html
    if (contractJson.length > MAX_CONTRACT_ENV_CHARS) {
      throwIfProblems(this, [
        {
          field: 'contract',
          problem: 'has too many features (with the intended use) for the function environment',
          got: `${contractJson.length} characters`,
          expected: `at most ${MAX_CONTRACT_ENV_CHARS} characters of name, version, owner, risk tier, intended use and features`,
        },
      ]);
    }
    this.function = new SecureFunction(this, 'Function', {
      handler: 'model-docs',
      vpc: p.vpc,
      vpcSubnets: p.vpcSubnets,
      encryptionKey: p.encryptionKey,
      description: 'Creates and updates the KMS-encrypted model card of each model version',
      timeout: Duration.minutes(1),
      memorySize: 256,
      environment: {
        [ENV.groupName]: this.groupName,
        [ENV.cardKeyId]: p.cardEncryptionKey.keyArn,
        [ENV.reportsBucket]: p.reportsBucket.bucketName,
        [ENV.reportsPrefixes]: stack.toJsonString(this.reportsPrefixes),
        [ENV.contract]: contractJson,
        [ENV.runbooks]: JSON.stringify(p.runbooks ?? []),
        [ENV.maxAttempts]: String(p.maxAttempts ?? 8),
      },
    });
    const role = this.function.role;

    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description: `Model documentation of ${this.groupName}: read its versions, write their model cards`,
      roles: [role],
      statements: [
        new iam.PolicyStatement({
          sid: 'ReadVersions',
          actions: ['sagemaker:DescribeModelPackage'],
          resources: [p.registry.modelPackageArnPattern],
        }),
        new iam.PolicyStatement({
          sid: 'WriteModelCards',
          actions: ['sagemaker:DescribeModelCard', 'sagemaker:CreateModelCard', 'sagemaker:UpdateModelCard'],
          resources: [this.modelCardArnPattern],
        }),
        // SageMaker encrypts the card content with the caller's permissions on the key, through
        // SageMaker only.
        new iam.PolicyStatement({
          sid: 'EncryptModelCards',
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [p.cardEncryptionKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `sagemaker.${stack.region}.amazonaws.com` } },
        }),
        new iam.PolicyStatement({
          sid: 'PublishDocumentationMetrics',
          actions: ['cloudwatch:PutMetricData'],
          resources: ['*'],
          conditions: { StringEquals: { 'cloudwatch:namespace': METRIC_NAMESPACE } },
        }),
      ],
    });
    acknowledge(this.policy, 'AwsSolutions-IAM5[Resource::*]', {
      reason: `cloudwatch:PutMetricData has no resource-level permissions, so Resource must be "*"; the cloudwatch:namespace condition limits it to ${METRIC_NAMESPACE}`,
      ...INHERENT,
    });
    acknowledge(
      this.policy,
      `AwsSolutions-IAM5[Resource::${flattenedArn(this, p.registry.modelPackageArnPattern)}]`,
      {
        reason:
          'SageMaker numbers the versions of the group at registration (model-package/<group>/<n>): the pattern matches this group only',
        ...INHERENT,
      },
    );
    acknowledge(this.policy, `AwsSolutions-IAM5[Resource::${flattenedArn(this, this.modelCardArnPattern)}]`, {
      reason:
        'one model card per version, named <group>-<version> when the version is registered: the pattern matches this group only',
      ...INHERENT,
    });

    for (const prefix of this.reportsPrefixes) {
      p.reportsBucket.grantReadPrefix(role, prefix);
      acknowledgeIdentityPrefixGrant(
        role,
        p.reportsBucket,
        prefix,
        'the pipeline names each evaluation and bias report by its execution id at run time',
      );
    }

    ({ rule: this.rule, deadLetterQueue: this.deadLetterQueue } = modelPackageStateChanges(
      this,
      'StateChanges',
      {
        groupName: this.groupName,
        description: `State changes of ${this.groupName} versions, documented in their model cards`,
        handler: this.function.function,
        encryptionKey: p.encryptionKey,
      },
    ));

    const group = `model package group ${this.groupName}`;
    const alarm = (metric: cloudwatch.Metric, alarmId: string, description: string): cloudwatch.Alarm =>
      metric.createAlarm(this, alarmId, {
        alarmDescription: description,
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        // No state change in a period is no news.
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    this.failureAlarm = alarm(
      this.metricDocumentationFailures(),
      'FailureAlarm',
      `Model documentation of ${group}: a version could not be documented (its package could not be read, or its card has another key; see the function's logs)`,
    );
    this.reportsNotReadAlarm = alarm(
      this.metricReportsNotRead(),
      'ReportsNotReadAlarm',
      `Model documentation of ${group}: a report a version names is missing, denied, malformed or outside the reports prefixes (the card says which)`,
    );
    this.malformedEventAlarm = alarm(
      this.metric(METRICS.malformedEvents),
      'MalformedEventAlarm',
      `Model documentation of ${group} received an event it could not read (see its logs)`,
    );
    this.errorAlarm = alarm(
      this.function.function.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      'ErrorAlarm',
      `Model documentation of ${group} failed: model cards may be stale until a retry succeeds (see its dead-letter queues)`,
    );
    this.deadLetterAlarm = alarm(
      this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      'DeadLetterAlarm',
      `Model documentation of ${group}: state changes wait in the dead-letter queue undocumented`,
    );
    for (const a of [
      this.failureAlarm,
      this.reportsNotReadAlarm,
      this.malformedEventAlarm,
      this.errorAlarm,
      this.deadLetterAlarm,
    ])
      p.alerts.notify(a);
  }

  /** A metric in `ML/ModelDocumentation` with this group's dimension. */
  public metric(metricName: string, options: ModelDocumentationMetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: METRIC_NAMESPACE,
      metricName,
      dimensionsMap: { [DIMENSIONS.modelPackageGroupName]: this.groupName },
      period: options.period ?? Duration.minutes(5),
      statistic: options.statistic ?? cloudwatch.Stats.SUM,
    });
  }

  /** Cards created or updated (Sum over 5 minutes). */
  public metricCardsWritten(options?: ModelDocumentationMetricOptions): cloudwatch.Metric {
    return this.metric(METRICS.cardsWritten, options);
  }

  /** Reports named but not read (Sum over 5 minutes). */
  public metricReportsNotRead(options?: ModelDocumentationMetricOptions): cloudwatch.Metric {
    return this.metric(METRICS.reportsNotRead, options);
  }

  /** Versions that could not be documented (Sum over 5 minutes). */
  public metricDocumentationFailures(options?: ModelDocumentationMetricOptions): cloudwatch.Metric {
    return this.metric(METRICS.documentationFailures, options);
  }
}
