import type { Mode } from './config';
import type { Target } from './contract';
import type { RestoreInput } from './decide';

/** A resource the run changed, or in a dry run would have. */
export interface ActedEntry {
  /** ARN, or for a Studio app without one `app:<domain>/<user|space>/<type>/<name>`. */
  readonly resource: string;
  /** Which kind of resource. */
  readonly kind: Target;
  /** What was done. */
  readonly action: 'stop' | 'delete';
  /** Why. */
  readonly reason: string;
  /**
   * `done`; `dry-run` (nothing changed); `already-done` (the resource was already gone or
   * stopping when the run acted, counted as done so reruns are idempotent).
   */
  readonly outcome: 'done' | 'dry-run' | 'already-done';
  /** For a deleted endpoint: what restores it (also tagged on its endpoint config). */
  readonly restore?: RestoreInput;
}

/** A resource the run looked at and left alone. */
export interface SkippedEntry {
  readonly resource: string;
  readonly reason: string;
}

/** A resource (or a whole listing) the run could not handle; the sweep went on without it. */
export interface FailedEntry {
  readonly resource: string;
  readonly error: string;
}

/** The result of one run: logged in full, published as metrics, returned to the destination. */
export interface SweepReport {
  /** The Lambda request id of the run; every log line of the run carries it. */
  readonly correlationId: string;
  readonly mode: Mode;
  readonly dryRun: boolean;
  /** Whether the action cap stopped the run from acting on some eligible resources. */
  readonly capped: boolean;
  readonly acted: ActedEntry[];
  readonly skipped: SkippedEntry[];
  readonly failed: FailedEntry[];
  /** Totals (the returned report may carry fewer skipped entries, see {@link summarizeReport}). */
  readonly counts: { readonly acted: number; readonly skipped: number; readonly failed: number };
  readonly startedAt: string;
  readonly durationMs: number;
}

/**
 * The report as returned by the handler (and so sent to the alert topic by the on-success
 * destination, whose payload is limited to 256 KB): every acted and failed entry, the first
 * `maxSkipped` skipped ones. The full report is in the function's log.
 */
export function summarizeReport(
  report: SweepReport,
  maxSkipped = 100,
): SweepReport & { skippedTruncated: boolean } {
  return {
    ...report,
    skipped: report.skipped.slice(0, maxSkipped),
    skippedTruncated: report.skipped.length > maxSkipped,
  };
}
