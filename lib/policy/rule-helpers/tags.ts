import { CfnResource, Stack, TagManager } from 'aws-cdk-lib';
import { resolvedValue } from './evaluation';
import { isIntrinsic, isNoValue, isObject, UnresolvableError } from './intrinsics';
import { isSet } from './properties';

/**
 * The tags of a taggable L1 (either tagging interface) as CloudFormation creates them, by key,
 * in the current scenario of the evaluation, or `undefined` when the resource takes no tags.
 *
 * The tags are read as synth renders them: the tag manager's tags (applied with `Tags.of`) and
 * the L1 `Tags` property (where a template loaded with CfnInclude keeps its own), so a `Tags` list
 * behind `Fn::If`, or a tag whose `Value` is an `Fn::If`, is judged branch by branch. A value
 * stays an intrinsic where the template does not fix it (see {@link tagIsSet}); a `Tags` list or
 * a tag `Key` that is an unknown intrinsic throws, because which tags exist is then unknown.
 */
export function tagsOf(node: CfnResource): Record<string, unknown> | undefined {
  let rendered: unknown;
  if (TagManager.isTaggable(node)) rendered = node.tags.renderTags();
  else if (TagManager.isTaggableV2(node))
    rendered = node.cdkTagManager.renderTags((node as { tags?: unknown }).tags);
  else return undefined;
  const stack = Stack.of(node);
  const tags = resolvedValue(stack, stack.resolve(rendered));
  const out: Record<string, unknown> = {};
  if (tags === undefined || tags === null || isNoValue(tags)) return out;
  if (isIntrinsic(tags)) throw new UnresolvableError('Tags', tags);
  if (Array.isArray(tags)) {
    tags.forEach((t: unknown, i) => {
      if (!isObject(t)) return;
      const key = t.Key ?? t.key;
      if (typeof key !== 'string') throw new UnresolvableError(`Tags.${i}.Key`, key);
      out[key] = t.Value ?? t.value;
    });
    return out;
  }
  // A map-shaped tag property (`{ key: value }`).
  if (isObject(tags)) return { ...tags };
  return out;
}

/**
 * Whether a tag value read by {@link tagsOf} is set: a non-blank string, or a reference that
 * always yields one (`Ref`, `Fn::GetAtt`, `Fn::Sub` ...), as {@link isSet} counts it.
 */
export function tagIsSet(value: unknown, key: string): boolean {
  if (typeof value === 'number' || typeof value === 'boolean') return true;
  return isSet(value, `Tags.${key}`);
}
