/** What a command may touch of the process: injected so tests run commands in-process. */
export interface CliIO {
  /** Writes to standard output (no newline added). */
  readonly stdout: (text: string) => void;
  /** Writes to standard error (no newline added). */
  readonly stderr: (text: string) => void;
  /** Whether standard output is a terminal (colour, progress). */
  readonly isTTY: boolean;
  /** Environment variables (NO_COLOR, AWS_REGION, ...). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Working directory that relative paths resolve against. */
  readonly cwd: string;
}

/**
 * Bad usage or unreadable input: the CLI prints `compliant-mlops: <message>` as one line on
 * stderr and exits 2, never with a stack trace.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Exit codes shared by every command. */
export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

/** One subcommand of `compliant-mlops`. */
export interface Command {
  /** The word after `compliant-mlops`, e.g. `check`. */
  readonly name: string;
  /** One line for `compliant-mlops --help`. */
  readonly summary: string;
  /** The usage text printed by `compliant-mlops <name> --help`. */
  readonly usage: string;
  /** Runs the command with the arguments after its name; resolves to the exit code. */
  run(args: readonly string[], io: CliIO): Promise<number>;
}

/**
 * A subcommand known by name and summary whose module loads on first use, so the top-level
 * `--help` and `--version` cost only node's start-up.
 */
export interface LazyCommand {
  /** The word after `compliant-mlops`. */
  readonly name: string;
  /** One line for `compliant-mlops --help` (must equal the loaded command's). */
  readonly summary: string;
  /** Loads the command's module. */
  load(): Promise<Command>;
}

/** What `main` dispatches to: a loaded command or one that loads on first use. */
export type CommandEntry = Command | LazyCommand;

/** The command behind an entry, loading its module when it is lazy. */
export async function resolveCommand(entry: CommandEntry): Promise<Command> {
  return 'load' in entry ? entry.load() : entry;
}
