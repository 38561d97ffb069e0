import {
  AwsSolutionsChecks,
  HIPAASecurityChecks,
  NagPack,
  NIST80053R5Checks,
  PCIDSS321Checks,
  ServerlessChecks,
} from 'cdk-nag';
import { MLOpsChecks } from './mlops-checks';

/** The packs `compliant-mlops check` and the reference app know, by name. */
export const PACK_FACTORIES: Readonly<Record<string, () => NagPack>> = {
  AwsSolutions: () => new AwsSolutionsChecks(),
  'HIPAA.Security': () => new HIPAASecurityChecks(),
  'NIST.800.53.R5': () => new NIST80053R5Checks(),
  'PCI.DSS.321': () => new PCIDSS321Checks(),
  Serverless: () => new ServerlessChecks(),
  MLOps: () => new MLOpsChecks(),
};

/** The packs the reference app registers and every construct must pass with default props. */
export const PLATFORM_PACKS = [
  'AwsSolutions',
  'HIPAA.Security',
  'NIST.800.53.R5',
  'PCI.DSS.321',
  'Serverless',
  'MLOps',
] as const;

/**
 * Creates the named packs; throws on an unknown name.
 * @param options.today the day the MLOps pack judges acknowledgments against, so that in
 *   `checkPaths({ today })` it and the checker's own acknowledgment verdicts use one date
 *   @default - today (UTC)
 */
export function createPacks(names: readonly string[], options: { readonly today?: string } = {}): NagPack[] {
  return names.map((n) => {
    if (n === 'MLOps' && options.today !== undefined)
      return new MLOpsChecks(undefined, { today: options.today });
    const factory = PACK_FACTORIES[n];
    if (!factory)
      throw new Error(
        `unknown pack ${JSON.stringify(n)} (expected one of ${Object.keys(PACK_FACTORIES).join(', ')})`,
      );
    return factory();
  });
}
