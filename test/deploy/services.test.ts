import { beforeAll, expect, it } from 'vitest';
import { declareCases } from './declare';
import { DOC } from './cases/docs';
import { SERVICE_CASES } from './cases/services';
import { loadReferenceModel, type ReferenceModel } from './harness';

// The authorization proof of the AWS services acting on the app's resources: CloudTrail, S3 log
// delivery and replication, CloudWatch Logs, alarm/EventBridge/Budgets alerts, API Gateway, WAF
// logging, ECR layer downloads and flow logs.
let model: ReferenceModel;
beforeAll(() => {
  model = loadReferenceModel();
});

declareCases('AWS services', SERVICE_CASES, () => model);

it(`WAF logs go to a log group named aws-waf-logs-* (${DOC.wafLogs})`, () => {
  const destination = (model.prop('ApiWafLogging', 'LogDestinationConfigs') as string[])[0];
  expect(destination).toBe(model.arn('ApiWafLogs'));
  expect(model.ref('ApiWafLogs')).toMatch(/^aws-waf-logs-/);
});
