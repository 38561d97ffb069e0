import { Report } from './finding';
import { writeJson } from './json';
import { writeJunit } from './junit';
import { writeMarkdown } from './markdown';
import { writeSarif } from './sarif';
import { writeText } from './text';

/** The output formats of `check` and `audit`. */
export const REPORT_FORMATS = ['text', 'json', 'sarif', 'junit', 'markdown'] as const;

/** One of {@link REPORT_FORMATS}. */
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Options any writer may read; each ignores the ones that do not apply to it. */
export interface WriteOptions {
  /**
   * ANSI colours in `text`.
   * @default false
   */
  readonly color?: boolean;
  /**
   * SARIF `runAutomationDetails.id` prefix.
   * @default 'compliant-mlops'
   */
  readonly category?: string;
}

/** True when `value` names a report format. */
export function isReportFormat(value: string): value is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(value);
}

/** Renders a report in a format; every writer is a pure function of the report. */
export function writeReport(report: Report, format: ReportFormat, options: WriteOptions = {}): string {
  switch (format) {
    case 'text':
      return writeText(report, { color: options.color });
    case 'json':
      return writeJson(report);
    case 'sarif':
      return writeSarif(report, { category: options.category });
    case 'junit':
      return writeJunit(report);
    case 'markdown':
      return writeMarkdown(report);
  }
}
