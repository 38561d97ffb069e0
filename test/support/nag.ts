import { App, Stack, StackProps } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { NagPack } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { acknowledgedIds } from '../../constructs/core/acknowledge';
import { createPacks, PLATFORM_PACKS } from '../../lib/policy/packs';
import { RequiredTags } from '../../constructs/core/tags';

/** The packs every construct must pass with default props: the platform gate (PLATFORM_PACKS). */
export function standardPacks(): NagPack[] {
  return createPacks(PLATFORM_PACKS);
}

/** One unacknowledged finding. */
export interface Finding {
  readonly pack: string;
  readonly ruleId: string;
  readonly path: string;
}

/**
 * Runs every pack over a stack (after applying aspects such as tags, as synth would) and returns
 * the findings CDK would not move to `suppressedViolations`.
 */
export function findings(stack: Stack, packs: NagPack[] = standardPacks()): Finding[] {
  Template.fromStack(stack); // runs aspects (tags) exactly as synth does
  const out: Finding[] = [];
  for (const pack of packs) {
    const report = pack.validateScope(stack);
    for (const v of report.violations) {
      for (const r of v.violatingResources) {
        const construct = stack.node.root.node
          .findAll()
          .find((c) => c.node.path === r.constructPath) as IConstruct;
        const acked = construct ? acknowledgedIds(construct) : new Set<string>();
        if (!acked.has(`${pack.name}::${v.ruleName}`)) {
          out.push({ pack: pack.name, ruleId: v.ruleName, path: r.constructPath ?? '' });
        }
      }
    }
  }
  return out;
}

/** Findings as `ruleId @ path` lines, for readable assertion failures. */
export function findingLines(stack: Stack, packs?: NagPack[]): string[] {
  return findings(stack, packs).map((f) => `${f.ruleId} @ ${f.path}`);
}

/** A stack for construct tests: fixed account/region, the required tags applied and enforced. */
export function testStack(id = 'Test', props: StackProps = {}): Stack {
  const app = new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
  const stack = new Stack(app, id, { env: { account: '111111111111', region: 'eu-west-1' }, ...props });
  RequiredTags.apply(stack, {
    owner: 'ml-platform',
    'cost-center': 'cc-1234',
    environment: 'dev',
    'data-classification': 'internal',
  });
  return stack;
}
