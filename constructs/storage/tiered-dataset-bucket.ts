import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { z } from 'zod';
import { durationBetween, PropsProblem, refs, throwIfProblems, validateProps } from '../core/validate';
import { ISecureBucket, SecureBucket } from './secure-bucket';

/** Props for {@link TieredDatasetBucket}. */
export interface TieredDatasetBucketProps {
  /**
   * The customer-managed key for the datasets.
   * @default - a dedicated `data` key
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Key prefix of the working datasets, which move to Intelligent-Tiering.
   * @default 'datasets/'
   */
  readonly datasetsPrefix?: string;
  /**
   * Key prefix of historical datasets, which move to Glacier Instant Retrieval then Deep Archive.
   * @default 'archive/'
   */
  readonly archivePrefix?: string;
  /**
   * When working datasets move to Intelligent-Tiering.
   * @default Duration.days(0)
   */
  readonly intelligentTieringAfter?: Duration;
  /**
   * When historical datasets move to Glacier Instant Retrieval.
   * @default Duration.days(90)
   */
  readonly glacierInstantRetrievalAfter?: Duration;
  /**
   * When historical datasets move to Glacier Deep Archive.
   * @default Duration.days(365)
   */
  readonly deepArchiveAfter?: Duration;
  /**
   * The retention period: objects expire after it (both prefixes).
   * @default Duration.days(2555) (seven years)
   */
  readonly expireAfter?: Duration;
  /**
   * How long noncurrent versions are kept.
   * @default Duration.days(30)
   */
  readonly noncurrentVersionRetention?: Duration;
  /**
   * Activate S3 Object Lock (`ObjectLockEnabled`) on the bucket and its replica, **without a
   * default retention**: nothing is locked until a legal hold is placed on an object version
   * (`ModelDataLegalHold` holds the versions behind approved models), so erasure requests stay
   * possible for every other version. No retention option is offered here on purpose.
   *
   * Create-time only: CloudFormation replaces a bucket whose `ObjectLockEnabled` changes, and
   * the old bucket is retained with its data, so flipping this on a deployed bucket moves the
   * datasets' home to a new, empty bucket. Keep `false` for a bucket deployed without Object Lock
   * (it then trips Control Tower's proactive control CT.S3.PR.9 where that is on) and enable
   * Object Lock on it outside CloudFormation
   * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-configure.html#object-lock-configure-existing-bucket).
   *
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-s3-bucket.html#cfn-s3-bucket-objectlockenabled
   * @default true
   */
  readonly objectLockEnabled?: boolean;
}

const day = (n: number) => Duration.days(n);
const schema = z.strictObject({
  encryptionKey: refs.key.optional(),
  datasetsPrefix: z
    .string()
    .regex(/^[a-zA-Z0-9!_.*'()-]+(\/[a-zA-Z0-9!_.*'()-]+)*\/$/)
    .optional(),
  archivePrefix: z
    .string()
    .regex(/^[a-zA-Z0-9!_.*'()-]+(\/[a-zA-Z0-9!_.*'()-]+)*\/$/)
    .optional(),
  intelligentTieringAfter: durationBetween(day(0), day(36500), { unit: 'days' }).optional(),
  glacierInstantRetrievalAfter: durationBetween(day(0), day(36500), { unit: 'days' }).optional(),
  deepArchiveAfter: durationBetween(day(0), day(36500), { unit: 'days' }).optional(),
  expireAfter: durationBetween(day(1), day(36500), { unit: 'days' }).optional(),
  noncurrentVersionRetention: durationBetween(day(1), day(3650), { unit: 'days' }).optional(),
  objectLockEnabled: z.boolean().optional(),
});

/**
 * A {@link SecureBucket} for training data whose lifecycle tiers datasets by prefix: working
 * datasets to Intelligent-Tiering, historical ones to Glacier Instant Retrieval and then Deep
 * Archive, everything expiring after the retention period. The tier days are checked against
 * each other: a tier that would start after expiry, or out of order, is a validation error.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html
 */
export class TieredDatasetBucket extends Construct implements ISecureBucket {
  /** The secure bucket underneath. */
  public readonly secureBucket: SecureBucket;
  /** The bucket. */
  public readonly bucket: s3.Bucket;
  /** The key that encrypts it. */
  public readonly encryptionKey: kms.IKey;
  /** Prefix of the working datasets. */
  public readonly datasetsPrefix: string;
  /** Prefix of historical datasets. */
  public readonly archivePrefix: string;

  constructor(scope: Construct, id: string, props: TieredDatasetBucketProps = {}) {
    super(scope, id);
    const p = validateProps(this, schema, props);
    const tiering = p.intelligentTieringAfter ?? day(0);
    const gir = p.glacierInstantRetrievalAfter ?? day(90);
    const deep = p.deepArchiveAfter ?? day(365);
    const expire = p.expireAfter ?? day(2555);
    this.datasetsPrefix = p.datasetsPrefix ?? 'datasets/';
    this.archivePrefix = p.archivePrefix ?? 'archive/';

    const problems: PropsProblem[] = [];
    const d = (x: Duration) => x.toDays();
    const after = (field: string, value: Duration, limit: Duration, limitName: string) => {
      if (!value.isUnresolved() && !limit.isUnresolved() && d(value) >= d(limit)) {
        problems.push({
          field,
          problem: `must come before ${limitName}`,
          got: value.toString(),
          expected: `less than ${limit.toString()}`,
        });
      }
    };
    after('intelligentTieringAfter', tiering, expire, 'expireAfter');
    after('glacierInstantRetrievalAfter', gir, expire, 'expireAfter');
    after('deepArchiveAfter', deep, expire, 'expireAfter');
    after('glacierInstantRetrievalAfter', gir, deep, 'deepArchiveAfter');
    if (
      this.datasetsPrefix.startsWith(this.archivePrefix) ||
      this.archivePrefix.startsWith(this.datasetsPrefix)
    ) {
      problems.push({
        field: 'archivePrefix',
        problem: 'must not overlap datasetsPrefix',
        got: JSON.stringify(this.archivePrefix),
        expected: `a prefix disjoint from ${JSON.stringify(this.datasetsPrefix)}`,
      });
    }
    throwIfProblems(this, problems);

    this.secureBucket = new SecureBucket(this, 'Resource', {
      encryptionKey: p.encryptionKey,
      objectLockEnabled: p.objectLockEnabled ?? true,
      noncurrentVersionRetention: p.noncurrentVersionRetention ?? day(30),
      lifecycleRules: [
        {
          id: 'tier-working-datasets',
          prefix: this.datasetsPrefix,
          transitions: [{ storageClass: s3.StorageClass.INTELLIGENT_TIERING, transitionAfter: tiering }],
          expiration: expire,
        },
        {
          id: 'tier-historical-datasets',
          prefix: this.archivePrefix,
          transitions: [
            { storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: gir },
            { storageClass: s3.StorageClass.DEEP_ARCHIVE, transitionAfter: deep },
          ],
          expiration: expire,
        },
      ],
    });
    this.bucket = this.secureBucket.bucket;
    this.encryptionKey = this.secureBucket.encryptionKey;
  }

  /** The key prefix of one version of a dataset: `<datasetsPrefix><name>/v<version>/`. */
  public datasetPrefix(name: string, version: string): string {
    return `${this.datasetsPrefix}${name}/v${version}/`;
  }

  /** The S3 URI of one version of a dataset. */
  public datasetUri(name: string, version: string): string {
    return this.secureBucket.s3UriForPrefix(this.datasetPrefix(name, version));
  }

  /** The bucket name. */
  public get bucketName(): string {
    return this.secureBucket.bucketName;
  }

  /** The bucket ARN. */
  public get bucketArn(): string {
    return this.secureBucket.bucketArn;
  }

  /** {@inheritDoc ISecureBucket.s3UriForPrefix} */
  public s3UriForPrefix(prefix = ''): string {
    return this.secureBucket.s3UriForPrefix(prefix);
  }

  /** {@inheritDoc ISecureBucket.grantReadPrefix} */
  public grantReadPrefix(grantee: iam.IGrantable, prefix = ''): iam.Grant {
    return this.secureBucket.grantReadPrefix(grantee, prefix);
  }

  /** {@inheritDoc ISecureBucket.grantWritePrefix} */
  public grantWritePrefix(grantee: iam.IGrantable, prefix = ''): iam.Grant {
    return this.secureBucket.grantWritePrefix(grantee, prefix);
  }

  /** {@inheritDoc ISecureBucket.grantReadWritePrefix} */
  public grantReadWritePrefix(grantee: iam.IGrantable, prefix = ''): iam.Grant {
    return this.secureBucket.grantReadWritePrefix(grantee, prefix);
  }

  /** Lets a principal read the datasets under a prefix (default: all working datasets). */
  public grantReadDatasets(grantee: iam.IGrantable, prefix = this.datasetsPrefix): iam.Grant {
    return this.secureBucket.grantReadPrefix(grantee, prefix);
  }

  /** Lets a principal write datasets under a prefix (default: all working datasets). */
  public grantWriteDatasets(grantee: iam.IGrantable, prefix = this.datasetsPrefix): iam.Grant {
    return this.secureBucket.grantWritePrefix(grantee, prefix);
  }
}
