import { Construct } from 'constructs';
import { z } from 'zod';
import type { IAlertDestination } from '../monitoring/alert-topic';
import type { ISecureBucket } from '../storage/secure-bucket';

// Construct references in props (`kms.IKey`, `s3.IBucket`, ...), checked by shape.

/**
 * A schema for a construct reference (`kms.IKey`, `s3.IBucket`, ...), checked by the members the
 * interface guarantees, since imported references are not instances of the L2 class.
 */
export function constructRef<T>(typeName: string, members: readonly string[]): z.ZodType<T, T> {
  return z.custom<T>(
    (value) =>
      typeof value === 'object' &&
      value !== null &&
      Construct.isConstruct(value) &&
      members.every((m) => m in (value as object)),
    { params: { expected: typeName }, message: `is not a ${typeName}` },
  );
}

/** Schemas for aws-cdk-lib construct references. */
const cdkRefs = {
  key: constructRef<import('aws-cdk-lib/aws-kms').IKey>('kms.IKey', ['keyArn', 'grantEncryptDecrypt']),
  bucket: constructRef<import('aws-cdk-lib/aws-s3').IBucket>('s3.IBucket', ['bucketArn', 'grantRead']),
  topic: constructRef<import('aws-cdk-lib/aws-sns').ITopic>('sns.ITopic', ['topicArn', 'grantPublish']),
  role: constructRef<import('aws-cdk-lib/aws-iam').IRole>('iam.IRole', ['roleArn', 'grantPassRole']),
  vpc: constructRef<import('aws-cdk-lib/aws-ec2').IVpc>('ec2.IVpc', ['vpcId', 'selectSubnets']),
  securityGroup: constructRef<import('aws-cdk-lib/aws-ec2').ISecurityGroup>('ec2.ISecurityGroup', [
    'securityGroupId',
    'connections',
  ]),
  logGroup: constructRef<import('aws-cdk-lib/aws-logs').ILogGroup>('logs.ILogGroup', ['logGroupArn']),
};

/**
 * An {@link IAlertDestination}: `AlertTopic`, or the plain object `AlertTopic.fromTopic(topic)`
 * returns (not a construct, so checked by its topic and `notify`).
 */
const alerts = z.custom<IAlertDestination>(
  (v) =>
    typeof v === 'object' &&
    v !== null &&
    cdkRefs.topic.safeParse((v as { topic?: unknown }).topic).success &&
    typeof (v as { notify?: unknown }).notify === 'function',
  {
    message: 'is not an IAlertDestination',
    params: { expected: 'an IAlertDestination (an AlertTopic, or AlertTopic.fromTopic(topic))' },
  },
);

/** An {@link ISecureBucket}: SecureBucket, TieredDatasetBucket or SecureBucket.fromBucketAttributes. */
const secureBucket = z.custom<ISecureBucket>(
  (v) =>
    typeof v === 'object' &&
    v !== null &&
    Construct.isConstruct(v) &&
    (['bucket', 'encryptionKey', 's3UriForPrefix', 'grantReadPrefix', 'grantWritePrefix'] as const).every(
      (m) => m in v,
    ),
  {
    message: 'is not an ISecureBucket',
    params: {
      expected: 'an ISecureBucket (SecureBucket, TieredDatasetBucket, or SecureBucket.fromBucketAttributes)',
    },
  },
);

/**
 * Shared schemas for common construct references: aws-cdk-lib's interfaces and the library's own
 * shapes (`alerts`, `secureBucket`), one definition for every construct.
 */
export const refs = { ...cdkRefs, alerts, secureBucket };
