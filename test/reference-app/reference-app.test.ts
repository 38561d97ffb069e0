import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { App } from 'aws-cdk-lib';
import { DEFAULT_CONFIG, parseConfig } from '../../examples/reference-app/config';
import { buildPlatform } from '../../examples/reference-app/platform-app';

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
    const report = JSON.parse(readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: PluginReport[];
    };
    const failing = report.pluginReports.filter((r) => r.violations.length > 0);
    expect(failing.map((r) => `${r.pluginName}: ${JSON.stringify(r.violations).slice(0, 500)}`)).toEqual([]);
  });

  it("starts retraining in the platform stack when the serving stack's drift or quality alarms fire", () => {
    type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;
    const read = (name: string) =>
      (JSON.parse(readFileSync(path.join(outdir, name), 'utf8')) as { Resources: Resources }).Resources;
    const alarmNames = Object.values(read('mlops-serving-churn.template.json'))
      .filter((r) => r.Type === 'AWS::CloudWatch::Alarm' && typeof r.Properties.AlarmName === 'string')
      .map((r) => r.Properties.AlarmName);
    // One rule per monitor (DriftMonitor, ModelQualityMonitor): together they name every named alarm, no other.
    const rules = Object.values(read('mlops-platform.template.json')).filter(
      (r) =>
        r.Type === 'AWS::Events::Rule' &&
        JSON.stringify(r.Properties.EventPattern ?? {}).includes('CloudWatch Alarm State Change'),
    );
    expect(rules).toHaveLength(2);
    const patterns = rules.map((r) => r.Properties.EventPattern as { detail: { alarmName: string[] } });
    expect(patterns.flatMap((p) => p.detail.alarmName).sort()).toEqual([...alarmNames].sort());
    for (const rule of rules)
      expect(JSON.stringify(rule.Properties.Targets)).toContain(':pipeline/churn-training');
  });

  it('lists every acknowledgment the library records in README', () => {
    const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Acknowledgments'));
    const ids = new Set<string>();
    for (const file of readdirSync(outdir).filter((f) => f.endsWith('.template.json'))) {
      const template = JSON.parse(readFileSync(path.join(outdir, file), 'utf8')) as {
        Resources: Record<
          string,
          { Metadata?: { 'compliant-mlops'?: { acknowledgments?: { id: string }[] } } }
        >;
      };
      for (const r of Object.values(template.Resources)) {
        for (const a of r.Metadata?.['compliant-mlops']?.acknowledgments ?? []) ids.add(a.id);
      }
    }
    expect(ids.size).toBeGreaterThan(10);
    const missing = [...ids].filter((id) => {
      const rule = id
        .replace(/^(AwsSolutions|HIPAA\.Security|NIST\.800\.53\.R5|PCI\.DSS\.321|Serverless|MLOps)-/, '')
        .replace(/\[.*$/, '');
      const granular = /\[(.*)\]$/.exec(id)?.[1];
      const tail = granular?.split(/[/:]/).filter(Boolean).pop();
      return !section.includes(rule) || (tail !== undefined && !section.includes(tail));
    });
    expect(missing).toEqual([]);
  });

  it('rejects a bad config with every problem named', () => {
    expect(() => parseConfig({ ...DEFAULT_CONFIG, account: '12', environment: 'qa' })).toThrow(
      /config: account: [^\n]+\nconfig: environment: /,
    );
  });
});
