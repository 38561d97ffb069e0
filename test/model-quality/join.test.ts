import { describe, expect, it } from 'vitest';
import {
  parseGroundTruth,
  parsePrediction,
  QualityJoin,
  type JoinedPair,
  type JoinedPairMetrics,
} from '../../lib/model-quality';
import { captureLine, groundTruthLine } from './records';

const CLASSIFIER = { problemType: 'binaryClassification' as const };

describe('ground-truth records (https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-model-quality-merge.html)', () => {
  it('reads the documented example record', () => {
    const doc = JSON.parse(
      '{"groundTruthData": {"data": "1", "encoding": "CSV"}, "eventMetadata": {"eventId": "aaaa-bbbb-cccc"}, "eventVersion": "0"}',
    );
    expect(parseGroundTruth(doc, CLASSIFIER)).toEqual({
      ok: true,
      value: { id: 'aaaa-bbbb-cccc', label: '1' },
    });
  });

  it('reads JSON and base64 labels, numbers for regression, and rejects what is not a label', () => {
    expect(parseGroundTruth(JSON.parse(groundTruthLine('a', 'true', 'JSON')), CLASSIFIER)).toMatchObject({
      value: { label: 'true' },
    });
    expect(
      parseGroundTruth(
        {
          groundTruthData: {
            data: Buffer.from('{"label": "churned"}').toString('base64'),
            encoding: 'BASE64',
            observedContentType: 'application/json',
          },
          eventMetadata: { eventId: 'b' },
        },
        CLASSIFIER,
      ),
    ).toMatchObject({ value: { id: 'b', label: 'churned' } });
    expect(
      parseGroundTruth(JSON.parse(groundTruthLine('c', '12.5')), { problemType: 'regression' }),
    ).toMatchObject({
      value: { label: 12.5 },
    });
    expect(parseGroundTruth(JSON.parse(groundTruthLine('d', 'abc')), { problemType: 'regression' })).toEqual({
      ok: false,
      reason: 'invalidValue',
    });
    expect(parseGroundTruth({ groundTruthData: { data: '1', encoding: 'CSV' } }, CLASSIFIER)).toEqual({
      ok: false,
      reason: 'missingId',
    });
    expect(parseGroundTruth({ something: 'else' }, CLASSIFIER)).toEqual({ ok: false, reason: 'notRecord' });
    expect(parseGroundTruth(JSON.parse(groundTruthLine('e', '1', 'PROTOBUF')), CLASSIFIER)).toEqual({
      ok: false,
      reason: 'unsupportedEncoding',
    });
  });
});

describe('predictions from data capture', () => {
  it('joins on inferenceId when the capture has one, else on eventId (Model Monitor precedence)', () => {
    expect(parsePrediction(JSON.parse(captureLine('req-1', '0.8')), CLASSIFIER)).toMatchObject({
      value: { id: 'req-1', value: 0.8 },
    });
    expect(
      parsePrediction(JSON.parse(captureLine(undefined, '0.8', { eventId: 'ev-9' })), CLASSIFIER),
    ).toMatchObject({
      value: { id: 'ev-9' },
    });
  });

  it('reads CSV, JSON scalars, arrays, predictions[0] and score objects', () => {
    const score = (data: string, encoding = 'JSON'): unknown => {
      const r = parsePrediction(
        JSON.parse(captureLine('x', data, { encoding, contentType: 'application/json' })),
        CLASSIFIER,
      );
      return r.ok ? r.value.value : r.reason;
    };
    expect(score('0.25')).toBe(0.25);
    expect(score('[0.25]')).toBe(0.25);
    expect(score('{"predictions": [{"score": 0.25}]}')).toBe(0.25);
    expect(score('{"probability": 0.25, "predicted_label": 0}')).toBe(0.25);
    expect(score(Buffer.from('{"score": 0.25}').toString('base64'), 'BASE64')).toBe(0.25);
    expect(score('[0.25, 0.75]')).toBe('invalidPayload');
    expect(score('1.5')).toBe('invalidValue');
    expect(score('{"nothing": 1}')).toBe('invalidPayload');
    const label = parsePrediction(
      JSON.parse(captureLine('y', '{"predicted_label": "churned"}', { encoding: 'JSON' })),
      {
        ...CLASSIFIER,
        classificationOutput: 'label',
      },
    );
    expect(label).toMatchObject({ value: { label: 'churned' } });
  });

  it('rejects events without output or id', () => {
    const noOutput = { captureData: { endpointInput: { data: '1' } }, eventMetadata: { eventId: 'e' } };
    expect(parsePrediction(noOutput, CLASSIFIER)).toEqual({ ok: false, reason: 'missingOutput' });
    expect(parsePrediction({ captureData: { endpointOutput: { data: '1' } } }, CLASSIFIER)).toEqual({
      ok: false,
      reason: 'missingId',
    });
  });
});

describe('QualityJoin', () => {
  it('joins by id, evaluates each label once, and counts what did not match', async () => {
    const join = new QualityJoin({ ...CLASSIFIER, positiveLabel: '1' });
    await join.addGroundTruth(
      [
        groundTruthLine('a', '1'),
        groundTruthLine('b', '0'),
        groundTruthLine('c', '1'),
        groundTruthLine('orphan', '1'),
        '{"cut',
        '',
      ].join('\n'),
    );
    await join.addCaptures(
      [
        captureLine('a', '0.9'),
        captureLine('b', '0.7'),
        captureLine('c', '0.2'),
        captureLine('a', '0.1'), // a second capture with the same id: the label was used already
        captureLine('unlabelled', '0.5'),
        'not json',
      ].join('\n'),
    );
    const r = join.report();
    expect(r.matched).toBe(3);
    // a: TP, b: FP, c: FN.
    expect(r.metrics).toMatchObject({
      count: 3,
      accuracy: 1 / 3,
      precision: 0.5,
      recall: 0.5,
      confusionMatrix: { truePositives: 1, falsePositives: 1, falseNegatives: 1, trueNegatives: 0 },
    });
    expect(r.groundTruth).toMatchObject({ records: 4, unmatchedLabels: 1, droppedLabels: 0 });
    expect(r.groundTruth.rejected.invalidJson).toBe(1);
    expect(r.captures).toMatchObject({ records: 5, unmatchedPredictions: 2 });
    expect(r.captures.rejected.invalidJson).toBe(1);
  });

  it('caps the labels it holds and reports the dropped count', () => {
    const join = new QualityJoin(CLASSIFIER, { maxPendingLabels: 2 });
    for (const id of ['a', 'b', 'c', 'd']) join.addGroundTruthLine(groundTruthLine(id, '1'));
    join.addGroundTruthLine(groundTruthLine('a', '0')); // a duplicate replaces, it is not dropped
    expect(join.pendingLabels).toBe(2);
    const r = join.report();
    expect(r.groundTruth).toMatchObject({ droppedLabels: 2, duplicates: 1, records: 5 });
    join.addCaptureLine(captureLine('a', '0.1'));
    expect(join.report().metrics).toMatchObject({ confusionMatrix: { trueNegatives: 1 } });
  });

  it('computes regression metrics', () => {
    const join = new QualityJoin({ problemType: 'regression' });
    join.addGroundTruthLine(groundTruthLine('a', '10'));
    join.addGroundTruthLine(groundTruthLine('b', '20'));
    join.addCaptureLine(captureLine('a', '13'));
    join.addCaptureLine(captureLine('b', '16'));
    // Errors 3 and −4: MAE 3.5, RMSE √12.5.
    expect(join.report().metrics).toMatchObject({
      problemType: 'regression',
      mae: 3.5,
      rmse: Math.sqrt(12.5),
    });
  });

  it('joins a multiclass model by its predicted label (CSV or JSON predicted_label), and caps the classes', () => {
    const join = new QualityJoin({ problemType: 'multiclassClassification' }, { maxClasses: 2 });
    for (const [id, y] of [
      ['a', 'cat'],
      ['b', 'dog'],
      ['c', 'dog'],
      ['d', 'fox'],
    ])
      join.addGroundTruthLine(groundTruthLine(id, y));
    join.addCaptureLine(captureLine('a', 'cat'));
    join.addCaptureLine(
      captureLine('b', '{"predicted_label": "cat"}', { encoding: 'JSON', contentType: 'application/json' }),
    );
    join.addCaptureLine(captureLine('c', 'dog'));
    join.addCaptureLine(captureLine('d', 'fox')); // a third class past the cap of two
    const r = join.report();
    expect(r.matched).toBe(3);
    expect(r.captures.rejected.tooManyClasses).toBe(1);
    expect(r.metrics).toMatchObject({ problemType: 'multiclassClassification', count: 3, accuracy: 2 / 3 });
  });

  it('hands every joined pair to the post-training extensions and reports their results', () => {
    const seen: JoinedPair[] = [];
    const ext: JoinedPairMetrics = {
      name: 'pairs',
      add: (p) => seen.push(p),
      result: () => ({ count: seen.length }),
    };
    const join = new QualityJoin(CLASSIFIER, { extensions: [ext] });
    join.addGroundTruthLine(groundTruthLine('a', '1'));
    join.addCaptureLine(captureLine('a', '0.6'));
    join.addCaptureLine(captureLine('z', '0.6'));
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ predictedPositive: true, labelPositive: true, groundTruth: { id: 'a' } });
    // The extension sees the captured input, where facets live.
    expect(seen[0].prediction.event.captureData.endpointInput).toMatchObject({ data: '1,2,3' });
    expect(join.report().extensions).toEqual({ pairs: { count: 1 } });
  });
});
