import { RuleInfo } from '../report/finding';

/** The check groups of `compliant-mlops audit`, in the order they run. */
export const AUDIT_CHECKS = [
  'endpoint-configs',
  'models',
  'notebooks',
  'domains',
  'idle-endpoints',
  'endpoint-monitoring',
  'model-registry',
  'training-jobs',
  'keys',
  'lifecycle-configs',
  'studio-lifecycle-configs',
  'images',
  'app-image-configs',
  'image-versions',
  'inference-experiments',
  'iam-users',
  'flow-definitions',
] as const;

/** One check group, selectable with `--checks`. */
export type AuditCheckName = (typeof AUDIT_CHECKS)[number];

/** True when `value` names a check group. */
export function isAuditCheckName(value: string): value is AuditCheckName {
  return (AUDIT_CHECKS as readonly string[]).includes(value);
}

/**
 * The ids of the rules only the audit has (live state no template holds: key state, invocations,
 * training history, monitoring schedules and drift heartbeats, the model registry). Models, endpoint configs, notebooks and domains are judged by the packs' own
 * rules and reported under their ids (`MLOps-*`, `AwsSolutions-SM*`): see `LIVE_RULES`.
 */
export const AUDIT_RULE_IDS = {
  keyRotation: 'Audit-KmsKeyRotation',
  keyPendingDeletion: 'Audit-KmsKeyPendingDeletion',
  keyUnusable: 'Audit-KmsKeyUnusable',
  endpointIdle: 'Audit-EndpointIdle',
  endpointUnmonitored: 'Audit-EndpointNotMonitored',
  modelRegistryUnused: 'Audit-ModelRegistryNotInUse',
  trainingSpot: 'Audit-TrainingJobManagedSpot',
  trainingSavings: 'Audit-TrainingJobSpotSavings',
  iamUserStaleSageMaker: 'Audit-IamUserStaleSageMakerAccess',
  flowDefinitionOutputKms: 'Audit-FlowDefinitionOutputKMS',
} as const;

const R = AUDIT_RULE_IDS;

/** What each audit rule checks, grouped by the check that reports it. */
export const AUDIT_RULES: readonly RuleInfo[] = [
  {
    id: R.keyRotation,
    pack: 'keys',
    info: 'A customer-managed KMS key used by SageMaker resources does not rotate automatically.',
    explanation:
      'Keys that never rotate widen the exposure of one compromised key version. Turn on automatic rotation (EnableKeyRotation); keys with imported material or in a custom key store rotate by hand.',
    level: 'error',
    nist: ['SC-12', 'SC-28'],
    securitySeverity: 6.0,
  },
  {
    id: R.keyPendingDeletion,
    pack: 'keys',
    info: 'A customer-managed KMS key used by SageMaker resources is scheduled for deletion.',
    explanation:
      'Once deleted, everything encrypted under the key (model artifacts, captures, volumes) is unrecoverable. Cancel the deletion (CancelKeyDeletion) unless every user has moved to another key.',
    level: 'error',
    nist: ['SC-12', 'CP-9'],
    securitySeverity: 8.0,
  },
  {
    id: R.keyUnusable,
    pack: 'keys',
    info: 'A KMS key referenced by SageMaker resources is disabled, pending import, unavailable or does not exist.',
    explanation:
      'Resources that reference it cannot decrypt their data. Enable the key, import its key material, reconnect its custom key store, or move the resources to a usable key.',
    level: 'error',
    nist: ['SC-12'],
    securitySeverity: 7.0,
  },
  {
    id: R.endpointIdle,
    pack: 'idle-endpoints',
    info: 'The endpoint had no invocations for 30 days: a retirement candidate.',
    explanation:
      'An unused endpoint is billed for every instance-hour. Retire it (delete the endpoint, keep the model and configuration), or scale it to zero.',
    level: 'warning',
    securitySeverity: 1.0,
  },
  {
    id: R.endpointUnmonitored,
    pack: 'endpoint-monitoring',
    info: 'An in-service endpoint has no SageMaker monitoring schedule in Scheduled status and no drift monitor reporting for it.',
    explanation:
      'Without a monitor, data and model drift go unnoticed until predictions are wrong. Add a DriftMonitor for the endpoint (its AnalysisRuns heartbeat in the ML/Drift namespace counts) or a SageMaker Model Monitor schedule (CreateMonitoringSchedule), and keep it Scheduled.',
    level: 'warning',
    nist: ['SI-4', 'CA-7'],
    securitySeverity: 4.0,
  },
  {
    id: R.modelRegistryUnused,
    pack: 'model-registry',
    info: 'The region has no model package group, or no approved model package: the Model Registry is not in use.',
    explanation:
      'Without a registry there is no versioned, approved record of what is deployed. Register models in a model package group (ModelRegistry and the pipeline RegisterModel step) and approve the versions you deploy.',
    level: 'warning',
    nist: ['CM-2', 'CM-3'],
    securitySeverity: 3.0,
  },
  {
    id: R.trainingSpot,
    pack: 'training-jobs',
    info: 'The training job did not use managed spot training.',
    explanation:
      'Managed spot training typically costs 60-90% less. Set EnableManagedSpotTraining with MaxWaitTimeInSeconds and checkpoints.',
    level: 'warning',
    securitySeverity: 1.0,
  },
  {
    id: R.trainingSavings,
    pack: 'training-jobs',
    info: 'Managed spot savings of a training job (1 - billable / training seconds).',
    explanation: 'For information: what spot capacity saved on this job.',
    level: 'note',
    securitySeverity: 0.1,
  },
  {
    id: R.iamUserStaleSageMaker,
    pack: 'iam-users',
    info: 'An IAM user is allowed SageMaker actions it has not used within the threshold (default 90 days), or has never used.',
    explanation:
      "Unused SageMaker permissions widen what a leaked access key of the user reaches (training data, models, endpoints, notebooks). Remove or scope down the policies that grant them; IAM's last-accessed data (Access Advisor) shows the last use. Prowler's iam_user_access_not_stale_to_sagemaker.",
    level: 'warning',
    nist: ['AC-2(3)', 'AC-6(7)'],
    securitySeverity: 3.0,
  },
  {
    id: R.flowDefinitionOutputKms,
    pack: 'flow-definitions',
    info: 'An Augmented AI (human review) flow definition writes its output without a customer managed KMS key.',
    explanation:
      "Human review results often contain the very data that needed review. Set OutputConfig.KmsKeyId to a customer managed key (not an AWS managed alias/aws/* key), so who can read the output is decided by the key policy. Flow definitions have no CloudFormation resource type, so this is checked live only (Checkov's CKV_AWS_372).",
    level: 'error',
    nist: ['SC-28', 'SC-12'],
    securitySeverity: 5.0,
  },
];

/** The rule descriptor of an id. */
export function auditRule(id: string): RuleInfo {
  const rule = AUDIT_RULES.find((r) => r.id === id);
  if (!rule) throw new Error(`unknown audit rule ${id}`);
  return rule;
}
