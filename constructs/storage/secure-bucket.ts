import { Annotations, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IConstruct } from 'constructs';
import { z } from 'zod';
import { acknowledgeControl } from '../core/acknowledge';
import { INHERENT } from '../core/inherent';
import { ScopedRole } from '../core/scoped-role';
import {
  describeValue,
  durationBetween,
  literalList,
  refs,
  throwIfProblems,
  validateProps,
} from '../core/validate';
import { createDomainKey, KeyDomain } from '../encryption/domain-key';
import { OBJECT_READ_ACTIONS, OBJECT_WRITE_ACTIONS, BUCKET_LIST_ACTIONS } from './perms';

/** Object Lock settings: write-once-read-many retention for every new object version. */
export interface ObjectLockOptions {
  /**
   * `GOVERNANCE` lets principals with `s3:BypassGovernanceRetention` shorten retention;
   * `COMPLIANCE` lets no one, not even the account root.
   */
  readonly mode: 'GOVERNANCE' | 'COMPLIANCE';
  /** How long each new object version is protected (1 day to 100 years). */
  readonly retention: Duration;
}

/** One AWS service that must write SSE-S3 objects under one key prefix (see {@link SecureBucketProps.sseS3ServiceWrites}). */
export interface SseS3ServiceWrite {
  /** The service principal, e.g. `cloudtrail.amazonaws.com`. */
  readonly servicePrincipal: string;
  /** The key prefix, e.g. `AWSLogs/111111111111/CloudTrail-Digest/`. */
  readonly prefix: string;
}

/** Props for {@link SecureBucket}. */
export interface SecureBucketProps {
  /**
   * The customer-managed key that encrypts objects (with an S3 Bucket Key).
   * @default - a dedicated key with rotation, created for this bucket
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * The domain of the key created when `encryptionKey` is omitted.
   * @default 'data'
   */
  readonly keyDomain?: KeyDomain;
  /**
   * Where server access logs go.
   * @default - the stack's shared access-log bucket, created on first use
   */
  readonly accessLogsBucket?: s3.IBucket;
  /**
   * Object Lock (WORM) with a default retention for every new object version.
   * @default - Object Lock activated without a default retention (see `objectLockEnabled`)
   */
  readonly objectLock?: ObjectLockOptions;
  /**
   * Activate S3 Object Lock on the bucket and its replica. Without `objectLock` no default retention
   * is set: nothing is locked until someone places a legal hold or a retention on an object version,
   * so erasure stays possible (Control Tower CT.S3.PR.9). Changing it on an existing bucket replaces
   * the bucket (CloudFormation's `ObjectLockEnabled` requires replacement), so set `false` to keep a
   * bucket deployed before Object Lock became the default.
   * @default true
   */
  readonly objectLockEnabled?: boolean;
  /**
   * Key prefixes where one AWS service principal may write objects encrypted with S3-managed keys
   * (`x-amz-server-side-encryption: AES256`), as CloudTrail does for its digest files. Everyone else
   * is still denied any encryption header other than the bucket's key.
   * @default - none
   */
  readonly sseS3ServiceWrites?: SseS3ServiceWrite[];
  /**
   * Keep a replica of every object in a second bucket (same key, Glacier Instant Retrieval).
   * Turning it off trips `S3BucketReplicationEnabled` in HIPAA.Security, NIST.800.53.R5 and PCI.DSS.321.
   * @default true
   */
  readonly replication?: boolean;
  /**
   * How long noncurrent object versions are kept before they expire.
   * @default Duration.days(90)
   */
  readonly noncurrentVersionRetention?: Duration;
  /**
   * Additional lifecycle rules (tiering, expiry). The noncurrent-version and multipart-upload rules are always added.
   * @default - none
   */
  readonly lifecycleRules?: s3.LifecycleRule[];
}

const days = (max: number) => durationBetween(Duration.days(1), Duration.days(max), { unit: 'days' });
const transition = z.strictObject({
  storageClass: z.instanceof(s3.StorageClass, { message: 'is not an s3.StorageClass' }),
  transitionAfter: durationBetween(Duration.days(0), Duration.days(36500), { unit: 'days' }),
});
const LIFECYCLE_ACTIONS = [
  'expiration',
  'transitions',
  'noncurrentVersionExpiration',
  'noncurrentVersionsToRetain',
  'noncurrentVersionTransitions',
  'abortIncompleteMultipartUploadAfter',
] as const;
/**
 * The lifecycle-rule forms SecureBucket accepts, checked before s3.Bucket sees them. Object Lock and
 * versioning stay in charge, so `expiredObjectDeleteMarker` and `expirationDate` are not offered.
 */
const lifecycleRule = z
  .strictObject({
    id: z.string().min(1).max(255).optional(),
    enabled: z.boolean().optional(),
    prefix: z.string().max(1024).optional(),
    tagFilters: z.record(z.string().min(1).max(128), z.string().max(256)).optional(),
    objectSizeGreaterThan: z.number().int().min(0).optional(),
    objectSizeLessThan: z.number().int().min(1).optional(),
    expiration: days(36500).optional(),
    transitions: z.array(transition).min(1).optional(),
    noncurrentVersionExpiration: days(36500).optional(),
    noncurrentVersionsToRetain: z.number().int().min(1).max(100).optional(),
    noncurrentVersionTransitions: z.array(transition).min(1).optional(),
    abortIncompleteMultipartUploadAfter: days(36500).optional(),
  })
  .refine((r) => LIFECYCLE_ACTIONS.some((a) => r[a] !== undefined), {
    message: 'has no action',
    params: { expected: `at least one of ${LIFECYCLE_ACTIONS.join(', ')}` },
  });

const attributesSchema = z.strictObject({ bucket: refs.bucket, encryptionKey: refs.key });

const schema = z.strictObject({
  encryptionKey: refs.key.optional(),
  keyDomain: z.enum(['data', 'models', 'logs', 'audit']).optional(),
  accessLogsBucket: refs.bucket.optional(),
  objectLock: z
    .strictObject({
      mode: z.enum(['GOVERNANCE', 'COMPLIANCE']),
      // s3.ObjectLockRetention compares the value with one day at synth, so it must be a literal.
      retention: durationBetween(Duration.days(1), Duration.days(36500), { unit: 'days', literal: true }),
    })
    .optional(),
  objectLockEnabled: z.boolean().optional(),
  sseS3ServiceWrites: z
    .array(
      z.strictObject({
        servicePrincipal: z.string().regex(/^[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com$/),
        prefix: z.string().min(1).max(1024),
      }),
    )
    .optional(),
  replication: z.boolean().optional(),
  noncurrentVersionRetention: durationBetween(Duration.days(1), Duration.days(3650), {
    unit: 'days',
  }).optional(),
  lifecycleRules: literalList(z.array(lifecycleRule)).optional(),
});

/**
 * A bucket the library's constructs can read from and write to: the bucket, the customer-managed key
 * that encrypts it, and prefix-scoped grants. {@link SecureBucket} and {@link TieredDatasetBucket}
 * are ones; {@link SecureBucket.fromBucketAttributes} makes one of a compliant bucket of yours.
 */
export interface ISecureBucket extends IConstruct {
  /** The bucket. */
  readonly bucket: s3.IBucket;
  /** The customer-managed key that encrypts its objects. */
  readonly encryptionKey: kms.IKey;
  /** The bucket name. */
  readonly bucketName: string;
  /** The bucket ARN. */
  readonly bucketArn: string;
  /** The S3 URI of a key prefix, e.g. `s3://bucket/datasets/`. */
  s3UriForPrefix(prefix?: string): string;
  /** Lets a principal read (and list) objects under a prefix and decrypt them. */
  grantReadPrefix(grantee: iam.IGrantable, prefix?: string): iam.Grant;
  /** Lets a principal write objects under a prefix, encrypting with the bucket's key. */
  grantWritePrefix(grantee: iam.IGrantable, prefix?: string): iam.Grant;
  /** Lets a principal read and write objects under a prefix. */
  grantReadWritePrefix(grantee: iam.IGrantable, prefix?: string): iam.Grant;
}

/** A compliant bucket created outside the library, for {@link SecureBucket.fromBucketAttributes}. */
export interface SecureBucketAttributes {
  /** The bucket (an L2 of the app, or `s3.Bucket.fromBucketName`/`fromBucketArn`). */
  readonly bucket: s3.IBucket;
  /** The customer-managed key that encrypts its objects (SSE-KMS default encryption). */
  readonly encryptionKey: kms.IKey;
}

/**
 * An S3 bucket that passes every policy pack as it stands.
 *
 * Customer-managed key with a Bucket Key, TLS-only, TLS 1.2 minimum, versioned, public access
 * blocked, ACLs disabled, server access logs, retained on stack deletion, a bucket policy that
 * rejects uploads under any other key or encryption type, noncurrent versions expired,
 * incomplete multipart uploads aborted, a replica that expires what the source expires, EventBridge
 * notifications, and Object Lock activated (with a default retention only when `objectLock` asks).
 *
 * Grants go into the bucket policy, scoped to a key prefix, so no identity policy needs a
 * wildcard resource.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html
 */
export class SecureBucket extends Construct implements ISecureBucket {
  /**
   * A secure bucket for a compliant bucket created elsewhere. The library cannot see its settings,
   * so it trusts them (as it trusts an imported key); grants go into the principal's identity
   * policy, because the bucket policy of an imported bucket is not the app's to change.
   */
  public static fromBucketAttributes(
    scope: Construct,
    id: string,
    attrs: SecureBucketAttributes,
  ): ISecureBucket {
    return new ImportedSecureBucket(scope, id, attrs);
  }

  /** The bucket. */
  public readonly bucket: s3.Bucket;
  /** The key that encrypts its objects. */
  public readonly encryptionKey: kms.IKey;
  /** The replica, when replication is on. */
  public readonly replica?: s3.Bucket;
  /** The bucket name. */
  public readonly bucketName: string;
  /** The bucket ARN. */
  public readonly bucketArn: string;

  constructor(scope: Construct, id: string, props: SecureBucketProps = {}) {
    super(scope, id);
    const p = validateProps(this, schema, props);

    throwIfProblems(
      this,
      p.objectLockEnabled === false && p.objectLock
        ? [
            {
              field: 'objectLockEnabled',
              problem: 'cannot be false with an objectLock retention',
              got: 'false',
              expected: 'true or omitted',
            },
          ]
        : [],
    );
    const lockOn = p.objectLockEnabled ?? true;
    this.encryptionKey = p.encryptionKey ?? createDomainKey(this, 'Key', p.keyDomain ?? 'data');
    throwIfProblems(
      this,
      p.accessLogsBucket instanceof s3.Bucket && p.accessLogsBucket.encryptionKey
        ? [
            {
              field: 'accessLogsBucket',
              problem:
                'is encrypted with a KMS key, and S3 delivers server access logs only to SSE-S3 buckets',
              got: describeValue(p.accessLogsBucket),
              expected: 'a bucket with S3-managed encryption, e.g. AccessLogBucket.of(scope).bucket',
            },
          ]
        : [],
    );
    const logs = p.accessLogsBucket
      ? logTarget(this, p.accessLogsBucket)
      : AccessLogBucket.of(this).importedIn(this);
    const noncurrentVersions: s3.LifecycleRule = {
      id: 'expire-noncurrent-versions',
      noncurrentVersionExpiration: p.noncurrentVersionRetention ?? Duration.days(90),
      abortIncompleteMultipartUploadAfter: Duration.days(7),
      expiredObjectDeleteMarker: p.objectLock ? undefined : true,
    };
    // What the source and its replica share: hardened settings, the key, Object Lock (S3 replicates
    // only into a bucket with Object Lock when the source has it) and the log target.
    const common: s3.BucketProps = {
      ...hardenedBucketProps(this.encryptionKey),
      objectLockEnabled: lockOn ? true : undefined,
      objectLockDefaultRetention: lockRetention(p.objectLock),
      serverAccessLogsBucket: logs,
    };
    // CDK warns that it cannot add log delivery to an imported target's policy; ours already has it.
    const logTargetGrantsDelivery = !p.accessLogsBucket || p.accessLogsBucket instanceof s3.Bucket;

    this.bucket = new s3.Bucket(this, 'Resource', {
      ...common,
      serverAccessLogsPrefix: `${this.node.addr}/`,
      lifecycleRules: [noncurrentVersions, ...(p.lifecycleRules ?? [])],
    });
    harden(this.bucket);
    denyOtherKeys(this.bucket, this.encryptionKey, p.sseS3ServiceWrites ?? []);
    if (logTargetGrantsDelivery) ackLogTargetWarning(this.bucket);

    if (p.replication ?? true) {
      const replica = new s3.Bucket(this, 'Replica', {
        ...common,
        serverAccessLogsPrefix: `${this.node.addr}-replica/`,
        // Lifecycle actions are not replicated: the replica expires what the source expires.
        lifecycleRules: [noncurrentVersions, ...replicaExpirations(p.lifecycleRules ?? [])],
      });
      harden(replica);
      denyOtherKeys(replica, this.encryptionKey, p.sseS3ServiceWrites ?? []);
      if (logTargetGrantsDelivery) ackLogTargetWarning(replica);
      acknowledgeControl(replica, 's3Replication', {
        reason:
          'this bucket is the replication target of its SecureBucket; replicating the replica again would recurse',
        ...INHERENT,
      });
      const role = new ScopedRole(this, 'ReplicationRole', {
        assumedBy: new iam.ServicePrincipal('s3.amazonaws.com'),
        description: 'S3 replication of one SecureBucket to its replica',
      });
      // Object-level replication permissions sit in the two bucket policies, scoped to this role.
      this.bucket.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'ReplicationSource',
          principals: [role],
          actions: ['s3:GetReplicationConfiguration', 's3:ListBucket'],
          resources: [this.bucket.bucketArn],
        }),
      );
      this.bucket.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'ReplicationSourceObjects',
          principals: [role],
          actions: [
            's3:GetObjectVersionForReplication',
            's3:GetObjectVersionAcl',
            's3:GetObjectVersionTagging',
            's3:GetObjectRetention',
            's3:GetObjectLegalHold',
          ],
          resources: [this.bucket.arnForObjects('*')],
        }),
      );
      replica.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'ReplicationDestination',
          principals: [role],
          actions: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'],
          resources: [replica.arnForObjects('*')],
        }),
      );
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'ReplicationKey',
          actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
          resources: [this.encryptionKey.keyArn],
        }),
      );
      const cfn = this.bucket.node.defaultChild as s3.CfnBucket;
      cfn.replicationConfiguration = {
        role: role.roleArn,
        rules: [
          {
            id: 'replica',
            status: 'Enabled',
            priority: 1,
            filter: { prefix: '' },
            deleteMarkerReplication: { status: 'Enabled' },
            sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: 'Enabled' } },
            destination: {
              bucket: replica.bucketArn,
              storageClass: 'GLACIER_IR',
              encryptionConfiguration: { replicaKmsKeyId: this.encryptionKey.keyArn },
            },
          },
        ],
      };
      this.replica = replica;
    }

    this.bucketName = this.bucket.bucketName;
    this.bucketArn = this.bucket.bucketArn;
  }

  /** The S3 URI of a key prefix, e.g. `s3://bucket/datasets/`. */
  public s3UriForPrefix(prefix = ''): string {
    return `s3://${this.bucket.bucketName}/${prefix}`;
  }

  /**
   * Lets a principal read objects under a prefix (and list it), through the bucket policy, plus
   * decrypt with the bucket's key through its identity policy.
   */
  public grantReadPrefix(grantee: iam.IGrantable, prefix = ''): iam.Grant {
    return grantPrefix(this, grantee, prefix, 'read', (st) => this.inBucketPolicy(grantee, st));
  }

  /** Lets a principal write (and overwrite) objects under a prefix, encrypting with the bucket's key. */
  public grantWritePrefix(grantee: iam.IGrantable, prefix = ''): iam.Grant {
    return grantPrefix(this, grantee, prefix, 'write', (st) => this.inBucketPolicy(grantee, st));
  }

  /** Lets a principal read and write objects under a prefix. */
  public grantReadWritePrefix(grantee: iam.IGrantable, prefix = ''): iam.Grant {
    this.grantReadPrefix(grantee, prefix);
    return this.grantWritePrefix(grantee, prefix);
  }

  private inBucketPolicy(grantee: iam.IGrantable, st: S3Statement): void {
    this.bucket.addToResourcePolicy(new iam.PolicyStatement({ principals: [grantee.grantPrincipal], ...st }));
  }
}

/** The S3 half of a prefix grant, placed in a bucket policy or an identity policy. */
interface S3Statement {
  readonly actions: string[];
  readonly resources: string[];
  readonly conditions?: Record<string, Record<string, unknown>>;
}

/**
 * One prefix grant, for owned and imported buckets alike: list (reads only, scoped by
 * `s3:prefix`) and object statements through `place`, and the key through the identity policy.
 */
function grantPrefix(
  b: ISecureBucket,
  grantee: iam.IGrantable,
  prefix: string,
  access: 'read' | 'write',
  place: (st: S3Statement) => void,
): iam.Grant {
  if (access === 'read') {
    place({
      actions: [...BUCKET_LIST_ACTIONS],
      resources: [b.bucketArn],
      conditions: prefix ? { StringLike: { 's3:prefix': [`${prefix}*`] } } : undefined,
    });
  }
  place({
    actions: [...(access === 'read' ? OBJECT_READ_ACTIONS : OBJECT_WRITE_ACTIONS)],
    resources: [b.bucket.arnForObjects(`${prefix}*`)],
  });
  return iam.Grant.addToPrincipal({
    grantee,
    actions:
      access === 'read'
        ? ['kms:Decrypt', 'kms:DescribeKey']
        : ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
    resourceArns: [b.encryptionKey.keyArn],
  });
}

/** {@link SecureBucket.fromBucketAttributes}: grants through identity policies only. */
class ImportedSecureBucket extends Construct implements ISecureBucket {
  public readonly bucket: s3.IBucket;
  public readonly encryptionKey: kms.IKey;
  public readonly bucketName: string;
  public readonly bucketArn: string;

  constructor(scope: Construct, id: string, attrs: SecureBucketAttributes) {
    super(scope, id);
    validateProps(this, attributesSchema, attrs);
    this.bucket = attrs.bucket;
    this.encryptionKey = attrs.encryptionKey;
    this.bucketName = attrs.bucket.bucketName;
    this.bucketArn = attrs.bucket.bucketArn;
  }

  public s3UriForPrefix(prefix = ''): string {
    return `s3://${this.bucketName}/${prefix}`;
  }

  public grantReadPrefix(grantee: iam.IGrantable, prefix = ''): iam.Grant {
    return grantPrefix(this, grantee, prefix, 'read', (st) => inIdentityPolicy(grantee, st));
  }

  public grantWritePrefix(grantee: iam.IGrantable, prefix = ''): iam.Grant {
    return grantPrefix(this, grantee, prefix, 'write', (st) => inIdentityPolicy(grantee, st));
  }

  public grantReadWritePrefix(grantee: iam.IGrantable, prefix = ''): iam.Grant {
    this.grantReadPrefix(grantee, prefix);
    return this.grantWritePrefix(grantee, prefix);
  }
}

function inIdentityPolicy(grantee: iam.IGrantable, st: S3Statement): void {
  iam.Grant.addToPrincipal({
    grantee,
    actions: st.actions,
    resourceArns: st.resources,
    conditions: st.conditions,
  });
}

/**
 * A log target the caller created in the app (an L2 s3.Bucket, ACLs disabled) would make s3.Bucket
 * switch it to the legacy LogDeliveryWrite ACL, which BucketOwnerEnforced forbids. As for the
 * shared AccessLogBucket, log delivery is granted in the target's bucket policy instead (for this
 * bucket's prefixes only) and the target is referenced as an import, which CDK leaves alone.
 */
function logTarget(source: SecureBucket, target: s3.IBucket): s3.IBucket {
  if (!(target instanceof s3.Bucket)) return target;
  if (!(target.node.scope instanceof AccessLogBucket)) {
    target.addToResourcePolicy(
      logDelivery(`S3ServerAccessLogs${source.node.addr}`, source, [
        target.arnForObjects(`${source.node.addr}/*`),
        target.arnForObjects(`${source.node.addr}-replica/*`),
      ]),
    );
  }
  return importedLogTarget(source, target);
}

/**
 * Lets S3 server access logging (`logging.s3.amazonaws.com`) write the given objects, for sources
 * in this account only: the bucket-policy grant S3 documents in place of the LogDeliveryWrite ACL.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html#grant-log-delivery-permissions-general
 */
function logDelivery(sid: string, scope: Construct, objects: string[]): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid,
    principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
    actions: ['s3:PutObject'],
    resources: objects,
    conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } },
  });
}

/** A log target as an import inside `scope`: CDK then leaves its policy and ACL alone. */
function importedLogTarget(scope: Construct, target: s3.IBucket): s3.IBucket {
  return s3.Bucket.fromBucketAttributes(scope, 'AccessLogsTarget', {
    bucketArn: target.bucketArn,
    bucketName: target.bucketName,
  });
}

function lockRetention(lock: ObjectLockOptions | undefined): s3.ObjectLockRetention | undefined {
  if (!lock) return undefined;
  return lock.mode === 'COMPLIANCE'
    ? s3.ObjectLockRetention.compliance(lock.retention)
    : s3.ObjectLockRetention.governance(lock.retention);
}

/** What every bucket of this library has, the access-log bucket included: all but encryption. */
const BASELINE_BUCKET_PROPS: s3.BucketProps = {
  enforceSSL: true,
  minimumTLSVersion: 1.2,
  versioned: true,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
  removalPolicy: RemovalPolicy.RETAIN,
};

function hardenedBucketProps(key: kms.IKey): s3.BucketProps {
  return {
    ...BASELINE_BUCKET_PROPS,
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: key,
    bucketKeyEnabled: true,
  };
}

/** The shared access-log bucket grants log delivery in its own policy, which CDK cannot see on an import. */
function ackLogTargetWarning(bucket: s3.Bucket): void {
  Annotations.of(bucket).acknowledgeWarning(
    '@aws-cdk/aws-s3:accessLogsPolicyNotAdded',
    'AccessLogBucket grants logging.s3.amazonaws.com in its own bucket policy',
  );
}

/**
 * The source's expirations, for its replica: lifecycle actions are not replicated, so without them
 * expired datasets, checkpoints and personal data would stay in the replica forever. Transitions are
 * not copied (the replica is already Glacier Instant Retrieval); rules without an expiration are
 * dropped.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-what-is-isnot-replicated.html
 */
function replicaExpirations(rules: readonly s3.LifecycleRule[]): s3.LifecycleRule[] {
  return rules
    .filter((r) => r.expiration !== undefined || r.noncurrentVersionExpiration !== undefined)
    .map((r) => ({
      id: r.id,
      enabled: r.enabled,
      prefix: r.prefix,
      tagFilters: r.tagFilters,
      objectSizeGreaterThan: r.objectSizeGreaterThan,
      objectSizeLessThan: r.objectSizeLessThan,
      expiration: r.expiration,
      noncurrentVersionExpiration: r.noncurrentVersionExpiration,
      noncurrentVersionsToRetain:
        r.noncurrentVersionExpiration !== undefined ? r.noncurrentVersionsToRetain : undefined,
    }));
}

/**
 * Control Tower's proactive controls on every ML bucket, set on the L1:
 * - CT.S3.PR.4: event notifications, to EventBridge (the L2 `eventBridgeEnabled` prop would add a
 *   notifications custom-resource Lambda outside any VPC);
 * - CT.S3.PR.9 (Object Lock activated, `ObjectLockEnabled: true`) comes from the L2's
 *   `objectLockEnabled`; without a default retention no `ObjectLockConfiguration` is written, so
 *   nothing is locked until a legal hold or a retention is placed on an object version.
 *
 * @see https://docs.aws.amazon.com/controltower/latest/controlreference/s3-rules.html
 */
function harden(bucket: s3.Bucket): void {
  const cfn = bucket.node.defaultChild as s3.CfnBucket;
  cfn.notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
}

/**
 * Rejects uploads that name another encryption type or another key than the bucket's own. Only a
 * header that is present and wrong is denied (`Null: false` guard): uploads relying on default
 * encryption send none, and multipart `UploadPart` requests never carry one, so an `...IfExists`
 * operator, which matches an absent key, would deny both.
 *
 * `writes` lets one service principal write SSE-S3 objects under one prefix (CloudTrail's digest
 * files): such principals are exempt from the bucket-wide statement, and a second statement denies
 * them everywhere outside their prefixes.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Null
 */
function denyOtherKeys(bucket: s3.Bucket, key: kms.IKey, writes: readonly SseS3ServiceWrite[]): void {
  const sse = 's3:x-amz-server-side-encryption';
  const keyId = 's3:x-amz-server-side-encryption-aws-kms-key-id';
  const services = [...new Set(writes.map((w) => w.servicePrincipal))];
  bucket.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'DenyOtherEncryption',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:PutObject'],
      resources: [bucket.arnForObjects('*')],
      conditions: {
        StringNotEquals: {
          [sse]: 'aws:kms',
          ...(services.length > 0 ? { 'aws:PrincipalServiceName': services } : {}),
        },
        Null: { [sse]: 'false' },
      },
    }),
  );
  if (writes.length > 0) {
    bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenySseS3OutsideServicePrefixes',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:PutObject'],
        notResources: writes.map((w) => bucket.arnForObjects(`${w.prefix}*`)),
        conditions: { StringNotEquals: { [sse]: 'aws:kms' }, Null: { [sse]: 'false' } },
      }),
    );
  }
  bucket.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'DenyOtherKeys',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:PutObject'],
      resources: [bucket.arnForObjects('*')],
      conditions: { StringNotEquals: { [keyId]: key.keyArn }, Null: { [keyId]: 'false' } },
    }),
  );
}

/**
 * The stack's shared server-access-log bucket. S3 delivers access logs only to buckets encrypted
 * with S3-managed keys, so this one bucket carries the inherent, acknowledged exceptions.
 */
export class AccessLogBucket extends Construct {
  /** Returns the stack's access-log bucket, creating it on first use. */
  public static of(scope: Construct): AccessLogBucket {
    const stack = Stack.of(scope);
    const id = 'ComplianceAccessLogs';
    const existing = stack.node.tryFindChild(id) as AccessLogBucket | undefined;
    return existing ?? new AccessLogBucket(stack, id);
  }

  /** The bucket. */
  public readonly bucket: s3.Bucket;

  /** A reference to the bucket for use as a logging target inside `scope`. */
  public importedIn(scope: Construct): s3.IBucket {
    return importedLogTarget(scope, this.bucket);
  }

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Resource', {
      ...BASELINE_BUCKET_PROPS,
      encryption: s3.BucketEncryption.S3_MANAGED,
      lifecycleRules: [
        {
          id: 'expire-access-logs',
          expiration: Duration.days(365),
          noncurrentVersionExpiration: Duration.days(30),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
    });
    // CT.S3.PR.4 applies to every bucket; Object Lock (CT.S3.PR.9) cannot: S3 does not deliver
    // server access logs to a bucket with Object Lock.
    (this.bucket.node.defaultChild as s3.CfnBucket).notificationConfiguration = {
      eventBridgeConfiguration: { eventBridgeEnabled: true },
    };
    // Log delivery through the bucket policy (not the legacy LogDeliveryWrite ACL), whatever the
    // app's feature flags say: sources reference this bucket as an import, so CDK leaves it alone.
    this.bucket.addToResourcePolicy(
      logDelivery('S3ServerAccessLogsPolicy', this, [this.bucket.arnForObjects('*')]),
    );
    acknowledgeControl(this.bucket, 's3DefaultEncryptionKms', {
      reason:
        'S3 server access logs can only be delivered to buckets encrypted with S3-managed keys (SSE-S3)',
      ...INHERENT,
    });
    acknowledgeControl(this.bucket, 's3Replication', {
      reason:
        'access logs are operational evidence kept for one year; the audit trail holds the replicated record',
      ...INHERENT,
    });
  }
}
