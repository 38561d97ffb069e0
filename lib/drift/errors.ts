/**
 * Why drift input was unusable. The CLI maps every reason to exit code 2; the drift Lambda reports the
 * reason and raises its input alarm instead of failing silently.
 */
export type DriftInputReason =
  'emptyTrainingData' | 'badTrainingData' | 'malformedBaseline' | 'schemaMismatch' | 'noParsableRecords';

/** Unusable training data, baseline or capture: one line saying what is wrong and where. */
export class DriftInputError extends Error {
  constructor(
    /** Machine-readable category, stable across releases. */
    readonly reason: DriftInputReason,
    message: string,
  ) {
    super(message);
    this.name = 'DriftInputError';
  }
}
