/** Median of a list of numbers. */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Runs a measurement `runs` times and returns each result. */
export async function repeat<T>(runs: number, fn: (i: number) => Promise<T> | T): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < runs; i++) out.push(await fn(i));
  return out;
}

/** One row of the benchmark table: a measured value against a baseline measured in the same run. */
export interface BenchRow {
  readonly bench: string;
  readonly case: string;
  readonly value: number;
  readonly unit: string;
  readonly baseline?: number;
  readonly ratio?: number;
  readonly budget?: string;
  readonly met?: boolean;
  readonly note?: string;
}

/** Prints rows as an aligned Markdown table. */
export function table(rows: readonly BenchRow[]): string {
  const header = ['bench', 'case', 'value', 'baseline', 'ratio', 'budget', 'met'];
  const lines = rows.map((r) => [
    r.bench,
    r.case,
    `${fmt(r.value)} ${r.unit}`,
    r.baseline === undefined ? '' : `${fmt(r.baseline)} ${r.unit}`,
    r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}×`,
    r.budget ?? '',
    r.met === undefined ? '' : r.met ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const row = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [row(header), row(widths.map((w) => '-'.repeat(w))), ...lines.map(row)].join('\n');
}

function fmt(n: number): string {
  return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toPrecision(3);
}
