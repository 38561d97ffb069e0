import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { App } from 'aws-cdk-lib';
import { DEFAULT_CONFIG, parseConfig } from '../../lib/stacks/config';
import { buildPlatform } from '../../lib/stacks/platform-app';

interface PluginReport {
  pluginName: string;
  conclusion: string;
  violations: unknown[];
}

describe('reference app', () => {
  const outdir = mkdtempSync(path.join(tmpdir(), 'ref-app-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('synthesizes through every pack and the CloudFormation validator with zero unacknowledged findings', () => {
    const previous = process.env.CDK_VALIDATION;
    process.env.CDK_VALIDATION = 'true';
    try {
      const context = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8')).context;
      const azs = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'cdk.context.json'), 'utf8'));
      const app = new App({ outdir, context: { ...context, ...azs } });
      buildPlatform(app, DEFAULT_CONFIG);
      app.synth();
    } finally {
      process.env.CDK_VALIDATION = previous;
    }
    const report = JSON.parse(readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')) as { pluginReports: PluginReport[] };
    const failing = report.pluginReports.filter((r) => r.violations.length > 0);
    expect(failing.map((r) => `${r.pluginName}: ${JSON.stringify(r.violations).slice(0, 500)}`)).toEqual([]);
  });

  it('rejects a bad config with every problem named', () => {
    expect(() => parseConfig({ ...DEFAULT_CONFIG, account: '12', environment: 'qa' })).toThrow(
      /config: account: [^\n]+\nconfig: environment: /,
    );
  });
});
