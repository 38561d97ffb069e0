import { parseCfnYamlWithPositions } from './cfn-yaml';

/** A 1-based line and column (in UTF-16 code units, as SARIF's default `columnKind`) in a template file. */
export interface TextPosition {
  readonly line: number;
  readonly column: number;
}

/**
 * The line and column of each resource's logical id: the keys of the top-level `Resources` map,
 * where the parser found them. YAML positions come from the `yaml` parser's `LineCounter`; JSON
 * is scanned directly: the `yaml` parser gives the same positions for JSON (a test holds the two
 * equal) but takes ten seconds on a 10 MB template where the scan takes a tenth of one. Empty
 * when the text has no top-level `Resources` map.
 */
export function resourcePositions(text: string, format: 'json' | 'yaml'): Map<string, TextPosition> {
  if (format === 'json') return jsonResourcePositions(text);
  try {
    return parseCfnYamlWithPositions(text).positions;
  } catch {
    // The loader reported the text as malformed already; without a parse there are no positions.
    return new Map();
  }
}

/**
 * One pass over JSON text: the position of the opening quote of each key of the top-level
 * object's `Resources` object. Assumes text that `JSON.parse` accepted.
 */
function jsonResourcePositions(text: string): Map<string, TextPosition> {
  const out = new Map<string, TextPosition>();
  let line = 1;
  let lineStart = 0;
  // One entry per open container: true for an object, false for an array.
  const open: boolean[] = [];
  let expectKey = false;
  // Set after the top-level key `Resources`; the next `{` opens the Resources object.
  let pendingResources = false;
  let inResources = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      lineStart = i + 1;
    } else if (c === 34) {
      const column = i - lineStart + 1;
      let j = i + 1;
      for (let escaped = false; j < text.length; j++) {
        const d = text.charCodeAt(j);
        if (escaped) escaped = false;
        else if (d === 92) escaped = true;
        else if (d === 34) break;
      }
      if (expectKey) {
        expectKey = false;
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (open.length === 1 && key === 'Resources') pendingResources = true;
        else if (inResources && open.length === 2 && !out.has(key)) out.set(key, { line, column });
      } else {
        pendingResources = false;
      }
      i = j;
    } else if (c === 123 || c === 91) {
      open.push(c === 123);
      expectKey = c === 123;
      if (pendingResources && c === 123 && open.length === 2) inResources = true;
      pendingResources = false;
    } else if (c === 125 || c === 93) {
      if (inResources && open.length === 2) return out;
      open.pop();
      expectKey = false;
    } else if (c === 44) {
      expectKey = open[open.length - 1] === true;
    } else if (c !== 32 && c !== 9 && c !== 13 && c !== 58) {
      // The first character of a number, true, false or null.
      pendingResources = false;
    }
  }
  return out;
}
