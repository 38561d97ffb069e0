import { PricingClient } from '@aws-sdk/client-pricing';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import {
  FilePriceCache,
  formatMonthly,
  monthlyUsd,
  parsePriceListItem,
  PriceBook,
  PRICING_API_REGIONS,
  pricingRegionFor,
} from '../../lib/rightsize/pricing';
import { AwsFake, pageOutput, startAwsFake } from '../support/aws-fake';
import { FakeProduct, priceListItem, selectProducts } from './price-list';

let fake: AwsFake;
beforeAll(async () => {
  fake = await startAwsFake();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => fake.reset());

const PRODUCTS: FakeProduct[] = [
  { instanceType: 'ml.m5.xlarge', usage: 'Notebk', usd: 0.269 },
  { instanceType: 'ml.m5.xlarge', usage: 'Train-Spot', usd: 0.08 },
  { instanceType: 'ml.m5.xlarge', usage: 'AsyncInf', usd: 0.26 },
  { instanceType: 'ml.m5.xlarge', usage: 'Train', usd: 0.259, vcpus: 4, memoryGib: 16 },
  { instanceType: 'ml.m5.xlarge', usage: 'Host', usd: 0.258, vcpus: 4, memoryGib: 16, gpus: 0 },
];

function serve(products: FakeProduct[], pageSize = 2): void {
  fake.on('pricing', 'GetProducts', (input: { Filters: { Field: string; Value: string }[] }) =>
    pageOutput('PriceList', selectProducts(products, input.Filters), input, { pageSize }),
  );
}

const book = () => new PriceBook(new PricingClient(fake.clientConfig({ region: 'us-east-1' })), 'eu-west-1');

describe('PriceBook on the loopback fake (real Pricing client, AWS JSON 1.1)', () => {
  test('reads every page until the Hosting product and parses price and capacity', async () => {
    serve(PRODUCTS);
    const p = await book().price('ml.m5.xlarge', 'hosting');
    expect(p).toEqual({ instanceType: 'ml.m5.xlarge', usdPerHour: 0.258, vcpus: 4, memoryGib: 16, gpus: 0 });
    // Notebook, spot and async products come first: three pages at two per page.
    expect(fake.count('pricing', 'GetProducts')).toBe(3);
    const input = fake.callsTo('pricing', 'GetProducts')[0].input;
    expect(input).toMatchObject({
      ServiceCode: 'AmazonSageMaker',
      Filters: [
        { Type: 'TERM_MATCH', Field: 'regionCode', Value: 'eu-west-1' },
        { Type: 'TERM_MATCH', Field: 'instanceName', Value: 'ml.m5.xlarge' },
      ],
    });
    fake.assertAllHandled();
  });

  test('training reads the -Train: usage type, not the spot one', async () => {
    serve(PRODUCTS);
    expect((await book().price('ml.m5.xlarge', 'training')).usdPerHour).toBe(0.259);
  });

  test('asks once per type and use in a run, concurrent callers included', async () => {
    serve(PRODUCTS, 100);
    const b = book();
    await Promise.all([b.price('ml.m5.xlarge', 'hosting'), b.price('ml.m5.xlarge', 'hosting')]);
    await b.price('ml.m5.xlarge', 'hosting');
    expect(fake.count('pricing', 'GetProducts')).toBe(1);
  });

  test('an unknown instance type is "price unknown", never 0', async () => {
    serve(PRODUCTS);
    const p = await book().price('ml.zz9.xlarge', 'hosting');
    expect(p).toEqual({ instanceType: 'ml.zz9.xlarge' });
    expect(p.usdPerHour).toBeUndefined();
    expect(formatMonthly(monthlyUsd(p.usdPerHour, 2))).toBe('price unknown');
  });

  test('survives throttling (ThrottlingException) through the SDK retries', async () => {
    serve(PRODUCTS, 1);
    fake.faults({ throttleRate: 0.4, seed: 7, services: ['pricing'] });
    expect((await book().price('ml.m5.xlarge', 'hosting')).usdPerHour).toBe(0.258);
    expect(fake.calls.some((c) => c.errorCode === 'ThrottlingException')).toBe(true);
  });
});

describe('parsePriceListItem', () => {
  test('a price of 0 is not a price', () => {
    const item = priceListItem({ instanceType: 'ml.m5.large', usage: 'Host', usd: '0.0000000000' });
    expect(parsePriceListItem(item, 'ml.m5.large', 'hosting')).toBeUndefined();
  });

  test('without a usage type, the component attribute decides (Hosting, Training)', () => {
    const doc = (component: string) =>
      JSON.stringify({
        product: { attributes: { instanceName: 'ml.m5.large', component } },
        terms: {
          OnDemand: { t: { priceDimensions: { d: { unit: 'Hrs', pricePerUnit: { USD: '0.115' } } } } },
        },
      });
    expect(parsePriceListItem(doc('Hosting'), 'ml.m5.large', 'hosting')?.usdPerHour).toBe(0.115);
    expect(parsePriceListItem(doc('Hosting'), 'ml.m5.large', 'training')).toBeUndefined();
    expect(parsePriceListItem(doc('Studio Notebook'), 'ml.m5.large', 'hosting')).toBeUndefined();
  });

  test('a per-quantity fee (a training plan upfront fee) is not an hourly price', () => {
    const fee = JSON.stringify({
      product: { attributes: { instanceName: 'ml.p4d.24xlarge', usagetype: 'USE1-Train:ml.p4d.24xlarge' } },
      terms: {
        OnDemand: { t: { priceDimensions: { d: { unit: 'Quantity', pricePerUnit: { USD: '13.57' } } } } },
      },
    });
    expect(parsePriceListItem(fee, 'ml.p4d.24xlarge', 'training')).toBeUndefined();
  });

  test('another instance type or an unparsable document is no match', () => {
    const item = priceListItem({ instanceType: 'ml.m5.large', usage: 'Host', usd: 0.1 });
    expect(parsePriceListItem(item, 'ml.m5.xlarge', 'hosting')).toBeUndefined();
    expect(parsePriceListItem('<html>', 'ml.m5.large', 'hosting')).toBeUndefined();
  });
});

// The Price List Query API answers in these regions only; the prices of any region are read
// through them with the regionCode filter:
// https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/using-price-list-query-api.html
describe('pricingRegionFor', () => {
  test.each([
    ['eu-west-1', 'eu-central-1'],
    ['ap-southeast-2', 'ap-south-1'],
    ['us-west-2', 'us-east-1'],
    ['sa-east-1', 'us-east-1'],
    ['cn-north-1', 'cn-northwest-1'],
  ])('%s reads prices from %s', (region, endpoint) => {
    expect(pricingRegionFor(region)).toBe(endpoint);
    expect(PRICING_API_REGIONS).toContain(pricingRegionFor(region));
  });
});

describe('FilePriceCache', () => {
  const HOUR = 3_600_000;
  const t0 = new Date('2026-03-01T00:00:00Z');
  const later = (h: number) => new Date(t0.getTime() + h * HOUR);
  const file = () => join(mkdtempSync(join(tmpdir(), 'price-cache-')), 'prices.json');

  test('a second run within the TTL asks the Price List nothing; after it, again', async () => {
    serve(PRODUCTS, 100);
    const path = file();
    const client = () => new PricingClient(fake.clientConfig({ region: 'us-east-1' }));
    const first = new FilePriceCache(path, t0, 24 * HOUR);
    await new PriceBook(client(), 'eu-west-1', first).price('ml.m5.xlarge', 'hosting');
    first.save();
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({
      version: 1,
      entries: {
        'eu-west-1|hosting|ml.m5.xlarge': { savedAt: t0.toISOString(), price: { usdPerHour: 0.258 } },
      },
    });
    fake.clearCalls();
    const fresh = new PriceBook(client(), 'eu-west-1', new FilePriceCache(path, later(23), 24 * HOUR));
    expect((await fresh.price('ml.m5.xlarge', 'hosting')).usdPerHour).toBe(0.258);
    expect(fake.count('pricing')).toBe(0);
    const stale = new PriceBook(client(), 'eu-west-1', new FilePriceCache(path, later(25), 24 * HOUR));
    await stale.price('ml.m5.xlarge', 'hosting');
    expect(fake.count('pricing')).toBe(1);
    // Another region's prices are other entries.
    await new PriceBook(client(), 'us-west-2', new FilePriceCache(path, later(1), 24 * HOUR)).price(
      'ml.m5.xlarge',
      'hosting',
    );
    expect(fake.count('pricing')).toBe(2);
  });

  test('a malformed file or entry is no cache (a price of 0 is never trusted)', () => {
    const path = file();
    writeFileSync(path, 'not json');
    expect(new FilePriceCache(path, t0, HOUR).get('k')).toBeUndefined();
    writeFileSync(
      path,
      JSON.stringify({
        version: 1,
        entries: {
          zero: { savedAt: t0.toISOString(), price: { instanceType: 'ml.m5.large', usdPerHour: 0 } },
          text: { savedAt: t0.toISOString(), price: { instanceType: 'ml.m5.large', usdPerHour: '0.1' } },
          ok: { savedAt: t0.toISOString(), price: { instanceType: 'ml.m5.large', usdPerHour: 0.1 } },
        },
      }),
    );
    const c = new FilePriceCache(path, t0, HOUR);
    expect([c.get('zero'), c.get('text'), c.get('ok')?.usdPerHour]).toEqual([undefined, undefined, 0.1]);
  });
});
