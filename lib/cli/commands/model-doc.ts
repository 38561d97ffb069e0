// Type imports only: the AWS SDK loads when a package is read, so `model-doc --help` and usage
// errors answer in node's start-up time.
import type { ModelDocClients } from '../../model-docs/gather';
import { CliIO, Command, EXIT, UsageError } from '../command';
import { parseCommandArgs } from '../args';
import { resolveFormat, resolveRegion, sageMakerS3Clients, writeReport } from '../command-options';

const FORMATS = ['markdown', 'json'] as const;

const USAGE = `usage: compliant-mlops model-doc <model-package-arn> [options]

Read-only model documentation of one registered model version: the Markdown operations hand-off
(purpose, owner, risk tier, data and provenance, metrics, fairness, approval and review record,
lineage, how to roll back, runbooks), or with --format json the SageMaker Model Card content the
ModelDocumentation construct writes for it. Made from DescribeModelPackage, the reports the
package names (GetObject of ModelMetrics.ModelQuality.Statistics, "lineage:bias-report",
"lineage:fairness-report") and its model card "<group>-<version>" (DescribeModelCard: the feature
contract, intended use and runbooks are not in the package). Anything not recorded says so.
Needs sagemaker:DescribeModelPackage, sagemaker:DescribeModelCard and s3:GetObject (and the
card's and reports' KMS keys).

options:
  --region R             region (default: the ARN's region)
  --profile P            profile of the shared AWS config/credentials files
  --format F             markdown | json (default: markdown)
  --output FILE          write the document to FILE instead of stdout

exit codes: 0 documented; 1 documented, but a report the package names could not be read;
2 usage error, missing credentials, no answer from AWS, or the package could not be read
`;

/** Builds the clients of one region. */
export type ModelDocClientFactory = (options: { region: string; profile?: string }) => ModelDocClients;

/** Options of {@link createModelDocCommand}. */
export interface ModelDocCommandOptions {
  /**
   * Builds the SDK clients; tests point them at a loopback fake.
   * @default - SDK v3 clients with the default endpoint resolution and credential chain
   */
  readonly clientFactory?: ModelDocClientFactory;
}

const SUMMARY =
  'read-only documentation of a model version: Markdown hand-off or model card JSON from the package and its reports';

/** `compliant-mlops model-doc`, with injectable clients. */
export function createModelDocCommand(options: ModelDocCommandOptions = {}): Command {
  return {
    name: 'model-doc',
    summary: SUMMARY,
    usage: USAGE,
    run: async (args, io) => run(args, io, options),
  };
}

/** The `model-doc` command with real AWS clients. */
export const modelDocCommand: Command = createModelDocCommand();

const OPTIONS = {
  region: { type: 'string' },
  profile: { type: 'string' },
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
} as const;

const PACKAGE_ARN =
  /^arn:aws[a-z-]*:sagemaker:([a-z]{2}(?:-[a-z]+)+-\d+):\d{12}:model-package\/[a-zA-Z0-9](?:-*[a-zA-Z0-9]){0,62}\/\d+$/;

async function run(args: readonly string[], io: CliIO, options: ModelDocCommandOptions): Promise<number> {
  const { values, positionals } = parseCommandArgs('model-doc', args, OPTIONS, true);
  if (positionals.length !== 1) {
    throw new UsageError(
      `model-doc: <model-package-arn>: one model package ARN expected (got ${positionals.length})`,
    );
  }
  const arn = positionals[0]!;
  const m = PACKAGE_ARN.exec(arn);
  if (!m) {
    throw new UsageError(
      `model-doc: <model-package-arn>: ${JSON.stringify(arn)} is not a versioned model package ARN (expected arn:aws:sagemaker:<region>:<account>:model-package/<group>/<version>)`,
    );
  }
  const format = resolveFormat('model-doc', values.format, FORMATS);
  // The ARN's region when --region is not given (never the environment's): the package lives there.
  const region = resolveRegion('model-doc', values.region ?? m[1]!, io);

  const [docs, gather, lineageErrors, sdk] = await Promise.all([
    import('../../model-docs/index.js'),
    import('../../model-docs/gather.js'),
    import('../../lineage/errors.js'),
    import('@aws-sdk/client-sagemaker'),
  ]);
  const clients = options.clientFactory
    ? options.clientFactory({ region, profile: values.profile })
    : await sageMakerS3Clients({ region, profile: values.profile });
  let input;
  let card: unknown;
  try {
    const parsed = gather.parseModelPackageArn(arn)!;
    const cardName = docs.modelCardName(parsed.groupName, parsed.version);
    try {
      const described = await clients.sagemaker.send(
        new sdk.DescribeModelCardCommand({ ModelCardName: cardName }),
      );
      card = described.Content ? JSON.parse(described.Content) : undefined;
    } catch (e) {
      // No card yet (or not allowed to read it): the contract facts then come from the package.
      const c = lineageErrors.classifyError(e);
      if (c.reason === 'error') throw e;
    }
    const fromCard = card === undefined ? undefined : docs.contractFactsFromCard(card);
    input = await gather.gatherModelDocumentation(clients, arn, {
      ...(fromCard ? { contract: fromCard.contract, runbooks: fromCard.runbooks } : {}),
    });
    if (!fromCard) {
      input = { ...input, contract: docs.contractFactsFromDescription(input.modelPackage.description) };
    }
  } catch (e) {
    if (e instanceof lineageErrors.LineageAbort || e instanceof gather.PackageNotReadError)
      throw new UsageError(`model-doc: ${e.message}`);
    if (e instanceof SyntaxError) throw new UsageError(`model-doc: the model card content is not json`);
    throw e;
  } finally {
    if (!options.clientFactory) {
      clients.sagemaker.destroy();
      clients.s3.destroy();
    }
  }
  const text =
    format === 'json'
      ? `${JSON.stringify(docs.buildModelCardContent(input), null, 2)}\n`
      : docs.renderModelDocMarkdown(input);
  writeReport('model-doc', io, values.output, text);
  const notRead = [input.quality.status, input.bias.status, input.fairness.status].filter(
    (s) => s.state === 'not-read',
  );
  if (notRead.length > 0) {
    const first = notRead[0]!;
    io.stderr(
      `compliant-mlops: model-doc: ${notRead.length} report(s) not read: ${first.state === 'not-read' ? `${first.uri} (${first.reason})` : ''}${notRead.length > 1 ? ` (+${notRead.length - 1} more)` : ''}\n`,
    );
    return EXIT.findings;
  }
  return EXIT.ok;
}
