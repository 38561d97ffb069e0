import { describe, expect, it } from 'vitest';
import { facetName, parseQualityFacets, QualityJoin } from '../../lib/model-quality';
import { groundTruthLine } from './records';

// Post-training metrics as Clarify defines them, computed by hand below:
// https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-post-training-bias-metric-dppl.html
// https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-post-training-bias-metric-di.html
// https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-post-training-bias-metric-rd.html
// https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-post-training-bias-metric-ad.html

/** A capture event whose request is `input` (JSON object or CSV row) and output a score. */
function capture(id: string, input: string, score: number, json = true): string {
  return JSON.stringify({
    captureData: {
      endpointInput: {
        observedContentType: json ? 'application/json' : 'text/csv',
        mode: 'INPUT',
        data: input,
        encoding: json ? 'JSON' : 'CSV',
      },
      endpointOutput: {
        observedContentType: 'text/csv',
        mode: 'OUTPUT',
        data: String(score),
        encoding: 'CSV',
      },
    },
    eventMetadata: { eventId: `e-${id}`, inferenceId: id },
    eventVersion: '0',
  });
}

/** gender, region, predicted positive, labelled positive. */
const EIGHT: readonly [string, string, 0 | 1, 0 | 1][] = [
  ['female', 'north', 1, 1],
  ['female', 'north', 1, 0],
  ['female', 'south', 0, 0],
  ['female', 'south', 0, 1],
  ['male', 'north', 1, 1],
  ['male', 'north', 1, 1],
  ['male', 'south', 1, 0],
  ['male', 'south', 0, 0],
];

function value(metrics: readonly { metric: string; value: number | null }[], m: string): number | null {
  const found = metrics.find((x) => x.metric === m);
  if (!found) throw new Error(`no ${m}`);
  return found.value;
}

describe('post-training fairness over joined pairs', () => {
  it('computes DPPL, DI, RD and AD of a facet read from JSON requests, by hand', () => {
    const join = new QualityJoin(
      { problemType: 'binaryClassification' },
      { fairness: { facets: ['gender=female'], group: 'region' } },
    );
    EIGHT.forEach(([, , , y], i) => join.addGroundTruthLine(groundTruthLine(`p${i}`, String(y))));
    EIGHT.forEach(([g, r, p], i) =>
      join.addCaptureLine(
        capture(`p${i}`, JSON.stringify({ gender: g, region: r, tenure: 3 }), p ? 0.9 : 0.1),
      ),
    );
    const [f] = join.report().fairness;
    expect(f).toMatchObject({ facet: 'gender=female', column: 'gender', rows: { a: 4, d: 4 }, excluded: 0 });
    // d (female): TP 1, FP 1, TN 1, FN 1 → q'd = 2/4; a (male): TP 2, FP 1, TN 1 → q'a = 3/4.
    expect(value(f.metrics, 'DPPL')).toBe(0.25); // q'a − q'd
    expect(value(f.metrics, 'DI')).toBeCloseTo(2 / 3, 12); // q'd / q'a
    expect(value(f.metrics, 'RD')).toBe(0.5); // recall a 2/2 − recall d 1/2
    expect(value(f.metrics, 'AD')).toBe(0.25); // accuracy a 3/4 − accuracy d 2/4
    // CDDPL over region: north has no predicted rejection (DD undefined, left out), so only south
    // counts: rejections female 2 + male 1, acceptances male 1; DD = nd(0)/n(0) − nd(1)/n(1) = 2/3 − 0/1.
    expect(value(f.metrics, 'CDDPL')).toBeCloseTo(2 / 3, 12);
  });

  it('reads a facet from a CSV request by requestColumns, else from the ground-truth record', () => {
    const join = new QualityJoin(
      { problemType: 'binaryClassification' },
      { fairness: { facets: ['age:>=40', 'gender=female'], requestColumns: ['age', 'tenure'] } },
    );
    const labelWithGender = (id: string, y: number, gender: string): string =>
      JSON.stringify({
        groundTruthData: { data: JSON.stringify({ label: y, gender }), encoding: 'JSON' },
        eventMetadata: { eventId: id },
        eventVersion: '0',
      });
    join.addGroundTruthLine(labelWithGender('x', 1, 'female'));
    join.addGroundTruthLine(labelWithGender('y', 0, 'male'));
    join.addGroundTruthLine(groundTruthLine('z', '1')); // no gender: excluded from that facet only
    join.addCaptureLine(capture('x', '45,12', 0.9, false));
    join.addCaptureLine(capture('y', '30,2', 0.2, false));
    join.addCaptureLine(capture('z', ',7', 0.8, false)); // no age either
    const [age, gender] = join.report().fairness;
    expect(age).toMatchObject({ facet: 'age:>=40', rows: { a: 1, d: 1 }, excluded: 1 });
    expect(gender).toMatchObject({ facet: 'gender=female', rows: { a: 1, d: 1 }, excluded: 1 });
    // Each facet: d predicted positive (1/1), a negative (0/1): DPPL = 0 − 1; DI undefined (q'a = 0).
    expect(value(age.metrics, 'DPPL')).toBe(-1);
    expect(value(age.metrics, 'DI')).toBeNull();
  });

  it('computes nothing for a regression or multiclass join, and refuses facets without a group or twice', () => {
    const join = new QualityJoin({ problemType: 'regression' }, { fairness: { facets: ['gender=f'] } });
    expect(join.report().fairness).toEqual([]);
    expect(() => parseQualityFacets(['gender'])).toThrow(/names no sensitive group/);
    expect(() => parseQualityFacets(['gender=f', 'gender=m'])).toThrow(/given twice/);
    expect(facetName(' age:>=40.0')).toBe('age:>=40');
  });
});
