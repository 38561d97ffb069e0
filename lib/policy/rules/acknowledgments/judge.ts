import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { PACK_PREFIXES } from '../../../shared/packs';
import {
  ACKNOWLEDGMENT_METADATA_KEY,
  ACKNOWLEDGMENT_TEMPLATE_KEY,
  AckRuleId,
  CDK_ACKNOWLEDGED_RULES_KEY,
  CDK_NAG_V2_METADATA_KEY,
  fromCdkAcknowledgedRules,
  fromCdkNagV2,
  judgeAcknowledgment,
  parseRecordedAcknowledgments,
  RecordedAcknowledgment,
} from '../../../shared/acknowledgment';

function metadataOf(c: IConstruct, type: string): unknown[] {
  return c.node.metadata.filter((m) => m.type === type).map((m) => m.data);
}

/**
 * Every acknowledgment that applies to a resource, in each form the checker also reads:
 * `acknowledge()` records (construct metadata, and template `Metadata["compliant-mlops"]` when the
 * resource comes from an included template), cdk-nag v2 `Metadata.cdk_nag`, and plain CDK
 * `Validations.of(c).acknowledge()` entries on the resource or an ancestor that no `acknowledge()`
 * record on the same construct accounts for. De-duplicated: one acknowledgment recorded twice is one.
 */
export function acknowledgmentsOn(node: CfnResource): RecordedAcknowledgment[] {
  const fromTemplate = node.getMetadata(ACKNOWLEDGMENT_TEMPLATE_KEY) as
    { acknowledgments?: unknown } | undefined;
  const raw: RecordedAcknowledgment[] = [
    ...parseRecordedAcknowledgments(metadataOf(node, ACKNOWLEDGMENT_METADATA_KEY)),
    ...parseRecordedAcknowledgments(
      Array.isArray(fromTemplate?.acknowledgments) ? fromTemplate.acknowledgments : [],
    ),
    ...fromCdkNagV2(node.getMetadata(CDK_NAG_V2_METADATA_KEY)),
  ];
  for (const scope of node.node.scopes) {
    const recorded = new Set(
      parseRecordedAcknowledgments(metadataOf(scope, ACKNOWLEDGMENT_METADATA_KEY)).map((r) => r.id),
    );
    for (const data of metadataOf(scope, CDK_ACKNOWLEDGED_RULES_KEY)) {
      raw.push(...fromCdkAcknowledgedRules(data, PACK_PREFIXES).filter((r) => !recorded.has(r.id)));
    }
  }
  const seen = new Set<string>();
  return raw.filter((r) => {
    const key = JSON.stringify([r.id, r.reason, r.owner, r.expires]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The check of one `MLOps-Ack*` rule: the acknowledged finding ids whose verdict has a problem
 * of that rule, or COMPLIANT / NOT_APPLICABLE.
 */
export function ackRuleCheck(
  node: CfnResource,
  ruleId: AckRuleId,
  today: string,
): NagRuleCompliance | string[] {
  const acks = acknowledgmentsOn(node);
  if (acks.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
  const ids = acks
    .filter((a) => judgeAcknowledgment(a, today).problems.some((p) => p.ruleId === ruleId))
    .map((a) => a.id);
  return ids.length > 0 ? [...new Set(ids)] : NagRuleCompliance.COMPLIANT;
}
