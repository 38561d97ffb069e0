import { ArnFormat, Stack, Token } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { ScopedRole } from '../core/scoped-role';
import { describeValue, PropsValidationError, throwIfProblems, validateProps } from '../core/validate';
import { createDomainKey } from '../encryption/domain-key';
import { physicalNameFor } from './defaults';
import { createEndpointAlarms, EndpointAlarms, rollbackAlarmsOf } from './endpoint-alarms';
import { createAutoscaling } from './endpoint-autoscaling';
import {
  EndpointBase,
  endpointArnFor,
  IIsolatedEndpoint,
  ImportedEndpoint,
  IsolatedEndpointAttributes,
} from './endpoint-base';
import { configureDataCapture, createEndpointConfig } from './endpoint-config';
import { allowRollbackAlarmReads, deploymentConfigFor } from './endpoint-guardrails';
import {
  createContainerLogGroup,
  createModel,
  createModelNetwork,
  grantModelExecution,
} from './endpoint-models';
import { crossFieldProblems, endpointSettings } from './endpoint-validation';
import { IsolatedEndpointProps, isolatedEndpointSchema } from './isolated-endpoint-props';

// The pieces live beside this file, one concern each: endpoint-base (interface, grants, metrics,
// imports), endpoint-validation (derived settings, cross-field rules), endpoint-models (role,
// logs, network, models), endpoint-config (variants, data capture), endpoint-alarms,
// endpoint-guardrails (deployment config, rollback), endpoint-autoscaling.
export type { EndpointAlarms } from './endpoint-alarms';
export { environmentDifference } from './endpoint-base';
export type { IIsolatedEndpoint, IsolatedEndpointAttributes } from './endpoint-base';

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
    const s = endpointSettings(p);
    throwIfProblems(this, crossFieldProblems(p, s));
    const instanceBased = !p.serverless;

    this.endpointName = p.endpointName ?? physicalNameFor(this);
    this.endpointArn = endpointArnFor(this, this.endpointName);
    this.variantName = p.variantName ?? 'primary';
    // CreateEndpointConfig fails with KmsKeyId when any variant has local NVMe storage.
    this.encryptionKey =
      s.nvmeVariants.length > 0 ? undefined : (p.encryptionKey ?? createDomainKey(this, 'Key', 'models'));
    this.logGroup = createContainerLogGroup(this, this.endpointName, p);

    // The models: an execution role with exactly what they need, in the VPC unless serverless.
    this.role = new ScopedRole(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: `Execution role of the models of endpoint ${this.endpointName}`,
    });
    this.grantPrincipal = this.role;
    const artifactKeys = [p.modelDataKey, ...(p.shadowVariant ? [p.shadowVariant.modelDataKey] : [])];
    grantModelExecution(this.role, p, { artifactKeys, logGroup: this.logGroup });
    const network = instanceBased ? createModelNetwork(this, this.endpointName, p) : undefined;
    this.securityGroup = network?.securityGroup;
    const model = { role: this.role, isolation: s.isolation, vpcConfig: network?.vpcConfig };
    this.model = createModel(this, 'Model', p, {
      ...model,
      imageDigest: p.imageDigest,
      modelDataKey: p.modelDataKey,
    });
    if (p.shadowVariant)
      this.shadowModel = createModel(this, 'ShadowModel', p, {
        ...model,
        imageDigest: p.shadowVariant.imageDigest,
        modelDataKey: p.shadowVariant.modelDataKey,
      });

    // The endpoint configuration: variants, volume key, data capture (instance-based only).
    const dataCapture = instanceBased ? configureDataCapture(this.role, this.endpointName, p) : undefined;
    this.captureS3Uri = dataCapture?.s3Uri;
    this.endpointConfig = createEndpointConfig(this, p, s, {
      variantName: this.variantName,
      model: this.model,
      shadowModel: this.shadowModel,
      encryptionKey: this.encryptionKey,
      dataCapture,
    });

    // Alarms, the rollback guardrails that watch them, then the endpoint and its autoscaling.
    this.alarms = createEndpointAlarms(this, this, p, s.instanceType, instanceBased);
    this.rollbackAlarms = rollbackAlarmsOf(this.alarms);
    allowRollbackAlarmReads(this.role, this.rollbackAlarms);
    this.endpoint = new sagemaker.CfnEndpoint(this, 'Resource', {
      endpointName: this.endpointName,
      endpointConfigName: this.endpointConfig.attrEndpointConfigName,
      // Autoscaled instance counts and weights survive a configuration change.
      retainAllVariantProperties: true,
      deploymentConfig: deploymentConfigFor(
        p,
        instanceBased ? s.strategy : 'all-at-once',
        this.rollbackAlarms,
      ),
    });
    this.endpoint.node.addDependency(this.logGroup);
    if (instanceBased && (p.autoscaling ?? true)) {
      this.scalableTarget = createAutoscaling(
        this,
        { resource: this.endpoint, endpointName: this.endpointName, variantName: this.variantName },
        p,
        s,
      );
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
}
