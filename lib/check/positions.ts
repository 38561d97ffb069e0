import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import { CFN_YAML_TAGS } from './cfn-yaml';

/** A 1-based line and column in a template file. */
export interface TextPosition {
  readonly line: number;
  readonly column: number;
}

/**
 * The line and column of each resource's logical id, from the `yaml` parser's own positions
 * (JSON is read as YAML flow, so this covers both): the keys of the top-level `Resources` map.
 * Empty when the text does not parse as a map with a `Resources` map.
 */
export function resourcePositions(text: string): Map<string, TextPosition> {
  const out = new Map<string, TextPosition>();
  const lineCounter = new LineCounter();
  // The positions are all this reads: unknown tags or duplicate keys were reported by the loader.
  const doc = parseDocument(text, {
    lineCounter,
    customTags: [...CFN_YAML_TAGS],
    uniqueKeys: false,
    logLevel: 'silent',
    keepSourceTokens: false,
  });
  if (!isMap(doc.contents)) return out;
  const resources = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === 'Resources')?.value;
  if (!isMap(resources)) return out;
  for (const pair of resources.items) {
    if (!isScalar(pair.key) || !pair.key.range) continue;
    const id = String(pair.key.value);
    if (out.has(id)) continue;
    const { line, col } = lineCounter.linePos(pair.key.range[0]);
    out.set(id, { line, column: col });
  }
  return out;
}
