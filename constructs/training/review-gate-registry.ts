// Which registries a review gate guards, and the risk tier each ModelRegistry was declared with:
// shared by ModelRegistry (its synth-time check), ModelReviewGate and the pipeline's props check.
// Not exported from the package.
import type { RiskTier } from '../feature-store/contract-schema';
import type { IModelRegistry } from './model-registry';

const GUARDED = new WeakSet<IModelRegistry>();
const TIERS = new WeakMap<IModelRegistry, RiskTier>();

/** Records that a review gate guards `registry`. @internal */
export function markReviewGated(registry: IModelRegistry): void {
  GUARDED.add(registry);
}

/** Whether a review gate guards `registry`. @internal */
export function isReviewGated(registry: IModelRegistry): boolean {
  return GUARDED.has(registry);
}

/** Records the risk tier a `ModelRegistry` was declared with. @internal */
export function recordRiskTier(registry: IModelRegistry, tier: RiskTier): void {
  TIERS.set(registry, tier);
}

/** The risk tier a `ModelRegistry` was declared with; `undefined` for an imported registry or none declared. @internal */
export function riskTierOf(registry: IModelRegistry): RiskTier | undefined {
  return TIERS.get(registry);
}
