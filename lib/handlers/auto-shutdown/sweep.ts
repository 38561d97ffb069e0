import {
  CloudWatchClient,
  GetMetricDataCommand,
  MetricDataQuery,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  AddTagsCommand,
  AppDetails,
  DeleteAppCommand,
  DeleteEndpointCommand,
  DescribeAppCommand,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  paginateListApps,
  paginateListEndpoints,
  paginateListNotebookInstances,
  paginateListTags,
  SageMakerClient,
  StopNotebookInstanceCommand,
} from '@aws-sdk/client-sagemaker';
import type { SweepConfig } from './config';
import { METRIC_NAMESPACE, Target } from './contract';
import {
  appGate,
  decideApp,
  decideEndpointInvocations,
  decideNotebook,
  Decision,
  endpointEligibility,
  endpointStatusGate,
  notebookStatusGate,
  restoreTags,
  TagMap,
} from './decide';
import { Logger, silentLogger } from '../shared/log';
import type { ActedEntry, FailedEntry, SkippedEntry, SweepReport } from './report';

/** The clients a sweep uses; inject ones built for tests. */
export interface SweepClients {
  readonly sagemaker: SageMakerClient;
  readonly cloudwatch: CloudWatchClient;
}

/** Per-run options of {@link sweep}. */
export interface SweepOptions {
  /** The run's correlation id (the Lambda request id). */
  readonly correlationId: string;
  /**
   * The clock.
   * @default - the current time
   */
  readonly now?: Date;
  /**
   * Where structured logs go.
   * @default - nowhere
   */
  readonly log?: Logger;
  /**
   * Whether to publish the run metrics (PutMetricData).
   * @default true
   */
  readonly publishMetrics?: boolean;
}

/** An eligible resource and how to act on it. */
interface Candidate {
  readonly resource: string;
  readonly kind: Target;
  readonly action: 'stop' | 'delete';
  readonly reason: string;
  readonly run: () => Promise<void>;
  readonly restore?: ActedEntry['restore'];
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function mapLimit<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++];
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** A short message for the report; never a stack. */
export function errorText(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}

/**
 * Whether an error from Stop/Delete means the work is already done: the resource is gone, or is
 * already stopping or deleting (SageMaker answers `ValidationException` for those).
 */
export function isAlreadyDone(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.name === 'ResourceNotFound') return true;
  if (err.name !== 'ValidationException') return false;
  return /not found|does not exist|could not find|RecordNotFound|status \(?(stopping|stopped|deleting)\)?/i.test(
    err.message,
  );
}

async function tagsOf(sm: SageMakerClient, arn: string): Promise<TagMap> {
  const tags: Record<string, string> = {};
  for await (const page of paginateListTags({ client: sm }, { ResourceArn: arn, MaxResults: 100 })) {
    for (const t of page.Tags ?? []) if (t.Key !== undefined) tags[t.Key] = t.Value ?? '';
  }
  return tags;
}

/**
 * One auto-shutdown run: examines every notebook instance, Studio app and endpoint in scope,
 * decides, acts on at most `maxActionsPerRun` of them (nothing in a dry run), and returns the
 * report. A failure on one resource (or one listing) is reported and the sweep goes on; throttling
 * and 5xx are retried with backoff by the clients' retry strategy.
 */
export async function sweep(
  clients: SweepClients,
  config: SweepConfig,
  options: SweepOptions,
): Promise<SweepReport> {
  const started = Date.now();
  const now = options.now ?? new Date();
  const log = options.log ?? silentLogger;
  const sm = clients.sagemaker;
  const skipped: SkippedEntry[] = [];
  const failed: FailedEntry[] = [];
  const acted: ActedEntry[] = [];
  const candidates: Candidate[] = [];

  const skip = (resource: string, reason: string): void => {
    skipped.push({ resource, reason });
  };
  const fail = (resource: string, err: unknown): void => {
    failed.push({ resource, error: errorText(err) });
    log.warn('resource failed', { resource, error: errorText(err) });
  };
  const consider = (resource: string, d: Decision, c: Omit<Candidate, 'resource' | 'reason'>): void => {
    if (d.act) candidates.push({ resource, reason: d.reason, ...c });
    else skip(resource, d.reason);
  };

  if (config.targets.includes('notebooks')) {
    const listed: { name: string; arn: string; status?: string; lastModified?: Date }[] = [];
    try {
      for await (const page of paginateListNotebookInstances({ client: sm }, { MaxResults: 100 })) {
        for (const nb of page.NotebookInstances ?? []) {
          listed.push({
            name: nb.NotebookInstanceName ?? '',
            arn: nb.NotebookInstanceArn ?? `notebook-instance:${nb.NotebookInstanceName}`,
            status: nb.NotebookInstanceStatus,
            lastModified: nb.LastModifiedTime,
          });
        }
      }
    } catch (err) {
      fail('notebook-instances (ListNotebookInstances)', err);
    }
    await mapLimit(listed, config.concurrency, async (nb) => {
      const gate = notebookStatusGate(nb.status);
      if (gate) return skip(nb.arn, gate.reason);
      try {
        const tags = await tagsOf(sm, nb.arn);
        consider(nb.arn, decideNotebook({ tags, lastModified: nb.lastModified }, config, now), {
          kind: 'notebooks',
          action: 'stop',
          run: async () => {
            await sm.send(new StopNotebookInstanceCommand({ NotebookInstanceName: nb.name }));
          },
        });
      } catch (err) {
        fail(nb.arn, err);
      }
    });
  }

  if (config.targets.includes('studio')) {
    const listed: AppDetails[] = [];
    try {
      for await (const page of paginateListApps({ client: sm }, { MaxResults: 100 }))
        listed.push(...(page.Apps ?? []));
    } catch (err) {
      fail('studio-apps (ListApps)', err);
    }
    await mapLimit(listed, config.concurrency, async (app) => {
      const owner = app.SpaceName ?? app.UserProfileName ?? '';
      let resource = `app:${app.DomainId}/${owner}/${app.AppType}/${app.AppName}`;
      const gate = appGate({ type: app.AppType, status: app.Status }, config);
      if (gate) return skip(resource, gate.reason);
      try {
        const d = await sm.send(
          new DescribeAppCommand({
            DomainId: app.DomainId,
            AppType: app.AppType,
            AppName: app.AppName,
            ...(app.SpaceName ? { SpaceName: app.SpaceName } : { UserProfileName: app.UserProfileName }),
          }),
        );
        if (d.AppArn) resource = d.AppArn;
        // The status may have moved on since ListApps.
        if (d.Status && d.Status !== 'InService') return skip(resource, `status is ${d.Status}`);
        const tags = d.AppArn ? await tagsOf(sm, d.AppArn) : {};
        const decision = decideApp(
          {
            tags,
            created: d.CreationTime ?? app.CreationTime,
            lastUserActivity: d.LastUserActivityTimestamp,
            lastHealthCheck: d.LastHealthCheckTimestamp,
          },
          config,
          now,
        );
        consider(resource, decision, {
          kind: 'studio',
          action: 'delete',
          run: async () => {
            await sm.send(
              new DeleteAppCommand({
                DomainId: app.DomainId,
                AppType: app.AppType,
                AppName: app.AppName,
                ...(app.SpaceName ? { SpaceName: app.SpaceName } : { UserProfileName: app.UserProfileName }),
              }),
            );
          },
        });
      } catch (err) {
        fail(resource, err);
      }
    });
  }

  // Endpoints are only ever deleted for idleness; off-hours never removes one.
  if (config.targets.includes('endpoints') && config.mode === 'idle-sweep') {
    await sweepEndpoints(clients, config, now, { skip, fail, consider });
  }

  // The cap is applied in a fixed order (notebooks, Studio, endpoints; by resource within each),
  // so the same world gives the same report.
  const kindOrder: Target[] = ['notebooks', 'studio', 'endpoints'];
  candidates.sort(
    (a, b) => kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind) || a.resource.localeCompare(b.resource),
  );
  const allowed = candidates.slice(0, config.maxActionsPerRun);
  const capped = candidates.length > allowed.length;
  for (const c of candidates.slice(allowed.length)) {
    skip(c.resource, `cap reached (${config.maxActionsPerRun} actions per run); eligible: ${c.reason}`);
  }
  await mapLimit(allowed, config.concurrency, async (c) => {
    const entry = {
      resource: c.resource,
      kind: c.kind,
      action: c.action,
      reason: c.reason,
      ...(c.restore ? { restore: c.restore } : {}),
    };
    if (config.dryRun) {
      acted.push({ ...entry, outcome: 'dry-run' });
      log.info('would act (dry run)', { ...entry });
      return;
    }
    try {
      await c.run();
      acted.push({ ...entry, outcome: 'done' });
      log.info('acted', { ...entry });
    } catch (err) {
      if (isAlreadyDone(err)) {
        acted.push({ ...entry, outcome: 'already-done' });
        log.info('already done', { ...entry, error: errorText(err) });
      } else {
        fail(c.resource, err);
      }
    }
  });

  const byResource = <T extends { resource: string }>(a: T, b: T): number =>
    a.resource.localeCompare(b.resource);
  acted.sort(byResource);
  skipped.sort(byResource);
  failed.sort(byResource);
  const report: SweepReport = {
    correlationId: options.correlationId,
    mode: config.mode,
    dryRun: config.dryRun,
    capped,
    acted,
    skipped,
    failed,
    counts: { acted: acted.length, skipped: skipped.length, failed: failed.length },
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
  };
  if (options.publishMetrics !== false) await publishMetrics(clients.cloudwatch, report, log);
  return report;
}

interface Sink {
  skip(resource: string, reason: string): void;
  fail(resource: string, err: unknown): void;
  consider(resource: string, d: Decision, c: Omit<Candidate, 'resource' | 'reason'>): void;
}

/** CloudWatch takes at most 500 queries per GetMetricData request. */
const MAX_QUERIES = 500;

async function sweepEndpoints(
  clients: SweepClients,
  config: SweepConfig,
  now: Date,
  sink: Sink,
): Promise<void> {
  const sm = clients.sagemaker;
  const listed: { name: string; arn: string; status?: string; lastModified?: Date }[] = [];
  try {
    for await (const page of paginateListEndpoints({ client: sm }, { MaxResults: 100 })) {
      for (const ep of page.Endpoints ?? []) {
        listed.push({
          name: ep.EndpointName ?? '',
          arn: ep.EndpointArn ?? `endpoint:${ep.EndpointName}`,
          status: ep.EndpointStatus,
          lastModified: ep.LastModifiedTime,
        });
      }
    }
  } catch (err) {
    sink.fail('endpoints (ListEndpoints)', err);
  }
  const eligible: {
    name: string;
    arn: string;
    configName: string;
    configArn: string;
    variants: string[];
    tags: TagMap;
    reason: string;
  }[] = [];
  await mapLimit(listed, config.concurrency, async (ep) => {
    const gate = endpointStatusGate(ep.status);
    if (gate) return sink.skip(ep.arn, gate.reason);
    try {
      const tags = await tagsOf(sm, ep.arn);
      const d = endpointEligibility({ tags, lastModified: ep.lastModified }, config, now);
      if (!d.act) return sink.skip(ep.arn, d.reason);
      const desc = await sm.send(new DescribeEndpointCommand({ EndpointName: ep.name }));
      if (desc.EndpointStatus && desc.EndpointStatus !== 'InService')
        return sink.skip(ep.arn, `status is ${desc.EndpointStatus}`);
      const variants = (desc.ProductionVariants ?? [])
        .map((v) => v.VariantName ?? '')
        .filter((v) => v !== '');
      if (!desc.EndpointConfigName || variants.length === 0)
        return sink.skip(ep.arn, 'no endpoint config or variants to measure');
      // Serverless endpoints are billed per request and cost nothing while idle: deleting one
      // saves nothing and loses its warm capacity. The config says so (ServerlessConfig).
      const cfg = await sm.send(
        new DescribeEndpointConfigCommand({ EndpointConfigName: desc.EndpointConfigName }),
      );
      if ((cfg.ProductionVariants ?? []).some((v) => v.ServerlessConfig !== undefined)) {
        return sink.skip(ep.arn, 'serverless (billed per request; nothing to save while idle)');
      }
      const configArn =
        cfg.EndpointConfigArn ??
        ep.arn.replace(/:endpoint\/[^/]+$/, `:endpoint-config/${desc.EndpointConfigName.toLowerCase()}`);
      eligible.push({
        name: ep.name,
        arn: ep.arn,
        configName: desc.EndpointConfigName,
        configArn,
        variants,
        tags,
        reason: d.reason,
      });
    } catch (err) {
      sink.fail(ep.arn, err);
    }
  });
  eligible.sort((a, b) => a.name.localeCompare(b.name));

  // One GetMetricData query per variant; the endpoint's invocations are their sum.
  const windowSeconds = config.endpointIdleThresholdMinutes * 60;
  const queries: { query: MetricDataQuery; endpoint: string }[] = [];
  for (const ep of eligible) {
    for (const variant of ep.variants) {
      queries.push({
        endpoint: ep.name,
        query: {
          Id: `q${queries.length}`,
          ReturnData: true,
          MetricStat: {
            Metric: {
              Namespace: 'AWS/SageMaker',
              MetricName: 'Invocations',
              Dimensions: [
                { Name: 'EndpointName', Value: ep.name },
                { Name: 'VariantName', Value: variant },
              ],
            },
            Period: windowSeconds,
            Stat: 'Sum',
          },
        },
      });
    }
  }
  const sums = new Map<string, number>();
  const metricErrors = new Map<string, unknown>();
  for (let i = 0; i < queries.length; i += MAX_QUERIES) {
    const batch = queries.slice(i, i + MAX_QUERIES);
    const endpointOf = new Map(batch.map((q) => [q.query.Id, q.endpoint]));
    try {
      let nextToken: string | undefined;
      do {
        const out = await clients.cloudwatch.send(
          new GetMetricDataCommand({
            MetricDataQueries: batch.map((q) => q.query),
            StartTime: new Date(now.getTime() - windowSeconds * 1000),
            EndTime: now,
            NextToken: nextToken,
          }),
        );
        for (const r of out.MetricDataResults ?? []) {
          const ep = r.Id ? endpointOf.get(r.Id) : undefined;
          if (ep === undefined) continue;
          sums.set(ep, (sums.get(ep) ?? 0) + (r.Values ?? []).reduce((s, v) => s + v, 0));
        }
        nextToken = out.NextToken;
      } while (nextToken);
    } catch (err) {
      for (const q of batch) metricErrors.set(q.endpoint, err);
    }
  }

  for (const ep of eligible) {
    if (metricErrors.has(ep.name)) {
      sink.fail(ep.arn, metricErrors.get(ep.name));
      continue;
    }
    const d = decideEndpointInvocations(sums.get(ep.name) ?? 0, config);
    const tags = restoreTags(ep.name, ep.tags, now);
    sink.consider(ep.arn, d, {
      kind: 'endpoints',
      action: 'delete',
      restore: {
        EndpointName: ep.name,
        EndpointConfigName: ep.configName,
        Tags: Object.entries(ep.tags)
          .filter(([k]) => !k.startsWith('aws:'))
          .map(([Key, Value]) => ({ Key, Value })),
      },
      run: async () => {
        // The restore record goes first: an endpoint is never deleted without it.
        await sm.send(new AddTagsCommand({ ResourceArn: ep.configArn, Tags: tags }));
        await sm.send(new DeleteEndpointCommand({ EndpointName: ep.name }));
      },
    });
  }
}

/**
 * Publishes the run's counts to `ML/AutoShutdown`: `Acted` (real changes), `WouldAct` (dry run),
 * `Skipped`, `Failed` and `Capped` (1 when the cap held back eligible resources). A failure to
 * publish is logged, never fatal.
 */
export async function publishMetrics(cw: CloudWatchClient, report: SweepReport, log: Logger): Promise<void> {
  const timestamp = new Date();
  const metric = (MetricName: string, Value: number) => ({
    MetricName,
    Value,
    Unit: 'Count' as const,
    Timestamp: timestamp,
  });
  try {
    await cw.send(
      new PutMetricDataCommand({
        Namespace: METRIC_NAMESPACE,
        MetricData: [
          metric('Acted', report.dryRun ? 0 : report.counts.acted),
          metric('WouldAct', report.dryRun ? report.counts.acted : 0),
          metric('Skipped', report.counts.skipped),
          metric('Failed', report.counts.failed),
          metric('Capped', report.capped ? 1 : 0),
        ],
      }),
    );
  } catch (err) {
    log.error('could not publish metrics', { error: errorText(err) });
  }
}
