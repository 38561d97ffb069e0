import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { physicalNameFor, WAF_MAX_BODY_INSPECTION_BYTES } from './defaults';

// The WAF web ACL of an InferenceApi: AWS managed rules, a per-IP rate limit and a body-size
// limit, associated with the stage and logged with the authorization headers redacted.

/** The web ACL of `scope` (the API construct). */
export function createWebAcl(scope: Construct, rateLimit: number, maxPayload: number): wafv2.CfnWebACL {
  const visibility = (metricName: string) => ({
    cloudWatchMetricsEnabled: true,
    sampledRequestsEnabled: true,
    metricName,
  });
  const managed = (name: string, priority: number, overrides?: string[]): wafv2.CfnWebACL.RuleProperty => ({
    name: `AWS-${name}`,
    priority,
    overrideAction: { none: {} },
    statement: {
      managedRuleGroupStatement: {
        vendorName: 'AWS',
        name,
        ruleActionOverrides: overrides?.map((rule) => ({ name: rule, actionToUse: { count: {} } })),
      },
    },
    visibilityConfig: visibility(name),
  });
  const rules: wafv2.CfnWebACL.RuleProperty[] = [
    managed('AWSManagedRulesAmazonIpReputationList', 0),
    {
      name: 'RateLimitPerIp',
      priority: 1,
      action: { block: {} },
      statement: {
        rateBasedStatement: { limit: rateLimit, aggregateKeyType: 'IP', evaluationWindowSec: 300 },
      },
      visibilityConfig: visibility('RateLimitPerIp'),
    },
  ];
  if (maxPayload <= WAF_MAX_BODY_INSPECTION_BYTES) {
    rules.push({
      name: 'MaxPayloadSize',
      priority: 2,
      action: { block: {} },
      statement: {
        sizeConstraintStatement: {
          // Bodies past the 64 KiB inspection limit match too, so nothing larger slips through.
          fieldToMatch: { body: { oversizeHandling: 'MATCH' } },
          comparisonOperator: 'GT',
          size: maxPayload,
          textTransformations: [{ priority: 0, type: 'NONE' }],
        },
      },
      visibilityConfig: visibility('MaxPayloadSize'),
    });
  }
  rules.push(managed('AWSManagedRulesKnownBadInputsRuleSet', 3));
  // The common rule set blocks bodies over 8 KiB; the payload limit above is the one that applies.
  rules.push(managed('AWSManagedRulesCommonRuleSet', 4, ['SizeRestrictions_BODY']));
  return new wafv2.CfnWebACL(scope, 'WebAcl', {
    scope: 'REGIONAL',
    defaultAction: { allow: {} },
    description: `Protects ${scope.node.path}`,
    visibilityConfig: visibility(physicalNameFor(scope, 128)),
    associationConfig: { requestBody: { API_GATEWAY: { defaultSizeInspectionLimit: 'KB_64' } } },
    rules,
  });
}

/** WAF counts a rate-based rule's requests per IP over five minutes. */
const WAF_RATE_WINDOW_SECONDS = 300;

/**
 * The default per-IP WAF limit: what the stage throttle admits in WAF's five-minute window, so one
 * caller (or many behind one NAT address) can use the whole stage rate but no more. WAF's floor is 100.
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based-high-level-settings.html
 */
export function wafRateLimitFor(stageRateLimit: number): number {
  return Math.max(100, Math.ceil(stageRateLimit * WAF_RATE_WINDOW_SECONDS));
}

/**
 * Associates the web ACL with the stage and logs it to `logGroup`, with the `authorization` and
 * `x-api-key` headers redacted.
 */
export function attachWebAcl(
  scope: Construct,
  stage: apigw.Stage,
  webAcl: wafv2.CfnWebACL,
  logGroup: logs.LogGroup,
): void {
  new wafv2.CfnWebACLAssociation(scope, 'WebAclAssociation', {
    resourceArn: stage.stageArn,
    webAclArn: webAcl.attrArn,
  });
  const logging = new wafv2.CfnLoggingConfiguration(scope, 'WafLogging', {
    resourceArn: webAcl.attrArn,
    // WAF wants the log group ARN without the `:*` that CloudFormation's Arn attribute ends with.
    logDestinationConfigs: [
      Stack.of(scope).formatArn({
        service: 'logs',
        resource: 'log-group',
        resourceName: logGroup.logGroupName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    ],
    redactedFields: [{ singleHeader: { Name: 'authorization' } }, { singleHeader: { Name: 'x-api-key' } }],
  });
  logging.node.addDependency(logGroup);
}
