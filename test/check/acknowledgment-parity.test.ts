import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { acknowledge, ACKNOWLEDGMENT_TEMPLATE_KEY } from '../../constructs/core/acknowledge';
import { loadAcknowledgmentsFile } from '../../lib/check/acknowledgments';
import { checkPaths } from '../../lib/check/check';
import { MLOpsChecks } from '../../lib/policy/mlops-checks';
import { CDK_ACKNOWLEDGED_RULES_KEY } from '../../lib/shared/acknowledgment';

/*
 * One acknowledgment, two judges: the MLOps pack at synth (`pack.validateScope` on the stack) and
 * `compliant-mlops check` over the synthesized assembly must give the same verdict. Every form is
 * put on a bare CfnBucket, which has AwsSolutions-S1 (no server access logs), the acknowledged
 * finding. Dates are far from today because the pack inside `check` judges against the real date.
 */

const cwd = join(__dirname, '..', '..');
const FINDING = 'AwsSolutions-S1';
const REASON = 'access logs of this bucket are collected by the organisation trail';
const FULL = { reason: REASON, owner: 'data-platform', expires: '2099-12-31' };
const EXPIRED = '2020-01-01';

/** An acknowledgment in code (applied before synth) or in an `--acknowledgments` file. */
interface Form {
  readonly name: string;
  /** What the app does to the bucket; for file forms, the in-template equivalent of the entry. */
  readonly apply: (bucket: CfnBucket) => void;
  /** A file entry, for forms only `check` reads; the assembly then carries no acknowledgment. */
  readonly file?: Record<string, string>;
  /** The verdict both judges must give: the MLOps-Ack* findings, sorted. */
  readonly verdict: readonly string[];
}

const byHand = (ack: Record<string, string>) => (b: CfnBucket) =>
  b.addMetadata(ACKNOWLEDGMENT_TEMPLATE_KEY, { acknowledgments: [{ id: FINDING, ...ack }] });
const cdkNagV2 = (entry: Record<string, string>) => (b: CfnBucket) =>
  b.addMetadata('cdk_nag', { rules_to_suppress: [{ id: FINDING, ...entry }] });
const { expires: _e, ...noExpiry } = FULL;
const { owner: _o, ...noOwner } = FULL;

const FORMS: readonly Form[] = [
  {
    name: 'acknowledge() with reason, owner and expiry',
    apply: (b) => acknowledge(b, FINDING, FULL),
    verdict: [],
  },
  {
    name: 'acknowledge() past its expiry',
    apply: (b) => acknowledge(b, FINDING, { ...FULL, expires: EXPIRED }),
    verdict: ['MLOps-AckExpired[AwsSolutions-S1]'],
  },
  {
    name: 'acknowledge() with a short reason and a blank owner',
    apply: (b) => acknowledge(b, FINDING, { ...FULL, reason: 'false positive', owner: ' ' }),
    verdict: ['MLOps-AckOwner[AwsSolutions-S1]', 'MLOps-AckReason[AwsSolutions-S1]'],
  },
  {
    // The form CDK suggests in its validation report: no owner, no expiry.
    name: 'plain CDK Validations.of(c).acknowledge({ id, reason })',
    apply: (b) => Validations.of(b).acknowledge({ id: `AwsSolutions::${FINDING}`, reason: REASON }),
    verdict: ['MLOps-AckExpired[AwsSolutions-S1]', 'MLOps-AckOwner[AwsSolutions-S1]'],
  },
  {
    name: 'file acknowledgment with owner and expiry',
    apply: byHand(FULL),
    file: FULL,
    verdict: [],
  },
  {
    name: 'file acknowledgment without expires',
    apply: byHand(noExpiry),
    file: noExpiry,
    verdict: ['MLOps-AckExpired[AwsSolutions-S1]'],
  },
  {
    name: 'file acknowledgment without owner',
    apply: byHand(noOwner),
    file: noOwner,
    verdict: ['MLOps-AckOwner[AwsSolutions-S1]'],
  },
  {
    name: 'template metadata without expires',
    apply: byHand(noExpiry),
    verdict: ['MLOps-AckExpired[AwsSolutions-S1]'],
  },
  {
    name: 'cdk-nag v2 rules_to_suppress with owner and expiry',
    apply: cdkNagV2(FULL),
    verdict: [],
  },
  {
    name: 'cdk-nag v2 rules_to_suppress as v2 wrote it (id and reason only)',
    apply: cdkNagV2({ reason: REASON }),
    verdict: ['MLOps-AckExpired[AwsSolutions-S1]', 'MLOps-AckOwner[AwsSolutions-S1]'],
  },
];

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'ack-parity-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function app(name: string, apply?: (b: CfnBucket) => void): { outdir: string; stack: Stack } {
  const outdir = join(scratch, name.replace(/\W+/g, '-'));
  const stack = new Stack(new App({ outdir }), 'Parity');
  const bucket = new CfnBucket(stack, 'Bucket');
  apply?.(bucket);
  return { outdir, stack };
}

/** The verdict at synth: the MLOps-Ack* findings the MLOps pack reports on the bucket. */
function synthVerdict(stack: Stack): string[] {
  return new MLOpsChecks()
    .validateScope(stack)
    .violations.filter((v) => v.ruleName.startsWith('MLOps-Ack'))
    .filter((v) => v.violatingResources.some((r) => r.constructPath === 'Parity/Bucket'))
    .map((v) => v.ruleName)
    .sort();
}

describe('the same acknowledgment gives the same verdict in synth and in check', () => {
  test.each(FORMS)('$name', (form) => {
    const coded = app(form.name, form.apply);
    expect(synthVerdict(coded.stack)).toEqual(form.verdict);

    // check reads the file form from --acknowledgments over an assembly that carries none.
    const checked = form.file ? app(`${form.name}-file`) : coded;
    (checked.stack.node.root as App).synth();
    const acknowledgments: ReturnType<typeof loadAcknowledgmentsFile>[] = [];
    if (form.file) {
      const path = join(scratch, `${form.name.replace(/\W+/g, '-')}.json`);
      writeFileSync(path, JSON.stringify([{ id: FINDING, resource: 'Bucket', ...form.file }]));
      acknowledgments.push(loadAcknowledgmentsFile(path, cwd));
    }
    const report = checkPaths([checked.outdir], { cwd, packs: ['AwsSolutions', 'MLOps'], acknowledgments });
    expect(report.errors).toEqual([]);
    const onBucket = report.findings.filter((f) => f.logicalId === 'Bucket');
    const ackFindings = onBucket.filter((f) => f.ruleId.startsWith('MLOps-Ack')).map((f) => f.findingId);
    expect(ackFindings.sort()).toEqual(form.verdict);
    // Each problem is reported once, though the pack and the checker both judge template metadata.
    expect(new Set(ackFindings).size).toBe(ackFindings.length);
    // The acknowledged finding is acknowledged in check exactly when the verdict is clean.
    const s1 = onBucket.find((f) => f.findingId === FINDING);
    expect(s1?.acknowledgment !== undefined).toBe(form.verdict.length === 0);
  });

  test('check judges on its own today in the MLOps pack too, as synth does with MLOpsChecks({ today })', () => {
    // Valid on 2026-06-01, expired on any later real date: both judges must use the given day.
    const today = '2026-06-01';
    const coded = app('today', (b) => acknowledge(b, FINDING, { ...FULL, expires: '2026-06-30' }));
    const synth = new MLOpsChecks(undefined, { today })
      .validateScope(coded.stack)
      .violations.filter((v) => v.ruleName.startsWith('MLOps-Ack'));
    expect(synth).toEqual([]);
    (coded.stack.node.root as App).synth();
    const report = checkPaths([coded.outdir], { cwd, packs: ['AwsSolutions', 'MLOps'], today });
    expect(report.findings.filter((f) => f.ruleId.startsWith('MLOps-Ack')).map((f) => f.findingId)).toEqual(
      [],
    );
    expect(report.findings.find((f) => f.findingId === FINDING)?.acknowledgment).toBeDefined();
  });

  test('the shared model names the key CDK writes for Validations.of(c).acknowledge()', () => {
    expect(CDK_ACKNOWLEDGED_RULES_KEY).toBe(Validations.ACKNOWLEDGED_RULES_METADATA_KEY);
  });
});
