/** The time range one run analyses: objects last modified in `(start, end]`. */
export interface AnalysisWindow {
  readonly start: Date;
  readonly end: Date;
}

/**
 * The window ending at the start of the current minute, `minutes` long. Ending on a minute boundary
 * makes consecutive scheduled runs (EventBridge Scheduler fires within the minute) tile time
 * without gaps or overlaps when the window equals the schedule interval.
 */
export function windowEndingAt(now: Date, minutes: number): AnalysisWindow {
  const end = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  return { start: new Date(end.getTime() - minutes * 60_000), end };
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** `yyyy/mm/dd/hh/` of an instant, in UTC (the data capture layout). */
export function hourPath(t: Date): string {
  return `${t.getUTCFullYear()}/${pad(t.getUTCMonth() + 1)}/${pad(t.getUTCDate())}/${pad(t.getUTCHours())}/`;
}

/**
 * The capture prefixes to list for a window: SageMaker writes records of hour `h` under
 * `<capturePrefix><endpoint>/<variant>/yyyy/mm/dd/hh/`, and a file is written a few minutes after
 * its first record, so an object written inside the window may sit under the hour before the
 * window's start. The list covers that hour too, oldest first; the caller filters by LastModified.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-data-capture-endpoint.html
 */
export function capturePrefixes(
  capturePrefix: string,
  endpointName: string,
  variantName: string,
  window: AnalysisWindow,
): string[] {
  const base = `${capturePrefix}${endpointName}/${variantName}/`;
  const hour = 3_600_000;
  const first = Math.floor(window.start.getTime() / hour) * hour - hour;
  const prefixes: string[] = [];
  for (let t = first; t < window.end.getTime(); t += hour) prefixes.push(base + hourPath(new Date(t)));
  return prefixes;
}

/** Whether an object's LastModified falls in the window (start exclusive, end inclusive). */
export function inWindow(lastModified: Date | undefined, window: AnalysisWindow): boolean {
  if (!lastModified) return false;
  const t = lastModified.getTime();
  return t > window.start.getTime() && t <= window.end.getTime();
}

/** A report key's time part: sortable and free of `:` (`2025-01-31T10-00-00Z`). */
export function reportTimestamp(t: Date): string {
  return t
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/:/g, '-');
}
