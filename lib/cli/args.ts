import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './command';

/** The options a command accepts, in `node:util` `parseArgs` syntax. */
type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** The `parseArgs` configuration every command uses: strict, from the given arguments. */
interface StrictConfig<O extends OptionsConfig, P extends boolean> {
  args: string[];
  options: O;
  strict: true;
  allowPositionals: P;
}

/**
 * Parses a command's arguments strictly (unknown options and missing values are errors), so every
 * command reports bad usage the same way: a {@link UsageError} `<command>: <first line of the
 * parser's message>`, which the CLI prints on one line and exits 2 for.
 * @param command the command's name, prefixed to the message
 * @param args the arguments after the command's name
 * @param options the options the command accepts (`node:util` `parseArgs` syntax)
 * @param allowPositionals whether arguments that are not options are accepted
 */
export function parseCommandArgs<const O extends OptionsConfig, const P extends boolean>(
  command: string,
  args: readonly string[],
  options: O,
  allowPositionals: P,
): ReturnType<typeof parseArgs<StrictConfig<O, P>>> {
  try {
    return parseArgs<StrictConfig<O, P>>({ args: [...args], options, strict: true, allowPositionals });
  } catch (e) {
    throw new UsageError(`${command}: ${String((e as Error).message).split('\n')[0]}`);
  }
}
