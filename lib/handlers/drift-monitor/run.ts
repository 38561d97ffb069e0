import type { Readable } from 'node:stream';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { S3Client } from '@aws-sdk/client-s3';
import {
  DriftAccumulator,
  DriftInputError,
  type CaptureEventMeta,
  type DriftBaseline,
  type DriftReport,
} from '../../drift';
import type { DriftConfig } from './config';
import { AnalysisError, DATA_MISSING_REASONS, type AnalysisErrorReason } from './errors';
import type { Logger } from '../shared/log';
import { errorMetrics, maxPsiOf, putMetrics, rejectedOf, reportMetrics } from './metrics';
import { listCaptureObjects, openCapture, readBaseline, writeJson, type CaptureObject } from './store';
import { capturePrefixes, reportTimestamp, windowEndingAt } from './window';

/** The clients a run uses; tests pass clients pointed at the loopback fake. */
export interface DriftClients {
  readonly s3: S3Client;
  readonly cloudwatch: CloudWatchClient;
}

/** Per-run context. */
export interface RunContext {
  /** The Lambda request id: on every log line and in the report. */
  readonly correlationId: string;
  readonly log: Logger;
  /** @default - the current time */
  readonly now?: Date;
  /**
   * Milliseconds left before the function times out; reading stops when fewer than
   * `reserveMs` remain, so the report and the metrics are still written.
   * @default - no limit
   */
  readonly remainingTimeMs?: () => number;
  /** @default 30000 */
  readonly reserveMs?: number;
}

/** The drift part of a run result. */
export interface DriftSummary {
  readonly anyDrift: boolean;
  readonly driftedFeatures: number;
  readonly driftedShare: number;
  readonly drifted: readonly string[];
  readonly maxPsi: number;
  /** Which alarm conditions the run meets (the construct's alarms use the same thresholds). */
  readonly breaches: { readonly maxPsi: boolean; readonly driftedShare: boolean };
}

/** What a run returns (and logs); the full per-feature report is in S3 under `reportKey`. */
export interface DriftRunResult {
  readonly kind: 'compliant-mlops/drift-run';
  readonly status: 'ok' | 'error';
  /** Why there is no report (status `error`). */
  readonly reason?: AnalysisErrorReason;
  readonly message?: string;
  readonly correlationId: string;
  readonly endpointName: string;
  readonly variantName: string;
  readonly window: { readonly start: string; readonly end: string };
  /** Capture objects read. */
  readonly captureObjects: number;
  /** Capture objects in the window left unread because the function was running out of time. */
  readonly skippedObjects: number;
  readonly reportKey?: string;
  readonly drift?: DriftSummary;
  readonly records?: { readonly records: number; readonly rows: number; readonly rejected: number };
  /** Metrics published (PutMetricData requests in `metricRequests`). */
  readonly metricsPublished: number;
  readonly metricRequests: number;
}

/** One capture object's correlation data in the S3 report. */
interface ObjectTrace {
  readonly key: string;
  rows: number;
  firstEventId?: string;
  lastEventId?: string;
}

/** Capture objects requested ahead of the one being parsed. */
const PREFETCH = 4;

/** Objects listed in the S3 report (more are counted, not listed). */
const MAX_TRACED_OBJECTS = 1000;

/**
 * One analysis run: list the window's capture objects, stream them through the drift accumulator
 * against the baseline, write the report (SSE-KMS) and publish the metrics. Input problems
 * ({@link AnalysisError}) end in a result with status `error`, an error report and
 * `AnalysisErrors` = 1; anything else (S3 or CloudWatch failing after the SDK's retries) also
 * publishes `AnalysisErrors` = 1 when it can, then throws so the invocation fails and lands in the
 * function's on-failure destination.
 */
export async function runDriftAnalysis(
  clients: DriftClients,
  config: DriftConfig,
  ctx: RunContext,
): Promise<DriftRunResult> {
  const now = ctx.now ?? new Date();
  const window = windowEndingAt(now, config.windowMinutes);
  const log = ctx.log;
  const base = {
    kind: 'compliant-mlops/drift-run' as const,
    correlationId: ctx.correlationId,
    endpointName: config.endpointName,
    variantName: config.variantName,
    window: { start: window.start.toISOString(), end: window.end.toISOString() },
  };
  const reportKey = `${config.reportPrefix}${config.endpointName}/${reportTimestamp(window.end)}.json`;
  const counts: { captureObjects?: number; recordsAnalyzed?: number; rejectedRecords?: number } = {};
  let skippedObjects = 0;
  const traces: ObjectTrace[] = [];
  log.info('drift analysis started', {
    endpointName: config.endpointName,
    variantName: config.variantName,
    window: base.window,
  });

  try {
    const baseline = await readBaseline(
      clients.s3,
      config.baselineBucket,
      config.baselineKey,
      config.expectedSchemaHash,
    );
    const prefixes = capturePrefixes(config.capturePrefix, config.endpointName, config.variantName, window);
    const listing = await listCaptureObjects(clients.s3, config.captureBucket, prefixes, window);
    log.info('capture objects listed', {
      bucket: config.captureBucket,
      prefixes: prefixes.length,
      pages: listing.pages,
      listed: listing.listed,
      inWindow: listing.objects.length,
    });
    if (listing.objects.length === 0) {
      counts.captureObjects = 0;
      throw new AnalysisError(
        'noCaptureData',
        `no capture object under s3://${config.captureBucket}/${config.capturePrefix}${config.endpointName}/${config.variantName}/ was written between ${base.window.start} and ${base.window.end}`,
      );
    }
    const read = await accumulate(clients.s3, config, baseline, listing.objects, traces, ctx);
    skippedObjects = read.skipped;
    counts.captureObjects = listing.objects.length - read.skipped;
    const acc = read.accumulator;
    counts.recordsAnalyzed = acc.parser.stats.records;
    counts.rejectedRecords = Object.values(acc.parser.stats.rejected).reduce((a, b) => a + b, 0);
    try {
      acc.assertUsable();
    } catch (e) {
      if (
        e instanceof DriftInputError &&
        (e.reason === 'noParsableRecords' || e.reason === 'schemaMismatch')
      ) {
        throw new AnalysisError(e.reason, e.message);
      }
      throw e;
    }
    const report = acc.report(
      { psi: config.psiThreshold, pValue: config.pValue, minSampleSize: config.minSampleSize },
      now.toISOString(),
    );
    const drift = summarize(report, config);
    const result = {
      ...base,
      status: 'ok' as const,
      captureObjects: counts.captureObjects,
      skippedObjects,
      reportKey,
      drift,
      records: recordsOf(report),
    };
    await writeJson(clients.s3, config.reportBucket, reportKey, config.reportKmsKeyId, {
      ...base,
      kind: 'compliant-mlops/drift-run-report',
      status: 'ok',
      thresholds: { ...report.thresholds, driftedShare: config.driftedShareThreshold },
      drift,
      captureObjects: counts.captureObjects,
      skippedObjects,
      objects: traces,
      report,
    });
    const metrics = reportMetrics(config.endpointName, report, counts, now);
    const requests = await putMetrics(clients.cloudwatch, metrics);
    const final: DriftRunResult = { ...result, metricsPublished: metrics.length, metricRequests: requests };
    (drift.anyDrift ? log.warn : log.info)('drift analysis finished', { result: final });
    return final;
  } catch (e) {
    if (e instanceof AnalysisError) {
      const dataMissing = DATA_MISSING_REASONS.includes(e.reason);
      log.error('drift analysis failed on its input', {
        reason: e.reason,
        error: e.message,
        dataMissing,
        ...counts,
      });
      await writeJson(clients.s3, config.reportBucket, reportKey, config.reportKmsKeyId, {
        ...base,
        kind: 'compliant-mlops/drift-run-report',
        status: 'error',
        reason: e.reason,
        message: e.message,
        captureObjects: counts.captureObjects ?? null,
        objects: traces,
        report: null,
      }).catch((writeError: unknown) => log.error('error report not written', { error: String(writeError) }));
      const metrics = errorMetrics(config.endpointName, dataMissing, counts, now);
      const requests = await putMetrics(clients.cloudwatch, metrics);
      return {
        ...base,
        status: 'error',
        reason: e.reason,
        message: e.message,
        captureObjects: counts.captureObjects ?? 0,
        skippedObjects,
        reportKey,
        metricsPublished: metrics.length,
        metricRequests: requests,
      };
    }
    log.error('drift analysis failed', { error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
    try {
      await putMetrics(clients.cloudwatch, errorMetrics(config.endpointName, false, counts, now));
    } catch (metricError) {
      log.error('error metrics not published', { error: String(metricError) });
    }
    throw e;
  }
}

async function accumulate(
  s3: S3Client,
  config: DriftConfig,
  baseline: DriftBaseline,
  objects: readonly CaptureObject[],
  traces: ObjectTrace[],
  ctx: RunContext,
): Promise<{ accumulator: DriftAccumulator; skipped: number }> {
  let trace: ObjectTrace | undefined;
  const onRow = (meta: CaptureEventMeta): void => {
    if (!trace) return;
    trace.rows++;
    if (meta.eventId !== undefined) {
      trace.firstEventId ??= meta.eventId;
      trace.lastEventId = meta.eventId;
    }
  };
  const accumulator = new DriftAccumulator(baseline, {
    observedSampleSize: config.observedSampleSize,
    onRow,
  });
  const reserve = ctx.reserveMs ?? 30_000;
  // Up to PREFETCH objects are requested ahead, so S3 latency overlaps parsing.
  const pending: Promise<Readable>[] = [];
  let requested = 0;
  const fill = (): void => {
    while (pending.length < PREFETCH && requested < objects.length) {
      const p = openCapture(s3, config.captureBucket, objects[requested++].key);
      p.catch(() => undefined); // awaited below; this only keeps a failure from being "unhandled" meanwhile
      pending.push(p);
    }
  };
  for (let i = 0; i < objects.length; i++) {
    if (ctx.remainingTimeMs && ctx.remainingTimeMs() < reserve) {
      const skipped = objects.length - i;
      ctx.log.warn('time budget reached: remaining capture objects not read', { skipped, read: i });
      await Promise.allSettled(pending.map(async (p) => (await p).destroy()));
      return { accumulator, skipped };
    }
    fill();
    const object = objects[i];
    const body = await (pending.shift() as Promise<Readable>);
    trace = { key: object.key, rows: 0 };
    if (traces.length < MAX_TRACED_OBJECTS) traces.push(trace);
    await accumulator.addCaptureLines(body);
    ctx.log.info('capture object read', { ...trace, bytes: object.size });
  }
  return { accumulator, skipped: 0 };
}

function summarize(report: DriftReport, config: DriftConfig): DriftSummary {
  const maxPsi = maxPsiOf(report);
  return {
    anyDrift: report.summary.anyDrift,
    driftedFeatures: report.summary.driftedFeatures,
    driftedShare: report.summary.driftedShare,
    drifted: report.summary.drifted,
    maxPsi,
    breaches: {
      maxPsi: maxPsi >= config.psiThreshold,
      driftedShare: report.summary.driftedShare >= config.driftedShareThreshold,
    },
  };
}

function recordsOf(report: DriftReport): { records: number; rows: number; rejected: number } {
  return { records: report.input.records, rows: report.input.rows, rejected: rejectedOf(report) };
}
