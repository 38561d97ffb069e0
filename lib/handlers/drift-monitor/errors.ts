/**
 * Why a run produced no drift report. Each is reported (status `error`), logged, and published as
 * `AnalysisErrors` = 1 so the alarm fires: bad input never fails silently.
 * - `noCaptureData`: no capture object was written in the window (capture off, no traffic, wrong prefix)
 * - `noParsableRecords`: objects exist but no line held a usable record
 * - `schemaMismatch`: the capture (or the baseline) does not have the expected feature schema
 * - `missingBaseline`: no baseline object at the configured key
 * - `malformedBaseline`: the baseline object is not a valid baseline document
 */
export type AnalysisErrorReason =
  'noCaptureData' | 'noParsableRecords' | 'schemaMismatch' | 'missingBaseline' | 'malformedBaseline';

/** The reasons that mean "no usable capture data" (they also set `DataMissing`). */
export const DATA_MISSING_REASONS: readonly AnalysisErrorReason[] = ['noCaptureData', 'noParsableRecords'];

/** A run that cannot produce a report because of its input. */
export class AnalysisError extends Error {
  constructor(
    readonly reason: AnalysisErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'AnalysisError';
  }
}
