import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { describe, expect, it } from 'vitest';
import { holdTemplateSource, templateSourceInstalled } from '../../lib/check/template-source';

// The module CfnInclude reads its templateFile with (the same one its own require resolves to).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fileUtils = require(
  join(
    dirname(require.resolve('aws-cdk-lib/package.json')),
    'cloudformation-include',
    'lib',
    'file-utils.js',
  ),
) as { readYamlSync: (file: string) => unknown };

const template = {
  Resources: {
    Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'data', Tags: [{ Key: 'a', Value: 'b' }] } },
  },
};

describe("CfnInclude is given the checker's template, not the file", () => {
  it('answers the handed-out path with a copy, forgets it when done, and puts the reader back on close', () => {
    const original = fileUtils.readYamlSync;
    const source = holdTemplateSource();
    try {
      expect(source.inMemory).toBe(true);
      expect(templateSourceInstalled()).toBe(true);
      const included = source.fileFor(template);
      // Nothing is written: the path only names the entry.
      expect(existsSync(included.file)).toBe(false);
      const read = fileUtils.readYamlSync(included.file) as typeof template;
      expect(read).toEqual(template);
      // A copy: nothing CfnInclude or a pack could change is shared with the checker.
      expect(read).not.toBe(template);
      expect(read.Resources.Bucket.Properties.Tags).not.toBe(template.Resources.Bucket.Properties.Tags);
      const include = new CfnInclude(new Stack(), 'Template', { templateFile: included.file });
      expect(include.getResource('Bucket')).toBeInstanceOf(CfnBucket);
      included.done();
      expect(() => fileUtils.readYamlSync(included.file)).toThrow(/ENOENT/);
    } finally {
      source.close();
    }
    expect(fileUtils.readYamlSync).toBe(original);
    expect(templateSourceInstalled()).toBe(false);
  });

  it('copies by a JSON round trip, as the scratch file did: a YAML timestamp arrives as its ISO string', () => {
    const source = holdTemplateSource();
    try {
      const when = new Date('2026-06-01T00:00:00Z');
      const included = source.fileFor({ Resources: {}, Metadata: { Reviewed: when } });
      expect(fileUtils.readYamlSync(included.file)).toEqual({
        Resources: {},
        Metadata: { Reviewed: '2026-06-01T00:00:00.000Z' },
      });
      included.done();
    } finally {
      source.close();
    }
  });

  it('keeps the reader replaced until the last holder closes', () => {
    const original = fileUtils.readYamlSync;
    const first = holdTemplateSource();
    const second = holdTemplateSource();
    first.close();
    first.close();
    expect(fileUtils.readYamlSync).not.toBe(original);
    second.close();
    expect(fileUtils.readYamlSync).toBe(original);
  });

  it('without the in-memory reader, writes each template to a scratch file and removes it', () => {
    const original = fileUtils.readYamlSync;
    const source = holdTemplateSource({ inMemory: false });
    let file: string;
    try {
      expect(source.inMemory).toBe(false);
      expect(fileUtils.readYamlSync).toBe(original);
      const included = source.fileFor(template);
      file = included.file;
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(template);
      const include = new CfnInclude(new Stack(), 'Template', { templateFile: file });
      expect(include.getResource('Bucket')).toBeInstanceOf(CfnBucket);
      included.done();
      expect(existsSync(file)).toBe(false);
    } finally {
      source.close();
    }
    expect(existsSync(dirname(file))).toBe(false);
  });
});
