import { describe, expect, it } from 'vitest';
import { CfnParameter, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { AlertTopic } from '../../constructs/monitoring/alert-topic';
import { InferenceApi } from '../../constructs/serving/inference-api';
import { InferenceNetwork } from '../../constructs/serving/inference-network';
import { IIsolatedEndpoint, IsolatedEndpoint } from '../../constructs/serving/isolated-endpoint';
import { IsolatedEndpointProps } from '../../constructs/serving/isolated-endpoint-props';
import { SecureBucket } from '../../constructs/storage/secure-bucket';
import { testStack } from '../support/nag';
import { z } from 'zod';

// How our endpoint plugs into aws-cdk-lib: `IIsolatedEndpoint` is a `sagemaker.IEndpoint`, so
// aws-cdk-lib's own integrations take it, and a created endpoint is an `iam.IGrantable` (its
// execution role) and an `ec2.IConnectable` (its models' security group).

const DIGEST = `sha256:${'a'.repeat(64)}`;
const CONTRACT = z.strictObject({ instances: z.array(z.array(z.number()).max(16)).min(1).max(100) });

function created(stack: Stack, overrides: Partial<IsolatedEndpointProps> = {}): IsolatedEndpoint {
  const network = new InferenceNetwork(stack, 'Net');
  return new IsolatedEndpoint(stack, 'Ep', {
    environment: 'prod',
    endpointName: 'churn-prod',
    vpc: network.vpc,
    imageRepository: ecr.Repository.fromRepositoryName(stack, 'Repo', 'churn'),
    imageDigest: DIGEST,
    modelBucket: new SecureBucket(stack, 'Models', { keyDomain: 'models' }),
    modelDataKey: 'models/churn/1/model.tar.gz',
    alerts: new AlertTopic(stack, 'Alerts'),
    ...overrides,
  });
}

/** A REST API whose POST /invocations is aws-cdk-lib's own SageMaker integration. */
function restApiOn(stack: Stack, endpoint: sagemaker.IEndpoint): Template {
  const api = new apigateway.RestApi(stack, 'Api', { cloudWatchRole: false });
  api.root.addResource('invocations').addMethod('POST', new apigateway.SagemakerIntegration(endpoint));
  return Template.fromStack(stack);
}

/** The integration URI aws-cdk-lib renders: the runtime.sagemaker path of the endpoint, by name. */
function integrationUri(endpointName: string) {
  return {
    'Fn::Join': [
      '',
      [
        'arn:',
        { Ref: 'AWS::Partition' },
        `:apigateway:eu-west-1:runtime.sagemaker:path/endpoints/${endpointName}/invocations`,
      ],
    ],
  };
}

function endpointArn(account: string, name: string) {
  return {
    'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:sagemaker:eu-west-1:${account}:endpoint/${name}`]],
  };
}

/** The method's integration, and the policy that lets its credentials role invoke exactly `arn`. */
function expectIntegration(template: Template, endpointName: string, arn: unknown): void {
  const methods = template.findResources('AWS::ApiGateway::Method', {
    Properties: { HttpMethod: 'POST', Integration: { Type: 'AWS', Uri: integrationUri(endpointName) } },
  });
  expect(Object.keys(methods)).toHaveLength(1);
  const credentials = Object.values(methods)[0].Properties.Integration.Credentials;
  const roleId = (credentials as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  template.hasResource('AWS::IAM::Role', {
    Properties: {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'apigateway.amazonaws.com' } })],
      },
    },
  });
  template.hasResourceProperties('AWS::IAM::Policy', {
    Roles: [{ Ref: roleId }],
    PolicyDocument: {
      Statement: [{ Action: 'sagemaker:InvokeEndpoint', Effect: 'Allow', Resource: arn }],
    },
  });
}

describe('IsolatedEndpoint with aws-cdk-lib integrations', () => {
  it('is accepted by apigateway.SagemakerIntegration, which invokes it by name with a role allowed only its ARN', () => {
    const stack = testStack();
    const endpoint = created(stack);
    expectIntegration(restApiOn(stack, endpoint), 'churn-prod', endpointArn('111111111111', 'churn-prod'));
  });

  it('exposes what aws-cdk-lib reads of an IEndpoint (endpointRef, env)', () => {
    const stack = testStack();
    const endpoint: sagemaker.IEndpoint = created(stack);
    expect(stack.resolve(endpoint.endpointRef.endpointArn)).toEqual(
      endpointArn('111111111111', 'churn-prod'),
    );
    expect(stack.resolve(sagemaker.CfnEndpoint.arnForEndpoint(endpoint))).toEqual(
      endpointArn('111111111111', 'churn-prod'),
    );
    expect(endpoint.env).toEqual({ account: '111111111111', region: 'eu-west-1' });
  });

  it('imports by name, ARN or attributes, each accepted by the same integration', () => {
    const imports: [string, (stack: Stack) => IIsolatedEndpoint][] = [
      ['name', (stack) => IsolatedEndpoint.fromEndpointName(stack, 'Imported', 'fraud')],
      [
        'arn',
        (stack) =>
          IsolatedEndpoint.fromEndpointArn(
            stack,
            'Imported',
            'arn:aws:sagemaker:eu-west-1:111111111111:endpoint/fraud',
          ),
      ],
      [
        'attributes',
        (stack) =>
          IsolatedEndpoint.fromEndpointAttributes(stack, 'Imported', {
            endpointArn: 'arn:aws:sagemaker:eu-west-1:111111111111:endpoint/fraud',
            variantName: 'blue',
          }),
      ],
    ];
    for (const [how, make] of imports) {
      const stack = testStack();
      const endpoint = make(stack);
      const arn =
        how === 'name'
          ? endpointArn('111111111111', 'fraud')
          : 'arn:aws:sagemaker:eu-west-1:111111111111:endpoint/fraud';
      expect(stack.resolve(endpoint.endpointRef.endpointArn), how).toEqual(arn);
      expectIntegration(restApiOn(stack, endpoint), 'fraud', arn);
    }
  });

  it('takes the variant from the attributes and defaults it to primary', () => {
    const stack = testStack();
    const arn = 'arn:aws:sagemaker:eu-west-1:111111111111:endpoint/fraud';
    const blue = IsolatedEndpoint.fromEndpointAttributes(stack, 'Blue', {
      endpointArn: arn,
      variantName: 'blue',
    });
    const plain = IsolatedEndpoint.fromEndpointAttributes(stack, 'Plain', { endpointArn: arn });
    expect(blue.variantName).toBe('blue');
    expect(blue.metricInvocations().dimensions).toEqual({ EndpointName: 'fraud', VariantName: 'blue' });
    expect(plain.variantName).toBe('primary');
    expect(() =>
      IsolatedEndpoint.fromEndpointAttributes(stack, 'Bad', { endpointArn: 'arn:aws:s3:::bucket' }),
    ).toThrow(/^Test: endpointArn: is not a SageMaker endpoint ARN \(got "arn:aws:s3:::bucket"/);
  });
});

describe('IsolatedEndpoint imported from another account or region', () => {
  const FOREIGN = 'arn:aws:sagemaker:us-east-1:222222222222:endpoint/fraud';

  it('takes its environment from the ARN (environmentFromArn), not from the importing stack', () => {
    const stack = testStack();
    const endpoint = IsolatedEndpoint.fromEndpointArn(stack, 'Foreign', FOREIGN);
    expect(endpoint.env).toEqual({ account: '222222222222', region: 'us-east-1' });
    expect(endpoint.endpointName).toBe('fraud');
    const local = IsolatedEndpoint.fromEndpointName(stack, 'Local', 'churn');
    expect(local.env).toEqual({ account: '111111111111', region: 'eu-west-1' });
  });

  it("dimensions its metrics in the endpoint's account and region, so dashboards read the right one", () => {
    const stack = testStack();
    const endpoint = IsolatedEndpoint.fromEndpointArn(stack, 'Foreign', FOREIGN);
    const metric = endpoint.metricInvocations();
    expect(metric.account).toBe('222222222222');
    expect(metric.region).toBe('us-east-1');
    // Same-environment metrics carry neither, so alarms on them render as before.
    const local = IsolatedEndpoint.fromEndpointName(stack, 'Local', 'churn').metricInvocations();
    expect(local.account).toBeUndefined();
    expect(local.region).toBeUndefined();
    new cloudwatch.Dashboard(stack, 'Board', { widgets: [[new cloudwatch.GraphWidget({ left: [metric] })]] });
    const body = JSON.stringify(Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard'));
    expect(body).toContain('222222222222');
    expect(body).toContain('us-east-1');
  });

  // An endpoint elsewhere is reached through an inference router, which "calls each destination
  // with your caller's own credentials": the identity grant is needed there too.
  // https://docs.aws.amazon.com/sagemaker/latest/dg/inference-router-security.html
  it('grants invoke on its ARN, for callers that reach it through an inference router', () => {
    const stack = testStack();
    const endpoint = IsolatedEndpoint.fromEndpointArn(stack, 'Foreign', FOREIGN);
    const role = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    endpoint.grantInvoke(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: 'sagemaker:InvokeEndpoint', Resource: FOREIGN }] },
    });
  });

  // InvokeEndpoint names no account ("SageMaker determines the account ID from the authentication
  // token that is supplied by the caller") and is regional: API Gateway's direct call by name
  // would reach a same-named endpoint of the API's account and Region, or none.
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html
  it('is refused by InferenceApi across accounts or regions, naming the endpoint prop', () => {
    for (const [arn, got] of [
      [FOREIGN, 'account "222222222222", region "us-east-1"'],
      [
        'arn:aws:sagemaker:us-east-1:111111111111:endpoint/fraud',
        'account "111111111111", region "us-east-1"',
      ],
    ]) {
      const stack = testStack();
      const endpoint = IsolatedEndpoint.fromEndpointArn(stack, 'Foreign', arn);
      expect(() => new InferenceApi(stack, 'Api', { endpoint, inputContract: CONTRACT })).toThrow(
        new RegExp(
          `^Test/Api: endpoint: api gateway invokes the endpoint by name, which sagemaker looks up in the api's own account and region \\(got "${arn}" \\(${got}\\); expected an endpoint of account "111111111111" and region "eu-west-1"`,
        ),
      );
    }
    const stack = testStack();
    const local = IsolatedEndpoint.fromEndpointArn(
      stack,
      'Local',
      'arn:aws:sagemaker:eu-west-1:111111111111:endpoint/fraud',
    );
    expect(() => new InferenceApi(stack, 'Api', { endpoint: local, inputContract: CONTRACT })).not.toThrow();
  });

  it('grants invoke on a token ARN, whose account is only known at deploy time', () => {
    const stack = testStack();
    const arn = new CfnParameter(stack, 'EndpointArn', { type: 'String' }).valueAsString;
    const endpoint = IsolatedEndpoint.fromEndpointArn(stack, 'Param', arn);
    const role = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    endpoint.grantInvoke(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{ Action: 'sagemaker:InvokeEndpoint', Resource: { Ref: 'EndpointArn' } }],
      },
    });
  });
});

describe('IsolatedEndpoint as iam.IGrantable and ec2.IConnectable', () => {
  it("lands a grant to the endpoint in its execution role's managed policy", () => {
    const stack = testStack();
    const endpoint = created(stack);
    const features = new s3.Bucket(stack, 'Features');
    const grantable: iam.IGrantable = endpoint;
    expect(grantable.grantPrincipal).toBe(endpoint.role);
    features.grantRead(endpoint);
    const roleId = stack.getLogicalId(endpoint.role.node.defaultChild as iam.CfnRole);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: roleId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: Match.arrayWith(['s3:GetObject*']),
            Resource: Match.arrayWith([
              { 'Fn::GetAtt': [stack.getLogicalId(features.node.defaultChild as s3.CfnBucket), 'Arn'] },
            ]),
          }),
        ]),
      },
    });
    // aws-cdk-lib's default-policy path (IAMNoInlinePolicy) is not taken.
    Template.fromStack(stack).resourcePropertiesCountIs('AWS::IAM::Policy', { Roles: [{ Ref: roleId }] }, 0);
  });

  it("opens connections through the models' security group", () => {
    const stack = testStack();
    const endpoint = created(stack);
    const connectable: ec2.IConnectable = endpoint;
    expect(connectable.connections.securityGroups).toEqual([endpoint.securityGroup]);
    const db = new ec2.SecurityGroup(stack, 'Db', { vpc: ec2.Vpc.fromVpcAttributes(stack, 'V', vpcAttrs) });
    endpoint.connections.allowTo(db, ec2.Port.tcp(5432), 'feature store replica');
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      GroupId: {
        'Fn::GetAtt': [
          stack.getLogicalId(endpoint.securityGroup?.node.defaultChild as ec2.CfnSecurityGroup),
          'GroupId',
        ],
      },
      FromPort: 5432,
      ToPort: 5432,
      DestinationSecurityGroupId: {
        'Fn::GetAtt': [stack.getLogicalId(db.node.defaultChild as ec2.CfnSecurityGroup), 'GroupId'],
      },
    });
  });

  it('refuses connections of a serverless endpoint, which has no security group', () => {
    const stack = testStack();
    const endpoint = created(stack, {
      environment: 'dev',
      networkIsolation: false,
      serverless: { memorySizeMb: 2048, maxConcurrency: 5 },
    });
    expect(() => endpoint.connections).toThrow(
      /^Test\/Ep: connections: a serverless endpoint runs outside the vpc and has no security group/,
    );
    expect(endpoint.grantPrincipal).toBe(endpoint.role);
  });
});

const vpcAttrs = { vpcId: 'vpc-1', availabilityZones: ['eu-west-1a'], isolatedSubnetIds: ['subnet-1'] };
