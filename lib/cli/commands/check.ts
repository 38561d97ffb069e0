// Only type imports of the checker: aws-cdk-lib, cdk-nag, yaml and zod load when a check runs,
// so `check --help` and usage errors answer in node's start-up time (see bench `check/start-up`).
import type { AcknowledgmentsFile } from '../../check/acknowledgments';
import type { FailOn } from '../../check/check';
import { CheckUsageError } from '../../check/errors';
import { PACK_PREFIXES } from '../../shared/packs';
import { REPORT_FORMATS, writeReport as renderReport } from '../../report/writers';
import { CliIO, Command, EXIT, UsageError } from '../command';
import { parseCommandArgs } from '../args';
import { resolveFormat, writeReport } from '../command-options';

const FAIL_ON: readonly FailOn[] = ['error', 'warning', 'none'];

/** More templates than this and `check` reports progress on stderr. */
const PROGRESS_THRESHOLD = 5;

const USAGE = `usage: compliant-mlops check <path...> [options]

Checks cloud assemblies (cdk.out), CloudFormation templates (.json, .yaml, .yml) and directories
of templates with cdk-nag v3 packs, without deploying or synthesizing.

options:
  --packs a,b            packs to run (default: all: ${PACK_PREFIXES.join(', ')})
  --format F             text | json | sarif | junit | markdown (default: text)
  --output FILE          write the report to FILE instead of stdout
  --fail-on L            error | warning | none: the lowest unacknowledged level that fails (default: error)
  --acknowledgments FILE YAML/JSON list of {rule | id, resource, reason, owner, expires}
  --category NAME        SARIF runAutomationDetails.id prefix for GitHub code scanning (default: compliant-mlops)
  --jobs N               threads: main + N-1 workers (default: available cores, workers only past
                         10,000 resources; past 1,000 templates a fresh thread takes over, one at a
                         time with --jobs 1, so memory stays flat)
  --quiet                no progress on stderr

exit codes: 0 no unacknowledged finding at or above --fail-on; 1 findings; 2 usage or input error
`;

/** Options of {@link createCheckCommand}. */
export interface CheckCommandOptions {
  /**
   * The day acknowledgments are judged against, `YYYY-MM-DD`.
   * @default - today (UTC) when the command runs
   */
  readonly today?: () => string;
}

/**
 * `compliant-mlops check`: runs the packs over the given inputs and writes a report.
 * `today` is injectable so tests can pin acknowledgment expiry.
 */
export function createCheckCommand(options: CheckCommandOptions = {}): Command {
  return {
    name: 'check',
    summary:
      'check cloud assemblies and CloudFormation templates with cdk-nag packs (text, JSON, SARIF, JUnit, Markdown)',
    usage: USAGE,
    run: async (args, io) => runCheck(args, io, options),
  };
}

/** The `check` command with the real clock. */
export const checkCommand: Command = createCheckCommand();

const OPTIONS = {
  packs: { type: 'string' },
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  'fail-on': { type: 'string' },
  acknowledgments: { type: 'string' },
  category: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  jobs: { type: 'string', short: 'j' },
} as const;

async function runCheck(args: readonly string[], io: CliIO, options: CheckCommandOptions): Promise<number> {
  const { values, positionals } = parseCommandArgs('check', args, OPTIONS, true);
  if (positionals.length === 0)
    throw new UsageError(
      'check: missing path (usage: compliant-mlops check <path...> [options]; see --help)',
    );
  const format = resolveFormat('check', values.format, REPORT_FORMATS);
  const failOn = (values['fail-on'] ?? 'error') as FailOn;
  if (!FAIL_ON.includes(failOn)) {
    throw new UsageError(
      `check: --fail-on: unknown level ${JSON.stringify(failOn)} (expected one of ${FAIL_ON.join(', ')})`,
    );
  }
  const packs =
    values.packs === undefined
      ? undefined
      : values.packs
          .split(',')
          .map((p) => p.trim())
          .filter(Boolean);
  if (packs !== undefined && packs.length === 0)
    throw new UsageError('check: --packs: no pack named (expected a comma-separated list)');
  if (values.category !== undefined && !/^[A-Za-z0-9._-]+$/.test(values.category)) {
    throw new UsageError(
      `check: --category: ${JSON.stringify(values.category)} is not a plain name (expected letters, digits, . _ -)`,
    );
  }
  const jobs = values.jobs === undefined ? undefined : Number(values.jobs);
  if (jobs !== undefined && (!Number.isInteger(jobs) || jobs < 1 || jobs > 64)) {
    throw new UsageError(`check: --jobs: ${JSON.stringify(values.jobs)} is not a whole number from 1 to 64`);
  }
  let acknowledgments: AcknowledgmentsFile[] = [];
  let report;
  // Compiled, lazy requires: a dynamic import goes through Node's ESM loader (~40 ms). From the
  // TypeScript sources (vitest) only the loader's dynamic import reads `.ts` files.
  const { loadAcknowledgmentsFile, checkPathsInParallel, exitCodeOf } = __filename.endsWith('.ts')
    ? {
        ...(await import('../../check/acknowledgments.js')),
        ...(await import('../../check/parallel.js')),
        ...(await import('../../check/check.js')),
      }
    : /* eslint-disable @typescript-eslint/no-require-imports */
      {
        ...(require('../../check/acknowledgments.js') as typeof import('../../check/acknowledgments.js')),
        ...(require('../../check/parallel.js') as typeof import('../../check/parallel.js')),
        ...(require('../../check/check.js') as typeof import('../../check/check.js')),
      };
  /* eslint-enable @typescript-eslint/no-require-imports */
  try {
    if (values.acknowledgments !== undefined)
      acknowledgments = [loadAcknowledgmentsFile(values.acknowledgments, io.cwd)];
    const quiet = values.quiet === true;
    let lastShown = 0;
    report = await checkPathsInParallel(positionals, {
      cwd: io.cwd,
      jobs,
      packs,
      acknowledgments,
      today: options.today?.(),
      onProgress: (done, total) => {
        if (quiet || total <= PROGRESS_THRESHOLD) return;
        // A line per tenth of the run (and the last), so CI logs stay short.
        if (done === total || done - lastShown >= Math.max(1, Math.floor(total / 10))) {
          lastShown = done;
          io.stderr(`checking ${done}/${total} templates\n`);
        }
      },
    });
  } catch (e) {
    if (e instanceof CheckUsageError) throw new UsageError(`check: ${e.message}`);
    throw e;
  }
  for (const error of report.errors) io.stderr(`compliant-mlops: ${error.input}: ${error.message}\n`);
  // Machine formats always carry the input errors (a CI upload must not be an empty file); the
  // text report of a run that checked nothing would only repeat the stderr lines.
  if (report.inputs.length > 0 || format !== 'text' || values.output !== undefined) {
    const color = format === 'text' && values.output === undefined && io.isTTY && !io.env.NO_COLOR;
    const text = renderReport(report, format, { color, category: values.category });
    writeReport('check', io, values.output, text);
  }
  const code = exitCodeOf(report, failOn);
  return code === 2 ? EXIT.usage : code === 1 ? EXIT.findings : EXIT.ok;
}
