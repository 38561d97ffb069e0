import { ModelDocumentation } from '../../constructs/training/model-documentation';
import { CUSTOMER_CHURN_CONTRACT } from './feature-store';
import type { PlatformStack } from './platform-stack';
import type { PlatformTraining } from './training';

/**
 * The churn registry's model documentation: a model card per version, encrypted with the
 * `models` key, from the customer-churn contract, the pipeline's evaluation report and the bias
 * reports under the review gate's prefix. `compliant-mlops model-doc <model-package-arn>` renders
 * the operations hand-off of a version from the same data.
 */
export function addModelDocumentation(stack: PlatformStack, training: PlatformTraining): ModelDocumentation {
  return new ModelDocumentation(stack, 'ModelDocumentation', {
    registry: training.registry,
    cardEncryptionKey: stack.keys.models,
    contract: CUSTOMER_CHURN_CONTRACT,
    intendedUse:
      'Ranks customers by churn risk for retention offers; not for credit, pricing or employment decisions',
    runbooks: [
      {
        title: 'Update the approval status of a model version',
        url: 'https://docs.aws.amazon.com/sagemaker/latest/dg/model-registry-approve.html',
      },
    ],
    reportsBucket: stack.modelArtifacts,
    reportsPrefixes: [training.reviewGate.reportsPrefix, training.pipeline.evaluationPrefix],
    alerts: stack.alerts,
    vpc: stack.network.vpc,
    vpcSubnets: stack.network.subnets,
    encryptionKey: stack.keys.logs,
  });
}
