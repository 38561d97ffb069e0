import { join } from 'node:path';
import { CliIO } from '../../lib/cli/command';

/** A CliIO that records what a command writes. */
export interface FakeIO extends CliIO {
  readonly out: () => string;
  readonly err: () => string;
  /** Non-empty stderr lines. */
  readonly errLines: () => string[];
}

/** The repository root: fixtures and reported paths are relative to it. */
export const REPO = join(__dirname, '..', '..');

/** Builds a fake IO rooted at the repository (no TTY, empty environment unless given). */
export function fakeIO(
  options: { isTTY?: boolean; env?: Record<string, string | undefined>; cwd?: string } = {},
): FakeIO {
  let out = '';
  let err = '';
  return {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
    isTTY: options.isTTY ?? false,
    env: options.env ?? {},
    cwd: options.cwd ?? REPO,
    out: () => out,
    err: () => err,
    errLines: () => err.split('\n').filter((l) => l !== ''),
  };
}
