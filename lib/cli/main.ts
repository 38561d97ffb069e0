import { toolVersion } from '../check/version';
import { CliIO, CommandEntry, EXIT, resolveCommand, UsageError } from './command';
import { COMMANDS } from './commands';

function help(commands: readonly CommandEntry[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'usage: compliant-mlops <command> [options]',
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'options:',
    "  --help, -h     show this help, or a command's help with <command> --help",
    '  --version, -V  print the version',
    '',
    'exit codes: 0 ok; 1 findings; 2 usage or input error',
    '',
  ].join('\n');
}

/** A one-line message: multi-line errors are joined so stderr stays one line per error. */
function oneLine(message: string): string {
  return message
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .join('; ');
}

/**
 * Runs `compliant-mlops <command> [args]` and resolves to the exit code. Usage errors and any
 * unexpected error become one stderr line `compliant-mlops: <message>` and exit code 2, never a
 * stack trace.
 * @param argv the arguments after the program name
 * @param io the process streams, environment and working directory (fakes in tests)
 * @param commands the registry to dispatch to
 */
export async function main(
  argv: readonly string[],
  io: CliIO,
  commands: readonly CommandEntry[] = COMMANDS,
): Promise<number> {
  try {
    const [name, ...rest] = argv;
    if (name === undefined)
      throw new UsageError(
        `missing command (expected one of ${commands.map((c) => c.name).join(', ')}; see --help)`,
      );
    if (name === '--help' || name === '-h' || name === 'help') {
      const topic = name === 'help' ? commands.find((c) => c.name === rest[0]) : undefined;
      io.stdout(topic ? (await resolveCommand(topic)).usage : help(commands));
      return EXIT.ok;
    }
    if (name === '--version' || name === '-V') {
      io.stdout(`${toolVersion()}\n`);
      return EXIT.ok;
    }
    const entry = commands.find((c) => c.name === name);
    if (!entry) {
      throw new UsageError(
        `unknown command ${JSON.stringify(name)} (expected one of ${commands.map((c) => c.name).join(', ')}; see --help)`,
      );
    }
    const command = await resolveCommand(entry);
    const beforeDashes = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
    if (beforeDashes.includes('--help') || beforeDashes.includes('-h')) {
      io.stdout(command.usage);
      return EXIT.ok;
    }
    return await command.run(rest, io);
  } catch (e) {
    const message =
      e instanceof UsageError ? e.message : `internal error: ${(e as Error)?.message ?? String(e)}`;
    io.stderr(`compliant-mlops: ${oneLine(message)}\n`);
    return EXIT.usage;
  }
}
