import { RuleInfo } from '../report/finding';

/** The check groups of `compliant-mlops rightsize`, in the order they run. */
export const RIGHTSIZE_CHECKS = ['rightsizing', 'retirement'] as const;

/** One check group, selectable with `--checks`. */
export type RightsizeCheckName = (typeof RIGHTSIZE_CHECKS)[number];

/** True when `value` names a check group. */
export function isRightsizeCheckName(value: string): value is RightsizeCheckName {
  return (RIGHTSIZE_CHECKS as readonly string[]).includes(value);
}

/** Defaults of the options of `rightsize` (the CLI shows them without loading the SDK). */
export const RIGHTSIZE_DEFAULTS = {
  windowDays: 14,
  targetUtilizationPercent: 70,
  lowTrafficInvocations: 100,
  staleModelDays: 180,
  alarmDays: 7,
  /** Training jobs: at least 10 one-minute points per metric. */
  minTrainingPoints: 10,
} as const;

/**
 * Rule ids of `rightsize`: findings of operations (cost and capacity), not of security, so none is
 * an error and none maps to a NIST control. Like the audit's own rules they are live only: no
 * template holds utilisation, traffic or alarm history.
 */
export const RIGHTSIZE_RULE_IDS = {
  endpointVariant: 'Rightsize-EndpointVariant',
  trainingJob: 'Rightsize-TrainingJob',
  notEvaluated: 'Rightsize-NotEvaluated',
  lowTraffic: 'Retire-EndpointLowTraffic',
  staleModel: 'Retire-ModelNotUpdated',
  stalePackageGroup: 'Retire-ModelPackageGroupNotUpdated',
  alarmLong: 'Retire-AlarmLongInAlarm',
} as const;

const R = RIGHTSIZE_RULE_IDS;

/** What each rule reports. */
export const RIGHTSIZE_RULES: readonly RuleInfo[] = [
  {
    id: R.endpointVariant,
    pack: 'rightsizing',
    info: 'An endpoint variant runs well below its capacity: fewer instances or a smaller type of its family would do.',
    explanation:
      'From the p99 of CPU, memory and GPU utilisation over the window, per instance. Lower the autoscaling minimum (or the instance count), or move the variant to the recommended type with a new endpoint configuration; the estimate is on-demand Price List prices × 730 h.',
    level: 'warning',
    securitySeverity: 1.0,
  },
  {
    id: R.trainingJob,
    pack: 'rightsizing',
    info: 'A recent training job used a small part of its instances: a smaller type of its family would have done.',
    explanation:
      'From the p99 of CPU, memory and GPU utilisation of every host of the job. Use the recommended type for the next runs; the estimate is the on-demand price difference × instances × the job’s training hours.',
    level: 'warning',
    securitySeverity: 1.0,
  },
  {
    id: R.notEvaluated,
    pack: 'rightsizing',
    info: 'A variant or training job could not be evaluated (too few data points, a capacity the Price List does not give).',
    explanation: 'For information: the reason says what is missing. Nothing is recommended without the data.',
    level: 'note',
    securitySeverity: 0.1,
  },
  {
    id: R.lowTraffic,
    pack: 'retirement',
    info: 'An in-service endpoint had little or no traffic over the window: a retirement candidate.',
    explanation:
      'Every instance-hour is billed whether or not requests arrive. Retire the endpoint (keep the model and configuration), move it to serverless or asynchronous inference, or scale it to zero.',
    level: 'warning',
    securitySeverity: 1.0,
  },
  {
    id: R.staleModel,
    pack: 'retirement',
    info: 'An in-service endpoint serves a model that was not updated (created) within the threshold.',
    explanation:
      'A model that is never retrained drifts away from the data it serves. Retrain and redeploy it, or retire the endpoint if nobody owns it any more.',
    level: 'warning',
    securitySeverity: 1.0,
  },
  {
    id: R.stalePackageGroup,
    pack: 'retirement',
    info: 'A model package group has had no new version within the threshold.',
    explanation:
      'A registry group nobody registers into is either done (archive it) or abandoned (find its owner). Its cost is that of the endpoints that still serve its versions.',
    level: 'note',
    securitySeverity: 0.1,
  },
  {
    id: R.alarmLong,
    pack: 'retirement',
    info: 'A drift or model-quality alarm has been in ALARM longer than the threshold.',
    explanation:
      'A quality alarm nobody acts on means predictions are known to be bad and still served. Retrain, roll back, or retire the endpoint; an alarm that is wrong should be fixed, not left on.',
    level: 'warning',
    securitySeverity: 2.0,
  },
];
