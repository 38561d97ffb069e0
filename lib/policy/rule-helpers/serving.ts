import { CfnResource, Stack } from 'aws-cdk-lib';
import { CfnEndpointConfig, CfnInferenceComponent, CfnModel } from 'aws-cdk-lib/aws-sagemaker';
import { perStack, resolved, resourceExists } from './evaluation';
import { isObject } from './intrinsics';
import { field, list } from './properties';

// How a model is served, read from the resources of its own template that name it.

/** The endpoint configs and inference components of a stack (not of its nested stacks). */
function serversOf(stack: Stack): readonly CfnResource[] {
  return perStack(stack, 'servers', () =>
    stack.node
      .findAll()
      .filter(
        (c): c is CfnResource =>
          (c instanceof CfnEndpointConfig || c instanceof CfnInferenceComponent) && Stack.of(c) === stack,
      ),
  );
}

/** Whether a `ModelName` value names the model: `!GetAtt Model.ModelName`, `!Ref Model` or its literal name. */
function namesModel(value: unknown, logicalId: string, modelName: unknown): boolean {
  if (typeof value === 'string') return typeof modelName === 'string' && value === modelName;
  if (!isObject(value)) return false;
  const att = value['Fn::GetAtt'];
  if (Array.isArray(att)) return att[0] === logicalId;
  if (typeof att === 'string') return att.split('.')[0] === logicalId;
  return value.Ref === logicalId;
}

/**
 * Whether every variant that serves the model, in the endpoint configs of the same template, is
 * serverless (and at least one does). Serverless Inference supports neither VPC configuration nor
 * network isolation, so the model rules about them do not apply to such a model. A variant whose
 * `ServerlessConfig` sits behind a condition is serverless only in the scenarios where the
 * condition keeps it (the evaluation judges each). An inference component runs the model on
 * instances, so a model it names is instance-served.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html#serverless-endpoints-how-it-works-exclusions
 */
export function servedOnlyByServerless(model: CfnModel): boolean {
  const stack = Stack.of(model);
  const logicalId = String(stack.resolve(model.logicalId));
  const modelName = resolved(model, model.modelName);
  let serverless = 0;
  for (const server of serversOf(stack)) {
    if (!resourceExists(server)) continue;
    if (server instanceof CfnInferenceComponent) {
      const spec = resolved(server, server.specification);
      if (namesModel(isObject(spec) ? (spec.modelName ?? spec.ModelName) : undefined, logicalId, modelName))
        return false;
      continue;
    }
    const config = server as CfnEndpointConfig;
    let variants: unknown[];
    try {
      variants = [
        ...list(resolved(config, config.productionVariants), 'ProductionVariants'),
        ...list(resolved(config, config.shadowProductionVariants), 'ShadowProductionVariants'),
      ];
    } catch {
      // Variants the template does not fix might serve the model on instances.
      return false;
    }
    for (const [i, v] of variants.entries()) {
      const what = `ProductionVariants.${i}`;
      if (!namesModel(field(v, what, 'modelName'), logicalId, modelName)) continue;
      if (field(v, what, 'serverlessConfig') === undefined) return false;
      serverless++;
    }
  }
  return serverless > 0;
}

/** One variant of an endpoint config, production or shadow, with the names its findings use. */
export interface EndpointVariant {
  /** Its path in the template: `ProductionVariants.0`, `ShadowProductionVariants.0`. */
  readonly what: string;
  /** Its `VariantName` when literal, else {@link what}: the granular part of a finding. */
  readonly label: string;
  /** The resolved variant. */
  readonly variant: unknown;
  /** Whether it is a shadow variant. */
  readonly shadow: boolean;
}

/**
 * Every variant of an endpoint config: the production variants, then the shadow variants, which
 * are ProductionVariant objects hosted on the same endpoint and receive a copy of the production
 * traffic, so the variant rules read them alike. A list-valued intrinsic throws.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpointConfig.html#sagemaker-CreateEndpointConfig-request-ShadowProductionVariants
 */
export function endpointVariants(node: CfnEndpointConfig): EndpointVariant[] {
  const read = (value: unknown, list_: string, shadow: boolean): EndpointVariant[] =>
    list(resolved(node, value), list_).map((variant, i) => {
      const what = `${list_}.${i}`;
      const name = field(variant, what, 'variantName');
      return { what, label: typeof name === 'string' ? name : what, variant, shadow };
    });
  return [
    ...read(node.productionVariants, 'ProductionVariants', false),
    ...read(node.shadowProductionVariants, 'ShadowProductionVariants', true),
  ];
}
