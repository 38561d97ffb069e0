import { ArnFormat, Duration, Names, Resource, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { hasNvmeInstanceStorage } from '../../lib/aws-facts/instance-storage';
import { acknowledge } from '../core/acknowledge';
import { INHERENT } from '../core/inherent';
import { ScopedRole } from '../core/scoped-role';
import {
  childPath,
  describeValue,
  PropsProblem,
  PropsValidationError,
  throwIfProblems,
  validateProps,
} from '../core/validate';
import { grantKey } from '../encryption/encryption-keys';
import { SecureBucket } from '../storage/secure-bucket';
import { grantDeadLetterKey, triggerDeadLetterQueue } from './dead-letters';
import { flattenedArn } from './nag-ids';
import {
  CHECKPOINT_LOCAL_PATH,
  DEFAULT_EVALUATION_INSTANCE_TYPE,
  DEFAULT_MAX_RUNTIME,
  DEFAULT_TRAINING_INSTANCE_FAMILIES,
  DEFAULT_TRAINING_INSTANCE_TYPE,
  defaultRetryPolicies,
  instanceFamily,
  MAX_TRAINING_DURATION,
} from './defaults';
import { IModelRegistry } from './model-registry';
import {
  ECR_AUTH_ACTIONS,
  ECR_PULL_ACTIONS,
  JOB_KEY_ACTIONS,
  LOG_GROUP_ACTIONS,
  LOG_WRITE_ACTIONS,
  METRIC_ACTIONS,
  PROCESSING_JOB_ACTIONS,
  START_PIPELINE_ACTIONS,
  TRAINING_JOB_ACTIONS,
  VPC_ACTIONS,
} from './perms';
import {
  ArgumentValue,
  conditionStep,
  EXECUTION_ID,
  failStep,
  finalMetric,
  join,
  jsonGet,
  modelArtifacts,
  param,
  ParameterDefinition,
  PipelineDefinition,
  renderDefinition,
  StepDefinition,
} from './pipeline-definition';
import { spotTrainingPipelineSchema, SpotTrainingPipelineProps } from './spot-training-pipeline-props';

/** Step names of the generated definition (public: other steps and alarms refer to them). */
export const STEP_NAMES = {
  training: 'Train',
  evaluation: 'Evaluate',
  condition: 'CheckMetric',
  register: 'RegisterModel',
  fail: 'MetricBelowThreshold',
} as const;

/** The pipeline parameter that carries the dataset version. */
export const DATASET_VERSION_PARAMETER = 'DatasetVersion';

/** The property file of the evaluation step. */
export const EVALUATION_PROPERTY_FILE = 'EvaluationReport';

/**
 * A SageMaker pipeline, built here or imported: aws-cdk-lib's `sagemaker.IPipeline`, so it plugs
 * into `aws-scheduler-targets.SageMakerStartPipelineExecution` and any other integration that
 * takes one.
 */
export interface ISpotTrainingPipeline extends sagemaker.IPipeline {
  /**
   * The pipeline ARN, its name in lowercase as SageMaker writes it: IAM compares ARNs
   * case-sensitively, so grants on a mixed-case ARN would never match a request.
   * @attribute
   */
  readonly pipelineArn: string;
}

/** Options for {@link SpotTrainingPipeline.onEvent}. */
export interface PipelineEventTriggerOptions {
  /** The events that start the pipeline, e.g. a drift alarm's state change. */
  readonly eventPattern: events.EventPattern;
  /**
   * What the rule is for.
   * @default - a description naming the pipeline
   */
  readonly description?: string;
}

/**
 * A SageMaker Pipeline that trains a model on managed spot instances with checkpoints,
 * optionally evaluates it, and registers it for review.
 *
 * The pipeline definition is generated from typed, validated props. The training step runs an
 * image pinned by digest on an allowlisted instance type, with managed spot on by default,
 * checkpoints to an encrypted per-execution prefix, `MaxWait >= MaxRuntime`, KMS-encrypted
 * volumes and outputs, network isolation, inter-container traffic encryption, a VPC, retry
 * policies for capacity and throttling errors, and hyperparameters and the dataset version as
 * pipeline parameters. The model is registered with `PendingManualApproval` and model card fields
 * (intended use, risk rating, owner). A schedule and {@link onEvent} start retraining.
 *
 * Two roles: the pipeline role starts jobs, registers models and passes the execution role (to
 * SageMaker only); the execution role is what the jobs run as. Data grants go into bucket
 * policies, scoped to the dataset, checkpoint, model and evaluation prefixes.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-managed-spot-training.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/pipelines.html
 */
export class SpotTrainingPipeline extends Resource implements ISpotTrainingPipeline {
  /**
   * Imports a pipeline by ARN (`arn:<partition>:sagemaker:<region>:<account>:pipeline/<name>`).
   *
   * Its account and region come from the ARN, so aws-cdk-lib treats a pipeline of another account
   * as cross-account. SageMaker writes the name into the ARN in lowercase, so `pipelineName` is
   * the lowercase name; use {@link fromPipelineName} where the exact name matters.
   */
  public static fromPipelineArn(scope: Construct, id: string, pipelineArn: string): ISpotTrainingPipeline {
    if (!Token.isUnresolved(pipelineArn) && !PIPELINE_ARN.test(pipelineArn)) {
      throw new PropsValidationError(childPath(scope, id), [
        {
          field: 'pipelineArn',
          problem: 'is not a SageMaker pipeline ARN',
          got: describeValue(pipelineArn),
          expected: 'arn:<partition>:sagemaker:<region>:<account>:pipeline/<name>',
        },
      ]);
    }
    const name =
      Stack.of(scope).splitArn(pipelineArn, ArnFormat.SLASH_RESOURCE_NAME).resourceName ?? pipelineArn;
    return new ImportedPipeline(scope, id, name, pipelineArn);
  }

  /** Imports a pipeline of this stack's account and region by name. */
  public static fromPipelineName(scope: Construct, id: string, pipelineName: string): ISpotTrainingPipeline {
    if (
      !Token.isUnresolved(pipelineName) &&
      (pipelineName.length > 256 || !PIPELINE_NAME.test(pipelineName))
    ) {
      throw new PropsValidationError(childPath(scope, id), [
        {
          field: 'pipelineName',
          problem: 'is not a SageMaker pipeline name',
          got: describeValue(pipelineName),
          expected: 'letters, digits and single or repeated hyphens between them, at most 256 characters',
        },
      ]);
    }
    return new ImportedPipeline(scope, id, pipelineName, pipelineArnFor(Stack.of(scope), pipelineName));
  }

  /** The pipeline. */
  public readonly resource: sagemaker.CfnPipeline;
  /** The pipeline name. */
  public readonly pipelineName: string;
  /** The pipeline ARN. */
  public readonly pipelineArn: string;
  /** The generated definition (tokens inside strings); `resource` holds it serialised. */
  public readonly definition: PipelineDefinition;
  /** The role the pipeline runs as: starts jobs, registers models, passes {@link executionRole}. */
  public readonly role: ScopedRole;
  /** The role the training and evaluation jobs run as. */
  public readonly executionRole: ScopedRole;
  /** Where model artifacts, checkpoints and evaluation reports go. */
  public readonly artifactBucket: SecureBucket;
  /** The key of job outputs, and of EBS volumes unless {@link volumeEncryptionKey} differs. */
  public readonly encryptionKey: kms.IKey;
  /** The key of the jobs' EBS volumes (none is used for instance types with local NVMe storage). */
  public readonly volumeEncryptionKey: kms.IKey;
  /** The jobs' security groups. */
  public readonly securityGroups: ec2.ISecurityGroup[];
  /** Trigger events that could not start the pipeline wait here. */
  public readonly deadLetterQueue: sqs.Queue;
  /** The schedule, when `schedule` is set. */
  public readonly schedule?: scheduler.CfnSchedule;
  /** Key prefix of the checkpoints, one sub-prefix per execution. */
  public readonly checkpointPrefix: string;
  /** Key prefix of the model artifacts, one sub-prefix per execution. */
  public readonly modelPrefix: string;
  /** Key prefix of the evaluation reports, one sub-prefix per execution. */
  public readonly evaluationPrefix: string;

  private triggerRole?: ScopedRole;

  constructor(scope: Construct, id: string, props: SpotTrainingPipelineProps) {
    super(scope, id);
    const p = validateProps(this, spotTrainingPipelineSchema, props);

    const spot = p.useSpotInstances ?? true;
    const checkpoints = p.checkpoints ?? true;
    const maxRuntime = p.maxRuntime ?? DEFAULT_MAX_RUNTIME;
    const maxWait = spot
      ? (p.maxWait ?? minDuration(maxRuntime.plus(maxRuntime), MAX_TRAINING_DURATION))
      : undefined;
    const families = p.allowedInstanceFamilies ?? DEFAULT_TRAINING_INSTANCE_FAMILIES;
    const instanceType = p.instanceType ?? DEFAULT_TRAINING_INSTANCE_TYPE;
    const evalInstanceType = p.evaluation?.instanceType ?? DEFAULT_EVALUATION_INSTANCE_TYPE;
    throwIfProblems(
      this,
      crossFieldProblems(p, { spot, checkpoints, maxRuntime, families, instanceType, evalInstanceType }),
    );

    this.pipelineName =
      p.pipelineName ??
      Names.uniqueResourceName(this, { maxLength: 80, separator: '-', allowedSpecialCharacters: '-' });
    this.pipelineArn = pipelineArnFor(Stack.of(this), this.pipelineName);
    this.checkpointPrefix = `checkpoints/${this.pipelineName}/`;
    this.modelPrefix = `models/${this.pipelineName}/`;
    this.evaluationPrefix = `evaluation/${this.pipelineName}/`;

    this.artifactBucket =
      p.artifactBucket ??
      new SecureBucket(this, 'Artifacts', {
        encryptionKey: p.encryptionKey,
        keyDomain: 'models',
        lifecycleRules: [
          // Checkpoints matter only while a job can still resume; keep them a month, then expire.
          { id: 'expire-checkpoints', prefix: 'checkpoints/', expiration: Duration.days(30) },
        ],
      });
    this.encryptionKey = p.encryptionKey ?? this.artifactBucket.encryptionKey;
    this.volumeEncryptionKey = p.volumeEncryptionKey ?? this.encryptionKey;
    // SageMaker rejects VolumeKmsKeyId for instance types with local NVMe storage, which it
    // encrypts in hardware; those jobs carry no volume key (crossFieldProblems refuses an explicit one).
    const volumeKey = (type: string) =>
      hasNvmeInstanceStorage(type) ? {} : { VolumeKmsKeyId: this.volumeEncryptionKey.keyArn };

    this.securityGroups = p.securityGroups ?? [this.defaultSecurityGroup(p.vpc, (p.instanceCount ?? 1) > 1)];
    const subnetIds = p.vpc.selectSubnets(p.vpcSubnets ?? defaultSubnets(p.vpc)).subnetIds;

    // ---- roles ---------------------------------------------------------------------------
    this.executionRole = new ScopedRole(this, 'ExecutionRole', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: `Training and evaluation jobs of ${this.node.path}`,
    });
    this.role = new ScopedRole(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: `SageMaker pipeline ${this.node.path}`,
    });
    const repositories = uniqueRepositories([p.imageRepository, p.evaluation?.imageRepository]);
    // Any version of this one dataset (the version is a run-time parameter), nothing else.
    const [datasetVersionsPrefix] = splitOnVersion(
      p.datasetBucket.datasetPrefix(p.datasetName, VERSION_MARKER),
    );
    p.datasetBucket.grantReadDatasets(this.executionRole, datasetVersionsPrefix);
    this.grantExecutionRole(repositories);
    this.grantPipelineRole(p.modelRegistry, p.evaluation !== undefined);

    // ---- definition ----------------------------------------------------------------------
    const hyperparameters = Object.entries(p.hyperparameters ?? {});
    const parameters: ParameterDefinition[] = [
      { Name: DATASET_VERSION_PARAMETER, Type: 'String', DefaultValue: p.datasetVersion },
      ...hyperparameters.map(([k, v]): ParameterDefinition => ({
        Name: `hp_${k}`,
        Type: 'String',
        DefaultValue: String(v),
      })),
    ];
    const datasetUri = (channel: string): ArgumentValue => {
      const [before, after] = splitOnVersion(p.datasetBucket.datasetPrefix(p.datasetName, VERSION_MARKER));
      const bucket = p.datasetBucket.bucket.bucketName;
      return join([`s3://${bucket}/${before}`, param(DATASET_VERSION_PARAMETER), `${after}${channel}/`]);
    };
    const artifactUri = (prefix: string, suffix = ''): ArgumentValue =>
      join([`s3://${this.artifactBucket.bucket.bucketName}/${prefix}`, EXECUTION_ID, `/${suffix}`]);
    const vpcConfig = {
      SecurityGroupIds: this.securityGroups.map((sg) => sg.securityGroupId),
      Subnets: subnetIds,
    };
    const lineageTags = [
      { Key: 'dataset-name', Value: p.datasetName },
      { Key: 'dataset-version', Value: param(DATASET_VERSION_PARAMETER) },
      { Key: 'pipeline-name', Value: this.pipelineName },
    ];
    const retries = defaultRetryPolicies(
      p.capacityRetryAttempts ?? 5,
      p.capacityRetryInterval ?? Duration.minutes(5),
    );

    const training: StepDefinition = {
      Name: STEP_NAMES.training,
      Type: 'Training',
      Description: `Trains on ${p.datasetName} (managed spot: ${spot})`,
      RetryPolicies: retries,
      Arguments: {
        AlgorithmSpecification: {
          TrainingImage: p.trainingImageUri,
          TrainingInputMode: 'File',
          ...(p.metricDefinitions?.length
            ? { MetricDefinitions: p.metricDefinitions.map((m) => ({ Name: m.name, Regex: m.regex })) }
            : {}),
        },
        RoleArn: this.executionRole.roleArn,
        HyperParameters: Object.fromEntries(hyperparameters.map(([k]) => [k, param(`hp_${k}`)])),
        InputDataConfig: (p.inputChannels ?? ['train', 'validation']).map((channel) => ({
          ChannelName: channel,
          DataSource: {
            S3DataSource: {
              S3DataType: 'S3Prefix',
              S3Uri: datasetUri(channel),
              S3DataDistributionType: 'FullyReplicated',
            },
          },
        })),
        OutputDataConfig: {
          S3OutputPath: artifactUri(this.modelPrefix),
          KmsKeyId: this.encryptionKey.keyArn,
        },
        ResourceConfig: {
          InstanceType: instanceType,
          InstanceCount: p.instanceCount ?? 1,
          VolumeSizeInGB: p.volumeSizeGb ?? 50,
          ...volumeKey(instanceType),
        },
        StoppingCondition: {
          MaxRuntimeInSeconds: maxRuntime.toSeconds(),
          ...(maxWait ? { MaxWaitTimeInSeconds: maxWait.toSeconds() } : {}),
        },
        EnableManagedSpotTraining: spot,
        ...(checkpoints
          ? {
              CheckpointConfig: {
                S3Uri: artifactUri(this.checkpointPrefix),
                LocalPath: CHECKPOINT_LOCAL_PATH,
              },
            }
          : {}),
        EnableNetworkIsolation: true,
        EnableInterContainerTrafficEncryption: true,
        VpcConfig: vpcConfig,
        Tags: lineageTags,
      },
    };

    const steps: StepDefinition[] = [training];
    const reportFile = p.evaluation?.reportFileName ?? 'evaluation.json';
    if (p.evaluation) {
      const e = p.evaluation;
      steps.push({
        Name: STEP_NAMES.evaluation,
        Type: 'Processing',
        Description: 'Scores the trained model on a held-out channel',
        RetryPolicies: retries.filter((r) => !r.ExceptionType.includes('SageMaker.CAPACITY_ERROR')),
        PropertyFiles: [
          { PropertyFileName: EVALUATION_PROPERTY_FILE, OutputName: 'evaluation', FilePath: reportFile },
        ],
        Arguments: {
          AppSpecification: { ImageUri: e.imageUri, ContainerEntrypoint: e.entrypoint },
          RoleArn: this.executionRole.roleArn,
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
                S3Uri: datasetUri(e.channel ?? 'test'),
                LocalPath: '/opt/ml/processing/input/data',
                S3DataType: 'S3Prefix',
                S3InputMode: 'File',
              },
            },
          ],
          ProcessingOutputConfig: {
            KmsKeyId: this.encryptionKey.keyArn,
            Outputs: [
              {
                OutputName: 'evaluation',
                S3Output: {
                  S3Uri: artifactUri(this.evaluationPrefix),
                  LocalPath: '/opt/ml/processing/evaluation',
                  S3UploadMode: 'EndOfJob',
                },
              },
            ],
          },
          ProcessingResources: {
            ClusterConfig: {
              InstanceType: evalInstanceType,
              InstanceCount: 1,
              VolumeSizeInGB: 30,
              ...volumeKey(evalInstanceType),
            },
          },
          NetworkConfig: {
            EnableNetworkIsolation: true,
            EnableInterContainerTrafficEncryption: true,
            VpcConfig: vpcConfig,
          },
          StoppingCondition: { MaxRuntimeInSeconds: (e.maxRuntime ?? Duration.hours(1)).toSeconds() },
          Tags: lineageTags,
        },
      });
    }

    const contentTypes = p.contentTypes ?? ['application/json'];
    const register: StepDefinition = {
      Name: STEP_NAMES.register,
      Type: 'RegisterModel',
      Description: 'Registers the model version for review',
      RetryPolicies: retries.filter((r) => r.ExceptionType.every((t) => t.startsWith('Step.'))),
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
              Image: p.inferenceImageUri ?? p.trainingImageUri,
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
                    S3Uri: artifactUri(this.evaluationPrefix, reportFile),
                  },
                },
              },
            }
          : {}),
      },
    };

    if (p.registrationGate) {
      const g = p.registrationGate;
      const left: ArgumentValue = p.evaluation
        ? jsonGet(STEP_NAMES.evaluation, EVALUATION_PROPERTY_FILE, g.metric)
        : finalMetric(STEP_NAMES.training, g.metric);
      const comparison = g.comparison ?? 'GreaterThanOrEqualTo';
      steps.push(
        conditionStep(
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
        ),
      );
    } else {
      steps.push(register);
    }

    this.definition = {
      Version: '2020-12-01',
      Metadata: {},
      Parameters: parameters,
      Steps: steps,
    };

    this.resource = new sagemaker.CfnPipeline(this, 'Resource', {
      pipelineName: this.pipelineName,
      pipelineDescription:
        `Spot training of ${p.datasetName} into ${p.modelRegistry.modelPackageGroupName}`.slice(0, 3072),
      roleArn: this.role.roleArn,
      pipelineDefinition: { PipelineDefinitionBody: renderDefinition(this.definition) },
      tags: [
        { key: 'model-risk-rating', value: p.riskRating },
        { key: 'model-owner', value: p.modelOwner.slice(0, 256) },
      ],
    });
    // The policies must exist before the pipeline can be started with them.
    this.resource.node.addDependency(this.role.policy, this.executionRole.policy);

    this.deadLetterQueue = triggerDeadLetterQueue(this, 'TriggerDeadLetters');
    if (p.schedule) this.schedule = this.addSchedule(p.schedule, p.scheduleTimeZone ?? 'UTC');
  }

  /**
   * Starts the pipeline on matching events, e.g. a drift alarm's state change, with retries and
   * the dead-letter queue.
   */
  public onEvent(id: string, options: PipelineEventTriggerOptions): events.Rule {
    return new events.Rule(this, id, {
      eventPattern: options.eventPattern,
      description: options.description ?? `Starts ${this.node.path} (retraining)`,
      targets: [this.asRuleTarget()],
    });
  }

  /**
   * An EventBridge rule target that starts this pipeline (with its default parameters), for rules
   * made elsewhere: `rule.addTarget(pipeline.asRuleTarget())`.
   */
  public asRuleTarget(): events.IRuleTarget {
    return new PipelineStartTarget(this);
  }

  /** A reference to the pipeline, for aws-cdk-lib's generated `IPipelineRef` consumers. */
  public get pipelineRef(): sagemaker.PipelineReference {
    return { pipelineName: this.pipelineName };
  }

  /**
   * Lets a principal start executions of this pipeline (`sagemaker:StartPipelineExecution` on
   * its ARN only); the `sagemaker.IPipeline` method aws-cdk-lib's targets call.
   */
  public grantStartPipelineExecution(grantee: iam.IGrantable): iam.Grant {
    return grantStart(grantee, this.pipelineArn);
  }

  /**
   * Lets a principal start executions of this pipeline.
   * @deprecated use {@link grantStartPipelineExecution}, the `sagemaker.IPipeline` name
   */
  public grantStartExecution(grantee: iam.IGrantable): iam.Grant {
    return this.grantStartPipelineExecution(grantee);
  }

  /** The role EventBridge rules assume to start the pipeline (created on first use). */
  public get eventRole(): iam.IRole {
    if (!this.triggerRole) {
      this.triggerRole = new ScopedRole(this, 'EventRole', {
        assumedBy: new iam.ServicePrincipal('events.amazonaws.com').withConditions({
          StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
        }),
        description: `EventBridge rules that start ${this.node.path}`,
      });
      this.grantStartPipelineExecution(this.triggerRole);
    }
    return this.triggerRole;
  }

  private addSchedule(expression: string, timeZone: string): scheduler.CfnSchedule {
    const role = new ScopedRole(this, 'ScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
      }),
      description: `EventBridge Scheduler schedule that starts ${this.node.path}`,
    });
    this.grantStartPipelineExecution(role);
    // Scheduler sends undeliverable runs to the dead-letter queue as this role.
    iam.Grant.addToPrincipal({
      grantee: role,
      actions: ['sqs:SendMessage'],
      resourceArns: [this.deadLetterQueue.queueArn],
    });
    grantDeadLetterKey(this.deadLetterQueue, role);
    const schedule = new scheduler.CfnSchedule(this, 'Schedule', {
      description: `Starts ${this.node.path}`,
      scheduleExpression: expression,
      scheduleExpressionTimezone: timeZone,
      flexibleTimeWindow: { mode: 'OFF' },
      target: {
        arn: this.pipelineArn,
        roleArn: role.roleArn,
        sageMakerPipelineParameters: { pipelineParameterList: [] },
        retryPolicy: { maximumRetryAttempts: 10, maximumEventAgeInSeconds: 3600 },
        deadLetterConfig: { arn: this.deadLetterQueue.queueArn },
      },
    });
    schedule.node.addDependency(role.policy);
    return schedule;
  }

  private defaultSecurityGroup(vpc: ec2.IVpc, distributed: boolean): ec2.SecurityGroup {
    const sg = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc,
      description: `Jobs of ${this.node.path}: HTTPS to AWS endpoints${distributed ? ', and between instances' : ''}`,
      allowAllOutbound: false,
    });
    // The subnets have no route to the internet: 443 reaches the interface endpoints and S3.
    sg.addEgressRule(
      ec2.Peer.anyIpv4(),
      ec2.Port.tcp(443),
      'HTTPS to the VPC endpoints and the S3 gateway endpoint',
    );
    if (distributed) {
      // Distributed training (NCCL, EFA) needs all traffic between the instances of one job;
      // it is encrypted (EnableInterContainerTrafficEncryption) and admitted from this group only.
      sg.addIngressRule(sg, ec2.Port.allTraffic(), 'between the instances of a distributed training job');
      sg.addEgressRule(sg, ec2.Port.allTraffic(), 'between the instances of a distributed training job');
      const ingress = sg.node.children.find(
        (c) => c.node.id.startsWith('from ') && c.node.id.endsWith('ALL TRAFFIC'),
      );
      if (ingress) {
        for (const pack of ['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321']) {
          acknowledge(ingress, `${pack}-EC2RestrictedCommonPorts`, {
            reason:
              'distributed training needs all ports between the instances of one job; the only source is this security group itself',
            ...INHERENT,
          });
        }
      }
    }
    return sg;
  }

  private grantExecutionRole(repositories: ecr.IRepository[]): void {
    const role = this.executionRole;
    const stack = Stack.of(this);
    this.artifactBucket.grantReadWritePrefix(role, this.checkpointPrefix);
    this.artifactBucket.grantReadWritePrefix(role, this.modelPrefix);
    this.artifactBucket.grantReadWritePrefix(role, this.evaluationPrefix);
    grantKey(this.encryptionKey, role, JOB_KEY_ACTIONS);
    if (this.volumeEncryptionKey !== this.encryptionKey)
      grantKey(this.volumeEncryptionKey, role, JOB_KEY_ACTIONS);
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'PullImages',
        actions: [...ECR_PULL_ACTIONS],
        resources: repositories.map((r) => r.repositoryArn),
      }),
    );
    const logGroups = ['TrainingJobs', 'ProcessingJobs'].map((g) =>
      stack.formatArn({
        service: 'logs',
        resource: 'log-group',
        resourceName: `/aws/sagemaker/${g}`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'JobLogGroups', actions: [...LOG_GROUP_ACTIONS], resources: logGroups }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'JobLogStreams',
        actions: [...LOG_WRITE_ACTIONS],
        resources: logGroups.map((g) => `${g}:*`),
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'RegistryLoginAndNetwork',
        actions: [...ECR_AUTH_ACTIONS, ...VPC_ACTIONS],
        resources: ['*'],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'JobMetrics',
        actions: [...METRIC_ACTIONS],
        resources: ['*'],
        conditions: { StringLike: { 'cloudwatch:namespace': '/aws/sagemaker/*' } },
      }),
    );
    acknowledge(role.policy, 'AwsSolutions-IAM5[Resource::*]', {
      reason:
        'ecr:GetAuthorizationToken, the EC2 Describe* calls for VPC jobs and cloudwatch:PutMetricData (namespace-conditioned) accept only Resource "*"',
      ...INHERENT,
    });
    logGroups.forEach((g) => {
      acknowledge(role.policy, `AwsSolutions-IAM5[Resource::${flattenedArn(this, `${g}:*`)}]`, {
        reason: `SageMaker names each job's log streams after the job, and the pipeline names jobs per execution`,
        ...INHERENT,
      });
    });
  }

  private grantPipelineRole(registry: IModelRegistry, evaluation: boolean): void {
    const role = this.role;
    const stack = Stack.of(this);
    const jobArn = (type: string) =>
      stack.formatArn({
        service: 'sagemaker',
        resource: type,
        resourceName: 'pipelines-*',
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'TrainingJobs',
        actions: [...TRAINING_JOB_ACTIONS],
        resources: [jobArn('training-job')],
      }),
    );
    if (evaluation) {
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'ProcessingJobs',
          actions: [...PROCESSING_JOB_ACTIONS],
          resources: [jobArn('processing-job')],
        }),
      );
      // The condition step reads the evaluation report (the property file) as the pipeline role.
      this.artifactBucket.grantReadPrefix(role, this.evaluationPrefix);
    }
    registry.grantRegister(role);
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'PassExecutionRoleToSageMaker',
        actions: ['iam:PassRole'],
        resources: [this.executionRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
      }),
    );
    for (const type of evaluation ? ['training-job', 'processing-job'] : ['training-job']) {
      acknowledge(role.policy, `AwsSolutions-IAM5[Resource::${flattenedArn(this, jobArn(type))}]`, {
        reason: `SageMaker Pipelines name each ${type} pipelines-<execution id>-<step>-<suffix> at run time, so only the prefix is known`,
        ...INHERENT,
      });
    }
    acknowledge(
      role.policy,
      `AwsSolutions-IAM5[Resource::${flattenedArn(this, registry.modelPackageArnPattern)}]`,
      {
        reason:
          'model versions are named <group>/<version number> by SageMaker at registration, so only the group is known',
        ...INHERENT,
      },
    );
  }
}

/** A pipeline imported by name or ARN; see {@link SpotTrainingPipeline.fromPipelineArn}. */
class ImportedPipeline extends Resource implements ISpotTrainingPipeline {
  public readonly pipelineName: string;
  public readonly pipelineArn: string;

  constructor(scope: Construct, id: string, pipelineName: string, pipelineArn: string) {
    // The ARN's account and region make a pipeline of another account a cross-account resource.
    super(scope, id, { environmentFromArn: pipelineArn });
    this.pipelineName = pipelineName;
    this.pipelineArn = pipelineArn;
  }

  public get pipelineRef(): sagemaker.PipelineReference {
    return { pipelineName: this.pipelineName };
  }

  public grantStartPipelineExecution(grantee: iam.IGrantable): iam.Grant {
    return grantStart(grantee, this.pipelineArn);
  }
}

/**
 * PipelineArn's documented pattern, with a non-empty region and the PipelineName pattern after
 * `pipeline/`.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_Pipeline.html
 */
const PIPELINE_ARN =
  /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:[0-9]{12}:pipeline\/[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}$/;

/** PipelineName's documented pattern (same page). */
const PIPELINE_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}$/;

/** The ARN of a pipeline of `stack`'s account and region. */
function pipelineArnFor(stack: Stack, pipelineName: string): string {
  return stack.formatArn({
    service: 'sagemaker',
    resource: 'pipeline',
    // SageMaker writes pipeline names into ARNs in lowercase; IAM compares ARNs case-sensitively.
    resourceName: Token.isUnresolved(pipelineName) ? pipelineName : pipelineName.toLowerCase(),
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}

function grantStart(grantee: iam.IGrantable, pipelineArn: string): iam.Grant {
  return iam.Grant.addToPrincipal({
    grantee,
    actions: [...START_PIPELINE_ACTIONS],
    resourceArns: [pipelineArn],
  });
}

/** The EventBridge target that starts a pipeline; see {@link SpotTrainingPipeline.asRuleTarget}. */
class PipelineStartTarget implements events.IRuleTarget {
  constructor(private readonly pipeline: SpotTrainingPipeline) {}

  public bind(rule: events.IRule): events.RuleTargetConfig {
    targets.addToDeadLetterQueueResourcePolicy(rule, this.pipeline.deadLetterQueue);
    return {
      ...targets.bindBaseTargetConfig({
        deadLetterQueue: this.pipeline.deadLetterQueue,
        retryAttempts: 10,
        maxEventAge: Duration.hours(2),
      }),
      arn: this.pipeline.pipelineArn,
      role: this.pipeline.eventRole,
      targetResource: this.pipeline.resource,
    };
  }
}

/** Intended use, risk rating and owner in one line (the model card fields of the model version). */
function modelCardText(intendedUse: string, riskRating: string, owner: string): string {
  const tail = `; risk rating: ${riskRating}; owner: ${owner.slice(0, 200)}`;
  return `intended use: ${intendedUse.slice(0, 700)}${tail}`;
}

const VERSION_MARKER = '\u0000version\u0000';

/** Splits a dataset prefix built for the marker version into the parts around the version. */
function splitOnVersion(prefix: string): [string, string] {
  const i = prefix.indexOf(VERSION_MARKER);
  return [prefix.slice(0, i), prefix.slice(i + VERSION_MARKER.length)];
}

function minDuration(a: Duration, b: Duration): Duration {
  return a.toSeconds() <= b.toSeconds() ? a : b;
}

function defaultSubnets(vpc: ec2.IVpc): ec2.SubnetSelection {
  return vpc.isolatedSubnets.length > 0
    ? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }
    : { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
}

function uniqueRepositories(repos: (ecr.IRepository | undefined)[]): ecr.IRepository[] {
  const out: ecr.IRepository[] = [];
  for (const r of repos) if (r && !out.includes(r)) out.push(r);
  return out;
}

interface Resolved {
  readonly spot: boolean;
  readonly checkpoints: boolean;
  readonly maxRuntime: Duration;
  readonly families: readonly string[];
  readonly instanceType: string;
  readonly evalInstanceType: string;
}

function crossFieldProblems(
  p: ReturnType<typeof spotTrainingPipelineSchema.parse>,
  r: Resolved,
): PropsProblem[] {
  const problems: PropsProblem[] = [];
  const allowed = `an instance family in ${r.families.join(', ')}`;
  const checkFamily = (field: string, type: string) => {
    const family = instanceFamily(type);
    if (!family || !r.families.includes(family)) {
      problems.push({
        field,
        problem: 'is not an allowed instance type',
        got: JSON.stringify(type),
        expected: allowed,
      });
    }
  };
  checkFamily('instanceType', r.instanceType);
  if (p.evaluation) checkFamily('evaluation.instanceType', r.evalInstanceType);
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ResourceConfig.html and
  // API_ProcessingClusterConfig.html: "You can't request a VolumeKmsKeyId when using an instance
  // type with local storage."
  if (p.volumeEncryptionKey) {
    const types: [string, string][] = [['instanceType', r.instanceType]];
    if (p.evaluation) types.push(['evaluation.instanceType', r.evalInstanceType]);
    for (const [field, type] of types.filter(([, t]) => hasNvmeInstanceStorage(t))) {
      problems.push({
        field: 'volumeEncryptionKey',
        problem:
          'is rejected by SageMaker for an instance type with local NVMe storage, whose volumes are encrypted in hardware',
        got: `a key with ${field} ${JSON.stringify(type)}`,
        expected: 'no volumeEncryptionKey, or an instance type with EBS volumes only',
      });
    }
  }
  if (r.spot && !r.checkpoints) {
    problems.push({
      field: 'checkpoints',
      problem: 'must be on with spot instances: an interrupted spot job resumes only from a checkpoint',
      got: 'false',
      expected: 'true, or useSpotInstances: false',
    });
  }
  if (p.maxWait && !r.spot) {
    problems.push({
      field: 'maxWait',
      problem: 'applies only to spot instances',
      got: p.maxWait.toString(),
      expected: 'no maxWait, or useSpotInstances: true',
    });
  }
  if (
    p.maxWait &&
    !p.maxWait.isUnresolved() &&
    !r.maxRuntime.isUnresolved() &&
    p.maxWait.toSeconds() < r.maxRuntime.toSeconds()
  ) {
    problems.push({
      field: 'maxWait',
      problem: 'is shorter than maxRuntime',
      got: p.maxWait.toString(),
      expected: `at least maxRuntime (${r.maxRuntime.toString()})`,
    });
  }
  if (p.registrationGate && !p.evaluation) {
    const names = (p.metricDefinitions ?? []).map((m) => m.name);
    if (!names.includes(p.registrationGate.metric)) {
      problems.push({
        field: 'registrationGate.metric',
        problem: 'is not a training metric (without evaluation, the gate reads a metric definition)',
        got: JSON.stringify(p.registrationGate.metric),
        expected: names.length
          ? `one of ${names.map((n) => JSON.stringify(n)).join(', ')}`
          : 'a metricDefinitions entry, or evaluation',
      });
    }
  }
  return problems;
}
