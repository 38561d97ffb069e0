import { field, literal } from '../../rule-helpers';
import { endpointCapacityRule } from './capacity-size';

/** SageMaker rejects a linear traffic shift whose step is outside 10–50 % of the fleet, so the endpoint update fails. */
export const SageMakerEndpointLinearTrafficStep = endpointCapacityRule({
  name: 'SageMakerEndpointLinearTrafficStep',
  info: 'The SageMaker endpoint shifts traffic linearly in steps outside 10-50% of capacity: AWS rejects this request.',
  explanation:
    'TrafficRoutingConfiguration.LinearStepSize must be 10-50% of the green fleet capacity (API_TrafficRoutingConfig; deployment-guardrails-blue-green-linear.html); any other value makes CreateEndpoint/UpdateEndpoint fail, so the guarded update never runs. Set LinearStepSize to CAPACITY_PERCENT between 10 and 50. A step given as INSTANCE_COUNT depends on the endpoint config and is not judged. Finding: LinearStepSize.',
  sizeOf(deploymentConfig) {
    const what = 'DeploymentConfig.BlueGreenUpdatePolicy.TrafficRoutingConfiguration';
    const routing = field(
      deploymentConfig,
      'DeploymentConfig',
      'blueGreenUpdatePolicy',
      'trafficRoutingConfiguration',
    );
    if (literal(field(routing, what, 'type'), `${what}.Type`) !== 'LINEAR') return undefined;
    return { size: field(routing, what, 'linearStepSize'), what: `${what}.LinearStepSize` };
  },
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_TrafficRoutingConfig.html: "Value must be 10-50%".
  min: 10,
  max: 50,
  finding: 'LinearStepSize',
});
