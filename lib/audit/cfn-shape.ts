import {
  AppImageConfigDetails,
  ContainerDefinition,
  DescribeDomainCommandOutput,
  DescribeEndpointConfigCommandOutput,
  DescribeImageCommandOutput,
  DescribeImageVersionCommandOutput,
  DescribeInferenceExperimentCommandOutput,
  DescribeNotebookInstanceLifecycleConfigCommandOutput,
  DescribeStudioLifecycleConfigCommandOutput,
  DescribeModelCommandOutput,
  DescribeNotebookInstanceCommandOutput,
  DescribeTrainingJobCommandOutput,
  ProductionVariant,
  Tag,
} from '@aws-sdk/client-sagemaker';

/**
 * The condition and parameter the synthetic template defines so that a field the audit could not
 * read can be written as {@link NOT_READ}: either absent or a value nobody knows. The pack judges
 * each branch of an `Fn::If` (lib/policy/rule-helpers/evaluation.ts), so a marker whose branches
 * were both `AWS::NoValue` would read as "absent" and pass every rule an absent field passes (a
 * platform identifier, an image). With one branch an unconstrained parameter, a rule that needs
 * the field either throws (a literal it cannot judge) or answers differently per branch; the
 * audit reports both as "not checked" (see judgeShapes), never as a pass. A rule that answers the
 * same on both branches does not depend on the field, and its verdict stands.
 */
export const NOT_READ_CONDITION = 'AuditFieldNotReturnedByDescribe';

/** The parameter standing for the unknown value of a field the describe did not return. */
export const NOT_READ_PARAMETER = 'AuditValueNotReturnedByDescribe';

/** The value written for a field the describe call did not return in a usable shape. */
export const NOT_READ: Readonly<Record<string, unknown>> = Object.freeze({
  'Fn::If': [NOT_READ_CONDITION, { Ref: NOT_READ_PARAMETER }, { Ref: 'AWS::NoValue' }],
});

/** One live resource mapped onto its CloudFormation type and Properties. */
export interface CfnShape {
  /** The CloudFormation type the rules see: `AWS::SageMaker::Model`, ... */
  readonly type: string;
  /**
   * The type findings name, when the live resource has no CloudFormation type of its own (a
   * training job is checked as a step of a synthetic pipeline).
   * @default - `type`
   */
  readonly resourceType?: string;
  /** Where findings point: the live ARN, or the name when the describe did not return one. */
  readonly location: string;
  readonly properties: Record<string, unknown>;
  /** Property paths the describe did not return in a usable shape, written as {@link NOT_READ}. */
  readonly notRead: readonly string[];
}

/** Collects the properties of one resource, dropping absent values and recording unreadable ones. */
class Shaper {
  public readonly notRead: string[] = [];

  /** A string, absent, or {@link NOT_READ} (recorded under `path`) for any other shape. */
  public str(value: unknown, path: string): unknown {
    return this.typed(value, path, (v) => typeof v === 'string');
  }

  public num(value: unknown, path: string): unknown {
    return this.typed(value, path, (v) => typeof v === 'number');
  }

  public bool(value: unknown, path: string): unknown {
    return this.typed(value, path, (v) => typeof v === 'boolean');
  }

  public strings(value: unknown, path: string): unknown {
    return this.typed(value, path, (v) => Array.isArray(v) && v.every((s) => typeof s === 'string'));
  }

  /**
   * A member CloudFormation requires (CfnInclude refuses the resource without it): when the
   * response lacks it, it is written as {@link NOT_READ}, so rules that read it cannot pass.
   */
  public req(kind: 'str' | 'num' | 'strings', value: unknown, path: string): unknown {
    return value === undefined || value === null ? this.unread(path) : this[kind](value, path);
  }

  public unread(path: string): unknown {
    this.notRead.push(path);
    return NOT_READ;
  }

  private typed(value: unknown, path: string, ok: (v: unknown) => boolean): unknown {
    if (value === undefined || value === null) return undefined;
    return ok(value) ? value : this.unread(path);
  }
}

/** An object without its undefined members (CloudFormation has no `undefined`). */
function compact(record: Record<string, unknown>): Record<string, unknown> | undefined {
  const out = Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
  return Object.keys(out).length > 0 ? out : undefined;
}

function obj(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function container(s: Shaper, c: ContainerDefinition, path: string): Record<string, unknown> {
  const image = obj(c.ImageConfig);
  return (
    compact({
      ContainerHostname: s.str(c.ContainerHostname, `${path}.ContainerHostname`),
      Image: s.str(c.Image, `${path}.Image`),
      ImageConfig: image
        ? compact({
            RepositoryAccessMode: s.str(
              image.RepositoryAccessMode,
              `${path}.ImageConfig.RepositoryAccessMode`,
            ),
          })
        : undefined,
      Mode: s.str(c.Mode, `${path}.Mode`),
      ModelDataUrl: s.str(c.ModelDataUrl, `${path}.ModelDataUrl`),
      ModelPackageName: s.str(c.ModelPackageName, `${path}.ModelPackageName`),
      InferenceSpecificationName: s.str(c.InferenceSpecificationName, `${path}.InferenceSpecificationName`),
    }) ?? {}
  );
}

/**
 * `DescribeModel` → `AWS::SageMaker::Model`. The response members carry the CloudFormation names;
 * only the members the rules read are copied.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeModel.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sagemaker-model.html
 */
export function modelShape(m: DescribeModelCommandOutput): CfnShape {
  const s = new Shaper();
  const vpc = obj(m.VpcConfig);
  const properties = compact({
    ModelName: s.str(m.ModelName, 'ModelName'),
    ExecutionRoleArn: s.str(m.ExecutionRoleArn, 'ExecutionRoleArn'),
    EnableNetworkIsolation: s.bool(m.EnableNetworkIsolation, 'EnableNetworkIsolation'),
    VpcConfig: vpc
      ? compact({
          SecurityGroupIds: s.strings(vpc.SecurityGroupIds, 'VpcConfig.SecurityGroupIds'),
          Subnets: s.strings(vpc.Subnets, 'VpcConfig.Subnets'),
        })
      : undefined,
    PrimaryContainer: m.PrimaryContainer ? container(s, m.PrimaryContainer, 'PrimaryContainer') : undefined,
    Containers: m.Containers?.map((c, i) => container(s, c, `Containers.${i}`)),
  });
  return {
    type: 'AWS::SageMaker::Model',
    location: m.ModelArn ?? m.ModelName ?? '?',
    properties: properties ?? {},
    notRead: s.notRead,
  };
}

function variant(s: Shaper, v: ProductionVariant, path: string): Record<string, unknown> {
  const serverless = obj(v.ServerlessConfig);
  return (
    compact({
      VariantName: s.req('str', v.VariantName, `${path}.VariantName`),
      ModelName: s.str(v.ModelName, `${path}.ModelName`),
      InitialInstanceCount: s.num(v.InitialInstanceCount, `${path}.InitialInstanceCount`),
      InitialVariantWeight: s.num(v.InitialVariantWeight, `${path}.InitialVariantWeight`),
      // A variant runs either on instances or serverless: with neither, the type is unknown.
      InstanceType: serverless
        ? undefined
        : v.InstanceType === undefined
          ? s.unread(`${path}.InstanceType`)
          : s.str(v.InstanceType, `${path}.InstanceType`),
      ServerlessConfig: serverless
        ? compact({
            MaxConcurrency: s.req(
              'num',
              serverless.MaxConcurrency,
              `${path}.ServerlessConfig.MaxConcurrency`,
            ),
            MemorySizeInMB: s.req(
              'num',
              serverless.MemorySizeInMB,
              `${path}.ServerlessConfig.MemorySizeInMB`,
            ),
            ProvisionedConcurrency: s.num(
              serverless.ProvisionedConcurrency,
              `${path}.ServerlessConfig.ProvisionedConcurrency`,
            ),
          })
        : undefined,
      VolumeSizeInGB: s.num(v.VolumeSizeInGB, `${path}.VolumeSizeInGB`),
    }) ?? {}
  );
}

/**
 * `DescribeEndpointConfig` → `AWS::SageMaker::EndpointConfig`: volume key, production and shadow
 * variants, data capture and async output. A response without production variants (every config
 * has one) leaves the variant rules not checked.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeEndpointConfig.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sagemaker-endpointconfig.html
 */
export function endpointConfigShape(ec: DescribeEndpointConfigCommandOutput): CfnShape {
  const s = new Shaper();
  const capture = obj(ec.DataCaptureConfig);
  const asyncOutput = obj(obj(ec.AsyncInferenceConfig)?.OutputConfig);
  const variants = ec.ProductionVariants;
  const properties = compact({
    EndpointConfigName: s.str(ec.EndpointConfigName, 'EndpointConfigName'),
    KmsKeyId: s.str(ec.KmsKeyId, 'KmsKeyId'),
    ProductionVariants:
      Array.isArray(variants) && variants.length > 0
        ? variants.map((v, i) => variant(s, v, `ProductionVariants.${i}`))
        : s.unread('ProductionVariants'),
    ShadowProductionVariants: ec.ShadowProductionVariants?.map((v, i) =>
      variant(s, v, `ShadowProductionVariants.${i}`),
    ),
    DataCaptureConfig: capture
      ? compact({
          EnableCapture: s.bool(capture.EnableCapture, 'DataCaptureConfig.EnableCapture'),
          KmsKeyId: s.str(capture.KmsKeyId, 'DataCaptureConfig.KmsKeyId'),
          DestinationS3Uri: s.req('str', capture.DestinationS3Uri, 'DataCaptureConfig.DestinationS3Uri'),
          InitialSamplingPercentage: s.req(
            'num',
            capture.InitialSamplingPercentage,
            'DataCaptureConfig.InitialSamplingPercentage',
          ),
          CaptureOptions: Array.isArray(capture.CaptureOptions)
            ? capture.CaptureOptions.map((o: { CaptureMode?: unknown }, i: number) => ({
                CaptureMode: s.req(
                  'str',
                  o?.CaptureMode,
                  `DataCaptureConfig.CaptureOptions.${i}.CaptureMode`,
                ),
              }))
            : s.unread('DataCaptureConfig.CaptureOptions'),
        })
      : undefined,
    AsyncInferenceConfig: ec.AsyncInferenceConfig
      ? {
          OutputConfig:
            compact({
              KmsKeyId: s.str(asyncOutput?.KmsKeyId, 'AsyncInferenceConfig.OutputConfig.KmsKeyId'),
              S3OutputPath: s.str(
                asyncOutput?.S3OutputPath,
                'AsyncInferenceConfig.OutputConfig.S3OutputPath',
              ),
              S3FailurePath: s.str(
                asyncOutput?.S3FailurePath,
                'AsyncInferenceConfig.OutputConfig.S3FailurePath',
              ),
            }) ?? {},
        }
      : undefined,
  });
  return {
    type: 'AWS::SageMaker::EndpointConfig',
    location: ec.EndpointConfigArn ?? ec.EndpointConfigName ?? '?',
    properties: properties ?? {},
    notRead: s.notRead,
  };
}

/**
 * `DescribeNotebookInstance` → `AWS::SageMaker::NotebookInstance`. Two members are renamed:
 * `SecurityGroups` is `SecurityGroupIds`, `NotebookInstanceLifecycleConfigName` is
 * `LifecycleConfigName`.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeNotebookInstance.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sagemaker-notebookinstance.html
 */
export function notebookShape(n: DescribeNotebookInstanceCommandOutput): CfnShape {
  const s = new Shaper();
  const imds = obj(n.InstanceMetadataServiceConfiguration);
  const properties = compact({
    NotebookInstanceName: s.str(n.NotebookInstanceName, 'NotebookInstanceName'),
    InstanceType: s.req('str', n.InstanceType, 'InstanceType'),
    RoleArn: s.req('str', n.RoleArn, 'RoleArn'),
    SubnetId: s.str(n.SubnetId, 'SubnetId'),
    SecurityGroupIds: s.strings(n.SecurityGroups, 'SecurityGroupIds'),
    KmsKeyId: s.str(n.KmsKeyId, 'KmsKeyId'),
    DirectInternetAccess: s.str(n.DirectInternetAccess, 'DirectInternetAccess'),
    RootAccess: s.str(n.RootAccess, 'RootAccess'),
    VolumeSizeInGB: s.num(n.VolumeSizeInGB, 'VolumeSizeInGB'),
    PlatformIdentifier: s.str(n.PlatformIdentifier, 'PlatformIdentifier'),
    LifecycleConfigName: s.str(n.NotebookInstanceLifecycleConfigName, 'LifecycleConfigName'),
    InstanceMetadataServiceConfiguration: imds
      ? compact({
          MinimumInstanceMetadataServiceVersion: s.req(
            'str',
            imds.MinimumInstanceMetadataServiceVersion,
            'InstanceMetadataServiceConfiguration.MinimumInstanceMetadataServiceVersion',
          ),
        })
      : undefined,
  });
  return {
    type: 'AWS::SageMaker::NotebookInstance',
    location: n.NotebookInstanceArn ?? n.NotebookInstanceName ?? '?',
    properties: properties ?? {},
    notRead: s.notRead,
  };
}

function idleApp(s: Shaper, settings: unknown, path: string): Record<string, unknown> | undefined {
  const idle = obj(obj(obj(settings)?.AppLifecycleManagement)?.IdleSettings);
  if (!idle) return obj(settings) ? {} : undefined;
  const p = `${path}.AppLifecycleManagement.IdleSettings`;
  return {
    AppLifecycleManagement: {
      IdleSettings: compact({
        LifecycleManagement: s.str(idle.LifecycleManagement, `${p}.LifecycleManagement`),
        IdleTimeoutInMinutes: s.num(idle.IdleTimeoutInMinutes, `${p}.IdleTimeoutInMinutes`),
        MinIdleTimeoutInMinutes: s.num(idle.MinIdleTimeoutInMinutes, `${p}.MinIdleTimeoutInMinutes`),
        MaxIdleTimeoutInMinutes: s.num(idle.MaxIdleTimeoutInMinutes, `${p}.MaxIdleTimeoutInMinutes`),
      }),
    },
  };
}

/**
 * `DescribeDomain` → `AWS::SageMaker::Domain`: network mode, key, and the idle settings of the
 * default user and space settings.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeDomain.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sagemaker-domain.html
 */
export function domainShape(d: DescribeDomainCommandOutput): CfnShape {
  const s = new Shaper();
  const user = obj(d.DefaultUserSettings);
  const space = obj(d.DefaultSpaceSettings);
  const properties = compact({
    DomainName: s.req('str', d.DomainName, 'DomainName'),
    AuthMode: s.req('str', d.AuthMode, 'AuthMode'),
    AppNetworkAccessType: s.str(d.AppNetworkAccessType, 'AppNetworkAccessType'),
    KmsKeyId: s.str(d.KmsKeyId, 'KmsKeyId'),
    VpcId: s.req('str', d.VpcId, 'VpcId'),
    SubnetIds: s.req('strings', d.SubnetIds, 'SubnetIds'),
    DefaultUserSettings: compact({
      ExecutionRole: s.req('str', user?.ExecutionRole, 'DefaultUserSettings.ExecutionRole'),
      SecurityGroups: s.strings(user?.SecurityGroups, 'DefaultUserSettings.SecurityGroups'),
      JupyterLabAppSettings: idleApp(
        s,
        user?.JupyterLabAppSettings,
        'DefaultUserSettings.JupyterLabAppSettings',
      ),
      CodeEditorAppSettings: idleApp(
        s,
        user?.CodeEditorAppSettings,
        'DefaultUserSettings.CodeEditorAppSettings',
      ),
    }),
    DefaultSpaceSettings: space
      ? compact({
          ExecutionRole: s.req('str', space.ExecutionRole, 'DefaultSpaceSettings.ExecutionRole'),
          SecurityGroups: s.strings(space.SecurityGroups, 'DefaultSpaceSettings.SecurityGroups'),
          JupyterLabAppSettings: idleApp(
            s,
            space.JupyterLabAppSettings,
            'DefaultSpaceSettings.JupyterLabAppSettings',
          ),
        })
      : undefined,
  });
  return {
    type: 'AWS::SageMaker::Domain',
    location: d.DomainArn ?? (d.DomainName ? `${d.DomainName} (${d.DomainId ?? '?'})` : (d.DomainId ?? '?')),
    properties: properties ?? {},
    notRead: s.notRead,
  };
}

/** The lifecycle hooks of a notebook lifecycle config: `[{ Content }]`, Content base64 as in the template. */
function hooks(s: Shaper, value: unknown, path: string): unknown {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) return s.unread(path);
  return value.map((h: unknown, i: number) => ({
    Content: s.req('str', obj(h)?.Content, `${path}.${i}.Content`),
  }));
}

/**
 * `DescribeNotebookInstanceLifecycleConfig` → `AWS::SageMaker::NotebookInstanceLifecycleConfig`:
 * the same members, `OnCreate` and `OnStart` lists of `{ Content }` with the script base64-encoded,
 * so `MLOps-SageMakerLifecycleConfigNoSecrets` decodes and scans it as at synth. A hook whose
 * Content is missing is not read (the script cannot be scanned), never a pass.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeNotebookInstanceLifecycleConfig.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sagemaker-notebookinstancelifecycleconfig.html
 */
export function notebookLifecycleConfigShape(
  c: DescribeNotebookInstanceLifecycleConfigCommandOutput,
): CfnShape {
  const s = new Shaper();
  const properties = compact({
    NotebookInstanceLifecycleConfigName: s.str(
      c.NotebookInstanceLifecycleConfigName,
      'NotebookInstanceLifecycleConfigName',
    ),
    OnCreate: hooks(s, c.OnCreate, 'OnCreate'),
    OnStart: hooks(s, c.OnStart, 'OnStart'),
  });
  return {
    type: 'AWS::SageMaker::NotebookInstanceLifecycleConfig',
    location: c.NotebookInstanceLifecycleConfigArn ?? c.NotebookInstanceLifecycleConfigName ?? '?',
    properties: properties ?? {},
    notRead: s.notRead,
  };
}

/**
 * `DescribeStudioLifecycleConfig` → `AWS::SageMaker::StudioLifecycleConfig`: the same members, the
 * script base64-encoded in `StudioLifecycleConfigContent` as in the template. Missing content is
 * not read (the script cannot be scanned), never a pass.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeStudioLifecycleConfig.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sagemaker-studiolifecycleconfig.html
 */
export function studioLifecycleConfigShape(c: DescribeStudioLifecycleConfigCommandOutput): CfnShape {
  const s = new Shaper();
  const properties = compact({
    StudioLifecycleConfigName: s.req('str', c.StudioLifecycleConfigName, 'StudioLifecycleConfigName'),
    StudioLifecycleConfigAppType: s.req(
      'str',
      c.StudioLifecycleConfigAppType,
      'StudioLifecycleConfigAppType',
    ),
    StudioLifecycleConfigContent: s.req(
      'str',
      c.StudioLifecycleConfigContent,
      'StudioLifecycleConfigContent',
    ),
  });
  return {
    type: 'AWS::SageMaker::StudioLifecycleConfig',
    location: c.StudioLifecycleConfigArn ?? c.StudioLifecycleConfigName ?? '?',
    properties: properties ?? {},
    notRead: s.notRead,
  };
}

/**
 * ListTags → the template's `Tags` list (`[{ Key, Value }]`), which `MLOps-SageMakerRequiredTags`
 * reads; undefined when tags were not read. A tag without a string Key and Value is left out: it
 * can fail the resource (a required key missing), never pass it.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ListTags.html
 */
function tagList(tags: readonly Tag[] | undefined): unknown {
  if (tags === undefined) return undefined;
  return tags
    .filter((t) => typeof t.Key === 'string' && typeof t.Value === 'string')
    .map((t) => ({ Key: t.Key, Value: t.Value }));
}

/**
 * An app image config of `ListAppImageConfigs` (the whole configuration) and its `ListTags` →
 * `AWS::SageMaker::AppImageConfig`, for the tag controls (Security Hub SageMaker.6, Config
 * sagemaker-app-image-config-tagged).
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ListAppImageConfigs.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sagemaker-appimageconfig.html
 */
export function appImageConfigShape(c: AppImageConfigDetails, tags: readonly Tag[]): CfnShape {
  const s = new Shaper();
  const properties = compact({
    AppImageConfigName: s.req('str', c.AppImageConfigName, 'AppImageConfigName'),
    Tags: tagList(tags),
  });
  return {
    type: 'AWS::SageMaker::AppImageConfig',
    location: c.AppImageConfigArn ?? c.AppImageConfigName ?? '?',
    properties: properties ?? {},
    notRead: s.notRead,
  };
}

/**
 * `DescribeImage` (and the image's `ListTags`) → `AWS::SageMaker::Image`. Three members are
 * renamed: `Description` is `ImageDescription`, `DisplayName` is `ImageDisplayName`, `RoleArn` is
 * `ImageRoleArn`.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeImage.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sagemaker-image.html
 */
export function imageShape(i: DescribeImageCommandOutput, tags?: readonly Tag[]): CfnShape {
  const s = new Shaper();
  const properties = compact({
    ImageName: s.req('str', i.ImageName, 'ImageName'),
    ImageRoleArn: s.req('str', i.RoleArn, 'ImageRoleArn'),
    ImageDescription: s.str(i.Description, 'ImageDescription'),
    ImageDisplayName: s.str(i.DisplayName, 'ImageDisplayName'),
    Tags: tagList(tags),
  });
  return {
    type: 'AWS::SageMaker::Image',
    location: i.ImageArn ?? i.ImageName ?? '?',
    properties: properties ?? {},
    notRead: s.notRead,
  };
}

/**
 * `DescribeImageVersion` → `AWS::SageMaker::ImageVersion`. `BaseImage` is what the version was
 * created from (the template's property, a tag or a digest); `ContainerImage` is the digest SageMaker
 * resolved it to and is not what synth judges, so it is not used: a version created from a tag
 * fails live as it fails at synth.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeImageVersion.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sagemaker-imageversion.html
 */
export function imageVersionShape(imageName: string, v: DescribeImageVersionCommandOutput): CfnShape {
  const s = new Shaper();
  const properties = compact({
    ImageName: s.req('str', imageName, 'ImageName'),
    BaseImage: s.req('str', v.BaseImage, 'BaseImage'),
  });
  return {
    type: 'AWS::SageMaker::ImageVersion',
    location: v.ImageVersionArn ?? `${imageName}:${String(v.Version ?? '?')}`,
    properties: properties ?? {},
    notRead: s.notRead,
  };
}

/**
 * `DescribeInferenceExperiment` → `AWS::SageMaker::InferenceExperiment`: instance storage key
 * (`KmsKey`) and the captured data's key (`DataStorageConfig.KmsKey`), plus the members
 * CloudFormation requires. `EndpointMetadata.EndpointName` is the template's `EndpointName`.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeInferenceExperiment.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sagemaker-inferenceexperiment.html
 */
export function inferenceExperimentShape(e: DescribeInferenceExperimentCommandOutput): CfnShape {
  const s = new Shaper();
  const storage = obj(e.DataStorageConfig);
  const variants = e.ModelVariants;
  const properties = compact({
    Name: s.req('str', e.Name, 'Name'),
    Type: s.req('str', e.Type, 'Type'),
    RoleArn: s.req('str', e.RoleArn, 'RoleArn'),
    EndpointName: s.req('str', obj(e.EndpointMetadata)?.EndpointName, 'EndpointName'),
    ModelVariants:
      Array.isArray(variants) && variants.length > 0
        ? variants.map((v, i) => ({
            ModelName: s.req('str', v.ModelName, `ModelVariants.${i}.ModelName`),
            VariantName: s.req('str', v.VariantName, `ModelVariants.${i}.VariantName`),
            InfrastructureConfig:
              obj(v.InfrastructureConfig) ?? s.unread(`ModelVariants.${i}.InfrastructureConfig`),
          }))
        : s.unread('ModelVariants'),
    KmsKey: s.str(e.KmsKey, 'KmsKey'),
    DataStorageConfig: storage
      ? compact({
          Destination: s.req('str', storage.Destination, 'DataStorageConfig.Destination'),
          KmsKey: s.str(storage.KmsKey, 'DataStorageConfig.KmsKey'),
        })
      : undefined,
  });
  return {
    type: 'AWS::SageMaker::InferenceExperiment',
    location: e.Arn ?? e.Name ?? '?',
    properties: properties ?? {},
    notRead: s.notRead,
  };
}

/** The name of the one step of the synthetic pipeline a training job is checked in. */
export const TRAINING_STEP = 'TrainingJob';

/** A copy of the members of `value` whose type is right; a mistyped or absent member is left out (unset). */
function pick(
  value: unknown,
  kinds: Readonly<Record<string, 'string' | 'number' | 'boolean' | 'strings'>>,
): Props | undefined {
  const o = obj(value);
  if (!o) return undefined;
  const out: Props = {};
  for (const [k, kind] of Object.entries(kinds)) {
    const v = o[k];
    const ok =
      kind === 'strings' ? Array.isArray(v) && v.every((x) => typeof x === 'string') : typeof v === kind;
    if (ok) out[k] = v;
  }
  return out;
}

type Props = Record<string, unknown>;

/**
 * `DescribeTrainingJob` → a Training step of a synthetic `AWS::SageMaker::Pipeline`: there is no
 * CloudFormation type for a training job, and a pipeline's Training step takes the
 * CreateTrainingJob request, whose members DescribeTrainingJob returns under the same names. So
 * the pipeline rules (`MLOps-SageMakerPipelineTrainingStep`, `-PipelineTrainingSpotCheckpoints`)
 * judge the live job. A member the response lacks or returns mistyped is left out, which those
 * rules read as unset: it can fail the job, never pass it (they have no "cannot judge" outcome for
 * pipeline arguments).
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeTrainingJob.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-steps-types.html#step-type-training
 */
export function trainingJobShape(j: DescribeTrainingJobCommandOutput): CfnShape {
  const args = Object.fromEntries(
    Object.entries({
      AlgorithmSpecification: pick(j.AlgorithmSpecification, {
        TrainingImage: 'string',
        AlgorithmName: 'string',
        TrainingInputMode: 'string',
      }),
      ResourceConfig: pick(j.ResourceConfig, {
        InstanceType: 'string',
        InstanceCount: 'number',
        VolumeSizeInGB: 'number',
        VolumeKmsKeyId: 'string',
      }),
      OutputDataConfig: pick(j.OutputDataConfig, { S3OutputPath: 'string', KmsKeyId: 'string' }),
      VpcConfig: pick(j.VpcConfig, { Subnets: 'strings', SecurityGroupIds: 'strings' }),
      CheckpointConfig: pick(j.CheckpointConfig, { S3Uri: 'string' }),
      StoppingCondition: pick(j.StoppingCondition, {
        MaxRuntimeInSeconds: 'number',
        MaxWaitTimeInSeconds: 'number',
      }),
      RoleArn: typeof j.RoleArn === 'string' ? j.RoleArn : undefined,
      EnableNetworkIsolation:
        typeof j.EnableNetworkIsolation === 'boolean' ? j.EnableNetworkIsolation : undefined,
      EnableInterContainerTrafficEncryption:
        typeof j.EnableInterContainerTrafficEncryption === 'boolean'
          ? j.EnableInterContainerTrafficEncryption
          : undefined,
      EnableManagedSpotTraining:
        typeof j.EnableManagedSpotTraining === 'boolean' ? j.EnableManagedSpotTraining : undefined,
    }).filter(([, v]) => v !== undefined),
  );
  const body = { Version: '2020-12-01', Steps: [{ Name: TRAINING_STEP, Type: 'Training', Arguments: args }] };
  return {
    type: 'AWS::SageMaker::Pipeline',
    resourceType: 'AWS::SageMaker::TrainingJob',
    location: j.TrainingJobArn ?? j.TrainingJobName ?? '?',
    properties: {
      PipelineName: 'audit-training-job',
      RoleArn: typeof j.RoleArn === 'string' ? j.RoleArn : 'arn:aws:iam::000000000000:role/not-returned',
      PipelineDefinition: { PipelineDefinitionBody: JSON.stringify(body) },
    },
    notRead: [],
  };
}
