import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { acknowledge } from '../core/acknowledge';
import { INHERENT } from '../core/inherent';
import { ScopedRole } from '../core/scoped-role';
import { grantKey } from '../encryption/encryption-keys';
import { ISecureBucket } from '../storage/secure-bucket';
import { IModelRegistry } from './model-registry';
import { flattenedArn } from './nag-ids';
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

/** What the roles of a pipeline are granted on. */
export interface GrantTargets {
  readonly artifactBucket: ISecureBucket;
  readonly checkpointPrefix: string;
  readonly modelPrefix: string;
  readonly evaluationPrefix: string;
  readonly encryptionKey: kms.IKey;
  readonly volumeEncryptionKey: kms.IKey;
}

/**
 * The execution role (what the jobs run as): the checkpoint, model and evaluation prefixes, the
 * keys, pulling from the given repositories only, the SageMaker job log groups, ENIs and metrics.
 */
export function grantExecutionRole(
  scope: Construct,
  role: ScopedRole,
  t: GrantTargets,
  repositories: readonly ecr.IRepository[],
): void {
  const stack = Stack.of(scope);
  t.artifactBucket.grantReadWritePrefix(role, t.checkpointPrefix);
  t.artifactBucket.grantReadWritePrefix(role, t.modelPrefix);
  t.artifactBucket.grantReadWritePrefix(role, t.evaluationPrefix);
  grantKey(t.encryptionKey, role, JOB_KEY_ACTIONS);
  if (t.volumeEncryptionKey !== t.encryptionKey) grantKey(t.volumeEncryptionKey, role, JOB_KEY_ACTIONS);
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
    acknowledge(role.policy, `AwsSolutions-IAM5[Resource::${flattenedArn(scope, `${g}:*`)}]`, {
      reason: `SageMaker names each job's log streams after the job, and the pipeline names jobs per execution`,
      ...INHERENT,
    });
  });
}

/**
 * The pipeline role: start and watch the jobs it names `pipelines-*`, read the evaluation report
 * (the condition step), register into the one registry, and pass the execution role to SageMaker.
 */
export function grantPipelineRole(
  scope: Construct,
  role: ScopedRole,
  t: GrantTargets & { readonly executionRole: iam.IRole },
  registry: IModelRegistry,
  evaluation: boolean,
): void {
  const stack = Stack.of(scope);
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
    t.artifactBucket.grantReadPrefix(role, t.evaluationPrefix);
  }
  registry.grantRegister(role);
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'PassExecutionRoleToSageMaker',
      actions: ['iam:PassRole'],
      resources: [t.executionRole.roleArn],
      conditions: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
    }),
  );
  for (const type of evaluation ? ['training-job', 'processing-job'] : ['training-job']) {
    acknowledge(role.policy, `AwsSolutions-IAM5[Resource::${flattenedArn(scope, jobArn(type))}]`, {
      reason: `SageMaker Pipelines name each ${type} pipelines-<execution id>-<step>-<suffix> at run time, so only the prefix is known`,
      ...INHERENT,
    });
  }
  acknowledge(
    role.policy,
    `AwsSolutions-IAM5[Resource::${flattenedArn(scope, registry.modelPackageArnPattern)}]`,
    {
      reason:
        'model versions are named <group>/<version number> by SageMaker at registration, so only the group is known',
      ...INHERENT,
    },
  );
}

/** `sagemaker:StartPipelineExecution` on one pipeline ARN, in the grantee's identity policy. */
export function grantStart(grantee: iam.IGrantable, pipelineArn: string): iam.Grant {
  return iam.Grant.addToPrincipal({
    grantee,
    actions: [...START_PIPELINE_ACTIONS],
    resourceArns: [pipelineArn],
  });
}

/** The repositories to pull from, each once, in order. */
export function uniqueRepositories(repos: (ecr.IRepository | undefined)[]): ecr.IRepository[] {
  const out: ecr.IRepository[] = [];
  for (const r of repos) if (r && !out.includes(r)) out.push(r);
  return out;
}
