/**
 * Why bias input was unusable. The CLI maps every reason to exit code 2 (one stderr line, and the
 * error object in `--format json`); a pipeline step or monitor reports the reason instead of
 * publishing numbers computed from the wrong rows.
 */
export type BiasInputReason =
  'badSpec' | 'emptyData' | 'badData' | 'missingColumn' | 'noUsableRows' | 'tooManyValues';

/** Unusable bias input (a spec, the data, a column): one line saying what is wrong and where. */
export class BiasInputError extends Error {
  constructor(
    /** Machine-readable category, stable across releases. */
    readonly reason: BiasInputReason,
    message: string,
  ) {
    super(message);
    this.name = 'BiasInputError';
  }
}
