import { afterAll, beforeAll, expect, test } from 'vitest';
import { runAudit } from '../../lib/audit/audit';
import { AUDIT_IAM_ACTIONS, auditPolicyDocument } from '../../lib/audit/permissions';
import { iamActionKnown } from '../../lib/aws-facts/iam-actions';
import { AwsFake, startAwsFake } from '../support/aws-fake';
import { daysAgo, fakeClients, NOW, serve, standardWorld, World } from './world';

let fake: AwsFake;
beforeAll(async () => {
  fake = await startAwsFake();
});
afterAll(async () => {
  await fake.close();
});

/** The standard world plus one resource of every type the newer check groups read. */
function everyType(): World {
  return {
    ...standardWorld(),
    iamUsers: ['alice'],
    lastAccessed: {
      alice: {
        services: [
          { ServiceNamespace: 'sagemaker', ServiceName: 'Amazon SageMaker', LastAuthenticated: daysAgo(3) },
        ],
      },
    },
    lifecycleConfigs: [
      {
        NotebookInstanceLifecycleConfigName: 'auto-stop',
        OnStart: [{ Content: Buffer.from('echo hi').toString('base64') }],
      },
    ],
    images: [
      { ImageName: 'py311', RoleArn: 'arn:aws:iam::111111111111:role/img', Description: 'Python 3.11' },
    ],
    imageVersions: [
      {
        ImageName: 'py311',
        Version: 1,
        BaseImage: `111111111111.dkr.ecr.eu-west-1.amazonaws.com/py@sha256:${'c'.repeat(64)}`,
      },
    ],
    inferenceExperiments: [
      {
        Name: 'shadow',
        Type: 'ShadowMode',
        RoleArn: 'arn:aws:iam::111111111111:role/exp',
        EndpointMetadata: { EndpointName: 'busy' },
        ModelVariants: [
          {
            ModelName: 'm',
            VariantName: 'v',
            InfrastructureConfig: { InfrastructureType: 'RealTimeInference' },
          },
        ],
      },
    ],
    studioLifecycleConfigs: [
      {
        StudioLifecycleConfigName: 'jl-start',
        StudioLifecycleConfigAppType: 'JupyterLab',
        StudioLifecycleConfigContent: Buffer.from('echo hi').toString('base64'),
      },
    ],
    appImageConfigs: [{ AppImageConfigName: 'jupyter', Tags: [{ Key: 'owner', Value: 'ml' }] }],
    flowDefinitions: [{ FlowDefinitionName: 'review', OutputConfig: { S3OutputPath: 's3://r/' } }],
  };
}

test('every request of every check group is an action of the documented read-only policy, and every listed action is used', async () => {
  serve(fake, everyType());
  const report = await runAudit({
    region: 'eu-west-1',
    clientFactory: fakeClients(fake),
    now: NOW,
    lastAccessedPolling: { intervalMs: 1, maxPolls: 3 },
  });
  expect(report.errors).toEqual([]);
  fake.assertAllHandled();
  // The fake names services as their IAM prefixes: sagemaker, kms, cloudwatch, iam.
  const called = [...new Set(fake.calls.map((c) => `${c.service}:${c.operation}`))].sort();
  expect(called.filter((a) => !AUDIT_IAM_ACTIONS.includes(a))).toEqual([]);
  expect([...AUDIT_IAM_ACTIONS].sort()).toEqual(called);
});

test('every action of the audit policy exists in the Service Authorization Reference, none is a wildcard or a write', () => {
  expect(AUDIT_IAM_ACTIONS.filter((a) => !iamActionKnown(a))).toEqual([]);
  expect(AUDIT_IAM_ACTIONS.filter((a) => a.includes('*'))).toEqual([]);
  const verb = (a: string) => a.split(':')[1].match(/^[A-Z][a-z]+/)![0];
  // Generate* starts IAM's last-accessed report job: it reads usage, it changes nothing.
  expect([...new Set(AUDIT_IAM_ACTIONS.map(verb))].sort()).toEqual(['Describe', 'Generate', 'Get', 'List']);
  expect(auditPolicyDocument().Statement[0]).toMatchObject({ Effect: 'Allow', Resource: '*' });
});
