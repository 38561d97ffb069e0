// The options every read-only AWS command parses alike: region, output format, output file, and
// the SageMaker + S3 clients of a region. One place, so each command reports them the same way.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
// Type imports only: the AWS SDK loads when a command makes its clients, not at --help.
import type { S3Client } from '@aws-sdk/client-s3';
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { CliIO, UsageError } from './command';

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/**
 * The region from `--region`, else `AWS_REGION`, else `AWS_DEFAULT_REGION`.
 * @throws UsageError when none is set or it is not a region name
 */
export function resolveRegion(
  command: string,
  value: string | undefined,
  io: CliIO,
  example = 'eu-west-1',
): string {
  const region = value ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION;
  if (!region) throw new UsageError(`${command}: --region: no region (pass --region or set AWS_REGION)`);
  if (!REGION.test(region)) {
    throw new UsageError(
      `${command}: --region: ${JSON.stringify(region)} is not a region name (expected e.g. ${example})`,
    );
  }
  return region;
}

/**
 * The `--format` value, one of `formats` (the first is the default).
 * @throws UsageError naming the formats allowed
 */
export function resolveFormat<const F extends string>(
  command: string,
  value: string | undefined,
  formats: readonly [F, ...F[]],
): F {
  const format = value ?? formats[0];
  if (!(formats as readonly string[]).includes(format)) {
    throw new UsageError(
      `${command}: --format: unknown format ${JSON.stringify(format)} (expected one of ${formats.join(', ')})`,
    );
  }
  return format as F;
}

/**
 * Writes a report to `--output` (relative to the working directory) or stdout.
 * @throws UsageError when the file cannot be written
 */
export function writeReport(command: string, io: CliIO, output: string | undefined, text: string): void {
  if (output === undefined) {
    io.stdout(text);
    return;
  }
  try {
    writeFileSync(resolve(io.cwd, output), text);
  } catch (e) {
    throw new UsageError(
      `${command}: --output: cannot write ${output} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
}

/** The SageMaker and S3 clients of a read-only command. */
export interface SageMakerS3Clients {
  readonly sagemaker: SageMakerClient;
  readonly s3: S3Client;
}

/**
 * SDK v3 clients of one region with the default credential chain, six attempts and bounded
 * connection and socket time (20 s), loaded on first use.
 */
export async function sageMakerS3Clients(o: {
  region: string;
  profile?: string;
}): Promise<SageMakerS3Clients> {
  const [{ SageMakerClient }, { S3Client }, { boundedHttpOptions }] = await Promise.all([
    import('@aws-sdk/client-sagemaker'),
    import('@aws-sdk/client-s3'),
    import('../handlers/shared/http.js'),
  ]);
  const config = {
    region: o.region,
    maxAttempts: 6,
    requestHandler: boundedHttpOptions(20_000),
    ...(o.profile !== undefined ? { profile: o.profile } : {}),
  };
  return { sagemaker: new SageMakerClient(config), s3: new S3Client(config) };
}
