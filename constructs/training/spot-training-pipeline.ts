import { Duration, Names, Resource, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ScopedRole } from '../core/scoped-role';
import { SecureFunction } from '../core/secure-function';
import { throwIfProblems, validateProps } from '../core/validate';
import { ISecureBucket, SecureBucket } from '../storage/secure-bucket';
import { triggerDeadLetterQueue } from './dead-letters';
import { PipelineDefinition, renderDefinition } from './pipeline-definition';
import { grantExecutionRole, grantPipelineRole, grantStart, uniqueRepositories } from './pipeline-grants';
import { importPipelineByArn, importPipelineByName, pipelineArnFor } from './pipeline-import';
import { defaultSecurityGroup, defaultSubnets } from './pipeline-network';
import { crossFieldProblems, pipelineSettings } from './pipeline-settings';
import { datasetVersionsPrefix, pipelineDefinition, STEP_NAMES, StepResources } from './pipeline-steps';
import { PipelineStartTarget, pipelineEventRole, pipelineSchedule } from './pipeline-triggers';
import { biasCheckFunction } from './spot-training-pipeline-bias';
import {
  biasReportsLocation,
  FAIRNESS_STEP_NAMES,
  fairnessCheckFunction,
  fairnessCheckProblems,
} from './spot-training-pipeline-fairness';
import {
  datasetVersionUri,
  definitionVersion,
  lineageFunctions,
  LineageFunctions,
  withLineage,
} from './spot-training-pipeline-lineage';
import { spotTrainingPipelineSchema, SpotTrainingPipelineProps } from './spot-training-pipeline-props';

export { DATASET_VERSION_PARAMETER, EVALUATION_PROPERTY_FILE, STEP_NAMES } from './pipeline-steps';

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
    return importPipelineByArn(scope, id, pipelineArn);
  }

  /** Imports a pipeline of this stack's account and region by name. */
  public static fromPipelineName(scope: Construct, id: string, pipelineName: string): ISpotTrainingPipeline {
    return importPipelineByName(scope, id, pipelineName);
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
  public readonly artifactBucket: ISecureBucket;
  /** The key of job outputs, and of EBS volumes unless {@link volumeEncryptionKey} differs. */
  public readonly encryptionKey: kms.IKey;
  /** The key of the jobs' EBS volumes (none is used for instance types with local NVMe storage). */
  public readonly volumeEncryptionKey: kms.IKey;
  /** The jobs' security groups. */
  public readonly securityGroups: ec2.ISecurityGroup[];
  /** Trigger events that could not start the pipeline wait here. */
  public readonly deadLetterQueue: sqs.Queue;
  /** The schedule, when `schedule` is set. */
  public readonly schedule?: scheduler.Schedule;
  /** Key prefix of the checkpoints, one sub-prefix per execution. */
  public readonly checkpointPrefix: string;
  /** Key prefix of the model artifacts, one sub-prefix per execution. */
  public readonly modelPrefix: string;
  /** Key prefix of the evaluation reports, one sub-prefix per execution. */
  public readonly evaluationPrefix: string;
  /**
   * Key prefix of the bias reports in {@link biasReportsBucket} (by default `bias-reports/<model
   * package group>/`, one sub-prefix per execution), when `biasCheck` or `fairnessCheck` is set:
   * the prefix a `ModelReviewGate` on the same registry expects reviewers to cite.
   */
  public readonly biasReportsPrefix?: string;
  /** The bucket of the bias reports (`biasCheck.reportsBucket`, else `fairnessCheck.reportsBucket`, else {@link artifactBucket}), when `biasCheck` or `fairnessCheck` is set. */
  public readonly biasReportsBucket?: ISecureBucket;
  /** The function of the pre-training bias check (the `CheckBias` Lambda step), when `biasCheck` is set. */
  public readonly biasCheckFunction?: SecureFunction;
  /** The function of the post-training fairness check (the `CheckFairness` Lambda step), when `fairnessCheck` is set. */
  public readonly fairnessCheckFunction?: SecureFunction;
  /** Key prefix of the dataset manifests (`lineage/<pipeline>/`, one per execution), when `lineage` is set. */
  public readonly lineagePrefix?: string;
  /** The `WriteManifest` and `RecordLineage` step functions, when `lineage` is set. */
  public readonly lineageFunctions?: LineageFunctions;

  private triggerRole?: ScopedRole;

  constructor(scope: Construct, id: string, props: SpotTrainingPipelineProps) {
    super(scope, id);
    const p = validateProps(this, spotTrainingPipelineSchema, props);
    const settings = pipelineSettings(p);
    throwIfProblems(this, [...crossFieldProblems(p, settings), ...fairnessCheckProblems(p)]);

    this.pipelineName =
      p.pipelineName ??
      Names.uniqueResourceName(this, { maxLength: 80, separator: '-', allowedSpecialCharacters: '-' });
    this.pipelineArn = pipelineArnFor(Stack.of(this), this.pipelineName);
    this.checkpointPrefix = `checkpoints/${this.pipelineName}/`;
    this.modelPrefix = `models/${this.pipelineName}/`;
    this.evaluationPrefix = `evaluation/${this.pipelineName}/`;

    this.artifactBucket = p.artifactBucket ?? this.defaultArtifactBucket(p.encryptionKey);
    this.encryptionKey = p.encryptionKey ?? this.artifactBucket.encryptionKey;
    this.volumeEncryptionKey = p.volumeEncryptionKey ?? this.encryptionKey;
    this.securityGroups = p.securityGroups ?? [defaultSecurityGroup(this, p.vpc, settings.distributed)];
    const subnetIds = p.vpc.selectSubnets(p.vpcSubnets ?? defaultSubnets(p.vpc)).subnetIds;

    this.executionRole = new ScopedRole(this, 'ExecutionRole', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: `Training and evaluation jobs of ${this.node.path}`,
    });
    this.role = new ScopedRole(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: `SageMaker pipeline ${this.node.path}`,
    });
    // Any version of this one dataset (the version is a run-time parameter), nothing else.
    p.datasetBucket.grantReadDatasets(this.executionRole, datasetVersionsPrefix(p));
    const repositories = uniqueRepositories([p.trainingImage.repository, p.evaluation?.image.repository]);
    grantExecutionRole(this, this.executionRole, this, repositories);
    grantPipelineRole(this, this.role, this, p.modelRegistry, p.evaluation !== undefined);

    const reports = biasReportsLocation(p, this.artifactBucket);
    this.biasReportsPrefix = reports?.prefix;
    this.biasReportsBucket = reports?.bucket;
    if (p.biasCheck && reports) {
      this.biasCheckFunction = biasCheckFunction(this, 'BiasCheck', {
        options: p.biasCheck,
        datasetBucket: p.datasetBucket,
        datasetPrefix: datasetVersionsPrefix(p),
        reportsBucket: reports.bucket,
        reportsPrefix: reports.prefix,
        vpc: p.vpc,
        vpcSubnets: p.vpcSubnets,
        pipelineRole: this.role,
      });
    }
    if (p.fairnessCheck && reports) {
      this.fairnessCheckFunction = fairnessCheckFunction(this, 'FairnessCheck', {
        options: p.fairnessCheck,
        artifactBucket: this.artifactBucket,
        evaluationPrefix: this.evaluationPrefix,
        reportsBucket: reports.bucket,
        reportsPrefix: reports.prefix,
        vpc: p.vpc,
        vpcSubnets: p.vpcSubnets,
        pipelineRole: this.role,
      });
    }

    if (p.lineage) {
      this.lineagePrefix = `lineage/${this.pipelineName}/`;
      this.lineageFunctions = lineageFunctions(this, {
        options: p.lineage,
        datasetBucket: p.datasetBucket,
        datasetPrefix: datasetVersionsPrefix(p),
        channels: p.inputChannels ?? ['train', 'validation'],
        artifactBucket: this.artifactBucket,
        manifestPrefix: this.lineagePrefix,
        registry: p.modelRegistry,
        vpc: p.vpc,
        vpcSubnets: p.vpcSubnets,
        pipelineRole: this.role,
      });
    }

    const definition = pipelineDefinition(p, settings, {
      ...this.stepResources(),
      subnetIds,
      biasCheckFunctionArn: this.biasCheckFunction?.function.functionArn,
      fairnessCheckFunctionArn: this.fairnessCheckFunction?.function.functionArn,
    });
    this.definition =
      p.lineage && this.lineageFunctions
        ? withLineage(
            definition,
            {
              manifestFunctionArn: this.lineageFunctions.manifest.function.functionArn,
              recordFunctionArn: this.lineageFunctions.record.function.functionArn,
              datasetVersionUri: datasetVersionUri(p.datasetBucket, p.datasetName),
              datasetBucketName: p.datasetBucket.bucket.bucketName,
              trainingImageDigest: p.trainingImage.digest,
              codeVersion: p.lineage.codeVersion ?? definitionVersion(Stack.of(this), definition),
              featureContract: p.lineage.featureContract,
            },
            {
              training: STEP_NAMES.training,
              register: STEP_NAMES.register,
              biasCheck: STEP_NAMES.biasCheck,
              fairnessCheck: FAIRNESS_STEP_NAMES.fairnessCheck,
            },
          )
        : definition;
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
    if (p.schedule) this.schedule = pipelineSchedule(this, this, p.schedule);
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
    this.triggerRole ??= pipelineEventRole(this, this);
    return this.triggerRole;
  }

  /** A new SecureBucket (`Artifacts`) whose checkpoints expire after a month. */
  private defaultArtifactBucket(encryptionKey: kms.IKey | undefined): SecureBucket {
    return new SecureBucket(this, 'Artifacts', {
      encryptionKey,
      keyDomain: 'models',
      lifecycleRules: [
        // Checkpoints matter only while a job can still resume; keep them a month, then expire.
        { id: 'expire-checkpoints', prefix: 'checkpoints/', expiration: Duration.days(30) },
      ],
    });
  }

  /** What the definition's steps refer to. */
  private stepResources(): Omit<StepResources, 'subnetIds'> {
    return {
      pipelineName: this.pipelineName,
      checkpointPrefix: this.checkpointPrefix,
      modelPrefix: this.modelPrefix,
      evaluationPrefix: this.evaluationPrefix,
      artifactBucket: this.artifactBucket,
      encryptionKey: this.encryptionKey,
      volumeEncryptionKey: this.volumeEncryptionKey,
      executionRole: this.executionRole,
      securityGroups: this.securityGroups,
    };
  }
}
