import { readFileSync } from 'node:fs';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { Stack } from 'aws-cdk-lib';
import { CfnPipeline } from 'aws-cdk-lib/aws-sagemaker';
import { PLACEHOLDER, templateJson } from '../../lib/policy/rule-helpers';
import { missingSharedSchema, PIPELINE_SCHEMA_FILE, sharedSchemaPath } from '../support/shared-schemas';

/**
 * The published SageMaker pipeline definition schema (../shared/schemas), loaded for tests.
 *
 * Draft: the file declares `"$schema": "http://json-schema.org/schema#"`, the unversioned
 * "latest draft" URI that Ajv does not know. It uses `$id` (draft-06 and later), `definitions`,
 * `patternProperties`, `oneOf`/`anyOf` and nothing newer, so it is compiled as draft-07 (Ajv's
 * default) with the `$schema` key removed.
 *
 * The schema predates four parts of the definition language that SageMaker documents and that
 * the generated definitions need, and gets one shape wrong, so {@link repairedSchema} makes
 * exactly these five changes, nothing else:
 * 1. `Std:Join`: the schema defines `JoinFunction` but references it nowhere, and its body is
 *    malformed (`Values` sits beside `required` instead of under `properties`, with
 *    `additionalProperties: false`, so no join could ever match). It is rewritten as
 *    `{"Std:Join": {"On": string, "Values": [string | Get]}}` and allowed wherever a
 *    `StringArgumentValue` is (per-execution checkpoint, output and dataset-version URIs).
 * 2. `Std:JsonGet`: reading a property file in a condition (`{"Std:JsonGet": {"PropertyFile":
 *    Get, "Path": string}}`), allowed as a condition operand.
 * 3. `PropertyFiles` on a Processing step (`PropertyFileName`, `OutputName`, `FilePath`).
 * 4. `ModelApprovalStatus` in RegisterModel arguments (a CreateModelPackage field the schema
 *    omits; it is the review gate, and MLOps-SageMakerPipelineRegisterModelApproval requires it).
 * 5. `RetryPolicies[].ExceptionType`: the schema types it as one string, but SageMaker's retry
 *    policy JSON schema is `"ExceptionType": [String]`, an array of exception type strings
 *    (pipelines-retry-policy.html, and the example on pipelines-configuring-retry-policy.html).
 *    It becomes a non-empty array of the same enum, so a string is now rejected.
 * Every other constraint (`additionalProperties: false` on steps and arguments, enums such as
 * the retry exception types) is kept. `unrepairedErrors` proves the original schema objects to
 * nothing but these five.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-properties.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/pipelines-retry-policy.html
 */
export const SCHEMA_PATH = sharedSchemaPath(PIPELINE_SCHEMA_FILE);

/** Why the schema tests cannot run here, or `false`: see test/support/shared-schemas.ts. */
export const NO_PIPELINE_SCHEMA = missingSharedSchema(PIPELINE_SCHEMA_FILE);

type Json = Record<string, unknown>;

function load(): Json {
  const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as Json;
  delete schema.$schema;
  return schema;
}

/** The schema with the five repairs described above. */
export function repairedSchema(): Json {
  const schema = load();
  const defs = schema.definitions as Record<string, Json>;
  const getOrString = { oneOf: [{ type: 'string' }, { $ref: '#/definitions/GetFunction' }] };
  defs.JoinFunction = {
    type: 'object',
    properties: {
      'Std:Join': {
        type: 'object',
        properties: { On: { type: 'string' }, Values: { type: 'array', items: getOrString } },
        required: ['On', 'Values'],
        additionalProperties: false,
      },
    },
    required: ['Std:Join'],
    additionalProperties: false,
  };
  defs.JsonGetFunction = {
    type: 'object',
    properties: {
      'Std:JsonGet': {
        type: 'object',
        properties: { PropertyFile: { $ref: '#/definitions/GetFunction' }, Path: { type: 'string' } },
        required: ['PropertyFile', 'Path'],
        additionalProperties: false,
      },
    },
    required: ['Std:JsonGet'],
    additionalProperties: false,
  };
  (defs.StringArgumentValue.oneOf as Json[]).push({ $ref: '#/definitions/JoinFunction' });
  const binary = defs.BinaryCondition.properties as Record<string, Json>;
  for (const side of ['LeftValue', 'RightValue'])
    (binary[side].anyOf as Json[]).push({ $ref: '#/definitions/JsonGetFunction' });
  (defs.ProcessingStep.properties as Record<string, Json>).PropertyFiles = {
    type: 'array',
    items: {
      type: 'object',
      properties: {
        PropertyFileName: { type: 'string' },
        OutputName: { type: 'string' },
        FilePath: { type: 'string' },
      },
      required: ['PropertyFileName', 'OutputName', 'FilePath'],
      additionalProperties: false,
    },
  };
  const register = (defs.RegisterModelStep.properties as Record<string, Json>).Arguments;
  (register.properties as Record<string, Json>).ModelApprovalStatus = {
    oneOf: [
      { type: 'string', enum: ['PendingManualApproval', 'Approved', 'Rejected'] },
      { $ref: '#/definitions/GetFunction' },
    ],
  };
  const retry = defs.RetryPolicy.properties as Record<string, Json>;
  retry.ExceptionType = { type: 'array', minItems: 1, items: retry.ExceptionType };
  return schema;
}

function compile(schema: Json): ValidateFunction {
  // strict: false because the original JoinFunction carries an unknown keyword (`Values`).
  return new Ajv({ allErrors: true, strict: false }).compile(schema);
}

let repaired: ValidateFunction | undefined;
let original: ValidateFunction | undefined;

/** Validates a definition against the repaired schema; returns Ajv's errors (empty when valid). */
export function schemaErrors(definition: unknown): ErrorObject[] {
  repaired ??= compile(repairedSchema());
  return repaired(definition) ? [] : [...(repaired.errors ?? [])];
}

/** Validates against the schema exactly as published. */
export function unrepairedErrors(definition: unknown): ErrorObject[] {
  original ??= compile(load());
  return original(definition) ? [] : [...(original.errors ?? [])];
}

/**
 * The definition as the MLOps pack sees it: `Stack.of(pipeline).resolve(body)` is an `Fn::Join`;
 * its literal parts, with every reference replaced by a placeholder string, must parse as JSON.
 */
export function synthesizedDefinition(resource: CfnPipeline): Json {
  const resolved = Stack.of(resource).resolve(resource.pipelineDefinition) as Json;
  const text = templateJson(resolved.PipelineDefinitionBody);
  if (text === undefined) throw new Error('PipelineDefinitionBody is missing');
  return JSON.parse(text) as Json;
}

export { PLACEHOLDER };
