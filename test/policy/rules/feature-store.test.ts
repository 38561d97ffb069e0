import { Fn, Stack } from 'aws-cdk-lib';
import { CfnFeatureGroup, CfnFeatureGroupProps } from 'aws-cdk-lib/aws-sagemaker';
import { describe, expect, it } from 'vitest';
import { expectJudged, KEY_ARN, ruleIds } from '../fixtures';

const compliant: CfnFeatureGroupProps = {
  featureGroupName: 'customers-v1',
  description: 'Customer features for churn scoring',
  recordIdentifierFeatureName: 'customer_id',
  eventTimeFeatureName: 'event_time',
  featureDefinitions: [
    { featureName: 'customer_id', featureType: 'String' },
    { featureName: 'event_time', featureType: 'String' },
  ],
  onlineStoreConfig: { EnableOnlineStore: true, SecurityConfig: { KmsKeyId: KEY_ARN } },
  offlineStoreConfig: {
    S3StorageConfig: { S3Uri: 's3://ml-features/offline', KmsKeyId: KEY_ARN },
    TableFormat: 'Iceberg',
  },
  tags: [{ key: 'data-classification', value: 'confidential' }],
};

function group(props: Partial<CfnFeatureGroupProps> = {}): Stack {
  const stack = new Stack();
  new CfnFeatureGroup(stack, 'Group', { ...compliant, ...props });
  return stack;
}

describe('MLOps-SageMakerFeatureGroupOnlineStoreKMS', () => {
  const rule = 'SageMakerFeatureGroupOnlineStoreKMS';
  it('passes an online store with a CMK and ignores a disabled online store', () => {
    expect(ruleIds(group(), rule)).toEqual([]);
    expect(ruleIds(group({ onlineStoreConfig: { EnableOnlineStore: false } }), rule)).toEqual([]);
  });
  it('flags an enabled online store without a key', () => {
    expect(ruleIds(group({ onlineStoreConfig: { EnableOnlineStore: true } }), rule)).toEqual([
      `MLOps-${rule}`,
    ]);
  });
  it('reports EnableOnlineStore behind Fn::If instead of crashing', () => {
    expectJudged(
      [
        'MLOps-SageMakerFeatureGroupOnlineStoreKMS: when condition C is true: The SageMaker feature group online store is not encrypted with a customer managed KMS key.',
      ],
      group({ onlineStoreConfig: { EnableOnlineStore: Fn.conditionIf('C', true, false) } }),
      rule,
    );
  });
});

describe('MLOps-SageMakerFeatureGroupOfflineStoreKMS', () => {
  const rule = 'SageMakerFeatureGroupOfflineStoreKMS';
  it('passes an offline store with a CMK and ignores a group without one', () => {
    expect(ruleIds(group(), rule)).toEqual([]);
    expect(ruleIds(group({ offlineStoreConfig: undefined }), rule)).toEqual([]);
  });
  it('flags an offline store without a key', () => {
    expect(
      ruleIds(
        group({ offlineStoreConfig: { S3StorageConfig: { S3Uri: 's3://ml-features/offline' } } }),
        rule,
      ),
    ).toEqual([`MLOps-${rule}`]);
  });
  it('reports a storage config behind Fn::If instead of crashing', () => {
    expectJudged(
      [
        'MLOps-SageMakerFeatureGroupOfflineStoreKMS: The SageMaker feature group offline store is not encrypted with a customer managed KMS key.',
      ],
      group({
        offlineStoreConfig: {
          S3StorageConfig: Fn.conditionIf('C', { S3Uri: 's3://a' }, { S3Uri: 's3://b' }),
        },
      }),
      rule,
    );
  });
});

describe('MLOps-SageMakerFeatureGroupDataClassification', () => {
  const rule = 'SageMakerFeatureGroupDataClassification';
  it('passes a classified group', () => {
    expect(ruleIds(group(), rule)).toEqual([]);
  });
  it('flags a group without the tag, or with an empty one', () => {
    expect(ruleIds(group({ tags: [] }), rule)).toEqual([`MLOps-${rule}`]);
    expect(ruleIds(group({ tags: [{ key: 'data-classification', value: ' ' }] }), rule)).toEqual([
      `MLOps-${rule}`,
    ]);
  });
});

// Description: optional, at most 128 characters, replacement on change:
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sagemaker-featuregroup.html#cfn-sagemaker-featuregroup-description
// (AWS Config sagemaker-featuregroup-description:
// https://docs.aws.amazon.com/config/latest/developerguide/sagemaker-featuregroup-description.html)
describe('MLOps-SageMakerFeatureGroupDescription', () => {
  const rule = 'SageMakerFeatureGroupDescription';
  it('passes a description', () => expect(ruleIds(group(), rule)).toEqual([]));
  it('flags a missing or blank description', () => {
    expect(ruleIds(group({ description: undefined }), rule)).toEqual([`MLOps-${rule}`]);
    expect(ruleIds(group({ description: '  ' }), rule)).toEqual([`MLOps-${rule}`]);
  });
  it('judges a description behind Fn::If branch by branch', () => {
    expectJudged(
      [
        'MLOps-SageMakerFeatureGroupDescription: when condition C is false: The SageMaker feature group has no description.',
      ],
      group({ description: Fn.conditionIf('C', 'Customer features', Fn.ref('AWS::NoValue')).toString() }),
      rule,
    );
  });
});
