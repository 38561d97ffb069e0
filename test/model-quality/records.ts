// Record builders shared by the model-quality tests and the handler test.

/** A data capture event as SageMaker writes it (one JSON line). */
export function captureLine(
  id: string | undefined,
  data: string,
  opts: { encoding?: string; contentType?: string; eventId?: string } = {},
): string {
  return JSON.stringify({
    captureData: {
      endpointInput: { observedContentType: 'text/csv', mode: 'INPUT', data: '1,2,3', encoding: 'CSV' },
      endpointOutput: {
        observedContentType: opts.contentType ?? 'text/csv; charset=utf-8',
        mode: 'OUTPUT',
        data,
        encoding: opts.encoding ?? 'CSV',
      },
    },
    eventMetadata: {
      eventId: opts.eventId ?? `event-${id ?? 'none'}`,
      ...(id === undefined ? {} : { inferenceId: id }),
      inferenceTime: '2025-01-01T09:00:00Z',
    },
    eventVersion: '0',
  });
}

/** A ground-truth record in the Model Monitor merge format. */
export function groundTruthLine(id: string, data: string, encoding = 'CSV'): string {
  return JSON.stringify({
    groundTruthData: { data, encoding },
    eventMetadata: { eventId: id },
    eventVersion: '0',
  });
}
