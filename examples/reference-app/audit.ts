import { AuditTrail } from '../../constructs/audit/audit-trail';
import { PlatformStack } from './platform-stack';

/** Options of {@link addAuditTrail}. */
export interface AddAuditTrailOptions {
  /**
   * Object Lock mode of the trail bucket; `GOVERNANCE` suits dev accounts whose buckets must be
   * removable by an administrator with `s3:BypassGovernanceRetention`.
   * @default 'COMPLIANCE'
   */
  readonly objectLockMode?: 'GOVERNANCE' | 'COMPLIANCE';
}

/**
 * Adds the platform's audit trail to the shared platform stack: encrypted with the `audit` key,
 * alarms to the platform alert topic, and data events of the datasets bucket. Model, feature and
 * capture buckets and feature groups of later stacks join with `trail.addDataEvents(...)`.
 */
export function addAuditTrail(stack: PlatformStack, options: AddAuditTrailOptions = {}): AuditTrail {
  return new AuditTrail(stack, 'Audit', {
    encryptionKey: stack.keys.audit,
    alerts: stack.alerts,
    dataEventBuckets: [stack.datasets],
    objectLockMode: options.objectLockMode,
  });
}
