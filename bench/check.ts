import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkPaths } from '../lib/check/check';
import { loadInputs } from '../lib/check/inputs';

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
