import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AwsFake, startAwsFake } from '../support/aws-fake';

// The loopback fake's bucket versioning and stored checksums, as the lineage tests use them.
// Versions: https://docs.aws.amazon.com/AmazonS3/latest/userguide/versioning-workflows.html
// HeadObject VersionId / ChecksumMode: https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html
let fake: AwsFake;
let s3: S3Client;
beforeAll(async () => {
  fake = await startAwsFake();
  s3 = new S3Client(fake.clientConfig({ maxAttempts: 1 }));
});
afterAll(async () => {
  s3.destroy();
  await fake.close();
});
beforeEach(() => fake.reset());

describe('aws-fake S3 versions and checksums', () => {
  it('a versioned bucket keeps every version readable by VersionId; the current one answers its id', async () => {
    fake.s3.enableVersioning('b');
    const put = await s3.send(new PutObjectCommand({ Bucket: 'b', Key: 'k', Body: 'one' }));
    await s3.send(new PutObjectCommand({ Bucket: 'b', Key: 'k', Body: 'two!' }));
    const current = await s3.send(new GetObjectCommand({ Bucket: 'b', Key: 'k' }));
    expect(await current.Body?.transformToString()).toBe('two!');
    expect(current.VersionId).toBe(fake.s3.getObject('b', 'k')!.versionId);
    const old = await s3.send(new GetObjectCommand({ Bucket: 'b', Key: 'k', VersionId: put.VersionId }));
    expect(await old.Body?.transformToString()).toBe('one');
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'b', Key: 'k', VersionId: put.VersionId }));
    expect(head.ContentLength).toBe(3);
  });

  it('an unknown version is NoSuchVersion (404); HEAD has no body, so the SDK names it NotFound', async () => {
    fake.s3.enableVersioning('b');
    fake.s3.putObject('b', 'k', 'x');
    await expect(
      s3.send(new GetObjectCommand({ Bucket: 'b', Key: 'k', VersionId: 'nope' })),
    ).rejects.toMatchObject({
      name: 'NoSuchVersion',
    });
    await expect(
      s3.send(new HeadObjectCommand({ Bucket: 'b', Key: 'k', VersionId: 'nope' })),
    ).rejects.toMatchObject({
      name: 'NotFound',
    });
  });

  it('an unversioned bucket answers no version id, and only version "null" exists', async () => {
    fake.s3.putObject('u', 'k', 'x');
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'u', Key: 'k' }));
    expect(head.VersionId).toBeUndefined();
    const nullVersion = await s3.send(new HeadObjectCommand({ Bucket: 'u', Key: 'k', VersionId: 'null' }));
    expect(nullVersion.ContentLength).toBe(1);
  });

  it('a stored SHA-256 checksum is returned only with ChecksumMode ENABLED, typed FULL_OBJECT or COMPOSITE', async () => {
    fake.s3.putObject('b', 'full', 'abc', { checksumSha256: true });
    fake.s3.putObject('b', 'multi', 'abc', { checksumSha256: 'AAAA-2' });
    expect(
      (await s3.send(new HeadObjectCommand({ Bucket: 'b', Key: 'full' }))).ChecksumSHA256,
    ).toBeUndefined();
    const full = await s3.send(new HeadObjectCommand({ Bucket: 'b', Key: 'full', ChecksumMode: 'ENABLED' }));
    expect(full.ChecksumSHA256).toBe('ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=');
    expect(full.ChecksumType).toBe('FULL_OBJECT');
    const multi = await s3.send(
      new HeadObjectCommand({ Bucket: 'b', Key: 'multi', ChecksumMode: 'ENABLED' }),
    );
    expect(multi.ChecksumType).toBe('COMPOSITE');
  });
});
