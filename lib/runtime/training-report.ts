import {
  DescribeTrainingJobCommand,
  paginateListTrainingJobs,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';

/**
 * Spot savings and checkpoint resumes per training job, from the SageMaker API (read-only:
 * ListTrainingJobs and DescribeTrainingJob). Used by the CLI's live audit and by tests.
 *
 * Savings: SageMaker bills managed spot jobs for `BillableTimeInSeconds` out of
 * `TrainingTimeInSeconds` at the on-demand rate, so the saving against on-demand is
 * `1 - BillableTimeInSeconds / TrainingTimeInSeconds` (the console's "managed spot training
 * savings"). On-demand jobs save 0.
 *
 * Resumed from a checkpoint (a heuristic; SageMaker reports no such flag): the job has a
 * `CheckpointConfig`, and its `SecondaryStatusTransitions` show an `Interrupted` status followed
 * later by `Training` again: spot capacity was reclaimed, and training restarted with the
 * checkpoints SageMaker had synced to S3. A job interrupted without a checkpoint config restarts
 * from scratch, so it does not count.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-managed-spot-training.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeTrainingJob.html
 */

/** One training job's spot report. */
export interface TrainingJobReport {
  readonly trainingJobName: string;
  readonly status: string;
  readonly managedSpot: boolean;
  /** Seconds the job trained (including time lost to interruptions). */
  readonly trainingSeconds: number | undefined;
  /** Seconds billed. */
  readonly billableSeconds: number | undefined;
  /** `1 - billable / training`, between 0 and 1; `undefined` when either time is unknown or training is 0. */
  readonly spotSavings: number | undefined;
  /** Whether a checkpoint location was configured. */
  readonly checkpointsConfigured: boolean;
  /** How many spot interruptions the job had. */
  readonly interruptions: number;
  /** Whether it resumed from a checkpoint after an interruption (see the module comment). */
  readonly resumedFromCheckpoint: boolean;
}

/** The whole report. */
export interface TrainingReport {
  readonly jobs: readonly TrainingJobReport[];
  /** Time-weighted saving across the jobs with known times: `1 - sum(billable) / sum(training)`. */
  readonly overallSpotSavings: number | undefined;
}

/** What to report on: named jobs, or the jobs created in a time window. */
export type TrainingReportQuery =
  | { readonly jobNames: readonly string[] }
  | { readonly createdAfter: Date; readonly createdBefore?: Date; readonly nameContains?: string };

/** The fields of DescribeTrainingJob the report reads (the SDK's output is assignable to it). */
export interface DescribedTrainingJob {
  readonly TrainingJobName?: string;
  readonly TrainingJobStatus?: string;
  readonly EnableManagedSpotTraining?: boolean;
  readonly TrainingTimeInSeconds?: number;
  readonly BillableTimeInSeconds?: number;
  readonly CheckpointConfig?: { readonly S3Uri?: string };
  readonly SecondaryStatusTransitions?: readonly { readonly Status?: string }[];
}

/** `1 - billable / training`, clamped to [0, 1]; `undefined` when it cannot be computed. */
export function spotSavings(
  trainingSeconds: number | undefined,
  billableSeconds: number | undefined,
): number | undefined {
  if (trainingSeconds === undefined || billableSeconds === undefined || trainingSeconds <= 0)
    return undefined;
  return Math.min(1, Math.max(0, 1 - billableSeconds / trainingSeconds));
}

/** How many times the transitions show `Interrupted`, and whether `Training` follows one. */
export function interruptionsOf(transitions: readonly { Status?: string }[] | undefined): {
  interruptions: number;
  trainingAfterInterruption: boolean;
} {
  let interruptions = 0;
  let trainingAfterInterruption = false;
  for (const t of transitions ?? []) {
    if (t.Status === 'Interrupted') interruptions += 1;
    else if (t.Status === 'Training' && interruptions > 0) trainingAfterInterruption = true;
  }
  return { interruptions, trainingAfterInterruption };
}

/** The report row of one described job (pure). */
export function reportJob(job: DescribedTrainingJob): TrainingJobReport {
  const { interruptions, trainingAfterInterruption } = interruptionsOf(job.SecondaryStatusTransitions);
  const checkpointsConfigured = Boolean(job.CheckpointConfig?.S3Uri);
  const managedSpot = job.EnableManagedSpotTraining === true;
  return {
    trainingJobName: job.TrainingJobName ?? '',
    status: job.TrainingJobStatus ?? 'Unknown',
    managedSpot,
    trainingSeconds: job.TrainingTimeInSeconds,
    billableSeconds: job.BillableTimeInSeconds,
    spotSavings: managedSpot
      ? spotSavings(job.TrainingTimeInSeconds, job.BillableTimeInSeconds)
      : job.TrainingTimeInSeconds
        ? 0
        : undefined,
    checkpointsConfigured,
    interruptions,
    resumedFromCheckpoint: checkpointsConfigured && trainingAfterInterruption,
  };
}

/** The overall saving of a set of rows (pure). */
export function summarize(jobs: readonly TrainingJobReport[]): TrainingReport {
  let training = 0;
  let billable = 0;
  for (const j of jobs) {
    if (j.trainingSeconds === undefined || j.billableSeconds === undefined) continue;
    training += j.trainingSeconds;
    billable += j.billableSeconds;
  }
  return { jobs, overallSpotSavings: spotSavings(training > 0 ? training : undefined, billable) };
}

/** Lists the names of the jobs a time-window query selects, following every page. */
async function listJobNames(
  client: SageMakerClient,
  q: Extract<TrainingReportQuery, { createdAfter: Date }>,
): Promise<string[]> {
  const names: string[] = [];
  const pages = paginateListTrainingJobs(
    { client, pageSize: 100 },
    { CreationTimeAfter: q.createdAfter, CreationTimeBefore: q.createdBefore, NameContains: q.nameContains },
  );
  for await (const page of pages) {
    for (const s of page.TrainingJobSummaries ?? []) if (s.TrainingJobName) names.push(s.TrainingJobName);
  }
  return names;
}

/**
 * Builds the report: lists the jobs (for a time window) and describes each, a few at a time so
 * that large windows do not trip the DescribeTrainingJob rate limit (the SDK retries throttles).
 */
export async function trainingReport(
  client: SageMakerClient,
  query: TrainingReportQuery,
  options: { readonly concurrency?: number } = {},
): Promise<TrainingReport> {
  const names = 'jobNames' in query ? [...query.jobNames] : await listJobNames(client, query);
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const rows: TrainingJobReport[] = new Array<TrainingJobReport>(names.length);
  let next = 0;
  const worker = async () => {
    while (next < names.length) {
      const i = next++;
      const job = await client.send(new DescribeTrainingJobCommand({ TrainingJobName: names[i] }));
      rows[i] = reportJob(job);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, names.length) }, worker));
  return summarize(rows);
}
