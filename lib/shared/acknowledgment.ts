/**
 * The one acknowledgment model: its shape, how each recorded form reads into it, and the verdict.
 *
 * Both judges call this module: the MLOps pack's `MLOps-Ack*` rules during `cdk synth` (and over
 * templates the checker includes), and `compliant-mlops check` for the assembly, cdk-nag v2 and
 * `--acknowledgments` file forms it reads. It imports no aws-cdk-lib, so the policy is the same
 * code wherever an acknowledgment is judged, and it can be read without a construct tree.
 *
 * The policy, for every form alike:
 * - an acknowledgment holds only with a reason of at least {@link MIN_ACK_REASON_LENGTH}
 *   characters, an owner, and an expiry date `YYYY-MM-DD` (the last day it holds) not yet past;
 * - a missing `expires` is a finding (`MLOps-AckExpired`): an acceptance with no end date is never
 *   reviewed again, which is the blanket suppression this library exists to avoid;
 * - a plain CDK `Validations.of(c).acknowledge({ id, reason })` has neither owner nor expiry, so it
 *   does not hold: it is reported as `MLOps-AckOwner` and `MLOps-AckExpired`. Use `acknowledge()`
 *   from `compliant-mlops`, which records both.
 */
import type { z as zod } from 'zod';

/** Construct metadata key under which each acknowledgment's owner and expiry are recorded. */
export const ACKNOWLEDGMENT_METADATA_KEY = 'compliant-mlops:acknowledgment';

/** CloudFormation `Metadata` key that carries acknowledgments in synthesized templates. */
export const ACKNOWLEDGMENT_TEMPLATE_KEY = 'compliant-mlops';

/** Shortest reason that explains a decision rather than labelling it ("n/a", "false positive"). */
export const MIN_ACK_REASON_LENGTH = 20;

/** The findings an acknowledgment that does not hold produces, by problem. */
export const ACK_RULE_IDS = {
  expired: 'MLOps-AckExpired',
  owner: 'MLOps-AckOwner',
  reason: 'MLOps-AckReason',
} as const;

/** One of the `MLOps-Ack*` rule ids. */
export type AckRuleId = (typeof ACK_RULE_IDS)[keyof typeof ACK_RULE_IDS];

/**
 * Construct metadata key CDK's `Validations.of(c).acknowledge()` writes (the value of
 * `Validations.ACKNOWLEDGED_RULES_METADATA_KEY`, repeated here so this module needs no aws-cdk-lib).
 */
export const CDK_ACKNOWLEDGED_RULES_KEY = 'aws:cdk:acknowledged-rules';

/** Template / construct metadata key of cdk-nag v2 suppressions (`{ rules_to_suppress: [...] }`). */
export const CDK_NAG_V2_METADATA_KEY = 'cdk_nag';

/** Whether a value is a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/**
 * The schemas, built on first use: zod (95 modules, 1 MB) loads only when an acknowledgment is
 * read or judged, not when the packs load; start-up is most of a small `check` run (issue 15).
 */
function buildSchemas() {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { z } = require('zod') as typeof import('zod');
  const reason = z.string().trim().min(MIN_ACK_REASON_LENGTH);
  const owner = z.string().trim().min(1);
  const expires = z.string().refine(isIsoDate, { message: 'not a YYYY-MM-DD date' });
  /** A complete, well-formed acknowledgment: what `acknowledge()` records and every form should carry. */
  const acknowledgment = z.object({
    /** The acknowledged finding id, e.g. `AwsSolutions-IAM5[Resource::*]`. */
    id: z.string().min(1),
    reason,
    owner,
    expires,
  });
  /** Reads one recorded entry (template metadata, construct metadata, cdk-nag v2) into the model. */
  const recorded = z
    .object({
      id: z.string().min(1),
      reason: z.unknown().optional(),
      owner: z.unknown().optional(),
      // YAML and hand-written JSON sometimes carry a Date; the model compares strings.
      expires: z.unknown().optional().transform(normalizeExpires),
    })
    .loose()
    .transform((r): RecordedAcknowledgment => ({
      id: r.id,
      reason: r.reason,
      owner: r.owner,
      expires: r.expires,
    }));
  return { reason, owner, expires, acknowledgment, recorded };
}

let built: ReturnType<typeof buildSchemas> | undefined;
const schemas = (): ReturnType<typeof buildSchemas> => (built ??= buildSchemas());

/** The schema of a complete, well-formed acknowledgment: what `acknowledge()` records and every form should carry. */
export function acknowledgmentSchema(): ReturnType<typeof buildSchemas>['acknowledgment'] {
  return schemas().acknowledgment;
}

/** A complete, well-formed acknowledgment. */
export type Acknowledgment = zod.infer<ReturnType<typeof acknowledgmentSchema>>;

/**
 * An acknowledgment as read back from any form, before it is judged: only the id is known to be
 * a string; the other fields are whatever was recorded (or absent).
 */
export interface RecordedAcknowledgment {
  readonly id: string;
  readonly reason?: unknown;
  readonly owner?: unknown;
  readonly expires?: unknown;
}

/** Entries that do not have a string id are not acknowledgments of anything and are skipped. */
export function parseRecordedAcknowledgments(raw: readonly unknown[]): RecordedAcknowledgment[] {
  const out: RecordedAcknowledgment[] = [];
  for (const entry of raw) {
    const parsed = schemas().recorded.safeParse(entry);
    if (parsed.success) out.push(parsed.data);
  }
  return out;
}

/** `Date` → `YYYY-MM-DD`; anything else as recorded. */
export function normalizeExpires(value: unknown): unknown {
  return value instanceof Date ? value.toISOString().slice(0, 10) : value;
}

/**
 * The finding id a CDK acknowledged-rules key names: CDK and cdk-nag write `<Pack>::<id>`, and
 * cdk-nag strips an `annotation::` namespace too.
 */
export function findingIdOfCdkKey(key: string): string {
  // A pack name has no `-` or `[`, so `::` inside a granular part (`[Resource::*]`) is never taken for one.
  return key.replace(/^annotation::/i, '').replace(/^[\w.]+::/, '');
}

/**
 * The acknowledgments a plain `Validations.of(c).acknowledge({ id, reason })` recorded: the
 * metadata value maps `<Pack>::<id>` to the reason. They carry no owner and no expiry.
 *
 * @param packs only entries of these packs (by namespace): other validation plugins' entries,
 *   such as the `CloudFormation-Validate::W3010` aws-cdk-lib adds to every stack that reads its
 *   availability zones, are not findings of a pack the checker runs, so neither judge sees them
 */
export function fromCdkAcknowledgedRules(data: unknown, packs: readonly string[]): RecordedAcknowledgment[] {
  if (!isRecord(data)) return [];
  return Object.entries(data)
    .filter(([key]) => {
      const bare = key.replace(/^annotation::/i, '');
      const namespace = /^([\w.]+)::/.exec(bare)?.[1];
      return namespace !== undefined
        ? packs.includes(namespace)
        : packs.some((p) => bare.startsWith(`${p}-`));
    })
    .map(([key, reason]) => ({ id: findingIdOfCdkKey(key), reason }));
}

/** The entries of cdk-nag v2 `{ rules_to_suppress: [{ id, reason, owner?, expires?, applies_to? }] }`. */
export function fromCdkNagV2(metadata: unknown): RecordedAcknowledgment[] {
  if (!isRecord(metadata) || !Array.isArray(metadata.rules_to_suppress)) return [];
  return parseRecordedAcknowledgments(metadata.rules_to_suppress);
}

/** Why an acknowledgment does not hold. */
export type AcknowledgmentProblemKind =
  'expired' | 'invalid-expiry' | 'missing-expiry' | 'missing-owner' | 'short-reason';

/** One reason an acknowledgment does not hold, with the finding it produces. */
export interface AcknowledgmentProblem {
  readonly kind: AcknowledgmentProblemKind;
  readonly ruleId: AckRuleId;
  readonly message: string;
}

/** The verdict on one acknowledgment: it holds exactly when there is no problem. */
export interface AcknowledgmentVerdict {
  readonly holds: boolean;
  readonly problems: readonly AcknowledgmentProblem[];
}

/**
 * Judges one acknowledgment on `today` (`YYYY-MM-DD`): a missing, invalid or past expiry, a
 * missing owner, a reason under {@link MIN_ACK_REASON_LENGTH} characters. An acknowledgment
 * expiring today still holds.
 *
 * @param source where it was read from (`assembly`, `template`, `cdk_nag`, `file:<path>`), named
 *   in the messages when given
 */
export function judgeAcknowledgment(
  ack: RecordedAcknowledgment,
  today: string,
  source?: string,
): AcknowledgmentVerdict {
  const problems: AcknowledgmentProblem[] = [];
  const of = `The acknowledgment of ${ack.id}`;
  const from = source ? ` (from ${source})` : '';
  const expires = normalizeExpires(ack.expires);
  if (expires === undefined || expires === null || expires === '') {
    problems.push({
      kind: 'missing-expiry',
      ruleId: ACK_RULE_IDS.expired,
      message: `${of} has no expiry date (expected expires: YYYY-MM-DD, the last day it holds)${from}.`,
    });
  } else if (!schemas().expires.safeParse(expires).success) {
    problems.push({
      kind: 'invalid-expiry',
      ruleId: ACK_RULE_IDS.expired,
      message: `${of} has an expiry date that is not a YYYY-MM-DD date (got ${JSON.stringify(expires)})${from}.`,
    });
  } else if ((expires as string) < today) {
    problems.push({
      kind: 'expired',
      ruleId: ACK_RULE_IDS.expired,
      message: `${of} expired on ${expires as string}${from}.`,
    });
  }
  if (!schemas().owner.safeParse(ack.owner).success) {
    problems.push({
      kind: 'missing-owner',
      ruleId: ACK_RULE_IDS.owner,
      message: `${of} has no owner${from}.`,
    });
  }
  if (!schemas().reason.safeParse(ack.reason).success) {
    const length = typeof ack.reason === 'string' ? ack.reason.trim().length : 0;
    problems.push({
      kind: 'short-reason',
      ruleId: ACK_RULE_IDS.reason,
      message: `${of} has a reason of ${length} characters; at least ${MIN_ACK_REASON_LENGTH} are needed${from}.`,
    });
  }
  return { holds: problems.length === 0, problems };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
