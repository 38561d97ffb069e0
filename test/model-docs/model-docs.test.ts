import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import {
  buildModelCardContent,
  contractFactsFromCard,
  contractFactsFromDescription,
  MODEL_CARD_SCHEMA_SUBSET,
  modelCardName,
  modelCardStatusFor,
  NOT_RECORDED,
  parseQualityStatistics,
  renderModelDocMarkdown,
  ReportFormatError,
  riskRatingOf,
  sameCardContent,
  serializeCardContent,
  summarizeBiasReport,
} from '../../lib/model-docs';
import { ARN, BARE, biasReport, FULL, QUALITY_STATISTICS } from './fixtures';

const validate = new Ajv({ allErrors: true, strict: true }).compile(MODEL_CARD_SCHEMA_SUBSET);

/** The content as SageMaker receives it, parsed back (JSON.parse's result, read by path). */
const roundTrip = (input: typeof FULL) => JSON.parse(serializeCardContent(buildModelCardContent(input)));

/** The lines of one `## <title>` section, without its heading. */
function section(md: string, title: string): string {
  const start = md.indexOf(`## ${title}\n`);
  expect(start, `section ${title}`).toBeGreaterThanOrEqual(0);
  const rest = md.slice(start + title.length + 4);
  const end = rest.search(/^## /m);
  return (end < 0 ? rest : rest.slice(0, end)).trim();
}

describe('model card content', () => {
  // The card content must follow the Model Card JSON schema (sections, enums, length limits).
  // https://docs.aws.amazon.com/sagemaker/latest/dg/model-cards-json-schema.html
  it.each([
    ['fully recorded', FULL],
    ['nothing recorded', BARE],
  ])('of a %s input validates against the schema subset', (_, input) => {
    const content = buildModelCardContent(input);
    expect(validate(content), JSON.stringify(validate.errors)).toBe(true);
  });

  it('the schema subset refuses what SageMaker refuses: an unknown risk rating, an unknown section', () => {
    const content = buildModelCardContent(FULL) as Record<string, Record<string, unknown>>;
    expect(validate({ ...content, intended_uses: { ...content.intended_uses, risk_rating: 'Severe' } })).toBe(
      false,
    );
    expect(validate({ ...content, extra_section: {} })).toBe(false);
  });

  it('maps the contract, the package, the metrics and the reports into their sections', () => {
    const c = roundTrip(FULL);
    expect(c.intended_uses).toEqual({
      purpose_of_model: FULL.contract.intendedUse,
      intended_uses: FULL.contract.intendedUse,
      risk_rating: 'High',
      explanations_for_risk_rating:
        'risk tier high, declared by the feature contract customer-churn@1.2.0 and the model registry',
    });
    expect(c.model_package_details).toEqual({
      model_package_arn: ARN,
      model_package_group_name: 'churn-model',
      model_package_version: 3,
      model_approval_status: 'Approved',
      approval_description: 'reviewed: bias report read',
      model_package_description: FULL.modelPackage.description,
    });
    expect(c.training_details.training_job_details).toEqual({
      training_arn: FULL.modelPackage.metadata['lineage:training-job'],
      training_datasets: ['s3://datasets/manifests/churn/1/manifest.json'],
      training_environment: { container_image: [`sha256:${'b'.repeat(64)}`] },
    });
    expect(c.evaluation_details[0].metric_groups[0].metric_data).toEqual([
      { name: 'accuracy', type: 'number', value: 0.9, notes: 'standard deviation 0.002' },
      { name: 'auc', type: 'number', value: 0.8123456, notes: 'standard deviation 0.01' },
    ]);
    expect(c.evaluation_details[1].metric_groups[0].metric_data[1]).toEqual({
      name: 'gender=female DPL',
      type: 'number',
      value: 0.05,
      notes: 'threshold 0.2: not crossed',
    });
    expect(c.additional_information.custom_details.lineage_code_version).toBe('v1.4.0');
    expect(c.additional_information.custom_details.review_reviewer).toBe('alice@example.com');
  });

  it('says "not recorded" for every missing input instead of leaving it out', () => {
    const c = roundTrip(BARE);
    expect(c.intended_uses.purpose_of_model).toBe(NOT_RECORDED);
    expect(c.intended_uses.risk_rating).toBe('Unknown');
    expect(c.model_overview.model_owner).toBe(NOT_RECORDED);
    expect(
      c.evaluation_details.map((e: { evaluation_observation: string }) => e.evaluation_observation),
    ).toEqual([
      'model quality statistics: not recorded',
      'pre-training bias report: not recorded',
      'post-training fairness report: not read: s3://model-artifacts/x/post.json (access denied)',
    ]);
    const details = c.additional_information.custom_details as Record<string, string>;
    expect(Object.keys(details)).toHaveLength(22);
    expect(details.lineage_dataset_manifest).toBe(NOT_RECORDED);
  });

  it('is deterministic, and compares equal whatever the key order', () => {
    const a = serializeCardContent(buildModelCardContent(FULL));
    expect(serializeCardContent(buildModelCardContent(FULL))).toBe(a);
    const reordered = JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(a)).reverse()));
    expect(sameCardContent(a, reordered)).toBe(true);
    expect(sameCardContent(a, serializeCardContent(buildModelCardContent(BARE)))).toBe(false);
    expect(sameCardContent(a, 'not json')).toBe(false);
  });

  it('clips free text to the schema limits', () => {
    const long = { ...FULL, contract: { ...FULL.contract, intendedUse: 'x'.repeat(5000) } };
    const c = buildModelCardContent(long) as { intended_uses: { purpose_of_model: string } };
    expect(c.intended_uses.purpose_of_model).toHaveLength(2048);
    expect(c.intended_uses.purpose_of_model.endsWith('…')).toBe(true);
    expect(validate(c)).toBe(true);
  });

  // ModelCardName: [a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateModelCard.html
  it('names the card <group>-<version>, refusing a name over 63 characters', () => {
    expect(modelCardName('churn-model', 3)).toBe('churn-model-3');
    expect(() => modelCardName('g'.repeat(62), 12)).toThrow(/model card name: is not a model card name/);
  });

  it('keeps the card a draft until the package is approved, never archives it', () => {
    expect(modelCardStatusFor('PendingManualApproval')).toBe('Draft');
    expect(modelCardStatusFor('Rejected')).toBe('Draft');
    expect(modelCardStatusFor('Approved')).toBe('Approved');
  });

  it('maps risk tiers to the card risk rating', () => {
    expect(['high', 'limited', 'minimal', undefined].map(riskRatingOf)).toEqual([
      'High',
      'Medium',
      'Low',
      'Unknown',
    ]);
  });

  it('reads the contract facts back from a card it wrote, and from the pipeline description', () => {
    const back = contractFactsFromCard(buildModelCardContent(FULL));
    expect(back.contract).toEqual(FULL.contract);
    expect(back.runbooks).toEqual(FULL.runbooks);
    expect(contractFactsFromCard(buildModelCardContent(BARE))).toEqual({ contract: {}, runbooks: [] });
    expect(
      contractFactsFromDescription(
        'intended use: Ranks customers; not for credit; risk rating: Medium; owner: ml-platform-team; dataset: churn v1',
      ),
    ).toEqual({ intendedUse: 'Ranks customers; not for credit', owner: 'ml-platform-team' });
    expect(contractFactsFromDescription(undefined)).toEqual({});
  });
});

describe('reports', () => {
  // Model quality statistics: "<problem>_metrics": { "<metric>": { "value", "standard_deviation" } }
  // https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-model-quality-metrics.html
  it('reads the scalar metrics of model quality statistics, sorted', () => {
    expect(parseQualityStatistics(QUALITY_STATISTICS)).toEqual([
      { name: 'accuracy', value: 0.9, standardDeviation: 0.002 },
      { name: 'auc', value: 0.8123456, standardDeviation: 0.01 },
    ]);
    expect(parseQualityStatistics('{"metrics":{"auc":{"value":0.8}}}')).toEqual([
      { name: 'auc', value: 0.8 },
    ]);
  });

  it('refuses statistics without a metric and text that is not json', () => {
    expect(() => parseQualityStatistics('{}')).toThrow(ReportFormatError);
    expect(() => parseQualityStatistics('nope')).toThrow(/not json/);
  });

  it('summarizes the stage of a bias report it is asked for', () => {
    const pre = summarizeBiasReport(biasReport('preTraining', true), 's3://b/pre.json', 'preTraining');
    expect(pre.metrics.map((m) => `${m.metric}=${m.value}:${m.crossed}`)).toEqual([
      'CI=0.12:false',
      'DPL=0.31:true',
    ]);
    expect(pre.anyCrossed).toBe(true);
    expect(pre.status).toEqual({ state: 'read', uri: 's3://b/pre.json' });
    expect(() => summarizeBiasReport('{"kind":"other"}', 's3://b/x', 'preTraining')).toThrow(
      /not a compliant-mlops\/bias-report/,
    );
  });
});

describe('Markdown hand-off', () => {
  const md = renderModelDocMarkdown(FULL);
  const bare = renderModelDocMarkdown(BARE);

  it('has every section of the template, in order, recorded or not', () => {
    const headings = (text: string): string[] => text.split('\n').filter((l) => l.startsWith('## '));
    const expected = [
      '## Purpose',
      '## Owner',
      '## Risk tier',
      '## Data and provenance',
      '## Metrics',
      '## Fairness',
      '## Approval and review record',
      '## Lineage',
      '## How to roll back',
      '## Runbooks',
    ];
    expect(headings(md)).toEqual(expected);
    expect(headings(bare)).toEqual(expected);
  });

  it('opens with the package, its approval status and its card', () => {
    expect(md.split('\n').slice(0, 8).join('\n')).toBe(
      [
        '# Model documentation: churn-model version 3',
        '',
        '| | |',
        '|---|---|',
        `| Model package | \`${ARN}\` |`,
        '| Approval status | Approved |',
        '| Model card | `churn-model-3` |',
        '| Registered | 2026-12-01T08:00:00.000Z |',
      ].join('\n'),
    );
  });

  it('writes purpose, owner and risk tier', () => {
    expect(section(md, 'Purpose')).toBe(FULL.contract.intendedUse);
    expect(section(md, 'Owner')).toBe('churn-analytics');
    expect(section(md, 'Risk tier')).toBe('high (model card risk rating: High)');
  });

  it('writes the metrics table', () => {
    expect(section(md, 'Metrics')).toBe(
      [
        'Model quality statistics: s3://model-artifacts/evaluation/churn-training/abc123/evaluation.json',
        '',
        '| Metric | Value | Standard deviation |',
        '|---|---|---|',
        '| accuracy | 0.9 | 0.002 |',
        '| auc | 0.812346 | 0.01 |',
      ].join('\n'),
    );
  });

  it('writes both fairness stages with thresholds', () => {
    const fairness = section(md, 'Fairness');
    expect(fairness).toContain(
      [
        '| Facet | Metric | Value | Threshold | Crossed |',
        '|---|---|---|---|---|',
        '| gender=female | CI | 0.12 | 0.8 | no |',
        '| gender=female | DPL | 0.05 | 0.2 | no |',
      ].join('\n'),
    );
    expect(fairness).toContain('| gender=female | DPPL | 0.04 | - | no |');
  });

  it('writes the approval and review record', () => {
    expect(section(md, 'Approval and review record')).toBe(
      [
        '- Approval status: Approved',
        '- Approval description: reviewed: bias report read',
        '- Reviewer: alice@example.com',
        '- Reviewed at: 2026-12-01T09:30:00Z',
        '- Bias report read by the reviewer: `s3://model-artifacts/bias-reports/churn-model/abc123/pre-training.json`',
      ].join('\n'),
    );
  });

  it('writes "not recorded" for each missing input, and why a named report was not read', () => {
    expect(section(bare, 'Purpose')).toBe('not recorded');
    expect(section(bare, 'Owner')).toBe('not recorded');
    expect(section(bare, 'Risk tier')).toBe('not recorded (model card risk rating: Unknown)');
    expect(section(bare, 'Metrics')).toBe('Model quality statistics: not recorded');
    expect(section(bare, 'Fairness')).toBe(
      [
        '### Pre-training bias',
        '',
        'Report: not recorded',
        '',
        '### Post-training fairness',
        '',
        'Report: not read: s3://model-artifacts/x/post.json (access denied)',
      ].join('\n'),
    );
    expect(section(bare, 'Runbooks')).toBe('not recorded');
    const lineage = section(bare, 'Lineage').split('\n').slice(2);
    expect(lineage).toHaveLength(11);
    expect(lineage.every((l) => l.endsWith('| not recorded |'))).toBe(true);
  });

  it('tells how to roll back to the previous approved version', () => {
    const rollback = section(md, 'How to roll back');
    expect(rollback).toContain(
      '`aws sagemaker list-model-packages --model-package-group-name churn-model --model-approval-status Approved --sort-by CreationTime --sort-order Descending`',
    );
    expect(rollback).toContain('feature contract version and endpoint configuration it was registered with');
  });

  it('is the example README shows', () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    expect(readme).toContain(`\`\`\`\`markdown\n${md.trimEnd()}\n\`\`\`\``);
  });

  it('escapes table cells', () => {
    const piped = { ...FULL, contract: { ...FULL.contract, owner: 'a|b\nc' } };
    expect(section(renderModelDocMarkdown(piped), 'Owner')).toBe('a\\|b c');
  });
});
