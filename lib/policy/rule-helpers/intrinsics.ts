// Values as rules see them: CloudFormation JSON where intrinsics may remain, and the error a
// rule throws when an intrinsic hides what it must judge.

/** Stands in for an intrinsic inside a string rebuilt by {@link templateString} (a private-use character). */
export const PLACEHOLDER = '\uE000';

/** Thrown when a value the rule must judge is an intrinsic whose value is unknown at synth. */
export class UnresolvableError extends Error {
  constructor(what: string, value: unknown) {
    super(`${what} is ${short(value)}, which cannot be resolved at synth time, so the rule cannot judge it`);
    this.name = 'UnresolvableError';
  }
}

/** A value as short JSON text, for messages. */
export function short(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

/** A plain JSON object (not an array, not null). */
export type JsonObject = Record<string, unknown>;

/** Whether a value is a plain object. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether a resolved value is a CloudFormation intrinsic (`{Ref}`, `{Fn::*}`, `{Condition}`). */
export function isIntrinsic(value: unknown): boolean {
  if (!isObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Condition' || keys[0].startsWith('Fn::'));
}

/** `{Ref: AWS::NoValue}`: the property is removed. */
export function isNoValue(value: unknown): boolean {
  return isObject(value) && value.Ref === 'AWS::NoValue';
}
