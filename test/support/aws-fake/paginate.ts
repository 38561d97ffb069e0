import { AwsFakeError } from './errors';

/** How a list operation names its paging fields. */
export interface PaginateOptions {
  /**
   * Page size when the request does not ask for one.
   * @default 100
   */
  readonly pageSize?: number;
  /**
   * Request member carrying the continuation token.
   * @default 'NextToken'
   */
  readonly inputTokenField?: string;
  /**
   * Response member carrying the continuation token (KMS uses `NextMarker` with input `Marker`).
   * @default - same as `inputTokenField`
   */
  readonly tokenField?: string;
  /**
   * Request member carrying the caller's page size (KMS uses `Limit`). The smaller of it and
   * `pageSize` wins only when the caller asks for fewer; a caller asking for more than `pageSize`
   * still gets `pageSize` items, which is what real services do with their own caps.
   * @default 'MaxResults'
   */
  readonly limitField?: string;
  /**
   * Response member set to `true`/`false` when more pages exist (KMS `Truncated`).
   * @default - no such member
   */
  readonly truncatedField?: string;
}

/** One page cut from a list. */
export interface Page<T> {
  /** Items of this page. */
  readonly items: T[];
  /** Token for the next page; `undefined` on the last page. */
  readonly nextToken?: string;
}

const TOKEN_PREFIX = 'aws-fake-page-';

/**
 * Cuts one page out of `items` for a list request, honouring the request's token and limit.
 *
 * The token is opaque to the SDK (`aws-fake-page-<offset>`); a token this function did not issue
 * is answered with a 400 `ValidationException`, as SageMaker does for a stale token.
 *
 * @param items the full result list, in the order the service would return it
 * @param input the decoded request (`ctx.input` of a handler)
 * @param options paging field names and page size
 * @see https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/pagination.html
 */
export function paginate<T>(items: readonly T[], input: unknown, options: PaginateOptions = {}): Page<T> {
  const inputTokenField = options.inputTokenField ?? 'NextToken';
  const limitField = options.limitField ?? 'MaxResults';
  const pageSize = options.pageSize ?? 100;
  const request = isRecord(input) ? input : {};
  const token = request[inputTokenField];
  let offset = 0;
  if (token !== undefined && token !== null && token !== '') {
    const parsed =
      typeof token === 'string' && token.startsWith(TOKEN_PREFIX)
        ? Number(token.slice(TOKEN_PREFIX.length))
        : NaN;
    if (!Number.isInteger(parsed) || parsed < 0 || parsed > items.length) {
      throw new AwsFakeError(400, 'ValidationException', `invalid pagination token ${JSON.stringify(token)}`);
    }
    offset = parsed;
  }
  const asked = request[limitField];
  const size = typeof asked === 'number' && asked > 0 ? Math.min(asked, pageSize) : pageSize;
  const end = Math.min(offset + size, items.length);
  return {
    items: items.slice(offset, end),
    nextToken: end < items.length ? `${TOKEN_PREFIX}${end}` : undefined,
  };
}

/**
 * Like {@link paginate}, but returns the response object itself:
 * `{ [itemsField]: page, [tokenField]: token }` (plus `truncatedField` when configured).
 *
 * @param itemsField response member holding the list, for example `Endpoints`
 * @param items the full result list
 * @param input the decoded request
 * @param options paging field names and page size
 */
export function pageOutput<T>(
  itemsField: string,
  items: readonly T[],
  input: unknown,
  options: PaginateOptions = {},
): Record<string, unknown> {
  const page = paginate(items, input, options);
  const out: Record<string, unknown> = { [itemsField]: page.items };
  if (page.nextToken !== undefined) {
    out[options.tokenField ?? options.inputTokenField ?? 'NextToken'] = page.nextToken;
  }
  if (options.truncatedField !== undefined) {
    out[options.truncatedField] = page.nextToken !== undefined;
  }
  return out;
}

/** True for plain objects (decoded JSON requests). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
