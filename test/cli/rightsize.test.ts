import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createRightsizeCommand } from '../../lib/cli/commands/rightsize';
import { UsageError } from '../../lib/cli/command';
import { AwsFake, startAwsFake } from '../support/aws-fake';
import { fakeRightsizeClients, NOW, serve, standardWorld } from '../rightsize/world';
import { fakeIO } from './fake-io';

let fake: AwsFake;
beforeAll(async () => {
  fake = await startAwsFake();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => fake.reset());

const command = () => createRightsizeCommand({ clientFactory: fakeRightsizeClients(fake), now: () => NOW });

describe('compliant-mlops rightsize', () => {
  test('text report, exit 0 by default (findings of operations fail only with --fail-on)', async () => {
    serve(fake, standardWorld());
    const io = fakeIO();
    expect(await command().run(['--region', 'eu-west-1'], io)).toBe(0);
    expect(io.out()).toMatch(/Rightsize-EndpointVariant/);
    expect(io.out()).toMatch(/saves about \$1,495\.04\/month/);
    expect(io.out()).toMatch(/Retire-EndpointLowTraffic/);
    expect(io.err()).toBe('');
  });

  test('--fail-on warning exits 1; json carries the findings', async () => {
    serve(fake, standardWorld());
    const io = fakeIO();
    expect(
      await command().run(['--region', 'eu-west-1', '--format', 'json', '--fail-on', 'warning'], io),
    ).toBe(1);
    const report = JSON.parse(io.out()) as { findings: { ruleId: string }[]; tool: { command: string } };
    expect(report.tool.command).toBe('rightsize');
    expect(report.findings.map((f) => f.ruleId)).toContain('Retire-AlarmLongInAlarm');
  });

  test('markdown and sarif render', async () => {
    serve(fake, standardWorld());
    for (const format of ['markdown', 'sarif']) {
      const io = fakeIO();
      expect(
        await command().run(['--region', 'eu-west-1', '--checks', 'retirement', '--format', format], io),
      ).toBe(0);
      expect(io.out()).toMatch(/Retire-ModelNotUpdated/);
    }
  });

  test('a part that could not be read: exit 2, one line on stderr', async () => {
    serve(fake, standardWorld());
    fake.failNext('pricing', 'GetProducts', { code: 'AccessDeniedException', status: 400, times: 100 });
    const io = fakeIO();
    expect(await command().run(['--region', 'eu-west-1', '--checks', 'retirement'], io)).toBe(2);
    expect(io.errLines()).toEqual([
      expect.stringMatching(
        /^compliant-mlops: rightsize: check retirement: incomplete: prices not read from the Price List/,
      ),
    ]);
  });

  test('options reach the run: window, target, families, thresholds', async () => {
    serve(fake, standardWorld());
    const io = fakeIO();
    const args = [
      '--region',
      'eu-west-1',
      '--window-days',
      '7',
      '--target-utilization',
      '50',
      '--families',
      'c5',
      '--low-traffic',
      '5',
      '--format',
      'json',
    ];
    expect(await command().run(args, io)).toBe(0);
    const q = fake.callsTo('cloudwatch', 'GetMetricData')[0].input as { StartTime: number; EndTime: number };
    expect(q.EndTime - q.StartTime).toBe(7 * 86_400);
    const messages = (JSON.parse(io.out()) as { findings: { ruleId: string; message: string }[] }).findings;
    expect(messages.find((f) => f.ruleId === 'Rightsize-EndpointVariant')?.message).toMatch(/under 50%/);
    expect(messages.some((f) => f.ruleId === 'Retire-EndpointLowTraffic')).toBe(false);
  });

  test('--price-cache keeps prices across runs; an unwritable cache is an error (exit 2)', async () => {
    serve(fake, standardWorld());
    const dir = mkdtempSync(join(tmpdir(), 'rightsize-cli-'));
    const args = ['--region', 'eu-west-1', '--price-cache', 'prices.json', '--format', 'json'];
    expect(await command().run(args, fakeIO({ cwd: dir }))).toBe(0);
    expect(fake.count('pricing')).toBeGreaterThan(0);
    fake.clearCalls();
    expect(await command().run(args, fakeIO({ cwd: dir }))).toBe(0);
    expect(fake.count('pricing')).toBe(0);
    const io = fakeIO({ cwd: dir });
    expect(await command().run(['--region', 'eu-west-1', '--price-cache', 'missing/dir/p.json'], io)).toBe(2);
    expect(io.errLines()).toEqual([expect.stringMatching(/price cache .*p\.json: not written \(ENOENT/)]);
  });

  test.each([
    [
      ['--region', 'eu-west-1', '--pricing-region', 'eu-west-1'],
      /--pricing-region: "eu-west-1" has no Price List endpoint \(expected one of us-east-1, eu-central-1, ap-south-1, cn-northwest-1\)/,
    ],
    [['--region', 'eu-west-1', '--checks', 'nope'], /--checks: unknown check "nope"/],
    [['--region', 'eu-west-1', '--window-days', '0'], /--window-days: "0" is not an integer from 1 to 455/],
    [
      ['--region', 'eu-west-1', '--target-utilization', '99'],
      /--target-utilization: "99" is not an integer from 10 to 95/,
    ],
    [['--region', 'eu-west-1', '--families', 'M5!'], /--families: "M5!" is not a list of instance families/],
    [['--region', 'eu-west-1', '--format', 'xml'], /--format: unknown format "xml"/],
    [
      ['--region', 'eu-west-1', '--price-cache-ttl', '0'],
      /--price-cache-ttl: "0" is not an integer from 1 to 720/,
    ],
    [[], /--region: no region/],
  ])('usage error %j', async (args, message) => {
    await expect(command().run(args, fakeIO())).rejects.toThrow(UsageError);
    await expect(command().run(args, fakeIO())).rejects.toThrow(message);
    expect(fake.calls).toHaveLength(0);
  });
});
