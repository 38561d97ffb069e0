import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Stage } from 'aws-cdk-lib';
import { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { acknowledge, acknowledgeControl } from '../../constructs/core/acknowledge';
import { loadAcknowledgmentsFile } from '../../lib/check/acknowledgments';
import { checkPaths, exitCodeOf, logicalIdLines, parseFrame, splitRuleName } from '../../lib/check/check';
import { CheckUsageError } from '../../lib/check/errors';
import { loadInputs } from '../../lib/check/inputs';
import { Finding } from '../../lib/report/finding';

const cwd = join(__dirname, '..', '..');
const fixtures = 'test/fixtures/check';
const TODAY = '2026-06-01';
const VALID = {
  reason: 'access logs of this bucket are collected by the organisation trail',
  owner: 'data-platform',
  expires: '2099-12-31',
};

/** `findingId @ logicalId`, `ack ` prefixed when acknowledged. */
function lines(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.acknowledgment ? 'ack ' : ''}${f.findingId} @ ${f.logicalId}`);
}

describe('checkPaths over templates', () => {
  test('maps each violation to a finding with rule id, level, pack, stack, template, logical id, type and line', () => {
    const report = checkPaths([`${fixtures}/templates/violations.template.json`], {
      cwd,
      packs: ['AwsSolutions'],
    });
    expect(lines(report.findings)).toEqual([
      'AwsSolutions-S1 @ DataBucket',
      'AwsSolutions-S10 @ DataBucket',
      'AwsSolutions-IAM5[Action::s3:*] @ WorkerRole',
      'AwsSolutions-IAM5[Resource::*] @ WorkerRole',
    ]);
    expect(report.findings[2]).toMatchObject({
      ruleId: 'AwsSolutions-IAM5',
      granular: 'Action::s3:*',
      level: 'error',
      pack: 'AwsSolutions',
      stack: 'violations',
      templatePath: `${fixtures}/templates/violations.template.json`,
      resourceType: 'AWS::IAM::Role',
      templateLine: 9,
      message: expect.stringContaining('wildcard permissions'),
    });
    expect(report.errors).toEqual([]);
    expect(report.packs).toEqual(['AwsSolutions']);
    expect(exitCodeOf(report, 'error')).toBe(1);
  });

  test('describes every rule that fired, with the explanation the pack applied', () => {
    const report = checkPaths([`${fixtures}/templates/violations.template.json`], {
      cwd,
      packs: ['AwsSolutions'],
    });
    expect(report.rules.map((r) => r.id)).toEqual([
      'AwsSolutions-IAM5',
      'AwsSolutions-S1',
      'AwsSolutions-S10',
    ]);
    expect(report.rules[1]).toMatchObject({
      pack: 'AwsSolutions',
      level: 'error',
      explanation: expect.stringMatching(/.{20}/),
    });
  });

  test('reads MLOps rule metadata (controls, security severity) from MLOPS_RULES', () => {
    const report = checkPaths([`${fixtures}/templates/short-form.yaml`], { cwd, packs: ['MLOps'] });
    const rule = report.rules.find((r) => r.id === 'MLOps-SageMakerModelNetworkIsolation');
    expect(rule).toMatchObject({
      nist: expect.arrayContaining(['SC-7']),
      securitySeverity: expect.any(Number),
    });
  });

  test('a warning fails only with fail-on warning; fail-on none never fails', () => {
    const warn = checkPaths([`${fixtures}/templates/warning-only.json`], { cwd, packs: ['AwsSolutions'] });
    expect(lines(warn.findings)).toEqual(['AwsSolutions-VPC3 @ Acl']);
    expect(warn.findings[0].level).toBe('warning');
    expect(exitCodeOf(warn, 'error')).toBe(0);
    expect(exitCodeOf(warn, 'warning')).toBe(1);
    expect(exitCodeOf(warn, 'none')).toBe(0);
  });

  test('loads YAML with short-form tags and checks it like JSON', () => {
    const report = checkPaths([`${fixtures}/templates/short-form.yaml`], {
      cwd,
      packs: ['AwsSolutions', 'MLOps'],
    });
    expect(report.errors).toEqual([]);
    const ids = lines(report.findings);
    expect(ids).toEqual(
      expect.arrayContaining([
        'AwsSolutions-S1 @ Logs',
        'AwsSolutions-S10 @ Logs',
        'MLOps-SageMakerModelNetworkIsolation @ Model',
      ]),
    );
    expect(report.findings.find((f) => f.logicalId === 'Model')?.templateLine).toBe(35);
  });

  // The packs must see the template the checker expanded, not the file: CfnInclude reading the
  // original JSON again refused both ("Unexpected IResolvable", "The `type` property is required").
  test.each([
    ['AWS::Include', 'include-local'],
    ['Fn::ForEach', 'foreach-models'],
  ])('a JSON template with %s is checked as expanded, exactly like its YAML twin', (_what, name) => {
    const check = (file: string) =>
      checkPaths([`test/fixtures/corpus/${file}`], { cwd, packs: ['MLOps'], today: TODAY });
    const json = check(`${name}-json.json`);
    const yaml = check(`${name}.yaml`);
    expect(json.errors).toEqual([]);
    expect(json.findings.length).toBeGreaterThan(0);
    expect(lines(json.findings)).toEqual(lines(yaml.findings));
  });

  test('rejects an unknown pack before reading anything', () => {
    expect(() => checkPaths([`${fixtures}/templates/clean.json`], { cwd, packs: ['Nope'] })).toThrow(
      CheckUsageError,
    );
    expect(() => checkPaths([`${fixtures}/templates/clean.json`], { cwd, packs: ['Nope'] })).toThrow(
      /unknown pack "Nope" \(expected one of AwsSolutions,/,
    );
  });
});

describe('bad inputs are reported per input while the others are still checked', () => {
  let empty: string;
  beforeAll(() => {
    empty = mkdtempSync(join(tmpdir(), 'check-empty-'));
    writeFileSync(join(empty, 'README.txt'), 'no templates here');
  });
  afterAll(() => rmSync(empty, { recursive: true, force: true }));

  test.each([
    ['missing path', `${fixtures}/does-not-exist.json`, /^no such file or directory$/],
    ['malformed JSON', `${fixtures}/bad/malformed.json`, /^malformed JSON: /],
    ['malformed YAML', `${fixtures}/bad/malformed.yaml`, /^malformed YAML: .*at line 3, column 11$/],
    [
      // A loop over a literal list or a parameter's Default is expanded (test/check/refusals.test.ts).
      'Fn::ForEach over values known only at deploy time',
      'test/fixtures/corpus/foreach-no-default.yaml',
      /^Fn::ForEach::TenantModels \(line 8\): its collection is the parameter Tenants, which has no Default/,
    ],
    [
      'not a template',
      `${fixtures}/bad/not-a-template.json`,
      /^not a CloudFormation template \(no Resources section\)$/,
    ],
  ])('%s', (_name, path, message) => {
    const report = checkPaths([path, `${fixtures}/templates/violations.template.json`], {
      cwd,
      packs: ['AwsSolutions'],
    });
    expect(report.errors).toEqual([{ input: path, message: expect.stringMatching(message) }]);
    expect(report.inputs).toEqual([`${fixtures}/templates/violations.template.json`]);
    expect(report.findings).toHaveLength(4);
    expect(exitCodeOf(report, 'none')).toBe(2);
  });

  test('a directory with no templates', () => {
    const report = checkPaths([empty], { cwd, packs: ['AwsSolutions'] });
    expect(report.errors).toEqual([
      { input: expect.any(String), message: expect.stringMatching(/^no CloudFormation templates found/) },
    ]);
    expect(report.inputs).toEqual([]);
  });

  test('a directory lists its templates and skips JSON that is not one', () => {
    const loaded = loadInputs([`${fixtures}/templates`, `${fixtures}/bad`], cwd);
    expect(loaded.templates.map((t) => t.displayPath)).toEqual([
      `${fixtures}/templates/acknowledged.template.json`,
      `${fixtures}/templates/clean.json`,
      `${fixtures}/templates/short-form.yaml`,
      `${fixtures}/templates/violations.template.json`,
      `${fixtures}/templates/warning-only.json`,
      `${fixtures}/bad/foreach.yaml`,
    ]);
    expect(loaded.errors.map((e) => e.input)).toEqual([
      `${fixtures}/bad/malformed.json`,
      `${fixtures}/bad/malformed.yaml`,
    ]);
  });
});

describe('acknowledgments from template metadata, cdk-nag v2 metadata and a file', () => {
  const report = checkPaths([`${fixtures}/templates/acknowledged.template.json`], {
    cwd,
    packs: ['AwsSolutions'],
    today: TODAY,
    acknowledgments: [loadAcknowledgmentsFile(`${fixtures}/acknowledgments.yaml`, cwd)],
  });
  const on = (logicalId: string): string[] => lines(report.findings.filter((f) => f.logicalId === logicalId));

  test('a valid acknowledgment keeps the finding, acknowledged, with reason, owner and expiry', () => {
    expect(on('ValidAck')).toEqual(['ack AwsSolutions-S1 @ ValidAck', 'AwsSolutions-S10 @ ValidAck']);
    expect(report.findings.find((f) => f.logicalId === 'ValidAck')?.acknowledgment).toEqual({
      reason: 'access logs for this bucket go to the central account trail',
      owner: 'data-platform',
      expires: '2099-12-31',
      source: 'template',
    });
  });

  test('an expired acknowledgment does not hold and is itself an error finding', () => {
    expect(on('ExpiredAck')).toEqual([
      'AwsSolutions-S1 @ ExpiredAck',
      'AwsSolutions-S10 @ ExpiredAck',
      'MLOps-AckExpired[AwsSolutions-S1] @ ExpiredAck',
    ]);
    expect(
      report.findings.find((f) => f.ruleId === 'MLOps-AckExpired' && f.logicalId === 'ExpiredAck'),
    ).toMatchObject({
      level: 'error',
      pack: 'MLOps',
      granular: 'AwsSolutions-S1',
      message: 'The acknowledgment of AwsSolutions-S1 expired on 2020-01-01 (from template).',
    });
  });

  test('an acknowledgment expiring today still holds', () => {
    const same = checkPaths([`${fixtures}/templates/acknowledged.template.json`], {
      cwd,
      packs: ['AwsSolutions'],
      today: '2020-01-01',
    });
    expect(
      same.findings.find((f) => f.logicalId === 'ExpiredAck' && f.ruleId === 'AwsSolutions-S1')
        ?.acknowledgment,
    ).toBeDefined();
  });

  test('an acknowledgment without an owner does not hold', () => {
    expect(on('OwnerlessAck')).toEqual([
      'AwsSolutions-S1 @ OwnerlessAck',
      'AwsSolutions-S10 @ OwnerlessAck',
      'MLOps-AckOwner[AwsSolutions-S1] @ OwnerlessAck',
    ]);
  });

  test('an acknowledgment with a reason under 20 characters does not hold', () => {
    expect(on('ShortReasonAck')).toEqual([
      'AwsSolutions-S1 @ ShortReasonAck',
      'AwsSolutions-S10 @ ShortReasonAck',
      'MLOps-AckReason[AwsSolutions-S1] @ ShortReasonAck',
    ]);
  });

  test('cdk-nag v2 rules_to_suppress: honoured with an owner, an ownerless entry is a finding', () => {
    expect(on('CdkNagV2Ack')).toEqual([
      'AwsSolutions-S1 @ CdkNagV2Ack',
      'ack AwsSolutions-S10 @ CdkNagV2Ack',
      'MLOps-AckOwner[AwsSolutions-S1] @ CdkNagV2Ack',
    ]);
  });

  test('cdk-nag v2 applies_to acknowledges only the listed granular finding', () => {
    expect(on('CdkNagV2Granular')).toEqual([
      'AwsSolutions-IAM5[Action::s3:*] @ CdkNagV2Granular',
      'ack AwsSolutions-IAM5[Resource::*] @ CdkNagV2Granular',
    ]);
  });

  test('--acknowledgments file: an id acknowledges, an expired rule entry is a finding', () => {
    expect(on('FileAck')).toEqual([
      'ack AwsSolutions-S1 @ FileAck',
      'AwsSolutions-S10 @ FileAck',
      'MLOps-AckExpired[AwsSolutions-S10] @ FileAck',
    ]);
    expect(report.findings.find((f) => f.logicalId === 'FileAck')?.acknowledgment?.source).toBe(
      `file:${fixtures}/acknowledgments.yaml`,
    );
  });

  test('the acknowledgment findings fail the run even at fail-on error', () => {
    const onlyAcked = report.findings.filter((f) => f.ruleId.startsWith('MLOps-Ack') || f.acknowledgment);
    expect(exitCodeOf({ ...report, findings: onlyAcked }, 'error')).toBe(1);
    expect(
      exitCodeOf({ ...report, findings: report.findings.filter((f) => f.acknowledgment) }, 'error'),
    ).toBe(0);
  });
});

describe('acknowledgments file validation', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'check-acks-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test.each([
    ['missing', undefined, /no such file/],
    ['malformed', 'a: [1', /malformed YAML\/JSON/],
    ['entry without rule or id', '- resource: X\n  reason: r', /0: needs rule or id/],
    ['unknown key', '- id: A\n  resource: X\n  why: r', /0: /],
    ['not a list', 'id: A', /expected a list/],
  ])('%s', (_name, text, message) => {
    const file = join(dir, `${_name.replace(/\W/g, '-')}.yaml`);
    if (text !== undefined) writeFileSync(file, text);
    expect(() => loadAcknowledgmentsFile(file, cwd)).toThrow(message);
  });

  test('accepts JSON and construct paths with stack filters', () => {
    const file = join(dir, 'acks.json');
    writeFileSync(
      file,
      JSON.stringify({
        acknowledgments: [
          {
            id: 'AwsSolutions-S1',
            resource: '/App/Bucket',
            stack: 'App',
            reason: 'x'.repeat(20),
            owner: 'o',
            expires: '2099-01-01',
          },
        ],
      }),
    );
    expect(loadAcknowledgmentsFile(file, cwd).entries).toHaveLength(1);
  });
});

describe('cloud assemblies', () => {
  let outdir: string;
  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'check-assembly-'));
    const app = new App({ outdir });
    const stack = new Stack(app, 'Plain');
    const bucket = new CfnBucket(stack, 'Bucket');
    acknowledgeControl(bucket, 's3AccessLogs', VALID);
    acknowledge(bucket, 'AwsSolutions-S10', { ...VALID, expires: '2021-01-01' });
    const stage = new Stage(app, 'Prod');
    new CfnBucket(new Stack(stage, 'Svc'), 'StageBucket');
    app.synth();
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  const packs = ['AwsSolutions', 'HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'];

  test('checks every stack, nested Stage assemblies included', () => {
    const report = checkPaths([outdir], { cwd, packs, today: TODAY });
    expect(report.errors).toEqual([]);
    expect(report.inputs).toHaveLength(2);
    expect([...new Set(report.findings.map((f) => f.stack))].sort()).toEqual(['Plain', 'Prod/Svc']);
    expect(report.findings.find((f) => f.stack === 'Prod/Svc')).toMatchObject({
      logicalId: 'StageBucket',
      constructPath: 'Prod/Svc/StageBucket',
      templatePath: expect.stringMatching(/assembly-Prod\/ProdSvc[0-9A-F]*\.template\.json$/),
    });
  });

  test('honours assembly acknowledgments: one cross-pack call acknowledges the control in every pack', () => {
    const report = checkPaths([outdir], { cwd, packs, today: TODAY });
    const acked = report.findings
      .filter((f) => f.stack === 'Plain' && f.acknowledgment)
      .map((f) => f.findingId);
    expect(acked.sort()).toEqual([
      'AwsSolutions-S1',
      'HIPAA.Security-S3BucketLoggingEnabled',
      'NIST.800.53.R5-S3BucketLoggingEnabled',
      'PCI.DSS.321-S3BucketLoggingEnabled',
    ]);
    expect(
      report.findings.find((f) => f.stack === 'Plain' && f.findingId === 'AwsSolutions-S1')?.acknowledgment,
    ).toMatchObject({
      owner: 'data-platform',
      expires: '2099-12-31',
      source: 'assembly',
    });
  });

  test('an expired assembly acknowledgment is one MLOps-AckExpired finding and the finding stays open', () => {
    const report = checkPaths([outdir], { cwd, packs, today: TODAY });
    expect(report.findings.filter((f) => f.ruleId === 'MLOps-AckExpired').map((f) => f.findingId)).toEqual([
      'MLOps-AckExpired[AwsSolutions-S10]',
    ]);
    expect(report.findings.find((f) => f.findingId === 'AwsSolutions-S10')?.acknowledgment).toBeUndefined();
  });

  test('locates findings at the user source line from creation stack traces', () => {
    const report = checkPaths([outdir], { cwd, packs: ['AwsSolutions'], today: TODAY });
    expect(report.findings.find((f) => f.logicalId === 'Bucket')?.source).toMatchObject({
      file: 'test/check/check.test.ts',
      line: expect.any(Number),
    });
  });

  test('a manifest that is not JSON is an input error', () => {
    const broken = mkdtempSync(join(tmpdir(), 'check-broken-'));
    writeFileSync(join(broken, 'manifest.json'), '{');
    try {
      const report = checkPaths([broken], { cwd, packs });
      expect(report.errors).toEqual([
        { input: expect.any(String), message: expect.stringMatching(/^malformed manifest\.json: /) },
      ]);
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });
});

describe('helpers', () => {
  test('splitRuleName separates the granular part', () => {
    expect(splitRuleName('AwsSolutions-IAM5[Resource::*]')).toEqual({
      ruleId: 'AwsSolutions-IAM5',
      granular: 'Resource::*',
    });
    expect(splitRuleName('AwsSolutions-S1')).toEqual({ ruleId: 'AwsSolutions-S1' });
  });

  test('parseFrame keeps user frames and drops library ones', () => {
    expect(parseFrame('new Thing (/repo/lib/thing.ts:12:5)', '/repo')).toEqual({
      file: 'lib/thing.ts',
      line: 12,
      column: 5,
    });
    expect(parseFrame('at /repo/examples/reference-app/app.ts:3:1', '/repo')).toEqual({
      file: 'examples/reference-app/app.ts',
      line: 3,
      column: 1,
    });
    expect(parseFrame('new Bucket (/repo/node_modules/aws-cdk-lib/x.js:1:1)', '/repo')).toBeUndefined();
    expect(parseFrame('...aws-cdk-lib...', '/repo')).toBeUndefined();
  });

  test('logicalIdLines finds resource keys in JSON and YAML, not nested keys', () => {
    const json =
      '{\n  "Resources": {\n    "A": {\n      "Type": "X",\n      "Properties": { "B": 1 }\n    },\n    "B": {}\n  }\n}';
    expect([...logicalIdLines(json)]).toEqual([
      ['A', 3],
      ['B', 7],
    ]);
    expect([
      ...logicalIdLines('Resources:\n  A:\n    Type: X\n  B:\n    Type: Y\nOutputs:\n  C: {}'),
    ]).toEqual([
      ['A', 2],
      ['B', 4],
    ]);
    expect(logicalIdLines('{"Resources":{"A":{"Type":"X"}}}').get('A')).toBe(1);
  });
});
