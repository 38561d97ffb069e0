import { KMSClient } from '@aws-sdk/client-kms';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { auditExitCode, runAudit } from '../../lib/audit/audit';
import { spotSavings } from '../../lib/audit/checks';
import { AuditClientFactory } from '../../lib/audit/clients';
import { AuditAbort, isAccessDenied, isCredentialsProblem, messageOf } from '../../lib/audit/errors';
import { createLimiter, mapLimited } from '../../lib/audit/limit';
import { AUDIT_CHECKS, AUDIT_RULE_IDS as R, AUDIT_RULES } from '../../lib/audit/rules';
import { Finding, Report } from '../../lib/report/finding';
import { writeSarif } from '../../lib/report/sarif';
import { AwsFake, awsError, startAwsFake } from '../support/aws-fake';
import { daysAgo, emptyWorld, fakeClients, keyArn, NOW, serve, standardWorld } from './world';

let fake: AwsFake;
beforeAll(async () => {
  fake = await startAwsFake();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => fake.reset());

const lines = (r: Report): string[] => r.findings.map((f) => `${f.findingId} @ ${f.logicalId}`).sort();
const audit = (extra: Partial<Parameters<typeof runAudit>[0]> = {}) =>
  runAudit({ region: 'eu-west-1', clientFactory: fakeClients(fake), now: NOW, ...extra });

describe('limiter', () => {
  test('never runs more than the limit at once, keeps order', async () => {
    const limit = createLimiter(3);
    let active = 0;
    let peak = 0;
    const out = await mapLimited(limit, [...Array(12).keys()], async (i) => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 2));
      active--;
      return i * 2;
    });
    expect(peak).toBe(3);
    expect(out).toEqual([...Array(12).keys()].map((i) => i * 2));
  });

  test('a rejected task frees its slot', async () => {
    const limit = createLimiter(1);
    await expect(limit(() => Promise.reject(new Error('x')))).rejects.toThrow('x');
    await expect(limit(() => Promise.resolve(1))).resolves.toBe(1);
  });
});

describe('pure logic', () => {
  test('spot savings: 1 - billable/training, clamped', () => {
    expect(spotSavings(3000, 1200)).toBeCloseTo(0.6);
    expect(spotSavings(100, 100)).toBe(0);
    expect(spotSavings(100, 150)).toBe(0);
    expect(spotSavings(0, 0)).toBe(0);
  });

  test('error classification', () => {
    expect(isAccessDenied({ name: 'AccessDeniedException' })).toBe(true);
    expect(isAccessDenied({ name: 'Whatever', $metadata: { httpStatusCode: 403 } })).toBe(true);
    expect(isAccessDenied({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } })).toBe(false);
    expect(isCredentialsProblem({ name: 'CredentialsProviderError' })).toBe(true);
    expect(isCredentialsProblem({ name: 'UnrecognizedClientException' })).toBe(true);
    expect(isCredentialsProblem({ name: 'AccessDeniedException' })).toBe(false);
    const e = Object.assign(new Error('User is not authorized\nmore'), { name: 'AccessDeniedException' });
    expect(messageOf(e)).toBe('AccessDeniedException: User is not authorized');
  });

  test('exit codes: 0 clean, 1 at or above fail-on, 2 when a check could not run', () => {
    const base: Report = {
      tool: { name: 'x', version: '0', command: 'audit' },
      findings: [],
      rules: [],
      inputs: ['r'],
      errors: [],
    };
    const warn = { ruleId: 'a', findingId: 'a', level: 'warning', pack: 'p', message: 'm' } as Finding;
    expect(auditExitCode(base, 'error')).toBe(0);
    expect(auditExitCode({ ...base, findings: [warn] }, 'error')).toBe(0);
    expect(auditExitCode({ ...base, findings: [warn] }, 'warning')).toBe(1);
    expect(auditExitCode({ ...base, findings: [{ ...warn, level: 'error' }] }, 'none')).toBe(0);
    expect(
      auditExitCode({ ...base, errors: [{ input: 'check keys', pack: 'keys', message: 'denied' }] }, 'none'),
    ).toBe(2);
  });

  test('every rule belongs to a check and has an explanation', () => {
    for (const r of AUDIT_RULES) {
      expect(AUDIT_CHECKS as readonly string[]).toContain(r.pack);
      expect(r.explanation?.length ?? 0).toBeGreaterThan(20);
    }
    expect(new Set(AUDIT_RULES.map((r) => r.id)).size).toBe(AUDIT_RULES.length);
  });
});

describe('runAudit through the SDK against the fake', () => {
  test('reports each problem of the standard world, and nothing on compliant resources', async () => {
    serve(fake, standardWorld());
    const report = await audit();
    expect(report.errors).toEqual([]);
    expect(lines(report)).toEqual(
      [
        `MLOps-SageMakerEndpointConfigDataCapture[DataCaptureConfig] @ no-capture`,
        `MLOps-SageMakerEndpointConfigDataCapture[KmsKeyId] @ plain-capture`,
        `MLOps-SageMakerEndpointConfigKMS @ no-kms`,
        // The synth rule has no serverless exemption; the audit reports what synth reports.
        `MLOps-SageMakerEndpointConfigKMS @ serverless`,
        `MLOps-SageMakerModelNetworkIsolation @ open`,
        `MLOps-SageMakerModelVpcConfig @ open`,
        `MLOps-SageMakerNotebookRootAccessDisabled @ defaults`,
        `MLOps-SageMakerNotebookIMDSv2 @ defaults`,
        `MLOps-SageMakerNotebookLifecycleConfig @ defaults`,
        `MLOps-SageMakerNotebookKMS @ defaults`,
        `MLOps-SageMakerNotebookVpc @ defaults`,
        `MLOps-SageMakerNotebookNoDirectInternet @ defaults`,
        `MLOps-SageMakerStudioDomainVpcOnly @ sandbox (d-open)`,
        `MLOps-SageMakerStudioDomainIdleShutdown @ sandbox (d-open)`,
        `MLOps-SageMakerStudioDomainKMS @ sandbox (d-open)`,
        `MLOps-SageMakerStudioDomainSsoAuth @ sandbox (d-open)`,
        `${R.endpointIdle} @ idle`,
        `${R.endpointUnmonitored} @ arn:aws:sagemaker:eu-west-1:111111111111:endpoint/idle`,
        `${R.endpointUnmonitored} @ arn:aws:sagemaker:eu-west-1:111111111111:endpoint/serverless-idle`,
        `${R.trainingSavings} @ spot-ckpt`,
        `MLOps-SageMakerPipelineTrainingSpotCheckpoints[TrainingJob.CheckpointConfig] @ spot-nockpt`,
        `${R.trainingSavings} @ spot-nockpt`,
        `${R.trainingSpot} @ on-demand`,
        `${R.keyPendingDeletion} @ ${keyArn('k-pending')}`,
        `${R.keyRotation} @ ${keyArn('k-norotate')}`,
      ].sort(),
    );
    expect(report.tool).toMatchObject({ name: 'compliant-mlops', command: 'audit' });
    expect(report.inputs).toEqual(['eu-west-1']);
    expect(report.packs).toEqual([...AUDIT_CHECKS]);
    expect(report.findings.every((f) => f.stack === 'eu-west-1')).toBe(true);
    fake.assertAllHandled();
  });

  test('pagination: every page of every list is read', async () => {
    const world = standardWorld();
    for (let i = 0; i < 7; i++) {
      world.models.push({
        ModelName: `extra-${i}`,
        EnableNetworkIsolation: true,
        VpcConfig: { SecurityGroupIds: ['sg'], Subnets: ['s'] },
      });
    }
    serve(fake, world, 2);
    const report = await audit();
    // 9 models at 2 a page = 5 pages; 5 endpoint configs = 3 pages.
    expect(fake.count('sagemaker', 'ListModels')).toBe(5);
    expect(fake.count('sagemaker', 'DescribeModel')).toBe(9);
    expect(fake.count('sagemaker', 'ListEndpointConfigs')).toBe(3);
    expect(fake.callsTo('sagemaker', 'ListModels').map((c) => c.input.NextToken)).toEqual([
      undefined,
      'aws-fake-page-2',
      'aws-fake-page-4',
      'aws-fake-page-6',
      'aws-fake-page-8',
    ]);
    expect(report.findings.filter((f) => f.ruleId === 'MLOps-SageMakerModelNetworkIsolation')).toHaveLength(
      1,
    );
  });

  test('shared lists are fetched once for all checks', async () => {
    serve(fake, standardWorld());
    await audit();
    expect(fake.count('sagemaker', 'ListEndpointConfigs')).toBe(3);
    expect(fake.count('sagemaker', 'DescribeEndpointConfig')).toBe(5);
    expect(fake.count('sagemaker', 'ListNotebookInstances')).toBe(1);
  });

  test('a key pending deletion is reported with its date and users, without a rotation call', async () => {
    serve(fake, standardWorld());
    const report = await audit({ checks: ['keys'] });
    const pending = report.findings.find((f) => f.ruleId === R.keyPendingDeletion)!;
    expect(pending).toMatchObject({
      level: 'error',
      pack: 'keys',
      resourceType: 'AWS::KMS::Key',
      logicalId: keyArn('k-pending'),
    });
    expect(pending.message).toBe(
      'Scheduled for deletion on 2026-03-20; used by endpoint config plain-capture.',
    );
    const rotationCalls = fake.callsTo('kms', 'GetKeyRotationStatus').map((c) => c.input.KeyId);
    expect(rotationCalls).not.toContain(keyArn('k-pending'));
  });

  test('keys named by id, ARN and alias are one key; AWS managed keys are skipped', async () => {
    serve(fake, standardWorld());
    const report = await audit({ checks: ['keys'] });
    expect(report.findings.filter((f) => f.logicalId === keyArn('k-good'))).toEqual([]);
    expect(
      fake
        .callsTo('kms', 'GetKeyRotationStatus')
        .map((c) => c.input.KeyId)
        .sort(),
    ).toEqual([keyArn('k-good'), keyArn('k-norotate')]);
    expect(report.findings.find((f) => f.ruleId === R.keyRotation)!.message).toBe(
      'Automatic rotation is off; used by notebook locked.',
    );
  });

  test('a referenced key that does not exist is unusable', async () => {
    const world = standardWorld();
    world.notebooks.push({
      NotebookInstanceName: 'orphan',
      RootAccess: 'Disabled',
      DirectInternetAccess: 'Disabled',
      KmsKeyId: keyArn('gone'),
    });
    serve(fake, world);
    const report = await audit({ checks: ['keys'] });
    expect(report.findings.find((f) => f.ruleId === R.keyUnusable)).toMatchObject({
      logicalId: keyArn('gone'),
    });
  });

  test('keys pending import or unavailable are unusable, like disabled ones', async () => {
    // Key states and what they allow: https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html
    const world = standardWorld();
    const meta = (id: string, extra: Record<string, unknown>) => ({
      KeyId: id,
      Arn: keyArn(id),
      KeyManager: 'CUSTOMER',
      KeySpec: 'SYMMETRIC_DEFAULT',
      ...extra,
    });
    world.keys[keyArn('k-import')] = meta('k-import', { KeyState: 'PendingImport', Origin: 'EXTERNAL' });
    world.keys[keyArn('k-hsm')] = meta('k-hsm', { KeyState: 'Unavailable', Origin: 'AWS_CLOUDHSM' });
    world.keys[keyArn('k-off')] = meta('k-off', { KeyState: 'Disabled', Origin: 'AWS_KMS' });
    world.notebooks.push(
      {
        NotebookInstanceName: 'nb-import',
        RootAccess: 'Disabled',
        DirectInternetAccess: 'Disabled',
        KmsKeyId: keyArn('k-import'),
      },
      {
        NotebookInstanceName: 'nb-hsm',
        RootAccess: 'Disabled',
        DirectInternetAccess: 'Disabled',
        KmsKeyId: keyArn('k-hsm'),
      },
      {
        NotebookInstanceName: 'nb-off',
        RootAccess: 'Disabled',
        DirectInternetAccess: 'Disabled',
        KmsKeyId: keyArn('k-off'),
      },
    );
    serve(fake, world);
    const report = await audit({ checks: ['keys'] });
    const unusable = Object.fromEntries(
      report.findings.filter((f) => f.ruleId === R.keyUnusable).map((f) => [f.logicalId, f.message]),
    );
    expect(unusable).toEqual({
      [keyArn('k-import')]: 'The key has no key material yet (PendingImport); used by notebook nb-import.',
      [keyArn('k-hsm')]:
        'The key is unavailable (Unavailable: its custom key store is disconnected); used by notebook nb-hsm.',
      [keyArn('k-off')]: 'The key is disabled; used by notebook nb-off.',
    });
    expect(fake.callsTo('kms', 'GetKeyRotationStatus').map((c) => c.input.KeyId)).not.toContain(
      keyArn('k-off'),
    );
  });

  test('an endpoint without capture', async () => {
    serve(fake, standardWorld());
    const report = await audit({ checks: ['endpoint-configs'] });
    expect(report.findings.find((f) => f.logicalId === 'no-capture')).toMatchObject({
      ruleId: 'MLOps-SageMakerEndpointConfigDataCapture',
      findingId: 'MLOps-SageMakerEndpointConfigDataCapture[DataCaptureConfig]',
      level: 'error',
      pack: 'endpoint-configs',
      resourceType: 'AWS::SageMaker::EndpointConfig',
      message:
        'The SageMaker endpoint config does not capture inference data encrypted with its own KMS key.',
    });
    // Capture explicitly switched off counts the same.
    fake.reset();
    const world = standardWorld();
    world.endpointConfigs = [
      {
        ...world.endpointConfigs[0],
        DataCaptureConfig: {
          EnableCapture: false,
          DestinationS3Uri: 's3://c/',
          InitialSamplingPercentage: 1,
          CaptureOptions: [{ CaptureMode: 'Input' }],
        },
      },
    ];
    serve(fake, world);
    expect(lines(await audit({ checks: ['endpoint-configs'] }))).toEqual([
      `MLOps-SageMakerEndpointConfigDataCapture[EnableCapture] @ good`,
      `MLOps-SageMakerEndpointConfigDataCapture[KmsKeyId] @ good`,
    ]);
  });

  test('idle endpoints: 30-day window, instance-hours a month, young and serverless endpoints skipped', async () => {
    serve(fake, standardWorld());
    const report = await audit({ checks: ['idle-endpoints'] });
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({
      ruleId: R.endpointIdle,
      level: 'warning',
      logicalId: 'idle',
      message: 'No invocations in 30 days; 1460 instance-hours a month (2 × ml.m5.large).',
    });
    const queried = fake.callsTo('cloudwatch', 'GetMetricData');
    expect(queried).toHaveLength(2); // busy and idle; not new, not serverless
    const q = queried[0].input as {
      StartTime: number;
      EndTime: number;
      MetricDataQueries: {
        MetricStat: { Period: number; Stat: string; Metric: { Namespace: string; MetricName: string } };
      }[];
    };
    expect(q.EndTime - q.StartTime).toBe(30 * 86_400);
    expect(q.MetricDataQueries[0].MetricStat).toMatchObject({
      Period: 86_400,
      Stat: 'Sum',
      Metric: { Namespace: 'AWS/SageMaker', MetricName: 'Invocations' },
    });
  });

  // Prowler sagemaker_models_monitor_enabled asks for a monitoring schedule in Scheduled status;
  // the audit asks it per endpoint and also accepts the DriftMonitor's heartbeat.
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ListMonitoringSchedules.html
  test('endpoint monitoring: a Scheduled monitoring schedule (on any page) or a drift heartbeat, per endpoint', async () => {
    serve(fake, standardWorld());
    const report = await audit({ checks: ['endpoint-monitoring'] });
    expect(report.errors).toEqual([]);
    // busy: its Scheduled schedule is on the second page; idle: only a Stopped one; new: a
    // DriftMonitor heartbeat; serverless-idle: nothing.
    expect(lines(report)).toEqual([
      'Audit-EndpointNotMonitored @ arn:aws:sagemaker:eu-west-1:111111111111:endpoint/idle',
      'Audit-EndpointNotMonitored @ arn:aws:sagemaker:eu-west-1:111111111111:endpoint/serverless-idle',
    ]);
    expect(report.findings[0]).toMatchObject({
      level: 'warning',
      pack: 'endpoint-monitoring',
      resourceType: 'AWS::SageMaker::Endpoint',
    });
    const schedules = fake
      .callsTo('sagemaker', 'ListMonitoringSchedules')
      .map((c) => c.input as Record<string, unknown>);
    expect(schedules.filter((i) => i.EndpointName === 'busy')).toHaveLength(2);
    const metrics = fake.callsTo('cloudwatch', 'ListMetrics').map((c) => c.input as Record<string, unknown>);
    expect(metrics.map((i) => (i.Dimensions as { Value: string }[])[0].Value).sort()).toEqual([
      'idle',
      'new',
      'serverless-idle',
    ]);
    expect(metrics[0]).toMatchObject({ Namespace: 'ML/Drift', MetricName: 'AnalysisRuns' });
  });

  test('endpoint monitoring: a heartbeat of another endpoint or a failed schedule does not count', async () => {
    const world = standardWorld();
    world.driftHeartbeats = ['busy'];
    world.monitoringSchedules = [
      { MonitoringScheduleName: 'm', EndpointName: 'new', MonitoringScheduleStatus: 'Failed' },
    ];
    serve(fake, world);
    const report = await audit({ checks: ['endpoint-monitoring'] });
    expect(lines(report).map((l) => l.split('/').pop())).toEqual(['idle', 'new', 'serverless-idle']);
  });

  // Prowler sagemaker_models_registry_in_use: a model package group with an approved package.
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ListModelPackages.html
  test('model registry: no group, or groups without an approved package, is one regional finding', async () => {
    const world = standardWorld();
    serve(fake, world);
    expect(lines(await audit({ checks: ['model-registry'] }))).toEqual([]);
    expect(fake.callsTo('sagemaker', 'ListModelPackages')[0].input).toMatchObject({
      ModelApprovalStatus: 'Approved',
      ModelPackageType: 'Versioned',
    });

    fake.reset();
    serve(fake, {
      ...world,
      modelPackages: [{ ModelPackageArn: 'arn:p/1', ModelApprovalStatus: 'PendingManualApproval' }],
    });
    const pending = await audit({ checks: ['model-registry'] });
    expect(lines(pending)).toEqual(['Audit-ModelRegistryNotInUse @ model-registry/eu-west-1']);
    expect(pending.findings[0].message).toBe(
      'Model package groups exist in eu-west-1 but no model package is approved.',
    );

    fake.reset();
    serve(fake, { ...world, modelPackageGroups: [], modelPackages: [] });
    const none = await audit({ checks: ['model-registry'] });
    expect(none.findings.map((f) => f.message)).toEqual(['No model package group in eu-west-1.']);

    // Nothing deployed: nothing to register.
    fake.reset();
    serve(fake, { ...world, endpoints: [], modelPackageGroups: [] });
    expect(lines(await audit({ checks: ['model-registry'] }))).toEqual([]);
  });

  test('training jobs: lookback of 30 days, savings and checkpoints', async () => {
    const world = standardWorld();
    world.trainingJobs.push({ TrainingJobName: 'old', CreationTime: daysAgo(45) });
    serve(fake, world);
    const report = await audit({ checks: ['training-jobs'] });
    expect(report.findings.find((f) => f.logicalId === 'spot-ckpt')).toMatchObject({
      ruleId: R.trainingSavings,
      level: 'note',
      message: 'Managed spot saved 60% (billable 1200 s of 3000 s).',
    });
    expect(report.findings.some((f) => f.logicalId === 'old')).toBe(false);
    expect(fake.callsTo('sagemaker', 'ListTrainingJobs')[0].input.CreationTimeAfter).toBe(
      daysAgo(30).getTime() / 1000,
    );
  });

  test('throttling and 5xx are retried by the SDK: same report', async () => {
    serve(fake, standardWorld());
    const clean = await audit();
    fake.clearCalls();
    fake.faults({ throttleRate: 0.25, serverErrorRate: 0.1, seed: 7 });
    const faulty = await audit();
    expect(lines(faulty)).toEqual(lines(clean));
    expect(faulty.errors).toEqual([]);
    const faults = fake.calls.filter((c) => c.fault !== undefined);
    expect(faults.some((c) => c.fault === 'throttle')).toBe(true);
    expect(faults.some((c) => c.fault === 'server')).toBe(true);
    expect(fake.calls.some((c) => c.attempt > 1)).toBe(true);
    expect(faults.map((c) => c.service)).toEqual(expect.arrayContaining(['sagemaker', 'kms', 'cloudwatch']));
  });

  test('CloudWatch throttling (its own error code) is retried', async () => {
    serve(fake, standardWorld());
    fake.failNext('cloudwatch', 'GetMetricData', { code: 'Throttling', status: 400, times: 3 });
    const report = await audit({ checks: ['idle-endpoints'] });
    expect(report.errors).toEqual([]);
    expect(report.findings).toHaveLength(1);
    expect(
      fake.callsTo('cloudwatch', 'GetMetricData').filter((c) => c.errorCode === 'Throttling'),
    ).toHaveLength(3);
  });

  test('retries are bounded: persistent 5xx fails that check only', async () => {
    serve(fake, standardWorld());
    fake.failNext('sagemaker', 'ListDomains', { code: 'InternalFailure', status: 500, times: 100 });
    const report = await runAudit({
      region: 'eu-west-1',
      clientFactory: fakeClients(fake, { maxAttempts: 3 }),
      now: NOW,
    });
    expect(fake.count('sagemaker', 'ListDomains')).toBe(3); // the keys check reuses the failed fetch
    expect(report.errors.map((e) => e.input)).toEqual(['check domains', 'check keys']);
    expect(report.errors[0].message).toMatch(/^failed, not checked \(InternalFailure/);
    expect(report.findings.some((f) => f.pack === 'models')).toBe(true);
  });

  test('access denied on one check: reported, the others run', async () => {
    serve(fake, standardWorld());
    fake.failNext('sagemaker', 'ListNotebookInstances', {
      code: 'AccessDeniedException',
      status: 400,
      message: 'User is not authorized to perform: sagemaker:ListNotebookInstances',
    });
    const problems: string[] = [];
    const report = await audit({ onProblem: (l) => problems.push(l) });
    expect(report.errors).toEqual([
      {
        input: 'check notebooks',
        pack: 'notebooks',
        message:
          'access denied, not checked (AccessDeniedException: User is not authorized to perform: sagemaker:ListNotebookInstances)',
      },
      {
        input: 'check keys',
        pack: 'keys',
        message:
          'incomplete: notebook instances not read (access denied: AccessDeniedException: User is not authorized to perform: sagemaker:ListNotebookInstances)',
      },
    ]);
    expect(problems).toHaveLength(2);
    expect(report.findings.some((f) => f.pack === 'notebooks')).toBe(false);
    // Keys from the other resources were still checked.
    expect(report.findings.some((f) => f.ruleId === R.keyPendingDeletion)).toBe(true);
    expect(report.findings.some((f) => f.pack === 'models')).toBe(true);
    expect(fake.count('sagemaker', 'ListNotebookInstances')).toBe(1); // not retried, not re-fetched
    expect(auditExitCode(report, 'error')).toBe(2);
    // SARIF: only the runs of the two incomplete checks are unsuccessful.
    const sarif = JSON.parse(writeSarif(report)) as {
      runs: { automationDetails: { id: string }; invocations: { executionSuccessful: boolean }[] }[];
    };
    expect(
      sarif.runs.filter((r) => !r.invocations[0].executionSuccessful).map((r) => r.automationDetails.id),
    ).toEqual(['compliant-mlops/notebooks/', 'compliant-mlops/keys/']);
  });

  test('access denied on one key: that key is reported as not described, the others checked', async () => {
    const world = standardWorld();
    serve(fake, world);
    fake.on('kms', 'DescribeKey', (input) => {
      if (input.KeyId === keyArn('k-norotate'))
        throw awsError(400, 'AccessDeniedException', 'not allowed to describe');
      return { KeyMetadata: world.keys[String(input.KeyId)] };
    });
    const report = await audit({ checks: ['keys'] });
    expect(report.errors).toEqual([
      {
        input: 'check keys',
        pack: 'keys',
        message: `incomplete: key ${keyArn('k-norotate')} not described (AccessDeniedException: not allowed to describe)`,
      },
    ]);
    expect(report.findings.map((f) => f.ruleId)).toEqual([R.keyPendingDeletion]);
  });

  test('missing credentials stop the audit with one clear message', async () => {
    serve(fake, standardWorld());
    const noCreds: AuditClientFactory = (o) => {
      const base = fakeClients(fake)(o);
      const credentials = () =>
        Promise.reject(
          Object.assign(new Error('Could not load credentials from any providers'), {
            name: 'CredentialsProviderError',
          }),
        );
      return { ...base, sagemaker: new SageMakerClient({ ...fake.clientConfig(), credentials }) };
    };
    const run = runAudit({ region: 'eu-west-1', clientFactory: noCreds, now: NOW });
    await expect(run).rejects.toThrow(AuditAbort);
    await expect(run).rejects.toThrow(
      /^no usable AWS credentials for region eu-west-1 \(CredentialsProviderError: Could not load credentials from any providers\); set AWS_PROFILE, pass --profile, or configure credentials$/,
    );
  });

  test('credentials the service rejects stop the audit too', async () => {
    serve(fake, standardWorld());
    fake.failNext('sagemaker', '*', {
      code: 'UnrecognizedClientException',
      status: 400,
      message: 'The security token included in the request is invalid.',
    });
    await expect(audit()).rejects.toThrow(/no usable AWS credentials.*UnrecognizedClientException/);
  });

  describe('an endpoint that accepts connections and never answers', () => {
    afterEach(() => {
      vi.unstubAllEnvs();
    });

    test('the production clients time out and the audit stops with one clear error, in bounded time', async () => {
      // createAuditClients (no clientFactory), pointed at the fake through the environment.
      for (const [k, v] of Object.entries(fake.env())) vi.stubEnv(k, v);
      serve(fake, standardWorld());
      fake.failNext('sagemaker', '*', { hang: true, times: 1000 });
      const problems: string[] = [];
      const started = Date.now();
      const run = runAudit({
        region: 'eu-west-1',
        now: NOW,
        maxAttempts: 2,
        requestTimeoutMs: 200,
        onProblem: (l) => problems.push(l),
      });
      const err = await run.catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(err).toBeInstanceOf(AuditAbort);
      expect((err as Error).message).toMatch(
        /^no answer from AWS in region eu-west-1 within 0\.2 s per request \(TimeoutError: .*\); check the network path to the service endpoints \(proxy, firewall, VPC endpoints\)$/,
      );
      // The first check's first list call, twice; no other check waits its turn to time out too.
      expect(fake.calls.map((c) => `${c.operation}:${c.fault}`)).toEqual([
        'ListEndpointConfigs:hang',
        'ListEndpointConfigs:hang',
      ]);
      expect(problems).toEqual([]);
    }, 20_000);

    test('a describe inside a check that never answers stops the audit too', async () => {
      serve(fake, standardWorld());
      fake.failNext('kms', 'DescribeKey', { hang: true, times: 1000 });
      const factory: AuditClientFactory = (o) => {
        const base = fakeClients(fake, { maxAttempts: 2 })(o);
        return { ...base, kms: new KMSClient(fake.clientConfig({ maxAttempts: 2, requestTimeoutMs: 100 })) };
      };
      await expect(
        runAudit({ region: 'eu-west-1', clientFactory: factory, now: NOW, checks: ['keys'] }),
      ).rejects.toThrow(/^no answer from AWS/);
    }, 20_000);
  });

  test.each([
    // Errors common to every AWS service: https://docs.aws.amazon.com/emr/latest/APIReference/CommonErrors.html
    ['IncompleteSignature', 400],
    ['IncompleteSignatureException', 400],
    ['MissingAuthenticationToken', 403],
    ['MissingAuthenticationTokenException', 403],
    ['RequestExpired', 400],
    ['InvalidClientTokenId', 403],
    ['ExpiredTokenException', 403],
  ])(
    'a rejected access key (%s) gives one credentials error, not one per check or per key',
    async (code, status) => {
      serve(fake, standardWorld());
      for (const service of ['sagemaker', 'kms', 'cloudwatch'] as const) {
        fake.failNext(service, '*', { code, status, message: `rejected by ${service}`, times: 1000 });
      }
      const problems: string[] = [];
      const run = audit({ onProblem: (l) => problems.push(l) });
      await expect(run).rejects.toThrow(AuditAbort);
      await expect(run).rejects.toThrow(
        new RegExp(`^no usable AWS credentials for region eu-west-1 \\(${code}: `),
      );
      expect(problems).toEqual([]);
      // The key check alone (describes fanned out per key) stops at the first rejection too.
      fake.reset();
      serve(fake, standardWorld());
      fake.failNext('kms', '*', { code, status, message: 'rejected', times: 1000 });
      await expect(audit({ checks: ['keys'], onProblem: (l) => problems.push(l) })).rejects.toThrow(
        AuditAbort,
      );
      expect(problems).toEqual([]);
    },
  );

  test('a non-JSON error body (an HTML 502 from a proxy) is reported with its HTTP status', async () => {
    serve(fake, standardWorld());
    fake.failNext('sagemaker', 'ListModels', {
      status: 502,
      body: '<html><body><h1>502 Bad Gateway</h1></body></html>',
      contentType: 'text/html',
      times: 100,
    });
    fake.failNext('sagemaker', 'ListDomains', { status: 503, body: '', times: 100 });
    const report = await runAudit({
      region: 'eu-west-1',
      clientFactory: fakeClients(fake, { maxAttempts: 2 }),
      now: NOW,
      checks: ['models', 'domains'],
    });
    expect(report.errors).toEqual([
      {
        input: 'check models',
        pack: 'models',
        message: expect.stringMatching(
          /^failed, not checked \(HTTP 502 \(text\/html\), not an AWS error response: Unexpected token '<', "<html><bod"\.\.\. is not valid JSON\)$/,
        ),
      },
      {
        input: 'check domains',
        pack: 'domains',
        message: 'failed, not checked (HTTP 503 (text/html), not an AWS error response: empty body)',
      },
    ]);
    expect(fake.count('sagemaker', 'ListModels')).toBe(2); // 502 is retried
  });

  test('a proxy page with status 403 is reported as access denied, with its status', async () => {
    serve(fake, standardWorld());
    fake.failNext('sagemaker', 'ListModels', {
      status: 403,
      body: '<html>Forbidden by proxy policy</html>',
      contentType: 'text/html',
    });
    const report = await audit({ checks: ['models'] });
    expect(report.errors).toEqual([
      {
        input: 'check models',
        pack: 'models',
        message: expect.stringMatching(
          /^access denied, not checked \(HTTP 403 \(text\/html\), not an AWS error response: /,
        ),
      },
    ]);
  });

  test('bounded concurrency: at most 4 describes in flight', async () => {
    const world = standardWorld();
    for (let i = 0; i < 12; i++)
      world.models.push({
        ModelName: `m${i}`,
        EnableNetworkIsolation: true,
        VpcConfig: { SecurityGroupIds: ['sg'], Subnets: ['s'] },
      });
    serve(fake, world, 50);
    let active = 0;
    let peak = 0;
    fake.on('sagemaker', 'DescribeModel', async (input) => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 10));
      active--;
      return world.models.find((m) => m.ModelName === input.ModelName)!;
    });
    await audit({ checks: ['models'] });
    expect(peak).toBe(4);
    expect(fake.count('sagemaker', 'DescribeModel')).toBe(14);
  });

  test('--checks subset runs only those checks and lists them', async () => {
    serve(fake, standardWorld());
    const report = await audit({ checks: ['models', 'domains'] });
    expect(report.packs).toEqual(['models', 'domains']);
    expect(new Set(report.findings.map((f) => f.pack))).toEqual(new Set(['models', 'domains']));
    expect(report.rules.every((r) => r.pack === 'models' || r.pack === 'domains')).toBe(true);
    expect(fake.count('kms')).toBe(0);
    expect(fake.count('cloudwatch')).toBe(0);
  });

  test('profile shows in the location', async () => {
    serve(fake, standardWorld());
    const report = await audit({ checks: ['models'], profile: 'prod-audit' });
    expect(report.inputs).toEqual(['eu-west-1 (profile prod-audit)']);
  });

  test('an empty account is clean', async () => {
    serve(fake, emptyWorld());
    const report = await audit();
    expect(report.findings).toEqual([]);
    expect(report.errors).toEqual([]);
    expect(auditExitCode(report, 'warning')).toBe(0);
  });
});
