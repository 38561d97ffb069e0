import { CsvSyntaxError, parseCsv } from '../drift/csv';

/**
 * Reading the two sides of the join: SageMaker data capture events (the prediction in
 * `captureData.endpointOutput`, the id in `eventMetadata`) and ground-truth records in the format
 * SageMaker Model Monitor merges with captures:
 *
 * ```json
 * {"groundTruthData": {"data": "1", "encoding": "CSV"}, "eventMetadata": {"eventId": "<id>"}, "eventVersion": "0"}
 * ```
 *
 * `eventMetadata.eventId` holds the capture's `inferenceId` (the id the caller passed to
 * InvokeEndpoint, our API's request id) or, for captures without one, the capture's `eventId`,
 * the same precedence Model Monitor uses.
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-model-quality-merge.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-data-capture-endpoint.html
 */

/**
 * The kind of model the monitor evaluates: a binary classifier (a score or a label), a multiclass
 * classifier (the predicted label) or a regression model (a number).
 */
export type ProblemType = 'binaryClassification' | 'multiclassClassification' | 'regression';

/** How the monitor reads predictions and labels. */
export interface QualitySpec {
  readonly problemType: ProblemType;
  /**
   * The ground-truth (and predicted) label that counts as positive, compared as text (`1`, `true`,
   * `churned`). Binary classification only.
   * @default '1'
   */
  readonly positiveLabel?: string;
  /**
   * What the model returns for a binary classifier: `probability`, the score of the positive label
   * in [0, 1] (predicted positive at or above `probabilityThreshold`; AUC is computed), or `label`,
   * the predicted label itself (no AUC).
   * @default 'probability'
   */
  readonly classificationOutput?: 'probability' | 'label';
  /**
   * Score at or above which a prediction is positive (`classificationOutput: 'probability'`).
   * @default 0.5
   */
  readonly probabilityThreshold?: number;
  /**
   * Fields of a JSON ground-truth record (`groundTruthData` holding an object, e.g.
   * `{"label": 1, "gender": "female"}`) kept with the label: the facets the fairness metrics read
   * when the request does not carry them.
   * @default - none
   */
  readonly groundTruthAttributes?: readonly string[];
}

/** Why a capture event or a ground-truth record was not used. */
export const QUALITY_REJECT_REASONS = [
  /** The line is not JSON (a truncated or corrupt object). */
  'invalidJson',
  /** JSON, but neither a capture event nor a ground-truth record. */
  'notRecord',
  /** No `eventMetadata.inferenceId` / `eventId` to join on. */
  'missingId',
  /** A capture event without `captureData.endpointOutput.data` (input-only capture). */
  'missingOutput',
  /** An encoding other than CSV, JSON or BASE64, or a content type that is neither CSV nor JSON. */
  'unsupportedEncoding',
  /** A payload that does not parse, or holds no single prediction or label. */
  'invalidPayload',
  /** A probability outside [0, 1], a regression value that is not a finite number. */
  'invalidValue',
  /** A multiclass pair whose label would exceed the distinct classes the join keeps. */
  'tooManyClasses',
] as const;

/** One of {@link QUALITY_REJECT_REASONS}. */
export type QualityRejectReason = (typeof QUALITY_REJECT_REASONS)[number];

/** A prediction read from a capture event. */
export interface Prediction {
  /** The join id: `inferenceId`, else `eventId`. */
  readonly id: string;
  /** Regression: the predicted value; classification with probabilities: the score. */
  readonly value?: number;
  /** Classification with labels: the predicted label as text. */
  readonly label?: string;
  /** The whole capture event, for extensions that need the input (facets, features). */
  readonly event: CaptureEvent;
}

/** The parts of a capture event the monitor reads. */
export interface CaptureEvent {
  readonly captureData: {
    readonly endpointInput?: Payload;
    readonly endpointOutput?: Payload;
  };
  readonly eventMetadata?: { readonly eventId?: string; readonly inferenceId?: string };
}

/** An `endpointInput`/`endpointOutput` or a `groundTruthData`. */
export interface Payload {
  readonly data?: unknown;
  readonly encoding?: unknown;
  readonly observedContentType?: unknown;
}

/** A ground-truth record. */
export interface GroundTruth {
  readonly id: string;
  /** The label: text for classification, a number for regression. */
  readonly label: string | number;
  /** The {@link QualitySpec.groundTruthAttributes} the record has. */
  readonly attributes?: Readonly<Record<string, unknown>>;
}

/** A parse result: a value or the reason it was rejected. */
export type Parsed<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: QualityRejectReason };

const reject = (reason: QualityRejectReason): { ok: false; reason: QualityRejectReason } => ({
  ok: false,
  reason,
});

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The payload's text and whether it is CSV or JSON: `encoding` CSV or JSON says so; BASE64 is
 * decoded and the content type decides; without encoding the content type decides.
 */
function decode(p: Payload): Parsed<{ kind: 'csv' | 'json'; text: string }> {
  if (typeof p.data !== 'string') return reject('invalidPayload');
  const ct = typeof p.observedContentType === 'string' ? p.observedContentType.toLowerCase() : '';
  const byType: 'csv' | 'json' | undefined = ct.includes('csv')
    ? 'csv'
    : ct.includes('json')
      ? 'json'
      : undefined;
  const encoding = typeof p.encoding === 'string' ? p.encoding.toUpperCase() : undefined;
  if (encoding === 'CSV') return { ok: true, value: { kind: 'csv', text: p.data } };
  if (encoding === 'JSON') return { ok: true, value: { kind: 'json', text: p.data } };
  if (!byType || (encoding !== undefined && encoding !== 'BASE64')) return reject('unsupportedEncoding');
  const text = encoding === 'BASE64' ? Buffer.from(p.data, 'base64').toString('utf8') : p.data;
  return { ok: true, value: { kind: byType, text } };
}

/**
 * The fields of a payload: a JSON object's members, or a one-row CSV's cells named by `columns`
 * (SageMaker CSV requests have no header). `undefined` when the payload is neither.
 */
export function payloadRecord(
  p: Payload | undefined,
  columns: readonly string[] = [],
): Readonly<Record<string, unknown>> | undefined {
  if (p === undefined) return undefined;
  const d = decode(p);
  if (!d.ok) return undefined;
  if (d.value.kind === 'json') {
    let v: unknown;
    try {
      v = JSON.parse(d.value.text);
    } catch {
      return undefined;
    }
    return isObject(v) ? v : undefined;
  }
  let rows: string[][];
  try {
    rows = parseCsv(d.value.text);
  } catch (e) {
    if (e instanceof CsvSyntaxError) return undefined;
    throw e;
  }
  if (rows.length !== 1) return undefined;
  const out: Record<string, string> = {};
  for (let i = 0; i < columns.length && i < rows[0].length; i++) out[columns[i]] = rows[0][i];
  return out;
}

/** The single value of a CSV or JSON payload (first cell of a one-row CSV; see {@link jsonValue}). */
function payloadValue(
  p: Payload,
  scoreKeys: readonly string[],
  labelKeys: readonly string[],
): Parsed<unknown> {
  const d = decode(p);
  if (!d.ok) return d;
  if (d.value.kind === 'csv') {
    let rows: string[][];
    try {
      rows = parseCsv(d.value.text);
    } catch (e) {
      if (e instanceof CsvSyntaxError) return reject('invalidPayload');
      throw e;
    }
    if (rows.length !== 1 || rows[0].length === 0) return reject('invalidPayload');
    return { ok: true, value: rows[0][0].trim() };
  }
  let v: unknown;
  try {
    v = JSON.parse(d.value.text);
  } catch {
    return reject('invalidPayload');
  }
  const out = jsonValue(v, scoreKeys, labelKeys);
  return out === undefined ? reject('invalidPayload') : { ok: true, value: out };
}

/**
 * A scalar out of a JSON prediction or label: the scalar itself; the only item of an array;
 * `predictions[0]` (the TensorFlow Serving / SageMaker JSON shape); or the first of `keys` an
 * object has (`score`, `probability` for scores, `predicted_label`, `label` for labels).
 */
function jsonValue(v: unknown, scoreKeys: readonly string[], labelKeys: readonly string[]): unknown {
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.length === 1 ? jsonValue(v[0], scoreKeys, labelKeys) : undefined;
  if (!isObject(v)) return undefined;
  if ('predictions' in v) return jsonValue(v.predictions, scoreKeys, labelKeys);
  for (const k of [...scoreKeys, ...labelKeys]) if (k in v) return jsonValue(v[k], scoreKeys, labelKeys);
  return undefined;
}

const SCORE_KEYS = ['score', 'probability'];
const LABEL_KEYS = ['predicted_label', 'label'];

/** A label as the text it is compared as (`1`, `true`, `churned`). */
function labelText(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function numberOf(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** Reads one data capture event's prediction and id. Never throws: bad input is a rejection. */
export function parsePrediction(event: unknown, spec: QualitySpec): Parsed<Prediction> {
  if (!isObject(event) || !isObject(event.captureData)) return reject('notRecord');
  const md = isObject(event.eventMetadata) ? event.eventMetadata : undefined;
  const id =
    typeof md?.inferenceId === 'string' && md.inferenceId !== ''
      ? md.inferenceId
      : typeof md?.eventId === 'string' && md.eventId !== ''
        ? md.eventId
        : undefined;
  if (id === undefined) return reject('missingId');
  const output = event.captureData.endpointOutput;
  if (!isObject(output) || typeof output.data !== 'string') return reject('missingOutput');
  // A multiclass model returns its predicted label; a binary one a label only when told so.
  const labels =
    spec.problemType === 'multiclassClassification' ||
    (spec.problemType === 'binaryClassification' && spec.classificationOutput === 'label');
  const v = payloadValue(output, labels ? [] : SCORE_KEYS, labels ? LABEL_KEYS : []);
  if (!v.ok) return v;
  const input = event.captureData.endpointInput;
  const ev: CaptureEvent = {
    captureData: { endpointInput: isObject(input) ? input : undefined, endpointOutput: output },
    eventMetadata: {
      eventId: typeof md?.eventId === 'string' ? md.eventId : undefined,
      inferenceId: typeof md?.inferenceId === 'string' ? md.inferenceId : undefined,
    },
  };
  if (labels) {
    const label = labelText(v.value);
    return label === undefined ? reject('invalidValue') : { ok: true, value: { id, label, event: ev } };
  }
  const n = numberOf(v.value);
  if (n === undefined) return reject('invalidValue');
  if (spec.problemType === 'binaryClassification' && (n < 0 || n > 1)) return reject('invalidValue');
  return { ok: true, value: { id, value: n, event: ev } };
}

/** Reads one ground-truth record. Never throws: bad input is a rejection. */
export function parseGroundTruth(record: unknown, spec: QualitySpec): Parsed<GroundTruth> {
  if (!isObject(record) || !isObject(record.groundTruthData)) return reject('notRecord');
  const md = isObject(record.eventMetadata) ? record.eventMetadata : undefined;
  // eventId per the merge format; inferenceId accepted too, for records written by hand.
  const id =
    typeof md?.eventId === 'string' && md.eventId !== ''
      ? md.eventId
      : typeof md?.inferenceId === 'string' && md.inferenceId !== ''
        ? md.inferenceId
        : undefined;
  if (id === undefined) return reject('missingId');
  const gt = record.groundTruthData;
  // A CSV label without a content type is the documented example ({"data": "1", "encoding": "CSV"}).
  const v = payloadValue(gt, [], LABEL_KEYS);
  if (!v.ok) return v;
  if (spec.problemType === 'regression') {
    const n = numberOf(v.value);
    return n === undefined ? reject('invalidValue') : { ok: true, value: { id, label: n } };
  }
  const label = labelText(v.value);
  if (label === undefined || label === '') return reject('invalidValue');
  const wanted = spec.groundTruthAttributes ?? [];
  if (wanted.length === 0) return { ok: true, value: { id, label } };
  // Only the named fields are kept: a held label costs the same whatever else the record carries.
  const fields = payloadRecord(gt);
  const attributes: Record<string, unknown> = {};
  for (const k of wanted) if (fields && k in fields) attributes[k] = fields[k];
  return { ok: true, value: { id, label, attributes } };
}
