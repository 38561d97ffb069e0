import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { analyzeBias, BiasInputError, type BiasReport } from '../../fairness';
import { decodedBytes } from '../bias-check/run';
import type { FairnessCheckConfig } from './config';
import { ARGUMENTS, OUTPUTS, POST_TRAINING_REPORT } from './contract';

/** The clients the check uses. */
export interface FairnessCheckClients {
  readonly s3: S3Client;
}

/** What the function returns to the Lambda step: one key per declared output parameter. */
export interface FairnessCheckResult {
  readonly [OUTPUTS.crossed]: boolean;
  readonly [OUTPUTS.reportUri]: string;
}

/** The step's arguments, checked. */
export interface FairnessCheckRequest {
  readonly bucket: string;
  /** The predictions object: `<evaluation prefix><execution id>/<predictions file>`. */
  readonly key: string;
  readonly executionId: string;
}

/** A request that is not the step's arguments, or names an object other than this execution's predictions. */
export class FairnessCheckRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FairnessCheckRequestError';
  }
}

const EXECUTION_ID = /^[A-Za-z0-9-]{1,128}$/;

/**
 * Checks the step's arguments: `executionId` becomes a key segment, so it is restricted to
 * SageMaker's id alphabet; `predictionsUri` must be exactly this execution's predictions file in
 * the evaluation output, so the function never reads (or reports on) anything else, whatever the
 * caller passes.
 */
export function parseRequest(config: FairnessCheckConfig, event: unknown): FairnessCheckRequest {
  const e = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>;
  const id = e[ARGUMENTS.executionId];
  if (typeof id !== 'string' || !EXECUTION_ID.test(id)) {
    throw new FairnessCheckRequestError(
      `${ARGUMENTS.executionId}: is not a pipeline execution id (got ${JSON.stringify(id ?? null)}; expected 1 to 128 of [A-Za-z0-9-])`,
    );
  }
  const key = `${config.evaluationPrefix}${id}/${config.spec.predictionsFile}`;
  const expected = `s3://${config.evaluationBucket}/${key}`;
  const uri = e[ARGUMENTS.predictionsUri];
  if (uri !== expected) {
    throw new FairnessCheckRequestError(
      `${ARGUMENTS.predictionsUri}: is not this execution's predictions file (got ${JSON.stringify(uri ?? null)}; expected ${expected})`,
    );
  }
  return { bucket: config.evaluationBucket, key, executionId: id };
}

/** S3's answers for an object that is not there (403 without s3:ListBucket on the key). */
const ABSENT = new Set(['NoSuchKey', 'NotFound', 'AccessDenied']);

/** The predictions object's body, or a clear error when the evaluation did not write it. */
async function predictionsBody(s3: S3Client, req: FairnessCheckRequest): Promise<AsyncIterable<Uint8Array>> {
  const uri = `s3://${req.bucket}/${req.key}`;
  const absent = () =>
    new BiasInputError(
      'emptyData',
      `no predictions file at ${uri}: the Evaluate step's container must write it next to its evaluation report (the evaluation output contract, see constructs/training/README.md)`,
    );
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: req.bucket, Key: req.key }));
    const body = out.Body as AsyncIterable<Uint8Array> | undefined;
    if (!body) throw absent();
    return body;
  } catch (err) {
    if (err instanceof Error && ABSENT.has(err.name)) throw absent();
    throw err;
  }
}

/**
 * Runs the post-training check: streams this execution's predictions file (gzip or plain, bounded
 * memory) into the post-training metrics, writes the report under
 * `<reportsPrefix><executionId>/post-training.json` (SSE-KMS with the reports key), and returns
 * whether a threshold was crossed. Only the metric thresholds decide: proxy associations are
 * reported, not failing (the predictions file carries the label and the prediction, which may
 * well associate with a facet; that is what the metrics measure).
 * @throws FairnessCheckRequestError, BiasInputError (the step fails: no registration on unreadable predictions)
 */
export async function runFairnessCheck(
  clients: FairnessCheckClients,
  config: FairnessCheckConfig,
  event: unknown,
  now: Date = new Date(),
): Promise<FairnessCheckResult & { report: BiasReport }> {
  const req = parseRequest(config, event);
  const { format, label, prediction, facets, group, failOn } = config.spec;
  const body = await predictionsBody(clients.s3, req);
  const report = await analyzeBias(decodedBytes(body), {
    format,
    label,
    predictions: prediction,
    facets: [...facets],
    group,
    failOn,
    generatedAt: now.toISOString(),
  });
  const key = `${config.reportsPrefix}${req.executionId}/${POST_TRAINING_REPORT}`;
  await clients.s3.send(
    new PutObjectCommand({
      Bucket: config.reportsBucket,
      Key: key,
      Body: JSON.stringify({ ...report, source: { uri: `s3://${req.bucket}/${req.key}` } }, null, 2),
      ContentType: 'application/json',
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: config.reportsKeyArn,
    }),
  );
  return {
    crossed: report.summary.crossed.length > 0,
    reportUri: `s3://${config.reportsBucket}/${key}`,
    report,
  };
}
