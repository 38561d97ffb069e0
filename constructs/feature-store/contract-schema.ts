import * as z from 'zod/mini';
// The declaration side of a FeatureContract: what a contract is made of, and the schema that checks
// a declaration. No aws-cdk-lib here, directly or through an import (`compliant-mlops/contracts`).
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

/** The risk tiers a model can be declared with, lowest first. */
export const RISK_TIERS = ['minimal', 'limited', 'high'] as const;

/**
 * The risk tier of the models trained on a feature set (or of one model, on its pipeline and
 * registry). The names follow the EU AI Act's tiers (minimal, limited, high; its fourth,
 * unacceptable risk, is prohibited, so no model of this library is declared with it). Whether a
 * use is high risk is a legal classification (the Act's Annex III lists the areas, e.g.
 * employment, credit scoring, access to essential services) that the owner makes; the library
 * only acts on it: a `high` model package group needs a `ModelReviewGate`, so no version is
 * approved without a review record.
 */
export type RiskTier = (typeof RISK_TIERS)[number];

/** One feature of a `FeatureContract`. */
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

/** The declaration of a feature set, validated by `FeatureContract.define`. */
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
  /**
   * The risk tier of models trained on this feature set; pass it to the training pipeline and the
   * model registry (`riskTier: contract.riskTier`).
   * @default - not declared (the pipeline and registry decide)
   */
  readonly riskTier?: RiskTier;
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

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;
const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

const featureSchema = z.strictObject({
  name: z.string().check(
    z.maxLength(64),
    z.regex(FEATURE_NAME_PATTERN),
    z.refine((n) => !RESERVED_FEATURE_NAMES.includes(n), {
      message: 'is a reserved name',
      params: { expected: `a name other than ${RESERVED_FEATURE_NAMES.join(', ')}` },
    }),
  ),
  type: z.string().check(
    z.refine((t) => (FEATURE_TYPES as readonly string[]).includes(t), {
      message: 'is not a type SageMaker Feature Store supports in CloudFormation',
      params: {
        expected: `one of ${FEATURE_TYPES.join(', ')} (collection types need the InMemory online store and are not in AWS::SageMaker::FeatureGroup)`,
      },
    }),
  ),
  description: z.string().check(z.minLength(1), z.maxLength(255)),
  owner: z.optional(z.string().check(z.minLength(1), z.maxLength(256))),
  pii: z.optional(z.enum(['none', 'pii', 'sensitive'])),
  required: z.optional(z.boolean()),
});

/**
 * The schema `FeatureContract.define` parses a declaration with. zod's mini build: the
 * contract is bundled into ingestion Lambdas, and the classic build's chainable methods add ~60 KB
 * to them for nothing the contract needs (issue 14).
 * @internal
 */
export const contractSchema = z
  .strictObject({
    domain: z.string().check(z.maxLength(24), z.regex(KEBAB)),
    name: z.string().check(z.maxLength(40), z.regex(KEBAB)),
    version: z.string().check(z.regex(SEMVER)),
    description: z.string().check(z.minLength(1), z.maxLength(128)),
    owner: z.string().check(z.minLength(1), z.maxLength(256)),
    classification: z.optional(z.enum(['public', 'internal', 'confidential'])),
    recordIdentifier: z.string().check(z.minLength(1)),
    eventTime: z.string().check(z.minLength(1)),
    features: z.array(featureSchema).check(z.minLength(2), z.maxLength(MAX_FEATURES_PER_GROUP)),
    riskTier: z.optional(z.enum(RISK_TIERS)),
  })
  .check(
    z.superRefine((spec, ctx) => {
      const problem = (path: (string | number)[], message: string, input: unknown, expected: string) =>
        ctx.addIssue({ code: 'custom', path, message, input, params: { expected } });
      // Glue and Athena fold column names to lower case, so names equal up to case collide in the offline store.
      const seen = new Map<string, number>();
      spec.features.forEach((f, i) => {
        const key = f.name.toLowerCase();
        const first = seen.get(key);
        if (first !== undefined)
          problem(
            ['features', i, 'name'],
            `duplicates features.${first}.name`,
            f.name,
            'unique feature names',
          );
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
    }),
  );

/**
 * A declaration as {@link contractSchema} returns it.
 * @internal
 */
export type ParsedContractSpec = z.output<typeof contractSchema>;

type Problem = (path: (string | number)[], message: string, input: unknown, expected: string) => void;

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

/** The major version of a `MAJOR.MINOR.PATCH` version. @internal */
export function majorOf(version: string): number {
  return Number(version.split('.')[0]);
}
