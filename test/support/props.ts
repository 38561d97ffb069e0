import { PropsValidationError } from '../../constructs/core/validate';

/** Runs `fn` and returns the PropsValidationError it throws; any other outcome fails the test. */
export function propsError(fn: () => unknown): PropsValidationError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PropsValidationError) return e;
    throw e;
  }
  throw new Error('expected a PropsValidationError');
}
