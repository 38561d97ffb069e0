/**
 * Writes docs/ACCESS-MATRIX.md from the authorization proof's cases (test/deploy/cases): each
 * actor × action × resource, the decision iam-simulate reaches on the synthesized reference app,
 * and the statements that decide it. Run with `npm run docs:access`.
 */
import { writeFileSync } from 'node:fs';
import { loadReferenceModel } from '../test/deploy/harness';
import { ACCESS_MATRIX_PATH, renderAccessMatrix } from '../test/deploy/matrix';

process.env.CDK_VALIDATION ??= 'false';

async function main(): Promise<void> {
  const page = await renderAccessMatrix(loadReferenceModel());
  writeFileSync(ACCESS_MATRIX_PATH, page);
  console.log(`wrote ${ACCESS_MATRIX_PATH}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
