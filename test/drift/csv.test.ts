import { describe, expect, it } from 'vitest';
import { CsvStreamParser, CsvSyntaxError, parseCsv } from '../../lib/drift/csv';

function streamed(text: string, chunkSize: number): string[][] {
  const p = new CsvStreamParser();
  const out: string[][] = [];
  for (let i = 0; i < text.length; i += chunkSize) out.push(...p.push(text.slice(i, i + chunkSize)));
  out.push(...p.end());
  return out;
}

describe('RFC 4180 CSV', () => {
  const text = 'a,b,c\r\n1,"x, y","he said ""hi"""\r\n2,"multi\nline",\n\n3,,last';
  const expected = [
    ['a', 'b', 'c'],
    ['1', 'x, y', 'he said "hi"'],
    ['2', 'multi\nline', ''],
    ['3', '', 'last'],
  ];

  it('parses quotes, doubled quotes, embedded line breaks, CRLF and a missing final line break', () => {
    expect(parseCsv(text)).toEqual(expected);
  });

  it('gives the same records for every chunk size (chunk boundaries anywhere)', () => {
    for (let size = 1; size <= text.length; size++) expect(streamed(text, size)).toEqual(expected);
  });

  it('splits quote-free text on the fast path, with CRLF, LF and empty fields', () => {
    expect(parseCsv('1,2,3\r\n4,,6\n\n7,8,9\n')).toEqual([
      ['1', '2', '3'],
      ['4', '', '6'],
      ['7', '8', '9'],
    ]);
    expect(parseCsv('')).toEqual([]);
  });

  it('reports malformed quoting with the line number', () => {
    expect(() => parseCsv('a,b\n"open')).toThrow(CsvSyntaxError);
    expect(() => parseCsv('a,b\n"x"y,1')).toThrow(/line 2: text after a closing quote/);
    expect(() => parseCsv('a,b\nx"y,1')).toThrow(/line 2: a quote inside an unquoted field/);
  });
});
