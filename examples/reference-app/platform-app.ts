import { App, Tags, Validations } from 'aws-cdk-lib';
import { CostGuardrails } from '../../constructs/cost/cost-guardrails';
import { DriftMonitor } from '../../constructs/monitoring/drift-monitor';
import { ModelQualityMonitor } from '../../constructs/monitoring/model-quality-monitor';
import { RequiredTags } from '../../constructs/core/tags';
import { createPacks, PLATFORM_PACKS } from '../../lib/policy/packs';
import { DEMO_IMAGE_DIGEST, PlatformConfig, ServedModelConfig } from './config';
import { addAuditTrail } from './audit';
import { addAutoShutdown } from './auto-shutdown';
import { addFeatureStore } from './feature-store';
import { ServingStack } from './serving';
import { addTraining } from './training';
import { addLegalHold } from './legal-hold';
import { addModelDocumentation } from './model-docs';
import { CHURN_FAIRNESS_ALARMS, REGISTERED_CHURN_METRICS } from './quality';
import { PlatformStack } from './platform-stack';

/** Options of {@link buildPlatform} used by tests and benchmarks. */
export interface BuildOptions {
  /** How many served models (one stack each). @default - the config's models */
  readonly servedModels?: number;
  /** Whether to register the policy packs. @default true */
  readonly packs?: boolean;
}

/** Builds the reference ML platform into an app: stacks, tags, and the policy gate. */
export function buildPlatform(
  app: App,
  config: PlatformConfig,
  options: BuildOptions = {},
): { platform: PlatformStack; serving: ServingStack[] } {
  const env = { account: config.account, region: config.region };
  // One stack per served model: CloudFormation's 500-resource limit applies per stack.
  const models = options.servedModels === undefined ? config.servedModels : demoModels(options.servedModels);
  const platform = new PlatformStack(app, `${config.prefix}-platform`, {
    env,
    config: { ...config, servedModels: models },
  });
  addAuditTrail(platform, { objectLockMode: config.environment === 'prod' ? 'COMPLIANCE' : 'GOVERNANCE' });
  const features = addFeatureStore(platform);
  const training = addTraining(platform);
  addModelDocumentation(platform, training);
  Tags.of(training.pipeline).add('model-id', 'churn');
  Tags.of(training.registry).add('model-id', 'churn');
  addLegalHold(platform, training);
  addAutoShutdown(platform);
  // Drift on the served churn model (alarms named by its serving stack) starts retraining.
  training.pipeline.onEvent('RetrainOnDrift', {
    eventPattern: DriftMonitor.driftEventPattern('churn-drift'),
  });
  // So does degraded quality (alarms named by the same serving stack).
  training.pipeline.onEvent('RetrainOnQualityDegradation', {
    eventPattern: ModelQualityMonitor.degradationEventPattern(
      'churn-quality',
      REGISTERED_CHURN_METRICS,
      CHURN_FAIRNESS_ALARMS,
    ),
  });

  const serving = models.map(
    (model) =>
      new ServingStack(app, `${config.prefix}-serving-${model.name}`, {
        env,
        keys: platform.keys,
        alerts: platform.alerts,
        network: platform.network,
        apiGatewayAccount: platform.apiGatewayAccount,
        imageRepository: platform.servedModelImages[model.name],
        modelArtifacts: platform.modelArtifacts,
        modelName: model.name,
        imageDigest: model.imageDigest,
        modelVersion: model.modelVersion,
        environment: config.environment,
        onlineFeatures: features,
      }),
  );

  for (const stack of serving) Tags.of(stack).add('model-id', stack.modelName);

  // Budgets per team and per model, the model-id tag and the instance policy, enforced app-wide.
  new CostGuardrails(platform, 'CostGuardrails', {
    alerts: platform.alerts,
    budgets: [
      ...Object.entries(config.costs.teamBudgetsUsd).map(([team, limitUsd]) => ({
        name: `team-${team}`,
        limitUsd,
        tags: { owner: team },
      })),
      ...models.map((m) => ({
        name: `model-${m.name}`,
        limitUsd: config.costs.modelBudgetUsd,
        tags: { 'model-id': m.name },
      })),
    ],
    instancePolicy: { allowGpu: config.costs.allowGpu, maxInstanceCount: config.costs.maxInstanceCount },
  });

  RequiredTags.apply(app, config.tags);
  RequiredTags.enforce(app, { keys: config.requiredTags });
  // The policy gate: any unacknowledged finding of any pack fails synth.
  if (options.packs ?? true) Validations.of(app).addPlugins(...createPacks(PLATFORM_PACKS));
  return { platform, serving };
}

function demoModels(n: number): ServedModelConfig[] {
  return Array.from({ length: n }, (_, i) => ({
    name: i === 0 ? 'churn' : `model-${i + 1}`,
    imageDigest: DEMO_IMAGE_DIGEST,
    modelVersion: '1',
  }));
}
