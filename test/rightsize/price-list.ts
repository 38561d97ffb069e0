/** Price List products as GetProducts returns them (one JSON string per product), for tests. */
export interface FakeProduct {
  readonly instanceType: string;
  /** `Host`, `Train`, `Train-Spot`, `AsyncInf`, `Notebk` … */
  readonly usage: string;
  readonly usd: number | string;
  readonly region?: string;
  readonly vcpus?: number;
  readonly memoryGib?: number;
  readonly gpus?: number;
}

/** One product document, shaped like the AmazonSageMaker offer file's. */
export function priceListItem(p: FakeProduct): string {
  const sku = `SKU${p.instanceType}${p.usage}`.replace(/[^A-Za-z0-9]/g, '');
  const attributes: Record<string, string> = {
    servicecode: 'AmazonSageMaker',
    regionCode: p.region ?? 'eu-west-1',
    instanceName: p.instanceType,
    usagetype: `EU-${p.usage}:${p.instanceType}`,
    ...(p.vcpus !== undefined ? { vCpu: String(p.vcpus) } : {}),
    ...(p.memoryGib !== undefined ? { memory: `${p.memoryGib} GiB` } : {}),
    ...(p.gpus !== undefined ? { gpu: String(p.gpus) } : {}),
  };
  return JSON.stringify({
    product: { productFamily: 'ML Instance', sku, attributes },
    serviceCode: 'AmazonSageMaker',
    terms: {
      OnDemand: {
        [`${sku}.JRTCKXETXF`]: {
          priceDimensions: {
            [`${sku}.JRTCKXETXF.6YS6EN2CT7`]: { unit: 'Hrs', pricePerUnit: { USD: String(p.usd) } },
          },
          sku,
          termAttributes: {},
        },
      },
    },
  });
}

interface Filter {
  readonly Field: string;
  readonly Value: string;
}

/** The products GetProducts' TERM_MATCH filters select (regionCode, instanceName). */
export function selectProducts(products: readonly FakeProduct[], filters: readonly Filter[]): string[] {
  const value = (f: string) => filters.find((x) => x.Field === f)?.Value;
  return products
    .filter(
      (p) => (p.region ?? 'eu-west-1') === value('regionCode') && p.instanceType === value('instanceName'),
    )
    .map(priceListItem);
}
