import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { z } from 'zod';
import { acknowledge, acknowledgeControl } from './acknowledge';
import { INHERENT } from './inherent';
import { requireKeyServiceAccess } from '../encryption/service-access';
import { ScopedRole } from './scoped-role';
import { packageRoot } from '../../lib/shared/package-root';
import {
  constructRef,
  describeValue,
  durationBetween,
  PropsProblem,
  refs,
  retentionDays,
  throwIfProblems,
  validateProps,
} from './validate';

/** Props for {@link SecureFunction}. */
export interface SecureFunctionProps {
  /** Name of the prebuilt handler bundle: `assets/handlers/<handler>/index.js` (built from `lib/handlers/<handler>/`). */
  readonly handler: string;
  /** The VPC the function runs in (it reaches AWS through the VPC's interface endpoints). */
  readonly vpc: ec2.IVpc;
  /**
   * Subnets for the function's network interfaces.
   * @default - the VPC's isolated subnets, else its private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * Key for the log group, the dead-letter queue and environment variables (the `logs` key of
   * `EncryptionKeys`). CloudWatch Logs must be able to use it: another domain key is a
   * validation error, an L2 `kms.Key` of the app gets the `CloudWatchLogsEncryption` statement, an
   * imported key is trusted (see constructs/encryption/README.md). The dead-letter queue and the
   * environment need nothing more: Lambda uses them as the function's role.
   */
  readonly encryptionKey: kms.IKey;
  /**
   * What the function does, shown in the console.
   * @default - none
   */
  readonly description?: string;
  /**
   * Environment variables.
   * @default - none
   */
  readonly environment?: Record<string, string>;
  /**
   * @default Duration.minutes(5)
   */
  readonly timeout?: Duration;
  /**
   * @default 512
   */
  readonly memorySize?: number;
  /**
   * Reserved concurrency, opt-in. A reservation may not take the account's unreserved
   * concurrency below its minimum (100), so accounts with a low concurrency quota (new accounts
   * get 10) reject any reservation and the stack fails to deploy. Without one, the
   * `*-LambdaConcurrency` findings of the HIPAA, NIST and PCI packs are acknowledged on the
   * function. Keep one-at-a-time runs with `retryAttempts`, `maxEventAge` and a schedule period
   * longer than the timeout plus the event age instead (see constructs/core/README.md).
   * @default - no reservation: the function uses the account's unreserved pool
   * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
   */
  readonly reservedConcurrentExecutions?: number;
  /**
   * How many times Lambda retries a failed asynchronous invocation (0–2). A retry starts only
   * after the failed attempt has ended. Mutating handlers on a schedule use 0: the next run comes soon.
   * @default 2
   * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
   */
  readonly retryAttempts?: number;
  /**
   * The oldest an asynchronous event may be when Lambda starts it (60 s – 6 h); older events go to
   * the dead-letter queue. A short age keeps a delayed run from starting when the next scheduled
   * run is due.
   * @default Duration.hours(6)
   * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
   */
  readonly maxEventAge?: Duration;
  /**
   * A topic that receives the result of each successful asynchronous invocation (e.g. a run
   * report). The function is granted publish with explicit actions.
   * @default - results are not sent anywhere
   */
  readonly onSuccessTopic?: sns.ITopic;
  /**
   * The key that encrypts `onSuccessTopic`, for a topic imported by ARN (which carries no key); the
   * function may encrypt with it to publish.
   * @default - the topic's own `masterKey`, when it is an L2 topic of the app
   */
  readonly onSuccessTopicKey?: kms.IKey;
  /**
   * How long the function's logs are kept.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * The subnet selections a {@link SecureFunction} accepts, for constructs that take one for their
 * function: validating it at their own path names their field, not their function's. These are the
 * forms SecureFunction can check against the VPC before ec2 does (subnet groups by name and filters
 * are not offered): public subnets would give the function no route and trip Lambda's checks.
 */
export const functionSubnetsSchema = z.strictObject({
  subnetType: z.enum([ec2.SubnetType.PRIVATE_ISOLATED, ec2.SubnetType.PRIVATE_WITH_EGRESS]).optional(),
  availabilityZones: z.array(z.string().min(1)).min(1).optional(),
  onePerAz: z.boolean().optional(),
  subnets: z
    .array(constructRef<ec2.ISubnet>('ec2.ISubnet', ['subnetId', 'availabilityZone']))
    .min(1)
    .optional(),
});

const schema = z.strictObject({
  handler: z.string().regex(/^[a-z0-9-]+$/),
  vpc: refs.vpc,
  vpcSubnets: functionSubnetsSchema.optional(),
  encryptionKey: refs.key,
  description: z.string().max(256).optional(),
  environment: z.record(z.string(), z.string()).optional(),
  timeout: durationBetween(Duration.seconds(1), Duration.minutes(15), { unit: 'seconds' }).optional(),
  memorySize: z.number().int().min(128).max(10240).optional(),
  reservedConcurrentExecutions: z.number().int().min(1).max(1000).optional(),
  retryAttempts: z.number().int().min(0).max(2).optional(),
  maxEventAge: durationBetween(Duration.seconds(60), Duration.hours(6), { unit: 'seconds' }).optional(),
  logRetention: retentionDays().optional(),
  onSuccessTopic: refs.topic.optional(),
  onSuccessTopicKey: refs.key.optional(),
});

/**
 * Where a prebuilt handler bundle lives, from the source tree or from `dist/` of the installed
 * package; `undefined` when there is none.
 */
export function findHandlerAsset(handler: string): string | undefined {
  const root = packageRoot()?.root;
  if (root === undefined) return undefined;
  const candidate = path.join(root, 'assets', 'handlers', handler);
  return existsSync(candidate) ? candidate : undefined;
}

/**
 * A Lambda function that passes every policy pack: a prebuilt bundle (consumers' synth never
 * runs a bundler), Node.js 22 on arm64, inside a VPC, a scoped role without managed policies, a
 * KMS-encrypted log group with retention that only this function's role may write to, active
 * tracing, and an encrypted dead-letter queue that is also the on-failure destination of
 * asynchronous invocations. Reserved concurrency is opt-in (accounts with a low concurrency quota
 * reject any reservation).
 */
export class SecureFunction extends Construct {
  /** The function. */
  public readonly function: lambda.Function;
  /** Its role; grant to this. */
  public readonly role: ScopedRole;
  /** Failed asynchronous invocations land here. */
  public readonly deadLetterQueue: sqs.Queue;
  /** The function's log group. */
  public readonly logGroup: logs.LogGroup;
  /** The function's security group (HTTPS egress only). */
  public readonly securityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: SecureFunctionProps) {
    super(scope, id);
    const p = validateProps(this, schema, props);
    const asset = findHandlerAsset(p.handler);
    throwIfProblems(this, [...handlerProblems(p.handler, asset), ...subnetProblems(p.vpc, p.vpcSubnets)]);
    // CloudWatch Logs encrypts the log group with the key itself (logs.<region>.amazonaws.com), so the
    // key policy must allow it. The queue and environment are used as the function's role: Lambda
    // sends failed events to the dead-letter queue and on-failure destination with the execution role
    // (its identity policy below), and decrypts the environment as that role too.
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
    // https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
    requireKeyServiceAccess(this, 'encryptionKey', p.encryptionKey, ['logs', 'queues-and-functions']);
    const code = lambda.Code.fromAsset(asset!);

    this.role = new ScopedRole(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: p.description,
    });
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      encryptionKey: p.encryptionKey,
      retention: p.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: p.encryptionKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: p.vpc,
      description: `HTTPS egress to AWS endpoints for ${this.node.path}`,
      allowAllOutbound: false,
    });
    // HTTPS only. The subnets have no route to the internet, so this reaches the VPC's interface
    // endpoints and the S3 gateway endpoint (whose regional prefix list is not known offline).
    this.securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to AWS endpoints');

    this.function = new lambda.Function(this, 'Resource', {
      code,
      handler: 'index.handler',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      role: this.role,
      description: p.description,
      environment: { NODE_OPTIONS: '--enable-source-maps', ...p.environment },
      environmentEncryption: p.encryptionKey,
      timeout: p.timeout ?? Duration.minutes(5),
      memorySize: p.memorySize ?? 512,
      reservedConcurrentExecutions: p.reservedConcurrentExecutions,
      vpc: p.vpc,
      vpcSubnets: p.vpcSubnets ?? defaultSubnets(p.vpc),
      securityGroups: [this.securityGroup],
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: lambda.Tracing.ACTIVE,
      deadLetterQueue: this.deadLetterQueue,
      // Plain destinations: aws-cdk-lib's SqsDestination/SnsDestination grant wildcard KMS actions
      // (kms:GenerateDataKey*, AwsSolutions-IAM5); the explicit grants below cover the same need.
      onFailure: { bind: () => ({ destination: this.deadLetterQueue.queueArn }) },
      onSuccess: p.onSuccessTopic ? { bind: () => ({ destination: p.onSuccessTopic!.topicArn }) } : undefined,
      retryAttempts: p.retryAttempts ?? 2,
      maxEventAge: p.maxEventAge ?? Duration.hours(6),
    });
    // With a custom log group, Lambda's runtime writes as the execution role: without these two
    // actions the handler runs and nothing is logged. The group's Arn attribute ends in ":*",
    // which covers its log streams (the resource of PutLogEvents).
    // https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html#monitoring-cloudwatchlogs-prereqs
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    // The role is created before the function, so the key and queue grants are explicit.
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'EncryptedQueueAndEnvironment',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
        resources: [p.encryptionKey.keyArn],
      }),
    );
    if (p.onSuccessTopic) {
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'PublishResults',
          actions: ['sns:Publish'],
          resources: [p.onSuccessTopic.topicArn],
        }),
      );
      const topicKey = p.onSuccessTopicKey ?? p.onSuccessTopic.masterKey;
      if (topicKey) {
        this.role.addToPrincipalPolicy(
          new iam.PolicyStatement({
            sid: 'EncryptResults',
            actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
            resources: [topicKey.keyArn],
          }),
        );
      }
    }
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'VpcNetworkInterfaces',
        actions: [
          'ec2:CreateNetworkInterface',
          'ec2:DescribeNetworkInterfaces',
          'ec2:DeleteNetworkInterface',
          'ec2:AssignPrivateIpAddresses',
          'ec2:UnassignPrivateIpAddresses',
        ],
        resources: ['*'],
      }),
    );
    acknowledge(this.role.policy, 'AwsSolutions-IAM5[Resource::*]', {
      reason:
        'VPC network-interface management (ec2:DescribeNetworkInterfaces) and X-Ray segment upload accept only Resource "*"',
      ...INHERENT,
    });
    acknowledge(this.deadLetterQueue, 'Serverless-SQSRedrivePolicy', {
      reason: 'a dead-letter queue is the end of the redrive chain and has no dead-letter queue of its own',
      ...INHERENT,
    });
    if (p.reservedConcurrentExecutions === undefined) {
      acknowledgeControl(this.function, 'lambdaConcurrency', {
        reason:
          'reserved concurrency is opt-in: accounts with a concurrency quota below 100 + the reservation reject any reservation and the deployment fails; one-at-a-time runs come from retryAttempts, maxEventAge and the schedule period',
        ...INHERENT,
      });
    }
    for (const id of ['AwsSolutions-L1', 'Serverless-LambdaLatestVersion']) {
      acknowledge(this.function, id, {
        reason:
          'DESIGN.md pins nodejs22.x: the bundles target node22 and are tested on Node 20/22; nodejs24.x is adopted once verified',
        owner: INHERENT.owner,
        expires: '2027-04-30',
      });
    }
  }

  /** Lets the function publish to a topic or call anything else: grants go to its scoped role. */
  public get grantPrincipal(): iam.IPrincipal {
    return this.role;
  }
}

function handlerProblems(handler: string, asset: string | undefined): PropsProblem[] {
  if (asset !== undefined) return [];
  return [
    {
      field: 'handler',
      problem: 'has no prebuilt bundle',
      got: describeValue(handler),
      expected: `a bundle at assets/handlers/${handler}/index.js (the output of \`npm run bundle\`)`,
    },
  ];
}

/**
 * A selection that matches no subnet of the VPC would throw from ec2 and Lambda: say so first.
 * Constructs that pass a selection on to their {@link SecureFunction} call it at their own path.
 */
export function subnetProblems(vpc: ec2.IVpc, selection: ec2.SubnetSelection | undefined): PropsProblem[] {
  if (selection === undefined || selection.subnets !== undefined) return [];
  const type = selection.subnetType ?? defaultSubnets(vpc).subnetType;
  const candidates = type === ec2.SubnetType.PRIVATE_WITH_EGRESS ? vpc.privateSubnets : vpc.isolatedSubnets;
  const zones = selection.availabilityZones;
  const matching = zones ? candidates.filter((s) => zones.includes(s.availabilityZone)) : candidates;
  if (matching.length > 0) return [];
  return [
    {
      field: 'vpcSubnets',
      problem: 'matches no subnet of the VPC',
      got: describeValue(selection),
      expected: `${type} subnets in ${describeValue(candidates.map((s) => s.availabilityZone))}`,
    },
  ];
}

function defaultSubnets(vpc: ec2.IVpc): ec2.SubnetSelection {
  return vpc.isolatedSubnets.length > 0
    ? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }
    : { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
}
