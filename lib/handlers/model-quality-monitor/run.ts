import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import {
  QualityJoin,
  type JoinedPairMetrics,
  type QualityJoinReport,
  type QualityMetrics,
} from '../../model-quality';
import { listCaptureObjects, type CaptureObject } from '../drift-monitor/store';
import { capturePrefixes, hourPath, windowEndingAt, type AnalysisWindow } from '../drift-monitor/window';
import type { Logger } from '../shared/log';
import type { QualityConfig } from './config';
import { readPackageBaseline, type PackageBaseline } from './baseline';
import {
  baselineMetrics,
  countsOf,
  errorMetrics,
  putMetrics,
  reportMetrics,
  type QualityCounts,
} from './metrics';
import { openText } from './store';

/** The clients a run uses; tests pass clients pointed at the loopback fake. */
export interface QualityClients {
  readonly s3: S3Client;
  readonly cloudwatch: CloudWatchClient;
  /** Needed with a package baseline (DescribeModelPackage). @default - none */
  readonly sagemaker?: SageMakerClient;
}

/** Per-run context. */
export interface QualityRunContext {
  /** The Lambda request id: on every log line and in the result. */
  readonly correlationId: string;
  readonly log: Logger;
  /** @default - the current time */
  readonly now?: Date;
  /**
   * Milliseconds left before the function times out; reading stops when fewer than `reserveMs`
   * remain, so the metrics of what was read are still published.
   * @default - no limit
   */
  readonly remainingTimeMs?: () => number;
  /** @default 30000 */
  readonly reserveMs?: number;
  /**
   * Post-training metrics computed over the same joined pairs (a new set per run), e.g. the
   * fairness metrics of `lib/fairness`; see {@link JoinedPairMetrics}.
   * @default - none
   */
  readonly extensions?: () => readonly JoinedPairMetrics[];
}

/** Why a run evaluated nothing. */
export type QualityErrorReason = 'noGroundTruth' | 'noCaptureData';

/** What a run returns (and logs). */
export interface QualityRunResult {
  readonly kind: 'compliant-mlops/model-quality-run';
  readonly status: 'ok' | 'insufficientSamples' | 'error';
  readonly reason?: QualityErrorReason;
  readonly message?: string;
  readonly correlationId: string;
  readonly endpointName: string;
  readonly variantName: string;
  /** Ground truth written in this window was evaluated. */
  readonly window: { readonly start: string; readonly end: string };
  /** Captures written in this window were searched for the labels' predictions. */
  readonly captureWindow: { readonly start: string; readonly end: string };
  readonly groundTruthObjects: number;
  readonly captureObjects: number;
  /** Capture objects left unread because the function was running out of time. */
  readonly skippedObjects: number;
  readonly metrics?: QualityMetrics;
  readonly counts: QualityCounts;
  readonly extensions?: QualityJoinReport['extensions'];
  /** The registered baseline (with a package baseline, in runs with enough pairs). */
  readonly baseline?: PackageBaseline;
  /** Post-training fairness per facet (when configured). */
  readonly fairness?: QualityJoinReport['fairness'];
  readonly metricsPublished: number;
  readonly metricRequests: number;
}

const iso = (w: AnalysisWindow): { start: string; end: string } => ({
  start: w.start.toISOString(),
  end: w.end.toISOString(),
});

/** The hour prefixes `<prefix>yyyy/mm/dd/hh/` a window's objects may sit under (and the hour before). */
export function groundTruthPrefixes(prefix: string, window: AnalysisWindow): string[] {
  const hour = 3_600_000;
  const out: string[] = [];
  for (let t = Math.floor(window.start.getTime() / hour) * hour - hour; t < window.end.getTime(); t += hour) {
    out.push(prefix + hourPath(new Date(t)));
  }
  return out;
}

/**
 * One run: read the ground truth written in the last window into the join, stream every capture
 * object written from `maxLabelDelay` before the window to its end past it, and publish the
 * quality metrics of the joined pairs. Each label is evaluated in the run of the window it was
 * written in, so consecutive windows count every label once. A window without ground truth or
 * captures publishes `AnalysisErrors` = 1 and `DataMissing` = 1 (the construct's error alarm);
 * an API failure does the same, then fails the invocation.
 */
export async function runQualityAnalysis(
  clients: QualityClients,
  config: QualityConfig,
  ctx: QualityRunContext,
): Promise<QualityRunResult> {
  const now = ctx.now ?? new Date();
  const window = windowEndingAt(now, config.windowMinutes);
  const captureWindow = {
    start: new Date(window.start.getTime() - config.maxLabelDelayMinutes * 60_000),
    end: window.end,
  };
  const base = {
    kind: 'compliant-mlops/model-quality-run' as const,
    correlationId: ctx.correlationId,
    endpointName: config.endpointName,
    variantName: config.variantName,
    window: iso(window),
    captureWindow: iso(captureWindow),
  };
  const log = ctx.log;
  let counts: QualityCounts = {};
  let groundTruthObjects = 0;
  let captureObjects = 0;
  log.info('model quality analysis started', { window: base.window, captureWindow: base.captureWindow });
  const fail = async (reason: QualityErrorReason, message: string): Promise<QualityRunResult> => {
    log.error('model quality analysis found no input', { reason, message });
    const metrics = errorMetrics(config.endpointName, true, counts, now);
    const requests = await putMetrics(clients.cloudwatch, metrics);
    return {
      ...base,
      status: 'error',
      reason,
      message,
      groundTruthObjects,
      captureObjects,
      skippedObjects: 0,
      counts,
      metricsPublished: metrics.length,
      metricRequests: requests,
    };
  };

  try {
    const join = new QualityJoin(
      {
        problemType: config.problemType,
        positiveLabel: config.positiveLabel,
        classificationOutput: config.classificationOutput,
        probabilityThreshold: config.probabilityThreshold,
      },
      {
        maxPendingLabels: config.maxPendingLabels,
        extensions: ctx.extensions?.(),
        fairness: config.fairness,
      },
    );
    const labels = await listCaptureObjects(
      clients.s3,
      config.groundTruthBucket,
      groundTruthPrefixes(config.groundTruthPrefix, window),
      window,
    );
    groundTruthObjects = labels.objects.length;
    log.info('ground truth listed', {
      pages: labels.pages,
      listed: labels.listed,
      inWindow: groundTruthObjects,
    });
    if (groundTruthObjects === 0) {
      return await fail(
        'noGroundTruth',
        `no ground truth under s3://${config.groundTruthBucket}/${config.groundTruthPrefix} was written between ${base.window.start} and ${base.window.end}`,
      );
    }
    for (const o of labels.objects) {
      await join.addGroundTruth(await openText(clients.s3, config.groundTruthBucket, o.key));
    }
    const captures = await listCaptureObjects(
      clients.s3,
      config.captureBucket,
      capturePrefixes(config.capturePrefix, config.endpointName, config.variantName, captureWindow),
      captureWindow,
    );
    log.info('capture objects listed', {
      pages: captures.pages,
      listed: captures.listed,
      inWindow: captures.objects.length,
    });
    if (captures.objects.length === 0) {
      counts = countsOf(join.report());
      return await fail(
        'noCaptureData',
        `no capture object under s3://${config.captureBucket}/${config.capturePrefix}${config.endpointName}/${config.variantName}/ was written between ${base.captureWindow.start} and ${base.captureWindow.end}`,
      );
    }
    const { read, skipped } = await readCaptures(clients.s3, config, captures.objects, join, ctx);
    captureObjects = read;
    const report = join.report();
    counts = countsOf(report);
    const enough = report.matched >= config.minSamples;
    let baseline: PackageBaseline | undefined;
    if (config.packageBaseline && enough) {
      if (!clients.sagemaker) throw new Error('a package baseline needs a SageMaker client');
      // Read once per run, after the join: a run without enough pairs needs no baseline.
      baseline = await readPackageBaseline(
        { sagemaker: clients.sagemaker, s3: clients.s3 },
        config.packageBaseline,
        config.problemType,
      );
      if (baseline.ok) log.info('baseline read', { s3Uri: baseline.s3Uri, values: baseline.values });
      else log.warn('baseline not read', { reason: baseline.reason });
    }
    const metrics = [
      ...reportMetrics(config.endpointName, report, config.minSamples, now, config.fairness?.metrics),
      ...(baseline ? baselineMetrics(config.endpointName, config.problemType, report, baseline, now) : []),
    ];
    const requests = await putMetrics(clients.cloudwatch, metrics);
    const result: QualityRunResult = {
      ...base,
      status: enough ? 'ok' : 'insufficientSamples',
      groundTruthObjects,
      captureObjects,
      skippedObjects: skipped,
      metrics: report.metrics,
      counts,
      extensions: report.extensions,
      ...(config.fairness ? { fairness: report.fairness } : {}),
      ...(baseline ? { baseline } : {}),
      metricsPublished: metrics.length,
      metricRequests: requests,
    };
    (result.status === 'ok' ? log.info : log.warn)('model quality analysis finished', {
      result,
      groundTruth: report.groundTruth,
      captures: report.captures,
    });
    return result;
  } catch (e) {
    log.error('model quality analysis failed', {
      error: e instanceof Error ? `${e.name}: ${e.message}` : String(e),
    });
    try {
      await putMetrics(clients.cloudwatch, errorMetrics(config.endpointName, false, counts, now));
    } catch (metricError) {
      log.error('error metrics not published', { error: String(metricError) });
    }
    throw e;
  }
}

/** Streams the capture objects through the join, oldest first; how many were read and skipped. */
async function readCaptures(
  s3: S3Client,
  config: QualityConfig,
  objects: readonly CaptureObject[],
  join: QualityJoin,
  ctx: QualityRunContext,
): Promise<{ read: number; skipped: number }> {
  const reserve = ctx.reserveMs ?? 30_000;
  for (let i = 0; i < objects.length; i++) {
    // Every label matched: the remaining captures cannot change the metrics.
    if (join.pendingLabels === 0) return { read: i, skipped: 0 };
    if (ctx.remainingTimeMs && ctx.remainingTimeMs() < reserve) {
      ctx.log.warn('time budget reached: remaining capture objects not read', {
        skipped: objects.length - i,
        read: i,
      });
      return { read: i, skipped: objects.length - i };
    }
    await join.addCaptures(await openText(s3, config.captureBucket, objects[i].key));
  }
  return { read: objects.length, skipped: 0 };
}
