import { Duration } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { z } from 'zod';

// How-long values in props: Durations between bounds, in a unit; log retention.

/** Units a Duration can be required to be a whole number of. */
export type DurationUnit = 'seconds' | 'minutes' | 'hours' | 'days';

const UNIT_MS: Readonly<Record<DurationUnit, number>> = {
  seconds: 1000,
  minutes: 60_000,
  hours: 3_600_000,
  days: 86_400_000,
};

/** Options of {@link durationBetween}. */
export interface DurationBetweenOptions {
  /**
   * The unit the construct renders the value in (`toDays()`, `toSeconds()`, ...): a literal must
   * be a whole number of it, and an unresolved Duration must be made in it, because aws-cdk-lib
   * cannot convert a token between units.
   * @default - any literal amount; a token in any unit passes
   */
  readonly unit?: DurationUnit;
  /**
   * The construct needs the value at synth (comparisons, arithmetic, a schedule expression), so an
   * unresolved Duration is refused with "must be a literal duration".
   * @default false
   */
  readonly literal?: boolean;
}

/**
 * A `Duration` between two bounds (inclusive), compared in milliseconds (so sub-second Durations
 * are compared, not converted into an error).
 *
 * Unresolved Durations are never validated as literals: they pass unless `literal` is set, or
 * `unit` is set and the token is in another unit.
 */
export function durationBetween(
  min: Duration,
  max: Duration,
  options: DurationBetweenOptions = {},
): z.ZodType<Duration, Duration> {
  const unit = options.unit;
  return z
    .custom<Duration>((value) => value instanceof Duration, {
      params: { expected: 'a Duration' },
      message: 'is not a Duration',
    })
    .superRefine((value, ctx) => {
      if (value.isUnresolved()) {
        if (options.literal) {
          ctx.addIssue({
            code: 'custom',
            message: 'must be a literal duration, not a token (the construct needs its value at synth)',
            input: value,
            params: { expected: `a literal Duration between ${min.toString()} and ${max.toString()}` },
          });
        } else if (unit !== undefined && value.unitLabel() !== unit) {
          ctx.addIssue({
            code: 'custom',
            message: `is a token in ${value.unitLabel()}, which cannot be converted into ${unit}`,
            input: value,
            params: { expected: `a literal Duration or Duration.${unit}(<token>)` },
          });
        }
        return;
      }
      const ms = value.toMilliseconds();
      if (!Number.isFinite(ms) || ms < min.toMilliseconds() || ms > max.toMilliseconds()) {
        ctx.addIssue({
          code: 'custom',
          message: 'is out of range',
          input: value,
          params: { expected: `between ${min.toString()} and ${max.toString()}` },
        });
      } else if (unit !== undefined && ms % UNIT_MS[unit] !== 0) {
        ctx.addIssue({
          code: 'custom',
          message: `must be a whole number of ${unit}`,
          input: value,
          params: { expected: `a whole number of ${unit} between ${min.toString()} and ${max.toString()}` },
        });
      }
    });
}

/**
 * A `logs.RetentionDays` value other than `INFINITE`: a log group that never expires trips
 * CloudWatchLogGroupRetentionPeriod in the HIPAA, NIST 800-53 R5, PCI DSS and Serverless packs.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention
 */
export function retentionDays(): z.ZodType<logs.RetentionDays, logs.RetentionDays> {
  return z.enum(logs.RetentionDays).superRefine((value, ctx) => {
    if (value === logs.RetentionDays.INFINITE) {
      ctx.addIssue({
        code: 'custom',
        message:
          'must not be INFINITE: log groups that never expire trip CloudWatchLogGroupRetentionPeriod (HIPAA, NIST, PCI, Serverless)',
        input: value,
        params: { expected: 'a finite logs.RetentionDays' },
      });
    }
  });
}
