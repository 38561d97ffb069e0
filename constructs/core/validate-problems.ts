import { Duration, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { z } from 'zod';
import { describePlainValue, problemsFromIssues as problemsFromIssuesWith, PropsProblem } from './problems';

// The CDK-aware half of the problem format (problems.ts is CDK-free, shared with lib/): how a
// construct, a Duration or a token reads in an error message, and zod issues turned into problems.

/** Renders a value for an error message: short, and never the internals of a construct. */
export function describeValue(value: unknown): string {
  if (value === undefined || value === null) return describePlainValue(value);
  if (Construct.isConstruct(value)) return `construct ${value.node.path || '<root>'}`;
  if (value instanceof Duration) return value.toString();
  if (Token.isUnresolved(value)) return '<token>';
  return describePlainValue(value);
}

/** Turns zod issues into props problems, one per issue (unknown keys: one per key). */
export function problemsFromIssues(issues: readonly z.core.$ZodIssue[]): PropsProblem[] {
  return problemsFromIssuesWith(issues, describeValue);
}
