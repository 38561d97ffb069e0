import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  EC2Client,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  type IpPermission,
} from '@aws-sdk/client-ec2';
import { CREATE_FAILED_PHYSICAL_ID, PROPERTIES } from './contract';

/**
 * The CloudFormation custom resource request, as Lambda receives it.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-requests.html
 */
export interface CustomResourceEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ResponseURL: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly ResourceType?: string;
  /** Absent on Create. */
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties?: Readonly<Record<string, unknown>>;
  /** Update only: the properties before the update. */
  readonly OldResourceProperties?: Readonly<Record<string, unknown>>;
}

/** The default security group a request is about. */
export interface DefaultGroup {
  readonly groupId: string;
  readonly account: string;
}

/** What a request did. */
export type Outcome = 'closed' | 'restored' | 'reopened-old-and-closed-new' | 'ignored-failed-create';

/** The result of a request that succeeded. */
export interface ApplyResult {
  readonly physicalResourceId: string;
  readonly outcome: Outcome;
}

/** A request CloudFormation should not have sent: malformed properties or request type. */
export class RequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RequestError';
  }
}

/** Reads and checks the group a request names. */
export function groupOf(
  properties: Readonly<Record<string, unknown>> | undefined,
  field: string,
): DefaultGroup {
  const groupId = properties?.[PROPERTIES.defaultSecurityGroupId];
  const account = properties?.[PROPERTIES.account];
  if (typeof groupId !== 'string' || !/^sg-[0-9a-f]{8,17}$/.test(groupId)) {
    throw new RequestError(
      `${field}.${PROPERTIES.defaultSecurityGroupId}: is not a security group id (got ${JSON.stringify(groupId ?? null)}; expected sg-<8 to 17 hex digits>)`,
    );
  }
  if (typeof account !== 'string' || !/^\d{12}$/.test(account)) {
    throw new RequestError(
      `${field}.${PROPERTIES.account}: is not an account id (got ${JSON.stringify(account ?? null)}; expected 12 digits)`,
    );
  }
  return { groupId, account };
}

/**
 * The rules EC2 puts in every new VPC's default security group: all traffic in from the group
 * itself, all IPv4 traffic out. aws-cdk-lib's handler revokes and restores exactly these.
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html
 */
export function defaultRules(group: DefaultGroup): { ingress: IpPermission[]; egress: IpPermission[] } {
  return {
    ingress: [{ IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: group.groupId, UserId: group.account }] }],
    egress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
  };
}

/** Runs `call`, treating the named EC2 error codes as "already in the wanted state". */
async function tolerating(codes: readonly string[], call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (err) {
    if (!(err instanceof Error) || !codes.includes(err.name)) throw err;
  }
}

/**
 * Revokes the default rules. A rule that is already gone is fine: in a non-default VPC EC2
 * answers `InvalidPermission.NotFound` and revokes nothing.
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RevokeSecurityGroupIngress.html
 */
export async function closeGroup(ec2: EC2Client, group: DefaultGroup): Promise<void> {
  const rules = defaultRules(group);
  await tolerating(['InvalidPermission.NotFound'], () =>
    ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: group.groupId, IpPermissions: rules.egress })),
  );
  await tolerating(['InvalidPermission.NotFound'], () =>
    ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: group.groupId, IpPermissions: rules.ingress })),
  );
}

/**
 * Puts the default rules back, as aws-cdk-lib's handler does on Delete. Unlike it, a rule that is
 * already there (`InvalidPermission.Duplicate`) or a group that is gone (`InvalidGroup.NotFound`)
 * is fine, so a retried Delete never blocks the stack's deletion.
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
 */
export async function restoreGroup(ec2: EC2Client, group: DefaultGroup): Promise<void> {
  const rules = defaultRules(group);
  const done = ['InvalidPermission.Duplicate', 'InvalidGroup.NotFound'];
  await tolerating(done, () =>
    ec2.send(
      new AuthorizeSecurityGroupIngressCommand({ GroupId: group.groupId, IpPermissions: rules.ingress }),
    ),
  );
  await tolerating(done, () =>
    ec2.send(
      new AuthorizeSecurityGroupEgressCommand({ GroupId: group.groupId, IpPermissions: rules.egress }),
    ),
  );
}

/**
 * Does what one request asks. Create closes the group; Update closes the (new) group, first
 * restoring the old one when the group changed; Delete restores the rules, except after a
 * failed Create. The physical id is the Create request's id and never changes afterwards, so an
 * update is never a replacement.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html
 */
export async function applyRequest(ec2: EC2Client, event: CustomResourceEvent): Promise<ApplyResult> {
  switch (event.RequestType) {
    case 'Create': {
      await closeGroup(ec2, groupOf(event.ResourceProperties, 'ResourceProperties'));
      return { physicalResourceId: event.RequestId, outcome: 'closed' };
    }
    case 'Update': {
      const physicalResourceId = requirePhysicalId(event);
      const next = groupOf(event.ResourceProperties, 'ResourceProperties');
      const old = groupOf(event.OldResourceProperties, 'OldResourceProperties');
      if (old.groupId !== next.groupId) {
        await restoreGroup(ec2, old);
        await closeGroup(ec2, next);
        return { physicalResourceId, outcome: 'reopened-old-and-closed-new' };
      }
      await closeGroup(ec2, next);
      return { physicalResourceId, outcome: 'closed' };
    }
    case 'Delete': {
      const physicalResourceId = requirePhysicalId(event);
      if (physicalResourceId === CREATE_FAILED_PHYSICAL_ID) {
        return { physicalResourceId, outcome: 'ignored-failed-create' };
      }
      await restoreGroup(ec2, groupOf(event.ResourceProperties, 'ResourceProperties'));
      return { physicalResourceId, outcome: 'restored' };
    }
    default:
      throw new RequestError(
        `RequestType: is not a custom resource request type (got ${JSON.stringify((event as { RequestType?: unknown }).RequestType ?? null)}; expected Create, Update or Delete)`,
      );
  }
}

function requirePhysicalId(event: CustomResourceEvent): string {
  const id = event.PhysicalResourceId;
  if (typeof id !== 'string' || id === '') {
    throw new RequestError(
      `PhysicalResourceId: is required on ${event.RequestType} (got ${JSON.stringify(id ?? null)}; expected a non-empty string)`,
    );
  }
  return id;
}
