import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { field, literal } from '../../rule-helpers';

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
