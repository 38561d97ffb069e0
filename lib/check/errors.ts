/**
 * A check that cannot start: an unknown pack, an unusable `--acknowledgments` file. The CLI turns
 * it into one stderr line and exit code 2.
 */
export class CheckUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckUsageError';
  }
}
