import { App, Validations } from 'aws-cdk-lib';
import { RequiredTags } from '../../constructs/core/tags';
import { createPacks, PLATFORM_PACKS } from '../policy/packs';
import { PlatformConfig } from './config';
import { PlatformStack } from './platform-stack';

/** Builds the reference ML platform into an app: stacks, tags, and the policy gate. */
export function buildPlatform(app: App, config: PlatformConfig): { platform: PlatformStack } {
  const env = { account: config.account, region: config.region };
  const platform = new PlatformStack(app, `${config.prefix}-platform`, { env, config });

  RequiredTags.apply(app, config.tags);
  RequiredTags.enforce(app, { keys: config.requiredTags });
  // The policy gate: any unacknowledged finding of any pack fails synth.
  Validations.of(app).addPlugins(...createPacks(PLATFORM_PACKS));
  return { platform };
}
