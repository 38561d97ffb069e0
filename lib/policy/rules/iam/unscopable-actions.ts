import { iamActionsMatching } from '../../../aws-facts/iam-actions';

/**
 * The IAM actions this library grants on `Resource: "*"`, and why each may be: the action has no
 * resource-level permissions (IAM accepts only `*` for it), or the AWS service that acts for the
 * role needs it on `*` and AWS's own managed policy for that service grants it so.
 *
 * `MLOps-IAMWildcardResourceOnlyForUnscopableActions` allows on `*` these actions and every action
 * the Service Authorization Reference lists without resource types
 * (lib/aws-facts/iam-actions.generated.json), and reports every other action. Most "no resource
 * types" entries here are also unscopable in that table (a test pins the exceptions); they stay
 * listed because they record why this library grants each one. The exceptions and the other
 * entries are decisions the table cannot make (CloudWatch's metric calls gained an optional
 * `dataset` resource type that plain metrics do not use, so they still need `*`): keep this list
 * explicit (no wildcards, no prefixes), and add the reason with each entry.
 * Names are compared case-insensitively, as IAM does.
 *
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 */
export const UNSCOPABLE_ACTIONS: Readonly<Record<string, string>> = {
  // ---- EC2 network discovery: Describe* calls have no resource types.
  'ec2:DescribeNetworkInterfaces': 'no resource types (Lambda and SageMaker look up the ENIs they manage)',
  'ec2:DescribeVpcs': 'no resource types (SageMaker VPC jobs and models)',
  'ec2:DescribeSubnets': 'no resource types (SageMaker VPC jobs and models)',
  'ec2:DescribeSecurityGroups': 'no resource types (SageMaker VPC jobs and models)',
  'ec2:DescribeDhcpOptions': 'no resource types (SageMaker VPC jobs and models)',
  // ---- EC2 network interfaces created by a service for the role. These do support resource ARNs
  // (network-interface, subnet, security-group), but the service creates the interface in whichever
  // subnet the function, job or model is configured with, and the interface ARN does not exist before
  // the call; AWS's AWSLambdaVPCAccessExecutionRole and the SageMaker VPC policy grant them on "*".
  // The constructs condition them on the VPC where the service supports it (isolated-endpoint).
  'ec2:CreateNetworkInterface':
    'Lambda/SageMaker create ENIs in the configured subnets (AWSLambdaVPCAccessExecutionRole grants it on *)',
  'ec2:DeleteNetworkInterface':
    'Lambda/SageMaker delete the ENIs they created (AWSLambdaVPCAccessExecutionRole grants it on *)',
  'ec2:AssignPrivateIpAddresses':
    'Lambda manages ENI addresses (AWSLambdaVPCAccessExecutionRole grants it on *)',
  'ec2:UnassignPrivateIpAddresses':
    'Lambda manages ENI addresses (AWSLambdaVPCAccessExecutionRole grants it on *)',
  'ec2:CreateNetworkInterfacePermission':
    'SageMaker attaches its ENIs to the customer VPC (SageMaker VPC policy grants it on *)',
  'ec2:DeleteNetworkInterfacePermission': 'SageMaker detaches its ENIs (SageMaker VPC policy grants it on *)',
  // ---- Tracing, registry login, metrics: no resource types.
  'xray:PutTraceSegments': 'no resource types (Lambda active tracing)',
  'xray:PutTelemetryRecords': 'no resource types (Lambda active tracing)',
  'ecr:GetAuthorizationToken': 'no resource types (registry login before an image pull)',
  'cloudwatch:PutMetricData': 'no resource types (scope it with a cloudwatch:namespace condition)',
  'cloudwatch:GetMetricData': 'no resource types (auto-shutdown reads invocation metrics)',
  'logs:DescribeLogGroups':
    'no resource types (API Gateway account logging role, as AmazonAPIGatewayPushToCloudWatchLogs)',
  // ---- SageMaker List calls: no resource types (auto-shutdown enumerates what it may stop).
  'sagemaker:ListApps': 'no resource types (auto-shutdown sweep)',
  'sagemaker:ListEndpoints': 'no resource types (auto-shutdown sweep)',
  'sagemaker:ListNotebookInstances': 'no resource types (auto-shutdown sweep)',
};

const ALLOWED = new Set(Object.keys(UNSCOPABLE_ACTIONS).map((a) => a.toLowerCase()));

/** Whether an action (exact name, no wildcard) is in {@link UNSCOPABLE_ACTIONS}. */
export function isUnscopableAction(action: string): boolean {
  return ALLOWED.has(action.toLowerCase());
}

/**
 * Whether an `Action` entry may be allowed on `Resource: "*"`: it is in {@link UNSCOPABLE_ACTIONS},
 * or every action it matches (a wildcard such as `sagemaker:List*` is expanded) either has no
 * resource types or is in that list. An entry that matches no action IAM knows grants nothing
 * today and passes here: `MLOps-IAMPolicyActionsExist` reports it.
 */
export function mayGrantOnEveryResource(entry: string): boolean {
  if (isUnscopableAction(entry)) return true;
  // `*` matches s3:GetObject among others; no need to decode every service to know it.
  if (entry === '*') return false;
  return iamActionsMatching(entry).every((a) => a.unscopable || isUnscopableAction(`${a.service}:${a.name}`));
}
