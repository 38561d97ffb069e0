import { describe, expect, test } from 'vitest';
import { sizeUnits, smallerSizes } from '../../lib/rightsize/instance-sizes';
import { formatPeaks, recommendSize, SizingInput } from '../../lib/rightsize/recommend';
import { percentile, percentilesOf, periodFor } from '../../lib/rightsize/utilization';

describe('instance sizes (derived from the SDK enums of accepted instance types)', () => {
  test('sizes double from large; medium is half', () => {
    expect([sizeUnits('ml.t3.medium'), sizeUnits('ml.m5.large'), sizeUnits('ml.m5.xlarge')]).toEqual([
      0.5, 1, 2,
    ]);
    expect(sizeUnits('ml.m5.12xlarge')).toBe(24);
    expect(sizeUnits('not-a-type')).toBeUndefined();
  });

  test('smaller sizes of the same family, largest first, per use', () => {
    expect(smallerSizes('ml.m5.4xlarge', 'hosting')).toEqual([
      'ml.m5.2xlarge',
      'ml.m5.xlarge',
      'ml.m5.large',
    ]);
    expect(smallerSizes('ml.g5.2xlarge', 'training')).toEqual(['ml.g5.xlarge']);
    expect(smallerSizes('ml.m5.large', 'hosting')).toEqual([]);
    expect(smallerSizes('ml.zz9.xlarge', 'hosting')).toEqual([]);
  });
});

describe('percentiles', () => {
  test('nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i); // 1..100, unsorted
    expect(percentilesOf(values)).toEqual({ points: 100, p50: 50, p90: 90, p99: 99 });
    expect(percentile([], 0.5)).toBeNaN();
  });

  // CloudWatch keeps 5-minute points for 63 days, hourly ones for 455:
  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html
  test('5-minute periods within 63 days, hourly beyond', () => {
    expect(periodFor(14)).toBe(300);
    expect(periodFor(63)).toBe(300);
    expect(periodFor(90)).toBe(3600);
  });
});

const series = (p99: number, points = 300) => ({ points, p50: p99 / 2, p90: p99 * 0.9, p99 });

function input(over: Partial<SizingInput> = {}): SizingInput {
  return {
    instanceType: 'ml.m5.4xlarge',
    count: 4,
    utilization: { CPUUtilization: series(320), MemoryUtilization: series(20) },
    current: { instanceType: 'ml.m5.4xlarge', usdPerHour: 1.0, vcpus: 16, memoryGib: 64, gpus: 0 },
    smaller: [
      { instanceType: 'ml.m5.2xlarge', usdPerHour: 0.5, vcpus: 8, memoryGib: 32, gpus: 0 },
      { instanceType: 'ml.m5.xlarge', usdPerHour: 0.25, vcpus: 4, memoryGib: 16, gpus: 0 },
      { instanceType: 'ml.m5.large', usdPerHour: 0.125, vcpus: 2, memoryGib: 8, gpus: 0 },
    ],
    target: 0.7,
    minPoints: 288,
    mayReduceCount: true,
    mayChangeType: true,
    ...over,
  };
}

describe('recommendSize', () => {
  // CPUUtilization is the sum over vCPUs (16 vCPUs: 0-1600 %):
  // https://docs.aws.amazon.com/sagemaker/latest/dg/monitoring-cloudwatch.html
  test('CPU is divided by the vCPUs: 320 % of 16 vCPUs is a 20 % peak', () => {
    const s = recommendSize(input({ mayReduceCount: false, mayChangeType: false }));
    expect(s).toEqual({ kind: 'right-sized', peaks: { cpu: 0.2, memory: 0.2 } });
  });

  test('picks the smallest type of the family that keeps every peak under target, and the larger saving', () => {
    // cpu 20 %, memory 20 %: xlarge (×4) gives 80 % > 70 %, 2xlarge (×2) gives 40 %.
    // Two instances cannot become fewer (AZ spread): the smaller type is the only saving.
    const s = recommendSize(input({ count: 2 }));
    expect(s).toMatchObject({ kind: 'resize', instanceType: 'ml.m5.2xlarge', count: 2, hourlySavingUsd: 1 });
    expect(s.kind === 'resize' && s.monthlySavingUsd).toBe(730);
    // Four: 4 -> 2 instances and 4 × 4xlarge -> 4 × 2xlarge both save $2/h; a tie keeps the type.
    expect(recommendSize(input())).toMatchObject({ kind: 'resize', instanceType: 'ml.m5.4xlarge', count: 2 });
  });

  test('fewer instances when the type may not change, never fewer than two', () => {
    const s = recommendSize(input({ mayChangeType: false }));
    // 4 × 20 % / 70 % = 1.14 -> 2 instances (the AZ-spread floor)
    expect(s).toMatchObject({ kind: 'resize', instanceType: 'ml.m5.4xlarge', count: 2, hourlySavingUsd: 2 });
    const busy = recommendSize(
      input({
        mayChangeType: false,
        utilization: { CPUUtilization: series(800), MemoryUtilization: series(20) },
      }),
    );
    // 4 × 50 % / 70 % = 2.86 -> 3
    expect(busy).toMatchObject({ kind: 'resize', count: 3 });
  });

  test('a single instance stays one; fewer instances needs memory under target too', () => {
    expect(recommendSize(input({ count: 1, mayChangeType: false })).kind).toBe('right-sized');
    const memoryBound = input({
      mayChangeType: false,
      utilization: { CPUUtilization: series(100), MemoryUtilization: series(90) },
    });
    expect(recommendSize(memoryBound).kind).toBe('right-sized');
  });

  test('too few data points is not evaluated, with the metric and the count', () => {
    const s = recommendSize(input({ utilization: { CPUUtilization: series(10, 12) } }));
    expect(s).toEqual({
      kind: 'not-evaluated',
      reason:
        'too few data points: CPUUtilization: 12 data points (need at least 288); MemoryUtilization: 0 data points (need at least 288)',
    });
  });

  test('no vCPU count in the Price List: not evaluated', () => {
    const s = recommendSize(input({ current: { instanceType: 'ml.m5.4xlarge', usdPerHour: 1 } }));
    expect(s.kind === 'not-evaluated' && s.reason).toMatch(/no vCPU count for ml\.m5\.4xlarge/);
  });

  test('a candidate without listed capacity is never recommended', () => {
    const s = recommendSize(
      input({ mayReduceCount: false, smaller: [{ instanceType: 'ml.m5.2xlarge', usdPerHour: 0.5 }] }),
    );
    expect(s.kind).toBe('right-sized');
  });

  test('unknown prices: still recommended, saving unknown, fewer instances preferred', () => {
    const s = recommendSize(
      input({
        current: { instanceType: 'ml.m5.4xlarge', vcpus: 16, memoryGib: 64 },
        smaller: input().smaller.map((c) => ({ ...c, usdPerHour: undefined })),
      }),
    );
    expect(s).toMatchObject({ kind: 'resize', instanceType: 'ml.m5.4xlarge', count: 2 });
    expect(s.kind === 'resize' && s.monthlySavingUsd).toBeUndefined();
  });

  test('GPU types need GPU data and divide by the GPUs', () => {
    const gpu = {
      instanceType: 'ml.g5.12xlarge',
      count: 1,
      current: { instanceType: 'ml.g5.12xlarge', usdPerHour: 7, vcpus: 48, memoryGib: 192, gpus: 4 },
      smaller: [{ instanceType: 'ml.g5.8xlarge', usdPerHour: 3, vcpus: 32, memoryGib: 128, gpus: 1 }],
    };
    expect(recommendSize(input({ ...gpu })).kind).toBe('not-evaluated');
    const low = recommendSize(
      input({
        ...gpu,
        utilization: {
          CPUUtilization: series(480),
          MemoryUtilization: series(20),
          GPUUtilization: series(80), // 4 GPUs: 20 %, ×4 on one GPU = 80 % > 70 %
          GPUMemoryUtilization: series(40),
        },
      }),
    );
    expect(low).toEqual({ kind: 'right-sized', peaks: { cpu: 0.1, memory: 0.2, gpu: 0.2, gpuMemory: 0.1 } });
    const idle = recommendSize(
      input({
        ...gpu,
        utilization: {
          CPUUtilization: series(480),
          MemoryUtilization: series(20),
          GPUUtilization: series(40),
          GPUMemoryUtilization: series(40),
        },
      }),
    );
    expect(idle).toMatchObject({ kind: 'resize', instanceType: 'ml.g5.8xlarge', hourlySavingUsd: 4 });
    expect(formatPeaks({ cpu: 0.1, memory: 0.2, gpu: 0.1, gpuMemory: 0.1 })).toBe(
      'cpu 10%, memory 20%, gpu 10%, gpu memory 10%',
    );
  });
});
