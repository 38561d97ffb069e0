import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { PricingClient } from '@aws-sdk/client-pricing';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { RightsizeClientFactory } from '../../lib/rightsize/rightsize';
import { AwsFake, pageOutput } from '../support/aws-fake';
import { FakeProduct, selectProducts } from './price-list';

/** The fixed clock of the rightsize tests. */
export const NOW = new Date('2026-03-01T00:00:00Z');
export const daysAgo = (n: number): Date => new Date(NOW.getTime() - n * 86_400_000);
const ACCOUNT = '111111111111';

/** One in-service endpoint with instance variants. */
export interface FakeEndpoint {
  readonly name: string;
  readonly createdDaysAgo: number;
  readonly variants: readonly {
    readonly name: string;
    readonly instanceType: string;
    readonly count: number;
    readonly model: string;
  }[];
}

/** What the fake serves. */
export interface RightsizeWorld {
  endpoints: FakeEndpoint[];
  /** Model name -> days since creation. */
  models: Record<string, number>;
  /** Package group -> days since its newest version (null: no version). */
  packageGroups: Record<string, number | null>;
  trainingJobs: Record<string, unknown>[];
  alarms: Record<string, unknown>[];
  products: FakeProduct[];
  /**
   * Series by `<namespace>|<metric>|<EndpointName/VariantName or Host>`; missing: no data.
   * Every GetMetricData answer is split over two pages (NextToken), as CloudWatch pages long series.
   */
  series: Record<string, number[]>;
}

const dimKey = (dims: { Name: string; Value: string }[]) =>
  dims.some((d) => d.Name === 'Host')
    ? dims.find((d) => d.Name === 'Host')!.Value
    : `${dims.find((d) => d.Name === 'EndpointName')?.Value}/${dims.find((d) => d.Name === 'VariantName')?.Value}`;

/** `n` points of value `v`. */
export const flat = (v: number, n: number): number[] => Array.from({ length: n }, () => v);

/** Registers every operation `rightsize` calls. */
export function serve(fake: AwsFake, w: RightsizeWorld): void {
  const endpointArn = (n: string) => `arn:aws:sagemaker:eu-west-1:${ACCOUNT}:endpoint/${n}`;
  fake.on('sagemaker', 'ListEndpoints', (input) =>
    pageOutput(
      'Endpoints',
      w.endpoints.map((e) => ({
        EndpointName: e.name,
        EndpointArn: endpointArn(e.name),
        EndpointStatus: 'InService',
      })),
      input,
      { pageSize: 1 },
    ),
  );
  fake.on('sagemaker', 'DescribeEndpoint', (input: { EndpointName: string }) => {
    const e = w.endpoints.find((x) => x.name === input.EndpointName)!;
    return {
      EndpointName: e.name,
      EndpointArn: endpointArn(e.name),
      EndpointConfigName: `${e.name}-config`,
      EndpointStatus: 'InService',
      CreationTime: daysAgo(e.createdDaysAgo),
      ProductionVariants: e.variants.map((v) => ({
        VariantName: v.name,
        CurrentInstanceCount: v.count,
        DesiredInstanceCount: v.count,
      })),
    };
  });
  fake.on('sagemaker', 'DescribeEndpointConfig', (input: { EndpointConfigName: string }) => {
    const e = w.endpoints.find((x) => `${x.name}-config` === input.EndpointConfigName)!;
    return {
      EndpointConfigName: input.EndpointConfigName,
      ProductionVariants: e.variants.map((v) => ({
        VariantName: v.name,
        InstanceType: v.instanceType,
        InitialInstanceCount: v.count,
        ModelName: v.model,
      })),
    };
  });
  fake.on('sagemaker', 'ListTrainingJobs', (input) =>
    pageOutput(
      'TrainingJobSummaries',
      w.trainingJobs.map((j) => ({
        TrainingJobName: j.TrainingJobName,
        TrainingJobStatus: j.TrainingJobStatus,
      })),
      input,
    ),
  );
  fake.on('sagemaker', 'DescribeTrainingJob', (input: { TrainingJobName: string }) =>
    w.trainingJobs.find((j) => j.TrainingJobName === input.TrainingJobName),
  );
  fake.on('sagemaker', 'ListModels', (input) =>
    pageOutput(
      'Models',
      Object.entries(w.models).map(([name, days]) => ({ ModelName: name, CreationTime: daysAgo(days) })),
      input,
      { pageSize: 1 },
    ),
  );
  fake.on('sagemaker', 'ListModelPackageGroups', (input) =>
    pageOutput(
      'ModelPackageGroupSummaryList',
      Object.keys(w.packageGroups).map((g) => ({ ModelPackageGroupName: g })),
      input,
    ),
  );
  fake.on('sagemaker', 'ListModelPackages', (input: { ModelPackageGroupName: string }) => {
    const days = w.packageGroups[input.ModelPackageGroupName];
    return {
      ModelPackageSummaryList:
        days === null || days === undefined
          ? []
          : [
              {
                ModelPackageGroupName: input.ModelPackageGroupName,
                ModelPackageVersion: 3,
                CreationTime: daysAgo(days),
              },
            ],
    };
  });
  fake.on('cloudwatch', 'DescribeAlarms', (input) =>
    pageOutput('MetricAlarms', w.alarms, input, { pageSize: 1, limitField: 'MaxRecords' }),
  );
  fake.on(
    'cloudwatch',
    'GetMetricData',
    (input: {
      NextToken?: string;
      MetricDataQueries: {
        Id: string;
        MetricStat: {
          Metric: { Namespace: string; MetricName: string; Dimensions: { Name: string; Value: string }[] };
        };
      }[];
    }) => {
      const second = input.NextToken === 'page-2';
      return {
        MetricDataResults: input.MetricDataQueries.map((q) => {
          const m = q.MetricStat.Metric;
          const all = w.series[`${m.Namespace}|${m.MetricName}|${dimKey(m.Dimensions)}`] ?? [];
          const half = Math.ceil(all.length / 2);
          const values = second ? all.slice(half) : all.slice(0, half);
          return { Id: q.Id, StatusCode: 'Complete', Values: values, Timestamps: values.map(() => NOW) };
        }),
        ...(second ? {} : { NextToken: 'page-2' }),
      };
    },
  );
  fake.on('pricing', 'GetProducts', (input: { Filters: { Field: string; Value: string }[] }) =>
    pageOutput('PriceList', selectProducts(w.products, input.Filters), input, { pageSize: 1 }),
  );
}

/** The real SDK clients, pointed at the fake. */
export function fakeRightsizeClients(fake: AwsFake): RightsizeClientFactory {
  return (o) => ({
    sagemaker: new SageMakerClient(fake.clientConfig({ region: o.region })),
    cloudwatch: new CloudWatchClient(fake.clientConfig({ region: o.region })),
    pricing: new PricingClient(fake.clientConfig({ region: 'eu-central-1' })),
  });
}

const m5 = (size: string, vcpus: number, usd: number): FakeProduct[] => [
  { instanceType: `ml.m5.${size}`, usage: 'Host', usd, vcpus, memoryGib: vcpus * 4 },
  { instanceType: `ml.m5.${size}`, usage: 'Train', usd: usd * 1.1, vcpus, memoryGib: vcpus * 4 },
];

/** A world with one case of every finding. */
export function standardWorld(): RightsizeWorld {
  const E = '/aws/sagemaker/Endpoints';
  const T = '/aws/sagemaker/TrainingJobs';
  const day = 288; // 5-minute points a day
  return {
    endpoints: [
      // 4 × 16 vCPUs at p99 320 % (20 %), memory 20 %: over-provisioned.
      {
        name: 'big',
        createdDaysAgo: 60,
        variants: [{ name: 'AllTraffic', instanceType: 'ml.m5.4xlarge', count: 4, model: 'churn-v1' }],
      },
      // Barely used; right-sized at its size.
      {
        name: 'quiet',
        createdDaysAgo: 40,
        variants: [{ name: 'AllTraffic', instanceType: 'ml.m5.large', count: 2, model: 'fresh' }],
      },
      // Two days old: one day of GPU data is missing.
      {
        name: 'new-gpu',
        createdDaysAgo: 2,
        variants: [{ name: 'AllTraffic', instanceType: 'ml.g5.2xlarge', count: 1, model: 'fresh' }],
      },
    ],
    models: { 'churn-v1': 200, fresh: 10, unused: 400 },
    packageGroups: { churn: 300, fraud: 5, empty: null },
    trainingJobs: [
      {
        TrainingJobName: 'train-1',
        TrainingJobStatus: 'Completed',
        ResourceConfig: { InstanceType: 'ml.m5.4xlarge', InstanceCount: 1, VolumeSizeInGB: 30 },
        TrainingStartTime: daysAgo(3),
        TrainingEndTime: new Date(daysAgo(3).getTime() + 2 * 3_600_000),
        TrainingTimeInSeconds: 7200,
        BillableTimeInSeconds: 7200,
        CreationTime: daysAgo(3),
      },
    ],
    alarms: [
      {
        AlarmName: 'churn-drift-max-psi',
        AlarmArn: `arn:aws:cloudwatch:eu-west-1:${ACCOUNT}:alarm:churn-drift-max-psi`,
        StateValue: 'ALARM',
        Namespace: 'ML/Drift',
        MetricName: 'MaxPsi',
        Dimensions: [{ Name: 'EndpointName', Value: 'big' }],
        StateTransitionedTimestamp: daysAgo(20),
        StateUpdatedTimestamp: daysAgo(1),
      },
      {
        AlarmName: 'churn-quality-f1',
        StateValue: 'ALARM',
        Namespace: 'ML/ModelQuality',
        MetricName: 'f1',
        StateTransitionedTimestamp: daysAgo(2),
      },
      {
        AlarmName: 'cpu-high',
        StateValue: 'ALARM',
        Namespace: 'AWS/EC2',
        StateTransitionedTimestamp: daysAgo(30),
      },
    ],
    products: [
      ...m5('large', 2, 0.128),
      ...m5('xlarge', 4, 0.256),
      ...m5('2xlarge', 8, 0.512),
      ...m5('4xlarge', 16, 1.024),
      { instanceType: 'ml.g5.2xlarge', usage: 'Host', usd: 1.52, vcpus: 8, memoryGib: 32, gpus: 1 },
    ],
    series: {
      // p50 80 %, p90 160 %, p99 320 % of 16 vCPUs: 5 / 10 / 20 %.
      [`${E}|CPUUtilization|big/AllTraffic`]: [...flat(80, 300), ...flat(160, 230), ...flat(320, 46)],
      [`${E}|DiskUtilization|big/AllTraffic`]: flat(4, day * 2),
      [`${E}|MemoryUtilization|big/AllTraffic`]: flat(20, day * 2),
      [`${E}|CPUUtilization|quiet/AllTraffic`]: flat(100, day * 2),
      [`${E}|MemoryUtilization|quiet/AllTraffic`]: flat(60, day * 2),
      [`${E}|CPUUtilization|new-gpu/AllTraffic`]: flat(100, day),
      [`${E}|MemoryUtilization|new-gpu/AllTraffic`]: flat(30, day),
      [`${E}|GPUUtilization|new-gpu/AllTraffic`]: flat(10, 100),
      [`AWS/SageMaker|Invocations|big/AllTraffic`]: flat(50_000, 14),
      [`AWS/SageMaker|Invocations|quiet/AllTraffic`]: [3, 0, 4],
      [`AWS/SageMaker|Invocations|new-gpu/AllTraffic`]: [0, 0],
      [`${T}|CPUUtilization|train-1/algo-1`]: flat(200, 120),
      [`${T}|MemoryUtilization|train-1/algo-1`]: flat(15, 120),
    },
  };
}
