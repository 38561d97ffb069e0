import { Duration } from 'aws-cdk-lib';
import { GpuInstanceFamily } from '../../lib/aws-facts/instance-families';

export { instanceFamily } from '../../lib/aws-facts/instance-storage';

/**
 * The GPU families a training step may use by default: the current G and P generations. Which
 * families are GPU families (and which GPU each has) is an AWS fact in lib/aws-facts; leaving out
 * the older ones (p2, g3) is the policy: they cost more per unit of work and have less spot capacity.
 */
const DEFAULT_GPU_FAMILIES: readonly GpuInstanceFamily[] = [
  'g4dn',
  'g5',
  'g6',
  'g6e',
  'p3',
  'p4d',
  'p4de',
  'p5',
  'p5e',
  'p5en',
];

/**
 * Instance families a training step may use unless the caller passes `allowedInstanceFamilies`:
 * the current GPU families (G and P) and general-purpose, compute- and memory-optimised CPU
 * families. Older families (p2, g3, m4, c4) are left out: they cost more per unit of work and
 * have less spot capacity.
 *
 * @see https://aws.amazon.com/sagemaker/pricing/
 */
export const DEFAULT_TRAINING_INSTANCE_FAMILIES: readonly string[] = [
  ...DEFAULT_GPU_FAMILIES,
  // CPU
  'm5',
  'm6i',
  'm7i',
  'c5',
  'c6i',
  'c7i',
  'r5',
  'r6i',
  'r7i',
];

/** The default training instance type: a single-GPU G5 (A10G), the cheapest current GPU with good spot capacity. */
export const DEFAULT_TRAINING_INSTANCE_TYPE = 'ml.g5.xlarge';

/** The default evaluation (processing) instance type: CPU is enough to score a held-out set. */
export const DEFAULT_EVALUATION_INSTANCE_TYPE = 'ml.m5.xlarge';

/** Default maximum training time. */
export const DEFAULT_MAX_RUNTIME = Duration.hours(24);

/** SageMaker's limit on MaxRuntimeInSeconds and MaxWaitTimeInSeconds (28 days). */
export const MAX_TRAINING_DURATION = Duration.days(28);

/** Where SageMaker syncs checkpoints from and to inside the container. */
export const CHECKPOINT_LOCAL_PATH = '/opt/ml/checkpoints';

/** An exception type a pipeline retry policy matches. */
export type RetryExceptionType =
  | 'Step.SERVICE_FAULT'
  | 'Step.THROTTLING'
  | 'SageMaker.JOB_INTERNAL_ERROR'
  | 'SageMaker.CAPACITY_ERROR'
  | 'SageMaker.RESOURCE_LIMIT';

/**
 * One pipeline retry policy, as the definition carries it. `ExceptionType` is a list: the retry
 * policy JSON schema is `"ExceptionType": [String]`, and a single string is not accepted.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/pipelines-retry-policy.html
 */
export interface RetryPolicyDefinition {
  readonly ExceptionType: readonly RetryExceptionType[];
  readonly IntervalSeconds: number;
  readonly BackoffRate: number;
  readonly MaxAttempts: number;
}

/**
 * Step retry policies with exponential backoff. Spot capacity errors get long intervals (spot
 * capacity comes back in minutes, not seconds); throttling and service faults retry sooner.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/pipelines-retry-policy.html
 */
export function defaultRetryPolicies(
  capacityAttempts: number,
  capacityInterval: Duration,
): RetryPolicyDefinition[] {
  return [
    {
      ExceptionType: ['SageMaker.CAPACITY_ERROR'],
      IntervalSeconds: capacityInterval.toSeconds(),
      BackoffRate: 2,
      MaxAttempts: capacityAttempts,
    },
    { ExceptionType: ['SageMaker.RESOURCE_LIMIT'], IntervalSeconds: 60, BackoffRate: 2, MaxAttempts: 5 },
    { ExceptionType: ['Step.THROTTLING'], IntervalSeconds: 10, BackoffRate: 2, MaxAttempts: 10 },
    { ExceptionType: ['Step.SERVICE_FAULT'], IntervalSeconds: 30, BackoffRate: 2, MaxAttempts: 5 },
  ];
}
