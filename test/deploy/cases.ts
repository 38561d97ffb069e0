import type { Actor, Decision, ReferenceModel, RequestOptions } from './harness';

/**
 * Defects of the synthesized policies that the proof finds, each fixed in its own branch. A case
 * tagged with one expects the behaviour AWS documents, so it fails until the fix lands; it is
 * grouped in a describe block named after the defect, never skipped or weakened.
 */
export const DEFECTS = {
  // None open: every defect the proof found (key administration, CloudTrail key, SecureBucket
  // denies, Lambda logs, rollback alarms, API Gateway account role, starport layers, EventBridge
  // confused deputy on the alert topic) is fixed and its cases pass untagged.
} as const;

/** The name of a defect's describe block. */
export type Defect = (typeof DEFECTS)[keyof typeof DEFECTS];

/** One request of one actor, with the decision AWS must reach. */
export interface AccessCase {
  /** Who asks. */
  readonly actor: Actor;
  /** The IAM action AWS checks. */
  readonly action: string;
  /** Short name of the resource, for test names and the matrix (`Datasets/datasets/churn/…`). */
  readonly resourceLabel: string;
  /** The resource ARN. */
  readonly resource: (m: ReferenceModel) => string;
  /** Context, VPC endpoints, foreign resource policy. */
  readonly options?: (m: ReferenceModel) => RequestOptions;
  /** What AWS must decide. */
  readonly expect: 'allow' | 'deny';
  /** Why the actor makes (or must not make) this call, in a few words. */
  readonly why: string;
  /** The AWS documentation page the request and its context come from. */
  readonly doc: string;
  /** The defect this case shows, while it is not fixed. */
  readonly defect?: Defect;
}

/** A case with its decision. */
export interface Evaluated {
  readonly c: AccessCase;
  readonly decision: Decision;
  readonly ok: boolean;
}

/** The test name of a case. */
export function caseName(m: Pick<ReferenceModel, 'labelOf'>, c: AccessCase): string {
  return `${m.labelOf(c.actor)} ${c.expect === 'allow' ? 'can' : 'cannot'} ${c.action} on ${c.resourceLabel}: ${c.why}`;
}

/** Evaluates one case. */
export async function evaluate(m: ReferenceModel, c: AccessCase): Promise<Evaluated> {
  const decision = await m.can(c.actor, c.action, c.resource(m), c.options?.(m));
  const ok = c.expect === 'allow' ? decision.result === 'Allowed' : decision.result !== 'Allowed';
  return { c, decision, ok };
}

/** The matrix label of an actor, without a model. */
export function labelOfActor(a: Actor): string {
  if ('role' in a) return `role ${a.role}`;
  if ('service' in a) return a.service;
  return a.external;
}

/** Request context of SSE-KMS upload headers. @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/specifying-kms-encryption.html */
export function sseKms(keyArn: string): Record<string, string> {
  return {
    's3:x-amz-server-side-encryption': 'aws:kms',
    's3:x-amz-server-side-encryption-aws-kms-key-id': keyArn,
  };
}

/**
 * Context of a KMS request S3 makes for a caller (SSE-KMS with an S3 Bucket Key: the encryption
 * context is the bucket ARN).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#encryption-context
 */
export function viaS3(m: ReferenceModel, bucket: string): Record<string, string> {
  return {
    'kms:ViaService': `s3.${m.region}.amazonaws.com`,
    'kms:EncryptionContext:aws:s3:arn': m.arn(bucket),
  };
}

/** Context of a KMS request another service makes for a caller (`sqs`, `sns`, `sagemaker`). */
export function via(
  m: ReferenceModel,
  service: string,
  extra: Record<string, string | string[]> = {},
): Record<string, string | string[]> {
  return { 'kms:ViaService': `${service}.${m.region}.amazonaws.com`, ...extra };
}
