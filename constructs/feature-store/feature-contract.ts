// No aws-cdk-lib here, directly or through an import: this module is the `compliant-mlops/contracts`
// entry's FeatureContract, which ingestion Lambdas bundle (test/package/contracts-entry.test.ts).
// The contract's public API, the one list both entries re-export (constructs/contracts.ts and
// constructs/feature-store/index.ts). The parts: the declaration and its schema
// (contract-schema.ts), record checks (contract-records.ts), version evolution (contract-versions.ts).
import { problemsFromIssues, PropsValidationError } from '../core/problems';
import {
  checkRecord,
  ParsedRecord,
  PutRecordInput,
  PutRecordTargets,
  RecordParseResult,
  RecordValidationError,
} from './contract-records';
import {
  ContractFeature,
  contractSchema,
  DataClassification,
  FeatureContractSpec,
  FeatureDefinition,
  FeatureType,
  majorOf,
  ParsedContractSpec,
  RiskTier,
} from './contract-schema';
import { compareContracts, ContractComparison, evolutionProblems } from './contract-versions';
import { featureGroupNameFor } from './naming';

export { FEATURE_TYPES, RISK_TIERS } from './contract-schema';
export type {
  ContractFeature,
  DataClassification,
  FeatureContractSpec,
  FeatureDefinition,
  FeatureSpec,
  FeatureType,
  PiiClass,
  RiskTier,
} from './contract-schema';
export { RecordValidationError } from './contract-records';
export type {
  ParsedRecord,
  PutRecordInput,
  PutRecordTargets,
  RecordParseResult,
  RecordProblem,
} from './contract-records';
export type { ContractChange, ContractComparison, VersionBump } from './contract-versions';
export { RESERVED_FEATURE_NAMES } from './naming';

/** Marks contracts, so that {@link FeatureContract.isFeatureContract} works across copies of the library. */
const CONTRACT_SYMBOL = Symbol.for('compliant-mlops.FeatureContract');

/**
 * A typed, validated declaration of a feature set: the record identifier, the event time, and each
 * feature's name, type, description, owner and PII class, under a semantic version.
 *
 * The contract renders the SageMaker feature definitions of its feature groups, decides which
 * features are restricted (`pii` and `sensitive` go to their own feature group), names the groups
 * after its major version (`<domain>-<name>-v<major>`), and is the check ingestion code runs on each
 * record before `PutRecord`: {@link parseRecord} rejects a record that breaks it, naming every
 * failing field, never accepting part of it.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/feature-store-quotas.html
 */
export class FeatureContract {
  /**
   * Validates a declaration and returns the contract. Every problem is reported at once, as
   * `FeatureContract <domain>/<name>: <field>: <problem> (got X; expected Y)`.
   */
  public static define(spec: FeatureContractSpec): FeatureContract {
    const result = contractSchema.safeParse(spec, { reportInput: true });
    if (!result.success)
      throw new PropsValidationError(labelOf(spec), problemsFromIssues(result.error.issues));
    return new FeatureContract(result.data);
  }

  /** Whether a value is a FeatureContract (also across copies of this library). */
  public static isFeatureContract(x: unknown): x is FeatureContract {
    return (
      typeof x === 'object' && x !== null && (x as { [CONTRACT_SYMBOL]?: boolean })[CONTRACT_SYMBOL] === true
    );
  }

  /**
   * Compares two versions of a contract and says which version bump the changes need:
   * removing or retyping a feature, adding a required one, making an optional one required,
   * moving one in or out of the restricted group, or changing the record identifier or event
   * time is `major` (a new feature group name); adding an optional feature or making a required
   * one optional is `minor`; descriptions, owners and `pii` ↔ `sensitive` are `patch`.
   *
   * @throws Error when the two are not versions of the same contract (domain and name differ)
   */
  public static compare(previous: FeatureContract, next: FeatureContract): ContractComparison {
    if (previous.domain !== next.domain || previous.name !== next.name) {
      throw new Error(
        `${next.label}: (contract): is not a version of ${previous.label} (got ${next.domain}/${next.name}; expected ${previous.domain}/${previous.name})`,
      );
    }
    return compareContracts(previous, next);
  }

  /**
   * Throws unless `next` is a valid evolution of `previous`: its version must be at least the bump
   * its changes need (see {@link compare}). The error lists each change that needs more.
   */
  public static assertEvolution(previous: FeatureContract, next: FeatureContract): ContractComparison {
    const result = FeatureContract.compare(previous, next);
    if (result.ok) return result;
    throw new PropsValidationError(next.label, evolutionProblems(previous, next, result));
  }

  /** The data domain. */
  public readonly domain: string;
  /** The feature set's name. */
  public readonly name: string;
  /** The semantic version. */
  public readonly version: string;
  /** The major version, part of the feature group names. */
  public readonly majorVersion: number;
  /** What the feature set is for. */
  public readonly description: string;
  /** The owning team. */
  public readonly owner: string;
  /** The data classification of the standard feature group. */
  public readonly classification: DataClassification;
  /** The declared risk tier of models trained on this feature set, if any. */
  public readonly riskTier?: RiskTier;
  /** The record identifier feature's name. */
  public readonly recordIdentifier: string;
  /** The event time feature's name. */
  public readonly eventTime: string;
  /** Every feature, in declaration order, with defaults applied. */
  public readonly features: readonly ContractFeature[];
  /** `FeatureContract <domain>/<name>@<version>`, the prefix of this contract's error messages. */
  public readonly label: string;
  private readonly byName: ReadonlyMap<string, ContractFeature>;

  private constructor(spec: ParsedContractSpec) {
    this.domain = spec.domain;
    this.name = spec.name;
    this.version = spec.version;
    this.majorVersion = majorOf(spec.version);
    this.description = spec.description;
    this.owner = spec.owner;
    this.classification = spec.classification ?? 'internal';
    this.riskTier = spec.riskTier;
    this.recordIdentifier = spec.recordIdentifier;
    this.eventTime = spec.eventTime;
    this.features = spec.features.map((f) => {
      const pii = f.pii ?? 'none';
      return Object.freeze({
        name: f.name,
        type: f.type as FeatureType,
        description: f.description,
        owner: f.owner ?? spec.owner,
        pii,
        required: f.required ?? true,
        restricted: pii !== 'none',
      });
    });
    this.byName = new Map(this.features.map((f) => [f.name, f]));
    this.label = `FeatureContract ${spec.domain}/${spec.name}@${spec.version}`;
    Object.defineProperty(this, CONTRACT_SYMBOL, { value: true });
    Object.freeze(this);
  }

  /** The standard feature group's name, `<domain>-<name>-v<major>`. */
  public get featureGroupName(): string {
    return featureGroupNameFor(this.domain, this.name, this.majorVersion, false);
  }

  /** The restricted feature group's name, `<domain>-<name>-restricted-v<major>` (whether or not the contract has one). */
  public get restrictedFeatureGroupName(): string {
    return featureGroupNameFor(this.domain, this.name, this.majorVersion, true);
  }

  /** Whether any feature is `pii` or `sensitive`, so the contract has a restricted feature group. */
  public get hasRestrictedFeatures(): boolean {
    return this.features.some((f) => f.restricted);
  }

  /** The features of the standard group: the unrestricted ones (including the record identifier and event time). */
  public get standardFeatures(): readonly ContractFeature[] {
    return this.features.filter((f) => !f.restricted);
  }

  /** The features of the restricted group: the record identifier, the event time and every restricted feature. */
  public get restrictedFeatures(): readonly ContractFeature[] {
    return this.features.filter(
      (f) => f.restricted || f.name === this.recordIdentifier || f.name === this.eventTime,
    );
  }

  /** A feature by name, or undefined. */
  public feature(name: string): ContractFeature | undefined {
    return this.byName.get(name);
  }

  /**
   * The SageMaker feature definitions of one of the contract's groups.
   * @param group `standard` (default) or `restricted`
   */
  public featureDefinitions(group: 'standard' | 'restricted' = 'standard'): FeatureDefinition[] {
    const features = group === 'restricted' ? this.restrictedFeatures : this.standardFeatures;
    return features.map((f) => ({ featureName: f.name, featureType: f.type }));
  }

  /**
   * Checks a record against the contract. Returns the normalized record, or every failing field:
   * a record with any failing field is rejected whole.
   */
  public safeParseRecord(record: unknown): RecordParseResult {
    return checkRecord(this, record);
  }

  /**
   * Checks a record against the contract and returns it normalized.
   * @throws RecordValidationError naming every failing field
   */
  public parseRecord(record: unknown): ParsedRecord {
    const result = this.safeParseRecord(record);
    if (!result.success) throw new RecordValidationError(this.label, result.problems);
    return result.data;
  }

  /**
   * Checks a record and splits it into the `PutRecord` requests of the contract's groups: one for
   * the standard group and, when the contract has restricted features, one for the restricted group.
   * @throws RecordValidationError naming every failing field
   */
  public toPutRecordInputs(record: unknown, names: PutRecordTargets = {}): PutRecordInput[] {
    const parsed = this.parseRecord(record);
    const render = (features: readonly ContractFeature[]) =>
      features
        .filter((f) => parsed[f.name] !== undefined)
        .map((f) => ({ FeatureName: f.name, ValueAsString: String(parsed[f.name]) }));
    const inputs: PutRecordInput[] = [
      {
        FeatureGroupName: names.featureGroupName ?? this.featureGroupName,
        Record: render(this.standardFeatures),
      },
    ];
    if (this.hasRestrictedFeatures) {
      inputs.push({
        FeatureGroupName: names.restrictedFeatureGroupName ?? this.restrictedFeatureGroupName,
        Record: render(this.restrictedFeatures),
      });
    }
    return inputs;
  }

  /** The contract as plain JSON (for catalogs and the Glue database parameters). */
  public toJSON(): Record<string, unknown> {
    return {
      domain: this.domain,
      name: this.name,
      version: this.version,
      description: this.description,
      owner: this.owner,
      classification: this.classification,
      recordIdentifier: this.recordIdentifier,
      eventTime: this.eventTime,
      features: this.features.map((f) => ({ ...f })),
    };
  }
}

function labelOf(spec: unknown): string {
  const s = (typeof spec === 'object' && spec !== null ? spec : {}) as Record<string, unknown>;
  const part = (v: unknown) => (typeof v === 'string' && v !== '' ? v : '?');
  return `FeatureContract ${part(s.domain)}/${part(s.name)}@${part(s.version)}`;
}
