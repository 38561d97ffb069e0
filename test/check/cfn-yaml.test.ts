import { describe, expect, test, vi } from 'vitest';
import { parseCfnYaml } from '../../lib/check/cfn-yaml';

describe('parseCfnYaml', () => {
  test.each([
    ['!Ref Bucket', { Ref: 'Bucket' }],
    ['!Condition IsProd', { Condition: 'IsProd' }],
    ['!GetAtt Role.Arn', { 'Fn::GetAtt': ['Role', 'Arn'] }],
    ['!GetAtt Db.Endpoint.Address', { 'Fn::GetAtt': ['Db', 'Endpoint.Address'] }],
    ['!GetAtt [Role, Arn]', { 'Fn::GetAtt': ['Role', 'Arn'] }],
    ["!Sub '${AWS::StackName}-x'", { 'Fn::Sub': '${AWS::StackName}-x' }],
    ["!Sub ['${A}', {A: !Ref P}]", { 'Fn::Sub': ['${A}', { A: { Ref: 'P' } }] }],
    ["!Join ['-', [a, !Ref 'AWS::Region']]", { 'Fn::Join': ['-', ['a', { Ref: 'AWS::Region' }]] }],
    ["!Select [0, !GetAZs '']", { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] }],
    ["!Split [',', 'a,b']", { 'Fn::Split': [',', 'a,b'] }],
    ['!FindInMap [M, k, v]', { 'Fn::FindInMap': ['M', 'k', 'v'] }],
    ['!ImportValue shared', { 'Fn::ImportValue': 'shared' }],
    ['!Base64 hello', { 'Fn::Base64': 'hello' }],
    ['!Base64 {"Fn::Sub": x}', { 'Fn::Base64': { 'Fn::Sub': 'x' } }],
    ["!Cidr ['10.0.0.0/16', 2, 8]", { 'Fn::Cidr': ['10.0.0.0/16', 2, 8] }],
    ['!If [C, a, !Ref AWS::NoValue]', { 'Fn::If': ['C', 'a', { Ref: 'AWS::NoValue' }] }],
    ['!Equals [a, b]', { 'Fn::Equals': ['a', 'b'] }],
    [
      '!And [!Condition A, !Not [!Condition B]]',
      { 'Fn::And': [{ Condition: 'A' }, { 'Fn::Not': [{ Condition: 'B' }] }] },
    ],
    ['!Or [!Condition A, !Condition B]', { 'Fn::Or': [{ Condition: 'A' }, { Condition: 'B' }] }],
  ])('%s', (yaml, expected) => {
    expect(parseCfnYaml(`v: ${yaml}`)).toEqual({ v: expected });
  });

  test('keeps dates and times as strings, as CloudFormation needs for format versions and policy versions', () => {
    expect(parseCfnYaml('AWSTemplateFormatVersion: 2010-09-09\nVersion: 2012-10-17\nAt: 10:30')).toEqual({
      AWSTemplateFormatVersion: '2010-09-09',
      Version: '2012-10-17',
      At: '10:30',
    });
  });

  test('reports malformed YAML as one line naming the position', () => {
    expect(() => parseCfnYaml('a: [1, 2\nb: c')).toThrow(/^[^\n]*line 2, column 1$/);
  });

  test('rejects duplicate keys', () => {
    expect(() => parseCfnYaml('a: 1\na: 2')).toThrow(/unique/);
  });

  test('rejects an unknown tag as one line naming it, and prints nothing itself', () => {
    const warn = vi.spyOn(process, 'emitWarning');
    try {
      expect(() =>
        parseCfnYaml('Resources:\n  Q:\n    Properties:\n      QueueName: !NotAFunction x\n'),
      ).toThrow(/^[^\n]*NotAFunction[^\n]*$/);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  test('still expands aliases, and refuses an alias bomb', () => {
    expect(parseCfnYaml('a: &x [1]\nb: *x')).toEqual({ a: [1], b: [1] });
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      ...'bcdefgh'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(',')}]`),
    ].join('\n');
    expect(() => parseCfnYaml(bomb)).toThrow(/^[^\n]*$/);
  });
});
