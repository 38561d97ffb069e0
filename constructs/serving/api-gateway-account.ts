import { Aws, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { acknowledge } from '../core/acknowledge';
import { INHERENT } from '../core/inherent';
import { ScopedRole } from '../core/scoped-role';
import { flattenForNag } from './nag-ids';
import { APIGW_ACCOUNT_LOG_ACTIONS, APIGW_ACCOUNT_LOG_LISTING_ACTIONS } from './perms';

/**
 * The account- and region-wide API Gateway setting that names the role API Gateway writes
 * CloudWatch logs with. Pass it to {@link InferenceApi} so each stage deploys after it.
 */
export interface IApiGatewayAccount extends IConstruct {
  /** The ARN of the role API Gateway writes execution and access logs with. */
  readonly cloudWatchRoleArn: string;
}

/**
 * The account's API Gateway CloudWatch role (`AWS::ApiGateway::Account`), owned once per account
 * and region, e.g. by the platform stack, and referenced by every {@link InferenceApi}.
 *
 * API Gateway checks the role when the setting is made by writing to `/aws/apigateway/welcome`,
 * then writes execution logs to `API-Gateway-Execution-Logs_<api id>/<stage>` and access logs to
 * whatever group each stage names, for every REST API of the account and region. The role
 * therefore holds the actions of the AWS managed policy `AmazonAPIGatewayPushToCloudWatchLogs`
 * (in a customer-managed policy, `AwsSolutions-IAM4`), scoped to the log groups of this account
 * and region; `logs:DescribeLogGroups` accepts only `Resource: "*"`. The role and the setting are
 * retained: deleting the stack must not switch off logging of APIs in other stacks.
 *
 * A second `AWS::ApiGateway::Account` for the same account and region anywhere in the app (one
 * per serving stack, or a RestApi with aws-cdk-lib's `cloudWatchRole: true`) is a validation
 * error: the last one deployed would silently replace this role.
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-account.html
 */
export class ApiGatewayAccount extends Construct implements IApiGatewayAccount {
  /** The role API Gateway assumes to write logs. */
  public readonly role: ScopedRole;
  /** The account setting. */
  public readonly resource: apigw.CfnAccount;
  /** {@inheritDoc IApiGatewayAccount.cloudWatchRoleArn} */
  public readonly cloudWatchRoleArn: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);
    this.role = new ScopedRole(this, 'CloudWatchRole', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      description: "API Gateway account role: writes execution and access logs of the account's REST APIs",
    });
    this.role.applyRemovalPolicy(RemovalPolicy.RETAIN);
    this.role.policy.applyRemovalPolicy(RemovalPolicy.RETAIN);
    const logGroups = `arn:${Aws.PARTITION}:logs:${stack.region}:${stack.account}:log-group:*`;
    // `log-group:*` also matches the log streams (`log-group:<name>:log-stream:<stream>`).
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteLogs',
        actions: [...APIGW_ACCOUNT_LOG_ACTIONS],
        resources: [logGroups],
      }),
    );
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ListLogGroups',
        actions: [...APIGW_ACCOUNT_LOG_LISTING_ACTIONS],
        resources: ['*'],
      }),
    );
    const reason =
      'the API Gateway account role writes execution and access logs of every REST API of the account and region; group names embed API ids or are chosen per stage';
    acknowledge(this.role.policy, `AwsSolutions-IAM5[Resource::${flattenForNag(stack.resolve(logGroups))}]`, {
      reason,
      ...INHERENT,
    });
    acknowledge(this.role.policy, 'AwsSolutions-IAM5[Resource::*]', {
      reason:
        'logs:DescribeLogGroups, part of what API Gateway needs for logging, has no resource type and accepts only Resource "*"',
      ...INHERENT,
    });

    this.resource = new apigw.CfnAccount(this, 'Resource', { cloudWatchRoleArn: this.role.roleArn });
    this.resource.applyRemovalPolicy(RemovalPolicy.RETAIN);
    // API Gateway validates the role when the setting is made: its permissions must exist first.
    this.resource.node.addDependency(this.role.policy);
    this.cloudWatchRoleArn = this.role.roleArn;
    this.node.addValidation({ validate: () => this.otherAccountSettings() });
  }

  /** Other `AWS::ApiGateway::Account` resources of the app in the same (literal) account and region. */
  private otherAccountSettings(): string[] {
    const { account, region } = Stack.of(this);
    if (Token.isUnresolved(account) || Token.isUnresolved(region)) return [];
    const others = this.node.root.node
      .findAll()
      .filter((c): c is apigw.CfnAccount => c instanceof apigw.CfnAccount && c !== this.resource)
      .filter((c) => Stack.of(c).account === account && Stack.of(c).region === region)
      .map((c) => (c.node.scope instanceof ApiGatewayAccount ? c.node.scope.node.path : c.node.path));
    if (others.length === 0) return [];
    return [
      `${this.node.path}: resource: is not the only AWS::ApiGateway::Account of account ${account} in ${region}, whose CloudWatch role the last one deployed sets (got also ${others.join(', ')}; expected one per account and region)`,
    ];
  }
}
