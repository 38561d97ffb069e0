import { z } from 'zod';

// The request contract of an InferenceApi: a zod schema rendered as the JSON Schema (draft 4) of
// the API Gateway request model that validates every body.

/** A contract rendered as JSON Schema draft 4, or why it could not be. */
export interface RenderedContract {
  readonly schema?: Record<string, unknown>;
  readonly problem?: string;
}

/** Renders a zod contract as JSON Schema draft 4 (the input side, so defaults stay optional). */
export function renderContract(contract: z.ZodType): RenderedContract {
  let schema: Record<string, unknown>;
  try {
    schema = z.toJSONSchema(contract, { target: 'draft-4', io: 'input' }) as Record<string, unknown>;
  } catch (e) {
    return { problem: `cannot be rendered as JSON Schema (${(e as Error).message.split('\n')[0]})` };
  }
  if (schema.type !== 'object') return { schema, problem: 'must describe a JSON object (the request body)' };
  return { schema };
}

/** JSON Schema keys that aws-cdk-lib's `JsonSchema` spells without the `$`. */
const DOLLAR_KEYS: Record<string, string> = { $schema: 'schema', $ref: 'ref', $id: 'id' };
/** Keys whose children are user-chosen names, not schema keywords. */
const NAMED_CHILDREN = new Set(['properties', 'patternProperties', 'definitions', 'dependencies']);

/** Converts JSON Schema to aws-cdk-lib's `JsonSchema` spelling (`$schema` → `schema`, ...). */
export function toApigwSchema(schema: unknown, namedChildren = false): unknown {
  if (Array.isArray(schema)) return schema.map((s) => toApigwSchema(s));
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (namedChildren) out[key] = toApigwSchema(value);
    else out[DOLLAR_KEYS[key] ?? key] = toApigwSchema(value, NAMED_CHILDREN.has(key));
  }
  return out;
}
