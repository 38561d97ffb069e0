/**
 * The text cdk-nag's IAM5 rule shows for a policy resource: intrinsics flattened to `<Ref>` and
 * `<Logical.Attr>`, as its `flattenCfnReference` does, so an acknowledgment names the exact finding.
 */
export function flattenForNag(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v['Fn::Join'])) {
      const [delimiter, items] = v['Fn::Join'] as [string, unknown[]];
      return items.map((i) => flattenForNag(i)).join(delimiter);
    }
    if (v['Fn::Sub'] !== undefined) return flattenForNag(v['Fn::Sub']);
    if (Array.isArray(v['Fn::GetAtt'])) {
      const [resource, attribute] = v['Fn::GetAtt'] as [unknown, unknown];
      return `<${flattenForNag(resource)}.${flattenForNag(attribute)}>`;
    }
    if (v['Fn::ImportValue'] !== undefined) return flattenForNag(v['Fn::ImportValue']);
    if (v.Ref !== undefined) return `<${flattenForNag(v.Ref)}>`;
  }
  return JSON.stringify(value);
}
