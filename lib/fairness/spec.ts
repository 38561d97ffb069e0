import { isMissing, toCategory, toNumber, type RawCell } from '../drift/values';
import { BiasInputError } from './errors';

/** A comparison of a numeric cell with a constant. */
export type ThresholdOperator = '>=' | '>' | '<=' | '<';

/**
 * Which cells of a column are "in": equal to a value (`=female`, `=1`) or past a numeric threshold
 * (`:>=40`). Used for the positive label, the positive prediction and the sensitive facet value.
 */
export type CellCondition =
  | { readonly kind: 'equals'; readonly value: string }
  | { readonly kind: 'threshold'; readonly operator: ThresholdOperator; readonly threshold: number };

/** A column and the condition that selects the positive outcome (label or prediction). */
export interface OutcomeSpec {
  /** Column name. */
  readonly column: string;
  /** Which cells are the positive outcome (value 1 in Clarify's notation). */
  readonly positive: CellCondition;
}

/**
 * A facet: a column and either the condition selecting the sensitive group (facet d, Clarify's
 * `facet_values_or_threshold`) or `undefined` for "every value of the column, each in turn".
 */
export interface FacetSpec {
  /** Column name. */
  readonly column: string;
  /** The sensitive group; every other non-missing row is facet a. Undefined: each value in turn. */
  readonly sensitive?: CellCondition;
}

const OPERATORS: readonly ThresholdOperator[] = ['>=', '<=', '>', '<'];

/**
 * Parses `column`, `column=value` or `column:<op><number>` (op one of `>=`, `>`, `<=`, `<`). The
 * first `=` or `:` ends the column name, so column names cannot contain either.
 * @param what what the spec is for, used in errors (`--label`, `--facet`)
 * @throws BiasInputError `badSpec` with the spec and the expected forms
 */
export function parseColumnSpec(spec: string, what: string): { column: string; condition?: CellCondition } {
  const bad = (problem: string): never => {
    throw new BiasInputError(
      'badSpec',
      `${what}: ${problem} (got ${JSON.stringify(spec)}; expected column, column=value or column:>=number)`,
    );
  };
  const eq = spec.indexOf('=');
  const colon = spec.indexOf(':');
  const cut = [eq, colon].filter((i) => i >= 0).sort((x, y) => x - y)[0];
  if (cut === undefined) {
    if (spec.trim() === '') bad('empty column name');
    return { column: spec.trim() };
  }
  const column = spec.slice(0, cut).trim();
  if (column === '') bad('empty column name');
  const rest = spec.slice(cut + 1);
  if (cut === eq) {
    const value = rest.trim();
    if (value === '') bad('empty value after =');
    return { column, condition: { kind: 'equals', value } };
  }
  const operator = OPERATORS.find((op) => rest.startsWith(op));
  if (operator === undefined) return bad('the threshold needs an operator >=, >, <= or <');
  const numberText = rest.slice(operator.length);
  const threshold = toNumber(numberText);
  if (Number.isNaN(threshold)) bad('the threshold is not a number');
  return { column, condition: { kind: 'threshold', operator, threshold } };
}

/** Parses a label or prediction spec; without a condition the positive outcome is the value `1`. */
export function parseOutcomeSpec(spec: string, what: string): OutcomeSpec {
  const { column, condition } = parseColumnSpec(spec, what);
  return { column, positive: condition ?? { kind: 'equals', value: '1' } };
}

/** Parses a facet spec: `gender=female`, `age:>=40`, or `gender` for each value in turn. */
export function parseFacetSpec(spec: string): FacetSpec {
  const { column, condition } = parseColumnSpec(spec, '--facet');
  return condition === undefined ? { column } : { column, sensitive: condition };
}

/** The spec written back, as a report names it (`age:>=40`, `gender=female`, `gender`). */
export function describeCondition(column: string, condition: CellCondition | undefined): string {
  if (condition === undefined) return column;
  return condition.kind === 'equals'
    ? `${column}=${condition.value}`
    : `${column}:${condition.operator}${condition.threshold}`;
}

/**
 * Whether a cell meets a condition: `missing` for an absent or blank cell, `invalid` for a
 * non-numeric cell under a threshold. `equals` compares category keys, and numbers numerically, so
 * `1`, `1.0` and JSON `1` all equal `=1`; JSON `true` equals `=true`.
 */
export function evaluateCondition(condition: CellCondition, cell: RawCell): boolean | 'missing' | 'invalid' {
  if (isMissing(cell)) return 'missing';
  if (condition.kind === 'threshold') {
    const x = toNumber(cell);
    if (Number.isNaN(x)) return 'invalid';
    switch (condition.operator) {
      case '>=':
        return x >= condition.threshold;
      case '>':
        return x > condition.threshold;
      case '<=':
        return x <= condition.threshold;
      case '<':
        return x < condition.threshold;
    }
  }
  if (toCategory(cell) === condition.value) return true;
  const x = toNumber(cell);
  const v = toNumber(condition.value);
  return !Number.isNaN(x) && !Number.isNaN(v) && x === v;
}
