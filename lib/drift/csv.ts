/**
 * A small RFC 4180 CSV reader.
 *
 * Written here rather than taken from a package because the Lambda bundle should stay dependency
 * free and the grammar we need is small: comma separators, CRLF or LF record ends, double-quoted
 * fields that may contain commas, quotes (doubled: `""`) and line breaks. Not supported, on purpose:
 * other separators, comment lines, and trimming inside quotes.
 * @see https://www.rfc-editor.org/rfc/rfc4180
 */

/** A malformed CSV input (an unterminated quote, text after a closing quote). */
export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    /** 1-based line where the bad record starts. */
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'CsvSyntaxError';
  }
}

/**
 * Incremental CSV parser: feed text chunks of any size, get complete records back.
 *
 * Chunk boundaries may fall anywhere (inside quotes, between CR and LF). Blank lines are skipped,
 * as most CSV writers never emit an empty single-column record.
 */
export class CsvStreamParser {
  private field = '';
  private record: string[] = [];
  private inQuotes = false;
  /** A quote just closed a quoted field; only a separator or record end may follow. */
  private afterQuote = false;
  /** The previous chunk ended with CR: a leading LF in the next chunk belongs to it. */
  private pendingCr = false;
  private fieldStarted = false;
  private lineNumber = 1;
  private recordLine = 1;

  /** Parses a chunk; returns the records it completed. */
  push(chunk: string): string[][] {
    const out: string[][] = [];
    let i = 0;
    const n = chunk.length;
    if (this.pendingCr) {
      this.pendingCr = false;
      if (n > 0 && chunk.charCodeAt(0) === 10) i = 1;
    }
    while (i < n) {
      const c = chunk.charCodeAt(i);
      if (this.inQuotes) {
        if (c === 34) {
          if (i + 1 < n) {
            if (chunk.charCodeAt(i + 1) === 34) {
              this.field += '"';
              i += 2;
              continue;
            }
            this.inQuotes = false;
            this.afterQuote = true;
            i++;
            continue;
          }
          // A quote at the chunk end: whether it is doubled is decided by the next chunk.
          this.inQuotes = false;
          this.afterQuote = true;
          i++;
          continue;
        }
        if (c === 10) this.lineNumber++;
        // Copy a run of plain characters at once.
        let j = i + 1;
        while (j < n) {
          const d = chunk.charCodeAt(j);
          if (d === 34 || d === 10) break;
          j++;
        }
        this.field += chunk.slice(i, j);
        i = j;
        continue;
      }
      if (c === 44) {
        this.endField();
        i++;
        continue;
      }
      if (c === 13 || c === 10) {
        this.lineNumber++;
        this.endRecord(out);
        if (c === 13) {
          if (i + 1 < n) {
            if (chunk.charCodeAt(i + 1) === 10) i++;
          } else {
            this.pendingCr = true;
          }
        }
        i++;
        continue;
      }
      if (c === 34) {
        if (this.afterQuote) {
          // `"a""b"` split across chunks: the closing quote was really the first of a doubled pair.
          this.afterQuote = false;
          this.inQuotes = true;
          this.field += '"';
          i++;
          continue;
        }
        if (this.fieldStarted) {
          throw new CsvSyntaxError(
            'a quote inside an unquoted field (quote the whole field and double inner quotes)',
            this.recordLine,
          );
        }
        this.inQuotes = true;
        this.fieldStarted = true;
        i++;
        continue;
      }
      if (this.afterQuote) {
        throw new CsvSyntaxError('text after a closing quote', this.recordLine);
      }
      let j = i + 1;
      while (j < n) {
        const d = chunk.charCodeAt(j);
        if (d === 44 || d === 10 || d === 13 || d === 34) break;
        j++;
      }
      this.field += chunk.slice(i, j);
      this.fieldStarted = true;
      i = j;
    }
    return out;
  }

  /** Signals the end of input; returns the last record when the text did not end with a line break. */
  end(): string[][] {
    if (this.inQuotes) throw new CsvSyntaxError('unterminated quoted field', this.recordLine);
    const out: string[][] = [];
    this.endRecord(out);
    return out;
  }

  private endField(): void {
    this.record.push(this.field);
    this.field = '';
    this.fieldStarted = false;
    this.afterQuote = false;
  }

  private endRecord(out: string[][]): void {
    const blank = this.record.length === 0 && !this.fieldStarted && !this.afterQuote;
    if (!blank) {
      this.endField();
      out.push(this.record);
    }
    this.record = [];
    this.field = '';
    this.fieldStarted = false;
    this.afterQuote = false;
    this.recordLine = this.lineNumber;
  }
}

/**
 * Parses a whole CSV text (no header handling) into records.
 *
 * Fast path: text without any double quote is split on line breaks and commas directly, which is
 * what nearly every inference payload looks like.
 * @throws CsvSyntaxError on malformed quoting
 */
export function parseCsv(text: string): string[][] {
  if (text.indexOf('"') === -1) {
    const out: string[][] = [];
    let start = 0;
    const n = text.length;
    while (start <= n) {
      let end = text.indexOf('\n', start);
      if (end === -1) end = n;
      let lineEnd = end;
      if (lineEnd > start && text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
      if (lineEnd > start) {
        const line = start === 0 && lineEnd === n ? text : text.slice(start, lineEnd);
        // Lone CRs (old Mac line ends) are record breaks too.
        if (line.indexOf('\r') === -1) out.push(line.split(','));
        else for (const part of line.split('\r')) if (part.length > 0) out.push(part.split(','));
      }
      start = end + 1;
    }
    return out;
  }
  const parser = new CsvStreamParser();
  const out = parser.push(text);
  for (const r of parser.end()) out.push(r);
  return out;
}
