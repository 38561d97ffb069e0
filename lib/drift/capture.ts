import { CsvSyntaxError, parseCsv } from './csv';
import type { RawCell } from './values';

/**
 * Why a capture line or row was not used. Line-level reasons count lines; `wrongColumnCount` and
 * `unknownFeatures` count rows inside a payload (one request may carry several rows).
 */
export const CAPTURE_REJECT_REASONS = [
  /** The line ends mid-JSON (a partially written or cut object). */
  'truncatedLine',
  /** The line is not JSON. */
  'invalidJson',
  /** JSON, but not a data capture event (no `captureData`). */
  'notCaptureRecord',
  /** A capture event without `captureData.endpointInput.data` (output-only capture). */
  'missingInput',
  /** `encoding` other than CSV, JSON or BASE64. */
  'unsupportedEncoding',
  /** A content type that is neither CSV nor JSON / JSON lines (images, NumPy, protobuf, ...). */
  'unsupportedContentType',
  /** `encoding: BASE64` with text that is not base64. */
  'invalidBase64',
  /** The payload does not parse as its content type, or has a shape we do not read. */
  'invalidPayload',
  /** A CSV or array row whose length differs from the baseline's feature count. */
  'wrongColumnCount',
  /** A JSON object row that lacks baseline features and has keys the baseline does not know. */
  'unknownFeatures',
] as const;

/** One of {@link CAPTURE_REJECT_REASONS}. */
export type CaptureRejectReason = (typeof CAPTURE_REJECT_REASONS)[number];

/** Counters of one parse, JSON-serializable for reports. */
export interface CaptureParseStats {
  /** Lines read, blank ones included. */
  lines: number;
  /** Blank lines (skipped, not rejections). */
  blankLines: number;
  /** Capture events whose input payload was read. */
  records: number;
  /** Feature rows produced (a payload may hold several). */
  rows: number;
  /** Rejections per reason (all reasons present, 0 when none). */
  rejected: Record<CaptureRejectReason, number>;
  /** For `wrongColumnCount`: how many rows had each column count, e.g. `{ "7": 12 }`. */
  wrongColumnCounts: Record<string, number>;
}

/** Correlation data of the capture event a row came from. */
export interface CaptureEventMeta {
  /** `eventMetadata.eventId`. */
  readonly eventId?: string;
  /** `eventMetadata.inferenceId` (set by the caller's InferenceId, our request id). */
  readonly inferenceId?: string;
  /** `eventMetadata.inferenceTime`. */
  readonly inferenceTime?: string;
  /** The request's custom attributes when the capture holds them (`eventMetadata.customAttributes`). */
  readonly customAttributes?: string;
}

/** Receives each parsed row, values in the baseline's feature order (`null` for absent JSON keys). */
export type CaptureRowSink = (values: readonly RawCell[], meta: CaptureEventMeta) => void;

/** What the parser needs from a baseline: the feature order and the target to ignore in JSON rows. */
export interface CaptureSchema {
  readonly features: readonly { readonly name: string }[];
  readonly target?: string;
}

const NO_META: CaptureEventMeta = Object.freeze({});

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

type PayloadKind = 'csv' | 'json' | 'jsonl' | undefined;

function kindOfContentType(contentType: unknown): PayloadKind {
  if (typeof contentType !== 'string') return undefined;
  const semi = contentType.indexOf(';');
  const base = (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  switch (base) {
    case 'text/csv':
    case 'application/csv':
    case 'text/x-csv':
      return 'csv';
    case 'application/json':
    case 'text/json':
      return 'json';
    case 'application/jsonlines':
    case 'application/x-jsonlines':
    case 'application/jsonl':
    case 'application/x-ndjson':
    case 'application/ndjson':
      return 'jsonl';
    default:
      return undefined;
  }
}

/**
 * Parses SageMaker data capture JSON lines into feature rows, tolerating bad input: every line is
 * either used or counted under one {@link CaptureRejectReason}; nothing throws.
 *
 * Payload reading: `encoding: "CSV"` means `data` is CSV text, `"JSON"` JSON text (JSON lines when
 * the content type says so), `"BASE64"` base64 of a payload read by `observedContentType`; without
 * `encoding`, the content type decides. CSV rows have no header and map positionally to the
 * baseline's features (target excluded), several rows per payload allowed. JSON payloads may be:
 * an object keyed by feature name; `{"instances": [...]}` whose items are objects, arrays or
 * `{"features": [...]}`; `{"features": [...]}`; an array of values (one row); an array of arrays or
 * of objects (several rows). JSON lines payloads: one of those per line.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-data-capture-endpoint.html
 */
export class CaptureParser {
  /** Counters so far. */
  readonly stats: CaptureParseStats;
  private readonly width: number;
  private readonly index: ReadonlyMap<string, number>;
  private readonly target: string | undefined;

  private readonly withMeta: boolean;
  private lastContentType: unknown = undefined;
  private lastKind: PayloadKind = undefined;

  /**
   * @param schema the baseline's features (and target)
   * @param options `withMeta: false` skips building the correlation object per event (the sink then
   *   receives an empty one), which the accumulator does when nobody listens
   * @default options.withMeta true
   */
  constructor(schema: CaptureSchema, options: { readonly withMeta?: boolean } = {}) {
    this.withMeta = options.withMeta ?? true;
    this.width = schema.features.length;
    this.index = new Map(schema.features.map((f, i) => [f.name, i]));
    this.target = schema.target;
    const rejected = Object.fromEntries(CAPTURE_REJECT_REASONS.map((r) => [r, 0])) as Record<
      CaptureRejectReason,
      number
    >;
    this.stats = { lines: 0, blankLines: 0, records: 0, rows: 0, rejected, wrongColumnCounts: {} };
  }

  /** Rows rejected because they did not fit the baseline schema. */
  get schemaRejections(): number {
    return this.stats.rejected.wrongColumnCount + this.stats.rejected.unknownFeatures;
  }

  /** Total rejections across reasons. */
  get totalRejections(): number {
    let t = 0;
    for (const r of CAPTURE_REJECT_REASONS) t += this.stats.rejected[r];
    return t;
  }

  /** Parses one line of a capture file, calling `sink` per row; returns whether any row came out. */
  parseLine(line: string, sink: CaptureRowSink): boolean {
    this.stats.lines++;
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch (err) {
      if (line.trim() === '') {
        this.stats.blankLines++;
        return false;
      }
      this.reject(isTruncation(err, line) ? 'truncatedLine' : 'invalidJson');
      return false;
    }
    return this.parseEvent(event, sink);
  }

  /** Parses one already-decoded capture event. */
  parseEvent(event: unknown, sink: CaptureRowSink): boolean {
    if (!isObject(event) || !isObject(event.captureData)) {
      this.reject('notCaptureRecord');
      return false;
    }
    const input = event.captureData.endpointInput;
    if (!isObject(input) || typeof input.data !== 'string') {
      this.reject('missingInput');
      return false;
    }
    const md = this.withMeta && isObject(event.eventMetadata) ? event.eventMetadata : undefined;
    const meta: CaptureEventMeta = md ? metaOf(md) : NO_META;
    // Captures of one endpoint repeat one content type: remember the last lookup.
    const contentType = input.observedContentType;
    if (contentType !== this.lastContentType) {
      this.lastContentType = contentType;
      this.lastKind = kindOfContentType(contentType);
    }
    let kind = this.lastKind;
    let data: string = input.data;
    const encoding = typeof input.encoding === 'string' ? input.encoding.toUpperCase() : undefined;
    if (encoding === 'CSV') {
      kind = 'csv';
    } else if (encoding === 'JSON') {
      kind = kind === 'jsonl' ? 'jsonl' : 'json';
    } else if (encoding === 'BASE64') {
      if (!kind) {
        this.reject('unsupportedContentType');
        return false;
      }
      const compact = data.replace(/\s+/g, '');
      if (compact.length % 4 === 1 || !BASE64.test(compact)) {
        this.reject('invalidBase64');
        return false;
      }
      data = Buffer.from(compact, 'base64').toString('utf8');
    } else if (encoding !== undefined) {
      this.reject('unsupportedEncoding');
      return false;
    } else if (!kind) {
      this.reject('unsupportedContentType');
      return false;
    }
    const before = this.stats.rows;
    if (kind === 'csv') {
      if (!this.readCsv(data, meta, sink)) return false;
    } else if (kind === 'jsonl') {
      const lines = data.split('\n');
      const payloads: unknown[] = [];
      for (const l of lines) {
        if (l.trim() === '') continue;
        try {
          payloads.push(JSON.parse(l));
        } catch {
          this.reject('invalidPayload');
          return false;
        }
      }
      for (const p of payloads) if (!this.readJson(p, meta, sink)) return false;
    } else {
      let payload: unknown;
      try {
        payload = JSON.parse(data);
      } catch {
        this.reject('invalidPayload');
        return false;
      }
      if (!this.readJson(payload, meta, sink)) return false;
    }
    this.stats.records++;
    return this.stats.rows > before;
  }

  private readCsv(data: string, meta: CaptureEventMeta, sink: CaptureRowSink): boolean {
    let rows: string[][];
    try {
      rows = parseCsv(data);
    } catch (err) {
      if (err instanceof CsvSyntaxError) {
        this.reject('invalidPayload');
        return false;
      }
      throw err;
    }
    if (rows.length === 0) {
      this.reject('invalidPayload');
      return false;
    }
    for (const row of rows) this.emitPositional(row, meta, sink);
    return true;
  }

  /** Reads one JSON payload; false (and one `invalidPayload`) when its shape is not supported. */
  private readJson(payload: unknown, meta: CaptureEventMeta, sink: CaptureRowSink): boolean {
    if (Array.isArray(payload)) {
      if (payload.length === 0) return this.invalid();
      if (payload.every(Array.isArray)) {
        for (const row of payload as unknown[][]) this.emitPositional(row, meta, sink);
        return true;
      }
      if (payload.every(isObject)) {
        for (const item of payload as Record<string, unknown>[])
          if (!this.readInstance(item, meta, sink)) return false;
        return true;
      }
      if (payload.some((v) => typeof v === 'object' && v !== null)) return this.invalid();
      this.emitPositional(payload, meta, sink);
      return true;
    }
    if (!isObject(payload)) return this.invalid();
    if ('instances' in payload) {
      const instances = payload.instances;
      if (!Array.isArray(instances)) return this.invalid();
      for (const item of instances) {
        if (Array.isArray(item)) this.emitPositional(item, meta, sink);
        else if (isObject(item)) {
          if (!this.readInstance(item, meta, sink)) return false;
        } else return this.invalid();
      }
      return true;
    }
    return this.readInstance(payload, meta, sink);
  }

  private readInstance(item: Record<string, unknown>, meta: CaptureEventMeta, sink: CaptureRowSink): boolean {
    const keys = Object.keys(item);
    if (keys.length === 1 && keys[0] === 'features' && !this.index.has('features')) {
      if (!Array.isArray(item.features)) return this.invalid();
      this.emitPositional(item.features, meta, sink);
      return true;
    }
    this.emitNamed(item, keys, meta, sink);
    return true;
  }

  private invalid(): false {
    this.reject('invalidPayload');
    return false;
  }

  private emitPositional(row: readonly unknown[], meta: CaptureEventMeta, sink: CaptureRowSink): void {
    if (row.length !== this.width) {
      this.reject('wrongColumnCount');
      const k = String(row.length);
      this.stats.wrongColumnCounts[k] = (this.stats.wrongColumnCounts[k] ?? 0) + 1;
      return;
    }
    this.stats.rows++;
    sink(row, meta);
  }

  private emitNamed(
    item: Record<string, unknown>,
    keys: readonly string[],
    meta: CaptureEventMeta,
    sink: CaptureRowSink,
  ): void {
    const values: RawCell[] = new Array<RawCell>(this.width).fill(null);
    let known = 0;
    let unknown = 0;
    for (const k of keys) {
      const i = this.index.get(k);
      if (i === undefined) {
        if (k !== this.target) unknown++;
        continue;
      }
      values[i] = item[k];
      known++;
    }
    // Extra keys next to a full feature set are tolerated (metadata); extra keys with features
    // missing means the payload follows another schema.
    if (unknown > 0 && known < this.width) {
      this.reject('unknownFeatures');
      return;
    }
    this.stats.rows++;
    sink(values, meta);
  }

  private reject(reason: CaptureRejectReason): void {
    this.stats.rejected[reason]++;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function metaOf(md: Record<string, unknown>): CaptureEventMeta {
  const out: { -readonly [K in keyof CaptureEventMeta]: CaptureEventMeta[K] } = {};
  if (typeof md.eventId === 'string') out.eventId = md.eventId;
  if (typeof md.inferenceId === 'string') out.inferenceId = md.inferenceId;
  if (typeof md.inferenceTime === 'string') out.inferenceTime = md.inferenceTime;
  const ca = md.customAttributes;
  if (typeof ca === 'string') out.customAttributes = ca;
  else if (Array.isArray(ca)) out.customAttributes = ca.map(String).join(',');
  return out;
}

/**
 * Whether a JSON.parse failure is a cut-off line rather than garbage: V8 reports "Unexpected end of
 * JSON input", or an error position at the very end of the text ("Unterminated string ... at
 * position N" with N = length).
 */
function isTruncation(err: unknown, line: string): boolean {
  if (!(err instanceof SyntaxError)) return false;
  if (err.message.includes('end of JSON input')) return true;
  const m = /at position (\d+)/.exec(err.message);
  if (m && Number(m[1]) >= line.trimEnd().length) return true;
  // A line that opens an object and never closes it.
  const t = line.trimEnd();
  return t.startsWith('{') && !t.endsWith('}');
}
