import { CfnResource, PolicyValidationPluginReport, PolicyViolation } from 'aws-cdk-lib';
import { NagPack, NagPackProps, NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { DEFAULT_REQUIRED_TAGS } from '../shared/tags';
import { evaluateRule, MLOpsRule, MLOpsRuleConfig } from './rule';
import { resetEvaluation } from './rule-helpers/evaluation';
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

/** A rule of the pack. */
interface BoundRule {
  readonly rule: MLOpsRule;
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
  private readonly config: MLOpsRuleConfig;
  private readonly verboseMessages: boolean;
  /**
   * The message of each finding, by `<rule name>|<construct path>`. cdk-nag keeps one description
   * per rule name, the first resource's, for every resource it reports under that name; the pack
   * gives each resource its own (see {@link validateScope}).
   */
  private readonly messages = new Map<string, string>();
  /** Rules per CloudFormation type, computed on first sight of each type. */
  private readonly byType = new Map<string, readonly BoundRule[]>();

  constructor(scope?: IConstruct, props: MLOpsChecksProps = {}) {
    super(scope, props);
    this.packName = 'MLOps';
    this.verboseMessages = props.verbose ?? false;
    this.config = {
      requiredTagKeys: props.requiredTagKeys ?? DEFAULT_REQUIRED_TAGS,
      today: props.today ?? new Date().toISOString().slice(0, 10),
    };
    this.bound = MLOPS_RULES.map((rule) => ({ rule }));
  }

  /**
   * Validates a construct tree. Each finding carries its own message: cdk-nag groups findings by
   * rule name under the first one's description, so a resource that made a rule throw gave every
   * later finding of that rule its "Rule threw" text (and the other way round).
   */
  public override validateScope(scope: IConstruct): PolicyValidationPluginReport {
    this.messages.clear();
    resetEvaluation();
    const report = super.validateScope(scope);
    const violations: PolicyViolation[] = [];
    for (const v of report.violations) {
      const byMessage = new Map<string, PolicyViolation['violatingResources'][number][]>();
      for (const r of v.violatingResources) {
        const message = this.messages.get(`${v.ruleName}|${r.constructPath}`) ?? v.description;
        byMessage.set(message, [...(byMessage.get(message) ?? []), r]);
      }
      for (const [description, violatingResources] of byMessage)
        violations.push({ ...v, description, violatingResources });
    }
    return { ...report, violations };
  }

  protected checkResource(node: CfnResource): void {
    const type = node.cfnResourceType;
    let rules = this.byType.get(type);
    if (!rules) {
      rules = this.bound.filter((b) => appliesTo(b.rule, type));
      this.byType.set(type, rules);
    }
    for (const { rule } of rules) {
      const text = this.verboseMessages ? `${rule.info} ${rule.explanation}` : rule.info;
      for (const report of evaluateRule(rule, node, this.config, text)) {
        const ruleName = `MLOps-${rule.name}${report.granular !== undefined ? `[${report.granular}]` : ''}`;
        this.messages.set(`${ruleName}|${node.node.path}`, report.message);
        const result = (): NagRuleResult => {
          if (report.error) throw report.error;
          return report.granular !== undefined ? [report.granular] : NagRuleCompliance.NON_COMPLIANT;
        };
        // cdk-nag names the finding after the function's `name`.
        Object.defineProperty(result, 'name', { value: rule.name });
        this.applyRule({
          info: rule.info,
          explanation: rule.explanation,
          level: rule.level,
          rule: result,
          node,
        });
      }
    }
  }
}
