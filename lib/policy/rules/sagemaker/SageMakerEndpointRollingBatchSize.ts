import { CfnResource } from 'aws-cdk-lib';
import { CfnEndpoint } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import { field, resolved } from '../../rule-helpers';
import { capacityPercentWithin } from './capacity-size';

/** SageMaker rejects a rolling update whose batch is outside 5–50 % of the fleet, so the endpoint update fails. */
export const SageMakerEndpointRollingBatchSize: MLOpsRule = {
  name: 'SageMakerEndpointRollingBatchSize',
  info: 'The SageMaker endpoint rolls updates in batches outside 5-50% of capacity: AWS rejects this request.',
  explanation:
    'RollingUpdatePolicy.MaximumBatchSize must be between 5% and 50% of the variant capacity (API_RollingUpdatePolicy; deployment-guardrails-rolling.html); any other value makes CreateEndpoint/UpdateEndpoint fail, so the guarded update never runs. Set MaximumBatchSize to CAPACITY_PERCENT between 5 and 50. A batch given as INSTANCE_COUNT depends on the endpoint config and is not judged. Finding: MaximumBatchSize.',
  level: NagMessageLevel.ERROR,
  nist: ['CM-3', 'CM-4', 'CP-10'],
  securitySeverity: 3.0,
  resourceTypes: ['AWS::SageMaker::Endpoint'],
  check(node: CfnResource) {
    if (!(node instanceof CfnEndpoint)) return NagRuleCompliance.NOT_APPLICABLE;
    const what = 'DeploymentConfig.RollingUpdatePolicy.MaximumBatchSize';
    const batch = field(
      resolved(node, node.deploymentConfig),
      'DeploymentConfig',
      'rollingUpdatePolicy',
      'maximumBatchSize',
    );
    // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_RollingUpdatePolicy.html: "between 5% to 50%".
    return capacityPercentWithin(batch, what, 5, 50, 'MaximumBatchSize');
  },
};
