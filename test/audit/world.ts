import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { AuditClientFactory } from '../../lib/audit/clients';
import { AwsFake, awsError, pageOutput } from '../support/aws-fake';

/** The audit's fixed clock in tests. */
export const NOW = new Date('2026-03-01T00:00:00Z');
const DAY = 86_400_000;
export const daysAgo = (n: number): Date => new Date(NOW.getTime() - n * DAY);

export const ACCOUNT = '111111111111';
export const keyArn = (id: string): string => `arn:aws:kms:eu-west-1:${ACCOUNT}:key/${id}`;

/** A SageMaker/KMS/CloudWatch world the fake serves. */
export interface World {
  endpointConfigs: Record<string, unknown>[];
  models: Record<string, unknown>[];
  notebooks: Record<string, unknown>[];
  domains: Record<string, unknown>[];
  endpoints: Record<string, unknown>[];
  trainingJobs: Record<string, unknown>[];
  /** KeyMetadata by every reference that names it (id, ARN, alias). */
  keys: Record<string, Record<string, unknown>>;
  rotation: Record<string, boolean>;
  /** Daily invocation sums per endpoint name. */
  invocations: Record<string, number[]>;
  /** Monitoring schedule summaries; none when unset (EndpointName, MonitoringScheduleStatus, ...). */
  monitoringSchedules?: Record<string, unknown>[];
  /** Endpoints whose DriftMonitor heartbeat (ML/Drift AnalysisRuns) ListMetrics returns. */
  driftHeartbeats?: string[];
  /** Model package group names. */
  modelPackageGroups?: string[];
  /** Model packages (ModelPackageArn, ModelApprovalStatus). */
  modelPackages?: Record<string, unknown>[];
  /** IAM users by name; none when unset. */
  iamUsers?: string[];
  /** Service-last-accessed report per IAM user name; a user without one has no permissions listed. */
  lastAccessed?: Record<string, LastAccessedReport>;
  /** Described flow definitions (FlowDefinitionName, OutputConfig, ...); none when unset. */
  flowDefinitions?: Record<string, unknown>[];
  /** Described notebook lifecycle configs (NotebookInstanceLifecycleConfigName, OnStart, ...). */
  lifecycleConfigs?: Record<string, unknown>[];
  /** Described Studio lifecycle configs (StudioLifecycleConfigName, -AppType, -Content). */
  studioLifecycleConfigs?: Record<string, unknown>[];
  /** Described custom images (ImageName, Description, RoleArn, ...). */
  images?: Record<string, unknown>[];
  /** Described image versions (ImageName, Version, BaseImage, ...), listed under their image. */
  imageVersions?: Record<string, unknown>[];
  /** App image configs as ListAppImageConfigs returns them, plus their `Tags` (served by ListTags). */
  appImageConfigs?: Record<string, unknown>[];
  /** Described inference experiments (Name, KmsKey, DataStorageConfig, ...). */
  inferenceExperiments?: Record<string, unknown>[];
}

/** What GetServiceLastAccessedDetails answers for one user's job. */
export interface LastAccessedReport {
  /** ServiceLastAccessed entries (ServiceNamespace, ServiceName, LastAuthenticated?). */
  readonly services: Record<string, unknown>[];
  /** Reads answered IN_PROGRESS before the job completes. @default 0 */
  readonly inProgressPolls?: number;
  /** A final status other than COMPLETED. */
  readonly status?: 'FAILED';
}

export const userArn = (name: string): string => `arn:aws:iam::${ACCOUNT}:user/${name}`;

function key(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    KeyId: id,
    Arn: keyArn(id),
    KeyManager: 'CUSTOMER',
    KeyState: 'Enabled',
    KeySpec: 'SYMMETRIC_DEFAULT',
    Origin: 'AWS_KMS',
    ...extra,
  };
}

/**
 * The members of a training job that satisfy MLOps-SageMakerPipelineTrainingStep (and, with spot,
 * the wait time of -PipelineTrainingSpotCheckpoints): pinned image, VPC, keys, isolation.
 */
export function hardenedTraining(key: string): Record<string, unknown> {
  return {
    AlgorithmSpecification: {
      TrainingImage: `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/train@sha256:${'b'.repeat(64)}`,
      TrainingInputMode: 'File',
    },
    ResourceConfig: {
      InstanceType: 'ml.m5.xlarge',
      InstanceCount: 1,
      VolumeSizeInGB: 50,
      VolumeKmsKeyId: key,
    },
    OutputDataConfig: { S3OutputPath: 's3://out/', KmsKeyId: key },
    VpcConfig: { Subnets: ['subnet-1'], SecurityGroupIds: ['sg-1'] },
    EnableNetworkIsolation: true,
    EnableInterContainerTrafficEncryption: true,
    StoppingCondition: { MaxRuntimeInSeconds: 3600, MaxWaitTimeInSeconds: 7200 },
  };
}

/**
 * A world with one problem of each kind next to compliant resources:
 * - endpoint configs: `good` (CMK, encrypted capture), `no-capture`, `plain-capture` (no capture key),
 *   `no-kms`, `serverless` (no volume key: the synth rule MLOps-SageMakerEndpointConfigKMS reports it)
 * - models `isolated` / `open`, notebooks `locked` / `defaults`, domains `studio` / `sandbox`
 * - keys: `k-good` (rotating; referenced by id, ARN and alias), `k-norotate`, `k-pending`, AWS managed `k-aws`
 */
/** An account with nothing in it: every list the audit reads is empty. */
export function emptyWorld(): World {
  return {
    endpointConfigs: [],
    models: [],
    notebooks: [],
    domains: [],
    endpoints: [],
    trainingJobs: [],
    keys: {},
    rotation: {},
    invocations: {},
  };
}

export function standardWorld(): World {
  const good = keyArn('k-good');
  const keys: World['keys'] = {
    [good]: key('k-good'),
    'k-good': key('k-good'),
    'alias/platform/models': key('k-good'),
    [keyArn('k-norotate')]: key('k-norotate'),
    [keyArn('k-pending')]: key('k-pending', {
      KeyState: 'PendingDeletion',
      DeletionDate: new Date('2026-03-20T00:00:00Z'),
    }),
    [keyArn('k-aws')]: key('k-aws', { KeyManager: 'AWS' }),
  };
  return {
    endpointConfigs: [
      {
        EndpointConfigName: 'good',
        KmsKeyId: good,
        ProductionVariants: [{ VariantName: 'v1', InstanceType: 'ml.m5.large', InitialInstanceCount: 2 }],
        DataCaptureConfig: {
          EnableCapture: true,
          KmsKeyId: 'alias/platform/models',
          DestinationS3Uri: 's3://c/',
          InitialSamplingPercentage: 100,
          CaptureOptions: [{ CaptureMode: 'Input' }],
        },
      },
      {
        EndpointConfigName: 'no-capture',
        KmsKeyId: 'k-good',
        ProductionVariants: [{ VariantName: 'v1', InstanceType: 'ml.c5.xlarge', InitialInstanceCount: 2 }],
      },
      {
        EndpointConfigName: 'plain-capture',
        KmsKeyId: keyArn('k-pending'),
        ProductionVariants: [{ VariantName: 'v1', InstanceType: 'ml.m5.large', InitialInstanceCount: 2 }],
        DataCaptureConfig: {
          EnableCapture: true,
          DestinationS3Uri: 's3://c/',
          InitialSamplingPercentage: 10,
          CaptureOptions: [{ CaptureMode: 'Input' }],
        },
      },
      {
        EndpointConfigName: 'no-kms',
        ProductionVariants: [{ VariantName: 'v1', InstanceType: 'ml.m5.large', InitialInstanceCount: 2 }],
        DataCaptureConfig: {
          EnableCapture: true,
          KmsKeyId: keyArn('k-aws'),
          DestinationS3Uri: 's3://c/',
          InitialSamplingPercentage: 10,
          CaptureOptions: [{ CaptureMode: 'Input' }],
        },
      },
      {
        EndpointConfigName: 'serverless',
        ProductionVariants: [
          { VariantName: 'v1', ServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 5 } },
        ],
        DataCaptureConfig: {
          EnableCapture: true,
          KmsKeyId: good,
          DestinationS3Uri: 's3://c/',
          InitialSamplingPercentage: 10,
          CaptureOptions: [{ CaptureMode: 'Input' }],
        },
      },
    ],
    models: [
      {
        ModelName: 'isolated',
        EnableNetworkIsolation: true,
        VpcConfig: { SecurityGroupIds: ['sg-1'], Subnets: ['subnet-1'] },
      },
      { ModelName: 'open' },
    ],
    notebooks: [
      {
        NotebookInstanceName: 'locked',
        RootAccess: 'Disabled',
        DirectInternetAccess: 'Disabled',
        KmsKeyId: keyArn('k-norotate'),
        SubnetId: 'subnet-1',
        SecurityGroups: ['sg-1'],
        InstanceMetadataServiceConfiguration: { MinimumInstanceMetadataServiceVersion: '2' },
        NotebookInstanceLifecycleConfigName: 'auto-stop',
      },
      { NotebookInstanceName: 'defaults' },
    ],
    domains: [
      {
        DomainId: 'd-good',
        DomainName: 'studio',
        AuthMode: 'SSO',
        AppNetworkAccessType: 'VpcOnly',
        KmsKeyId: good,
        DefaultUserSettings: {
          JupyterLabAppSettings: {
            AppLifecycleManagement: {
              IdleSettings: { LifecycleManagement: 'ENABLED', IdleTimeoutInMinutes: 60 },
            },
          },
          CodeEditorAppSettings: {
            AppLifecycleManagement: {
              IdleSettings: { LifecycleManagement: 'ENABLED', IdleTimeoutInMinutes: 60 },
            },
          },
        },
      },
      {
        DomainId: 'd-open',
        DomainName: 'sandbox',
        AuthMode: 'IAM',
        AppNetworkAccessType: 'PublicInternetOnly',
      },
    ],
    endpoints: [
      {
        EndpointName: 'busy',
        EndpointConfigName: 'good',
        CreationTime: daysAgo(90),
        ProductionVariants: [{ VariantName: 'v1', CurrentInstanceCount: 2 }],
      },
      {
        EndpointName: 'idle',
        EndpointConfigName: 'good',
        CreationTime: daysAgo(60),
        ProductionVariants: [{ VariantName: 'v1', CurrentInstanceCount: 2 }],
      },
      {
        EndpointName: 'new',
        EndpointConfigName: 'no-capture',
        CreationTime: daysAgo(5),
        ProductionVariants: [{ VariantName: 'v1', CurrentInstanceCount: 1 }],
      },
      {
        EndpointName: 'serverless-idle',
        EndpointConfigName: 'serverless',
        CreationTime: daysAgo(60),
        ProductionVariants: [
          { VariantName: 'v1', CurrentServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 5 } },
        ],
      },
    ],
    trainingJobs: [
      {
        ...hardenedTraining(good),
        TrainingJobName: 'spot-ckpt',
        CreationTime: daysAgo(3),
        EnableManagedSpotTraining: true,
        CheckpointConfig: { S3Uri: 's3://ckpt/' },
        TrainingTimeInSeconds: 3000,
        BillableTimeInSeconds: 1200,
      },
      {
        ...hardenedTraining(good),
        TrainingJobName: 'spot-nockpt',
        CreationTime: daysAgo(4),
        EnableManagedSpotTraining: true,
        TrainingTimeInSeconds: 100,
        BillableTimeInSeconds: 100,
      },
      {
        ...hardenedTraining(good),
        TrainingJobName: 'on-demand',
        CreationTime: daysAgo(5),
        TrainingTimeInSeconds: 500,
        BillableTimeInSeconds: 500,
      },
    ],
    keys,
    rotation: { 'k-good': true, 'k-norotate': false },
    invocations: { busy: [0, 3, 0, 12], idle: [0, 0, 0] },
    // busy: a Model Monitor schedule; idle: a stopped one only; new: a DriftMonitor heartbeat;
    // serverless-idle: nothing.
    monitoringSchedules: [
      { MonitoringScheduleName: 'busy-other', EndpointName: 'busy', MonitoringScheduleStatus: 'Stopped' },
      { MonitoringScheduleName: 'busy-quality', EndpointName: 'busy', MonitoringScheduleStatus: 'Scheduled' },
      { MonitoringScheduleName: 'idle-quality', EndpointName: 'idle', MonitoringScheduleStatus: 'Stopped' },
    ],
    driftHeartbeats: ['new'],
    modelPackageGroups: ['churn'],
    modelPackages: [
      {
        ModelPackageArn: `arn:aws:sagemaker:eu-west-1:${ACCOUNT}:model-package/churn/1`,
        ModelApprovalStatus: 'Approved',
      },
    ],
  };
}

/** Registers every operation the audit calls, with lists paged `pageSize` at a time. */
export function serve(fake: AwsFake, world: World, pageSize = 2): void {
  const byName = <T extends Record<string, unknown>>(
    items: T[],
    field: string,
    input: Record<string, unknown>,
    what: string,
  ): T => {
    const found = items.find((i) => i[field] === input[field]);
    if (!found)
      throw awsError(400, 'ValidationException', `Could not find ${what} "${String(input[field])}".`);
    return found;
  };
  const summaries = (items: Record<string, unknown>[], fields: string[]) =>
    items.map((i) => Object.fromEntries(fields.map((f) => [f, i[f] ?? daysAgo(1)])));

  fake.seedList(
    'sagemaker',
    'ListEndpointConfigs',
    'EndpointConfigs',
    summaries(world.endpointConfigs, ['EndpointConfigName', 'CreationTime']),
    { pageSize },
  );
  fake.on('sagemaker', 'DescribeEndpointConfig', (input) =>
    byName(world.endpointConfigs, 'EndpointConfigName', input, 'endpoint configuration'),
  );
  fake.seedList('sagemaker', 'ListModels', 'Models', summaries(world.models, ['ModelName', 'CreationTime']), {
    pageSize,
  });
  fake.on('sagemaker', 'DescribeModel', (input) => byName(world.models, 'ModelName', input, 'model'));
  fake.seedList(
    'sagemaker',
    'ListNotebookInstances',
    'NotebookInstances',
    summaries(world.notebooks, ['NotebookInstanceName']),
    { pageSize },
  );
  fake.on('sagemaker', 'DescribeNotebookInstance', (input) =>
    byName(world.notebooks, 'NotebookInstanceName', input, 'notebook instance'),
  );
  fake.seedList('sagemaker', 'ListDomains', 'Domains', summaries(world.domains, ['DomainId', 'DomainName']), {
    pageSize,
  });
  fake.on('sagemaker', 'DescribeDomain', (input) => byName(world.domains, 'DomainId', input, 'domain'));
  fake.on('sagemaker', 'ListEndpoints', (input) =>
    pageOutput('Endpoints', summaries(world.endpoints, ['EndpointName', 'CreationTime']), input, {
      pageSize,
    }),
  );
  fake.on('sagemaker', 'DescribeEndpoint', (input) => ({
    EndpointStatus: 'InService',
    EndpointArn: `arn:aws:sagemaker:eu-west-1:${ACCOUNT}:endpoint/${String(input.EndpointName)}`,
    ...byName(world.endpoints, 'EndpointName', input, 'endpoint'),
  }));
  fake.on('sagemaker', 'ListMonitoringSchedules', (input) =>
    pageOutput(
      'MonitoringScheduleSummaries',
      (world.monitoringSchedules ?? [])
        .filter((m) => input.EndpointName === undefined || m.EndpointName === input.EndpointName)
        .map((m) => ({ CreationTime: daysAgo(10), LastModifiedTime: daysAgo(1), ...m })),
      input,
      { pageSize: 1 },
    ),
  );
  fake.on('sagemaker', 'ListModelPackageGroups', (input) =>
    pageOutput(
      'ModelPackageGroupSummaryList',
      (world.modelPackageGroups ?? []).map((g) => ({
        ModelPackageGroupName: g,
        ModelPackageGroupArn: `arn:aws:sagemaker:eu-west-1:${ACCOUNT}:model-package-group/${g}`,
        CreationTime: daysAgo(30),
        ModelPackageGroupStatus: 'Completed',
      })),
      input,
      { pageSize },
    ),
  );
  fake.on('sagemaker', 'ListModelPackages', (input) =>
    pageOutput(
      'ModelPackageSummaryList',
      (world.modelPackages ?? [])
        .filter(
          (p) =>
            input.ModelApprovalStatus === undefined || p.ModelApprovalStatus === input.ModelApprovalStatus,
        )
        .map((p) => ({ CreationTime: daysAgo(20), ModelPackageStatus: 'Completed', ...p })),
      input,
      { pageSize },
    ),
  );
  fake.on('cloudwatch', 'ListMetrics', (input) => {
    const dims = (input.Dimensions ?? []) as { Name: string; Value: string }[];
    const endpoint = dims.find((d) => d.Name === 'EndpointName')?.Value;
    const listed =
      input.Namespace === 'ML/Drift' && input.MetricName === 'AnalysisRuns' && endpoint !== undefined
        ? (world.driftHeartbeats ?? []).filter((e) => e === endpoint)
        : [];
    return pageOutput(
      'Metrics',
      listed.map((e) => ({
        Namespace: 'ML/Drift',
        MetricName: 'AnalysisRuns',
        Dimensions: [{ Name: 'EndpointName', Value: e }],
      })),
      input,
      { pageSize },
    );
  });
  fake.on('sagemaker', 'ListTrainingJobs', (input) => {
    const after = typeof input.CreationTimeAfter === 'number' ? input.CreationTimeAfter * 1000 : 0;
    const jobs = world.trainingJobs.filter((j) => (j.CreationTime as Date).getTime() > after);
    return pageOutput('TrainingJobSummaries', summaries(jobs, ['TrainingJobName', 'CreationTime']), input, {
      pageSize,
    });
  });
  fake.on('sagemaker', 'DescribeTrainingJob', (input) => ({
    TrainingJobStatus: 'Completed',
    ...byName(world.trainingJobs, 'TrainingJobName', input, 'training job'),
  }));
  fake.on('iam', 'ListUsers', (input) =>
    pageOutput(
      'Users',
      (world.iamUsers ?? []).map((u) => ({
        Path: '/',
        UserName: u,
        UserId: `AIDA${u.toUpperCase()}`,
        Arn: userArn(u),
        CreateDate: daysAgo(400),
      })),
      input,
      { pageSize, inputTokenField: 'Marker', limitField: 'MaxItems', truncatedField: 'IsTruncated' },
    ),
  );
  const polls = new Map<string, number>();
  fake.on('iam', 'GenerateServiceLastAccessedDetails', (input) => {
    const name = String(input.Arn).split('/').pop()!;
    if (!(world.iamUsers ?? []).includes(name)) {
      throw awsError(404, 'NoSuchEntity', `The user with name ${name} cannot be found.`);
    }
    polls.set(`job-${name}`, 0);
    return { JobId: `job-${name}` };
  });
  fake.on('iam', 'GetServiceLastAccessedDetails', (input) => {
    const jobId = String(input.JobId);
    const seen = polls.get(jobId);
    if (seen === undefined) throw awsError(404, 'NoSuchEntity', `No job ${jobId}.`);
    polls.set(jobId, seen + 1);
    const report = world.lastAccessed?.[jobId.slice('job-'.length)] ?? { services: [] };
    const base = { JobType: 'SERVICE_LEVEL', JobCreationDate: daysAgo(0) };
    if (seen < (report.inProgressPolls ?? 0))
      return { ...base, JobStatus: 'IN_PROGRESS', ServicesLastAccessed: [] };
    if (report.status === 'FAILED') {
      return {
        ...base,
        JobStatus: 'FAILED',
        JobCompletionDate: daysAgo(0),
        ServicesLastAccessed: [],
        Error: { Code: 'InternalError', Message: 'report generation failed' },
      };
    }
    return {
      ...base,
      JobStatus: 'COMPLETED',
      JobCompletionDate: daysAgo(0),
      ...pageOutput('ServicesLastAccessed', report.services, input, {
        pageSize,
        inputTokenField: 'Marker',
        limitField: 'MaxItems',
        truncatedField: 'IsTruncated',
      }),
    };
  });
  fake.seedList(
    'sagemaker',
    'ListNotebookInstanceLifecycleConfigs',
    'NotebookInstanceLifecycleConfigs',
    summaries(world.lifecycleConfigs ?? [], ['NotebookInstanceLifecycleConfigName', 'CreationTime']),
    { pageSize },
  );
  fake.on('sagemaker', 'DescribeNotebookInstanceLifecycleConfig', (input) =>
    byName(world.lifecycleConfigs ?? [], 'NotebookInstanceLifecycleConfigName', input, 'lifecycle config'),
  );
  fake.seedList(
    'sagemaker',
    'ListStudioLifecycleConfigs',
    'StudioLifecycleConfigs',
    summaries(world.studioLifecycleConfigs ?? [], ['StudioLifecycleConfigName', 'CreationTime']),
    { pageSize },
  );
  fake.on('sagemaker', 'DescribeStudioLifecycleConfig', (input) =>
    byName(world.studioLifecycleConfigs ?? [], 'StudioLifecycleConfigName', input, 'Studio lifecycle config'),
  );
  fake.seedList(
    'sagemaker',
    'ListImages',
    'Images',
    (world.images ?? []).map((i) => ({
      ImageName: i.ImageName,
      ImageArn: `arn:aws:sagemaker:eu-west-1:${ACCOUNT}:image/${String(i.ImageName)}`,
      ImageStatus: 'CREATED',
      CreationTime: daysAgo(30),
      LastModifiedTime: daysAgo(30),
    })),
    { pageSize },
  );
  const imageArn = (i: Record<string, unknown>) =>
    (i.ImageArn as string | undefined) ??
    `arn:aws:sagemaker:eu-west-1:${ACCOUNT}:image/${String(i.ImageName)}`;
  const appImageConfigArn = (a: Record<string, unknown>) =>
    (a.AppImageConfigArn as string | undefined) ??
    `arn:aws:sagemaker:eu-west-1:${ACCOUNT}:app-image-config/${String(a.AppImageConfigName)}`;
  const withoutTags = ({ Tags: _tags, ...rest }: Record<string, unknown>) => rest;
  fake.on('sagemaker', 'DescribeImage', (input) => {
    const image = byName(world.images ?? [], 'ImageName', input, 'image');
    return { ImageArn: imageArn(image), ImageStatus: 'CREATED', ...withoutTags(image) };
  });
  fake.on('sagemaker', 'ListAppImageConfigs', (input) =>
    pageOutput(
      'AppImageConfigs',
      (world.appImageConfigs ?? []).map((a) => ({
        AppImageConfigArn: appImageConfigArn(a),
        CreationTime: daysAgo(30),
        ...withoutTags(a),
      })),
      input,
      { pageSize },
    ),
  );
  // Tags are read per resource ARN (Describe* returns none); one tag per page here, so a
  // resource's tags take several pages.
  fake.on('sagemaker', 'ListTags', (input) => {
    const tagged: [string, Record<string, unknown>][] = [
      ...(world.images ?? []).map((i): [string, Record<string, unknown>] => [imageArn(i), i]),
      ...(world.appImageConfigs ?? []).map((a): [string, Record<string, unknown>] => [
        appImageConfigArn(a),
        a,
      ]),
    ];
    const found = tagged.find(([arn]) => arn === input.ResourceArn);
    if (!found) throw awsError(400, 'ResourceNotFound', `Resource ${String(input.ResourceArn)} not found.`);
    return pageOutput('Tags', (found[1].Tags as unknown[] | undefined) ?? [], input, { pageSize: 1 });
  });
  const versionArn = (v: Record<string, unknown>) =>
    `arn:aws:sagemaker:eu-west-1:${ACCOUNT}:image-version/${String(v.ImageName)}/${String(v.Version)}`;
  fake.on('sagemaker', 'ListImageVersions', (input) => {
    if (!(world.images ?? []).some((i) => i.ImageName === input.ImageName)) {
      throw awsError(400, 'ResourceNotFound', `Image ${String(input.ImageName)} does not exist.`);
    }
    return pageOutput(
      'ImageVersions',
      (world.imageVersions ?? [])
        .filter((v) => v.ImageName === input.ImageName)
        .map((v) => ({
          ImageArn: `arn:aws:sagemaker:eu-west-1:${ACCOUNT}:image/${String(v.ImageName)}`,
          ImageVersionArn: versionArn(v),
          ImageVersionStatus: 'CREATED',
          Version: v.Version,
          CreationTime: daysAgo(20),
          LastModifiedTime: daysAgo(20),
        })),
      input,
      { pageSize },
    );
  });
  fake.on('sagemaker', 'DescribeImageVersion', (input) => {
    const found = (world.imageVersions ?? []).find(
      (v) => v.ImageName === input.ImageName && v.Version === input.Version,
    );
    if (!found) throw awsError(400, 'ResourceNotFound', 'Image version does not exist.');
    const { ImageName: _image, ...rest } = found;
    return { ImageVersionArn: versionArn(found), ImageVersionStatus: 'CREATED', ...rest };
  });
  fake.seedList(
    'sagemaker',
    'ListInferenceExperiments',
    'InferenceExperiments',
    (world.inferenceExperiments ?? []).map((e) => ({
      Name: e.Name,
      Type: 'ShadowMode',
      Status: 'Running',
      CreationTime: daysAgo(3),
      LastModifiedTime: daysAgo(3),
    })),
    { pageSize },
  );
  fake.on('sagemaker', 'DescribeInferenceExperiment', (input) => ({
    Arn: `arn:aws:sagemaker:eu-west-1:${ACCOUNT}:inference-experiment/${String(input.Name)}`,
    Status: 'Running',
    ...byName(world.inferenceExperiments ?? [], 'Name', input, 'inference experiment'),
  }));
  fake.on('sagemaker', 'ListFlowDefinitions', (input) =>
    pageOutput(
      'FlowDefinitionSummaries',
      (world.flowDefinitions ?? []).map((f) => ({
        FlowDefinitionName: f.FlowDefinitionName,
        FlowDefinitionArn: `arn:aws:sagemaker:eu-west-1:${ACCOUNT}:flow-definition/${String(f.FlowDefinitionName)}`,
        FlowDefinitionStatus: 'Active',
        CreationTime: daysAgo(10),
      })),
      input,
      { pageSize },
    ),
  );
  fake.on('sagemaker', 'DescribeFlowDefinition', (input) => ({
    FlowDefinitionArn: `arn:aws:sagemaker:eu-west-1:${ACCOUNT}:flow-definition/${String(input.FlowDefinitionName)}`,
    FlowDefinitionStatus: 'Active',
    CreationTime: daysAgo(10),
    RoleArn: `arn:aws:iam::${ACCOUNT}:role/a2i`,
    ...byName(world.flowDefinitions ?? [], 'FlowDefinitionName', input, 'flow definition'),
  }));
  fake.on('kms', 'DescribeKey', (input) => {
    const meta = world.keys[String(input.KeyId)];
    if (!meta) throw awsError(400, 'NotFoundException', `Key '${String(input.KeyId)}' does not exist`);
    return { KeyMetadata: meta };
  });
  fake.on('kms', 'GetKeyRotationStatus', (input) => {
    const id = String(input.KeyId).split('/').pop()!;
    return { KeyRotationEnabled: world.rotation[id] ?? false };
  });
  fake.on('cloudwatch', 'GetMetricData', (input) => {
    const queries = input.MetricDataQueries as {
      Id: string;
      MetricStat: { Metric: { Dimensions: { Name: string; Value: string }[] } };
    }[];
    return {
      MetricDataResults: queries.map((q) => {
        const endpoint = q.MetricStat.Metric.Dimensions.find((d) => d.Name === 'EndpointName')!.Value;
        const values = world.invocations[endpoint] ?? [];
        return {
          Id: q.Id,
          Label: 'Invocations',
          StatusCode: 'Complete',
          Values: values,
          Timestamps: values.map((_, i) => daysAgo(i + 1)),
        };
      }),
    };
  });
}

/** A client factory pointing the real SDK clients at the fake. */
export function fakeClients(fake: AwsFake, options: { maxAttempts?: number } = {}): AuditClientFactory {
  return (o) => ({
    sagemaker: new SageMakerClient(fake.clientConfig({ region: o.region, maxAttempts: options.maxAttempts })),
    kms: new KMSClient(fake.clientConfig({ region: o.region, maxAttempts: options.maxAttempts })),
    cloudwatch: new CloudWatchClient(
      fake.clientConfig({ region: o.region, maxAttempts: options.maxAttempts }),
    ),
    iam: new IAMClient(fake.clientConfig({ region: o.region, maxAttempts: options.maxAttempts })),
  });
}
