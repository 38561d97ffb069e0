import { CfnResource, Stack, TagManager, Tags } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

export { DEFAULT_REQUIRED_TAGS } from '../../lib/shared/tags';
import { DEFAULT_REQUIRED_TAGS } from '../../lib/shared/tags';

/** Options for {@link RequiredTags.enforce}. */
export interface RequiredTagsOptions {
  /**
   * The tag keys every taggable resource in the scope must carry.
   * @default DEFAULT_REQUIRED_TAGS (`owner`, `cost-center`, `environment`, `data-classification`)
   */
  readonly keys?: readonly string[];
}

const TAGGED_AT_CREATION_ONLY = Symbol.for('compliant-mlops.taggedAtCreationOnly');

/**
 * Marks a resource whose `Tags` CloudFormation can set only at creation and which has a fixed
 * name (a SageMaker feature group), so that its template carries only tags that never change.
 * {@link RequiredTags.enforce} then counts the stack's own tags for it: CDK passes them to
 * CloudFormation as stack-level tags, which CloudFormation propagates to the resources it creates,
 * outside the template (how it propagates varies by resource type: confirm on an account).
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-resource-tags.html
 */
export function markTaggedAtCreationOnly(resource: CfnResource): void {
  Object.defineProperty(resource, TAGGED_AT_CREATION_ONLY, { value: true });
}

/** Whether {@link markTaggedAtCreationOnly} marked the resource. */
export function isTaggedAtCreationOnly(resource: IConstruct): boolean {
  return (resource as unknown as Record<symbol, unknown>)[TAGGED_AT_CREATION_ONLY] === true;
}

/**
 * The taggable resources under a scope that lack some of the keys, with what each lacks. A
 * resource marked with {@link markTaggedAtCreationOnly} also counts its stack's tags.
 */
export function missingTags(
  scope: IConstruct,
  keys: readonly string[],
): { path: string; missing: string[] }[] {
  const out: { path: string; missing: string[] }[] = [];
  for (const c of scope.node.findAll()) {
    if (!CfnResource.isCfnResource(c) || !TagManager.isTaggable(c)) continue;
    const own = c.tags.tagValues();
    const present = isTaggedAtCreationOnly(c) ? { ...Stack.of(c).tags.tagValues(), ...own } : own;
    const missing = keys.filter((k) => !(k in present) || present[k] === '');
    if (missing.length > 0) out.push({ path: c.node.path, missing });
  }
  return out;
}

/**
 * Enforces cost-allocation tags at synth: every taggable resource in a scope must carry the
 * required keys, or synthesis fails naming each resource and the keys it lacks.
 *
 * Tags applied with `Tags.of()` count: the check runs after aspects, during validation.
 */
export class RequiredTags {
  /** Adds the check to a scope (an app, stage or stack). */
  public static enforce(scope: IConstruct, options: RequiredTagsOptions = {}): void {
    const keys = options.keys ?? DEFAULT_REQUIRED_TAGS;
    if (keys.length === 0 || keys.some((k) => k.trim() === '')) {
      throw new Error(
        `${scope.node.path}: keys: required tag keys must be non-empty strings (got ${JSON.stringify(keys)}; expected at least one non-empty key)`,
      );
    }
    scope.node.addValidation({
      validate: () =>
        missingTags(scope, keys).map(
          ({ path, missing }) =>
            `${path}: tags: missing required cost-allocation tags (got no ${missing.join(', ')}; expected ${keys.join(', ')})`,
        ),
    });
  }

  /** Applies the same tags to every taggable resource in a scope, e.g. the organisation's defaults. */
  public static apply(scope: IConstruct, tags: Readonly<Record<string, string>>): void {
    for (const [k, v] of Object.entries(tags)) Tags.of(scope).add(k, v);
  }
}
