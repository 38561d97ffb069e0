import { readFileSync, writeFileSync } from 'node:fs';
import { paginateGetProducts, PricingClient } from '@aws-sdk/client-pricing';
import { InstanceUse } from './instance-sizes';

/**
 * The regions that serve the Price List Query API (GetProducts). Which endpoint answers does not
 * change the prices: the region whose prices are read is the `regionCode` filter.
 *
 * @see https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/using-price-list-query-api.html
 * @see https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/using-ppslong.html
 */
export const PRICING_API_REGIONS = ['us-east-1', 'eu-central-1', 'ap-south-1', 'cn-northwest-1'] as const;

/** The Price List endpoint nearest to a region: China to China, Europe and Asia to theirs, else us-east-1. */
export function pricingRegionFor(region: string): string {
  if (region.startsWith('cn-')) return 'cn-northwest-1';
  if (region.startsWith('eu-') || region.startsWith('me-') || region.startsWith('il-')) return 'eu-central-1';
  if (region.startsWith('ap-')) return 'ap-south-1';
  return 'us-east-1';
}

/** The on-demand price and capacity of one ML instance type in one region, for one use. */
export interface InstancePrice {
  readonly instanceType: string;
  /** On-demand USD per instance-hour; `undefined` when the Price List has no such product ("price unknown", never 0). */
  readonly usdPerHour?: number;
  /** vCPUs per instance (Price List attribute `vCpu`), when listed. */
  readonly vcpus?: number;
  /** Memory per instance in GiB (attribute `memory`, e.g. `16 GiB`), when listed. */
  readonly memoryGib?: number;
  /** GPUs per instance (attribute `gpu`), when listed; 0 for a CPU type that lists `gpu: 0` or none. */
  readonly gpus?: number;
}

/**
 * The usage type of a SageMaker product says what it bills: `<region prefix>-Host:ml.m5.xlarge` is
 * real-time hosting, `-Train:` training (`-Train-Spot:`, `-AsyncInf:`, `-Notebk:` … are others).
 */
const USAGE_TYPE: Readonly<Record<InstanceUse, RegExp>> = {
  hosting: /(^|-)Host:ml\./,
  training: /(^|-)Train:ml\./,
};

/** The `component` attribute of the same products. */
const COMPONENT: Readonly<Record<InstanceUse, string>> = { hosting: 'Hosting', training: 'Training' };

interface PriceListProduct {
  readonly product?: { readonly attributes?: Readonly<Record<string, string>> };
  readonly terms?: {
    readonly OnDemand?: Readonly<
      Record<
        string,
        {
          readonly priceDimensions?: Readonly<
            Record<
              string,
              { readonly unit?: string; readonly pricePerUnit?: Readonly<Record<string, string>> }
            >
          >;
        }
      >
    >;
  };
}

function numberIn(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)/.exec(value);
  return m ? Number(m[1]) : undefined;
}

/**
 * Reads one Price List product (a JSON document of GetProducts' `PriceList`): its hourly on-demand
 * USD price when it bills `use` for `instanceType`, else `undefined`. A price of 0 (a free-tier or
 * placeholder SKU) is not a price.
 */
export function parsePriceListItem(
  item: string,
  instanceType: string,
  use: InstanceUse,
): InstancePrice | undefined {
  let doc: PriceListProduct;
  try {
    doc = JSON.parse(item) as PriceListProduct;
  } catch {
    return undefined;
  }
  const attrs = doc.product?.attributes ?? {};
  const usageType = attrs.usagetype;
  if (usageType !== undefined) {
    if (!USAGE_TYPE[use].test(usageType) || !usageType.endsWith(`:${instanceType}`)) return undefined;
  } else if (attrs.component !== COMPONENT[use] || attrs.instanceName !== instanceType) {
    // Without a usage type, the product's component (Hosting, Training) says what it bills.
    return undefined;
  }
  let usd: number | undefined;
  for (const term of Object.values(doc.terms?.OnDemand ?? {})) {
    for (const dim of Object.values(term.priceDimensions ?? {})) {
      const value = Number(dim.pricePerUnit?.USD);
      if (/^hrs?$/i.test(dim.unit ?? '') && Number.isFinite(value) && value > 0) usd = value;
    }
  }
  if (usd === undefined) return undefined;
  const gpus = numberIn(attrs.gpu);
  return {
    instanceType,
    usdPerHour: usd,
    vcpus: numberIn(attrs.vCpu ?? attrs.vcpu),
    memoryGib: numberIn(attrs.memory),
    gpus,
  };
}

/**
 * SageMaker on-demand prices from the AWS Price List Query API (GetProducts, ServiceCode
 * `AmazonSageMaker`, filtered on `regionCode` and `instanceName`, every page read), each instance
 * type and use asked once per run. Read-only: `pricing:GetProducts`.
 *
 * @see https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_pricing_GetProducts.html
 */
export class PriceBook {
  private readonly memo = new Map<string, Promise<InstancePrice>>();

  constructor(
    private readonly client: PricingClient,
    /** The region whose prices are read (`regionCode`), not the API endpoint's. */
    private readonly region: string,
    /** Prices kept across runs, asked before the Price List. */
    private readonly cache?: PriceCache,
  ) {}

  /** The price of an instance type; `usdPerHour` is absent when the Price List has none. */
  public price(instanceType: string, use: InstanceUse): Promise<InstancePrice> {
    const key = `${this.region}|${use}|${instanceType}`;
    let p = this.memo.get(key);
    if (!p) {
      const cached = this.cache?.get(key);
      p = cached
        ? Promise.resolve(cached)
        : this.fetch(instanceType, use).then((price) => {
            this.cache?.set(key, price);
            return price;
          });
      // A failure is seen by whoever awaits; do not let Node flag the memoised copy as orphaned.
      p.catch(() => undefined);
      this.memo.set(key, p);
    }
    return p;
  }

  private async fetch(instanceType: string, use: InstanceUse): Promise<InstancePrice> {
    const pages = paginateGetProducts(
      { client: this.client },
      {
        ServiceCode: 'AmazonSageMaker',
        FormatVersion: 'aws_v1',
        Filters: [
          { Type: 'TERM_MATCH', Field: 'regionCode', Value: this.region },
          { Type: 'TERM_MATCH', Field: 'instanceName', Value: instanceType },
        ],
      },
    );
    for await (const page of pages) {
      for (const item of (page.PriceList ?? []) as unknown[]) {
        const price = parsePriceListItem(String(item), instanceType, use);
        if (price) return price;
      }
    }
    return { instanceType };
  }
}

/** Monthly USD of `count` instances at `usdPerHour` (730 h a month), or `undefined` when the price is unknown. */
export function monthlyUsd(usdPerHour: number | undefined, count: number): number | undefined {
  return usdPerHour === undefined ? undefined : usdPerHour * count * HOURS_PER_MONTH;
}

/** Hours in an average month (365 × 24 / 12), as in the audit's idle-endpoint estimate. */
export const HOURS_PER_MONTH = 730;

/** `$1,234.50/month`, or `price unknown`. */
export function formatMonthly(usd: number | undefined): string {
  return usd === undefined
    ? 'price unknown'
    : `$${usd.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}/month`;
}

/** Prices kept across runs, by `<regionCode>|<use>|<instance type>`. */
export interface PriceCache {
  /** A price still fresh, else `undefined`. */
  get(key: string): InstancePrice | undefined;
  set(key: string, price: InstancePrice): void;
}

interface CacheEntry {
  readonly savedAt: string;
  readonly price: InstancePrice;
}

function isInstancePrice(value: unknown): value is InstancePrice {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const optionalNumber = (k: string) =>
    v[k] === undefined || (typeof v[k] === 'number' && Number.isFinite(v[k]));
  return (
    typeof v.instanceType === 'string' &&
    optionalNumber('usdPerHour') &&
    (v.usdPerHour === undefined || (v.usdPerHour as number) > 0) &&
    optionalNumber('vcpus') &&
    optionalNumber('memoryGib') &&
    optionalNumber('gpus')
  );
}

/**
 * Prices in a JSON file, each valid for `ttlMs` after it was read from the Price List (prices
 * change rarely; a day spares the API on repeated runs). A missing, unreadable or malformed file,
 * or a malformed entry, is no cache: the price is read again, never trusted.
 */
export class FilePriceCache implements PriceCache {
  private readonly entries: Record<string, CacheEntry> = {};
  private dirty = false;

  constructor(
    private readonly path: string,
    private readonly now: Date,
    private readonly ttlMs: number,
  ) {
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(path, 'utf8'));
    } catch {
      return;
    }
    const entries = (doc as { version?: unknown; entries?: unknown } | null)?.entries;
    if ((doc as { version?: unknown }).version !== 1 || typeof entries !== 'object' || entries === null)
      return;
    for (const [key, e] of Object.entries(entries as Record<string, unknown>)) {
      const entry = e as Partial<CacheEntry> | null;
      if (entry && typeof entry.savedAt === 'string' && isInstancePrice(entry.price)) {
        this.entries[key] = { savedAt: entry.savedAt, price: entry.price };
      }
    }
  }

  public get(key: string): InstancePrice | undefined {
    const e = this.entries[key];
    if (!e) return undefined;
    const age = this.now.getTime() - Date.parse(e.savedAt);
    return age >= 0 && age < this.ttlMs ? e.price : undefined;
  }

  public set(key: string, price: InstancePrice): void {
    this.entries[key] = { savedAt: this.now.toISOString(), price };
    this.dirty = true;
  }

  /** Writes the file when a price was added; throws the file system's error. */
  public save(): void {
    if (!this.dirty) return;
    writeFileSync(this.path, `${JSON.stringify({ version: 1, entries: this.entries }, null, 2)}\n`);
    this.dirty = false;
  }
}
