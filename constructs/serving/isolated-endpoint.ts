import {
  ArnFormat,
  Duration,
  IResource,
  RemovalPolicy,
  Resource,
  ResourceProps,
  Stack,
  TimeZone,
  Token,
  TokenComparison,
} from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct, IConstruct } from 'constructs';
import { acknowledge } from '../core/acknowledge';
import { INHERENT } from '../core/inherent';
import { hasNvmeInstanceStorage } from '../../lib/aws-facts/instance-storage';
import { ScopedRole } from '../core/scoped-role';
import {
  describeValue,
  PropsProblem,
  PropsValidationError,
  throwIfProblems,
  validateProps,
} from '../core/validate';
import { createDomainKey } from '../encryption/domain-key';
import { SecureBucket } from '../storage/secure-bucket';
import {
  DEFAULT_CANARY_PERCENT,
  DEFAULT_CAPTURE_CSV_CONTENT_TYPES,
  DEFAULT_CAPTURE_JSON_CONTENT_TYPES,
  DEFAULT_CAPTURE_SAMPLING_PERCENT,
  DEFAULT_ERROR_THRESHOLD,
  DEFAULT_INSTANCE_COUNT,
  DEFAULT_INSTANCE_TYPE,
  DEFAULT_INVOCATIONS_PER_INSTANCE,
  DEFAULT_LATENCY_P99_THRESHOLD,
  DEFAULT_LINEAR_STEP_PERCENT,
  DEFAULT_ROLLING_BATCH_PERCENT,
  DEFAULT_TERMINATION_WAIT,
  DEFAULT_TRAFFIC_WAIT,
  DEFAULT_UTILIZATION_THRESHOLD_PERCENT,
  isGpuInstanceType,
  GUARDRAIL_DOCS,
  LINEAR_STEP_PERCENT_RANGE,
  MAX_CANARY_PERCENT,
  MIN_SCALABLE_CAPACITY,
  ROLLING_BATCH_PERCENT_RANGE,
  physicalNameFor,
  PROD_MIN_INSTANCE_COUNT,
  SAGEMAKER_REALTIME_INVOCATION_TIMEOUT,
} from './defaults';
import { endpointMetric, EndpointMetricName, EndpointMetricOptions, vcpusOf } from './endpoint-metrics';
import { DeploymentStrategy, IsolatedEndpointProps, isolatedEndpointSchema } from './isolated-endpoint-props';
import {
  ECR_AUTH_ACTIONS,
  ECR_PULL_ACTIONS,
  ENDPOINT_INVOKE_ACTIONS,
  ENDPOINT_LOG_ACTIONS,
  METRIC_PUBLISH_ACTIONS,
  MODEL_ARTIFACT_KEY_ACTIONS,
  MODEL_ARTIFACT_READ_ACTIONS,
  ROLLBACK_ALARM_ACTIONS,
  VPC_DESCRIBE_ACTIONS,
  VPC_ENI_ACTIONS,
} from './perms';

/**
 * A SageMaker real-time endpoint, created here or imported.
 *
 * It is an aws-cdk-lib `sagemaker.IEndpoint`, so aws-cdk-lib's integrations take it as they take
 * their own (`new apigateway.SagemakerIntegration(endpoint)`); `InferenceApi` adds the
 * compliant defaults around the same call.
 */
export interface IIsolatedEndpoint extends sagemaker.IEndpoint {
  /** The endpoint name. @attribute */
  readonly endpointName: string;
  /** The endpoint ARN. @attribute */
  readonly endpointArn: string;
  /** The production variant the metric helpers default to. */
  readonly variantName: string;
  /** The longest one invocation may run (the SageMaker real-time limit, 60 s). */
  readonly invocationTimeout: Duration;
  /**
   * Lets a principal invoke the endpoint (`sagemaker:InvokeEndpoint` on its ARN). A direct
   * InvokeEndpoint reaches only endpoints of the caller's own account and Region; an endpoint
   * elsewhere is reached through an inference router, which calls it with the caller's
   * credentials (so this grant is still needed) and, in another account, only if the owner's
   * endpoint policy allows it.
   * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/inference-router-cross-account.html
   */
  grantInvoke(grantee: iam.IGrantable): iam.Grant;
  /** Any endpoint metric, dimensioned by endpoint and variant. */
  metric(metricName: EndpointMetricName, options?: EndpointMetricOptions): cloudwatch.Metric;
  /** Requests, `Sum` per minute. */
  metricInvocations(options?: EndpointMetricOptions): cloudwatch.Metric;
  /** Requests per instance, `Sum` per minute (what target tracking scales on). */
  metricInvocationsPerInstance(options?: EndpointMetricOptions): cloudwatch.Metric;
  /** 4XX responses of the model, `Sum` per minute. */
  metricInvocation4XXErrors(options?: EndpointMetricOptions): cloudwatch.Metric;
  /** 5XX responses of the model, `Sum` per minute. */
  metricInvocation5XXErrors(options?: EndpointMetricOptions): cloudwatch.Metric;
  /** Time the model takes to respond, microseconds, `p99` per minute. */
  metricModelLatency(options?: EndpointMetricOptions): cloudwatch.Metric;
  /** SageMaker's own overhead, microseconds, `p99` per minute. */
  metricOverheadLatency(options?: EndpointMetricOptions): cloudwatch.Metric;
  /** CPU utilization summed over vCPUs, percent, `Average` per minute. */
  metricCPUUtilization(options?: EndpointMetricOptions): cloudwatch.Metric;
  /** Memory utilization, percent, `Average` per minute. */
  metricMemoryUtilization(options?: EndpointMetricOptions): cloudwatch.Metric;
  /** GPU utilization summed over GPUs, percent, `Average` per minute. */
  metricGPUUtilization(options?: EndpointMetricOptions): cloudwatch.Metric;
  /** Disk utilization, percent, `Average` per minute. */
  metricDiskUtilization(options?: EndpointMetricOptions): cloudwatch.Metric;
}

/** Attributes of an endpoint to import with {@link IsolatedEndpoint.fromEndpointAttributes}. */
export interface IsolatedEndpointAttributes {
  /**
   * The endpoint ARN, `arn:<partition>:sagemaker:<region>:<account>:endpoint/<name>`. Its account
   * and Region become the import's `env`, so metrics of an endpoint in another account or Region
   * read there.
   */
  readonly endpointArn: string;
  /**
   * The production variant the metric helpers default to.
   * @default 'primary'
   */
  readonly variantName?: string;
}

abstract class EndpointBase extends Resource implements IIsolatedEndpoint {
  public abstract readonly endpointName: string;
  public abstract readonly endpointArn: string;
  public abstract readonly variantName: string;
  public readonly invocationTimeout: Duration = SAGEMAKER_REALTIME_INVOCATION_TIMEOUT;

  /** The reference aws-cdk-lib's L1 helpers take (`CfnEndpoint.arnForEndpoint`). */
  public get endpointRef(): sagemaker.EndpointReference {
    return { endpointArn: this.endpointArn };
  }

  public grantInvoke(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: [...ENDPOINT_INVOKE_ACTIONS],
      resourceArns: [this.endpointArn],
    });
  }

  public metric(metricName: EndpointMetricName, options?: EndpointMetricOptions): cloudwatch.Metric {
    return endpointMetric(this.endpointName, this.variantName, metricName, {
      ...this.foreignEnvironment(),
      ...options,
    });
  }

  /**
   * The endpoint's account and Region where they are known to differ from its stack's (an import
   * from another environment); empty otherwise, so same-environment metrics render as before.
   */
  private foreignEnvironment(): { account?: string; region?: string } {
    return environmentDifference(this, this);
  }

  public metricInvocations(options?: EndpointMetricOptions): cloudwatch.Metric {
    return this.metric('Invocations', options);
  }

  public metricInvocationsPerInstance(options?: EndpointMetricOptions): cloudwatch.Metric {
    return this.metric('InvocationsPerInstance', options);
  }

  public metricInvocation4XXErrors(options?: EndpointMetricOptions): cloudwatch.Metric {
    return this.metric('Invocation4XXErrors', options);
  }

  public metricInvocation5XXErrors(options?: EndpointMetricOptions): cloudwatch.Metric {
    return this.metric('Invocation5XXErrors', options);
  }

  public metricModelLatency(options?: EndpointMetricOptions): cloudwatch.Metric {
    return this.metric('ModelLatency', options);
  }

  public metricOverheadLatency(options?: EndpointMetricOptions): cloudwatch.Metric {
    return this.metric('OverheadLatency', options);
  }

  public metricCPUUtilization(options?: EndpointMetricOptions): cloudwatch.Metric {
    return this.metric('CPUUtilization', options);
  }

  public metricMemoryUtilization(options?: EndpointMetricOptions): cloudwatch.Metric {
    return this.metric('MemoryUtilization', options);
  }

  public metricGPUUtilization(options?: EndpointMetricOptions): cloudwatch.Metric {
    return this.metric('GPUUtilization', options);
  }

  public metricDiskUtilization(options?: EndpointMetricOptions): cloudwatch.Metric {
    return this.metric('DiskUtilization', options);
  }
}

/** Alarms of an {@link IsolatedEndpoint}, all notifying the alert topic. */
export interface EndpointAlarms {
  /** 5XX responses (also a rollback alarm). */
  readonly invocation5XXErrors: cloudwatch.Alarm;
  /** 4XX responses: invocation errors of the model (also a rollback alarm). */
  readonly invocation4XXErrors: cloudwatch.Alarm;
  /** ModelLatency p99 (also a rollback alarm). */
  readonly modelLatencyP99: cloudwatch.Alarm;
  /** CPU utilization (instance-based endpoints). */
  readonly cpuUtilization?: cloudwatch.Alarm;
  /** GPU utilization (GPU instance types). */
  readonly gpuUtilization?: cloudwatch.Alarm;
  /** Disk utilization (instance-based endpoints). */
  readonly diskUtilization?: cloudwatch.Alarm;
}

/**
 * A SageMaker real-time endpoint that passes every policy pack: a network-isolated model in the
 * VPC, its image pinned by digest, a least-privileged execution role, CMK-encrypted volumes, data
 * capture to an encrypted prefix, at least two instances in production, blue/green (canary or
 * linear) or rolling deployments that roll back on alarms, target-tracking and scheduled
 * autoscaling that survives configuration changes, and alarms to the platform alert topic.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/realtime-endpoints.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails.html
 */
export class IsolatedEndpoint extends EndpointBase implements iam.IGrantable, ec2.IConnectable {
  /**
   * Imports an endpoint of this stack's account and Region by name; metric helpers default to the
   * variant given.
   */
  public static fromEndpointName(
    scope: Construct,
    id: string,
    endpointName: string,
    variantName = 'primary',
  ): IIsolatedEndpoint {
    const arn = endpointArnFor(scope, endpointName);
    return new ImportedEndpoint(scope, id, { endpointName, endpointArn: arn, variantName });
  }

  /**
   * Imports an endpoint by ARN (`arn:<partition>:sagemaker:<region>:<account>:endpoint/<name>`);
   * the same as {@link IsolatedEndpoint.fromEndpointAttributes} with `endpointArn` and `variantName`.
   */
  public static fromEndpointArn(
    scope: Construct,
    id: string,
    endpointArn: string,
    variantName = 'primary',
  ): IIsolatedEndpoint {
    return IsolatedEndpoint.fromEndpointAttributes(scope, id, { endpointArn, variantName });
  }

  /**
   * Imports an endpoint by its attributes. The account and Region of the ARN become the import's
   * `env` (`environmentFromArn`): its metrics carry them, and `InferenceApi` refuses an endpoint
   * of another account or Region, which a direct InvokeEndpoint cannot reach.
   */
  public static fromEndpointAttributes(
    scope: Construct,
    id: string,
    attrs: IsolatedEndpointAttributes,
  ): IIsolatedEndpoint {
    const endpointArn = attrs.endpointArn;
    const name = Stack.of(scope).splitArn(endpointArn, ArnFormat.SLASH_RESOURCE_NAME).resourceName;
    if (
      !Token.isUnresolved(endpointArn) &&
      (!name || !/^arn:[^:]+:sagemaker:[^:]*:\d{12}:endpoint\//.test(endpointArn))
    ) {
      throwIfProblems(scope, [
        {
          field: 'endpointArn',
          problem: 'is not a SageMaker endpoint ARN',
          got: describeValue(endpointArn),
          expected: 'arn:<partition>:sagemaker:<region>:<account>:endpoint/<name>',
        },
      ]);
    }
    return new ImportedEndpoint(
      scope,
      id,
      { endpointName: name ?? endpointArn, endpointArn, variantName: attrs.variantName ?? 'primary' },
      { environmentFromArn: endpointArn },
    );
  }

  public readonly endpointName: string;
  public readonly endpointArn: string;
  public readonly variantName: string;
  /** The endpoint. */
  public readonly endpoint: sagemaker.CfnEndpoint;
  /** The endpoint configuration (replaced, under a new CloudFormation-generated name, whenever it changes). */
  public readonly endpointConfig: sagemaker.CfnEndpointConfig;
  /** The model of the production variant. */
  public readonly model: sagemaker.CfnModel;
  /** The model of the shadow variant, when there is one. */
  public readonly shadowModel?: sagemaker.CfnModel;
  /** The execution role of the models. */
  public readonly role: ScopedRole;
  /** The execution role: grants to the endpoint (`bucket.grantRead(endpoint)`) land in its policy. */
  public readonly grantPrincipal: iam.IPrincipal;
  /** The models' security group (HTTPS egress only); undefined for serverless. */
  public readonly securityGroup?: ec2.SecurityGroup;
  /** The container log group `/aws/sagemaker/Endpoints/<name>`. */
  public readonly logGroup: logs.LogGroup;
  /**
   * The key of the ML storage volumes; undefined when a variant runs on an instance type with local
   * NVMe storage, whose volumes are hardware-encrypted and for which SageMaker refuses a key.
   */
  public readonly encryptionKey?: kms.IKey;
  /** The S3 URI data capture writes to; undefined for serverless. */
  public readonly captureS3Uri?: string;
  /** The scalable target of the production variant; undefined for serverless or with `autoscaling: false`. */
  public readonly scalableTarget?: appscaling.ScalableTarget;
  /** The alarms. */
  public readonly alarms: EndpointAlarms;
  /** The alarms that roll a deployment back. */
  public readonly rollbackAlarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: IsolatedEndpointProps) {
    super(scope, id);
    const p = validateProps(this, isolatedEndpointSchema, props);
    const serverless = p.serverless;
    const isolation = p.networkIsolation ?? true;
    const count = p.initialInstanceCount ?? DEFAULT_INSTANCE_COUNT;
    const strategy: DeploymentStrategy = p.deploymentStrategy ?? 'canary';
    const minCapacity = p.minCapacity ?? count;
    const maxCapacity = p.maxCapacity ?? Math.max(minCapacity * 2, count);
    const instanceType = p.instanceType ?? DEFAULT_INSTANCE_TYPE;
    const nvmeVariants = p.serverless ? [] : nvmeVariantsOf(p, instanceType);
    throwIfProblems(
      this,
      crossFieldProblems(p, { isolation, count, strategy, minCapacity, maxCapacity, nvmeVariants }),
    );

    this.endpointName = p.endpointName ?? physicalNameFor(this);
    this.endpointArn = endpointArnFor(this, this.endpointName);
    this.variantName = p.variantName ?? 'primary';
    // CreateEndpointConfig fails with KmsKeyId when any variant has local NVMe storage.
    this.encryptionKey =
      nvmeVariants.length > 0 ? undefined : (p.encryptionKey ?? createDomainKey(this, 'Key', 'models'));
    const logKey = p.logEncryptionKey ?? createDomainKey(this, 'LogKey', 'logs');

    // Pre-created so it is encrypted and expires; SageMaker would otherwise create it without either.
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/sagemaker/Endpoints/${this.endpointName}`,
      encryptionKey: logKey,
      retention: p.logRetention ?? logs.RetentionDays.ONE_YEAR,
      // Kept on delete and replacement (evidence), but not after a failed first create: its fixed
      // name would block the retry.
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });

    this.role = new ScopedRole(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: `Execution role of the models of endpoint ${this.endpointName}`,
    });
    this.grantPrincipal = this.role;
    this.grantExecution(
      p.modelBucket,
      [p.modelDataKey, ...(p.shadowVariant ? [p.shadowVariant.modelDataKey] : [])],
      p.imageRepository.repositoryArn,
      p.vpc,
    );

    let vpcConfig: sagemaker.CfnModel.VpcConfigProperty | undefined;
    if (!serverless) {
      this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
        vpc: p.vpc,
        description: `HTTPS egress to AWS endpoints for the models of ${this.endpointName}`,
        allowAllOutbound: false,
      });
      // HTTPS only. Isolated subnets have no route to the internet, so this reaches the interface
      // endpoints (ECR, STS, logs) and the S3 gateway endpoint, whose prefix list is not known offline.
      this.securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to AWS endpoints');
      vpcConfig = {
        subnets: p.vpc.selectSubnets(p.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED })
          .subnetIds,
        securityGroupIds: [this.securityGroup.securityGroupId],
      };
    }

    const makeModel = (modelId: string, digest: string, dataKey: string): sagemaker.CfnModel => {
      const model = new sagemaker.CfnModel(this, modelId, {
        executionRoleArn: this.role.roleArn,
        enableNetworkIsolation: isolation,
        vpcConfig,
        primaryContainer: {
          image: p.imageRepository.repositoryUriForDigest(digest),
          modelDataUrl: p.modelBucket.s3UriForPrefix(dataKey),
          environment: p.containerEnvironment,
          mode: 'SingleModel',
        },
      });
      // SageMaker checks the role's permissions when it creates the model.
      model.node.addDependency(this.role.policy);
      return model;
    };
    this.model = makeModel('Model', p.imageDigest, p.modelDataKey);
    if (p.shadowVariant)
      this.shadowModel = makeModel('ShadowModel', p.shadowVariant.imageDigest, p.shadowVariant.modelDataKey);

    const productionVariant: sagemaker.CfnEndpointConfig.ProductionVariantProperty = serverless
      ? {
          variantName: this.variantName,
          modelName: this.model.attrModelName,
          initialVariantWeight: 1,
          serverlessConfig: {
            memorySizeInMb: serverless.memorySizeMb,
            maxConcurrency: serverless.maxConcurrency,
          },
        }
      : {
          variantName: this.variantName,
          modelName: this.model.attrModelName,
          initialVariantWeight: 1,
          instanceType,
          initialInstanceCount: count,
        };
    const shadowVariants =
      p.shadowVariant && this.shadowModel
        ? [
            {
              variantName: 'shadow',
              modelName: this.shadowModel.attrModelName,
              // Relative to the production variant's weight of 1: the share of requests copied.
              initialVariantWeight: p.shadowVariant.trafficPercent / 100,
              instanceType: p.shadowVariant.instanceType ?? instanceType,
              initialInstanceCount: p.shadowVariant.instanceCount ?? 1,
            },
          ]
        : undefined;

    let dataCaptureConfig: sagemaker.CfnEndpointConfig.DataCaptureConfigProperty | undefined;
    if (!serverless) {
      const captureBucket = p.captureBucket ?? p.modelBucket;
      const prefix = p.capturePrefix ?? `data-capture/${this.endpointName}/`;
      this.captureS3Uri = captureBucket.s3UriForPrefix(prefix);
      // The bucket policy admits only its own key, so captures are encrypted with exactly that key.
      captureBucket.grantWritePrefix(this.role, prefix);
      dataCaptureConfig = {
        enableCapture: true,
        initialSamplingPercentage: p.captureSamplingPercent ?? DEFAULT_CAPTURE_SAMPLING_PERCENT,
        destinationS3Uri: this.captureS3Uri,
        kmsKeyId: captureBucket.encryptionKey.keyArn,
        captureOptions: [{ captureMode: 'Input' }, { captureMode: 'Output' }],
        captureContentTypeHeader: {
          csvContentTypes: p.captureCsvContentTypes ?? DEFAULT_CAPTURE_CSV_CONTENT_TYPES,
          jsonContentTypes: p.captureJsonContentTypes ?? DEFAULT_CAPTURE_JSON_CONTENT_TYPES,
        },
      };
    }

    // No EndpointConfigName (and no ModelName): CloudFormation replaces both on nearly any change
    // (a new digest replaces the model, which replaces the config that points at it) and refuses to
    // replace a resource under the same custom name. Generated names are new on every replacement,
    // and nothing refers to the config by name: alarms, capture prefix and monitors use the endpoint's.
    this.endpointConfig = new sagemaker.CfnEndpointConfig(this, 'Config', {
      kmsKeyId: this.encryptionKey?.keyArn,
      productionVariants: [productionVariant],
      shadowProductionVariants: shadowVariants,
      dataCaptureConfig,
    });

    if (!this.encryptionKey) {
      // The HIPAA, NIST and PCI packs demand KmsKeyId on every endpoint config; AWS rejects it here.
      for (const pack of ['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321']) {
        acknowledge(this.endpointConfig, `${pack}-SageMakerEndpointConfigurationKMSKeyConfigured`, {
          reason: `local NVMe storage of ${[...new Set(nvmeVariants.map((v) => v.instanceType))].join(', ')} is encrypted by a hardware module, and CreateEndpointConfig rejects KmsKeyId for it`,
          ...INHERENT,
        });
      }
    }

    const alarms = this.createAlarms(p, instanceType, !serverless);
    this.alarms = alarms;
    this.rollbackAlarms = [alarms.invocation5XXErrors, alarms.invocation4XXErrors, alarms.modelLatencyP99];
    // Deployment guardrails read the rollback alarms as the execution role; without this a
    // deployment cannot watch them. The model waits for the policy, so the alarms exist first.
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'DescribeRollbackAlarms',
        actions: [...ROLLBACK_ALARM_ACTIONS],
        resources: this.rollbackAlarms.map((a) => a.alarmArn),
      }),
    );

    this.endpoint = new sagemaker.CfnEndpoint(this, 'Resource', {
      endpointName: this.endpointName,
      endpointConfigName: this.endpointConfig.attrEndpointConfigName,
      // Autoscaled instance counts and weights survive a configuration change.
      retainAllVariantProperties: true,
      deploymentConfig: deploymentConfigFor(p, serverless ? 'all-at-once' : strategy, this.rollbackAlarms),
    });
    this.endpoint.node.addDependency(this.logGroup);

    if (!serverless && (p.autoscaling ?? true)) {
      // Registered after the endpoint, so when autoscaling comes back on after an instance type
      // change (see the autoscaling prop) the endpoint update runs with no target registered.
      this.scalableTarget = new appscaling.ScalableTarget(this, 'Scaling', {
        serviceNamespace: appscaling.ServiceNamespace.SAGEMAKER,
        resourceId: `endpoint/${this.endpointName}/variant/${this.variantName}`,
        scalableDimension: 'sagemaker:variant:DesiredInstanceCount',
        minCapacity,
        maxCapacity,
      });
      this.scalableTarget.node.addDependency(this.endpoint);
      this.scalableTarget.scaleToTrackMetric('InvocationsPerInstance', {
        predefinedMetric: appscaling.PredefinedMetric.SAGEMAKER_VARIANT_INVOCATIONS_PER_INSTANCE,
        targetValue: p.targetInvocationsPerInstance ?? DEFAULT_INVOCATIONS_PER_INSTANCE,
        scaleOutCooldown: Duration.minutes(1),
        scaleInCooldown: Duration.minutes(5),
      });
      (p.scheduledCapacity ?? []).forEach((s, i) => {
        this.scalableTarget?.scaleOnSchedule(`Schedule${i}`, {
          schedule: s.schedule,
          minCapacity: s.minCapacity,
          maxCapacity: s.maxCapacity,
          timeZone: s.timeZone ? TimeZone.of(s.timeZone) : undefined,
        });
      });
    }
  }

  /**
   * The models' security group, for `connections.allowTo(...)`; SageMaker invokes the models
   * through its own network, so no ingress is needed to serve. Throws for a serverless endpoint,
   * which runs outside the VPC.
   */
  public get connections(): ec2.Connections {
    if (!this.securityGroup) {
      throw new PropsValidationError(this.node.path, [
        {
          field: 'connections',
          problem: 'a serverless endpoint runs outside the vpc and has no security group',
          got: 'serverless',
          expected: 'an instance-based endpoint (no serverless), whose models run in the vpc',
        },
      ]);
    }
    return this.securityGroup.connections;
  }

  private grantExecution(bucket: SecureBucket, keys: string[], repositoryArn: string, vpc: ec2.IVpc): void {
    const add = (sid: string, actions: string[], resources: string[], conditions?: Record<string, unknown>) =>
      this.role.addToPrincipalPolicy(new iam.PolicyStatement({ sid, actions, resources, conditions }));
    // Exactly the artifact objects, in the identity policy, so a bucket in another stack needs no
    // bucket-policy change (which would make that stack depend on this one).
    add(
      'ReadModelArtifact',
      [...MODEL_ARTIFACT_READ_ACTIONS],
      keys.map((k) => bucket.bucket.arnForObjects(k)),
    );
    add('DecryptModelArtifact', [...MODEL_ARTIFACT_KEY_ACTIONS], [bucket.encryptionKey.keyArn]);
    add('PullImage', [...ECR_PULL_ACTIONS], [repositoryArn]);
    add('RegistryToken', [...ECR_AUTH_ACTIONS], ['*']);
    add('ContainerLogs', [...ENDPOINT_LOG_ACTIONS], [this.logGroup.logGroupArn]);
    add('EndpointMetrics', [...METRIC_PUBLISH_ACTIONS], ['*'], {
      StringEquals: { 'cloudwatch:namespace': '/aws/sagemaker/Endpoints' },
    });
    add('DescribeNetwork', [...VPC_DESCRIBE_ACTIONS], ['*']);
    add('NetworkInterfacesInVpc', [...VPC_ENI_ACTIONS], ['*'], {
      ArnEquals: {
        'ec2:Vpc': Stack.of(this).formatArn({ service: 'ec2', resource: 'vpc', resourceName: vpc.vpcId }),
      },
    });
    acknowledge(this.role.policy, 'AwsSolutions-IAM5[Resource::*]', {
      reason:
        'ecr:GetAuthorizationToken, cloudwatch:PutMetricData (namespace-conditioned), ec2:Describe* and ENI management (VPC-conditioned) accept only Resource "*"',
      ...INHERENT,
    });
  }

  private createAlarms(
    p: IsolatedEndpointProps,
    instanceType: string,
    instanceBased: boolean,
  ): EndpointAlarms {
    const errors = p.errorThreshold ?? DEFAULT_ERROR_THRESHOLD;
    const utilization = p.utilizationThresholdPercent ?? DEFAULT_UTILIZATION_THRESHOLD_PERCENT;
    const notify = new cwActions.SnsAction(p.alertTopic);
    const make = (
      alarmId: string,
      metric: cloudwatch.IMetric,
      threshold: number,
      periods: number,
      description: string,
    ) => {
      const alarm = new cloudwatch.Alarm(this, alarmId, {
        metric,
        threshold,
        evaluationPeriods: periods,
        datapointsToAlarm: periods,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: `${this.endpointName}: ${description}`,
      });
      alarm.addAlarmAction(notify);
      alarm.addOkAction(notify);
      return alarm;
    };
    const latency = p.latencyP99Threshold ?? DEFAULT_LATENCY_P99_THRESHOLD;
    const fiveMinutes = { period: Duration.minutes(5) };
    return {
      invocation5XXErrors: make(
        'Invocation5XXErrorsAlarm',
        this.metricInvocation5XXErrors(),
        errors,
        2,
        `more than ${errors} 5XX responses a minute`,
      ),
      invocation4XXErrors: make(
        'Invocation4XXErrorsAlarm',
        this.metricInvocation4XXErrors(),
        errors,
        2,
        `more than ${errors} invocation errors (4XX) a minute`,
      ),
      modelLatencyP99: make(
        'ModelLatencyAlarm',
        this.metricModelLatency(),
        latency.toMilliseconds() * 1000,
        3,
        `ModelLatency p99 above ${latency.toHumanString()}`,
      ),
      cpuUtilization: instanceBased
        ? make(
            'CPUUtilizationAlarm',
            this.metricCPUUtilization(fiveMinutes),
            utilization * vcpusOf(instanceType),
            3,
            `CPU above ${utilization}% of all vCPUs`,
          )
        : undefined,
      gpuUtilization:
        instanceBased && isGpuInstanceType(instanceType)
          ? make(
              'GPUUtilizationAlarm',
              this.metricGPUUtilization(fiveMinutes),
              utilization,
              3,
              `GPU utilization above ${utilization}%`,
            )
          : undefined,
      diskUtilization: instanceBased
        ? make(
            'DiskUtilizationAlarm',
            this.metricDiskUtilization(fiveMinutes),
            utilization,
            1,
            `disk above ${utilization}%`,
          )
        : undefined,
    };
  }
}

/** Where SageMaker documents that `KmsKeyId` fails for instance types with local storage. */
const CREATE_ENDPOINT_CONFIG_DOC =
  'https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpointConfig.html';

/**
 * The account and Region of `resource` where they are known (both resolved) to differ from those
 * of `scope`'s stack; empty when they match or are only known at deploy time.
 */
export function environmentDifference(
  resource: IResource,
  scope: IConstruct,
): { account?: string; region?: string } {
  const stack = Stack.of(scope);
  const differs = (a: string, b: string) => Token.compareStrings(a, b) === TokenComparison.DIFFERENT;
  return {
    ...(differs(resource.env.account, stack.account) ? { account: resource.env.account } : {}),
    ...(differs(resource.env.region, stack.region) ? { region: resource.env.region } : {}),
  };
}

class ImportedEndpoint extends EndpointBase {
  public readonly endpointName: string;
  public readonly endpointArn: string;
  public readonly variantName: string;

  constructor(
    scope: Construct,
    id: string,
    attrs: { endpointName: string; endpointArn: string; variantName: string },
    props: ResourceProps = {},
  ) {
    super(scope, id, props);
    this.endpointName = attrs.endpointName;
    this.endpointArn = attrs.endpointArn;
    this.variantName = attrs.variantName;
  }
}

/** Endpoint ARNs carry the name in lowercase. */
function endpointArnFor(scope: Construct, endpointName: string): string {
  return Stack.of(scope).formatArn({
    service: 'sagemaker',
    resource: 'endpoint',
    resourceName: Token.isUnresolved(endpointName) ? endpointName : endpointName.toLowerCase(),
  });
}

function deploymentConfigFor(
  p: IsolatedEndpointProps,
  strategy: DeploymentStrategy | 'all-at-once',
  rollbackAlarms: cloudwatch.Alarm[],
): sagemaker.CfnEndpoint.DeploymentConfigProperty {
  const autoRollbackConfiguration = { alarms: rollbackAlarms.map((a) => ({ alarmName: a.alarmName })) };
  const wait = (p.trafficWait ?? DEFAULT_TRAFFIC_WAIT).toSeconds();
  const percent = (value: number) => ({ type: 'CAPACITY_PERCENT', value });
  if (strategy === 'rolling') {
    return {
      autoRollbackConfiguration,
      rollingUpdatePolicy: {
        maximumBatchSize: percent(p.rollingBatchPercent ?? DEFAULT_ROLLING_BATCH_PERCENT),
        rollbackMaximumBatchSize: percent(100),
        waitIntervalInSeconds: wait,
      },
    };
  }
  if (strategy === 'all-at-once') {
    // Serverless variants shift all at once; the old fleet still waits out the rollback alarms.
    return {
      autoRollbackConfiguration,
      blueGreenUpdatePolicy: {
        terminationWaitInSeconds: (p.terminationWait ?? DEFAULT_TERMINATION_WAIT).toSeconds(),
        trafficRoutingConfiguration: { type: 'ALL_AT_ONCE' },
      },
    };
  }
  return {
    autoRollbackConfiguration,
    blueGreenUpdatePolicy: {
      terminationWaitInSeconds: (p.terminationWait ?? DEFAULT_TERMINATION_WAIT).toSeconds(),
      trafficRoutingConfiguration:
        strategy === 'canary'
          ? {
              type: 'CANARY',
              canarySize: percent(p.canaryPercent ?? DEFAULT_CANARY_PERCENT),
              waitIntervalInSeconds: wait,
            }
          : {
              type: 'LINEAR',
              linearStepSize: percent(p.linearStepPercent ?? DEFAULT_LINEAR_STEP_PERCENT),
              waitIntervalInSeconds: wait,
            },
    },
  };
}

/** A variant whose instance type has local NVMe storage, and the prop that chose it. */
interface NvmeVariant {
  readonly field: string;
  readonly instanceType: string;
}

/** The variants on instance types with local NVMe storage (tokens are not known, so not counted). */
function nvmeVariantsOf(p: IsolatedEndpointProps, instanceType: string): NvmeVariant[] {
  const variants: NvmeVariant[] = [{ field: 'instanceType', instanceType }];
  if (p.shadowVariant) {
    variants.push({
      field: p.shadowVariant.instanceType ? 'shadowVariant.instanceType' : 'instanceType',
      instanceType: p.shadowVariant.instanceType ?? instanceType,
    });
  }
  return variants.filter(
    (v) => !Token.isUnresolved(v.instanceType) && hasNvmeInstanceStorage(v.instanceType),
  );
}

function crossFieldProblems(
  p: IsolatedEndpointProps,
  d: {
    isolation: boolean;
    count: number;
    strategy: DeploymentStrategy;
    minCapacity: number;
    maxCapacity: number;
    nvmeVariants: NvmeVariant[];
  },
): PropsProblem[] {
  const problems: PropsProblem[] = [];
  const [nvme] = d.nvmeVariants;
  if (p.encryptionKey && nvme) {
    problems.push({
      field: 'encryptionKey',
      problem:
        'sagemaker rejects a volume key for instance types with local nvme storage, which is hardware-encrypted',
      got: `a key with ${nvme.field} ${describeValue(nvme.instanceType)}`,
      expected: `no encryptionKey, or instance types without instance storage, see ${CREATE_ENDPOINT_CONFIG_DOC}`,
    });
  }
  if (p.serverless && d.isolation) {
    problems.push({
      field: 'serverless',
      problem:
        'serverless inference supports neither VPC nor network isolation, which this endpoint requires',
      got: describeValue(p.serverless),
      expected: 'no serverless (instance-based variants), or networkIsolation: false to accept the finding',
    });
  }
  if (p.serverless && p.shadowVariant) {
    problems.push({
      field: 'shadowVariant',
      problem: 'serverless endpoints take no shadow variant',
      got: 'a shadow variant',
      expected: 'no shadowVariant with serverless',
    });
  }
  if (!p.serverless && p.environment === 'prod' && d.count < PROD_MIN_INSTANCE_COUNT) {
    problems.push({
      field: 'initialInstanceCount',
      problem:
        'a prod endpoint needs at least two instances so SageMaker spreads them across Availability Zones',
      got: String(d.count),
      expected: `>= ${PROD_MIN_INSTANCE_COUNT} when environment is "prod"`,
    });
  }
  if (p.canaryPercent !== undefined && p.canaryPercent > MAX_CANARY_PERCENT) {
    problems.push({
      field: 'canaryPercent',
      problem: 'a canary larger than half the capacity is no longer a canary',
      got: String(p.canaryPercent),
      expected: `<= ${MAX_CANARY_PERCENT} (percent of capacity), see ${GUARDRAIL_DOCS.canary}`,
    });
  }
  const ranges: [keyof IsolatedEndpointProps, { min: number; max: number }, string, string][] = [
    ['linearStepPercent', LINEAR_STEP_PERCENT_RANGE, 'shifts linear steps', GUARDRAIL_DOCS.linear],
    ['rollingBatchPercent', ROLLING_BATCH_PERCENT_RANGE, 'replaces rolling batches', GUARDRAIL_DOCS.rolling],
  ];
  for (const [field, range, what, doc] of ranges) {
    const value = p[field];
    if (typeof value === 'number' && !Token.isUnresolved(value) && (value < range.min || value > range.max)) {
      problems.push({
        field,
        problem: `sagemaker ${what} of ${range.min} to ${range.max} % of the variant's instances`,
        got: String(value),
        expected: `${range.min} to ${range.max}, see ${doc}`,
      });
    }
  }
  const strategyFields: [keyof IsolatedEndpointProps, DeploymentStrategy][] = [
    ['canaryPercent', 'canary'],
    ['linearStepPercent', 'linear'],
    ['rollingBatchPercent', 'rolling'],
  ];
  for (const [field, needs] of strategyFields) {
    if (p[field] !== undefined && d.strategy !== needs) {
      problems.push({
        field,
        problem: `applies only to the "${needs}" deployment strategy`,
        got: `${describeValue(p[field])} with deploymentStrategy "${d.strategy}"`,
        expected: `deploymentStrategy "${needs}", or no ${field}`,
      });
    }
  }
  if (p.terminationWait !== undefined && d.strategy === 'rolling') {
    problems.push({
      field: 'terminationWait',
      problem: 'applies only to blue/green (canary or linear) deployments',
      got: describeValue(p.terminationWait),
      expected: 'no terminationWait with "rolling"',
    });
  }
  if (d.minCapacity > d.maxCapacity) {
    problems.push({
      field: 'maxCapacity',
      problem: 'is below the minimum capacity',
      got: String(d.maxCapacity),
      expected: `>= minCapacity (${d.minCapacity})`,
    });
  }
  if (!p.serverless && p.environment === 'prod' && d.minCapacity < PROD_MIN_INSTANCE_COUNT) {
    problems.push({
      field: 'minCapacity',
      problem: 'autoscaling would take a prod endpoint below two instances',
      got: String(d.minCapacity),
      expected: `>= ${PROD_MIN_INSTANCE_COUNT} when environment is "prod"`,
    });
  }
  (p.scheduledCapacity ?? []).forEach((s, i) => {
    if (s.minCapacity < MIN_SCALABLE_CAPACITY) {
      problems.push({
        field: `scheduledCapacity.${i}.minCapacity`,
        problem:
          'a variant keeps at least one instance under application auto scaling (only inference components scale to zero)',
        got: String(s.minCapacity),
        expected: `>= ${MIN_SCALABLE_CAPACITY}, see ${GUARDRAIL_DOCS.scalingCapacity}`,
      });
    } else if (!p.serverless && p.environment === 'prod' && s.minCapacity < PROD_MIN_INSTANCE_COUNT) {
      problems.push({
        field: `scheduledCapacity.${i}.minCapacity`,
        problem: 'a schedule would take a prod endpoint below two instances',
        got: String(s.minCapacity),
        expected: `>= ${PROD_MIN_INSTANCE_COUNT} when environment is "prod"`,
      });
    }
    if (s.minCapacity > s.maxCapacity) {
      problems.push({
        field: `scheduledCapacity.${i}.maxCapacity`,
        problem: 'is below the scheduled minimum capacity',
        got: String(s.maxCapacity),
        expected: `>= scheduledCapacity.${i}.minCapacity (${s.minCapacity})`,
      });
    }
  });
  if (p.serverless && (p.scheduledCapacity || p.minCapacity !== undefined || p.maxCapacity !== undefined)) {
    problems.push({
      field: 'serverless',
      problem: 'serverless endpoints scale by concurrency, not instances',
      got: 'capacity settings',
      expected: 'no minCapacity, maxCapacity or scheduledCapacity with serverless',
    });
  }
  return problems;
}
