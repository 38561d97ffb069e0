import { CfnResource, TagManager, Tags } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** The cost-allocation tags every taggable resource must carry unless configured otherwise. */
export const DEFAULT_REQUIRED_TAGS: readonly string[] = ['owner', 'cost-center', 'environment', 'data-classification'];

/** Options for {@link RequiredTags.enforce}. */
export interface RequiredTagsOptions {
  /**
   * The tag keys every taggable resource in the scope must carry.
   * @default DEFAULT_REQUIRED_TAGS (`owner`, `cost-center`, `environment`, `data-classification`)
   */
  readonly keys?: readonly string[];
}

/** The taggable resources under a scope that lack some of the keys, with what each lacks. */
export function missingTags(scope: IConstruct, keys: readonly string[]): { path: string; missing: string[] }[] {
  const out: { path: string; missing: string[] }[] = [];
  for (const c of scope.node.findAll()) {
    if (!CfnResource.isCfnResource(c) || !TagManager.isTaggable(c)) continue;
    const present = c.tags.tagValues();
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
