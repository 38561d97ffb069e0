import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { AuditClientFactory, createAuditClients } from '../../lib/audit/clients';
import { CliIO } from '../../lib/cli/command';
import { createAuditCommand } from '../../lib/cli/commands/audit';
import { main } from '../../lib/cli/main';
import { AwsFake, startAwsFake } from '../support/aws-fake';
import { emptyWorld, fakeClients, hardenedTraining, NOW, serve, standardWorld } from '../audit/world';

let fake: AwsFake;
let dir: string;
beforeAll(async () => {
  fake = await startAwsFake();
  dir = mkdtempSync(join(tmpdir(), 'audit-cli-'));
});
afterAll(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => fake.reset());

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(
  args: string[],
  options: { env?: Record<string, string>; factory?: AuditClientFactory; tty?: boolean } = {},
): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    isTTY: options.tty ?? false,
    env: options.env ?? {},
    cwd: dir,
  };
  const command = createAuditCommand({ clientFactory: options.factory ?? fakeClients(fake), now: () => NOW });
  const code = await main(['audit', ...args], io, [command]);
  return { code, stdout, stderr };
}

describe('compliant-mlops audit: exit codes', () => {
  test('0 on a clean account', async () => {
    serve(fake, emptyWorld());
    const r = await cli(['--region', 'eu-west-1']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('no findings');
  });

  test('1 with errors at the default --fail-on error', async () => {
    serve(fake, standardWorld());
    expect((await cli(['--region', 'eu-west-1'])).code).toBe(1);
  });

  test('--fail-on: warnings fail at warning, nothing fails at none', async () => {
    const world = emptyWorld();
    const key = 'arn:aws:kms:eu-west-1:111111111111:key/k';
    world.keys = {
      [key]: {
        KeyId: 'k',
        Arn: key,
        KeyManager: 'CUSTOMER',
        KeyState: 'Enabled',
        KeySpec: 'SYMMETRIC_DEFAULT',
        Origin: 'AWS_KMS',
      },
    };
    world.rotation = { k: true };
    world.trainingJobs = [
      {
        // Hardened, so that its only finding is the on-demand warning.
        ...hardenedTraining(key),
        TrainingJobName: 'od',
        CreationTime: new Date(NOW.getTime() - 86_400_000),
        TrainingTimeInSeconds: 5,
        BillableTimeInSeconds: 5,
      },
    ];
    serve(fake, world);
    expect((await cli(['--region', 'eu-west-1'])).code).toBe(0);
    expect((await cli(['--region', 'eu-west-1', '--fail-on', 'warning'])).code).toBe(1);
    serve(fake, standardWorld());
    expect((await cli(['--region', 'eu-west-1', '--fail-on', 'none'])).code).toBe(0);
  });

  test('2 and one stderr line per check denied; the report of the others is still written', async () => {
    serve(fake, standardWorld());
    fake.failNext('sagemaker', 'ListModels', {
      code: 'AccessDeniedException',
      status: 400,
      message: 'no sagemaker:ListModels',
    });
    const r = await cli(['--region', 'eu-west-1', '--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'compliant-mlops: audit: check models: access denied, not checked (AccessDeniedException: no sagemaker:ListModels)\n',
    );
    const json = JSON.parse(r.stdout) as { findings: { ruleId: string }[] };
    expect(json.findings.some((f) => f.ruleId === 'MLOps-SageMakerEndpointConfigDataCapture')).toBe(true);
  });

  test('2 and one line on missing credentials, no report', async () => {
    const noCreds: AuditClientFactory = (o) => ({
      ...fakeClients(fake)(o),
      sagemaker: new SageMakerClient({
        ...fake.clientConfig(),
        credentials: () =>
          Promise.reject(
            Object.assign(new Error('Could not load credentials from any providers'), {
              name: 'CredentialsProviderError',
            }),
          ),
      }),
    });
    const r = await cli(['--region', 'eu-west-1'], { factory: noCreds });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(r.stderr).toMatch(
      /^compliant-mlops: audit: no usable AWS credentials for region eu-west-1 .*--profile/,
    );
  });

  describe('an endpoint that accepts connections and never answers', () => {
    afterEach(() => {
      vi.unstubAllEnvs();
    });

    test('2 and one line within a bounded time, with the real clients and --request-timeout', async () => {
      for (const [k, v] of Object.entries(fake.env())) vi.stubEnv(k, v);
      serve(fake, standardWorld());
      fake.failNext('sagemaker', '*', { hang: true, times: 1000 });
      let timeout: number | undefined;
      const started = Date.now();
      const r = await cli(['--region', 'eu-west-1', '--request-timeout', '0.2'], {
        factory: (o) => {
          timeout = o.requestTimeoutMs;
          return createAuditClients({ ...o, maxAttempts: 2 });
        },
      });
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(timeout).toBe(200);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
      expect(r.stderr).toMatch(
        /^compliant-mlops: audit: no answer from AWS in region eu-west-1 within 0\.2 s per request \(TimeoutError: /,
      );
    }, 20_000);

    test('--request-timeout defaults to 20 s', async () => {
      serve(fake, emptyWorld());
      let timeout: number | undefined;
      await cli(['--region', 'eu-west-1'], {
        factory: (o) => {
          timeout = o.requestTimeoutMs;
          return fakeClients(fake)(o);
        },
      });
      expect(timeout).toBe(20_000);
    });
  });

  test.each([
    [['--region', 'eu-west-1', '--format', 'yaml'], /--format: unknown format "yaml"/],
    [['--region', 'eu-west-1', '--fail-on', 'fatal'], /--fail-on: unknown level "fatal"/],
    [
      ['--region', 'eu-west-1', '--checks', 'keys,nope'],
      /--checks: unknown check "nope" \(expected a comma-separated list of endpoint-configs, /,
    ],
    [['--region', 'eu-west-1', '--checks', ','], /--checks: no check named/],
    [['--region', 'Ireland'], /--region: "Ireland" is not a region name/],
    [['--region', 'eu-west-1', '--concurrency', '0'], /--concurrency: "0" is not an integer from 1 to 16/],
    [
      ['--region', 'eu-west-1', '--request-timeout', '0'],
      /--request-timeout: "0" is not a number of seconds from 0\.1 to 300/,
    ],
    [
      ['--region', 'eu-west-1', '--request-timeout', 'soon'],
      /--request-timeout: "soon" is not a number of seconds from 0\.1 to 300/,
    ],
    [['--region', 'eu-west-1', '--bogus'], /audit: Unknown option '--bogus'/],
    [['--region', 'eu-west-1', 'extra'], /audit: Unexpected argument 'extra'/],
    [[], /--region: no region \(pass --region or set AWS_REGION\)/],
  ])('usage error %j exits 2 with one line', async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(fake.calls).toHaveLength(0);
  });

  test('region from AWS_REGION, then AWS_DEFAULT_REGION', async () => {
    serve(fake, emptyWorld());
    const regions: string[] = [];
    const spy: AuditClientFactory = (o) => {
      regions.push(o.region);
      return fakeClients(fake)(o);
    };
    await cli([], { env: { AWS_REGION: 'us-east-1' }, factory: spy });
    await cli([], { env: { AWS_DEFAULT_REGION: 'ap-south-1' }, factory: spy });
    expect(regions).toEqual(['us-east-1', 'ap-south-1']);
  });

  test('--profile reaches the client factory', async () => {
    serve(fake, emptyWorld());
    let profile: string | undefined;
    await cli(['--region', 'eu-west-1', '--profile', 'audit-ro'], {
      factory: (o) => {
        profile = o.profile;
        return fakeClients(fake)(o);
      },
    });
    expect(profile).toBe('audit-ro');
  });

  test('--help prints the usage', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^usage: compliant-mlops audit/);
  });
});

describe('compliant-mlops audit: formats', () => {
  test('text: grouped by region and resource, with a summary line', async () => {
    serve(fake, standardWorld());
    const r = await cli(['--region', 'eu-west-1', '--checks', 'endpoint-configs,idle-endpoints']);
    expect(r.stdout).toContain('eu-west-1\n');
    expect(r.stdout).toMatch(
      / {2}no-capture {2}AWS::SageMaker::EndpointConfig\n {4}error {3}MLOps-SageMakerEndpointConfigDataCapture \[DataCaptureConfig\] {2}The SageMaker endpoint config does not capture/,
    );
    expect(r.stdout).toContain(
      'warning Audit-EndpointIdle  No invocations in 30 days; 1460 instance-hours a month (2 × ml.m5.large).',
    );
    expect(r.stdout).toMatch(/4 errors, 1 warning, 0 notes; 0 acknowledged; 1 input checked\n$/);
    expect(r.stdout).not.toContain('\u001b[');
  });

  test('text: colour only on a TTY without NO_COLOR', async () => {
    serve(fake, standardWorld());
    expect((await cli(['--region', 'eu-west-1', '--checks', 'models'], { tty: true })).stdout).toContain(
      '\u001b[',
    );
    expect(
      (await cli(['--region', 'eu-west-1', '--checks', 'models'], { tty: true, env: { NO_COLOR: '1' } }))
        .stdout,
    ).not.toContain('\u001b[');
  });

  test('json: the report model', async () => {
    serve(fake, standardWorld());
    const r = await cli(['--region', 'eu-west-1', '--format', 'json', '--checks', 'keys']);
    const json = JSON.parse(r.stdout) as {
      tool: { command: string };
      findings: { ruleId: string; level: string; pack: string }[];
    };
    expect(json.tool.command).toBe('audit');
    expect(json.findings.map((f) => f.ruleId).sort()).toEqual([
      'Audit-KmsKeyPendingDeletion',
      'Audit-KmsKeyRotation',
    ]);
    expect(json.findings.every((f) => f.level === 'error' && f.pack === 'keys')).toBe(true);
  });

  test('sarif: 2.1.0 with the audit rules as descriptors', async () => {
    serve(fake, standardWorld());
    const r = await cli(['--region', 'eu-west-1', '--format', 'sarif', '--checks', 'models']);
    const sarif = JSON.parse(r.stdout) as {
      version: string;
      runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string }[] }[];
    };
    expect(sarif.version).toBe('2.1.0');
    const ids = sarif.runs[0].tool.driver.rules.map((x) => x.id);
    expect(ids).toEqual(
      expect.arrayContaining(['MLOps-SageMakerModelNetworkIsolation', 'MLOps-SageMakerModelVpcConfig']),
    );
    expect(sarif.runs[0].results.map((x) => x.ruleId).sort()).toEqual([
      'MLOps-SageMakerModelNetworkIsolation',
      'MLOps-SageMakerModelVpcConfig',
    ]);
  });

  test('junit: one failure per finding', async () => {
    serve(fake, standardWorld());
    const r = await cli(['--region', 'eu-west-1', '--format', 'junit', '--checks', 'notebooks']);
    expect(r.stdout).toMatch(/^<\?xml/);
    expect(r.stdout.match(/<failure/g)).toHaveLength(6);
  });

  test('markdown: a table with the findings', async () => {
    serve(fake, standardWorld());
    const r = await cli(['--region', 'eu-west-1', '--format', 'markdown', '--checks', 'domains']);
    expect(r.stdout).toContain('MLOps-SageMakerStudioDomainVpcOnly');
    expect(r.stdout).toContain('|');
  });

  test('--output writes the file and nothing to stdout', async () => {
    serve(fake, standardWorld());
    const r = await cli([
      '--region',
      'eu-west-1',
      '--format',
      'json',
      '--output',
      'audit.json',
      '--checks',
      'models',
    ]);
    expect(r.stdout).toBe('');
    expect(JSON.parse(readFileSync(join(dir, 'audit.json'), 'utf8'))).toMatchObject({
      tool: { command: 'audit' },
    });
    expect(r.code).toBe(1);
  });

  test('--output to an unwritable path is a usage error', async () => {
    serve(fake, emptyWorld());
    const r = await cli(['--region', 'eu-west-1', '--output', 'missing-dir/x.txt', '--checks', 'models']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--output: cannot write missing-dir\/x.txt \(ENOENT\)/);
  });
});
