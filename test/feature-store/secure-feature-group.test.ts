import { describe, expect, it } from 'vitest';
import { App, Duration, Stack, Tags } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { acknowledgedIds } from '../../constructs/core/acknowledge';
import { ScopedRole } from '../../constructs/core/scoped-role';
import { RequiredTags } from '../../constructs/core/tags';
import { EncryptionKeys } from '../../constructs/encryption/encryption-keys';
import {
  SecureFeatureGroup,
  SecureFeatureGroupProps,
} from '../../constructs/feature-store/secure-feature-group';
import { AlertTopic } from '../../constructs/monitoring/alert-topic';
import { SecureBucket } from '../../constructs/storage/secure-bucket';
import { TieredDatasetBucket } from '../../constructs/storage/tiered-dataset-bucket';
import { findingLines, testStack } from '../support/nag';
import { FeatureContract } from '../../constructs/feature-store/feature-contract';
import { churn, churnSpec, plainContract } from './fixtures';

function build(props: Partial<SecureFeatureGroupProps> = {}) {
  const stack = testStack();
  const keys = new EncryptionKeys(stack, 'Keys');
  const alerts = new AlertTopic(stack, 'Alerts', { encryptionKey: keys.logs });
  const group = new SecureFeatureGroup(stack, 'Churn', {
    contract: churn(),
    alerts,
    encryptionKey: keys.data,
    ...props,
  });
  return { stack, keys, alerts, group, t: () => Template.fromStack(stack) };
}

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

let readers = 0;
const grantee = (stack: Stack) =>
  new ScopedRole(stack, `Reader${readers++}`, { assumedBy: new iam.AccountRootPrincipal() });
const readerStatements = (t: Template) =>
  Object.entries(t.findResources('AWS::IAM::ManagedPolicy')).find(([id]) => id.startsWith('Reader'))![1]
    .Properties.PolicyDocument.Statement as Record<string, unknown>[];

describe('SecureFeatureGroup secure defaults', () => {
  it('encrypts the online store with the CMK', () => {
    const { t } = build();
    t().hasResourceProperties('AWS::SageMaker::FeatureGroup', {
      FeatureGroupName: 'marketing-customer-churn-v1',
      OnlineStoreConfig: {
        EnableOnlineStore: true,
        StorageType: 'Standard',
        SecurityConfig: { KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^KeysDataKey'), 'Arn'] } },
      },
    });
  });

  it('keeps the offline store in a SecureBucket prefix under its key, as Iceberg, in its own Glue database', () => {
    const { t } = build();
    t().hasResourceProperties('AWS::SageMaker::FeatureGroup', {
      FeatureGroupName: 'marketing-customer-churn-v1',
      OfflineStoreConfig: {
        S3StorageConfig: {
          S3Uri: {
            'Fn::Join': [
              '',
              [
                's3://',
                { Ref: Match.stringLikeRegexp('^ChurnOfflineStore') },
                '/feature-store/marketing-customer-churn-v1/',
              ],
            ],
          },
          KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^KeysDataKey'), 'Arn'] },
        },
        TableFormat: 'Iceberg',
        DisableGlueTableCreation: false,
        DataCatalogConfig: {
          Catalog: 'AwsDataCatalog',
          Database: 'marketing_customer_churn_v1',
          TableName: 'marketing_customer_churn_v1',
        },
      },
    });
    t().hasResourceProperties('AWS::Glue::Database', {
      CatalogId: '111111111111',
      DatabaseInput: Match.objectLike({ Name: 'marketing_customer_churn_v1' }),
    });
  });

  it('records each feature description, owner and PII class, and the contract description, in the Glue database', () => {
    const { t } = build();
    t().hasResourceProperties('AWS::Glue::Database', {
      DatabaseInput: Match.objectLike({
        Parameters: Match.objectLike({
          'feature-contract-version': '1.0.0',
          'feature.email': JSON.stringify({
            description: 'Contact e-mail',
            type: 'String',
            owner: 'churn-team',
            pii: 'pii',
            required: true,
            group: 'marketing-customer-churn-restricted-v1',
          }),
        }),
      }),
    });
    t().hasResourceProperties('AWS::Glue::Database', {
      DatabaseInput: Match.objectLike({ Description: Match.stringLikeRegexp('Churn signals per customer$') }),
    });
  });

  // Description is create-only in AWS::SageMaker::FeatureGroup: a contract description change (a
  // patch) would replace the group under its fixed name, which CloudFormation refuses
  // (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-name.html).
  it('gives each group a description fixed by its name, whatever the contract description says', () => {
    const description = (spec: Partial<Parameters<typeof churn>[0]>) => {
      const { t } = build({ contract: churn(spec) });
      return Object.values(t().findResources('AWS::SageMaker::FeatureGroup')).map(
        (g) => g.Properties.Description,
      );
    };
    expect(description({})).toEqual([
      'Features of feature contract marketing/customer-churn v1',
      'Restricted (pii, sensitive) features of feature contract marketing/customer-churn v1',
    ]);
    expect(description({ description: 'Churn signals per customer, daily', version: '1.0.1' })).toEqual(
      description({}),
    );
  });

  it('uses a given SecureBucket and its key for the offline store', () => {
    const stack = testStack();
    const keys = new EncryptionKeys(stack, 'Keys');
    const bucket = new SecureBucket(stack, 'Lake', { encryptionKey: keys.data });
    new SecureFeatureGroup(stack, 'Churn', {
      contract: churn(),
      alerts: new AlertTopic(stack, 'Alerts'),
      offlineStoreBucket: bucket,
    });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::S3::Bucket', 3); // the lake, its replica and the access-log bucket
    t.hasResourceProperties('AWS::SageMaker::FeatureGroup', {
      OfflineStoreConfig: Match.objectLike({
        S3StorageConfig: {
          S3Uri: Match.anyValue(),
          KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^KeysDataKey'), 'Arn'] },
        },
      }),
    });
  });

  it('takes a TieredDatasetBucket for the offline store, in its bucket policy', () => {
    const stack = testStack();
    const keys = new EncryptionKeys(stack, 'Keys');
    const lake = new TieredDatasetBucket(stack, 'Lake', { encryptionKey: keys.data });
    const group = new SecureFeatureGroup(stack, 'Churn', {
      contract: plainContract(),
      alerts: new AlertTopic(stack, 'Alerts'),
      offlineStoreBucket: lake,
    });
    expect(group.offlineStoreBucket).toBe(lake);
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::SageMaker::FeatureGroup', {
      OfflineStoreConfig: Match.objectLike({
        S3StorageConfig: {
          S3Uri: Match.anyValue(),
          KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^KeysDataKey'), 'Arn'] },
        },
      }),
    });
    t.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: Match.stringLikeRegexp('^Lake') },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 's3:GetBucketAcl',
            Principal: { AWS: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ChurnOfflineStoreRole'), 'Arn'] } },
          }),
        ]),
      },
    });
    expect(findingLines(stack)).toEqual([]);
  });

  it('takes a bucket of yours (SecureBucket.fromBucketAttributes): the writer role gets the bucket permissions in its own policy', () => {
    const stack = testStack();
    const keys = new EncryptionKeys(stack, 'Keys');
    const bucket = SecureBucket.fromBucketAttributes(stack, 'Lake', {
      bucket: s3.Bucket.fromBucketName(stack, 'Theirs', 'team-lake'),
      encryptionKey: keys.data,
    });
    const group = new SecureFeatureGroup(stack, 'Churn', {
      contract: churn(),
      alerts: new AlertTopic(stack, 'Alerts'),
      offlineStoreBucket: bucket,
    });
    // Time-bound reads of the restricted group: also in the identity policy, under the same end time.
    const reader = new iam.Role(stack, 'Investigator', { assumedBy: new iam.AccountRootPrincipal() });
    group.grantTimeBoundAccess(reader, {
      now: new Date('2026-01-01T00:00:00Z'),
      until: new Date('2026-01-01T04:00:00Z'),
    });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::S3::BucketPolicy', 0);
    t.hasResourceProperties('AWS::SageMaker::FeatureGroup', {
      FeatureGroupName: 'marketing-customer-churn-v1',
      OfflineStoreConfig: Match.objectLike({
        S3StorageConfig: {
          S3Uri: 's3://team-lake/feature-store/marketing-customer-churn-v1/',
          KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^KeysDataKey'), 'Arn'] },
        },
      }),
    });
    const writer = Object.values(t.findResources('AWS::IAM::ManagedPolicy')).filter((r) =>
      JSON.stringify(r.Properties.Roles).includes('ChurnOfflineStoreRole'),
    );
    const actions = writer.flatMap((r) =>
      (r.Properties.PolicyDocument.Statement as { Action: string | string[] }[]).flatMap((st) => st.Action),
    );
    // What the bucket policy would have held: the offline store's bucket and ACL actions, and the prefix.
    expect(actions).toEqual(expect.arrayContaining(['s3:GetBucketAcl', 's3:PutObjectAcl', 's3:PutObject']));
    const policies = t.findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^Investigator') }] },
    });
    const readerStatements = Object.values(policies).flatMap(
      (r) => r.Properties.PolicyDocument.Statement as { Action: string | string[]; Condition?: unknown }[],
    );
    const objectRead = readerStatements.find((st) => [st.Action].flat().includes('s3:GetObject'));
    expect(objectRead?.Condition).toEqual({
      DateLessThan: { 'aws:CurrentTime': '2026-01-01T04:00:00.000Z' },
    });
  });

  it('creates its own data key when given none', () => {
    const stack = testStack();
    new SecureFeatureGroup(stack, 'Churn', { contract: churn(), alerts: new AlertTopic(stack, 'Alerts') });
    Template.fromStack(stack).hasResourceProperties('AWS::SageMaker::FeatureGroup', {
      OnlineStoreConfig: Match.objectLike({
        SecurityConfig: { KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ChurnKey'), 'Arn'] } },
      }),
    });
  });

  it('splits pii features into a restricted group with its own prefix, table and classification', () => {
    const { t } = build();
    const groups = t().findResources('AWS::SageMaker::FeatureGroup');
    const byName = Object.fromEntries(
      Object.values(groups).map((g) => [g.Properties.FeatureGroupName, g.Properties]),
    );
    expect(Object.keys(byName).sort()).toEqual([
      'marketing-customer-churn-restricted-v1',
      'marketing-customer-churn-v1',
    ]);
    const names = (n: string) =>
      byName[n].FeatureDefinitions.map((d: { FeatureName: string }) => d.FeatureName);
    expect(names('marketing-customer-churn-v1')).toEqual([
      'customer_id',
      'event_time',
      'tenure_months',
      'monthly_spend',
    ]);
    expect(names('marketing-customer-churn-restricted-v1')).toEqual(['customer_id', 'event_time', 'email']);
    const restricted = byName['marketing-customer-churn-restricted-v1'];
    expect(restricted.OfflineStoreConfig.S3StorageConfig.S3Uri['Fn::Join'][1][2]).toBe(
      '/feature-store/marketing-customer-churn-restricted-v1/',
    );
    expect(restricted.OfflineStoreConfig.DataCatalogConfig.TableName).toBe(
      'marketing_customer_churn_restricted_v1',
    );
    expect(restricted.Tags).toEqual(
      expect.arrayContaining([{ Key: 'data-classification', Value: 'restricted' }]),
    );
  });

  it('creates no restricted group for a contract without personal features', () => {
    const { t, group } = build({ contract: plainContract() });
    t().resourceCountIs('AWS::SageMaker::FeatureGroup', 1);
    expect(group.restricted).toBeUndefined();
  });

  // Tags are create-only in AWS::SageMaker::FeatureGroup: a stack tag, owner or version change
  // would replace the group under its fixed name, which CloudFormation refuses.
  it('keeps only the classification and contract tags in the template, whatever the stack tags are', () => {
    const tagsOf = (stackTags: Record<string, string>) => {
      const stack = testStack();
      RequiredTags.apply(stack, stackTags);
      new SecureFeatureGroup(stack, 'Churn', { contract: churn(), alerts: new AlertTopic(stack, 'Alerts') });
      return Object.values(Template.fromStack(stack).findResources('AWS::SageMaker::FeatureGroup')).map(
        (g) => g.Properties.Tags,
      );
    };
    expect(tagsOf({})).toEqual([
      [
        { Key: 'data-classification', Value: 'internal' },
        { Key: 'feature-contract', Value: 'marketing/customer-churn' },
      ],
      [
        { Key: 'data-classification', Value: 'restricted' },
        { Key: 'feature-contract', Value: 'marketing/customer-churn' },
      ],
    ]);
    expect(tagsOf({ 'cost-center': 'cc-5678', owner: 'retention-team', team: 'x' })).toEqual(tagsOf({}));
  });

  it('acknowledges the required-tag finding only for tags the stack carries (applied at creation as stack tags)', () => {
    const { stack, group, t } = build();
    Tags.of(group).add('team', 'churn');
    t();
    const ids = [...acknowledgedIds(group.resource)]
      .filter((id) => id.includes('SageMakerRequiredTags'))
      .sort();
    expect(ids).toEqual([
      'MLOps::MLOps-SageMakerRequiredTags[cost-center]',
      'MLOps::MLOps-SageMakerRequiredTags[environment]',
      'MLOps::MLOps-SageMakerRequiredTags[owner]',
    ]);
    expect(Stack.of(stack).tags.tagValues()['team']).toBeUndefined();
  });

  it('gives each group an offline-store role scoped to its prefix, key and Glue table', () => {
    const { t } = build();
    t().hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'sagemaker.amazonaws.com' } })],
      },
      Description: 'Feature Store offline store writer of marketing-customer-churn-v1',
    });
    const policy = Object.values(t().findResources('AWS::IAM::ManagedPolicy')).find((p) =>
      JSON.stringify(p.Properties.Roles).includes('ChurnOfflineStoreRole'),
    )!.Properties.PolicyDocument.Statement as Record<string, unknown>[];
    const glue = policy.find(
      (st) =>
        JSON.stringify(st.Action) ===
        JSON.stringify(['glue:GetDatabase', 'glue:GetTable', 'glue:UpdateTable']),
    )!;
    expect(JSON.stringify(glue.Resource)).toContain(
      ':glue:eu-west-1:111111111111:table/marketing_customer_churn_v1/marketing_customer_churn_v1',
    );
    expect(JSON.stringify(glue.Resource)).not.toContain('restricted');
    expect(policy.map((st) => st.Action)).toContainEqual([
      'kms:Encrypt',
      'kms:Decrypt',
      'kms:GenerateDataKey',
      'kms:DescribeKey',
    ]);
    t().hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['s3:PutObject', 's3:PutObjectTagging', 's3:AbortMultipartUpload'],
            Principal: { AWS: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ChurnOfflineStoreRole'), 'Arn'] } },
            Resource: {
              'Fn::Join': ['', [Match.anyValue(), '/feature-store/marketing-customer-churn-v1/*']],
            },
          }),
        ]),
      },
    });
  });

  it('is on-demand by default and configurable to provisioned throughput', () => {
    build()
      .t()
      .hasResourceProperties('AWS::SageMaker::FeatureGroup', {
        ThroughputConfig: { ThroughputMode: 'OnDemand' },
      });
    build({
      throughputMode: 'Provisioned',
      provisionedReadCapacityUnits: 10,
      provisionedWriteCapacityUnits: 5,
    })
      .t()
      .hasResourceProperties('AWS::SageMaker::FeatureGroup', {
        ThroughputConfig: {
          ThroughputMode: 'Provisioned',
          ProvisionedReadCapacityUnits: 10,
          ProvisionedWriteCapacityUnits: 5,
        },
      });
  });

  it('sets an online TTL in the largest exact unit', () => {
    build({ onlineTtl: Duration.days(14) })
      .t()
      .hasResourceProperties('AWS::SageMaker::FeatureGroup', {
        OnlineStoreConfig: Match.objectLike({ TtlDuration: { Unit: 'Weeks', Value: 2 } }),
      });
  });

  it('supports an InMemory online store without an offline store', () => {
    const { t } = build({ onlineStorageType: 'InMemory', offlineStore: false });
    t().hasResourceProperties('AWS::SageMaker::FeatureGroup', {
      OnlineStoreConfig: Match.objectLike({ StorageType: 'InMemory' }),
      OfflineStoreConfig: Match.absent(),
      RoleArn: Match.absent(),
    });
    t().resourceCountIs('AWS::Glue::Database', 0);
  });
});

// OnlineStoreConfig and OfflineStoreConfig are create-only in AWS::SageMaker::FeatureGroup, and
// CloudFormation refuses to replace a resource under the name it has
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-name.html): a change
// of a storage setting must come with a new name.
describe('SecureFeatureGroup names and storage settings', () => {
  const namesOf = (props: Partial<SecureFeatureGroupProps>) => {
    const { group } = build(props);
    return [group.featureGroupName, group.restricted?.featureGroupName];
  };

  it('keeps the contract names with the default storage settings, given explicitly or not', () => {
    expect(namesOf({})).toEqual(['marketing-customer-churn-v1', 'marketing-customer-churn-restricted-v1']);
    expect(
      namesOf({
        onlineStorageType: 'Standard',
        tableFormat: 'Iceberg',
        offlineStorePrefix: 'feature-store/',
      }),
    ).toEqual(namesOf({}));
  });

  it.each<[string, Partial<SecureFeatureGroupProps>]>([
    ['onlineTtl', { onlineTtl: Duration.days(30) }],
    ['another onlineTtl', { onlineTtl: Duration.days(60) }],
    ['offlineStorePrefix', { offlineStorePrefix: 'features/' }],
    ['tableFormat', { tableFormat: 'Glue' }],
    ['offlineStore', { offlineStore: false }],
    ['onlineStore', { onlineStore: false }],
  ])('adds a storage suffix to both names for %s', (_what, props) => {
    const [standard, restricted] = namesOf(props);
    const suffix = /^marketing-customer-churn-v1(-[0-9a-f]{6})$/.exec(standard!)?.[1];
    expect(suffix).toBeDefined();
    expect(restricted).toBe(`marketing-customer-churn-restricted-v1${suffix}`);
  });

  it('gives each storage setting its own suffix', () => {
    const names = [
      { onlineTtl: Duration.days(30) },
      { onlineTtl: Duration.days(60) },
      { offlineStorePrefix: 'features/' },
    ].map((p) => namesOf(p)[0]);
    expect(new Set(names).size).toBe(3);
  });

  it('uses the suffixed name for the prefix, the Glue table, the catalog parameters, the alarm and the grants', () => {
    const { t, group } = build({ onlineTtl: Duration.days(30) });
    const name = group.featureGroupName;
    const glueName = name.replace(/-/g, '_');
    t().hasResourceProperties('AWS::SageMaker::FeatureGroup', {
      FeatureGroupName: name,
      OfflineStoreConfig: Match.objectLike({
        S3StorageConfig: Match.objectLike({
          S3Uri: { 'Fn::Join': ['', ['s3://', Match.anyValue(), `/feature-store/${name}/`]] },
        }),
        DataCatalogConfig: {
          Catalog: 'AwsDataCatalog',
          Database: 'marketing_customer_churn_v1',
          TableName: glueName,
        },
      }),
    });
    expect(group.glueTableName).toBe(glueName);
    const params = Object.values(t().findResources('AWS::Glue::Database'))[0].Properties.DatabaseInput
      .Parameters;
    expect(JSON.parse(params['feature.tenure_months']).group).toBe(name);
    expect(JSON.parse(params['feature.email']).group).toBe(group.restricted!.featureGroupName);
    expect(JSON.stringify(t().findResources('AWS::CloudWatch::Alarm'))).toContain(`"Value":"${name}"`);
  });
});

describe('SecureFeatureGroup freshness alarm', () => {
  it('alarms when no PutRecord succeeded in the window, treating missing data as breaching', () => {
    const { t } = build();
    t().hasResourceProperties('AWS::CloudWatch::Alarm', {
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      TreatMissingData: 'breaching',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^Alerts') }],
      OKActions: [{ Ref: Match.stringLikeRegexp('^Alerts') }],
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'invocations - FILL(clienterrors, 0) - FILL(servererrors, 0)' }),
        Match.objectLike({
          Id: 'invocations',
          MetricStat: {
            Metric: {
              Namespace: 'AWS/SageMaker',
              MetricName: 'Invocations',
              Dimensions: Match.arrayWith([
                { Name: 'FeatureGroupName', Value: 'marketing-customer-churn-v1' },
                { Name: 'OperationName', Value: 'PutRecord' },
              ]),
            },
            Period: 86400,
            Stat: 'Sum',
          },
          ReturnData: false,
        }),
      ]),
    });
    t().resourceCountIs('AWS::CloudWatch::Alarm', 2); // standard and restricted
  });

  it('uses hourly periods that must all breach for windows beyond a day', () => {
    build({ freshnessWindow: Duration.hours(36) })
      .t()
      .hasResourceProperties('AWS::CloudWatch::Alarm', {
        EvaluationPeriods: 36,
        DatapointsToAlarm: 36,
        Metrics: Match.arrayWith([
          Match.objectLike({ Id: 'invocations', MetricStat: Match.objectLike({ Period: 3600 }) }),
        ]),
      });
  });

  it('notifies any topic through AlertTopic.fromTopic, ALARM and OK', () => {
    const stack = testStack();
    const topic = sns.Topic.fromTopicArn(stack, 'T', 'arn:aws:sns:eu-west-1:111111111111:alerts');
    new SecureFeatureGroup(stack, 'Churn', {
      contract: plainContract(),
      alerts: AlertTopic.fromTopic(topic),
    });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: ['arn:aws:sns:eu-west-1:111111111111:alerts'],
      OKActions: ['arn:aws:sns:eu-west-1:111111111111:alerts'],
    });
  });

  // CloudWatch alarms publish to an encrypted topic only if the key policy lets
  // cloudwatch.amazonaws.com use the key:
  // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
  it('rejects a topic whose key does not let CloudWatch publish (a data key)', () => {
    const stack = testStack();
    const keys = new EncryptionKeys(stack, 'Keys');
    const topic = new sns.Topic(stack, 'T', { masterKey: keys.data });
    expect(
      errorOf(
        () =>
          new SecureFeatureGroup(stack, 'Churn', {
            contract: plainContract(),
            alerts: AlertTopic.fromTopic(topic),
          }),
      ),
    ).toContain(
      'Test/Churn: alerts.encryptionKey: is a data key whose policy lacks the AlertPublishers statement',
    );
  });

  it('adds the CloudWatch publishing statement to the key of an app topic', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'TopicKey', { enableKeyRotation: true });
    const topic = new sns.Topic(stack, 'T', { masterKey: key });
    new SecureFeatureGroup(stack, 'Churn', {
      contract: plainContract(),
      alerts: AlertTopic.fromTopic(topic),
    });
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AlertPublishers',
            Principal: { Service: Match.arrayWith(['cloudwatch.amazonaws.com']) },
          }),
        ]),
      },
    });
  });
});

describe('SecureFeatureGroup validation', () => {
  it('requires a FeatureContract and alerts, naming the construct path', () => {
    const stack = testStack();
    const msg = errorOf(
      () => new SecureFeatureGroup(stack, 'Bad', { contract: {} as never, alerts: undefined as never }),
    );
    expect(msg).toContain('Test/Bad: contract: is not a FeatureContract');
    expect(msg).toContain('Test/Bad: alerts: is not an IAlertDestination');
  });

  it.each<[string, Partial<SecureFeatureGroupProps>, string]>([
    [
      'no store at all',
      { onlineStore: false, offlineStore: false },
      'offlineStore: leaves the feature group with no store',
    ],
    [
      'InMemory with an offline store',
      { onlineStorageType: 'InMemory' },
      'onlineStorageType: InMemory online stores do not replicate to an offline store',
    ],
    [
      'a TTL without an online store',
      { onlineStore: false, onlineTtl: Duration.days(1) },
      'onlineTtl: is set without an online store',
    ],
    [
      'a table format without an offline store',
      { offlineStore: false, tableFormat: 'Glue' },
      'tableFormat: is set without an offline store',
    ],
    [
      'Provisioned without units',
      { throughputMode: 'Provisioned' },
      'provisionedReadCapacityUnits: is required in Provisioned throughput mode',
    ],
    [
      'units on demand',
      { provisionedWriteCapacityUnits: 3 },
      'provisionedWriteCapacityUnits: is only used in Provisioned throughput mode',
    ],
    [
      'a fractional freshness window',
      { freshnessWindow: Duration.seconds(330) },
      'freshnessWindow: is not a whole number of alarm periods',
    ],
    [
      'a freshness window beyond 7 days',
      { freshnessWindow: Duration.days(8) },
      'freshnessWindow: is out of range',
    ],
    ['a bad prefix', { offlineStorePrefix: '/abs' }, 'offlineStorePrefix: has an invalid format'],
    [
      'an access window beyond 7 days',
      { maxAccessWindow: Duration.days(8) },
      'maxAccessWindow: is out of range',
    ],
  ])('rejects %s', (_what, props, expected) => {
    const stack = testStack();
    const msg = errorOf(
      () =>
        new SecureFeatureGroup(stack, 'Bad', {
          contract: churn(),
          alerts: new AlertTopic(stack, 'A'),
          ...props,
        }),
    );
    expect(msg).toContain(`Test/Bad: ${expected}`);
    expect(stack.node.tryFindChild('Bad')?.node.children.length ?? 0).toBe(0);
  });

  it('rejects storage settings that make the feature group name longer than 64 characters', () => {
    const stack = testStack();
    // 'marketing-' + 40 characters + '-restricted-v1' is exactly 64 characters: valid until a suffix is added.
    const contract = churn({ name: 'c'.repeat(40) });
    expect(contract.restrictedFeatureGroupName).toHaveLength(64);
    const msg = errorOf(
      () =>
        new SecureFeatureGroup(stack, 'Bad', {
          contract,
          alerts: new AlertTopic(stack, 'A'),
          onlineTtl: Duration.days(30),
        }),
    );
    expect(msg).toMatch(
      /Test\/Bad: contract: with these storage settings the feature group name is too long \(got "marketing-c+-restricted-v1-[0-9a-f]{6}" \(71 characters\); expected at most 64 characters/,
    );
    expect(stack.node.tryFindChild('Bad')?.node.children.length ?? 0).toBe(0);
  });

  it('rejects Iceberg with a Fractional event time, and accepts the Glue format for it', () => {
    const spec = churnSpec();
    const c = FeatureContract.define({
      ...spec,
      features: spec.features.map((f) =>
        f.name === 'event_time' ? { ...f, type: 'Fractional' as const } : f,
      ),
    });
    const stack = testStack();
    const alerts = new AlertTopic(stack, 'A');
    expect(errorOf(() => new SecureFeatureGroup(stack, 'Bad', { contract: c, alerts }))).toContain(
      'Test/Bad: tableFormat: Iceberg offline stores need a String event time',
    );
    new SecureFeatureGroup(stack, 'Good', { contract: c, alerts, tableFormat: 'Glue' });
    Template.fromStack(stack).hasResourceProperties('AWS::SageMaker::FeatureGroup', {
      OfflineStoreConfig: Match.objectLike({ TableFormat: 'Glue' }),
    });
  });
});

describe('SecureFeatureGroup grants', () => {
  it('grantReadOnline reads the standard group and decrypts with its key', () => {
    const { stack, group, t } = build();
    group.grantReadOnline(grantee(stack));
    expect(readerStatements(t())).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Action: ['kms:Decrypt', 'kms:DescribeKey'],
          Resource: { 'Fn::GetAtt': [expect.stringMatching(/^KeysDataKey/), 'Arn'] },
        }),
        expect.objectContaining({
          Action: ['sagemaker:GetRecord', 'sagemaker:BatchGetRecord', 'sagemaker:DescribeFeatureGroup'],
          Resource: {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':sagemaker:eu-west-1:111111111111:feature-group/marketing-customer-churn-v1',
              ],
            ],
          },
        }),
      ]),
    );
    expect(JSON.stringify(readerStatements(t()))).not.toContain('restricted');
  });

  it('grantWriteRecords writes both groups', () => {
    const { stack, group, t } = build();
    group.grantWriteRecords(grantee(stack));
    const resources = readerStatements(t())
      .filter((s) => JSON.stringify(s.Action).includes('sagemaker:PutRecord'))
      .map((s) => JSON.stringify(s.Resource));
    expect(resources.join()).toContain('feature-group/marketing-customer-churn-v1');
    expect(resources.join()).toContain('feature-group/marketing-customer-churn-restricted-v1');
  });

  it('grantReadOffline gives Glue, Athena, S3 (bucket policy) and KMS together', () => {
    const { stack, group, t } = build();
    group.grantReadOffline(grantee(stack));
    const statements = JSON.stringify(readerStatements(t()));
    expect(statements).toContain('glue:GetTable');
    expect(statements).toContain(':athena:eu-west-1:111111111111:workgroup/primary');
    expect(statements).toContain('table/marketing_customer_churn_v1/marketing_customer_churn_v1');
    expect(statements).toContain('kms:Decrypt');
    t().hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectTagging'],
            Principal: { AWS: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Reader'), 'Arn'] } },
            Resource: {
              'Fn::Join': ['', [Match.anyValue(), '/feature-store/marketing-customer-churn-v1/*']],
            },
          }),
        ]),
      },
    });
  });

  it('grantReadOffline fails without an offline store', () => {
    const { stack, group } = build({ offlineStore: false });
    expect(errorOf(() => group.grantReadOffline(grantee(stack)))).toContain(
      'Test/Churn: grantReadOffline: the feature group has no offline store',
    );
  });
});

describe('SecureFeatureGroup.grantTimeBoundAccess', () => {
  const now = new Date('2030-01-01T08:00:00Z');

  it('conditions every statement on aws:CurrentTime before until', () => {
    const { stack, group, t } = build();
    const until = new Date('2030-01-01T12:00:00Z');
    group.grantTimeBoundAccess(grantee(stack), { until, now });
    const statements = readerStatements(t());
    expect(statements.length).toBeGreaterThanOrEqual(5);
    for (const s of statements)
      expect(s.Condition).toEqual({ DateLessThan: { 'aws:CurrentTime': '2030-01-01T12:00:00.000Z' } });
    expect(JSON.stringify(statements)).toContain('feature-group/marketing-customer-churn-restricted-v1');
    t().hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectTagging'],
            Condition: { DateLessThan: { 'aws:CurrentTime': '2030-01-01T12:00:00.000Z' } },
            Resource: {
              'Fn::Join': ['', [Match.anyValue(), '/feature-store/marketing-customer-churn-restricted-v1/*']],
            },
          }),
        ]),
      },
    });
  });

  it('rejects a window beyond the maximum (8 hours by default)', () => {
    const { stack, group } = build();
    expect(
      errorOf(() =>
        group.grantTimeBoundAccess(grantee(stack), { until: new Date('2030-01-01T16:00:01Z'), now }),
      ),
    ).toBe(
      'Test/Churn: until: is beyond the maximum access window (got 2030-01-01T16:00:01.000Z; expected at most 8 hours after 2030-01-01T08:00:00.000Z)',
    );
  });

  it('honours a configured maximum window', () => {
    const { stack, group } = build({ maxAccessWindow: Duration.days(2) });
    expect(() =>
      group.grantTimeBoundAccess(grantee(stack), { until: new Date('2030-01-02T08:00:00Z'), now }),
    ).not.toThrow();
  });

  it('rejects past dates and invalid dates', () => {
    const { stack, group } = build();
    expect(
      errorOf(() =>
        group.grantTimeBoundAccess(grantee(stack), { until: new Date('2029-12-31T00:00:00Z'), now }),
      ),
    ).toContain('Test/Churn: until: is not in the future');
    expect(
      errorOf(() => group.grantTimeBoundAccess(grantee(stack), { until: new Date('nope'), now })),
    ).toContain('Test/Churn: until: is not a valid Date');
    expect(
      errorOf(() => group.grantTimeBoundAccess(grantee(stack), { until: new Date(Date.now() - 1000) })),
    ).toContain('until: is not in the future');
  });

  it('refuses when the contract has no restricted features', () => {
    const { stack, group } = build({ contract: plainContract() });
    expect(
      errorOf(() =>
        group.grantTimeBoundAccess(grantee(stack), { until: new Date('2030-01-01T09:00:00Z'), now }),
      ),
    ).toContain('Test/Churn: grantTimeBoundAccess: the contract has no restricted features');
  });
});

describe('SecureFeatureGroup metrics and imports', () => {
  it('metrics carry the group and operation dimensions with documented defaults', () => {
    const { group } = build();
    const inv = group.metricInvocations();
    expect(inv.namespace).toBe('AWS/SageMaker');
    expect(inv.dimensions).toEqual({
      FeatureGroupName: 'marketing-customer-churn-v1',
      OperationName: 'PutRecord',
    });
    expect(inv.statistic).toBe('Sum');
    expect(inv.period.toMinutes()).toBe(5);
    expect(group.metricLatency({ operation: 'GetRecord' })).toMatchObject({
      statistic: 'Average',
      dimensions: { OperationName: 'GetRecord' },
    });
    expect(group.metricConsumedReadRequestsUnits().dimensions).toMatchObject({ OperationName: 'GetRecord' });
    expect(group.metricThrottledRequests().metricName).toBe('ThrottledRequests');
    expect(group.restricted!.metricOperation5XXErrors().dimensions).toMatchObject({
      FeatureGroupName: 'marketing-customer-churn-restricted-v1',
    });
    expect(group.metricPutRecordSuccesses().expression).toBe(
      'invocations - FILL(clienterrors, 0) - FILL(servererrors, 0)',
    );
  });

  it('imports by name and ARN, with grants scoped to the ARN', () => {
    const stack = testStack();
    const byName = SecureFeatureGroup.fromFeatureGroupName(stack, 'ByName', 'team-a-v2');
    const byArn = SecureFeatureGroup.fromFeatureGroupArn(
      stack,
      'ByArn',
      'arn:aws:sagemaker:eu-west-1:111111111111:feature-group/team-b-v1',
    );
    expect(byArn.featureGroupName).toBe('team-b-v1');
    expect(stack.resolve(byName.featureGroupArn)).toEqual({
      'Fn::Join': [
        '',
        ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:eu-west-1:111111111111:feature-group/team-a-v2'],
      ],
    });
    const role = grantee(stack);
    byArn.grantWriteRecords(role);
    const keys = new EncryptionKeys(stack, 'Keys');
    SecureFeatureGroup.fromFeatureGroupAttributes(stack, 'WithKey', {
      featureGroupName: 'team-c-v1',
      encryptionKey: keys.data,
    }).grantReadOnline(role);
    const statements = JSON.stringify(readerStatements(Template.fromStack(stack)));
    expect(statements).toContain(
      '"Resource":"arn:aws:sagemaker:eu-west-1:111111111111:feature-group/team-b-v1"',
    );
    expect(statements).toContain('kms:Decrypt');
    expect(byName.metricInvocations().dimensions).toEqual({
      FeatureGroupName: 'team-a-v2',
      OperationName: 'PutRecord',
    });
  });
});

describe('SecureFeatureGroup policy packs', () => {
  it('has zero findings with defaults, grants included', () => {
    const { stack, group } = build();
    const role = grantee(stack);
    group.grantReadOnline(role);
    group.grantWriteRecords(role);
    group.grantReadOffline(role);
    group.grantTimeBoundAccess(role, { until: new Date(Date.now() + 3_600_000) });
    expect(findingLines(stack)).toEqual([]);
  });

  it('keeps the required-tag finding for a tag applied below the stack, which reaches no feature group', () => {
    const app = new App();
    const stack = new Stack(app, 'Test', { env: { account: '111111111111', region: 'eu-west-1' } });
    RequiredTags.apply(stack, {
      owner: 'ml-platform',
      environment: 'dev',
      'data-classification': 'internal',
    });
    const group = new SecureFeatureGroup(stack, 'Churn', {
      contract: churn(),
      alerts: new AlertTopic(stack, 'Alerts'),
    });
    Tags.of(group).add('cost-center', 'cc-1234');
    const groupFindings = findingLines(stack).filter((l) => l.includes('SageMakerRequiredTags'));
    expect(groupFindings.sort()).toEqual([
      'MLOps-SageMakerRequiredTags[cost-center] @ Test/Churn/Resource',
      'MLOps-SageMakerRequiredTags[cost-center] @ Test/Churn/Restricted/Resource',
    ]);
  });

  it('has zero findings with its own key and bucket, and with the opt-outs', () => {
    const stack = testStack();
    const alerts = new AlertTopic(stack, 'Alerts');
    new SecureFeatureGroup(stack, 'Own', { contract: churn(), alerts });
    new SecureFeatureGroup(stack, 'OnlineOnly', {
      contract: plainContract(),
      alerts,
      offlineStore: false,
      onlineStorageType: 'InMemory',
    });
    new SecureFeatureGroup(stack, 'OfflineOnly', {
      contract: churn({ domain: 'sales' }),
      alerts,
      onlineStore: false,
    });
    expect(findingLines(stack)).toEqual([]);
  });
});
