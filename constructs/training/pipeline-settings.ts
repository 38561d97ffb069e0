import { Duration } from 'aws-cdk-lib';
import { hasNvmeInstanceStorage } from '../../lib/aws-facts/instance-storage';
import { PropsProblem } from '../core/validate';
import {
  DEFAULT_EVALUATION_INSTANCE_TYPE,
  DEFAULT_MAX_RUNTIME,
  DEFAULT_TRAINING_INSTANCE_FAMILIES,
  DEFAULT_TRAINING_INSTANCE_TYPE,
  instanceFamily,
  MAX_TRAINING_DURATION,
} from './defaults';
import { spotTrainingPipelineSchema } from './spot-training-pipeline-props';

/** The props of a {@link SpotTrainingPipeline} after schema validation. */
export type ParsedPipelineProps = ReturnType<typeof spotTrainingPipelineSchema.parse>;

/** The values the pipeline runs with once defaults are applied to the props. */
export interface PipelineSettings {
  readonly spot: boolean;
  readonly checkpoints: boolean;
  readonly maxRuntime: Duration;
  /** Only with spot instances. */
  readonly maxWait?: Duration;
  readonly families: readonly string[];
  readonly instanceType: string;
  readonly evalInstanceType: string;
  /** More than one training instance: the jobs' security group must admit traffic from itself. */
  readonly distributed: boolean;
}

/** Applies the hardened defaults to validated props. */
export function pipelineSettings(p: ParsedPipelineProps): PipelineSettings {
  const spot = p.useSpotInstances ?? true;
  const maxRuntime = p.maxRuntime ?? DEFAULT_MAX_RUNTIME;
  return {
    spot,
    checkpoints: p.checkpoints ?? true,
    maxRuntime,
    maxWait: spot
      ? (p.maxWait ?? minDuration(maxRuntime.plus(maxRuntime), MAX_TRAINING_DURATION))
      : undefined,
    families: p.allowedInstanceFamilies ?? DEFAULT_TRAINING_INSTANCE_FAMILIES,
    instanceType: p.instanceType ?? DEFAULT_TRAINING_INSTANCE_TYPE,
    evalInstanceType: p.evaluation?.instanceType ?? DEFAULT_EVALUATION_INSTANCE_TYPE,
    distributed: (p.instanceCount ?? 1) > 1,
  };
}

/** The rules that relate several props (or a prop and a default), one problem each. */
export function crossFieldProblems(p: ParsedPipelineProps, r: PipelineSettings): PropsProblem[] {
  return [
    ...instanceTypeProblems(p, r),
    ...volumeKeyProblems(p, r),
    ...spotProblems(p, r),
    ...registrationGateProblems(p),
  ];
}

function instanceTypeProblems(p: ParsedPipelineProps, r: PipelineSettings): PropsProblem[] {
  const problems: PropsProblem[] = [];
  const allowed = `an instance family in ${r.families.join(', ')}`;
  const checkFamily = (field: string, type: string) => {
    const family = instanceFamily(type);
    if (!family || !r.families.includes(family)) {
      problems.push({
        field,
        problem: 'is not an allowed instance type',
        got: JSON.stringify(type),
        expected: allowed,
      });
    }
  };
  checkFamily('instanceType', r.instanceType);
  if (p.evaluation) checkFamily('evaluation.instanceType', r.evalInstanceType);
  return problems;
}

/**
 * https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ResourceConfig.html and
 * API_ProcessingClusterConfig.html: "You can't request a VolumeKmsKeyId when using an instance
 * type with local storage."
 */
function volumeKeyProblems(p: ParsedPipelineProps, r: PipelineSettings): PropsProblem[] {
  if (!p.volumeEncryptionKey) return [];
  const types: [string, string][] = [['instanceType', r.instanceType]];
  if (p.evaluation) types.push(['evaluation.instanceType', r.evalInstanceType]);
  return types
    .filter(([, t]) => hasNvmeInstanceStorage(t))
    .map(([field, type]) => ({
      field: 'volumeEncryptionKey',
      problem:
        'is rejected by SageMaker for an instance type with local NVMe storage, whose volumes are encrypted in hardware',
      got: `a key with ${field} ${JSON.stringify(type)}`,
      expected: 'no volumeEncryptionKey, or an instance type with EBS volumes only',
    }));
}

function spotProblems(p: ParsedPipelineProps, r: PipelineSettings): PropsProblem[] {
  const problems: PropsProblem[] = [];
  if (r.spot && !r.checkpoints) {
    problems.push({
      field: 'checkpoints',
      problem: 'must be on with spot instances: an interrupted spot job resumes only from a checkpoint',
      got: 'false',
      expected: 'true, or useSpotInstances: false',
    });
  }
  if (p.maxWait && !r.spot) {
    problems.push({
      field: 'maxWait',
      problem: 'applies only to spot instances',
      got: p.maxWait.toString(),
      expected: 'no maxWait, or useSpotInstances: true',
    });
  }
  if (
    p.maxWait &&
    !p.maxWait.isUnresolved() &&
    !r.maxRuntime.isUnresolved() &&
    p.maxWait.toSeconds() < r.maxRuntime.toSeconds()
  ) {
    problems.push({
      field: 'maxWait',
      problem: 'is shorter than maxRuntime',
      got: p.maxWait.toString(),
      expected: `at least maxRuntime (${r.maxRuntime.toString()})`,
    });
  }
  return problems;
}

function registrationGateProblems(p: ParsedPipelineProps): PropsProblem[] {
  if (!p.registrationGate || p.evaluation) return [];
  const names = (p.metricDefinitions ?? []).map((m) => m.name);
  if (names.includes(p.registrationGate.metric)) return [];
  return [
    {
      field: 'registrationGate.metric',
      problem: 'is not a training metric (without evaluation, the gate reads a metric definition)',
      got: JSON.stringify(p.registrationGate.metric),
      expected: names.length
        ? `one of ${names.map((n) => JSON.stringify(n)).join(', ')}`
        : 'a metricDefinitions entry, or evaluation',
    },
  ];
}

function minDuration(a: Duration, b: Duration): Duration {
  return a.toSeconds() <= b.toSeconds() ? a : b;
}
