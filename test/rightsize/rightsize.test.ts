import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { iamActionKnown } from '../../lib/aws-facts/iam-actions';
import { auditExitCode } from '../../lib/audit/audit';
import { RIGHTSIZE_IAM_ACTIONS, rightsizePolicyDocument } from '../../lib/rightsize/permissions';
import { isQualityAlarm, runRightsize, RightsizeOptions } from '../../lib/rightsize/rightsize';
import { RIGHTSIZE_RULES } from '../../lib/rightsize/rules';
import { AwsFake, startAwsFake } from '../support/aws-fake';
import { fakeRightsizeClients, NOW, serve, standardWorld } from './world';

let fake: AwsFake;
beforeAll(async () => {
  fake = await startAwsFake();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => fake.reset());

const run = (o: Partial<RightsizeOptions> = {}) =>
  runRightsize({ region: 'eu-west-1', clientFactory: fakeRightsizeClients(fake), now: NOW, ...o });

const messages = (r: Awaited<ReturnType<typeof run>>, ruleId: string) =>
  r.findings.filter((f) => f.ruleId === ruleId).map((f) => `${f.logicalId}: ${f.message}`);

describe('rightsize on the loopback fake (real SageMaker, CloudWatch and Pricing clients)', () => {
  test('an over-provisioned variant gets fewer instances with the monthly saving from Price List prices', async () => {
    serve(fake, standardWorld());
    const r = await run({ checks: ['rightsizing'] });
    expect(r.errors).toEqual([]);
    expect(messages(r, 'Rightsize-EndpointVariant')).toEqual([
      'big/AllTraffic: Variant AllTraffic of big: 4 × ml.m5.4xlarge ($2,990.08/month), 700,000 invocations and p50/p90/p99 over 14 days cpu 5/10/20%, memory 20/20/20%, disk 4/4/4%; 2 × ml.m5.4xlarge keeps p99 under 70% and saves about $1,495.04/month.',
    ]);
    // Every GetMetricData answer came in two pages: both were read (the p99 needs 576 points).
    const pages = fake
      .callsTo('cloudwatch', 'GetMetricData')
      .map((c) => (c.input as { NextToken?: string }).NextToken);
    expect(pages).toContain('page-2');
    const q = fake.callsTo('cloudwatch', 'GetMetricData')[0].input as {
      StartTime: number;
      EndTime: number;
      MetricDataQueries: { MetricStat: { Metric: { Namespace: string }; Period: number; Stat: string } }[];
    };
    expect(q.EndTime - q.StartTime).toBe(14 * 86_400);
    expect(q.MetricDataQueries[0].MetricStat).toMatchObject({
      Metric: { Namespace: '/aws/sagemaker/Endpoints' },
      Period: 300,
      Stat: 'Average',
    });
    fake.assertAllHandled();
  });

  test('only allowed families get a smaller type; others still get fewer instances', async () => {
    serve(fake, standardWorld());
    const r = await run({ checks: ['rightsizing'], allowedFamilies: ['c5'], targetUtilizationPercent: 50 });
    expect(messages(r, 'Rightsize-EndpointVariant')[0]).toMatch(/; 2 × ml\.m5\.4xlarge keeps p99 under 50%/);
    expect(messages(r, 'Rightsize-TrainingJob')).toEqual([]);
  });

  test('a recent training job gets a smaller type of its family with the per-run saving', async () => {
    serve(fake, standardWorld());
    const r = await run({ checks: ['rightsizing'] });
    expect(messages(r, 'Rightsize-TrainingJob')).toEqual([
      'train-1: Training job train-1: 1 × ml.m5.4xlarge, p50/p90/p99 cpu 13/13/13%, memory 15/15/15%; 1 × ml.m5.xlarge keeps p99 under 70% and would have saved about $1.69 on this run (2.0 billable h, on-demand prices).',
    ]);
    const hosts = fake
      .callsTo('cloudwatch', 'GetMetricData')
      .flatMap(
        (c) =>
          (
            c.input as {
              MetricDataQueries: {
                MetricStat: { Metric: { Namespace: string; Dimensions: { Name: string; Value: string }[] } };
              }[];
            }
          ).MetricDataQueries,
      )
      .filter((m) => m.MetricStat.Metric.Namespace === '/aws/sagemaker/TrainingJobs')
      .map((m) => m.MetricStat.Metric.Dimensions[0]);
    expect(hosts).toContainEqual({ Name: 'Host', Value: 'train-1/algo-1' });
  });

  test('too few data points: not evaluated, with the reason; no recommendation', async () => {
    serve(fake, standardWorld());
    const r = await run({ checks: ['rightsizing'] });
    expect(messages(r, 'Rightsize-NotEvaluated')).toEqual([
      'new-gpu/AllTraffic: Variant AllTraffic of new-gpu (1 × ml.g5.2xlarge) not evaluated over 14 days: too few data points: GPUUtilization: 100 data points (need at least 288); GPUMemoryUtilization: 0 data points (need at least 288).',
    ]);
    expect(r.findings.find((f) => f.ruleId === 'Rightsize-NotEvaluated')?.level).toBe('note');
  });

  test('an instance type the Price List does not know: not evaluated (its vCPUs are unknown), never costed at $0', async () => {
    const w = standardWorld();
    w.products = w.products.filter((p) => !p.instanceType.startsWith('ml.m5.4xlarge') || p.usage !== 'Host');
    serve(fake, w);
    const r = await run({ checks: ['rightsizing'] });
    // Without the current type's vCPUs the CPU share cannot be computed: not evaluated.
    expect(messages(r, 'Rightsize-NotEvaluated').join('\n')).toMatch(
      /big \(4 × ml\.m5\.4xlarge\) not evaluated.*no vCPU count/,
    );
    expect(r.findings.map((f) => f.message).join('\n')).not.toMatch(/\$0\.00/);
  });

  test('retirement: low traffic, models and package groups not updated, quality alarms in ALARM for long, with monthly cost', async () => {
    serve(fake, standardWorld());
    const r = await run({ checks: ['retirement'] });
    expect(r.errors).toEqual([]);
    expect(messages(r, 'Retire-EndpointLowTraffic')).toEqual([
      'quiet: Endpoint quiet: 7 invocations in 14 days (threshold 100); costs $186.88/month on demand.',
    ]);
    expect(messages(r, 'Retire-ModelNotUpdated')).toEqual([
      'big/AllTraffic: Endpoint big variant AllTraffic serves model churn-v1, created 200 days ago (threshold 180); the variant costs $2,990.08/month.',
    ]);
    expect(messages(r, 'Retire-ModelPackageGroupNotUpdated').sort()).toEqual([
      'churn: Model package group churn: its newest version is 300 days old (threshold 180 days).',
      'empty: Model package group empty: it has no version (threshold 180 days).',
    ]);
    expect(messages(r, 'Retire-AlarmLongInAlarm')).toEqual([
      'arn:aws:cloudwatch:eu-west-1:111111111111:alarm:churn-drift-max-psi: Alarm churn-drift-max-psi has been in ALARM for 20 days (threshold 7); endpoint big costs $2,990.08/month.',
    ]);
    const alarms = fake.callsTo('cloudwatch', 'DescribeAlarms');
    expect(alarms[0].input).toMatchObject({ StateValue: 'ALARM', AlarmTypes: ['MetricAlarm'] });
    expect(alarms.length).toBe(3); // one alarm per page
    const packages = fake.callsTo('sagemaker', 'ListModelPackages')[0].input;
    expect(packages).toMatchObject({ SortBy: 'CreationTime', SortOrder: 'Descending', MaxResults: 1 });
  });

  test('thresholds are options', async () => {
    serve(fake, standardWorld());
    const r = await run({
      checks: ['retirement'],
      lowTrafficInvocations: 5,
      staleModelDays: 365,
      alarmDays: 30,
    });
    expect(messages(r, 'Retire-EndpointLowTraffic')).toEqual([]);
    expect(messages(r, 'Retire-ModelNotUpdated')).toEqual([]);
    expect(messages(r, 'Retire-AlarmLongInAlarm')).toEqual([]);
    expect(messages(r, 'Retire-ModelPackageGroupNotUpdated')).toEqual([
      'empty: Model package group empty: it has no version (threshold 365 days).',
    ]);
  });

  test('survives throttling of every service', async () => {
    serve(fake, standardWorld());
    fake.faults({ throttleRate: 0.15, seed: 3 });
    const r = await run();
    expect(r.errors).toEqual([]);
    expect(r.findings.filter((f) => f.level === 'warning')).toHaveLength(5);
    expect(fake.calls.some((c) => c.fault !== undefined)).toBe(true);
  });

  test('Pricing access denied: the group is incomplete (exit 2) and costs say "price unknown"', async () => {
    serve(fake, standardWorld());
    fake.failNext('pricing', 'GetProducts', { code: 'AccessDeniedException', status: 400, times: 100 });
    const r = await run({ checks: ['retirement'] });
    expect(r.errors).toEqual([
      expect.objectContaining({
        input: 'check retirement',
        message: expect.stringMatching(
          /^incomplete: prices not read from the Price List \(AccessDeniedException/,
        ),
      }),
    ]);
    expect(messages(r, 'Retire-EndpointLowTraffic')[0]).toMatch(/costs price unknown on demand/);
    expect(auditExitCode(r, 'error')).toBe(2);
  });

  test('SageMaker access denied: the group is not checked, the other still runs', async () => {
    serve(fake, standardWorld());
    fake.failNext('sagemaker', 'ListModelPackageGroups', { code: 'AccessDeniedException', status: 400 });
    const r = await run();
    expect(r.errors).toEqual([
      expect.objectContaining({
        input: 'check retirement',
        message: expect.stringMatching(/^access denied, not checked/),
      }),
    ]);
    expect(messages(r, 'Rightsize-EndpointVariant')).toHaveLength(1);
  });

  test('rejected credentials stop the run with one message', async () => {
    serve(fake, standardWorld());
    fake.failNext('sagemaker', 'ListEndpoints', { code: 'UnrecognizedClientException', status: 400 });
    await expect(run({ checks: ['rightsizing'] })).rejects.toThrow(
      /^no usable AWS credentials for region eu-west-1/,
    );
  });

  test('one request slot is enough: nested reads never wait on the slot their caller holds', async () => {
    serve(fake, standardWorld());
    const r = await run({ concurrency: 1 });
    expect(r.errors).toEqual([]);
    expect(r.findings.filter((f) => f.level === 'warning')).toHaveLength(5);
  });

  // GetMetricData takes at most 500 queries per request:
  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html
  test('a training job of 101 hosts is read in requests of at most 500 queries', async () => {
    const w = standardWorld();
    w.trainingJobs = [
      {
        ...w.trainingJobs[0],
        ResourceConfig: { InstanceType: 'ml.m5.4xlarge', InstanceCount: 101, VolumeSizeInGB: 30 },
      },
    ];
    serve(fake, w);
    await run({ checks: ['rightsizing'] });
    const sizes = fake
      .callsTo('cloudwatch', 'GetMetricData')
      .map(
        (c) =>
          c.input as {
            MetricDataQueries: { MetricStat: { Metric: { Namespace: string } } }[];
            NextToken?: string;
          },
      )
      .filter(
        (i) =>
          i.MetricDataQueries[0].MetricStat.Metric.Namespace === '/aws/sagemaker/TrainingJobs' &&
          !i.NextToken,
      )
      .map((i) => i.MetricDataQueries.length);
    expect(sizes).toEqual([500, 5]);
  });

  test('a clean run exits 0; the report lists the rules of the groups that ran', async () => {
    const w = standardWorld();
    serve(fake, { ...w, endpoints: [], trainingJobs: [], packageGroups: {}, alarms: [] });
    const r = await run();
    expect(r.findings).toEqual([]);
    expect(auditExitCode(r, 'warning')).toBe(0);
    expect(r.rules.map((x) => x.id)).toEqual(RIGHTSIZE_RULES.map((x) => x.id));
    expect(r.tool.command).toBe('rightsize');
  });
});

describe('permissions', () => {
  test('every request of both groups is an action of the documented read-only policy, and every listed action is used', async () => {
    serve(fake, standardWorld());
    const r = await run();
    expect(r.errors).toEqual([]);
    fake.assertAllHandled();
    const called = [...new Set(fake.calls.map((c) => `${c.service}:${c.operation}`))].sort();
    expect([...RIGHTSIZE_IAM_ACTIONS].sort()).toEqual(called);
  });

  test('README names every action the rightsize policy needs', () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('- `rightsize --region'), readme.indexOf('## Policy packs'));
    expect(RIGHTSIZE_IAM_ACTIONS.filter((a) => !section.includes(`\`${a}\``))).toEqual([]);
  });

  test('every action exists in the Service Authorization Reference, none is a wildcard or a write', () => {
    expect(RIGHTSIZE_IAM_ACTIONS.filter((a) => !iamActionKnown(a))).toEqual([]);
    const verb = (a: string) => a.split(':')[1].match(/^[A-Z][a-z]+/)![0];
    expect([...new Set(RIGHTSIZE_IAM_ACTIONS.map(verb))].sort()).toEqual(['Describe', 'Get', 'List']);
    expect(rightsizePolicyDocument().Statement[0]).toMatchObject({ Effect: 'Allow', Resource: '*' });
  });
});

describe('isQualityAlarm', () => {
  test.each([
    [{ AlarmName: 'x', Namespace: 'ML/Drift' }, true],
    [{ AlarmName: 'x', Namespace: 'ML/ModelQuality' }, true],
    [{ AlarmName: 'x', Namespace: 'aws/sagemaker/Endpoints/model-metrics' }, true],
    [{ AlarmName: 'churn-drifted-share', Namespace: 'Custom' }, true],
    [
      {
        AlarmName: 'x',
        Metrics: [{ Id: 'm', MetricStat: { Metric: { Namespace: 'ML/Drift' }, Period: 60, Stat: 'Max' } }],
      },
      true,
    ],
    [{ AlarmName: 'cpu-high', Namespace: 'AWS/EC2' }, false],
  ])('%j -> %s', (alarm, expected) => {
    expect(isQualityAlarm(alarm)).toBe(expected);
  });
});
