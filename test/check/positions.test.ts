import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import { resourcePositions } from '../../lib/check/positions';

const cwd = join(__dirname, '..', '..');

/** The reference: the `yaml` parser's LineCounter over the same text (JSON is YAML flow). */
function viaYamlParser(text: string): [string, { line: number; column: number }][] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, logLevel: 'silent' });
  if (!isMap(doc.contents)) return [];
  const resources = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === 'Resources')?.value;
  if (!isMap(resources)) return [];
  return resources.items.flatMap((pair) => {
    if (!isScalar(pair.key) || !pair.key.range) return [];
    const { line, col } = lineCounter.linePos(pair.key.range[0]);
    return [[String(pair.key.value), { line, column: col }] as [string, { line: number; column: number }]];
  });
}

describe('resource positions', () => {
  const jsonFixtures = [
    'test/fixtures/corpus',
    'test/fixtures/corpus/cdk-nested',
    'test/fixtures/check/templates',
  ].flatMap((dir) =>
    readdirSync(join(cwd, dir))
      .filter((f) => f.endsWith('.json') && f !== 'expected.json')
      .map((f) => `${dir}/${f}`),
  );

  test.each(jsonFixtures)('JSON %s: the scan gives the positions the yaml parser gives', (file) => {
    const text = readFileSync(join(cwd, file), 'utf8');
    expect([...resourcePositions(text, 'json')]).toEqual(viaYamlParser(text));
  });

  test.each([
    ['one line', '{"Resources":{"A":{"Type":"X"},"B":{"Type":"Y"}}}'],
    [
      'Resources after other sections',
      '{\n  "Parameters": {"Resources": {"Type": "String"}},\n  "Resources": {\n    "Q": {}\n  }\n}',
    ],
    [
      'keys with escapes and nested Resources keys',
      '{"Resources": {\n  "A\\"b": {"Properties": {"Resources": {"Z": 1}}},\n  "C": [1, {"D": 2}]\n}}',
    ],
    [
      'CRLF line ends',
      '{\r\n  "Resources": {\r\n    "A": {"Type": "X"},\r\n    "B": {"Type": "Y"}\r\n  }\r\n}',
    ],
    ['non-ASCII before a key', '{"Description": "ünïcödé ✓", "Resources": {"A": {}}}'],
  ])('JSON, %s: as the yaml parser', (_name, text) => {
    expect([...resourcePositions(text, 'json')]).toEqual(viaYamlParser(text));
  });

  test('YAML: the line and column of each logical id', () => {
    const text =
      'Parameters:\n  Resources:\n    Type: String\nResources:\n  A:\n    Type: X\n  "B":\n    Type: !Ref Y\n';
    expect([...resourcePositions(text, 'yaml')]).toEqual([
      ['A', { line: 5, column: 3 }],
      ['B', { line: 7, column: 3 }],
    ]);
  });

  test('a 10 MB JSON template is scanned in well under the seconds the yaml parser needs', () => {
    const resources: Record<string, unknown> = {};
    const value = 'v'.repeat(250);
    for (let i = 0; i < 400; i++)
      resources[`Queue${i}`] = {
        Type: 'AWS::SQS::Queue',
        Properties: { Tags: Array.from({ length: 100 }, (_, t) => ({ Key: `k${t}`, Value: value })) },
      };
    const text = JSON.stringify({ Resources: resources }, null, 1);
    const started = Date.now();
    const positions = resourcePositions(text, 'json');
    expect(positions.size).toBe(400);
    expect(positions.get('Queue1')?.line).toBeGreaterThan(1);
    // The yaml parser takes about ten seconds on this text on the CI machine; the scan a tenth of one.
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
