import { CfnResource, Stack, TagManager } from 'aws-cdk-lib';

/** The tags of a taggable L1 (either tagging interface), or `undefined` when it has none. */
export function tagsOf(node: CfnResource): Record<string, string> | undefined {
  if (TagManager.isTaggable(node)) return node.tags.tagValues();
  if (TagManager.isTaggableV2(node)) {
    // A resource loaded with CfnInclude keeps its template tags in the L1 `tags` property, not in
    // the tag manager: read both, the tag manager winning (it is what synth writes).
    return { ...literalTags((node as { tags?: unknown }).tags, node), ...node.cdkTagManager.tagValues() };
  }
  return undefined;
}

function literalTags(raw: unknown, node: CfnResource): Record<string, string> {
  const out: Record<string, string> = {};
  const resolved = Stack.of(node).resolve(raw) as unknown;
  if (!Array.isArray(resolved)) return out;
  for (const t of resolved as Array<Record<string, unknown>>) {
    const key = t?.key ?? t?.Key;
    const value = t?.value ?? t?.Value;
    if (typeof key === 'string' && typeof value === 'string') out[key] = value;
  }
  return out;
}
