import type { SweepConfig } from './config';
import {
  DELETED_TAG_PREFIX,
  ENDPOINT_TAGS_TAG_PREFIX,
  LAST_ACTIVITY_TAG,
  LEGACY_RESTORE_TAGS,
} from './contract';

/** Tags of one resource, by key. */
export type TagMap = Readonly<Record<string, string>>;

/** What to do with one resource, and why. */
export interface Decision {
  /** Whether the resource is stopped or deleted. */
  readonly act: boolean;
  /** Why, for the run report. */
  readonly reason: string;
}

const act = (reason: string): Decision => ({ act: true, reason });
const skip = (reason: string): Decision => ({ act: false, reason });

const MINUTE = 60_000;

function minutesSince(now: Date, then: Date): number {
  return Math.floor((now.getTime() - then.getTime()) / MINUTE);
}

/** Whether a resource carries the exemption tag with value `true` (case-insensitive value). */
export function isExempt(tags: TagMap, exemptionTagKey: string): boolean {
  return (tags[exemptionTagKey] ?? '').trim().toLowerCase() === 'true';
}

/**
 * Decides on a notebook instance from its status alone, before its tags are read: anything not
 * `InService` is left alone (stopped, stopping, pending, updating, failed, deleting), which is
 * what makes a second run idempotent.
 */
export function notebookStatusGate(status: string | undefined): Decision | undefined {
  if (status === 'InService') return undefined;
  return skip(`status is ${status ?? 'unknown'}`);
}

/**
 * Decides whether to stop an `InService` notebook instance.
 *
 * Idle time counts from the later of the `auto-shutdown:last-activity` tag (written by the idle
 * check of the lifecycle config) and the instance's last modification (its start), so a freshly
 * restarted instance is not judged by the activity of its previous session. Without the tag the
 * instance has no idle signal and is only stopped at off-hours.
 */
export function decideNotebook(
  nb: { readonly tags: TagMap; readonly lastModified?: Date },
  config: SweepConfig,
  now: Date,
): Decision {
  if (isExempt(nb.tags, config.exemptionTagKey)) return skip(`exempt (${config.exemptionTagKey}=true)`);
  if (config.mode === 'off-hours') return act('off-hours');
  const raw = nb.tags[LAST_ACTIVITY_TAG];
  if (raw === undefined)
    return skip(`no idle signal (${LAST_ACTIVITY_TAG} tag missing: lifecycle config not attached)`);
  const activity = new Date(raw);
  if (Number.isNaN(activity.getTime()))
    return skip(`no idle signal (${LAST_ACTIVITY_TAG} is not a timestamp: ${raw})`);
  const last = nb.lastModified && nb.lastModified > activity ? nb.lastModified : activity;
  const idle = minutesSince(now, last);
  if (idle >= config.idleThresholdMinutes)
    return act(`idle for ${idle} min (threshold ${config.idleThresholdMinutes} min)`);
  return skip(`active ${idle} min ago (threshold ${config.idleThresholdMinutes} min)`);
}

/** Decides on a Studio app from what `ListApps` returns, before `DescribeApp` and its tags. */
export function appGate(
  app: { readonly type?: string; readonly status?: string },
  config: SweepConfig,
): Decision | undefined {
  if (!app.type || !config.studioAppTypes.includes(app.type))
    return skip(`app type ${app.type ?? 'unknown'} is not swept`);
  if (app.status !== 'InService') return skip(`status is ${app.status ?? 'unknown'}`);
  return undefined;
}

/**
 * Decides whether to delete an `InService` Studio app.
 *
 * Deleted when older than the maximum age, or idle past the threshold. Activity is
 * `LastUserActivityTimestamp` when it differs from `LastHealthCheckTimestamp`; SageMaker sets the
 * two equal when a health check saw no user activity, so then (and when DescribeApp gives no
 * activity at all, e.g. an app with no kernels) the app counts as idle since it was created.
 */
export function decideApp(
  app: {
    readonly tags: TagMap;
    readonly created?: Date;
    readonly lastUserActivity?: Date;
    readonly lastHealthCheck?: Date;
  },
  config: SweepConfig,
  now: Date,
): Decision {
  if (isExempt(app.tags, config.exemptionTagKey)) return skip(`exempt (${config.exemptionTagKey}=true)`);
  if (config.mode === 'off-hours') return act('off-hours');
  if (app.created) {
    const age = minutesSince(now, app.created);
    if (age >= config.studioMaxAppAgeMinutes)
      return act(`older than ${config.studioMaxAppAgeMinutes} min (age ${age} min)`);
  }
  const user = app.lastUserActivity;
  const health = app.lastHealthCheck;
  const userActivity = user && (!health || user.getTime() !== health.getTime()) ? user : undefined;
  const since = userActivity ?? app.created;
  if (!since) return skip('no activity or creation time');
  const idle = minutesSince(now, since);
  const what = userActivity ? 'idle' : 'no user activity recorded';
  if (idle >= config.idleThresholdMinutes)
    return act(`${what} for ${idle} min (threshold ${config.idleThresholdMinutes} min)`);
  return skip(
    `${userActivity ? 'active' : 'created'} ${idle} min ago (threshold ${config.idleThresholdMinutes} min)`,
  );
}

/** Decides on an endpoint from its status (from `ListEndpoints`), before its tags. */
export function endpointStatusGate(status: string | undefined): Decision | undefined {
  if (status === 'InService') return undefined;
  return skip(`status is ${status ?? 'unknown'}`);
}

/**
 * Decides whether an `InService` endpoint may be considered for deletion, from its tags and age.
 * Never one without the environment tag, never a production one, never an exempt one, never one
 * changed within the idle window (its metrics would not cover the window).
 */
export function endpointEligibility(
  ep: { readonly tags: TagMap; readonly lastModified?: Date },
  config: SweepConfig,
  now: Date,
): Decision {
  if (isExempt(ep.tags, config.exemptionTagKey)) return skip(`exempt (${config.exemptionTagKey}=true)`);
  const env = ep.tags[config.environmentTagKey];
  if (env === undefined || env.trim() === '') return skip(`no ${config.environmentTagKey} tag`);
  if (config.productionValues.includes(env.trim().toLowerCase()))
    return skip(`production (${config.environmentTagKey}=${env})`);
  if (ep.lastModified && minutesSince(now, ep.lastModified) < config.endpointIdleThresholdMinutes) {
    return skip(`changed ${minutesSince(now, ep.lastModified)} min ago, within the idle window`);
  }
  return act(`non-production (${config.environmentTagKey}=${env})`);
}

/** Decides on an eligible endpoint from its summed invocations over the idle window. */
export function decideEndpointInvocations(invocations: number, config: SweepConfig): Decision {
  if (invocations > 0)
    return skip(`${invocations} invocations in the last ${config.endpointIdleThresholdMinutes} min`);
  return act(`no invocations for ${config.endpointIdleThresholdMinutes} min`);
}

/** A tag as SageMaker takes it. */
export interface Tag {
  readonly Key: string;
  readonly Value: string;
}

const CHUNK = 256;
const MAX_CHUNKS = 8;

/**
 * The tags written on an endpoint config before its endpoint is deleted: what restores it, keyed
 * by the endpoint's name, since several endpoints may share one config. The endpoint's own tags
 * (without `aws:` ones) travel as base64url JSON, since tag values admit neither braces nor
 * quotes, in chunks of 256 characters; more than 8 chunks are not recorded (the run report still
 * lists them). The record's first tag names how many chunks belong to it, so chunks left over
 * from an earlier, longer record of the same endpoint are ignored.
 *
 * Keys stay within SageMaker's 128 characters: the prefix, a name of at most 63 and a digit.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_Tag.html
 */
export function restoreTags(endpointName: string, endpointTags: TagMap, now: Date): Tag[] {
  const kept = Object.fromEntries(Object.entries(endpointTags).filter(([k]) => !k.startsWith('aws:')));
  const encoded = Buffer.from(JSON.stringify(kept), 'utf8').toString('base64url');
  const chunks: Tag[] = [];
  for (let i = 0; i * CHUNK < encoded.length; i++) {
    chunks.push({
      Key: `${ENDPOINT_TAGS_TAG_PREFIX}${endpointName}:${i}`,
      Value: encoded.slice(i * CHUNK, (i + 1) * CHUNK),
    });
  }
  const recorded = chunks.length <= MAX_CHUNKS ? chunks : [];
  const at = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return [{ Key: `${DELETED_TAG_PREFIX}${endpointName}`, Value: `${at} ${recorded.length}` }, ...recorded];
}

/** What restores a deleted endpoint: the input of `CreateEndpoint`. */
export interface RestoreInput {
  readonly EndpointName: string;
  readonly EndpointConfigName: string;
  readonly Tags: Tag[];
}

function decodeTags(chunks: readonly string[]): Tag[] {
  if (chunks.length === 0) return [];
  const tags = JSON.parse(Buffer.from(chunks.join(''), 'base64url').toString('utf8')) as Record<
    string,
    string
  >;
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

/**
 * Reads the restore record of one deleted endpoint back from its endpoint config's tags, as the
 * input of `CreateEndpoint`, or undefined when the config carries none for that endpoint. Reads
 * the former single-record format too.
 */
export function restoreInput(
  endpointConfigName: string,
  configTags: TagMap,
  endpointName: string,
): RestoreInput | undefined {
  const record = configTags[`${DELETED_TAG_PREFIX}${endpointName}`];
  if (record !== undefined) {
    const count = Number(record.split(' ')[1] ?? 0);
    const chunks: string[] = [];
    for (let i = 0; i < count; i++)
      chunks.push(configTags[`${ENDPOINT_TAGS_TAG_PREFIX}${endpointName}:${i}`] ?? '');
    return { EndpointName: endpointName, EndpointConfigName: endpointConfigName, Tags: decodeTags(chunks) };
  }
  if (configTags[LEGACY_RESTORE_TAGS.endpointName] !== endpointName) return undefined;
  const chunks: string[] = [];
  for (let i = 0; configTags[`${LEGACY_RESTORE_TAGS.tagsPrefix}${i}`] !== undefined; i++) {
    chunks.push(configTags[`${LEGACY_RESTORE_TAGS.tagsPrefix}${i}`]);
  }
  return { EndpointName: endpointName, EndpointConfigName: endpointConfigName, Tags: decodeTags(chunks) };
}

/** Every restore record on an endpoint config (one per deleted endpoint), sorted by endpoint name. */
export function restoreInputs(endpointConfigName: string, configTags: TagMap): RestoreInput[] {
  const names = new Set(
    Object.keys(configTags)
      .filter((k) => k.startsWith(DELETED_TAG_PREFIX))
      .map((k) => k.slice(DELETED_TAG_PREFIX.length)),
  );
  const legacy = configTags[LEGACY_RESTORE_TAGS.endpointName];
  if (legacy) names.add(legacy);
  return [...names]
    .sort()
    .map((n) => restoreInput(endpointConfigName, configTags, n))
    .filter((r): r is RestoreInput => r !== undefined);
}
