import { Stack } from 'aws-cdk-lib';
import { acknowledge } from '../core/acknowledge';
import { INHERENT } from '../core/inherent';
import { ScopedRole } from '../core/scoped-role';
import { ISecureBucket } from '../storage/secure-bucket';

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

/**
 * Acknowledges the `<prefix>*` wildcard of a bucket grant when it landed in `role`'s own policy,
 * which is where an {@link ISecureBucket} made with `SecureBucket.fromBucketAttributes` puts it
 * (the bucket policy of an imported bucket is not the app's to change). A `SecureBucket` grants in
 * its bucket policy, so its grants leave no such statement and nothing is acknowledged. The
 * wildcard is inherent: the service names the objects under the prefix at run time.
 */
export function acknowledgeIdentityPrefixGrant(
  role: ScopedRole,
  bucket: ISecureBucket,
  prefix: string,
  reason: string,
): void {
  const stack = Stack.of(role);
  const objects = JSON.stringify(stack.resolve(bucket.bucket.arnForObjects(`${prefix}*`)));
  const document = stack.resolve(role.policy.document) as
    { Statement?: { Resource?: unknown }[] } | undefined;
  const granted = (document?.Statement ?? []).some((s) =>
    [s.Resource].flat().some((r) => JSON.stringify(r) === objects),
  );
  if (!granted) return;
  acknowledge(role.policy, `AwsSolutions-IAM5[Resource::${flattenForNag(JSON.parse(objects))}]`, {
    reason,
    ...INHERENT,
  });
}
