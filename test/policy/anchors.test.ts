import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AUDIT_RULES } from '../../lib/audit/rules';
import { coverageDocument, ruleIdSets } from '../../lib/cli/commands/rules';
import { LIVE_RULES } from '../../lib/audit/live-rules';
import {
  ANCHOR_MAPPING,
  anchorsOf,
  coverageRows,
  renderCoverageMarkdown,
  ruleIdsOf,
} from '../../lib/policy/anchor-mapping';
import { ANCHOR_CONTROLS, anchorKey, ANCHORS } from '../../lib/policy/anchors';
import { MLOPS_RULES } from '../../lib/policy/rules';

/**
 * The rules issue 16 is adding in another branch. An entry may name them only as `planned`;
 * once merged, the same entry counts as covered (coverageRows checks that they exist).
 */
const PLANNED = new Set([
  'MLOps-SageMakerNotebookKMS',
  'MLOps-SageMakerNotebookVpc',
  'MLOps-SageMakerNotebookNoDirectInternet',
  'MLOps-SageMakerNotebookPlatformIdentifier',
  'MLOps-SageMakerStudioDomainSsoAuth',
  'MLOps-SageMakerInferenceExperimentKMS',
  'MLOps-SageMakerFeatureGroupDescription',
]);

const registered = new Set([...MLOPS_RULES.map((r) => `MLOps-${r.name}`), ...AUDIT_RULES.map((r) => r.id)]);
const live = new Set([
  ...Object.values(LIVE_RULES).flatMap((g) => g.ruleIds),
  ...AUDIT_RULES.map((r) => r.id),
]);
const ids = { known: registered, live };
const keys = ANCHOR_CONTROLS.map(anchorKey);

describe('anchor controls', () => {
  it('are unique, each with a title and an https source', () => {
    expect(new Set(keys).size).toBe(keys.length);
    for (const c of ANCHOR_CONTROLS) {
      expect(c.title.trim(), anchorKey(c)).not.toBe('');
      expect(c.source, anchorKey(c)).toMatch(/^https:\/\/\S+$/);
    }
  });

  it('belong to a listed anchor, every anchor having at least one control', () => {
    const names = ANCHORS.map((a) => a.name);
    for (const c of ANCHOR_CONTROLS) expect(names, anchorKey(c)).toContain(c.anchor);
    for (const n of names)
      expect(
        ANCHOR_CONTROLS.some((c) => c.anchor === n),
        n,
      ).toBe(true);
  });

  // https://docs.aws.amazon.com/securityhub/latest/userguide/sagemaker-controls.html lists
  // SageMaker.1 to SageMaker.25; Prowler has 17 sagemaker checks and one IAM check on SageMaker.
  it('hold the full Security Hub (SageMaker.1–25) and Prowler (18) lists', () => {
    const ids = (anchor: string) => ANCHOR_CONTROLS.filter((c) => c.anchor === anchor).map((c) => c.id);
    expect(ids('SecurityHub')).toEqual(Array.from({ length: 25 }, (_, i) => `SageMaker.${i + 1}`));
    expect(ids('Prowler')).toHaveLength(18);
  });
});

describe('anchor mapping', () => {
  it('maps every anchor control, and names no control that is not listed', () => {
    expect(keys.filter((k) => !(k in ANCHOR_MAPPING))).toEqual([]);
    expect(Object.keys(ANCHOR_MAPPING).filter((k) => !keys.includes(k))).toEqual([]);
  });

  it('names only registered rules, or planned ones under `planned`', () => {
    const problems: string[] = [];
    for (const [key, entry] of Object.entries(ANCHOR_MAPPING)) {
      if ('rules' in entry) {
        if (entry.rules.length === 0) problems.push(`${key}: empty rules`);
        for (const id of entry.rules) if (!registered.has(id)) problems.push(`${key}: unknown rule ${id}`);
      }
      if ('planned' in entry) {
        if ((entry.planned ?? []).length === 0 && !('rules' in entry)) problems.push(`${key}: empty planned`);
        for (const id of entry.planned ?? [])
          if (!registered.has(id) && !PLANNED.has(id)) problems.push(`${key}: unknown planned rule ${id}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('gives a reason of substance for every not-applicable control and every gap', () => {
    for (const [key, entry] of Object.entries(ANCHOR_MAPPING)) {
      if ('na' in entry) expect(entry.na.trim().length, key).toBeGreaterThanOrEqual(20);
      if ('gap' in entry) expect(entry.gap.trim().length, key).toBeGreaterThanOrEqual(20);
    }
  });

  it('counts a planned entry as covered once its rules exist', () => {
    const sh1 = (known: ReadonlySet<string>) =>
      coverageRows({ known, live }).find((r) => anchorKey(r.control) === 'SecurityHub:SageMaker.1')!;
    expect(sh1(new Set(registered)).status).toBe(
      registered.has('MLOps-SageMakerNotebookNoDirectInternet') ? 'covered' : 'planned',
    );
    expect(sh1(new Set([...registered, 'MLOps-SageMakerNotebookNoDirectInternet'])).status).toBe('covered');
    const sh16 = coverageRows(ids).find((r) => anchorKey(r.control) === 'SecurityHub:SageMaker.16')!;
    // Platform = the image is in Amazon ECR; Vpc = a private Docker registry other than ECR:
    // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ImageConfig.html
    // https://docs.aws.amazon.com/sagemaker/latest/dg/your-algorithms-containers-inference-private.html
    expect(sh16.status).toBe('na');
    expect(sh16.reason).toContain('RepositoryAccessMode');
    expect(sh16.reason).toContain('your-algorithms-containers-inference-private.html');
  });
});

describe('anchorsOf', () => {
  it('lists the controls whose entries name the rule, derived from the mapping', () => {
    expect(anchorsOf('MLOps-SageMakerModelNetworkIsolation')).toEqual([
      'SecurityHub:SageMaker.5',
      'Config:sagemaker-model-isolation-enabled',
      'Prowler:sagemaker_models_network_isolation_enabled',
      'Checkov:CKV_AWS_370',
    ]);
    expect(anchorsOf('MLOps-AckOwner')).toEqual([]);
  });

  it('agrees with the mapping for every rule named in it', () => {
    for (const id of new Set(Object.values(ANCHOR_MAPPING).flatMap(ruleIdsOf))) {
      const expected = keys.filter((k) => ruleIdsOf(ANCHOR_MAPPING[k]).includes(id));
      expect(anchorsOf(id), id).toEqual(expected);
    }
  });
});

describe('coverage table', () => {
  it('counts per anchor add up to its controls', () => {
    const md = renderCoverageMarkdown(ids);
    for (const a of ANCHORS) {
      const row = md.split('\n').find((l) => l.startsWith(`| [${a.title}]`))!;
      const [controls, ...counts] = row
        .split('|')
        .slice(2, 7)
        .map((c) => Number(c.trim()));
      expect(controls, a.name).toBe(ANCHOR_CONTROLS.filter((c) => c.anchor === a.name).length);
      expect(
        counts.reduce((x, y) => x + y, 0),
        a.name,
      ).toBe(controls);
    }
  });

  it('is judged against every registered MLOps and audit rule, and the rules the audit runs live', () => {
    expect([...ruleIdSets().known].sort()).toEqual([...registered].sort());
    expect([...ruleIdSets().live].sort()).toEqual([...live].sort());
  });

  // Prowler is the live-account anchor: `audit` runs the training-job rule on live training jobs.
  it('marks a control live only when the audit runs every rule covering it', () => {
    const row = (key: string) => coverageRows(ids).find((r) => anchorKey(r.control) === key)!;
    expect(row('Prowler:sagemaker_training_jobs_network_isolation_enabled').live).toBe(true);
    expect(row('SecurityHub:SageMaker.11').live).toBe(false);
    expect(
      coverageRows({ known: registered, live: new Set() }).find(
        (r) => anchorKey(r.control) === 'Prowler:sagemaker_training_jobs_network_isolation_enabled',
      )!.live,
    ).toBe(false);
  });

  it('docs/CONTROL-COVERAGE.md is what the mapping generates (regenerate with npm run docs:coverage)', () => {
    const committed = readFileSync('docs/CONTROL-COVERAGE.md', 'utf8');
    expect(committed, 'docs/CONTROL-COVERAGE.md is stale: run npm run docs:coverage and commit it').toBe(
      coverageDocument(),
    );
  });
});
