import {
  DescribeDomainCommand,
  DescribeDomainCommandOutput,
  DescribeEndpointCommand,
  DescribeEndpointCommandOutput,
  DescribeEndpointConfigCommand,
  DescribeEndpointConfigCommandOutput,
  DescribeFlowDefinitionCommand,
  DescribeFlowDefinitionCommandOutput,
  DescribeImageCommand,
  DescribeImageCommandOutput,
  DescribeImageVersionCommand,
  DescribeImageVersionCommandOutput,
  DescribeInferenceExperimentCommand,
  DescribeInferenceExperimentCommandOutput,
  DescribeNotebookInstanceLifecycleConfigCommand,
  DescribeNotebookInstanceLifecycleConfigCommandOutput,
  DescribeStudioLifecycleConfigCommand,
  DescribeStudioLifecycleConfigCommandOutput,
  DescribeModelCommand,
  DescribeModelCommandOutput,
  DescribeNotebookInstanceCommand,
  DescribeNotebookInstanceCommandOutput,
  DescribeTrainingJobCommand,
  DescribeTrainingJobCommandOutput,
  paginateListDomains,
  paginateListEndpointConfigs,
  paginateListEndpoints,
  AppImageConfigDetails,
  paginateListAppImageConfigs,
  paginateListFlowDefinitions,
  paginateListTags,
  Tag,
  paginateListImages,
  paginateListImageVersions,
  paginateListInferenceExperiments,
  paginateListNotebookInstanceLifecycleConfigs,
  paginateListStudioLifecycleConfigs,
  paginateListModels,
  paginateListNotebookInstances,
  paginateListTrainingJobs,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { Limiter, mapLimited } from './limit';

/** Pages through a paginator and collects one member of every page. */
async function collect<P, T>(
  pages: AsyncIterable<P>,
  pick: (page: P) => readonly T[] | undefined,
): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...(pick(page) ?? []));
  return out;
}

/**
 * The SageMaker resources of one region, listed with the SDK's paginators and described with
 * bounded concurrency, each list fetched once and shared by every check that needs it (the key
 * check reads the keys the other resources reference). A failed fetch (access denied) fails every
 * check that needs it, and only those.
 */
export class SageMakerInventory {
  private readonly memo = new Map<string, Promise<unknown>>();

  constructor(
    private readonly sm: SageMakerClient,
    public readonly limit: Limiter,
    private readonly now: Date,
    private readonly lookbackDays: number,
  ) {}

  /** Every endpoint configuration, described. */
  public endpointConfigs(): Promise<DescribeEndpointConfigCommandOutput[]> {
    return this.once('endpointConfigs', async () => {
      const names = await collect(
        paginateListEndpointConfigs({ client: this.sm }, {}),
        (p) => p.EndpointConfigs,
      );
      return mapLimited(this.limit, names, (s) => this.endpointConfig(s.EndpointConfigName!));
    });
  }

  /** One endpoint configuration, described once. */
  public endpointConfig(name: string): Promise<DescribeEndpointConfigCommandOutput> {
    return this.once(`endpointConfig:${name}`, () =>
      this.sm.send(new DescribeEndpointConfigCommand({ EndpointConfigName: name })),
    );
  }

  /** Every model, described. */
  public models(): Promise<DescribeModelCommandOutput[]> {
    return this.once('models', async () => {
      const list = await collect(paginateListModels({ client: this.sm }, {}), (p) => p.Models);
      return mapLimited(this.limit, list, (m) =>
        this.sm.send(new DescribeModelCommand({ ModelName: m.ModelName })),
      );
    });
  }

  /** Every notebook instance, described. */
  public notebooks(): Promise<DescribeNotebookInstanceCommandOutput[]> {
    return this.once('notebooks', async () => {
      const list = await collect(
        paginateListNotebookInstances({ client: this.sm }, {}),
        (p) => p.NotebookInstances,
      );
      return mapLimited(this.limit, list, (n) =>
        this.sm.send(new DescribeNotebookInstanceCommand({ NotebookInstanceName: n.NotebookInstanceName })),
      );
    });
  }

  /** Every Studio domain, described. */
  public domains(): Promise<DescribeDomainCommandOutput[]> {
    return this.once('domains', async () => {
      const list = await collect(paginateListDomains({ client: this.sm }, {}), (p) => p.Domains);
      return mapLimited(this.limit, list, (d) =>
        this.sm.send(new DescribeDomainCommand({ DomainId: d.DomainId })),
      );
    });
  }

  /** Every endpoint in service, described. */
  public endpoints(): Promise<DescribeEndpointCommandOutput[]> {
    return this.once('endpoints', async () => {
      const list = await collect(
        paginateListEndpoints({ client: this.sm }, { StatusEquals: 'InService' }),
        (p) => p.Endpoints,
      );
      return mapLimited(this.limit, list, (e) =>
        this.sm.send(new DescribeEndpointCommand({ EndpointName: e.EndpointName })),
      );
    });
  }

  /** Training jobs created within the lookback window, described. */
  public trainingJobs(): Promise<DescribeTrainingJobCommandOutput[]> {
    return this.once('trainingJobs', async () => {
      const since = new Date(this.now.getTime() - this.lookbackDays * 86_400_000);
      const list = await collect(
        paginateListTrainingJobs({ client: this.sm }, { CreationTimeAfter: since }),
        (p) => p.TrainingJobSummaries,
      );
      return mapLimited(this.limit, list, (j) =>
        this.sm.send(new DescribeTrainingJobCommand({ TrainingJobName: j.TrainingJobName })),
      );
    });
  }

  /** Every notebook instance lifecycle configuration (attached or not), described. */
  public notebookLifecycleConfigs(): Promise<DescribeNotebookInstanceLifecycleConfigCommandOutput[]> {
    return this.once('notebookLifecycleConfigs', async () => {
      const list = await collect(
        paginateListNotebookInstanceLifecycleConfigs({ client: this.sm }, {}),
        (p) => p.NotebookInstanceLifecycleConfigs,
      );
      return mapLimited(this.limit, list, (c) =>
        this.sm.send(
          new DescribeNotebookInstanceLifecycleConfigCommand({
            NotebookInstanceLifecycleConfigName: c.NotebookInstanceLifecycleConfigName,
          }),
        ),
      );
    });
  }

  /** Every Studio lifecycle configuration, described. */
  public studioLifecycleConfigs(): Promise<DescribeStudioLifecycleConfigCommandOutput[]> {
    return this.once('studioLifecycleConfigs', async () => {
      const list = await collect(
        paginateListStudioLifecycleConfigs({ client: this.sm }, {}),
        (p) => p.StudioLifecycleConfigs,
      );
      return mapLimited(this.limit, list, (c) =>
        this.sm.send(
          new DescribeStudioLifecycleConfigCommand({
            StudioLifecycleConfigName: c.StudioLifecycleConfigName,
          }),
        ),
      );
    });
  }

  /** Every custom SageMaker (Studio) image, described. */
  public images(): Promise<DescribeImageCommandOutput[]> {
    return this.once('images', async () => {
      const list = await collect(paginateListImages({ client: this.sm }, {}), (p) => p.Images);
      return mapLimited(this.limit, list, (i) =>
        this.sm.send(new DescribeImageCommand({ ImageName: i.ImageName })),
      );
    });
  }

  /**
   * Every version of every custom image, described, with the image it belongs to (the describe
   * response names the image only by ARN; CloudFormation's ImageVersion takes its name).
   */
  public imageVersions(): Promise<{ imageName: string; version: DescribeImageVersionCommandOutput }[]> {
    return this.once('imageVersions', async () => {
      const images = await collect(paginateListImages({ client: this.sm }, {}), (p) => p.Images);
      const versions = (
        await mapLimited(this.limit, images, async (i) =>
          (
            await collect(
              paginateListImageVersions({ client: this.sm }, { ImageName: i.ImageName }),
              (p) => p.ImageVersions,
            )
          ).map((v) => ({ imageName: i.ImageName!, number: v.Version })),
        )
      ).flat();
      return mapLimited(this.limit, versions, async (v) => ({
        imageName: v.imageName,
        version: await this.sm.send(
          new DescribeImageVersionCommand({ ImageName: v.imageName, Version: v.number }),
        ),
      }));
    });
  }

  /** Every inference experiment (shadow test), described. */
  public inferenceExperiments(): Promise<DescribeInferenceExperimentCommandOutput[]> {
    return this.once('inferenceExperiments', async () => {
      const list = await collect(
        paginateListInferenceExperiments({ client: this.sm }, {}),
        (p) => p.InferenceExperiments,
      );
      return mapLimited(this.limit, list, (e) =>
        this.sm.send(new DescribeInferenceExperimentCommand({ Name: e.Name })),
      );
    });
  }

  /** The tags of one SageMaker resource (ListTags, paginated): Describe* does not return them. */
  public tags(arn: string): Promise<Tag[]> {
    return this.once(`tags:${arn}`, () =>
      collect(paginateListTags({ client: this.sm }, { ResourceArn: arn }), (p) => p.Tags),
    );
  }

  /** Every app image configuration (ListAppImageConfigs returns the whole configuration), with its tags. */
  public appImageConfigs(): Promise<{ config: AppImageConfigDetails; tags: Tag[] }[]> {
    return this.once('appImageConfigs', async () => {
      const list = await collect(
        paginateListAppImageConfigs({ client: this.sm }, {}),
        (p) => p.AppImageConfigs,
      );
      return mapLimited(this.limit, list, async (config) => ({
        config,
        tags: config.AppImageConfigArn ? await this.tags(config.AppImageConfigArn) : [],
      }));
    });
  }

  /** Every Augmented AI flow definition, described. */
  public flowDefinitions(): Promise<DescribeFlowDefinitionCommandOutput[]> {
    return this.once('flowDefinitions', async () => {
      const list = await collect(
        paginateListFlowDefinitions({ client: this.sm }, {}),
        (p) => p.FlowDefinitionSummaries,
      );
      return mapLimited(this.limit, list, (f) =>
        this.sm.send(new DescribeFlowDefinitionCommand({ FlowDefinitionName: f.FlowDefinitionName })),
      );
    });
  }

  private once<T>(key: string, fetch: () => Promise<T>): Promise<T> {
    let p = this.memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = fetch();
      // Rejections are observed by whichever check awaits; keep Node from flagging an orphan.
      p.catch(() => undefined);
      this.memo.set(key, p);
    }
    return p;
  }
}
