import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/**
 * Text that can be read line by line: a whole string, an iterable of lines, a Node.js readable
 * stream (a file, an S3 `GetObject` body), or an async iterable of text or byte chunks.
 */
export type TextSource = string | Iterable<string> | Readable | AsyncIterable<string | Uint8Array>;

/** Whether a source is a Node.js readable stream (read through node:readline). */
export function isReadable(source: unknown): source is Readable {
  return (
    typeof source === 'object' &&
    source !== null &&
    typeof (source as Readable).pipe === 'function' &&
    typeof (source as Readable).on === 'function'
  );
}

/**
 * Splits a {@link TextSource} into lines without holding the whole input: Node streams go through
 * `node:readline` (CRLF or LF); strings are split on line breaks; iterables of strings are taken as
 * lines already; async iterables of chunks are decoded as UTF-8 and split. A final line without a
 * line break is still yielded (a truncated last record is for the caller to judge).
 */
export async function* toLines(source: TextSource): AsyncGenerator<string> {
  if (typeof source === 'string') {
    yield* splitString(source);
    return;
  }
  if (isReadable(source)) {
    const rl = createInterface({ input: source, crlfDelay: Infinity });
    try {
      for await (const line of rl) yield line;
    } finally {
      rl.close();
    }
    return;
  }
  if (Symbol.iterator in source) {
    yield* source as Iterable<string>;
    return;
  }
  const decoder = new TextDecoder('utf-8');
  let rest = '';
  for await (const chunk of source as AsyncIterable<string | Uint8Array>) {
    const text = rest + (typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    let start = 0;
    let nl = text.indexOf('\n', start);
    while (nl !== -1) {
      yield stripCr(text.slice(start, nl));
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    rest = text.slice(start);
  }
  rest += decoder.decode();
  if (rest.length > 0) yield stripCr(rest);
}

function stripCr(line: string): string {
  return line.length > 0 && line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
}

function* splitString(text: string): Generator<string> {
  let start = 0;
  const n = text.length;
  while (start < n) {
    let nl = text.indexOf('\n', start);
    if (nl === -1) nl = n;
    yield stripCr(text.slice(start, nl));
    start = nl + 1;
  }
}
