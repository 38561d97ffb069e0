import { Stack } from 'aws-cdk-lib';
import { CfnEndpointConfig } from 'aws-cdk-lib/aws-sagemaker';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import { findings } from '../../support/nag';
import { KEY_ARN, ruleIds } from '../fixtures';

// Issue 18 asked whether MLOps-SageMakerEndpointConfigAsyncOutputKMS covers S3FailurePath and the
// notification topics. OutputConfig.KmsKeyId is "the key that SageMaker uses to encrypt the
// asynchronous inference output in Amazon S3", one key for S3OutputPath and S3FailurePath alike
// (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_AsyncInferenceOutputConfig.html),
// so the rule's one check covers both paths. The topics are separate resources: their encryption is
// judged on the AWS::SNS::Topic by the packs' SNS rules, which these tests pin.
const rule = 'SageMakerEndpointConfigAsyncOutputKMS';
const variant = {
  variantName: 'primary',
  modelName: 'm',
  instanceType: 'ml.m5.large',
  initialInstanceCount: 2,
};

function asyncConfig(stack: Stack, outputConfig: CfnEndpointConfig.AsyncInferenceOutputConfigProperty): void {
  new CfnEndpointConfig(stack, 'Config', {
    kmsKeyId: KEY_ARN,
    productionVariants: [variant],
    asyncInferenceConfig: { outputConfig },
  });
}

describe('MLOps-SageMakerEndpointConfigAsyncOutputKMS and the failure path', () => {
  it('passes output and failure paths under one key, and flags both without one', () => {
    const withKey = new Stack();
    asyncConfig(withKey, {
      s3OutputPath: 's3://io/out/',
      s3FailurePath: 's3://io/failed/',
      kmsKeyId: KEY_ARN,
    });
    expect(ruleIds(withKey, rule)).toEqual([]);
    const withoutKey = new Stack();
    asyncConfig(withoutKey, { s3OutputPath: 's3://io/out/', s3FailurePath: 's3://io/failed/' });
    expect(ruleIds(withoutKey, rule)).toEqual([`MLOps-${rule}`]);
  });
});

describe('async notification topics', () => {
  const topicFindings = (stack: Stack) =>
    findings(stack)
      .filter((f) => f.path.includes('Topic'))
      .map((f) => f.ruleId)
      .filter((id) => /SNS/.test(id))
      .sort();

  it('an unencrypted success or error topic is a finding of the SNS rules on the topic itself', () => {
    const stack = new Stack();
    const plain = new sns.CfnTopic(stack, 'PlainTopic');
    asyncConfig(stack, {
      s3OutputPath: 's3://io/out/',
      kmsKeyId: KEY_ARN,
      notificationConfig: { successTopic: plain.ref, errorTopic: plain.ref },
    });
    // KMS encryption from the HIPAA, NIST and PCI packs, TLS-only publishing from AwsSolutions and MLOps.
    expect(topicFindings(stack)).toEqual([
      'AwsSolutions-SNS3',
      'HIPAA.Security-SNSEncryptedKMS',
      'MLOps-SNSTopicTLSOnly',
      'NIST.800.53.R5-SNSEncryptedKMS',
      'PCI.DSS.321-SNSEncryptedKMS',
    ]);
  });

  it('a KMS-encrypted, TLS-only topic (as AsyncEndpoint creates) has none', () => {
    const stack = new Stack();
    const topic = new sns.Topic(stack, 'EncryptedTopic', {
      masterKey: new kms.Key(stack, 'TopicKey', { enableKeyRotation: true }),
      enforceSSL: true,
    });
    asyncConfig(stack, {
      s3OutputPath: 's3://io/out/',
      kmsKeyId: KEY_ARN,
      notificationConfig: { successTopic: topic.topicArn, errorTopic: topic.topicArn },
    });
    expect(topicFindings(stack)).toEqual([]);
  });
});
