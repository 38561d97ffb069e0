import { ArnFormat, Duration, Names, Stack, Token } from 'aws-cdk-lib';
import { createHash } from 'node:crypto';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as synthetics from 'aws-cdk-lib/aws-synthetics';
import { Construct } from 'constructs';
import { z } from 'zod';
import {
  CanaryConfig,
  CONFIG_ENV,
  dependencyCheck,
  DIMENSIONS,
  FEATURE_STORE_CHECK,
  FieldType,
  INFERENCE_CHECK,
  METRIC_NAMESPACE,
  METRICS,
  SigningService,
  SYNTHETICS_NAMESPACE,
} from '../../lib/handlers/model-health-canary/contract';
import { findHandlerAsset } from '../core/secure-function';
import { acknowledge } from '../core/acknowledge';
import { INHERENT } from '../core/inherent';
import { flattenedArn } from '../training/nag-ids';
import { ScopedRole } from '../core/scoped-role';
import {
  durationBetween,
  PropsProblem,
  refs,
  throwIfProblems,
  tokenOr,
  validateProps,
} from '../core/validate';
import { FEATURE_STORE_RUNTIME_ENDPOINT_SERVICE, InferenceNetwork } from '../serving/inference-network';
import type { ISecureBucket } from '../storage/secure-bucket';
import { AlertSeverity, httpsUrl } from './alert-integrations';
import { IAlertDestination, requireAlertPublishers } from './alert-topic';

/** An API the health check sends its golden request to: {@link InferenceApi} is one. */
export interface IHealthCheckedApi {
  /** The URL of `POST /invocations` on the deployed stage. */
  readonly invocationsUrl: string;
  /** Lets a principal call it (`execute-api:Invoke`). */
  grantInvoke(grantee: iam.IGrantable): iam.Grant;
}

/**
 * A real-time endpoint the health check sends its golden request to directly, through the
 * SageMaker runtime (`InvokeEndpoint`): {@link IsolatedEndpoint} is one. Inside a VPC with an
 * interface endpoint for the runtime (private DNS), the request never leaves the network.
 */
export interface IHealthCheckedEndpoint {
  /** The endpoint name, in the path of `POST /endpoints/<name>/invocations`. */
  readonly endpointName: string;
  /** Lets a principal invoke it (`sagemaker:InvokeEndpoint` on this endpoint only). */
  grantInvoke(grantee: iam.IGrantable): iam.Grant;
}

/**
 * A feature group the health check reads a known record from: {@link SecureFeatureGroup} (and any
 * `ISecureFeatureGroup`, imports included) is one. The canary is granted `sagemaker:GetRecord` on
 * `featureGroupArn` only, and `kms:Decrypt` on `encryptionKey` when there is one.
 */
export interface IHealthCheckedFeatureGroup {
  /** The name GetRecord is sent for. */
  readonly featureGroupName: string;
  /** The ARN `sagemaker:GetRecord` is granted on. */
  readonly featureGroupArn: string;
  /**
   * The online store's customer managed key: every GetRecord caller needs `kms:Decrypt` on it.
   * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_OnlineStoreSecurityConfig.html
   * @default - no key grant (an AWS owned key, or one granted separately)
   */
  readonly encryptionKey?: kms.IKey;
}

/** The feature-store probe of a {@link ModelHealthCheck}: a known record of an online store. */
export interface FeatureStoreProbe {
  /** The feature group whose online store must return `recordIdentifier`. */
  readonly featureGroup: IHealthCheckedFeatureGroup;
  /**
   * The record identifier read: a record kept in the online store for the probe (ingest one and
   * keep it fresh, e.g. a synthetic `health-check` customer).
   */
  readonly recordIdentifier: string;
  /**
   * Features the record must carry.
   * @default [] (any record passes)
   */
  readonly expectedFeatures?: string[];
}

/** An external dependency the canary checks is reachable. */
export interface HealthCheckDependency {
  /** Its name, in the metric's `Check` dimension (`dependency-<name>`): lower case, digits, `-`. */
  readonly name: string;
  /** An `https://` URL, or the DNS name of a VPC endpoint (probed at `https://<name>/`). */
  readonly url: string;
}

/** Props for {@link ModelHealthCheck}. */
export interface ModelHealthCheckProps {
  /** The VPC the canary runs in (the inference network's). */
  readonly vpc: ec2.IVpc;
  /**
   * Its subnets.
   * @default - the VPC's private subnets with egress, else its isolated ones
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /** The encrypted bucket of the canary's run artifacts (screenshots-free logs and reports). */
  readonly artifactsBucket: ISecureBucket;
  /**
   * Key prefix of the artifacts.
   * @default 'canary/<canary name>/'
   */
  readonly artifactsPrefix?: string;
  /** Where the alarms go. */
  readonly alerts: IAlertDestination;
  /**
   * The API the golden request goes through. A public API needs subnets with egress: with a VPC
   * of isolated subnets only, give `inferenceEndpoint` instead (or `vpcSubnets` that route to it).
   * At most one of `inferenceApi` and `inferenceEndpoint`.
   * @default - no inference check through an API
   */
  readonly inferenceApi?: IHealthCheckedApi;
  /**
   * The real-time endpoint the golden request goes to directly: a SigV4-signed
   * `POST https://runtime.sagemaker.<region>.amazonaws.com/endpoints/<name>/invocations`, which
   * resolves to the VPC's SageMaker runtime interface endpoint (private DNS). At most one of
   * `inferenceApi` and `inferenceEndpoint`.
   * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html
   * @default - no inference check straight to an endpoint
   */
  readonly inferenceEndpoint?: IHealthCheckedEndpoint;
  /**
   * The golden request's JSON body. Required with `inferenceApi` or `inferenceEndpoint`.
   * @default - none
   */
  readonly goldenRequest?: unknown;
  /**
   * Dotted paths of the response JSON and the type each must have (`{ predictions: 'array' }`).
   * @default {} (any JSON body with status 200 passes)
   */
  readonly expectedResponseFields?: Record<string, FieldType>;
  /**
   * A golden request slower than this fails.
   * @default Duration.seconds(2)
   */
  readonly latencyThreshold?: Duration;
  /**
   * Reads a known record of an online feature store (`GetRecord`, SigV4 for the signing name
   * `sagemaker`, on `featurestore-runtime.sagemaker.<region>.<url suffix>`, which private DNS
   * resolves to the VPC's `sagemaker.featurestore-runtime` interface endpoint) and checks it exists
   * and carries `expectedFeatures`. From isolated subnets of a VPC defined in the app, that
   * endpoint must exist (`InferenceNetwork` creates it by default): synth fails otherwise.
   * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_feature_store_GetRecord.html
   * @default - no feature-store check
   */
  readonly featureStoreProbe?: FeatureStoreProbe;
  /**
   * External dependencies checked for reachability.
   * @default []
   */
  readonly dependencies?: HealthCheckDependency[];
  /**
   * How often the canary runs.
   * @default Duration.minutes(5)
   */
  readonly interval?: Duration;
  /**
   * Severity of the alarms (see `AlertTopic.notify`): `critical` and `high` may start an incident.
   * @default 'high'
   */
  readonly severity?: AlertSeverity;
  /**
   * The runbook of the alarms.
   * @default - the description carries no runbook link
   */
  readonly runbookUrl?: string;
}

/** What the feature-store probe calls: GetRecord only. */
export const PROBE_RECORD_ACTIONS = ['sagemaker:GetRecord'] as const;
/** What GetRecord needs on the online store key (the API reference names kms:Decrypt only). */
export const PROBE_KEY_ACTIONS = ['kms:Decrypt'] as const;

const NAME = /^[a-z0-9-]{1,40}$/;
/** A VPC endpoint or other DNS name, probed over HTTPS. */
const DNS_NAME = /^(?=.{1,253}$)([a-z0-9*]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** An object with the members of an interface: any implementation, construct or not, passes. */
function shaped<T>(expected: string, members: readonly string[]) {
  return z.custom<T>((v) => typeof v === 'object' && v !== null && members.every((m) => m in v), {
    message: `is not an ${expected.split(' ')[0]}`,
    params: { expected },
  });
}

const schema = z.strictObject({
  vpc: refs.vpc,
  vpcSubnets: z.custom<ec2.SubnetSelection>((v) => typeof v === 'object' && v !== null).optional(),
  artifactsBucket: refs.secureBucket,
  artifactsPrefix: tokenOr(z.string().regex(/^([A-Za-z0-9_.-]+\/)+$/)).optional(),
  alerts: refs.alerts,
  inferenceApi: shaped<IHealthCheckedApi>('IHealthCheckedApi (an InferenceApi)', [
    'invocationsUrl',
    'grantInvoke',
  ]).optional(),
  inferenceEndpoint: shaped<IHealthCheckedEndpoint>('IHealthCheckedEndpoint (an IsolatedEndpoint)', [
    'endpointName',
    'grantInvoke',
  ]).optional(),
  goldenRequest: z.unknown().optional(),
  expectedResponseFields: z
    .record(z.string().min(1), z.enum(['array', 'boolean', 'number', 'object', 'string']))
    .optional(),
  // Literal: the request timeout (5x) and the check's threshold are computed from it at synth.
  latencyThreshold: durationBetween(Duration.millis(1), Duration.seconds(60), { literal: true }).optional(),
  featureStoreProbe: z
    .strictObject({
      featureGroup: shaped<IHealthCheckedFeatureGroup>('IHealthCheckedFeatureGroup (a SecureFeatureGroup)', [
        'featureGroupName',
        'featureGroupArn',
      ]),
      // GetRecord's RecordIdentifierValueAsString: at most 358,400 characters (and not empty: the
      // query parameter is required).
      // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_feature_store_GetRecord.html
      recordIdentifier: tokenOr(z.string().min(1).max(358_400)),
      // GetRecord's FeatureName pattern: a name that cannot match is a probe that always fails.
      expectedFeatures: z.array(z.string().regex(/^[a-zA-Z0-9]([-_]*[a-zA-Z0-9]){0,63}$/)).optional(),
    })
    .optional(),
  dependencies: z
    .array(
      z.strictObject({
        name: z.string().regex(NAME),
        url: tokenOr(z.union([httpsUrl, z.string().regex(DNS_NAME)])),
      }),
    )
    .max(20)
    .optional(),
  // Synthetics rate expressions count whole minutes (Schedule.rate throws on 61 seconds).
  interval: durationBetween(Duration.minutes(1), Duration.hours(1), { unit: 'minutes' }).optional(),
  severity: z.enum(['critical', 'high', 'low']).optional(),
  runbookUrl: tokenOr(httpsUrl).optional(),
});

/** Problems across fields: a check without the value it needs, or nothing to check. */
function crossFieldProblems(p: z.output<typeof schema>): PropsProblem[] {
  const problems: PropsProblem[] = [];
  if (p.inferenceApi && p.inferenceEndpoint)
    problems.push({
      field: 'inferenceEndpoint',
      problem: 'cannot be given with inferenceApi',
      got: 'both',
      expected: 'exactly one of inferenceApi and inferenceEndpoint',
    });
  // An AsyncEndpoint has endpointName and grantInvoke too, but takes InvokeEndpointAsync: a
  // direct InvokeEndpoint on it fails every run.
  if (p.inferenceEndpoint && 'inputS3Uri' in p.inferenceEndpoint)
    problems.push({
      field: 'inferenceEndpoint',
      problem: 'is an asynchronous endpoint',
      got: 'an endpoint with an async inference input location',
      expected: 'a real-time endpoint (InvokeEndpoint), e.g. an IsolatedEndpoint',
    });
  // The default subnets are the private ones with egress, else the isolated ones: a public API
  // is unreachable from those, and the canary would fail and alarm forever.
  if (p.inferenceApi && p.vpcSubnets === undefined && p.vpc.privateSubnets.length === 0)
    problems.push({
      field: 'inferenceApi',
      problem: 'is unreachable from the default subnets: the vpc has no subnets with egress',
      got: 'only isolated subnets',
      expected:
        'inferenceEndpoint (through the vpc sagemaker runtime endpoint), vpcSubnets with egress, or no inferenceApi',
    });
  const inference = p.inferenceApi ? 'inferenceApi' : p.inferenceEndpoint ? 'inferenceEndpoint' : undefined;
  if (inference && p.goldenRequest === undefined)
    problems.push({
      field: 'goldenRequest',
      problem: `is required with ${inference}`,
      got: 'undefined',
      expected: 'the json body of a request the model must answer',
    });
  if (!inference && !p.featureStoreProbe && (p.dependencies ?? []).length === 0)
    problems.push({
      field: '(props)',
      problem: 'has nothing to check',
      got: 'no inferenceApi, inferenceEndpoint, featureStoreProbe or dependencies',
      expected: 'at least one of them',
    });
  const names = (p.dependencies ?? []).map((d) => d.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined)
    problems.push({
      field: 'dependencies',
      problem: 'names two dependencies alike',
      got: dup,
      expected: 'unique names',
    });
  return problems;
}

/**
 * A CloudWatch Synthetics canary that checks a model is healthy end to end, on a schedule: a
 * golden request through the inference API or straight to the endpoint (status 200, the expected response shape, under a
 * latency threshold), a known record of the online feature store (GetRecord), and the
 * reachability of declared dependencies (HTTPS URLs or VPC endpoint DNS names).
 *
 * The canary runs in the VPC's private subnets with its own security group (HTTPS out only), with
 * a `ScopedRole` holding exactly what Synthetics documents for a VPC canary with KMS-encrypted
 * artifacts, plus the invoke/read grants of the checks. Its run artifacts go to an encrypted
 * bucket of yours. Each check publishes `CheckSucceeded` and `CheckLatency` (namespace
 * `ML/ModelHealth`, dimensions `HealthCheck`, `Check`); each check has an alarm, and so has the
 * canary's own `SuccessPercent`, all sent to `alerts` with the severity convention.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Synthetics_Canaries_CanaryPermissions.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Synthetics_Canaries_VPC.html
 */
export class ModelHealthCheck extends Construct {
  /** The canary. */
  public readonly canary: synthetics.Canary;
  /** Its role. */
  public readonly role: ScopedRole;
  /** Its security group. */
  public readonly securityGroup: ec2.SecurityGroup;
  /** One alarm per check, by check name (`inference`, `feature-store`, `dependency-<name>`). */
  public readonly checkAlarms: Readonly<Record<string, cloudwatch.Alarm>>;
  /** The alarm on the canary's own success rate (a run that crashes publishes no check metric). */
  public readonly canaryAlarm: cloudwatch.Alarm;
  /** The canary's name (derived from the construct path): the `HealthCheck` dimension of its metrics. */
  public readonly healthCheckName: string;

  constructor(scope: Construct, id: string, props: ModelHealthCheckProps) {
    super(scope, id);
    const p = validateProps(this, schema, props);
    const asset = findHandlerAsset('model-health-canary');
    throwIfProblems(this, [
      ...crossFieldProblems(p),
      ...(asset === undefined
        ? [
            {
              field: '(props)',
              problem: 'has no prebuilt canary bundle',
              got: 'none',
              expected: 'assets/handlers/model-health-canary/index.js (npm run bundle)',
            },
          ]
        : []),
    ]);
    requireAlertPublishers(this, p.alerts);
    const stack = Stack.of(this);
    // Canary names: lower case, digits, - and _, at most 255; aws-cdk-lib derives a stable
    // one from the path (21 characters) when none is given: we keep it and read it back.
    this.role = new ScopedRole(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'CloudWatch Synthetics model health canary',
    });
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: p.vpc,
      description: 'Model health canary: HTTPS out only',
      allowAllOutbound: false,
    });
    this.securityGroup.addEgressRule(
      ec2.Peer.anyIpv4(),
      ec2.Port.tcp(443),
      'HTTPS to the API, endpoints and dependencies',
    );
    const subnets =
      p.vpcSubnets ??
      (p.vpc.privateSubnets.length > 0
        ? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }
        : { subnetType: ec2.SubnetType.PRIVATE_ISOLATED });

    // From isolated subnets, GetRecord has only the Feature Store runtime's interface endpoint to go
    // through: without one the probe times out on every run. A VPC of the app is checked at synth
    // (an imported one cannot be, offline).
    if (
      p.featureStoreProbe &&
      p.vpc instanceof ec2.Vpc &&
      subnets.subnetType === ec2.SubnetType.PRIVATE_ISOLATED
    )
      InferenceNetwork.requireEndpoints(p.vpc, [FEATURE_STORE_RUNTIME_ENDPOINT_SERVICE]);

    const timeout = p.latencyThreshold ?? Duration.seconds(2);
    const target = inferenceTarget(stack, p);
    const config = (name: string): CanaryConfig => ({
      healthCheck: name,
      // A request is abandoned at 5x the latency threshold (at least 5 s): slow fails the check,
      // hung fails it too, and the run still ends well inside the canary timeout.
      timeoutMs: Math.min(60_000, Math.max(5000, timeout.toMilliseconds() * 5)),
      inference: target
        ? {
            ...target,
            body: p.goldenRequest,
            expectedFields: p.expectedResponseFields ?? {},
            maxLatencyMs: timeout.toMilliseconds(),
            signed: true,
          }
        : undefined,
      featureStore: p.featureStoreProbe
        ? {
            featureGroupName: p.featureStoreProbe.featureGroup.featureGroupName,
            recordIdentifier: p.featureStoreProbe.recordIdentifier,
            expectedFeatures: p.featureStoreProbe.expectedFeatures ?? [],
          }
        : undefined,
      dependencies: (p.dependencies ?? []).map((d) => ({
        name: d.name,
        url: Token.isUnresolved(d.url) || d.url.startsWith('https://') ? d.url : `https://${d.url}/`,
      })),
    });

    const interval = p.interval ?? Duration.minutes(5);
    this.healthCheckName = canaryNameOf(this);
    this.canary = new synthetics.Canary(this, 'Resource', {
      canaryName: this.healthCheckName,
      runtime: synthetics.Runtime.SYNTHETICS_NODEJS_PLAYWRIGHT_6_0,
      test: synthetics.Test.custom({
        code: synthetics.Code.fromAsset(asset!),
        handler: 'index.handler',
      }),
      schedule: synthetics.Schedule.rate(interval),
      role: this.role,
      vpc: p.vpc,
      vpcSubnets: subnets,
      securityGroups: [this.securityGroup],
      artifactsBucketLocation: { bucket: p.artifactsBucket.bucket, prefix: p.artifactsPrefix },
      timeout: Duration.minutes(1),
      successRetentionPeriod: Duration.days(7),
      failureRetentionPeriod: Duration.days(31),
      provisionedResourceCleanup: true,
    });
    const prefix = p.artifactsPrefix ?? `canary/${this.healthCheckName}/`;
    if (p.artifactsPrefix === undefined)
      (this.canary.node.defaultChild as synthetics.CfnCanary).artifactS3Location =
        p.artifactsBucket.s3UriForPrefix(prefix);
    // SSE-KMS with the bucket's own key, set on the L1: the L2's artifactS3KmsKey would also grant
    // kms:GenerateDataKey* and kms:ReEncrypt* (AwsSolutions-IAM5); grantRuntime grants the two
    // actions the canary uses.
    (this.canary.node.defaultChild as synthetics.CfnCanary).artifactConfig = {
      s3Encryption: { encryptionMode: 'SSE_KMS', kmsKeyArn: p.artifactsBucket.encryptionKey.keyArn },
    };
    // The configuration names the canary, which exists only once the canary does: set on the L1.
    const cfn = this.canary.node.defaultChild as synthetics.CfnCanary;
    const runConfig = (cfn.runConfig ?? {}) as synthetics.CfnCanary.RunConfigProperty;
    cfn.runConfig = {
      ...runConfig,
      environmentVariables: { [CONFIG_ENV]: stack.toJsonString(config(this.healthCheckName)) },
    };
    this.grantRuntime(p, prefix);

    const alarms: Record<string, cloudwatch.Alarm> = {};
    const checks = [
      ...(p.inferenceApi || p.inferenceEndpoint ? [INFERENCE_CHECK] : []),
      ...(p.featureStoreProbe ? [FEATURE_STORE_CHECK] : []),
      ...(p.dependencies ?? []).map((d) => dependencyCheck(d.name)),
    ];
    const severity = p.severity ?? 'high';
    for (const check of checks) {
      const alarm = this.metricCheckSucceeded(check).createAlarm(this, `${idOf(check)}Alarm`, {
        alarmDescription: `model health check ${check} failed in 2 of the last 3 runs of ${this.healthCheckName}`,
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        // No data: the canary did not run or crashed before publishing; the canary alarm says so.
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      p.alerts.notify(alarm, { severity, runbookUrl: p.runbookUrl });
      alarms[check] = alarm;
    }
    this.checkAlarms = alarms;
    this.canaryAlarm = this.metricSuccessPercent().createAlarm(this, 'CanaryAlarm', {
      alarmDescription: `canary ${this.healthCheckName} failed 2 of its last 3 runs, or did not run`,
      threshold: 100,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    p.alerts.notify(this.canaryAlarm, { severity, runbookUrl: p.runbookUrl });
  }

  /** What the canary does, in its identity policy only (a bucket of another stack is not changed). */
  private grantRuntime(p: z.output<typeof schema>, prefix: string): void {
    const stack = Stack.of(this);
    const add = (sid: string, actions: string[], resources: string[], conditions?: Record<string, unknown>) =>
      this.role.addToPrincipalPolicy(new iam.PolicyStatement({ sid, actions, resources, conditions }));
    const bucket = p.artifactsBucket.bucket;
    // Artifacts: a SecureBucket takes the prefix grant in its bucket policy (no wildcard finding).
    p.artifactsBucket.grantReadWritePrefix(this.role, prefix);
    add('LocateArtifactsBucket', ['s3:GetBucketLocation'], [bucket.bucketArn]);
    add('EncryptArtifacts', ['kms:GenerateDataKey', 'kms:Decrypt'], [p.artifactsBucket.encryptionKey.keyArn]);
    const logGroups = stack.formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: `/aws/lambda/cwsyn-${this.healthCheckName}-*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    add('CanaryLogs', ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], [logGroups]);
    add('ListBuckets', ['s3:ListAllMyBuckets'], ['*']);
    add('Metrics', ['cloudwatch:PutMetricData'], ['*'], {
      StringEquals: { 'cloudwatch:namespace': [SYNTHETICS_NAMESPACE, METRIC_NAMESPACE] },
    });
    add(
      'NetworkInterfaces',
      ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DeleteNetworkInterface'],
      ['*'],
    );
    p.inferenceApi?.grantInvoke(this.role);
    p.inferenceEndpoint?.grantInvoke(this.role);
    const probe = p.featureStoreProbe;
    if (probe) {
      // GetRecord and nothing else (no BatchGetRecord, no DescribeFeatureGroup): the probe's one call.
      add('ReadProbeRecord', [...PROBE_RECORD_ACTIONS], [probe.featureGroup.featureGroupArn]);
      // Every caller of GetRecord needs kms:Decrypt on the online store's key.
      // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_OnlineStoreSecurityConfig.html
      if (probe.featureGroup.encryptionKey)
        add('DecryptProbeRecord', [...PROBE_KEY_ACTIONS], [probe.featureGroup.encryptionKey.keyArn]);
    }
    acknowledge(this.role.policy, `AwsSolutions-IAM5[Resource::${flattenedArn(this, logGroups)}]`, {
      reason:
        'Synthetics names the canary log group /aws/lambda/cwsyn-<canary name>-<id> at run time: the prefix is all that is known',
      ...INHERENT,
    });
    acknowledge(this.role.policy, 'AwsSolutions-IAM5[Resource::*]', {
      reason:
        's3:ListAllMyBuckets, cloudwatch:PutMetricData (namespace-conditioned) and the Lambda ENI actions accept only Resource "*" (Synthetics canary permissions page)',
      ...INHERENT,
    });
  }

  /** `CheckSucceeded` of one check (Minimum over 5 minutes): 1 passed, 0 failed. */
  public metricCheckSucceeded(check: string, options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: METRIC_NAMESPACE,
      metricName: METRICS.checkSucceeded,
      dimensionsMap: { [DIMENSIONS.healthCheck]: this.healthCheckName, [DIMENSIONS.check]: check },
      statistic: 'Minimum',
      period: Duration.minutes(5),
      ...options,
    });
  }

  /** `CheckLatency` of one check in milliseconds (p90 over 5 minutes). */
  public metricCheckLatency(check: string, options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: METRIC_NAMESPACE,
      metricName: METRICS.checkLatency,
      dimensionsMap: { [DIMENSIONS.healthCheck]: this.healthCheckName, [DIMENSIONS.check]: check },
      statistic: 'p90',
      period: Duration.minutes(5),
      ...options,
    });
  }

  /** The canary's `SuccessPercent` (Average over 5 minutes). */
  public metricSuccessPercent(options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.canary.metricSuccessPercent({ period: Duration.minutes(5), ...options });
  }
}

/**
 * The canary's name, a literal (the configuration and the metrics carry it, so it cannot be the
 * canary's own Ref): the construct's unique id in lower case, cut to 21 characters with a hash
 * as aws-cdk-lib does, within the `^[0-9a-z_-]+$` Synthetics allows. It names a resource, so it
 * depends only on the construct path, never on props.
 */
function canaryNameOf(scope: Construct): string {
  const name = Names.uniqueId(scope)
    .toLowerCase()
    .replace(/[^0-9a-z_-]/g, '-');
  if (name.length <= 21) return name;
  return name.slice(0, 15) + createHash('sha256').update(name).digest('hex').slice(0, 6);
}

/**
 * Where the golden request goes and what it is signed for: the API's URL (`execute-api`), or the
 * endpoint's `InvokeEndpoint` URL on the regional SageMaker runtime host (signing name
 * `sagemaker`), which a VPC with the runtime's interface endpoint and private DNS resolves to it.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html
 */
function inferenceTarget(
  stack: Stack,
  p: {
    inferenceApi?: IHealthCheckedApi;
    inferenceEndpoint?: IHealthCheckedEndpoint;
  },
): { url: string; signingService: SigningService } | undefined {
  if (p.inferenceApi) return { url: p.inferenceApi.invocationsUrl, signingService: 'execute-api' };
  if (p.inferenceEndpoint)
    return {
      url: `https://runtime.sagemaker.${stack.region}.${stack.urlSuffix}/endpoints/${p.inferenceEndpoint.endpointName}/invocations`,
      signingService: 'sagemaker',
    };
  return undefined;
}

/** A construct id from a check name (`dependency-pypi` → `DependencyPypi`). */
function idOf(check: string): string {
  return check
    .split('-')
    .map((s) => s.charAt(0).toUpperCase() + s.slice(1))
    .join('');
}
