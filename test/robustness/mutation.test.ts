import { CfnResource, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { NagPack } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { afterAll, describe, expect, it } from 'vitest';
import { acknowledgedIds } from '../../constructs/core/acknowledge';
import { DEFAULT_REQUIRED_TAGS, missingTags } from '../../constructs/core/tags';
import { standardPacks, testStack } from '../support/nag';
import { FIXTURE_SCOPE, MUTATION_SUBJECTS, MutationSubject, SubjectFixtures } from './mutation-subjects';
import { KNOWN_GAPS, Mutation, mutationsFor } from './mutations';

/*
 * Policy mutation testing: each security-relevant L1 property of each construct's default
 * resources is undone, one at a time, on a freshly built stack; every registered pack (and the
 * RequiredTags validation, for tag mutations) then runs. A mutation is caught when some checker
 * reports a finding the unmutated stack does not have. A survivor is a missing rule.
 */

/** Something that reports findings on a synthesized stack: a pack, or the RequiredTags validation. */
interface Checker {
  readonly name: string;
  readonly findings: (stack: Stack) => Set<string>;
}

function packChecker(pack: NagPack): Checker {
  return {
    name: pack.name,
    findings: (stack) => {
      const out = new Set<string>();
      const byPath = new Map<string, IConstruct>(stack.node.findAll().map((c) => [c.node.path, c]));
      for (const v of pack.validateScope(stack).violations) {
        for (const r of v.violatingResources) {
          const construct = byPath.get(r.constructPath ?? '');
          if (construct && acknowledgedIds(construct).has(`${pack.name}::${v.ruleName}`)) continue;
          out.add(`${v.ruleName} @ ${r.constructPath ?? ''}`);
        }
      }
      return out;
    },
  };
}

const requiredTagsChecker: Checker = {
  name: 'RequiredTags',
  findings: (stack) =>
    new Set(
      missingTags(stack, DEFAULT_REQUIRED_TAGS).map((m) => `missing ${m.missing.join(',')} @ ${m.path}`),
    ),
};

/**
 * The checkers in the order they are tried: the MLOps pack first (cheap, and so its own rules,
 * SageMakerRequiredTags included, get the credit), then the RequiredTags validation, then the
 * other packs in registry order. The first that reports something new catches the mutation.
 */
function checkers(): Checker[] {
  const packs = standardPacks().map(packChecker);
  return [
    ...packs.filter((p) => p.name === 'MLOps'),
    requiredTagsChecker,
    ...packs.filter((p) => p.name !== 'MLOps'),
  ];
}

function build(subject: MutationSubject): Stack {
  const stack = testStack();
  subject.build(stack, new SubjectFixtures(stack));
  return stack;
}

/** The subject's own L1 resources (and stack-level ones it created), not the fixtures'. */
function targets(stack: Stack): CfnResource[] {
  const fixture = `${stack.node.path}/${FIXTURE_SCOPE}/`;
  return stack.node
    .findAll()
    .filter((c): c is CfnResource => CfnResource.isCfnResource(c))
    .filter((c) => !`${c.node.path}/`.startsWith(fixture));
}

interface Outcome {
  readonly subject: string;
  readonly resource: string;
  readonly type: string;
  readonly mutation: Mutation;
  readonly caughtBy?: string;
  readonly evidence?: string;
  /** Whether the synthesized resource differs from the unmutated one. */
  readonly changed: boolean;
}

const outcomes: Outcome[] = [];
const STRICT = process.env.MUTATION_STRICT === '1';
const gapKey = (o: Outcome) => `${o.type} ${o.mutation.id}`;
const knownGap = (o: Outcome) =>
  !STRICT &&
  KNOWN_GAPS.some(
    (g) => g.mutation === gapKey(o) && (g.subjects === undefined || g.subjects.includes(o.subject)),
  );
const describeOutcome = (o: Outcome) => `${o.type} ${o.mutation.id} (${o.mutation.property}) @ ${o.resource}`;

function runSubject(subject: MutationSubject): Outcome[] {
  // Baseline: what each checker reports on the unmutated subject.
  const base = build(subject);
  const baseResources = Template.fromStack(base).toJSON().Resources as Record<string, unknown>;
  const all = checkers();
  const baseline = new Map(all.map((c) => [c.name, c.findings(base)]));

  const plan: { path: string; type: string; mutation: Mutation }[] = [];
  for (const r of targets(base)) {
    for (const m of mutationsFor(r))
      if (m.applies(r, base)) plan.push({ path: r.node.path, type: r.cfnResourceType, mutation: m });
  }

  const out: Outcome[] = [];
  for (const { path, type, mutation } of plan) {
    const stack = build(subject); // a fresh construct per mutation: no state leaks between them
    const resource = targets(stack).find((r) => r.node.path === path);
    if (!resource)
      throw new Error(
        `${subject.name}: ${path} is not rebuilt identically (construct ids must be deterministic)`,
      );
    const logicalId = stack.resolve(resource.logicalId) as string; // honours overrideLogicalId, as synth does
    mutation.apply(resource, stack);
    const rendered = (Template.fromStack(stack).toJSON().Resources as Record<string, unknown>)[logicalId]; // aspects and rendering, as synth does
    // A mutation that renders the same resource proves nothing: the catalog entry is broken.
    const changed = JSON.stringify(rendered) !== JSON.stringify(baseResources[logicalId]);
    let caughtBy: string | undefined;
    let evidence: string | undefined;
    for (const checker of checkers()) {
      const before = baseline.get(checker.name) ?? new Set<string>();
      const fresh = [...checker.findings(stack)].filter((f) => !before.has(f));
      if (fresh.length > 0) {
        caughtBy = checker.name;
        evidence = fresh[0];
        break; // one catch is enough; the remaining packs would only cost time
      }
    }
    out.push({ subject: subject.name, resource: path, type, mutation, caughtBy, evidence, changed });
  }
  return out;
}

describe('policy mutation testing', () => {
  for (const subject of MUTATION_SUBJECTS) {
    it(`${subject.name}: every weakened security property is reported by a pack`, () => {
      const results = runSubject(subject);
      outcomes.push(...results);
      expect(results.filter((r) => !r.changed).map(describeOutcome)).toEqual([]);
      const survivors = results.filter((r) => r.caughtBy === undefined && !knownGap(r)).map(describeOutcome);
      expect(survivors).toEqual([]);
    });
  }

  it('every known gap still survives somewhere (delete the entry once its rule exists)', () => {
    // Runs after the subjects (vitest keeps declaration order within a file).
    const stale = KNOWN_GAPS.filter((g) => {
      const hits = outcomes.filter((o) => gapKey(o) === g.mutation);
      return hits.length > 0 && hits.every((o) => o.caughtBy !== undefined);
    }).map((g) => g.mutation);
    expect(stale).toEqual([]);
  });

  afterAll(() => {
    const lines: string[] = ['mutation score'];
    let caught = 0;
    for (const subject of MUTATION_SUBJECTS) {
      const mine = outcomes.filter((o) => o.subject === subject.name);
      if (mine.length === 0) {
        lines.push(`  ${subject.name.padEnd(24)} n/a (no security-relevant L1 property to undo)`);
        continue;
      }
      const c = mine.filter((o) => o.caughtBy).length;
      caught += c;
      lines.push(`  ${subject.name.padEnd(24)} ${c}/${mine.length}${c === mine.length ? '' : '  SURVIVORS'}`);
      for (const o of mine.filter((x) => !x.caughtBy))
        lines.push(`    survived${knownGap(o) ? ' (known gap)' : ''}: ${describeOutcome(o)}`);
    }
    const pct = outcomes.length ? ((100 * caught) / outcomes.length).toFixed(1) : '0';
    lines.push(`  ${'overall'.padEnd(24)} ${caught}/${outcomes.length} (${pct} %)`);
    for (const g of KNOWN_GAPS) lines.push(`  rule needed for ${g.mutation}: ${g.ruleNeeded}`);
    if (process.env.MUTATION_VERBOSE) {
      for (const o of outcomes)
        lines.push(
          `  ${o.subject} ${o.type} ${o.mutation.id} @ ${o.resource}: ${o.caughtBy ?? 'SURVIVED'} ${o.evidence ?? ''}`,
        );
    }
    console.log(lines.join('\n'));
  });
});
