import { CfnResource, Stack } from 'aws-cdk-lib';
import { CfnBucket, CfnBucketPolicy } from 'aws-cdk-lib/aws-s3';
import { NagMessageLevel, NagRuleCompliance, NagRules } from 'cdk-nag';
import { MLOpsRule } from '../../rule';
import { field, isObject, list, literal, resolved, UnresolvableError } from '../../rule-helpers';

const SSE = 's3:x-amz-server-side-encryption';
const KEY_ID = 's3:x-amz-server-side-encryption-aws-kms-key-id';
/** The string operators that deny a header whose value differs (with or without a Null guard). */
const NOT_EQUALS = ['StringNotEquals', 'StringNotEqualsIgnoreCase', 'StringNotEqualsIfExists'];

/** The bucket's default SSE-KMS key (as resolved), `null` for the AWS managed key, `undefined` when not SSE-KMS. */
function defaultKmsKey(node: CfnBucket): unknown {
  const rules = list(
    field(resolved(node, node.bucketEncryption), 'BucketEncryption', 'serverSideEncryptionConfiguration'),
    'BucketEncryption.ServerSideEncryptionConfiguration',
  );
  for (const [i, rule] of rules.entries()) {
    const what = `BucketEncryption.ServerSideEncryptionConfiguration.${i}.ServerSideEncryptionByDefault`;
    const algorithm = literal(
      field(rule, what, 'serverSideEncryptionByDefault', 'sseAlgorithm'),
      `${what}.SSEAlgorithm`,
    );
    if (algorithm === 'aws:kms' || algorithm === 'aws:kms:dsse')
      return field(rule, what, 'serverSideEncryptionByDefault', 'kmsMasterKeyId') ?? null;
  }
  return undefined;
}

/** Whether a statement's Action covers s3:PutObject (`s3:PutObject`, `s3:*`, `s3:Put*` or `*`). */
function coversPut(action: unknown, what: string): boolean {
  return list(Array.isArray(action) || action === undefined ? action : [action], what).some((a) => {
    const v = literal(a, what);
    return typeof v === 'string' && ['s3:putobject', 's3:*', 's3:put*', '*'].includes(v.toLowerCase());
  });
}

/** Whether a statement's Principal is everyone (`*` or `{AWS: "*"}`, or a list holding `*`). */
function everyone(principal: unknown, what: string): boolean {
  if (principal === '*') return true;
  const aws = field(principal, what, 'AWS');
  return (Array.isArray(aws) ? aws : [aws]).some((p) => p === '*');
}

/** The value a Deny statement for everyone on s3:PutObject compares `key` against, if it is one. */
function deniedUnless(statement: unknown, what: string, key: string): unknown[] | undefined {
  if (field(statement, what, 'Effect') !== 'Deny') return undefined;
  if (!coversPut(field(statement, what, 'Action'), `${what}.Action`)) return undefined;
  if (!everyone(field(statement, what, 'Principal'), `${what}.Principal`)) return undefined;
  // A deny with NotResource leaves some keys open (e.g. a service's SSE-S3 prefix): not bucket-wide.
  if (field(statement, what, 'NotResource') !== undefined) return undefined;
  for (const op of NOT_EQUALS) {
    const value = field(statement, what, 'Condition', op, key);
    if (value !== undefined) return Array.isArray(value) ? value : [value];
  }
  return undefined;
}

/** Whether a bucket policy names the bucket (by `Ref` to its logical id, or its literal name). */
function namesBucket(policy: CfnBucketPolicy, logicalId: string, bucketName: unknown): boolean {
  const target: unknown = NagRules.resolveResourceFromIntrinsic(policy, policy.bucket);
  return target === logicalId || (typeof bucketName === 'string' && target === bucketName);
}

/**
 * Uploads that name SSE-S3 or another KMS key bypass the bucket's key: SSE-S3 objects are readable
 * by anyone with s3:GetObject, without kms:Decrypt on the key, and objects under a foreign key may be
 * unreadable to the bucket's owners (or readable to the key's).
 */
export const S3BucketDeniesOtherEncryption: MLOpsRule = {
  name: 'S3BucketDeniesOtherEncryption',
  info: "The SSE-KMS bucket's policy does not deny uploads that name another encryption type or another KMS key.",
  explanation:
    'Default encryption applies only to uploads that send no encryption header: a PutObject with x-amz-server-side-encryption AES256 stores an SSE-S3 object (readable with s3:GetObject alone, so the key policy no longer decides who reads it), and one naming another KMS key stores an object the bucket\'s key does not protect. The public packs check only the default encryption. Add bucket-policy Deny statements for Principal "*" on s3:PutObject with StringNotEquals s3:x-amz-server-side-encryption "aws:kms" and StringNotEquals s3:x-amz-server-side-encryption-aws-kms-key-id <the bucket\'s key ARN>, each guarded by Null <key> "false" so that uploads relying on default encryption and multipart UploadPart requests (which carry no header) are not denied (SecureBucket does). Findings name the missing statement: MLOps-S3BucketDeniesOtherEncryption[DenyOtherKeys].',
  level: NagMessageLevel.ERROR,
  nist: ['SC-28', 'SC-28(1)', 'SC-12', 'AC-3'],
  securitySeverity: 5.0,
  resourceTypes: ['AWS::S3::Bucket'],
  check(node: CfnResource) {
    if (!(node instanceof CfnBucket)) return NagRuleCompliance.NOT_APPLICABLE;
    const key = defaultKmsKey(node);
    if (key === undefined) return NagRuleCompliance.NOT_APPLICABLE;
    const logicalId: unknown = NagRules.resolveResourceFromIntrinsic(node, node.ref);
    const bucketName = resolved(node, node.bucketName);
    let otherEncryption = false;
    let otherKeys = false;
    let unresolvable: UnresolvableError | undefined;
    for (const child of Stack.of(node).node.findAll()) {
      if (!(child instanceof CfnBucketPolicy) || typeof logicalId !== 'string') continue;
      if (!namesBucket(child, logicalId, bucketName)) continue;
      try {
        const doc = resolved(child, child.policyDocument);
        const statements = field(doc, 'BucketPolicy.PolicyDocument', 'Statement');
        const all = list(
          isObject(statements) && !('Fn::If' in statements) ? [statements] : statements,
          'BucketPolicy.PolicyDocument.Statement',
        );
        for (const [i, s] of all.entries()) {
          const what = `BucketPolicy.PolicyDocument.Statement.${i}`;
          const sse = deniedUnless(s, what, SSE);
          if (sse !== undefined && sse.length === 1 && literal(sse[0], `${what}.Condition`) === 'aws:kms')
            otherEncryption = true;
          const keys = deniedUnless(s, what, KEY_ID);
          // The allowed key must be the bucket's own default key (the same reference or ARN).
          if (
            keys !== undefined &&
            keys.length === 1 &&
            (key === null || JSON.stringify(keys[0]) === JSON.stringify(key))
          )
            otherKeys = true;
        }
      } catch (e) {
        if (!(e instanceof UnresolvableError)) throw e;
        unresolvable ??= e;
      }
    }
    const findings = [
      ...(otherEncryption ? [] : ['DenyOtherEncryption']),
      ...(otherKeys ? [] : ['DenyOtherKeys']),
    ];
    if (findings.length === 0) return NagRuleCompliance.COMPLIANT;
    // A policy that might hold the denies behind an intrinsic is reported as undecidable, never passed.
    if (unresolvable) throw unresolvable;
    return findings;
  },
};
