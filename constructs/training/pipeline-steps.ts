import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { hasNvmeInstanceStorage } from '../../lib/aws-facts/instance-storage';
import { ISecureBucket } from '../storage/secure-bucket';
import { pinnedImageUri } from './model-image-repository';
import { CHECKPOINT_LOCAL_PATH, defaultRetryPolicies, RetryPolicyDefinition } from './defaults';
import {
  ArgumentValue,
  conditionStep,
  equalsStep,
  EXECUTION_ID,
  failStep,
  finalMetric,
  join,
  jsonGet,
  lambdaOutput,
  lambdaStep,
  modelArtifacts,
  param,
  ParameterDefinition,
  PipelineDefinition,
  StepDefinition,
} from './pipeline-definition';
import { ParsedPipelineProps, PipelineSettings } from './pipeline-settings';
import { ARGUMENTS, OUTPUTS } from '../../lib/handlers/bias-check/contract';
import {
  evaluationEnvironment,
  fairnessCheckStep,
  fairnessModelMetrics,
  MetricGateDescription,
  registrationWithFairness,
} from './spot-training-pipeline-fairness';

/** Step names of the generated definition (public: other steps and alarms refer to them). */
export const STEP_NAMES = {
  training: 'Train',
  evaluation: 'Evaluate',
  condition: 'CheckMetric',
  register: 'RegisterModel',
  fail: 'MetricBelowThreshold',
  biasCheck: 'CheckBias',
  biasGate: 'BiasGate',
  biasFail: 'BiasThresholdCrossed',
} as const;

/** The pipeline parameter that carries the dataset version. */
export const DATASET_VERSION_PARAMETER = 'DatasetVersion';

/** The property file of the evaluation step. */
export const EVALUATION_PROPERTY_FILE = 'EvaluationReport';

/** What the steps refer to: the pipeline's name, prefixes, bucket, keys, role and network. */
export interface StepResources {
  readonly pipelineName: string;
  readonly checkpointPrefix: string;
  readonly modelPrefix: string;
  readonly evaluationPrefix: string;
  readonly artifactBucket: ISecureBucket;
  readonly encryptionKey: kms.IKey;
  readonly volumeEncryptionKey: kms.IKey;
  readonly executionRole: iam.IRole;
  readonly securityGroups: readonly ec2.ISecurityGroup[];
  readonly subnetIds: readonly string[];
  /** The bias check function, when `biasCheck` is set. */
  readonly biasCheckFunctionArn?: string;
  /** The fairness check function, when `fairnessCheck` is set. */
  readonly fairnessCheckFunctionArn?: string;
}

/**
 * The whole definition: parameters, `Train`, optionally `Evaluate`, then `RegisterModel`, or
 * `CheckMetric` wrapping it with a `MetricBelowThreshold` Fail step.
 */
export function pipelineDefinition(
  p: ParsedPipelineProps,
  s: PipelineSettings,
  r: StepResources,
): PipelineDefinition {
  const c = new StepContext(p, s, r);
  const steps: StepDefinition[] =
    p.biasCheck && r.biasCheckFunctionArn
      ? [
          c.biasCheckStep(p.biasCheck.channel ?? 'train', r.biasCheckFunctionArn),
          c.biasGateStep(c.trainingStep()),
        ]
      : [c.trainingStep()];
  if (p.evaluation) steps.push(c.evaluationStep(p.evaluation));
  const register = c.registerStep();
  const g = p.registrationGate;
  const gate = g ? c.gateStep(g, register) : undefined;
  if (p.evaluation && p.fairnessCheck && r.fairnessCheckFunctionArn) {
    steps.push(c.fairnessStep(p.fairnessCheck, r.fairnessCheckFunctionArn));
    steps.push(registrationWithFairness(register, g && gate && c.gateDescription(g, gate)));
  } else steps.push(gate ?? register);
  return { Version: '2020-12-01', Metadata: {}, Parameters: c.parameters(), Steps: steps };
}

/** Everything dataset-prefix related is split around this marker version. */
const VERSION_MARKER = '\u0000version\u0000';

/**
 * The prefix that holds every version of the dataset (the version is a run-time parameter), for
 * the execution role's read grant.
 */
export function datasetVersionsPrefix(p: ParsedPipelineProps): string {
  return splitOnVersion(p.datasetBucket.datasetPrefix(p.datasetName, VERSION_MARKER))[0];
}

/** The values shared by the steps, and one method per step. */
class StepContext {
  private readonly retries: RetryPolicyDefinition[];
  private readonly vpcConfig: { SecurityGroupIds: string[]; Subnets: string[] };
  private readonly lineageTags: { Key: string; Value: ArgumentValue }[];
  private readonly reportFile: string;

  constructor(
    private readonly p: ParsedPipelineProps,
    private readonly s: PipelineSettings,
    private readonly r: StepResources,
  ) {
    this.vpcConfig = {
      SecurityGroupIds: r.securityGroups.map((sg) => sg.securityGroupId),
      Subnets: [...r.subnetIds],
    };
    this.lineageTags = [
      { Key: 'dataset-name', Value: p.datasetName },
      { Key: 'dataset-version', Value: param(DATASET_VERSION_PARAMETER) },
      { Key: 'pipeline-name', Value: r.pipelineName },
    ];
    this.retries = defaultRetryPolicies(
      p.capacityRetryAttempts ?? 5,
      p.capacityRetryInterval ?? Duration.minutes(5),
    );
    this.reportFile = p.evaluation?.reportFileName ?? 'evaluation.json';
  }

  /** The dataset version and one `hp_<name>` String parameter per hyperparameter. */
  public parameters(): ParameterDefinition[] {
    return [
      { Name: DATASET_VERSION_PARAMETER, Type: 'String', DefaultValue: this.p.datasetVersion },
      ...this.hyperparameters().map(([k, v]): ParameterDefinition => ({
        Name: `hp_${k}`,
        Type: 'String',
        DefaultValue: String(v),
      })),
    ];
  }

  public trainingStep(): StepDefinition {
    const { p, s, r } = this;
    return {
      Name: STEP_NAMES.training,
      Type: 'Training',
      Description: `Trains on ${p.datasetName} (managed spot: ${s.spot})`,
      RetryPolicies: this.retries,
      Arguments: {
        AlgorithmSpecification: {
          TrainingImage: pinnedImageUri(p.trainingImage),
          TrainingInputMode: 'File',
          ...(p.metricDefinitions?.length
            ? { MetricDefinitions: p.metricDefinitions.map((m) => ({ Name: m.name, Regex: m.regex })) }
            : {}),
        },
        RoleArn: r.executionRole.roleArn,
        HyperParameters: Object.fromEntries(this.hyperparameters().map(([k]) => [k, param(`hp_${k}`)])),
        InputDataConfig: (p.inputChannels ?? ['train', 'validation']).map((channel) => ({
          ChannelName: channel,
          DataSource: {
            S3DataSource: {
              S3DataType: 'S3Prefix',
              S3Uri: this.datasetUri(channel),
              S3DataDistributionType: 'FullyReplicated',
            },
          },
        })),
        OutputDataConfig: {
          S3OutputPath: this.artifactUri(r.modelPrefix),
          KmsKeyId: r.encryptionKey.keyArn,
        },
        ResourceConfig: {
          InstanceType: s.instanceType,
          InstanceCount: p.instanceCount ?? 1,
          VolumeSizeInGB: p.volumeSizeGb ?? 50,
          ...this.volumeKey(s.instanceType),
        },
        StoppingCondition: {
          MaxRuntimeInSeconds: s.maxRuntime.toSeconds(),
          ...(s.maxWait ? { MaxWaitTimeInSeconds: s.maxWait.toSeconds() } : {}),
        },
        EnableManagedSpotTraining: s.spot,
        ...(s.checkpoints
          ? {
              CheckpointConfig: {
                S3Uri: this.artifactUri(r.checkpointPrefix),
                LocalPath: CHECKPOINT_LOCAL_PATH,
              },
            }
          : {}),
        EnableNetworkIsolation: true,
        EnableInterContainerTrafficEncryption: true,
        VpcConfig: this.vpcConfig,
        Tags: this.lineageTags,
      },
    };
  }

  public evaluationStep(e: NonNullable<ParsedPipelineProps['evaluation']>): StepDefinition {
    const { s, r } = this;
    return {
      Name: STEP_NAMES.evaluation,
      Type: 'Processing',
      Description: 'Scores the trained model on a held-out channel',
      RetryPolicies: this.retries.filter((rp) => !rp.ExceptionType.includes('SageMaker.CAPACITY_ERROR')),
      PropertyFiles: [
        { PropertyFileName: EVALUATION_PROPERTY_FILE, OutputName: 'evaluation', FilePath: this.reportFile },
      ],
      Arguments: {
        AppSpecification: { ImageUri: pinnedImageUri(e.image), ContainerEntrypoint: e.entrypoint },
        ...evaluationEnvironment(this.p.fairnessCheck),
        RoleArn: r.executionRole.roleArn,
        ProcessingInputs: [
          {
            InputName: 'model',
            S3Input: {
              S3Uri: modelArtifacts(STEP_NAMES.training),
              LocalPath: '/opt/ml/processing/model',
              S3DataType: 'S3Prefix',
              S3InputMode: 'File',
            },
          },
          {
            InputName: 'data',
            S3Input: {
              S3Uri: this.datasetUri(e.channel ?? 'test'),
              LocalPath: '/opt/ml/processing/input/data',
              S3DataType: 'S3Prefix',
              S3InputMode: 'File',
            },
          },
        ],
        ProcessingOutputConfig: {
          KmsKeyId: r.encryptionKey.keyArn,
          Outputs: [
            {
              OutputName: 'evaluation',
              S3Output: {
                S3Uri: this.artifactUri(r.evaluationPrefix),
                LocalPath: '/opt/ml/processing/evaluation',
                S3UploadMode: 'EndOfJob',
              },
            },
          ],
        },
        ProcessingResources: {
          ClusterConfig: {
            InstanceType: s.evalInstanceType,
            InstanceCount: 1,
            VolumeSizeInGB: 30,
            ...this.volumeKey(s.evalInstanceType),
          },
        },
        NetworkConfig: {
          EnableNetworkIsolation: true,
          EnableInterContainerTrafficEncryption: true,
          VpcConfig: this.vpcConfig,
        },
        StoppingCondition: { MaxRuntimeInSeconds: (e.maxRuntime ?? Duration.hours(1)).toSeconds() },
        Tags: this.lineageTags,
      },
    };
  }

  public registerStep(): StepDefinition {
    const { p, r } = this;
    const contentTypes = p.contentTypes ?? ['application/json'];
    return {
      Name: STEP_NAMES.register,
      Type: 'RegisterModel',
      Description: 'Registers the model version for review',
      RetryPolicies: this.retries.filter((rp) => rp.ExceptionType.every((t) => t.startsWith('Step.'))),
      Arguments: {
        ModelPackageGroupName: p.modelRegistry.modelPackageGroupName,
        // The published definition schema allows no CustomerMetadataProperties or ModelCard here, so
        // the model card fields a reviewer needs (and the dataset version) go into the description.
        ModelPackageDescription: join([
          `${modelCardText(p.intendedUse, p.riskRating, p.modelOwner)}; dataset: ${p.datasetName} v`,
          param(DATASET_VERSION_PARAMETER),
        ]),
        ModelApprovalStatus: p.modelApprovalStatus ?? 'PendingManualApproval',
        InferenceSpecification: {
          Containers: [
            {
              Image: pinnedImageUri(p.inferenceImage ?? p.trainingImage),
              ModelDataUrl: modelArtifacts(STEP_NAMES.training),
            },
          ],
          SupportedContentTypes: contentTypes,
          SupportedResponseMIMETypes: contentTypes,
          SupportedRealtimeInferenceInstanceTypes: p.inferenceInstanceTypes ?? ['ml.m5.xlarge'],
          SupportedTransformInstanceTypes: p.inferenceInstanceTypes ?? ['ml.m5.xlarge'],
        },
        ...(p.evaluation
          ? {
              ModelMetrics: {
                ModelQuality: {
                  Statistics: {
                    ContentType: 'application/json',
                    S3Uri: this.artifactUri(r.evaluationPrefix, this.reportFile),
                  },
                },
                ...fairnessModelMetrics(p.fairnessCheck),
              },
            }
          : {}),
      },
    };
  }

  /** `CheckBias`: the Lambda step that measures the training channel of this execution's dataset version. */
  public biasCheckStep(channel: string, functionArn: string): StepDefinition {
    return lambdaStep(
      STEP_NAMES.biasCheck,
      `Pre-training bias check of the ${channel} channel`,
      functionArn,
      { [ARGUMENTS.datasetUri]: this.datasetUri(channel), [ARGUMENTS.executionId]: EXECUTION_ID },
      [
        { OutputName: OUTPUTS.crossed, OutputType: 'Boolean' },
        { OutputName: OUTPUTS.reportUri, OutputType: 'String' },
      ],
    );
  }

  /**
   * `BiasGate`: training is a step of the condition's if-branch, so it cannot start unless the
   * check returned `crossed: false`; otherwise the Fail step ends the execution. (A top-level
   * training step that merely depended on the condition would become ready alongside the Fail
   * step.)
   */
  public biasGateStep(training: StepDefinition): StepDefinition {
    return equalsStep(
      STEP_NAMES.biasGate,
      lambdaOutput(STEP_NAMES.biasCheck, OUTPUTS.crossed),
      false,
      [training],
      [
        failStep(
          STEP_NAMES.biasFail,
          'a pre-training bias threshold was crossed; training did not start (see the bias report of this execution)',
        ),
      ],
    );
  }

  /** `CheckMetric`: registers only when the metric clears the threshold, else fails with a message. */
  public gateStep(
    g: NonNullable<ParsedPipelineProps['registrationGate']>,
    register: StepDefinition,
  ): StepDefinition {
    const left: ArgumentValue = this.p.evaluation
      ? jsonGet(STEP_NAMES.evaluation, EVALUATION_PROPERTY_FILE, g.metric)
      : finalMetric(STEP_NAMES.training, g.metric);
    const comparison = g.comparison ?? 'GreaterThanOrEqualTo';
    return conditionStep(
      STEP_NAMES.condition,
      left,
      comparison,
      g.threshold,
      [register],
      [
        failStep(
          STEP_NAMES.fail,
          `${g.metric} did not satisfy ${comparison} ${g.threshold}; the model was not registered`,
        ),
      ],
    );
  }

  /** `CheckFairness`, after `Evaluate`: see spot-training-pipeline-fairness.ts. */
  public fairnessStep(
    o: NonNullable<ParsedPipelineProps['fairnessCheck']>,
    functionArn: string,
  ): StepDefinition {
    const r = this.r;
    return fairnessCheckStep(
      STEP_NAMES.evaluation,
      r.artifactBucket.bucket.bucketName,
      r.evaluationPrefix,
      o,
      functionArn,
    );
  }

  /** The metric gate step with what its Fail message names. */
  public gateDescription(
    g: NonNullable<ParsedPipelineProps['registrationGate']>,
    step: StepDefinition,
  ): { step: StepDefinition; gate: MetricGateDescription } {
    const comparison = g.comparison ?? 'GreaterThanOrEqualTo';
    return {
      step,
      gate: { metric: g.metric, comparison, threshold: g.threshold, failStepName: STEP_NAMES.fail },
    };
  }

  private hyperparameters(): [string, string | number | boolean][] {
    return Object.entries(this.p.hyperparameters ?? {});
  }

  /** A channel of the dataset version the execution runs with (the `DatasetVersion` parameter). */
  private datasetUri(channel: string): ArgumentValue {
    const p = this.p;
    const [before, after] = splitOnVersion(p.datasetBucket.datasetPrefix(p.datasetName, VERSION_MARKER));
    const bucket = p.datasetBucket.bucket.bucketName;
    return join([`s3://${bucket}/${before}`, param(DATASET_VERSION_PARAMETER), `${after}${channel}/`]);
  }

  /** A per-execution sub-prefix of the artifact bucket. */
  private artifactUri(prefix: string, suffix = ''): ArgumentValue {
    return join([`s3://${this.r.artifactBucket.bucket.bucketName}/${prefix}`, EXECUTION_ID, `/${suffix}`]);
  }

  /**
   * SageMaker rejects VolumeKmsKeyId for instance types with local NVMe storage, which it encrypts
   * in hardware; those jobs carry no volume key (crossFieldProblems refuses an explicit one).
   */
  private volumeKey(type: string): { VolumeKmsKeyId?: string } {
    return hasNvmeInstanceStorage(type) ? {} : { VolumeKmsKeyId: this.r.volumeEncryptionKey.keyArn };
  }
}

/** Intended use, risk rating and owner in one line (the model card fields of the model version). */
function modelCardText(intendedUse: string, riskRating: string, owner: string): string {
  const tail = `; risk rating: ${riskRating}; owner: ${owner.slice(0, 200)}`;
  return `intended use: ${intendedUse.slice(0, 700)}${tail}`;
}

/** Splits a dataset prefix built for the marker version into the parts around the version. */
function splitOnVersion(prefix: string): [string, string] {
  const i = prefix.indexOf(VERSION_MARKER);
  return [prefix.slice(0, i), prefix.slice(i + VERSION_MARKER.length)];
}
