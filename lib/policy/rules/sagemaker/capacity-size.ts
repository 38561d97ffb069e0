import { CfnResource } from 'aws-cdk-lib';
import { CfnEndpoint } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import { field, literal, resolved } from '../../rule-helpers';

/**
 * Judges a SageMaker `CapacitySize` (`{ Type, Value }`) that AWS accepts only as a percentage
 * within `[min, max]`: the shape of a blue/green linear step and of a rolling-update batch.
 * A size given as `INSTANCE_COUNT` depends on the endpoint config's instance count and is not
 * judged; an absent size is not applicable. Intrinsics throw through `field`/`literal`, so the
 * rule reports them as unresolvable rather than guessing.
 * @param size the resolved `CapacitySize`, or `undefined`
 * @param what its path in the template, for messages (`DeploymentConfig.RollingUpdatePolicy.MaximumBatchSize`)
 * @param min lowest percentage AWS accepts
 * @param max highest percentage AWS accepts
 * @param finding the granular finding when the percentage is outside the range
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CapacitySize.html
 */
export function capacityPercentWithin(
  size: unknown,
  what: string,
  min: number,
  max: number,
  finding: string,
): NagRuleResult {
  if (size === undefined) return NagRuleCompliance.NOT_APPLICABLE;
  if (literal(field(size, what, 'type'), `${what}.Type`) !== 'CAPACITY_PERCENT')
    return NagRuleCompliance.NOT_APPLICABLE;
  const value = literal(field(size, what, 'value'), `${what}.Value`);
  return typeof value === 'number' && value >= min && value <= max ? NagRuleCompliance.COMPLIANT : [finding];
}

/** What one endpoint capacity rule says and where its `CapacitySize` lies. */
export interface EndpointCapacityRuleSpec extends Pick<MLOpsRule, 'name' | 'info' | 'explanation'> {
  /**
   * The `CapacitySize` to judge, from the endpoint's resolved `DeploymentConfig`, with its
   * template path; `undefined` when the rule does not apply (another update policy).
   */
  readonly sizeOf: (
    deploymentConfig: unknown,
  ) => { readonly size: unknown; readonly what: string } | undefined;
  /** Lowest percentage AWS accepts. */
  readonly min: number;
  /** Highest percentage AWS accepts. */
  readonly max: number;
  /** The granular finding when the percentage is outside the range. */
  readonly finding: string;
}

/**
 * A rule on an `AWS::SageMaker::Endpoint` whose deployment guardrail sizes a step of the update as
 * a percentage AWS bounds: outside the bounds CreateEndpoint/UpdateEndpoint fail, so the guarded
 * update never runs (an error, for change control and recovery: CM-3, CM-4, CP-10).
 */
export function endpointCapacityRule(spec: EndpointCapacityRuleSpec): MLOpsRule {
  return {
    name: spec.name,
    info: spec.info,
    explanation: spec.explanation,
    level: NagMessageLevel.ERROR,
    nist: ['CM-3', 'CM-4', 'CP-10'],
    securitySeverity: 3.0,
    resourceTypes: ['AWS::SageMaker::Endpoint'],
    check(node: CfnResource) {
      if (!(node instanceof CfnEndpoint)) return NagRuleCompliance.NOT_APPLICABLE;
      const located = spec.sizeOf(resolved(node, node.deploymentConfig));
      if (located === undefined) return NagRuleCompliance.NOT_APPLICABLE;
      return capacityPercentWithin(located.size, located.what, spec.min, spec.max, spec.finding);
    },
  };
}
