import { CfnResource, Duration, Fn, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct, IConstruct, IDependable } from 'constructs';
import { z } from 'zod';
import { PROPERTIES, RESOURCE_TYPE } from '../../lib/handlers/restrict-default-sg/contract';
import { functionSubnetsSchema, SecureFunction, subnetProblems } from '../core/secure-function';
import { constructRef, PropsProblem, refs, throwIfProblems, validateProps } from '../core/validate';

/** Props for {@link DefaultSecurityGroupCloser}. */
export interface DefaultSecurityGroupCloserProps {
  /**
   * The VPC whose default security group is closed; the function runs in it. An `ec2.Vpc` of this
   * app (its default group id is a CloudFormation attribute of the VPC) created with
   * `restrictDefaultSecurityGroup: false`.
   */
  readonly vpc: ec2.Vpc;
  /** Key for the function's log group, dead-letter queue and environment (the `logs` key). */
  readonly encryptionKey: kms.IKey;
  /**
   * Subnets for the function.
   * @default - the VPC's isolated subnets, else its private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * What the function needs in place while it runs, typically the VPC's EC2 interface endpoint
   * and S3 gateway endpoint: the custom resource is created after them and deleted before them,
   * so the Delete that restores the rules can still reach EC2 and S3.
   * @default - none (a VPC with a route to EC2 and S3)
   */
  readonly dependsOn?: IDependable[];
}

const schema = z.strictObject({
  vpc: constructRef<ec2.Vpc>('ec2.Vpc', ['vpcDefaultSecurityGroup', 'vpcId', 'selectSubnets']),
  encryptionKey: refs.key,
  vpcSubnets: functionSubnetsSchema.optional(),
  dependsOn: z.array(z.custom<IDependable>((v) => typeof v === 'object' && v !== null)).optional(),
});

/**
 * The id under the VPC that cdk-nag's `VPCDefaultSecurityGroupClosed` looks for: a child whose
 * default child is a `Custom::VpcRestrictDefaultSG` resource (aws-cdk-lib's own uses this id).
 */
const NAG_EVIDENCE_ID = 'RestrictDefaultSecurityGroupCustomResource';

/** IAM actions on the default group: revoke its rules on Create/Update, put them back on Delete. */
export const DEFAULT_SECURITY_GROUP_ACTIONS = [
  'ec2:RevokeSecurityGroupIngress',
  'ec2:RevokeSecurityGroupEgress',
  'ec2:AuthorizeSecurityGroupIngress',
  'ec2:AuthorizeSecurityGroupEgress',
] as const;

/**
 * How long CloudFormation waits for the function's answer: above three attempts of the
 * three-minute function (Lambda retries a failed asynchronous invocation twice, after about one
 * and two minutes), far below the one-hour default a lost answer would otherwise cost.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref.html
 */
export const CLOSER_SERVICE_TIMEOUT = Duration.minutes(15);

/** The function's timeout: all EC2 calls and the answer upload, with their retries and timeouts. */
export const CLOSER_FUNCTION_TIMEOUT = Duration.minutes(3);

/**
 * Closes a VPC's default security group — removes the rules EC2 creates in it (all traffic in
 * from the group, all traffic out) — with an in-VPC {@link SecureFunction} invoked by
 * CloudFormation directly, and puts the rules back when the resource is deleted.
 *
 * It does what aws-cdk-lib's `restrictDefaultSecurityGroup: true` does, without its singleton
 * provider function that runs outside the VPC with an AWS managed policy, no dead-letter queue
 * and no tracing (which fails Control Tower's proactive controls). The custom resource keeps
 * aws-cdk-lib's type and properties and sits where cdk-nag looks for aws-cdk-lib's, so
 * `VPCDefaultSecurityGroupClosed` and `compliant-mlops check` recognise it.
 *
 * The function needs EC2 (an `ec2` interface endpoint in an isolated VPC) and must upload its
 * answer to CloudFormation's response bucket: allow that on the S3 gateway endpoint with
 * {@link customResourceResponseStatement}.
 *
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-custom-resources-lambda.html
 */
export class DefaultSecurityGroupCloser extends Construct {
  /** The function that revokes and restores the rules. */
  public readonly function: SecureFunction;
  /** The `Custom::VpcRestrictDefaultSG` resource (a child of the VPC, where cdk-nag looks for it). */
  public readonly resource: CfnResource;

  constructor(scope: Construct, id: string, props: DefaultSecurityGroupCloserProps) {
    super(scope, id);
    const p = validateProps(this, schema, props);
    throwIfProblems(this, subnetProblems(p.vpc, p.vpcSubnets));
    throwIfProblems(this, vpcProblems(p.vpc));
    const stack = Stack.of(this);

    this.function = new SecureFunction(this, 'Function', {
      handler: 'restrict-default-sg',
      vpc: p.vpc,
      vpcSubnets: p.vpcSubnets,
      encryptionKey: p.encryptionKey,
      description:
        "Closes the VPC's default security group (revokes its default rules; restores them on delete)",
      timeout: CLOSER_FUNCTION_TIMEOUT,
      memorySize: 256,
    });
    this.function.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'CloseDefaultSecurityGroup',
        actions: [...DEFAULT_SECURITY_GROUP_ACTIONS],
        resources: [
          stack.formatArn({
            service: 'ec2',
            resource: 'security-group',
            resourceName: p.vpc.vpcDefaultSecurityGroup,
          }),
        ],
      }),
    );

    // A plain holder whose `Resource` child is the custom resource: cdk-nag finds it by id and
    // default child, and its logical id differs from aws-cdk-lib's (`.../Default`), so replacing
    // aws-cdk-lib's resource creates this one instead of changing a service token in place, which
    // CloudFormation refuses.
    const holder = new Construct(p.vpc, NAG_EVIDENCE_ID);
    this.resource = new CfnResource(holder, 'Resource', {
      type: RESOURCE_TYPE,
      properties: {
        ServiceToken: this.function.function.functionArn,
        ServiceTimeout: CLOSER_SERVICE_TIMEOUT.toSeconds(),
        [PROPERTIES.defaultSecurityGroupId]: p.vpc.vpcDefaultSecurityGroup,
        [PROPERTIES.account]: stack.account,
      },
    });
    // The role's policy, security group and log group must exist while the function runs, on
    // Create and on Delete.
    this.resource.node.addDependency(this.function);
    for (const d of p.dependsOn ?? []) this.resource.node.addDependency(d);
  }
}

/**
 * The VPC must not close its group twice: with aws-cdk-lib's provider still on, or with a second
 * closer (either would also collide on the construct id cdk-nag reads).
 */
function vpcProblems(vpc: ec2.Vpc): PropsProblem[] {
  const existing: IConstruct | undefined = vpc.node.tryFindChild(NAG_EVIDENCE_ID);
  if (existing === undefined) return [];
  const ours = existing.node.tryFindChild('Resource') !== undefined;
  return [
    {
      field: 'vpc',
      problem: 'already closes its default security group',
      got: ours ? 'another DefaultSecurityGroupCloser' : "aws-cdk-lib's restrictDefaultSecurityGroup: true",
      expected: 'an ec2.Vpc with restrictDefaultSecurityGroup: false and one closer',
    },
  ];
}

/**
 * The S3 gateway endpoint statement that lets a custom resource handler in the VPC upload its
 * answer: `s3:PutObject` to CloudFormation's response bucket of the stack's region,
 * `cloudformation-custom-resource-response-<region without dashes>`. The pre-signed URL is signed
 * by CloudFormation, not by a principal of this account, so an account-only endpoint policy
 * denies it and the stack waits for the custom resource timeout.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/vpc-interface-endpoints.html
 */
export function customResourceResponseStatement(scope: IConstruct): iam.PolicyStatement {
  const stack = Stack.of(scope);
  const region = Token.isUnresolved(stack.region)
    ? Fn.join('', Fn.split('-', stack.region))
    : stack.region.replace(/-/g, '');
  return new iam.PolicyStatement({
    sid: 'CloudFormationCustomResourceResponses',
    principals: [new iam.AnyPrincipal()],
    actions: ['s3:PutObject'],
    resources: [`arn:${stack.partition}:s3:::cloudformation-custom-resource-response-${region}/*`],
  });
}
