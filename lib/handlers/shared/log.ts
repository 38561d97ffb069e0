/** A structured JSON logger whose every line carries the run's correlation id. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Writes one JSON object per line; Lambda's JSON log format keeps it queryable in Logs Insights. */
export function jsonLogger(
  correlationId: string,
  write: (line: string) => void = (l) => console.log(l),
): Logger {
  const emit = (level: string, message: string, fields?: Record<string, unknown>): void =>
    write(JSON.stringify({ level, message, correlationId, ...fields }));
  return {
    info: (m, f) => emit('INFO', m, f),
    warn: (m, f) => emit('WARN', m, f),
    error: (m, f) => emit('ERROR', m, f),
  };
}

/** A logger that drops everything (tests, benchmarks). */
export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
