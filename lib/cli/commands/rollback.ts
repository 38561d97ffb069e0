// Type imports only: the AWS SDK loads when a plan is made, so `rollback --help` and usage errors
// answer in node's start-up time.
import type { RollbackClients } from '../../rollback/plan';
import { CliIO, Command, EXIT, UsageError } from '../command';
import { parseCommandArgs } from '../args';
import { resolveFormat, resolveRegion, sageMakerS3Clients, writeReport } from '../command-options';

const FORMATS = ['text', 'json', 'markdown'] as const;

const USAGE = `usage: compliant-mlops rollback <model-package-group> [options]

Read-only plan to serve an earlier approved model package again, with what it was registered
with: the image digest (InferenceSpecification), the model artifact (promoted to
models/<served>/<version>/model.tar.gz in the platform's model artifact bucket) and the feature
contract version (CustomerMetadataProperties "lineage:feature-contract"). Only Approved versions
are candidates. Prints the servedModels entry to put in the config and the deploy command; it
changes nothing.
Needs sagemaker:ListModelPackages, sagemaker:DescribeModelPackage and (with --artifact-bucket)
s3:GetObject (HeadObject) on the artifact key.

options:
  --from N               the version served now (default: the newest approved version)
  --to N                 the version to go back to (default: the newest approved version below --from)
  --served NAME          the served model's name in the config (servedModels[].name)
  --artifact-bucket B    the model artifact bucket: checks the target's artifact is promoted
  --contract NAME@V      the feature contract the serving stack uses now, to compare majors
  --region R             region (default: AWS_REGION, then AWS_DEFAULT_REGION)
  --profile P            profile of the shared AWS config/credentials files
  --format F             text | json | markdown (default: text)
  --output FILE          write the plan to FILE instead of stdout

exit codes: 0 the plan is complete (steps ready or to do); 1 a step is blocked (no earlier
approved version, no image digest, an incompatible feature contract); 2 usage error, missing
credentials, no answer from AWS, or access denied (reported in the output too)
`;

/** Builds the clients of one region. */
export type RollbackClientFactory = (options: { region: string; profile?: string }) => RollbackClients;

/** Options of {@link createRollbackCommand}. */
export interface RollbackCommandOptions {
  /**
   * Builds the SDK clients; tests point them at a loopback fake.
   * @default - SDK v3 clients with the default endpoint resolution and credential chain
   */
  readonly clientFactory?: RollbackClientFactory;
}

const SUMMARY =
  'read-only plan to serve an earlier approved model package again, with its image, artifact and feature contract';

/** `compliant-mlops rollback`, with injectable clients. */
export function createRollbackCommand(options: RollbackCommandOptions = {}): Command {
  return {
    name: 'rollback',
    summary: SUMMARY,
    usage: USAGE,
    run: async (args, io) => run(args, io, options),
  };
}

/** The `rollback` command with real AWS clients. */
export const rollbackCommand: Command = createRollbackCommand();

const OPTIONS = {
  from: { type: 'string' },
  to: { type: 'string' },
  served: { type: 'string' },
  'artifact-bucket': { type: 'string' },
  contract: { type: 'string' },
  region: { type: 'string' },
  profile: { type: 'string' },
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
} as const;

function version(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
    throw new UsageError(
      `rollback: --${name}: ${JSON.stringify(value)} is not a model package version (expected 1, 2, ...)`,
    );
  }
  return n;
}

async function run(args: readonly string[], io: CliIO, options: RollbackCommandOptions): Promise<number> {
  const { values, positionals } = parseCommandArgs('rollback', args, OPTIONS, true);
  if (positionals.length !== 1) {
    throw new UsageError(`rollback: <model-package-group>: one group expected (got ${positionals.length})`);
  }
  const group = positionals[0];
  // ModelPackageGroupName: 1-63 characters, alphanumerics and hyphens.
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ListModelPackages.html
  if (!/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/.test(group)) {
    throw new UsageError(
      `rollback: <model-package-group>: ${JSON.stringify(group)} is not a model package group name`,
    );
  }
  const from = version('from', values.from);
  const to = version('to', values.to);
  if (from !== undefined && to !== undefined && to >= from) {
    throw new UsageError(`rollback: --to: ${to} is not below --from ${from} (a rollback goes back)`);
  }
  if (values.served !== undefined && !/^[a-z][a-z0-9-]{1,30}$/.test(values.served)) {
    throw new UsageError(
      `rollback: --served: ${JSON.stringify(values.served)} is not a served model name (lowercase letters, digits, "-")`,
    );
  }
  const bucket = values['artifact-bucket'];
  if (bucket !== undefined && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new UsageError(`rollback: --artifact-bucket: ${JSON.stringify(bucket)} is not a bucket name`);
  }
  if (bucket !== undefined && values.served === undefined) {
    throw new UsageError(
      'rollback: --artifact-bucket needs --served (the artifact key is models/<served>/<version>/)',
    );
  }
  if (values.contract !== undefined && !/^[^@\s]+@\d+(\.\d+){0,2}$/.test(values.contract)) {
    throw new UsageError(
      `rollback: --contract: ${JSON.stringify(values.contract)} is not <contract name>@<version> (e.g. customer-churn@1.2.0)`,
    );
  }
  const format = resolveFormat('rollback', values.format, FORMATS);
  const region = resolveRegion('rollback', values.region, io);

  const [rollback, { LineageAbort }] = await Promise.all([
    import('../../rollback/index.js'),
    import('../../lineage/errors.js'),
  ]);
  const clients = options.clientFactory
    ? options.clientFactory({ region, profile: values.profile })
    : await sageMakerS3Clients({ region, profile: values.profile });
  let plan;
  try {
    plan = await rollback.planRollback(clients, {
      group,
      from,
      to,
      served: values.served,
      artifactBucket: bucket,
      contract: values.contract,
    });
  } catch (e) {
    if (e instanceof rollback.RollbackAbort || e instanceof LineageAbort) {
      throw new UsageError(`rollback: ${e.message}`);
    }
    throw e;
  } finally {
    if (!options.clientFactory) {
      clients.sagemaker.destroy();
      clients.s3.destroy();
    }
  }
  if (plan.errors.length > 0) {
    const more = plan.errors.length > 1 ? ` (+${plan.errors.length - 1} more)` : '';
    io.stderr(`compliant-mlops: rollback: ${plan.errors[0]}${more}\n`);
  }
  writeReport('rollback', io, values.output, rollback.renderRollback(plan, format));
  const code = rollback.rollbackExitCode(plan);
  return code === 2 ? EXIT.usage : code === 1 ? EXIT.findings : EXIT.ok;
}
