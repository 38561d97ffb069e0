import { isIntrinsic, isNoValue, isObject, JsonObject, PLACEHOLDER } from './intrinsics';

// Strings and JSON text rebuilt from `Fn::Join` / `Fn::Sub`, with a placeholder where an intrinsic stands.

/** A literal part of a rebuilt string, or an intrinsic whose value is unknown. */
type Part = string | { readonly ref: unknown };

function parts(value: unknown): Part[] {
  if (typeof value === 'string') return [value];
  if (typeof value === 'number' || typeof value === 'boolean') return [String(value)];
  if (isObject(value) && isIntrinsic(value)) {
    const join = value['Fn::Join'];
    if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
      const out: Part[] = [];
      join[1].forEach((p: unknown, i: number) => {
        if (i > 0 && join[0] !== '') out.push(join[0] as string);
        out.push(...parts(p));
      });
      return out;
    }
    const sub = value['Fn::Sub'];
    if (typeof sub === 'string') return subParts(sub, {});
    if (Array.isArray(sub) && typeof sub[0] === 'string')
      return subParts(sub[0], isObject(sub[1]) ? sub[1] : {});
  }
  return [{ ref: value }];
}

function subParts(template: string, vars: JsonObject): Part[] {
  const out: Part[] = [];
  let last = 0;
  for (const m of template.matchAll(/\$\{([^}]*)\}/g)) {
    out.push(template.slice(last, m.index));
    const name = m[1];
    if (name.startsWith('!')) out.push(`\${${name.slice(1)}}`);
    else if (typeof vars[name] === 'string') out.push(vars[name]);
    else out.push({ ref: vars[name] ?? { Ref: name } });
    last = m.index + m[0].length;
  }
  out.push(template.slice(last));
  return out;
}

/**
 * Rebuilds a string from a literal, `Fn::Join` or `Fn::Sub`, with {@link PLACEHOLDER} where an
 * intrinsic stands (`${AWS::AccountId}.dkr.ecr...` gives `\uE000.dkr.ecr...`); `undefined` when absent.
 */
export function templateString(value: unknown): string | undefined {
  if (value === undefined || value === null || isNoValue(value)) return undefined;
  return parts(value)
    .map((p) => (typeof p === 'string' ? p : PLACEHOLDER))
    .join('');
}

/**
 * Rebuilds JSON text from a literal, `Fn::Join` or `Fn::Sub` whose literal parts are JSON: an
 * intrinsic inside a JSON string becomes {@link PLACEHOLDER}, one outside a string becomes the
 * string `"\uE000"`, so the text still parses.
 */
export function templateJson(value: unknown): string | undefined {
  if (value === undefined || value === null || isNoValue(value)) return undefined;
  let inString = false;
  let escaped = false;
  let out = '';
  for (const p of parts(value)) {
    if (typeof p !== 'string') {
      out += inString ? PLACEHOLDER : `"${PLACEHOLDER}"`;
      continue;
    }
    for (const ch of p) {
      if (escaped) escaped = false;
      else if (inString && ch === '\\') escaped = true;
      else if (ch === '"') inString = !inString;
    }
    out += p;
  }
  return out;
}
