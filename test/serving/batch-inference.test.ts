import { describe, expect, it } from 'vitest';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import {
  BATCH_TRANSFORM_STEP,
  BatchInference,
  BatchInferenceProps,
} from '../../constructs/serving/batch-inference';
import { InferenceNetwork } from '../../constructs/serving/inference-network';
import { SecureBucket } from '../../constructs/storage/secure-bucket';
import { findingLines, testStack } from '../support/nag';
import { propsError } from '../support/props';
import { NO_PIPELINE_SCHEMA, schemaErrors, synthesizedDefinition } from '../training/pipeline-schema';

const DIGEST = `sha256:${'a'.repeat(64)}`;

function build(overrides: Partial<BatchInferenceProps> = {}, stack: Stack = testStack()) {
  const network = new InferenceNetwork(stack, 'Net');
  const bucket = new SecureBucket(stack, 'Models', { keyDomain: 'models' });
  const io = new SecureBucket(stack, 'Io', { keyDomain: 'data' });
  const batch = new BatchInference(stack, 'Batch', {
    vpc: network.vpc,
    imageRepository: ecr.Repository.fromRepositoryName(stack, 'Repo', 'churn'),
    imageDigest: DIGEST,
    modelBucket: bucket,
    modelDataKey: 'models/churn/1/model.tar.gz',
    ioBucket: io,
    ...overrides,
  });
  return { stack, batch, template: () => Template.fromStack(stack) };
}

type Step = { Name: string; Type: string; Arguments: Record<string, Record<string, unknown>> };

/** The pipeline definition, with every token resolved to its CloudFormation shape and re-parsed. */
function definitionOf(stack: Stack): { Steps: Step[] } {
  const [pipeline] = Object.values(Template.fromStack(stack).findResources('AWS::SageMaker::Pipeline')) as {
    Properties: { PipelineDefinition: { PipelineDefinitionBody: unknown } };
  }[];
  const body = pipeline.Properties.PipelineDefinition.PipelineDefinitionBody;
  // The body is an Fn::Join around references: put a JSON-safe placeholder in each.
  const text =
    typeof body === 'string'
      ? body
      : (body as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1]
          .map((part) => (typeof part === 'string' ? part : `<${JSON.stringify(part).replace(/"/g, "'")}>`))
          .join('');
  return JSON.parse(text) as { Steps: Step[] };
}

describe('BatchInference transform step', () => {
  it('runs one Transform step over the input prefix, writing under the execution id', () => {
    const { stack, batch } = build();
    const [step] = definitionOf(stack).Steps;
    expect(step.Name).toBe(BATCH_TRANSFORM_STEP);
    expect(step.Type).toBe('Transform');
    expect(JSON.stringify(step.Arguments.TransformInput)).toContain(
      `/batch-inference/${batch.pipelineName}/input/`,
    );
    expect(step.Arguments.TransformInput).toMatchObject({ ContentType: 'text/csv', SplitType: 'Line' });
    expect(JSON.stringify(step.Arguments.TransformOutput.S3OutputPath)).toContain(
      'Execution.PipelineExecutionId',
    );
  });

  // https://docs.aws.amazon.com/sagemaker/latest/dg/batch-transform-data-processing.html: the
  // record id (first CSV column) is kept from the model, joined back, and written with the prediction.
  it('joins each prediction with its record id', () => {
    const [step] = definitionOf(build().stack).Steps;
    expect(step.Arguments.DataProcessing).toEqual({
      InputFilter: '$[1:]',
      JoinSource: 'Input',
      OutputFilter: '$[0,-1]',
    });
    expect(step.Arguments.TransformOutput).toMatchObject({ AssembleWith: 'Line', Accept: 'text/csv' });
    const [custom] = definitionOf(build({ inputFilter: '$[2:]', outputFilter: '$[0,1,-1]' }).stack).Steps;
    expect(custom.Arguments.DataProcessing).toEqual({
      InputFilter: '$[2:]',
      JoinSource: 'Input',
      OutputFilter: '$[0,1,-1]',
    });
  });

  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_TransformOutput.html
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_TransformResources.html
  it('encrypts the output with the I/O bucket key and the volume with a models key, none on NVMe', () => {
    const { stack } = build();
    const [step] = definitionOf(stack).Steps;
    expect(String(step.Arguments.TransformOutput.KmsKeyId)).toMatch(/IoKey/);
    expect(String(step.Arguments.TransformResources.VolumeKmsKeyId)).toMatch(/BatchKey/);
    const [nvme] = definitionOf(build({ instanceType: 'ml.g5.2xlarge' }).stack).Steps;
    expect(nvme.Arguments.TransformResources.VolumeKmsKeyId).toBeUndefined();
    expect(nvme.Arguments.TransformResources.InstanceType).toBe('ml.g5.2xlarge');
  });

  it('runs a network-isolated model in the isolated subnets, its image pinned by digest', () => {
    build()
      .template()
      .hasResourceProperties('AWS::SageMaker::Model', {
        EnableNetworkIsolation: true,
        VpcConfig: Match.objectLike({
          SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^BatchSecurityGroup'), 'GroupId'] }],
        }),
        PrimaryContainer: Match.objectLike({
          Image: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([`/churn@${DIGEST}`])] }),
        }),
      });
  });
});

describe('BatchInference definition schema', () => {
  // The published SageMaker pipeline definition schema (../shared/schemas), with the repairs the
  // training pipeline's definitions are checked with (test/training/pipeline-schema.ts: Std:Join
  // allowed where a string argument is): SageMaker rejects a definition that does not validate.
  it.skipIf(NO_PIPELINE_SCHEMA)('validates against the pipeline definition schema', () => {
    for (const overrides of [{}, { instanceType: 'ml.g5.2xlarge' }]) {
      const { batch } = build(overrides);
      expect(schemaErrors(synthesizedDefinition(batch.resource))).toEqual([]);
    }
  });
});

describe('BatchInference roles', () => {
  it('lets the pipeline role run transform jobs named by the pipeline only', () => {
    build()
      .template()
      .hasResourceProperties('AWS::IAM::ManagedPolicy', {
        Roles: [{ Ref: Match.stringLikeRegexp('^BatchRole') }],
        PolicyDocument: {
          Statement: [
            Match.objectLike({
              Sid: 'TransformJobs',
              Action: [
                'sagemaker:CreateTransformJob',
                'sagemaker:DescribeTransformJob',
                'sagemaker:StopTransformJob',
                'sagemaker:AddTags',
              ],
              Resource: {
                'Fn::Join': [
                  '',
                  [
                    'arn:',
                    { Ref: 'AWS::Partition' },
                    ':sagemaker:eu-west-1:111111111111:transform-job/pipelines-*',
                  ],
                ],
              },
            }),
          ],
        },
      });
  });

  it('lets the model read the input prefix and write the output prefix of the I/O bucket', () => {
    const { template, batch } = build();
    const text = JSON.stringify(template().findResources('AWS::S3::BucketPolicy'));
    expect(text).toContain(`/batch-inference/${batch.pipelineName}/input/*`);
    expect(text).toContain(`/batch-inference/${batch.pipelineName}/output/*`);
    template().hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^BatchExecutionRole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'JobMetrics',
            Condition: { StringEquals: { 'cloudwatch:namespace': '/aws/sagemaker/TransformJobs' } },
          }),
        ]),
      },
    });
  });

  it('grantStartPipelineExecution: StartPipelineExecution on the pipeline', () => {
    const { stack, batch, template } = build();
    const caller = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    batch.grantStartPipelineExecution(caller);
    template().hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^Caller') }],
      PolicyDocument: {
        Statement: [Match.objectLike({ Action: 'sagemaker:StartPipelineExecution' })],
      },
    });
  });
});

describe('BatchInference triggers', () => {
  it('starts on a schedule through EventBridge Scheduler, with retries and a dead-letter queue', () => {
    build({ schedule: scheduler.ScheduleExpression.cron({ hour: '2', minute: '0' }) })
      .template()
      .hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'cron(0 2 * * ? *)',
        Target: Match.objectLike({
          RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 },
          DeadLetterConfig: {
            Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BatchTriggerDeadLetters'), 'Arn'] },
          },
        }),
      });
  });

  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventBridge.html
  it('starts when input lands under the input prefix (S3 Object Created through EventBridge)', () => {
    const { template, batch } = build({ runOnNewInput: true });
    template().hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: {
          bucket: { name: [{ Ref: Match.stringLikeRegexp('^Io') }] },
          object: { key: [{ prefix: `batch-inference/${batch.pipelineName}/input/` }] },
        },
      },
      Targets: [
        Match.objectLike({ RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BatchEventRole'), 'Arn'] } }),
      ],
    });
    build().template().resourceCountIs('AWS::Events::Rule', 0);
  });
});

describe('BatchInference validation', () => {
  it('refuses a volume key on an NVMe instance type', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'Own');
    expect(
      propsError(() => build({ instanceType: 'ml.g5.2xlarge', encryptionKey: key }, stack)).message,
    ).toMatch(
      /^Test\/Batch: encryptionKey: sagemaker rejects a volume key .*API_TransformResources\.html\)$/,
    );
  });

  it('refuses an output prefix inside the input prefix', () => {
    expect(propsError(() => build({ inputPrefix: 'in/', outputPrefix: 'in/out/' })).message).toBe(
      'Test/Batch: outputPrefix: predictions written under the input prefix would be read as input by the next run (got "in/out/"; expected a prefix outside inputPrefix (in/))',
    );
  });

  it('refuses an image tag and a filter that is not a JSONPath', () => {
    const message = propsError(() => build({ imageDigest: 'latest', inputFilter: '[1:]' })).message;
    expect(message).toContain('Test/Batch: imageDigest: is a tag, not a digest');
    expect(message).toContain('Test/Batch: inputFilter:');
  });
});

describe('BatchInference nag', () => {
  it('has zero findings in every pack, with both triggers', () => {
    const { stack } = build({
      schedule: scheduler.ScheduleExpression.cron({ hour: '2', minute: '0' }),
      runOnNewInput: true,
    });
    expect(findingLines(stack)).toEqual([]);
  });
});
