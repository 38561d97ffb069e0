import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CaptureParser, type CaptureEventMeta } from '../../lib/drift/capture';
import { toLines } from '../../lib/drift/lines';
import type { RawCell } from '../../lib/drift/values';

const SCHEMA = { features: [{ name: 'age' }, { name: 'income' }, { name: 'segment' }], target: 'label' };

function event(
  input: Record<string, unknown> | undefined,
  eventMetadata: Record<string, unknown> = { eventId: 'e1', inferenceTime: '2025-01-01T00:00:00Z' },
): string {
  return JSON.stringify({
    captureData: input === undefined ? {} : { endpointInput: { mode: 'INPUT', ...input } },
    eventMetadata,
    eventVersion: '0',
  });
}

function parse(...lines: string[]): { rows: RawCell[][]; metas: CaptureEventMeta[]; parser: CaptureParser } {
  const parser = new CaptureParser(SCHEMA);
  const rows: RawCell[][] = [];
  const metas: CaptureEventMeta[] = [];
  for (const l of lines)
    parser.parseLine(l, (v, m) => {
      rows.push([...v]);
      metas.push(m);
    });
  return { rows, metas, parser };
}

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

describe('capture encodings', () => {
  it('reads CSV-encoded input, several rows per request, quoted fields', () => {
    const { rows, parser } = parse(
      event({ observedContentType: 'text/csv', data: '41,5000,retail\n38,"6,100",smb', encoding: 'CSV' }),
    );
    expect(rows).toEqual([
      ['41', '5000', 'retail'],
      ['38', '6,100', 'smb'],
    ]);
    expect(parser.stats).toMatchObject({ lines: 1, records: 1, rows: 2 });
  });

  it('reads JSON-encoded objects keyed by feature name, ignoring the target and filling absent keys with null', () => {
    const { rows } = parse(
      event({
        observedContentType: 'application/json',
        data: JSON.stringify({ segment: 'smb', age: 30, label: 1 }),
        encoding: 'JSON',
      }),
    );
    expect(rows).toEqual([[30, null, 'smb']]);
  });

  it('reads every supported JSON shape', () => {
    const shapes: [unknown, RawCell[][]][] = [
      [
        { instances: [{ age: 1, income: 2, segment: 'a' }, [3, 4, 'b'], { features: [5, 6, 'c'] }] },
        [
          [1, 2, 'a'],
          [3, 4, 'b'],
          [5, 6, 'c'],
        ],
      ],
      [{ features: [7, 8, 'd'] }, [[7, 8, 'd']]],
      [[9, 10, 'e'], [[9, 10, 'e']]],
      [
        [
          [1, 1, 'x'],
          [2, 2, 'y'],
        ],
        [
          [1, 1, 'x'],
          [2, 2, 'y'],
        ],
      ],
      [[{ age: 1, income: 1, segment: 'z' }], [[1, 1, 'z']]],
    ];
    for (const [payload, expected] of shapes) {
      expect(
        parse(
          event({ observedContentType: 'application/json', data: JSON.stringify(payload), encoding: 'JSON' }),
        ).rows,
      ).toEqual(expected);
    }
  });

  it('reads JSON lines payloads', () => {
    const data = `${JSON.stringify({ age: 1, income: 2, segment: 'a' })}\n${JSON.stringify([3, 4, 'b'])}\n`;
    expect(
      parse(event({ observedContentType: 'application/jsonlines', data, encoding: 'JSON' })).rows,
    ).toEqual([
      [1, 2, 'a'],
      [3, 4, 'b'],
    ]);
  });

  it('decodes BASE64 payloads by content type (CSV, JSON, JSON lines)', () => {
    const csv = parse(
      event({
        observedContentType: 'text/csv; charset=utf-8',
        data: b64('50,7000,smb\n'),
        encoding: 'BASE64',
      }),
    );
    expect(csv.rows).toEqual([['50', '7000', 'smb']]);
    const json = parse(
      event({
        observedContentType: 'application/json',
        data: b64(JSON.stringify({ instances: [[1, 2, 'ü']] })),
        encoding: 'BASE64',
      }),
    );
    expect(json.rows).toEqual([[1, 2, 'ü']]);
    const jsonl = parse(
      event({
        observedContentType: 'application/jsonlines',
        data: b64('[1,2,"a"]\n[3,4,"b"]'),
        encoding: 'BASE64',
      }),
    );
    expect(jsonl.rows).toHaveLength(2);
  });

  it('falls back to the content type when encoding is absent', () => {
    expect(parse(event({ observedContentType: 'text/csv', data: '1,2,a' })).rows).toEqual([['1', '2', 'a']]);
  });

  it('keeps correlation data on every row', () => {
    const { metas } = parse(
      event(
        { observedContentType: 'text/csv', data: '1,2,a', encoding: 'CSV' },
        { eventId: 'evt-9', inferenceId: 'req-9', inferenceTime: 't', customAttributes: 'trace=abc' },
      ),
    );
    expect(metas[0]).toEqual({
      eventId: 'evt-9',
      inferenceId: 'req-9',
      inferenceTime: 't',
      customAttributes: 'trace=abc',
    });
  });
});

describe('malformed capture lines are counted, never fatal', () => {
  it('counts each reason once', () => {
    const good = event({ observedContentType: 'text/csv', data: '1,2,a', encoding: 'CSV' });
    const { rows, parser } = parse(
      good,
      '',
      good.slice(0, 60),
      'this is not json',
      '{"a":1}}',
      JSON.stringify({ hello: 'world' }),
      event(undefined),
      event({ observedContentType: 'text/csv', data: '1,2,a', encoding: 'PROTOBUF' }),
      event({ observedContentType: 'image/jpeg', data: b64('jpeg'), encoding: 'BASE64' }),
      event({ observedContentType: 'application/x-npy', data: '1,2,3' }),
      event({ observedContentType: 'text/csv', data: '!!not base64!!', encoding: 'BASE64' }),
      event({ observedContentType: 'application/json', data: '{"age":', encoding: 'JSON' }),
      event({ observedContentType: 'application/json', data: '"just a string"', encoding: 'JSON' }),
      event({ observedContentType: 'text/csv', data: '1,2,a,extra\n1,2', encoding: 'CSV' }),
      event({
        observedContentType: 'application/json',
        data: JSON.stringify({ height: 1, weight: 2 }),
        encoding: 'JSON',
      }),
      good,
    );
    expect(rows).toHaveLength(2);
    expect(parser.stats).toEqual({
      lines: 16,
      blankLines: 1,
      // The two schema-rejected payloads were read: they are records without rows.
      records: 4,
      rows: 2,
      rejected: {
        truncatedLine: 1,
        invalidJson: 2,
        notCaptureRecord: 1,
        missingInput: 1,
        unsupportedEncoding: 1,
        unsupportedContentType: 2,
        invalidBase64: 1,
        invalidPayload: 2,
        wrongColumnCount: 2,
        unknownFeatures: 1,
      },
      wrongColumnCounts: { '4': 1, '2': 1 },
    });
    expect(parser.schemaRejections).toBe(3);
    expect(parser.totalRejections).toBe(14);
  });

  it('accepts extra JSON keys when every feature is present', () => {
    expect(
      parse(
        event({
          observedContentType: 'application/json',
          data: JSON.stringify({ age: 1, income: 2, segment: 'a', requestSource: 'web' }),
        }),
      ).rows,
    ).toEqual([[1, 2, 'a']]);
  });
});

describe('line streaming', () => {
  async function collect(source: Parameters<typeof toLines>[0]): Promise<string[]> {
    const out: string[] = [];
    for await (const l of toLines(source)) out.push(l);
    return out;
  }

  it('splits strings, streams and chunked byte iterables identically (CRLF, no final newline, split UTF-8)', async () => {
    const text = 'a\r\nbü\nc';
    const bytes = Buffer.from(text, 'utf8');
    async function* chunks(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < bytes.length; i++) yield bytes.subarray(i, i + 1);
    }
    const expected = ['a', 'bü', 'c'];
    expect(await collect(text)).toEqual(expected);
    expect(await collect(Readable.from([bytes.subarray(0, 4), bytes.subarray(4)]))).toEqual(expected);
    expect(await collect(chunks())).toEqual(expected);
    expect(await collect(['x', 'y'])).toEqual(['x', 'y']);
  });
});
