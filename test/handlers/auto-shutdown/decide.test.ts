import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../../lib/handlers/auto-shutdown/config';
import {
  appGate,
  decideApp,
  decideEndpointInvocations,
  decideNotebook,
  endpointEligibility,
  isExempt,
  notebookStatusGate,
  restoreInput,
  restoreInputs,
  restoreTags,
} from '../../../lib/handlers/auto-shutdown/decide';
import { summarizeReport, SweepReport } from '../../../lib/handlers/auto-shutdown/report';
import { isAlreadyDone, mapLimit } from '../../../lib/handlers/auto-shutdown/sweep';

const NOW = new Date('2025-03-04T12:00:00Z');
const ago = (min: number) => new Date(NOW.getTime() - min * 60_000);
const cfg = (env: Record<string, string> = {}, event: unknown = {}) => parseConfig(env, event);

describe('parseConfig', () => {
  it('has safe defaults: dry run, cap 10, 2 h idle, 24 h endpoints, 12 h app age, standard tags', () => {
    expect(cfg()).toEqual({
      mode: 'idle-sweep',
      dryRun: true,
      maxActionsPerRun: 10,
      idleThresholdMinutes: 120,
      endpointIdleThresholdMinutes: 1440,
      studioMaxAppAgeMinutes: 720,
      exemptionTagKey: 'auto-shutdown:exempt',
      environmentTagKey: 'environment',
      productionValues: ['prod', 'production'],
      targets: ['notebooks', 'studio', 'endpoints'],
      studioAppTypes: ['JupyterLab', 'CodeEditor', 'KernelGateway'],
      maxAttempts: 8,
      requestTimeoutMs: 10_000,
      concurrency: 8,
    });
  });
  it('reads every setting from the environment', () => {
    const c = cfg(
      {
        AUTO_SHUTDOWN_DRY_RUN: 'false',
        AUTO_SHUTDOWN_MAX_ACTIONS: '3',
        AUTO_SHUTDOWN_IDLE_MINUTES: '30',
        AUTO_SHUTDOWN_ENDPOINT_IDLE_MINUTES: '120',
        AUTO_SHUTDOWN_EXEMPTION_TAG_KEY: 'keep',
        AUTO_SHUTDOWN_ENVIRONMENT_TAG_KEY: 'stage',
        AUTO_SHUTDOWN_PRODUCTION_VALUES: 'Live, prd',
        AUTO_SHUTDOWN_TARGETS: 'endpoints',
        AUTO_SHUTDOWN_STUDIO_APP_TYPES: 'JupyterServer',
      },
      { mode: 'off-hours' },
    );
    expect(c).toMatchObject({
      mode: 'off-hours',
      dryRun: false,
      maxActionsPerRun: 3,
      idleThresholdMinutes: 30,
      endpointIdleThresholdMinutes: 120,
      exemptionTagKey: 'keep',
      environmentTagKey: 'stage',
      productionValues: ['live', 'prd'],
      targets: ['endpoints'],
      studioAppTypes: ['JupyterServer'],
    });
  });
  it.each([
    [
      { AUTO_SHUTDOWN_MAX_ACTIONS: '-1' },
      'AUTO_SHUTDOWN_MAX_ACTIONS: is out of range (got "-1"; expected an integer >= 0 and <= 1000)',
    ],
    [{ AUTO_SHUTDOWN_DRY_RUN: 'yes' }, 'AUTO_SHUTDOWN_DRY_RUN: is not a boolean'],
    [{ AUTO_SHUTDOWN_TARGETS: 'notebooks,ec2' }, 'AUTO_SHUTDOWN_TARGETS: has unknown targets (got ["ec2"]'],
    [{ AUTO_SHUTDOWN_PRODUCTION_VALUES: ' , ' }, 'AUTO_SHUTDOWN_PRODUCTION_VALUES: is empty'],
  ])('rejects %j', (env, message) => {
    expect(() => cfg(env)).toThrow(ConfigError);
    expect(() => cfg(env)).toThrow(message);
  });
});

describe('decisions', () => {
  const idle = cfg({ AUTO_SHUTDOWN_DRY_RUN: 'false' });
  const offHours = cfg({}, { mode: 'off-hours' });

  it('exemption: only the value true, any case', () => {
    expect(isExempt({ 'auto-shutdown:exempt': 'True ' }, 'auto-shutdown:exempt')).toBe(true);
    expect(isExempt({ 'auto-shutdown:exempt': 'false' }, 'auto-shutdown:exempt')).toBe(false);
    expect(isExempt({}, 'auto-shutdown:exempt')).toBe(false);
  });

  it('notebooks: only InService ones are considered', () => {
    expect(notebookStatusGate('InService')).toBeUndefined();
    expect(notebookStatusGate('Stopping')).toEqual({ act: false, reason: 'status is Stopping' });
  });

  it('notebooks: idle from the later of the activity tag and the last start', () => {
    const tags = (min: number) => ({ 'auto-shutdown:last-activity': ago(min).toISOString() });
    expect(decideNotebook({ tags: tags(121) }, idle, NOW)).toEqual({
      act: true,
      reason: 'idle for 121 min (threshold 120 min)',
    });
    expect(decideNotebook({ tags: tags(119) }, idle, NOW).act).toBe(false);
    expect(decideNotebook({ tags: tags(500), lastModified: ago(10) }, idle, NOW)).toEqual({
      act: false,
      reason: 'active 10 min ago (threshold 120 min)',
    });
    expect(decideNotebook({ tags: {} }, idle, NOW).reason).toMatch(/^no idle signal/);
    expect(decideNotebook({ tags: { 'auto-shutdown:last-activity': 'soon' } }, idle, NOW).reason).toMatch(
      /is not a timestamp/,
    );
    expect(decideNotebook({ tags: {} }, offHours, NOW)).toEqual({ act: true, reason: 'off-hours' });
    expect(decideNotebook({ tags: { 'auto-shutdown:exempt': 'true' } }, offHours, NOW).act).toBe(false);
  });

  it('apps: type and status gate; JupyterServer only when configured', () => {
    expect(appGate({ type: 'JupyterServer', status: 'InService' }, idle)?.reason).toBe(
      'app type JupyterServer is not swept',
    );
    expect(
      appGate(
        { type: 'JupyterServer', status: 'InService' },
        cfg({ AUTO_SHUTDOWN_STUDIO_APP_TYPES: 'JupyterServer' }),
      ),
    ).toBeUndefined();
    expect(appGate({ type: 'JupyterLab', status: 'Deleting' }, idle)?.reason).toBe('status is Deleting');
  });

  it('apps: max age, real user activity, health-check-only activity counts as none', () => {
    expect(decideApp({ tags: {}, created: ago(721), lastUserActivity: ago(1) }, idle, NOW).reason).toBe(
      'older than 720 min (age 721 min)',
    );
    expect(
      decideApp(
        { tags: {}, created: ago(300), lastUserActivity: ago(30), lastHealthCheck: ago(5) },
        idle,
        NOW,
      ),
    ).toEqual({
      act: false,
      reason: 'active 30 min ago (threshold 120 min)',
    });
    expect(
      decideApp(
        { tags: {}, created: ago(300), lastUserActivity: ago(130), lastHealthCheck: ago(5) },
        idle,
        NOW,
      ).act,
    ).toBe(true);
    // Equal timestamps: a health check without user activity; idle since creation.
    expect(
      decideApp(
        { tags: {}, created: ago(200), lastUserActivity: ago(5), lastHealthCheck: ago(5) },
        idle,
        NOW,
      ),
    ).toEqual({
      act: true,
      reason: 'no user activity recorded for 200 min (threshold 120 min)',
    });
    expect(decideApp({ tags: {}, created: ago(60) }, idle, NOW).act).toBe(false);
    expect(decideApp({ tags: { 'auto-shutdown:exempt': 'true' }, created: ago(6000) }, idle, NOW).act).toBe(
      false,
    );
  });

  it('endpoints: never untagged, prod (any case), exempt, or recently changed', () => {
    const old = ago(3000);
    expect(endpointEligibility({ tags: {}, lastModified: old }, idle, NOW).reason).toBe('no environment tag');
    expect(
      endpointEligibility({ tags: { environment: ' PRODUCTION' }, lastModified: old }, idle, NOW).act,
    ).toBe(false);
    expect(
      endpointEligibility(
        { tags: { environment: 'dev', 'auto-shutdown:exempt': 'true' }, lastModified: old },
        idle,
        NOW,
      ).act,
    ).toBe(false);
    expect(endpointEligibility({ tags: { environment: 'dev' }, lastModified: ago(60) }, idle, NOW).act).toBe(
      false,
    );
    expect(endpointEligibility({ tags: { environment: 'dev' }, lastModified: old }, idle, NOW)).toEqual({
      act: true,
      reason: 'non-production (environment=dev)',
    });
    expect(decideEndpointInvocations(0, idle).act).toBe(true);
    expect(decideEndpointInvocations(1, idle).act).toBe(false);
  });

  it('restore tags round-trip, stay within tag limits and drop aws: tags', () => {
    const tags = Object.fromEntries(
      Array.from({ length: 20 }, (_, i) => [`key-${i}`, `value with spaces ${i} {"json"}`]),
    );
    const written = restoreTags('ep', { ...tags, 'aws:cloudformation:stack-name': 's' }, NOW);
    for (const t of written) {
      expect(t.Value.length).toBeLessThanOrEqual(256);
      expect(t.Value).toMatch(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u);
    }
    expect(written.length).toBeGreaterThan(3);
    for (const t of written) expect(t.Key.length).toBeLessThanOrEqual(128);
    const map = Object.fromEntries(written.map((t) => [t.Key, t.Value]));
    const back = restoreInput('cfg', map, 'ep');
    expect(back?.Tags).toEqual(Object.entries(tags).map(([Key, Value]) => ({ Key, Value })));
    expect(restoreInput('cfg', {}, 'ep')).toBeUndefined();
    expect(restoreInput('cfg', map, 'other')).toBeUndefined();
  });

  it('restore tags are keyed by endpoint name, and a later, shorter record ignores stale chunks', () => {
    // 63 characters: the longest endpoint name; tag keys may have 128.
    // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_Tag.html
    const longName = `e${'x'.repeat(62)}`;
    const many = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`key-${i}`, `value ${i}`]));
    const first = Object.fromEntries(restoreTags(longName, many, NOW).map((t) => [t.Key, t.Value]));
    expect(Object.keys(first).every((k) => k.length <= 128 && k.includes(longName))).toBe(true);
    expect(Object.keys(first).length).toBeGreaterThan(2);
    // Restored, tagged anew, idle again: the second record overwrites the first's keys.
    const second = {
      ...first,
      ...Object.fromEntries(restoreTags(longName, { team: 'a' }, NOW).map((t) => [t.Key, t.Value])),
    };
    expect(restoreInput('cfg', second, longName)?.Tags).toEqual([{ Key: 'team', Value: 'a' }]);
  });

  it('reads a restore record of the former single-endpoint format', () => {
    const legacy = {
      'auto-shutdown:deleted-endpoint': 'old-ep',
      'auto-shutdown:deleted-at': '2025-01-01T00:00:00Z',
      'auto-shutdown:endpoint-tags-0': Buffer.from(JSON.stringify({ team: 'x' })).toString('base64url'),
    };
    expect(restoreInput('cfg', legacy, 'old-ep')).toEqual({
      EndpointName: 'old-ep',
      EndpointConfigName: 'cfg',
      Tags: [{ Key: 'team', Value: 'x' }],
    });
    expect(
      restoreInputs('cfg', {
        ...legacy,
        ...Object.fromEntries(restoreTags('new-ep', {}, NOW).map((t) => [t.Key, t.Value])),
      }).map((r) => r.EndpointName),
    ).toEqual(['new-ep', 'old-ep']);
  });

  it('already-done errors are recognised; others are not', () => {
    const err = (name: string, message: string) => Object.assign(new Error(message), { name });
    expect(isAlreadyDone(err('ResourceNotFound', 'x'))).toBe(true);
    expect(isAlreadyDone(err('ValidationException', 'RecordNotFound'))).toBe(true);
    expect(isAlreadyDone(err('ValidationException', 'Could not find endpoint "x".'))).toBe(true);
    expect(isAlreadyDone(err('ValidationException', 'Status (Stopping) not in ([InService]).'))).toBe(true);
    expect(isAlreadyDone(err('ValidationException', 'bad name'))).toBe(false);
    expect(isAlreadyDone(err('AccessDeniedException', 'not found'))).toBe(false);
  });

  it('mapLimit keeps at most `limit` in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    await mapLimit([...Array(20).keys()], 3, async () => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setTimeout(r, 1));
      inFlight--;
    });
    expect(peak).toBe(3);
  });

  it('summarizeReport keeps acted and failed, trims skipped', () => {
    const report = {
      skipped: Array.from({ length: 150 }, (_, i) => ({ resource: `r${i}`, reason: 'x' })),
      acted: [],
      failed: [],
    } as unknown as SweepReport;
    const s = summarizeReport(report);
    expect(s.skipped).toHaveLength(100);
    expect(s.skippedTruncated).toBe(true);
  });
});
