import { describe, expect, it } from 'vitest';
import { CfnResource, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { acknowledgmentsOf, CONTROLS } from '../../constructs/core/acknowledge';
import { SecureFunction, SecureFunctionProps } from '../../constructs/core/secure-function';
import { PropsValidationError } from '../../constructs/core/validate';
import { createDomainKey } from '../../constructs/encryption/domain-key';
import { EncryptionKeys } from '../../constructs/encryption/encryption-keys';
import { InferenceNetwork } from '../../constructs/serving/inference-network';
import { findingLines, testStack } from '../support/nag';

function setup(props: Partial<SecureFunctionProps> = {}) {
  const stack = testStack();
  const keys = new EncryptionKeys(stack, 'Keys');
  const network = new InferenceNetwork(stack, 'Network', { encryptionKey: keys.logs });
  const build = () =>
    new SecureFunction(stack, 'Fn', {
      handler: 'auto-shutdown',
      vpc: network.vpc,
      encryptionKey: keys.logs,
      ...props,
    });
  return { stack, build };
}

function errorOf(props: Partial<SecureFunctionProps>): PropsValidationError {
  const { build } = setup(props);
  try {
    build();
  } catch (e) {
    if (e instanceof PropsValidationError) return e;
    throw e;
  }
  throw new Error('expected a PropsValidationError');
}

describe('SecureFunction', () => {
  it('passes every pack with default props', () => {
    const { stack, build } = setup();
    build();
    expect(findingLines(stack)).toEqual([]);
  });

  // https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html#monitoring-cloudwatchlogs-prereqs:
  // the execution role needs logs:CreateLogStream and logs:PutLogEvents to send logs; without them
  // the handler runs and nothing is logged.
  it('lets the role write log streams and events to its own log group, and nowhere else', () => {
    const { stack, build } = setup();
    const fn = build();
    const roleId = stack.getLogicalId(fn.role.node.defaultChild as CfnResource);
    const policies = Object.values(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy')).filter(
      (r) => JSON.stringify(r.Properties.Roles ?? []).includes(`"${roleId}"`),
    );
    expect(policies.length).toBeGreaterThan(0);
    const statements = policies.flatMap(
      (r) => r.Properties.PolicyDocument.Statement as Record<string, unknown>[],
    );
    const logs = statements.filter((st) => [st.Action].flat().some((a) => String(a).startsWith('logs:')));
    expect(logs).toEqual([
      {
        Sid: 'WriteOwnLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: Stack.of(fn).resolve(fn.logGroup.logGroupArn),
      },
    ]);
    // The log group ARN attribute ends in ":*", which covers its log streams (PutLogEvents' resource).
    expect(Stack.of(fn).resolve(fn.logGroup.logGroupArn)).toEqual({
      'Fn::GetAtt': [stack.getLogicalId(fn.logGroup.node.defaultChild as CfnResource), 'Arn'],
    });
  });

  // https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html: a reservation may
  // not take the account's unreserved concurrency below its minimum (100), so an account whose
  // concurrency quota is 10 rejects every reservation and the stack fails to deploy.
  it('reserves no concurrency by default, and acknowledges only the three LambdaConcurrency findings', () => {
    const { stack, build } = setup();
    const fn = build();
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      ReservedConcurrentExecutions: Match.absent(),
    });
    const ids = acknowledgmentsOf(fn.function.node.defaultChild!).map((a) => a.id);
    expect(ids.filter((id) => id.includes('Concurrency'))).toEqual([...CONTROLS.lambdaConcurrency]);
    expect(CONTROLS.lambdaConcurrency).toEqual([
      'HIPAA.Security-LambdaConcurrency',
      'NIST.800.53.R5-LambdaConcurrency',
      'PCI.DSS.321-LambdaConcurrency',
    ]);
  });

  it('reserves concurrency only when asked, and then records no concurrency acknowledgment', () => {
    const { stack, build } = setup({ reservedConcurrentExecutions: 5 });
    const fn = build();
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      ReservedConcurrentExecutions: 5,
    });
    expect(
      acknowledgmentsOf(fn.function.node.defaultChild!)
        .map((a) => a.id)
        .filter((id) => id.includes('Concurrency')),
    ).toEqual([]);
    expect(findingLines(stack)).toEqual([]);
  });

  // https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html#invocation-async-errors:
  // MaximumRetryAttempts 0-2 and MaximumEventAgeInSeconds 60-21600 bound how often and how late an
  // asynchronous event runs.
  it('retries asynchronous events twice within six hours by default, and as configured', () => {
    const def = setup();
    def.build();
    Template.fromStack(def.stack).hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 21600,
    });
    const once = setup({ retryAttempts: 0, maxEventAge: Duration.minutes(1) });
    once.build();
    Template.fromStack(once.stack).hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 60,
    });
  });

  it('refuses retry and event-age values Lambda does not accept', () => {
    expect(errorOf({ retryAttempts: 3 }).problems.map((p) => p.field)).toEqual(['retryAttempts']);
    expect(errorOf({ maxEventAge: Duration.seconds(30) }).problems.map((p) => p.field)).toEqual([
      'maxEventAge',
    ]);
  });

  it('refuses a handler without a prebuilt bundle as a props error on handler', () => {
    const e = errorOf({ handler: 'no-such-bundle' });
    expect(e.message).toMatch(
      /^Test\/Fn: handler: has no prebuilt bundle \(got "no-such-bundle"; expected a bundle at assets\/handlers\/no-such-bundle\/index\.js/,
    );
  });

  it('accepts isolated subnets in a zone of the VPC', () => {
    const { stack, build } = setup({
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED, availabilityZones: ['dummy1a'] },
    });
    build();
    const [, fn] = Object.entries(Template.fromStack(stack).findResources('AWS::Lambda::Function')).find(
      ([id]) => id.startsWith('Fn'),
    )!;
    expect(fn.Properties.VpcConfig.SubnetIds).toHaveLength(1);
  });

  it.each([
    ['public subnets', { subnetType: ec2.SubnetType.PUBLIC }, 'vpcSubnets.subnetType'],
    [
      'subnets the isolated VPC does not have',
      { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      'vpcSubnets',
    ],
    ['a zone outside the VPC', { availabilityZones: ['nowhere-1a'] }, 'vpcSubnets'],
    ['a subnet group by name (not offered)', { subnetGroupName: 'missing' }, 'vpcSubnets.subnetGroupName'],
  ])('refuses a subnet selection of %s', (_name, vpcSubnets, field) => {
    const e = errorOf({ vpcSubnets: vpcSubnets as ec2.SubnetSelection });
    expect(e.problems.map((p) => p.field)).toEqual([field]);
    expect(e.message.startsWith(`Test/Fn: ${field}: `)).toBe(true);
  });
});

/** The statements with `sid` in the key policies of the stack's AWS::KMS::Key resources whose id starts with `prefix`. */
function keyStatements(stack: Stack, prefix: string, sid: string): unknown[] {
  return Object.entries(Template.fromStack(stack).findResources('AWS::KMS::Key'))
    .filter(([id]) => id.startsWith(prefix))
    .flatMap(([, r]) => r.Properties.KeyPolicy.Statement as { Sid?: string }[])
    .filter((st) => st.Sid === sid);
}

// CloudWatch Logs encrypts a log group with a key only if the key policy lets logs.<region>.amazonaws.com
// use it; otherwise CreateLogGroup fails and the stack with it.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
describe('SecureFunction key', () => {
  function build(stack: Stack, id: string, encryptionKey: kms.IKey) {
    const network = new InferenceNetwork(stack, `${id}Network`, {});
    return new SecureFunction(stack, id, { handler: 'auto-shutdown', vpc: network.vpc, encryptionKey });
  }

  it('adds the CloudWatch Logs statement to an L2 kms.Key of the app, once for two functions', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'TeamKey', { enableKeyRotation: true });
    build(stack, 'Fn', key);
    new SecureFunction(stack, 'Second', {
      handler: 'auto-shutdown',
      vpc: (stack.node.findChild('FnNetwork') as InferenceNetwork).vpc,
      encryptionKey: key,
    });
    expect(keyStatements(stack, 'TeamKey', 'CloudWatchLogsEncryption')).toEqual([
      expect.objectContaining({
        Principal: { Service: 'logs.eu-west-1.amazonaws.com' },
        Condition: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': {
              'Fn::Join': [
                '',
                ['arn:', { Ref: 'AWS::Partition' }, ':logs:eu-west-1:111111111111:log-group:*'],
              ],
            },
          },
        },
      }),
    ]);
  });

  it('refuses a data domain key, naming the field', () => {
    const stack = testStack();
    const key = createDomainKey(stack, 'DataKey', 'data');
    expect(() => build(stack, 'Fn', key)).toThrow(
      /^Test\/Fn: encryptionKey: is a data key whose policy lacks the CloudWatchLogsEncryption statement \(logs\)/,
    );
  });

  // The audit key lets CloudWatch Logs in, but the account's principals may use it only through S3
  // and CloudTrail (kms:ViaService): the function's encrypted environment (Lambda) and its dead-letter
  // queue (SQS) would fail at run time.
  // https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
  it('refuses the audit domain key: Lambda and SQS may not use it', () => {
    const stack = testStack();
    const keys = new EncryptionKeys(stack, 'Keys');
    expect(() => build(stack, 'Fn', keys.audit)).toThrow(
      /^Test\/Fn: encryptionKey: is an audit key whose policy lacks the UseThroughDomainServices statement \(queues-and-functions\)/,
    );
  });

  it('leaves the logs domain key as it is: one CloudWatch Logs statement', () => {
    const stack = testStack();
    const keys = new EncryptionKeys(stack, 'Keys');
    build(stack, 'Fn', keys.logs);
    expect(keyStatements(stack, 'KeysLogsKey', 'CloudWatchLogsEncryption')).toHaveLength(1);
  });

  it('accepts an imported key as it is', () => {
    const stack = testStack();
    const key = kms.Key.fromKeyArn(
      stack,
      'Imported',
      'arn:aws:kms:eu-west-1:111111111111:key/00000000-0000-0000-0000-000000000000',
    );
    expect(() => build(stack, 'Fn', key)).not.toThrow();
  });
});
