import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PropsValidationError } from '../../constructs/core/validate';
import {
  FEATURE_TYPES,
  FeatureContract,
  FeatureContractSpec,
  FeatureSpec,
  RecordValidationError,
} from '../../constructs/feature-store/feature-contract';
import { FEATURE_NAME_PATTERN, RESERVED_FEATURE_NAMES } from '../../constructs/feature-store/defaults';
import { churn, churnSpec } from './fixtures';

function defineError(spec: unknown): PropsValidationError {
  try {
    FeatureContract.define(spec as FeatureContractSpec);
  } catch (e) {
    if (e instanceof PropsValidationError) return e;
    throw e;
  }
  throw new Error('expected a validation error');
}

const LABEL = 'FeatureContract marketing/customer-churn@1.0.0';

describe('FeatureContract.define', () => {
  it('accepts a valid contract and applies defaults', () => {
    const c = churn();
    expect(c.classification).toBe('internal');
    expect(c.majorVersion).toBe(1);
    expect(c.feature('tenure_months')).toEqual({
      name: 'tenure_months',
      type: 'Integral',
      description: 'Months since sign-up',
      owner: 'churn-team',
      pii: 'none',
      required: true,
      restricted: false,
    });
    expect(FeatureContract.isFeatureContract(c)).toBe(true);
    expect(FeatureContract.isFeatureContract({ ...c })).toBe(false);
  });

  it('names the groups after domain, name and major version', () => {
    const c = churn({ version: '3.4.1' });
    expect(c.featureGroupName).toBe('marketing-customer-churn-v3');
    expect(c.restrictedFeatureGroupName).toBe('marketing-customer-churn-restricted-v3');
  });

  it('reports duplicate feature names (case-insensitively) with the contract and field', () => {
    const e = defineError(churnSpec({}, [{ name: 'tenure_months', type: 'String', description: 'again' }]));
    expect(e.message).toContain(
      `${LABEL}: features.5.name: duplicates features.2.name (got "tenure_months"; expected unique feature names)`,
    );
  });

  it('rejects names that are not snake_case or longer than 64 characters', () => {
    const e = defineError(
      churnSpec({}, [
        { name: 'Bad-Name', type: 'String', description: 'x' },
        { name: `a${'b'.repeat(64)}`, type: 'String', description: 'x' },
      ]),
    );
    expect(e.message).toContain(`${LABEL}: features.5.name: has an invalid format (got "Bad-Name"`);
    expect(e.message).toMatch(/features\.6\.name: is too large .*expected length <= 64/);
  });

  it.each(RESERVED_FEATURE_NAMES)('rejects the reserved name %s', (name) => {
    const e = defineError(churnSpec({}, [{ name, type: 'String', description: 'x' }]));
    expect(e.message).toContain(`${LABEL}: features.5.name: is a reserved name (got "${name}"`);
  });

  it('rejects a missing record identifier and a missing event time', () => {
    const e = defineError(churnSpec({ recordIdentifier: 'nope', eventTime: 'missing' }));
    expect(e.message).toContain(
      `${LABEL}: recordIdentifier: is not one of the features (got "nope"; expected one of customer_id,`,
    );
    expect(e.message).toContain(`${LABEL}: eventTime: is not one of the features (got "missing"`);
    const absent = defineError({ ...churnSpec(), recordIdentifier: undefined, eventTime: undefined });
    expect(absent.message).toContain('recordIdentifier: is required');
    expect(absent.message).toContain('eventTime: is required');
  });

  it('rejects types SageMaker does not support, naming the field', () => {
    const e = defineError(churnSpec({}, [{ name: 'tags', type: 'List<String>' as never, description: 'x' }]));
    expect(e.message).toContain(
      `${LABEL}: features.5.type: is not a type SageMaker Feature Store supports in CloudFormation (got "List<String>"; expected one of Integral, Fractional, String`,
    );
  });

  it('rejects key features of the wrong type, classified personal, or optional', () => {
    const spec = churnSpec();
    const features = spec.features.map((f) =>
      f.name === 'customer_id'
        ? { ...f, type: 'Fractional' as const, pii: 'pii' as const }
        : f.name === 'event_time'
          ? { ...f, type: 'Integral' as const, required: false }
          : f,
    );
    const e = defineError({ ...spec, features });
    expect(e.message).toContain(
      'recordIdentifier: has a type a record identifier cannot have (got "Fractional"; expected String or Integral)',
    );
    expect(e.message).toContain(
      `recordIdentifier: is classified personal, but both feature groups carry it (got "pii: pii"; expected pii: 'none' (use a pseudonymous key))`,
    );
    expect(e.message).toContain('eventTime: has a type an event time cannot have (got "Integral";');
    expect(e.message).toContain('eventTime: is optional, but every record needs it');
  });

  it('rejects unknown keys, bad versions, long descriptions and names that overflow the group name', () => {
    const e = defineError({
      ...churnSpec({ version: 'v1', description: 'x'.repeat(129), name: 'a'.repeat(40) }),
      extra: 1,
    });
    expect(e.message).toContain(`extra: is not a known prop`);
    expect(e.message).toContain('version: has an invalid format (got "v1"');
    expect(e.message).toContain('description: is too large');
    const long = defineError(churnSpec({ domain: 'a'.repeat(24), name: 'b'.repeat(30) }));
    expect(long.message).toContain('name: makes the restricted feature group name too long');
  });

  it('lists every problem at once', () => {
    const e = defineError(
      churnSpec({ recordIdentifier: 'nope' }, [
        { name: 'write_time', type: 'Boolean' as never, description: '' },
      ]),
    );
    expect(e.problems.map((p) => p.field)).toEqual(
      expect.arrayContaining([
        'recordIdentifier',
        'features.5.name',
        'features.5.type',
        'features.5.description',
      ]),
    );
  });
});

describe('FeatureContract feature definitions and the restricted split', () => {
  it('renders standard definitions without the pii feature', () => {
    expect(churn().featureDefinitions()).toEqual([
      { featureName: 'customer_id', featureType: 'String' },
      { featureName: 'event_time', featureType: 'String' },
      { featureName: 'tenure_months', featureType: 'Integral' },
      { featureName: 'monthly_spend', featureType: 'Fractional' },
    ]);
  });

  it('puts pii and sensitive features in the restricted group with the key features', () => {
    const c = churn({}, [{ name: 'diagnosis_code', type: 'String', description: 'x', pii: 'sensitive' }]);
    expect(c.hasRestrictedFeatures).toBe(true);
    expect(c.featureDefinitions('restricted').map((d) => d.featureName)).toEqual([
      'customer_id',
      'event_time',
      'email',
      'diagnosis_code',
    ]);
  });

  it('has no restricted group without personal features', () => {
    const spec = churnSpec();
    const c = FeatureContract.define({ ...spec, features: spec.features.filter((f) => f.pii === undefined) });
    expect(c.hasRestrictedFeatures).toBe(false);
  });
});

describe('FeatureContract.parseRecord', () => {
  const good = {
    customer_id: 'c-1',
    event_time: '2024-05-01T12:00:00Z',
    tenure_months: '12',
    monthly_spend: 42.5,
    email: 'a@example.com',
  };

  it('accepts a valid record and normalizes numbers', () => {
    expect(churn().parseRecord(good)).toEqual({ ...good, tenure_months: 12 });
  });

  it('accepts Date event times and millisecond ISO times', () => {
    const c = churn();
    expect(c.parseRecord({ ...good, event_time: new Date('2024-05-01T12:00:00.123Z') }).event_time).toBe(
      '2024-05-01T12:00:00.123Z',
    );
  });

  it('rejects a record with every failing field named, never partially', () => {
    const c = churn();
    const result = c.safeParseRecord({
      customer_id: '',
      event_time: '2024-02-30T00:00:00Z',
      tenure_months: 1.5,
      monthly_spend: 'lots',
      unknown: 1,
    });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.problems).toEqual([
      {
        field: 'unknown',
        problem: 'is not a feature of the contract',
        got: '1',
        expected: 'only declared features',
      },
      { field: 'customer_id', problem: 'is empty', got: '""', expected: 'a non-empty string' },
      {
        field: 'event_time',
        problem: 'is not a valid event time',
        got: '"2024-02-30T00:00:00Z"',
        expected: "an ISO 8601 UTC time yyyy-MM-dd'T'HH:mm:ss[.SSS]Z or a Date",
      },
      {
        field: 'tenure_months',
        problem: 'is not an integer',
        got: '1.5',
        expected: 'a 64-bit integer (number or decimal string)',
      },
      {
        field: 'monthly_spend',
        problem: 'is not a number',
        got: '"lots"',
        expected: 'a finite number (number or numeric string)',
      },
      { field: 'email', problem: 'is required', got: 'undefined', expected: 'a string of at most 350 KB' },
    ]);
  });

  it('throws a RecordValidationError whose message names the contract and each field', () => {
    const c = churn();
    expect(() => c.parseRecord({ ...good, tenure_months: true, monthly_spend: Infinity })).toThrow(
      RecordValidationError,
    );
    try {
      c.parseRecord({ ...good, tenure_months: true, monthly_spend: Infinity });
    } catch (e) {
      expect((e as Error).message).toBe(
        [
          `${LABEL}: tenure_months: has the wrong type (got true; expected a 64-bit integer (number or decimal string))`,
          `${LABEL}: monthly_spend: is not finite (got Infinity; expected a finite number (number or numeric string))`,
        ].join('\n'),
      );
    }
  });

  it('rejects integers beyond 64 bits and non-objects', () => {
    const c = churn();
    const r = c.safeParseRecord({ ...good, tenure_months: '9223372036854775808' });
    expect(r.success === false && r.problems[0].problem).toBe('is out of the 64-bit integer range');
    const n = c.safeParseRecord([1, 2]);
    expect(n.success === false && n.problems[0].field).toBe('(record)');
  });

  it('lets optional features be absent or null', () => {
    const c = churn({}, [{ name: 'segment', type: 'String', description: 'x', required: false }]);
    expect(c.parseRecord({ ...good, segment: null })).not.toHaveProperty('segment');
  });

  it('writes to the deployed group names when given them', () => {
    const names = {
      featureGroupName: 'marketing-customer-churn-v1-abc123',
      restrictedFeatureGroupName: 'marketing-customer-churn-restricted-v1-abc123',
    };
    expect(
      churn()
        .toPutRecordInputs(good, names)
        .map((i) => i.FeatureGroupName),
    ).toEqual(Object.values(names));
  });

  it('splits a record into PutRecord inputs for both groups', () => {
    expect(churn().toPutRecordInputs(good)).toEqual([
      {
        FeatureGroupName: 'marketing-customer-churn-v1',
        Record: [
          { FeatureName: 'customer_id', ValueAsString: 'c-1' },
          { FeatureName: 'event_time', ValueAsString: '2024-05-01T12:00:00Z' },
          { FeatureName: 'tenure_months', ValueAsString: '12' },
          { FeatureName: 'monthly_spend', ValueAsString: '42.5' },
        ],
      },
      {
        FeatureGroupName: 'marketing-customer-churn-restricted-v1',
        Record: [
          { FeatureName: 'customer_id', ValueAsString: 'c-1' },
          { FeatureName: 'event_time', ValueAsString: '2024-05-01T12:00:00Z' },
          { FeatureName: 'email', ValueAsString: 'a@example.com' },
        ],
      },
    ]);
  });

  it('checks Fractional event times as Unix seconds', () => {
    const spec = churnSpec();
    const c = FeatureContract.define({
      ...spec,
      features: spec.features.map((f) =>
        f.name === 'event_time' ? { ...f, type: 'Fractional' as const } : f,
      ),
    });
    expect(c.parseRecord({ ...good, event_time: 1714564800.5 }).event_time).toBe(1714564800.5);
    const r = c.safeParseRecord({ ...good, event_time: -1 });
    expect(r.success === false && r.problems[0]).toMatchObject({
      field: 'event_time',
      problem: 'is before the Unix epoch',
    });
  });
});

describe('FeatureContract versioning', () => {
  const base = churnSpec();
  const v = (
    version: string,
    features: readonly FeatureSpec[] = base.features,
    extra: Partial<FeatureContractSpec> = {},
  ) => FeatureContract.define({ ...base, ...extra, version, features });

  // data-classification is a create-only tag of AWS::SageMaker::FeatureGroup: a new value needs new groups.
  it('needs a major bump to change the classification', () => {
    const r = FeatureContract.compare(churn(), churn({ version: '1.1.0', classification: 'confidential' }));
    expect(r).toMatchObject({ requiredBump: 'major', actualBump: 'minor', ok: false });
    expect(r.changes).toEqual([
      { field: 'classification', change: 'changed from internal to confidential', bump: 'major' },
    ]);
  });

  it('needs a minor bump to add an optional feature and keeps the group name', () => {
    const next = v('1.1.0', [
      ...base.features,
      { name: 'segment', type: 'String', description: 'x', required: false },
    ]);
    const r = FeatureContract.assertEvolution(v('1.0.0'), next);
    expect(r).toMatchObject({ requiredBump: 'minor', actualBump: 'minor', ok: true });
    expect(next.featureGroupName).toBe('marketing-customer-churn-v1');
  });

  it('needs a major bump to remove a feature, and a major version gets a new group name', () => {
    const next = v(
      '2.0.0',
      base.features.filter((f) => f.name !== 'monthly_spend'),
    );
    expect(FeatureContract.compare(v('1.0.0'), next)).toMatchObject({
      requiredBump: 'major',
      ok: true,
      changes: [{ field: 'monthly_spend', change: 'removed', bump: 'major' }],
    });
    expect(next.featureGroupName).toBe('marketing-customer-churn-v2');
  });

  it.each([
    [
      'retyping',
      base.features.map((f) => (f.name === 'tenure_months' ? { ...f, type: 'Fractional' as const } : f)),
      'type changed from Integral to Fractional',
    ],
    [
      'adding a required feature',
      [...base.features, { name: 'plan', type: 'String' as const, description: 'x' }],
      'added as a required feature',
    ],
    [
      'moving a feature into the restricted group',
      base.features.map((f) => (f.name === 'tenure_months' ? { ...f, pii: 'sensitive' as const } : f)),
      'moved into the restricted feature group',
    ],
  ])('refuses an under-bumped version when %s', (_what, features, change) => {
    const e = (() => {
      try {
        FeatureContract.assertEvolution(v('1.0.0'), v('1.1.0', features));
      } catch (err) {
        return err as PropsValidationError;
      }
      throw new Error('expected an error');
    })();
    expect(e).toBeInstanceOf(PropsValidationError);
    expect(e.message).toContain('FeatureContract marketing/customer-churn@1.1.0: version (');
    expect(e.message).toContain(change);
    expect(e.message).toContain(
      'needs a major version (got 1.1.0; expected a major bump from 1.0.0 (2.0.0 or higher))',
    );
  });

  it('needs only a patch for descriptions, owners and pii to sensitive', () => {
    const features = base.features.map((f) =>
      f.name === 'email' ? { ...f, pii: 'sensitive' as const, description: 'new' } : f,
    );
    expect(FeatureContract.compare(v('1.0.0'), v('1.0.1', features, { owner: 'other' }))).toMatchObject({
      requiredBump: 'patch',
      ok: true,
    });
    expect(FeatureContract.compare(v('1.0.0'), v('1.0.0', features)).ok).toBe(false);
  });

  it('needs nothing for identical contracts and refuses a lower version', () => {
    expect(FeatureContract.compare(v('1.0.0'), v('1.0.0'))).toMatchObject({
      requiredBump: 'none',
      actualBump: 'none',
      ok: true,
    });
    expect(() => FeatureContract.assertEvolution(v('1.2.0'), v('1.1.0'))).toThrow(
      /version: is lower than the previous version \(got 1\.1\.0; expected >= 1\.2\.0\)/,
    );
  });

  it('refuses to compare different contracts', () => {
    expect(() => FeatureContract.compare(v('1.0.0'), v('1.0.0', base.features, { name: 'other' }))).toThrow(
      /is not a version of/,
    );
  });
});

describe('FeatureContract properties', () => {
  const featureName = fc
    .stringMatching(/^[a-z][a-z0-9]{0,10}(_[a-z0-9]{1,8}){0,2}$/)
    .filter((n) => !RESERVED_FEATURE_NAMES.includes(n));
  const contractArb = fc
    .record({
      names: fc.uniqueArray(featureName, { minLength: 2, maxLength: 12 }),
      types: fc.array(fc.constantFrom(...FEATURE_TYPES), { minLength: 12, maxLength: 12 }),
      pii: fc.array(fc.constantFrom('none', 'pii', 'sensitive' as const), { minLength: 12, maxLength: 12 }),
      required: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
      idType: fc.constantFrom('String', 'Integral' as const),
      etType: fc.constantFrom('String', 'Fractional' as const),
    })
    .map(({ names, types, pii, required, idType, etType }) => {
      const features: FeatureSpec[] = names.map((name, i) => ({
        name,
        type: i === 0 ? idType : i === 1 ? etType : types[i],
        description: `feature ${name}`,
        pii: i < 2 ? 'none' : pii[i],
        required: i < 2 ? true : required[i],
      }));
      return FeatureContract.define({
        ...churnSpec(),
        recordIdentifier: names[0],
        eventTime: names[1],
        features,
      });
    });

  it('renders definitions SageMaker accepts for every valid contract', () => {
    fc.assert(
      fc.property(contractArb, (c) => {
        for (const group of ['standard', 'restricted'] as const) {
          const defs = c.featureDefinitions(group);
          const names = defs.map((d) => d.featureName);
          expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(names.length);
          expect(names).toContain(c.recordIdentifier);
          expect(names).toContain(c.eventTime);
          for (const d of defs) {
            expect(d.featureName).toMatch(/^[a-zA-Z0-9]([-_]*[a-zA-Z0-9]){0,63}$/);
            expect(d.featureName).toMatch(FEATURE_NAME_PATTERN);
            expect(FEATURE_TYPES).toContain(d.featureType);
            expect(['is_deleted', 'write_time', 'api_invocation_time']).not.toContain(d.featureName);
          }
        }
        expect(c.featureGroupName).toMatch(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,63}$/);
        expect(c.restrictedFeatureGroupName.length).toBeLessThanOrEqual(64);
      }),
      { numRuns: 150 },
    );
  });

  it('either parses a random record or lists exactly the failing fields', () => {
    const value = fc.oneof(
      fc.integer(),
      fc.double(),
      fc.string({ maxLength: 8 }),
      fc.constant(null),
      fc.constant(undefined),
      fc.boolean(),
      fc.constant('2024-05-01T12:00:00Z'),
    );
    fc.assert(
      fc.property(
        contractArb,
        fc.array(value, { minLength: 12, maxLength: 12 }),
        fc.boolean(),
        (c, values, addUnknown) => {
          const record: Record<string, unknown> = {};
          c.features.forEach((f, i) => {
            if (values[i] !== undefined) record[f.name] = values[i];
          });
          if (addUnknown) record.zz_not_declared = 1;
          const result = c.safeParseRecord(record);
          if (result.success) {
            expect(addUnknown).toBe(false);
            for (const f of c.features) if (f.required) expect(result.data[f.name]).toBeDefined();
            return;
          }
          const fields = result.problems.map((p) => p.field);
          expect(new Set(fields).size).toBe(fields.length);
          for (const field of fields)
            expect([...c.features.map((f) => f.name), 'zz_not_declared']).toContain(field);
          if (addUnknown) expect(fields).toContain('zz_not_declared');
          // Every field that is not reported passes the contract on its own.
          const reported = new Set(fields);
          const passing = Object.fromEntries(Object.entries(record).filter(([k]) => !reported.has(k)));
          const missing = c.features.filter((f) => reported.has(f.name) || passing[f.name] === undefined);
          const again = c.safeParseRecord(passing);
          if (!again.success)
            for (const p of again.problems) expect(missing.map((f) => f.name)).toContain(p.field);
        },
      ),
      { numRuns: 300 },
    );
  });
});
