import type { CfnTemplate } from '../check/inputs';
import { checkTemplateObjects } from '../check/templates';
import { levelOf } from '../check/rule-catalog';
import { MLOPS_RULES } from '../policy/rules';
import { Finding, RuleInfo } from '../report/finding';
import {
  CfnShape,
  domainShape,
  endpointConfigShape,
  modelShape,
  NOT_READ_CONDITION,
  NOT_READ_PARAMETER,
  appImageConfigShape,
  imageShape,
  imageVersionShape,
  inferenceExperimentShape,
  notebookLifecycleConfigShape,
  notebookShape,
  studioLifecycleConfigShape,
  trainingJobShape,
} from './cfn-shape';
import { SageMakerInventory } from './inventory';
import { mapLimited } from './limit';

/** The check groups whose resources are judged by the synth-time rules, not by audit code. */
export type LiveRuleGroup =
  | 'models'
  | 'endpoint-configs'
  | 'notebooks'
  | 'lifecycle-configs'
  | 'studio-lifecycle-configs'
  | 'domains'
  | 'images'
  | 'app-image-configs'
  | 'image-versions'
  | 'inference-experiments'
  | 'training-jobs';

/** One group: what to describe, how to shape it, which packs to run and which of their rules to report. */
interface LiveRuleSet {
  readonly describe: (inventory: SageMakerInventory) => Promise<CfnShape[]>;
  readonly packs: readonly string[];
  /** The rule ids the audit reports for this group; every other rule of the packs is ignored. */
  readonly ruleIds: readonly string[];
}

/**
 * The rules the audit runs on live resources, per group. The same rule objects run at synth (the
 * MLOps pack) and in `check`; the audit only maps Describe responses onto CloudFormation
 * properties. Rules left out, and why:
 * - `MLOps-SageMakerRequiredTags` on other types than images and app image configs: Describe*
 *   does not return tags; those two groups read them with ListTags (one more call per resource),
 *   for the tag controls of Security Hub (SageMaker.6, .7) and Config. Domains, feature groups and
 *   the rest are not tag-checked live (see `notLive` in lib/policy/anchor-mapping.ts).
 * Every rule is an MLOps rule: each throws on the unresolvable marker of a member the describe did
 * not return, so an unread member is "not checked", never a pass. (cdk-nag's own rules count any
 * value, an intrinsic too, as set, which is why the notebook checks are the pack's own
 * `SageMakerNotebookKMS`, `-Vpc` and `-NoDirectInternet`, not `AwsSolutions-SM1/SM2/SM3`.)
 */
export const LIVE_RULES: Readonly<Record<LiveRuleGroup, LiveRuleSet>> = {
  models: {
    describe: async (inv) => (await inv.models()).map(modelShape),
    packs: ['MLOps'],
    ruleIds: [
      'MLOps-SageMakerModelNetworkIsolation',
      'MLOps-SageMakerModelVpcConfig',
      'MLOps-SageMakerModelImageDigest',
      'MLOps-SageMakerModelPrivateRegistry',
    ],
  },
  'endpoint-configs': {
    describe: async (inv) => (await inv.endpointConfigs()).map(endpointConfigShape),
    packs: ['MLOps'],
    ruleIds: [
      'MLOps-SageMakerEndpointConfigKMS',
      'MLOps-SageMakerEndpointConfigDataCapture',
      'MLOps-SageMakerEndpointConfigInstanceCount',
      'MLOps-SageMakerEndpointConfigAsyncOutputKMS',
      'MLOps-SageMakerVolumeKmsOnInstanceStorage',
    ],
  },
  notebooks: {
    describe: async (inv) => (await inv.notebooks()).map(notebookShape),
    packs: ['MLOps'],
    ruleIds: [
      'MLOps-SageMakerNotebookRootAccessDisabled',
      'MLOps-SageMakerNotebookIMDSv2',
      'MLOps-SageMakerNotebookLifecycleConfig',
      'MLOps-SageMakerNotebookKMS',
      'MLOps-SageMakerNotebookVpc',
      'MLOps-SageMakerNotebookNoDirectInternet',
      'MLOps-SageMakerNotebookPlatformIdentifier',
    ],
  },
  // Every notebook lifecycle configuration, attached or not: its scripts run as root on the
  // notebooks that use it and are readable by anyone who may describe it.
  'lifecycle-configs': {
    describe: async (inv) => (await inv.notebookLifecycleConfigs()).map(notebookLifecycleConfigShape),
    packs: ['MLOps'],
    ruleIds: ['MLOps-SageMakerLifecycleConfigNoSecrets'],
  },
  'studio-lifecycle-configs': {
    describe: async (inv) => (await inv.studioLifecycleConfigs()).map(studioLifecycleConfigShape),
    packs: ['MLOps'],
    ruleIds: ['MLOps-SageMakerLifecycleConfigNoSecrets'],
  },
  images: {
    describe: async (inv) =>
      mapLimited(inv.limit, await inv.images(), async (i) =>
        imageShape(i, i.ImageArn ? await inv.tags(i.ImageArn) : undefined),
      ),
    packs: ['MLOps'],
    ruleIds: ['MLOps-SageMakerImageDescription', 'MLOps-SageMakerRequiredTags'],
  },
  'app-image-configs': {
    describe: async (inv) => (await inv.appImageConfigs()).map((a) => appImageConfigShape(a.config, a.tags)),
    packs: ['MLOps'],
    ruleIds: ['MLOps-SageMakerRequiredTags'],
  },
  'image-versions': {
    describe: async (inv) =>
      (await inv.imageVersions()).map((v) => imageVersionShape(v.imageName, v.version)),
    packs: ['MLOps'],
    ruleIds: ['MLOps-SageMakerModelImageDigest'],
  },
  'inference-experiments': {
    describe: async (inv) => (await inv.inferenceExperiments()).map(inferenceExperimentShape),
    packs: ['MLOps'],
    ruleIds: ['MLOps-SageMakerInferenceExperimentKMS'],
  },
  domains: {
    describe: async (inv) => (await inv.domains()).map(domainShape),
    packs: ['MLOps'],
    ruleIds: [
      'MLOps-SageMakerStudioDomainVpcOnly',
      'MLOps-SageMakerStudioDomainIdleShutdown',
      'MLOps-SageMakerStudioDomainKMS',
      'MLOps-SageMakerStudioDomainSsoAuth',
    ],
  },
  // Training jobs run as the Training step of a synthetic pipeline (see trainingJobShape): the
  // pipeline rules cover Prowler's training checks (network isolation, VPC, volume and output
  // key with the NVMe exception, inter-container encryption) and spot checkpoints. Spot use and
  // savings stay audit-only (Audit-TrainingJobManagedSpot, -SpotSavings).
  'training-jobs': {
    describe: async (inv) => (await inv.trainingJobs()).map(trainingJobShape),
    packs: ['MLOps'],
    ruleIds: ['MLOps-SageMakerPipelineTrainingStep', 'MLOps-SageMakerPipelineTrainingSpotCheckpoints'],
  },
};

/** cdk-nag's description of a rule that threw (an unresolvable value): the rule could not judge. */
const RULE_THREW = 'Rule threw an error during validation';

/** What the live rules found on a group's resources. */
export interface LiveRuleOutcome {
  readonly findings: Finding[];
  /** One line per resource and rule that could not be judged (a field not returned). */
  readonly problems: string[];
  /** Descriptors of the rules that reported. */
  readonly rules: RuleInfo[];
}

/** The synthetic template of a group: one resource per live resource, logical ids `R0`, `R1`, ... */
export function syntheticTemplate(shapes: readonly CfnShape[]): CfnTemplate {
  return {
    Description: 'compliant-mlops audit: live resources mapped onto CloudFormation properties',
    // Fields the describe did not return are Fn::If on this condition, absent or this unknown
    // parameter: see NOT_READ. Neither is decidable, so the pack judges both branches.
    Parameters: { [NOT_READ_PARAMETER]: { Type: 'String' } },
    Conditions: { [NOT_READ_CONDITION]: { 'Fn::Equals': [{ Ref: NOT_READ_PARAMETER }, 'returned'] } },
    Resources: Object.fromEntries(
      shapes.map((s, i) => [`R${i}`, { Type: s.type, Properties: s.properties }]),
    ),
  };
}

/**
 * Runs the group's rules over live resources already shaped as CloudFormation, through the
 * checker (`checkTemplateObjects`, the code path of `compliant-mlops check`), and reports each
 * finding on the resource's ARN. A rule that cannot judge a resource because a field was not
 * returned is a problem ("not checked"), never a pass and never a finding.
 * @param location the account and region, `Finding.stack`
 */
export function judgeShapes(
  group: LiveRuleGroup,
  shapes: readonly CfnShape[],
  location: string,
): LiveRuleOutcome {
  const set = LIVE_RULES[group];
  if (shapes.length === 0) return { findings: [], problems: [], rules: [] };
  const report = checkTemplateObjects([{ name: 'audit', template: syntheticTemplate(shapes) }], {
    packs: set.packs,
  });
  if (report.errors.length > 0) {
    throw new Error(
      `the live resources could not be checked: ${report.errors.map((e) => e.message).join('; ')}`,
    );
  }
  const wanted = new Set(set.ruleIds);
  const findings: Finding[] = [];
  const problems: string[] = [];
  for (const f of report.findings) {
    if (!wanted.has(f.ruleId)) continue;
    const shape = shapes[Number((f.logicalId ?? '').slice(1))];
    if (!shape) continue;
    // Thrown, or a verdict that hangs on the unread value (named by its condition): not judged.
    if (f.message.startsWith(RULE_THREW) || f.message.includes(NOT_READ_CONDITION)) {
      const fields = shape.notRead.length > 0 ? shape.notRead.join(', ') : 'a field it reads';
      problems.push(
        `${shape.location}: ${f.ruleId} not checked (${fields} not returned by the describe call)`,
      );
      continue;
    }
    findings.push({
      ruleId: f.ruleId,
      findingId: f.findingId,
      ...(f.granular !== undefined ? { granular: f.granular } : {}),
      level: f.level,
      pack: group,
      message: f.message,
      ...(f.explanation !== undefined ? { explanation: f.explanation } : {}),
      stack: location,
      logicalId: shape.location,
      resourceType: shape.resourceType ?? shape.type,
    });
  }
  const rules = report.rules
    .filter((r) => wanted.has(r.id) && findings.some((f) => f.ruleId === r.id))
    .map((r) => ({ ...r, pack: group }));
  return { findings, problems, rules };
}

/** Descriptors of every MLOps rule a group reports, listed whether or not it fired. */
export function liveRuleDescriptors(group: LiveRuleGroup): RuleInfo[] {
  return LIVE_RULES[group].ruleIds.flatMap((id) => {
    const rule = MLOPS_RULES.find((r) => `MLOps-${r.name}` === id);
    if (!rule) return [];
    return [
      {
        id,
        pack: group,
        info: rule.info,
        explanation: rule.explanation,
        level: levelOf(rule.level),
        nist: rule.nist,
        securitySeverity: rule.securitySeverity,
      },
    ];
  });
}
