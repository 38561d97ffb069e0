// A simulated SageMaker + CloudWatch account for the auto-shutdown handler, served by the
// loopback fake: state changes (stop, delete, tag) are kept, so a second run sees the first's work.
import { AwsFake, awsError, pageOutput } from '../../support/aws-fake';

const REGION = 'eu-west-1';
const ACCOUNT = '111111111111';
const arn = (type: string, name: string): string =>
  `arn:aws:sagemaker:${REGION}:${ACCOUNT}:${type}/${name.toLowerCase()}`;

export interface SimNotebook {
  name: string;
  arn: string;
  status: string;
  lastModified: Date;
  tags: Record<string, string>;
}
export interface SimApp {
  DomainId: string;
  UserProfileName?: string;
  SpaceName?: string;
  AppType: string;
  AppName: string;
  Status: string;
  CreationTime: Date;
  arn: string;
  lastUserActivity?: Date;
  lastHealthCheck?: Date;
  tags: Record<string, string>;
}
export interface SimEndpoint {
  name: string;
  arn: string;
  status: string;
  lastModified: Date;
  configName: string;
  /** Whether the endpoint config's variants are serverless (ServerlessConfig instead of instances). */
  serverless: boolean;
  variants: string[];
  invocations: number;
  tags: Record<string, string>;
}
export interface World {
  notebooks: SimNotebook[];
  apps: SimApp[];
  endpoints: SimEndpoint[];
  configTags: Map<string, Record<string, string>>;
  metricsPublished: unknown[];
}

export const NOW = new Date('2025-03-04T12:00:00Z');
export const hoursAgo = (h: number): Date => new Date(NOW.getTime() - h * 3_600_000);
export const iso = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export function notebook(
  name: string,
  status: string,
  opts: { activityHoursAgo?: number; tags?: Record<string, string>; modifiedHoursAgo?: number } = {},
): SimNotebook {
  const tags: Record<string, string> = { ...opts.tags };
  if (opts.activityHoursAgo !== undefined)
    tags['auto-shutdown:last-activity'] = iso(hoursAgo(opts.activityHoursAgo));
  return {
    name,
    arn: arn('notebook-instance', name),
    status,
    lastModified: hoursAgo(opts.modifiedHoursAgo ?? 48),
    tags,
  };
}

export function app(
  name: string,
  type: string,
  status: string,
  opts: {
    createdHoursAgo?: number;
    userHoursAgo?: number;
    healthHoursAgo?: number;
    tags?: Record<string, string>;
    space?: boolean;
  } = {},
): SimApp {
  const owner = opts.space ? { SpaceName: `space-${name}` } : { UserProfileName: `user-${name}` };
  return {
    DomainId: 'd-abc123',
    ...owner,
    AppType: type,
    AppName: name,
    Status: status,
    CreationTime: hoursAgo(opts.createdHoursAgo ?? 3),
    arn: arn(
      'app',
      `d-abc123/${opts.space ? `space-${name}` : `user-${name}`}/${type.toLowerCase()}/${name}`,
    ),
    lastUserActivity: opts.userHoursAgo !== undefined ? hoursAgo(opts.userHoursAgo) : undefined,
    lastHealthCheck: opts.healthHoursAgo !== undefined ? hoursAgo(opts.healthHoursAgo) : undefined,
    tags: { ...opts.tags },
  };
}

export function endpoint(
  name: string,
  status: string,
  opts: {
    invocations?: number;
    tags?: Record<string, string>;
    modifiedHoursAgo?: number;
    variants?: string[];
    configName?: string;
    serverless?: boolean;
  } = {},
): SimEndpoint {
  return {
    name,
    arn: arn('endpoint', name),
    status,
    lastModified: hoursAgo(opts.modifiedHoursAgo ?? 72),
    configName: opts.configName ?? `${name}-config`,
    serverless: opts.serverless ?? false,
    variants: opts.variants ?? ['AllTraffic'],
    invocations: opts.invocations ?? 0,
    tags: { ...opts.tags },
  };
}

export function emptyWorld(): World {
  return { notebooks: [], apps: [], endpoints: [], configTags: new Map(), metricsPublished: [] };
}

const tagList = (tags: Record<string, string>) =>
  Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

/** Registers every operation the handler calls, answering from `world`. */
export function installWorld(fake: AwsFake, world: World, opts: { pageSize?: number } = {}): void {
  const pageSize = opts.pageSize ?? 100;
  const appKey = (i: {
    DomainId?: string;
    AppType?: string;
    AppName?: string;
    UserProfileName?: string;
    SpaceName?: string;
  }) =>
    world.apps.find(
      (a) =>
        a.DomainId === i.DomainId &&
        a.AppType === i.AppType &&
        a.AppName === i.AppName &&
        (a.SpaceName ?? a.UserProfileName) === (i.SpaceName ?? i.UserProfileName),
    );
  fake.on<{ NextToken?: string; MaxResults?: number }>('sagemaker', 'ListNotebookInstances', (input) =>
    pageOutput(
      'NotebookInstances',
      world.notebooks.map((n) => ({
        NotebookInstanceName: n.name,
        NotebookInstanceArn: n.arn,
        NotebookInstanceStatus: n.status,
        LastModifiedTime: n.lastModified,
      })),
      input,
      { pageSize },
    ),
  );
  fake.on<{ NotebookInstanceName: string }>('sagemaker', 'StopNotebookInstance', (input) => {
    const n = world.notebooks.find((x) => x.name === input.NotebookInstanceName);
    if (!n) throw awsError(400, 'ValidationException', 'RecordNotFound');
    if (n.status !== 'InService')
      throw awsError(400, 'ValidationException', `Status (${n.status}) not in ([InService]).`);
    n.status = 'Stopping';
    return {};
  });
  fake.on<{ ResourceArn: string; NextToken?: string; MaxResults?: number }>(
    'sagemaker',
    'ListTags',
    (input) => {
      const res =
        world.notebooks.find((n) => n.arn === input.ResourceArn) ??
        world.apps.find((a) => a.arn === input.ResourceArn) ??
        world.endpoints.find((e) => e.arn === input.ResourceArn);
      if (!res) throw awsError(400, 'ValidationException', `Resource ${input.ResourceArn} not found`);
      return pageOutput('Tags', tagList(res.tags), input, { pageSize: 2 });
    },
  );
  fake.on<{ NextToken?: string }>('sagemaker', 'ListApps', (input) =>
    pageOutput(
      'Apps',
      world.apps.map((a) => ({
        DomainId: a.DomainId,
        UserProfileName: a.UserProfileName,
        SpaceName: a.SpaceName,
        AppType: a.AppType,
        AppName: a.AppName,
        Status: a.Status,
        CreationTime: a.CreationTime,
      })),
      input,
      { pageSize },
    ),
  );
  fake.on('sagemaker', 'DescribeApp', (input: Record<string, string>) => {
    const a = appKey(input);
    if (!a) throw awsError(400, 'ResourceNotFound', 'App not found');
    return {
      AppArn: a.arn,
      AppType: a.AppType,
      AppName: a.AppName,
      DomainId: a.DomainId,
      Status: a.Status,
      CreationTime: a.CreationTime,
      LastUserActivityTimestamp: a.lastUserActivity,
      LastHealthCheckTimestamp: a.lastHealthCheck,
    };
  });
  fake.on('sagemaker', 'DeleteApp', (input: Record<string, string>) => {
    const a = appKey(input);
    if (!a || a.Status === 'Deleted') throw awsError(400, 'ResourceNotFound', 'App not found');
    a.Status = 'Deleting';
    return {};
  });
  fake.on<{ NextToken?: string }>('sagemaker', 'ListEndpoints', (input) =>
    pageOutput(
      'Endpoints',
      world.endpoints.map((e) => ({
        EndpointName: e.name,
        EndpointArn: e.arn,
        EndpointStatus: e.status,
        CreationTime: hoursAgo(500),
        LastModifiedTime: e.lastModified,
      })),
      input,
      { pageSize },
    ),
  );
  fake.on<{ EndpointName: string }>('sagemaker', 'DescribeEndpoint', (input) => {
    const e = world.endpoints.find((x) => x.name === input.EndpointName);
    if (!e) throw awsError(400, 'ValidationException', `Could not find endpoint "${input.EndpointName}".`);
    return {
      EndpointName: e.name,
      EndpointArn: e.arn,
      EndpointConfigName: e.configName,
      EndpointStatus: e.status,
      ProductionVariants: e.variants.map((VariantName) => ({ VariantName })),
      CreationTime: hoursAgo(500),
      LastModifiedTime: e.lastModified,
    };
  });
  fake.on<{ EndpointConfigName: string }>('sagemaker', 'DescribeEndpointConfig', (input) => {
    const e = world.endpoints.find((x) => x.configName === input.EndpointConfigName);
    if (!e)
      throw awsError(
        400,
        'ValidationException',
        `Could not find endpoint configuration "${input.EndpointConfigName}".`,
      );
    return {
      EndpointConfigName: e.configName,
      EndpointConfigArn: arn('endpoint-config', e.configName),
      ProductionVariants: e.variants.map((VariantName) =>
        e.serverless
          ? { VariantName, ModelName: 'm', ServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 5 } }
          : { VariantName, ModelName: 'm', InstanceType: 'ml.m5.large', InitialInstanceCount: 1 },
      ),
      CreationTime: hoursAgo(500),
    };
  });
  fake.on<{ EndpointName: string }>('sagemaker', 'DeleteEndpoint', (input) => {
    const e = world.endpoints.find((x) => x.name === input.EndpointName);
    if (!e || e.status === 'Deleting')
      throw awsError(400, 'ValidationException', `Could not find endpoint "${input.EndpointName}".`);
    e.status = 'Deleting';
    return {};
  });
  fake.on<{ ResourceArn: string; Tags: { Key: string; Value: string }[] }>(
    'sagemaker',
    'AddTags',
    (input) => {
      const current = world.configTags.get(input.ResourceArn) ?? {};
      for (const t of input.Tags) current[t.Key] = t.Value;
      world.configTags.set(input.ResourceArn, current);
      return { Tags: input.Tags };
    },
  );
  fake.on<{
    MetricDataQueries: {
      Id: string;
      MetricStat: { Metric: { Dimensions: { Name: string; Value: string }[] } };
    }[];
  }>('cloudwatch', 'GetMetricData', (input) => ({
    MetricDataResults: input.MetricDataQueries.map((q) => {
      const name = q.MetricStat.Metric.Dimensions.find((d) => d.Name === 'EndpointName')?.Value;
      const e = world.endpoints.find((x) => x.name === name);
      const perVariant = e && e.invocations > 0 ? e.invocations / e.variants.length : 0;
      return {
        Id: q.Id,
        Label: 'Invocations',
        StatusCode: 'Complete',
        Timestamps: perVariant ? [NOW] : [],
        Values: perVariant ? [perVariant] : [],
      };
    }),
  }));
  fake.on('cloudwatch', 'PutMetricData', (input) => {
    world.metricsPublished.push(input);
    return {};
  });
}

/** The names (ARNs) of resources that got a mutating request, any attempt, faulted or not. */
export function touched(fake: AwsFake, world: World): Set<string> {
  const out = new Set<string>();
  for (const c of fake.calls) {
    const input = c.input as Record<string, string>;
    if (c.operation === 'StopNotebookInstance') {
      const n = world.notebooks.find((x) => x.name === input.NotebookInstanceName);
      out.add(n?.arn ?? `missing:${input.NotebookInstanceName}`);
    } else if (c.operation === 'DeleteApp') {
      const a = world.apps.find((x) => x.AppName === input.AppName && x.AppType === input.AppType);
      out.add(a?.arn ?? `missing:${input.AppName}`);
    } else if (c.operation === 'DeleteEndpoint') {
      const e = world.endpoints.find((x) => x.name === input.EndpointName);
      out.add(e?.arn ?? `missing:${input.EndpointName}`);
    } else if (c.operation === 'AddTags') {
      out.add(`tagged:${input.ResourceArn}`);
    }
  }
  return out;
}

/** A generated world and what a correct idle sweep must do with it. */
export interface GeneratedWorld {
  readonly world: World;
  /** Resources an idle sweep must act on (or report as failed). */
  readonly eligible: Set<string>;
  /** Resources no run may ever send a mutating request for: exempt, production, untagged, JupyterServer. */
  readonly protected: Set<string>;
}

/**
 * `count` resources, a tenth each of: idle notebook (eligible), active notebook, stopped notebook,
 * exempt idle notebook (protected), idle JupyterLab app (eligible), active KernelGateway app,
 * old JupyterServer `default` app (protected), idle dev endpoint (eligible), idle prod endpoint
 * (protected), and in turn an untagged idle endpoint (protected), an exempt idle dev endpoint
 * (protected) or a busy dev endpoint.
 */
export function generateWorld(count: number): GeneratedWorld {
  const world = emptyWorld();
  const eligible = new Set<string>();
  const guarded = new Set<string>();
  const exempt = { 'auto-shutdown:exempt': 'true' };
  for (let i = 0; i < count; i++) {
    const id = String(i).padStart(5, '0');
    switch (i % 10) {
      case 0: {
        const n = notebook(`nb-idle-${id}`, 'InService', { activityHoursAgo: 5 });
        world.notebooks.push(n);
        eligible.add(n.arn);
        break;
      }
      case 1:
        world.notebooks.push(notebook(`nb-busy-${id}`, 'InService', { activityHoursAgo: 0.5 }));
        break;
      case 2:
        world.notebooks.push(notebook(`nb-stopped-${id}`, 'Stopped', { activityHoursAgo: 50 }));
        break;
      case 3: {
        const n = notebook(`nb-exempt-${id}`, 'InService', { activityHoursAgo: 50, tags: exempt });
        world.notebooks.push(n);
        guarded.add(n.arn);
        break;
      }
      case 4: {
        const a = app(`lab-${id}`, 'JupyterLab', 'InService', {
          createdHoursAgo: 6,
          userHoursAgo: 4,
          healthHoursAgo: 0.1,
        });
        world.apps.push(a);
        eligible.add(a.arn);
        break;
      }
      case 5:
        world.apps.push(
          app(`kg-${id}`, 'KernelGateway', 'InService', {
            createdHoursAgo: 1,
            userHoursAgo: 0.2,
            healthHoursAgo: 0.1,
            space: true,
          }),
        );
        break;
      case 6: {
        const a = app(`default-${id}`, 'JupyterServer', 'InService', { createdHoursAgo: 400 });
        world.apps.push(a);
        guarded.add(a.arn);
        break;
      }
      case 7: {
        const e = endpoint(`ep-dev-${id}`, 'InService', {
          tags: { environment: 'dev' },
          variants: ['a', 'b'],
        });
        world.endpoints.push(e);
        eligible.add(e.arn);
        break;
      }
      case 8: {
        const e = endpoint(`ep-prod-${id}`, 'InService', {
          tags: { environment: i % 20 === 8 ? 'prod' : 'Production' },
        });
        world.endpoints.push(e);
        guarded.add(e.arn);
        break;
      }
      default: {
        const k = Math.floor(i / 10) % 3;
        if (k === 0) {
          const e = endpoint(`ep-untagged-${id}`, 'InService');
          world.endpoints.push(e);
          guarded.add(e.arn);
        } else if (k === 1) {
          const e = endpoint(`ep-exempt-${id}`, 'InService', { tags: { environment: 'dev', ...exempt } });
          world.endpoints.push(e);
          guarded.add(e.arn);
        } else {
          world.endpoints.push(
            endpoint(`ep-busy-${id}`, 'InService', { tags: { environment: 'staging' }, invocations: 42 }),
          );
        }
      }
    }
  }
  return { world, eligible, protected: guarded };
}
