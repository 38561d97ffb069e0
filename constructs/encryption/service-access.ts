import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { IConstruct } from 'constructs';
import { describeValue, throwIfProblems } from '../core/validate';
import { KEY_RECORDS } from './key-records';

/**
 * An AWS service use of a key that the library's constructs rely on, each granted by one key-policy
 * statement (its `Sid` below):
 *
 * - `logs` (`CloudWatchLogsEncryption`): CloudWatch Logs encrypts log groups of this account with the key.
 * - `alert-publishers` (`AlertPublishers`): CloudWatch alarms, EventBridge rules and AWS Budgets of this
 *   account publish to an SNS topic encrypted with the key.
 * - `cloudtrail` (`CloudTrailDescribeKey`, `CloudTrailEncryptLogs`, `CloudTrailDecryptWithBucketKey`):
 *   trails of this account encrypt their log files with the key, into a bucket with an S3 Bucket Key.
 * - `queues-and-functions` (`UseThroughDomainServices`): the account's principals use the key through
 *   SQS and Lambda (encrypted queues such as dead-letter queues, encrypted function environments). A
 *   domain key allows it only where its `kms:ViaService` list names both; an app `kms.Key` leaves data
 *   use to IAM policies (its default policy trusts the account), so nothing is added to it.
 */
export type KeyServiceUse = 'logs' | 'alert-publishers' | 'cloudtrail' | 'queues-and-functions';

/** Every {@link KeyServiceUse}. */
export const KEY_SERVICE_USES: readonly KeyServiceUse[] = [
  'logs',
  'alert-publishers',
  'cloudtrail',
  'queues-and-functions',
];

/** The `Sid`s of the statements that grant each use, for error messages and documentation. */
export const KEY_SERVICE_STATEMENT_IDS: Readonly<Record<KeyServiceUse, readonly string[]>> = {
  logs: ['CloudWatchLogsEncryption'],
  'alert-publishers': ['AlertPublishers'],
  cloudtrail: ['CloudTrailDescribeKey', 'CloudTrailEncryptLogs', 'CloudTrailDecryptWithBucketKey'],
  'queues-and-functions': ['UseThroughDomainServices'],
};

/**
 * The key-policy statements that let one AWS service use a key for this stack's account and region.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
 */
export function keyServiceStatements(use: KeyServiceUse, stack: Stack): iam.PolicyStatement[] {
  const { account, region, partition } = stack;
  switch (use) {
    case 'queues-and-functions':
      // Use by the account's own principals: their identity policies decide (see KeyServiceUse).
      return [];
    case 'logs':
      return [
        new iam.PolicyStatement({
          sid: 'CloudWatchLogsEncryption',
          principals: [new iam.ServicePrincipal(`logs.${region}.amazonaws.com`)],
          actions: [
            'kms:Encrypt',
            'kms:Decrypt',
            'kms:ReEncryptFrom',
            'kms:ReEncryptTo',
            'kms:GenerateDataKey',
            'kms:DescribeKey',
          ],
          resources: ['*'],
          conditions: {
            ArnLike: {
              'kms:EncryptionContext:aws:logs:arn': `arn:${partition}:logs:${region}:${account}:log-group:*`,
            },
          },
        }),
      ];
    case 'alert-publishers':
      return [
        new iam.PolicyStatement({
          sid: 'AlertPublishers',
          principals: [
            new iam.ServicePrincipal('cloudwatch.amazonaws.com'),
            new iam.ServicePrincipal('events.amazonaws.com'),
            new iam.ServicePrincipal('budgets.amazonaws.com'),
          ],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: ['*'],
          conditions: { StringEquals: { 'aws:SourceAccount': account } },
        }),
      ];
    case 'cloudtrail': {
      // The domain key serves every trail of the account; a trail's ARN is in its home region.
      const trails = `arn:${partition}:cloudtrail:*:${account}:trail/*`;
      const cloudTrail = new iam.ServicePrincipal('cloudtrail.amazonaws.com');
      return [
        // DescribeKey carries no encryption context, so it is conditioned on the trail alone.
        new iam.PolicyStatement({
          sid: 'CloudTrailDescribeKey',
          principals: [cloudTrail],
          actions: ['kms:DescribeKey'],
          resources: ['*'],
          conditions: { StringLike: { 'aws:SourceArn': trails } },
        }),
        new iam.PolicyStatement({
          sid: 'CloudTrailEncryptLogs',
          principals: [cloudTrail],
          actions: ['kms:GenerateDataKey*'],
          resources: ['*'],
          conditions: {
            StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': trails, 'aws:SourceArn': trails },
          },
        }),
        // The trail bucket uses an S3 Bucket Key: CreateTrail and UpdateTrail need kms:Decrypt.
        new iam.PolicyStatement({
          sid: 'CloudTrailDecryptWithBucketKey',
          principals: [cloudTrail],
          actions: ['kms:Decrypt'],
          resources: ['*'],
          conditions: { StringLike: { 'aws:SourceArn': trails } },
        }),
      ];
    }
  }
}

/**
 * Makes sure a key's policy lets the AWS services a construct relies on use it, or says exactly what
 * is missing. Call it from a construct's constructor with the prop the key came from.
 *
 * - A key created by `createDomainKey` (or `EncryptionKeys`) whose domain covers the uses: nothing to do.
 * - A key of a domain that lacks a use (e.g. the `data` key for a log group): a validation error naming
 *   the missing statements.
 * - An L2 `kms.Key` created in the app: the missing statements are added to its key policy, once.
 * - An imported key (`fromKeyArn`, `fromLookup`, ...): accepted; its policy is out of the app's reach,
 *   and must hold the statements listed in constructs/encryption/README.md.
 *
 * @param scope the construct that uses the key (its path starts the error message)
 * @param field the prop the key came from, e.g. `encryptionKey`
 * @param key the key
 * @param uses the service uses the construct relies on
 * @throws PropsValidationError when a domain key lacks a use
 */
export function requireKeyServiceAccess(
  scope: IConstruct,
  field: string,
  key: kms.IKey,
  uses: readonly KeyServiceUse[],
): void {
  const record = KEY_RECORDS.get(key);
  if (record?.origin === 'domain-key') {
    const missing = uses.filter((u) => !record.uses.has(u));
    throwIfProblems(
      scope,
      missing.map((use) => ({
        field,
        problem: `is ${/^[aeiou]/.test(record.domain ?? '') ? 'an' : 'a'} ${record.domain} key whose policy lacks the ${KEY_SERVICE_STATEMENT_IDS[use].join(', ')} statement${
          KEY_SERVICE_STATEMENT_IDS[use].length > 1 ? 's' : ''
        } (${use})`,
        got: describeValue(key),
        expected: `a key whose policy allows ${use}, e.g. ${domainsFor(use)}`,
      })),
    );
    return;
  }
  if (key instanceof kms.Key) {
    const known = record ?? { origin: 'app-key' as const, uses: new Set<KeyServiceUse>() };
    KEY_RECORDS.set(key, known);
    for (const use of uses) {
      if (known.uses.has(use)) continue;
      for (const statement of keyServiceStatements(use, Stack.of(key))) key.addToResourcePolicy(statement);
      known.uses.add(use);
    }
  }
  // Imported keys: accepted as they are (see README).
}

function domainsFor(use: KeyServiceUse): string {
  switch (use) {
    case 'logs':
      return 'the logs or audit key of EncryptionKeys';
    case 'alert-publishers':
      return 'the logs key of EncryptionKeys';
    case 'cloudtrail':
      return 'the audit key of EncryptionKeys';
    case 'queues-and-functions':
      return 'the logs key of EncryptionKeys';
  }
}
