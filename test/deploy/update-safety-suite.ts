import { describe, expect, it } from 'vitest';
import {
  changedExportsInUse,
  describeUnsafe,
  retryBlockers,
  unclassifiedTypes,
  unsafeReplacements,
} from './update-safety-diff';
import { Subject, Templates } from './update-safety-subjects';

// Update safety: changing one input at a time never replaces a custom-named resource under the
// name it already has. CloudFormation refuses that update ("CloudFormation cannot update a stack
// when a custom-named resource requires replacing"); a replacement is fine when the name changes too.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-name.html
//
// Retry safety: a failed first create rolls back and deletes what it created, except resources with
// DeletionPolicy Retain; RetainExceptOnCreate (RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE) deletes them
// too. A retained resource with a fixed name would make the retry fail with "already exists".
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html

/** The base templates of each subject, synthesized once. */
const bases = new Map<string, Templates>();
function baseOf(s: Subject): Templates {
  let t = bases.get(s.construct);
  if (!t) bases.set(s.construct, (t = s.base()));
  return t;
}

function unsafeLines(construct: string, input: string, before: Templates, after: Templates): string[] {
  const replaced = Object.entries(after).flatMap(([stackName, template]) => {
    const old = before[stackName];
    if (!old) return [];
    return unsafeReplacements(old, template).map(
      (u) => `(${construct}, ${input}, ${stackName}/${describeUnsafe(u)})`,
    );
  });
  // An export in use cannot change: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-stack-exports.html
  const exports = changedExportsInUse(before, after).map(
    (e) =>
      `(${construct}, ${input}, ${e.stackName} export ${e.exportName} changes while imported by ${e.importedBy.join(', ')})`,
  );
  return [...replaced, ...exports];
}

/**
 * Replacements no construct can avoid, asserted exactly so that a change either way shows: the
 * caller chose the name, and the property cannot change in place.
 */
const INHERENT: readonly { construct: string; input: string; finding: string; reason: string }[] = [
  {
    construct: 'ModelImageRepository (named)',
    input: 'encryptionKey',
    finding:
      '(AWS::ECR::Repository) replaced under the same RepositoryName="churn", forced by EncryptionConfiguration',
    reason:
      'ECR cannot change the key of a repository; with a fixed repositoryName a new key needs a new name',
  },
];

/**
 * Declares, for each subject, one update-safety case per changed input and the retry-safety and
 * identity-table cases of its base templates; failures print (construct, input, stack/resource).
 */
export function describeUpdateAndRetrySafety(subjects: readonly Subject[]): void {
  describe.each(subjects.map((s) => [s.construct, s] as const))('update safety of %s', (_name, s) => {
    it.each(Object.keys(s.inputs))(
      'changing %s replaces no custom-named resource under the same name',
      (input) => {
        const after = s.inputs[input]();
        const before = baseOf(s);
        expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
        const inherent = INHERENT.filter((i) => i.construct === s.construct && i.input === input);
        expect(unsafeLines(s.construct, input, before, after)).toEqual(
          inherent.map((i) => expect.stringContaining(i.finding)),
        );
      },
    );
  });

  describe('retry safety', () => {
    it.each(subjects.map((s) => [s.construct, s] as const))(
      '%s retains no fixed-name resource a failed create would leave behind',
      (_name, s) => {
        const lines = Object.entries(baseOf(s)).flatMap(([stackName, t]) =>
          retryBlockers(t).map(
            (b) =>
              `(${s.construct}, ${stackName}/${b.logicalId} ${b.type} ${b.name}: DeletionPolicy ${b.deletionPolicy}; expected RetainExceptOnCreate or no fixed name)`,
          ),
        );
        expect(lines).toEqual([]);
      },
    );

    it.each(subjects.map((s) => [s.construct, s] as const))(
      'every resource type of %s has a known physical identity',
      (_name, s) => {
        const types = Object.values(baseOf(s)).flatMap((t) => unclassifiedTypes(t));
        expect(types).toEqual([]);
      },
    );
  });
}
