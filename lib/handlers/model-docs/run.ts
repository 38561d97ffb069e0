import { PutMetricDataCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { S3Client } from '@aws-sdk/client-s3';
import {
  CreateModelCardCommand,
  DescribeModelCardCommand,
  UpdateModelCardCommand,
  type DescribeModelCardCommandOutput,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import {
  buildModelCardContent,
  modelCardName,
  modelCardStatusFor,
  sameCardContent,
  serializeCardContent,
} from '../../model-docs/card';
import { gatherModelDocumentation, PackageNotReadError } from '../../model-docs/gather';
import type { ModelDocumentationInput } from '../../model-docs/input';
import { parseEvent } from '../review-gate/review';
import type { Logger } from '../shared/log';
import type { ModelDocsConfig } from './config';
import { DIMENSIONS, METRIC_NAMESPACE, METRICS } from './contract';

/** The clients the handler calls. */
export interface ModelDocsClients {
  readonly sagemaker: SageMakerClient;
  readonly s3: S3Client;
  readonly cloudwatch: CloudWatchClient;
}

/** What the handler did with one event. */
export type DocsOutcome =
  /** The event could not be read; nothing was called but the metric. */
  | 'malformed'
  /** A package of another group: nothing was called. */
  | 'other-group'
  /** The package could not be described (deleted, or the role may not): counted as a failure. */
  | 'package-not-read'
  /** The version had no card: created. */
  | 'created'
  /** The card's content or status differed: updated (a new card version). */
  | 'updated'
  /** The card already holds this content and status (a redelivered event): nothing written. */
  | 'unchanged'
  /** The card is archived: SageMaker takes no more updates, left alone. */
  | 'archived';

/** The result of one invocation, logged and returned. */
export interface DocsResult {
  readonly outcome: DocsOutcome;
  readonly modelPackageArn?: string;
  readonly modelCardName?: string;
  /** The card's status after the run. */
  readonly modelCardStatus?: string;
  /** Reports named but not read, and other problems worth a look. */
  readonly problems?: readonly string[];
}

/** Options of one run. */
export interface RunOptions {
  readonly log: Logger;
}

function isNotFound(e: unknown): boolean {
  const name = typeof e === 'object' && e !== null ? (e as { name?: unknown }).name : undefined;
  const message = e instanceof Error ? e.message : '';
  return (
    name === 'ResourceNotFound' ||
    (name === 'ValidationException' && /does not exist|not found|could not find/i.test(message))
  );
}

function reportProblems(input: ModelDocumentationInput): string[] {
  const out: string[] = [];
  for (const [what, status] of [
    ['quality statistics', input.quality.status],
    ['bias report', input.bias.status],
    ['fairness report', input.fairness.status],
  ] as const) {
    if (status.state === 'not-read') out.push(`${what} ${status.uri}: ${status.reason}`);
  }
  return out;
}

/**
 * Documents one model version on a `SageMaker Model Package State Change` of the group: gathers
 * the package, its reports and lineage keys, and creates the model card `<group>-<version>`
 * (encrypted with the configured key, `Draft` until the package is approved) or updates it.
 *
 * Idempotent on redelivery: the decision is made on the current package and card, and a card
 * whose content and status already match gets no new version. `UpdateModelCard` takes content
 * or status, not both, so a change of both is two calls (content first: the status then
 * describes the content it approves). Errors that a retry can fix (throttling beyond the SDK's
 * retries, a concurrent create) are thrown, so Lambda retries and then keeps the event.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateModelCard.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UpdateModelCard.html
 */
export async function handleStateChange(
  clients: ModelDocsClients,
  config: ModelDocsConfig,
  event: unknown,
  opts: RunOptions,
): Promise<DocsResult> {
  const parsed = parseEvent(event);
  if (parsed.kind === 'malformed') {
    opts.log.error('malformed event', { reason: parsed.reason });
    await putMetric(clients.cloudwatch, config, METRICS.malformedEvents, 1);
    return { outcome: 'malformed', problems: [parsed.reason] };
  }
  const arn = parsed.change.modelPackageArn;
  // SageMaker writes the group into ARNs in lowercase; both must be the documented group.
  const group = config.groupName.toLowerCase();
  if (parsed.change.modelPackageGroupName.toLowerCase() !== group || arn.split('/')[1] !== group) {
    opts.log.info('ignored: another group', { modelPackageArn: arn });
    return { outcome: 'other-group', modelPackageArn: arn };
  }

  let input: ModelDocumentationInput;
  try {
    input = await gatherModelDocumentation(clients, arn, {
      contract: config.contract,
      runbooks: config.runbooks,
      reportLocations: [{ bucket: config.reportsBucket, prefixes: config.reportsPrefixes }],
    });
  } catch (e) {
    if (!(e instanceof PackageNotReadError)) throw e;
    // A deleted package or a denied describe: a retry cannot fix it, the alarm tells someone.
    opts.log.error('package not read', { modelPackageArn: arn, error: e.message });
    await putMetric(clients.cloudwatch, config, METRICS.documentationFailures, 1);
    return { outcome: 'package-not-read', modelPackageArn: arn, problems: [e.message] };
  }
  const problems = reportProblems(input);
  const name = modelCardName(config.groupName, input.modelPackage.version);
  const content = serializeCardContent(buildModelCardContent(input));
  const status = modelCardStatusFor(input.modelPackage.approvalStatus);

  let card: DescribeModelCardCommandOutput | undefined;
  try {
    card = await clients.sagemaker.send(new DescribeModelCardCommand({ ModelCardName: name }));
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }

  let outcome: DocsOutcome;
  let finalStatus: string = status;
  let failures = 0;
  if (card === undefined) {
    await clients.sagemaker.send(
      new CreateModelCardCommand({
        ModelCardName: name,
        Content: content,
        ModelCardStatus: status,
        SecurityConfig: { KmsKeyId: config.cardKeyId },
      }),
    );
    outcome = 'created';
  } else if (card.ModelCardStatus === 'Archived') {
    outcome = 'archived';
    finalStatus = 'Archived';
  } else {
    const contentChanged = !sameCardContent(card.Content ?? '', content);
    const statusChanged = card.ModelCardStatus !== status;
    if (contentChanged) {
      await clients.sagemaker.send(new UpdateModelCardCommand({ ModelCardName: name, Content: content }));
    }
    if (statusChanged) {
      await clients.sagemaker.send(
        new UpdateModelCardCommand({ ModelCardName: name, ModelCardStatus: status }),
      );
    }
    outcome = contentChanged || statusChanged ? 'updated' : 'unchanged';
    // The key is fixed at creation: a card made with another key (by hand) is documented but flagged.
    const key = card.SecurityConfig?.KmsKeyId;
    if (key !== config.cardKeyId) {
      failures = 1;
      problems.push(
        `model card ${name} is encrypted with ${key ?? 'no customer managed key'}, not ${config.cardKeyId}`,
      );
    }
  }

  await putMetrics(clients.cloudwatch, config, [
    [METRICS.cardsWritten, outcome === 'created' || outcome === 'updated' ? 1 : 0],
    [METRICS.reportsNotRead, reportProblems(input).length],
    [METRICS.documentationFailures, failures],
  ]);
  return {
    outcome,
    modelPackageArn: arn,
    modelCardName: name,
    modelCardStatus: finalStatus,
    ...(problems.length > 0 ? { problems } : {}),
  };
}

async function putMetric(
  cloudwatch: CloudWatchClient,
  config: ModelDocsConfig,
  metricName: string,
  value: number,
): Promise<void> {
  await putMetrics(cloudwatch, config, [[metricName, value]]);
}

async function putMetrics(
  cloudwatch: CloudWatchClient,
  config: ModelDocsConfig,
  values: readonly (readonly [string, number])[],
): Promise<void> {
  await cloudwatch.send(
    new PutMetricDataCommand({
      Namespace: METRIC_NAMESPACE,
      MetricData: values.map(([MetricName, Value]) => ({
        MetricName,
        Value,
        Unit: 'Count',
        Dimensions: [{ Name: DIMENSIONS.modelPackageGroupName, Value: config.groupName }],
      })),
    }),
  );
}
