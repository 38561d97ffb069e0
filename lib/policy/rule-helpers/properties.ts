import { isIntrinsic, isNoValue, isObject, UnresolvableError } from './intrinsics';

// Reading fields of resolved L1 properties: a level that is an intrinsic throws, never passes.

/**
 * Reads a nested field of a resolved value. Missing levels give `undefined`; a level that is an
 * intrinsic (e.g. `Fn::If` for a whole struct) throws, because what lies inside is unknown.
 */
export function field(value: unknown, what: string, ...path: readonly (string | number)[]): unknown {
  let current = value;
  const walked: (string | number)[] = [];
  for (const key of path) {
    if (current === undefined || current === null || isNoValue(current)) return undefined;
    if (isIntrinsic(current)) throw new UnresolvableError([what, ...walked].join('.'), current);
    if (typeof current !== 'object') return undefined;
    const record = current as Record<string | number, unknown>;
    // L1 structs are camelCase; a branch of an `Fn::If` kept from a template is CloudFormation's PascalCase.
    current =
      record[key] ??
      (typeof key === 'string' ? record[key.charAt(0).toUpperCase() + key.slice(1)] : undefined);
    walked.push(key);
  }
  return isNoValue(current) ? undefined : current;
}

/**
 * Whether a value is set: a non-empty string or list, an object, or an intrinsic that yields a
 * value (`Ref`, `Fn::GetAtt`, `Fn::Join`, ...). `Fn::If` may yield `AWS::NoValue`, so it throws.
 */
export function isSet(value: unknown, what: string): boolean {
  if (value === undefined || value === null || isNoValue(value)) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.length > 0;
  if (isObject(value) && 'Fn::If' in value) throw new UnresolvableError(what, value);
  return true;
}

/** A literal scalar, or `undefined` when absent; throws for an intrinsic. */
export function literal(value: unknown, what: string): string | number | boolean | undefined {
  if (value === undefined || value === null || isNoValue(value)) return undefined;
  if (typeof value === 'object') throw new UnresolvableError(what, value);
  return value as string | number | boolean;
}

/** Whether a value is literally `true` (or the string `"true"`, as templates sometimes write it). */
export function isTrue(value: unknown, what: string): boolean {
  const v = literal(value, what);
  return v === true || v === 'true';
}

/** A resolved list; `undefined` gives `[]`; a list-valued intrinsic throws. */
export function list(value: unknown, what: string): unknown[] {
  if (value === undefined || value === null || isNoValue(value)) return [];
  if (Array.isArray(value)) return value;
  throw new UnresolvableError(what, value);
}
