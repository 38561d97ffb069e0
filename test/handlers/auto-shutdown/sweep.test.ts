import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../../lib/handlers/auto-shutdown/config';
import { restoreInput, restoreInputs } from '../../../lib/handlers/auto-shutdown/decide';
import { createHandler, defaultClients } from '../../../lib/handlers/auto-shutdown/index';
import { SweepReport } from '../../../lib/handlers/auto-shutdown/report';
import { sweep, SweepClients } from '../../../lib/handlers/auto-shutdown/sweep';
import { AUTO_SHUTDOWN_SDK_CALLS } from '../../../lib/handlers/auto-shutdown/sdk-calls';
import { AwsFake, startAwsFake } from '../../support/aws-fake';
import {
  app,
  emptyWorld,
  endpoint,
  generateWorld,
  installWorld,
  notebook,
  NOW,
  touched,
  World,
} from './world';

let fake: AwsFake;
beforeAll(async () => {
  fake = await startAwsFake();
});
afterAll(async () => {
  // Every call the handler sent is declared, so the authorization proof (test/deploy) covers it.
  expect(
    fake
      .operationsReceived()
      .filter((op) => !AUTO_SHUTDOWN_SDK_CALLS.some((c) => `${c.service}.${c.operation}` === op)),
  ).toEqual([]);
  await fake.close();
});
beforeEach(() => fake.reset());

function clients(maxAttempts = 8): SweepClients {
  return {
    sagemaker: new SageMakerClient(fake.clientConfig({ maxAttempts })),
    cloudwatch: new CloudWatchClient(fake.clientConfig({ maxAttempts })),
  };
}

function config(env: Record<string, string> = {}, event: unknown = { mode: 'idle-sweep' }) {
  return parseConfig({ AUTO_SHUTDOWN_DRY_RUN: 'false', AUTO_SHUTDOWN_MAX_ACTIONS: '1000', ...env }, event);
}

async function run(
  _world: World,
  env: Record<string, string> = {},
  event?: unknown,
  c = clients(),
): Promise<SweepReport> {
  return sweep(c, config(env, event), { correlationId: 'req-1', now: NOW });
}

const mutating = () =>
  fake.calls.filter((c) =>
    ['StopNotebookInstance', 'DeleteApp', 'DeleteEndpoint', 'AddTags'].includes(c.operation),
  );

describe('idle sweep through the SDK against the loopback fake', () => {
  it('with pagination, 20% throttling and 5% 5xx: acts on every eligible resource, never on a protected one', async () => {
    const g = generateWorld(120);
    installWorld(fake, g.world, { pageSize: 7 });
    fake.faults({ throttleRate: 0.2, serverErrorRate: 0.05, seed: 7 });
    const report = await run(g.world, { AUTO_SHUTDOWN_CONCURRENCY: '4' });

    const hits = touched(fake, g.world);
    for (const arn of g.protected) expect(hits.has(arn), arn).toBe(false);
    const done = new Set([...report.acted.map((a) => a.resource), ...report.failed.map((f) => f.resource)]);
    expect([...g.eligible].filter((arn) => !done.has(arn))).toEqual([]);
    expect(report.failed).toEqual([]);
    expect(report.acted.every((a) => a.outcome === 'done')).toBe(true);
    expect(new Set(report.acted.map((a) => a.resource))).toEqual(g.eligible);
    // Every resource is in the report exactly once.
    expect(report.counts.acted + report.counts.skipped).toBe(120);
    // Faults were injected and retried; pages were followed.
    expect(fake.calls.some((c) => c.fault === 'throttle')).toBe(true);
    expect(fake.calls.some((c) => c.fault === 'server')).toBe(true);
    expect(
      fake.callsTo('sagemaker', 'ListNotebookInstances').filter((c) => c.status === 200).length,
    ).toBeGreaterThan(5);
    expect(
      g.world.notebooks
        .filter((n) => n.status === 'Stopping')
        .map((n) => n.arn)
        .sort(),
    ).toEqual([...g.eligible].filter((a) => a.includes(':notebook-instance/')).sort());
    fake.assertAllHandled();
  });

  it('names the reason for each protected resource it skipped', async () => {
    const w = emptyWorld();
    w.notebooks.push(
      notebook('exempt', 'InService', { activityHoursAgo: 9, tags: { 'auto-shutdown:exempt': 'TRUE' } }),
    );
    w.endpoints.push(endpoint('prod', 'InService', { tags: { environment: 'prod' } }));
    w.endpoints.push(endpoint('untagged', 'InService'));
    w.apps.push(app('default', 'JupyterServer', 'InService', { createdHoursAgo: 100 }));
    installWorld(fake, w);
    const report = await run(w);
    expect(report.acted).toEqual([]);
    expect(mutating()).toEqual([]);
    const reasons = Object.fromEntries(report.skipped.map((s) => [s.resource.split(/[/:]/).pop(), s.reason]));
    expect(reasons).toEqual({
      exempt: 'exempt (auto-shutdown:exempt=true)',
      prod: 'production (environment=prod)',
      untagged: 'no environment tag',
      default: 'app type JupyterServer is not swept',
    });
  });

  it('dry run: reports what it would do and sends no mutating request', async () => {
    const g = generateWorld(40);
    installWorld(fake, g.world, { pageSize: 5 });
    const report = await run(g.world, { AUTO_SHUTDOWN_DRY_RUN: 'true' });
    expect(report.dryRun).toBe(true);
    expect(mutating()).toEqual([]);
    expect(new Set(report.acted.map((a) => a.resource))).toEqual(g.eligible);
    expect(report.acted.every((a) => a.outcome === 'dry-run')).toBe(true);
    expect(g.world.metricsPublished).toHaveLength(1);
    expect(JSON.stringify(g.world.metricsPublished[0])).toContain('"MetricName":"WouldAct"');
  });

  it('an event can turn a dry run on but never off', async () => {
    const g = generateWorld(10);
    installWorld(fake, g.world);
    const report = await sweep(clients(), config({}, { mode: 'idle-sweep', dryRun: true }), {
      correlationId: 'x',
      now: NOW,
    });
    expect(report.dryRun).toBe(true);
    expect(mutating()).toEqual([]);
    expect(parseConfig({ AUTO_SHUTDOWN_DRY_RUN: 'true' }, { dryRun: false }).dryRun).toBe(true);
  });

  it('the cap: changes at most maxActionsPerRun resources and reports the rest as capped', async () => {
    const g = generateWorld(60);
    installWorld(fake, g.world, { pageSize: 9 });
    const report = await run(g.world, { AUTO_SHUTDOWN_MAX_ACTIONS: '4' });
    expect(report.capped).toBe(true);
    expect(report.acted).toHaveLength(4);
    const changed = new Set(
      mutating()
        .filter((c) => c.operation !== 'AddTags')
        .map((c) => JSON.stringify(c.input)),
    );
    expect(changed.size).toBe(4);
    const capped = report.skipped.filter((s) => s.reason.startsWith('cap reached (4 actions per run)'));
    expect(capped).toHaveLength(g.eligible.size - 4);
    // Notebooks first, in name order.
    expect(report.acted.every((a) => a.kind === 'notebooks')).toBe(true);
  });

  it('is idempotent: a second run acts on nothing and says why', async () => {
    const g = generateWorld(50);
    installWorld(fake, g.world, { pageSize: 6 });
    const first = await run(g.world);
    expect(first.acted.length).toBe(g.eligible.size);
    fake.clearCalls();
    const second = await run(g.world);
    expect(second.acted).toEqual([]);
    expect(second.failed).toEqual([]);
    expect(mutating()).toEqual([]);
    const reasons = new Set(second.skipped.filter((s) => g.eligible.has(s.resource)).map((s) => s.reason));
    expect(reasons).toEqual(new Set(['status is Stopping', 'status is Deleting']));
  });

  it('treats a resource already gone (or already stopping) at action time as done', async () => {
    const w = emptyWorld();
    w.notebooks.push(notebook('racing', 'InService', { activityHoursAgo: 9 }));
    w.apps.push(app('vanished', 'JupyterLab', 'InService', { createdHoursAgo: 20 }));
    installWorld(fake, w);
    fake.failNext('sagemaker', 'StopNotebookInstance', {
      code: 'ValidationException',
      message: 'Status (Stopping) not in ([InService]).',
    });
    fake.failNext('sagemaker', 'DeleteApp', { code: 'ResourceNotFound', message: 'App does not exist' });
    const report = await run(w);
    expect(report.failed).toEqual([]);
    expect(report.acted.map((a) => a.outcome)).toEqual(['already-done', 'already-done']);
  });

  it('a failing resource or listing never stops the sweep', async () => {
    const w = emptyWorld();
    w.notebooks.push(
      notebook('nb-a', 'InService', { activityHoursAgo: 9 }),
      notebook('nb-b', 'InService', { activityHoursAgo: 9 }),
    );
    w.endpoints.push(endpoint('dev-1', 'InService', { tags: { environment: 'dev' } }));
    installWorld(fake, w);
    fake.failNext('sagemaker', 'StopNotebookInstance', {
      code: 'AccessDeniedException',
      message: 'not allowed',
    });
    fake.failNext('sagemaker', 'ListApps', { code: 'AccessDeniedException', message: 'no ListApps' });
    const report = await run(w);
    expect(report.failed.map((f) => f.resource)).toEqual([
      expect.stringContaining('notebook-instance/nb-a'),
      'studio-apps (ListApps)',
    ]);
    expect(report.failed[0].error).toContain('AccessDeniedException');
    expect(report.acted.map((a) => a.resource)).toEqual([
      expect.stringContaining('endpoint/dev-1'),
      expect.stringContaining('notebook-instance/nb-b'),
    ]);
  });

  it('gives up on a resource after maxAttempts and reports it as failed', async () => {
    const w = emptyWorld();
    w.endpoints.push(endpoint('dev-1', 'InService', { tags: { environment: 'dev' } }));
    installWorld(fake, w);
    fake.failNext('cloudwatch', 'GetMetricData', { status: 500, code: 'InternalFailure', times: 3 });
    const report = await run(w, { AUTO_SHUTDOWN_MAX_ATTEMPTS: '3' }, undefined, clients(3));
    expect(report.failed).toEqual([
      {
        resource: expect.stringContaining('endpoint/dev-1'),
        error: expect.stringContaining('InternalFailure'),
      },
    ]);
    expect(fake.callsTo('cloudwatch', 'GetMetricData')).toHaveLength(3);
    expect(mutating()).toEqual([]);
  });

  it('endpoints: records what restores them on the endpoint config before deleting, summing variants', async () => {
    const w = emptyWorld();
    w.endpoints.push(
      endpoint('Dev-Model', 'InService', {
        tags: { environment: 'dev', team: 'fraud', 'model-id': 'm-1' },
        variants: ['blue', 'green'],
      }),
    );
    w.endpoints.push(
      endpoint('busy', 'InService', {
        tags: { environment: 'dev' },
        invocations: 3,
        variants: ['a', 'b', 'c'],
      }),
    );
    w.endpoints.push(endpoint('fresh', 'InService', { tags: { environment: 'dev' }, modifiedHoursAgo: 2 }));
    installWorld(fake, w);
    const report = await run(w);
    const ops = mutating()
      .filter((c) => c.status === 200)
      .map((c) => c.operation);
    expect(ops).toEqual(['AddTags', 'DeleteEndpoint']);
    const configArn = 'arn:aws:sagemaker:eu-west-1:111111111111:endpoint-config/dev-model-config';
    const tags = w.configTags.get(configArn) ?? {};
    expect(tags['auto-shutdown:deleted:Dev-Model']).toBe('2025-03-04T12:00:00Z 1');
    expect(restoreInput('Dev-Model-config', tags, 'Dev-Model')).toEqual({
      EndpointName: 'Dev-Model',
      EndpointConfigName: 'Dev-Model-config',
      Tags: [
        { Key: 'environment', Value: 'dev' },
        { Key: 'team', Value: 'fraud' },
        { Key: 'model-id', Value: 'm-1' },
      ],
    });
    expect(report.acted[0].restore?.EndpointConfigName).toBe('Dev-Model-config');
    const skipped = Object.fromEntries(report.skipped.map((s) => [s.resource.split('/').pop(), s.reason]));
    expect(skipped.busy).toBe('3 invocations in the last 1440 min');
    expect(skipped.fresh).toBe('changed 120 min ago, within the idle window');
    // Two variants, one query each, in one request over the 24-hour window.
    const q = fake.callsTo('cloudwatch', 'GetMetricData')[0].input as {
      MetricDataQueries: unknown[];
      StartTime: number;
      EndTime: number;
    };
    expect(q.MetricDataQueries).toHaveLength(5);
    expect(q.EndTime - q.StartTime).toBe(86_400);
  });

  it('two endpoints sharing one endpoint config each keep their own restore record', async () => {
    const w = emptyWorld();
    w.endpoints.push(
      endpoint('dev-a', 'InService', { configName: 'shared', tags: { environment: 'dev', team: 'a' } }),
    );
    w.endpoints.push(
      endpoint('dev-b', 'InService', {
        configName: 'shared',
        tags: { environment: 'dev', team: 'b', owner: 'bo' },
      }),
    );
    installWorld(fake, w);
    const report = await run(w);
    expect(report.acted.map((a) => [a.resource.split('/').pop(), a.outcome])).toEqual([
      ['dev-a', 'done'],
      ['dev-b', 'done'],
    ]);
    const tags = w.configTags.get('arn:aws:sagemaker:eu-west-1:111111111111:endpoint-config/shared') ?? {};
    expect(restoreInput('shared', tags, 'dev-a')).toEqual({
      EndpointName: 'dev-a',
      EndpointConfigName: 'shared',
      Tags: [
        { Key: 'environment', Value: 'dev' },
        { Key: 'team', Value: 'a' },
      ],
    });
    expect(restoreInput('shared', tags, 'dev-b')?.Tags).toEqual([
      { Key: 'environment', Value: 'dev' },
      { Key: 'team', Value: 'b' },
      { Key: 'owner', Value: 'bo' },
    ]);
    expect(restoreInputs('shared', tags).map((r) => r.EndpointName)).toEqual(['dev-a', 'dev-b']);
  });

  it('never deletes a serverless endpoint: it costs nothing while idle', async () => {
    // https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html
    const w = emptyWorld();
    w.endpoints.push(
      endpoint('dev-serverless', 'InService', { serverless: true, tags: { environment: 'dev' } }),
    );
    w.endpoints.push(endpoint('dev-instances', 'InService', { tags: { environment: 'dev' } }));
    installWorld(fake, w);
    const report = await run(w);
    expect(fake.callsTo('sagemaker', 'DeleteEndpoint').map((c) => c.input.EndpointName)).toEqual([
      'dev-instances',
    ]);
    expect(report.skipped).toEqual([
      {
        resource: 'arn:aws:sagemaker:eu-west-1:111111111111:endpoint/dev-serverless',
        reason: 'serverless (billed per request; nothing to save while idle)',
      },
    ]);
    // Not even measured.
    const queried = fake
      .callsTo('cloudwatch', 'GetMetricData')
      .flatMap((c) =>
        (c.input.MetricDataQueries as { MetricStat: { Metric: { Dimensions: { Value: string }[] } } }[]).map(
          (q) => q.MetricStat.Metric.Dimensions[0].Value,
        ),
      );
    expect(queried).toEqual(['dev-instances']);
  });

  it('never deletes an endpoint whose config cannot be read', async () => {
    const w = emptyWorld();
    w.endpoints.push(endpoint('dev-1', 'InService', { tags: { environment: 'dev' } }));
    installWorld(fake, w);
    fake.failNext('sagemaker', 'DescribeEndpointConfig', {
      code: 'AccessDeniedException',
      message: 'no DescribeEndpointConfig',
    });
    const report = await run(w);
    expect(report.failed).toEqual([
      {
        resource: expect.stringContaining('endpoint/dev-1'),
        error: expect.stringContaining('AccessDeniedException'),
      },
    ]);
    expect(fake.callsTo('sagemaker', 'DeleteEndpoint')).toEqual([]);
  });

  it('never deletes an endpoint whose restore record could not be written', async () => {
    const w = emptyWorld();
    w.endpoints.push(endpoint('dev-1', 'InService', { tags: { environment: 'dev' } }));
    installWorld(fake, w);
    fake.failNext('sagemaker', 'AddTags', { code: 'AccessDeniedException', message: 'no tagging' });
    const report = await run(w);
    expect(report.failed).toHaveLength(1);
    expect(fake.callsTo('sagemaker', 'DeleteEndpoint')).toEqual([]);
  });

  it('off-hours: stops every non-exempt InService notebook and app, whatever their activity, and no endpoint', async () => {
    const g = generateWorld(40);
    installWorld(fake, g.world);
    const report = await run(g.world, {}, { mode: 'off-hours' });
    const hits = touched(fake, g.world);
    for (const arn of g.protected) expect(hits.has(arn), arn).toBe(false);
    expect(fake.callsTo('sagemaker', 'DeleteEndpoint')).toEqual([]);
    expect(fake.callsTo('sagemaker', 'ListEndpoints')).toEqual([]);
    const busy = g.world.notebooks.filter((n) => n.name.startsWith('nb-busy'));
    expect(busy.every((n) => n.status === 'Stopping')).toBe(true);
    expect(report.acted.every((a) => a.reason === 'off-hours')).toBe(true);
    expect(report.acted).toHaveLength(4 + 4 + 4 + 4); // idle + busy notebooks, lab + kernel-gateway apps
  });

  it('publishes Acted, Skipped and Failed to ML/AutoShutdown', async () => {
    const g = generateWorld(10);
    installWorld(fake, g.world);
    await run(g.world);
    const put = g.world.metricsPublished[0] as {
      Namespace: string;
      MetricData: { MetricName: string; Value: number }[];
    };
    expect(put.Namespace).toBe('ML/AutoShutdown');
    expect(Object.fromEntries(put.MetricData.map((m) => [m.MetricName, m.Value]))).toEqual({
      Acted: g.eligible.size,
      WouldAct: 0,
      Skipped: 10 - g.eligible.size,
      Failed: 0,
      Capped: 0,
    });
  });
});

describe('handler', () => {
  it('reads the environment, logs JSON with the request id and returns the report summary', async () => {
    const g = generateWorld(30);
    installWorld(fake, g.world);
    const lines: string[] = [];
    const handler = createHandler({
      clients: () => clients(),
      env: { AUTO_SHUTDOWN_DRY_RUN: 'false', AUTO_SHUTDOWN_MAX_ACTIONS: '2' },
      now: () => NOW,
      log: (id) => ({
        info: (m, f) => lines.push(JSON.stringify({ level: 'INFO', message: m, correlationId: id, ...f })),
        warn: (m, f) => lines.push(JSON.stringify({ level: 'WARN', message: m, correlationId: id, ...f })),
        error: (m, f) => lines.push(JSON.stringify({ level: 'ERROR', message: m, correlationId: id, ...f })),
      }),
    });
    const result = await handler({ mode: 'idle-sweep' }, { awsRequestId: 'req-42' });
    expect(result.correlationId).toBe('req-42');
    expect(result.capped).toBe(true);
    expect(result.acted).toHaveLength(2);
    expect(lines.length).toBeGreaterThan(2);
    for (const l of lines) expect(JSON.parse(l)).toMatchObject({ correlationId: 'req-42' });
    expect(lines.some((l) => JSON.parse(l).message === 'run report')).toBe(true);
  });

  describe('the production clients (defaultClients), pointed at the fake through the environment', () => {
    afterEach(() => {
      vi.unstubAllEnvs();
    });

    it('an endpoint that accepts connections and never answers ends the run with timeout errors, not a hang', async () => {
      for (const [k, v] of Object.entries(fake.env())) vi.stubEnv(k, v);
      fake.failNext('sagemaker', '*', { hang: true, times: 1000 });
      fake.failNext('cloudwatch', '*', { hang: true, times: 1000 });
      const errors: string[] = [];
      const handler = createHandler({
        clients: defaultClients,
        env: {
          AUTO_SHUTDOWN_DRY_RUN: 'false',
          AUTO_SHUTDOWN_MAX_ATTEMPTS: '2',
          AUTO_SHUTDOWN_REQUEST_TIMEOUT_MS: '200',
        },
        now: () => NOW,
        log: () => ({
          info: () => {},
          warn: () => {},
          error: (m, f) => errors.push(`${m} ${JSON.stringify(f)}`),
        }),
      });
      const started = Date.now();
      const report = await handler({ mode: 'idle-sweep' }, { awsRequestId: 'req-hang' });
      // Three listings and the metrics, two attempts of 200 ms each, plus the SDK's backoff.
      expect(Date.now() - started).toBeLessThan(8000);
      expect(report.failed.map((f) => f.resource)).toEqual([
        'endpoints (ListEndpoints)',
        'notebook-instances (ListNotebookInstances)',
        'studio-apps (ListApps)',
      ]);
      for (const f of report.failed) expect(f.error).toMatch(/^TimeoutError: .*200 ms/);
      expect(errors).toEqual([expect.stringMatching(/^could not publish metrics .*TimeoutError/)]);
      expect(fake.callsTo('sagemaker', 'ListNotebookInstances').map((c) => c.fault)).toEqual([
        'hang',
        'hang',
      ]);
    }, 20_000);

    it('defaults to a 10 s request timeout, configurable from 100 ms to 60 s', () => {
      expect(parseConfig({}, {}).requestTimeoutMs).toBe(10_000);
      expect(parseConfig({ AUTO_SHUTDOWN_REQUEST_TIMEOUT_MS: '2500' }, {}).requestTimeoutMs).toBe(2500);
      expect(() => parseConfig({ AUTO_SHUTDOWN_REQUEST_TIMEOUT_MS: '0' }, {})).toThrow(
        'AUTO_SHUTDOWN_REQUEST_TIMEOUT_MS: is out of range (got "0"; expected an integer >= 100 and <= 60000)',
      );
    });
  });

  it('defaults to a dry run and rejects a bad mode before calling any API', async () => {
    const g = generateWorld(10);
    installWorld(fake, g.world);
    const handler = createHandler({
      clients: () => clients(),
      env: {},
      now: () => NOW,
      log: () => ({ info: () => {}, warn: () => {}, error: () => {} }),
    });
    expect((await handler({}, { awsRequestId: 'r' })).dryRun).toBe(true);
    fake.clearCalls();
    await expect(handler({ mode: 'nightly' })).rejects.toThrow(
      'event.mode: is not an allowed value (got "nightly"',
    );
    expect(fake.calls).toEqual([]);
  });
});
