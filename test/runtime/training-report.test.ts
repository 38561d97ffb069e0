import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import {
  interruptionsOf,
  reportJob,
  spotSavings,
  summarize,
  trainingReport,
} from '../../lib/runtime/training-report';
import { AwsFake, awsError, pageOutput, startAwsFake } from '../support/aws-fake';

const t = (status: string) => ({ Status: status, StartTime: 1_700_000_000 });

describe('training report logic', () => {
  it('computes spot savings as 1 - billable / training', () => {
    expect(spotSavings(1000, 300)).toBeCloseTo(0.7);
    expect(spotSavings(1000, 1000)).toBe(0);
    expect(spotSavings(0, 0)).toBeUndefined();
    expect(spotSavings(undefined, 10)).toBeUndefined();
    expect(spotSavings(100, 150)).toBe(0);
  });

  it('counts interruptions and training after one', () => {
    expect(
      interruptionsOf([t('Starting'), t('Training'), t('Interrupted'), t('Training'), t('Completed')]),
    ).toEqual({
      interruptions: 1,
      trainingAfterInterruption: true,
    });
    expect(interruptionsOf([t('Starting'), t('Training'), t('Interrupted'), t('Stopped')])).toEqual({
      interruptions: 1,
      trainingAfterInterruption: false,
    });
    expect(interruptionsOf(undefined)).toEqual({ interruptions: 0, trainingAfterInterruption: false });
  });

  it('counts a resume only with a checkpoint config', () => {
    const transitions = [t('Training'), t('Interrupted'), t('Training')];
    const base = {
      TrainingJobName: 'j',
      EnableManagedSpotTraining: true,
      TrainingTimeInSeconds: 100,
      BillableTimeInSeconds: 40,
    };
    expect(
      reportJob({
        ...base,
        SecondaryStatusTransitions: transitions,
        CheckpointConfig: { S3Uri: 's3://b/c/' },
      }).resumedFromCheckpoint,
    ).toBe(true);
    expect(reportJob({ ...base, SecondaryStatusTransitions: transitions }).resumedFromCheckpoint).toBe(false);
  });

  it('reports on-demand jobs as saving nothing and weights the overall saving by time', () => {
    const spot = reportJob({
      TrainingJobName: 'a',
      EnableManagedSpotTraining: true,
      TrainingTimeInSeconds: 900,
      BillableTimeInSeconds: 300,
    });
    const demand = reportJob({
      TrainingJobName: 'b',
      EnableManagedSpotTraining: false,
      TrainingTimeInSeconds: 100,
      BillableTimeInSeconds: 100,
    });
    expect(demand.spotSavings).toBe(0);
    expect(summarize([spot, demand]).overallSpotSavings).toBeCloseTo(0.6);
  });
});

describe('trainingReport through the SDK', () => {
  let fake: AwsFake;
  beforeAll(async () => {
    fake = await startAwsFake();
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => fake.reset());

  const jobs: Record<string, Record<string, unknown>> = {};
  for (let i = 0; i < 7; i++) {
    jobs[`job-${i}`] = {
      TrainingJobName: `job-${i}`,
      TrainingJobArn: `arn:aws:sagemaker:eu-west-1:111111111111:training-job/job-${i}`,
      TrainingJobStatus: 'Completed',
      CreationTime: 1_700_000_000 + i,
      EnableManagedSpotTraining: i % 2 === 0,
      TrainingTimeInSeconds: 1000,
      BillableTimeInSeconds: i % 2 === 0 ? 250 : 1000,
      CheckpointConfig:
        i === 0 ? { S3Uri: 's3://artifacts/checkpoints/p/e/', LocalPath: '/opt/ml/checkpoints' } : undefined,
      SecondaryStatusTransitions:
        i === 0
          ? [t('Starting'), t('Training'), t('Interrupted'), t('Training'), t('Completed')]
          : [t('Training'), t('Completed')],
    };
  }

  function serve() {
    const summaries = Object.values(jobs).map((j) => ({
      TrainingJobName: j.TrainingJobName,
      TrainingJobArn: j.TrainingJobArn,
      CreationTime: j.CreationTime,
      TrainingJobStatus: j.TrainingJobStatus,
    }));
    fake.on('sagemaker', 'ListTrainingJobs', (input) =>
      pageOutput('TrainingJobSummaries', summaries, input, { pageSize: 3 }),
    );
    fake.on('sagemaker', 'DescribeTrainingJob', (input) => {
      const job = jobs[String(input.TrainingJobName)];
      if (!job) throw awsError(400, 'ResourceNotFound', 'Requested resource not found');
      return job;
    });
  }

  it('lists a time window across pages and describes every job', async () => {
    serve();
    const client = new SageMakerClient(fake.clientConfig());
    const report = await trainingReport(client, { createdAfter: new Date(1_699_000_000_000) });
    expect(report.jobs.map((j) => j.trainingJobName)).toEqual(Object.keys(jobs));
    expect(fake.callsTo('sagemaker', 'ListTrainingJobs').length).toBe(3);
    expect(fake.callsTo('sagemaker', 'ListTrainingJobs')[0].input).toMatchObject({
      CreationTimeAfter: 1_699_000_000,
    });
    expect(report.jobs[0]).toMatchObject({
      managedSpot: true,
      spotSavings: 0.75,
      interruptions: 1,
      resumedFromCheckpoint: true,
    });
    expect(report.jobs[1]).toMatchObject({
      managedSpot: false,
      spotSavings: 0,
      resumedFromCheckpoint: false,
    });
    // 4 spot jobs at 250 of 1000 s, 3 on-demand at 1000 s: 1 - 4000/7000.
    expect(report.overallSpotSavings).toBeCloseTo(1 - 4000 / 7000);
    fake.assertAllHandled();
  });

  it('reports named jobs and survives throttling and server errors', async () => {
    serve();
    fake.faults({ throttleRate: 0.3, serverErrorRate: 0.1, seed: 7 });
    const client = new SageMakerClient(fake.clientConfig({ maxAttempts: 10 }));
    const report = await trainingReport(client, { jobNames: ['job-2', 'job-0'] }, { concurrency: 1 });
    expect(report.jobs.map((j) => j.trainingJobName)).toEqual(['job-2', 'job-0']);
    expect(fake.calls.some((c) => c.fault !== undefined)).toBe(true);
    expect(fake.callsTo('sagemaker', 'ListTrainingJobs')).toHaveLength(0);
  });

  it('surfaces an unknown job as the SDK error', async () => {
    serve();
    const client = new SageMakerClient(fake.clientConfig());
    await expect(trainingReport(client, { jobNames: ['missing'] })).rejects.toMatchObject({
      name: 'ResourceNotFound',
    });
  });
});
