import { Token } from 'aws-cdk-lib';
import { hasNvmeInstanceStorage } from '../../lib/aws-facts/instance-storage';
import { describeValue, PropsProblem } from '../core/validate';
import {
  DEFAULT_INSTANCE_COUNT,
  DEFAULT_INSTANCE_TYPE,
  GUARDRAIL_DOCS,
  LINEAR_STEP_PERCENT_RANGE,
  MAX_CANARY_PERCENT,
  MIN_SCALABLE_CAPACITY,
  PROD_MIN_INSTANCE_COUNT,
  ROLLING_BATCH_PERCENT_RANGE,
} from './defaults';
import { DeploymentStrategy, IsolatedEndpointProps } from './isolated-endpoint-props';

// The settings an IsolatedEndpoint derives from its props, and the rules that span several props
// (the zod schema checks each prop alone).

/** Where SageMaker documents that `KmsKeyId` fails for instance types with local storage. */
const CREATE_ENDPOINT_CONFIG_DOC =
  'https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpointConfig.html';

/** The values an {@link IsolatedEndpoint} derives from its props before it creates anything. */
export interface EndpointSettings {
  /** Model network isolation. */
  readonly isolation: boolean;
  /** Initial instances of the production variant. */
  readonly count: number;
  /** How updates roll out. */
  readonly strategy: DeploymentStrategy;
  /** Fewest instances autoscaling keeps. */
  readonly minCapacity: number;
  /** Most instances autoscaling adds. */
  readonly maxCapacity: number;
  /** Instance type of the production variant. */
  readonly instanceType: string;
  /** The variants on instance types with local NVMe storage (none for serverless). */
  readonly nvmeVariants: NvmeVariant[];
}

/** The defaults applied: what the construct builds with. */
export function endpointSettings(p: IsolatedEndpointProps): EndpointSettings {
  const count = p.initialInstanceCount ?? DEFAULT_INSTANCE_COUNT;
  const minCapacity = p.minCapacity ?? count;
  const instanceType = p.instanceType ?? DEFAULT_INSTANCE_TYPE;
  return {
    isolation: p.networkIsolation ?? true,
    count,
    strategy: p.deploymentStrategy ?? 'canary',
    minCapacity,
    maxCapacity: p.maxCapacity ?? Math.max(minCapacity * 2, count),
    instanceType,
    nvmeVariants: p.serverless ? [] : nvmeVariantsOf(p, instanceType),
  };
}

/** A variant whose instance type has local NVMe storage, and the prop that chose it. */
export interface NvmeVariant {
  readonly field: string;
  readonly instanceType: string;
}

/** The variants on instance types with local NVMe storage (tokens are not known, so not counted). */
function nvmeVariantsOf(p: IsolatedEndpointProps, instanceType: string): NvmeVariant[] {
  const variants: NvmeVariant[] = [{ field: 'instanceType', instanceType }];
  if (p.shadowVariant) {
    variants.push({
      field: p.shadowVariant.instanceType ? 'shadowVariant.instanceType' : 'instanceType',
      instanceType: p.shadowVariant.instanceType ?? instanceType,
    });
  }
  return variants.filter(
    (v) => !Token.isUnresolved(v.instanceType) && hasNvmeInstanceStorage(v.instanceType),
  );
}

/** Problems no single prop shows: conflicting settings, SageMaker limits, prod minimums. */
export function crossFieldProblems(p: IsolatedEndpointProps, d: EndpointSettings): PropsProblem[] {
  const problems: PropsProblem[] = [];
  const [nvme] = d.nvmeVariants;
  if (p.encryptionKey && nvme) {
    problems.push({
      field: 'encryptionKey',
      problem:
        'sagemaker rejects a volume key for instance types with local nvme storage, which is hardware-encrypted',
      got: `a key with ${nvme.field} ${describeValue(nvme.instanceType)}`,
      expected: `no encryptionKey, or instance types without instance storage, see ${CREATE_ENDPOINT_CONFIG_DOC}`,
    });
  }
  if (p.serverless && d.isolation) {
    problems.push({
      field: 'serverless',
      problem:
        'serverless inference supports neither VPC nor network isolation, which this endpoint requires',
      got: describeValue(p.serverless),
      expected: 'no serverless (instance-based variants), or networkIsolation: false to accept the finding',
    });
  }
  if (p.serverless && p.shadowVariant) {
    problems.push({
      field: 'shadowVariant',
      problem: 'serverless endpoints take no shadow variant',
      got: 'a shadow variant',
      expected: 'no shadowVariant with serverless',
    });
  }
  if (!p.serverless && p.environment === 'prod' && d.count < PROD_MIN_INSTANCE_COUNT) {
    problems.push({
      field: 'initialInstanceCount',
      problem:
        'a prod endpoint needs at least two instances so SageMaker spreads them across Availability Zones',
      got: String(d.count),
      expected: `>= ${PROD_MIN_INSTANCE_COUNT} when environment is "prod"`,
    });
  }
  if (p.canaryPercent !== undefined && p.canaryPercent > MAX_CANARY_PERCENT) {
    problems.push({
      field: 'canaryPercent',
      problem: 'a canary larger than half the capacity is no longer a canary',
      got: String(p.canaryPercent),
      expected: `<= ${MAX_CANARY_PERCENT} (percent of capacity), see ${GUARDRAIL_DOCS.canary}`,
    });
  }
  const ranges: [keyof IsolatedEndpointProps, { min: number; max: number }, string, string][] = [
    ['linearStepPercent', LINEAR_STEP_PERCENT_RANGE, 'shifts linear steps', GUARDRAIL_DOCS.linear],
    ['rollingBatchPercent', ROLLING_BATCH_PERCENT_RANGE, 'replaces rolling batches', GUARDRAIL_DOCS.rolling],
  ];
  for (const [field, range, what, doc] of ranges) {
    const value = p[field];
    if (typeof value === 'number' && !Token.isUnresolved(value) && (value < range.min || value > range.max)) {
      problems.push({
        field,
        problem: `sagemaker ${what} of ${range.min} to ${range.max} % of the variant's instances`,
        got: String(value),
        expected: `${range.min} to ${range.max}, see ${doc}`,
      });
    }
  }
  const strategyFields: [keyof IsolatedEndpointProps, DeploymentStrategy][] = [
    ['canaryPercent', 'canary'],
    ['linearStepPercent', 'linear'],
    ['rollingBatchPercent', 'rolling'],
  ];
  for (const [field, needs] of strategyFields) {
    if (p[field] !== undefined && d.strategy !== needs) {
      problems.push({
        field,
        problem: `applies only to the "${needs}" deployment strategy`,
        got: `${describeValue(p[field])} with deploymentStrategy "${d.strategy}"`,
        expected: `deploymentStrategy "${needs}", or no ${field}`,
      });
    }
  }
  if (p.terminationWait !== undefined && d.strategy === 'rolling') {
    problems.push({
      field: 'terminationWait',
      problem: 'applies only to blue/green (canary or linear) deployments',
      got: describeValue(p.terminationWait),
      expected: 'no terminationWait with "rolling"',
    });
  }
  if (d.minCapacity > d.maxCapacity) {
    problems.push({
      field: 'maxCapacity',
      problem: 'is below the minimum capacity',
      got: String(d.maxCapacity),
      expected: `>= minCapacity (${d.minCapacity})`,
    });
  }
  if (!p.serverless && p.environment === 'prod' && d.minCapacity < PROD_MIN_INSTANCE_COUNT) {
    problems.push({
      field: 'minCapacity',
      problem: 'autoscaling would take a prod endpoint below two instances',
      got: String(d.minCapacity),
      expected: `>= ${PROD_MIN_INSTANCE_COUNT} when environment is "prod"`,
    });
  }
  (p.scheduledCapacity ?? []).forEach((s, i) => {
    if (s.minCapacity < MIN_SCALABLE_CAPACITY) {
      problems.push({
        field: `scheduledCapacity.${i}.minCapacity`,
        problem:
          'a variant keeps at least one instance under application auto scaling (only inference components scale to zero)',
        got: String(s.minCapacity),
        expected: `>= ${MIN_SCALABLE_CAPACITY}, see ${GUARDRAIL_DOCS.scalingCapacity}`,
      });
    } else if (!p.serverless && p.environment === 'prod' && s.minCapacity < PROD_MIN_INSTANCE_COUNT) {
      problems.push({
        field: `scheduledCapacity.${i}.minCapacity`,
        problem: 'a schedule would take a prod endpoint below two instances',
        got: String(s.minCapacity),
        expected: `>= ${PROD_MIN_INSTANCE_COUNT} when environment is "prod"`,
      });
    }
    if (s.minCapacity > s.maxCapacity) {
      problems.push({
        field: `scheduledCapacity.${i}.maxCapacity`,
        problem: 'is below the scheduled minimum capacity',
        got: String(s.maxCapacity),
        expected: `>= scheduledCapacity.${i}.minCapacity (${s.minCapacity})`,
      });
    }
  });
  if (p.serverless && (p.scheduledCapacity || p.minCapacity !== undefined || p.maxCapacity !== undefined)) {
    problems.push({
      field: 'serverless',
      problem: 'serverless endpoints scale by concurrency, not instances',
      got: 'capacity settings',
      expected: 'no minCapacity, maxCapacity or scheduledCapacity with serverless',
    });
  }
  return problems;
}
