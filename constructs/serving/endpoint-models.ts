import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { acknowledge } from '../core/acknowledge';
import { INHERENT } from '../core/inherent';
import { ScopedRole } from '../core/scoped-role';
import { createDomainKey } from '../encryption/domain-key';
import { IsolatedEndpointProps } from './isolated-endpoint-props';
import {
  ECR_AUTH_ACTIONS,
  ECR_PULL_ACTIONS,
  ENDPOINT_LOG_ACTIONS,
  METRIC_PUBLISH_ACTIONS,
  MODEL_ARTIFACT_KEY_ACTIONS,
  MODEL_ARTIFACT_READ_ACTIONS,
  VPC_DESCRIBE_ACTIONS,
  VPC_ENI_ACTIONS,
} from './perms';

// The models of an IsolatedEndpoint and what they run with: the container log group, the
// execution role's permissions, the security group and the CfnModel resources.

/**
 * The container log group `/aws/sagemaker/Endpoints/<name>`, pre-created so it is encrypted and
 * expires; SageMaker would otherwise create it without either.
 */
export function createContainerLogGroup(
  scope: Construct,
  endpointName: string,
  p: IsolatedEndpointProps,
): logs.LogGroup {
  const logKey = p.logEncryptionKey ?? createDomainKey(scope, 'LogKey', 'logs');
  return new logs.LogGroup(scope, 'Logs', {
    logGroupName: `/aws/sagemaker/Endpoints/${endpointName}`,
    encryptionKey: logKey,
    retention: p.logRetention ?? logs.RetentionDays.ONE_YEAR,
    // Kept on delete and replacement (evidence), but not after a failed first create: its fixed
    // name would block the retry.
    removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
  });
}

/** What the models' execution role reads and writes. */
export interface ModelExecution {
  /** Keys of the model artifacts (production and shadow) in the model bucket. */
  readonly artifactKeys: string[];
  /** The container log group. */
  readonly logGroup: logs.ILogGroup;
}

/**
 * Everything the models need at run time, in the execution role's policy: the artifact objects
 * and their key, the image, container logs and metrics, and network interfaces in the VPC.
 */
export function grantModelExecution(role: ScopedRole, p: IsolatedEndpointProps, e: ModelExecution): void {
  const bucket = p.modelBucket;
  const add = (sid: string, actions: string[], resources: string[], conditions?: Record<string, unknown>) =>
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid, actions, resources, conditions }));
  // Exactly the artifact objects, in the identity policy, so a bucket in another stack needs no
  // bucket-policy change (which would make that stack depend on this one).
  add(
    'ReadModelArtifact',
    [...MODEL_ARTIFACT_READ_ACTIONS],
    e.artifactKeys.map((k) => bucket.bucket.arnForObjects(k)),
  );
  add('DecryptModelArtifact', [...MODEL_ARTIFACT_KEY_ACTIONS], [bucket.encryptionKey.keyArn]);
  add('PullImage', [...ECR_PULL_ACTIONS], [p.imageRepository.repositoryArn]);
  add('RegistryToken', [...ECR_AUTH_ACTIONS], ['*']);
  add('ContainerLogs', [...ENDPOINT_LOG_ACTIONS], [e.logGroup.logGroupArn]);
  add('EndpointMetrics', [...METRIC_PUBLISH_ACTIONS], ['*'], {
    StringEquals: { 'cloudwatch:namespace': '/aws/sagemaker/Endpoints' },
  });
  add('DescribeNetwork', [...VPC_DESCRIBE_ACTIONS], ['*']);
  add('NetworkInterfacesInVpc', [...VPC_ENI_ACTIONS], ['*'], {
    ArnEquals: {
      'ec2:Vpc': Stack.of(role).formatArn({ service: 'ec2', resource: 'vpc', resourceName: p.vpc.vpcId }),
    },
  });
  acknowledge(role.policy, 'AwsSolutions-IAM5[Resource::*]', {
    reason:
      'ecr:GetAuthorizationToken, cloudwatch:PutMetricData (namespace-conditioned), ec2:Describe* and ENI management (VPC-conditioned) accept only Resource "*"',
    ...INHERENT,
  });
}

/** The models' place in the VPC. */
export interface ModelNetwork {
  /** HTTPS egress only. */
  readonly securityGroup: ec2.SecurityGroup;
  /** The subnets and security group of the models. */
  readonly vpcConfig: sagemaker.CfnModel.VpcConfigProperty;
}

/** The security group and subnets of an instance-based endpoint's models. */
export function createModelNetwork(
  scope: Construct,
  endpointName: string,
  p: Pick<IsolatedEndpointProps, 'vpc' | 'vpcSubnets'>,
): ModelNetwork {
  const securityGroup = new ec2.SecurityGroup(scope, 'SecurityGroup', {
    vpc: p.vpc,
    description: `HTTPS egress to AWS endpoints for the models of ${endpointName}`,
    allowAllOutbound: false,
  });
  // HTTPS only. Isolated subnets have no route to the internet, so this reaches the interface
  // endpoints (ECR, STS, logs) and the S3 gateway endpoint, whose prefix list is not known offline.
  securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to AWS endpoints');
  return {
    securityGroup,
    vpcConfig: {
      subnets: p.vpc.selectSubnets(p.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }).subnetIds,
      securityGroupIds: [securityGroup.securityGroupId],
    },
  };
}

/** One model of the endpoint: an image by digest and an artifact of the model bucket. */
export interface ModelOptions {
  /** The execution role. */
  readonly role: ScopedRole;
  /** Model network isolation. */
  readonly isolation: boolean;
  /** The VPC placement; undefined for serverless. */
  readonly vpcConfig?: sagemaker.CfnModel.VpcConfigProperty;
  /** The image digest. */
  readonly imageDigest: string;
  /** Key of the artifact in the model bucket. */
  readonly modelDataKey: string;
}

/**
 * A model (no ModelName: CloudFormation replaces it on nearly any change and refuses to replace a
 * resource under the same custom name).
 */
export function createModel(
  scope: Construct,
  id: string,
  p: Pick<IsolatedEndpointProps, 'imageRepository' | 'modelBucket' | 'containerEnvironment'>,
  o: ModelOptions,
): sagemaker.CfnModel {
  const model = new sagemaker.CfnModel(scope, id, {
    executionRoleArn: o.role.roleArn,
    enableNetworkIsolation: o.isolation,
    vpcConfig: o.vpcConfig,
    primaryContainer: {
      image: p.imageRepository.repositoryUriForDigest(o.imageDigest),
      modelDataUrl: p.modelBucket.s3UriForPrefix(o.modelDataKey),
      environment: p.containerEnvironment,
      mode: 'SingleModel',
    },
  });
  // SageMaker checks the role's permissions when it creates the model.
  model.node.addDependency(o.role.policy);
  return model;
}
