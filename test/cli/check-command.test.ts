import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createCheckCommand } from '../../lib/cli/commands/check';
import { main } from '../../lib/cli/main';
import { PLATFORM_PACKS } from '../../lib/policy/packs';
import { fakeIO, FakeIO } from './fake-io';

const fixtures = 'test/fixtures/check';
const commands = [createCheckCommand({ today: () => '2026-06-01' })];

async function run(argv: string[], io: FakeIO = fakeIO()): Promise<{ code: number; io: FakeIO }> {
  const code = await main(['check', ...argv], io, commands);
  return { code, io };
}

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'check-cli-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('exit codes', () => {
  test('0 when nothing is found', async () => {
    const { code, io } = await run([`${fixtures}/templates/clean.json`]);
    expect(code).toBe(0);
    expect(io.out()).toContain('no findings');
    expect(io.err()).toBe('');
  });

  test('1 on a template with known violations, listing each one', async () => {
    const { code, io } = await run([
      `${fixtures}/templates/violations.template.json`,
      '--packs',
      'AwsSolutions',
    ]);
    expect(code).toBe(1);
    const listed = io
      .out()
      .split('\n')
      .filter((l) => /^\s+error\s/.test(l))
      .map((l) => l.trim().split(/\s{2,}/)[1]);
    expect(listed).toEqual([
      'AwsSolutions-S1',
      'AwsSolutions-S10',
      'AwsSolutions-IAM5 [Action::s3:*]',
      'AwsSolutions-IAM5 [Resource::*]',
    ]);
    expect(io.out()).toContain('4 errors, 0 warnings, 0 notes; 0 acknowledged; 1 template checked');
  });

  test('with every pack by default', async () => {
    const { code, io } = await run([`${fixtures}/templates/violations.template.json`, '--format', 'json']);
    expect(code).toBe(1);
    const json = JSON.parse(io.out()) as { packs: string[] };
    expect(json.packs).toEqual([...PLATFORM_PACKS]);
  });

  test('--fail-on decides which levels fail', async () => {
    const args = [`${fixtures}/templates/warning-only.json`, '--packs', 'AwsSolutions'];
    expect((await run(args)).code).toBe(0);
    expect((await run([...args, '--fail-on', 'warning'])).code).toBe(1);
    expect((await run([`${fixtures}/templates/violations.template.json`, '--fail-on', 'none'])).code).toBe(0);
  });

  test('acknowledged findings never fail; a broken acknowledgment does', async () => {
    const acks = join(scratch, 'acks.yaml');
    writeFileSync(
      acks,
      ['S1', 'S10', 'IAM5[Action::s3:*]', 'IAM5[Resource::*]']
        .map(
          (id) =>
            `- id: AwsSolutions-${id}\n  resource: ${id.startsWith('IAM') ? 'WorkerRole' : 'DataBucket'}\n  reason: accepted for the test fixture on purpose\n  owner: qa\n  expires: 2099-01-01`,
        )
        .join('\n'),
    );
    const ok = await run([
      `${fixtures}/templates/violations.template.json`,
      '--packs',
      'AwsSolutions',
      '--acknowledgments',
      acks,
    ]);
    expect(ok.code).toBe(0);
    expect(ok.io.out()).toContain('0 errors, 0 warnings, 0 notes; 4 acknowledged');
    writeFileSync(acks, readFileSync(acks, 'utf8').replace('owner: qa', 'owner: ""'));
    const bad = await run([
      `${fixtures}/templates/violations.template.json`,
      '--packs',
      'AwsSolutions',
      '--acknowledgments',
      acks,
    ]);
    expect(bad.code).toBe(1);
    expect(bad.io.out()).toContain('MLOps-AckOwner [AwsSolutions-S1]');
  });
});

describe('exit code 2: one stderr line, no stack trace', () => {
  let empty: string;
  beforeAll(() => {
    empty = mkdtempSync(join(tmpdir(), 'check-cli-empty-'));
  });
  afterAll(() => rmSync(empty, { recursive: true, force: true }));

  test.each([
    [
      'missing path',
      () => [`${fixtures}/nope.json`],
      /^compliant-mlops: test\/fixtures\/check\/nope\.json: no such file or directory$/,
    ],
    ['a directory with no templates', () => [empty], /: no CloudFormation templates found/],
    ['malformed JSON', () => [`${fixtures}/bad/malformed.json`], /malformed\.json: malformed JSON: /],
    ['malformed YAML', () => [`${fixtures}/bad/malformed.yaml`], /malformed\.yaml: malformed YAML: /],
    [
      'Fn::ForEach over values known only at deploy time',
      () => ['test/fixtures/corpus/foreach-no-default.yaml'],
      /foreach-no-default\.yaml: Fn::ForEach::TenantModels \(line 8\): its collection is the parameter Tenants/,
    ],
    [
      'an unknown pack',
      () => [`${fixtures}/templates/clean.json`, '--packs', 'AwsSolutions,Nope'],
      /^compliant-mlops: check: unknown pack "Nope"/,
    ],
    [
      'a bad --format',
      () => [`${fixtures}/templates/clean.json`, '--format', 'xml'],
      /^compliant-mlops: check: --format: unknown format "xml"/,
    ],
    [
      'a bad --fail-on',
      () => [`${fixtures}/templates/clean.json`, '--fail-on', 'info'],
      /^compliant-mlops: check: --fail-on: unknown level "info"/,
    ],
    [
      'an unknown flag',
      () => [`${fixtures}/templates/clean.json`, '--strict'],
      /^compliant-mlops: check: Unknown option '--strict'/,
    ],
    [
      'a flag without its value',
      () => [`${fixtures}/templates/clean.json`, '--format'],
      /^compliant-mlops: check: Option '-f, --format <value>' argument missing/,
    ],
    ['no path', () => [], /^compliant-mlops: check: missing path/],
    [
      'a missing acknowledgments file',
      () => [`${fixtures}/templates/clean.json`, '--acknowledgments', 'nope.yaml'],
      /^compliant-mlops: check: nope\.yaml: no such file$/,
    ],
    [
      'a malformed acknowledgments file',
      () => [`${fixtures}/templates/clean.json`, '--acknowledgments', `${fixtures}/bad/malformed.yaml`],
      /check: .*malformed\.yaml: /,
    ],
  ])('%s', async (_name, args, message) => {
    const { code, io } = await run(args());
    expect(code).toBe(2);
    expect(io.errLines()).toHaveLength(1);
    expect(io.errLines()[0]).toMatch(message);
    expect(io.err()).not.toMatch(/\n\s+at /);
  });

  test('in a multi-input run the good inputs are still checked and reported', async () => {
    const { code, io } = await run([
      `${fixtures}/bad/malformed.json`,
      `${fixtures}/templates/violations.template.json`,
      '--packs',
      'AwsSolutions',
      '--format',
      'json',
    ]);
    expect(code).toBe(2);
    expect(io.errLines()).toEqual([
      expect.stringMatching(/^compliant-mlops: test\/fixtures\/check\/bad\/malformed\.json: malformed JSON/),
    ]);
    const json = JSON.parse(io.out()) as { findings: unknown[]; errors: unknown[]; inputs: string[] };
    expect(json.findings).toHaveLength(4);
    expect(json.errors).toHaveLength(1);
    expect(json.inputs).toEqual([`${fixtures}/templates/violations.template.json`]);
  });
});

describe('a refused input still gives machine output (CI uploads must not be empty)', () => {
  test.each(['json', 'sarif', 'junit', 'markdown'])(
    '--format %s carries the input error; exit 2',
    async (format) => {
      const { code, io } = await run([`${fixtures}/bad/malformed.json`, '--format', format]);
      expect(code).toBe(2);
      expect(io.out()).toContain('malformed.json');
      expect(io.out()).toContain('malformed JSON');
    },
  );

  test('json: the errors array', async () => {
    const { io } = await run([`${fixtures}/bad/malformed.json`, '--format', 'json']);
    const json = JSON.parse(io.out()) as { errors: { input: string; message: string }[]; inputs: string[] };
    expect(json.inputs).toEqual([]);
    expect(json.errors).toEqual([
      { input: `${fixtures}/bad/malformed.json`, message: expect.stringMatching(/^malformed JSON: /) },
    ]);
  });

  test('sarif: every run is unsuccessful with a tool execution notification', async () => {
    const { io } = await run([`${fixtures}/bad/malformed.json`, '--format', 'sarif', '--packs', 'MLOps']);
    const sarif = JSON.parse(io.out()) as {
      runs: {
        invocations: {
          executionSuccessful: boolean;
          toolExecutionNotifications: { message: { text: string } }[];
        }[];
      }[];
    };
    expect(sarif.runs).toHaveLength(1);
    expect(sarif.runs[0].invocations[0].executionSuccessful).toBe(false);
    expect(sarif.runs[0].invocations[0].toolExecutionNotifications[0].message.text).toMatch(
      /malformed\.json: malformed JSON/,
    );
  });

  test('junit: an errored test case', async () => {
    const { io } = await run([`${fixtures}/bad/malformed.json`, '--format', 'junit']);
    expect(io.out()).toMatch(
      /<testcase name="test\/fixtures\/check\/bad\/malformed\.json" classname="inputs">\n\s+<error /,
    );
  });

  test('--output writes the file even when nothing could be checked', async () => {
    const file = join(scratch, 'refused.sarif');
    const { code } = await run([`${fixtures}/bad/malformed.json`, '--format', 'sarif', '--output', file]);
    expect(code).toBe(2);
    expect(readFileSync(file, 'utf8')).toContain('"executionSuccessful": false');
  });
});

describe('formats and output', () => {
  test.each([
    ['json', /^\{\n {2}"schemaVersion": 1/],
    ['sarif', /"version": "2\.1\.0"/],
    ['junit', /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites /],
    ['markdown', /^### compliant-mlops check\n/],
    ['text', /^violations \(test\/fixtures\/check\/templates\/violations\.template\.json\)\n/],
  ])('--format %s', async (format, shape) => {
    const { code, io } = await run([
      `${fixtures}/templates/violations.template.json`,
      '--packs',
      'AwsSolutions',
      '--format',
      format,
    ]);
    expect(code).toBe(1);
    expect(io.out()).toMatch(shape);
  });

  test('--output writes the report to a file instead of stdout', async () => {
    const file = join(scratch, 'report.sarif');
    const { code, io } = await run([
      `${fixtures}/templates/violations.template.json`,
      '--format',
      'sarif',
      '--output',
      file,
      '--category',
      'ml-app',
    ]);
    expect(code).toBe(1);
    expect(io.out()).toBe('');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({
      version: '2.1.0',
      runs: expect.arrayContaining([expect.objectContaining({ automationDetails: { id: 'ml-app/MLOps/' } })]),
    });
  });

  test('--output to an unwritable place is a usage error', async () => {
    const { code, io } = await run([
      `${fixtures}/templates/clean.json`,
      '--output',
      join(scratch, 'missing-dir', 'r.txt'),
    ]);
    expect(code).toBe(2);
    expect(io.errLines()).toEqual([
      expect.stringMatching(/^compliant-mlops: check: --output: cannot write .*ENOENT/),
    ]);
  });

  test('text is coloured only on a TTY without NO_COLOR', async () => {
    const args = [`${fixtures}/templates/violations.template.json`, '--packs', 'AwsSolutions'];
    expect((await run(args, fakeIO({ isTTY: true }))).io.out()).toContain('\u001b[31m');
    expect((await run(args, fakeIO({ isTTY: true, env: { NO_COLOR: '1' } }))).io.out()).not.toContain(
      '\u001b[',
    );
    expect((await run(args, fakeIO({ isTTY: false }))).io.out()).not.toContain('\u001b[');
  });
});

describe('progress', () => {
  let many: string;
  beforeAll(() => {
    many = mkdtempSync(join(tmpdir(), 'check-cli-many-'));
    for (let i = 0; i < 6; i++) copyFileSync(`${fixtures}/templates/clean.json`, join(many, `t${i}.json`));
  });
  afterAll(() => rmSync(many, { recursive: true, force: true }));

  test('reported on stderr for more than five templates', async () => {
    const { code, io } = await run([many, '--packs', 'AwsSolutions']);
    expect(code).toBe(0);
    expect(io.errLines()).toContain('checking 6/6 templates');
    expect(io.out()).toContain('6 templates checked');
  });

  test('silenced by --quiet, and absent for a handful of templates', async () => {
    expect((await run([many, '--packs', 'AwsSolutions', '--quiet'])).io.err()).toBe('');
    expect((await run([`${fixtures}/templates/clean.json`])).io.err()).toBe('');
  });
});
