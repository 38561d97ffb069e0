import { CfnResource, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

export { ACKNOWLEDGMENT_METADATA_KEY, ACKNOWLEDGMENT_TEMPLATE_KEY } from '../../lib/shared/acknowledgment';
export { PACK_PREFIXES, packOf, type PackName } from '../../lib/shared/packs';
import { ACKNOWLEDGMENT_METADATA_KEY, ACKNOWLEDGMENT_TEMPLATE_KEY } from '../../lib/shared/acknowledgment';
import { PACK_PREFIXES, packOf } from '../../lib/shared/packs';

/**
 * Who accepted a finding, why, and until when. Judged by the shared model
 * (lib/shared/acknowledgment.ts) the MLOps pack and `compliant-mlops check` both use, so an
 * acknowledgment gets the same verdict at synth and in `check`.
 */
export interface AcknowledgmentOptions {
  /** Why the finding is accepted; at least 20 characters (shorter is itself a finding, MLOps-AckReason). */
  readonly reason: string;
  /** Who answers for it: a team or person (missing is a finding, MLOps-AckOwner). */
  readonly owner: string;
  /** The last day it holds, as an ISO date `YYYY-MM-DD` (past it, or invalid, is a finding, MLOps-AckExpired). */
  readonly expires: string;
}

/** One recorded acknowledgment, as stored in metadata and read back by the pack and the checker. */
export interface AcknowledgmentRecord extends AcknowledgmentOptions {
  /** The finding id, e.g. `AwsSolutions-S1` or `AwsSolutions-IAM5[Resource::*]`. */
  readonly id: string;
}

/**
 * Controls that several packs check under different rule ids. Acknowledging a control with
 * {@link acknowledgeControl} acknowledges it in every pack at once.
 */
export const CONTROLS = {
  /** Server access logs on a bucket; the access-log bucket itself cannot log to itself. */
  s3AccessLogs: [
    'AwsSolutions-S1',
    'HIPAA.Security-S3BucketLoggingEnabled',
    'NIST.800.53.R5-S3BucketLoggingEnabled',
    'PCI.DSS.321-S3BucketLoggingEnabled',
  ],
  /** Cross-bucket replication of a bucket. */
  s3Replication: [
    'HIPAA.Security-S3BucketReplicationEnabled',
    'NIST.800.53.R5-S3BucketReplicationEnabled',
    'PCI.DSS.321-S3BucketReplicationEnabled',
  ],
  /** Default encryption with a KMS key. */
  s3DefaultEncryptionKms: [
    'HIPAA.Security-S3DefaultEncryptionKMS',
    'NIST.800.53.R5-S3DefaultEncryptionKMS',
    'PCI.DSS.321-S3DefaultEncryptionKMS',
  ],
  /** A Lambda function attached to a VPC. */
  lambdaInVpc: [
    'HIPAA.Security-LambdaInsideVPC',
    'NIST.800.53.R5-LambdaInsideVPC',
    'PCI.DSS.321-LambdaInsideVPC',
  ],
  /** Reserved concurrency on a Lambda function. */
  lambdaConcurrency: [
    'HIPAA.Security-LambdaConcurrency',
    'NIST.800.53.R5-LambdaConcurrency',
    'PCI.DSS.321-LambdaConcurrency',
  ],
} as const satisfies Record<string, readonly string[]>;

/** The name of a control in {@link CONTROLS}. */
export type ControlName = keyof typeof CONTROLS;

function targetResource(scope: IConstruct): CfnResource {
  if (CfnResource.isCfnResource(scope)) return scope;
  const child = scope.node.defaultChild;
  if (child && CfnResource.isCfnResource(child)) return child;
  throw new Error(
    `${scope.node.path}: acknowledge: an acknowledgment must name one resource (got a construct with no default CfnResource; expected a CfnResource or an L2 with a default child)`,
  );
}

/**
 * Acknowledges one finding on one resource, with a reason, an owner and an expiry date.
 *
 * It is recorded three ways: in the namespaced form CDK moves into the validation report's
 * `suppressedViolations` (`<Pack>::<id>`), as construct metadata the MLOps pack reads to report
 * expired or ownerless acknowledgments, and as template `Metadata` the checker reads.
 *
 * @param scope a CfnResource, or an L2 whose default child is the resource the finding is on
 * @param findingId the exact finding id, e.g. `AwsSolutions-IAM5[Resource::*]`; `MLOps-Ack*` ids are
 *   refused, since those findings judge acknowledgments and must be fixed, not acknowledged
 */
export function acknowledge(scope: IConstruct, findingId: string, options: AcknowledgmentOptions): void {
  const pack = packOf(findingId);
  if (!pack) {
    throw new Error(
      `${scope.node.path}: acknowledge: findingId is not from a known pack (got ${JSON.stringify(findingId)}; expected a prefix of ${PACK_PREFIXES.join(', ')})`,
    );
  }
  // MLOps-Ack* findings judge acknowledgments themselves; acknowledging one would defeat it.
  if (findingId.startsWith('MLOps-Ack')) {
    throw new Error(
      `${scope.node.path}: acknowledge: MLOps-Ack* findings cannot be acknowledged (got ${JSON.stringify(findingId)}; expected a finding id of another rule: fix the acknowledgment instead)`,
    );
  }
  const resource = targetResource(scope);
  const record: AcknowledgmentRecord = {
    id: findingId,
    reason: options.reason,
    owner: options.owner,
    expires: options.expires,
  };
  Validations.of(resource).acknowledge({
    id: `${pack}::${findingId}`,
    reason: `${options.reason} (owner: ${options.owner}; expires: ${options.expires})`,
  });
  resource.node.addMetadata(ACKNOWLEDGMENT_METADATA_KEY, record);
  const existing = resource.getMetadata(ACKNOWLEDGMENT_TEMPLATE_KEY) as
    { acknowledgments?: AcknowledgmentRecord[] } | undefined;
  resource.addMetadata(ACKNOWLEDGMENT_TEMPLATE_KEY, {
    ...existing,
    acknowledgments: [...(existing?.acknowledgments ?? []), record],
  });
}

/**
 * Acknowledges one control in every pack that checks it, on one resource, e.g. access logs on
 * the access-log bucket itself.
 */
export function acknowledgeControl(
  scope: IConstruct,
  control: ControlName,
  options: AcknowledgmentOptions,
): void {
  for (const id of CONTROLS[control]) acknowledge(scope, id, options);
}

/** The acknowledgments recorded on a construct itself (not its ancestors). */
export function acknowledgmentsOf(construct: IConstruct): AcknowledgmentRecord[] {
  return construct.node.metadata
    .filter((m) => m.type === ACKNOWLEDGMENT_METADATA_KEY)
    .map((m) => m.data as AcknowledgmentRecord);
}

/**
 * The qualified ids (`<Pack>::<id>`) acknowledged through `Validations.of(c).acknowledge` on a
 * construct or any of its ancestors, the way CDK matches them.
 */
export function acknowledgedIds(construct: IConstruct): Set<string> {
  const ids = new Set<string>();
  for (const c of construct.node.scopes) {
    for (const m of c.node.metadata) {
      if (m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY && m.data && typeof m.data === 'object') {
        for (const id of Object.keys(m.data as Record<string, unknown>)) ids.add(id);
      }
    }
  }
  return ids;
}
