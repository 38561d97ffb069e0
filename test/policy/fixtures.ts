import { Stack } from 'aws-cdk-lib';
import Ajv from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import { expect } from 'vitest';
import { MLOpsChecks, MLOpsChecksProps } from '../../lib/policy/mlops-checks';
import { missingSharedSchema, PIPELINE_SCHEMA_FILE, readSharedSchema } from '../support/shared-schemas';

/** Fixed values for L1 fixtures. */
export const ACCOUNT = '111111111111';
export const KEY_ARN = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/ml-execution`;
export const DIGEST = `sha256:${'a'.repeat(64)}`;
export const PINNED_IMAGE = `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/models/xgboost@${DIGEST}`;
export const VPC = { Subnets: ['subnet-0a1b2c3d'], SecurityGroupIds: ['sg-0a1b2c3d'] };

/** One reported rule id with its description (to tell a thrown rule from a finding). */
export interface Reported {
  readonly ruleName: string;
  readonly description: string;
  readonly severity: string | undefined;
}

/**
 * Runs the MLOps pack over a stack and returns what it reported for one rule: ids equal to
 * `MLOps-<rule>` or granular `MLOps-<rule>[...]`, sorted.
 */
export function reported(stack: Stack, rule: string, props: MLOpsChecksProps = {}): Reported[] {
  const report = new MLOpsChecks(undefined, props).validateScope(stack);
  const id = `MLOps-${rule}`;
  return report.violations
    .filter((v) => v.ruleName === id || v.ruleName.startsWith(`${id}[`))
    .map((v) => ({ ruleName: v.ruleName, description: v.description, severity: v.severity }))
    .sort((a, b) => a.ruleName.localeCompare(b.ruleName));
}

/** The rule ids the pack reported for one rule. */
export function ruleIds(stack: Stack, rule: string, props: MLOpsChecksProps = {}): string[] {
  return reported(stack, rule, props).map((r) => r.ruleName);
}

/** The description cdk-nag gives a rule that threw (an unresolvable intrinsic). */
export const THREW = /^Rule threw an error during validation/;

// ---- Pipeline definitions ---------------------------------------------------------------------

/** Why the schema checks cannot run here, or `false`: see test/support/shared-schemas.ts. */
export const NO_PIPELINE_SCHEMA = missingSharedSchema(PIPELINE_SCHEMA_FILE);
type PipelineSchema = {
  $schema?: string;
  definitions: Record<string, { properties: { Arguments: { properties: Record<string, unknown> } } }>;
};
/**
 * The shared schema, unchanged. Where it is absent the fixtures are not validated (and the
 * fixtures' own schema tests skip, printing why).
 */
export const PIPELINE_SCHEMA: PipelineSchema | undefined =
  readSharedSchema<PipelineSchema>(PIPELINE_SCHEMA_FILE);

/**
 * The schema the fixtures validate against: the shared one with exactly two changes.
 * 1. The shared schema's RegisterModel `Arguments` has `additionalProperties: false` and no
 *    `ModelApprovalStatus`, although the SageMaker Python SDK writes it there (it is a
 *    CreateModelPackage argument) and the register-model rule is about it; a test pins that the
 *    stock schema still lacks it.
 * 2. `RetryPolicy.ExceptionType` is a list of strings, not one string: the retry policy JSON
 *    schema is `"ExceptionType": [String]`
 *    (https://docs.aws.amazon.com/sagemaker/latest/dg/pipelines-retry-policy.html).
 */
function repaired(stock: PipelineSchema): PipelineSchema {
  const schema = structuredClone(stock);
  schema.definitions.RegisterModelStep.properties.Arguments.properties.ModelApprovalStatus = {
    $ref: '#/definitions/StringArgumentValue',
  };
  const retry = (schema.definitions.RetryPolicy as unknown as { properties: Record<string, unknown> })
    .properties;
  retry.ExceptionType = { type: 'array', minItems: 1, items: retry.ExceptionType };
  return schema;
}

/**
 * Ajv for the draft the schema declares. It declares `http://json-schema.org/schema#` (the
 * unversioned "latest" URI) and uses only keywords common to draft-04 and draft-07, so it runs
 * under Ajv's default draft-07 engine; a draft-04 URI would select ajv-draft-04. `strict: false`
 * because the schema carries non-keywords (e.g. `Values` inside `Std:Join`); the unversioned
 * meta-schema URI is unknown to Ajv, so the schema itself is not meta-validated.
 */
export function compilePipelineSchema(document: object & { $schema?: string }) {
  const draft04 = /draft-04/.test(document.$schema ?? '');
  const options = { strict: false, validateSchema: false, allErrors: true } as const;
  const ajv = draft04 ? new AjvDraft04(options) : new Ajv(options);
  return ajv.compile(document);
}
const validate = PIPELINE_SCHEMA ? compilePipelineSchema(repaired(PIPELINE_SCHEMA)) : undefined;

/** A pipeline definition document. */
export type PipelineDefinition = { Version: string; Parameters?: object[]; Steps: object[] };

/** Throws unless a definition validates against the shared pipeline definition schema. */
export function assertValidDefinition(definition: object): void {
  if (validate && !validate(definition)) {
    throw new Error(
      `pipeline definition fixture is invalid: ${JSON.stringify(validate.errors?.slice(0, 5))}`,
    );
  }
}

/** A schema-valid definition (validated here) with the given steps and parameters. */
export function pipelineDefinition(steps: object[], parameters?: object[]): PipelineDefinition {
  const definition: PipelineDefinition = {
    Version: '2020-12-01',
    ...(parameters ? { Parameters: parameters } : {}),
    Steps: steps,
  };
  // Round-trip so `undefined` overrides (fields removed by a test) disappear before validation.
  const clean = JSON.parse(JSON.stringify(definition)) as PipelineDefinition;
  assertValidDefinition(clean);
  return clean;
}

/** `PipelineDefinition` property value with the definition inline. */
export function inlineBody(definition: PipelineDefinition): { PipelineDefinitionBody: string } {
  return { PipelineDefinitionBody: JSON.stringify(definition) };
}

type Args = Record<string, unknown>;

/** A Training step with every protection on (managed spot with checkpoints); `args` replace top-level Arguments. */
export function trainingStep(name = 'Train', args: Args = {}): object {
  return {
    Name: name,
    Type: 'Training',
    Arguments: {
      AlgorithmSpecification: { TrainingImage: PINNED_IMAGE, TrainingInputMode: 'File' },
      OutputDataConfig: { S3OutputPath: 's3://ml-models/out', KmsKeyId: KEY_ARN },
      ResourceConfig: {
        InstanceCount: 2,
        InstanceType: 'ml.m5.xlarge',
        VolumeSizeInGB: 30,
        VolumeKmsKeyId: KEY_ARN,
      },
      RoleArn: ROLE_ARN,
      StoppingCondition: { MaxRuntimeInSeconds: 3600, MaxWaitTimeInSeconds: 7200 },
      EnableNetworkIsolation: true,
      EnableInterContainerTrafficEncryption: true,
      EnableManagedSpotTraining: true,
      CheckpointConfig: { S3Uri: 's3://ml-models/checkpoints' },
      VpcConfig: VPC,
      ...args,
    },
  };
}

/** A Processing step with every protection on; `args` replace top-level Arguments. */
export function processingStep(name = 'Preprocess', args: Args = {}): object {
  return {
    Name: name,
    Type: 'Processing',
    Arguments: {
      AppSpecification: { ImageUri: PINNED_IMAGE },
      ProcessingResources: {
        ClusterConfig: {
          InstanceCount: 1,
          InstanceType: 'ml.m5.xlarge',
          VolumeSizeInGB: 30,
          VolumeKmsKeyId: KEY_ARN,
        },
      },
      NetworkConfig: {
        EnableNetworkIsolation: true,
        EnableInterContainerTrafficEncryption: true,
        VpcConfig: VPC,
      },
      ProcessingOutputConfig: {
        KmsKeyId: KEY_ARN,
        Outputs: [
          {
            OutputName: 'train',
            S3Output: {
              S3Uri: 's3://ml-data/train',
              LocalPath: '/opt/ml/processing/train',
              S3UploadMode: 'EndOfJob',
            },
          },
        ],
      },
      RoleArn: ROLE_ARN,
      StoppingCondition: { MaxRuntimeInSeconds: 3600 },
      ...args,
    },
  };
}

/** A RegisterModel step; `args` replace top-level Arguments. */
export function registerModelStep(name = 'Register', args: Args = {}): object {
  return {
    Name: name,
    Type: 'RegisterModel',
    Arguments: {
      ModelPackageGroupName: 'churn-models',
      ModelApprovalStatus: 'PendingManualApproval',
      InferenceSpecification: {
        Containers: [
          { Image: PINNED_IMAGE, ModelDataUrl: { Get: 'Steps.Train.ModelArtifacts.S3ModelArtifacts' } },
        ],
        SupportedContentTypes: ['text/csv'],
        SupportedResponseMIMETypes: ['text/csv'],
      },
      ...args,
    },
  };
}

/** A Condition step that runs `ifSteps` when the training job's metric clears a bar. */
export function conditionStep(name: string, ifSteps: object[], elseSteps: object[] = []): object {
  return {
    Name: name,
    Type: 'Condition',
    Arguments: {
      Conditions: [
        {
          Type: 'GreaterThanOrEqualTo',
          LeftValue: { Get: 'Steps.Train.FinalMetricDataList[0].Value' },
          RightValue: 0.8,
        },
      ],
      IfSteps: ifSteps,
      ElseSteps: elseSteps,
    },
  };
}

/** What the pack reported for one rule, as `<rule id>: <description>` lines (to pin which branch or value fails). */
export function judged(stack: Stack, rule: string, props: MLOpsChecksProps = {}): string[] {
  return reported(stack, rule, props).map((r) => `${r.ruleName}: ${r.description}`);
}

/** Asserts the `<rule id>: <description>` lines the pack reported for one rule. */
export function expectJudged(expected: readonly string[], stack: Stack, rule: string): void {
  expect(judged(stack, rule)).toEqual(expected);
}
