import { AspectPriority, Aspects, IAspect, Stack, Tags } from 'aws-cdk-lib';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { acknowledge } from '../core/acknowledge';
import { INHERENT } from '../core/inherent';
import { markTaggedAtCreationOnly } from '../core/tags';

// A feature group's tags are create-only: each group keeps a fixed set in its template.

/**
 * Keeps exactly `fixed` as the feature group's tags: CloudFormation can set a feature group's `Tags`
 * only at creation, so a stack or app tag that changes would replace the group under its fixed name,
 * which CloudFormation refuses. Stack-level tags still reach the group at creation (CloudFormation
 * applies them outside the template), and {@link markTaggedAtCreationOnly} lets
 * `RequiredTags.enforce` count them.
 * @internal
 */
export function fixTags(resource: sagemaker.CfnFeatureGroup, fixed: Record<string, string>): void {
  for (const [key, value] of Object.entries(fixed)) Tags.of(resource).add(key, value, { priority: 300 });
  // After every tag aspect, whatever AspectPriority.MUTATING is configured to be.
  Aspects.of(resource).add(new WithholdTags(Object.keys(fixed)), { priority: AspectPriority.DEFAULT + 100 });
  markTaggedAtCreationOnly(resource);
}

/**
 * Removes every tag but the fixed keys from one feature group, so no tag change reaches its
 * template. A withheld tag the stack itself carries reaches the group as a stack-level tag when
 * CloudFormation creates it, so its `MLOps-SageMakerRequiredTags` finding is acknowledged; a tag
 * applied below the stack reaches nothing and its finding stays.
 */
class WithholdTags implements IAspect {
  private readonly acknowledged = new Set<string>();

  constructor(private readonly keep: readonly string[]) {}

  public visit(node: Construct): void {
    if (!(node instanceof sagemaker.CfnFeatureGroup)) return;
    const stackTags = Stack.of(node).tags.tagValues();
    for (const [key, value] of Object.entries(node.tags.tagValues())) {
      if (this.keep.includes(key)) continue;
      node.tags.removeTag(key, WITHHELD_PRIORITY);
      if (stackTags[key] !== value || this.acknowledged.has(key)) continue;
      this.acknowledged.add(key);
      acknowledge(node, `MLOps-SageMakerRequiredTags[${key}]`, {
        reason: `CloudFormation sets feature group tags only at creation, so the stack tag ${key} is applied to the group as a stack-level tag, not in its template, where a change would replace the group under its fixed name`,
        ...INHERENT,
      });
    }
  }
}

/** Above any priority a tag is applied with in this library or aws-cdk-lib's defaults (100, 200, 300). */
const WITHHELD_PRIORITY = 1000;
