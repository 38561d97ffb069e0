import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Ajv from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import { beforeAll, describe, expect, test } from 'vitest';
import { loadAcknowledgmentsFile } from '../../lib/check/acknowledgments';
import { checkPaths } from '../../lib/check/check';
import { Report } from '../../lib/report/finding';
import { writeJson } from '../../lib/report/json';
import { writeJunit } from '../../lib/report/junit';
import { writeMarkdown } from '../../lib/report/markdown';
import { writeSarif } from '../../lib/report/sarif';
import { anchorsOf } from '../../lib/policy/anchor-mapping';
import { fingerprintOf, summarize } from '../../lib/report/summary';
import { writeText } from '../../lib/report/text';
import { REPORT_FORMATS, writeReport } from '../../lib/report/writers';

const cwd = join(__dirname, '..', '..');
const fixtures = 'test/fixtures/check';

/** A hand-made report with a source location, a granular finding, an acknowledged one and an input error. */
const handMade: Report = {
  tool: { name: 'compliant-mlops', version: '1.2.3', command: 'check' },
  packs: ['AwsSolutions', 'MLOps'],
  inputs: ['cdk.out/App.template.json'],
  errors: [{ input: 'broken.yaml', message: 'malformed YAML: bad indentation at line 2, column 3' }],
  rules: [
    {
      id: 'AwsSolutions-IAM5',
      pack: 'AwsSolutions',
      info: 'The IAM entity contains wildcard permissions.',
      explanation: 'Least privilege.',
      level: 'error',
    },
    {
      id: 'MLOps-SageMakerModelNetworkIsolation',
      pack: 'MLOps',
      info: 'No network isolation.',
      level: 'error',
      nist: ['SC-7'],
      securitySeverity: 8,
    },
  ],
  findings: [
    {
      ruleId: 'AwsSolutions-IAM5',
      findingId: 'AwsSolutions-IAM5[Resource::*]',
      granular: 'Resource::*',
      level: 'error',
      pack: 'AwsSolutions',
      message: 'The IAM entity contains wildcard permissions.',
      stack: 'App',
      templatePath: 'cdk.out/App.template.json',
      templateLine: 40,
      logicalId: 'RoleABC',
      constructPath: 'App/Role/Resource',
      resourceType: 'AWS::IAM::Role',
      source: { file: 'lib/app.ts', line: 12, column: 5 },
    },
    {
      ruleId: 'MLOps-SageMakerModelNetworkIsolation',
      findingId: 'MLOps-SageMakerModelNetworkIsolation',
      level: 'error',
      pack: 'MLOps',
      message: 'No network isolation | with a pipe & <angle>.',
      stack: 'App',
      templatePath: 'cdk.out/App.template.json',
      templateLine: 60,
      logicalId: 'Model',
      resourceType: 'AWS::SageMaker::Model',
      acknowledgment: {
        reason: 'the container needs the feature store endpoint',
        owner: 'ml-team',
        expires: '2099-01-01',
        source: 'assembly',
      },
    },
  ],
};

let real: Report;
beforeAll(() => {
  real = checkPaths(
    [
      `${fixtures}/templates/violations.template.json`,
      `${fixtures}/templates/acknowledged.template.json`,
      `${fixtures}/templates/short-form.yaml`,
      `${fixtures}/bad/malformed.json`,
    ],
    {
      cwd,
      today: '2026-06-01',
      acknowledgments: [loadAcknowledgmentsFile(`${fixtures}/acknowledgments.yaml`, cwd)],
    },
  );
});

describe('json', () => {
  const schema = JSON.parse(readFileSync(join(cwd, 'docs/check-report.schema.json'), 'utf8')) as object;
  const validate = new Ajv({ allErrors: true }).compile(schema);

  test.each([
    ['a real run', () => real],
    ['a hand-made report', () => handMade],
  ])('%s validates against docs/check-report.schema.json', (_n, get) => {
    const json = JSON.parse(writeJson(get())) as unknown;
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
  });

  test('carries summary counts and a fingerprint per finding', () => {
    const json = JSON.parse(writeJson(handMade)) as { summary: unknown; findings: { fingerprint: string }[] };
    expect(json.summary).toEqual({
      open: 1,
      errors: 1,
      warnings: 0,
      notes: 0,
      acknowledged: 1,
      inputErrors: 1,
      inputs: 1,
    });
    expect(json.findings[0].fingerprint).toBe(fingerprintOf(handMade.findings[0]));
  });
});

describe('sarif', () => {
  // SARIF 2.1.0 as the dev dependency @microsoft/jest-sarif ships it (MIT), so a plain clone can run this.
  const schema = JSON.parse(
    readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
  ) as object;
  // unicodeRegExp: false because rtm.5's language pattern (`^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$`)
  // has a lone `]`, which only non-unicode regular expressions accept (the OASIS errata fixed it).
  const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
  ajv.addFormat('uri', (s: string) => /^[a-z][a-z0-9+.-]*:/i.test(s));
  ajv.addFormat('uri-reference', (s: string) => !/\s/.test(s));
  ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
  const validate = ajv.compile(schema);

  interface Sarif {
    runs: {
      tool: {
        driver: {
          name: string;
          rules: {
            id: string;
            properties: Record<string, unknown>;
            help: { text: string; markdown: string };
          }[];
        };
      };
      automationDetails: { id: string };
      results: {
        ruleId: string;
        ruleIndex: number;
        level: string;
        message: { text: string };
        locations: {
          physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
        }[];
        partialFingerprints: { primaryLocationLineHash: string };
        suppressions?: unknown[];
      }[];
    }[];
  }

  test.each([
    ['a real run', () => real],
    ['a hand-made report', () => handMade],
  ])('%s validates against the SARIF 2.1.0 schema', (_n, get) => {
    const sarif = JSON.parse(writeSarif(get())) as unknown;
    expect(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  });

  test('one run per pack that ran, with a category per pack', () => {
    const sarif = JSON.parse(writeSarif(real, { category: 'ml-app' })) as Sarif;
    expect(sarif.runs.map((r) => r.tool.driver.name)).toEqual([
      'compliant-mlops AwsSolutions',
      'compliant-mlops HIPAA.Security',
      'compliant-mlops NIST.800.53.R5',
      'compliant-mlops PCI.DSS.321',
      'compliant-mlops Serverless',
      'compliant-mlops MLOps',
    ]);
    expect(sarif.runs[0].automationDetails.id).toBe('ml-app/AwsSolutions/');
    expect(sarif.runs[4].results).toEqual([]);
  });

  test('results use the base rule id, the matching ruleIndex, and the granular part in the message', () => {
    const sarif = JSON.parse(writeSarif(real)) as Sarif;
    for (const run of sarif.runs) {
      for (const r of run.results) expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
    }
    const iam5 = sarif.runs[0].results.filter((r) => r.ruleId === 'AwsSolutions-IAM5');
    expect(iam5.map((r) => r.message.text)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('[Action::s3:*] (WorkerRole in violations)'),
        expect.stringContaining('[Resource::*]'),
      ]),
    );
  });

  test('an MLOps rule descriptor carries the anchor controls the mapping gives it, and still validates', () => {
    const sarif = JSON.parse(writeSarif(handMade)) as Sarif;
    const [aws, mlops] = sarif.runs.map((r) => r.tool.driver.rules[0]);
    expect(mlops.properties.anchors).toEqual(anchorsOf('MLOps-SageMakerModelNetworkIsolation'));
    expect(mlops.properties.anchors).toContain('SecurityHub:SageMaker.5');
    expect(mlops.help.markdown).toContain('`Config:sagemaker-model-isolation-enabled`');
    // A rule no anchor control maps onto carries no empty list.
    expect(aws.properties).not.toHaveProperty('anchors');
    expect(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  });

  test('rule descriptors carry security tags, security-severity and precision; MLOps rules their own severity and controls', () => {
    const sarif = JSON.parse(writeSarif(handMade)) as Sarif;
    const [aws, mlops] = sarif.runs.map((r) => r.tool.driver.rules[0]);
    expect(aws.properties).toMatchObject({
      tags: ['security', 'AwsSolutions'],
      'security-severity': '7.0',
      precision: 'high',
    });
    expect(mlops.properties).toMatchObject({
      tags: ['security', 'MLOps', 'NIST-800-53-SC-7'],
      'security-severity': '8.0',
    });
    expect(mlops.help.markdown).toContain('`SC-7`');
    expect(aws.help.text).toContain('Least privilege.');
  });

  test('locates at the source line when known, else at the logical id line in the template', () => {
    const sarif = JSON.parse(writeSarif(handMade)) as Sarif;
    expect(sarif.runs[0].results[0].locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'lib/app.ts' },
      region: { startLine: 12, startColumn: 5 },
    });
    expect(sarif.runs[1].results[0].locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'cdk.out/App.template.json' },
      region: { startLine: 60 },
    });
  });

  test('artifact URIs are relative to %SRCROOT%, which originalUriBaseIds names; regions carry the column', () => {
    const withRoot: Report = {
      ...handMade,
      root: '/work/app',
      findings: handMade.findings.map((f) => ({ ...f, source: undefined, templateColumn: 3 })),
    };
    const sarif = JSON.parse(writeSarif(withRoot)) as Sarif & {
      runs: { originalUriBaseIds: Record<string, { uri: string }> }[];
    };
    expect(sarif.runs[0].originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: 'file:///work/app/' } });
    expect(sarif.runs[1].results[0].locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'cdk.out/App.template.json', uriBaseId: '%SRCROOT%' },
      region: { startLine: 60, startColumn: 3 },
    });
    expect(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  });

  test('a corpus run with nested stacks, SAM, Fn::If branches and input errors validates, with exact locations', () => {
    const corpus = 'test/fixtures/corpus';
    const report = checkPaths(
      [
        `${corpus}/nested-parent.yaml`,
        `${corpus}/sam-inference-function.yaml`,
        `${corpus}/if-whole-properties.yaml`,
        `${corpus}/notebook-open.json`,
      ],
      { cwd, packs: ['MLOps'], today: '2026-06-01' },
    );
    expect(report.errors.length).toBeGreaterThan(0);
    expect(report.notChecked?.length).toBeGreaterThan(0);
    const sarif = JSON.parse(writeSarif(report)) as {
      runs: {
        originalUriBaseIds: Record<string, { uri: string }>;
        invocations: { executionSuccessful: boolean }[];
        results: {
          properties: { logicalId: string };
          locations: {
            physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: object };
          }[];
        }[];
      }[];
    };
    expect(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const run = sarif.runs[0];
    expect(run.originalUriBaseIds['%SRCROOT%'].uri).toBe(`${pathToFileURL(cwd).href}/`);
    expect(run.invocations[0].executionSuccessful).toBe(false);
    const where = (id: string) =>
      run.results.find((r) => r.properties.logicalId === id)?.locations[0].physicalLocation;
    expect(where('ChildModel')).toEqual({
      artifactLocation: { uri: `${corpus}/nested/serving-child.yaml`, uriBaseId: '%SRCROOT%' },
      region: { startLine: 7, startColumn: 3 },
    });
    expect(where('Notebook')).toEqual({
      artifactLocation: { uri: `${corpus}/notebook-open.json`, uriBaseId: '%SRCROOT%' },
      region: { startLine: 17, startColumn: 5 },
    });
  });

  test('resources not checked are warning notifications with their location, in every run', () => {
    const report: Report = {
      ...handMade,
      errors: [],
      root: '/work/app',
      notChecked: [
        {
          templatePath: 'sam/template.yaml',
          stack: 'template',
          logicalId: 'Fn',
          resourceType: 'AWS::Serverless::Function',
          line: 5,
          column: 3,
          reason: 'expanded by the AWS::Serverless-2016-10-31 transform',
        },
      ],
    };
    const sarif = JSON.parse(writeSarif(report)) as {
      runs: { invocations: { executionSuccessful: boolean; toolExecutionNotifications: unknown[] }[] }[];
    };
    expect(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    for (const run of sarif.runs) {
      expect(run.invocations[0].executionSuccessful).toBe(true);
      expect(run.invocations[0].toolExecutionNotifications).toContainEqual({
        level: 'warning',
        message: {
          text: 'Fn (AWS::Serverless::Function) not checked: expanded by the AWS::Serverless-2016-10-31 transform',
        },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: 'sam/template.yaml', uriBaseId: '%SRCROOT%' },
              region: { startLine: 5, startColumn: 3 },
            },
          },
        ],
      });
    }
  });

  test('fingerprints are sha256 of rule|stack|logical id|granular, stable across runs and line moves', () => {
    const first = JSON.parse(writeSarif(handMade)) as Sarif;
    const moved: Report = {
      ...handMade,
      findings: handMade.findings.map((f) => ({ ...f, templateLine: 1, source: undefined })),
    };
    const second = JSON.parse(writeSarif(moved)) as Sarif;
    expect(first.runs[0].results[0].partialFingerprints.primaryLocationLineHash).toMatch(/^[0-9a-f]{64}$/);
    expect(second.runs.map((r) => r.results[0].partialFingerprints)).toEqual(
      first.runs.map((r) => r.results[0].partialFingerprints),
    );
    expect(first.runs[0].results[0].partialFingerprints.primaryLocationLineHash).not.toBe(
      first.runs[1].results[0].partialFingerprints.primaryLocationLineHash,
    );
  });

  test("a run is unsuccessful only for its own pack's errors and for errors that concern every pack", () => {
    type Invocations = {
      runs: {
        invocations: {
          executionSuccessful: boolean;
          toolExecutionNotifications: { message: { text: string } }[];
        }[];
      }[];
    };
    const audit: Report = {
      tool: { name: 'compliant-mlops', version: '1.2.3', command: 'audit' },
      packs: ['models', 'notebooks', 'keys'],
      inputs: ['eu-west-1'],
      rules: [],
      findings: [],
      errors: [
        {
          input: 'check notebooks',
          message: 'access denied, not checked (AccessDeniedException)',
          pack: 'notebooks',
        },
      ],
    };
    const runs = (JSON.parse(writeSarif(audit)) as Invocations).runs.map((r) => r.invocations[0]);
    expect(runs.map((i) => i.executionSuccessful)).toEqual([true, false, true]);
    expect(runs.map((i) => i.toolExecutionNotifications.map((n) => n.message.text))).toEqual([
      [],
      ['check notebooks: access denied, not checked (AccessDeniedException)'],
      [],
    ]);
    // An error without a pack (an unreadable template) leaves every run incomplete.
    const check = (JSON.parse(writeSarif(handMade)) as Invocations).runs.map(
      (r) => r.invocations[0].executionSuccessful,
    );
    expect(check).toEqual([false, false]);
  });

  test('json carries the pack of an input error when it has one, and still validates', () => {
    const audit: Report = {
      tool: { name: 'compliant-mlops', version: '1.2.3', command: 'audit' },
      packs: ['models', 'notebooks'],
      inputs: ['eu-west-1'],
      rules: [],
      findings: [],
      errors: [
        {
          input: 'check notebooks',
          message: 'access denied, not checked (AccessDeniedException)',
          pack: 'notebooks',
        },
        { input: 'credentials', message: 'the access key was rejected' },
      ],
    };
    const json = JSON.parse(writeJson(audit)) as { errors: unknown[] };
    expect(json.errors).toEqual([
      {
        input: 'check notebooks',
        message: 'access denied, not checked (AccessDeniedException)',
        pack: 'notebooks',
      },
      { input: 'credentials', message: 'the access key was rejected' },
    ]);
    const schema = JSON.parse(readFileSync(join(cwd, 'docs/check-report.schema.json'), 'utf8')) as object;
    const validate = new Ajv({ allErrors: true }).compile(schema);
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...json, errors: [{ input: 'x', message: 'y', pack: 3 }] })).toBe(false);
  });

  test('acknowledged findings are results with an external suppression and its justification', () => {
    const sarif = JSON.parse(writeSarif(handMade)) as Sarif;
    expect(sarif.runs[0].results[0].suppressions).toBeUndefined();
    expect(sarif.runs[1].results[0].suppressions).toEqual([
      {
        kind: 'external',
        status: 'accepted',
        justification: 'the container needs the feature store endpoint',
        properties: { owner: 'ml-team', expires: '2099-01-01', source: 'assembly' },
      },
    ]);
  });
});

describe('junit', () => {
  test('one test case per rule × resource: failures for open findings, skipped for acknowledged', () => {
    const xml = writeJunit(real);
    const iam5 = xml.match(/<testcase name="AwsSolutions-IAM5 WorkerRole"[^]*?<\/testcase>/)?.[0] ?? '';
    expect(iam5).toContain('<failure');
    expect(iam5).toContain('[Action::s3:*]');
    expect(iam5).toContain('[Resource::*]');
    expect(xml).toMatch(
      /<testcase name="AwsSolutions-S1 ValidAck" classname="AwsSolutions.acknowledged"[^>]*>\s*<skipped message="acknowledged: access logs/,
    );
    expect(xml).toMatch(/<testsuite name="inputs" tests="1" failures="0" errors="1"/);
    const cases = xml.match(/<testcase /g)?.length ?? 0;
    const total = Number(/<testsuites [^>]*tests="(\d+)"/.exec(xml)?.[1]);
    expect(total).toBe(cases);
  });

  test('escapes XML special characters', () => {
    const xml = writeJunit({
      ...handMade,
      findings: [{ ...handMade.findings[1], acknowledgment: undefined }],
    });
    expect(xml).toContain('No network isolation | with a pipe &amp; &lt;angle&gt;.');
    expect(xml).not.toContain('<angle>');
  });
});

describe('markdown', () => {
  test('a table of open findings, acknowledged ones collapsed, input errors listed', () => {
    const md = writeMarkdown(handMade);
    expect(md).toContain('| Level | Rule | Resource | Stack | Message | Location |');
    expect(md).toContain(
      '| 🔴 error | `AwsSolutions-IAM5` `Resource::*` | `RoleABC`<br>AWS::IAM::Role | App | The IAM entity contains wildcard permissions. | `lib/app.ts:12` |',
    );
    expect(md).toContain('<details><summary>1 acknowledged</summary>');
    expect(md).toContain(
      '| `MLOps-SageMakerModelNetworkIsolation` | `Model`<br>AWS::SageMaker::Model | the container needs the feature store endpoint | ml-team | 2099-01-01 |',
    );
    expect(md).toContain('- `broken.yaml`: malformed YAML');
  });

  test('escapes pipes and HTML in cells and caps the rows', () => {
    const many: Report = {
      ...handMade,
      findings: Array.from({ length: 5 }, () => ({ ...handMade.findings[1], acknowledgment: undefined })),
    };
    const md = writeMarkdown(many, { maxRows: 2 });
    expect(md).toContain('No network isolation \\| with a pipe &amp; &lt;angle&gt;.');
    expect(md).toContain('…and 3 more.');
  });
});

describe('text', () => {
  test('groups by stack and resource, marks acknowledged findings, ends with a summary', () => {
    const text = writeText(handMade);
    expect(text).toBe(
      [
        'App (cdk.out/App.template.json)',
        '  RoleABC  AWS::IAM::Role  App/Role/Resource',
        '    error   AwsSolutions-IAM5 [Resource::*]  The IAM entity contains wildcard permissions.  lib/app.ts:12',
        '  Model  AWS::SageMaker::Model',
        '    acked   MLOps-SageMakerModelNetworkIsolation  No network isolation | with a pipe & <angle>.  cdk.out/App.template.json:60',
        '            the container needs the feature store endpoint (owner ml-team, until 2099-01-01, from assembly)',
        '',
        'input errors',
        '  error  broken.yaml: malformed YAML: bad indentation at line 2, column 3',
        '',
        '1 error, 0 warnings, 0 notes; 1 acknowledged; 1 template checked; 1 input error',
        '',
      ].join('\n'),
    );
  });

  test('colours only when asked', () => {
    expect(writeText(handMade)).not.toContain('\u001b[');
    expect(writeText(handMade, { color: true })).toContain('\u001b[31merror');
  });

  test('says so when there is nothing to report', () => {
    const clean: Report = { ...handMade, findings: [], errors: [] };
    expect(writeText(clean)).toBe(
      'no findings\n0 errors, 0 warnings, 0 notes; 0 acknowledged; 1 template checked\n',
    );
  });
});

test('writeReport renders every format and summarize counts consistently', () => {
  for (const format of REPORT_FORMATS) expect(writeReport(real, format).length).toBeGreaterThan(100);
  const s = summarize(real);
  expect(s.open + s.acknowledged).toBe(real.findings.length);
  expect(s.errors + s.warnings + s.notes).toBe(s.open);
});
