import { CfnResource } from 'aws-cdk-lib';
import { NagPack, NagPackProps, NagRuleResult } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { DEFAULT_REQUIRED_TAGS } from '../shared/tags';
import { MLOpsRule, MLOpsRuleConfig } from './rule';
import { MLOPS_RULES } from './rules';

/** Props for {@link MLOpsChecks}. */
export interface MLOpsChecksProps extends NagPackProps {
  /**
   * Tag keys every SageMaker resource must carry (`MLOps-SageMakerRequiredTags`).
   * @default DEFAULT_REQUIRED_TAGS
   */
  readonly requiredTagKeys?: readonly string[];
  /**
   * The day acknowledgments are judged against, `YYYY-MM-DD`.
   * @default - today (UTC)
   */
  readonly today?: string;
}

/** A rule bound to the pack's config once, named so cdk-nag derives the rule id from it. */
interface BoundRule {
  readonly rule: MLOpsRule;
  readonly check: (node: CfnResource) => NagRuleResult;
}

/** Whether a rule's `resourceTypes` admit a CloudFormation type. */
function appliesTo(rule: MLOpsRule, type: string): boolean {
  if (!rule.resourceTypes) return true;
  return rule.resourceTypes.some((t) => (t.endsWith('*') ? type.startsWith(t.slice(0, -1)) : t === type));
}

/**
 * The MLOps pack: machine-learning rules no public pack has (models, endpoint configs and
 * endpoints, feature groups, pipelines and the training jobs inside them, Studio, notebooks,
 * processing and monitoring jobs, execution roles, tags), plus findings for acknowledgments that
 * have expired or lack an owner or a reason.
 *
 * Register it like any cdk-nag v3 pack: `Validations.of(app).addPlugins(new MLOpsChecks())`.
 * The rules and the NIST 800-53 r5 controls they serve are listed in `lib/policy/README.md`.
 */
export class MLOpsChecks extends NagPack {
  /** Plugin name, rule-id prefix and acknowledgment namespace (`MLOps::`). */
  public readonly name = 'MLOps';
  /** Pack version, reported in the validation report. */
  public override readonly version = '0.1.0';
  /** Every rule id this pack can report. */
  public override readonly ruleIds: string[] = MLOPS_RULES.map((r) => `MLOps-${r.name}`);
  private readonly bound: readonly BoundRule[];
  /** Rules per CloudFormation type, computed on first sight of each type. */
  private readonly byType = new Map<string, readonly BoundRule[]>();

  constructor(scope?: IConstruct, props: MLOpsChecksProps = {}) {
    super(scope, props);
    this.packName = 'MLOps';
    const config: MLOpsRuleConfig = {
      requiredTagKeys: props.requiredTagKeys ?? DEFAULT_REQUIRED_TAGS,
      today: props.today ?? new Date().toISOString().slice(0, 10),
    };
    // Bind once: cdk-nag names the finding after the function's `name`, so each closure carries the rule's name.
    this.bound = MLOPS_RULES.map((rule) => ({
      rule,
      check: Object.defineProperty((n: CfnResource) => rule.check(n, config), 'name', { value: rule.name }),
    }));
  }

  protected checkResource(node: CfnResource): void {
    const type = node.cfnResourceType;
    let rules = this.byType.get(type);
    if (!rules) {
      rules = this.bound.filter((b) => appliesTo(b.rule, type));
      this.byType.set(type, rules);
    }
    for (const { rule, check } of rules) {
      this.applyRule({
        info: rule.info,
        explanation: rule.explanation,
        level: rule.level,
        rule: check,
        node,
      });
    }
  }
}
