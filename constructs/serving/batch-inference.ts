import { ArnFormat, Resource, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { z } from 'zod';
import { hasNvmeInstanceStorage } from '../../lib/aws-facts/instance-storage';
import { acknowledge } from '../core/acknowledge';
import { INHERENT } from '../core/inherent';
import { ScopedRole } from '../core/scoped-role';
import {
  constructRef,
  describeValue,
  PropsProblem,
  refs,
  throwIfProblems,
  tokenOr,
  validateProps,
} from '../core/validate';
import { createDomainKey } from '../encryption/domain-key';
import { grantKey } from '../encryption/encryption-keys';
import { ISecureBucket } from '../storage/secure-bucket';
import { triggerDeadLetterQueue } from '../training/dead-letters';
import { EXECUTION_ID, join, renderDefinition } from '../training/pipeline-definition';
import { grantStart } from '../training/pipeline-grants';
import { PipelineStartTarget, pipelineEventRole, pipelineSchedule } from '../training/pipeline-triggers';
import {
  ECR_AUTH_ACTIONS,
  ECR_PULL_ACTIONS,
  JOB_KEY_ACTIONS,
  LOG_GROUP_ACTIONS,
  LOG_WRITE_ACTIONS,
  METRIC_ACTIONS,
  VPC_ACTIONS,
} from '../training/perms';
import { RECORD_ID_FIRST_COLUMN, transformStepDefinition } from './batch-inference-step';
import { DEFAULT_INSTANCE_TYPE, physicalNameFor } from './defaults';
import { createModel, createModelNetwork } from './endpoint-models';
import { isolatedEndpointSchema } from './isolated-endpoint-props';
import { acknowledgeIdentityPrefixGrant, flattenForNag } from './nag-ids';
import { MODEL_ARTIFACT_KEY_ACTIONS, MODEL_ARTIFACT_READ_ACTIONS, TRANSFORM_JOB_ACTIONS } from './perms';

/** Props for {@link BatchInference}. */
export interface BatchInferenceProps {
  /** The VPC the model runs in during a job (its subnets need the S3, ECR, STS and logs endpoints). */
  readonly vpc: ec2.IVpc;
  /**
   * Subnets of the job's network interfaces.
   * @default - the VPC's isolated subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /** The private ECR repository that holds the image. */
  readonly imageRepository: ecr.IRepository;
  /** The image digest, `sha256:<64 hex digits>`. */
  readonly imageDigest: string;
  /** The bucket that holds the model artifact. */
  readonly modelBucket: ISecureBucket;
  /** Key of the model artifact (`model.tar.gz`) in the bucket. */
  readonly modelDataKey: string;
  /**
   * Environment variables of the container.
   * @default - none
   */
  readonly containerEnvironment?: Record<string, string>;
  /**
   * Model network isolation (it applies to every transform job of the model). Turning it off trips
   * `MLOps-SageMakerModelNetworkIsolation`.
   * @default true
   */
  readonly networkIsolation?: boolean;
  /**
   * The bucket of input records and predictions; predictions are encrypted with its key. A
   * `SecureBucket` gets the execution role's prefix grants in its bucket policy.
   * @default - the model bucket
   */
  readonly ioBucket?: ISecureBucket;
  /**
   * Prefix of the input records (one record per line).
   * @default 'batch-inference/<pipeline name>/input/'
   */
  readonly inputPrefix?: string;
  /**
   * Prefix predictions are written under, one sub-prefix per pipeline execution.
   * @default 'batch-inference/<pipeline name>/output/'
   */
  readonly outputPrefix?: string;
  /**
   * Instance type of the transform job.
   * @default 'ml.m5.large'
   */
  readonly instanceType?: string;
  /**
   * Instances of the transform job.
   * @default 1
   */
  readonly instanceCount?: number;
  /**
   * Key of the job's ML storage volume. Refused for instance types with local NVMe storage, which
   * SageMaker encrypts in hardware and for which it rejects a key.
   * @default - a dedicated `models` key; none for instance types with local NVMe storage
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Content type of the records and of the predictions.
   * @default 'text/csv'
   */
  readonly contentType?: string;
  /**
   * JSONPath of the part of each record the model sees.
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/batch-transform-data-processing.html
   * @default '$[1:]' (all but the first column, the record id)
   */
  readonly inputFilter?: string;
  /**
   * JSONPath of what is written for each record, applied to the record joined with its prediction
   * (`JoinSource: Input` is always set, so the record id can be kept).
   * @default '$[0,-1]' (the record id and the prediction)
   */
  readonly outputFilter?: string;
  /**
   * Runs the job on a schedule (EventBridge Scheduler, with retries and a dead-letter queue).
   * @default - no schedule
   */
  readonly schedule?: scheduler.ScheduleExpression;
  /**
   * Runs the job when an object lands under the input prefix (an EventBridge rule on the bucket's
   * `Object Created` events: the bucket must send events to EventBridge, as `SecureBucket` does).
   * Each event starts one run over the whole prefix: land one batch file per run.
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventBridge.html
   * @default false
   */
  readonly runOnNewInput?: boolean;
  /**
   * The pipeline name.
   * @default - derived from the construct path
   */
  readonly pipelineName?: string;
}

const prefix = tokenOr(
  z
    .string()
    .min(1)
    .max(400)
    .regex(/^[^/].*\/$/),
);
const shared = isolatedEndpointSchema.shape;
const jsonPath = z.string().min(1).max(63).regex(/^\$/);

const schema = z.strictObject({
  vpc: refs.vpc,
  vpcSubnets: shared.vpcSubnets,
  imageRepository: constructRef<ecr.IRepository>('ecr.IRepository', [
    'repositoryArn',
    'repositoryUriForDigest',
  ]),
  imageDigest: shared.imageDigest,
  modelBucket: refs.secureBucket,
  modelDataKey: shared.modelDataKey,
  containerEnvironment: shared.containerEnvironment,
  networkIsolation: z.boolean().optional(),
  ioBucket: refs.secureBucket.optional(),
  inputPrefix: prefix.optional(),
  outputPrefix: prefix.optional(),
  instanceType: shared.instanceType,
  instanceCount: z.number().int().min(1).max(100).optional(),
  encryptionKey: refs.key.optional(),
  contentType: z.enum(['text/csv', 'application/jsonlines']).optional(),
  inputFilter: jsonPath.optional(),
  outputFilter: jsonPath.optional(),
  schedule: z
    .custom<scheduler.ScheduleExpression>((v) => v instanceof scheduler.ScheduleExpression, {
      message: 'is not a scheduler.ScheduleExpression',
      params: { expected: 'a scheduler.ScheduleExpression' },
    })
    .optional(),
  runOnNewInput: z.boolean().optional(),
  pipelineName: tokenOr(z.string().regex(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}$/)).optional(),
});

/** Name of the one step of a {@link BatchInference} pipeline. */
export const BATCH_TRANSFORM_STEP = 'BatchTransform';

/**
 * Scheduled or input-triggered batch inference: a SageMaker pipeline with one Transform step that
 * runs a network-isolated, digest-pinned model in the VPC over every record under an input prefix
 * of a secure bucket and writes each prediction next to its record id, output and volume encrypted
 * with customer managed keys (MLOps-SageMakerPipelineTransformStep). Started by an EventBridge
 * Scheduler schedule, by new input (S3 → EventBridge), or by `grantStartPipelineExecution`.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/batch-transform.html
 */
export class BatchInference extends Resource implements sagemaker.IPipeline, iam.IGrantable {
  public readonly pipelineName: string;
  public readonly pipelineArn: string;
  /** The pipeline. */
  public readonly resource: sagemaker.CfnPipeline;
  /** The model the transform jobs run. */
  public readonly model: sagemaker.CfnModel;
  /** The model's execution role: what the transform jobs read and write as. */
  public readonly executionRole: ScopedRole;
  /** The pipeline role: starts and watches the transform jobs. */
  public readonly role: ScopedRole;
  /** The execution role. */
  public readonly grantPrincipal: iam.IPrincipal;
  /** The model's security group (HTTPS egress only). */
  public readonly securityGroup: ec2.SecurityGroup;
  /** The volume key; undefined for instance types with local NVMe storage. */
  public readonly encryptionKey?: kms.IKey;
  /** The bucket of records and predictions. */
  public readonly ioBucket: ISecureBucket;
  /** Where records are read from. */
  public readonly inputS3Uri: string;
  /** Where predictions go (`<outputS3Uri><execution id>/`). */
  public readonly outputS3Uri: string;
  /** Undelivered scheduled or event starts. */
  public readonly deadLetterQueue: sqs.Queue;
  /** The schedule, with `schedule`. */
  public readonly schedule?: scheduler.Schedule;
  /** The role EventBridge rules start the pipeline with, with `runOnNewInput`. */
  public readonly eventRole: iam.IRole;
  /** The new-input rule, with `runOnNewInput`. */
  public readonly newInputRule?: events.Rule;

  constructor(scope: Construct, id: string, props: BatchInferenceProps) {
    super(scope, id);
    const p = validateProps(this, schema, props);
    const instanceType = p.instanceType ?? DEFAULT_INSTANCE_TYPE;
    const nvme = !Token.isUnresolved(instanceType) && hasNvmeInstanceStorage(instanceType);
    throwIfProblems(this, batchProblems(p, nvme, instanceType));

    this.pipelineName = p.pipelineName ?? physicalNameFor(this, 256);
    const stack = Stack.of(this);
    this.pipelineArn = stack.formatArn({
      service: 'sagemaker',
      resource: 'pipeline',
      resourceName: Token.isUnresolved(this.pipelineName)
        ? this.pipelineName
        : this.pipelineName.toLowerCase(),
    });
    this.encryptionKey = nvme ? undefined : (p.encryptionKey ?? createDomainKey(this, 'Key', 'models'));
    this.ioBucket = p.ioBucket ?? p.modelBucket;
    const base = `batch-inference/${this.pipelineName}/`;
    const inputPrefix = p.inputPrefix ?? `${base}input/`;
    const outputPrefix = p.outputPrefix ?? `${base}output/`;
    this.inputS3Uri = this.ioBucket.s3UriForPrefix(inputPrefix);
    this.outputS3Uri = this.ioBucket.s3UriForPrefix(outputPrefix);

    // The model and what its jobs run as (transform jobs take no role of their own).
    this.executionRole = new ScopedRole(this, 'ExecutionRole', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: `Execution role of the model of batch inference ${this.pipelineName}`,
    });
    this.grantPrincipal = this.executionRole;
    this.grantJobs(p, inputPrefix, outputPrefix);
    const network = createModelNetwork(this, this.pipelineName, p);
    this.securityGroup = network.securityGroup;
    this.model = createModel(this, 'Model', p, {
      role: this.executionRole,
      isolation: p.networkIsolation ?? true,
      vpcConfig: network.vpcConfig,
      imageDigest: p.imageDigest,
      modelDataKey: p.modelDataKey,
    });

    // The pipeline: one Transform step; each execution writes under its own id.
    this.role = new ScopedRole(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: `Pipeline role of batch inference ${this.pipelineName}`,
    });
    const jobs = stack.formatArn({
      service: 'sagemaker',
      resource: 'transform-job',
      resourceName: 'pipelines-*',
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'TransformJobs',
        actions: [...TRANSFORM_JOB_ACTIONS],
        resources: [jobs],
      }),
    );
    acknowledge(this.role.policy, `AwsSolutions-IAM5[Resource::${flattenForNagArn(this, jobs)}]`, {
      reason:
        'SageMaker Pipelines name each transform job pipelines-<execution id>-<step>-<suffix> at run time',
      ...INHERENT,
    });
    const step = transformStepDefinition(BATCH_TRANSFORM_STEP, {
      modelName: this.model.attrModelName,
      inputS3Uri: this.inputS3Uri,
      outputS3Uri: join([this.outputS3Uri, EXECUTION_ID, '/']),
      outputKeyArn: this.ioBucket.encryptionKey.keyArn,
      volumeKeyArn: this.encryptionKey?.keyArn,
      instanceType,
      instanceCount: p.instanceCount ?? 1,
      contentType: p.contentType ?? 'text/csv',
      inputFilter: p.inputFilter ?? RECORD_ID_FIRST_COLUMN.inputFilter,
      outputFilter: p.outputFilter ?? RECORD_ID_FIRST_COLUMN.outputFilter,
    });
    this.resource = new sagemaker.CfnPipeline(this, 'Resource', {
      pipelineName: this.pipelineName,
      pipelineDescription: `Batch inference over ${inputPrefix}`.slice(0, 3072),
      roleArn: this.role.roleArn,
      pipelineDefinition: {
        PipelineDefinitionBody: renderDefinition({
          Version: '2020-12-01',
          Metadata: {},
          Parameters: [],
          Steps: [step],
        }),
      },
    });
    this.resource.node.addDependency(this.role.policy, this.executionRole.policy, this.model);

    this.deadLetterQueue = triggerDeadLetterQueue(this, 'TriggerDeadLetters');
    this.eventRole = pipelineEventRole(this, this);
    if (p.schedule) this.schedule = pipelineSchedule(this, this, p.schedule);
    if (p.runOnNewInput) {
      this.newInputRule = new events.Rule(this, 'NewInput', {
        description: `Starts ${this.node.path} when input lands under ${inputPrefix}`,
        eventPattern: {
          source: ['aws.s3'],
          detailType: ['Object Created'],
          detail: {
            bucket: { name: [this.ioBucket.bucketName] },
            object: { key: [{ prefix: inputPrefix }] },
          },
        },
        targets: [new PipelineStartTarget(this)],
      });
    }
  }

  /** The reference aws-cdk-lib's L1 helpers take. */
  public get pipelineRef(): sagemaker.PipelineReference {
    return { pipelineName: this.pipelineName };
  }

  /** Lets a principal start a run (`sagemaker:StartPipelineExecution` on this pipeline). */
  public grantStartPipelineExecution(grantee: iam.IGrantable): iam.Grant {
    return grantStart(grantee, this.pipelineArn);
  }

  /** What the model's jobs read and write: records, predictions, artifact, image, logs, metrics, ENIs. */
  private grantJobs(p: z.output<typeof schema>, inputPrefix: string, outputPrefix: string): void {
    const role = this.executionRole;
    const stack = Stack.of(this);
    const add = (
      sid: string,
      actions: readonly string[],
      resources: string[],
      conditions?: Record<string, unknown>,
    ) =>
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({ sid, actions: [...actions], resources, conditions }),
      );
    add('ReadModelArtifact', MODEL_ARTIFACT_READ_ACTIONS, [
      p.modelBucket.bucket.arnForObjects(p.modelDataKey),
    ]);
    add('DecryptModelArtifact', MODEL_ARTIFACT_KEY_ACTIONS, [p.modelBucket.encryptionKey.keyArn]);
    add('PullImage', ECR_PULL_ACTIONS, [p.imageRepository.repositoryArn]);
    this.ioBucket.grantReadPrefix(role, inputPrefix);
    this.ioBucket.grantWritePrefix(role, outputPrefix);
    acknowledgeIdentityPrefixGrant(
      role,
      this.ioBucket,
      inputPrefix,
      'the records under the input prefix are named by whoever lands them',
    );
    acknowledgeIdentityPrefixGrant(
      role,
      this.ioBucket,
      outputPrefix,
      'sagemaker names each output object <input object>.out under the execution prefix at run time',
    );
    if (this.encryptionKey) grantKey(this.encryptionKey, role, JOB_KEY_ACTIONS);
    const logGroup = stack.formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: '/aws/sagemaker/TransformJobs',
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    add('JobLogGroup', LOG_GROUP_ACTIONS, [logGroup]);
    add('JobLogStreams', LOG_WRITE_ACTIONS, [`${logGroup}:*`]);
    acknowledge(role.policy, `AwsSolutions-IAM5[Resource::${flattenForNagArn(this, `${logGroup}:*`)}]`, {
      reason:
        "SageMaker names each transform job's log streams after the job, and the pipeline names jobs per execution",
      ...INHERENT,
    });
    add('RegistryLoginAndNetwork', [...ECR_AUTH_ACTIONS, ...VPC_ACTIONS], ['*']);
    add('JobMetrics', METRIC_ACTIONS, ['*'], {
      StringEquals: { 'cloudwatch:namespace': '/aws/sagemaker/TransformJobs' },
    });
    acknowledge(role.policy, 'AwsSolutions-IAM5[Resource::*]', {
      reason:
        'ecr:GetAuthorizationToken, the EC2 network-interface calls of VPC jobs and cloudwatch:PutMetricData (namespace-conditioned) accept only Resource "*"',
      ...INHERENT,
    });
  }
}

/** An ARN as cdk-nag's IAM5 finding shows it. */
function flattenForNagArn(scope: Construct, arn: string): string {
  return flattenForNag(Stack.of(scope).resolve(arn));
}

function batchProblems(p: z.output<typeof schema>, nvme: boolean, instanceType: string): PropsProblem[] {
  const problems: PropsProblem[] = [];
  if (p.encryptionKey && nvme) {
    problems.push({
      field: 'encryptionKey',
      problem:
        'sagemaker rejects a volume key for instance types with local nvme storage, which is hardware-encrypted',
      got: `a key with instanceType ${describeValue(instanceType)}`,
      expected:
        'no encryptionKey, or an instance type without instance storage, see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_TransformResources.html',
    });
  }
  const input = p.inputPrefix;
  const output = p.outputPrefix;
  if (
    input !== undefined &&
    output !== undefined &&
    !Token.isUnresolved(input) &&
    !Token.isUnresolved(output) &&
    output.startsWith(input)
  ) {
    problems.push({
      field: 'outputPrefix',
      problem: 'predictions written under the input prefix would be read as input by the next run',
      got: describeValue(p.outputPrefix),
      expected: `a prefix outside inputPrefix (${input})`,
    });
  }
  return problems;
}
