import { Command } from './command';
import { auditCommand } from './commands/audit';
import { baselineCommand } from './commands/baseline';
import { checkCommand } from './commands/check';
import { driftCommand } from './commands/drift';
import { rulesCommand } from './commands/rules';

/** Every `compliant-mlops` subcommand, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [
  checkCommand,
  rulesCommand,
  auditCommand,
  baselineCommand,
  driftCommand,
];
