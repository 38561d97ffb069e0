import { describe, expect, it } from 'vitest';
import { ReferenceModel } from './harness';

// The resolver and the resource-policy collectors on a small hand-written app: the reference app
// has no Lambda permission or topic inline policy, so these paths are pinned here.
const templates = {
  producer: {
    Resources: {
      KeyABCDEF12: {
        Type: 'AWS::KMS::Key',
        Properties: { KeyPolicy: { Version: '2012-10-17', Statement: [] } },
      },
      TopicABCDEF12: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'alerts' } },
      TopicPolicyABCDEF12: {
        Type: 'AWS::SNS::TopicInlinePolicy',
        Properties: {
          TopicArn: { Ref: 'TopicABCDEF12' },
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'Inline',
                Effect: 'Allow',
                Principal: { Service: 'events.amazonaws.com' },
                Action: 'sns:Publish',
                Resource: { Ref: 'TopicABCDEF12' },
              },
            ],
          },
        },
      },
      FnABCDEF12: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'sweep' } },
      PermABCDEF12: {
        Type: 'AWS::Lambda::Permission',
        Properties: {
          FunctionName: { 'Fn::GetAtt': ['FnABCDEF12', 'Arn'] },
          Principal: 'events.amazonaws.com',
          Action: 'lambda:InvokeFunction',
          SourceArn: 'arn:aws:events:eu-west-1:123456789012:rule/r',
          SourceAccount: { Ref: 'AWS::AccountId' },
        },
      },
    },
    Outputs: {
      KeyArn: { Value: { 'Fn::GetAtt': ['KeyABCDEF12', 'Arn'] }, Export: { Name: 'producer:KeyArn' } },
    },
  },
  consumer: { Resources: {} },
};
const model = new ReferenceModel(templates);

describe('intrinsics', () => {
  it('resolves Sub (both forms), Join, Select, Split and ImportValue across stacks', () => {
    const keyArn = model.att('Key', 'Arn');
    expect(keyArn).toMatch(/^arn:aws:kms:eu-west-1:123456789012:key\/[0-9a-f-]{36}$/);
    expect(model.resolve('consumer', { 'Fn::ImportValue': 'producer:KeyArn' })).toBe(keyArn);
    expect(
      model.resolve('producer', {
        'Fn::Sub': 'arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:${TopicABCDEF12.TopicName}',
      }),
    ).toBe('arn:aws:sns:eu-west-1:123456789012:alerts');
    expect(
      model.resolve('producer', { 'Fn::Sub': ['${A}-${AWS::StackName}', { A: { Ref: 'FnABCDEF12' } }] }),
    ).toBe('sweep-producer');
    expect(
      model.resolve('producer', {
        'Fn::Select': [1, { 'Fn::Split': [':', { 'Fn::Join': [':', ['a', 'b', 'c']] }] }],
      }),
    ).toBe('b');
  });

  it('fails loudly on what it does not model instead of inventing a value', () => {
    expect(() => model.resolve('producer', { 'Fn::GetAtt': ['TopicABCDEF12', 'Nonsense'] })).toThrow(
      /not modelled/,
    );
    expect(() => model.resolve('producer', { 'Fn::If': ['C', 1, 2] })).toThrow(/not modelled/);
    expect(() => model.resolve('consumer', { 'Fn::ImportValue': 'nope' })).toThrow(/no export/);
  });
});

describe('resource policies', () => {
  it('a topic inline policy is the topic policy', async () => {
    const d = await model.can(
      { service: 'events.amazonaws.com' },
      'sns:Publish',
      'arn:aws:sns:eu-west-1:123456789012:alerts',
    );
    expect(d.result).toBe('Allowed');
    expect(d.allowedBy).toEqual(['TopicPolicy#Inline']);
  });

  it('Lambda permissions become the function policy, with their source conditions', async () => {
    const fn = 'arn:aws:lambda:eu-west-1:123456789012:function:sweep';
    const allowed = await model.can({ service: 'events.amazonaws.com' }, 'lambda:InvokeFunction', fn, {
      context: {
        'aws:SourceArn': 'arn:aws:events:eu-west-1:123456789012:rule/r',
        'aws:SourceAccount': '123456789012',
      },
    });
    expect(allowed.result).toBe('Allowed');
    const otherRule = await model.can({ service: 'events.amazonaws.com' }, 'lambda:InvokeFunction', fn, {
      context: {
        'aws:SourceArn': 'arn:aws:events:eu-west-1:123456789012:rule/other',
        'aws:SourceAccount': '123456789012',
      },
    });
    expect(otherRule.result).toBe('ImplicitlyDenied');
  });

  it('refuses a context key the action does not know (it would never match)', async () => {
    await expect(
      model.can(
        { service: 'events.amazonaws.com' },
        'sns:Publish',
        'arn:aws:sns:eu-west-1:123456789012:alerts',
        { context: { 's3:prefix': 'x' } },
      ),
    ).rejects.toThrow(/not applicable/);
  });
});
