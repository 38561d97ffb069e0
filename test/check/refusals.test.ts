import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { checkPaths, exitCodeOf } from '../../lib/check/check';
import { Report } from '../../lib/report/finding';
import { writeReport, REPORT_FORMATS } from '../../lib/report/writers';

// Templates a security team is handed: nested stacks, SAM, a condition around a whole Properties
// block, AWS::Include. Each used to pass silently or fail with `Unexpected IResolvable`.
const cwd = join(__dirname, '..', '..');
const corpus = 'test/fixtures/corpus';
const TODAY = '2026-06-01';

function check(file: string, packs = ['MLOps']): Report {
  return checkPaths([`${corpus}/${file}`], { cwd, packs, today: TODAY });
}

function at(report: Report): string[] {
  return report.findings.map((f) => `${f.ruleId} @ ${f.templatePath}#${f.logicalId}`);
}

describe('nested stacks (AWS::CloudFormation::Stack with a local TemplateURL)', () => {
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudformation-stack.html
  test('a local child is checked and its findings name the child file', () => {
    const report = check('nested-parent.yaml');
    expect(at(report)).toContain(
      `MLOps-SageMakerModelNetworkIsolation @ ${corpus}/nested/serving-child.yaml#ChildModel`,
    );
    expect(report.inputs).toEqual([`${corpus}/nested-parent.yaml`, `${corpus}/nested/serving-child.yaml`]);
  });

  test('a local child that cannot be read is an input error naming the parent resource; exit 2', () => {
    const report = check('nested-parent.yaml');
    expect(report.errors).toEqual([
      {
        input: `${corpus}/nested/monitoring-child-that-was-never-written.yaml`,
        message: expect.stringMatching(
          /^nested stack MonitoringStack of test\/fixtures\/corpus\/nested-parent\.yaml \(line 10\): no such file/,
        ),
      },
    ]);
    expect(exitCodeOf(report, 'error')).toBe(2);
  });

  test('a remote child is listed as not checked, with how to check it', () => {
    const report = check('nested-parent.yaml');
    expect(report.notChecked).toEqual([
      expect.objectContaining({
        templatePath: `${corpus}/nested-parent.yaml`,
        logicalId: 'SharedStack',
        resourceType: 'AWS::CloudFormation::Stack',
        line: 14,
        column: 3,
        reason: expect.stringContaining('https://s3.eu-west-1.amazonaws.com/shared-templates/network.yaml'),
      }),
    ]);
  });
});

describe('SAM nested applications (AWS::Serverless::Application with a local Location)', () => {
  // https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-sam-template-nested-applications.html
  test('the local child is checked like a nested stack and the application is not listed as not checked', () => {
    const report = check('sam-nested-local.yaml');
    expect(at(report)).toContain(
      `MLOps-SageMakerEndpointConfigInstanceCount @ ${corpus}/nested/sam-inference-app.yaml#EndpointConfig`,
    );
    expect(report.notChecked).toEqual([]);
    expect(report.errors).toEqual([]);
  });
});

describe('SAM (Transform: AWS::Serverless-2016-10-31)', () => {
  test('each AWS::Serverless::* resource is reported as not checked, naming the transform and how to get the processed template', () => {
    const report = check('sam-inference-function.yaml');
    expect(report.notChecked?.map((n) => `${n.logicalId} ${n.resourceType} line ${n.line}`)).toEqual([
      'InvokeFunction AWS::Serverless::Function line 5',
      'ResultsTable AWS::Serverless::SimpleTable line 16',
    ]);
    const reason = report.notChecked![0].reason;
    expect(reason).toContain('AWS::Serverless-2016-10-31');
    expect(reason).toContain('sam validate --debug');
    expect(reason).toContain('--template-stage Processed');
    // The plain CloudFormation resources of the same template are still checked.
    expect(report.inputs).toEqual([`${corpus}/sam-inference-function.yaml`]);
    expect(report.errors).toEqual([]);
  });

  test.each(REPORT_FORMATS)('the %s report shows each not-checked SAM resource', (format) => {
    const text = writeReport(check('sam-inference-function.yaml'), format);
    expect(text).toContain('InvokeFunction');
    expect(text).toContain('ResultsTable');
    expect(text).toMatch(/not checked/i);
    expect(text).toContain('AWS::Serverless-2016-10-31');
  });
});

describe('a whole Properties block that is an Fn::If', () => {
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-conditions.html
  test('each branch is checked; a finding of one branch names the condition and the branch', () => {
    const report = check('if-whole-properties.yaml');
    expect(report.errors).toEqual([]);
    const isolation = report.findings.filter((f) => f.ruleId === 'MLOps-SageMakerModelNetworkIsolation');
    expect(isolation.map((f) => f.logicalId)).toEqual(['Model']);
    expect(isolation[0].message).toContain('when condition IsProd is false');
  });
});

describe('a whole Properties block that is another intrinsic', () => {
  test('is refused naming the resource, line and reason, not `Unexpected IResolvable`', () => {
    const dir = mkdtempSync(join(tmpdir(), 'check-whole-props-'));
    try {
      writeFileSync(
        join(dir, 'mapped.yaml'),
        'Mappings:\n  Props:\n    eu-west-1: { BucketName: a }\nResources:\n  Logs:\n    Type: AWS::S3::Bucket\n  Data:\n    Type: AWS::S3::Bucket\n    Properties: !FindInMap [Props, !Ref AWS::Region]\n',
      );
      const report = checkPaths(['mapped.yaml'], { cwd: dir, packs: ['MLOps'], today: TODAY });
      expect(report.errors).toEqual([
        {
          input: 'mapped.yaml',
          message: expect.stringMatching(
            /^resource Data \(line 7\): its whole Properties is Fn::FindInMap, which the checker cannot evaluate/,
          ),
        },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('AWS::Include', () => {
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/transform-aws-include.html
  test('a snippet at a local relative Location is inserted and checked', () => {
    const report = check('include-local.yaml');
    expect(report.errors).toEqual([]);
    expect(at(report)).toContain(`MLOps-SageMakerModelNetworkIsolation @ ${corpus}/include-local.yaml#Model`);
  });

  test('a snippet in S3 is refused naming the resource, line and reason, not `Unexpected IResolvable`', () => {
    const report = check('include-s3.yaml');
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0].message).not.toContain('IResolvable');
    expect(report.errors[0].message).toMatch(
      /^resource Model \(line 6\): Properties is an AWS::Include of s3:\/\/shared-snippets\/model-properties\.yaml/,
    );
    expect(report.errors[0].message).toContain('--template-stage Processed');
    expect(exitCodeOf(report, 'error')).toBe(2);
  });
});

describe('Fn::ForEach (AWS::LanguageExtensions)', () => {
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-foreach.html
  test('a loop over a literal list is expanded: each copy is checked, located at the loop', () => {
    const report = check('foreach-models.yaml');
    expect(report.errors).toEqual([]);
    const isolation = report.findings.filter((f) => f.ruleId === 'MLOps-SageMakerModelNetworkIsolation');
    expect(isolation.map((f) => f.logicalId)).toEqual(['ModelAcme', 'ModelGlobex']);
    expect(isolation.map((f) => f.templateLine)).toEqual([5, 5]);
  });

  test('a loop over a CommaDelimitedList parameter uses its Default; &{} drops non-alphanumerics from the key', () => {
    const report = check('foreach-parameter.yaml');
    expect(report.errors).toEqual([]);
    const kms = report.findings.filter((f) => f.ruleId === 'MLOps-SageMakerFeatureGroupOnlineStoreKMS');
    expect(kms.map((f) => f.logicalId)).toEqual(['Featurescustomers', 'Featuresorders']);
  });

  test('a loop whose values are known only at deploy time is refused naming the loop, line and parameter', () => {
    const report = check('foreach-no-default.yaml');
    expect(report.errors).toEqual([
      {
        input: `${corpus}/foreach-no-default.yaml`,
        message: expect.stringMatching(
          /^Fn::ForEach::TenantModels \(line 8\): its collection is the parameter Tenants, which has no Default/,
        ),
      },
    ]);
  });
});
