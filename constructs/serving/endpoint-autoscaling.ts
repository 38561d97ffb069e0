import { Duration, TimeZone } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { DEFAULT_INVOCATIONS_PER_INSTANCE } from './defaults';
import { EndpointSettings } from './endpoint-validation';
import { IsolatedEndpointProps } from './isolated-endpoint-props';

// Autoscaling of an IsolatedEndpoint's production variant: target tracking on invocations per
// instance, and scheduled capacity for known peaks.
// https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling.html

/**
 * Registers the production variant as a scalable target, after the endpoint: when autoscaling
 * comes back on after an instance type change (see the `autoscaling` prop), the endpoint update
 * then runs with no target registered.
 */
export function createAutoscaling(
  scope: Construct,
  endpoint: {
    readonly resource: sagemaker.CfnEndpoint;
    readonly endpointName: string;
    readonly variantName: string;
  },
  p: IsolatedEndpointProps,
  s: EndpointSettings,
): appscaling.ScalableTarget {
  const target = new appscaling.ScalableTarget(scope, 'Scaling', {
    serviceNamespace: appscaling.ServiceNamespace.SAGEMAKER,
    resourceId: `endpoint/${endpoint.endpointName}/variant/${endpoint.variantName}`,
    scalableDimension: 'sagemaker:variant:DesiredInstanceCount',
    minCapacity: s.minCapacity,
    maxCapacity: s.maxCapacity,
  });
  target.node.addDependency(endpoint.resource);
  target.scaleToTrackMetric('InvocationsPerInstance', {
    predefinedMetric: appscaling.PredefinedMetric.SAGEMAKER_VARIANT_INVOCATIONS_PER_INSTANCE,
    targetValue: p.targetInvocationsPerInstance ?? DEFAULT_INVOCATIONS_PER_INSTANCE,
    scaleOutCooldown: Duration.minutes(1),
    scaleInCooldown: Duration.minutes(5),
  });
  (p.scheduledCapacity ?? []).forEach((c, i) => {
    target.scaleOnSchedule(`Schedule${i}`, {
      schedule: c.schedule,
      minCapacity: c.minCapacity,
      maxCapacity: c.maxCapacity,
      timeZone: c.timeZone ? TimeZone.of(c.timeZone) : undefined,
    });
  });
  return target;
}
