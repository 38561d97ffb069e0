import {
  NOT_RECORDED,
  type ContractFacts,
  type FairnessSummary,
  type ModelDocumentationInput,
  type ReportStatus,
} from './input';
import { LINEAGE_KEY_ORDER, REVIEW_RECORD_KEYS } from './keys';

/**
 * `ModelCardStatus` values. `Archived` is final: "no more updates should be made to the model
 * card", so the documentation never archives a card and leaves an archived one alone.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UpdateModelCard.html
 */
export type ModelCardStatus = 'Draft' | 'PendingReview' | 'Approved' | 'Archived';

/** `CreateModelCard`/`UpdateModelCard` accept at most 100000 characters of `Content`. */
export const MAX_CONTENT_CHARS = 100_000;

/** Model card names: `[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}`. */
const CARD_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

/**
 * The model card of a model package version: `<group>-<version>`, one card per version.
 * @throws Error when the name is not a valid model card name (a group name over 56 characters)
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateModelCard.html
 */
export function modelCardName(groupName: string, version: number): string {
  const name = `${groupName}-${version}`;
  if (!CARD_NAME.test(name)) {
    throw new Error(
      `model card name: is not a model card name (got ${JSON.stringify(name)}; expected 1 to 63 letters, digits and single hyphens)`,
    );
  }
  return name;
}

/**
 * The card's status for a package approval status: `Approved` once the package is approved (the
 * approval, with the review gate's record for a high-risk group, is the review), else `Draft`.
 * A rejected version's card stays a draft, not `Archived`: a rejected version can still be
 * approved later, and an archived card cannot be updated.
 */
export function modelCardStatusFor(approvalStatus: string): ModelCardStatus {
  return approvalStatus === 'Approved' ? 'Approved' : 'Draft';
}

/** The model card `risk_rating` of a risk tier (`High`, `Medium`, `Low`, `Unknown`). */
export function riskRatingOf(tier: string | undefined): 'High' | 'Medium' | 'Low' | 'Unknown' {
  switch (tier) {
    case 'high':
      return 'High';
    case 'limited':
      return 'Medium';
    case 'minimal':
      return 'Low';
    default:
      return 'Unknown';
  }
}

/** Cuts text to `max` characters, marking the cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** One line saying what became of a report. */
export function reportStatusText(status: ReportStatus): string {
  switch (status.state) {
    case 'not-recorded':
      return NOT_RECORDED;
    case 'not-read':
      return `not read: ${status.uri} (${status.reason})`;
    case 'read':
      return status.uri;
  }
}

/** `lineage:dataset-manifest` → `lineage_dataset_manifest` (custom_details keys are snake case). */
function detailKey(key: string): string {
  return key.replace(/[^a-z0-9]+/gi, '_').toLowerCase();
}

function shortValue(v: number | null): { type: 'number'; value: number } | { type: 'string'; value: string } {
  return v === null ? { type: 'string', value: 'undefined' } : { type: 'number', value: v };
}

/** Evaluation groups stay well under the content limit. */
const MAX_METRICS_PER_GROUP = 200;

function fairnessEvaluation(name: string, what: string, f: FairnessSummary): Record<string, unknown> {
  const observation =
    f.status.state === 'read'
      ? `${what} ${f.status.uri}: ${f.anyCrossed ? 'a threshold was crossed' : 'no threshold crossed'}; ${f.flaggedProxies} facet proxies flagged`
      : `${what}: ${reportStatusText(f.status)}`;
  const metricData = f.metrics.slice(0, MAX_METRICS_PER_GROUP).map((m) => ({
    name: `${m.facet} ${m.metric}`,
    ...shortValue(m.value),
    notes: clip(
      m.threshold === undefined
        ? 'no threshold'
        : `threshold ${m.threshold}: ${m.crossed ? 'crossed' : 'not crossed'}`,
      1024,
    ),
  }));
  return {
    name,
    evaluation_observation: clip(observation, 2048),
    ...(metricData.length > 0 ? { metric_groups: [{ name, metric_data: metricData }] } : {}),
  };
}

/**
 * The model card content (SageMaker Model Card JSON schema) of a model version. Deterministic:
 * the same input gives the same content (no timestamps of its own), so a redelivered event finds
 * the content unchanged and writes no new card version. Every field the input lacks says
 * "not recorded".
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-cards-json-schema.html
 */
export function buildModelCardContent(input: ModelDocumentationInput): Record<string, unknown> {
  const { contract: c, modelPackage: p, quality: q } = input;
  const meta = p.metadata;
  const or = (v: string | undefined): string => (v === undefined || v.trim() === '' ? NOT_RECORDED : v);
  const contractRef =
    c.name !== undefined && c.version !== undefined
      ? `${c.name}@${c.version}`
      : or(meta['lineage:feature-contract']);
  const trainingJob = meta['lineage:training-job'];
  const trainingImage = meta['lineage:training-image-digest'];
  const manifest = meta['lineage:dataset-manifest'];

  const customDetails: Record<string, string> = {
    feature_contract: contractRef,
    owner: or(c.owner),
    risk_tier: or(c.riskTier),
    features: c.features?.length
      ? clip(c.features.map((f) => `${f.name}:${f.type}:${f.pii}`).join(', '), 1024)
      : NOT_RECORDED,
    runbooks: input.runbooks?.length
      ? clip(input.runbooks.map((r) => `${r.title} <${r.url}>`).join('; '), 1024)
      : NOT_RECORDED,
    quality_statistics: clip(reportStatusText(q.status), 1024),
    bias_report: clip(reportStatusText(input.bias.status), 1024),
    fairness_report: clip(reportStatusText(input.fairness.status), 1024),
  };
  for (const key of [...LINEAGE_KEY_ORDER, ...Object.values(REVIEW_RECORD_KEYS)]) {
    customDetails[detailKey(key)] = clip(or(meta[key]), 1024);
  }

  const evaluation: Record<string, unknown>[] = [
    {
      name: 'model-quality',
      evaluation_observation: clip(`model quality statistics: ${reportStatusText(q.status)}`, 2048),
      ...(q.metrics.length > 0
        ? {
            metric_groups: [
              {
                name: 'model-quality',
                metric_data: q.metrics.slice(0, MAX_METRICS_PER_GROUP).map((m) => ({
                  name: m.name,
                  type: 'number',
                  value: m.value,
                  ...(m.standardDeviation === undefined
                    ? {}
                    : { notes: `standard deviation ${m.standardDeviation}` }),
                })),
              },
            ],
          }
        : {}),
    },
    fairnessEvaluation('pre-training-bias', 'pre-training bias report', input.bias),
    fairnessEvaluation('post-training-fairness', 'post-training fairness report', input.fairness),
  ];

  const content: Record<string, unknown> = {
    model_overview: {
      model_name: clip(`${p.groupName} version ${p.version}`, 1024),
      model_description: clip(or(p.description), 1024),
      model_owner: clip(or(c.owner), 1024),
      model_creator: clip(or(p.createdBy ?? meta['lineage:pipeline-execution']), 1024),
      ...(p.modelDataUrls?.length ? { model_artifact: p.modelDataUrls.slice(0, 15) } : {}),
      ...(p.images?.length ? { inference_environment: { container_image: p.images.slice(0, 15) } } : {}),
    },
    intended_uses: {
      purpose_of_model: clip(or(c.intendedUse), 2048),
      intended_uses: clip(or(c.intendedUse), 2048),
      risk_rating: riskRatingOf(c.riskTier),
      explanations_for_risk_rating: clip(
        c.riskTier === undefined
          ? `risk tier ${NOT_RECORDED}`
          : `risk tier ${c.riskTier}, declared by the feature contract ${contractRef} and the model registry`,
        2048,
      ),
    },
    business_details: {
      business_stakeholders: clip(or(c.owner), 2048),
    },
    training_details: {
      training_observations: clip(
        [
          `feature contract ${contractRef}`,
          `dataset manifest ${or(manifest)} (sha256 ${or(meta['lineage:dataset-manifest-sha256'])})`,
          `training job ${or(trainingJob)}`,
          `code version ${or(meta['lineage:code-version'])}`,
          `pipeline execution ${or(meta['lineage:pipeline-execution'])}`,
        ].join('; '),
        2048,
      ),
      training_job_details: {
        // training_arn is a training job ARN; a bare job name stays in the observations.
        ...(trainingJob?.startsWith('arn:') ? { training_arn: trainingJob } : {}),
        ...(manifest ? { training_datasets: [manifest] } : {}),
        ...(trainingImage ? { training_environment: { container_image: [trainingImage] } } : {}),
      },
    },
    evaluation_details: evaluation,
    additional_information: {
      ethical_considerations: clip(
        `pre-training bias: ${fairnessLine(input.bias)}; post-training fairness: ${fairnessLine(input.fairness)}`,
        2048,
      ),
      caveats_and_recommendations: clip(
        `Roll back by redeploying the previous Approved version of ${p.groupName} with the feature contract version and endpoint configuration it was registered with (see the Markdown hand-off: compliant-mlops model-doc <model-package-arn>)`,
        2048,
      ),
      custom_details: customDetails,
    },
    model_package_details: {
      model_package_arn: p.arn,
      model_package_group_name: p.groupName,
      model_package_version: p.version,
      model_approval_status: p.approvalStatus,
      ...(p.approvalDescription ? { approval_description: clip(p.approvalDescription, 1024) } : {}),
      ...(p.description ? { model_package_description: clip(p.description, 1024) } : {}),
    },
  };
  return content;
}

function fairnessLine(f: FairnessSummary): string {
  if (f.status.state !== 'read') return reportStatusText(f.status);
  const crossed = f.metrics.filter((m) => m.crossed).map((m) => `${m.facet} ${m.metric}`);
  return crossed.length > 0 ? `thresholds crossed: ${crossed.join(', ')}` : 'no threshold crossed';
}

/**
 * Content as sent to SageMaker: JSON with sorted keys, so two contents compare equal as text
 * exactly when they are equal as data.
 * @throws Error when it exceeds {@link MAX_CONTENT_CHARS}
 */
export function serializeCardContent(content: unknown): string {
  const text = JSON.stringify(sortKeys(content));
  if (text.length > MAX_CONTENT_CHARS) {
    throw new Error(
      `model card content: is too long (got ${text.length} characters; expected at most ${MAX_CONTENT_CHARS})`,
    );
  }
  return text;
}

/** Whether two serialized contents hold the same data (SageMaker may reorder keys). */
export function sameCardContent(a: string, b: string): boolean {
  try {
    return JSON.stringify(sortKeys(JSON.parse(a))) === JSON.stringify(sortKeys(JSON.parse(b)));
  } catch {
    return false;
  }
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (typeof v === 'object' && v !== null) {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

function recorded(v: unknown): string | undefined {
  return typeof v === 'string' && v !== NOT_RECORDED && v.trim() !== '' ? v : undefined;
}

/**
 * The contract facts and runbooks a card written by {@link buildModelCardContent} carries, read
 * back (the CLI renders the hand-off of a live package from its card: the contract is not in the
 * package). Fields the card lacks, or that read "not recorded", are left out.
 */
export function contractFactsFromCard(content: unknown): {
  contract: ContractFacts;
  runbooks: { title: string; url: string }[];
} {
  const c = (typeof content === 'object' && content !== null ? content : {}) as Record<string, unknown>;
  const uses = (c.intended_uses ?? {}) as Record<string, unknown>;
  const extra = ((c.additional_information ?? {}) as Record<string, unknown>).custom_details ?? {};
  const d = extra as Record<string, unknown>;
  const contract: { -readonly [K in keyof ContractFacts]: ContractFacts[K] } = {};
  const ref = recorded(d.feature_contract);
  const at = ref?.lastIndexOf('@') ?? -1;
  if (ref !== undefined && at > 0) {
    contract.name = ref.slice(0, at);
    contract.version = ref.slice(at + 1);
  }
  const intended = recorded(uses.intended_uses);
  if (intended !== undefined) contract.intendedUse = intended;
  const owner = recorded(d.owner);
  if (owner !== undefined) contract.owner = owner;
  const tier = recorded(d.risk_tier);
  if (tier !== undefined) contract.riskTier = tier;
  const features = recorded(d.features);
  if (features !== undefined && !features.endsWith('…')) {
    contract.features = features.split(', ').map((f) => {
      const [name = '', type = '', pii = ''] = f.split(':');
      return { name, type, pii };
    });
  }
  const runbooks: { title: string; url: string }[] = [];
  for (const r of (recorded(d.runbooks) ?? '').split('; ')) {
    const m = /^(.+) <(https?:\/\/[^>]+)>$/.exec(r);
    if (m) runbooks.push({ title: m[1], url: m[2] });
  }
  return { contract, runbooks };
}

/**
 * The facts the training pipeline writes into `ModelPackageDescription` (`intended use: …; risk
 * rating: …; owner: …`), for a version that has no card yet.
 */
export function contractFactsFromDescription(description: string | undefined): ContractFacts {
  const m = /^intended use: (.*?); risk rating: [A-Za-z]+; owner: (.*?)(?:; dataset: .*)?$/.exec(
    description ?? '',
  );
  return m ? { intendedUse: m[1], owner: m[2] } : {};
}
