// The ingestion side of a FeatureContract: checking one record against it and the PutRecord
// shapes. No aws-cdk-lib here, directly or through an import (`compliant-mlops/contracts`).
import { describePlainValue as describeValue } from '../core/problems';
import type { ContractFeature } from './contract-schema';

/** What {@link checkRecord} needs of a contract. */
interface RecordSchema {
  readonly recordIdentifier: string;
  readonly eventTime: string;
  readonly features: readonly ContractFeature[];
  feature(name: string): ContractFeature | undefined;
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

/** The outcome of `FeatureContract.safeParseRecord`. */
export type RecordParseResult =
  | { readonly success: true; readonly data: ParsedRecord }
  | { readonly success: false; readonly problems: readonly RecordProblem[] };

/** One `PutRecord` request body, ready for `new PutRecordCommand(input)` of `@aws-sdk/client-sagemaker-featurestore-runtime`. */
export interface PutRecordInput {
  readonly FeatureGroupName: string;
  readonly Record: readonly { readonly FeatureName: string; readonly ValueAsString: string }[];
}

/**
 * The deployed group names `FeatureContract.toPutRecordInputs` writes to. A `SecureFeatureGroup`
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

/** Thrown by `FeatureContract.parseRecord`: names every failing field, one per line. */
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

/**
 * Checks a record against a contract: the normalized record, or every failing field (a record with
 * any failing field is rejected whole).
 * @internal
 */
export function checkRecord(contract: RecordSchema, record: unknown): RecordParseResult {
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
    if (contract.feature(key) === undefined) {
      problems.push({
        field: key,
        problem: 'is not a feature of the contract',
        got: describeValue(input[key]),
        expected: 'only declared features',
      });
    }
  }
  for (const f of contract.features) {
    const value = input[f.name];
    if (value === undefined || value === null) {
      if (f.required)
        problems.push({
          field: f.name,
          problem: 'is required',
          got: describeValue(value),
          expected: expectedFor(f, contract),
        });
      continue;
    }
    const parsed = parseValue(f, value, f.name === contract.eventTime, f.name === contract.recordIdentifier);
    if (typeof parsed === 'object')
      problems.push({
        field: f.name,
        ...parsed,
        got: describeValue(value),
        expected: expectedFor(f, contract),
      });
    else out[f.name] = parsed;
  }
  if (problems.length > 0) return { success: false, problems };
  return { success: true, data: Object.freeze(out) };
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const INTEGER_TEXT = /^-?\d+$/;
const DECIMAL_TEXT = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
/** The two event time formats Feature Store accepts for `String` event times. */
const ISO_EVENT_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;
/** Feature Store limits a String value to 350 KB. */
const MAX_STRING_BYTES = 350 * 1024;

function expectedFor(f: ContractFeature, c: RecordSchema): string {
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
