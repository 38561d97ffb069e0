import { describe, expect, test } from 'vitest';
import { expandForEach, ForEachProblem } from '../../lib/check/foreach';

// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-foreach.html
describe('expandForEach', () => {
  test('nested loops, Ref to the identifier, ${} in strings and &{} in keys', () => {
    const { template, createdBy } = expandForEach({
      Resources: {
        'Fn::ForEach::Envs': [
          'Env',
          ['dev', 'prod'],
          {
            'Fn::ForEach::Cidrs': [
              'Cidr',
              ['10.0.0.0/24'],
              {
                'Subnet${Env}&{Cidr}': {
                  Type: 'AWS::EC2::Subnet',
                  Properties: {
                    CidrBlock: { Ref: 'Cidr' },
                    Tags: [{ Key: 'env', Value: { 'Fn::Sub': '${Env}-net' } }],
                  },
                },
              },
            ],
          },
        ],
      },
    });
    expect(template.Resources).toEqual({
      Subnetdev1000024: {
        Type: 'AWS::EC2::Subnet',
        Properties: { CidrBlock: '10.0.0.0/24', Tags: [{ Key: 'env', Value: { 'Fn::Sub': 'dev-net' } }] },
      },
      Subnetprod1000024: {
        Type: 'AWS::EC2::Subnet',
        Properties: { CidrBlock: '10.0.0.0/24', Tags: [{ Key: 'env', Value: { 'Fn::Sub': 'prod-net' } }] },
      },
    });
    expect([...createdBy]).toEqual([
      ['Subnetdev1000024', 'Fn::ForEach::Envs'],
      ['Subnetprod1000024', 'Fn::ForEach::Envs'],
    ]);
  });

  test('loops in resource properties and Outputs; other Refs stay', () => {
    const { template } = expandForEach({
      Resources: {
        Topic: {
          Type: 'AWS::SNS::Topic',
          Properties: {
            'Fn::ForEach::Tags': ['K', ['a'], { 'Tag${K}': { Ref: 'Other' } }],
          },
        },
      },
      Outputs: { 'Fn::ForEach::Out': ['N', ['x', 'y'], { 'Out${N}': { Value: { Ref: 'N' } } }] },
    });
    expect(template.Resources).toEqual({
      Topic: { Type: 'AWS::SNS::Topic', Properties: { Taga: { Ref: 'Other' } } },
    });
    expect(template.Outputs).toEqual({ Outx: { Value: 'x' }, Outy: { Value: 'y' } });
  });

  test('a collection from an intrinsic other than Ref is a problem naming the loop', () => {
    expect(() =>
      expandForEach({
        Resources: { 'Fn::ForEach::L': ['I', { 'Fn::Split': [',', 'a,b'] }, { 'R${I}': { Type: 'X' } }] },
      }),
    ).toThrow(ForEachProblem);
  });
});
