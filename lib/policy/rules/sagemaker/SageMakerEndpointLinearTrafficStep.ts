import { CfnResource } from 'aws-cdk-lib';
import { CfnEndpoint } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import { field, literal, resolved } from '../../rule-helpers';
import { capacityPercentWithin } from './capacity-size';

/** SageMaker rejects a linear traffic shift whose step is outside 10–50 % of the fleet, so the endpoint update fails. */
export const SageMakerEndpointLinearTrafficStep: MLOpsRule = {
  name: 'SageMakerEndpointLinearTrafficStep',
  info: 'The SageMaker endpoint shifts traffic linearly in steps outside 10-50% of capacity: AWS rejects this request.',
  explanation:
    'TrafficRoutingConfiguration.LinearStepSize must be 10-50% of the green fleet capacity (API_TrafficRoutingConfig; deployment-guardrails-blue-green-linear.html); any other value makes CreateEndpoint/UpdateEndpoint fail, so the guarded update never runs. Set LinearStepSize to CAPACITY_PERCENT between 10 and 50. A step given as INSTANCE_COUNT depends on the endpoint config and is not judged. Finding: LinearStepSize.',
  level: NagMessageLevel.ERROR,
  nist: ['CM-3', 'CM-4', 'CP-10'],
  securitySeverity: 3.0,
  resourceTypes: ['AWS::SageMaker::Endpoint'],
  check(node: CfnResource) {
    if (!(node instanceof CfnEndpoint)) return NagRuleCompliance.NOT_APPLICABLE;
    const what = 'DeploymentConfig.BlueGreenUpdatePolicy.TrafficRoutingConfiguration';
    const routing = field(
      resolved(node, node.deploymentConfig),
      'DeploymentConfig',
      'blueGreenUpdatePolicy',
      'trafficRoutingConfiguration',
    );
    if (literal(field(routing, what, 'type'), `${what}.Type`) !== 'LINEAR')
      return NagRuleCompliance.NOT_APPLICABLE;
    // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_TrafficRoutingConfig.html: "Value must be 10-50%".
    return capacityPercentWithin(
      field(routing, what, 'linearStepSize'),
      `${what}.LinearStepSize`,
      10,
      50,
      'LinearStepSize',
    );
  },
};
