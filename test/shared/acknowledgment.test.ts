import { describe, expect, it } from 'vitest';
import {
  acknowledgmentSchema,
  findingIdOfCdkKey,
  fromCdkAcknowledgedRules,
  judgeAcknowledgment,
  parseRecordedAcknowledgments,
} from '../../lib/shared/acknowledgment';

const TODAY = '2030-06-15';
const full = {
  id: 'AwsSolutions-S1',
  reason: 'access logs go to the organisation trail',
  owner: 'data-platform',
  expires: '2030-12-31',
};
const kinds = (ack: Parameters<typeof judgeAcknowledgment>[0]) =>
  judgeAcknowledgment(ack, TODAY).problems.map((p) => p.kind);

describe('judgeAcknowledgment', () => {
  it.each([
    ['all fields, expiring later', full, []],
    ['expiring today (the last day it holds)', { ...full, expires: TODAY }, []],
    ['expired yesterday', { ...full, expires: '2030-06-14' }, ['expired']],
    ['no expiry', { ...full, expires: undefined }, ['missing-expiry']],
    ['an empty expiry', { ...full, expires: '' }, ['missing-expiry']],
    ['not a calendar date', { ...full, expires: '2030-02-30' }, ['invalid-expiry']],
    ['not a date at all', { ...full, expires: 'next year' }, ['invalid-expiry']],
    ['a YAML Date', { ...full, expires: new Date('2030-12-31T00:00:00Z') }, []],
    ['no owner', { ...full, owner: undefined }, ['missing-owner']],
    ['a blank owner', { ...full, owner: '  ' }, ['missing-owner']],
    ['a 19-character reason', { ...full, reason: 'x'.repeat(19) }, ['short-reason']],
    ['a padded short reason', { ...full, reason: `  ${'x'.repeat(19)}  ` }, ['short-reason']],
    ['a 20-character reason', { ...full, reason: 'x'.repeat(20) }, []],
    ['a plain CDK acknowledgment', { id: full.id, reason: full.reason }, ['missing-expiry', 'missing-owner']],
  ])('%s', (_name, ack, expected) => {
    expect(kinds(ack)).toEqual(expected);
    expect(judgeAcknowledgment(ack, TODAY).holds).toBe(expected.length === 0);
  });

  it('maps each problem to its MLOps-Ack* rule and names the source', () => {
    expect(judgeAcknowledgment({ id: 'AwsSolutions-S1' }, TODAY, 'template').problems).toEqual([
      {
        kind: 'missing-expiry',
        ruleId: 'MLOps-AckExpired',
        message:
          'The acknowledgment of AwsSolutions-S1 has no expiry date (expected expires: YYYY-MM-DD, the last day it holds) (from template).',
      },
      {
        kind: 'missing-owner',
        ruleId: 'MLOps-AckOwner',
        message: 'The acknowledgment of AwsSolutions-S1 has no owner (from template).',
      },
      {
        kind: 'short-reason',
        ruleId: 'MLOps-AckReason',
        message:
          'The acknowledgment of AwsSolutions-S1 has a reason of 0 characters; at least 20 are needed (from template).',
      },
    ]);
  });

  it('agrees with the schema of a complete acknowledgment', () => {
    expect(acknowledgmentSchema().safeParse(full).success).toBe(true);
    expect(acknowledgmentSchema().safeParse({ ...full, expires: undefined }).success).toBe(false);
  });
});

describe('reading recorded forms', () => {
  it('strips the pack and annotation namespaces CDK and cdk-nag write', () => {
    expect(findingIdOfCdkKey('AwsSolutions::AwsSolutions-IAM5[Resource::*]')).toBe(
      'AwsSolutions-IAM5[Resource::*]',
    );
    expect(findingIdOfCdkKey('AwsSolutions-IAM5[Resource::*]')).toBe('AwsSolutions-IAM5[Resource::*]');
    expect(findingIdOfCdkKey('annotation::AwsSolutions::AwsSolutions-S1')).toBe('AwsSolutions-S1');
    expect(
      fromCdkAcknowledgedRules(
        { 'MLOps::MLOps-X': 'why', 'AwsSolutions-S1': 'bare', 'CloudFormation-Validate::W3010': 'azs' },
        ['MLOps', 'AwsSolutions'],
      ),
    ).toEqual([
      { id: 'MLOps-X', reason: 'why' },
      { id: 'AwsSolutions-S1', reason: 'bare' },
    ]);
  });

  it('skips entries without a string id', () => {
    expect(parseRecordedAcknowledgments([{ reason: 'r' }, 'x', null, { id: 'A', owner: 'o' }])).toEqual([
      { id: 'A', reason: undefined, owner: 'o', expires: undefined },
    ]);
  });
});
