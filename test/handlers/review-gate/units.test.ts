import { describe, expect, it } from 'vitest';
import { REVIEW_KEYS } from '../../../lib/handlers/review-gate/contract';
import {
  checkReviewRecord,
  parseEvent,
  parseConfig,
  revertDescription,
} from '../../../lib/handlers/review-gate';

const reports = { bucket: 'datasets', prefix: 'bias-reports/churn/' };
const now = new Date('2026-12-01T10:00:00Z');
const createdAt = new Date('2026-12-01T08:00:00Z');
const valid = {
  [REVIEW_KEYS.reviewer]: 'alice',
  [REVIEW_KEYS.reviewedAt]: '2026-12-01T09:00:00Z',
  [REVIEW_KEYS.biasReport]: 's3://datasets/bias-reports/churn/3.json',
};

describe('checkReviewRecord', () => {
  it('accepts a complete record and returns the report key', () => {
    expect(checkReviewRecord(valid, { reports, createdAt, now })).toEqual({
      ok: true,
      reviewer: 'alice',
      reportKey: 'bias-reports/churn/3.json',
    });
  });

  it('lists every missing field at once', () => {
    const r = checkReviewRecord(undefined, { reports, createdAt, now });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems).toEqual([
      'review:reviewer is missing',
      'review:reviewed-at is missing',
      'review:bias-report is missing',
    ]);
  });

  it.each([
    ['not a time', 'yesterday', 'is not an ISO 8601 UTC time'],
    ['a local time without Z', '2026-12-01T09:00:00', 'is not an ISO 8601 UTC time'],
    ['an impossible date', '2026-13-45T09:00:00Z', 'is not an ISO 8601 UTC time'],
    [
      'before the version existed (a review of another version)',
      '2026-12-01T07:59:59Z',
      'is before the version was registered',
    ],
    ['in the future beyond clock skew', '2026-12-01T10:06:00Z', 'is in the future'],
  ])('rejects a review time that is %s', (_what, value, problem) => {
    const r = checkReviewRecord({ ...valid, [REVIEW_KEYS.reviewedAt]: value }, { reports, createdAt, now });
    expect(!r.ok && r.problems.join()).toContain(problem);
  });

  it('accepts a review dated within the clock skew', () => {
    const r = checkReviewRecord(
      { ...valid, [REVIEW_KEYS.reviewedAt]: '2026-12-01T10:04:00Z' },
      { reports, createdAt, now },
    );
    expect(r.ok).toBe(true);
  });

  it.each([
    ['another bucket', 's3://other/bias-reports/churn/3.json'],
    ['another prefix', 's3://datasets/bias-reports/fraud/3.json'],
    ['a prefix-sharing sibling', 's3://datasets/bias-reports/churnx/3.json'],
    ['the prefix itself', 's3://datasets/bias-reports/churn/'],
    ['a folder', 's3://datasets/bias-reports/churn/v3/'],
    ['a relative escape', 's3://datasets/bias-reports/churn/../fraud/3.json'],
    ['not an S3 URI', 'https://datasets.s3.amazonaws.com/bias-reports/churn/3.json'],
  ])('rejects a bias report in %s', (_what, uri) => {
    const r = checkReviewRecord({ ...valid, [REVIEW_KEYS.biasReport]: uri }, { reports, createdAt, now });
    expect(r.ok).toBe(false);
  });

  it('rejects a blank reviewer', () => {
    const r = checkReviewRecord({ ...valid, [REVIEW_KEYS.reviewer]: '  ' }, { reports, createdAt, now });
    expect(!r.ok && r.problems).toEqual(['review:reviewer is missing']);
  });
});

describe('revertDescription', () => {
  // ApprovalDescription: maximum length 1024.
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UpdateModelPackage.html
  it('fits UpdateModelPackage ApprovalDescription (at most 1024 characters) however many problems', () => {
    const long = revertDescription(Array.from({ length: 50 }, (_, i) => `problem ${i} ${'x'.repeat(60)}`));
    expect(long.length).toBeLessThanOrEqual(1024);
    expect(revertDescription(['review:reviewer is missing'])).toMatch(
      /^review gate: .*review:reviewer is missing/,
    );
  });
});

describe('parseEvent', () => {
  it('reads the fields of a model package state change', () => {
    const arn = 'arn:aws:sagemaker:eu-west-1:111111111111:model-package/churn-model/12';
    expect(
      parseEvent({
        source: 'aws.sagemaker',
        'detail-type': 'SageMaker Model Package State Change',
        detail: {
          ModelPackageArn: arn,
          ModelPackageGroupName: 'churn-model',
          ModelApprovalStatus: 'Approved',
        },
      }),
    ).toEqual({
      kind: 'change',
      change: { modelPackageArn: arn, modelPackageGroupName: 'churn-model', modelApprovalStatus: 'Approved' },
    });
  });

  it('calls an unversioned package ARN malformed (only group versions are gated)', () => {
    const r = parseEvent({
      source: 'aws.sagemaker',
      'detail-type': 'SageMaker Model Package State Change',
      detail: {
        ModelPackageArn: 'arn:aws:sagemaker:eu-west-1:111111111111:model-package/standalone',
        ModelPackageGroupName: 'churn-model',
        ModelApprovalStatus: 'Approved',
      },
    });
    expect(r.kind).toBe('malformed');
  });
});

describe('parseConfig', () => {
  it('refuses a reports prefix that does not end in /', () => {
    expect(() =>
      parseConfig({
        REVIEW_GATE_GROUP_NAME: 'g',
        REVIEW_GATE_REPORTS_BUCKET: 'b',
        REVIEW_GATE_REPORTS_PREFIX: 'x',
      }),
    ).toThrow(/REVIEW_GATE_REPORTS_PREFIX: is not a key prefix/);
  });
});
