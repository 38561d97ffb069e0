import { describe, expect, it } from 'vitest';
import {
  CfnTemplate,
  changedExportsInUse,
  retryBlockers,
  unclassifiedTypes,
  unsafeReplacements,
} from './update-safety-diff';

// The checks behind update-safety.test.ts, on hand-written templates: each must find what it is
// meant to find, or a green update-safety run would prove nothing.

const model = (image: string) => ({
  Type: 'AWS::SageMaker::Model',
  Properties: { ExecutionRoleArn: 'arn:aws:iam::111111111111:role/r', PrimaryContainer: { Image: image } },
});
const config = (name: unknown, modelName: unknown) => ({
  Type: 'AWS::SageMaker::EndpointConfig',
  Properties: {
    EndpointConfigName: name,
    ProductionVariants: [
      { VariantName: 'primary', ModelName: modelName, InitialInstanceCount: 2, InstanceType: 'ml.m5.large' },
    ],
  },
});
const t = (resources: Record<string, unknown>): CfnTemplate => ({
  Resources: resources as CfnTemplate['Resources'],
});

describe('unsafeReplacements', () => {
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-name.html
  it('finds a custom-named resource replaced under the same name, through the GetAtt of a replaced model', () => {
    const before = t({
      Model: model('repo@sha256:a'),
      Config: config('ep-1', { 'Fn::GetAtt': ['Model', 'ModelName'] }),
    });
    const after = t({
      Model: model('repo@sha256:b'),
      Config: config('ep-1', { 'Fn::GetAtt': ['Model', 'ModelName'] }),
    });
    expect(unsafeReplacements(before, after)).toEqual([
      expect.objectContaining({
        logicalId: 'Config',
        name: 'EndpointConfigName="ep-1"',
        causes: ['ProductionVariants (references replaced Model)'],
      }),
    ]);
  });

  it('follows references inside Fn::Sub and Fn::Join, which the diff engine alone does not', () => {
    const sub = { 'Fn::Sub': '${Model.ModelName}' };
    const join = { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Model', 'ModelName'] }]] };
    for (const ref of [sub, join]) {
      const before = t({ Model: model('repo@sha256:a'), Config: config('ep-1', ref) });
      const after = t({ Model: model('repo@sha256:b'), Config: config('ep-1', ref) });
      expect(unsafeReplacements(before, after).map((u) => u.logicalId)).toEqual(['Config']);
    }
  });

  it('accepts a replacement whose name changes too, and one without a custom name', () => {
    const ref = { 'Fn::GetAtt': ['Model', 'ModelName'] };
    expect(
      unsafeReplacements(
        t({ Model: model('a'), Config: config('ep-1', ref) }),
        t({ Model: model('b'), Config: config('ep-2', ref) }),
      ),
    ).toEqual([]);
    const unnamed = (image: string) =>
      t({
        Model: model(image),
        Config: {
          ...config(undefined, ref),
          Properties: { ProductionVariants: config('x', ref).Properties.ProductionVariants },
        },
      });
    expect(unsafeReplacements(unnamed('a'), unnamed('b'))).toEqual([]);
  });

  it('accepts an in-place update of a custom-named resource', () => {
    const alarm = (threshold: number) =>
      t({ A: { Type: 'AWS::CloudWatch::Alarm', Properties: { AlarmName: 'fixed', Threshold: threshold } } });
    expect(unsafeReplacements(alarm(1), alarm(2))).toEqual([]);
  });

  it('finds a custom name kept across a logical ID change (the new resource is created before the old one is deleted)', () => {
    const queue = { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'fixed' } };
    expect(unsafeReplacements(t({ Old: queue }), t({ New: queue }))).toEqual([
      expect.objectContaining({ logicalId: 'New', causes: ['logical ID changed from Old'] }),
    ]);
  });
});

describe('retryBlockers', () => {
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html
  const logGroup = (name: unknown, deletionPolicy: string) => ({
    Type: 'AWS::Logs::LogGroup',
    DeletionPolicy: deletionPolicy,
    Properties: { LogGroupName: name },
  });

  it('finds a retained resource with a literal name, or one built from pseudo parameters only', () => {
    const pseudo = { 'Fn::Join': ['', ['/x/', { Ref: 'AWS::AccountId' }]] };
    expect(
      retryBlockers(t({ A: logGroup('/fixed', 'Retain'), B: logGroup(pseudo, 'Retain') })).map(
        (b) => b.logicalId,
      ),
    ).toEqual(['A', 'B']);
  });

  it('accepts RetainExceptOnCreate, Delete, and names built from another resource of the stack', () => {
    const api = { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'x' } };
    const fromApi = { 'Fn::Join': ['', ['logs_', { Ref: 'Api' }]] };
    expect(
      retryBlockers(
        t({
          A: logGroup('/fixed', 'RetainExceptOnCreate'),
          B: logGroup('/fixed', 'Delete'),
          Api: api,
          C: logGroup(fromApi, 'Retain'),
        }),
      ),
    ).toEqual([]);
  });
});

describe('unclassifiedTypes', () => {
  it('lists resource types without a known physical identity', () => {
    expect(unclassifiedTypes(t({ A: { Type: 'AWS::Foo::Bar' }, B: { Type: 'AWS::SQS::Queue' } }))).toEqual([
      'AWS::Foo::Bar',
    ]);
  });
});

describe('changedExportsInUse', () => {
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-stack-exports.html
  const producer = (image: string): CfnTemplate => ({
    Resources: { Model: model(image) } as CfnTemplate['Resources'],
    Outputs: {
      ModelName: { Value: { 'Fn::GetAtt': ['Model', 'ModelName'] }, Export: { Name: 'p:ModelName' } },
    },
  });
  const consumer = t({
    Q: {
      Type: 'AWS::SQS::Queue',
      Properties: { Tags: [{ Key: 'm', Value: { 'Fn::ImportValue': 'p:ModelName' } }] },
    },
  });

  it('finds an export whose resource is replaced while another stack imports it', () => {
    expect(changedExportsInUse({ p: producer('a'), c: consumer }, { p: producer('b'), c: consumer })).toEqual(
      [{ stackName: 'p', exportName: 'p:ModelName (ModelName)', importedBy: ['c'] }],
    );
  });

  it('accepts an unchanged export, and a changed one nobody imports', () => {
    expect(changedExportsInUse({ p: producer('a'), c: consumer }, { p: producer('a'), c: consumer })).toEqual(
      [],
    );
    expect(changedExportsInUse({ p: producer('a') }, { p: producer('b') })).toEqual([]);
  });
});
