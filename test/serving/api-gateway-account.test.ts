import { describe, expect, it } from 'vitest';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { ApiGatewayAccount } from '../../constructs/serving/api-gateway-account';
import { findingLines, testStack } from '../support/nag';

type Statement = { Sid?: string; Action: string | string[]; Resource: unknown };

function policyStatements(template: Template): Statement[] {
  const policies = template.findResources('AWS::IAM::ManagedPolicy', {
    Properties: { Description: 'Permissions of Test/ApiGatewayAccount/CloudWatchRole' },
  });
  const [policy] = Object.values(policies) as {
    Properties: { PolicyDocument: { Statement: Statement[] } };
  }[];
  return policy.Properties.PolicyDocument.Statement;
}

/** IAM's ARN matching: `*` matches any run of characters (including `/` and `:`), `?` one. */
function arnMatches(pattern: string, arn: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return re.test(arn);
}

/** A resource as the test stack renders it (literal region and account, partition `aws`). */
function literal(resource: unknown): string {
  if (typeof resource === 'string') return resource;
  const [, parts] = (resource as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  return parts.map((p) => (typeof p === 'string' ? p : 'aws')).join('');
}

function allowedResources(statements: Statement[], action: string): string[] {
  return statements.filter((s) => [s.Action].flat().includes(action)).map((s) => literal(s.Resource));
}

describe('ApiGatewayAccount', () => {
  // API Gateway checks the role when the account setting is made by writing to the log group
  // /aws/apigateway/welcome, then writes execution logs to API-Gateway-Execution-Logs_<api>/<stage>
  // and access logs to whichever group each stage names; the role needs the actions of the
  // AmazonAPIGatewayPushToCloudWatchLogs managed policy on all of them:
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
  it.each([
    ['the welcome log group API Gateway validates the role with', '/aws/apigateway/welcome'],
    ['an execution-log group', 'API-Gateway-Execution-Logs_a1b2c3d4e5/v1'],
    ['an access-log group of any name', 'mlops-serving-churn-ApiAccessLogs1234-AbCdEf'],
  ])('lets API Gateway write to %s', (_name, logGroupName) => {
    const stack = testStack();
    new ApiGatewayAccount(stack, 'ApiGatewayAccount');
    const statements = policyStatements(Template.fromStack(stack));
    const group = `arn:aws:logs:eu-west-1:111111111111:log-group:${logGroupName}`;
    const streamOf = `${group}:log-stream:stream-1`;
    for (const action of ['logs:CreateLogGroup', 'logs:DescribeLogStreams', 'logs:FilterLogEvents']) {
      expect(
        allowedResources(statements, action).some((r) => arnMatches(r, group)),
        action,
      ).toBe(true);
    }
    for (const action of ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:GetLogEvents']) {
      expect(
        allowedResources(statements, action).some((r) => arnMatches(r, streamOf)),
        action,
      ).toBe(true);
    }
  });

  it('has every action of AmazonAPIGatewayPushToCloudWatchLogs, scoped to the account and region where IAM allows', () => {
    const stack = testStack();
    new ApiGatewayAccount(stack, 'ApiGatewayAccount');
    const statements = policyStatements(Template.fromStack(stack));
    // https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonAPIGatewayPushToCloudWatchLogs.html
    const managed = [
      'logs:CreateLogGroup',
      'logs:CreateLogStream',
      'logs:DescribeLogGroups',
      'logs:DescribeLogStreams',
      'logs:PutLogEvents',
      'logs:GetLogEvents',
      'logs:FilterLogEvents',
    ];
    expect(statements.flatMap((s) => [s.Action].flat()).sort()).toEqual([...managed].sort());
    for (const action of managed.filter((a) => a !== 'logs:DescribeLogGroups')) {
      expect(allowedResources(statements, action)).toEqual([
        'arn:aws:logs:eu-west-1:111111111111:log-group:*',
      ]);
    }
    // DescribeLogGroups has no resource type: IAM accepts only "*".
    expect(allowedResources(statements, 'logs:DescribeLogGroups')).toEqual(['*']);
  });

  it('sets the account CloudWatch role, assumable by API Gateway only, and retains both', () => {
    const stack = testStack();
    const account = new ApiGatewayAccount(stack, 'ApiGatewayAccount');
    const template = Template.fromStack(stack);
    template.hasResource('AWS::ApiGateway::Account', {
      Properties: {
        CloudWatchRoleArn: {
          'Fn::GetAtt': [Match.stringLikeRegexp('^ApiGatewayAccountCloudWatchRole'), 'Arn'],
        },
      },
      DeletionPolicy: 'Retain',
      DependsOn: Match.arrayWith([Match.stringLikeRegexp('^ApiGatewayAccountCloudWatchRolePolicy')]),
    });
    template.hasResource('AWS::IAM::Role', {
      Properties: {
        AssumeRolePolicyDocument: {
          Statement: [
            { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'apigateway.amazonaws.com' } },
          ],
        },
      },
      DeletionPolicy: 'Retain',
    });
    expect(account.resource).toBeInstanceOf(apigw.CfnAccount);
    expect(stack.resolve(account.cloudWatchRoleArn)).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^ApiGatewayAccountCloudWatchRole/), 'Arn'],
    });
  });

  it('has zero findings in every pack', () => {
    const stack = testStack();
    new ApiGatewayAccount(stack, 'ApiGatewayAccount');
    expect(findingLines(stack)).toEqual([]);
  });

  // "To avoid overwriting other roles, you should only have one AWS::ApiGateway::Account resource
  // per region per account": https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-account.html
  it('refuses a second AWS::ApiGateway::Account for the same account and region in the app', () => {
    const app = new App();
    const env = { account: '111111111111', region: 'eu-west-1' };
    const platform = new Stack(app, 'Platform', { env });
    new ApiGatewayAccount(platform, 'ApiGatewayAccount');
    const other = new Stack(app, 'Other', { env });
    new apigw.CfnAccount(other, 'Account', { cloudWatchRoleArn: 'arn:aws:iam::111111111111:role/x' });
    new Stack(app, 'Elsewhere', { env: { ...env, region: 'eu-central-1' } }).node.addMetadata('x', 'y');
    new ApiGatewayAccount(app.node.findChild('Elsewhere') as Stack, 'ApiGatewayAccount');
    expect(platform.node.findChild('ApiGatewayAccount').node.validate()).toEqual([
      'Platform/ApiGatewayAccount: resource: is not the only AWS::ApiGateway::Account of account 111111111111 in eu-west-1, whose CloudWatch role the last one deployed sets (got also Other/Account; expected one per account and region)',
    ]);
    expect(app.node.findChild('Elsewhere').node.findChild('ApiGatewayAccount').node.validate()).toEqual([]);
  });
});
