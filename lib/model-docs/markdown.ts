import { modelCardName, reportStatusText, riskRatingOf } from './card';
import { NOT_RECORDED, type FairnessSummary, type ModelDocumentationInput } from './input';
import { LINEAGE_KEY_ORDER, REVIEW_RECORD_KEYS } from './keys';

/** Escapes what would break a Markdown table cell or inline text. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function code(text: string): string {
  return text === NOT_RECORDED ? NOT_RECORDED : `\`${text.replace(/`/g, "'")}\``;
}

function num(v: number | null): string {
  return v === null ? 'undefined' : String(Number(v.toPrecision(6)));
}

function fairnessSection(title: string, f: FairnessSummary): string[] {
  const lines = [`### ${title}`, '', `Report: ${cell(reportStatusText(f.status))}`, ''];
  if (f.status.state !== 'read') return lines;
  if (f.metrics.length === 0) return [...lines, 'The report holds no metric for this stage.', ''];
  lines.push('| Facet | Metric | Value | Threshold | Crossed |', '|---|---|---|---|---|');
  for (const m of f.metrics) {
    lines.push(
      `| ${cell(m.facet)} | ${cell(m.metric)} | ${num(m.value)} | ${m.threshold === undefined ? '-' : num(m.threshold)} | ${m.crossed ? 'yes' : 'no'} |`,
    );
  }
  lines.push(
    '',
    `${f.anyCrossed ? 'A threshold was crossed.' : 'No threshold crossed.'} Facet proxies flagged: ${f.flaggedProxies}.`,
    '',
  );
  return lines;
}

/**
 * The operations hand-off of a model version: a fixed template (purpose, owner, risk tier, data
 * and provenance, metrics, fairness, approval and review record, lineage, how to roll back,
 * runbooks). Every section is always present; a value nobody recorded reads "not recorded".
 * Made from the same input as the model card, so the two never disagree.
 */
export function renderModelDocMarkdown(input: ModelDocumentationInput): string {
  const { contract: c, modelPackage: p, quality: q } = input;
  const meta = p.metadata;
  const or = (v: string | undefined): string => (v === undefined || v.trim() === '' ? NOT_RECORDED : v);
  const contractRef =
    c.name !== undefined && c.version !== undefined
      ? `${c.name}@${c.version}`
      : or(meta['lineage:feature-contract']);
  let cardName: string;
  try {
    cardName = modelCardName(p.groupName, p.version);
  } catch {
    cardName = NOT_RECORDED;
  }
  const out: string[] = [
    `# Model documentation: ${cell(p.groupName)} version ${p.version}`,
    '',
    '| | |',
    '|---|---|',
    `| Model package | ${code(p.arn)} |`,
    `| Approval status | ${cell(p.approvalStatus)} |`,
    `| Model card | ${code(cardName)} |`,
    `| Registered | ${cell(or(p.createdAt))} |`,
    '',
    '## Purpose',
    '',
    cell(or(c.intendedUse)),
    '',
    '## Owner',
    '',
    cell(or(c.owner)),
    '',
    '## Risk tier',
    '',
    c.riskTier === undefined
      ? `${NOT_RECORDED} (model card risk rating: Unknown)`
      : `${cell(c.riskTier)} (model card risk rating: ${riskRatingOf(c.riskTier)})`,
    '',
    '## Data and provenance',
    '',
    `- Feature contract: ${code(contractRef)}`,
    `- Dataset manifest: ${code(or(meta['lineage:dataset-manifest']))}`,
    `- Dataset manifest sha256: ${code(or(meta['lineage:dataset-manifest-sha256']))}`,
    `- Dataset bucket: ${code(or(meta['lineage:dataset-bucket']))}`,
    `- Training job: ${code(or(meta['lineage:training-job']))}`,
    `- Training image: ${code(or(meta['lineage:training-image-digest']))}`,
    '',
  ];
  if (c.features?.length) {
    out.push('| Feature | Type | PII |', '|---|---|---|');
    for (const f of c.features) out.push(`| ${cell(f.name)} | ${cell(f.type)} | ${cell(f.pii)} |`);
    out.push('');
  } else {
    out.push(`Features: ${NOT_RECORDED}`, '');
  }
  out.push(
    'Third-party sources and their licences are the provenance records of the dataset manifest (`compliant-mlops lineage <endpoint>` prints them).',
    '',
    '## Metrics',
    '',
    `Model quality statistics: ${cell(reportStatusText(q.status))}`,
    '',
  );
  if (q.metrics.length > 0) {
    out.push('| Metric | Value | Standard deviation |', '|---|---|---|');
    for (const m of q.metrics) {
      out.push(
        `| ${cell(m.name)} | ${num(m.value)} | ${m.standardDeviation === undefined ? '-' : num(m.standardDeviation)} |`,
      );
    }
    out.push('');
  }
  out.push(
    '## Fairness',
    '',
    ...fairnessSection('Pre-training bias', input.bias),
    ...fairnessSection('Post-training fairness', input.fairness),
    '## Approval and review record',
    '',
    `- Approval status: ${cell(p.approvalStatus)}`,
    `- Approval description: ${cell(or(p.approvalDescription))}`,
    `- Reviewer: ${cell(or(meta[REVIEW_RECORD_KEYS.reviewer]))}`,
    `- Reviewed at: ${cell(or(meta[REVIEW_RECORD_KEYS.reviewedAt]))}`,
    `- Bias report read by the reviewer: ${code(or(meta[REVIEW_RECORD_KEYS.biasReport]))}`,
    '',
    '## Lineage',
    '',
    '| Key | Value |',
    '|---|---|',
    ...LINEAGE_KEY_ORDER.map((k) => `| \`${k}\` | ${cell(or(meta[k]))} |`),
    '',
    '## How to roll back',
    '',
    `1. Find the previous approved version: \`aws sagemaker list-model-packages --model-package-group-name ${p.groupName} --model-approval-status Approved --sort-by CreationTime --sort-order Descending\`.`,
    `2. Read its documentation (\`compliant-mlops model-doc <its model package ARN>\`): the feature contract version and training image it was registered with.`,
    '3. Redeploy that version with the feature contract version and endpoint configuration it was registered with (data, code and configuration go back together), then check the served chain with `compliant-mlops lineage <endpoint-name>`.',
    `4. If this version must not come back, reject it: \`aws sagemaker update-model-package --model-package-arn ${p.arn} --model-approval-status Rejected\`.`,
    '',
    '## Runbooks',
    '',
    ...(input.runbooks?.length
      ? input.runbooks.map((r) => `- [${cell(r.title)}](${r.url})`)
      : [NOT_RECORDED]),
    '',
  );
  return out.join('\n');
}
