import { EC2Client } from '@aws-sdk/client-ec2';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createHandler,
  defaultEc2Client,
  handler as productionHandler,
} from '../../../lib/handlers/restrict-default-sg';
import {
  CREATE_FAILED_PHYSICAL_ID,
  ENV,
  MAX_RESPONSE_BYTES,
} from '../../../lib/handlers/restrict-default-sg/contract';
import type { CustomResourceEvent } from '../../../lib/handlers/restrict-default-sg/logic';
import { RESTRICT_DEFAULT_SG_SDK_CALLS } from '../../../lib/handlers/restrict-default-sg/sdk-calls';
import { silentLogger } from '../../../lib/handlers/shared/log';
import { AwsFake, awsError, startAwsFake } from '../../support/aws-fake';

// CloudFormation's response bucket in eu-west-1: the region without dashes.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/vpc-interface-endpoints.html
const BUCKET = 'cloudformation-custom-resource-response-euwest1';
const STACK_ID =
  'arn:aws:cloudformation:eu-west-1:111111111111:stack/serving/6c3f0a30-0000-11ef-8000-0a1b2c3d4e5f';
const ACCOUNT = '111111111111';
const SG = 'sg-0123456789abcdef0';
const OTHER_SG = 'sg-0fedcba9876543210';

/** One security group's rules as EC2 keeps them, in the wire form the fake receives. */
interface Group {
  ingressFromSelf: boolean;
  egressToAll: boolean;
}

let fake: AwsFake;
let groups: Map<string, Group>;
let seq = 0;

type Permission = {
  IpProtocol?: string;
  Groups?: { GroupId?: string; UserId?: string }[];
  IpRanges?: { CidrIp?: string }[];
};
type RuleInput = { GroupId: string; IpPermissions: Permission[] };

/** The ingress rule the default group starts with: all traffic from the group itself (wire form). */
function isSelfIngress(input: RuleInput): boolean {
  const [p] = input.IpPermissions;
  return (
    input.IpPermissions.length === 1 &&
    p.IpProtocol === '-1' &&
    p.Groups?.length === 1 &&
    p.Groups[0].GroupId === input.GroupId &&
    p.Groups[0].UserId === ACCOUNT &&
    p.IpRanges === undefined
  );
}

function isAllEgress(input: RuleInput): boolean {
  const [p] = input.IpPermissions;
  return (
    input.IpPermissions.length === 1 &&
    p.IpProtocol === '-1' &&
    p.IpRanges?.length === 1 &&
    p.IpRanges[0].CidrIp === '0.0.0.0/0' &&
    p.Groups === undefined
  );
}

function groupFor(input: RuleInput): Group {
  const g = groups.get(input.GroupId);
  if (!g)
    throw awsError(400, 'InvalidGroup.NotFound', `The security group '${input.GroupId}' does not exist`);
  return g;
}

/** A small EC2: the four rule operations, with EC2's errors for a missing or duplicate rule. */
function serveEc2(): void {
  fake.on<RuleInput>('ec2', 'RevokeSecurityGroupIngress', (input) => {
    const g = groupFor(input);
    if (!isSelfIngress(input) || !g.ingressFromSelf)
      throw awsError(
        400,
        'InvalidPermission.NotFound',
        'The specified rule does not exist in this security group.',
      );
    g.ingressFromSelf = false;
    return { return: true };
  });
  fake.on<RuleInput>('ec2', 'RevokeSecurityGroupEgress', (input) => {
    const g = groupFor(input);
    if (!isAllEgress(input) || !g.egressToAll)
      throw awsError(
        400,
        'InvalidPermission.NotFound',
        'The specified rule does not exist in this security group.',
      );
    g.egressToAll = false;
    return { return: true };
  });
  fake.on<RuleInput>('ec2', 'AuthorizeSecurityGroupIngress', (input) => {
    const g = groupFor(input);
    if (!isSelfIngress(input)) throw awsError(400, 'InvalidParameterValue', 'unexpected rule');
    if (g.ingressFromSelf)
      throw awsError(400, 'InvalidPermission.Duplicate', 'the specified rule already exists');
    g.ingressFromSelf = true;
    return { return: true };
  });
  fake.on<RuleInput>('ec2', 'AuthorizeSecurityGroupEgress', (input) => {
    const g = groupFor(input);
    if (!isAllEgress(input)) throw awsError(400, 'InvalidParameterValue', 'unexpected rule');
    if (g.egressToAll)
      throw awsError(400, 'InvalidPermission.Duplicate', 'the specified rule already exists');
    g.egressToAll = true;
    return { return: true };
  });
}

function event(overrides: Partial<CustomResourceEvent> = {}): CustomResourceEvent {
  const requestId = `req-${++seq}`;
  // Pre-signed URLs carry their signature in the query; the object key names stack, resource and request.
  const key = `${STACK_ID}|Closer|${requestId}`;
  return {
    RequestType: 'Create',
    ResponseURL: `${fake.endpoint}/${BUCKET}/${encodeURIComponent(key)}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=7200&X-Amz-Signature=abc`,
    StackId: STACK_ID,
    RequestId: requestId,
    LogicalResourceId: 'Closer',
    ResourceType: 'Custom::VpcRestrictDefaultSG',
    ResourceProperties: {
      ServiceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:closer',
      DefaultSecurityGroupId: SG,
      Account: ACCOUNT,
    },
    ...overrides,
  };
}

/** The response CloudFormation would read for a request. */
function responseTo(e: CustomResourceEvent): Record<string, unknown> {
  const text = fake.s3.getText(BUCKET, `${STACK_ID}|Closer|${e.RequestId}`);
  expect(text, `no response uploaded for ${e.RequestId}`).toBeDefined();
  return JSON.parse(text!) as Record<string, unknown>;
}

function makeHandler(env: Record<string, string> = {}) {
  return createHandler({
    ec2: () => new EC2Client(fake.clientConfig()),
    env,
    log: () => silentLogger,
    responseProtocols: ['http:'],
    sleep: async () => undefined,
  });
}

const ec2Ops = () => fake.calls.filter((c) => c.service === 'ec2').map((c) => `${c.operation} ${c.status}`);

beforeAll(async () => {
  fake = await startAwsFake();
});
afterAll(async () => {
  // Every EC2 call the handler sent is declared, so the authorization proof (test/deploy) covers it.
  // (Its answer to CloudFormation is a plain PUT to the pre-signed URL, which lands in the fake's S3.)
  const ec2 = fake.operationsReceived().filter((op) => op.startsWith('ec2.'));
  expect(ec2.length).toBeGreaterThan(0);
  expect(
    ec2.filter((op) => !RESTRICT_DEFAULT_SG_SDK_CALLS.some((c) => `${c.service}.${c.operation}` === op)),
  ).toEqual([]);
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  fake.s3.createBucket(BUCKET);
  groups = new Map([
    [SG, { ingressFromSelf: true, egressToAll: true }],
    [OTHER_SG, { ingressFromSelf: true, egressToAll: true }],
  ]);
  serveEc2();
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('restrict-default-sg handler', () => {
  it("on Create revokes the default group's default egress and ingress rules and answers SUCCESS", async () => {
    const e = event();
    const result = await makeHandler()(e);
    expect(groups.get(SG)).toEqual({ ingressFromSelf: false, egressToAll: false });
    expect(ec2Ops()).toEqual(['RevokeSecurityGroupEgress 200', 'RevokeSecurityGroupIngress 200']);
    expect(result).toMatchObject({ status: 'SUCCESS', outcome: 'closed', physicalResourceId: e.RequestId });
    // Every field CloudFormation requires, copied from the request.
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html
    expect(responseTo(e)).toEqual({
      Status: 'SUCCESS',
      PhysicalResourceId: e.RequestId,
      StackId: STACK_ID,
      RequestId: e.RequestId,
      LogicalResourceId: 'Closer',
    });
    fake.assertAllHandled();
  });

  it('is idempotent: a Create whose rules are already gone (InvalidPermission.NotFound) succeeds', async () => {
    // In a non-default VPC EC2 answers InvalidPermission.NotFound for a rule that does not exist.
    // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RevokeSecurityGroupIngress.html
    groups.set(SG, { ingressFromSelf: false, egressToAll: false });
    const e = event();
    await makeHandler()(e);
    expect(ec2Ops()).toEqual(['RevokeSecurityGroupEgress 400', 'RevokeSecurityGroupIngress 400']);
    expect(responseTo(e)).toMatchObject({ Status: 'SUCCESS' });
  });

  it('on Delete restores the default rules under the same physical id', async () => {
    const h = makeHandler();
    const create = event();
    await h(create);
    fake.clearCalls();
    const del = event({ RequestType: 'Delete', PhysicalResourceId: create.RequestId });
    const result = await h(del);
    expect(groups.get(SG)).toEqual({ ingressFromSelf: true, egressToAll: true });
    expect(ec2Ops()).toEqual(['AuthorizeSecurityGroupIngress 200', 'AuthorizeSecurityGroupEgress 200']);
    expect(result.outcome).toBe('restored');
    expect(responseTo(del)).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: create.RequestId });
  });

  it('a repeated Delete (rules already back, or the group gone) succeeds instead of blocking the stack deletion', async () => {
    const h = makeHandler();
    const again = event({ RequestType: 'Delete', PhysicalResourceId: 'req-0' });
    await h(again);
    expect(ec2Ops()).toEqual(['AuthorizeSecurityGroupIngress 400', 'AuthorizeSecurityGroupEgress 400']);
    expect(responseTo(again)).toMatchObject({ Status: 'SUCCESS' });
    groups.delete(SG);
    const gone = event({ RequestType: 'Delete', PhysicalResourceId: 'req-0' });
    await h(gone);
    expect(responseTo(gone)).toMatchObject({ Status: 'SUCCESS' });
  });

  it('a failed Create answers FAILED with the EC2 error and a marker id, and the rollback Delete touches nothing', async () => {
    const h = makeHandler();
    fake.failNext('ec2', 'RevokeSecurityGroupEgress', {
      code: 'UnauthorizedOperation',
      message: 'You are not authorized to perform this operation.',
    });
    const create = event();
    const result = await h(create);
    expect(result.status).toBe('FAILED');
    const response = responseTo(create);
    expect(response).toMatchObject({ Status: 'FAILED', PhysicalResourceId: CREATE_FAILED_PHYSICAL_ID });
    expect(response.Reason).toContain('UnauthorizedOperation: You are not authorized');
    fake.clearCalls();
    const rollback = event({ RequestType: 'Delete', PhysicalResourceId: CREATE_FAILED_PHYSICAL_ID });
    await h(rollback);
    expect(ec2Ops()).toEqual([]);
    expect(responseTo(rollback)).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: CREATE_FAILED_PHYSICAL_ID,
    });
    // The group was never closed, and the rollback did not try to add rules twice.
    expect(groups.get(SG)).toEqual({ ingressFromSelf: true, egressToAll: true });
  });

  it('an Update of the same group closes it again; an Update to another group restores the old one first', async () => {
    const h = makeHandler();
    groups.set(SG, { ingressFromSelf: true, egressToAll: false }); // someone reopened ingress
    const same = event({
      RequestType: 'Update',
      PhysicalResourceId: 'req-0',
      OldResourceProperties: { DefaultSecurityGroupId: SG, Account: ACCOUNT },
    });
    expect(await h(same)).toMatchObject({
      status: 'SUCCESS',
      outcome: 'closed',
      physicalResourceId: 'req-0',
    });
    expect(groups.get(SG)).toEqual({ ingressFromSelf: false, egressToAll: false });

    fake.clearCalls();
    const moved = event({
      RequestType: 'Update',
      PhysicalResourceId: 'req-0',
      ResourceProperties: { DefaultSecurityGroupId: OTHER_SG, Account: ACCOUNT },
      OldResourceProperties: { DefaultSecurityGroupId: SG, Account: ACCOUNT },
    });
    expect(await h(moved)).toMatchObject({
      status: 'SUCCESS',
      outcome: 'reopened-old-and-closed-new',
      physicalResourceId: 'req-0',
    });
    expect(groups.get(SG)).toEqual({ ingressFromSelf: true, egressToAll: true });
    expect(groups.get(OTHER_SG)).toEqual({ ingressFromSelf: false, egressToAll: false });
    expect(responseTo(moved)).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'req-0' });
  });

  it('answers FAILED without calling EC2 when the properties are malformed, keeping the physical id of an Update', async () => {
    const h = makeHandler();
    const create = event({ ResourceProperties: { DefaultSecurityGroupId: 'default', Account: ACCOUNT } });
    await h(create);
    expect(responseTo(create).Reason).toBe(
      'RequestError: ResourceProperties.DefaultSecurityGroupId: is not a security group id (got "default"; expected sg-<8 to 17 hex digits>)',
    );
    const update = event({
      RequestType: 'Update',
      PhysicalResourceId: 'req-0',
      ResourceProperties: { DefaultSecurityGroupId: SG },
    });
    await h(update);
    expect(responseTo(update)).toMatchObject({ Status: 'FAILED', PhysicalResourceId: 'req-0' });
    expect(responseTo(update).Reason).toContain(
      'ResourceProperties.Account: is not an account id (got null; expected 12 digits)',
    );
    expect(ec2Ops()).toEqual([]);
  });

  it('answers FAILED when its environment is malformed (a deployment error), still through the response URL', async () => {
    const e = event();
    await makeHandler({ [ENV.maxAttempts]: 'many' })(e);
    expect(responseTo(e)).toMatchObject({ Status: 'FAILED', PhysicalResourceId: CREATE_FAILED_PHYSICAL_ID });
    expect(responseTo(e).Reason).toBe(
      'ConfigError: RESTRICT_SG_MAX_ATTEMPTS: is out of range (got "many"; expected an integer >= 1 and <= 10)',
    );
  });

  it('retries EC2 throttling (RequestLimitExceeded) and succeeds', async () => {
    // https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html
    fake.faults({ throttleRate: 0.5, seed: 7, services: ['ec2'] });
    const e = event();
    await makeHandler()(e);
    expect(fake.calls.some((c) => c.errorCode === 'RequestLimitExceeded')).toBe(true);
    expect(groups.get(SG)).toEqual({ ingressFromSelf: false, egressToAll: false });
    expect(responseTo(e)).toMatchObject({ Status: 'SUCCESS' });
  });

  it('uploads with PUT and an empty Content-Type, as the URL is signed, and retries a failed upload', async () => {
    // A pre-signed PUT must send the headers it was signed with; CloudFormation signs none.
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/PresignedUrlUploadObject.html
    const seen: { contentType: unknown; method: unknown }[] = [];
    fake.failNext('s3', 'PutObject', { status: 503, code: 'SlowDown', times: 2 });
    fake.on('s3', 'PutObject', (input, ctx) => {
      seen.push({ contentType: ctx.headers['content-type'], method: 'PUT' });
      ctx.fake.s3.putObject(input.Bucket as string, input.Key as string, input.Body as Buffer);
      return { status: 200 };
    });
    const e = event();
    await makeHandler()(e);
    expect(fake.callsTo('s3', 'PutObject').map((c) => c.status)).toEqual([503, 503, 200]);
    expect(seen).toEqual([{ contentType: '', method: 'PUT' }]);
    expect(responseTo(e)).toMatchObject({ Status: 'SUCCESS' });
  });

  it('fails the invocation when the response cannot be uploaded after five attempts, so Lambda retries it', async () => {
    fake.failNext('s3', 'PutObject', { status: 403, code: 'AccessDenied', times: 5 });
    await expect(makeHandler()(event())).rejects.toThrow(
      new RegExp(
        `could not upload the response to http://127\\.0\\.0\\.1:\\d+/${BUCKET}/.*\\?\\.\\.\\. after 5 attempts: HTTP 403`,
      ),
    );
    expect(fake.count('s3', 'PutObject')).toBe(5);
  });

  it('keeps the response within the 4096 bytes CloudFormation accepts', async () => {
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html
    fake.failNext('ec2', 'RevokeSecurityGroupEgress', {
      code: 'UnauthorizedOperation',
      message: `Encoded authorization failure message: ${'x'.repeat(6000)}`,
    });
    const e = event();
    await makeHandler()(e);
    const raw = fake.s3.getObject(BUCKET, `${STACK_ID}|Closer|${e.RequestId}`)!.body;
    expect(raw.length).toBeLessThanOrEqual(MAX_RESPONSE_BYTES);
    expect(responseTo(e)).toMatchObject({
      Status: 'FAILED',
      Reason: expect.stringMatching(
        /^UnauthorizedOperation: Encoded authorization failure message: x+\.\.\.$/,
      ),
    });
  });

  it('answers FAILED before the Lambda timeout when EC2 is slow', async () => {
    fake.failNext('ec2', 'RevokeSecurityGroupEgress', { delayMs: 3_000 });
    const e = event();
    const started = Date.now();
    // 30.2 s left: 30 s are kept back to answer, so the work gets 200 ms.
    await makeHandler()(e, { getRemainingTimeInMillis: () => 30_200 });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(responseTo(e)).toMatchObject({
      Status: 'FAILED',
      Reason: 'Error: did not finish before the Lambda timeout (200 ms left for the work)',
    });
  });

  it('the production client times out an EC2 endpoint that accepts the connection and never answers', async () => {
    for (const [k, v] of Object.entries(fake.env({ maxAttempts: 1 }))) vi.stubEnv(k, v);
    fake.failNext('ec2', 'RevokeSecurityGroupEgress', { delayMs: 5_000 });
    const h = createHandler({
      ec2: defaultEc2Client,
      env: { [ENV.maxAttempts]: '1', [ENV.requestTimeoutMs]: '300', [ENV.connectionTimeoutMs]: '300' },
      log: () => silentLogger,
      responseProtocols: ['http:'],
      sleep: async () => undefined,
    });
    const e = event();
    const started = Date.now();
    await h(e);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(responseTo(e)).toMatchObject({
      Status: 'FAILED',
      Reason: expect.stringMatching(/^TimeoutError: /),
    });
  });

  it('the Lambda entry point accepts only an HTTPS response URL', async () => {
    await expect(
      productionHandler(event({ RequestType: 'Delete', PhysicalResourceId: CREATE_FAILED_PHYSICAL_ID })),
    ).rejects.toThrow('ResponseURL: has an unexpected scheme (got "http:"; expected https:)');
    expect(fake.count('s3')).toBe(0);
  });
});
