import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { RequiredTags } from '../../constructs/core/tags';
import { addAutoShutdown } from '../../examples/reference-app/auto-shutdown';
import { DEFAULT_CONFIG } from '../../examples/reference-app/config';
import { PlatformStack } from '../../examples/reference-app/platform-stack';
import { findingLines } from '../support/nag';

describe('addAutoShutdown', () => {
  it("adds AutoShutdown to the platform stack (dry run) with no findings beyond SecureFunction's own", () => {
    const app = new App();
    const stack = new PlatformStack(app, 'Platform', {
      env: { account: DEFAULT_CONFIG.account, region: DEFAULT_CONFIG.region },
      config: DEFAULT_CONFIG,
    });
    const auto = addAutoShutdown(stack);
    RequiredTags.apply(app, DEFAULT_CONFIG.tags);
    expect(auto.node.path).toBe('Platform/AutoShutdown');
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { AUTO_SHUTDOWN_DRY_RUN: 'true' } },
    });
    expect(findingLines(stack)).toEqual([]);
  });
});
