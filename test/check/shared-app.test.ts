import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { checkPaths, checkTemplates } from '../../lib/check/check';
import { loadInputs } from '../../lib/check/inputs';
import { Finding } from '../../lib/report/finding';

// The checker includes every template of a run into one App, one Stack at a time (issue 15:
// per-template cost dominates real corpora). These pin that sharing changes nothing: a template's
// findings do not depend on what was checked before it, a template CfnInclude refuses leaves
// nothing behind, and the App does not keep templates it has finished.
const PACKS = ['AwsSolutions', 'MLOps'];
let dir: string;
const bucket = (name: string) =>
  JSON.stringify({
    Resources: { [name]: { Type: 'AWS::S3::Bucket', Properties: { BucketName: name.toLowerCase() } } },
  });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'shared-app-'));
  writeFileSync(join(dir, 'a.template.json'), bucket('Data'));
  // CfnInclude throws on a resource whose whole Properties is a Ref.
  writeFileSync(
    join(dir, 'b.template.json'),
    JSON.stringify({
      Parameters: { P: { Type: 'String' } },
      Resources: { Data: { Type: 'AWS::S3::Bucket', Properties: { Ref: 'P' } } },
    }),
  );
  writeFileSync(join(dir, 'c.template.json'), bucket('Data'));
  writeFileSync(
    join(dir, 'd.template.json'),
    JSON.stringify({
      Resources: {
        Model: {
          Type: 'AWS::SageMaker::Model',
          Properties: {
            ExecutionRoleArn: 'arn:aws:iam::123456789012:role/model',
            PrimaryContainer: { Image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/model:latest' },
          },
        },
      },
    }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const keys = (findings: readonly Finding[], file: string) =>
  findings
    .filter((f) => f.templatePath?.endsWith(file))
    .map((f) => `${f.findingId} ${f.logicalId} ${f.message}`);

describe('one App for a whole run', () => {
  test('each template gets exactly the findings it gets when checked alone, after a refused one too', () => {
    const together = checkPaths([dir], { cwd: dir, packs: PACKS });
    expect(together.errors.map((e) => e.input)).toEqual(['b.template.json']);
    for (const file of ['a.template.json', 'c.template.json', 'd.template.json']) {
      const alone = checkPaths([join(dir, file)], { cwd: dir, packs: PACKS });
      expect(keys(together.findings, file)).toEqual(keys(alone.findings, file));
      expect(keys(alone.findings, file).length).toBeGreaterThan(0);
    }
    // a and c are the same template: the second is not affected by the first's Stack.
    expect(keys(together.findings, 'c.template.json')).toEqual(keys(together.findings, 'a.template.json'));
  });

  test('the same template checked many times in one run gives the same findings every time', () => {
    const input = loadInputs([join(dir, 'd.template.json')], dir).templates[0];
    const result = checkTemplates(
      Array.from({ length: 5 }, () => input),
      { cwd: dir, packs: PACKS },
    );
    const once = checkTemplates([input], { cwd: dir, packs: PACKS }).findings.length;
    expect(once).toBeGreaterThan(0);
    expect(result.findings).toHaveLength(5 * once);
  });
});
