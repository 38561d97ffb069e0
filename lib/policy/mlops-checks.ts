import { CfnResource } from 'aws-cdk-lib';
import { NagPack, NagPackProps } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { DEFAULT_REQUIRED_TAGS } from '../../constructs/core/tags';
import { MLOpsRuleConfig } from './rule';
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

/**
 * The MLOps pack: machine-learning rules no public pack has (models, endpoint configs and
 * endpoints, feature groups, pipelines and the training jobs inside them, Studio, notebooks,
 * processing and monitoring jobs, execution roles, tags), plus findings for acknowledgments that
 * have expired or lack an owner or a reason.
 *
 * Register it like any cdk-nag v3 pack: `Validations.of(app).addPlugins(new MLOpsChecks())`.
 */
export class MLOpsChecks extends NagPack {
  /** Plugin name, rule-id prefix and acknowledgment namespace (`MLOps::`). */
  public readonly name = 'MLOps';
  /** Pack version, reported in the validation report. */
  public override readonly version = '0.1.0';
  /** Every rule id this pack can report. */
  public override readonly ruleIds: string[] = MLOPS_RULES.map((r) => `MLOps-${r.name}`);
  private readonly config: MLOpsRuleConfig;

  constructor(scope?: IConstruct, props: MLOpsChecksProps = {}) {
    super(scope, props);
    this.packName = 'MLOps';
    this.config = {
      requiredTagKeys: props.requiredTagKeys ?? DEFAULT_REQUIRED_TAGS,
      today: props.today ?? new Date().toISOString().slice(0, 10),
    };
  }

  protected checkResource(node: CfnResource): void {
    for (const rule of MLOPS_RULES) {
      const config = this.config;
      const check = Object.defineProperty((n: CfnResource) => rule.check(n, config), 'name', { value: rule.name });
      this.applyRule({ info: rule.info, explanation: rule.explanation, level: rule.level, rule: check, node });
    }
  }
}
