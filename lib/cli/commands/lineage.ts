// Type imports only: the AWS SDK loads when a lineage is read, so `lineage --help` and usage
// errors answer in node's start-up time.
import type { LineageClients } from '../../lineage/chain';
import { CliIO, Command, EXIT, UsageError } from '../command';
import { parseCommandArgs } from '../args';
import { resolveFormat, resolveRegion, sageMakerS3Clients, writeReport } from '../command-options';

const FORMATS = ['text', 'json', 'markdown'] as const;

const USAGE = `usage: compliant-mlops lineage <endpoint-name> [options]
       compliant-mlops lineage [<endpoint-name>] --inference-id ID --capture s3://bucket/prefix [options]

Read-only lineage of a deployed model: endpoint -> endpoint config (variants) -> model (images and
their deployed digests) -> model package (approval, metadata, metric reports) -> training job
(input channels, image, hyperparameters, output) -> dataset manifest (the package's
CustomerMetadataProperties "lineage:dataset-manifest", whose sha256 must be the package's
"lineage:dataset-manifest-sha256") -> every dataset object of the manifest, checked with
HeadObject of its recorded version: size, and sha256 from S3's full-object SHA-256 checksum when
one is stored, else reported "not verifiable without reading" (or read and hashed with
--verify-hashes). The training job is taken from the
package's MetadataProperties.GeneratedBy (a training job ARN), else CustomerMetadataProperties
"lineage:training-job", else the model data URL (.../<job>/output/model.tar.gz). Every link that
cannot be read is reported as NOT READ with its reason, never dropped.
With --inference-id, finds the captured request and response of that InferenceId in the data
capture JSON lines under --capture (gzip files too).
Needs sagemaker:DescribeEndpoint, DescribeEndpointConfig, DescribeModel, DescribeModelPackage,
DescribeTrainingJob, s3:GetObject, s3:GetObjectVersion (dataset object versions), kms:Decrypt on
the keys of SSE-KMS manifests (and objects, with --verify-hashes) and (for --capture) s3:ListBucket.

options:
  --inference-id ID      the InferenceId to find in data capture (needs --capture)
  --capture URI          s3://bucket/prefix of the data capture files
  --max-objects N        capture objects read at most, 1-100000 (default: 1000)
  --verify-hashes        read and hash each dataset object version S3 holds no SHA-256 checksum for
  --region R             region (default: AWS_REGION, then AWS_DEFAULT_REGION)
  --profile P            profile of the shared AWS config/credentials files
  --format F             text | json | markdown (default: text)
  --output FILE          write the report to FILE instead of stdout

exit codes: 0 the whole chain was read and approved (and the inference found); 1 a link is
broken, not approved or inconsistent (or the inference was not found); 2 usage error, missing
credentials, no answer from AWS, or access denied on a link (reported in the output too)
`;

/** Builds the clients of one region. */
export type LineageClientFactory = (options: { region: string; profile?: string }) => LineageClients;

/** Options of {@link createLineageCommand}. */
export interface LineageCommandOptions {
  /**
   * Builds the SDK clients; tests point them at a loopback fake.
   * @default - SDK v3 clients with the default endpoint resolution and credential chain
   */
  readonly clientFactory?: LineageClientFactory;
}

const SUMMARY =
  'read-only lineage of an endpoint: model, package approval, training job, dataset manifest, captured inference';

/** `compliant-mlops lineage`, with injectable clients. */
export function createLineageCommand(options: LineageCommandOptions = {}): Command {
  return { name: 'lineage', summary: SUMMARY, usage: USAGE, run: async (args, io) => run(args, io, options) };
}

/** The `lineage` command with real AWS clients. */
export const lineageCommand: Command = createLineageCommand();

const OPTIONS = {
  'inference-id': { type: 'string' },
  capture: { type: 'string' },
  'max-objects': { type: 'string' },
  'verify-hashes': { type: 'boolean' },
  region: { type: 'string' },
  profile: { type: 'string' },
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
} as const;

async function run(args: readonly string[], io: CliIO, options: LineageCommandOptions): Promise<number> {
  const { values, positionals } = parseCommandArgs('lineage', args, OPTIONS, true);
  if (positionals.length > 1) {
    throw new UsageError(`lineage: <endpoint-name>: one endpoint expected (got ${positionals.length})`);
  }
  const endpointName = positionals[0];
  if (endpointName !== undefined && !/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/.test(endpointName)) {
    throw new UsageError(`lineage: <endpoint-name>: ${JSON.stringify(endpointName)} is not an endpoint name`);
  }
  const inferenceId = values['inference-id'];
  if ((inferenceId === undefined) !== (values.capture === undefined)) {
    throw new UsageError('lineage: --inference-id and --capture go together (got only one of them)');
  }
  if (endpointName === undefined && inferenceId === undefined) {
    throw new UsageError('lineage: <endpoint-name>: missing (or pass --inference-id with --capture)');
  }
  // InvokeEndpoint's InferenceId: 1-64 characters.
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html
  if (inferenceId !== undefined && (inferenceId.length < 1 || inferenceId.length > 64)) {
    throw new UsageError(`lineage: --inference-id: ${inferenceId.length} characters (expected 1 to 64)`);
  }
  let capture: { bucket: string; prefix: string } | undefined;
  if (values.capture !== undefined) {
    const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(values.capture);
    if (!m)
      throw new UsageError(
        `lineage: --capture: ${JSON.stringify(values.capture)} is not an s3://bucket/prefix uri`,
      );
    capture = { bucket: m[1], prefix: m[2] ?? '' };
  }
  const maxObjects = values['max-objects'] === undefined ? 1000 : Number(values['max-objects']);
  if (!Number.isInteger(maxObjects) || maxObjects < 1 || maxObjects > 100_000) {
    throw new UsageError(
      `lineage: --max-objects: ${JSON.stringify(values['max-objects'])} is not an integer from 1 to 100000`,
    );
  }
  const format = resolveFormat('lineage', values.format, FORMATS);
  const region = resolveRegion('lineage', values.region, io);

  const lineage = await import('../../lineage/index.js');
  const clients = options.clientFactory
    ? options.clientFactory({ region, profile: values.profile })
    : await sageMakerS3Clients({ region, profile: values.profile });
  let chain;
  let inference;
  try {
    if (endpointName !== undefined)
      chain = await lineage.readLineage(clients, endpointName, {
        verifyHashes: values['verify-hashes'] === true,
      });
    if (capture !== undefined && inferenceId !== undefined) {
      inference = await lineage.findInference(clients.s3, capture, inferenceId, { maxObjects });
    }
  } catch (e) {
    if (e instanceof lineage.LineageAbort) throw new UsageError(`lineage: ${e.message}`);
    throw e;
  } finally {
    if (!options.clientFactory) {
      clients.sagemaker.destroy();
      clients.s3.destroy();
    }
  }
  const errors = lineage.accessErrors(chain, inference);
  const report = { chain, inference, errors };
  // One stderr line however many links were denied: the report lists each.
  if (errors.length > 0) {
    io.stderr(
      `compliant-mlops: lineage: access denied on ${errors.length} link(s): ${errors[0]}${errors.length > 1 ? ` (+${errors.length - 1} more)` : ''}\n`,
    );
  }
  writeReport('lineage', io, values.output, lineage.renderLineage(report, format));
  const code = lineage.lineageExitCode(report);
  return code === 2 ? EXIT.usage : code === 1 ? EXIT.findings : EXIT.ok;
}
