import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunnerResult as RawResult } from './cli-runner';

/** A runner result with its stdout read back. */
interface RunnerResult extends RawResult {
  readonly out: string;
}

/*
 * Hostile inputs for `compliant-mlops check`: every case must either exit 2 with exactly one
 * stderr line per bad input (no stack trace, no "internal error"), or give a correct check, and
 * finish within CASE_TIMEOUT_MS. The corpus is generated into a temporary directory.
 */

const CASE_TIMEOUT_MS = 20_000;
const RUNNER = join(__dirname, 'cli-runner.ts');

/** What a case must produce. */
type Expect =
  | {
      readonly kind: 'error';
      readonly lines: number;
      readonly match?: RegExp;
      /** An input that must still be checked, and appear in the report, despite the bad ones. */
      readonly stillChecks?: string;
    }
  | { readonly kind: 'check'; readonly verify?: (report: JsonReport, r: RunnerResult) => void }
  | { readonly kind: 'either' };

interface JsonReport {
  readonly inputs: string[];
  readonly errors: { input: string; message: string }[];
  readonly findings: {
    ruleId: string;
    pack: string;
    logicalId?: string;
    resourceType?: string;
    templatePath?: string;
  }[];
}

interface Case {
  readonly name: string;
  /** Paths (relative to the corpus dir) and options after `check`. */
  readonly args: readonly string[];
  readonly expect: Expect;
  /** Why the case is not run, when it cannot be on this machine. */
  readonly skip?: string;
  /**
   * A known bug this case reproduces: the test is `it.fails` until the bug is fixed (it then
   * turns red, and this marker goes).
   */
  readonly knownBug?: string;
}

let dir = '';
const results = new Map<string, RunnerResult | { hung: true; ms: number }>();
/** Output of the runner process outside its cases (fatal errors), for the log. */
let runnerStderr = '';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
/** The unprivileged user the runner becomes when the tests run as root. */
const NOBODY = 65534;

function write(name: string, content: string | Buffer): void {
  writeFileSync(join(dir, name), content);
}

const queue = (id: string, extra: Record<string, unknown> = {}) => ({
  [id]: { Type: 'AWS::SQS::Queue', Properties: { ...extra } },
});

/** A template near 10 MB: 400 queues, each with ~25 KB of tag values. */
function bigTemplate(): string {
  const resources: Record<string, unknown> = {};
  const value = 'v'.repeat(250);
  for (let i = 0; i < 400; i++) {
    Object.assign(
      resources,
      queue(`Queue${i}`, { Tags: Array.from({ length: 100 }, (_, t) => ({ Key: `k${t}`, Value: value })) }),
    );
  }
  return JSON.stringify({ Resources: resources });
}

function deepJson(levels: number): string {
  return `{"Resources":{"Q":{"Type":"AWS::SQS::Queue","Metadata":{"deep":${'['.repeat(levels)}1${']'.repeat(levels)}}}}}`;
}

const INTRINSICS = {
  AWSTemplateFormatVersion: '2010-09-09',
  Parameters: {
    Env: { Type: 'String', AllowedValues: ['dev', 'prod'], Default: 'dev' },
    KeyArn: { Type: 'String' },
  },
  Mappings: { Sizes: { dev: { Retention: 60 }, prod: { Retention: 1209600 } } },
  Conditions: {
    IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] },
    NotProd: { 'Fn::Not': [{ Condition: 'IsProd' }] },
  },
  Resources: {
    Key: {
      Type: 'AWS::KMS::Key',
      Properties: {
        EnableKeyRotation: { 'Fn::If': ['IsProd', true, false] },
        KeyPolicy: { 'Fn::Sub': '${KeyArn}' },
      },
    },
    Queue: {
      Type: 'AWS::SQS::Queue',
      Condition: 'NotProd',
      Properties: {
        KmsMasterKeyId: { 'Fn::If': ['IsProd', { 'Fn::GetAtt': ['Key', 'Arn'] }, { Ref: 'AWS::NoValue' }] },
        MessageRetentionPeriod: { 'Fn::FindInMap': ['Sizes', { Ref: 'Env' }, 'Retention'] },
        QueueName: {
          'Fn::Join': [
            '-',
            [{ Ref: 'AWS::StackName' }, { 'Fn::Select': [0, { 'Fn::Split': ['-', { Ref: 'Env' }] }] }],
          ],
        },
        RedrivePolicy: {
          deadLetterTargetArn: { 'Fn::GetAtt': ['Dlq', 'Arn'] },
          maxReceiveCount: { 'Fn::If': ['IsProd', 5, 3] },
        },
        Tags: [
          { Key: 'az', Value: { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] } },
          { Key: 'b64', Value: { 'Fn::Base64': 'x' } },
        ],
      },
    },
    Dlq: { Type: 'AWS::SQS::Queue', Properties: { KmsMasterKeyId: { 'Fn::ImportValue': 'shared-key' } } },
  },
  Outputs: { Arn: { Value: { 'Fn::GetAtt': ['Queue', 'Arn'] }, Condition: 'NotProd' } },
};

const YAML_SHORT_FORM = `AWSTemplateFormatVersion: 2010-09-09
Parameters:
  Env: { Type: String, Default: dev }
Conditions:
  IsProd: !Equals [!Ref Env, prod]
x-common: &queueProps
  MessageRetentionPeriod: 1209600
  Tags:
    - { Key: owner, Value: !Sub "\${AWS::StackName}-owner" }
Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: true
      KeyPolicy: { Version: "2012-10-17", Statement: [] }
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      <<: *queueProps
      KmsMasterKeyId: !GetAtt Key.Arn
      QueueName: !Join [ "-", [ !Ref "AWS::StackName", !If [IsProd, prod, dev] ] ]
  Other:
    Type: AWS::SQS::Queue
    Properties: *queueProps
`;

/** The same template in long-form JSON: the YAML above must give the same findings. */
const YAML_AS_JSON = {
  AWSTemplateFormatVersion: '2010-09-09',
  Parameters: { Env: { Type: 'String', Default: 'dev' } },
  Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } },
  Resources: {
    Key: {
      Type: 'AWS::KMS::Key',
      Properties: { EnableKeyRotation: true, KeyPolicy: { Version: '2012-10-17', Statement: [] } },
    },
    Queue: {
      Type: 'AWS::SQS::Queue',
      Properties: {
        MessageRetentionPeriod: 1209600,
        Tags: [{ Key: 'owner', Value: { 'Fn::Sub': '${AWS::StackName}-owner' } }],
        KmsMasterKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] },
        QueueName: {
          'Fn::Join': ['-', [{ Ref: 'AWS::StackName' }, { 'Fn::If': ['IsProd', 'prod', 'dev'] }]],
        },
      },
    },
    Other: {
      Type: 'AWS::SQS::Queue',
      Properties: {
        MessageRetentionPeriod: 1209600,
        Tags: [{ Key: 'owner', Value: { 'Fn::Sub': '${AWS::StackName}-owner' } }],
      },
    },
  },
};

function billionLaughs(): string {
  const lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i <= 9; i++)
    lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(',')}]`);
  lines.push('Resources:', '  Q:', '    Type: AWS::SQS::Queue', '    Metadata:', '      bomb: *a9');
  return `${lines.join('\n')}\n`;
}

const onlyFindingsOf = (report: JsonReport) =>
  report.findings.map((f) => `${f.ruleId} ${f.logicalId ?? ''}`).sort();

const CASES: readonly Case[] = [
  {
    name: 'empty JSON file',
    args: ['empty.json'],
    expect: { kind: 'error', lines: 1, match: /empty\.json: .*JSON/ },
  },
  {
    name: 'empty YAML file',
    args: ['empty.yaml'],
    expect: { kind: 'error', lines: 1, match: /empty\.yaml: / },
  },
  {
    name: 'binary file named .json',
    args: ['binary.json'],
    expect: { kind: 'error', lines: 1, match: /binary\.json: / },
  },
  {
    name: 'binary file named .yaml',
    args: ['binary.yaml'],
    expect: { kind: 'error', lines: 1, match: /binary\.yaml: / },
  },
  {
    name: '10 MB template (400 resources)',
    args: ['big.json', '--format', 'json'],
    expect: {
      kind: 'check',
      verify: (report) => {
        const flagged = new Set(
          report.findings.filter((f) => f.ruleId === 'AwsSolutions-SQS4').map((f) => f.logicalId),
        );
        expect(flagged.size).toBe(400);
      },
    },
  },
  { name: 'JSON nested 10,000 levels', args: ['deep.json', '--format', 'json'], expect: { kind: 'either' } },
  {
    name: 'JSON nested 200,000 levels',
    args: ['deeper.json', '--format', 'json'],
    expect: { kind: 'either' },
  },
  { name: 'YAML nested 10,000 levels', args: ['deep.yaml', '--format', 'json'], expect: { kind: 'either' } },
  {
    name: 'unknown resource types',
    args: ['unknown-types.json', '--format', 'json'],
    expect: {
      kind: 'check',
      verify: (report) => {
        expect(report.inputs).toEqual(['unknown-types.json']);
        expect(report.findings.some((f) => f.logicalId === 'Queue')).toBe(true);
      },
    },
  },
  {
    name: 'resource without a Type',
    args: ['no-type.json'],
    expect: { kind: 'error', lines: 1, match: /no-type\.json: / },
  },
  {
    name: 'Resources is a list',
    args: ['resources-list.json'],
    expect: { kind: 'error', lines: 1, match: /resources-list\.json: / },
  },
  {
    name: 'intrinsics everywhere',
    args: ['intrinsics.json', '--format', 'json'],
    expect: {
      kind: 'check',
      verify: (report) => {
        expect(report.errors).toEqual([]);
        expect(report.findings.some((f) => f.logicalId === 'Key')).toBe(true);
      },
    },
  },
  {
    name: 'language-extension intrinsics (Fn::ToJsonString, Fn::Length)',
    args: ['language-extensions.json'],
    expect: { kind: 'error', lines: 1, match: /language-extensions\.json: .*Fn::/ },
  },
  {
    name: 'Ref to a missing resource',
    args: ['dangling-ref.json'],
    expect: { kind: 'error', lines: 1, match: /dangling-ref\.json: / },
  },
  {
    name: 'YAML anchors, merge keys and short-form tags',
    args: ['short-form.yaml', '--format', 'json'],
    expect: { kind: 'check' },
  },
  {
    name: 'long-form JSON twin of the short-form YAML',
    args: ['short-form-long.json', '--format', 'json'],
    expect: { kind: 'check' },
  },
  {
    name: 'YAML alias bomb (billion laughs)',
    args: ['bomb.yaml'],
    expect: { kind: 'error', lines: 1, match: /bomb\.yaml: / },
  },
  {
    name: 'unknown YAML tag',
    args: ['bad-tag.yaml'],
    expect: { kind: 'error', lines: 1, match: /bad-tag\.yaml: .*NotAFunction/ },
  },
  {
    name: 'symlink loop file',
    args: ['loop/a.json'],
    expect: { kind: 'error', lines: 1, match: /loop\/a\.json: / },
  },
  {
    name: 'directory holding a symlink loop and a template',
    args: ['loop', '--format', 'json'],
    expect: {
      kind: 'error',
      lines: 2,
      match: /loop\/a\.json: cannot read: ELOOP/,
      stillChecks: 'loop/good.template.json',
    },
  },
  {
    name: 'directory holding a dangling symlink and a template',
    args: ['dangling', '--format', 'json'],
    expect: {
      kind: 'error',
      lines: 1,
      match: /dangling\/gone\.json: cannot read: ENOENT/,
      stillChecks: 'dangling/good.template.json',
    },
  },
  {
    name: 'unreadable file (chmod 000)',
    args: ['unreadable.json'],
    expect: { kind: 'error', lines: 1, match: /unreadable\.json: cannot read/ },
  },
  {
    name: 'directory named like a template',
    args: ['dir.json'],
    expect: { kind: 'error', lines: 1, match: /dir\.json: / },
  },
  {
    name: 'FIFO named like a template (blocks on read)',
    args: ['fifo.json'],
    expect: { kind: 'error', lines: 1, match: /fifo\.json: / },
  },
  {
    name: 'character device (/dev/zero: never ends)',
    args: ['/dev/zero'],
    expect: { kind: 'error', lines: 1, match: /zero: not a regular file/ },
  },
  {
    name: 'directory holding a FIFO and a template',
    args: ['withfifo', '--format', 'json'],
    expect: { kind: 'check' },
  },
  {
    name: 'directory with a template and non-templates',
    args: ['mixed', '--format', 'json'],
    expect: {
      kind: 'check',
      verify: (report) => {
        expect(report.inputs).toEqual(['mixed/good.template.json']);
        expect(report.errors).toEqual([]);
      },
    },
  },
  {
    name: 'one good and two bad inputs',
    args: ['mixed/good.template.json', 'empty.json', 'missing.json', '--format', 'json'],
    expect: { kind: 'error', lines: 2, stillChecks: 'mixed/good.template.json' },
  },
  {
    name: 'cloud assembly that nests itself',
    args: ['selfnest', '--format', 'json'],
    expect: { kind: 'either' },
  },
  {
    name: 'cloud assembly whose template escapes it',
    args: ['escape', '--format', 'json'],
    expect: { kind: 'either' },
  },
];

function buildCorpus(): void {
  dir = mkdtempSync(join(tmpdir(), 'cli-hostile-'));
  // The runner writes each case's stdout here, also when it runs as `nobody`.
  if (isRoot) chmodSync(dir, 0o777);
  write('empty.json', '');
  write('empty.yaml', '');
  const bytes = Buffer.alloc(4096);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 131 + 7) % 256;
  write('binary.json', bytes);
  write('binary.yaml', bytes);
  write('big.json', bigTemplate());
  write('deep.json', deepJson(10_000));
  write('deeper.json', deepJson(200_000));
  write(
    'deep.yaml',
    `Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Metadata:\n      deep: ${'['.repeat(10_000)}1${']'.repeat(10_000)}\n`,
  );
  write(
    'unknown-types.json',
    JSON.stringify({
      Resources: {
        ...queue('Queue'),
        Foo: { Type: 'AWS::Foo::Bar', Properties: { X: 1 } },
        Custom: {
          Type: 'Custom::Thing',
          Properties: { ServiceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:x' },
        },
        Vendor: { Type: 'Vendor::Product::Thing' },
        Module: { Type: 'Org::Team::Thing::MODULE' },
      },
    }),
  );
  write('no-type.json', JSON.stringify({ Resources: { Q: { Properties: {} } } }));
  write('resources-list.json', JSON.stringify({ Resources: [queue('Q')] }));
  write('intrinsics.json', JSON.stringify(INTRINSICS));
  write(
    'language-extensions.json',
    JSON.stringify({
      Transform: 'AWS::LanguageExtensions',
      Resources: queue('Q', {
        RedrivePolicy: { 'Fn::ToJsonString': { maxReceiveCount: { 'Fn::Length': [1, 2, 3] } } },
      }),
    }),
  );
  write(
    'dangling-ref.json',
    JSON.stringify({ Resources: queue('Q', { KmsMasterKeyId: { Ref: 'Missing' } }) }),
  );
  write('short-form.yaml', YAML_SHORT_FORM);
  write('short-form-long.json', JSON.stringify(YAML_AS_JSON));
  write('bomb.yaml', billionLaughs());
  write(
    'bad-tag.yaml',
    'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !NotAFunction x\n',
  );

  mkdirSync(join(dir, 'loop'));
  symlinkSync('b.json', join(dir, 'loop', 'a.json'));
  symlinkSync('a.json', join(dir, 'loop', 'b.json'));
  symlinkSync('.', join(dir, 'loop', 'self.json'));
  writeFileSync(join(dir, 'loop', 'good.template.json'), JSON.stringify({ Resources: queue('Q') }));

  mkdirSync(join(dir, 'dangling'));
  symlinkSync('nowhere.json', join(dir, 'dangling', 'gone.json'));
  writeFileSync(join(dir, 'dangling', 'good.template.json'), JSON.stringify({ Resources: queue('Q') }));

  write('unreadable.json', JSON.stringify({ Resources: queue('Q') }));
  chmodSync(join(dir, 'unreadable.json'), 0o000);
  mkdirSync(join(dir, 'dir.json'));
  execFileSync('mkfifo', [join(dir, 'fifo.json')]);
  mkdirSync(join(dir, 'withfifo'));
  execFileSync('mkfifo', [join(dir, 'withfifo', 'pipe.json')]);
  writeFileSync(join(dir, 'withfifo', 'good.template.json'), JSON.stringify({ Resources: queue('Q') }));

  mkdirSync(join(dir, 'mixed'));
  writeFileSync(join(dir, 'mixed', 'good.template.json'), JSON.stringify({ Resources: queue('Q') }));
  writeFileSync(join(dir, 'mixed', 'notes.txt'), 'Resources: not a template\n');
  writeFileSync(join(dir, 'mixed', 'package.json'), JSON.stringify({ name: 'x', version: '1.0.0' }));
  writeFileSync(join(dir, 'mixed', 'config.yaml'), 'a: [unclosed\n');
  writeFileSync(join(dir, 'mixed', 'README.md'), '# hi\n');

  mkdirSync(join(dir, 'selfnest'));
  writeFileSync(
    join(dir, 'selfnest', 'manifest.json'),
    JSON.stringify({
      version: '36.0.0',
      artifacts: {
        Self: { type: 'cdk:cloud-assembly', properties: { directoryName: '.' } },
        Stack: {
          type: 'aws:cloudformation:stack',
          displayName: 'Stack',
          properties: { templateFile: 'Stack.template.json' },
        },
      },
    }),
  );
  writeFileSync(join(dir, 'selfnest', 'Stack.template.json'), JSON.stringify({ Resources: queue('Q') }));

  mkdirSync(join(dir, 'escape'));
  writeFileSync(
    join(dir, 'escape', 'manifest.json'),
    JSON.stringify({
      version: '36.0.0',
      artifacts: {
        Stack: { type: 'aws:cloudformation:stack', properties: { templateFile: '../intrinsics.json' } },
      },
    }),
  );
}

/** Runs the cases in one child process, restarting it after a case that hangs. */
async function runCases(cases: readonly Case[]): Promise<void> {
  let pending = cases.filter((c) => !c.skip);
  while (pending.length > 0) {
    const batch = pending;
    const argvs = batch.map((c) => ['check', ...c.args, '--quiet']);
    const done = await new Promise<number>((resolve) => {
      const child: ChildProcess = spawn(
        process.execPath,
        ['--import', 'tsx', RUNNER, dir, JSON.stringify(argvs)],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...process.env, NO_COLOR: '1' },
          // Root reads a chmod 000 file: as root (CI), the runner drops to `nobody` so that case is real.
          ...(isRoot ? { uid: NOBODY, gid: NOBODY } : {}),
        },
      );
      let buffer = '';
      let finished = 0;
      let started = Date.now();
      let killed = false;
      const watchdog = setInterval(() => {
        if (!killed && Date.now() - started > CASE_TIMEOUT_MS) {
          killed = true;
          results.set(batch[finished].name, { hung: true, ms: Date.now() - started });
          finished++;
          child.kill('SIGKILL');
        }
      }, 250);
      child.stderr?.on('data', (chunk: Buffer) => {
        runnerStderr += chunk.toString('utf8');
      });
      child.stdout?.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          const raw = JSON.parse(line) as RawResult;
          const r: RunnerResult = { ...raw, out: readFileSync(raw.outFile, 'utf8') };
          results.set(batch[r.index].name, r);
          finished = r.index + 1;
          started = Date.now();
        }
      });
      child.on('exit', () => {
        clearInterval(watchdog);
        // A crash of the runner itself (e.g. a stack overflow that kills the process) counts as that case's result.
        if (!killed && finished < batch.length && !results.has(batch[finished].name)) {
          results.set(batch[finished].name, {
            index: finished,
            code: -2,
            out: '',
            outFile: '',
            err: `runner process died: ${runnerStderr.slice(-500)}`,
            processErr: '',
            ms: Date.now() - started,
          });
          finished++;
        }
        resolve(finished);
      });
    });
    pending = batch.slice(done);
  }
}

beforeAll(async () => {
  buildCorpus();
  await runCases(CASES);
}, 110_000);

afterAll(() => {
  if (dir) {
    try {
      chmodSync(join(dir, 'unreadable.json'), 0o600);
    } catch {
      // already gone
    }
    rmSync(dir, { recursive: true, force: true });
  }
  const rows = CASES.map((c) => {
    if (c.skip) return `  ${c.name.padEnd(52)} skipped: ${c.skip}`;
    const r = results.get(c.name);
    if (!r) return `  ${c.name.padEnd(52)} not run`;
    if ('hung' in r) return `  ${c.name.padEnd(52)} HUNG (killed after ${r.ms} ms)`;
    const err = r.err.split('\n').filter(Boolean);
    return `  ${c.name.padEnd(52)} exit ${r.code} in ${r.ms} ms${err.length ? `; stderr: ${err.join(' | ').slice(0, 160)}` : ''}`;
  });
  console.log(`hostile inputs for compliant-mlops check\n${rows.join('\n')}`);
});

const STACK_TRACE = /\n\s+at |\bat .*\.(ts|js):\d+|internal error|TypeError|RangeError|ReferenceError/;

describe('compliant-mlops check on hostile inputs', () => {
  for (const c of CASES) {
    const test = c.skip ? it.skipIf(true) : c.knownBug ? it.fails : it;
    test(`${c.name}: ${c.expect.kind === 'error' ? 'exit 2, one line per bad input' : c.expect.kind === 'check' ? 'a correct check' : 'exit 2 with one line, or a correct check'}; no crash, no hang`, () => {
      const r = results.get(c.name);
      expect(r, 'the case ran').toBeDefined();
      if (!r) return;
      expect('hung' in r ? `hung for ${r.ms} ms` : 'finished').toBe('finished');
      if ('hung' in r) return;
      expect(r.thrown).toBeUndefined();
      expect(r.err).not.toMatch(STACK_TRACE);
      // Nothing may reach the real stderr around the fake IO: the CLI would print it.
      expect(r.processErr).toBe('');
      const errLines = r.err.split('\n').filter(Boolean);
      for (const line of errLines) expect(line).toMatch(/^compliant-mlops: \S/);
      const e = c.expect;
      if (e.kind === 'error' || (e.kind === 'either' && r.code === 2)) {
        expect(r.code).toBe(2);
        expect(errLines).toHaveLength(e.kind === 'error' ? e.lines : 1);
        if (e.kind === 'error' && e.match) expect(errLines.join('\n')).toMatch(e.match);
        if (e.kind === 'error' && e.stillChecks)
          expect((JSON.parse(r.out) as JsonReport).inputs).toContain(e.stillChecks);
        return;
      }
      expect([0, 1]).toContain(r.code);
      expect(errLines).toEqual([]);
      expect(r.out).not.toBe('');
      if (!c.args.includes('json')) return;
      const report = JSON.parse(r.out) as JsonReport;
      expect(report.inputs.length).toBeGreaterThan(0);
      if (e.kind === 'check') e.verify?.(report, r);
    });
  }

  it('YAML anchors and short forms give the same findings as the long-form JSON of the same template', () => {
    const findingsOf = (name: string): string[] => {
      const r = results.get(name);
      if (!r || 'hung' in r) return [`${name} did not finish`];
      return onlyFindingsOf(JSON.parse(r.out || '{"findings":[]}') as JsonReport);
    };
    const yaml = findingsOf('YAML anchors, merge keys and short-form tags');
    expect(yaml.length).toBeGreaterThan(0);
    expect(yaml).toEqual(findingsOf('long-form JSON twin of the short-form YAML'));
  });
});
