import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `../shared/schemas` beside the repository: the published SageMaker pipeline definition schema
 * (and the OASIS SARIF schema) that CI and the developers' machines have, and a plain clone may not.
 * Tests that need one of these files run `it.skipIf(missingSharedSchema(file))`: on a plain clone they
 * skip with the reason printed, and `.ci/run` fails when any test skipped in CI.
 */
export const SHARED_SCHEMAS_DIR = join(__dirname, '..', '..', '..', 'shared', 'schemas');

/** The published pipeline definition schema's file name in {@link SHARED_SCHEMAS_DIR}. */
export const PIPELINE_SCHEMA_FILE = 'sagemaker-pipeline-definition.schema.json';

/** The path of a shared schema file. */
export function sharedSchemaPath(file: string): string {
  return join(SHARED_SCHEMAS_DIR, file);
}

const warned = new Set<string>();

/**
 * Why tests that need a shared schema file cannot run here (printed once per file and process), or
 * `false` when the file is present.
 */
export function missingSharedSchema(file: string): string | false {
  const path = sharedSchemaPath(file);
  if (existsSync(path)) return false;
  const reason = `${path} is absent (../shared/schemas sits beside the repository in CI): the tests that validate against it are skipped`;
  if (!warned.has(file)) {
    warned.add(file);
    console.warn(`skipped: ${reason}`);
  }
  return reason;
}

/** A shared schema file's JSON, or `undefined` when it is absent. */
export function readSharedSchema<T = object>(file: string): T | undefined {
  return missingSharedSchema(file)
    ? undefined
    : (JSON.parse(readFileSync(sharedSchemaPath(file), 'utf8')) as T);
}
