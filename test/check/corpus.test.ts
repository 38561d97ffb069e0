import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { checkTemplates, exitCodeOf, reportOf, resolvePackNames } from '../../lib/check/check';
import { loadInputs } from '../../lib/check/inputs';
import { MLOPS_RULES } from '../../lib/policy/rules';
import { Report } from '../../lib/report/finding';

// The corpus: templates written for this repository in the shapes security teams are handed
// (hand-written YAML with short forms, JSON, SAM, nested stacks, conditions, mappings, parameters,
// Fn::ForEach, AWS::Include), covering every SageMaker resource type the MLOps pack checks,
// compliant and not. expected.json pins, per top-level fixture, the exact set of (rule id,
// logical id) findings, the input errors, the resources not checked and the exit code; a
// nested stack's child is pinned under its parent. Rule changes move these pins on purpose:
// re-pin with `npm run test:corpus:update` and review the diff.
const cwd = join(__dirname, '..', '..');
const corpus = 'test/fixtures/corpus';
const expectedFile = join(cwd, corpus, 'expected.json');
const TODAY = '2026-06-01';
const UPDATE = process.env.UPDATE_CORPUS === '1';

/** What is pinned for one top-level fixture. */
interface Pinned {
  readonly exitCode: number;
  /** `ruleId @ logicalId`, or `ruleId @ child/path.yaml#logicalId` for a nested stack's child; sorted, unique. */
  readonly findings: string[];
  /** `path: message` of each input error of the fixture or its children. */
  readonly errors: string[];
  /** `logicalId resourceType` of each resource not checked. */
  readonly notChecked: string[];
}

const TEMPLATE = new Set(['.json', '.yaml', '.yml', '.template']);
const fixtures = readdirSync(join(cwd, corpus))
  .filter((f) => TEMPLATE.has(extname(f)) && f !== 'expected.json')
  .sort();

interface CorpusRun {
  readonly report: Report;
  readonly rootOf: (path: string) => string | undefined;
  /** `templatePath#logicalId` of every resource checked, by resource type. */
  readonly resourcesByType: ReadonlyMap<string, string[]>;
}

let cached: CorpusRun | undefined;

/** One checker run over the whole corpus, as `check test/fixtures/corpus` does it. */
function runCorpus(): CorpusRun {
  if (cached) return cached;
  const packs = resolvePackNames(undefined);
  const loaded = loadInputs([corpus], cwd);
  const report = reportOf(loaded, checkTemplates(loaded.templates, { cwd, packs, today: TODAY }), packs);
  const parent = new Map(loaded.templates.map((t) => [t.displayPath, t.nestedIn?.templatePath]));
  const rootOf = (path: string): string | undefined => {
    let p: string | undefined = path;
    for (let depth = 0; p !== undefined && depth < 20; depth++) {
      const up = parent.get(p);
      if (up === undefined) return p;
      p = up;
    }
    return p;
  };
  const resourcesByType = new Map<string, string[]>();
  for (const t of loaded.templates) {
    for (const [id, r] of Object.entries(t.template.Resources)) {
      if (typeof r?.Type !== 'string') continue;
      resourcesByType.set(r.Type, [...(resourcesByType.get(r.Type) ?? []), `${t.displayPath}#${id}`]);
    }
  }
  cached = { report, rootOf, resourcesByType };
  return cached;
}

/** The fixture an error belongs to: its own input, or the parent a missing child names. */
function errorRoot(input: string, message: string, rootOf: (p: string) => string | undefined): string {
  const parent = /^nested stack \S+ of (\S+)/.exec(message)?.[1];
  return rootOf(parent ?? input) ?? input;
}

function pinsOf(report: Report, rootOf: (p: string) => string | undefined): Record<string, Pinned> {
  const rel = (p: string): string => (p.startsWith(`${corpus}/`) ? p.slice(corpus.length + 1) : p);
  const out: Record<string, Pinned> = {};
  for (const fixture of fixtures) {
    const path = `${corpus}/${fixture}`;
    const findings = report.findings.filter((f) => rootOf(f.templatePath ?? '') === path);
    const errors = report.errors.filter((e) => errorRoot(e.input, e.message, rootOf) === path);
    const notChecked = (report.notChecked ?? []).filter((n) => rootOf(n.templatePath) === path);
    const sub: Report = { ...report, findings, errors, notChecked };
    out[fixture] = {
      exitCode: exitCodeOf(sub, 'error'),
      findings: [
        ...new Set(
          findings.map(
            (f) =>
              `${f.ruleId} @ ${f.templatePath === path ? '' : `${rel(f.templatePath ?? '')}#`}${f.logicalId}`,
          ),
        ),
      ].sort(),
      errors: errors.map((e) => `${rel(e.input)}: ${e.message}`),
      notChecked: notChecked.map((n) => `${n.logicalId} ${n.resourceType}`),
    };
  }
  return out;
}

describe('the corpus', () => {
  const { report, rootOf } = runCorpus();
  const actual = pinsOf(report, rootOf);
  if (UPDATE) writeFileSync(expectedFile, `${JSON.stringify(actual, null, 2)}\n`);
  const expected = existsSync(expectedFile)
    ? (JSON.parse(readFileSync(expectedFile, 'utf8')) as Record<string, Pinned>)
    : {};

  test('holds at least 40 templates, each pinned, none stale', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(40);
    expect(Object.keys(expected).sort()).toEqual(fixtures);
  });

  test.each(fixtures)(
    '%s: findings, input errors, not-checked resources and exit code as pinned',
    (fixture) => {
      expect(actual[fixture]).toEqual(expected[fixture]);
    },
  );

  test('nothing is refused with an internal CfnInclude message', () => {
    for (const e of report.errors) expect(e.message).not.toMatch(/IResolvable|is required$/);
  });
});

describe('what the corpus covers', () => {
  const texts = new Map(fixtures.map((f) => [f, readFileSync(join(cwd, corpus, f), 'utf8')] as const));
  const some = (pattern: RegExp): string[] => [...texts].filter(([, t]) => pattern.test(t)).map(([f]) => f);

  test.each([
    [
      'YAML short forms',
      /!(Ref|Sub|GetAtt \w+\.\w+|If|FindInMap|Select|Join|Base64|Equals|And|Or|Not|Condition)\b/,
    ],
    ['!GetAtt Resource.Attribute', /!GetAtt \w+\.\w+/],
    ['!FindInMap', /!FindInMap/],
    ['!If', /!If\b/],
    ['JSON', /^\s*\{/],
    ['SAM', /Transform: AWS::Serverless-2016-10-31/],
    ['nested stacks', /AWS::CloudFormation::Stack/],
    ['conditions', /^Conditions:/m],
    ['mappings', /^Mappings:/m],
    ['parameters', /^Parameters:/m],
    ['parameters with AllowedValues', /AllowedValues:/],
    ['Fn::ForEach (AWS::LanguageExtensions)', /Fn::ForEach::/],
    ['AWS::Include', /AWS::Include/],
    ['a whole Properties Fn::If', /Properties: !If/],
    ['IAM roles', /AWS::IAM::Role/],
    ['S3 buckets', /AWS::S3::Bucket/],
    ['KMS keys', /AWS::KMS::Key/],
  ])('%s', (_what, pattern) => {
    expect(some(pattern).length).toBeGreaterThan(0);
  });

  const checkedTypes = [
    ...new Set(
      MLOPS_RULES.flatMap((r) => r.resourceTypes ?? []).filter(
        (t) => t.startsWith('AWS::SageMaker::') && !t.includes('*'),
      ),
    ),
  ].sort();
  // Also the types the brief names whose rules are being written (ImageVersion, ModelPackageGroup).
  const named = [
    'AWS::SageMaker::ImageVersion',
    'AWS::SageMaker::ModelPackageGroup',
    'AWS::SageMaker::NotebookInstanceLifecycleConfig',
  ];
  const all = [...new Set([...checkedTypes, ...named])].sort();
  test.each(all)('%s is in the corpus', (type) => {
    expect(runCorpus().resourcesByType.get(type)?.length ?? 0).toBeGreaterThan(0);
  });

  const sagemakerRules = MLOPS_RULES.filter((rule) =>
    (rule.resourceTypes ?? []).some((t) => t.startsWith('AWS::SageMaker::') && !t.includes('*')),
  );
  test.each(sagemakerRules.map((rule) => [rule.name, rule] as const))(
    'MLOps-%s fires on one resource of its types and stays quiet on another',
    (_name, rule) => {
      const { report, resourcesByType } = runCorpus();
      const id = `MLOps-${rule.name}`;
      const candidates = (rule.resourceTypes ?? []).flatMap((t) => resourcesByType.get(t) ?? []);
      const flagged = new Set(
        report.findings.filter((f) => f.ruleId === id).map((f) => `${f.templatePath}#${f.logicalId}`),
      );
      expect(flagged.size, `${id} fires somewhere`).toBeGreaterThan(0);
      expect(
        candidates.filter((c) => !flagged.has(c)).length,
        `${id} is quiet on some resource`,
      ).toBeGreaterThan(0);
    },
  );
});
