import { IApplyRule, NagMessageLevel, NagPack } from 'cdk-nag';
import { MLOPS_RULES } from '../policy/rules';
import { FindingLevel, RuleInfo } from '../report/finding';
import { ACK_RULE_IDS, MIN_REASON_LENGTH } from './acknowledgments';

/** Maps a cdk-nag level to a report level: INFO, which cdk-nag reports as a warning, becomes a note. */
export function levelOf(level: NagMessageLevel): FindingLevel {
  return level === NagMessageLevel.ERROR ? 'error' : level === NagMessageLevel.WARN ? 'warning' : 'note';
}

/** Descriptors of the findings the checker itself produces for acknowledgments that do not hold. */
const ACK_RULES: readonly RuleInfo[] = [
  {
    id: ACK_RULE_IDS.expired,
    pack: 'MLOps',
    info: 'An acknowledgment has expired.',
    explanation:
      'An accepted risk is reviewed by a date. Past it the acknowledgment no longer holds and the finding it covered fails again. Fix the finding, or review the decision and set a new expiry date.',
    level: 'error',
    nist: ['CA-5', 'CA-7', 'PM-4'],
    securitySeverity: 5.0,
  },
  {
    id: ACK_RULE_IDS.owner,
    pack: 'MLOps',
    info: 'An acknowledgment has no owner.',
    explanation:
      'Every accepted risk needs someone who answers for it. Without an owner the acknowledgment does not hold; add an owner (a team or a person).',
    level: 'error',
    nist: ['CA-5', 'PM-9'],
    securitySeverity: 5.0,
  },
  {
    id: ACK_RULE_IDS.reason,
    pack: 'MLOps',
    info: `An acknowledgment has a reason shorter than ${MIN_REASON_LENGTH} characters.`,
    explanation:
      'A reason records why the risk is accepted so that a reviewer can judge it later. A label such as "ok" or "legacy" does not; write what makes the finding acceptable here.',
    level: 'error',
    nist: ['CA-5'],
    securitySeverity: 5.0,
  },
];

interface RuleApplier {
  applyRule(params: IApplyRule): void;
}

/**
 * What each rule says about itself. cdk-nag reports only a violation's rule id and info line; the
 * explanation and the INFO/WARN distinction live in the `applyRule` call, so the catalog records
 * them there. The MLOps rules' own metadata (controls, security severity) takes precedence.
 */
export class RuleCatalog {
  private readonly captured = new Map<string, RuleInfo>();
  private readonly mlops = new Map<string, RuleInfo>();

  constructor() {
    for (const r of MLOPS_RULES) {
      const id = `MLOps-${r.name}`;
      this.mlops.set(id, {
        id,
        pack: 'MLOps',
        info: r.info,
        explanation: r.explanation,
        level: levelOf(r.level),
        nist: r.nist,
        securitySeverity: r.securitySeverity,
      });
    }
    // Pack-defined acknowledgment rules, if the MLOps pack has them, win over the checker's own.
    for (const r of ACK_RULES) if (!this.mlops.has(r.id)) this.mlops.set(r.id, r);
  }

  /**
   * Records the rules a pack applies. `applyRule` is protected; wrapping it on the instance reads
   * the parameters and changes nothing about what the pack reports.
   */
  observe(pack: NagPack): void {
    const applier = pack as unknown as RuleApplier;
    const original = applier.applyRule.bind(pack);
    const captured = this.captured;
    const packName = pack.readPackName;
    // applyRule runs once per rule per resource (hundreds of thousands of times on a corpus): the
    // id is built only the first time a (rule function, suffix) pair is seen.
    const seen = new WeakMap<object, Set<string | undefined>>();
    applier.applyRule = (params: IApplyRule): void => {
      let suffixes = seen.get(params.rule);
      if (!suffixes) seen.set(params.rule, (suffixes = new Set()));
      if (!suffixes.has(params.ruleSuffixOverride)) {
        suffixes.add(params.ruleSuffixOverride);
        const id = `${packName}-${params.ruleSuffixOverride ?? params.rule.name}`;
        if (!captured.has(id)) {
          captured.set(id, {
            id,
            pack: pack.name,
            info: params.info,
            explanation: params.explanation,
            level: levelOf(params.level),
          });
        }
      }
      original(params);
    };
  }

  /** The descriptor of a base rule id, or undefined when no pack applied it in this run. */
  get(ruleId: string): RuleInfo | undefined {
    return this.mlops.get(ruleId) ?? this.captured.get(ruleId);
  }
}
