import { Duration, IResource, Resource, ResourceProps, Stack, Token, TokenComparison } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct, IConstruct } from 'constructs';
import { SAGEMAKER_REALTIME_INVOCATION_TIMEOUT } from './defaults';
import { endpointMetric, EndpointMetricName, EndpointMetricOptions } from './endpoint-metrics';
import { ENDPOINT_INVOKE_ACTIONS } from './perms';

// What every endpoint has, created or imported: the IIsolatedEndpoint interface, its grants and
// metrics. IsolatedEndpoint (isolated-endpoint.ts) adds the resources.

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

/** Grants and metrics shared by created and imported endpoints. */
export abstract class EndpointBase extends Resource implements IIsolatedEndpoint {
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

/** An endpoint imported by name or ARN. */
export class ImportedEndpoint extends EndpointBase {
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
export function endpointArnFor(scope: Construct, endpointName: string): string {
  return Stack.of(scope).formatArn({
    service: 'sagemaker',
    resource: 'endpoint',
    resourceName: Token.isUnresolved(endpointName) ? endpointName : endpointName.toLowerCase(),
  });
}
