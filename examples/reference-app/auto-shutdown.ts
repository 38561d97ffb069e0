import { AutoShutdown } from '../../constructs/cost/auto-shutdown';
import { PlatformStack } from './platform-stack';

/**
 * Adds auto-shutdown of idle ML resources to the platform stack: idle notebooks, Studio apps and
 * dev endpoints, in dry-run mode until the run reports (sent to the alert topic) have been
 * reviewed.
 */
export function addAutoShutdown(stack: PlatformStack): AutoShutdown {
  return new AutoShutdown(stack, 'AutoShutdown', {
    alerts: stack.alerts,
    vpc: stack.network.vpc,
    encryptionKey: stack.keys.logs,
  });
}
