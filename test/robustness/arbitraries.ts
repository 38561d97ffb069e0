import { Duration, Lazy, Stack, Tags, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import { z } from 'zod';
import { EncryptionKeys } from '../../constructs/encryption/encryption-keys';
import { AlertTopic } from '../../constructs/monitoring/alert-topic';
import { InferenceNetwork } from '../../constructs/serving/inference-network';
import { IsolatedEndpoint } from '../../constructs/serving/isolated-endpoint';
import { AccessLogBucket, SecureBucket } from '../../constructs/storage/secure-bucket';
import { TieredDatasetBucket } from '../../constructs/storage/tiered-dataset-bucket';
import { ModelImageRepository } from '../../constructs/training/model-image-repository';
import { ModelRegistry } from '../../constructs/training/model-registry';
import { churn } from '../feature-store/fixtures';
import { DIGEST } from '../training/fixtures';

/*
 * Props "recipes" for fuzzing. fast-check generates plain data (printable, shrinkable, seeded); a
 * recipe is turned into real props inside the stack under test by `materialize`, which replaces
 * markers with construct references, Durations, tokens, functions and cyclic objects.
 */

/** The kinds of construct reference a recipe can ask for; each is built once per stack, nag-clean. */
export type RefKind =
  | 'key'
  | 'bucket'
  | 'topic'
  | 'alertTopic'
  | 'vpc'
  | 'securityGroup'
  | 'logGroup'
  | 'scope'
  | 'secureBucket'
  | 'datasets'
  | 'imageRepository'
  | 'imageUri'
  | 'pinnedImage'
  | 'scheduleExpression'
  | 'rateSchedule'
  | 'registry'
  | 'endpointRef'
  | 'featureContract'
  | 'zodSchema'
  | 'principal'
  | 'accessLogBucket';
const REF_KINDS: readonly RefKind[] = [
  'key',
  'bucket',
  'topic',
  'alertTopic',
  'vpc',
  'securityGroup',
  'logGroup',
  'scope',
  'secureBucket',
  'datasets',
  'imageRepository',
  'imageUri',
  'registry',
  'endpointRef',
  'featureContract',
  'zodSchema',
  'principal',
  'accessLogBucket',
];

/** A construct reference of one kind. */
export class RefMarker {
  constructor(public readonly kind: RefKind) {}
  [fc.toStringMethod](): string {
    return `ref(${this.kind})`;
  }
}

/** Units a Duration can be made in. */
export type DurationUnit = 'millis' | 'seconds' | 'minutes' | 'hours' | 'days';

/** A `Duration.<unit>(amount)`; amount `'token'` makes an unresolved Duration. */
export class DurationMarker {
  constructor(
    public readonly unit: DurationUnit,
    public readonly amount: number | 'token',
  ) {}
  [fc.toStringMethod](): string {
    return `Duration.${this.unit}(${String(this.amount)})`;
  }
}

/** An unresolved token that resolves to `value` at synth. */
export class TokenMarker {
  constructor(
    public readonly type: 'string' | 'number' | 'list',
    public readonly value: string | number | string[],
  ) {}
  [fc.toStringMethod](): string {
    return `token(${JSON.stringify(this.value)})`;
  }
}

/** A hostile value that is not data: a function, a cyclic object, a class instance, a symbol. */
export class OddMarker {
  constructor(public readonly odd: 'function' | 'cycle' | 'date' | 'map' | 'symbol' | 'bigint') {}
  [fc.toStringMethod](): string {
    return `odd(${this.odd})`;
  }
}

/** A fuzzer's description of props, before materialization. */
export type Recipe =
  | undefined
  | null
  | boolean
  | number
  | string
  | RefMarker
  | DurationMarker
  | TokenMarker
  | OddMarker
  | readonly Recipe[]
  | { readonly [key: string]: Recipe };

/** Builds the reference fixtures a recipe asks for, once per stack, under `Fixture`. */
export class Fixtures {
  private readonly scope: Construct;
  private readonly cache = new Map<RefKind, unknown>();

  constructor(private readonly stack: Stack) {
    this.scope = new Construct(stack, 'Fixture');
  }

  /** The fixture of one kind (nag-clean, so valid props that use it synthesize with zero findings). */
  public ref(kind: RefKind): unknown {
    const hit = this.cache.get(kind);
    if (hit !== undefined) return hit;
    const made = this.make(kind);
    this.cache.set(kind, made);
    return made;
  }

  private network(): InferenceNetwork {
    return this.memo('vpc-construct', () => new InferenceNetwork(this.scope, 'Network'));
  }

  private alert(): AlertTopic {
    return this.memo(
      'alert-construct',
      () => new AlertTopic(this.scope, 'Alerts', { encryptionKey: this.keys().logs }),
    );
  }

  private secureBucket(): SecureBucket {
    return this.memo(
      'secure-bucket',
      () => new SecureBucket(this.scope, 'SecureBucket', { encryptionKey: this.keys().data }),
    );
  }

  private images(): ModelImageRepository {
    return this.memo(
      'images',
      () => new ModelImageRepository(this.scope, 'Images', { encryptionKey: this.keys().models }),
    );
  }

  private keys(): EncryptionKeys {
    return this.memo(
      'keys-construct',
      () => new EncryptionKeys(this.scope, 'Keys', { aliasPrefix: 'alias/fixture' }),
    );
  }

  private readonly memos = new Map<string, unknown>();
  private memo<T>(id: string, make: () => T): T {
    if (!this.memos.has(id)) this.memos.set(id, make());
    return this.memos.get(id) as T;
  }

  private make(kind: RefKind): unknown {
    switch (kind) {
      case 'key':
        return this.keys().logs;
      case 'bucket':
        return new SecureBucket(this.scope, 'Bucket', { encryptionKey: this.keys().data }).bucket;
      case 'topic':
        return this.alert().topic;
      case 'alertTopic':
        return this.alert();
      case 'vpc':
        return this.network().vpc;
      case 'securityGroup':
        return this.network().endpointSecurityGroup;
      case 'logGroup':
        return this.network().flowLogGroup;
      case 'scope':
        return this.stack;
      case 'secureBucket':
        return this.secureBucket();
      case 'datasets':
        return new TieredDatasetBucket(this.scope, 'Datasets', { encryptionKey: this.keys().data });
      case 'imageRepository':
        return this.images().repository;
      case 'imageUri':
        return this.images().imageUri(DIGEST);
      case 'pinnedImage':
        return this.images().image(DIGEST);
      case 'scheduleExpression':
        return scheduler.ScheduleExpression.rate(Duration.days(1));
      case 'rateSchedule':
        // DriftMonitor reads its period back from a rate of 5 minutes to 12 hours.
        return scheduler.ScheduleExpression.rate(Duration.hours(6));
      case 'registry': {
        const registry = new ModelRegistry(this.scope, 'Registry', {
          alerts: this.alert(),
          modelPackageGroupName: 'churn',
        });
        // Model-scoped, so CostGuardrails (when fuzzed with this fixture in scope) requires the model tag.
        Tags.of(registry).add('model-id', 'churn');
        return registry;
      }
      case 'endpointRef':
        return IsolatedEndpoint.fromEndpointName(this.scope, 'Endpoint', 'churn-prod');
      case 'featureContract':
        return churn();
      case 'principal':
        return new iam.ServicePrincipal('sagemaker.amazonaws.com');
      case 'accessLogBucket':
        // An s3.Bucket created in the app (SSE-S3, ACLs disabled): a valid server-access-log target.
        return AccessLogBucket.of(this.stack).bucket;
      case 'zodSchema':
        return z.strictObject({ instances: z.array(z.array(z.number()).max(16)).min(1).max(100) });
    }
  }
}

/** Turns a recipe into props: markers become references, Durations, tokens and hostile objects. */
export function materialize(recipe: Recipe, fixtures: Fixtures): unknown {
  if (recipe instanceof RefMarker) return fixtures.ref(recipe.kind);
  if (recipe instanceof DurationMarker) {
    const amount =
      recipe.amount === 'token' ? Token.asNumber(Lazy.number({ produce: () => 30 })) : recipe.amount;
    return Duration[recipe.unit](amount);
  }
  if (recipe instanceof TokenMarker) {
    const v = recipe.value;
    if (recipe.type === 'number') return Lazy.number({ produce: () => v as number });
    if (recipe.type === 'list') return Lazy.list({ produce: () => v as string[] });
    return Lazy.string({ produce: () => v as string });
  }
  if (recipe instanceof OddMarker) return odd(recipe.odd);
  if (Array.isArray(recipe)) return recipe.map((r: Recipe) => materialize(r, fixtures));
  if (recipe !== null && typeof recipe === 'object') {
    // fromEntries defines own properties, so keys such as `__proto__` stay keys.
    return Object.fromEntries(
      Object.entries(recipe).map(([k, v]) => [k, materialize(v as Recipe, fixtures)]),
    );
  }
  return recipe;
}

function odd(kind: OddMarker['odd']): unknown {
  switch (kind) {
    case 'function':
      return () => 'not a value';
    case 'cycle': {
      const o: Record<string, unknown> = { a: 1 };
      o.self = o;
      return o;
    }
    case 'date':
      return new Date(0);
    case 'map':
      return new Map([['a', 1]]);
    case 'symbol':
      return Symbol('fuzz');
    case 'bigint':
      return BigInt(42);
  }
}

// ---------------------------------------------------------------------------------------------
// Field arbitraries: each field has values meant to be valid and values meant to be invalid. The
// oracle does not trust either label: any outcome other than "synthesizes clean" or "throws a
// PropsValidationError naming path and field" fails.

/** The generators of one prop. */
export interface FieldSpec {
  /** Values that should be accepted. */
  readonly valid: fc.Arbitrary<Recipe>;
  /** Values that should be rejected. */
  readonly invalid: fc.Arbitrary<Recipe>;
  /** A required prop: omitting it must be a validation error. */
  readonly required?: boolean;
}

/** The props of one construct, by name. */
export type PropsSpec = Readonly<Record<string, FieldSpec>>;

/** Any value of any type, including markers: the "wrong type" generator. */
export const anyValue: fc.Arbitrary<Recipe> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, Number.MAX_SAFE_INTEGER + 2),
  fc.string(),
  fc.constantFrom('', ' ', '\n', '\u0000', 'a'.repeat(5000), '${Token[TOKEN.1]}', '*', '../..', '"quoted"'),
  fc.boolean(),
  fc.constant(null),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.oneof(fc.string(), fc.integer()), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
  fc.constantFrom(...REF_KINDS).map((k) => new RefMarker(k)),
  fc
    .constantFrom<OddMarker['odd']>('function', 'cycle', 'date', 'map', 'symbol', 'bigint')
    .map((k) => new OddMarker(k)),
  fc.string({ maxLength: 10 }).map((s) => new TokenMarker('string', s)),
  fc.integer().map((n) => new TokenMarker('number', n)),
  fc.constant(new TokenMarker('list', ['a', 'b'])),
  fc
    .constantFrom<DurationUnit>('seconds', 'minutes', 'hours', 'days', 'millis')
    .map((u) => new DurationMarker(u, 1)),
  fc
    .constantFrom<DurationUnit>('seconds', 'minutes', 'hours', 'days', 'millis')
    .map((u) => new DurationMarker(u, 'token')),
);

const SECONDS: Readonly<Record<DurationUnit, number>> = {
  millis: 0.001,
  seconds: 1,
  minutes: 60,
  hours: 3600,
  days: 86400,
};

/**
 * Durations between `min` and `max` seconds (valid: whole days in any unit when `wholeDays`) and
 * outside them (invalid, including sub-second ones and, for `wholeDays`, partial days), in every
 * unit, and unresolved tokens in `tokenUnit` (valid when the construct accepts tokens) or in any
 * unit (invalid where a token cannot be converted).
 */
export function durationField(
  minSeconds: number,
  maxSeconds: number,
  options: { wholeDays?: boolean; tokenUnit?: DurationUnit } = {},
): FieldSpec {
  const tokenUnit: DurationUnit = options.tokenUnit ?? 'seconds';
  const inUnit = (lo: number, hi: number): fc.Arbitrary<Recipe> =>
    fc.constantFrom<DurationUnit>('seconds', 'minutes', 'hours', 'days').chain((unit) => {
      // Whole days in any unit; partial days are among the invalid values.
      const step = options.wholeDays ? 86400 / SECONDS[unit] : 1;
      const a = Math.ceil(lo / SECONDS[unit] / step);
      const b = Math.floor(hi / SECONDS[unit] / step);
      return a <= b
        ? fc.integer({ min: a, max: b }).map((n) => new DurationMarker(unit, n * step))
        : fc.constant(new DurationMarker('seconds', lo));
    });
  return {
    valid: fc.oneof(
      { weight: 4, arbitrary: inUnit(minSeconds, maxSeconds) },
      { weight: 1, arbitrary: fc.constant(new DurationMarker('days', Math.ceil(minSeconds / 86400))) },
      // Unresolved: accepted in the unit the construct renders, or refused as needing a literal.
      { weight: 1, arbitrary: fc.constant(new DurationMarker(tokenUnit, 'token')) },
    ),
    invalid: fc.oneof(
      minSeconds > 0
        ? inUnit(0, minSeconds - 1)
        : fc.constant(new DurationMarker('days', maxSeconds / 86400 + 1)),
      inUnit(maxSeconds + 1, maxSeconds * 10 + 86400),
      fc.constantFrom(new DurationMarker('millis', 1), new DurationMarker('seconds', maxSeconds + 1)),
      fc
        .constantFrom<DurationUnit>('millis', 'seconds', 'minutes', 'hours', 'days')
        .map((u) => new DurationMarker(u, 'token')),
      ...(options.wholeDays
        ? [
            fc
              .integer({ min: Math.ceil(minSeconds / 3600), max: Math.floor(maxSeconds / 3600) })
              .filter((h) => h % 24 !== 0)
              .map((h) => new DurationMarker('hours', h)),
          ]
        : []),
      fc.constantFrom(30, '30 days', 'P30D', null).map((v) => v as Recipe),
    ),
  };
}

/** Whole days between `minDays` and `maxDays`. */
export function daysField(minDays: number, maxDays: number): FieldSpec {
  return durationField(minDays * 86400, maxDays * 86400, { wholeDays: true, tokenUnit: 'days' });
}

/** Integers in a range; invalid: out of range, fractions, NaN, strings. */
export function intField(min: number, max: number): FieldSpec {
  return {
    valid: fc.integer({ min, max }),
    invalid: fc.oneof(
      fc.integer({ min: min - 1000, max: min - 1 }),
      fc.integer({ min: max + 1, max: max + 100000 }),
      fc.constantFrom(min + 0.5, NaN, Infinity, -Infinity),
      fc.constant(String(min)),
    ),
  };
}

/** Numbers in a range (fractions allowed). */
export function numberField(min: number, max: number, minExclusive = false): FieldSpec {
  return {
    valid: fc.double({ min, max, noNaN: true, minExcluded: minExclusive }),
    invalid: fc.oneof(
      fc.double({ min: -1e9, max: min, noNaN: true, maxExcluded: !minExclusive }),
      fc.double({ min: max, max: 1e12, noNaN: true, minExcluded: true }),
      fc.constantFrom(NaN, Infinity, -Infinity),
      fc.constant(String(max)),
    ),
  };
}

/** A string matching `pattern` (valid) or some hostile string (invalid). */
export function stringField(
  valid: fc.Arbitrary<string>,
  invalid: fc.Arbitrary<string> = hostileString,
): FieldSpec {
  return { valid, invalid };
}

/** Strings that break most patterns: empty, whitespace, control characters, huge, path-ish, unicode. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\t',
    'a\nb',
    '\u0000',
    'x'.repeat(100_000),
    '../../etc/passwd',
    'UPPER',
    'émoji-😀',
    'a b',
    '*',
    '/',
  ),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
);

/** One of `values`; invalid: anything else of the same type and some other types. */
export function enumField<T extends string | number>(
  values: readonly T[],
  invalid: fc.Arbitrary<Recipe>,
): FieldSpec {
  return { valid: fc.constantFrom(...values), invalid };
}

/** A boolean; invalid: truthy/falsy values of other types. */
export function boolField(valid: fc.Arbitrary<boolean> = fc.boolean()): FieldSpec {
  return { valid, invalid: fc.constantFrom<Recipe>('true', 'false', 0, 1, null, []) };
}

/** A construct reference of `kind`; invalid: another kind, an ARN string, a plain object. */
export function refField(kind: RefKind, required = false): FieldSpec {
  return {
    required,
    valid: fc.constant(new RefMarker(kind)),
    invalid: fc.oneof(
      fc.constantFrom(...REF_KINDS.filter((k) => k !== kind)).map((k) => new RefMarker(k)),
      fc.constantFrom<Recipe>(
        'arn:aws:kms:eu-west-1:111111111111:key/abc',
        { keyArn: 'arn' },
        new TokenMarker('string', 'arn:aws:x'),
      ),
    ),
  };
}

/** An array of `item`; invalid: too short, too long, not an array, bad items. */
export function arrayField(
  item: FieldSpec,
  options: { minLength?: number; maxLength?: number } = {},
): FieldSpec {
  const min = options.minLength ?? 0;
  const max = options.maxLength ?? 5;
  const invalid: fc.Arbitrary<Recipe>[] = [
    fc.array(item.invalid, { minLength: 1, maxLength: 3 }),
    fc.tuple(fc.array(item.valid, { maxLength: 2 }), item.invalid).map(([v, bad]) => [...v, bad]),
    fc.constantFrom<Recipe>('not-a-list', 0, {}),
    fc.constant(new TokenMarker('list', ['a', 'b'])),
  ];
  if (min > 0) invalid.push(fc.array(item.valid, { maxLength: min - 1 }));
  return { valid: fc.array(item.valid, { minLength: min, maxLength: max }), invalid: fc.oneof(...invalid) };
}

/** A nested props object. */
export function objectField(spec: PropsSpec): FieldSpec {
  return { valid: validProps(spec), invalid: invalidProps(spec) };
}

/** Keys that are not props: near misses, prototype names, the empty string, separators. */
const unknownKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'toString',
    'hasOwnProperty',
    '',
    ' ',
    'Resource',
    'encryption_key',
    'EncryptionKey',
    'a.b',
    'a\nb',
    'a: b',
  ),
  fc.string({ minLength: 1, maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
);

/** Props meant to be valid: every required prop, any subset of the optional ones. */
export function validProps(spec: PropsSpec): fc.Arbitrary<Recipe> {
  const fields = Object.fromEntries(Object.entries(spec).map(([k, f]) => [k, f.valid]));
  const requiredKeys = Object.entries(spec)
    .filter(([, f]) => f.required === true)
    .map(([k]) => k);
  return fc.record(fields, { requiredKeys }) as fc.Arbitrary<Recipe>;
}

/** Props meant to be invalid: a bad field, a wrong type, a missing required prop, an unknown key, or not an object. */
export function invalidProps(spec: PropsSpec): fc.Arbitrary<Recipe> {
  const keys = Object.keys(spec);
  const required = keys.filter((k) => spec[k].required === true);
  const base = validProps(spec) as fc.Arbitrary<Record<string, Recipe>>;
  const variants: fc.Arbitrary<Recipe>[] = [
    fc
      .tuple(base, fc.constantFrom(...keys))
      .chain(([v, k]) => spec[k].invalid.map((bad) => ({ ...v, [k]: bad }))),
    fc
      .tuple(base, fc.constantFrom(...keys), fc.constantFrom(...keys))
      .chain(([v, a, b]) =>
        fc.tuple(spec[a].invalid, spec[b].invalid).map(([x, y]) => ({ ...v, [a]: x, [b]: y })),
      ),
    fc.tuple(base, fc.constantFrom(...keys), anyValue).map(([v, k, bad]) => ({ ...v, [k]: bad })),
    fc
      .tuple(base, unknownKey, anyValue)
      .map(([v, k, x]) => Object.fromEntries([...Object.entries(v), [k, x]]) as Recipe),
    fc.constantFrom<Recipe>(
      null,
      0,
      'props',
      [],
      true,
      new OddMarker('function'),
      new OddMarker('cycle'),
      new RefMarker('key'),
    ),
  ];
  if (required.length > 0) {
    variants.push(
      fc
        .tuple(base, fc.constantFrom(...required))
        .map(([v, k]) => Object.fromEntries(Object.entries(v).filter(([key]) => key !== k)) as Recipe),
    );
  }
  return fc.oneof(...variants);
}

/** Valid and invalid props mixed (about 40 % valid). */
export function propsArbitrary(spec: PropsSpec): fc.Arbitrary<Recipe> {
  return fc.oneof({ weight: 2, arbitrary: validProps(spec) }, { weight: 3, arbitrary: invalidProps(spec) });
}

// ---------------------------------------------------------------------------------------------
// Shared field values.

/** Values of `logs.RetentionDays`. */
export const RETENTION_DAYS: readonly number[] = Object.values(logs.RetentionDays).filter(
  (v): v is number => typeof v === 'number',
);

/**
 * A retention enum field. `INFINITE` is refused (it trips CloudWatchLogGroupRetentionPeriod in
 * the HIPAA, NIST, PCI and Serverless packs).
 */
export const retentionField: FieldSpec = enumField(
  RETENTION_DAYS.filter((d) => d !== logs.RetentionDays.INFINITE),
  fc.constantFrom<Recipe>(logs.RetentionDays.INFINITE, 2, 15, 0, -1, 'ONE_YEAR', 366.5),
);

/** `SubnetSelection` values: the fixture VPC has isolated subnets only. */
export const subnetSelectionField: FieldSpec = {
  valid: fc.constantFrom<Recipe>(
    { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    { subnetType: ec2.SubnetType.PRIVATE_ISOLATED, availabilityZones: ['dummy1a'] },
    { onePerAz: true },
    {},
  ),
  invalid: fc.constantFrom<Recipe>(
    { subnetType: ec2.SubnetType.PUBLIC },
    { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    { subnetType: 'bogus' },
    { subnetGroupName: 'missing' },
    { availabilityZones: ['nowhere-1a'] },
    { availabilityZones: [] },
    'isolated',
    1,
    null,
  ),
};
