import {
  GenerateServiceLastAccessedDetailsCommand,
  GetServiceLastAccessedDetailsCommand,
  GetServiceLastAccessedDetailsCommandOutput,
  IAMClient,
  paginateListUsers,
  ServiceLastAccessed,
  User,
} from '@aws-sdk/client-iam';
import { isFatal, messageOf } from './errors';
import { Limiter, mapLimited } from './limit';

/** Default of `AuditOptions.staleSageMakerDays`: Prowler's `max_unused_sagemaker_access_days`. */
export const DEFAULT_STALE_SAGEMAKER_DAYS = 90;

/** How the last-accessed report jobs are polled. */
export interface LastAccessedPolling {
  /** Milliseconds between two GetServiceLastAccessedDetails calls of one job. */
  readonly intervalMs: number;
  /** GetServiceLastAccessedDetails calls per job before it is reported "not checked". */
  readonly maxPolls: number;
}

/** Default polling: every 2 s, for at most a minute per user. */
export const DEFAULT_LAST_ACCESSED_POLLING: LastAccessedPolling = { intervalMs: 2000, maxPolls: 30 };

/** The verdict on one IAM user's SageMaker access. */
export type SageMakerAccess =
  /** The user's policies grant no SageMaker action (IAM lists no `sagemaker` namespace). */
  | { readonly kind: 'no-permission' }
  /** Used within the threshold. */
  | { readonly kind: 'recent'; readonly days: number }
  /** Granted and never used in IAM's tracking period. */
  | { readonly kind: 'never-used' }
  /** Granted and last used more than `threshold` days ago. */
  | { readonly kind: 'stale'; readonly days: number };

/**
 * Judges one user's service-last-accessed entries as Prowler's iam_user_access_not_stale_to_sagemaker
 * does: IAM lists every service the user's policies allow; a `sagemaker` entry without
 * `LastAuthenticated` was never used, one older than `thresholdDays` whole days is stale.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_last-accessed.html
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_ServiceLastAccessed.html
 */
export function sageMakerAccess(
  services: readonly ServiceLastAccessed[],
  now: Date,
  thresholdDays: number,
): SageMakerAccess {
  const sm = services.find((s) => s.ServiceNamespace === 'sagemaker');
  if (!sm) return { kind: 'no-permission' };
  if (!sm.LastAuthenticated) return { kind: 'never-used' };
  const days = Math.floor((now.getTime() - sm.LastAuthenticated.getTime()) / 86_400_000);
  return days > thresholdDays ? { kind: 'stale', days } : { kind: 'recent', days };
}

/** One user's result: a verdict, or why it could not be read. */
export type UserAccessResult =
  | { readonly user: User; readonly access: SageMakerAccess }
  | { readonly user: User; readonly problem: string };

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Generates a service-level last-accessed report for `arn`, polls it until IAM completes it (at
 * most `polling.maxPolls` reads), and returns every page of its services. A job that fails, or
 * does not complete within the bound, is a problem string: the user is "not checked", never
 * silently passed.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_GenerateServiceLastAccessedDetails.html
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetServiceLastAccessedDetails.html
 */
export async function lastAccessedServices(
  iam: IAMClient,
  arn: string,
  polling: LastAccessedPolling,
): Promise<ServiceLastAccessed[] | string> {
  const job = await iam.send(
    new GenerateServiceLastAccessedDetailsCommand({ Arn: arn, Granularity: 'SERVICE_LEVEL' }),
  );
  const jobId = job.JobId;
  if (!jobId) return 'GenerateServiceLastAccessedDetails returned no JobId';
  let page: GetServiceLastAccessedDetailsCommandOutput | undefined;
  for (let poll = 0; poll < polling.maxPolls; poll++) {
    if (poll > 0) await sleep(polling.intervalMs);
    page = await iam.send(new GetServiceLastAccessedDetailsCommand({ JobId: jobId }));
    if (page.JobStatus !== 'IN_PROGRESS') break;
  }
  if (!page || page.JobStatus === 'IN_PROGRESS') {
    return `last-accessed job ${jobId} did not complete within ${polling.maxPolls} polls`;
  }
  if (page.JobStatus !== 'COMPLETED') {
    return `last-accessed job ${jobId} ${String(page.JobStatus ?? 'without status')}${page.Error?.Message ? ` (${page.Error.Message})` : ''}`;
  }
  const services = [...(page.ServicesLastAccessed ?? [])];
  while (page.IsTruncated && page.Marker) {
    page = await iam.send(new GetServiceLastAccessedDetailsCommand({ JobId: jobId, Marker: page.Marker }));
    services.push(...(page.ServicesLastAccessed ?? []));
  }
  return services;
}

/**
 * Every IAM user of the account (ListUsers, paginated) with the verdict on its SageMaker access.
 * Users are read with bounded concurrency; a user whose report could not be read is returned with
 * the reason, so the caller reports it as not checked. Missing credentials and unreachable
 * endpoints still stop the audit.
 */
export async function sageMakerAccessOfUsers(
  iam: IAMClient,
  limit: Limiter,
  now: Date,
  thresholdDays: number,
  polling: LastAccessedPolling,
): Promise<UserAccessResult[]> {
  const users: User[] = [];
  for await (const page of paginateListUsers({ client: iam }, {})) users.push(...(page.Users ?? []));
  return mapLimited(limit, users, async (user): Promise<UserAccessResult> => {
    if (!user.Arn) return { user, problem: 'ListUsers returned no Arn' };
    try {
      const services = await lastAccessedServices(iam, user.Arn, polling);
      if (typeof services === 'string') return { user, problem: services };
      return { user, access: sageMakerAccess(services, now, thresholdDays) };
    } catch (err) {
      if (isFatal(err)) throw err;
      return { user, problem: messageOf(err) };
    }
  });
}
