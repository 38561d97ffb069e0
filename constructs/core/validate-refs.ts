import { Construct } from 'constructs';
import { z } from 'zod';

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

/** Shared schemas for common construct references. */
export const refs = {
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
