import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { Described, explore, resourceExists, ScenarioRun, simplify } from './rule-helpers/evaluation';

/** Settings the MLOps rules read; set through {@link MLOpsChecksProps}. */
export interface MLOpsRuleConfig {
  /** Tag keys every SageMaker resource must carry. */
  readonly requiredTagKeys: readonly string[];
  /** The date acknowledgments are judged against (ISO `YYYY-MM-DD`). */
  readonly today: string;
}

/**
 * One MLOps rule: what it checks, why it matters, and the controls it serves.
 * The rule id is `MLOps-<name>`; names are stable and never reused.
 */
export interface MLOpsRule {
  /** Stable name; the rule id is `MLOps-<name>`. */
  readonly name: string;
  /** One line saying what is wrong when the rule fires. */
  readonly info: string;
  /** The risk, and how to fix it. */
  readonly explanation: string;
  /** ERROR or WARN (both fail synth under cdk-nag v3). */
  readonly level: NagMessageLevel;
  /** NIST 800-53 r5 controls the rule serves, e.g. `SC-7`. */
  readonly nist: readonly string[];
  /** GitHub code-scanning `security-severity` (0.1–10.0). */
  readonly securitySeverity: number;
  /**
   * CloudFormation resource types the rule can apply to; a trailing `*` matches a prefix
   * (`AWS::SageMaker::*`). The pack skips the rule for every other type without calling it,
   * which keeps `compliant-mlops check` fast on templates with thousands of resources.
   * @default - every resource type
   */
  readonly resourceTypes?: readonly string[];
  /** The check: COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE, or a list of granular findings. */
  check(node: CfnResource, config: MLOpsRuleConfig): NagRuleResult;
}

/** One thing a rule reports on one resource, with the message it carries. */
export interface RuleReport {
  /** The granular part (`KmsKeyId`), or `undefined` for the rule's own id. */
  readonly granular?: string;
  /** Set when the rule could not judge the resource (it threw in the scenarios the message names). */
  readonly error?: Error;
  /** The finding's message: the rule's info line, qualified by the scenarios where it holds. */
  readonly message: string;
}

/**
 * Rules that still run once, on the template as written (an intrinsic they must judge makes them
 * throw): the IAM rules belong to another area, whose tests pin that behaviour; remove a name here
 * when its tests expect each branch to be judged.
 */
const SINGLE_RUN: ReadonlySet<string> = new Set([
  'SageMakerExecutionRoleNoFullAccess',
  'IAMWildcardResourceOnlyForUnscopableActions',
]);

/** At most this many scenarios are named in one message; the rest are counted. */
const NAMED_SCENARIOS = 3;

/**
 * Runs a rule over a resource in every scenario the template admits (see `explore` in
 * rule-helpers/evaluation.ts: each branch of a condition, each value a parameter allows) and
 * merges the results: a finding that holds in every scenario carries the rule's message as is;
 * one that holds only in some is qualified, `when condition IsProd is false: <info>`, so the
 * reader knows which branch or value to fix. A scenario where the rule throws is reported with
 * the reason, `Rule threw an error during validation. <why>`; each resource gets its own message.
 *
 * @param text the rule's message (its info line, or info and explanation in verbose mode)
 */
export function evaluateRule(
  rule: MLOpsRule,
  node: CfnResource,
  config: MLOpsRuleConfig,
  text: string,
): RuleReport[] {
  const runs = SINGLE_RUN.has(rule.name)
    ? runOnce(() => rule.check(node, config))
    : // A resource with a Condition is judged only in the scenarios where it is created.
      explore(() => (resourceExists(node) ? rule.check(node, config) : NagRuleCompliance.NOT_APPLICABLE));
  const found = new Map<string, Described[]>();
  const failed: { choices: Described; error: Error }[] = [];
  const add = (key: string, choices: Described) => found.set(key, [...(found.get(key) ?? []), choices]);
  for (const { choices, outcome } of runs) {
    if ('error' in outcome) failed.push({ choices, error: outcome.error });
    else if (outcome.result === NagRuleCompliance.NON_COMPLIANT) add('', choices);
    else if (Array.isArray(outcome.result)) for (const f of new Set(outcome.result)) add(`[${f}]`, choices);
  }
  const all = runs.map((r) => r.choices);
  const when = (subset: readonly Described[]): string => {
    const scenarios = simplify(subset, all);
    if (scenarios.some((c) => c.length === 0)) return '';
    const named = scenarios.slice(0, NAMED_SCENARIOS).map((c) => c.map(([, label]) => label).join(' and '));
    const more = scenarios.length - named.length;
    return `when ${named.join(', or when ')}${more > 0 ? ` (and ${more} more cases)` : ''}: `;
  };
  const cannotJudge =
    failed.length > 0 ? `${when(failed.map((f) => f.choices))}${failed[0].error.message}` : undefined;
  const reports: RuleReport[] = [];
  for (const [key, scenarios] of found) {
    const granular = key === '' ? undefined : key.slice(1, -1);
    let message = `${when(scenarios)}${text}`;
    // The rule's own id carries both a finding and a failure to judge: one message says both.
    if (granular === undefined && cannotJudge)
      message += ` The rule cannot judge the other cases: ${cannotJudge}`;
    reports.push({ ...(granular !== undefined ? { granular } : {}), message });
  }
  if (cannotJudge && !found.has('')) {
    reports.push({
      error: failed[0].error,
      message: `Rule threw an error during validation. ${cannotJudge.charAt(0).toUpperCase()}${cannotJudge.slice(1)}`,
    });
  }
  return reports;
}

function runOnce(run: () => NagRuleResult): ScenarioRun<NagRuleResult>[] {
  try {
    return [{ choices: [], outcome: { result: run() } }];
  } catch (e) {
    return [{ choices: [], outcome: { error: e instanceof Error ? e : new Error(String(e)) } }];
  }
}
