import { describe, expect, it } from 'vitest';
import { type AccessCase, caseName, evaluate, labelOfActor } from './cases';
import type { ReferenceModel } from './harness';

/**
 * Declares one test per case: cases without a defect under `title`, the others under a describe
 * block per defect. `model()` is read when the tests run (the file synthesizes in `beforeAll`).
 */
export function declareCases(title: string, cases: readonly AccessCase[], model: () => ReferenceModel): void {
  const label = (c: AccessCase) => caseName({ labelOf: labelOfActor }, c);
  const groups = new Map<string, AccessCase[]>();
  for (const c of cases) {
    const g = c.defect ?? title;
    groups.set(g, [...(groups.get(g) ?? []), c]);
  }
  for (const [group, list] of groups) {
    describe(group, () => {
      for (const c of list) {
        // The doc page is part of the name, so a failure says where the requirement comes from.
        it(`${label(c)} (${c.doc})`, async () => {
          const { decision, ok } = await evaluate(model(), c);
          expect(
            ok,
            `${decision.result}; allowed by [${decision.allowedBy.join(', ')}]; denied by [${decision.deniedBy.join(', ')}]; blocked by [${decision.blockedBy.join(', ')}]`,
          ).toBe(true);
        });
      }
    });
  }
}
