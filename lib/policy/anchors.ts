/**
 * The SageMaker controls of the public tools security teams compare us with ("anchors"), written
 * from each tool's own documentation or source. Only controls read in a source are listed; the
 * mapping of each one onto our rules is in ./anchor-mapping.ts, and docs/CONTROL-COVERAGE.md is
 * generated from both (`npm run docs:coverage`).
 *
 * Where each list was read, and how many controls it has here:
 * - Checkov (13): bridgecrewio/checkov, checkov/{cloudformation,terraform}/checks — every check
 *   whose file names SageMaker (the `id` and `name` of each check class or graph check YAML).
 * - Prowler (18): prowler-cloud/prowler, prowler/providers/aws/services/sagemaker/*.metadata.json
 *   (17 checks) and services/iam/iam_user_access_not_stale_to_sagemaker (1), `CheckID`/`CheckTitle`.
 * - SecurityHub (25): the Security Hub CSPM controls reference, "Security Hub CSPM controls for
 *   SageMaker AI" (SageMaker.1–SageMaker.25).
 * - Config (33): the AWS Config managed rule of each Security Hub control above (the page names
 *   it), plus the managed rules for domains, images, models and feature groups, each read on its
 *   page of the AWS Config developer guide (the `source` of each entry).
 * - ControlTower (1): only CT.SAGEMAKER.PR.1 was found in a source (Control Tower's proactive
 *   control guard rule text); the other two SageMaker controls the brief mentions were not found,
 *   so they are not listed.
 * - cdk-nag (15): cdklabs/cdk-nag RULES.md — AwsSolutions-SM1/SM2/SM3 and the three SageMaker rules
 *   of each of the NIST 800-53 r4, NIST 800-53 r5, HIPAA Security and PCI DSS 3.2.1 packs.
 * - KICS (3): Checkmarx/kics assets/queries/cloudFormation — the SageMaker queries found in the
 *   indexed copy (two with their metadata.json `queryName`, one by its query folder); the full
 *   repository was too large to fetch, so the list may be short of the ~5 expected.
 */

/** A tool whose SageMaker controls we map. */
export type AnchorName =
  'Checkov' | 'Prowler' | 'SecurityHub' | 'Config' | 'ControlTower' | 'cdk-nag' | 'KICS';

/** One control of an anchor. */
export interface AnchorControl {
  /** The tool. */
  readonly anchor: AnchorName;
  /** The control's id in that tool (`SageMaker.5`, `CKV_AWS_370`, `sagemaker-model-in-vpc`). */
  readonly id: string;
  /**
   * Its title, as the tool words it; AWS Config managed rules have none, so theirs sums up the
   * rule's description, and the KICS query without a stored metadata file is named after its folder.
   */
  readonly title: string;
  /** Where the control is documented. */
  readonly source: string;
}

/** The anchors, in the order the coverage table lists them, with where their lists come from. */
export const ANCHORS: readonly {
  readonly name: AnchorName;
  readonly title: string;
  readonly source: string;
}[] = [
  {
    name: 'SecurityHub',
    title: 'AWS Security Hub CSPM',
    source: 'https://docs.aws.amazon.com/securityhub/latest/userguide/sagemaker-controls.html',
  },
  {
    name: 'Config',
    title: 'AWS Config managed rules',
    source: 'https://docs.aws.amazon.com/config/latest/developerguide/managed-rules-by-aws-config.html',
  },
  {
    name: 'ControlTower',
    title: 'AWS Control Tower',
    source: 'https://docs.aws.amazon.com/controltower/latest/controlreference/proactive-controls.html',
  },
  {
    name: 'Prowler',
    title: 'Prowler',
    source: 'https://github.com/prowler-cloud/prowler/tree/master/prowler/providers/aws/services/sagemaker',
  },
  {
    name: 'Checkov',
    title: 'Checkov',
    source: 'https://github.com/bridgecrewio/checkov/tree/main/checkov/terraform/checks/resource/aws',
  },
  {
    name: 'cdk-nag',
    title: 'cdk-nag',
    source: 'https://github.com/cdklabs/cdk-nag/blob/main/RULES.md',
  },
  {
    name: 'KICS',
    title: 'KICS',
    source: 'https://github.com/Checkmarx/kics/tree/master/assets/queries/cloudFormation',
  },
];

const SH = 'https://docs.aws.amazon.com/securityhub/latest/userguide/sagemaker-controls.html';
const securityHub = (n: number, title: string): AnchorControl => ({
  anchor: 'SecurityHub',
  id: `SageMaker.${n}`,
  title,
  source: `${SH}#sagemaker-${n}`,
});

const config = (id: string, title: string): AnchorControl => ({
  anchor: 'Config',
  id,
  title,
  source: `https://docs.aws.amazon.com/config/latest/developerguide/${id}.html`,
});

const PROWLER = 'https://github.com/prowler-cloud/prowler/tree/master/prowler/providers/aws/services';
const prowler = (id: string, title: string, service = 'sagemaker'): AnchorControl => ({
  anchor: 'Prowler',
  id,
  title,
  source: `${PROWLER}/${service}/${id}`,
});

const CHECKOV = 'https://github.com/bridgecrewio/checkov/blob/main/checkov';
const checkov = (id: string, title: string, file: string): AnchorControl => ({
  anchor: 'Checkov',
  id,
  title,
  source: `${CHECKOV}/${file}`,
});

const RULES_MD = 'https://github.com/cdklabs/cdk-nag/blob/main/RULES.md';
const cdkNag = (id: string, title: string): AnchorControl => ({
  anchor: 'cdk-nag',
  id,
  title,
  source: RULES_MD,
});

const KICS = 'https://github.com/Checkmarx/kics/tree/master/assets/queries/cloudFormation';
const kics = (id: string, title: string, folder: string): AnchorControl => ({
  anchor: 'KICS',
  id,
  title,
  source: `${KICS}/${folder}`,
});

/** The three SageMaker rules every compliance pack of cdk-nag (NIST r4/r5, HIPAA, PCI) carries. */
const CDK_NAG_COMPLIANCE_PACKS = [
  'NIST.800.53.R4',
  'NIST.800.53.R5',
  'HIPAA.Security',
  'PCI.DSS.321',
] as const;
const CDK_NAG_COMPLIANCE_RULES = [
  [
    'SageMakerEndpointConfigurationKMSKeyConfigured',
    'The SageMaker resource endpoint is not encrypted with a KMS key.',
  ],
  ['SageMakerNotebookInstanceKMSKeyConfigured', 'The SageMaker notebook is not encrypted with a KMS key.'],
  [
    'SageMakerNotebookNoDirectInternetAccess',
    'The SageMaker notebook does not disable direct internet access.',
  ],
] as const;

/** Every anchor control, grouped by anchor in {@link ANCHORS} order. */
export const ANCHOR_CONTROLS: readonly AnchorControl[] = [
  securityHub(1, 'Amazon SageMaker notebook instances should not have direct internet access'),
  securityHub(2, 'SageMaker notebook instances should be launched in a custom VPC'),
  securityHub(3, 'Users should not have root access to SageMaker notebook instances'),
  securityHub(
    4,
    'SageMaker endpoint production variants should have an initial instance count greater than 1',
  ),
  securityHub(5, 'SageMaker models should have network isolation enabled'),
  securityHub(6, 'SageMaker app image configurations should be tagged'),
  securityHub(7, 'SageMaker images should be tagged'),
  securityHub(8, 'SageMaker notebook instances should run on supported platforms'),
  securityHub(
    9,
    'SageMaker data quality job definitions should have inter-container traffic encryption enabled',
  ),
  securityHub(
    10,
    'SageMaker model explainability job definitions should have inter-container traffic encryption enabled',
  ),
  securityHub(11, 'SageMaker data quality job definitions should have network isolation enabled'),
  securityHub(12, 'SageMaker model bias job definitions should have network isolation enabled'),
  securityHub(
    13,
    'SageMaker model quality job definitions should have inter-container traffic encryption enabled',
  ),
  securityHub(14, 'SageMaker monitoring schedules should have network isolation enabled'),
  securityHub(
    15,
    'SageMaker model bias job definitions should have inter-container traffic encryption enabled',
  ),
  securityHub(16, 'SageMaker models should use private registry in VPC for primary containers'),
  securityHub(17, 'SageMaker feature group offline stores should be encrypted with AWS KMS keys'),
  securityHub(
    18,
    'SageMaker feature group online stores with standard storage should be encrypted with AWS KMS keys',
  ),
  securityHub(
    19,
    'SageMaker models should use private registry in VPC for multi-container inference pipelines',
  ),
  securityHub(20, 'SageMaker model explainability job definitions should have network isolation enabled'),
  securityHub(21, 'SageMaker notebook instances should be encrypted with customer managed AWS KMS keys'),
  securityHub(22, 'SageMaker monitoring schedules should have inter-container traffic encryption enabled'),
  securityHub(
    23,
    'SageMaker inference experiments should have instance storage volume encrypted with customer managed AWS KMS keys',
  ),
  securityHub(
    24,
    'SageMaker inference experiments should have data storage encrypted with customer managed AWS KMS keys',
  ),
  securityHub(25, 'SageMaker model quality job definitions should have network isolation enabled'),

  config('sagemaker-app-image-config-tagged', 'SageMaker app image configs have tags'),
  config(
    'sagemaker-data-quality-job-encrypt-in-transit',
    'Data quality job definitions encrypt inter-container traffic',
  ),
  config(
    'sagemaker-data-quality-job-isolation',
    'Data quality job definitions have network isolation enabled',
  ),
  config(
    'sagemaker-domain-in-vpc',
    'SageMaker domains use a customer VPC for non-EFS traffic (AppNetworkAccessType VpcOnly)',
  ),
  config('sagemaker-domain-tagged', 'SageMaker domains have tags'),
  config(
    'sagemaker-endpoint-config-prod-instance-count',
    'Endpoint configuration production variants have InitialInstanceCount > 1',
  ),
  config(
    'sagemaker-endpoint-configuration-kms-key-configured',
    'A KMS key is configured for the endpoint configuration',
  ),
  config('sagemaker-feature-group-tagged', 'SageMaker feature groups have tags'),
  config(
    'sagemaker-featuregroup-encryption-at-rest',
    'Feature group offline stores are encrypted with a KMS key',
  ),
  config('sagemaker-featuregroup-description', 'SageMaker feature groups contain a non-empty description'),
  config(
    'sagemaker-featuregroup-online-store-encryption',
    'Feature group online stores with standard storage are encrypted with a KMS key',
  ),
  config('sagemaker-image-description', 'SageMaker images have a description'),
  config('sagemaker-image-tagged', 'SageMaker images have tags'),
  config(
    'sagemaker-inf-experiment-data-storage-kms-encrypted',
    'Inference experiments encrypt captured data with a KMS key',
  ),
  config(
    'sagemaker-inf-experiment-instance-storage-kms-encrypted',
    'Inference experiments encrypt instance storage volumes with a KMS key',
  ),
  config(
    'sagemaker-model-bias-job-encrypt-in-transit',
    'Model bias job definitions encrypt inter-container traffic',
  ),
  config('sagemaker-model-bias-job-isolation', 'Model bias job definitions have network isolation enabled'),
  config(
    'sagemaker-model-explainability-job-encrypt-in-transit',
    'Model explainability job definitions encrypt inter-container traffic',
  ),
  config(
    'sagemaker-model-explainability-job-network-isolation',
    'Model explainability job definitions have network isolation enabled',
  ),
  config('sagemaker-model-in-vpc', 'SageMaker models use a VPC for container traffic'),
  config('sagemaker-model-isolation-enabled', 'SageMaker models have network isolation enabled'),
  config(
    'sagemaker-model-multicontainer-private-registry',
    'Multi-container models pull images from a private registry in a VPC',
  ),
  config(
    'sagemaker-model-private-registry-required',
    'Models pull the primary container image from a private registry in a VPC',
  ),
  config(
    'sagemaker-model-quality-job-definition-isolation',
    'Model quality job definitions have network isolation enabled',
  ),
  config(
    'sagemaker-model-quality-job-encrypt-in-transit',
    'Model quality job definitions encrypt inter-container traffic',
  ),
  config('sagemaker-monitoring-schedule-isolation', 'Monitoring schedules have network isolation enabled'),
  config(
    'sagemaker-monitoring-schedule-traffic-encryption',
    'Monitoring schedules encrypt inter-container traffic',
  ),
  config(
    'sagemaker-notebook-instance-inside-vpc',
    'Notebook instances are launched within a VPC (or approved subnets)',
  ),
  config(
    'sagemaker-notebook-instance-kms-key-configured',
    'A KMS key is configured for the notebook instance',
  ),
  config(
    'sagemaker-notebook-instance-platform-version',
    'Notebook instances use a supported platform identifier version',
  ),
  config('sagemaker-notebook-instance-root-access-check', 'Notebook instances have RootAccess disabled'),
  config(
    'sagemaker-notebook-instance-storage-vol-kms-encrypted',
    'Notebook instance storage volumes are encrypted with a KMS key',
  ),
  config(
    'sagemaker-notebook-no-direct-internet-access',
    'Notebook instances have direct internet access disabled',
  ),

  {
    anchor: 'ControlTower',
    id: 'CT.SAGEMAKER.PR.1',
    title: 'Require an Amazon SageMaker notebook instance to prevent direct internet access',
    source: 'https://docs.aws.amazon.com/controltower/latest/controlreference/sagemaker-rules.html',
  },

  prowler('sagemaker_clarify_exists', 'Amazon SageMaker Clarify processing jobs exist in the region'),
  prowler('sagemaker_domain_sso_configured', 'SageMaker domains use SSO authentication instead of IAM mode'),
  prowler(
    'sagemaker_endpoint_config_kms_encryption_enabled',
    'SageMaker endpoint configuration is encrypted with a KMS key',
  ),
  prowler(
    'sagemaker_endpoint_config_prod_variant_instances',
    'SageMaker endpoint configuration has all production variants with at least two initial instances',
  ),
  prowler('sagemaker_models_monitor_enabled', 'Amazon SageMaker has a monitoring schedule scheduled'),
  prowler(
    'sagemaker_models_network_isolation_enabled',
    'Amazon SageMaker model has network isolation enabled',
  ),
  prowler(
    'sagemaker_models_registry_in_use',
    'Amazon SageMaker Model Registry should have at least one approved model package',
  ),
  prowler('sagemaker_models_vpc_settings_configured', 'Amazon SageMaker model has VPC settings enabled'),
  prowler(
    'sagemaker_notebook_instance_encryption_enabled',
    'SageMaker notebook instance is encrypted with a KMS key',
  ),
  prowler(
    'sagemaker_notebook_instance_no_secrets',
    'SageMaker notebook instance lifecycle configuration contains no hardcoded secrets',
  ),
  prowler(
    'sagemaker_notebook_instance_root_access_disabled',
    'Amazon SageMaker notebook instance has root access disabled',
  ),
  prowler(
    'sagemaker_notebook_instance_vpc_settings_configured',
    'Amazon SageMaker notebook instance has VPC settings configured',
  ),
  prowler(
    'sagemaker_notebook_instance_without_direct_internet_access_configured',
    'Amazon SageMaker notebook instance has direct internet access disabled',
  ),
  prowler(
    'sagemaker_training_jobs_intercontainer_encryption_enabled',
    'Amazon SageMaker training job has inter-container traffic encryption enabled',
  ),
  prowler(
    'sagemaker_training_jobs_network_isolation_enabled',
    'Amazon SageMaker training job has network isolation enabled',
  ),
  prowler(
    'sagemaker_training_jobs_volume_and_output_encryption_enabled',
    'Amazon SageMaker training job volume has KMS encryption enabled',
  ),
  prowler(
    'sagemaker_training_jobs_vpc_settings_configured',
    'Amazon SageMaker training job has VPC configuration enabled',
  ),
  prowler(
    'iam_user_access_not_stale_to_sagemaker',
    'Regular SageMaker access ensures IAM users retain only actively used permissions',
    'iam',
  ),

  checkov(
    'CKV_AWS_22',
    'Ensure SageMaker Notebook is encrypted at rest using KMS CMK',
    'terraform/checks/resource/aws/SagemakerNotebookEncryption.py',
  ),
  checkov(
    'CKV_AWS_98',
    'Ensure all data stored in the Sagemaker Endpoint is securely encrypted at rest',
    'terraform/checks/resource/aws/SagemakerEndpointConfigurationEncryption.py',
  ),
  checkov(
    'CKV_AWS_122',
    'Ensure that direct internet access is disabled for an Amazon SageMaker Notebook Instance',
    'terraform/checks/resource/aws/SageMakerInternetAccessDisabled.py',
  ),
  checkov(
    'CKV_AWS_187',
    'Ensure Sagemaker domain and notebook instance are encrypted by KMS using a customer managed Key (CMK)',
    'cloudformation/checks/resource/aws/SagemakerNotebookEncryptedWithCMK.py',
  ),
  checkov(
    'CKV_AWS_306',
    'Ensure SageMaker notebook instances should be launched into a custom VPC',
    'terraform/checks/resource/aws/SagemakerNotebookInCustomVPC.py',
  ),
  checkov(
    'CKV_AWS_307',
    'Ensure SageMaker Users should not have root access to SageMaker notebook instances',
    'terraform/checks/resource/aws/SagemakerNotebookRoot.py',
  ),
  checkov(
    'CKV_AWS_367',
    'Ensure Amazon Sagemaker Data Quality Job uses KMS to encrypt model artifacts',
    'cloudformation/checks/resource/aws/SagemakerDataQualityJobDefinitionEncryption.py',
  ),
  checkov(
    'CKV_AWS_368',
    'Ensure Amazon Sagemaker Data Quality Job uses KMS to encrypt data on attached storage volume',
    'cloudformation/checks/resource/aws/SagemakerDataQualityJobDefinitionVolumeEncryption.py',
  ),
  checkov(
    'CKV_AWS_369',
    'Ensure Amazon Sagemaker Data Quality Job encrypts all communications between instances used for monitoring jobs',
    'cloudformation/checks/resource/aws/SagemakerDataQualityJobDefinitionTrafficEncryption.py',
  ),
  checkov(
    'CKV_AWS_370',
    'Ensure Amazon SageMaker model uses network isolation',
    'cloudformation/checks/resource/aws/SagemakerModelWithNetworkIsolation.py',
  ),
  checkov(
    'CKV_AWS_371',
    'Ensure Amazon SageMaker Notebook Instance only allows for IMDSv2',
    'cloudformation/checks/resource/aws/SagemakerNotebookInstanceAllowsIMDSv2.py',
  ),
  checkov(
    'CKV_AWS_372',
    'Ensure Amazon SageMaker Flow Definition uses KMS for output configurations',
    'terraform/checks/resource/aws/SagemakerFlowDefinitionUsesKMS.py',
  ),
  checkov(
    'CKV2_AWS_68',
    'Ensure SageMaker notebook instance IAM policy is not overly permissive',
    'cloudformation/checks/graph_checks/SageMakerIAMPolicyOverlyPermissiveToAllTraffic.yaml',
  ),

  cdkNag('AwsSolutions-SM1', 'The SageMaker notebook instance is not provisioned inside a VPC.'),
  cdkNag('AwsSolutions-SM2', 'The SageMaker notebook instance does not have an encrypted storage volume.'),
  cdkNag('AwsSolutions-SM3', 'The SageMaker notebook instance has direct internet access enabled.'),
  ...CDK_NAG_COMPLIANCE_PACKS.flatMap((pack) =>
    CDK_NAG_COMPLIANCE_RULES.map(([rule, title]) => cdkNag(`${pack}-${rule}`, title)),
  ),

  kics(
    'sagemaker_data_encryption_disabled',
    "SageMaker Data Encryption Disabled (notebook instance 'KmsKeyId' must be set)",
    'aws/sagemaker_data_encryption_disabled',
  ),
  kics(
    'sagemaker_endpoint_config_should_specify_kms_key_id',
    'SageMaker endpoint config should specify KmsKeyId',
    'sagemaker_endpoint_config_should_specify_kms_key_id',
  ),
  kics(
    'sagemaker_notebook_not_placed_in_vpc',
    'SageMaker Notebook Not Placed In VPC',
    'aws/sagemaker_notebook_not_placed_in_vpc',
  ),
];

/** `<anchor>:<id>`, the key a control is mapped and cited by (`SecurityHub:SageMaker.5`). */
export function anchorKey(control: Pick<AnchorControl, 'anchor' | 'id'>): string {
  return `${control.anchor}:${control.id}`;
}
