import { CfnResource } from 'aws-cdk-lib';
import { CfnEndpointConfig } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import { endpointVariants, field, literal } from '../../rule-helpers';

/** A single instance is a single point of failure: one host or Availability Zone outage takes the endpoint down. */
export const SageMakerEndpointConfigInstanceCount: MLOpsRule = {
  name: 'SageMakerEndpointConfigInstanceCount',
  info: 'A SageMaker production variant starts with fewer than 2 instances.',
  explanation:
    'SageMaker spreads the instances of a variant across Availability Zones only when there are at least two; with one, a host failure or AZ event is an outage. Set InitialInstanceCount to 2 or more for production endpoints. Findings name the variant; serverless variants, and shadow variants (which return no responses), are not checked.',
  level: NagMessageLevel.WARN,
  nist: ['CP-10', 'SC-5', 'SC-36'],
  securitySeverity: 3.0,
  resourceTypes: ['AWS::SageMaker::EndpointConfig'],
  check(node: CfnResource) {
    if (!(node instanceof CfnEndpointConfig)) return NagRuleCompliance.NOT_APPLICABLE;
    const findings: string[] = [];
    let instanceBased = 0;
    for (const { what, label, variant: v, shadow } of endpointVariants(node)) {
      // A shadow variant returns no responses, so its instances failing is no outage:
      // https://docs.aws.amazon.com/sagemaker/latest/dg/shadow-tests-create.html
      if (shadow || field(v, what, 'serverlessConfig') !== undefined) continue;
      instanceBased++;
      const count = literal(field(v, what, 'initialInstanceCount'), `${what}.InitialInstanceCount`);
      if (typeof count !== 'number' || count < 2) findings.push(label);
    }
    if (instanceBased === 0) return NagRuleCompliance.NOT_APPLICABLE;
    return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
  },
};
