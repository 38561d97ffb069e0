import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { afterAll, describe, expect, test } from 'vitest';
import { deferUnloadedModules } from '../../lib/check/deferred-modules';
import { Finding, InputError } from '../../lib/report/finding';

const REPO = join(__dirname, '..', '..');
const CHILD = join(__dirname, 'support', 'check-child.ts');
const dir = mkdtempSync(join(tmpdir(), 'deferred-modules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface ChildResult {
  readonly findings: Finding[];
  readonly errors: InputError[];
  readonly evaluated: string[];
  /** Whether secretlint's preset (the lifecycle-script scanner) was loaded. */
  readonly secretScanner: boolean;
}

function checkInChild(paths: string[], ...flags: string[]): ChildResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CHILD, ...paths, ...flags], {
    cwd: REPO,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: 240_000,
  });
  if (r.status !== 0) throw new Error(`check child exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as ChildResult;
}

/** Whether aws-cdk-lib's `<name>/lib/index.js` (the service module itself) was evaluated. */
const evaluated = (name: string): boolean =>
  Object.keys(require.cache).some((f) => f.endsWith(join('aws-cdk-lib', name, 'lib', 'index.js')));

// Issue 15 (start-up of a one-resource check): cdk-nag's rules begin with `node instanceof <L1>`,
// and each such access evaluated the whole service module (QuickSight alone is 5 MB of code).
describe('a one-resource check evaluates only the service modules its resource needs', () => {
  test('an S3 bucket evaluates aws-s3, not QuickSight, EC2, SageMaker or RDS', () => {
    const file = join(dir, 'one.template.json');
    writeFileSync(file, JSON.stringify({ Resources: { Bucket: { Type: 'AWS::S3::Bucket' } } }));
    const r = checkInChild([file]);
    expect(r.findings.length).toBeGreaterThan(10);
    expect(r.evaluated).toContain('aws-s3');
    for (const heavy of ['aws-quicksight', 'aws-ec2', 'aws-sagemaker', 'aws-rds', 'aws-glue', 'aws-ecs'])
      expect(r.evaluated).not.toContain(heavy);
    // Without deferral the same check evaluated more than 50 service modules.
    expect(r.evaluated.length).toBeLessThan(6);
    // No lifecycle script to scan: secretlint's preset is not loaded either.
    expect(r.secretScanner).toBe(false);
  });
});

describe('deferral changes no finding', () => {
  test('the corpus with all six packs: the same findings, in the same order, as with every module evaluated up front', () => {
    const corpus = join(REPO, 'test', 'fixtures', 'corpus');
    const deferred = checkInChild([corpus]);
    const eager = checkInChild([corpus], '--preload');
    expect(eager.evaluated.length).toBeGreaterThan(deferred.evaluated.length + 20);
    expect(deferred.findings.length).toBeGreaterThan(300);
    expect(deferred.findings).toEqual(eager.findings);
    expect(deferred.errors).toEqual(eager.errors);
    // The corpus has lifecycle scripts: the scanner loaded when the first one was scanned.
    expect(deferred.secretScanner).toBe(true);
  });
});

// Each case uses a service module nothing else in this file evaluates, so the deferral is fresh.
describe('a deferred export', () => {
  const defer = (name: string): Record<string, unknown> => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exports = require(`aws-cdk-lib/${name}`) as Record<string, unknown>;
    expect(evaluated(name)).toBe(false);
    return exports;
  };

  test('answers instanceof false for an unrelated object without evaluating its module', () => {
    const exports = defer('aws-gamelift');
    const d = deferUnloadedModules();
    try {
      expect(d.deferred).toContain('aws-gamelift');
      const stack = new Stack(new App(), 'S');
      expect(stack instanceof (exports.CfnFleet as new () => object)).toBe(false);
      expect({} instanceof (exports.CfnFleet as new () => object)).toBe(false);
      expect(evaluated('aws-gamelift')).toBe(false);
    } finally {
      d.restore();
    }
  });

  test('builds the real class on new, answers instanceof true for it, and puts the real class back', () => {
    const exports = defer('aws-groundstation');
    const d = deferUnloadedModules();
    try {
      const Config = exports.CfnConfig as new (s: Stack, id: string, p: object) => object;
      const config = new Config(new Stack(new App(), 'S'), 'C', {
        name: 'c',
        configData: { trackingConfig: { autotrack: 'REQUIRED' } },
      });
      expect(evaluated('aws-groundstation')).toBe(true);
      expect(config instanceof Config).toBe(true);
      const real = Object.getOwnPropertyDescriptor(exports, 'CfnConfig')?.value as {
        CFN_RESOURCE_TYPE_NAME: string;
      };
      expect(typeof real).toBe('function');
      expect(config.constructor).toBe(real);
      expect(real.CFN_RESOURCE_TYPE_NAME).toBe('AWS::GroundStation::Config');
    } finally {
      d.restore();
    }
  });

  test('recognises an instance of the real class made before the stand-in was asked, and a subclass', () => {
    const exports = defer('aws-iotfleetwise');
    const d = deferUnloadedModules();
    try {
      const standIn = exports.CfnSignalCatalog as new (s: Stack, id: string, p: object) => object;
      // A static member loads the real module (as CfnInclude's `_fromCloudFormation` does).
      expect((standIn as unknown as { CFN_RESOURCE_TYPE_NAME: string }).CFN_RESOURCE_TYPE_NAME).toBe(
        'AWS::IoTFleetWise::SignalCatalog',
      );
      class Mine extends standIn {}
      const mine = new Mine(new Stack(new App(), 'S'), 'M', {});
      expect(mine instanceof standIn).toBe(true);
      expect(mine instanceof Mine).toBe(true);
      expect(mine instanceof (exports.CfnSignalCatalog as new () => object)).toBe(true);
    } finally {
      d.restore();
    }
  });

  test('restore puts back the getters of exports never used', () => {
    const exports = defer('aws-robomaker');
    const before = Object.getOwnPropertyDescriptor(exports, 'CfnFleet');
    const d = deferUnloadedModules();
    expect(Object.getOwnPropertyDescriptor(exports, 'CfnFleet')?.get).not.toBe(before?.get);
    d.restore();
    expect(Object.getOwnPropertyDescriptor(exports, 'CfnFleet')).toEqual(before);
  });

  test('every Cfn export of a service module is a class, which a stand-in can represent', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exports = require('aws-cdk-lib/aws-quicksight') as Record<string, unknown>;
    const cfn = Object.keys(exports).filter((k) => k.startsWith('Cfn'));
    expect(cfn.length).toBeGreaterThan(10);
    for (const k of cfn) expect(typeof exports[k]).toBe('function');
  });
});
