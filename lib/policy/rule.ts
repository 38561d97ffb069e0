import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleResult } from 'cdk-nag';

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
