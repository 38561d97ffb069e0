import { AwsFakeError } from './errors';
import { seededRandom } from './random';
import { FailSpec, FaultOptions, ServiceName } from './types';

interface ScriptedFault {
  readonly spec: FailSpec;
  remaining: number;
}

interface ActiveFaults {
  readonly throttleRate: number;
  readonly serverErrorRate: number;
  readonly services?: readonly ServiceName[];
  readonly operations?: readonly string[];
  readonly random: () => number;
}

/** The fake's fault plan: scripted one-shot faults per operation plus seeded random faults. */
export class FaultPlan {
  private readonly scripted = new Map<string, ScriptedFault[]>();
  private active?: ActiveFaults;

  /** Replaces the random fault settings (all rates 0 turns them off) and restarts the sequence. */
  public setRandom(options: FaultOptions): void {
    const throttleRate = options.throttleRate ?? 0;
    const serverErrorRate = options.serverErrorRate ?? 0;
    if (throttleRate < 0 || serverErrorRate < 0 || throttleRate + serverErrorRate > 1) {
      throw new RangeError(
        `aws-fake: fault rates must be >= 0 and sum to <= 1 (got ${throttleRate} + ${serverErrorRate})`,
      );
    }
    this.active =
      throttleRate === 0 && serverErrorRate === 0
        ? undefined
        : {
            throttleRate,
            serverErrorRate,
            services: options.services,
            operations: options.operations,
            random: seededRandom(options.seed ?? 1),
          };
  }

  /** Queues a scripted fault for `service.operation` (`*` matches any operation of the service). */
  public script(service: ServiceName, operation: string, spec: FailSpec): void {
    const times = spec.times ?? 1;
    if (!Number.isInteger(times) || times < 1) {
      throw new RangeError(`aws-fake: failNext times must be a positive integer (got ${times})`);
    }
    const k = `${service}.${operation}`;
    const queue = this.scripted.get(k) ?? [];
    queue.push({ spec, remaining: times });
    this.scripted.set(k, queue);
  }

  /** Takes the next scripted fault of an operation (exact name first, then `*`), if any. */
  public takeScripted(service: ServiceName, operation: string): FailSpec | undefined {
    for (const k of [`${service}.${operation}`, `${service}.*`]) {
      const queue = this.scripted.get(k);
      const head = queue?.[0];
      if (queue !== undefined && head !== undefined) {
        head.remaining -= 1;
        if (head.remaining <= 0) {
          queue.shift();
        }
        return head.spec;
      }
    }
    return undefined;
  }

  /** Rolls the random fault of one request. */
  public roll(service: ServiceName, operation: string): 'throttle' | 'server' | undefined {
    const active = this.active;
    if (active === undefined) {
      return undefined;
    }
    // Draw for every request, in scope or not, so the sequence depends only on request order.
    const roll = active.random();
    const inScope =
      (active.services === undefined || active.services.includes(service)) &&
      (active.operations === undefined || active.operations.includes(operation));
    if (!inScope) {
      return undefined;
    }
    if (roll < active.throttleRate) {
      return 'throttle';
    }
    return roll < active.throttleRate + active.serverErrorRate ? 'server' : undefined;
  }

  /** Drops scripted and random faults. */
  public clear(): void {
    this.scripted.clear();
    this.active = undefined;
  }
}

/**
 * The error a service sends for a random fault: throttling is 400 `ThrottlingException`
 * (SageMaker, KMS), 400 `Throttling` (CloudWatch), 400 `LimitExceededException` (Cost Explorer) or 503 `SlowDown` (S3); a server fault is
 * 500 `InternalFailure` (JSON services) or 500 `InternalError` (S3).
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
 */
export function randomFaultError(kind: 'throttle' | 'server', service: ServiceName): AwsFakeError {
  if (kind === 'throttle') {
    if (service === 's3') return new AwsFakeError(503, 'SlowDown', 'Please reduce your request rate.');
    if (service === 'cloudwatch') return new AwsFakeError(400, 'Throttling', 'Rate exceeded');
    // Cost Explorer signals its request rate limit with LimitExceededException:
    // https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_GetCostAndUsage.html#API_GetCostAndUsage_Errors
    if (service === 'ce')
      return new AwsFakeError(
        400,
        'LimitExceededException',
        'You made too many calls in a short period of time. Try again later.',
      );
    return new AwsFakeError(400, 'ThrottlingException', 'Rate exceeded');
  }
  return service === 's3'
    ? new AwsFakeError(500, 'InternalError', 'We encountered an internal error. Please try again.')
    : new AwsFakeError(
        500,
        'InternalFailure',
        'The request processing has failed because of an unknown error.',
      );
}
