import { z } from 'zod';
// No aws-cdk-lib here, directly or through an import: this module is the `compliant-mlops/contracts`
// entry's FeatureContract, which ingestion Lambdas bundle (test/package/contracts-entry.test.ts).
import {
  describePlainValue as describeValue,
  problemsFromIssues,
  PropsProblem,
  PropsValidationError,
} from '../core/problems';
import {
  FEATURE_NAME_PATTERN,
  featureGroupNameFor,
  MAX_FEATURE_GROUP_NAME_LENGTH,
  MAX_FEATURES_PER_GROUP,
  RESERVED_FEATURE_NAMES,
} from './naming';

/** The value types SageMaker Feature Store accepts in `AWS::SageMaker::FeatureGroup` feature definitions. */
export const FEATURE_TYPES = ['Integral', 'Fractional', 'String'] as const;

/** A feature's value type: `Integral` (64-bit signed integer), `Fractional` (64-bit float) or `String`. */
export type FeatureType = (typeof FEATURE_TYPES)[number];

/**
 * How personal a feature is. `pii` (identifies a person) and `sensitive` (e.g. health, finance,
 * special categories) features go to the contract's restricted feature group.
 */
export type PiiClass = 'none' | 'pii' | 'sensitive';

/** The data classification of the contract's standard (non-restricted) feature group. */
export type DataClassification = 'public' | 'internal' | 'confidential';

/** One feature of a {@link FeatureContract}. */
export interface FeatureSpec {
  /** snake_case, at most 64 characters, not a name Feature Store reserves. */
  readonly name: string;
  /** The value type. Collection types (List, Set, Vector) are not in CloudFormation and are rejected. */
  readonly type: FeatureType;
  /** What the feature means, for people and for the catalog (1 to 255 characters). */
  readonly description: string;
  /**
   * Who answers for the feature's values.
   * @default - the contract's owner
   */
  readonly owner?: string;
  /**
   * How personal the feature is; `pii` and `sensitive` go to the restricted feature group.
   * @default 'none'
   */
  readonly pii?: PiiClass;
  /**
   * Whether every record must carry the feature. Adding an optional feature is a minor version;
   * adding a required one is a major version (old producers' records would be rejected).
   * @default true
   */
  readonly required?: boolean;
}

/** The declaration of a feature set, validated by {@link FeatureContract.define}. */
export interface FeatureContractSpec {
  /** The data domain, kebab-case (e.g. `marketing`); the first part of the feature group name. */
  readonly domain: string;
  /** The feature set's name, kebab-case (e.g. `customer-churn`). */
  readonly name: string;
  /** Semantic version `MAJOR.MINOR.PATCH`; the major version is part of the feature group name. */
  readonly version: string;
  /** What the feature set is for (1 to 128 characters: the feature group description limit). */
  readonly description: string;
  /** The team that owns the contract; tagged `owner` on its feature groups. */
  readonly owner: string;
  /**
   * The data classification of the standard feature group (the restricted one is always `restricted`).
   * @default 'internal'
   */
  readonly classification?: DataClassification;
  /** The feature that identifies a record: one of `features`, of type `String` or `Integral`, `pii: 'none'`. */
  readonly recordIdentifier: string;
  /** The feature that holds the event time: one of `features`, of type `String` (ISO 8601) or `Fractional` (Unix seconds). */
  readonly eventTime: string;
  /** The features, including the record identifier and the event time. */
  readonly features: readonly FeatureSpec[];
}

/** A feature as the contract holds it, with defaults applied. */
export interface ContractFeature {
  readonly name: string;
  readonly type: FeatureType;
  readonly description: string;
  readonly owner: string;
  readonly pii: PiiClass;
  readonly required: boolean;
  /** Whether the feature lives in the restricted feature group. */
  readonly restricted: boolean;
}

/** A SageMaker feature definition, as `AWS::SageMaker::FeatureGroup` `FeatureDefinitions` takes it. */
export interface FeatureDefinition {
  readonly featureName: string;
  readonly featureType: FeatureType;
}

/** One field of a record that breaks the contract. */
export interface RecordProblem {
  /** The field (feature) name, or `(record)` for the whole record. */
  readonly field: string;
  /** What is wrong, lowercase. */
  readonly problem: string;
  /** The offending value, rendered. */
  readonly got: string;
  /** What the contract allows. */
  readonly expected: string;
}

/** A record that passed the contract: values normalized (numbers as numbers, event time as given). */
export type ParsedRecord = Readonly<Record<string, string | number>>;

/** The outcome of {@link FeatureContract.safeParseRecord}. */
export type RecordParseResult =
  | { readonly success: true; readonly data: ParsedRecord }
  | { readonly success: false; readonly problems: readonly RecordProblem[] };

/** One `PutRecord` request body, ready for `new PutRecordCommand(input)` of `@aws-sdk/client-sagemaker-featurestore-runtime`. */
export interface PutRecordInput {
  readonly FeatureGroupName: string;
  readonly Record: readonly { readonly FeatureName: string; readonly ValueAsString: string }[];
}

/**
 * The deployed group names {@link FeatureContract.toPutRecordInputs} writes to. A `SecureFeatureGroup`
 * with non-default storage settings adds a suffix to the contract's names: pass its
 * `featureGroupName` and `restricted.featureGroupName` (e.g. through the writer's environment).
 */
export interface PutRecordTargets {
  /**
   * The standard group's name.
   * @default - the contract's name, `<domain>-<name>-v<major>`
   */
  readonly featureGroupName?: string;
  /**
   * The restricted group's name.
   * @default - the contract's name, `<domain>-<name>-restricted-v<major>`
   */
  readonly restrictedFeatureGroupName?: string;
}

/** Thrown by {@link FeatureContract.parseRecord}: names every failing field, one per line. */
export class RecordValidationError extends Error {
  /** The problems, one per failing field. */
  public readonly problems: readonly RecordProblem[];

  constructor(contract: string, problems: readonly RecordProblem[]) {
    super(
      problems
        .map((p) => `${contract}: ${p.field}: ${p.problem} (got ${p.got}; expected ${p.expected})`)
        .join('\n'),
    );
    this.name = 'RecordValidationError';
    this.problems = problems;
  }
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

/** The outcome of {@link FeatureContract.compare}. */
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

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;
const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

const featureSchema = z.strictObject({
  name: z
    .string()
    .max(64)
    .regex(FEATURE_NAME_PATTERN)
    .refine((n) => !RESERVED_FEATURE_NAMES.includes(n), {
      message: 'is a reserved name',
      params: { expected: `a name other than ${RESERVED_FEATURE_NAMES.join(', ')}` },
    }),
  type: z.string().refine((t) => (FEATURE_TYPES as readonly string[]).includes(t), {
    message: 'is not a type SageMaker Feature Store supports in CloudFormation',
    params: {
      expected: `one of ${FEATURE_TYPES.join(', ')} (collection types need the InMemory online store and are not in AWS::SageMaker::FeatureGroup)`,
    },
  }),
  description: z.string().min(1).max(255),
  owner: z.string().min(1).max(256).optional(),
  pii: z.enum(['none', 'pii', 'sensitive']).optional(),
  required: z.boolean().optional(),
});

const contractSchema = z
  .strictObject({
    domain: z.string().max(24).regex(KEBAB),
    name: z.string().max(40).regex(KEBAB),
    version: z.string().regex(SEMVER),
    description: z.string().min(1).max(128),
    owner: z.string().min(1).max(256),
    classification: z.enum(['public', 'internal', 'confidential']).optional(),
    recordIdentifier: z.string().min(1),
    eventTime: z.string().min(1),
    features: z.array(featureSchema).min(2).max(MAX_FEATURES_PER_GROUP),
  })
  .superRefine((spec, ctx) => {
    const problem = (path: (string | number)[], message: string, input: unknown, expected: string) =>
      ctx.addIssue({ code: 'custom', path, message, input, params: { expected } });
    // Glue and Athena fold column names to lower case, so names equal up to case collide in the offline store.
    const seen = new Map<string, number>();
    spec.features.forEach((f, i) => {
      const key = f.name.toLowerCase();
      const first = seen.get(key);
      if (first !== undefined)
        problem(['features', i, 'name'], `duplicates features.${first}.name`, f.name, 'unique feature names');
      else seen.set(key, i);
    });
    const byName = new Map(spec.features.map((f) => [f.name, f]));
    const names = spec.features.map((f) => f.name).join(', ');
    const id = byName.get(spec.recordIdentifier);
    if (!id)
      problem(['recordIdentifier'], 'is not one of the features', spec.recordIdentifier, `one of ${names}`);
    else {
      if (id.type !== 'String' && id.type !== 'Integral') {
        problem(
          ['recordIdentifier'],
          'has a type a record identifier cannot have',
          id.type,
          'String or Integral',
        );
      }
      checkKeyFeature(problem, 'recordIdentifier', id);
    }
    const et = byName.get(spec.eventTime);
    if (!et) problem(['eventTime'], 'is not one of the features', spec.eventTime, `one of ${names}`);
    else {
      if (et.type !== 'String' && et.type !== 'Fractional') {
        problem(
          ['eventTime'],
          'has a type an event time cannot have',
          et.type,
          'String (ISO 8601) or Fractional (Unix seconds)',
        );
      }
      checkKeyFeature(problem, 'eventTime', et);
    }
    if (id && et && id.name === et.name)
      problem(['eventTime'], 'is the record identifier', spec.eventTime, 'a separate feature');
    if (SEMVER.test(spec.version) && KEBAB.test(spec.domain) && KEBAB.test(spec.name)) {
      const longest = featureGroupNameFor(spec.domain, spec.name, majorOf(spec.version), true);
      if (longest.length > MAX_FEATURE_GROUP_NAME_LENGTH) {
        problem(
          ['name'],
          'makes the restricted feature group name too long',
          longest,
          `at most ${MAX_FEATURE_GROUP_NAME_LENGTH} characters`,
        );
      }
    }
  });

type Problem = (path: (string | number)[], message: string, input: unknown, expected: string) => void;

/** Marks contracts, so that {@link FeatureContract.isFeatureContract} works across copies of the library. */
const CONTRACT_SYMBOL = Symbol.for('compliant-mlops.FeatureContract');

function checkKeyFeature(
  problem: Problem,
  field: 'recordIdentifier' | 'eventTime',
  f: z.output<typeof featureSchema>,
): void {
  // Both feature groups carry the key features, so they cannot be restricted, and every record needs them.
  if ((f.pii ?? 'none') !== 'none') {
    problem(
      [field],
      'is classified personal, but both feature groups carry it',
      `pii: ${f.pii}`,
      "pii: 'none' (use a pseudonymous key)",
    );
  }
  if (f.required === false)
    problem([field], 'is optional, but every record needs it', 'required: false', 'required: true');
}

function majorOf(version: string): number {
  return Number(version.split('.')[0]);
}

function versionParts(version: string): [number, number, number] {
  const [a, b, c] = version.split('.').map(Number);
  return [a, b, c];
}

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
    const changes: ContractChange[] = [];
    const add = (field: string, change: string, bump: VersionBump) => changes.push({ field, change, bump });
    if (previous.recordIdentifier !== next.recordIdentifier) {
      add(
        'recordIdentifier',
        `changed from ${previous.recordIdentifier} to ${next.recordIdentifier}`,
        'major',
      );
    }
    if (previous.eventTime !== next.eventTime)
      add('eventTime', `changed from ${previous.eventTime} to ${next.eventTime}`, 'major');
    // The data-classification tag is create-only on a feature group: only new groups (a new major) can carry a new one.
    if (previous.classification !== next.classification) {
      add('classification', `changed from ${previous.classification} to ${next.classification}`, 'major');
    }
    if (previous.description !== next.description) add('description', 'changed', 'patch');
    if (previous.owner !== next.owner)
      add('owner', `changed from ${previous.owner} to ${next.owner}`, 'patch');
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
      BUMP_RANK[actualBump] >= BUMP_RANK[requiredBump] &&
      compareVersions(next.version, previous.version) >= 0;
    return { changes, requiredBump, actualBump, ok };
  }

  /**
   * Throws unless `next` is a valid evolution of `previous`: its version must be at least the bump
   * its changes need (see {@link compare}). The error lists each change that needs more.
   */
  public static assertEvolution(previous: FeatureContract, next: FeatureContract): ContractComparison {
    const result = FeatureContract.compare(previous, next);
    if (result.ok) return result;
    const expected = `a ${result.requiredBump} bump from ${previous.version} (${suggest(previous.version, result.requiredBump)} or higher)`;
    const problems: PropsProblem[] =
      compareVersions(next.version, previous.version) < 0
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
    throw new PropsValidationError(next.label, problems);
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
  /** The record identifier feature's name. */
  public readonly recordIdentifier: string;
  /** The event time feature's name. */
  public readonly eventTime: string;
  /** Every feature, in declaration order, with defaults applied. */
  public readonly features: readonly ContractFeature[];
  /** `FeatureContract <domain>/<name>@<version>`, the prefix of this contract's error messages. */
  public readonly label: string;
  private readonly byName: ReadonlyMap<string, ContractFeature>;

  private constructor(spec: z.output<typeof contractSchema>) {
    this.domain = spec.domain;
    this.name = spec.name;
    this.version = spec.version;
    this.majorVersion = majorOf(spec.version);
    this.description = spec.description;
    this.owner = spec.owner;
    this.classification = spec.classification ?? 'internal';
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
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      return {
        success: false,
        problems: [
          {
            field: '(record)',
            problem: 'is not an object',
            got: describeValue(record),
            expected: 'an object of feature values',
          },
        ],
      };
    }
    const problems: RecordProblem[] = [];
    const out: Record<string, string | number> = {};
    const input = record as Record<string, unknown>;
    for (const key of Object.keys(input)) {
      if (!this.byName.has(key)) {
        problems.push({
          field: key,
          problem: 'is not a feature of the contract',
          got: describeValue(input[key]),
          expected: 'only declared features',
        });
      }
    }
    for (const f of this.features) {
      const value = input[f.name];
      if (value === undefined || value === null) {
        if (f.required)
          problems.push({
            field: f.name,
            problem: 'is required',
            got: describeValue(value),
            expected: expectedFor(f, this),
          });
        continue;
      }
      const parsed = parseValue(f, value, f.name === this.eventTime, f.name === this.recordIdentifier);
      if (typeof parsed === 'object')
        problems.push({
          field: f.name,
          ...parsed,
          got: describeValue(value),
          expected: expectedFor(f, this),
        });
      else out[f.name] = parsed;
    }
    if (problems.length > 0) return { success: false, problems };
    return { success: true, data: Object.freeze(out) };
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

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const INTEGER_TEXT = /^-?\d+$/;
const DECIMAL_TEXT = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
/** The two event time formats Feature Store accepts for `String` event times. */
const ISO_EVENT_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;
/** Feature Store limits a String value to 350 KB. */
const MAX_STRING_BYTES = 350 * 1024;

function expectedFor(f: ContractFeature, c: FeatureContract): string {
  if (f.name === c.eventTime) {
    return f.type === 'String'
      ? "an ISO 8601 UTC time yyyy-MM-dd'T'HH:mm:ss[.SSS]Z or a Date"
      : 'Unix seconds (a finite number >= 0)';
  }
  if (f.type === 'Integral') return 'a 64-bit integer (number or decimal string)';
  if (f.type === 'Fractional') return 'a finite number (number or numeric string)';
  return f.name === c.recordIdentifier ? 'a non-empty string' : 'a string of at most 350 KB';
}

function parseValue(
  f: ContractFeature,
  value: unknown,
  isEventTime: boolean,
  isRecordIdentifier: boolean,
): string | number | { problem: string } {
  if (isEventTime && f.type === 'String') {
    const text =
      value instanceof Date ? (Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString()) : value;
    if (typeof text !== 'string') return { problem: 'has the wrong type' };
    if (
      !ISO_EVENT_TIME.test(text) ||
      Number.isNaN(Date.parse(text)) ||
      new Date(text).toISOString().slice(0, 19) !== text.slice(0, 19)
    ) {
      return { problem: 'is not a valid event time' };
    }
    return text;
  }
  switch (f.type) {
    case 'Integral': {
      if (typeof value === 'number') {
        if (!Number.isInteger(value)) return { problem: 'is not an integer' };
        if (!Number.isSafeInteger(value)) return { problem: 'is beyond the exactly representable integers' };
        return value;
      }
      if (typeof value === 'bigint' || (typeof value === 'string' && INTEGER_TEXT.test(value.trim()))) {
        const big = BigInt(typeof value === 'string' ? value.trim() : value);
        if (big < INT64_MIN || big > INT64_MAX) return { problem: 'is out of the 64-bit integer range' };
        return Number.isSafeInteger(Number(big)) ? Number(big) : big.toString();
      }
      return { problem: typeof value === 'string' ? 'is not an integer' : 'has the wrong type' };
    }
    case 'Fractional': {
      const n =
        typeof value === 'number'
          ? value
          : typeof value === 'string' && DECIMAL_TEXT.test(value.trim())
            ? Number(value)
            : undefined;
      if (n === undefined)
        return { problem: typeof value === 'string' ? 'is not a number' : 'has the wrong type' };
      if (!Number.isFinite(n)) return { problem: 'is not finite' };
      if (isEventTime && n < 0) return { problem: 'is before the Unix epoch' };
      return n;
    }
    default: {
      if (typeof value !== 'string') return { problem: 'has the wrong type' };
      if (isRecordIdentifier && value.trim() === '') return { problem: 'is empty' };
      if (Buffer.byteLength(value, 'utf8') > MAX_STRING_BYTES) return { problem: 'is too large' };
      return value;
    }
  }
}
