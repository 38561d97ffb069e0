import { Duration, Resource, Token } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { hasNvmeInstanceStorage } from '../../lib/aws-facts/instance-storage';
import { ScopedRole } from '../core/scoped-role';
import { describeValue, PropsProblem, throwIfProblems, validateProps } from '../core/validate';
import { createDomainKey } from '../encryption/domain-key';
import { ISecureBucket } from '../storage/secure-bucket';
import { AsyncEndpointProps, asyncEndpointSchema } from './async-endpoint-props';
import {
  DEFAULT_ERROR_THRESHOLD,
  DEFAULT_INSTANCE_COUNT,
  DEFAULT_INSTANCE_TYPE,
  physicalNameFor,
} from './defaults';
import { endpointArnFor } from './endpoint-base';
import { configureDataCapture, createEndpointConfig } from './endpoint-config';
import { allowRollbackAlarmReads, deploymentConfigFor } from './endpoint-guardrails';
import { INVOCATION_NAMESPACE } from './endpoint-metrics';
import {
  createContainerLogGroup,
  createModel,
  createModelNetwork,
  grantModelExecution,
} from './endpoint-models';
import { EndpointSettings } from './endpoint-validation';
import { IsolatedEndpointProps } from './isolated-endpoint-props';
import { acknowledgeIdentityPrefixGrant } from './nag-ids';
import { ASYNC_INVOKE_ACTIONS, NOTIFICATION_KEY_ACTIONS, NOTIFICATION_PUBLISH_ACTIONS } from './perms';

// SageMaker asynchronous inference: the model, network, execution role, logs, data capture and
// deployment guardrails are the real-time endpoint's (endpoint-models, endpoint-config,
// endpoint-guardrails); this file adds the queue's S3 prefixes, the notification topics,
// backlog scaling down to zero with a wake-up policy, and the async grants and metrics.
// https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference.html

/**
 * The longest an asynchronous invocation may run (`InvocationTimeoutSeconds` at most 3600).
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-invoke-endpoint.html
 */
export const SAGEMAKER_ASYNC_INVOCATION_TIMEOUT = Duration.hours(1);

/**
 * The largest asynchronous request payload (1 GB, read from S3).
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference.html
 */
export const SAGEMAKER_ASYNC_MAX_PAYLOAD_BYTES = 1024 ** 3;

/** Queued requests per instance that the backlog target tracking aims at (the AWS example value). */
export const DEFAULT_BACKLOG_PER_INSTANCE = 5;

/** Metrics only asynchronous endpoints publish, dimensioned by endpoint name alone. */
export const ASYNC_ENDPOINT_METRICS = [
  'ApproximateBacklogSize',
  'ApproximateBacklogSizePerInstance',
  'ApproximateAgeOfOldestRequest',
  'HasBacklogWithoutCapacity',
] as const;

/** An asynchronous endpoint metric. */
export type AsyncEndpointMetricName = (typeof ASYNC_ENDPOINT_METRICS)[number];

/** An asynchronous SageMaker endpoint, created here. */
export interface IAsyncEndpoint extends sagemaker.IEndpoint {
  /** The endpoint name. @attribute */
  readonly endpointName: string;
  /** The endpoint ARN. @attribute */
  readonly endpointArn: string;
  /** The S3 URI callers upload requests under (`InputLocation` of `InvokeEndpointAsync`). */
  readonly inputS3Uri: string;
  /** The S3 URI SageMaker writes responses under. */
  readonly outputS3Uri: string;
  /**
   * Lets a principal queue requests: `sagemaker:InvokeEndpointAsync` on the endpoint and
   * `s3:PutObject` under the input prefix with the I/O bucket's key.
   * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpointAsync.html
   */
  grantInvoke(grantee: iam.IGrantable): iam.Grant;
  /** Lets a principal read responses and failures (the output and failure prefixes) with the key. */
  grantReadResults(grantee: iam.IGrantable): iam.Grant;
  /** An async metric (`AWS/SageMaker`, dimension `EndpointName`), `Average` per minute. */
  metric(metricName: AsyncEndpointMetricName, options?: cloudwatch.MetricOptions): cloudwatch.Metric;
}

/**
 * A SageMaker asynchronous inference endpoint that passes every policy pack: the real-time
 * endpoint's isolated, digest-pinned model in the VPC with CMK volumes, data capture and
 * guarded rollouts, plus requests and results under prefixes of a secure bucket (results
 * encrypted with its key), success and error notifications on KMS-encrypted topics that
 * SageMaker publishes to with the execution role, and backlog autoscaling down to zero instances
 * with a step-scaling policy that wakes the endpoint when a request waits with no instance.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-autoscale.html
 */
export class AsyncEndpoint extends Resource implements IAsyncEndpoint, iam.IGrantable, ec2.IConnectable {
  public readonly endpointName: string;
  public readonly endpointArn: string;
  public readonly inputS3Uri: string;
  public readonly outputS3Uri: string;
  /** The S3 URI SageMaker writes failed responses under. */
  public readonly failureS3Uri: string;
  /** The bucket of requests, responses and failures. */
  public readonly ioBucket: ISecureBucket;
  /** The production variant. */
  public readonly variantName: string;
  /** The endpoint. */
  public readonly endpoint: sagemaker.CfnEndpoint;
  /** The endpoint configuration (with `AsyncInferenceConfig`). */
  public readonly endpointConfig: sagemaker.CfnEndpointConfig;
  /** The model. */
  public readonly model: sagemaker.CfnModel;
  /** The execution role (reads requests, writes results, publishes notifications). */
  public readonly role: ScopedRole;
  /** The execution role. */
  public readonly grantPrincipal: iam.IPrincipal;
  /** The model's security group (HTTPS egress only). */
  public readonly securityGroup: ec2.SecurityGroup;
  /** The container log group `/aws/sagemaker/Endpoints/<name>`. */
  public readonly logGroup: logs.LogGroup;
  /** The key of the ML storage volumes; undefined for instance types with local NVMe storage. */
  public readonly encryptionKey?: kms.IKey;
  /** SageMaker publishes here when an inference succeeds (encrypted with the logs key). */
  public readonly successTopic: sns.Topic;
  /** SageMaker publishes here when an inference fails (encrypted with the logs key). */
  public readonly errorTopic: sns.Topic;
  /** The scalable target; undefined with `autoscaling: false`. */
  public readonly scalableTarget?: appscaling.ScalableTarget;
  /** The alarms: 5XX and 4XX responses (which roll deployments back), and the oldest request's age. */
  public readonly alarms: {
    readonly invocation5XXErrors: cloudwatch.Alarm;
    readonly invocation4XXErrors: cloudwatch.Alarm;
    readonly oldestRequestAge: cloudwatch.Alarm;
  };

  private readonly inputPrefix: string;
  private readonly resultPrefixes: string[];

  constructor(scope: Construct, id: string, props: AsyncEndpointProps) {
    super(scope, id);
    const p = validateProps(this, asyncEndpointSchema, props);
    const instanceType = p.instanceType ?? DEFAULT_INSTANCE_TYPE;
    const count = p.initialInstanceCount ?? DEFAULT_INSTANCE_COUNT;
    const minCapacity = p.minCapacity ?? 0;
    const maxCapacity = p.maxCapacity ?? Math.max(count, 2);
    const nvme = !Token.isUnresolved(instanceType) && hasNvmeInstanceStorage(instanceType);
    throwIfProblems(this, asyncProblems(p, { nvme, instanceType, minCapacity, maxCapacity }));

    this.endpointName = p.endpointName ?? physicalNameFor(this);
    this.endpointArn = endpointArnFor(this, this.endpointName);
    this.variantName = p.variantName ?? 'primary';
    this.encryptionKey = nvme ? undefined : (p.encryptionKey ?? createDomainKey(this, 'Key', 'models'));
    const logKey = p.logEncryptionKey ?? createDomainKey(this, 'LogKey', 'logs');
    // The real-time helpers read the model, network, log and capture fields, which have the same
    // names and meaning here; data capture goes to the I/O bucket.
    this.ioBucket = p.ioBucket ?? p.modelBucket;
    const shared: IsolatedEndpointProps = {
      ...p,
      logEncryptionKey: logKey,
      captureBucket: this.ioBucket,
      minCapacity: Math.max(minCapacity, 1),
    };
    this.logGroup = createContainerLogGroup(this, this.endpointName, shared);

    this.role = new ScopedRole(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: `Execution role of the model of async endpoint ${this.endpointName}`,
    });
    this.grantPrincipal = this.role;
    grantModelExecution(this.role, shared, { artifactKeys: [p.modelDataKey], logGroup: this.logGroup });
    const network = createModelNetwork(this, this.endpointName, shared);
    this.securityGroup = network.securityGroup;
    this.model = createModel(this, 'Model', shared, {
      role: this.role,
      isolation: p.networkIsolation ?? true,
      vpcConfig: network.vpcConfig,
      imageDigest: p.imageDigest,
      modelDataKey: p.modelDataKey,
    });

    // The queue: SageMaker reads each request from the input prefix and writes the response (or
    // the failure) with the execution role, encrypted with the bucket's key.
    const base = `async-inference/${this.endpointName}/`;
    this.inputPrefix = p.inputPrefix ?? `${base}input/`;
    const outputPrefix = p.outputPrefix ?? `${base}output/`;
    const failurePrefix = p.failurePrefix ?? `${base}failure/`;
    this.resultPrefixes = [outputPrefix, failurePrefix];
    this.inputS3Uri = this.ioBucket.s3UriForPrefix(this.inputPrefix);
    this.outputS3Uri = this.ioBucket.s3UriForPrefix(outputPrefix);
    this.failureS3Uri = this.ioBucket.s3UriForPrefix(failurePrefix);
    this.ioBucket.grantReadPrefix(this.role, this.inputPrefix);
    this.ioBucket.grantWritePrefix(this.role, outputPrefix);
    this.ioBucket.grantWritePrefix(this.role, failurePrefix);
    for (const [prefix, what] of [
      [this.inputPrefix, 'callers name each request object under the input prefix at run time'],
      [outputPrefix, 'sagemaker names each response object (<inference id>.out) at run time'],
      [failurePrefix, 'sagemaker names each failure object (<inference id>-error.out) at run time'],
    ] as const) {
      acknowledgeIdentityPrefixGrant(this.role, this.ioBucket, prefix, what);
    }

    // Notifications: SageMaker publishes as the execution role, so the role gets sns:Publish on
    // the two topics and the key's data-key actions (explicit: grantPublish would add the
    // `kms:GenerateDataKey*` wildcard).
    // https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-create-endpoint-prerequisites.html
    // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html
    this.successTopic = new sns.Topic(this, 'SuccessTopic', { masterKey: logKey, enforceSSL: true });
    this.errorTopic = new sns.Topic(this, 'ErrorTopic', { masterKey: logKey, enforceSSL: true });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'PublishNotifications',
        actions: [...NOTIFICATION_PUBLISH_ACTIONS],
        resources: [this.successTopic.topicArn, this.errorTopic.topicArn],
      }),
    );
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'EncryptNotifications',
        actions: [...NOTIFICATION_KEY_ACTIONS],
        resources: [logKey.keyArn],
      }),
    );

    const dataCapture = configureDataCapture(this.role, this.endpointName, shared);
    const settings: EndpointSettings = {
      isolation: p.networkIsolation ?? true,
      count,
      strategy: p.deploymentStrategy ?? 'canary',
      minCapacity,
      maxCapacity,
      instanceType,
      nvmeVariants: nvme ? [{ field: 'instanceType', instanceType }] : [],
    };
    this.endpointConfig = createEndpointConfig(this, shared, settings, {
      variantName: this.variantName,
      model: this.model,
      encryptionKey: this.encryptionKey,
      dataCapture,
    });
    this.endpointConfig.asyncInferenceConfig = {
      clientConfig: { maxConcurrentInvocationsPerInstance: p.maxConcurrentInvocationsPerInstance ?? 1 },
      outputConfig: {
        s3OutputPath: this.outputS3Uri,
        s3FailurePath: this.failureS3Uri,
        // The bucket policy admits only its own key, so results are written with exactly that key.
        kmsKeyId: this.ioBucket.encryptionKey.keyArn,
        notificationConfig: {
          successTopic: this.successTopic.topicArn,
          errorTopic: this.errorTopic.topicArn,
          includeInferenceResponseIn: p.includeResponseInNotifications
            ? ['SUCCESS_NOTIFICATION_TOPIC', 'ERROR_NOTIFICATION_TOPIC']
            : undefined,
        },
      },
    };
    // SageMaker checks that the role may publish and write when it creates the config.
    this.endpointConfig.node.addDependency(this.role.policy);

    this.alarms = this.createAlarms(p);
    const rollbackAlarms = [this.alarms.invocation5XXErrors, this.alarms.invocation4XXErrors];
    allowRollbackAlarmReads(this.role, rollbackAlarms);
    this.endpoint = new sagemaker.CfnEndpoint(this, 'Resource', {
      endpointName: this.endpointName,
      endpointConfigName: this.endpointConfig.attrEndpointConfigName,
      retainAllVariantProperties: true,
      deploymentConfig: deploymentConfigFor(shared, settings.strategy, rollbackAlarms),
    });
    this.endpoint.node.addDependency(this.logGroup);
    if (p.autoscaling ?? true) {
      this.scalableTarget = this.createAutoscaling(minCapacity, maxCapacity, p.targetBacklogPerInstance);
    }
  }

  /** The reference aws-cdk-lib's L1 helpers take. */
  public get endpointRef(): sagemaker.EndpointReference {
    return { endpointArn: this.endpointArn };
  }

  public grantInvoke(grantee: iam.IGrantable): iam.Grant {
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: [...ASYNC_INVOKE_ACTIONS],
      resourceArns: [this.endpointArn],
    });
    this.ioBucket.grantWritePrefix(grantee, this.inputPrefix);
    return grant;
  }

  public grantReadResults(grantee: iam.IGrantable): iam.Grant {
    const [output, failure] = this.resultPrefixes;
    this.ioBucket.grantReadPrefix(grantee, failure);
    return this.ioBucket.grantReadPrefix(grantee, output);
  }

  public metric(
    metricName: AsyncEndpointMetricName,
    options: cloudwatch.MetricOptions = {},
  ): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: INVOCATION_NAMESPACE,
      metricName,
      statistic: 'Average',
      period: Duration.minutes(1),
      ...options,
      dimensionsMap: { EndpointName: this.endpointName, ...options.dimensionsMap },
    });
  }

  /** The model's security group, for `connections.allowTo(...)`. */
  public get connections(): ec2.Connections {
    return this.securityGroup.connections;
  }

  private variantMetric(metricName: string, statistic: string): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: INVOCATION_NAMESPACE,
      metricName,
      statistic,
      period: Duration.minutes(1),
      dimensionsMap: { EndpointName: this.endpointName, VariantName: this.variantName },
    });
  }

  private createAlarms(p: AsyncEndpointProps): AsyncEndpoint['alarms'] {
    const errors = p.errorThreshold ?? DEFAULT_ERROR_THRESHOLD;
    const age = p.oldestRequestAgeThreshold ?? Duration.minutes(30);
    const make = (
      id: string,
      metric: cloudwatch.IMetric,
      threshold: number,
      periods: number,
      what: string,
    ) => {
      const alarm = new cloudwatch.Alarm(this, id, {
        metric,
        threshold,
        evaluationPeriods: periods,
        datapointsToAlarm: periods,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: `${this.endpointName}: ${what}`,
      });
      p.alerts.notify(alarm);
      return alarm;
    };
    return {
      invocation5XXErrors: make(
        'Invocation5XXErrorsAlarm',
        this.variantMetric('Invocation5XXErrors', 'Sum'),
        errors,
        2,
        `more than ${errors} 5XX responses a minute`,
      ),
      invocation4XXErrors: make(
        'Invocation4XXErrorsAlarm',
        this.variantMetric('Invocation4XXErrors', 'Sum'),
        errors,
        2,
        `more than ${errors} invocation errors (4XX) a minute`,
      ),
      // A request that waits this long means the endpoint does not keep up (or does not wake up).
      oldestRequestAge: make(
        'OldestRequestAgeAlarm',
        this.metric('ApproximateAgeOfOldestRequest', { statistic: 'Maximum', period: Duration.minutes(5) }),
        age.toSeconds(),
        1,
        `oldest queued request older than ${age.toHumanString()}`,
      ),
    };
  }

  /**
   * Target tracking on the backlog per instance (it scales in to `minCapacity`, zero by default),
   * and a step-scaling policy that adds an instance when `HasBacklogWithoutCapacity` is 1: at zero
   * instances the backlog per instance is not published, so target tracking alone would never
   * scale out from zero. Registered after the endpoint exists.
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-autoscale.html
   */
  private createAutoscaling(min: number, max: number, target?: number): appscaling.ScalableTarget {
    const scaling = new appscaling.ScalableTarget(this, 'Scaling', {
      serviceNamespace: appscaling.ServiceNamespace.SAGEMAKER,
      resourceId: `endpoint/${this.endpointName}/variant/${this.variantName}`,
      scalableDimension: 'sagemaker:variant:DesiredInstanceCount',
      minCapacity: min,
      maxCapacity: max,
    });
    scaling.node.addDependency(this.endpoint);
    scaling.scaleToTrackMetric('BacklogPerInstance', {
      customMetric: this.metric('ApproximateBacklogSizePerInstance'),
      targetValue: target ?? DEFAULT_BACKLOG_PER_INSTANCE,
      scaleOutCooldown: Duration.minutes(5),
      scaleInCooldown: Duration.minutes(5),
    });
    scaling.scaleOnMetric('WakeUp', {
      metric: this.metric('HasBacklogWithoutCapacity'),
      adjustmentType: appscaling.AdjustmentType.CHANGE_IN_CAPACITY,
      // 0 (no backlog, or capacity) does nothing; 1 (a backlog and no instance) adds one instance:
      // the AWS example's alarm (>= 1 for two minutes) and step (+1 above it).
      scalingSteps: [
        { upper: 1, change: 0 },
        { lower: 1, change: 1 },
      ],
      cooldown: Duration.minutes(5),
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
    });
    return scaling;
  }
}

/** Problems no single prop shows. */
function asyncProblems(
  p: AsyncEndpointProps,
  s: { nvme: boolean; instanceType: string; minCapacity: number; maxCapacity: number },
): PropsProblem[] {
  const problems: PropsProblem[] = [];
  if (p.encryptionKey && s.nvme) {
    problems.push({
      field: 'encryptionKey',
      problem:
        'sagemaker rejects a volume key for instance types with local nvme storage, which is hardware-encrypted',
      got: `a key with instanceType ${describeValue(s.instanceType)}`,
      expected:
        'no encryptionKey, or an instance type without instance storage, see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpointConfig.html',
    });
  }
  if (s.minCapacity > s.maxCapacity) {
    problems.push({
      field: 'maxCapacity',
      problem: 'is below the minimum capacity',
      got: String(s.maxCapacity),
      expected: `>= minCapacity (${s.minCapacity})`,
    });
  }
  const prefixes = [p.inputPrefix, p.outputPrefix, p.failurePrefix].filter(
    (x): x is string => x !== undefined && !Token.isUnresolved(x),
  );
  if (new Set(prefixes).size < prefixes.length) {
    problems.push({
      field: 'inputPrefix',
      problem: 'requests, responses and failures need distinct prefixes',
      got: describeValue(prefixes),
      expected: 'three different prefixes',
    });
  }
  return problems;
}
