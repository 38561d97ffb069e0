import { describe, expect, it } from 'vitest';
import { CfnResource, Duration, Lazy, Stack, TimeZone, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { DEFAULT_TRAINING_INSTANCE_FAMILIES } from '../../constructs/training/defaults';
import { SecureBucket } from '../../constructs/storage/secure-bucket';
import { SpotTrainingPipeline } from '../../constructs/training/spot-training-pipeline';
import { findingLines } from '../support/nag';
import { ModelImageRepository, PinnedImage } from '../../constructs/training/model-image-repository';
import {
  DIGEST,
  EVAL_DIGEST,
  minimalProps,
  pipelineWith,
  TrainingFixture,
  trainingFixture,
} from './fixtures';
import {
  NO_PIPELINE_SCHEMA,
  PLACEHOLDER,
  schemaErrors,
  synthesizedDefinition,
  unrepairedErrors,
} from './pipeline-schema';
import { propsError as errorOf } from '../support/props';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function steps(pipeline: SpotTrainingPipeline): Json[] {
  return synthesizedDefinition(pipeline.resource).Steps as Json[];
}
function trainArgs(pipeline: SpotTrainingPipeline): Json {
  return steps(pipeline)[0].Arguments as Json;
}
function policyStatements(stack: Stack, pathFragment: string): Json[] {
  const t = Template.fromStack(stack).toJSON() as Json;
  return Object.entries(t.Resources as Json)
    .filter(
      ([, r]) =>
        r.Type === 'AWS::IAM::ManagedPolicy' && String(r.Properties.Description).includes(pathFragment),
    )
    .flatMap(([, r]) => r.Properties.PolicyDocument.Statement as Json[]);
}
/** An evaluation step (image from the fixture's repository) and a registration gate on its metric. */
function gated(f: TrainingFixture) {
  return {
    evaluation: {
      image: f.images.image(EVAL_DIGEST),
      entrypoint: ['python3', '/opt/program/evaluate.py'],
    },
    registrationGate: { metric: 'metrics.auc.value', threshold: 0.8 },
  };
}

/**
 * Undoes the five repairs of the published schema (see pipeline-schema.ts): turns joins and JSON
 * reads into plain strings, drops the fields it lacks, and writes each one-element
 * `ExceptionType` list as the single string the published schema expects.
 */
function withoutRepairs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutRepairs);
  if (typeof node !== 'object' || node === null) return node;
  const o = node as Json;
  if (o['Std:Join'])
    return (o['Std:Join'].Values as unknown[]).map((v) => (typeof v === 'string' ? v : PLACEHOLDER)).join('');
  if (o['Std:JsonGet']) return { Get: 'Steps.Evaluate.PropertyFiles' };
  const out: Json = {};
  for (const [k, v] of Object.entries(o)) {
    if (k === 'PropertyFiles' || k === 'ModelApprovalStatus') continue;
    if (k === 'ExceptionType' && Array.isArray(v) && v.length === 1) {
      out[k] = v[0];
      continue;
    }
    out[k] = withoutRepairs(v);
  }
  return out;
}

describe('SpotTrainingPipeline definition', () => {
  it.skipIf(NO_PIPELINE_SCHEMA)('validates against the pipeline definition schema with defaults', () => {
    const { pipeline } = pipelineWith();
    expect(schemaErrors(synthesizedDefinition(pipeline.resource))).toEqual([]);
  });

  it.skipIf(NO_PIPELINE_SCHEMA)('validates with every optional step and prop', () => {
    const f = trainingFixture();
    const { pipeline } = pipelineWith(
      {
        hyperparameters: { epochs: 10, learning_rate: 0.1, early_stop: true },
        metricDefinitions: [{ name: 'validation:auc', regex: 'auc=([0-9.]+)' }],
        evaluation: {
          ...gated(f).evaluation,
          instanceType: 'ml.c6i.2xlarge',
          channel: 'holdout',
        },
        registrationGate: { ...gated(f).registrationGate, comparison: 'GreaterThan' },
        instanceCount: 2,
        schedule: scheduler.ScheduleExpression.rate(Duration.days(7)),
      },
      f,
    );
    const definition = synthesizedDefinition(pipeline.resource);
    expect((definition.Steps as Json[]).map((s) => s.Type)).toEqual(['Training', 'Processing', 'Condition']);
    expect(schemaErrors(definition)).toEqual([]);
  });

  it.skipIf(NO_PIPELINE_SCHEMA)('validates with a gate on a training metric (no evaluation step)', () => {
    const { pipeline } = pipelineWith({
      metricDefinitions: [{ name: 'validation:auc', regex: 'auc=([0-9.]+)' }],
      registrationGate: { metric: 'validation:auc', threshold: 0.7 },
    });
    const definition = synthesizedDefinition(pipeline.resource);
    expect(schemaErrors(definition)).toEqual([]);
    const condition = (definition.Steps as Json[])[1];
    expect(condition.Arguments.Conditions[0].LeftValue).toEqual({
      Get: "Steps.Train.FinalMetricDataList['validation:auc'].Value",
    });
  });

  it.skipIf(NO_PIPELINE_SCHEMA)('validates without spot instances and checkpoints', () => {
    const { pipeline } = pipelineWith({ useSpotInstances: false, checkpoints: false });
    expect(schemaErrors(synthesizedDefinition(pipeline.resource))).toEqual([]);
  });

  it.skipIf(NO_PIPELINE_SCHEMA)(
    'differs from the published schema only by the five documented repairs',
    () => {
      const f = trainingFixture();
      const { pipeline } = pipelineWith(gated(f), f);
      const definition = synthesizedDefinition(pipeline.resource);
      expect(unrepairedErrors(definition)).not.toEqual([]);
      expect(unrepairedErrors(withoutRepairs(definition))).toEqual([]);
    },
  );

  // https://docs.aws.amazon.com/sagemaker/latest/dg/pipelines-retry-policy.html: the retry policy
  // JSON schema is `"ExceptionType": [String]`; a plain string is not a list of exception types.
  it.skipIf(NO_PIPELINE_SCHEMA)(
    'writes every RetryPolicies[].ExceptionType as an array of strings, and the schema rejects a string',
    () => {
      const f = trainingFixture();
      const { pipeline } = pipelineWith(gated(f), f);
      const definition = synthesizedDefinition(pipeline.resource);
      const all = (definition.Steps as Json[]).flatMap((s) => [s, ...(s.Arguments?.IfSteps ?? [])]);
      const policies = all.flatMap((s) => (s.RetryPolicies ?? []) as Json[]);
      expect(policies.length).toBeGreaterThan(0);
      for (const policy of policies) {
        expect(Array.isArray(policy.ExceptionType)).toBe(true);
        expect(policy.ExceptionType.length).toBeGreaterThan(0);
        for (const type of policy.ExceptionType) expect(typeof type).toBe('string');
      }
      const withString = structuredClone(definition);
      (withString.Steps as Json[])[0].RetryPolicies[0].ExceptionType = 'SageMaker.CAPACITY_ERROR';
      expect(schemaErrors(withString).map((e) => e.instancePath)).toContain(
        '/Steps/0/RetryPolicies/0/ExceptionType',
      );
    },
  );

  it('renders as an Fn::Join whose literal parts and placeholders are JSON', () => {
    const { pipeline } = pipelineWith();
    const resolved = Stack.of(pipeline).resolve(pipeline.resource.pipelineDefinition) as Json;
    expect(resolved.PipelineDefinitionBody['Fn::Join'][0]).toBe('');
    expect(() => synthesizedDefinition(pipeline.resource)).not.toThrow();
  });
});

describe('SpotTrainingPipeline secure defaults', () => {
  it('turns managed spot on with MaxWait = 2 x MaxRuntime', () => {
    const args = trainArgs(pipelineWith().pipeline);
    expect(args.EnableManagedSpotTraining).toBe(true);
    expect(args.StoppingCondition).toEqual({ MaxRuntimeInSeconds: 86400, MaxWaitTimeInSeconds: 172800 });
  });

  it('caps the default MaxWait at 28 days', () => {
    const args = trainArgs(pipelineWith({ maxRuntime: Duration.days(20) }).pipeline);
    expect(args.StoppingCondition.MaxWaitTimeInSeconds).toBe(28 * 86400);
  });

  it('checkpoints to a per-execution prefix of the artifact bucket at /opt/ml/checkpoints', () => {
    const { pipeline } = pipelineWith();
    const join = pipeline.definition.Steps[0].Arguments.CheckpointConfig as Json;
    expect(join.LocalPath).toBe('/opt/ml/checkpoints');
    const values = join.S3Uri['Std:Join'].Values as unknown[];
    expect(values[1]).toEqual({ Get: 'Execution.PipelineExecutionId' });
    expect(String(values[0])).toMatch(/^s3:\/\/.+\/checkpoints\/Test-Pipeline-[A-Za-z0-9]+\/$/);
  });

  it('encrypts EBS volumes and outputs with the key, isolates the network, encrypts inter-container traffic', () => {
    const args = trainArgs(pipelineWith({ instanceType: 'ml.m5.xlarge' }).pipeline);
    expect(args.ResourceConfig.VolumeKmsKeyId).toBe(PLACEHOLDER);
    expect(args.OutputDataConfig.KmsKeyId).toBe(PLACEHOLDER);
    expect(args.EnableNetworkIsolation).toBe(true);
    expect(args.EnableInterContainerTrafficEncryption).toBe(true);
  });

  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ResourceConfig.html#sagemaker-Type-ResourceConfig-VolumeKmsKeyId
  // and https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ProcessingClusterConfig.html:
  // local storage volumes are encrypted by a hardware module, and "you can't request a
  // VolumeKmsKeyId when using an instance type with local storage".
  it('sends no VolumeKmsKeyId for NVMe instance types (the default ml.g5.xlarge), and keeps the output key', () => {
    const f = trainingFixture();
    const { pipeline } = pipelineWith(
      {
        ...gated(f),
        evaluation: {
          ...gated(f).evaluation,
          instanceType: 'ml.g4dn.xlarge',
        },
      },
      f,
    );
    const [train, evaluation] = steps(pipeline);
    expect(train.Arguments.ResourceConfig.InstanceType).toBe('ml.g5.xlarge');
    expect(train.Arguments.ResourceConfig).not.toHaveProperty('VolumeKmsKeyId');
    expect(train.Arguments.OutputDataConfig.KmsKeyId).toBe(PLACEHOLDER);
    expect(evaluation.Arguments.ProcessingResources.ClusterConfig).not.toHaveProperty('VolumeKmsKeyId');
    expect(evaluation.Arguments.ProcessingOutputConfig.KmsKeyId).toBe(PLACEHOLDER);
  });

  it('encrypts the evaluation volume when its type is EBS-only, whatever the training type', () => {
    const f = trainingFixture();
    const { pipeline } = pipelineWith(gated(f), f);
    const [train, evaluation] = steps(pipeline);
    expect(train.Arguments.ResourceConfig).not.toHaveProperty('VolumeKmsKeyId');
    expect(evaluation.Arguments.ProcessingResources.ClusterConfig.VolumeKmsKeyId).toBe(PLACEHOLDER);
  });

  it('uses volumeEncryptionKey for EBS volumes when given, and grants the execution role on it', () => {
    const f = trainingFixture();
    const { pipeline } = pipelineWith({ instanceType: 'ml.m5.xlarge', volumeEncryptionKey: f.keys.logs }, f);
    const resolved = Stack.of(pipeline).resolve(
      pipeline.definition.Steps[0].Arguments.ResourceConfig,
    ) as Json;
    expect(resolved.VolumeKmsKeyId).toEqual(Stack.of(pipeline).resolve(f.keys.logs.keyArn));
    const keyStatements = policyStatements(f.stack, 'Test/Pipeline/ExecutionRole').filter((s) =>
      [s.Action].flat().includes('kms:CreateGrant'),
    );
    expect(keyStatements.map((s) => JSON.stringify(s.Resource))).toContainEqual(
      JSON.stringify(Stack.of(pipeline).resolve(f.keys.logs.keyArn)),
    );
    expect(findingLines(f.stack)).toEqual([]);
  });

  it('runs in the VPC isolated subnets with a security group', () => {
    const { f, pipeline } = pipelineWith();
    const vpc = trainArgs(pipeline).VpcConfig;
    expect(vpc.Subnets).toHaveLength(f.network.vpc.isolatedSubnets.length);
    expect(vpc.SecurityGroupIds).toHaveLength(1);
    Template.fromStack(f.stack).hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('^Jobs of Test/Pipeline'),
      SecurityGroupEgress: [Match.objectLike({ CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443 })],
      SecurityGroupIngress: Match.absent(),
    });
  });

  it('admits traffic between instances only for distributed training', () => {
    const { f } = pipelineWith({ instanceCount: 4 });
    Template.fromStack(f.stack).resourceCountIs('AWS::EC2::SecurityGroupIngress', 1);
    expect(findingLines(f.stack)).toEqual([]);
  });

  it('pins the image, uses the default instance type and volume', () => {
    const args = trainArgs(pipelineWith().pipeline);
    expect(args.AlgorithmSpecification.TrainingImage).toMatch(new RegExp(`@${DIGEST}$`));
    expect(args.ResourceConfig).toMatchObject({
      InstanceType: 'ml.g5.xlarge',
      InstanceCount: 1,
      VolumeSizeInGB: 50,
    });
  });

  it('retries capacity, resource-limit, throttling and service errors with backoff', () => {
    const retries = steps(pipelineWith().pipeline)[0].RetryPolicies as Json[];
    expect(retries.map((r) => r.ExceptionType)).toEqual([
      ['SageMaker.CAPACITY_ERROR'],
      ['SageMaker.RESOURCE_LIMIT'],
      ['Step.THROTTLING'],
      ['Step.SERVICE_FAULT'],
    ]);
    expect(retries[0]).toEqual({
      ExceptionType: ['SageMaker.CAPACITY_ERROR'],
      IntervalSeconds: 300,
      BackoffRate: 2,
      MaxAttempts: 5,
    });
  });

  it('declares hyperparameters and the dataset version as pipeline parameters', () => {
    const { pipeline } = pipelineWith({ hyperparameters: { epochs: 10 } });
    const definition = synthesizedDefinition(pipeline.resource);
    expect(definition.Parameters).toEqual([
      { Name: 'DatasetVersion', Type: 'String', DefaultValue: '2024-06-01' },
      { Name: 'hp_epochs', Type: 'String', DefaultValue: '10' },
    ]);
    expect(trainArgs(pipeline).HyperParameters).toEqual({ epochs: { Get: 'Parameters.hp_epochs' } });
  });

  it('reads each channel from the dataset version prefix and tags the job with the version', () => {
    const args = trainArgs(pipelineWith().pipeline);
    expect(args.InputDataConfig.map((c: Json) => c.ChannelName)).toEqual(['train', 'validation']);
    const values = args.InputDataConfig[0].DataSource.S3DataSource.S3Uri['Std:Join'].Values as unknown[];
    expect(String(values[0]).endsWith('/datasets/churn/v')).toBe(true);
    expect(values.slice(1)).toEqual([{ Get: 'Parameters.DatasetVersion' }, '/train/']);
    expect(args.Tags).toContainEqual({ Key: 'dataset-version', Value: { Get: 'Parameters.DatasetVersion' } });
  });

  it('registers with PendingManualApproval and the model card fields', () => {
    const register = steps(pipelineWith().pipeline)[1];
    expect(register.Type).toBe('RegisterModel');
    expect(register.Arguments.ModelApprovalStatus).toBe('PendingManualApproval');
    expect(register.Arguments.ModelPackageGroupName).toBe('churn');
    const description = register.Arguments.ModelPackageDescription['Std:Join'].Values as unknown[];
    expect(description[0]).toMatch(
      /^intended use: Ranks customers .*; risk rating: Medium; owner: retention-ml-team; dataset: churn v$/,
    );
    expect(register.Arguments.InferenceSpecification.Containers[0].ModelDataUrl).toEqual({
      Get: 'Steps.Train.ModelArtifacts.S3ModelArtifacts',
    });
  });

  it('gates registration on the evaluation report metric, else fails the execution', () => {
    const f = trainingFixture();
    const { pipeline } = pipelineWith(gated(f), f);
    const [, evaluation, condition] = steps(pipeline);
    expect(evaluation.PropertyFiles).toEqual([
      { PropertyFileName: 'EvaluationReport', OutputName: 'evaluation', FilePath: 'evaluation.json' },
    ]);
    expect(evaluation.Arguments.NetworkConfig).toMatchObject({
      EnableNetworkIsolation: true,
      EnableInterContainerTrafficEncryption: true,
    });
    expect(condition.Arguments.Conditions).toEqual([
      {
        Type: 'GreaterThanOrEqualTo',
        LeftValue: {
          'Std:JsonGet': {
            PropertyFile: { Get: 'Steps.Evaluate.PropertyFiles.EvaluationReport' },
            Path: 'metrics.auc.value',
          },
        },
        RightValue: 0.8,
      },
    ]);
    expect(condition.Arguments.IfSteps.map((s: Json) => s.Type)).toEqual(['RegisterModel']);
    expect(condition.Arguments.ElseSteps.map((s: Json) => s.Type)).toEqual(['Fail']);
  });

  it('tags the pipeline with the risk rating and owner', () => {
    const { f } = pipelineWith();
    Template.fromStack(f.stack).hasResourceProperties('AWS::SageMaker::Pipeline', {
      Tags: Match.arrayWith([
        { Key: 'model-owner', Value: 'retention-ml-team' },
        { Key: 'model-risk-rating', Value: 'Medium' },
      ]),
    });
  });

  it('allows the current G and P families and CPU families by default', () => {
    for (const family of ['g5', 'g6', 'p4d', 'p5', 'm5', 'm7i', 'c6i'])
      expect(DEFAULT_TRAINING_INSTANCE_FAMILIES).toContain(family);
    expect(DEFAULT_TRAINING_INSTANCE_FAMILIES).not.toContain('p2');
  });
});

describe('SpotTrainingPipeline validation', () => {
  it('rejects a tag in place of the training image digest, naming trainingImage.digest', () => {
    const f = trainingFixture();
    const e = errorOf(() =>
      pipelineWith({ trainingImage: { repository: f.images.repository, digest: 'latest' } }, f),
    );
    expect(e.message).toBe(
      'Test/Pipeline: trainingImage.digest: is not an image digest (a tag can be moved to another image) ' +
        '(got "latest"; expected sha256:<64 lowercase hex digits>)',
    );
  });

  it.each([
    ['a short digest', 'sha256:abc'],
    ['upper-case hex', `sha256:${'A'.repeat(64)}`],
  ])('rejects %s as the evaluation image digest, naming evaluation.image.digest', (_, digest) => {
    const f = trainingFixture();
    const g = gated(f);
    const e = errorOf(() =>
      pipelineWith(
        { ...g, evaluation: { ...g.evaluation, image: { repository: f.images.repository, digest } } },
        f,
      ),
    );
    expect(e.problems.map((p) => p.field)).toEqual(['evaluation.image.digest']);
    expect(e.message).toBe(
      `Test/Pipeline: evaluation.image.digest: is not an image digest (got ${JSON.stringify(digest)}; ` +
        'expected sha256:<64 lowercase hex digits>)',
    );
  });

  it('rejects an inference image without an ECR repository', () => {
    const f = trainingFixture();
    const inferenceImage = { repository: 'churn', digest: DIGEST } as unknown as PinnedImage;
    const e = errorOf(() => pipelineWith({ inferenceImage }, f));
    expect(e.message).toBe(
      'Test/Pipeline: inferenceImage.repository: is not a ecr.IRepository (got "churn"; expected ecr.IRepository)',
    );
  });

  it('passes a token digest through to deploy time', () => {
    const f = trainingFixture();
    const digest = Token.asString({ Ref: 'TrainingImageDigest' });
    const { pipeline } = pipelineWith({ trainingImage: { repository: f.images.repository, digest } }, f);
    const image = f.stack.resolve(
      (pipeline.definition.Steps[0].Arguments.AlgorithmSpecification as Json).TrainingImage,
    );
    expect(JSON.stringify(image)).toContain('{"Ref":"TrainingImageDigest"}');
  });

  it('rejects MaxWait shorter than MaxRuntime', () => {
    const e = errorOf(() => pipelineWith({ maxRuntime: Duration.hours(10), maxWait: Duration.hours(5) }));
    expect(e.message).toBe(
      'Test/Pipeline: maxWait: is shorter than maxRuntime (got Duration.hours(5); expected at least maxRuntime (Duration.hours(10)))',
    );
  });

  it('rejects MaxWait without spot instances', () => {
    const e = errorOf(() => pipelineWith({ useSpotInstances: false, maxWait: Duration.hours(48) }));
    expect(e.message).toContain('Test/Pipeline: maxWait: applies only to spot instances');
  });

  it('rejects an instance type outside the allowlist', () => {
    const e = errorOf(() => pipelineWith({ instanceType: 'ml.p2.xlarge' }));
    expect(e.message).toMatch(
      /^Test\/Pipeline: instanceType: is not an allowed instance type \(got "ml\.p2\.xlarge"; expected an instance family in g4dn/,
    );
  });

  it('honours a configured allowlist, for evaluation too', () => {
    const f = trainingFixture();
    const e = errorOf(() => pipelineWith({ allowedInstanceFamilies: ['g5'], ...gated(f) }, f));
    expect(e.message).toContain(
      'Test/Pipeline: evaluation.instanceType: is not an allowed instance type (got "ml.m5.xlarge"; expected an instance family in g5)',
    );
  });

  it('rejects spot without checkpoints, whether spot is defaulted or forced on', () => {
    for (const useSpotInstances of [undefined, true]) {
      const e = errorOf(() => pipelineWith({ useSpotInstances, checkpoints: false }));
      expect(e.message).toContain('Test/Pipeline: checkpoints: must be on with spot instances');
    }
  });

  it('rejects a gate on an undefined training metric', () => {
    const e = errorOf(() => pipelineWith({ registrationGate: { metric: 'auc', threshold: 1 } }));
    expect(e.message).toContain('Test/Pipeline: registrationGate.metric: is not a training metric');
  });

  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ResourceConfig.html: SageMaker
  // rejects VolumeKmsKeyId for an instance type with local (NVMe) storage.
  it('rejects a volume key with an NVMe training instance type', () => {
    const f = trainingFixture();
    const e = errorOf(() =>
      pipelineWith({ instanceType: 'ml.p4d.24xlarge', volumeEncryptionKey: f.keys.models }, f),
    );
    expect(e.problems.map((p) => p.field)).toEqual(['volumeEncryptionKey']);
    expect(e.message).toBe(
      'Test/Pipeline: volumeEncryptionKey: is rejected by SageMaker for an instance type with local NVMe storage, whose volumes are encrypted in hardware (got a key with instanceType "ml.p4d.24xlarge"; expected no volumeEncryptionKey, or an instance type with EBS volumes only)',
    );
  });

  it('rejects a volume key with an NVMe evaluation instance type', () => {
    const f = trainingFixture();
    const e = errorOf(() =>
      pipelineWith(
        {
          instanceType: 'ml.m5.xlarge',
          volumeEncryptionKey: f.keys.models,
          ...gated(f),
          evaluation: { ...gated(f).evaluation, instanceType: 'ml.g4dn.xlarge' },
        },
        f,
      ),
    );
    expect(e.problems.map((p) => [p.field, p.got])).toEqual([
      ['volumeEncryptionKey', 'a key with evaluation.instanceType "ml.g4dn.xlarge"'],
    ]);
  });

  it('reports every problem at once', () => {
    const e = errorOf(() =>
      pipelineWith({ instanceType: 'ml.t3.medium', checkpoints: false, maxWait: Duration.hours(1) }),
    );
    expect(e.problems.map((p) => p.field)).toEqual(['instanceType', 'checkpoints', 'maxWait']);
  });

  it('rejects unknown props and a missing registry, before creating children', () => {
    const f = trainingFixture();
    const props = { ...minimalProps(f), modelRegistry: undefined, bogus: 1 } as unknown as ReturnType<
      typeof minimalProps
    >;
    const e = errorOf(() => new SpotTrainingPipeline(f.stack, 'Bad', props));
    expect(e.problems.map((p) => p.field).sort()).toEqual(['bogus', 'modelRegistry']);
    expect(f.stack.node.tryFindChild('Bad')?.node.children.length ?? 0).toBe(0);
  });
});

describe('SpotTrainingPipeline roles', () => {
  it('uses no wildcard actions', () => {
    const f = trainingFixture();
    pipelineWith({ ...gated(f), schedule: scheduler.ScheduleExpression.rate(Duration.days(1)) }, f);
    const t = Template.fromStack(f.stack).toJSON() as Json;
    const actions = Object.values(t.Resources as Json)
      .filter((r: Json) => r.Type === 'AWS::IAM::ManagedPolicy')
      .flatMap((r: Json) => r.Properties.PolicyDocument.Statement.flatMap((s: Json) => [s.Action].flat()));
    expect(actions.filter((a: string) => a.includes('*'))).toEqual([]);
  });

  it('passes the execution role only to SageMaker', () => {
    const { f } = pipelineWith();
    const pass = policyStatements(f.stack, 'Test/Pipeline/Role').find((s) => s.Action === 'iam:PassRole');
    expect(pass?.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } });
    expect(pass?.Resource['Fn::GetAtt'][0]).toMatch(/^PipelineExecutionRole/);
  });

  it('lets the pipeline role start only its own jobs and register into its group', () => {
    const { f } = pipelineWith();
    const statements = policyStatements(f.stack, 'Test/Pipeline/Role');
    const training = statements.find((s) => s.Sid === 'TrainingJobs');
    expect(JSON.stringify(training?.Resource)).toContain(':training-job/pipelines-*');
    const register = statements.find((s) => [s.Action].flat().includes('sagemaker:CreateModelPackage'));
    expect(JSON.stringify(register?.Resource)).toContain('model-package/churn/*');
  });

  it('pulls only from the one repository', () => {
    const { f } = pipelineWith();
    const pull = policyStatements(f.stack, 'Test/Pipeline/ExecutionRole').find((s) => s.Sid === 'PullImages');
    expect(pull?.Resource).toEqual({
      'Fn::GetAtt': [f.stack.getLogicalId(f.images.repository.node.defaultChild as CfnResource), 'Arn'],
    });
  });

  it("runs each image by its repository's digest URI and pulls from exactly the repositories it runs", () => {
    const f = trainingFixture();
    const evalImages = new ModelImageRepository(f.stack, 'EvalImages', { encryptionKey: f.keys.models });
    const serveImages = new ModelImageRepository(f.stack, 'ServeImages', { encryptionKey: f.keys.models });
    const g = gated(f);
    const { pipeline } = pipelineWith(
      {
        ...g,
        evaluation: { ...g.evaluation, image: evalImages.image(EVAL_DIGEST) },
        inferenceImage: serveImages.image(DIGEST),
      },
      f,
    );
    const arnOf = (r: ModelImageRepository) => ({
      'Fn::GetAtt': [f.stack.getLogicalId(r.repository.node.defaultChild as CfnResource), 'Arn'],
    });
    const pull = policyStatements(f.stack, 'Test/Pipeline/ExecutionRole').find((s) => s.Sid === 'PullImages');
    // The inference image is only written into the model version: serving pulls it, not training.
    expect(pull?.Resource).toEqual([arnOf(f.images), arnOf(evalImages)]);
    const [train, evaluation, condition] = pipeline.definition.Steps;
    const uri = (v: unknown) => f.stack.resolve(v) as unknown;
    expect(uri((train.Arguments.AlgorithmSpecification as Json).TrainingImage)).toEqual(
      uri(f.images.repository.repositoryUriForDigest(DIGEST)),
    );
    expect(uri((evaluation.Arguments.AppSpecification as Json).ImageUri)).toEqual(
      uri(evalImages.repository.repositoryUriForDigest(EVAL_DIGEST)),
    );
    const register = (condition.Arguments.IfSteps as Json[])[0];
    expect(uri(register.Arguments.InferenceSpecification.Containers[0].Image)).toEqual(
      uri(serveImages.repository.repositoryUriForDigest(DIGEST)),
    );
    expect(findingLines(f.stack)).toEqual([]);
  });

  it('writes to an artifact bucket of yours (ISecureBucket), creating none, granting its prefixes', () => {
    const f = trainingFixture();
    const bucket = s3.Bucket.fromBucketName(f.stack, 'OwnBucket', 'own-ml-artifacts');
    const artifactBucket = SecureBucket.fromBucketAttributes(f.stack, 'Own', {
      bucket,
      encryptionKey: f.keys.models,
    });
    const { pipeline } = pipelineWith({ artifactBucket }, f);
    expect(pipeline.artifactBucket).toBe(artifactBucket);
    expect(pipeline.encryptionKey).toBe(f.keys.models);
    expect(pipeline.node.tryFindChild('Artifacts')).toBeUndefined();
    const output = trainArgs(pipeline).OutputDataConfig.S3OutputPath['Std:Join'].Values as unknown[];
    expect(output[0]).toBe(`s3://own-ml-artifacts/models/${pipeline.pipelineName}/`);
    const resources = JSON.stringify(
      policyStatements(f.stack, 'Test/Pipeline/ExecutionRole').map((st) => st.Resource),
    );
    expect(resources).toContain(`:s3:::own-ml-artifacts/checkpoints/${pipeline.pipelineName}/*`);
  });

  it('grants the dataset prefix read and the artifact prefixes write in bucket policies', () => {
    const { f } = pipelineWith();
    const t = Template.fromStack(f.stack);
    t.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectTagging'],
            Resource: { 'Fn::Join': ['', [Match.anyValue(), '/datasets/churn/v*']] },
          }),
        ]),
      },
    });
    t.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['s3:PutObject', 's3:PutObjectTagging', 's3:AbortMultipartUpload'],
            Resource: {
              'Fn::Join': [
                '',
                [Match.anyValue(), Match.stringLikeRegexp('^/checkpoints/Test-Pipeline-.*/\\*$')],
              ],
            },
          }),
        ]),
      },
    });
  });
});

describe('SpotTrainingPipeline triggers', () => {
  it('creates a schedule that starts the pipeline with a scoped role, retries and a dead-letter queue', () => {
    const { f, pipeline } = pipelineWith({
      schedule: scheduler.ScheduleExpression.expression('cron(0 3 ? * MON *)'),
    });
    expect(pipeline.schedule).toBeInstanceOf(scheduler.Schedule);
    const t = Template.fromStack(f.stack);
    t.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 3 ? * MON *)',
      ScheduleExpressionTimezone: 'Etc/UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: Match.objectLike({ 'Fn::Join': Match.anyValue() }),
        SageMakerPipelineParameters: { PipelineParameterList: [] },
        RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: { Arn: Match.anyValue() },
      },
    });
    // Exactly three grants: start this pipeline, send to the dead-letter queue, encrypt with its key.
    const statements = policyStatements(f.stack, 'Test/Pipeline/ScheduleRole');
    expect(statements.map((s) => s.Action)).toEqual([
      'sagemaker:StartPipelineExecution',
      'sqs:SendMessage',
      ['kms:GenerateDataKey', 'kms:Decrypt'],
    ]);
    expect(JSON.stringify(statements[0].Resource)).toMatch(/:pipeline\/test-pipeline-[a-z0-9]+"/);
    const queueId = f.stack.getLogicalId(pipeline.deadLetterQueue.node.defaultChild as CfnResource);
    expect(statements[1].Resource).toEqual({ 'Fn::GetAtt': [queueId, 'Arn'] });
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
          }),
        ],
      },
    });
  });

  it('starts the pipeline on events (drift) through onEvent and asRuleTarget', () => {
    const { f, pipeline } = pipelineWith();
    pipeline.onEvent('OnDrift', {
      eventPattern: { source: ['compliant-mlops.drift'], detailType: ['Drift Detected'] },
    });
    const other = new events.Rule(f.stack, 'Other', { eventPattern: { source: ['custom'] } });
    other.addTarget(pipeline.asRuleTarget());
    const t = Template.fromStack(f.stack);
    t.resourcePropertiesCountIs(
      'AWS::Events::Rule',
      {
        Targets: [
          Match.objectLike({
            RoleArn: Match.anyValue(),
            DeadLetterConfig: Match.anyValue(),
            RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 7200 },
          }),
        ],
      },
      2,
    );
    expect(findingLines(f.stack)).toEqual([]);
  });

  it('keeps the role ids; the schedule (the L2 at Pipeline/Schedule/Resource) has no custom name', () => {
    // The schedule moved from a CfnSchedule at Pipeline/Schedule to aws-scheduler's L2, whose
    // CfnSchedule is its `Resource` child: a new logical id, which replaces the deployed schedule.
    // That is safe only because it has no ScheduleName (CloudFormation generates one per logical
    // id, so the new and old schedules never collide); a custom name would make it fail.
    const { f } = pipelineWith({ schedule: scheduler.ScheduleExpression.rate(Duration.days(1)) });
    const t = Template.fromStack(f.stack).toJSON() as Json;
    expect(Object.keys(t.Resources as Json).filter((k) => k.startsWith('PipelineSchedule'))).toEqual([
      'PipelineScheduleRole1A33F04C',
      'PipelineScheduleRolePolicyF17A4D68',
      'PipelineSchedule39B56451',
    ]);
    expect(t.Resources.PipelineSchedule39B56451.Type).toBe('AWS::Scheduler::Schedule');
    expect(t.Resources.PipelineSchedule39B56451.Properties.Name).toBeUndefined();
    expect(t.Resources.PipelineSchedule39B56451.DependsOn).toEqual(['PipelineScheduleRolePolicyF17A4D68']);
  });

  it('writes the time zone of the expression', () => {
    const { f } = pipelineWith({
      schedule: scheduler.ScheduleExpression.cron({
        weekDay: 'MON',
        hour: '3',
        minute: '0',
        timeZone: TimeZone.EUROPE_LONDON,
      }),
    });
    Template.fromStack(f.stack).hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 3 ? * MON *)',
      ScheduleExpressionTimezone: 'Europe/London',
    });
  });

  it.each([
    ['a string', 'cron(0 3 ? * MON *)', 'is not a scheduler.ScheduleExpression'],
    [
      'an unknown expression',
      scheduler.ScheduleExpression.expression('daily'),
      'is not an EventBridge Scheduler expression (got "daily"; expected cron(...), rate(<n> minutes|hours|days) or at(...))',
    ],
  ])('rejects %s as the schedule, naming the field', (_, schedule, problem) => {
    const e = errorOf(() => pipelineWith({ schedule: schedule as scheduler.ScheduleExpression }));
    expect(e.message).toContain(`Test/Pipeline: schedule: ${problem}`);
  });

  it('grants start on the pipeline ARN only', () => {
    const { f, pipeline } = pipelineWith();
    expect(pipeline.eventRole.node.path).toBe('Test/Pipeline/EventRole');
    const statements = policyStatements(f.stack, 'Test/Pipeline/EventRole');
    expect(statements).toHaveLength(1);
    expect(statements[0].Action).toBe('sagemaker:StartPipelineExecution');
    expect(JSON.stringify(statements[0].Resource)).toMatch(/:pipeline\/test-pipeline-[a-z0-9]+"/);
  });
});

describe('SpotTrainingPipeline nag', () => {
  it('has zero findings with defaults', () => {
    const { f } = pipelineWith();
    expect(findingLines(f.stack)).toEqual([]);
  });

  it('has zero findings with evaluation, gate and schedule', () => {
    const f = trainingFixture();
    pipelineWith({ ...gated(f), schedule: scheduler.ScheduleExpression.rate(Duration.days(1)) }, f);
    expect(findingLines(f.stack)).toEqual([]);
  });

  it('registering as Approved (the escape hatch) trips only the MLOps review-gate rule', () => {
    const { f } = pipelineWith({ modelApprovalStatus: 'Approved' });
    expect(findingLines(f.stack)).toEqual([
      'MLOps-SageMakerPipelineRegisterModelApproval[RegisterModel.ModelApprovalStatus] @ Test/Pipeline/Resource',
    ]);
  });

  describe('SpotTrainingPipeline token durations', () => {
    const secondsToken = () => Duration.seconds(Token.asNumber(Lazy.number({ produce: () => 3600 })));

    it('refuses a token maxRuntime: MaxWait is derived from it and compared with it at synth', () => {
      const e = errorOf(() => pipelineWith({ maxRuntime: secondsToken() }));
      expect(e.problems.map((p) => p.field)).toEqual(['maxRuntime']);
      expect(e.message).toMatch(/^Test\/Pipeline: maxRuntime: must be a literal duration/);
    });

    it('renders a token capacity retry interval in seconds', () => {
      expect(() => pipelineWith({ capacityRetryInterval: secondsToken() })).not.toThrow();
      const e = errorOf(() =>
        pipelineWith({
          capacityRetryInterval: Duration.minutes(Token.asNumber(Lazy.number({ produce: () => 5 }))),
        }),
      );
      expect(e.message).toMatch(
        /^Test\/Pipeline: capacityRetryInterval: is a token in minutes, which cannot be converted into seconds/,
      );
    });
  });
});
