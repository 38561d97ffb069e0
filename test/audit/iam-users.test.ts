import { GenerateServiceLastAccessedDetailsCommand, IAMClient, paginateListUsers } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { auditExitCode, runAudit } from '../../lib/audit/audit';
import { sageMakerAccess } from '../../lib/audit/iam-users';
import { AUDIT_RULE_IDS as R } from '../../lib/audit/rules';
import { CliIO } from '../../lib/cli/command';
import { createAuditCommand } from '../../lib/cli/commands/audit';
import { main } from '../../lib/cli/main';
import { AwsFake, startAwsFake } from '../support/aws-fake';
import { daysAgo, emptyWorld, fakeClients, NOW, serve, userArn, World } from './world';

let fake: AwsFake;
beforeAll(async () => {
  fake = await startAwsFake();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => fake.reset());

const POLLING = { intervalMs: 1, maxPolls: 4 };
const audit = (extra: Partial<Parameters<typeof runAudit>[0]> = {}) =>
  runAudit({
    region: 'eu-west-1',
    clientFactory: fakeClients(fake),
    now: NOW,
    checks: ['iam-users'],
    lastAccessedPolling: POLLING,
    ...extra,
  });

const sagemaker = (lastUsedDaysAgo?: number): Record<string, unknown> => ({
  ServiceName: 'Amazon SageMaker',
  ServiceNamespace: 'sagemaker',
  TotalAuthenticatedEntities: lastUsedDaysAgo === undefined ? 0 : 1,
  ...(lastUsedDaysAgo === undefined ? {} : { LastAuthenticated: daysAgo(lastUsedDaysAgo) }),
});
const s3 = { ServiceName: 'Amazon S3', ServiceNamespace: 's3', LastAuthenticated: daysAgo(1) };
const kms = { ServiceName: 'AWS Key Management Service', ServiceNamespace: 'kms' };

/** Four users: never used, stale, recent, and no SageMaker permission; SageMaker on the second page. */
function iamWorld(): World {
  return {
    ...emptyWorld(),
    iamUsers: ['never', 'stale', 'recent', 'no-sm', 'edge'],
    lastAccessed: {
      never: { services: [s3, kms, sagemaker()] },
      stale: { services: [s3, kms, sagemaker(100)] },
      recent: { services: [kms, s3, sagemaker(10)] },
      'no-sm': { services: [s3, kms] },
      // Prowler's comparison is `days > threshold`: exactly 90 days is not stale yet.
      edge: { services: [sagemaker(90)] },
    },
  };
}

describe('awsQuery through the real IAM client', () => {
  test('ListUsers pages by Marker/IsTruncated and the SDK reads real-shaped XML', async () => {
    const world = { ...emptyWorld(), iamUsers: ['a', 'b', 'c', 'd', 'e'] };
    serve(fake, world, 2);
    const iam = new IAMClient(fake.clientConfig());
    const names: string[] = [];
    for await (const page of paginateListUsers({ client: iam }, {})) {
      for (const u of page.Users ?? []) {
        // Dates arrive as ISO 8601 text and come out as Date objects.
        expect(u.CreateDate).toBeInstanceOf(Date);
        names.push(u.UserName!);
      }
    }
    expect(names).toEqual(['a', 'b', 'c', 'd', 'e']);
    const calls = fake.callsTo('iam', 'ListUsers');
    expect(calls).toHaveLength(3);
    expect(calls[1].input.Marker).toBeDefined();
    iam.destroy();
    fake.assertAllHandled();
  });

  test('an IAM error document reaches the SDK as its modelled exception', async () => {
    serve(fake, emptyWorld());
    const iam = new IAMClient(fake.clientConfig());
    await expect(
      iam.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: userArn('ghost') })),
    ).rejects.toMatchObject({ name: 'NoSuchEntityException', $metadata: { httpStatusCode: 404 } });
    iam.destroy();
  });

  test('throttling (400 Throttling) and server faults (500 ServiceFailure) are retried by the SDK', async () => {
    serve(fake, iamWorld(), 2);
    fake.failNext('iam', 'ListUsers', { code: 'Throttling', times: 2 });
    fake.faults({ throttleRate: 0.2, serverErrorRate: 0.1, seed: 7, services: ['iam'] });
    const report = await audit();
    expect(report.errors).toEqual([]);
    expect(report.findings.map((f) => f.logicalId).sort()).toEqual([userArn('never'), userArn('stale')]);
    const faulted = fake.calls.filter((c) => c.service === 'iam' && c.status !== 200);
    expect(faulted.some((c) => c.errorCode === 'Throttling')).toBe(true);
    expect(faulted.some((c) => c.errorCode === 'ServiceFailure')).toBe(true);
  });
});

describe('stale IAM users with SageMaker permissions (Prowler iam_user_access_not_stale_to_sagemaker)', () => {
  test('never used and unused for more than 90 days are reported; recent, exactly 90 and no permission are not', async () => {
    serve(fake, iamWorld(), 2);
    const report = await audit();
    expect(report.errors).toEqual([]);
    expect(report.findings.map((f) => [f.ruleId, f.logicalId, f.message, f.resourceType])).toEqual([
      [
        R.iamUserStaleSageMaker,
        userArn('never'),
        'IAM user never has SageMaker permissions and never used them.',
        'AWS::IAM::User',
      ],
      [
        R.iamUserStaleSageMaker,
        userArn('stale'),
        'IAM user stale last used SageMaker 100 days ago (threshold 90 days).',
        'AWS::IAM::User',
      ],
    ]);
    expect(report.findings.every((f) => f.level === 'warning' && f.pack === 'iam-users')).toBe(true);
    // Services are paged two at a time and SageMaker is the third entry of never, stale and recent:
    // their findings exist only because the second page was read.
    const reads = fake.callsTo('iam', 'GetServiceLastAccessedDetails').filter((c) => c.input.Marker);
    expect(reads.map((c) => c.input.JobId).sort()).toEqual(['job-never', 'job-recent', 'job-stale']);
    expect(fake.callsTo('iam', 'GenerateServiceLastAccessedDetails').map((c) => c.input.Granularity)).toEqual(
      Array(5).fill('SERVICE_LEVEL'),
    );
    expect(auditExitCode(report, 'warning')).toBe(1);
    expect(auditExitCode(report, 'error')).toBe(0);
    fake.assertAllHandled();
  });

  test('the threshold is an option: at 120 days the 100-day user is no longer stale', async () => {
    serve(fake, iamWorld(), 2);
    const report = await audit({ staleSageMakerDays: 120 });
    expect(report.findings.map((f) => f.logicalId)).toEqual([userArn('never')]);
  });

  test('a job still IN_PROGRESS is polled until it completes', async () => {
    serve(fake, {
      ...emptyWorld(),
      iamUsers: ['slow'],
      lastAccessed: { slow: { services: [sagemaker()], inProgressPolls: 2 } },
    });
    const report = await audit();
    expect(report.errors).toEqual([]);
    expect(report.findings.map((f) => f.logicalId)).toEqual([userArn('slow')]);
    expect(fake.callsTo('iam', 'GetServiceLastAccessedDetails')).toHaveLength(3);
  });

  test('a job that does not finish within the bound, or fails, leaves its user "not checked" (exit 2), never passed', async () => {
    serve(fake, {
      ...emptyWorld(),
      iamUsers: ['stuck', 'broken', 'stale'],
      lastAccessed: {
        stuck: { services: [sagemaker()], inProgressPolls: 100 },
        broken: { services: [], status: 'FAILED' },
        stale: { services: [sagemaker(200)] },
      },
    });
    const report = await audit();
    expect(report.findings.map((f) => f.logicalId)).toEqual([userArn('stale')]);
    expect(report.errors.map((e) => e.message)).toEqual([
      'incomplete: IAM user stuck: not checked (last-accessed job job-stuck did not complete within 4 polls)',
      'incomplete: IAM user broken: not checked (last-accessed job job-broken FAILED (report generation failed))',
    ]);
    expect(
      fake.calls.filter(
        (c) => c.operation === 'GetServiceLastAccessedDetails' && c.input.JobId === 'job-stuck',
      ),
    ).toHaveLength(4);
    expect(auditExitCode(report, 'none')).toBe(2);
  });

  test('ListUsers denied: the check is reported not checked, the others still run', async () => {
    serve(fake, iamWorld());
    fake.failNext('iam', 'ListUsers', { status: 403, code: 'AccessDenied', message: 'no iam:ListUsers' });
    const report = await audit({ checks: ['iam-users', 'flow-definitions'] });
    expect(report.errors).toEqual([
      {
        input: 'check iam-users',
        pack: 'iam-users',
        message: 'access denied, not checked (AccessDenied: no iam:ListUsers)',
      },
    ]);
  });

  test('sageMakerAccess: Prowler semantics at the boundaries', () => {
    const at = (days?: number) => sageMakerAccess([sagemaker(days) as never], NOW, 90);
    expect(at()).toEqual({ kind: 'never-used' });
    expect(at(90)).toEqual({ kind: 'recent', days: 90 });
    expect(at(91)).toEqual({ kind: 'stale', days: 91 });
    expect(sageMakerAccess([s3 as never], NOW, 90)).toEqual({ kind: 'no-permission' });
  });
});

describe('compliant-mlops audit --stale-days', () => {
  async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const io: CliIO = {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      isTTY: false,
      env: {},
      cwd: process.cwd(),
    };
    const command = createAuditCommand({ clientFactory: fakeClients(fake), now: () => NOW });
    const code = await main(['audit', '--region', 'eu-west-1', '--checks', 'iam-users', ...args], io, [
      command,
    ]);
    return { code, stdout, stderr };
  }

  test('the threshold reaches the check: 90 by default, 120 when asked', async () => {
    serve(fake, iamWorld());
    const ids = (out: string) =>
      (JSON.parse(out) as { findings: { logicalId: string }[] }).findings.map((f) => f.logicalId);
    const byDefault = await cli(['--format', 'json', '--fail-on', 'warning']);
    expect(byDefault.code).toBe(1);
    expect(ids(byDefault.stdout)).toEqual([userArn('never'), userArn('stale')]);
    const wider = await cli(['--format', 'json', '--stale-days', '120']);
    expect(ids(wider.stdout)).toEqual([userArn('never')]);
  });

  // IAM "reports activity for at least the last 400 days":
  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_GenerateServiceLastAccessedDetails.html
  test.each(['0', '401', '7.5', 'ninety'])('--stale-days %s is a usage error (exit 2)', async (value) => {
    const r = await cli(['--stale-days', value]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`audit: --stale-days: "${value}" is not an integer from 1 to 400`);
  });
});

describe('Augmented AI flow definitions (Checkov CKV_AWS_372, live only)', () => {
  const cmk = 'arn:aws:kms:eu-west-1:111111111111:key/k-a2i';
  const flow = (name: string, key?: string) => ({
    FlowDefinitionName: name,
    OutputConfig: { S3OutputPath: 's3://reviews/', ...(key !== undefined ? { KmsKeyId: key } : {}) },
  });

  test('output without a key, or under an AWS managed alias/aws/* key, is reported; a customer managed key passes', async () => {
    serve(
      fake,
      {
        ...emptyWorld(),
        flowDefinitions: [
          flow('cmk', cmk),
          flow('cmk-alias', 'alias/platform/a2i'),
          flow('no-key'),
          flow('aws-managed', 'alias/aws/sagemaker'),
          flow('aws-managed-arn', 'arn:aws:kms:eu-west-1:111111111111:alias/aws/s3'),
        ],
      },
      2,
    );
    const report = await runAudit({
      region: 'eu-west-1',
      clientFactory: fakeClients(fake),
      now: NOW,
      checks: ['flow-definitions'],
    });
    expect(report.errors).toEqual([]);
    const arn = (n: string) => `arn:aws:sagemaker:eu-west-1:111111111111:flow-definition/${n}`;
    expect(report.findings.map((f) => [f.ruleId, f.logicalId, f.level])).toEqual([
      [R.flowDefinitionOutputKms, arn('no-key'), 'error'],
      [R.flowDefinitionOutputKms, arn('aws-managed'), 'error'],
      [R.flowDefinitionOutputKms, arn('aws-managed-arn'), 'error'],
    ]);
    // Five definitions, two per page: every page was listed.
    expect(fake.callsTo('sagemaker', 'ListFlowDefinitions')).toHaveLength(3);
    expect(fake.callsTo('sagemaker', 'DescribeFlowDefinition')).toHaveLength(5);
    expect(report.rules.map((r) => r.id)).toContain(R.flowDefinitionOutputKms);
    fake.assertAllHandled();
  });
});
