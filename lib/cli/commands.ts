import { Command } from './command';
import { baselineCommand } from './commands/baseline';
import { checkCommand } from './commands/check';
import { driftCommand } from './commands/drift';

/** Every `compliant-mlops` subcommand, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [checkCommand, baselineCommand, driftCommand];
