import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import {
  CfnAppImageConfig,
  CfnAppImageConfigProps,
  CfnDomain,
  CfnDomainProps,
  CfnEndpointConfig,
  CfnEndpointConfigProps,
  CfnImage,
  CfnImageProps,
  CfnImageVersion,
  CfnImageVersionProps,
  CfnInferenceExperiment,
  CfnInferenceExperimentProps,
  CfnModel,
  CfnModelProps,
  CfnNotebookInstance,
  CfnNotebookInstanceLifecycleConfig,
  CfnNotebookInstanceLifecycleConfigProps,
  CfnNotebookInstanceProps,
  CfnPipeline,
  CfnPipelineProps,
  CfnStudioLifecycleConfig,
  CfnStudioLifecycleConfigProps,
} from 'aws-cdk-lib/aws-sagemaker';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { auditExitCode, runAudit } from '../../lib/audit/audit';
import { NOT_READ, TRAINING_STEP } from '../../lib/audit/cfn-shape';
import { judgeShapes, LIVE_RULES, LiveRuleGroup } from '../../lib/audit/live-rules';
import { checkPaths } from '../../lib/check/check';
import { checkTemplateObjects } from '../../lib/check/templates';
import { MLOpsChecks } from '../../lib/policy/mlops-checks';
import { AwsFake, startAwsFake } from '../support/aws-fake';
import { testStack } from '../support/nag';
import { daysAgo, emptyWorld, fakeClients, keyArn, NOW, serve, World } from './world';

// One rule, three places: for every rule the audit runs on live resources, a compliant and a
// non-compliant resource get the same verdict at synth (the L1 in a Stack, the pack's
// validateScope), in `check` (the same properties as a template, through checkPaths) and in
// `audit` (the equivalent Describe response, served to the real SDK v3 client by the loopback
// fake). A value nobody can read (an unresolvable intrinsic at synth and in check, a member the
// describe did not return live) is "not checked" in all three, never a pass.

type Verdict = 'pass' | 'fail' | 'not checked';
type Props = Record<string, unknown>;

/** A marker the parity cases use for "unknown here": a parameter at synth and in check, omitted live. */
const UNKNOWN = Symbol('unknown');

const ROLE = 'arn:aws:iam::111111111111:role/ml';
const EXPERIMENT_VARIANT = {
  ModelName: 'm',
  VariantName: 'shadow',
  InfrastructureConfig: {
    InfrastructureType: 'RealTimeInference',
    RealTimeInferenceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1 },
  },
};
const KEY = keyArn('k-good');
const IMAGE = '111111111111.dkr.ecr.eu-west-1.amazonaws.com/serve@sha256:' + 'a'.repeat(64);

/** CloudFormation Properties and Describe responses each type needs before a case's own fields. */
const BASE: Record<
  LiveRuleGroup,
  { type: string; cfn: Props; live: Props; nameKey: string; arnKey: string }
> = {
  models: {
    type: 'AWS::SageMaker::Model',
    cfn: { ExecutionRoleArn: ROLE },
    live: { ExecutionRoleArn: ROLE },
    nameKey: 'ModelName',
    arnKey: 'ModelArn',
  },
  'endpoint-configs': {
    type: 'AWS::SageMaker::EndpointConfig',
    cfn: {},
    live: {},
    nameKey: 'EndpointConfigName',
    arnKey: 'EndpointConfigArn',
  },
  notebooks: {
    type: 'AWS::SageMaker::NotebookInstance',
    cfn: { InstanceType: 'ml.t3.medium', RoleArn: ROLE },
    live: { InstanceType: 'ml.t3.medium', RoleArn: ROLE },
    nameKey: 'NotebookInstanceName',
    arnKey: 'NotebookInstanceArn',
  },
  // A training job has no CloudFormation type: synth and check see it as the Training step of a
  // pipeline (the CreateTrainingJob request, which DescribeTrainingJob returns member for member).
  'training-jobs': {
    type: 'AWS::SageMaker::Pipeline',
    cfn: {},
    live: {},
    nameKey: 'TrainingJobName',
    arnKey: 'TrainingJobArn',
  },
  domains: {
    type: 'AWS::SageMaker::Domain',
    cfn: { AuthMode: 'IAM', DomainName: 'studio', VpcId: 'vpc-1', SubnetIds: ['subnet-1'] },
    live: { AuthMode: 'IAM', DomainName: 'studio', VpcId: 'vpc-1', SubnetIds: ['subnet-1'] },
    nameKey: 'DomainId',
    arnKey: 'DomainArn',
  },
  'lifecycle-configs': {
    type: 'AWS::SageMaker::NotebookInstanceLifecycleConfig',
    cfn: {},
    live: {},
    nameKey: 'NotebookInstanceLifecycleConfigName',
    arnKey: 'NotebookInstanceLifecycleConfigArn',
  },
  'studio-lifecycle-configs': {
    type: 'AWS::SageMaker::StudioLifecycleConfig',
    cfn: { StudioLifecycleConfigName: 'parity', StudioLifecycleConfigAppType: 'JupyterLab' },
    live: { StudioLifecycleConfigAppType: 'JupyterLab' },
    nameKey: 'StudioLifecycleConfigName',
    arnKey: 'StudioLifecycleConfigArn',
  },
  // DescribeImage names the role RoleArn and the description Description (ImageRoleArn and
  // ImageDescription in the template).
  images: {
    type: 'AWS::SageMaker::Image',
    cfn: { ImageName: 'parity', ImageRoleArn: ROLE },
    live: { RoleArn: ROLE },
    nameKey: 'ImageName',
    arnKey: 'ImageArn',
  },
  'app-image-configs': {
    type: 'AWS::SageMaker::AppImageConfig',
    cfn: { AppImageConfigName: 'parity' },
    live: {},
    nameKey: 'AppImageConfigName',
    arnKey: 'AppImageConfigArn',
  },
  // An image version is listed under its image (ListImageVersions by ImageName), see world().
  'image-versions': {
    type: 'AWS::SageMaker::ImageVersion',
    cfn: { ImageName: 'parity' },
    live: { Version: 1 },
    nameKey: 'ImageName',
    arnKey: 'ImageVersionArn',
  },
  // DescribeInferenceExperiment returns the endpoint as EndpointMetadata.EndpointName.
  'inference-experiments': {
    type: 'AWS::SageMaker::InferenceExperiment',
    cfn: {
      Name: 'parity',
      Type: 'ShadowMode',
      RoleArn: ROLE,
      EndpointName: 'ep',
      ModelVariants: [EXPERIMENT_VARIANT],
    },
    live: {
      Type: 'ShadowMode',
      RoleArn: ROLE,
      EndpointMetadata: { EndpointName: 'ep' },
      ModelVariants: [{ ...EXPERIMENT_VARIANT, Status: 'InService' }],
    },
    nameKey: 'Name',
    arnKey: 'Arn',
  },
};

/** The pack's default required tag keys (MLOpsChecksProps.requiredTagKeys), every one set. */
const ALL_TAGS = [
  { Key: 'owner', Value: 'ml-platform' },
  { Key: 'cost-center', Value: 'cc-1234' },
  { Key: 'environment', Value: 'dev' },
  { Key: 'data-classification', Value: 'internal' },
];
const b64 = (text: string): string => Buffer.from(text).toString('base64');
// A made-up access key pair of the real shape (secretlint allows AWS's documentation examples).
const LEAKY_SCRIPT = b64(
  '#!/bin/bash\nexport AWS_ACCESS_KEY_ID=AKIA2E0A8F3B244C9986\nexport AWS_SECRET_ACCESS_KEY="7CE556A3BC234CC1FF9E8A5C324C0BB70AA21B6D"\n',
);
const CLEAN_SCRIPT = b64(
  '#!/bin/bash\nTOKEN=$(aws secretsmanager get-secret-value --secret-id ml/token --query SecretString --output text)\n',
);

const variant = (extra: Props = {}): Props => ({
  VariantName: 'v1',
  ModelName: 'm',
  InstanceType: 'ml.m5.large',
  InitialInstanceCount: 2,
  InitialVariantWeight: 1,
  ...extra,
});
const capture = (extra: Props = {}): Props => ({
  EnableCapture: true,
  KmsKeyId: KEY,
  DestinationS3Uri: 's3://capture/',
  InitialSamplingPercentage: 100,
  CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
  ...extra,
});
/** A training job with every protection the pipeline training rule asks for. */
const training = (extra: Props = {}): Props => ({
  RoleArn: ROLE,
  AlgorithmSpecification: { TrainingImage: IMAGE, TrainingInputMode: 'File' },
  ResourceConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeSizeInGB: 50, VolumeKmsKeyId: KEY },
  OutputDataConfig: { S3OutputPath: 's3://out/', KmsKeyId: KEY },
  VpcConfig: { Subnets: ['subnet-1'], SecurityGroupIds: ['sg-1'] },
  EnableNetworkIsolation: true,
  EnableInterContainerTrafficEncryption: true,
  StoppingCondition: { MaxRuntimeInSeconds: 3600 },
  ...extra,
});
const idle = (mode: unknown): Props => ({
  AppLifecycleManagement: { IdleSettings: { LifecycleManagement: mode, IdleTimeoutInMinutes: 60 } },
});

/** One side of a case: CloudFormation Properties and the Describe response that means the same. */
interface Side {
  readonly cfn: Props;
  /** @default - the same members as `cfn` (most Describe members carry the CloudFormation name) */
  readonly live?: Props;
}

interface ParityCase {
  readonly rule: string;
  readonly group: LiveRuleGroup;
  readonly compliant: Side;
  readonly nonCompliant: Side;
  /** A side whose deciding value is unknown (UNKNOWN in cfn, absent or malformed live). */
  readonly unknown?: Side;
  /**
   * The synth and check verdict of the unknown side. A presence check counts a reference (a key
   * ARN or subnet from a parameter) as set, as lib/policy/README.md "Intrinsics" documents; live,
   * a member the describe did not return is never known to be set.
   * @default 'not checked'
   */
  readonly unknownAtSynth?: Verdict;
}

const CASES: readonly ParityCase[] = [
  {
    rule: 'MLOps-SageMakerModelNetworkIsolation',
    group: 'models',
    compliant: { cfn: { EnableNetworkIsolation: true } },
    nonCompliant: { cfn: { EnableNetworkIsolation: false } },
  },
  {
    rule: 'MLOps-SageMakerModelVpcConfig',
    group: 'models',
    compliant: { cfn: { VpcConfig: { Subnets: ['subnet-1'], SecurityGroupIds: ['sg-1'] } } },
    // The divergence that started this: a VpcConfig without security groups passed the old live
    // check (presence only) and failed at synth. Now it fails everywhere.
    nonCompliant: { cfn: { VpcConfig: { Subnets: ['subnet-1'], SecurityGroupIds: [] } } },
  },
  {
    rule: 'MLOps-SageMakerModelImageDigest',
    group: 'models',
    compliant: { cfn: { PrimaryContainer: { Image: IMAGE } } },
    nonCompliant: {
      cfn: { PrimaryContainer: { Image: '111111111111.dkr.ecr.eu-west-1.amazonaws.com/serve:latest' } },
    },
  },
  {
    rule: 'MLOps-SageMakerModelPrivateRegistry',
    group: 'models',
    compliant: { cfn: { PrimaryContainer: { Image: IMAGE } } },
    nonCompliant: { cfn: { PrimaryContainer: { Image: `public.ecr.aws/x/serve@sha256:${'a'.repeat(64)}` } } },
  },
  {
    rule: 'MLOps-SageMakerEndpointConfigKMS',
    group: 'endpoint-configs',
    compliant: { cfn: { KmsKeyId: KEY, ProductionVariants: [variant()] } },
    nonCompliant: { cfn: { ProductionVariants: [variant()] } },
    // Without a key the verdict hangs on the instance type (NVMe types are exempt).
    unknown: {
      cfn: { ProductionVariants: [variant({ InstanceType: UNKNOWN })] },
      live: { ProductionVariants: [variant({ InstanceType: undefined })] },
    },
  },
  {
    rule: 'MLOps-SageMakerEndpointConfigDataCapture',
    group: 'endpoint-configs',
    compliant: { cfn: { KmsKeyId: KEY, ProductionVariants: [variant()], DataCaptureConfig: capture() } },
    nonCompliant: {
      cfn: {
        KmsKeyId: KEY,
        ProductionVariants: [variant()],
        DataCaptureConfig: capture({ KmsKeyId: undefined }),
      },
    },
    unknown: {
      cfn: { ProductionVariants: [variant()], DataCaptureConfig: capture({ EnableCapture: UNKNOWN }) },
      live: { ProductionVariants: [variant()], DataCaptureConfig: capture({ EnableCapture: 'yes' }) },
    },
  },
  {
    rule: 'MLOps-SageMakerEndpointConfigInstanceCount',
    group: 'endpoint-configs',
    compliant: { cfn: { KmsKeyId: KEY, ProductionVariants: [variant()] } },
    nonCompliant: { cfn: { KmsKeyId: KEY, ProductionVariants: [variant({ InitialInstanceCount: 1 })] } },
  },
  {
    rule: 'MLOps-SageMakerEndpointConfigAsyncOutputKMS',
    group: 'endpoint-configs',
    compliant: {
      cfn: {
        KmsKeyId: KEY,
        ProductionVariants: [variant()],
        AsyncInferenceConfig: { OutputConfig: { S3OutputPath: 's3://out/', KmsKeyId: KEY } },
      },
    },
    nonCompliant: {
      cfn: {
        KmsKeyId: KEY,
        ProductionVariants: [variant()],
        AsyncInferenceConfig: { OutputConfig: { S3OutputPath: 's3://out/' } },
      },
    },
  },
  {
    rule: 'MLOps-SageMakerVolumeKmsOnInstanceStorage',
    group: 'endpoint-configs',
    compliant: { cfn: { ProductionVariants: [variant({ InstanceType: 'ml.g5.xlarge' })] } },
    nonCompliant: { cfn: { KmsKeyId: KEY, ProductionVariants: [variant({ InstanceType: 'ml.g5.xlarge' })] } },
  },
  // Shadow variants (ShadowProductionVariants) are read by the NVMe key rules like production ones.
  {
    rule: 'MLOps-SageMakerVolumeKmsOnInstanceStorage',
    group: 'endpoint-configs',
    compliant: {
      cfn: {
        ProductionVariants: [variant()],
        ShadowProductionVariants: [variant({ VariantName: 's1', InstanceType: 'ml.g5.xlarge' })],
      },
    },
    nonCompliant: {
      cfn: {
        KmsKeyId: KEY,
        ProductionVariants: [variant()],
        ShadowProductionVariants: [variant({ VariantName: 's1', InstanceType: 'ml.g5.xlarge' })],
      },
    },
  },
  {
    rule: 'MLOps-SageMakerEndpointConfigKMS',
    group: 'endpoint-configs',
    compliant: {
      cfn: {
        ProductionVariants: [variant()],
        ShadowProductionVariants: [variant({ VariantName: 's1', InstanceType: 'ml.g5.xlarge' })],
      },
    },
    nonCompliant: {
      cfn: { ProductionVariants: [variant()], ShadowProductionVariants: [variant({ VariantName: 's1' })] },
    },
  },
  {
    rule: 'MLOps-SageMakerNotebookRootAccessDisabled',
    group: 'notebooks',
    compliant: { cfn: { RootAccess: 'Disabled' } },
    // Absent: the default is Enabled, in the template and in the account alike.
    nonCompliant: { cfn: {} },
  },
  {
    rule: 'MLOps-SageMakerNotebookIMDSv2',
    group: 'notebooks',
    compliant: {
      cfn: { InstanceMetadataServiceConfiguration: { MinimumInstanceMetadataServiceVersion: '2' } },
    },
    nonCompliant: {
      cfn: { InstanceMetadataServiceConfiguration: { MinimumInstanceMetadataServiceVersion: '1' } },
    },
    unknown: {
      cfn: { InstanceMetadataServiceConfiguration: { MinimumInstanceMetadataServiceVersion: UNKNOWN } },
      live: { InstanceMetadataServiceConfiguration: {} },
    },
  },
  {
    rule: 'MLOps-SageMakerNotebookLifecycleConfig',
    group: 'notebooks',
    compliant: {
      cfn: { LifecycleConfigName: 'auto-stop' },
      live: { NotebookInstanceLifecycleConfigName: 'auto-stop' },
    },
    nonCompliant: { cfn: {} },
  },
  {
    rule: 'MLOps-SageMakerNotebookVpc',
    group: 'notebooks',
    compliant: {
      cfn: { SubnetId: 'subnet-1', SecurityGroupIds: ['sg-1'] },
      live: { SubnetId: 'subnet-1', SecurityGroups: ['sg-1'] },
    },
    // A subnet without security groups: AwsSolutions-SM1 read only SubnetId and passed it.
    nonCompliant: { cfn: { SubnetId: 'subnet-1' } },
    unknown: {
      cfn: { SubnetId: UNKNOWN, SecurityGroupIds: ['sg-1'] },
      live: { SubnetId: { Unexpected: 'shape' }, SecurityGroups: ['sg-1'] },
    },
    unknownAtSynth: 'pass',
  },
  {
    rule: 'MLOps-SageMakerNotebookKMS',
    group: 'notebooks',
    compliant: { cfn: { KmsKeyId: KEY } },
    nonCompliant: { cfn: {} },
    // A key ARN from a parameter is a key at synth; a key the describe returned in no usable
    // shape is not checked live (AwsSolutions-SM2 passed it, which is why the audit needed a
    // per-rule list of the members cdk-nag's rules read).
    unknown: { cfn: { KmsKeyId: UNKNOWN }, live: { KmsKeyId: { Unexpected: 'shape' } } },
    unknownAtSynth: 'pass',
  },
  {
    rule: 'MLOps-SageMakerNotebookNoDirectInternet',
    group: 'notebooks',
    compliant: { cfn: { DirectInternetAccess: 'Disabled' } },
    nonCompliant: { cfn: { DirectInternetAccess: 'Enabled' } },
    unknown: { cfn: { DirectInternetAccess: UNKNOWN }, live: { DirectInternetAccess: 7 } },
  },
  {
    rule: 'MLOps-SageMakerNotebookPlatformIdentifier',
    group: 'notebooks',
    compliant: { cfn: { PlatformIdentifier: 'notebook-al2-v3' } },
    nonCompliant: { cfn: { PlatformIdentifier: 'notebook-al1-v1' } },
    unknown: { cfn: { PlatformIdentifier: UNKNOWN }, live: { PlatformIdentifier: ['x'] } },
  },
  // JupyterLab 3 on AL2 (end of support June 30, 2025), against JupyterLab 4 on AL2023.
  {
    rule: 'MLOps-SageMakerNotebookPlatformIdentifier',
    group: 'notebooks',
    compliant: { cfn: { PlatformIdentifier: 'notebook-al2023-v1' } },
    nonCompliant: { cfn: { PlatformIdentifier: 'notebook-al2-v2' } },
  },
  {
    rule: 'MLOps-SageMakerStudioDomainVpcOnly',
    group: 'domains',
    compliant: { cfn: { AppNetworkAccessType: 'VpcOnly', DefaultUserSettings: { ExecutionRole: ROLE } } },
    nonCompliant: {
      cfn: { AppNetworkAccessType: 'PublicInternetOnly', DefaultUserSettings: { ExecutionRole: ROLE } },
    },
  },
  {
    rule: 'MLOps-SageMakerStudioDomainIdleShutdown',
    group: 'domains',
    compliant: {
      cfn: { DefaultUserSettings: { ExecutionRole: ROLE, JupyterLabAppSettings: idle('ENABLED') } },
    },
    nonCompliant: {
      cfn: {
        DefaultUserSettings: {
          ExecutionRole: ROLE,
          JupyterLabAppSettings: idle('ENABLED'),
          CodeEditorAppSettings: idle('DISABLED'),
        },
      },
    },
    unknown: {
      cfn: { DefaultUserSettings: { ExecutionRole: ROLE, JupyterLabAppSettings: idle(UNKNOWN) } },
      live: { DefaultUserSettings: { ExecutionRole: ROLE, JupyterLabAppSettings: idle(42) } },
    },
  },
  {
    rule: 'MLOps-SageMakerPipelineTrainingStep',
    group: 'training-jobs',
    compliant: { cfn: training() },
    nonCompliant: { cfn: training({ EnableNetworkIsolation: false }) },
  },
  {
    // Prowler's volume-key check, with the exception the synth rule knows: NVMe instance storage
    // is encrypted in hardware and SageMaker rejects a volume key for it.
    rule: 'MLOps-SageMakerPipelineTrainingStep',
    group: 'training-jobs',
    compliant: { cfn: training({ ResourceConfig: { InstanceType: 'ml.g5.xlarge', InstanceCount: 1 } }) },
    nonCompliant: { cfn: training({ ResourceConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1 } }) },
  },
  {
    rule: 'MLOps-SageMakerPipelineTrainingStep',
    group: 'training-jobs',
    compliant: { cfn: training() },
    nonCompliant: {
      cfn: training({ EnableInterContainerTrafficEncryption: undefined, VpcConfig: undefined }),
    },
  },
  {
    rule: 'MLOps-SageMakerPipelineTrainingSpotCheckpoints',
    group: 'training-jobs',
    compliant: {
      cfn: training({
        EnableManagedSpotTraining: true,
        CheckpointConfig: { S3Uri: 's3://ckpt/' },
        StoppingCondition: { MaxRuntimeInSeconds: 3600, MaxWaitTimeInSeconds: 7200 },
      }),
    },
    nonCompliant: {
      cfn: training({
        EnableManagedSpotTraining: true,
        StoppingCondition: { MaxRuntimeInSeconds: 3600, MaxWaitTimeInSeconds: 7200 },
      }),
    },
  },
  {
    rule: 'MLOps-SageMakerStudioDomainKMS',
    group: 'domains',
    compliant: { cfn: { KmsKeyId: KEY, DefaultUserSettings: { ExecutionRole: ROLE } } },
    nonCompliant: { cfn: { DefaultUserSettings: { ExecutionRole: ROLE } } },
  },
  {
    // AuthMode: SSO | IAM, required, replacement on change:
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sagemaker-domain.html#cfn-sagemaker-domain-authmode
    rule: 'MLOps-SageMakerStudioDomainSsoAuth',
    group: 'domains',
    compliant: { cfn: { AuthMode: 'SSO', DefaultUserSettings: { ExecutionRole: ROLE } } },
    nonCompliant: { cfn: { AuthMode: 'IAM', DefaultUserSettings: { ExecutionRole: ROLE } } },
    unknown: {
      cfn: { AuthMode: UNKNOWN, DefaultUserSettings: { ExecutionRole: ROLE } },
      live: { AuthMode: 3, DefaultUserSettings: { ExecutionRole: ROLE } },
    },
  },
  {
    rule: 'MLOps-SageMakerLifecycleConfigNoSecrets',
    group: 'lifecycle-configs',
    compliant: { cfn: { OnStart: [{ Content: CLEAN_SCRIPT }], OnCreate: [{ Content: CLEAN_SCRIPT }] } },
    // The secret is in the second hook: every hook's base64 Content is decoded and scanned.
    nonCompliant: { cfn: { OnCreate: [{ Content: CLEAN_SCRIPT }], OnStart: [{ Content: LEAKY_SCRIPT }] } },
    unknown: { cfn: { OnStart: [{ Content: UNKNOWN }] }, live: { OnStart: [{}] } },
  },
  {
    rule: 'MLOps-SageMakerLifecycleConfigNoSecrets',
    group: 'studio-lifecycle-configs',
    compliant: { cfn: { StudioLifecycleConfigContent: CLEAN_SCRIPT } },
    nonCompliant: { cfn: { StudioLifecycleConfigContent: LEAKY_SCRIPT } },
    unknown: { cfn: { StudioLifecycleConfigContent: UNKNOWN }, live: {} },
  },
  {
    rule: 'MLOps-SageMakerImageDescription',
    group: 'images',
    compliant: {
      cfn: { ImageDescription: 'Python 3.11 with the team pins' },
      live: { Description: 'Python 3.11 with the team pins' },
    },
    nonCompliant: { cfn: {} },
    // A description from a parameter counts as set at synth; live, a mistyped one is not read.
    unknown: { cfn: { ImageDescription: UNKNOWN }, live: { Description: 42 } },
    unknownAtSynth: 'pass',
  },
  // Tags come from ListTags (one tag per page in the fake): all required keys pass, one missing fails.
  {
    rule: 'MLOps-SageMakerRequiredTags',
    group: 'images',
    compliant: { cfn: { Tags: ALL_TAGS } },
    nonCompliant: { cfn: { Tags: ALL_TAGS.filter((t) => t.Key !== 'data-classification') } },
  },
  {
    rule: 'MLOps-SageMakerRequiredTags',
    group: 'app-image-configs',
    compliant: { cfn: { Tags: ALL_TAGS } },
    nonCompliant: { cfn: { Tags: ALL_TAGS.filter((t) => t.Key !== 'owner') } },
  },
  {
    rule: 'MLOps-SageMakerModelImageDigest',
    group: 'image-versions',
    compliant: { cfn: { BaseImage: IMAGE } },
    nonCompliant: { cfn: { BaseImage: '111111111111.dkr.ecr.eu-west-1.amazonaws.com/studio:latest' } },
    unknown: { cfn: { BaseImage: UNKNOWN }, live: {} },
  },
  {
    rule: 'MLOps-SageMakerInferenceExperimentKMS',
    group: 'inference-experiments',
    compliant: { cfn: { KmsKey: KEY, DataStorageConfig: { Destination: 's3://shadow/', KmsKey: KEY } } },
    nonCompliant: { cfn: { KmsKey: KEY, DataStorageConfig: { Destination: 's3://shadow/' } } },
    unknown: { cfn: { KmsKey: UNKNOWN }, live: { KmsKey: 7 } },
    unknownAtSynth: 'pass',
  },
];

const THREW = 'Rule threw an error during validation';

function withBase(group: LiveRuleGroup, props: Props): Props {
  if (group !== 'training-jobs') return { ...BASE[group].cfn, ...props };
  const args = mapUnknown(props, () => undefined);
  const body = { Version: '2020-12-01', Steps: [{ Name: TRAINING_STEP, Type: 'Training', Arguments: args }] };
  return {
    PipelineName: 'parity',
    RoleArn: ROLE,
    PipelineDefinition: { PipelineDefinitionBody: JSON.stringify(body) },
  };
}

/** Replaces UNKNOWN with `unknown(path)` and drops undefined members. */
function mapUnknown(value: unknown, unknown: () => unknown): unknown {
  if (value === UNKNOWN) return unknown();
  if (Array.isArray(value)) return value.map((v) => mapUnknown(v, unknown));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, mapUnknown(v, unknown)]),
    );
  }
  return value;
}

/** CloudFormation names → L1 prop names (lower camel case; the few acronyms CDK lowers too). */
function l1Props(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(l1Props);
  if (typeof value !== 'object' || value === null || 'Ref' in value) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k[0].toLowerCase() + k.slice(1).replace(/GB$/, 'Gb').replace(/MB$/, 'Mb'),
      l1Props(v),
    ]),
  );
}

function verdictOf(hits: readonly { message: string }[]): Verdict {
  if (hits.length === 0) return 'pass';
  return hits.some((h) => h.message.startsWith(THREW)) ? 'not checked' : 'fail';
}

/** Synth: the L1 in a Stack, validated by the rule's pack. */
function synthVerdict(c: ParityCase, side: Side): Verdict {
  // testStack() tags every resource with the required keys; the tag rule's cases bring their own.
  const stack: Stack =
    c.rule === 'MLOps-SageMakerRequiredTags'
      ? new Stack(new App(), 'Test', { env: { account: '111111111111', region: 'eu-west-1' } })
      : testStack();
  const param = new CfnParameter(stack, 'Unknown', { type: 'String' });
  const cfn = mapUnknown(withBase(c.group, side.cfn), () => param.valueAsString) as Props;
  // CfnPipeline's PipelineDefinition is untyped JSON: CDK passes it through with its CloudFormation names.
  const props =
    c.group === 'training-jobs'
      ? { pipelineName: cfn.PipelineName, roleArn: cfn.RoleArn, pipelineDefinition: cfn.PipelineDefinition }
      : l1Props(cfn);
  const make: Record<LiveRuleGroup, () => void> = {
    models: () => new CfnModel(stack, 'R', props as CfnModelProps),
    'endpoint-configs': () => new CfnEndpointConfig(stack, 'R', props as CfnEndpointConfigProps),
    notebooks: () => new CfnNotebookInstance(stack, 'R', props as CfnNotebookInstanceProps),
    domains: () => new CfnDomain(stack, 'R', props as CfnDomainProps),
    'training-jobs': () => new CfnPipeline(stack, 'R', props as CfnPipelineProps),
    'lifecycle-configs': () =>
      new CfnNotebookInstanceLifecycleConfig(stack, 'R', props as CfnNotebookInstanceLifecycleConfigProps),
    'studio-lifecycle-configs': () =>
      new CfnStudioLifecycleConfig(stack, 'R', props as CfnStudioLifecycleConfigProps),
    images: () => new CfnImage(stack, 'R', props as CfnImageProps),
    'app-image-configs': () => new CfnAppImageConfig(stack, 'R', props as CfnAppImageConfigProps),
    'image-versions': () => new CfnImageVersion(stack, 'R', props as CfnImageVersionProps),
    'inference-experiments': () =>
      new CfnInferenceExperiment(stack, 'R', props as CfnInferenceExperimentProps),
  };
  make[c.group]();
  const hits = new MLOpsChecks()
    .validateScope(stack)
    .violations.filter((v) => v.ruleName === c.rule || v.ruleName.startsWith(`${c.rule}[`))
    .map((v) => ({ message: v.description }));
  return verdictOf(hits);
}

/** Check: the same properties as a template on disk, through checkPaths. */
function checkVerdict(c: ParityCase, side: Side): Verdict {
  const dir = mkdtempSync(join(tmpdir(), 'parity-'));
  try {
    const template = {
      Parameters: { Unknown: { Type: 'String' } },
      Resources: {
        R: {
          Type: BASE[c.group].type,
          Properties: mapUnknown(withBase(c.group, side.cfn), () => ({ Ref: 'Unknown' })),
        },
      },
    };
    writeFileSync(join(dir, 'parity.json'), JSON.stringify(template));
    const report = checkPaths(['parity.json'], { cwd: dir, packs: ['MLOps'] });
    expect(report.errors).toEqual([]);
    return verdictOf(report.findings.filter((f) => f.ruleId === c.rule && f.logicalId === 'R'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let fake: AwsFake;
beforeAll(async () => {
  fake = await startAwsFake();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => fake.reset());

const ARN = 'arn:aws:sagemaker:eu-west-1:111111111111:thing/parity';

function world(group: LiveRuleGroup, live: Props): World {
  const w: World = emptyWorld();
  const base = BASE[group];
  const resource = { ...base.live, ...live, [base.nameKey]: 'parity', [base.arnKey]: ARN };
  const lists: Record<LiveRuleGroup, keyof World> = {
    models: 'models',
    'endpoint-configs': 'endpointConfigs',
    notebooks: 'notebooks',
    domains: 'domains',
    'training-jobs': 'trainingJobs',
    'lifecycle-configs': 'lifecycleConfigs',
    'studio-lifecycle-configs': 'studioLifecycleConfigs',
    images: 'images',
    'app-image-configs': 'appImageConfigs',
    'image-versions': 'imageVersions',
    'inference-experiments': 'inferenceExperiments',
  };
  if (w[lists[group]] === undefined) (w as unknown as Record<string, Props[]>)[lists[group]] = [];
  // A version is listed under its image: the image must exist.
  if (group === 'image-versions') w.images = [{ ImageName: 'parity', RoleArn: ROLE }];
  // ListTrainingJobs is filtered by creation time: a job of yesterday is in the lookback window.
  (w[lists[group]] as Props[]).push(
    group === 'training-jobs' ? { CreationTime: daysAgo(1), ...resource } : resource,
  );
  return w;
}

/** Audit: the Describe response served by the fake, read by the real SDK client. */
async function auditVerdict(c: ParityCase, side: Side): Promise<Verdict> {
  const live = (side.live ?? mapUnknown(side.cfn, () => undefined)) as Props;
  serve(fake, world(c.group, mapUnknown(live, () => undefined) as Props));
  const report = await runAudit({
    region: 'eu-west-1',
    clientFactory: fakeClients(fake),
    now: NOW,
    checks: [c.group],
  });
  const hits = report.findings.filter((f) => f.ruleId === c.rule);
  const notChecked = report.errors.filter((e) => e.message.includes(`${c.rule} not checked`));
  for (const f of hits) expect(f.logicalId).toBe(ARN);
  if (notChecked.length > 0) {
    expect(hits).toEqual([]);
    return 'not checked';
  }
  return hits.length > 0 ? 'fail' : 'pass';
}

describe('one rule, three places: synth, check and audit give the same verdict', () => {
  test('every rule the audit runs on live resources has a parity case', () => {
    const covered = new Set(CASES.map((c) => `${c.group}|${c.rule}`));
    const live = Object.entries(LIVE_RULES).flatMap(([g, set]) => set.ruleIds.map((r) => `${g}|${r}`));
    expect(live.filter((r) => !covered.has(r))).toEqual([]);
  });

  describe.each(CASES)('$rule', (c) => {
    test('compliant: pass in all three modes', async () => {
      expect([
        synthVerdict(c, c.compliant),
        checkVerdict(c, c.compliant),
        await auditVerdict(c, c.compliant),
      ]).toEqual(['pass', 'pass', 'pass']);
    });

    test('non-compliant: fail in all three modes, live on the resource ARN', async () => {
      expect([
        synthVerdict(c, c.nonCompliant),
        checkVerdict(c, c.nonCompliant),
        await auditVerdict(c, c.nonCompliant),
      ]).toEqual(['fail', 'fail', 'fail']);
    });

    if (c.unknown) {
      const unknown = c.unknown;
      test('unknown value: not checked, never a pass (unresolvable at synth and in check, not returned live)', async () => {
        const atSynth = c.unknownAtSynth ?? 'not checked';
        expect([synthVerdict(c, unknown), checkVerdict(c, unknown), await auditVerdict(c, unknown)]).toEqual([
          atSynth,
          atSynth,
          'not checked',
        ]);
      });
    }
  });

  test('the marker for an unread field is an Fn::If between an unknown value and absent', () => {
    expect(NOT_READ).toEqual({
      'Fn::If': [expect.any(String), { Ref: expect.any(String) }, { Ref: 'AWS::NoValue' }],
    });
  });

  test('a rule that could not judge a live resource is an incomplete check (exit 2), named with the ARN and the missing member', async () => {
    serve(
      fake,
      world('endpoint-configs', {
        ProductionVariants: [{ VariantName: 'v1', ModelName: 'm', InitialInstanceCount: 2 }],
      }),
    );
    const report = await runAudit({
      region: 'eu-west-1',
      clientFactory: fakeClients(fake),
      now: NOW,
      checks: ['endpoint-configs'],
    });
    expect(report.errors).toEqual([
      {
        input: 'check endpoint-configs',
        pack: 'endpoint-configs',
        message: `incomplete: ${ARN}: MLOps-SageMakerEndpointConfigKMS not checked (ProductionVariants.0.InstanceType not returned by the describe call)`,
      },
    ]);
    expect(report.findings.filter((f) => f.ruleId === 'MLOps-SageMakerEndpointConfigKMS')).toEqual([]);
    expect(auditExitCode(report, 'error')).toBe(2);
  });

  test('checkTemplateObjects checks an in-memory template like a file and refuses a name that is not a file stem', () => {
    const report = checkTemplateObjects(
      [{ name: 'live', template: { Resources: { R: { Type: 'AWS::SageMaker::Model', Properties: {} } } } }],
      { packs: ['MLOps'] },
    );
    expect(report.findings.map((f) => f.ruleId)).toContain('MLOps-SageMakerModelNetworkIsolation');
    expect(() => checkTemplateObjects([{ name: '../x', template: { Resources: {} } }])).toThrow(
      /template name/,
    );
  });

  // Every deciding member of every rule, marked unread on an otherwise compliant resource: the
  // rule must not pass it (it fails, or reports not checked).
  const UNREAD: readonly (readonly [string, string])[] = [
    ['MLOps-SageMakerModelNetworkIsolation', 'EnableNetworkIsolation'],
    ['MLOps-SageMakerModelVpcConfig', 'VpcConfig.Subnets'],
    ['MLOps-SageMakerModelVpcConfig', 'VpcConfig.SecurityGroupIds'],
    ['MLOps-SageMakerModelImageDigest', 'PrimaryContainer.Image'],
    ['MLOps-SageMakerModelPrivateRegistry', 'PrimaryContainer.Image'],
    ['MLOps-SageMakerEndpointConfigKMS', 'KmsKeyId'],
    ['MLOps-SageMakerEndpointConfigDataCapture', 'DataCaptureConfig.KmsKeyId'],
    ['MLOps-SageMakerEndpointConfigDataCapture', 'DataCaptureConfig.EnableCapture'],
    ['MLOps-SageMakerEndpointConfigInstanceCount', 'ProductionVariants.0.InitialInstanceCount'],
    ['MLOps-SageMakerEndpointConfigAsyncOutputKMS', 'AsyncInferenceConfig.OutputConfig.KmsKeyId'],
    // (MLOps-SageMakerVolumeKmsOnInstanceStorage passes a config without a volume key whatever
    // its instance types: nothing for SageMaker to reject, so no member of it decides.)
    ['MLOps-SageMakerNotebookRootAccessDisabled', 'RootAccess'],
    [
      'MLOps-SageMakerNotebookIMDSv2',
      'InstanceMetadataServiceConfiguration.MinimumInstanceMetadataServiceVersion',
    ],
    ['MLOps-SageMakerNotebookLifecycleConfig', 'LifecycleConfigName'],
    ['MLOps-SageMakerNotebookVpc', 'SubnetId'],
    ['MLOps-SageMakerNotebookVpc', 'SecurityGroupIds'],
    ['MLOps-SageMakerNotebookKMS', 'KmsKeyId'],
    ['MLOps-SageMakerNotebookNoDirectInternet', 'DirectInternetAccess'],
    ['MLOps-SageMakerNotebookPlatformIdentifier', 'PlatformIdentifier'],
    ['MLOps-SageMakerStudioDomainVpcOnly', 'AppNetworkAccessType'],
    [
      'MLOps-SageMakerStudioDomainIdleShutdown',
      'DefaultUserSettings.JupyterLabAppSettings.AppLifecycleManagement.IdleSettings.LifecycleManagement',
    ],
    ['MLOps-SageMakerStudioDomainKMS', 'KmsKeyId'],
    ['MLOps-SageMakerStudioDomainSsoAuth', 'AuthMode'],
  ];

  test.each(UNREAD)('%s: %s unread is never a pass live', (rule, path) => {
    const c = CASES.find((x) => x.rule === rule)!;
    const props = structuredClone(mapUnknown(withBase(c.group, c.compliant.cfn), () => undefined)) as Props;
    const keys = path.split('.');
    let at: Record<string, unknown> = props;
    for (const k of keys.slice(0, -1)) at = at[k] as Record<string, unknown>;
    expect(at[keys[keys.length - 1]]).toBeDefined(); // the compliant side sets it: the mark replaces a value
    at[keys[keys.length - 1]] = NOT_READ;
    const shape = { type: BASE[c.group].type, location: ARN, properties: props, notRead: [path] };
    const outcome = judgeShapes(c.group, [shape], 'eu-west-1');
    const failed = outcome.findings.some((f) => f.ruleId === rule);
    const notChecked = outcome.problems.some((p) => p.includes(`${rule} not checked`));
    expect(failed || notChecked).toBe(true);
  });
});
