/** Why a loop could not be expanded, and where. */
export class ForEachProblem extends Error {
  constructor(
    /** The loop's key, `Fn::ForEach::<name>`. */
    readonly loop: string,
    /** The logical id (a key of Resources) the loop sits in, or the loop itself at the top. */
    readonly resourceKey: string,
    message: string,
  ) {
    super(message);
  }
}

/** The result of {@link expandForEach}. */
export interface ForEachExpansion {
  readonly template: Record<string, unknown>;
  /** For each logical id a top-level loop of Resources created, the loop's key. */
  readonly createdBy: ReadonlyMap<string, string>;
}

const LOOP = 'Fn::ForEach::';

/**
 * Expands `Fn::ForEach` the way the `AWS::LanguageExtensions` transform does, where every value
 * is knowable: the collection is a literal list or a `Ref` to a list parameter with a `Default`.
 * In each copy, `${Identifier}` and `&{Identifier}` (non-alphanumerics dropped) are replaced in
 * the output key and in every string of the fragment, and `Ref: Identifier` becomes the value.
 * Loops may nest, and may stand in Resources (resource properties included), Conditions and Outputs.
 * @throws ForEachProblem for a loop whose collection is known only at deploy time, or malformed
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-foreach.html
 */
export function expandForEach(template: Record<string, unknown>): ForEachExpansion {
  const parameters = isRecord(template.Parameters) ? template.Parameters : {};
  const createdBy = new Map<string, string>();
  const collection = (value: unknown, loop: string, at: string): string[] => {
    if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number'))
      return value.map(String);
    const ref = isRecord(value) && Object.keys(value).length === 1 ? value.Ref : undefined;
    if (typeof ref === 'string') {
      const parameter = parameters[ref];
      const fallback = isRecord(parameter) ? parameter.Default : undefined;
      if (!isRecord(parameter)) {
        throw new ForEachProblem(
          loop,
          at,
          `its collection is Ref ${ref}, which is not a parameter of the template`,
        );
      }
      if (typeof fallback !== 'string' && !Array.isArray(fallback)) {
        throw new ForEachProblem(
          loop,
          at,
          `its collection is the parameter ${ref}, which has no Default, so its values are known only at deploy time; give ${ref} a Default, or check the processed template (aws cloudformation get-template --stack-name <stack> --template-stage Processed)`,
        );
      }
      return (Array.isArray(fallback) ? fallback.map(String) : fallback.split(',')).map((v) => v.trim());
    }
    throw new ForEachProblem(
      loop,
      at,
      'its collection is computed by an intrinsic function the checker does not evaluate (expected a list or a Ref to a list parameter); check the processed template (aws cloudformation get-template --stack-name <stack> --template-stage Processed)',
    );
  };
  const replace = (s: string, bindings: ReadonlyMap<string, string>): string => {
    let out = s;
    for (const [id, v] of bindings) {
      out = out
        .split(`\${${id}}`)
        .join(v)
        .split(`&{${id}}`)
        .join(v.replace(/[^A-Za-z0-9]/g, ''));
    }
    return out;
  };
  const walk = (
    value: unknown,
    bindings: ReadonlyMap<string, string>,
    at: string,
    depth: number,
  ): unknown => {
    if (typeof value === 'string') return bindings.size > 0 ? replace(value, bindings) : value;
    if (Array.isArray(value)) return value.map((v) => walk(v, bindings, at, depth));
    if (!isRecord(value)) return value;
    const ref = Object.keys(value).length === 1 ? value.Ref : undefined;
    if (typeof ref === 'string' && bindings.has(ref)) return bindings.get(ref);
    return expandMap(value, bindings, at, depth, undefined);
  };
  const expandMap = (
    map: Record<string, unknown>,
    bindings: ReadonlyMap<string, string>,
    at: string,
    depth: number,
    topLoop: string | undefined,
  ): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(map)) {
      if (!key.startsWith(LOOP)) {
        out[key] = walk(value, bindings, at === '' ? key : at, depth);
        continue;
      }
      const where = at === '' ? key : at;
      if (depth >= 5) throw new ForEachProblem(key, where, 'loops nest more than 5 levels');
      if (
        !Array.isArray(value) ||
        value.length !== 3 ||
        typeof value[0] !== 'string' ||
        !isRecord(value[2])
      ) {
        throw new ForEachProblem(key, where, 'is not [Identifier, Collection, {OutputKey: OutputValue}]');
      }
      const [identifier, rawCollection, fragment] = value as [string, unknown, Record<string, unknown>];
      for (const item of collection(walk(rawCollection, bindings, where, depth), key, where)) {
        const inner = new Map(bindings).set(identifier, item);
        const copy = expandMap(
          Object.fromEntries(
            Object.entries(fragment).map(([k, v]) => [k.startsWith(LOOP) ? k : replace(k, inner), v]),
          ),
          inner,
          at,
          depth + 1,
          topLoop ?? key,
        );
        for (const [k, v] of Object.entries(copy)) {
          out[k] = v;
          if (at === '' && topLoop === undefined) createdBy.set(k, key);
        }
      }
    }
    return out;
  };
  const out: Record<string, unknown> = { ...template };
  for (const section of ['Conditions', 'Resources', 'Outputs']) {
    const content = template[section];
    if (isRecord(content))
      out[section] = expandMap(content, new Map(), section === 'Resources' ? '' : section, 0, undefined);
  }
  return { template: out, createdBy };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
