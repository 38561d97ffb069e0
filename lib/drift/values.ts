/**
 * How raw cells become numbers, categories or missing values. Shared by baseline building and
 * capture parsing so both sides of a comparison read data the same way.
 */

/** A cell as it comes out of CSV (string) or JSON (number, string, boolean, null, object). */
export type RawCell = unknown;

/**
 * Whether a cell is missing: `null`, `undefined`, or a string that is empty after trimming
 * whitespace (what pandas writes for NaN). No sentinel strings such as `NA` are treated as missing:
 * they would be indistinguishable from a real category.
 */
export function isMissing(cell: RawCell): boolean {
  if (cell === null || cell === undefined) return true;
  if (typeof cell === 'string') {
    // Hot path: a first character that is not whitespace settles it without allocating.
    if (cell.length === 0) return true;
    if (cell.charCodeAt(0) > 32 && cell.charCodeAt(cell.length - 1) > 32) return false;
    return cell.trim().length === 0;
  }
  return false;
}

/**
 * The number a non-missing cell denotes, or NaN when it is not numeric. Numbers must be finite;
 * strings must be plain decimal literals after trimming (`12`, `-3.5`, `.5`, `1e-3`), so `0x10`,
 * `Infinity` and `1,5` are not numbers.
 */
export function toNumber(cell: RawCell): number {
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : NaN;
  if (typeof cell !== 'string') return NaN;
  // Number() is the fast path (no regex, no allocation); it already ignores surrounding whitespace
  // and rejects `1,5`, `1_000` and `.`. What it accepts beyond decimal literals is filtered out:
  // non-finite results (`Infinity`), blank strings (Number(' ') is 0) and the unsigned radix
  // prefixes 0x / 0o / 0b (the only other literals it parses).
  const n = Number(cell);
  if (!Number.isFinite(n)) return NaN;
  if (n === 0 && cell.trim().length === 0) return NaN;
  const s = cell.charCodeAt(0) <= 32 ? cell.trim() : cell;
  if (s.length > 2 && s.charCodeAt(0) === 48) {
    const c1 = s.charCodeAt(1) | 32;
    if (c1 === 120 || c1 === 111 || c1 === 98) return NaN;
  }
  return n;
}

/**
 * The category key of a non-missing cell: trimmed strings as-is, numbers and booleans by `String()`,
 * other JSON values by `JSON.stringify`.
 */
export function toCategory(cell: RawCell): string {
  if (typeof cell === 'string') {
    const c0 = cell.charCodeAt(0);
    const cl = cell.charCodeAt(cell.length - 1);
    return c0 <= 32 || cl <= 32 ? cell.trim() : cell;
  }
  if (typeof cell === 'number' || typeof cell === 'boolean') return String(cell);
  return JSON.stringify(cell);
}
