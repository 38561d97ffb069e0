import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkPaths } from '../lib/check/check';
import { loadInputs } from '../lib/check/inputs';
import { COMPILE_CACHE_ENV } from '../lib/shared/compile-cache';
import type { BenchRow } from './stats';

/** One measured workload of `compliant-mlops check`. */
export interface BenchResult {
  /** `check/<workload>`. */
  readonly name: string;
  readonly templates: number;
  readonly resources: number;
  /** Findings of one run, a sanity check that the packs did work. */
  readonly findings: number;
  readonly runs: number;
  /** Median wall time of one full check (load, CfnInclude, every pack), in milliseconds. */
  readonly medianMs: number;
  readonly templatesPerSecond: number;
  readonly resourcesPerSecond: number;
}

const RUNS = 7;

/** A 500-resource template: S3 buckets, SageMaker models and endpoint configs, IAM roles, Lambda functions. */
export function generateTemplate(resources = 500): object {
  const out: Record<string, object> = {};
  const kinds = 5;
  for (let i = 0; i < resources; i++) {
    switch (i % kinds) {
      case 0:
        out[`Bucket${i}`] = {
          Type: 'AWS::S3::Bucket',
          Properties: {
            VersioningConfiguration: { Status: 'Enabled' },
            BucketEncryption: {
              ServerSideEncryptionConfiguration: [
                { ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } },
              ],
            },
          },
        };
        break;
      case 1:
        out[`Model${i}`] = {
          Type: 'AWS::SageMaker::Model',
          Properties: {
            ExecutionRoleArn: { 'Fn::GetAtt': [`Role${i + 1}`, 'Arn'] },
            EnableNetworkIsolation: i % 2 === 0,
            PrimaryContainer: {
              Image: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/model@sha256:${'a'.repeat(64)}`,
            },
          },
        };
        break;
      case 2:
        out[`Role${i}`] = {
          Type: 'AWS::IAM::Role',
          Properties: {
            AssumeRolePolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Principal: { Service: 'sagemaker.amazonaws.com' },
                  Action: 'sts:AssumeRole',
                },
              ],
            },
            Policies: [
              {
                PolicyName: 'p',
                PolicyDocument: {
                  Version: '2012-10-17',
                  Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
                },
              },
            ],
          },
        };
        break;
      case 3:
        out[`EndpointConfig${i}`] = {
          Type: 'AWS::SageMaker::EndpointConfig',
          Properties: {
            ProductionVariants: [
              {
                ModelName: { 'Fn::GetAtt': [`Model${i - 2}`, 'ModelName'] },
                VariantName: 'main',
                InitialInstanceCount: 1,
                InstanceType: 'ml.m5.large',
              },
            ],
          },
        };
        break;
      default:
        out[`Function${i}`] = {
          Type: 'AWS::Lambda::Function',
          Properties: {
            Runtime: 'nodejs22.x',
            Handler: 'index.handler',
            Role: { 'Fn::GetAtt': [`Role${i - 2}`, 'Arn'] },
            Code: { ZipFile: 'exports.handler = async () => {}' },
            Timeout: 30,
          },
        };
    }
  }
  return { AWSTemplateFormatVersion: '2010-09-09', Resources: out };
}

const ASSUME_SAGEMAKER = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { Service: 'sagemaker.amazonaws.com' }, Action: 'sts:AssumeRole' },
  ],
};

/**
 * The shapes of small template the checker meets in the wild (median five resources): a served
 * model, a notebook, a data bucket with its processing function, a pipeline. `variant` changes
 * names and a few values so no two generated templates are identical.
 */
export function smallTemplate(variant: number): object {
  const v = variant;
  const role = {
    Type: 'AWS::IAM::Role',
    Properties: {
      AssumeRolePolicyDocument: ASSUME_SAGEMAKER,
      Policies: [
        {
          PolicyName: `p${v}`,
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: `arn:aws:s3:::data-${v}/*` }],
          },
        },
      ],
    },
  };
  const key = { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: v % 3 !== 0 } };
  const bucket = {
    Type: 'AWS::S3::Bucket',
    Properties: {
      BucketName: `data-${v}`,
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { Ref: 'Key' } } },
        ],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: v % 2 === 0,
      },
    },
  };
  let resources: Record<string, object>;
  switch (v % 4) {
    case 0:
      resources = {
        Key: key,
        Role: role,
        Model: {
          Type: 'AWS::SageMaker::Model',
          Properties: {
            ExecutionRoleArn: { 'Fn::GetAtt': ['Role', 'Arn'] },
            EnableNetworkIsolation: v % 8 === 0,
            PrimaryContainer: { Image: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/model-${v}:latest` },
          },
        },
        EndpointConfig: {
          Type: 'AWS::SageMaker::EndpointConfig',
          Properties: {
            KmsKeyId: { Ref: 'Key' },
            ProductionVariants: [
              {
                ModelName: { 'Fn::GetAtt': ['Model', 'ModelName'] },
                VariantName: 'main',
                InitialInstanceCount: 1 + (v % 2),
                InstanceType: 'ml.m5.large',
              },
            ],
          },
        },
        Endpoint: {
          Type: 'AWS::SageMaker::Endpoint',
          Properties: { EndpointConfigName: { 'Fn::GetAtt': ['EndpointConfig', 'EndpointConfigName'] } },
        },
      };
      break;
    case 1:
      resources = {
        Key: key,
        Role: role,
        Bucket: bucket,
        SecurityGroup: {
          Type: 'AWS::EC2::SecurityGroup',
          Properties: { GroupDescription: `notebook ${v}`, VpcId: 'vpc-0123456789abcdef0' },
        },
        Notebook: {
          Type: 'AWS::SageMaker::NotebookInstance',
          Properties: {
            InstanceType: 'ml.t3.medium',
            RoleArn: { 'Fn::GetAtt': ['Role', 'Arn'] },
            KmsKeyId: { Ref: 'Key' },
            DirectInternetAccess: v % 5 === 0 ? 'Enabled' : 'Disabled',
            RootAccess: 'Disabled',
            SubnetId: 'subnet-0123456789abcdef0',
            SecurityGroupIds: [{ 'Fn::GetAtt': ['SecurityGroup', 'GroupId'] }],
          },
        },
      };
      break;
    case 2:
      resources = {
        Key: key,
        Bucket: bucket,
        Role: {
          ...role,
          Properties: {
            ...role.Properties,
            AssumeRolePolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
              ],
            },
          },
        },
        Function: {
          Type: 'AWS::Lambda::Function',
          Properties: {
            Runtime: 'python3.12',
            Handler: 'index.handler',
            Role: { 'Fn::GetAtt': ['Role', 'Arn'] },
            Code: { ZipFile: 'def handler(event, context):\n  return event' },
            Timeout: 30 + v,
          },
        },
        Logs: {
          Type: 'AWS::Logs::LogGroup',
          Properties: { RetentionInDays: 30, KmsKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] } },
        },
      };
      break;
    default:
      resources = {
        Role: role,
        Bucket: bucket,
        Key: key,
        Pipeline: {
          Type: 'AWS::SageMaker::Pipeline',
          Properties: {
            PipelineName: `pipeline-${v}`,
            RoleArn: { 'Fn::GetAtt': ['Role', 'Arn'] },
            PipelineDefinition: {
              PipelineDefinitionBody: JSON.stringify({ Version: '2020-12-01', Steps: [] }),
            },
          },
        },
        ModelPackageGroup: {
          Type: 'AWS::SageMaker::ModelPackageGroup',
          Properties: { ModelPackageGroupName: `models-${v}` },
        },
      };
  }
  return { AWSTemplateFormatVersion: '2010-09-09', Resources: resources };
}

/** The median, or undefined when any value is (CPU time off Linux). */
function medianOf(values: readonly (number | undefined)[]): number | undefined {
  return values.every((v): v is number => v !== undefined) ? median([...values]) : undefined;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function measure(name: string, paths: string[], cwd: string): BenchResult {
  const loaded = loadInputs(paths, cwd);
  const resources = loaded.templates.reduce((n, t) => n + Object.keys(t.template.Resources).length, 0);
  // One warm-up run: the first pays for module loading and JIT.
  let findings = checkPaths(paths, { cwd }).findings.length;
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    findings = checkPaths(paths, { cwd }).findings.length;
    times.push(performance.now() - start);
  }
  const ms = median(times);
  return {
    name,
    templates: loaded.templates.length,
    resources,
    findings,
    runs: RUNS,
    medianMs: Math.round(ms * 10) / 10,
    templatesPerSecond: Math.round((loaded.templates.length / ms) * 1000 * 100) / 100,
    resourcesPerSecond: Math.round((resources / ms) * 1000),
  };
}

/**
 * Measures `check` with every pack: over a generated 500-resource template, and over the
 * reference assembly (`cdk.out`, run `npm run synth` first) when it exists.
 */
export async function benchCheck(cwd = process.cwd()): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-check-'));
  try {
    const file = join(dir, 'generated-500.template.json');
    writeFileSync(file, JSON.stringify(generateTemplate(500), null, 1));
    const results = [measure('check/generated-500', [file], cwd)];
    const assembly = join(cwd, 'cdk.out');
    if (existsSync(join(assembly, 'manifest.json')))
      results.push(measure('check/reference-assembly', [assembly], cwd));
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Prints results as a table. */
export function formatTable(results: readonly BenchResult[]): string {
  const head = ['workload', 'templates', 'resources', 'findings', 'median ms', 'templates/s', 'resources/s'];
  const rows = results.map((r) =>
    [
      r.name,
      r.templates,
      r.resources,
      r.findings,
      r.medianMs,
      r.templatesPerSecond,
      r.resourcesPerSecond,
    ].map(String),
  );
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

if (require.main === module) {
  void benchCheck().then((results) => {
    console.log(formatTable(results));
    console.log(JSON.stringify(results));
  });
}

/** One row of the small-template benchmark: a {@link BenchRow} before run.ts names its section. */
export type SmallBenchRow = Omit<BenchRow, 'bench'>;

/** Options of {@link benchSmallTemplates}. */
export interface SmallBenchOptions {
  /** Repository root. */
  readonly root: string;
  /** Process runs per start-up case (median). */
  readonly runs: number;
  /** Template counts of the corpus cases. */
  readonly counts: readonly number[];
  /**
   * The CLI entry (`bin/cli.js`) to measure, for comparing another build in the same run.
   * @default - this tree, transpiled with esbuild into a temporary directory
   */
  readonly cli?: string;
}

/**
 * `check` as a security team runs it on a real corpus: a fresh process (`node bin/cli.js check`,
 * the compiled CLI, not tsx) per run, so start-up is part of every figure. Start-up of `--help`
 * and of a one-resource template against `node -e 0`; N small templates (the shapes of
 * {@link smallTemplate}) in resources/s against one template holding the same kinds of resource
 * (200 small templates merged, 1,000 resources) checked the same way; memory kept per template;
 * and the peers on the same templates: cfn-lint when it is on PATH, cfn-guard with Control Tower's
 * rules (see {@link cfnGuardRows}).
 */
export function benchSmallTemplates(options: SmallBenchOptions): SmallBenchRow[] {
  const dir = mkdtempSync(join(tmpdir(), 'bench-small-'));
  const cleanup: (() => void)[] = [];
  try {
    // Inside the repository, so the built files resolve aws-cdk-lib from its node_modules.
    mkdirSync(join(options.root, '.tmp'), { recursive: true });
    const built = options.cli ? undefined : mkdtempSync(join(options.root, '.tmp', 'bench-cli-'));
    cleanup.push(() => built && rmSync(built, { recursive: true, force: true }));
    const cli = options.cli ?? buildCli(options.root, built!);
    // Wall time, and on Linux the CPU time of the process (user + system, from /proc/self/stat
    // after the child is reaped): on a shared machine wall time also counts waits for a core,
    // CPU time is what the run costs (and its wall time on an idle core for one thread).
    // Every CLI run uses a compile cache inside the bench's temporary directory (never the
    // user's ~/.cache): the cold row gives each run an empty one, the others share one that the
    // first run fills (lib/shared/compile-cache.ts).
    const cacheDir = join(dir, 'compile-cache');
    const warmCache = (): NodeJS.ProcessEnv => ({ ...process.env, [COMPILE_CACHE_ENV]: cacheDir });
    const coldCache = (): NodeJS.ProcessEnv => ({
      ...process.env,
      [COMPILE_CACHE_ENV]: mkdtempSync(join(dir, 'cold-cache-')),
    });
    const measure = (
      args: readonly string[],
      runs = options.runs,
      env: () => NodeJS.ProcessEnv = warmCache,
    ): { wall: number; cpu?: number } => {
      const samples = Array.from({ length: runs }, () => {
        const runEnv = env();
        const c0 = childCpuMs();
        const t0 = performance.now();
        const r = spawnSync(process.execPath, args, {
          stdio: ['ignore', 'ignore', 'pipe'],
          encoding: 'utf8',
          env: runEnv,
        });
        const ms = performance.now() - t0;
        const c1 = childCpuMs();
        // 0 or 1 (findings); anything else means the figure measured a failure.
        if (r.status !== 0 && r.status !== 1)
          throw new Error(`bench: ${args.join(' ')} exited ${r.status}: ${r.stderr.split('\n')[0]}`);
        return { wall: ms, cpu: c0 !== undefined && c1 !== undefined ? c1 - c0 : undefined };
      });
      const cpus = samples.map((x) => x.cpu).filter((c): c is number => c !== undefined);
      return {
        wall: median(samples.map((x) => x.wall)),
        ...(cpus.length === samples.length ? { cpu: median(cpus) } : {}),
      };
    };
    const wall = (args: readonly string[], runs = options.runs): number => measure(args, runs).wall;
    const rows: SmallBenchRow[] = [];
    const node = wall(['-e', '0']);
    // The first run fills the cache for the runs measured.
    wall([cli, 'check', '--help'], 1);
    const help = wall([cli, 'check', '--help']);
    rows.push({
      case: 'start-up: check --help (process wall time, warm compile cache)',
      value: help,
      unit: 'ms',
      baseline: node,
      ratio: help / node,
      budget: '≤ 500 ms',
      met: help <= 500,
      note: 'baseline: node -e 0',
    });
    const one = join(dir, 'one.template.json');
    writeFileSync(one, JSON.stringify({ Resources: { Bucket: { Type: 'AWS::S3::Bucket' } } }));
    const oneArgs = [cli, 'check', one, '--quiet', '--jobs', '1'];
    // Cold and warm alternate, so both see the same load.
    wall(oneArgs, 1);
    const coldRuns: { wall: number; cpu?: number }[] = [];
    const warmRuns: { wall: number; cpu?: number }[] = [];
    for (let i = 0; i < options.runs; i++) {
      coldRuns.push(measure(oneArgs, 1, coldCache));
      warmRuns.push(measure(oneArgs, 1));
    }
    const cold = { wall: median(coldRuns.map((r) => r.wall)), cpu: medianOf(coldRuns.map((r) => r.cpu)) };
    const warm = { wall: median(warmRuns.map((r) => r.wall)), cpu: medianOf(warmRuns.map((r) => r.cpu)) };
    const loadNow = `load average ${loadavg()[0].toFixed(1)}`;
    rows.push({
      case: 'start-up: check of a one-resource template, cold (empty compile cache; process wall time)',
      value: cold.wall,
      unit: 'ms',
      baseline: node,
      ratio: cold.wall / node,
      budget: '≤ 500 ms',
      met: cold.wall <= 500,
      note: `a fresh empty cache directory per run (the run compiles every module and writes the cache)${cpuNote(cold.cpu)}; baseline: node -e 0; ${loadNow}`,
    });
    rows.push({
      case: 'start-up: check of a one-resource template, warm (compile cache filled; process wall time)',
      value: warm.wall,
      unit: 'ms',
      baseline: node,
      ratio: warm.wall / node,
      budget: '≤ 500 ms',
      met: warm.wall <= 500,
      note: `the cache an earlier run filled; alternating with the cold row${cpuNote(warm.cpu)}; baseline: node -e 0; ${loadNow}`,
    });
    if (warm.cpu !== undefined) {
      const nodeCpu = measure(['-e', '0']).cpu ?? 0;
      rows.push({
        case: 'start-up: check of a one-resource template, warm (process CPU time)',
        value: warm.cpu,
        unit: 'ms',
        baseline: nodeCpu,
        ratio: nodeCpu > 0 ? warm.cpu / nodeCpu : undefined,
        note: 'user + system CPU of the process: its wall time on an idle core; baseline: node -e 0',
      });
    }

    const largest = Math.max(...options.counts);
    const corpus = join(dir, 'small');
    mkdirSync(corpus);
    for (let i = 0; i < largest; i++)
      writeFileSync(
        join(corpus, `t${String(i).padStart(4, '0')}.template.json`),
        JSON.stringify(smallTemplate(i), null, 1),
      );
    const resourcesOf = (n: number): number =>
      Array.from(
        { length: n },
        (_, i) => Object.keys((smallTemplate(i) as { Resources: object }).Resources).length,
      ).reduce((a, b) => a + b, 0);
    const merged = join(dir, 'merged.template.json');
    const mergedCount = 200;
    writeFileSync(merged, JSON.stringify(mergedTemplate(mergedCount), null, 1));
    const mergedResources = resourcesOf(mergedCount);
    const caseRuns = Math.max(1, Math.min(3, options.runs));
    const largeMs = wall(
      [cli, 'check', merged, '--quiet', '--jobs', '1', '--format', 'json', '--output', join(dir, 'out.json')],
      caseRuns,
    );
    assertNoRuleThrew(join(dir, 'out.json'));
    const largeRate = (mergedResources / largeMs) * 1000;
    rows.push({
      case: `1 template of ${mergedResources} resources (the small shapes merged), 1 thread`,
      value: largeRate,
      unit: 'resources/s',
      note: `process wall ${largeMs.toFixed(0)} ms`,
    });
    // Linear in the size of one template: the marginal time per resource from 1,000 to 4,000
    // resources against the marginal time per resource up to 1,000 (past the start-up of a
    // one-resource check). cdk-nag's rules that walk the whole stack per resource made this ~3×.
    const big = join(dir, 'merged-4x.template.json');
    writeFileSync(big, JSON.stringify(mergedTemplate(4 * mergedCount), null, 1));
    const bigResources = resourcesOf(4 * mergedCount);
    const bigMs = wall(
      [cli, 'check', big, '--quiet', '--jobs', '1', '--format', 'json', '--output', join(dir, 'out-4x.json')],
      caseRuns,
    );
    assertNoRuleThrew(join(dir, 'out-4x.json'));
    const early = (largeMs - warm.wall) / (mergedResources - 1);
    const late = (bigMs - largeMs) / (bigResources - mergedResources);
    rows.push({
      case: `1 template of ${bigResources} resources against ${mergedResources}: marginal ms per resource, late/early`,
      value: late / early,
      unit: '×',
      ratio: late / early,
      budget: '≤ 1.25× (linear)',
      met: late / early <= 1.25,
      note: `process wall ${bigMs.toFixed(0)} ms; early: ${early.toFixed(2)} ms per resource up to ${mergedResources} (past the one-resource start-up), late: ${late.toFixed(2)} ms per resource beyond`,
    });
    let largestRun: { resources: number; rate: number } | undefined;
    for (const n of options.counts) {
      const subset = join(dir, `n${n}`);
      mkdirSync(subset);
      for (let i = 0; i < n; i++) {
        const name = `t${String(i).padStart(4, '0')}.template.json`;
        writeFileSync(join(subset, name), readFileSync(join(corpus, name)));
      }
      const resources = resourcesOf(n);
      const args = (jobs: string): string[] => [
        cli,
        'check',
        subset,
        '--quiet',
        '--jobs',
        jobs,
        '--format',
        'json',
        '--output',
        join(dir, `out-${jobs}.json`),
      ];
      const load = loadavg()[0];
      if (n !== largest) {
        const run = measure(args('1'), caseRuns);
        assertNoRuleThrew(join(dir, 'out-1.json'));
        const rate = (resources / run.wall) * 1000;
        rows.push({
          case: `${n} small templates (${resources} resources), 1 thread`,
          value: rate,
          unit: 'resources/s',
          baseline: largeRate,
          ratio: rate / largeRate,
          note: `process wall ${run.wall.toFixed(0)} ms${cpuNote(run.cpu)}; baseline: the merged template; load average ${load.toFixed(1)}`,
        });
        continue;
      }
      // The goal is for two cores: the largest corpus runs with --jobs 1 and --jobs 2 (the main
      // thread and one worker) in alternation, so both see the same load, and the --jobs 2 row is
      // judged against the --jobs 1 row of this run as well as against the budget.
      const one: { wall: number; cpu?: number }[] = [];
      const two: { wall: number; cpu?: number }[] = [];
      for (let i = 0; i < caseRuns; i++) {
        one.push(measure(args('1'), 1));
        two.push(measure(args('2'), 1));
      }
      assertNoRuleThrew(join(dir, 'out-1.json'));
      assertNoRuleThrew(join(dir, 'out-2.json'));
      // The two reports must agree: threads change the speed of a run, never its findings.
      if (readFileSync(join(dir, 'out-1.json'), 'utf8') !== readFileSync(join(dir, 'out-2.json'), 'utf8'))
        throw new Error('bench: --jobs 1 and --jobs 2 reports differ');
      const summary = (runs: { wall: number; cpu?: number }[]) => {
        const cpus = runs.map((r) => r.cpu).filter((c): c is number => c !== undefined);
        return {
          wall: median(runs.map((r) => r.wall)),
          cpu: cpus.length === runs.length ? median(cpus) : undefined,
        };
      };
      const s1 = summary(one);
      const s2 = summary(two);
      const rate1 = (resources / s1.wall) * 1000;
      largestRun = { resources, rate: rate1 };
      const rate2 = (resources / s2.wall) * 1000;
      const after = loadavg()[0];
      const loadNote = `load average ${load.toFixed(1)} before, ${after.toFixed(1)} after`;
      rows.push({
        case: `${n} small templates (${resources} resources), --jobs 1`,
        value: rate1,
        unit: 'resources/s',
        baseline: largeRate,
        ratio: rate1 / largeRate,
        budget: '≥ 1000 resources/s',
        met: rate1 >= 1000,
        note: `median of ${caseRuns}, alternating with --jobs 2; process wall ${s1.wall.toFixed(0)} ms${cpuNote(s1.cpu)}; baseline: the merged template; ${loadNote}`,
      });
      rows.push({
        case: `${n} small templates (${resources} resources), --jobs 2 against --jobs 1`,
        value: rate2,
        unit: 'resources/s',
        baseline: rate1,
        ratio: rate2 / rate1,
        budget: '≥ 1000 resources/s',
        met: rate2 >= 1000,
        note: `median of ${caseRuns}, alternating with --jobs 1; process wall ${s2.wall.toFixed(0)} ms${cpuNote(s2.cpu)}; baseline: --jobs 1 in the same run; ${loadNote}`,
      });
    }
    rows.push(...memoryRows(cli, corpus, largest, dir));
    rows.push(
      ...peerRows(corpus, Math.min(30, largest), resourcesOf(Math.min(30, largest)), dir, options.runs),
    );
    rows.push(...cfnGuardRows(options.root, corpus, resourcesOf, largest, largestRun, options.runs));
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `count` small templates merged into one, each template's logical ids prefixed. */
export function mergedTemplate(count: number): object {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) {
    const prefix = `T${i}`;
    const text = JSON.stringify((smallTemplate(i) as { Resources: object }).Resources)
      .replace(/"Ref":"(\w+)"/g, (_, id: string) => `"Ref":"${prefix}${id}"`)
      .replace(/"Fn::GetAtt":\["(\w+)"/g, (_, id: string) => `"Fn::GetAtt":["${prefix}${id}"`);
    for (const [id, r] of Object.entries(JSON.parse(text) as Record<string, unknown>))
      out[`${prefix}${id}`] = r;
  }
  return { AWSTemplateFormatVersion: '2010-09-09', Resources: out };
}

/** Transpiles bin/ and lib/ (file by file, no bundling) so the CLI runs as the built package does. */
function buildCli(root: string, out: string): string {
  const files = ['bin', 'lib', 'constructs'].flatMap((d) => listTs(join(root, d)));
  spawnSync(
    join(root, 'node_modules', '.bin', 'esbuild'),
    [
      ...files,
      `--outdir=${out}`,
      `--outbase=${root}`,
      '--format=cjs',
      '--platform=node',
      '--target=node20',
      '--log-level=error',
    ],
    { stdio: 'inherit' },
  );
  // The generated tables (lib/aws-facts/*.generated.json) are read at run time: without them an
  // IAM rule throws on every role and the figures measure a broken build.
  for (const file of listFiles(join(root, 'lib'), '.json')) {
    const target = join(out, file.slice(root.length + 1));
    mkdirSync(join(target, '..'), { recursive: true });
    writeFileSync(target, readFileSync(file));
  }
  // toolVersion() reads the package.json above the entry.
  writeFileSync(join(out, 'package.json'), readFileSync(join(root, 'package.json')));
  return join(out, 'bin', 'cli.js');
}

function listTs(dir: string): string[] {
  return listFiles(dir, '.ts').filter((f) => !f.endsWith('.d.ts'));
}

function listFiles(dir: string, ext: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(join(dir, e.name), ext) : e.name.endsWith(ext) ? [join(dir, e.name)] : [],
  );
}

function cpuNote(cpu: number | undefined): string {
  return cpu !== undefined ? `, CPU ${cpu.toFixed(0)} ms` : '';
}

/** CPU time (user + system) of this process's reaped children, in ms; undefined off Linux. */
function childCpuMs(): number | undefined {
  try {
    // Fields after the command name: cutime and cstime are the 14th and 15th, in clock ticks (100/s).
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return undefined;
  }
}

/** Throws when a report holds a finding of a rule that threw: such a run measured a broken build. */
function assertNoRuleThrew(reportFile: string): void {
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { findings: { message: string }[] };
  const threw = report.findings.find((f) => f.message.startsWith('Rule threw an error'));
  if (threw) throw new Error(`bench: a rule threw during the measured run: ${threw.message}`);
}

/**
 * Heap kept per template, two ways, each in a child process running the built checker:
 * - one thread checking `count` templates in batches of 100 (`checkTemplates`, no recycling),
 *   against the heap after a 20-template warm-up, after a forced GC: what aws-cdk-lib keeps per
 *   template in a thread;
 * - the CLI's path (`checkPathsInParallel`, `--jobs 1`) with a per-thread budget of 200
 *   templates, so that 1,000 templates pass through five workers: each worker's heap after its
 *   200th template (forced GC), and the growth of that figure from the first worker to the last
 *   per template in between. Flat means that growth is under a tenth of the first row's.
 * The CLI's default budget is 1,000 templates per thread, so a run keeps at most about 1,000
 * templates' worth per thread; the smaller budget shows the recycling within a 1,000-template run.
 */
export function memoryRows(cli: string, corpus: string, count: number, dir: string): SmallBenchRow[] {
  const lib = join(cli, '..', '..', 'lib', 'check');
  const budget = 200;
  const script = `
    const { checkTemplates } = require(${JSON.stringify(join(lib, 'check.js'))});
    const { checkPathsInParallel } = require(${JSON.stringify(join(lib, 'parallel.js'))});
    const { loadInputs } = require(${JSON.stringify(join(lib, 'inputs.js'))});
    const t = loadInputs([${JSON.stringify(corpus)}], process.cwd()).templates.slice(0, ${count});
    checkTemplates(t.slice(0, 20), { cwd: process.cwd() });
    const heap = () => { global.gc(); global.gc(); return process.memoryUsage(); };
    const m0 = heap();
    for (let i = 0; i < t.length; i += 100) checkTemplates(t.slice(i, i + 100), { cwd: process.cwd() });
    const m1 = heap();
    const samples = [];
    checkPathsInParallel([${JSON.stringify(corpus)}], { cwd: process.cwd(), jobs: 1,
      recycle: { mainThreadTemplates: 0, workerTemplates: ${budget}, heapSampleEvery: ${budget}, onHeapSample: (s) => samples.push(s) } })
      .then(() => process.stdout.write(JSON.stringify({ heap: (m1.heapUsed - m0.heapUsed) / t.length, rss: (m1.rss - m0.rss) / t.length, samples })));`;
  const r = spawnSync(process.execPath, ['--expose-gc', '-e', script], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bench: memory probe exited ${r.status}: ${r.stderr.split('\n')[0]}`);
  const m = JSON.parse(r.stdout) as {
    heap: number;
    rss: number;
    samples: { thread: number; templates: number; heapUsed: number }[];
  };
  const workers = m.samples.filter((s) => s.thread > 0 && s.templates === budget);
  if (workers.length < 2) throw new Error(`bench: memory probe saw ${workers.length} recycled workers`);
  const first = workers[0].heapUsed;
  const last = workers[workers.length - 1].heapUsed;
  const perTemplate = (last - first) / (budget * (workers.length - 1));
  return [
    {
      case: `heap kept per template by one thread (${count} templates, no recycling, findings dropped)`,
      value: m.heap / 1e6,
      unit: 'MB',
      note: `RSS ${(m.rss / 1e6).toFixed(3)} MB per template; what aws-cdk-lib keeps per template in a thread`,
    },
    {
      case: `heap growth per template, --jobs 1 with a fresh worker every ${budget} templates (${count} templates)`,
      value: perTemplate / 1e6,
      unit: 'MB',
      baseline: m.heap / 1e6,
      ratio: m.heap > 0 ? perTemplate / m.heap : undefined,
      budget: 'flat (< 0.1× one thread)',
      met: perTemplate < 0.1 * m.heap,
      note: `${workers.length} workers; heap after each worker's ${budget}th template ${workers.map((w) => (w.heapUsed / 1e6).toFixed(1)).join(', ')} MB; baseline: one thread`,
    },
  ];
}

/** cfn-lint on the same small templates, one process, when it is on PATH. */
function peerRows(corpus: string, n: number, resources: number, dir: string, runs: number): SmallBenchRow[] {
  const rows: SmallBenchRow[] = [];
  const files = readdirSync(corpus)
    .sort()
    .slice(0, n)
    .map((f) => join(corpus, f));
  const found = (tool: string): boolean => spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0;
  if (found('cfn-lint')) {
    const ms = median(
      Array.from({ length: Math.max(1, Math.min(3, runs)) }, () => {
        const t0 = performance.now();
        spawnSync('cfn-lint', files, { stdio: 'ignore', cwd: dir });
        return performance.now() - t0;
      }),
    );
    rows.push({
      case: `peer: cfn-lint on ${n} small templates (${resources} resources)`,
      value: (resources / ms) * 1000,
      unit: 'resources/s',
      note: `process wall ${ms.toFixed(0)} ms`,
    });
  } else {
    rows.push({ case: 'peer: cfn-lint', value: 0, unit: '', note: 'skipped: cfn-lint is not on PATH' });
  }
  return rows;
}

/**
 * cfn-guard, the peer the issue names, running AWS Control Tower's proactive controls: the
 * `cfn-guard` on PATH or the one `@cdklabs/cdk-validator-cfnguard` (a dev dependency) ships, with
 * that package's Control Tower rules. On the first 30 small templates and on the largest corpus,
 * whose `check --jobs 1` rate of this run is then judged against it. One process per run, like
 * `check`; its JSON report goes to a file, as ours does.
 */
function cfnGuardRows(
  root: string,
  corpus: string,
  resourcesOf: (n: number) => number,
  largest: number,
  largestRun: { resources: number; rate: number } | undefined,
  runs: number,
): SmallBenchRow[] {
  const guard = findCfnGuard(root);
  if (!guard)
    return [
      {
        case: 'peer: cfn-guard',
        value: 0,
        unit: '',
        note: 'skipped: neither a cfn-guard on PATH nor the one of @cdklabs/cdk-validator-cfnguard runs here',
      },
    ];
  const files = readdirSync(corpus).sort();
  const timed = (n: number, times: number): number =>
    median(
      Array.from({ length: times }, () => {
        const data = files.slice(0, n).flatMap((f) => ['--data', join(corpus, f)]);
        const t0 = performance.now();
        const r = spawnSync(
          guard.bin,
          ['validate', ...data, '--rules', guard.rules, '--output-format', 'json', '--show-summary', 'none'],
          { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
        );
        const ms = performance.now() - t0;
        // 0: every template passes, 19: some do not; anything else is a failure to measure.
        if (r.status !== 0 && r.status !== 19)
          throw new Error(`bench: cfn-guard exited ${r.status}: ${r.stderr.split('\n')[0]}`);
        return ms;
      }),
    );
  const rows: SmallBenchRow[] = [];
  const few = Math.min(30, largest);
  const fewMs = timed(few, Math.max(1, Math.min(3, runs)));
  rows.push({
    case: `peer: cfn-guard on ${few} small templates (${resourcesOf(few)} resources)`,
    value: (resourcesOf(few) / fewMs) * 1000,
    unit: 'resources/s',
    note: `${guard.version}, ${guard.ruleCount} Control Tower rules; process wall ${fewMs.toFixed(0)} ms`,
  });
  if (largestRun && largest > few) {
    // One run: on 1,000 templates cfn-guard takes well over a minute.
    const ms = timed(largest, 1);
    const rate = (largestRun.resources / ms) * 1000;
    rows.push({
      case: `${largest} small templates: check --jobs 1 against cfn-guard (Control Tower rules)`,
      value: largestRun.rate,
      unit: 'resources/s',
      baseline: rate,
      ratio: largestRun.rate / rate,
      note: `cfn-guard: one run, process wall ${ms.toFixed(0)} ms; check: the --jobs 1 row above`,
    });
  }
  return rows;
}

/** The cfn-guard binary and Control Tower rules to bench with, or undefined when there are none. */
function findCfnGuard(
  root: string,
): { bin: string; rules: string; version: string; ruleCount: number } | undefined {
  const pkg = join(root, 'node_modules', '@cdklabs', 'cdk-validator-cfnguard');
  const rules = join(pkg, 'rules', 'control-tower', 'cfn-guard');
  if (!existsSync(rules)) return undefined;
  const os = process.platform === 'darwin' ? 'macos' : process.platform === 'linux' ? 'ubuntu' : undefined;
  const arch = process.arch === 'arm64' ? 'aarch64' : process.arch === 'x64' ? 'x86_64' : undefined;
  const candidates = ['cfn-guard', ...(os && arch ? [join(pkg, 'bin', os, arch, 'cfn-guard')] : [])];
  for (const bin of candidates) {
    const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    if (r.status === 0)
      return { bin, rules, version: r.stdout.trim(), ruleCount: listFiles(rules, '.guard').length };
  }
  return undefined;
}
