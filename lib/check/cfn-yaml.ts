import type { CollectionTag, ScalarTag, Tags, YAMLMap, YAMLSeq } from 'yaml';
import type { TextPosition } from './positions';

/**
 * The `yaml` package (72 modules), loaded on the first YAML template: a run over JSON templates
 * (cdk.out, most CI inputs) never needs it, and start-up is most of a small run (issue 15).
 */
function yaml(): typeof import('yaml') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('yaml') as typeof import('yaml');
}

/**
 * CloudFormation short-form intrinsic tags and the long-form key each maps to. `!Ref` and
 * `!Condition` have no `Fn::` prefix; every other function does.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html
 */
const FUNCTIONS: Readonly<Record<string, string>> = {
  Ref: 'Ref',
  Condition: 'Condition',
  ...Object.fromEntries(
    [
      'Base64',
      'Cidr',
      'FindInMap',
      'GetAtt',
      'GetAZs',
      'ImportValue',
      'Join',
      'Select',
      'Split',
      'Sub',
      'Transform',
      'And',
      'Equals',
      'If',
      'Not',
      'Or',
      'Length',
      'ToJsonString',
      'ForEach',
      // Rules-section functions.
      'Contains',
      'EachMemberEquals',
      'EachMemberIn',
      'RefAll',
      'ValueOf',
      'ValueOfAll',
    ].map((n) => [n, `Fn::${n}`]),
  ),
};

function scalarTag(name: string, key: string): ScalarTag {
  return {
    tag: `!${name}`,
    // `!GetAtt Resource.Attribute` is the one scalar form whose long form is a list.
    resolve: (value: string) => ({ [key]: name === 'GetAtt' ? splitGetAtt(value) : value }),
  };
}

function splitGetAtt(value: string): string[] {
  const dot = value.indexOf('.');
  return dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)];
}

function collectionTag(name: string, key: string, collection: 'seq' | 'map'): CollectionTag {
  return {
    tag: `!${name}`,
    collection,
    resolve: (value: YAMLMap.Parsed | YAMLSeq.Parsed) => ({ [key]: value.toJSON() }),
  };
}

/** The `yaml` custom tags for every CloudFormation short form, scalar, sequence and mapping. */
export const CFN_YAML_TAGS: readonly (ScalarTag | CollectionTag)[] = Object.entries(FUNCTIONS).flatMap(
  ([name, key]) => [scalarTag(name, key), collectionTag(name, key, 'seq'), collectionTag(name, key, 'map')],
);

// YAML 1.1 minus its timestamp and sexagesimal forms: `AWSTemplateFormatVersion: 2010-09-09` and
// `Version: 2012-10-17` must stay strings, and `10:30` must not become the number 630.
function cfnTags(tags: Tags): Tags {
  return [
    ...tags.filter(
      (t) => typeof t === 'string' || (t.tag !== 'tag:yaml.org,2002:timestamp' && t.format !== 'TIME'),
    ),
    ...CFN_YAML_TAGS,
  ];
}

/**
 * Parses a CloudFormation YAML template into the long-form JSON object CloudFormation itself
 * would see (`!GetAtt a.b` becomes `{"Fn::GetAtt": ["a", "b"]}`). YAML 1.1 scalars, as
 * CloudFormation reads them, except that dates and `a:b` times stay strings.
 * @throws Error with a one-line message naming the line and column of the first problem
 */
export function parseCfnYaml(text: string): unknown {
  return parseCfnYamlWithPositions(text).value;
}

/**
 * {@link parseCfnYaml}, plus the line and column of each resource's logical id (the keys of the
 * top-level `Resources` map) from the same parse, via the `yaml` parser's `LineCounter`.
 * @throws Error with a one-line message naming the line and column of the first problem
 */
export function parseCfnYamlWithPositions(text: string): {
  value: unknown;
  positions: Map<string, TextPosition>;
} {
  // parseDocument, not parse: parse prints warnings (an unknown tag such as `!NotAFunction`, read
  // as a plain string) on process stderr and carries on. CloudFormation rejects unknown tags, so
  // errors and warnings alike are one input error here; logLevel 'silent' keeps the yaml package quiet.
  const { isMap, isScalar, LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    customTags: cfnTags,
    schema: 'yaml-1.1',
    prettyErrors: true,
    uniqueKeys: true,
    logLevel: 'silent',
    lineCounter,
  });
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) throw new Error(firstLine(problem.message));
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new Error(firstLine(String((e as Error).message)));
  }
  const positions = new Map<string, TextPosition>();
  const resources = isMap(doc.contents)
    ? doc.contents.items.find((p) => isScalar(p.key) && p.key.value === 'Resources')?.value
    : undefined;
  if (isMap(resources)) {
    for (const pair of resources.items) {
      if (!isScalar(pair.key) || !pair.key.range) continue;
      const id = String(pair.key.value);
      if (positions.has(id)) continue;
      const { line, col } = lineCounter.linePos(pair.key.range[0]);
      positions.set(id, { line, column: col });
    }
  }
  return { value, positions };
}

/** The yaml package appends a multi-line code excerpt; the first line names the position. */
function firstLine(message: string): string {
  return message.split('\n')[0].replace(/:\s*$/, '');
}
