import { ANCHOR_CONTROLS, ANCHORS, AnchorControl, anchorKey, AnchorName } from './anchors';

/**
 * How one anchor control is covered. Exactly one of:
 * - `rules`: the MLOps rule ids (`MLOps-*`) and live-only audit ids (`Audit-*`) that implement it;
 *   with `planned` too when part of it waits on a rule not merged yet;
 * - `planned` alone: rules being written now (issue 16); covered once every one of them exists;
 * - `na`: why the control does not apply to what this library builds or checks;
 * - `gap`: what is missing; issue 16 closes these.
 */
export type AnchorCoverage =
  | {
      readonly rules: readonly string[];
      readonly planned?: readonly string[];
      readonly note?: string;
      /**
       * Why the control is not live although its rules run in `audit`: the audit runs them on
       * other resource types than the control's (the tag rule reads tags live only for images and
       * app image configs).
       * @default - live when every rule runs in `audit`
       */
      readonly notLive?: string;
    }
  | { readonly planned: readonly string[]; readonly note?: string }
  | { readonly na: string }
  | { readonly gap: string };

const M = (name: string): string => `MLOps-${name}`;

// The rules another helper is adding for issue 16; `planned` until they are merged.
const NOTEBOOK_KMS = M('SageMakerNotebookKMS');
const NOTEBOOK_VPC = M('SageMakerNotebookVpc');
const NOTEBOOK_NO_INTERNET = M('SageMakerNotebookNoDirectInternet');
const NOTEBOOK_PLATFORM = M('SageMakerNotebookPlatformIdentifier');
const DOMAIN_SSO = M('SageMakerStudioDomainSsoAuth');
const INFERENCE_EXPERIMENT_KMS = M('SageMakerInferenceExperimentKMS');

const ENDPOINT_KMS = M('SageMakerEndpointConfigKMS');
const INSTANCE_COUNT = M('SageMakerEndpointConfigInstanceCount');
const MODEL_ISOLATION = M('SageMakerModelNetworkIsolation');
const MODEL_VPC = M('SageMakerModelVpcConfig');
const ROOT_ACCESS = M('SageMakerNotebookRootAccessDisabled');
const IMDSV2 = M('SageMakerNotebookIMDSv2');
// Processing, data/model quality, bias and explainability job definitions and monitoring
// schedules: the ProcessingJob rules read all of them (PROCESSING_JOB_TYPES).
const JOB_ISOLATION = M('SageMakerProcessingJobNetworkIsolation');
const JOB_ICTE = M('SageMakerProcessingJobInterContainerEncryption');
const JOB_VOLUME_KMS = M('SageMakerProcessingJobVolumeKMS');
const JOB_OUTPUT_KMS = M('SageMakerProcessingJobOutputKMS');
const OFFLINE_KMS = M('SageMakerFeatureGroupOfflineStoreKMS');
const ONLINE_KMS = M('SageMakerFeatureGroupOnlineStoreKMS');
const DOMAIN_KMS = M('SageMakerStudioDomainKMS');
const DOMAIN_VPC = M('SageMakerStudioDomainVpcOnly');
const TAGS = M('SageMakerRequiredTags');
// The audit reads tags (ListTags) of images and app image configs only: Describe* returns none.
const TAGS_NOT_READ_LIVE = 'the audit reads tags (ListTags) of images and app image configs only';
// Training jobs live in pipelines at synth; the audit runs the same rule on live training jobs.
const TRAINING = M('SageMakerPipelineTrainingStep');
const ROLE_NO_FULL_ACCESS = M('SageMakerExecutionRoleNoFullAccess');
const IAM_WILDCARD = M('IAMWildcardResourceOnlyForUnscopableActions');

// AWS documents RepositoryAccessMode 'Platform' as "the model image is hosted in Amazon ECR" and 'Vpc'
// as a private Docker registry "other than Amazon Elastic Container Registry" reached from the VPC
// (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ImageConfig.html,
// https://docs.aws.amazon.com/sagemaker/latest/dg/your-algorithms-containers-inference-private.html).
// The controls fail every Platform-mode model, i.e. every ECR image.
const PRIVATE_REGISTRY_IN_VPC =
  "requires ImageConfig.RepositoryAccessMode 'Vpc', which AWS documents only for a private Docker registry other " +
  "than Amazon ECR (an ECR image is pulled in 'Platform' mode): " +
  'https://docs.aws.amazon.com/sagemaker/latest/dg/your-algorithms-containers-inference-private.html; ' +
  'the pack requires private ECR images (MLOps-SageMakerModelPrivateRegistry rejects every other registry), ' +
  'so no model it passes can use Vpc mode';

const NOTEBOOK_KMS_ONLY: AnchorCoverage = { planned: [NOTEBOOK_KMS] };
const NOTEBOOK_VPC_ONLY: AnchorCoverage = { planned: [NOTEBOOK_VPC] };
const NO_INTERNET_ONLY: AnchorCoverage = { planned: [NOTEBOOK_NO_INTERNET] };

/**
 * Every anchor control (key `<anchor>:<id>`, see ./anchors.ts) and how it is covered. A test pins
 * that every control is here and every rule id named exists; each rule's anchor list, the SARIF
 * descriptors and docs/CONTROL-COVERAGE.md are derived from this table, never kept by hand.
 */
export const ANCHOR_MAPPING: Readonly<Record<string, AnchorCoverage>> = {
  // Security Hub CSPM
  'SecurityHub:SageMaker.1': NO_INTERNET_ONLY,
  'SecurityHub:SageMaker.2': NOTEBOOK_VPC_ONLY,
  'SecurityHub:SageMaker.3': { rules: [ROOT_ACCESS] },
  'SecurityHub:SageMaker.4': { rules: [INSTANCE_COUNT] },
  'SecurityHub:SageMaker.5': { rules: [MODEL_ISOLATION] },
  'SecurityHub:SageMaker.6': { rules: [TAGS] },
  'SecurityHub:SageMaker.7': { rules: [TAGS] },
  'SecurityHub:SageMaker.8': { planned: [NOTEBOOK_PLATFORM] },
  'SecurityHub:SageMaker.9': { rules: [JOB_ICTE] },
  'SecurityHub:SageMaker.10': { rules: [JOB_ICTE] },
  'SecurityHub:SageMaker.11': { rules: [JOB_ISOLATION] },
  'SecurityHub:SageMaker.12': { rules: [JOB_ISOLATION] },
  'SecurityHub:SageMaker.13': { rules: [JOB_ICTE] },
  'SecurityHub:SageMaker.14': { rules: [JOB_ISOLATION] },
  'SecurityHub:SageMaker.15': { rules: [JOB_ICTE] },
  'SecurityHub:SageMaker.16': { na: PRIVATE_REGISTRY_IN_VPC },
  'SecurityHub:SageMaker.17': { rules: [OFFLINE_KMS] },
  'SecurityHub:SageMaker.18': { rules: [ONLINE_KMS] },
  'SecurityHub:SageMaker.19': { na: PRIVATE_REGISTRY_IN_VPC },
  'SecurityHub:SageMaker.20': { rules: [JOB_ISOLATION] },
  'SecurityHub:SageMaker.21': NOTEBOOK_KMS_ONLY,
  'SecurityHub:SageMaker.22': { rules: [JOB_ICTE] },
  'SecurityHub:SageMaker.23': { planned: [INFERENCE_EXPERIMENT_KMS] },
  'SecurityHub:SageMaker.24': { planned: [INFERENCE_EXPERIMENT_KMS] },
  'SecurityHub:SageMaker.25': { rules: [JOB_ISOLATION] },

  // AWS Config managed rules
  'Config:sagemaker-app-image-config-tagged': { rules: [TAGS] },
  'Config:sagemaker-data-quality-job-encrypt-in-transit': { rules: [JOB_ICTE] },
  'Config:sagemaker-data-quality-job-isolation': { rules: [JOB_ISOLATION] },
  'Config:sagemaker-domain-in-vpc': { rules: [DOMAIN_VPC] },
  'Config:sagemaker-domain-tagged': { rules: [TAGS], notLive: TAGS_NOT_READ_LIVE },
  'Config:sagemaker-endpoint-config-prod-instance-count': { rules: [INSTANCE_COUNT] },
  'Config:sagemaker-endpoint-configuration-kms-key-configured': { rules: [ENDPOINT_KMS] },
  'Config:sagemaker-feature-group-tagged': { rules: [TAGS], notLive: TAGS_NOT_READ_LIVE },
  'Config:sagemaker-featuregroup-encryption-at-rest': { rules: [OFFLINE_KMS] },
  'Config:sagemaker-featuregroup-description': { planned: [M('SageMakerFeatureGroupDescription')] },
  'Config:sagemaker-featuregroup-online-store-encryption': { rules: [ONLINE_KMS] },
  'Config:sagemaker-image-description': { rules: [M('SageMakerImageDescription')] },
  'Config:sagemaker-image-tagged': { rules: [TAGS] },
  'Config:sagemaker-inf-experiment-data-storage-kms-encrypted': { planned: [INFERENCE_EXPERIMENT_KMS] },
  'Config:sagemaker-inf-experiment-instance-storage-kms-encrypted': { planned: [INFERENCE_EXPERIMENT_KMS] },
  'Config:sagemaker-model-bias-job-encrypt-in-transit': { rules: [JOB_ICTE] },
  'Config:sagemaker-model-bias-job-isolation': { rules: [JOB_ISOLATION] },
  'Config:sagemaker-model-explainability-job-encrypt-in-transit': { rules: [JOB_ICTE] },
  'Config:sagemaker-model-explainability-job-network-isolation': { rules: [JOB_ISOLATION] },
  'Config:sagemaker-model-in-vpc': { rules: [MODEL_VPC] },
  'Config:sagemaker-model-isolation-enabled': { rules: [MODEL_ISOLATION] },
  'Config:sagemaker-model-multicontainer-private-registry': { na: PRIVATE_REGISTRY_IN_VPC },
  'Config:sagemaker-model-private-registry-required': { na: PRIVATE_REGISTRY_IN_VPC },
  'Config:sagemaker-model-quality-job-definition-isolation': { rules: [JOB_ISOLATION] },
  'Config:sagemaker-model-quality-job-encrypt-in-transit': { rules: [JOB_ICTE] },
  'Config:sagemaker-monitoring-schedule-isolation': { rules: [JOB_ISOLATION] },
  'Config:sagemaker-monitoring-schedule-traffic-encryption': { rules: [JOB_ICTE] },
  'Config:sagemaker-notebook-instance-inside-vpc': NOTEBOOK_VPC_ONLY,
  'Config:sagemaker-notebook-instance-kms-key-configured': NOTEBOOK_KMS_ONLY,
  'Config:sagemaker-notebook-instance-platform-version': { planned: [NOTEBOOK_PLATFORM] },
  'Config:sagemaker-notebook-instance-root-access-check': { rules: [ROOT_ACCESS] },
  'Config:sagemaker-notebook-instance-storage-vol-kms-encrypted': NOTEBOOK_KMS_ONLY,
  'Config:sagemaker-notebook-no-direct-internet-access': NO_INTERNET_ONLY,

  // AWS Control Tower: the proactive control also requires SubnetId and SecurityGroupIds.
  'ControlTower:CT.SAGEMAKER.PR.1': { planned: [NOTEBOOK_NO_INTERNET, NOTEBOOK_VPC] },

  // Prowler (the live-account anchor: `audit` runs the same rules on live resources)
  // Prowler passes a region with a processing job on the sagemaker-clarify-processing image.
  'Prowler:sagemaker_clarify_exists': {
    na:
      'passes when any Clarify processing job exists in the region; SageMaker Clarify is no longer open to new ' +
      'customers (https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-processing-job-data-format.html), ' +
      "so requiring it is not actionable: the library's own bias checks are issue 17",
  },
  'Prowler:sagemaker_domain_sso_configured': { planned: [DOMAIN_SSO] },
  'Prowler:sagemaker_endpoint_config_kms_encryption_enabled': { rules: [ENDPOINT_KMS] },
  'Prowler:sagemaker_endpoint_config_prod_variant_instances': { rules: [INSTANCE_COUNT] },
  // Prowler asks for one Scheduled monitoring schedule per region; the audit asks for one monitor
  // (a schedule or the DriftMonitor's heartbeat) per in-service endpoint.
  'Prowler:sagemaker_models_monitor_enabled': { rules: ['Audit-EndpointNotMonitored'] },
  'Prowler:sagemaker_models_network_isolation_enabled': { rules: [MODEL_ISOLATION] },
  'Prowler:sagemaker_models_registry_in_use': { rules: ['Audit-ModelRegistryNotInUse'] },
  'Prowler:sagemaker_models_vpc_settings_configured': { rules: [MODEL_VPC] },
  'Prowler:sagemaker_notebook_instance_encryption_enabled': NOTEBOOK_KMS_ONLY,
  'Prowler:sagemaker_notebook_instance_no_secrets': { rules: [M('SageMakerLifecycleConfigNoSecrets')] },
  'Prowler:sagemaker_notebook_instance_root_access_disabled': { rules: [ROOT_ACCESS] },
  'Prowler:sagemaker_notebook_instance_vpc_settings_configured': NOTEBOOK_VPC_ONLY,
  'Prowler:sagemaker_notebook_instance_without_direct_internet_access_configured': NO_INTERNET_ONLY,
  'Prowler:sagemaker_training_jobs_intercontainer_encryption_enabled': { rules: [TRAINING] },
  'Prowler:sagemaker_training_jobs_network_isolation_enabled': { rules: [TRAINING] },
  'Prowler:sagemaker_training_jobs_volume_and_output_encryption_enabled': { rules: [TRAINING] },
  'Prowler:sagemaker_training_jobs_vpc_settings_configured': { rules: [TRAINING] },
  // Live only: IAM last-accessed data exists in no template. Same semantics as Prowler (a listed
  // sagemaker namespace never used, or last used more than N days ago, default 90, --stale-days).
  'Prowler:iam_user_access_not_stale_to_sagemaker': { rules: ['Audit-IamUserStaleSageMakerAccess'] },

  // Checkov
  'Checkov:CKV_AWS_22': NOTEBOOK_KMS_ONLY,
  'Checkov:CKV_AWS_98': { rules: [ENDPOINT_KMS] },
  'Checkov:CKV_AWS_122': NO_INTERNET_ONLY,
  'Checkov:CKV_AWS_187': { rules: [DOMAIN_KMS], planned: [NOTEBOOK_KMS] },
  'Checkov:CKV_AWS_306': NOTEBOOK_VPC_ONLY,
  'Checkov:CKV_AWS_307': { rules: [ROOT_ACCESS] },
  'Checkov:CKV_AWS_367': { rules: [JOB_OUTPUT_KMS] },
  'Checkov:CKV_AWS_368': { rules: [JOB_VOLUME_KMS] },
  'Checkov:CKV_AWS_369': { rules: [JOB_ICTE] },
  'Checkov:CKV_AWS_370': { rules: [MODEL_ISOLATION] },
  'Checkov:CKV_AWS_371': { rules: [IMDSV2] },
  'Checkov:CKV_AWS_372': {
    rules: ['Audit-FlowDefinitionOutputKMS'],
    note:
      'live only: CloudFormation has no AWS::SageMaker::FlowDefinition resource type ' +
      '(https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/AWS_SageMaker.html), so no ' +
      'template holds a flow definition; the audit reads them with DescribeFlowDefinition and rejects a ' +
      'missing OutputConfig.KmsKeyId and AWS managed alias/aws/* keys',
  },
  'Checkov:CKV2_AWS_68': {
    rules: [ROLE_NO_FULL_ACCESS, IAM_WILDCARD],
    note: 'judged on every SageMaker execution role and IAM policy, notebook roles included',
  },

  // cdk-nag: the MLOps pack covers its SageMaker rules, so MLOpsChecks alone is enough
  'cdk-nag:AwsSolutions-SM1': NOTEBOOK_VPC_ONLY,
  'cdk-nag:AwsSolutions-SM2': NOTEBOOK_KMS_ONLY,
  'cdk-nag:AwsSolutions-SM3': NO_INTERNET_ONLY,
  ...Object.fromEntries(
    ['NIST.800.53.R4', 'NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'].flatMap((pack) => [
      [`cdk-nag:${pack}-SageMakerEndpointConfigurationKMSKeyConfigured`, { rules: [ENDPOINT_KMS] }],
      [`cdk-nag:${pack}-SageMakerNotebookInstanceKMSKeyConfigured`, NOTEBOOK_KMS_ONLY],
      [`cdk-nag:${pack}-SageMakerNotebookNoDirectInternetAccess`, NO_INTERNET_ONLY],
    ]),
  ),

  // KICS
  'KICS:sagemaker_data_encryption_disabled': NOTEBOOK_KMS_ONLY,
  'KICS:sagemaker_endpoint_config_should_specify_kms_key_id': { rules: [ENDPOINT_KMS] },
  'KICS:sagemaker_notebook_not_placed_in_vpc': NOTEBOOK_VPC_ONLY,
};

/** The rule ids an entry names, implemented and planned. */
export function ruleIdsOf(entry: AnchorCoverage): string[] {
  return [...('rules' in entry ? entry.rules : []), ...('planned' in entry ? (entry.planned ?? []) : [])];
}

/**
 * The anchor controls a rule implements (`SecurityHub:SageMaker.5`, ...), derived from
 * {@link ANCHOR_MAPPING}: the rule is named in the control's `rules` or `planned`.
 */
export function anchorsOf(ruleId: string): string[] {
  return ANCHOR_CONTROLS.map(anchorKey).filter((key) => {
    const entry = ANCHOR_MAPPING[key];
    return entry !== undefined && ruleIdsOf(entry).includes(ruleId);
  });
}

/** covered: every rule named exists; planned: some named rule is not merged yet. */
export type CoverageStatus = 'covered' | 'planned' | 'na' | 'gap';

/** One control in the coverage table. */
export interface CoverageRow {
  readonly control: AnchorControl;
  readonly status: CoverageStatus;
  /** The rule ids that implement it (existing and planned). */
  readonly rules: readonly string[];
  /** The not-applicable or gap reason, or the entry's note. */
  readonly reason?: string;
  /** Covered, and `compliant-mlops audit` runs every rule that covers it on live resources. */
  readonly live: boolean;
}

/** The rule ids the coverage is judged against. */
export interface RuleIdSets {
  /** Every registered rule id (MLOps and audit). */
  readonly known: ReadonlySet<string>;
  /** The rule ids `compliant-mlops audit` runs on live resources. */
  readonly live: ReadonlySet<string>;
}

/** The coverage of every anchor control, judged against the rule ids that exist and run live. */
export function coverageRows(ids: RuleIdSets): CoverageRow[] {
  return ANCHOR_CONTROLS.map((control): CoverageRow => {
    const entry = ANCHOR_MAPPING[anchorKey(control)];
    if (entry === undefined) return { control, status: 'gap', rules: [], reason: 'not mapped', live: false };
    if ('na' in entry) return { control, status: 'na', rules: [], reason: entry.na, live: false };
    if ('gap' in entry) return { control, status: 'gap', rules: [], reason: entry.gap, live: false };
    const rules = ruleIdsOf(entry);
    const status = rules.every((id) => ids.known.has(id)) ? 'covered' : 'planned';
    const notLive = 'notLive' in entry ? entry.notLive : undefined;
    const live = status === 'covered' && rules.every((id) => ids.live.has(id)) && notLive === undefined;
    const reason = [entry.note, notLive !== undefined ? `not live: ${notLive}` : undefined]
      .filter((r): r is string => r !== undefined)
      .join('; ');
    return { control, status, rules, live, ...(reason !== '' ? { reason } : {}) };
  });
}

const STATUS_TEXT: Readonly<Record<CoverageStatus, string>> = {
  covered: 'covered',
  planned: 'planned',
  na: 'not applicable',
  gap: 'gap',
};

const cell = (text: string): string => text.replace(/\|/g, '\\|');

/**
 * The coverage table per anchor as Markdown: counts per anchor, then one row per control with
 * the rules that implement it or the reason it is not covered. `compliant-mlops rules --format
 * markdown` prints it and docs/CONTROL-COVERAGE.md is this text.
 */
export function renderCoverageMarkdown(ids: RuleIdSets): string {
  const rows = coverageRows(ids);
  const byAnchor = (name: AnchorName) => rows.filter((r) => r.control.anchor === name);
  const count = (list: readonly CoverageRow[], s: CoverageStatus) =>
    list.filter((r) => r.status === s).length;
  const lines = [
    '## Control coverage per anchor',
    '',
    'Each SageMaker control of the public tools below is mapped to the MLOps rules (`MLOps-*`) or live audit',
    'rules (`Audit-*`) that implement it, or marked not applicable or a gap with the reason. `planned`: the',
    'rules are being written (issue 16). `live`: `compliant-mlops audit` also runs those rules on the live',
    'resources of an account. Generated from lib/policy/anchor-mapping.ts.',
    '',
    '| anchor | controls | covered | planned | not applicable | gap | live in audit |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const a of ANCHORS) {
    const list = byAnchor(a.name);
    lines.push(
      `| [${a.title}](${a.source}) | ${list.length} | ${count(list, 'covered')} | ${count(list, 'planned')} | ${count(list, 'na')} | ${count(list, 'gap')} | ${list.filter((r) => r.live).length} |`,
    );
  }
  lines.push(
    `| **all** | ${rows.length} | ${count(rows, 'covered')} | ${count(rows, 'planned')} | ${count(rows, 'na')} | ${count(rows, 'gap')} | ${rows.filter((r) => r.live).length} |`,
  );
  for (const a of ANCHORS) {
    lines.push(
      '',
      `### ${a.title}`,
      '',
      '| control | title | status | live | rules or reason |',
      '|---|---|---|---|---|',
    );
    for (const r of byAnchor(a.name)) {
      const how = [r.rules.map((id) => `\`${id}\``).join(', '), r.reason].filter(Boolean).join(' — ');
      lines.push(
        `| [${cell(r.control.id)}](${r.control.source}) | ${cell(r.control.title)} | ${STATUS_TEXT[r.status]} | ${r.live ? 'yes' : ''} | ${cell(how)} |`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
