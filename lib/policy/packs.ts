import {
  AwsSolutionsChecks,
  HIPAASecurityChecks,
  NagPack,
  NIST80053R5Checks,
  PCIDSS321Checks,
  ServerlessChecks,
} from 'cdk-nag';
import { PACK_PREFIXES, type PackName } from '../shared/packs';
import { MLOpsChecks } from './mlops-checks';

/**
 * The packs `compliant-mlops check` and the reference app know, by name. Keyed by
 * {@link PackName}, so the compiler refuses a pack of the list without a factory here.
 */
export const PACK_FACTORIES: Readonly<Record<PackName, () => NagPack>> = {
  AwsSolutions: () => new AwsSolutionsChecks(),
  'HIPAA.Security': () => new HIPAASecurityChecks(),
  'NIST.800.53.R5': () => new NIST80053R5Checks(),
  'PCI.DSS.321': () => new PCIDSS321Checks(),
  Serverless: () => new ServerlessChecks(),
  MLOps: () => new MLOpsChecks(),
};

/**
 * The packs the reference app registers and every construct must pass with default props: all
 * the packs this library knows (the one list, `PACK_PREFIXES`).
 */
export const PLATFORM_PACKS = PACK_PREFIXES;

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
    const factory = Object.hasOwn(PACK_FACTORIES, n) ? PACK_FACTORIES[n as PackName] : undefined;
    if (!factory)
      throw new Error(
        `unknown pack ${JSON.stringify(n)} (expected one of ${Object.keys(PACK_FACTORIES).join(', ')})`,
      );
    return factory();
  });
}
