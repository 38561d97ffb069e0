import { Annotations, Aws, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { z } from 'zod';
import { ScopedRole } from '../core/scoped-role';
import {
  describeValue,
  literalList,
  PropsProblem,
  refs,
  retentionDays,
  throwIfProblems,
  validateProps,
} from '../core/validate';
import { createDomainKey } from '../encryption/domain-key';
import { requireKeyServiceAccess } from '../encryption/service-access';
import { customResourceResponseStatement, DefaultSecurityGroupCloser } from './default-security-group-closer';

/** The AWS services reached through interface endpoints, by endpoint service name suffix. */
export const INTERFACE_ENDPOINT_SERVICES = [
  'sagemaker.api',
  'sagemaker.runtime',
  'sts',
  'logs',
  'monitoring',
  'kms',
  'ecr.api',
  'ecr.dkr',
  'sns',
  'events',
  // The default-security-group closer revokes and restores the default group's rules.
  'ec2',
] as const;

/**
 * The interface endpoints the library's workloads need in a VPC with no internet path, and what
 * calls each one: a product team's own VPC must have them all (plus an S3 gateway endpoint);
 * {@link InferenceNetwork.requireEndpoints} checks a VPC defined in the app.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/interface-vpc-endpoint.html
 */
export const REQUIRED_INTERFACE_ENDPOINTS: Readonly<
  Record<(typeof INTERFACE_ENDPOINT_SERVICES)[number], string>
> = {
  'sagemaker.api': 'SageMaker control plane: the drift monitor, auto-shutdown and pipeline steps',
  'sagemaker.runtime': 'InvokeEndpoint from workloads inside the VPC',
  sts: 'credentials of SDK clients (AssumeRole, GetCallerIdentity)',
  logs: 'function, training and processing container logs',
  monitoring: 'custom metrics (PutMetricData) and metric reads',
  kms: 'data keys of encrypted buckets, queues and log groups',
  'ecr.api': 'registry login and image manifests for training and processing images',
  'ecr.dkr': 'image pulls for training and processing containers',
  sns: 'alerts published from functions',
  events: 'drift and shutdown events (PutEvents)',
  ec2: "the default-security-group closer (revokes and restores the default group's rules)",
};

/**
 * The interface endpoint service of the SageMaker Feature Store runtime (`GetRecord`, `PutRecord`,
 * `BatchGetRecord`, `DeleteRecord` on `featurestore-runtime.sagemaker.<region>.amazonaws.com`).
 * Not in {@link INTERFACE_ENDPOINT_SERVICES}: only a VPC whose workloads read or write an online
 * store needs it, so {@link InferenceNetwork.requireEndpoints} asks for it only when told to.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/feature-store-storage-configurations-online-store.html
 */
export const FEATURE_STORE_RUNTIME_ENDPOINT_SERVICE = 'sagemaker.featurestore-runtime';

/** Props for {@link InferenceNetwork}. */
export interface InferenceNetworkProps {
  /**
   * The VPC's IPv4 CIDR block. A literal, so that security-group rules stay checkable.
   * @default '10.64.0.0/16'
   */
  readonly cidr?: string;
  /**
   * Availability zones (at least two).
   * @default - two of the stack's zones
   */
  readonly availabilityZones?: string[];
  /**
   * Key for the flow-log group.
   * @default - a dedicated `logs` key
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * How long flow logs are kept.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly flowLogRetention?: logs.RetentionDays;
  /**
   * An interface endpoint (private DNS, the account-only policy, the endpoint security group) for
   * the SageMaker Feature Store runtime, so that online-store reads and writes from inside the VPC
   * (the `ModelHealthCheck` feature-store probe, inference code calling `GetRecord`) reach it with
   * no internet path. On by default: the network cannot know whether a feature group will be read
   * from it, and without the endpoint every such call fails on a timeout rather than at synth.
   * Turn it off for a VPC that never touches an online store (saves about USD 7.30 a month per
   * zone); `ModelHealthCheck` refuses a feature-store probe from isolated subnets without it.
   * @see https://docs.aws.amazon.com/sagemaker/latest/dg/feature-store-storage-configurations-online-store.html
   * @default true
   */
  readonly featureStoreRuntimeEndpoint?: boolean;
}

const schema = z.strictObject({
  cidr: z
    .string()
    .regex(/^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\/(1[6-9]|2[0-4])$/)
    .optional(),
  availabilityZones: literalList(z.array(z.string().min(1)).min(2)).optional(),
  encryptionKey: refs.key.optional(),
  flowLogRetention: retentionDays().optional(),
  featureStoreRuntimeEndpoint: z.boolean().optional(),
});

/** The placeholders CDK returns for a stack's zones until `cdk.context.json` holds the real ones. */
const DUMMY_ZONES: readonly string[] = ['dummy1a', 'dummy1b', 'dummy1c'];

/** Each zone gets one isolated subnet of this size. */
const SUBNET_MASK = 20;

/**
 * The subnet layout must fit: one /20 a zone, so N zones need a VPC prefix of at most
 * 20 - ceil(log2 N), and explicit zones must be distinct zones of the stack (ec2.Vpc throws otherwise).
 */
function layoutProblems(
  stack: Stack,
  cidr: string | undefined,
  zones: readonly string[] | undefined,
): PropsProblem[] {
  const problems: PropsProblem[] = [];
  const zoneCount = zones?.length ?? 2;
  const maxPrefix = SUBNET_MASK - Math.ceil(Math.log2(zoneCount));
  if (cidr !== undefined && Number(cidr.split('/')[1]) > maxPrefix) {
    problems.push({
      field: 'cidr',
      problem: `is too small for one /${SUBNET_MASK} subnet in each of ${zoneCount} zones`,
      got: describeValue(cidr),
      expected: `a prefix length between /16 and /${maxPrefix}`,
    });
  }
  if (zones !== undefined) {
    if (new Set(zones).size !== zones.length) {
      problems.push({
        field: 'availabilityZones',
        problem: 'has duplicates',
        got: describeValue(zones),
        expected: 'distinct zones',
      });
    }
    // As ec2.Vpc does: only zones known from context count (not tokens, not the dummy placeholders
    // used before a context lookup).
    const known = Token.isUnresolved(stack.availabilityZones)
      ? []
      : stack.availabilityZones.filter((z) => !Token.isUnresolved(z) && !DUMMY_ZONES.includes(z));
    if (known.length > 0) {
      zones.forEach((zone, i) => {
        if (!Token.isUnresolved(zone) && !known.includes(zone)) {
          problems.push({
            field: `availabilityZones.${i}`,
            problem: "is not one of the stack's availability zones",
            got: describeValue(zone),
            expected: `one of ${known.map((z) => JSON.stringify(z)).join(', ')}`,
          });
        }
      });
    }
  }
  return problems;
}

/**
 * A VPC for ML workloads with no path to the internet: isolated subnets only (no internet or NAT
 * gateway) in at least two zones, interface endpoints for the AWS APIs the platform calls, an S3
 * gateway endpoint, endpoint policies limited to the account (the S3 one also admits ECR's image
 * layer bucket and CloudFormation's custom-resource response bucket), one security group that admits
 * only HTTPS from inside the VPC to the endpoints, the default security group closed (by an in-VPC
 * {@link DefaultSecurityGroupCloser}), and flow logs to a KMS-encrypted log group.
 *
 * Cost: each interface endpoint bills per zone-hour (about USD 7.30 a month per zone in most
 * regions), so the twelve endpoints (with the Feature Store runtime's, on by default) in two zones
 * cost about USD 175 a month before data processing.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/interface-vpc-endpoint.html
 */
export class InferenceNetwork extends Construct {
  /** The VPC. */
  public readonly vpc: ec2.Vpc;
  /** The security group of the interface endpoints. */
  public readonly endpointSecurityGroup: ec2.SecurityGroup;
  /** The flow-log group. */
  public readonly flowLogGroup: logs.LogGroup;
  /** The interface endpoints, by service. */
  public readonly interfaceEndpoints: Readonly<Record<string, ec2.InterfaceVpcEndpoint>>;
  /** Closes the VPC's default security group from inside the VPC. */
  public readonly defaultSecurityGroupCloser: DefaultSecurityGroupCloser;

  constructor(scope: Construct, id: string, props: InferenceNetworkProps = {}) {
    super(scope, id);
    const p = validateProps(this, schema, props);
    const stack = Stack.of(this);
    throwIfProblems(this, layoutProblems(stack, p.cidr, p.availabilityZones));
    const cidr = p.cidr ?? '10.64.0.0/16';
    const key = p.encryptionKey ?? createDomainKey(this, 'Key', 'logs');
    // CloudWatch Logs encrypts the flow-log group with the key (its own service principal).
    requireKeyServiceAccess(this, 'encryptionKey', key, ['logs']);

    this.vpc = new ec2.Vpc(this, 'Resource', {
      ipAddresses: ec2.IpAddresses.cidr(cidr),
      // Explicit zones, or two of the stack's zones (from cdk.context.json for env-specific
      // stacks, Fn::GetAZs for env-agnostic ones): synth never needs AWS credentials.
      availabilityZones: p.availabilityZones,
      maxAzs: p.availabilityZones ? undefined : 2,
      natGateways: 0,
      createInternetGateway: false,
      // Closed by our in-VPC DefaultSecurityGroupCloser below, not aws-cdk-lib's out-of-VPC provider.
      restrictDefaultSecurityGroup: false,
      subnetConfiguration: [
        { name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: SUBNET_MASK },
      ],
    });

    this.flowLogGroup = new logs.LogGroup(this, 'FlowLogs', {
      encryptionKey: key,
      retention: p.flowLogRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const flowRole = new ScopedRole(this, 'FlowLogRole', {
      assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com'),
      description: 'Delivers VPC flow logs to CloudWatch Logs',
    });
    this.vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(this.flowLogGroup, flowRole),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });

    this.endpointSecurityGroup = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc: this.vpc,
      description: 'HTTPS from inside the VPC to the AWS interface endpoints',
      allowAllOutbound: false,
    });
    this.endpointSecurityGroup.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(443), 'HTTPS from the VPC');

    const accountOnly = new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()],
      actions: ['*'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:PrincipalAccount': stack.account } },
    });
    const endpoints: Record<string, ec2.InterfaceVpcEndpoint> = {};
    const services: readonly string[] = [
      ...INTERFACE_ENDPOINT_SERVICES,
      ...((p.featureStoreRuntimeEndpoint ?? true) ? [FEATURE_STORE_RUNTIME_ENDPOINT_SERVICE] : []),
    ];
    for (const service of services) {
      const endpoint = this.vpc.addInterfaceEndpoint(endpointId(service), {
        service: new ec2.InterfaceVpcEndpointAwsService(service),
        securityGroups: [this.endpointSecurityGroup],
        open: false,
        privateDnsEnabled: true,
      });
      endpoint.addToPolicy(accountOnly);
      endpoints[service] = endpoint;
    }
    this.interfaceEndpoints = endpoints;
    const s3 = this.vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    s3.addToPolicy(accountOnly);

    // The closer's function answers CloudFormation through a pre-signed URL of an AWS-owned bucket.
    s3.addToPolicy(customResourceResponseStatement(this));
    this.defaultSecurityGroupCloser = new DefaultSecurityGroupCloser(this, 'DefaultSecurityGroupCloser', {
      vpc: this.vpc,
      encryptionKey: key,
      dependsOn: [endpoints.ec2, s3],
    });
    // ECR serves image layers from an AWS-owned bucket, so the account-only statement alone would
    // deny every image pull made through this endpoint. One statement per concern: others sit beside.
    // https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html#ecr-minimum-s3-perms
    s3.addToPolicy(
      new iam.PolicyStatement({
        sid: 'EcrImageLayers',
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:GetObject'],
        resources: [`arn:${Aws.PARTITION}:s3:::prod-${stack.region}-starport-layer-bucket/*`],
      }),
    );
  }

  /**
   * Checks that a product team's own VPC has what the ML workloads need without an internet path:
   * an interface endpoint for each of `services` and an S3 gateway endpoint. For an `ec2.Vpc`
   * defined in this app it adds a validation (synth fails listing every missing service; endpoints
   * created anywhere in the app for that VPC count) and returns true. An imported VPC cannot be
   * inspected offline: it gets a warning and the function returns false; check its endpoints with
   * `aws ec2 describe-vpc-endpoints --filters Name=vpc-id,Values=<vpc id>` instead.
   * @param services endpoint service name suffixes, e.g. `sagemaker.api`
   * @default services INTERFACE_ENDPOINT_SERVICES
   */
  public static requireEndpoints(
    vpc: ec2.IVpc,
    services: readonly string[] = INTERFACE_ENDPOINT_SERVICES,
  ): boolean {
    if (!(vpc instanceof ec2.Vpc)) {
      Annotations.of(vpc).addWarningV2(
        'compliant-mlops:importedVpcEndpoints',
        `cannot check the interface endpoints of an imported VPC: make sure it has one for each of ${services.join(', ')} and an S3 gateway endpoint`,
      );
      return false;
    }
    vpc.node.addValidation({ validate: () => missingEndpointProblems(vpc, services) });
    return true;
  }

  /** The subnets workloads run in. */
  public get subnets(): ec2.SubnetSelection {
    return { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
  }
}

/** One problem naming every service the VPC (matched by VPC id across the app) has no endpoint for. */
function missingEndpointProblems(vpc: ec2.Vpc, services: readonly string[]): string[] {
  const endpoints = vpc.node.root.node
    .findAll()
    .filter((c): c is ec2.CfnVPCEndpoint => c instanceof ec2.CfnVPCEndpoint && c.vpcId === vpc.vpcId)
    .map((c) => ({
      type: c.vpcEndpointType ?? 'Gateway',
      name: flatServiceName(Stack.of(c).resolve(c.serviceName)),
    }));
  const has = (type: string, service: string) =>
    endpoints.some((e) => e.type === type && e.name.endsWith(`.${service}`));
  const missing = [
    ...services.filter((s) => !has('Interface', s)),
    ...(has('Gateway', 's3') ? [] : ['s3 (gateway)']),
  ];
  if (missing.length === 0) return [];
  return [
    `${vpc.node.path}: interfaceEndpoints: lacks endpoints the ML workloads call with no internet path (got none for ${missing.join(', ')}; expected an interface endpoint for each of ${services.join(', ')} and an S3 gateway endpoint)`,
  ];
}

/** A resolved endpoint service name as text (`com.amazonaws.<region>.<service>`; intrinsics become `?`). */
function flatServiceName(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] } | undefined)?.['Fn::Join'];
  return join ? join[1].map((part) => (typeof part === 'string' ? part : '?')).join(join[0]) : '';
}

/** `sagemaker.featurestore-runtime` → `SagemakerFeaturestoreRuntime` (the existing ids have no `-`). */
function endpointId(service: string): string {
  return service
    .split(/[.-]/)
    .map((s) => s[0].toUpperCase() + s.slice(1))
    .join('');
}
