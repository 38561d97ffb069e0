import { field } from '../../rule-helpers';
import { endpointCapacityRule } from './capacity-size';

/** SageMaker rejects a rolling update whose batch is outside 5–50 % of the fleet, so the endpoint update fails. */
export const SageMakerEndpointRollingBatchSize = endpointCapacityRule({
  name: 'SageMakerEndpointRollingBatchSize',
  info: 'The SageMaker endpoint rolls updates in batches outside 5-50% of capacity: AWS rejects this request.',
  explanation:
    'RollingUpdatePolicy.MaximumBatchSize must be between 5% and 50% of the variant capacity (API_RollingUpdatePolicy; deployment-guardrails-rolling.html); any other value makes CreateEndpoint/UpdateEndpoint fail, so the guarded update never runs. Set MaximumBatchSize to CAPACITY_PERCENT between 5 and 50. A batch given as INSTANCE_COUNT depends on the endpoint config and is not judged. Finding: MaximumBatchSize.',
  sizeOf: (deploymentConfig) => ({
    size: field(deploymentConfig, 'DeploymentConfig', 'rollingUpdatePolicy', 'maximumBatchSize'),
    what: 'DeploymentConfig.RollingUpdatePolicy.MaximumBatchSize',
  }),
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_RollingUpdatePolicy.html: "between 5% to 50%".
  min: 5,
  max: 50,
  finding: 'MaximumBatchSize',
});
