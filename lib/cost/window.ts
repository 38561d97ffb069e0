/** The time window of `compliant-mlops cost`, in Cost Explorer's `YYYY-MM-DD` dates (UTC). */

/** A Cost Explorer time period: `start` inclusive, `end` exclusive. */
export interface CostWindow {
  /** First day, `YYYY-MM-DD`. */
  readonly start: string;
  /** Day after the last, `YYYY-MM-DD`. */
  readonly end: string;
}

/** `YYYY-MM-DD` of a date, in UTC. */
export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/**
 * The last `months` full calendar months before `now` (UTC): the current, still estimated, month
 * is left out so the trend compares complete months.
 */
export function lastFullMonths(now: Date, months: number): CostWindow {
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months, 1));
  return { start: isoDay(start), end: isoDay(end) };
}

/** Whether `s` is a real calendar day written `YYYY-MM-DD`. */
export function isIsoDay(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && isoDay(d) === s;
}

/** Days from `start` (inclusive) to `end` (exclusive). */
export function daysIn(window: CostWindow): number {
  return Math.round(
    (Date.parse(`${window.end}T00:00:00Z`) - Date.parse(`${window.start}T00:00:00Z`)) / 86_400_000,
  );
}
