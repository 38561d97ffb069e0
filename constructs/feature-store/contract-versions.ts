// The evolution side of a FeatureContract: which version bump a change between two versions
// needs. No aws-cdk-lib here, directly or through an import (`compliant-mlops/contracts`).
import type { PropsProblem } from '../core/problems';
import type { ContractFeature, DataClassification } from './contract-schema';

/** What {@link compareContracts} reads of a contract. */
interface VersionedContract {
  readonly version: string;
  readonly description: string;
  readonly owner: string;
  readonly classification: DataClassification;
  readonly recordIdentifier: string;
  readonly eventTime: string;
  readonly features: readonly ContractFeature[];
}

/** The version bump a change needs, from none to major. */
export type VersionBump = 'none' | 'patch' | 'minor' | 'major';

const BUMP_RANK: Record<VersionBump, number> = { none: 0, patch: 1, minor: 2, major: 3 };

/** One difference between two versions of a contract and the bump it needs. */
export interface ContractChange {
  /** The feature (or `(contract)`) that changed. */
  readonly field: string;
  /** What changed. */
  readonly change: string;
  /** The smallest version bump the change needs. */
  readonly bump: VersionBump;
}

/** The outcome of `FeatureContract.compare`. */
export interface ContractComparison {
  /** Every change, with the bump it needs. */
  readonly changes: readonly ContractChange[];
  /** The largest bump any change needs. */
  readonly requiredBump: VersionBump;
  /** The bump between the two declared versions (`none` when equal or lower). */
  readonly actualBump: VersionBump;
  /** Whether the next version is at least the required bump above the previous one. */
  readonly ok: boolean;
}

/**
 * The changes from `previous` to `next` (two versions of one contract) and the bump they need.
 * @internal
 */
export function compareContracts(previous: VersionedContract, next: VersionedContract): ContractComparison {
  const changes: ContractChange[] = [];
  const add = (field: string, change: string, bump: VersionBump) => changes.push({ field, change, bump });
  if (previous.recordIdentifier !== next.recordIdentifier) {
    add('recordIdentifier', `changed from ${previous.recordIdentifier} to ${next.recordIdentifier}`, 'major');
  }
  if (previous.eventTime !== next.eventTime)
    add('eventTime', `changed from ${previous.eventTime} to ${next.eventTime}`, 'major');
  // The data-classification tag is create-only on a feature group: only new groups (a new major) can carry a new one.
  if (previous.classification !== next.classification) {
    add('classification', `changed from ${previous.classification} to ${next.classification}`, 'major');
  }
  if (previous.description !== next.description) add('description', 'changed', 'patch');
  if (previous.owner !== next.owner) add('owner', `changed from ${previous.owner} to ${next.owner}`, 'patch');
  const after = new Map(next.features.map((f) => [f.name, f]));
  for (const old of previous.features) {
    const now = after.get(old.name);
    if (!now) {
      add(old.name, 'removed', 'major');
      continue;
    }
    if (old.type !== now.type) add(old.name, `type changed from ${old.type} to ${now.type}`, 'major');
    if (old.restricted !== now.restricted) {
      add(
        old.name,
        `moved ${now.restricted ? 'into' : 'out of'} the restricted feature group (pii ${old.pii} to ${now.pii})`,
        'major',
      );
    } else if (old.pii !== now.pii) add(old.name, `pii changed from ${old.pii} to ${now.pii}`, 'patch');
    if (!old.required && now.required) add(old.name, 'became required', 'major');
    if (old.required && !now.required) add(old.name, 'became optional', 'minor');
    if (old.description !== now.description) add(old.name, 'description changed', 'patch');
    if (old.owner !== now.owner) add(old.name, `owner changed from ${old.owner} to ${now.owner}`, 'patch');
  }
  const before = new Set(previous.features.map((f) => f.name));
  for (const f of next.features) {
    if (before.has(f.name)) continue;
    add(
      f.name,
      f.required ? 'added as a required feature' : 'added as an optional feature',
      f.required ? 'major' : 'minor',
    );
  }
  const requiredBump = changes.reduce<VersionBump>(
    (m, c) => (BUMP_RANK[c.bump] > BUMP_RANK[m] ? c.bump : m),
    'none',
  );
  const actualBump = bumpBetween(previous.version, next.version);
  const ok =
    BUMP_RANK[actualBump] >= BUMP_RANK[requiredBump] && compareVersions(next.version, previous.version) >= 0;
  return { changes, requiredBump, actualBump, ok };
}

/**
 * What `FeatureContract.assertEvolution` reports when `result` (of {@link compareContracts}) is not ok.
 * @internal
 */
export function evolutionProblems(
  previous: VersionedContract,
  next: VersionedContract,
  result: ContractComparison,
): PropsProblem[] {
  const expected = `a ${result.requiredBump} bump from ${previous.version} (${suggest(previous.version, result.requiredBump)} or higher)`;
  return compareVersions(next.version, previous.version) < 0
    ? [
        {
          field: 'version',
          problem: 'is lower than the previous version',
          got: next.version,
          expected: `>= ${previous.version}`,
        },
      ]
    : result.changes
        .filter((c) => BUMP_RANK[c.bump] > BUMP_RANK[result.actualBump])
        .map((c) => ({
          field: c.field === '(contract)' ? 'version' : `version (${c.field})`,
          problem: `is under-bumped: ${c.change} needs a ${c.bump} version`,
          got: next.version,
          expected,
        }));
}

function versionParts(version: string): [number, number, number] {
  const [a, b, c] = version.split('.').map(Number);
  return [a, b, c];
}

function compareVersions(a: string, b: string): number {
  const [x, y] = [versionParts(a), versionParts(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
}

function bumpBetween(previous: string, next: string): VersionBump {
  if (compareVersions(next, previous) <= 0) return 'none';
  const [a, b] = [versionParts(previous), versionParts(next)];
  if (b[0] > a[0]) return 'major';
  if (b[1] > a[1]) return 'minor';
  return 'patch';
}

function suggest(version: string, bump: VersionBump): string {
  const [a, b, c] = versionParts(version);
  if (bump === 'major') return `${a + 1}.0.0`;
  if (bump === 'minor') return `${a}.${b + 1}.0`;
  return `${a}.${b}.${c + 1}`;
}
