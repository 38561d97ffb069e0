import { describe, expect, it } from 'vitest';
import { coverageDocument } from '../../lib/cli/commands/rules';
import { main } from '../../lib/cli/main';
import { anchorsOf } from '../../lib/policy/anchor-mapping';
import { MLOPS_RULES } from '../../lib/policy/rules';
import { fakeIO } from './fake-io';

describe('compliant-mlops rules', () => {
  it('prints every MLOps rule with its NIST controls as JSON', async () => {
    const io = fakeIO();
    expect(await main(['rules', '--format', 'json'], io)).toBe(0);
    const rules = JSON.parse(io.out()) as { id: string; nist: string[]; level: string }[];
    expect(rules.map((r) => r.id)).toEqual(MLOPS_RULES.map((r) => `MLOps-${r.name}`));
    expect(rules.every((r) => r.nist.length > 0)).toBe(true);
    expect(rules.find((r) => r.id === 'MLOps-SageMakerModelNetworkIsolation')?.nist).toContain('SC-7');
  });

  it('prints a Markdown table and a text list', async () => {
    const md = fakeIO();
    await main(['rules', '--format', 'markdown'], md);
    expect(md.out().split('\n')[0]).toBe(
      '| rule | level | resources | NIST 800-53 r5 | anchor controls | checks |',
    );
    expect(md.out()).toContain('`MLOps-SageMakerEndpointConfigKMS`');
    const text = fakeIO();
    await main(['rules'], text);
    expect(text.out()).toContain(`${MLOPS_RULES.length} rules`);
  });

  it('gives each rule its anchor controls, derived from the anchor mapping', async () => {
    const io = fakeIO();
    await main(['rules', '--format', 'json'], io);
    const rules = JSON.parse(io.out()) as { id: string; anchors: string[] }[];
    for (const r of rules) expect(r.anchors, r.id).toEqual(anchorsOf(r.id));
    expect(rules.find((r) => r.id === 'MLOps-SageMakerModelNetworkIsolation')?.anchors).toContain(
      'SecurityHub:SageMaker.5',
    );
    const md = fakeIO();
    await main(['rules', '--format', 'markdown'], md);
    expect(md.out()).toMatch(/\| `MLOps-SageMakerModelNetworkIsolation` \|[^\n]*SecurityHub:SageMaker\.5/);
  });

  it('prints the coverage table per anchor after the rules in Markdown, the one docs/CONTROL-COVERAGE.md holds', async () => {
    const md = fakeIO();
    await main(['rules', '--format', 'markdown'], md);
    const out = md.out();
    expect(out).toContain('| anchor | controls | covered | planned | not applicable | gap |');
    expect(out).toMatch(/\| \[AWS Security Hub CSPM\]\([^)]+\) \| 25 \|/);
    expect(out).toContain('### Prowler');
    expect(out.endsWith(coverageDocument().split('\n\n').slice(2).join('\n\n'))).toBe(true);
  });

  it('refuses an unknown format with one line and exit 2', async () => {
    const io = fakeIO();
    expect(await main(['rules', '--format', 'xml'], io)).toBe(2);
    expect(io.errLines()).toEqual([
      'compliant-mlops: rules: --format must be one of text, json, markdown (got "xml")',
    ]);
  });
});
